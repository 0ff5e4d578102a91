"""The orchestrator: ``completion()`` and ``embedding()``. No provider-specific branches live here."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from . import call_guard, observability
from .config import CallConfig, resolve_config
from .cost import response_cost
from .exceptions import APIConnectionError, BadRequestError, LiteLLMError
from .params import CONFIG_KWARGS, IGNORED_KWARGS, split_kwargs, validate_messages, validate_params
from .providers import get_adapter, get_spec
from .providers.base import Adapter, ChatRequest, EmbeddingRequest, WireRequest, WireResponse
from .registry import lookup
from .resolve import split_model
from .retry import Retry
from .streaming import CustomStreamWrapper, mock_stream_chunks, response_to_chunks
from .types import Choices, EmbeddingResponse, Message, ModelResponse, Usage

if TYPE_CHECKING:  # pragma: no cover
    from ._http import HTTPResponse

__all__ = ["completion", "embedding", "send_with_retries"]

logger = logging.getLogger("litellm_lite")

def _transport() -> Any:
    """``_http``, imported on the first request (it loads urllib.request, http.client and ssl)."""
    global _http_module
    if _http_module is None:
        from . import _http

        _http_module = _http
    return _http_module


_http_module: Any = None
# One frozen Retry per num_retries value: building (and validating) one per call is measurable.
_policies: Dict[int, Retry] = {}


def _default_max_tokens(model: str, provider: str) -> Optional[int]:
    spec = lookup(model, provider)  # never raises
    if spec is None:
        return None
    value = getattr(spec, "max_output_tokens", None) or getattr(spec, "max_tokens", None)
    return int(value) if isinstance(value, (int, float)) and value > 0 else None


def send_with_retries(
    adapter: Adapter,
    wire: WireRequest,
    config: CallConfig,
) -> "HTTPResponse":
    """Send ``wire`` (signed afresh per attempt) with the retry policy; a 2xx response is returned.

    A non-2xx response is read, mapped by the adapter's ``parse_error`` and raised (after retries
    when its class is retryable).
    """
    _http = _transport()
    policy = _policies.get(config.num_retries)
    if policy is None:
        policy = _policies[config.num_retries] = Retry(total=config.num_retries)

    def attempt(number: int) -> "HTTPResponse":
        signed = adapter.sign(wire, config)
        logger.debug("POST %s (%s, attempt %d)", signed.url.split("?")[0], config.provider, number + 1)
        response: "HTTPResponse" = _http.send(
            signed,
            timeout=config.timeout,
            ssl_verify=config.ssl_verify,
            provider=config.provider,
            model=config.model,
        )
        if 200 <= response.status < 300:
            return response
        body = response.read()
        error = adapter.parse_error(WireResponse(response.status, response.headers, body), config)
        raise error

    def on_retry(number: int, error: BaseException, delay: float) -> None:
        logger.info("retrying %s/%s after %s (attempt %d, sleeping %.2fs)", config.provider, config.model, type(error).__name__, number + 1, delay)

    return policy.run(attempt, on_retry=on_retry)


def _mock_completion(
    model: str, messages: List[Dict[str, Any]], mock_response: Any, stream: bool
) -> Union[ModelResponse, CustomStreamWrapper]:
    if isinstance(mock_response, BaseException):
        raise mock_response
    if isinstance(mock_response, ModelResponse):
        return mock_response
    text = str(mock_response)
    if stream:
        chunks = mock_stream_chunks(text, model)
        return CustomStreamWrapper(None, _NullAdapter(), None, model=model, provider="mock", chunks=chunks)  # type: ignore[arg-type]
    prompt_chars = sum(len(str(m.get("content") or "")) for m in messages)
    usage = Usage(prompt_tokens=max(1, prompt_chars // 4), completion_tokens=max(1, len(text) // 4))
    response = ModelResponse(model=model, choices=[Choices(message=Message(content=text))], usage=usage)
    response._hidden_params["custom_llm_provider"] = "mock"
    return response


class _NullAdapter(Adapter):
    """Adapter for streams that are already decoded (mock responses)."""

    stream_format = "sse"


def completion(
    model: str,
    messages: Optional[List[Dict[str, Any]]] = None,
    *,
    stream: bool = False,
    api_base: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    extra_headers: Optional[Dict[str, str]] = None,
    drop_params: Optional[bool] = None,
    mock_response: Any = None,
    custom_llm_provider: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> Any:
    """Call any provider's chat model in OpenAI's format; returns ModelResponse or a CustomStreamWrapper.

    OpenAI parameters (temperature, top_p, n, stop, max_tokens, max_completion_tokens, seed,
    presence_penalty, frequency_penalty, logit_bias, logprobs, top_logprobs, user, tools,
    tool_choice, parallel_tool_calls, response_format, stream_options, reasoning_effort) are
    keyword arguments; other keyword arguments are provider-specific and sent in the body.
    """
    if messages is None:
        messages = kwargs.pop("input", None)
    fallbacks = kwargs.pop("fallbacks", None)
    context_window_fallback_dict = kwargs.pop("context_window_fallback_dict", None)
    if fallbacks or context_window_fallback_dict:
        from .fallbacks import completion_with_fallbacks

        return completion_with_fallbacks(
            completion,
            dict(
                model=model, messages=messages, stream=stream, api_base=api_base, base_url=base_url, api_key=api_key,
                api_version=api_version, timeout=timeout, num_retries=num_retries, extra_headers=extra_headers,
                drop_params=drop_params, mock_response=mock_response, custom_llm_provider=custom_llm_provider,
                metadata=metadata, **kwargs,
            ),
            fallbacks=list(fallbacks or []),
            context_window_fallback_dict=dict(context_window_fallback_dict or {}),
        )
    if not isinstance(stream, bool):
        raise BadRequestError("stream must be True or False", "", str(model))
    controls = call_guard.pop_controls(kwargs)  # cache / budget keywords: never sent
    params, rest = split_kwargs(kwargs)
    clean_messages = validate_messages(messages, str(model))
    validate_params(params, str(model))
    if mock_response is not None:
        return _mock_completion(str(model), clean_messages, mock_response, stream)

    provider, model_id = split_model(model, custom_llm_provider)
    spec = get_spec(provider)
    assert spec is not None
    config_kwargs: Dict[str, Any] = {
        "api_base": api_base or base_url,
        "api_key": api_key,
        "api_version": api_version,
        "timeout": timeout,
        "num_retries": num_retries,
        "extra_headers": extra_headers,
        "drop_params": drop_params,
    }
    for key in list(rest):
        if key in CONFIG_KWARGS:
            config_kwargs[key] = rest.pop(key)
    provider_kwargs = {k: v for k, v in rest.items() if k not in IGNORED_KWARGS}
    config_kwargs.update(provider_kwargs)
    config = resolve_config(spec, model_id, config_kwargs)
    # What the resolvers did not consume is provider-specific body content.
    extra_body = {k: v for k, v in config_kwargs.items() if k in provider_kwargs}
    if isinstance(extra_body.get("extra_body"), dict):
        extra_body.update(extra_body.pop("extra_body"))

    adapter = get_adapter(spec.adapter).for_call(config)
    if adapter.needs_default_max_tokens:
        default_max = _default_max_tokens(model_id, provider)
        if default_max is not None:
            params["_default_max_tokens"] = default_max
    request = ChatRequest(model=model_id, messages=clean_messages, params=params, stream=stream, extra_body=extra_body)
    wire = adapter.prepare(request, config)
    # -- cache and budget checkpoint (before sending) --
    guard = call_guard.before(
        "completion", dict(kwargs, messages=clean_messages, api_version=api_version, extra_headers=extra_headers, metadata=metadata, **controls),
        provider=provider, model=model_id, api_base=config.api_base, stream=stream,
    )
    if guard.hit:
        return guard.cached()

    hooks = observability
    call_info: Dict[str, Any] = {
        "model": model_id,
        "provider": provider,
        "messages": clean_messages,
        "stream": stream,
        "api_base": config.api_base,
        "metadata": metadata,
        "optional_params": {k: v for k, v in params.items() if not k.startswith("_")},
    }
    start = time.time()
    hooks.pre_call(call_info)
    try:
        http_response = send_with_retries(adapter, wire, config)
    except LiteLLMError as exc:
        hooks.failure(call_info, exc, start, time.time())
        raise

    if stream:
        state = adapter.new_stream_state(request, config)

        def on_complete(built: ModelResponse) -> None:
            built._hidden_params["response_cost"] = response_cost(built, model_id, provider)
            hooks.success(call_info, built, start, time.time())

        def on_error(exc: BaseException) -> None:
            hooks.failure(call_info, exc, start, time.time())

        on_chunk = None
        if hooks.wants_stream_events():

            def on_chunk(chunk: Any) -> None:
                hooks.stream_event(call_info, chunk, start, time.time())

        whole: Optional[List[Any]] = None
        if adapter.stream_format == "sse" and http_response.headers.get("content-type", "").startswith("application/json"):
            # The server answered the stream request with one JSON body: an error, or a whole response.
            try:
                whole = response_to_chunks(
                    adapter.parse(WireResponse(http_response.status, http_response.headers, http_response.read()), request, config)
                )
            except LiteLLMError as exc:
                hooks.failure(call_info, exc, start, time.time())
                raise
        wrapper = CustomStreamWrapper(
            None if whole is not None else http_response,
            adapter,
            state,
            model=model_id,
            provider=provider,
            chunks=whole,
            **guard.stream_hooks(on_complete=on_complete, on_chunk=on_chunk, on_error=on_error),
        )
        wrapper._hidden_params["api_base"] = config.api_base
        return wrapper

    try:
        body = http_response.read()
        result = adapter.parse(WireResponse(http_response.status, http_response.headers, body), request, config)
    except LiteLLMError as exc:
        hooks.failure(call_info, exc, start, time.time())
        raise
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError, RecursionError) as exc:
        error = APIConnectionError("could not parse the provider's response: %s" % exc, provider, model_id)
        hooks.failure(call_info, error, start, time.time())
        raise error from exc
    result._hidden_params.update(
        {
            "custom_llm_provider": provider,
            "api_base": config.api_base,
            "model": model_id,
            "response_cost": response_cost(result, model_id, provider),
        }
    )
    result._response_headers = dict(http_response.headers)
    hooks.success(call_info, result, start, time.time())
    return guard.finish(result)  # -- cache store and spend (after finishing) --


def embedding(
    model: str,
    input: Any = None,
    *,
    dimensions: Optional[int] = None,
    encoding_format: Optional[str] = None,
    input_type: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    extra_headers: Optional[Dict[str, str]] = None,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    user: Optional[str] = None,
    **kwargs: Any,
) -> EmbeddingResponse:
    """Embed text(s): returns EmbeddingResponse with ``data[i].embedding`` vectors."""
    if isinstance(input, str):
        inputs: List[Any] = [input]
    elif isinstance(input, list) and input:
        inputs = list(input)
    else:
        raise BadRequestError("input must be a string or a non-empty list", "", str(model))
    if mock_response is not None:
        if isinstance(mock_response, BaseException):
            raise mock_response
        from .types import EmbeddingData

        vector = list(mock_response) if isinstance(mock_response, list) else [0.0, 0.0, 0.0]
        return EmbeddingResponse(
            data=[EmbeddingData(embedding=list(vector), index=i) for i in range(len(inputs))],
            model=str(model),
            usage=Usage(prompt_tokens=len(inputs)),
        )
    controls = call_guard.pop_controls(kwargs)  # cache / budget keywords: never sent
    provider, model_id = split_model(model, custom_llm_provider)
    spec = get_spec(provider)
    assert spec is not None
    params: Dict[str, Any] = {}
    if dimensions is not None:
        params["dimensions"] = dimensions
    if encoding_format is not None:
        params["encoding_format"] = encoding_format
    if input_type is not None:
        params["input_type"] = input_type
    if user is not None:
        params["user"] = user
    config_kwargs: Dict[str, Any] = {
        "api_base": api_base or kwargs.pop("base_url", None),
        "api_key": api_key,
        "api_version": api_version,
        "timeout": timeout,
        "num_retries": num_retries,
        "extra_headers": extra_headers,
    }
    rest = {k: v for k, v in kwargs.items() if k not in IGNORED_KWARGS}
    config_kwargs.update(rest)
    config = resolve_config(spec, model_id, config_kwargs)
    extra_body = {k: v for k, v in config_kwargs.items() if k in rest}
    adapter = get_adapter(spec.adapter).for_call(config)
    # -- cache and budget checkpoint (before sending): only the inputs not cached are sent --
    guard = call_guard.before_embeddings(
        dict(kwargs, input=inputs, api_version=api_version, extra_headers=extra_headers, **params, **controls),
        provider=provider, model=model_id, api_base=config.api_base,
    )
    if guard.all_hit:
        return guard.finish(None)  # type: ignore[no-any-return]
    inputs = guard.inputs_to_send(inputs)
    request = EmbeddingRequest(model=model_id, input=inputs, params=params, extra_body=extra_body)
    parts = adapter.split_embedding(request, config)
    wires = [adapter.prepare_embedding(part, config) for part in parts]  # all checked before sending
    hooks = observability
    call_info: Dict[str, Any] = {
        "model": model_id,
        "provider": provider,
        "input": inputs,
        "call_type": "embedding",
        "api_base": config.api_base,
        "metadata": kwargs.get("metadata"),
        "optional_params": dict(params),
    }
    start = time.time()
    hooks.pre_call(call_info)
    try:
        results = []
        for part, wire in zip(parts, wires):
            http_response = send_with_retries(adapter, wire, config)
            body = http_response.read()
            try:
                results.append(
                    adapter.parse_embedding(WireResponse(http_response.status, http_response.headers, body), part, config)
                )
            except (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError, RecursionError) as exc:
                raise APIConnectionError("could not parse the provider's embeddings: %s" % exc, provider, model_id) from exc
        result = results[0] if len(results) == 1 else _merge_embeddings(results)
    except LiteLLMError as exc:
        hooks.failure(call_info, exc, start, time.time())
        raise
    result._hidden_params.update(
        {"custom_llm_provider": provider, "model": model_id, "response_cost": response_cost(result, model_id, provider)}
    )
    hooks.success(call_info, result, start, time.time())
    return guard.finish(result)  # type: ignore[no-any-return]  # -- cache store and spend (after finishing) --


def _merge_embeddings(results: List[EmbeddingResponse]) -> EmbeddingResponse:
    """One response from the per-part responses of a split call: data re-indexed, usage added up."""
    merged = EmbeddingResponse(model=results[0].model, usage=Usage())
    assert merged.usage is not None
    for result in results:
        for item in result.data:
            item.index = len(merged.data)
            merged.data.append(item)
        if result.usage is not None:
            merged.usage.prompt_tokens += result.usage.prompt_tokens
            merged.usage.total_tokens += result.usage.total_tokens
    return merged
