"""The adapter contract, provider specs, and helpers shared by the adapters.

An adapter is pure translation between an OpenAI-style request/response and one provider's
wire format. It never opens sockets, sleeps, reads ``os.environ`` or keeps module state; the
orchestrator (``main.py``) resolves configuration first and does the I/O.

Flow for one call::

    wire = adapter.prepare(request, config)            # -> WireRequest (url, headers, body)
    wire = adapter.sign(wire, config)                  # per attempt (SigV4 timestamps); default: as is
    ... transport sends it ...
    adapter.parse(response, request, config)           # 2xx body -> ModelResponse
    adapter.parse_error(response, request, config)     # non-2xx -> APIError subclass (not raised)
    adapter.parse_event(event, state)                  # one stream event -> list of chunks

Stream events come from the decoder named by ``adapter.stream_format`` ("sse", "ndjson",
"json_array" or "eventstream"), each as a :class:`StreamEvent`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from ..exceptions import APIError, error_for_status
from ..params import ALLOWED_PARAMS_OPTION
from ._common import allowed_to_body, load_json, reject_param
from .. import types as _types  # stream and embedding types are built on first use
from ..types import Usage

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple, Type

    from ..config import CallConfig
    from ..types import (
        ChatCompletionDeltaToolCall,
        ChatCompletionMessageToolCall,
        EmbeddingResponse,
        ModelResponse,
        ModelResponseStream,
    )
    from ._rare import EmbeddingRequest, EndpointRequest, StreamEvent, StreamState

__all__ = [
    "first_env",
    "ProviderSpec",
    "Quirk",
    "ENDPOINT_NAMES",
    "OPENAI_PATHS",
    "openai_endpoints",
    "EndpointRequest",
    "ChatRequest",
    "EmbeddingRequest",
    "WireRequest",
    "WireResponse",
    "StreamEvent",
    "StreamState",
    "Adapter",
    "load_json",
    "error_from_body",
    "reject_param",
    "map_finish_reason",
    "OPENAI_FINISH_REASONS",
]


class Quirk(str, Enum):
    """Named provider quirks: each switches on one small, tested branch somewhere in the code.

    - ``OPENAI_REASONING_MODELS``: o1/o3/o4/gpt-5 models take ``max_completion_tokens`` and no
      sampling parameters (read by the OpenAI adapter).
    - ``TOOL_CHOICE_REQUIRED_IS_ANY``: ``tool_choice="required"`` is sent as ``"any"`` (Mistral).
    - ``NO_STREAM_OPTIONS``: the server rejects ``stream_options``; it is left out.
    """

    OPENAI_REASONING_MODELS = "openai_reasoning_models"
    TOOL_CHOICE_REQUIRED_IS_ANY = "tool_choice_required_is_any"
    NO_STREAM_OPTIONS = "no_stream_options"


#: Endpoint names a ProviderSpec may declare in ``endpoints``.
ENDPOINT_NAMES: Tuple[str, ...] = (
    "chat",
    "embedding",
    "image_generation",
    "transcription",
    "speech",
    "moderation",
    "text_completion",
    "rerank",
    "responses",
)

#: OpenAI's paths for its endpoints (below the provider's api_base).
OPENAI_PATHS: Dict[str, str] = {
    "chat": "/chat/completions",
    "embedding": "/embeddings",
    "image_generation": "/images/generations",
    "transcription": "/audio/transcriptions",
    "speech": "/audio/speech",
    "moderation": "/moderations",
    "text_completion": "/completions",
    "rerank": "/rerank",
    "responses": "/responses",
}


def openai_endpoints(*names: str, **paths: str) -> Tuple[Tuple[str, str], ...]:
    """``endpoints`` for an OpenAI-format row: ``names`` at OpenAI's paths, ``paths`` elsewhere.

    ``openai_endpoints("chat", "embedding", text_completion="/beta/completions")``
    """
    out = [(name, OPENAI_PATHS[name]) for name in names]
    out.extend(paths.items())
    return tuple(out)


@dataclass(frozen=True)
class ProviderSpec:
    """One provider's facts, all in one row: data, not code.

    - ``name`` is the model prefix (``name/model``); ``aliases`` other prefixes that mean it.
    - ``api_key_env`` / ``api_base_env`` / ``api_version_env``: environment variables, first set wins;
      ``credential_env``: the variables of a non-key credential chain (AWS, Google, Azure AD), shown
      by the CLI.
    - ``auth``: bearer | x-api-key | api-key | x-goog-api-key | none | aws | google | azure.
    - ``endpoints``: ``(endpoint name, path)`` pairs it serves (names in :data:`ENDPOINT_NAMES`).
    - ``price_family``: another provider name whose price rows this one shares (``cohere_chat`` ->
      ``cohere``); ``registry_prefixes``: extra key prefixes its rows are stored under.
    - ``quirks``: :class:`Quirk` flags that switch on small, tested branches.
    - ``call_options``: keyword arguments that configure the call (never body fields), moved into
      ``CallConfig.options``; ``options_env``: ``(option, variables)`` pairs filling an option the
      call did not pass from the environment (first set wins).
    - ``api_base_template``: the default base URL when it depends on the caller (an account id, a
      region): ``{option}`` placeholders filled from ``CallConfig.options`` (so from ``call_options``
      keywords or ``options_env`` variables); used when no api_base was given or set.
    - ``models_api``: ``(format, path)`` of the live models listing (``models_api.FORMATS``);
      empty: the OpenAI format's ``/models`` for ``adapter="openai"`` rows, none for the others.
    - ``docs``: the vendor's API reference the row's facts were checked against.
    """

    name: str
    adapter: str = "openai"
    api_base: str = ""
    api_key_env: Tuple[str, ...] = ()
    api_base_env: Tuple[str, ...] = ()
    key_required: bool = True
    auth: str = "bearer"
    endpoints: Tuple[Tuple[str, str], ...] = (("chat", "/chat/completions"), ("embedding", "/embeddings"))
    aliases: Tuple[str, ...] = ()
    param_renames: Tuple[Tuple[str, str], ...] = ()
    unsupported_params: FrozenSet[str] = frozenset()
    headers: Tuple[Tuple[str, str], ...] = ()
    quirks: FrozenSet[Quirk] = frozenset()
    api_version_env: Tuple[str, ...] = ()
    default_api_version: Optional[str] = None
    call_options: FrozenSet[str] = frozenset()
    credential_env: Tuple[str, ...] = ()
    price_family: Optional[str] = None
    registry_prefixes: Tuple[str, ...] = ()
    docs: str = ""
    options_env: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    api_base_template: str = ""
    models_api: Tuple[str, ...] = ()

    def has(self, quirk: "Quirk | str") -> bool:
        return quirk in self.quirks

    def path(self, endpoint: str) -> Optional[str]:
        """The path of ``endpoint`` below api_base, or None when the provider does not serve it."""
        for name, path in self.endpoints:
            if name == endpoint:
                return path
        return None

    def serves(self, endpoint: str) -> bool:
        return self.path(endpoint) is not None

    @property
    def chat_path(self) -> str:
        return self.path("chat") or ""

    @property
    def embeddings_path(self) -> str:
        return self.path("embedding") or ""

    @property
    def models_endpoint(self) -> Tuple[str, str]:
        """``(format, path)`` of the live models listing; ``("", "")`` when there is none."""
        if len(self.models_api) == 2:
            return self.models_api[0], self.models_api[1]
        if self.adapter == "openai" and not self.models_api:
            return "openai", "/models"
        return "", ""

    @property
    def family(self) -> str:
        """The name price rows and the CLI group this provider under."""
        return self.price_family or self.name


@dataclass
class ChatRequest:
    """A validated OpenAI-style chat request.

    ``model`` is the id sent on the wire (provider prefix stripped). ``params`` holds only the
    OpenAI parameters the caller set (never None values), already checked by ``params.py``;
    ``extra_body`` holds provider-specific keyword arguments to merge into the body.
    """

    model: str
    messages: List[Dict[str, Any]]
    params: Dict[str, Any] = field(default_factory=dict)
    stream: bool = False
    extra_body: Dict[str, Any] = field(default_factory=dict)


@dataclass
class WireRequest:
    """An HTTP request ready to send. ``headers`` never need further auth except via ``sign``."""

    url: str
    headers: Dict[str, str]
    body: bytes
    method: str = "POST"


@dataclass
class WireResponse:
    """A received HTTP response (whole body, for non-streaming calls and errors)."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Adapter:
    """Base class of every wire-format adapter. Subclasses override what their format needs."""

    stream_format: str = "sse"
    # False when the format refuses ``tools`` (read by the README provider table).
    tools_ok: bool = True
    # True when the format requires max_tokens: the orchestrator then puts the registry's
    # max_output_tokens for the model into ``params["_default_max_tokens"]``.
    needs_default_max_tokens: bool = False
    # OpenAI chat parameters the format cannot express: refused on the road before ``prepare`` (dropped
    # with drop_params) and left out by ``get_supported_openai_params``; one declaration for both.
    unsupported_openai_params: FrozenSet[str] = frozenset()
    # Values of those parameters that ask for nothing and pass through (``n=1``, ``logprobs=False``).
    harmless_param_values: Mapping[str, Tuple[Any, ...]] = {}
    # The per-stream state :meth:`new_stream_state` makes (a format's own subclass, when it keeps more).
    #: The per-stream state class (None: the plain StreamState, built on first use).
    stream_state_class: "Optional[Type[StreamState]]" = None

    def unsupported_chat_params(self, model: str, spec: ProviderSpec) -> FrozenSet[str]:
        """The OpenAI chat parameters refused for ``model`` on the provider row ``spec``."""
        return self.unsupported_openai_params | spec.unsupported_params

    def harmless_values(self, model: str) -> Mapping[str, Tuple[Any, ...]]:
        """Values of refused parameters that are accepted anyway for ``model`` (they change nothing)."""
        return self.harmless_param_values

    def with_allowed_params(self, request: ChatRequest, config: "CallConfig") -> ChatRequest:
        """``request`` with the ``allowed_openai_params`` this format cannot express for its model
        (:meth:`unsupported_chat_params`, except :meth:`harmless_values`) moved to ``extra_body``: sent
        as top-level body fields under their OpenAI names, never refused or dropped. The road applies
        it to every chat request before ``prepare``.
        """
        if not config.options.get(ALLOWED_PARAMS_OPTION):
            return request
        model = request.model
        return allowed_to_body(request, config, self.unsupported_chat_params(model, config.spec),
                               self.harmless_values(model))

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        raise NotImplementedError  # pragma: no cover - every adapter overrides it

    def for_call(self, config: "CallConfig") -> "Adapter":
        """The adapter to use for this call (a variant may be chosen from ``config.options``)."""
        return self

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        """Add per-attempt authentication (e.g. a SigV4 signature); most formats need none."""
        return wire

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> "ModelResponse":
        raise NotImplementedError  # pragma: no cover

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        if self.stream_state_class is not None:
            return self.stream_state_class(model=request.model, provider=config.provider)
        from ._rare import StreamState

        return StreamState(model=request.model, provider=config.provider)

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        raise NotImplementedError  # pragma: no cover

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        """Chunks to emit when the byte stream ended; raise if the stream was cut short."""
        return []

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return error_from_body(response, config.provider, config.model)

    # Embeddings (optional per format).
    def split_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> List[EmbeddingRequest]:
        """The requests one ``embedding()`` call needs (more than one when the API takes one input each)."""
        return [request]

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        from ..exceptions import BadRequestError

        raise BadRequestError(
            "provider %r does not serve embeddings" % config.provider, config.provider, config.model
        )

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> "EmbeddingResponse":
        raise NotImplementedError  # pragma: no cover

    # Other endpoints (image_generation, transcription, speech, moderation, text_completion...).
    def prepare_endpoint(self, request: EndpointRequest, config: "CallConfig") -> WireRequest:
        """The wire request of an endpoint call; formats that serve none refuse it before sending."""
        from ..exceptions import BadRequestError

        if request.endpoint == "rerank" and config.spec.serves("rerank"):
            from .rerank_endpoint import prepare_rerank

            return prepare_rerank(request, config)

        raise BadRequestError(
            "provider %r does not serve %s" % (config.provider, request.endpoint), config.provider, config.model
        )

    def parse_endpoint(self, response: WireResponse, request: EndpointRequest, config: "CallConfig") -> Any:
        """The typed result of a 2xx endpoint response."""
        if request.endpoint == "rerank":
            from .rerank_endpoint import parse_rerank

            return parse_rerank(response, request, config)
        raise NotImplementedError  # pragma: no cover - only adapters whose prepare_endpoint succeeds

    def stream_decoder(self) -> Any:
        """A decoder instance for this adapter's streams, or None for the one ``stream_format`` names."""
        return None

    def endpoint_stream(self, request: EndpointRequest, config: "CallConfig") -> "Adapter":
        """The adapter decoding a streamed endpoint response (its parse_event yields that endpoint's chunks)."""
        raise NotImplementedError  # pragma: no cover - only adapters whose prepare_endpoint streams


