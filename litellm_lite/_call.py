"""The road: every public call travels plan -> send -> finish here, once.

::

    result = run(endpoint, model, kwargs, params=..., inputs=..., stream=..., files=..., custom_llm_provider=...)

``endpoint`` is ``chat``, ``embedding`` or an endpoint a ProviderSpec may declare
(``image_generation``, ``transcription``, ``speech``, ``moderation``, ``text_completion``...).
The public functions (``main.py``, ``endpoints.py``) check their own arguments and call
:func:`run`; everything else happens here:

plan (:func:`plan`)
    the call id (the caller's ``litellm_call_id`` or :func:`new_call_id`; every LiteLLMError of the
    call carries it, from here on), a ``traceparent`` keyword checked, provider and model
    (``resolve.split_model``), the keyword contract (``params.classify``), validation of the
    OpenAI parameters, :func:`~litellm_lite._jsonsafe.ensure_json_safe` once on what is sent,
    the CallConfig (``config.resolve_config``, pure), the adapter and the typed request. Without a
    credential resolver the wire requests are prepared here too (so bad input fails before any hook).
send (:func:`send`)
    :data:`PRE_SEND` hooks (one may answer the call: the cache; or raise: a budget; or send only part
    of an embedding batch: :func:`narrow`), ``observability.pre_call``, then per attempt inside the
    retry policy: credentials (``auth.fetch_credentials``: files, token exchange), the wire request
    with the opt-in id headers (``observability.outgoing_headers``), :data:`PER_ATTEMPT` hooks,
    ``adapter.sign``, ``_http.send``; a non-2xx answer is mapped by the adapter's ``parse_error``.
    Each attempt is reported to ``observability.attempt`` (DEBUG line, retry count) only when
    metrics or DEBUG logging listen.
finish (:func:`finish`)
    the typed result (or one stream wrapper), hidden params (call id, provider request id, provider,
    api_base, cost from ``cost.py``), success/failure callbacks, :data:`POST_FINISH` hooks (for a
    stream: when it ended; a stream closed before its end finishes its metrics and span).

Hooks are plain module-level lists of callables; empty lists cost nothing per call. The cache and
budget checkpoints (``call_guard``) are installed in them at the end of this module.
"""

from __future__ import annotations

import dataclasses
import time

from . import observability
from ._jsonsafe import ensure_json_safe
from ._log import logger
from .auth import fetch_credentials, needs_credentials
from .config import CallConfig, resolve_config
from .correlation import check_call_id, check_traceparent, new_call_id
from .cost import endpoint_cost, response_cost
from .exceptions import APIConnectionError, BadRequestError, LiteLLMError
from .params import OPENAI_CHAT_PARAMS, KwargSplit, classify, validate_params
from .providers import get_adapter, get_spec
from .providers.base import Adapter, ChatRequest, WireRequest, WireResponse
from .registry import lookup
from .resolve import split_model
from .retry import Retry
from .supported import enforce

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple
    from ._http import HTTPResponse

__all__ = [
    "Plan", "run", "plan", "send", "finish", "new_call_id", "send_with_retries", "PRE_SEND", "PER_ATTEMPT",
    "POST_FINISH", "narrow", "parse_body",
]

#: ``hook(plan) -> result or None`` before sending; the first non-None result answers the call
#: (nothing is sent; it still goes through finish's hidden params, callbacks and POST_FINISH; a
#: stream call's answer is a whole ModelResponse, replayed as chunks).
PRE_SEND: List[Callable[["Plan"], Any]] = []
#: ``hook(plan, attempt_number, signed_wire)`` right before each HTTP attempt.
PER_ATTEMPT: List[Callable[["Plan", int, WireRequest], None]] = []
#: ``hook(plan, result)`` after a successful call (a stream: once it was read to its end).
POST_FINISH: List[Callable[["Plan", Any], None]] = []

_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError, RecursionError)
_EMBEDDING_PARAMS = frozenset({"dimensions", "encoding_format", "input_type", "user"})
_policies: Dict[int, Retry] = {}
_http_module: Any = None