# ---------------------------------------------------------------------------------------------
# Helpers shared by adapters


def _error_fields(payload: Any) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """(message, code, type) from the common error body shapes."""
    if isinstance(payload, list) and payload:
        payload = payload[0]
    if not isinstance(payload, dict):
        return None, None, None
    err = payload.get("error", payload)
    if isinstance(err, str):
        return err, None, None
    if not isinstance(err, dict):
        return None, None, None
    message = err.get("message") or err.get("msg") or payload.get("message") or payload.get("detail")
    if isinstance(message, (dict, list)):
        message = json.dumps(message)
    code = err.get("code")
    etype = err.get("type") or err.get("status")
    return (
        str(message) if message is not None else None,
        str(code) if code is not None else None,
        str(etype) if etype is not None else None,
    )


def error_from_body(response: WireResponse, provider: str, model: str) -> APIError:
    """Map a non-2xx response to our exception, keeping the provider's own message."""
    text = response.text()
    message: Optional[str] = None
    code = etype = None
    try:
        message, code, etype = _error_fields(json.loads(text))
    except (ValueError, RecursionError):
        pass
    if not message:
        message = text.strip()[:500] or "HTTP %d with an empty body" % response.status
    return error_for_status(
        response.status,
        message,
        provider,
        model,
        headers=dict(response.headers),
        body=text,
        code=code,
        error_type=etype,
    )