@dataclasses.dataclass
class Plan:
    """Everything decided before sending: one per public call.

    ``call_info`` is what callbacks see (redacted by ``observability``); ``wires`` the prepared
    requests (one per HTTP request the call needs; None until credentials were fetched).
    ``state`` is where hooks keep what they need between PRE_SEND and POST_FINISH; ``merge``
    (set by :func:`narrow`) rebuilds the whole answer from the part that was sent.
    """

    endpoint: str
    call_id: str
    provider: str
    model: str
    config: CallConfig
    adapter: Adapter
    request: Any
    parts: List[Any]
    split: KwargSplit
    stream: bool
    call_info: Dict[str, Any]
    wires: Optional[List[WireRequest]] = None
    start: float = 0.0
    state: Dict[str, Any] = dataclasses.field(default_factory=dict)
    merge: Optional[Callable[[Any], Any]] = None


def _transport() -> Any:
    """``_http``, imported on the first request (it loads urllib.request, http.client and ssl)."""
    global _http_module
    if _http_module is None:
        from . import _http

        _http_module = _http
    return _http_module


def _default_max_tokens(model: str, provider: str) -> Optional[int]:
    spec = lookup(model, provider)  # never raises
    if spec is None:
        return None
    value = getattr(spec, "max_output_tokens", None) or getattr(spec, "max_tokens", None)
    return int(value) if isinstance(value, (int, float)) and value > 0 else None


# ---------------------------------------------------------------------------------------------
# plan


def _check_endpoint(endpoint: str, spec: Any, model_id: str) -> None:
    if endpoint in ("chat", "embedding") or spec.serves(endpoint):
        return
    from .providers import PROVIDERS

    served = sorted(name for name, other in PROVIDERS.items() if other.serves(endpoint))
    raise BadRequestError(
        "provider %r does not serve %s; providers that do: %s" % (spec.name, endpoint, ", ".join(served)),
        spec.name,
        model_id,
    )


def _build_request(
    endpoint: str, model_id: str, split: KwargSplit, inputs: Any, stream: bool, files: Sequence[Tuple[str, Any]]
) -> Any:
    if endpoint == "chat":
        return ChatRequest(model=model_id, messages=inputs, params=split.openai, stream=stream, extra_body=split.body)
    from .providers.base import EmbeddingRequest, EndpointRequest  # built on first use (not for chat)
    if endpoint == "embedding":
        return EmbeddingRequest(model=model_id, input=inputs, params=split.openai, extra_body=split.body)
    return EndpointRequest(
        endpoint=endpoint, model=model_id, params=split.openai, extra_body=split.body, stream=stream, files=list(files)
    )


def _validate(endpoint: str, split: KwargSplit, inputs: Any, provider: str, model_id: str) -> None:
    """OpenAI parameter checks (chat), then JSON-safety of everything that will be sent, once."""
    if endpoint == "chat":
        validate_params(split.openai, model_id)
    ensure_json_safe(inputs, "messages" if endpoint == "chat" else "input", provider, model_id)
    if split.openai:
        ensure_json_safe(split.openai, "parameters", provider, model_id)
    if split.body:
        ensure_json_safe(split.body, "provider parameters", provider, model_id)


def _allow_params(config: CallConfig, split: KwargSplit) -> None:
    """``allowed_openai_params``: these names are sent even where the provider's row marks them unsupported."""
    allowed = split.control.get("allowed_openai_params")
    if allowed:
        spec = config.spec
        config.spec = dataclasses.replace(spec, unsupported_params=spec.unsupported_params - frozenset(allowed))


def plan(
    endpoint: str,
    model: Any,
    kwargs: Dict[str, Any],
    *,
    params: Optional[Dict[str, Any]] = None,
    inputs: Any = None,
    stream: bool = False,
    files: Sequence[Tuple[str, Any]] = (),
    custom_llm_provider: Optional[str] = None,
    call_info: Optional[Dict[str, Any]] = None,
) -> Plan:
    """Resolve, classify, validate and prepare one call; nothing is sent. Raises our BadRequestError
    (and AuthenticationError for a missing key) on bad input, with the call's ``litellm_call_id``
    (``kwargs["litellm_call_id"]`` when given, else a new one)."""
    given = kwargs.get("litellm_call_id")
    call_id = new_call_id() if given is None else check_call_id(given, str(model))
    try:
        return _plan(call_id, endpoint, model, kwargs, params, inputs, stream, files, custom_llm_provider, call_info)
    except LiteLLMError as exc:
        observability.stamp_error(exc, call_id)
        raise


def _plan(
    call_id: str,
    endpoint: str,
    model: Any,
    kwargs: Dict[str, Any],
    params: Optional[Dict[str, Any]],
    inputs: Any,
    stream: bool,
    files: Sequence[Tuple[str, Any]],
    custom_llm_provider: Optional[str],
    call_info: Optional[Dict[str, Any]],
) -> Plan:
    if not isinstance(model, str):
        raise BadRequestError("model must be a string such as 'openai/gpt-4o-mini', got %s" % type(model).__name__)
    provider, model_id = split_model(model, custom_llm_provider, endpoint)
    spec = get_spec(provider)
    assert spec is not None
    _check_endpoint(endpoint, spec, model_id)
    names = OPENAI_CHAT_PARAMS if endpoint == "chat" else (_EMBEDDING_PARAMS if endpoint == "embedding" else ())
    split = classify(kwargs, spec, names, model_id)
    if params:
        split.openai.update((k, v) for k, v in params.items() if v is not None)
    _validate(endpoint, split, inputs, provider, model_id)
    use_module = split.control.get("use_module_settings", True) is not False
    config = resolve_config(spec, model_id, split.config, use_module_settings=use_module)
    if split.credentials:
        config.credential_kwargs.update(split.credentials)
    if split.control:
        _allow_params(config, split)
    adapter = get_adapter(spec.adapter).for_call(config)
    if endpoint == "chat":  # what the format and row refuse (supported.get_supported_openai_params lists the rest)
        split.openai = enforce(adapter, split.openai, config, model_id, split.control.get("allowed_openai_params") or ())
    if endpoint == "chat" and adapter.needs_default_max_tokens:
        default_max = _default_max_tokens(model_id, provider)
        if default_max is not None:
            split.openai["_default_max_tokens"] = default_max
    request = _build_request(endpoint, model_id, split, inputs, stream, files)
    parts = adapter.split_embedding(request, config) if endpoint == "embedding" else [request]
    info = _call_info(endpoint, call_info, provider, model_id, config, split, inputs, stream, call_id, use_module)
    if split.control.get("traceparent") is not None:
        info["traceparent"] = check_traceparent(split.control["traceparent"], model_id)
    result = Plan(endpoint, call_id, provider, model_id, config, adapter, request, parts, split, stream, info)
    if not needs_credentials(config):
        result.wires = _prepare(result)  # all checked before anything is sent
    return result


def _call_info(
    endpoint: str,
    base: Optional[Dict[str, Any]],
    provider: str,
    model_id: str,
    config: CallConfig,
    split: KwargSplit,
    inputs: Any,
    stream: bool,
    call_id: str,
    use_module: bool,
) -> Dict[str, Any]:
    """What callbacks see of the call (keys starting with "_" steer observability and are not shown)."""
    info = base if base is not None else {}
    info.update(
        {
            # the public call that rode on this endpoint (``responses`` bridged over chat), else the endpoint
            "call_type": split.control.get("litellm_call_type") or ("completion" if endpoint == "chat" else endpoint),
            "model": model_id,
            "provider": provider,
            "stream": stream,
            "api_base": config.api_base,
            "metadata": split.control.get("metadata"),
            "litellm_call_id": call_id,
            "optional_params": {k: v for k, v in split.openai.items() if not k.startswith("_")},
            "_use_module_settings": use_module,
            "_use_module_callbacks": use_module or split.control.get("use_module_callbacks") is True,
            "_callbacks": split.control.get("callbacks"),
        }
    )
    info.setdefault("messages", inputs if endpoint == "chat" else (None if endpoint == "embedding" else []))
    return info


def narrow(p: Plan, inputs: List[Any], merge: Callable[[Any], Any]) -> None:
    """Send only ``inputs`` of an embedding call (a PRE_SEND hook has the others, e.g. cached);
    ``merge(sent_result)`` returns the whole answer, which then finishes as usual."""
    if p.endpoint != "embedding":
        raise BadRequestError("only an embedding call can be narrowed to some of its inputs", p.provider, p.model)
    p.request = _build_request(p.endpoint, p.model, p.split, inputs, p.stream, ())
    p.parts = p.adapter.split_embedding(p.request, p.config)
    if p.wires is not None:
        p.wires = _prepare(p)
    p.merge = merge


def _prepare(p: Plan) -> List[WireRequest]:
    if p.endpoint == "chat":
        return [p.adapter.prepare(p.adapter.with_allowed_params(p.request, p.config), p.config)]
    if p.endpoint == "embedding":
        return [p.adapter.prepare_embedding(part, p.config) for part in p.parts]
    return [p.adapter.prepare_endpoint(p.request, p.config)]


# ---------------------------------------------------------------------------------------------
# send