OPENAI_FINISH_REASONS = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})

_FINISH_REASON_MAP = {
    # Anthropic
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
    "model_context_window_exceeded": "length",
    # Gemini
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
    "LANGUAGE": "stop",
    "OTHER": "stop",
    "MALFORMED_FUNCTION_CALL": "stop",
    "FINISH_REASON_UNSPECIFIED": "stop",
    # Cohere
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "TOOL_CALL": "tool_calls",
    "ERROR": "stop",
    "TIMEOUT": "stop",
    # Bedrock
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
    # Ollama / misc
    "load": "stop",
    "unload": "stop",
    "eos": "stop",
    "end": "stop",
}


def map_finish_reason(reason: Optional[str]) -> Optional[str]:
    """Any provider's finish/stop reason -> OpenAI's stop/length/tool_calls/content_filter."""
    if reason is None:
        return None
    if not isinstance(reason, str):  # garbage from the wire (a list, an object, a number)
        return "stop"
    if reason in OPENAI_FINISH_REASONS:
        return "tool_calls" if reason == "function_call" else reason
    mapped = _FINISH_REASON_MAP.get(reason) or _FINISH_REASON_MAP.get(str(reason).upper())
    return mapped or "stop"


def usage_from_counts(
    prompt_tokens: Optional[int],
    completion_tokens: Optional[int],
    *,
    cached_tokens: Optional[int] = None,
    cache_creation_tokens: Optional[int] = None,
    reasoning_tokens: Optional[int] = None,
    total_tokens: Optional[int] = None,
) -> Usage:
    """A Usage with details filled in only where the provider reported them.

    ``prompt_tokens`` must already include cached and cache-creation tokens.
    """
    from ..types import CompletionTokensDetails, PromptTokensDetails

    usage = Usage(
        prompt_tokens=int(prompt_tokens or 0),
        completion_tokens=int(completion_tokens or 0),
        total_tokens=int(total_tokens or 0),
    )
    if cached_tokens is not None or cache_creation_tokens is not None:
        usage.prompt_tokens_details = PromptTokensDetails(
            cached_tokens=cached_tokens, cache_creation_tokens=cache_creation_tokens
        )
        usage.cache_read_input_tokens = cached_tokens
        usage.cache_creation_input_tokens = cache_creation_tokens
    if reasoning_tokens is not None:
        usage.completion_tokens_details = CompletionTokensDetails(reasoning_tokens=reasoning_tokens)
    return usage