def _http_send(signed: WireRequest, config: CallConfig) -> "HTTPResponse":
    response: "HTTPResponse" = _transport().send(
        signed, timeout=config.timeout, ssl_verify=config.ssl_verify, provider=config.provider, model=config.model,
        deadline=config.deadline, max_response_bytes=config.max_response_bytes,
    )
    return response


def _exchange(adapter: Adapter, signed: WireRequest, config: CallConfig) -> "HTTPResponse":
    """One HTTP attempt: a 2xx response, or the adapter's exception for the (read) error response."""
    response = _http_send(signed, config)
    if 200 <= response.status < 300:
        return response
    body = response.read()
    raise adapter.parse_error(WireResponse(response.status, response.headers, body), config)


def _observed_exchange(
    adapter: Adapter, signed: WireRequest, config: CallConfig, call_info: Dict[str, Any], number: int
) -> "HTTPResponse":
    """:func:`_exchange`, reported to ``observability.attempt`` (DEBUG line, request id, retry count)."""
    started = time.time()
    status: Optional[int] = None
    headers: Any = None
    body: Optional[bytes] = None
    error: Optional[BaseException] = None
    try:
        response = _http_send(signed, config)
        status, headers = response.status, response.headers
        if 200 <= status < 300:
            return response
        body = response.read()
        raise adapter.parse_error(WireResponse(status, headers, body), config)
    except LiteLLMError as exc:
        error = exc
        raise
    finally:
        observability.attempt(
            call_info, number=number, method=signed.method, url=signed.url, status=status, started=started,
            ended=time.time(), headers=headers, error=error, request_body=signed.body, response_body=body,
        )


def send_with_retries(
    adapter: Adapter,
    wire: WireRequest,
    config: CallConfig,
    before: Optional[Callable[[int], WireRequest]] = None,
    call_info: Optional[Dict[str, Any]] = None,
) -> "HTTPResponse":
    """Send ``wire`` (signed afresh per attempt) with the retry policy; a 2xx response is returned.

    ``before(attempt)``, when given, runs first in every attempt (credentials, hooks) and returns
    the wire request to sign. A non-2xx response is read, mapped by the adapter's
    ``parse_error`` and raised (after retries when its class is retryable). With ``call_info``
    each attempt is reported to ``observability.attempt`` (numbered from 1).
    """
    policy = _policies.get(config.num_retries)
    if policy is None:
        policy = _policies[config.num_retries] = Retry(total=config.num_retries)

    def attempt(number: int) -> "HTTPResponse":
        signed = adapter.sign(before(number) if before is not None else wire, config)
        if call_info is None:
            return _exchange(adapter, signed, config)
        return _observed_exchange(adapter, signed, config, call_info, number + 1)

    def on_retry(number: int, error: BaseException, delay: float) -> None:
        logger.info(
            "retrying %s/%s after %s (attempt %d, sleeping %.2fs)",
            config.provider, config.model, type(error).__name__, number + 1, delay,
        )

    return policy.run(attempt, on_retry=on_retry, deadline=config.deadline)


def _send_part(p: Plan, index: int) -> "HTTPResponse":
    extra = observability.outgoing_headers(p.call_info)  # opt-in call id / traceparent headers
    watched = p.call_info if observability.watching(p.call_info) else None
    if p.wires is not None and not PER_ATTEMPT:  # the common case: nothing to do per attempt
        if extra:
            p.wires[index].headers.update(extra)
        return send_with_retries(p.adapter, p.wires[index], p.config, call_info=watched)

    def before(number: int) -> WireRequest:
        if needs_credentials(p.config):
            fetch_credentials(p.config)  # per attempt: a refreshed token is used by the retry
            if p.wires is None or number > 0:
                p.wires = _prepare(p)
        assert p.wires is not None
        wire = p.wires[index]
        if extra:
            wire.headers.update(extra)
        for hook in PER_ATTEMPT:
            hook(p, number, wire)
        return wire

    return send_with_retries(p.adapter, None, p.config, before, watched)  # type: ignore[arg-type]


def send(p: Plan) -> Any:
    """Send the planned call and finish it: the typed result or a stream wrapper."""
    p.start = time.time()
    for hook in PRE_SEND:
        answer = hook(p)
        if answer is not None:
            return _stream(p, None, answer=answer) if p.stream else _done(p, answer, None)
    observability.pre_call(p.call_info)
    try:
        if p.endpoint == "embedding" and len(p.parts) > 1:
            return _finish_embeddings(p)
        response = _send_part(p, 0)
    except LiteLLMError as exc:
        _failed(p, exc)
        raise
    return finish(p, response)


# ---------------------------------------------------------------------------------------------
# finish


def _failed(p: Plan, exc: BaseException) -> None:
    observability.failure(p.call_info, exc, p.start, time.time())


def _cost(p: Plan, result: Any) -> Optional[float]:
    control = p.split.control
    if control.get("input_cost_per_token") is not None or control.get("output_cost_per_token") is not None:
        from .cost import custom_token_cost

        return custom_token_cost(result, control.get("input_cost_per_token"), control.get("output_cost_per_token"))
    model = control.get("base_model") or p.model
    if p.endpoint in ("chat", "embedding", "text_completion"):
        return response_cost(result, model, p.provider)
    return endpoint_cost(p.endpoint, result, model, p.provider, p.request)


def _done(p: Plan, result: Any, response: Optional["HTTPResponse"], request_id: Optional[str] = None) -> Any:
    """Hidden params (``request_id``: the provider's), success callbacks and POST_FINISH hooks for a
    finished (non-stream) result."""
    if p.merge is not None:
        result = p.merge(result)
    hidden = result._hidden_params
    hidden.update(
        {
            "custom_llm_provider": p.provider,
            "api_base": p.config.api_base,
            "model": p.model,
            "litellm_call_id": p.call_id,
        }
    )
    if "response_cost" not in hidden or response is not None:
        hidden["response_cost"] = _cost(p, result)
    if response is not None:
        result._response_headers = response.headers  # the transport's own dict, made for this response
    if request_id is not None:
        hidden["provider_request_id"] = request_id
    for hook in POST_FINISH:  # while the call's id is current: its log lines carry it
        hook(p, result)
    observability.success(p.call_info, result, p.start, time.time())
    return result


def _parse(p: Plan, response: "HTTPResponse", part: Any) -> Any:
    return parse_body(p, WireResponse(response.status, response.headers, response.read()), part)


def parse_body(p: Plan, wire: WireResponse, part: Any) -> Any:
    """The typed result of a 2xx body (the cache keeps a chat answer's body: ``p.state["wire_body"]``)."""
    if "cache" in p.state:
        p.state["wire_body"] = wire.body
    try:
        if p.endpoint == "chat":
            return p.adapter.parse(wire, part, p.config)
        if p.endpoint == "embedding":
            return p.adapter.parse_embedding(wire, part, p.config)
        return p.adapter.parse_endpoint(wire, part, p.config)
    except LiteLLMError:
        raise
    except _PARSE_ERRORS as exc:
        raise APIConnectionError("could not parse the provider's response: %s" % exc, p.provider, p.model) from exc


def finish(p: Plan, response: "HTTPResponse") -> Any:
    """The typed result of a 2xx response (or the stream wrapper that will finish later)."""
    request_id = observability.received(p.call_info, response.headers)  # also for errors from here on
    if p.stream:
        return _stream(p, response, request_id)
    if p.endpoint == "speech":
        from .endpoint_types import SpeechResponse

        return _done(p, SpeechResponse(response, provider=p.provider, model=p.model), response, request_id)
    try:
        result = _parse(p, response, p.request)
    except LiteLLMError as exc:
        _failed(p, exc)
        raise
    return _done(p, result, response, request_id)


def _finish_embeddings(p: Plan) -> Any:
    """An embedding call the adapter split into several requests: sent in turn, merged."""
    from .types import EmbeddingResponse, Usage

    results = []
    last = None
    request_id = None
    for index, part in enumerate(p.parts):
        last = _send_part(p, index)
        request_id = observability.received(p.call_info, last.headers)
        results.append(_parse(p, last, part))
    merged = EmbeddingResponse(model=results[0].model, usage=Usage())
    assert merged.usage is not None
    for result in results:
        for item in result.data:
            item.index = len(merged.data)
            merged.data.append(item)
        if result.usage is not None:
            merged.usage.prompt_tokens += result.usage.prompt_tokens
            merged.usage.total_tokens += result.usage.total_tokens
    return _done(p, merged, last, request_id)