def tool_call(call_id: str, name: str, arguments: Any) -> ChatCompletionMessageToolCall:
    """A complete tool call; ``arguments`` given as an object is serialised to a JSON string."""
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments if arguments is not None else {})
    return _types.ChatCompletionMessageToolCall(id=call_id, type="function", function=_types.Function(name=name, arguments=arguments))


def delta_tool_call(
    index: int, call_id: Optional[str] = None, name: Optional[str] = None, arguments: str = ""
) -> ChatCompletionDeltaToolCall:
    """A tool-call fragment for a stream chunk (id and name only on the first fragment)."""
    return _types.ChatCompletionDeltaToolCall(
        index=index,
        id=call_id,
        type="function" if call_id else None,
        function=_types.Function(name=name, arguments=arguments),
    )


def join_url(base: str, path: str) -> str:
    """``base`` + ``path`` without doubling the slash; a base that already ends in ``path`` is kept."""
    base = base.rstrip("/")
    if path and base.endswith(path.rstrip("/")):
        return base
    return base + "/" + path.lstrip("/") if path else base


def first_env(names: Iterable[str], environ: Mapping[str, str]) -> Optional[str]:
    """The value of the first of ``names`` set (non-empty) in ``environ``, else None."""
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None


def json_object(value: Any) -> Dict[str, Any]:
    """``value`` if it is a JSON object, else an empty dict (odd payload shapes never raise)."""
    return value if isinstance(value, dict) else {}


def token_count(value: Any) -> Optional[int]:
    """A token count from a payload: ints and finite floats; None for anything else."""
    if type(value) is int:  # the common case first (bool is not int here)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value == value and abs(value) != float("inf"):  # not NaN or infinite
        return int(value)
    return None


def text_of(content: Any) -> str:
    """The text of an OpenAI message ``content`` (string, or list of parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict) and part.get("type", "text") == "text"
        )
    return str(content)


_RARE = frozenset({"EmbeddingRequest", "EndpointRequest", "StreamEvent", "StreamState"})


def __getattr__(name: str) -> Any:
    """The request and stream types a plain chat call never uses (``_rare.py``), built on first use."""
    if name in _RARE:
        from . import _rare

        value = getattr(_rare, name)
        globals()[name] = value
        return value
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