def _stream(p: Plan, response: Optional["HTTPResponse"], request_id: Optional[str] = None, answer: Any = None) -> Any:
    """The stream wrapper over ``response``, or replaying ``answer`` (a PRE_SEND hook's ModelResponse).

    Success callbacks and POST_FINISH run once the stream was read to its end, never after an error.
    """
    from .streaming import CustomStreamWrapper, TextCompletionStreamWrapper, estimate_usage, response_to_chunks

    text = p.endpoint == "text_completion"
    endpoint_stream = p.endpoint != "chat"  # text completions, responses: the adapter names its stream adapter
    adapter = p.adapter.endpoint_stream(p.request, p.config) if endpoint_stream else p.adapter
    state = adapter.new_stream_state(p.request, p.config) if not text else _text_state(p)
    failed: List[BaseException] = []

    def on_complete(built: Any) -> None:
        if failed:
            return
        if answer is not None:
            built._hidden_params.update(answer._hidden_params)
        else:
            if p.endpoint == "chat" and built.usage is None:  # priced from counted tokens, as LiteLLM does
                built.usage = estimate_usage(built, p.request.messages)
            built._hidden_params["response_cost"] = _cost(p, built)
        built._hidden_params["litellm_call_id"] = p.call_id
        if request_id is not None:
            built._hidden_params["provider_request_id"] = request_id
        for hook in POST_FINISH:
            hook(p, built)
        observability.success(p.call_info, built, p.start, time.time())

    def on_error(exc: BaseException) -> None:
        failed.append(exc)
        _failed(p, exc)

    whole: Optional[List[Any]] = response_to_chunks(answer) if answer is not None else None
    framing: Optional[str] = None
    replay = getattr(adapter, "replay", None) if endpoint_stream else lambda result, _: response_to_chunks(result)
    if response is not None and replay is not None:
        # Decoded by what the server sent (content type, first byte), not only by what was asked.
        from ._stream_sniff import WHOLE_BODY, sniff_stream

        try:
            response, framing = sniff_stream(response, adapter.stream_format)
            if framing == WHOLE_BODY:  # one JSON body: an error, or a whole response (replayed as a stream)
                framing = None
                whole = replay(_parse(p, response, p.request), state)
        except LiteLLMError as exc:
            _failed(p, exc)
            raise
    cls = TextCompletionStreamWrapper if text else getattr(adapter, "stream_wrapper", CustomStreamWrapper)
    wrapper = cls(
        None if whole is not None else response,
        adapter,
        state,
        model=p.model,
        provider=p.provider,
        on_complete=on_complete,
        on_error=on_error,
        on_chunk=observability.chunk_hook(p.call_info, p.start),
        chunks=whole,
        stream_format=framing,
        estimate_usage=_usage_estimator(p) if not endpoint_stream else None,
        on_close=observability.close_hook(p.call_info, p.start),
    )
    if answer is not None:
        wrapper._hidden_params.update(answer._hidden_params)
    wrapper._hidden_params["api_base"] = p.config.api_base
    wrapper._hidden_params["litellm_call_id"] = p.call_id
    if request_id is not None:
        wrapper._hidden_params["provider_request_id"] = request_id
    return wrapper


def _usage_estimator(p: Plan) -> Optional[Callable[[Any], Any]]:
    """With ``stream_options={"include_usage": True}``: usage estimated from the prompt and the
    assembled completion (token_counter), for servers that send none in the stream."""
    options = p.split.openai.get("stream_options")
    if not isinstance(options, dict) or not options.get("include_usage"):
        return None
    from .streaming import estimate_usage

    messages = p.request.messages
    return lambda built: estimate_usage(built, messages)


def _text_state(p: Plan) -> Any:
    from .providers.base import StreamState

    return StreamState(model=p.model, provider=p.provider)


def run(
    endpoint: str,
    model: Any,
    kwargs: Dict[str, Any],
    *,
    params: Optional[Dict[str, Any]] = None,
    inputs: Any = None,
    stream: bool = False,
    files: Sequence[Tuple[str, Any]] = (),
    custom_llm_provider: Optional[str] = None,
    call_info: Optional[Dict[str, Any]] = None,
) -> Any:
    """Plan, send and finish one call (see the module docstring); returns the typed result or a stream.
    Every LiteLLMError it raises carries the call's ``litellm_call_id``."""
    planned = plan(endpoint, model, kwargs, params=params, inputs=inputs, stream=stream, files=files,
                   custom_llm_provider=custom_llm_provider, call_info=call_info)
    try:
        return send(planned)
    except LiteLLMError as exc:  # also from PRE_SEND hooks, before any callback ran
        observability.stamp_error(exc, planned.call_id)
        raise


def _install_guard() -> None:
    """The cache and budget checkpoints (``call_guard``): first in PRE_SEND, first in POST_FINISH."""
    from . import call_guard

    PRE_SEND.insert(0, call_guard.pre_send)
    POST_FINISH.insert(0, call_guard.post_finish)


_install_guard()
