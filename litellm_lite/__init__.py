"""litellm_lite: LiteLLM's ``completion()`` over every major LLM provider, on the standard library alone.

``import litellm_lite as litellm`` works for the common cases::

    import litellm_lite as litellm
    r = litellm.completion(model="deepseek/deepseek-chat", messages=[{"role": "user", "content": "Hi"}])
    print(r.choices[0].message.content)

Names are loaded on first use (PEP 562), so importing the package costs almost nothing.
Module-level settings (``litellm_lite.num_retries = 3``, ``drop_params``, ``api_key``,
``request_timeout``, ``call_timeout``, ``max_response_bytes``, ``max_retry_delay``, ``callbacks``,
``success_callback``, ``failure_callback``, ``model_alias_map``, ``cache``, ``max_budget``,
``budget_duration``) are read at call time.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

__version__ = "0.1.0"

# Module-level settings, as in LiteLLM. Read by config.py / observability.py at call time.
api_key: Optional[str] = None
api_base: Optional[str] = None
num_retries: Optional[int] = None
request_timeout: float = 600.0
drop_params: bool = False
ssl_verify: Any = None
call_timeout: Optional[float] = None  # whole-call deadline, seconds (None: none)
max_response_bytes: Optional[int] = None  # None: 64 MiB (config.Settings)
max_retry_delay: Optional[float] = None  # cap on Retry-After waits; None: 60 s (config.Settings)
callbacks: List[Any] = []
success_callback: List[Any] = []
failure_callback: List[Any] = []
set_verbose: bool = False
suppress_debug_info: bool = False
model_alias_map: Dict[str, str] = {}  # read by resolve.split_model: {"alias": "provider/model"}
# Observability (see README "Observability"): all off by default.
enable_metrics: bool = False  # count calls in litellm_lite.metrics_snapshot() / render_prometheus()
# Read by observability.outgoing_headers() / attempt(), which the orchestrator calls per attempt:
send_call_id_header: bool = False  # send the call id to the provider as x-litellm-call-id
propagate_traceparent: bool = False  # with enable_otel(): send the call span's W3C traceparent
log_bodies: bool = False  # DEBUG attempt lines include the (redacted, truncated) bodies
# Caching and budgets (caching.py, budget.py), read at call time.
cache: Any = None
max_budget: Optional[float] = None
budget_duration: Optional[str] = None

# The public names as a type checker sees them (tests/api/test_init.py checks this block and the lazy
# tables below name the same objects).
if TYPE_CHECKING:  # pragma: no cover - what a type checker sees; at run time the names load lazily
    from ._pool import (
        pool_stats as pool_stats,
    )
    from .async_api import (
        acompletion as acompletion,
        aembedding as aembedding,
    )
    from .batch import (
        batch_completion as batch_completion,
        batch_completion_models as batch_completion_models,
        batch_completion_models_all_responses as batch_completion_models_all_responses,
        completion_with_retries as completion_with_retries,
    )
    from .budget import (
        Budget as Budget,
        BudgetExceededError as BudgetExceededError,
        check_budget as check_budget,
        record_spend as record_spend,
        reset_spend as reset_spend,
        set_budget as set_budget,
        spend as spend,
    )
    from .budget_manager import (
        BudgetManager as BudgetManager,
    )
    from .caching import (
        Cache as Cache,
        disable_cache as disable_cache,
        enable_cache as enable_cache,
        update_cache as update_cache,
    )
    from .client import (
        Client as Client,
    )
    from .config import (
        CallConfig as CallConfig,
    )
    from .config_errors import (
        ConfigError as ConfigError,
        YAMLError as YAMLError,
    )
    from .config_file import (
        ConfigFile as ConfigFile,
        load_config as load_config,
    )
    from .correlation import (
        CallIdFilter as CallIdFilter,
        current_call_id as current_call_id,
        provider_request_id as provider_request_id,
    )
    from .cost import (
        completion_cost as completion_cost,
        cost_per_token as cost_per_token,
        response_cost as response_cost,
    )
    from .endpoint_types import (
        ImageObject as ImageObject,
        ImageResponse as ImageResponse,
        ImageUsage as ImageUsage,
        ModerationResponse as ModerationResponse,
        ModerationResult as ModerationResult,
        TextChoices as TextChoices,
        TextCompletionResponse as TextCompletionResponse,
        TranscriptionResponse as TranscriptionResponse,
    )
    from .endpoints import (
        SpeechResponse as HttpxBinaryResponseContent,
        SpeechResponse as SpeechResponse,
        TextCompletionStreamWrapper as TextCompletionStreamWrapper,
        image_generation as image_generation,
        moderation as moderation,
        speech as speech,
        text_completion as text_completion,
        transcription as transcription,
    )
    from .environment import (
        check_valid_key as check_valid_key,
        validate_environment as validate_environment,
    )
    from .exceptions import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        AuthenticationError as AuthenticationError,
        BadGatewayError as BadGatewayError,
        BadRequestError as BadRequestError,
        ContentPolicyViolationError as ContentPolicyViolationError,
        ContextWindowExceededError as ContextWindowExceededError,
        InternalServerError as InternalServerError,
        LiteLLMError as LiteLLMError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        ServiceUnavailableError as ServiceUnavailableError,
        Timeout as Timeout,
        UnprocessableEntityError as UnprocessableEntityError,
        UnsupportedParamsError as UnsupportedParamsError,
    )
    from .main import (
        completion as completion,
        embedding as embedding,
    )
    from .metrics import (
        metrics_snapshot as metrics_snapshot,
        render_prometheus as render_prometheus,
        reset_metrics as reset_metrics,
    )
    from .models_api import (
        get_valid_models as get_valid_models,
        list_models as list_models,
    )
    from .observability import (
        CustomLogger as CustomLogger,
    )
    from .provider_config import (
        Capabilities as Capabilities,
        ProviderConfig as ProviderConfig,
    )
    from .providers import (
        PROVIDERS as provider_list,
        register_provider as register_provider,
    )
    from .providers.base import (
        ProviderSpec as ProviderSpec,
    )
    from .registry import (
        ModelFeature as ModelFeature,
        ModelNotFoundError as ModelNotFoundError,
        ModelSpec as ModelSpec,
        get_max_tokens as get_max_tokens,
        get_model_info as get_model_info,
        get_model_spec as get_model_spec,
        get_models_with_feature as get_models_with_feature,
        model_cost as model_cost,
        register_model as register_model,
        supports_audio_input as supports_audio_input,
        supports_audio_output as supports_audio_output,
        supports_function_calling as supports_function_calling,
        supports_parallel_function_calling as supports_parallel_function_calling,
        supports_pdf_input as supports_pdf_input,
        supports_prompt_caching as supports_prompt_caching,
        supports_reasoning as supports_reasoning,
        supports_response_schema as supports_response_schema,
        supports_system_messages as supports_system_messages,
        supports_tool_choice as supports_tool_choice,
        supports_vision as supports_vision,
        supports_web_search as supports_web_search,
    )
    from .rerank_api import (
        arerank as arerank,
        rerank as rerank,
    )
    from .rerank_wire import (
        RerankResponse as RerankResponse,
    )
    from .resolve import (
        get_llm_provider as get_llm_provider,
    )
    from .responses_api import (
        ResponseAPIUsage as ResponseAPIUsage,
        ResponsesAPIResponse as ResponsesAPIResponse,
        ResponsesAPIStreamEvents as ResponsesAPIStreamEvents,
        ResponsesStream as ResponsesStream,
        aresponses as aresponses,
        responses as responses,
    )
    from .router import (
        HealthStatus as HealthStatus,
        Router as Router,
        RouterRateLimitError as RouterRateLimitError,
        health_check as health_check,
    )
    from .streaming import (
        CustomStreamWrapper as CustomStreamWrapper,
        stream_chunk_builder as stream_chunk_builder,
    )
    from .supported import (
        get_supported_openai_params as get_supported_openai_params,
    )
    from .tokens import (
        decode as decode,
        encode as encode,
        token_counter as token_counter,
    )
    from .tracing import (
        disable_otel as disable_otel,
        enable_otel as enable_otel,
    )
    from .types import (
        ChatCompletionDeltaToolCall as ChatCompletionDeltaToolCall,
        ChatCompletionMessageToolCall as ChatCompletionMessageToolCall,
        Choices as Choices,
        CompletionTokensDetails as CompletionTokensDetails,
        Delta as Delta,
        EmbeddingData as EmbeddingData,
        EmbeddingResponse as EmbeddingResponse,
        Function as Function,
        Message as Message,
        ModelResponse as ModelResponse,
        ModelResponseStream as ModelResponseStream,
        PromptTokensDetails as PromptTokensDetails,
        StreamingChoices as StreamingChoices,
        Usage as Usage,
    )

# public name -> (submodule, attribute)
_LAZY: Dict[str, Tuple[str, str]] = {
    "completion": ("main", "completion"),
    "embedding": ("main", "embedding"),
    "stream_chunk_builder": ("streaming", "stream_chunk_builder"),
    "CustomStreamWrapper": ("streaming", "CustomStreamWrapper"),
    "get_llm_provider": ("resolve", "get_llm_provider"),
    "provider_list": ("providers", "PROVIDERS"),
    "register_provider": ("providers", "register_provider"),
    "ProviderSpec": ("providers.base", "ProviderSpec"),
    "CallConfig": ("config", "CallConfig"),
    "list_models": ("models_api", "list_models"),
    "get_valid_models": ("models_api", "get_valid_models"),
    "RerankResponse": ("rerank_wire", "RerankResponse"),
}
for _name in (
    "ModelResponse", "ModelResponseStream", "Choices", "StreamingChoices", "Message", "Delta", "Usage",
    "ChatCompletionMessageToolCall", "ChatCompletionDeltaToolCall", "Function", "PromptTokensDetails",
    "CompletionTokensDetails", "EmbeddingResponse", "EmbeddingData",
):
    _LAZY[_name] = ("types", _name)
for _name in (
    "LiteLLMError", "APIError", "APIConnectionError", "Timeout", "BadRequestError", "ContextWindowExceededError",
    "ContentPolicyViolationError", "UnsupportedParamsError", "AuthenticationError", "PermissionDeniedError",
    "NotFoundError", "UnprocessableEntityError", "RateLimitError", "InternalServerError", "BadGatewayError",
    "ServiceUnavailableError",
):
    _LAZY[_name] = ("exceptions", _name)
_OPTIONAL: Dict[str, Tuple[str, str]] = {}


def _register_optional(module: str, names: Tuple[str, ...]) -> None:
    for name in names:
        _OPTIONAL[name] = (module, name)


_register_optional(
    "registry",
    (
        "model_cost", "get_model_info", "register_model", "get_max_tokens", "supports_function_calling",
        "supports_parallel_function_calling", "supports_tool_choice", "supports_vision", "supports_reasoning",
        "supports_response_schema", "supports_prompt_caching", "supports_pdf_input", "supports_system_messages",
        "supports_web_search", "ModelSpec", "ModelFeature", "get_models_with_feature",
    ),
)
_register_optional("registry", ("supports_audio_input", "supports_audio_output", "ModelNotFoundError", "get_model_spec"))
_register_optional("cost", ("cost_per_token", "completion_cost", "response_cost"))
_register_optional("tokens", ("token_counter",))
_register_optional(
    "endpoints",
    ("image_generation", "transcription", "speech", "moderation", "text_completion", "SpeechResponse",
     "TextCompletionStreamWrapper"),
)
_register_optional(
    "endpoint_types",
    ("ImageResponse", "ImageObject", "ImageUsage", "TranscriptionResponse", "ModerationResponse", "ModerationResult",
     "TextCompletionResponse", "TextChoices"),
)
_OPTIONAL["HttpxBinaryResponseContent"] = ("endpoints", "SpeechResponse")  # LiteLLM's name
_register_optional("router", ("Router", "HealthStatus", "health_check", "RouterRateLimitError"))
_register_optional("observability", ("CustomLogger",))
_register_optional("metrics", ("metrics_snapshot", "reset_metrics", "render_prometheus"))
_register_optional("tracing", ("enable_otel", "disable_otel"))
_register_optional("correlation", ("CallIdFilter", "current_call_id", "provider_request_id"))
_register_optional("async_api", ("acompletion", "aembedding"))
_register_optional("rerank_api", ("rerank", "arerank"))
_register_optional(
    "batch",
    ("batch_completion", "batch_completion_models", "batch_completion_models_all_responses", "completion_with_retries"),
)
_register_optional("tokens", ("encode", "decode"))
_register_optional("environment", ("validate_environment", "check_valid_key"))
_register_optional("supported", ("get_supported_openai_params",))

_register_optional(
    "responses_api",
    ("ResponsesAPIResponse", "ResponseAPIUsage", "ResponsesAPIStreamEvents", "ResponsesStream", "responses", "aresponses"),
)
# Submodules reachable as attributes before anyone imported them (``litellm.utils.get_model_info``),
# under the paths LiteLLM's documentation imports from.
_SUBMODULES = frozenset({"utils", "exceptions", "types", "integrations", "caching"})
_register_optional("client", ("Client",))
_register_optional("provider_config", ("ProviderConfig", "Capabilities"))
_register_optional("config_file", ("load_config", "ConfigFile"))
_register_optional("config_errors", ("ConfigError", "YAMLError"))
_register_optional("caching", ("Cache", "enable_cache", "disable_cache", "update_cache"))
_register_optional("budget", ("BudgetExceededError", "Budget", "set_budget", "check_budget", "record_spend", "spend", "reset_spend"))
_register_optional("budget_manager", ("BudgetManager",))
_register_optional("_pool", ("pool_stats",))

# Kept literal for tools; tests/api/test_init.py checks it matches the lazy tables.
__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "Budget",
    "BudgetExceededError",
    "BudgetManager",
    "Cache",
    "CallConfig",
    "CallIdFilter",
    "Capabilities",
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "Client",
    "CompletionTokensDetails",
    "ConfigError",
    "ConfigFile",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "CustomLogger",
    "CustomStreamWrapper",
    "Delta",
    "EmbeddingData",
    "EmbeddingResponse",
    "Function",
    "HealthStatus",
    "HttpxBinaryResponseContent",
    "ImageObject",
    "ImageResponse",
    "ImageUsage",
    "InternalServerError",
    "LiteLLMError",
    "Message",
    "ModelFeature",
    "ModelNotFoundError",
    "ModelResponse",
    "ModelResponseStream",
    "ModelSpec",
    "ModerationResponse",
    "ModerationResult",
    "NotFoundError",
    "PermissionDeniedError",
    "PromptTokensDetails",
    "ProviderConfig",
    "ProviderSpec",
    "RateLimitError",
    "RerankResponse",
    "ResponseAPIUsage",
    "ResponsesAPIResponse",
    "ResponsesAPIStreamEvents",
    "ResponsesStream",
    "Router",
    "RouterRateLimitError",
    "ServiceUnavailableError",
    "SpeechResponse",
    "StreamingChoices",
    "TextChoices",
    "TextCompletionResponse",
    "TextCompletionStreamWrapper",
    "Timeout",
    "TranscriptionResponse",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
    "Usage",
    "YAMLError",
    "__version__",
    "acompletion",
    "aembedding",
    "arerank",
    "aresponses",
    "batch_completion",
    "batch_completion_models",
    "batch_completion_models_all_responses",
    "check_budget",
    "check_valid_key",
    "completion",
    "completion_cost",
    "completion_with_retries",
    "cost_per_token",
    "current_call_id",
    "decode",
    "disable_cache",
    "disable_otel",
    "embedding",
    "enable_cache",
    "enable_otel",
    "encode",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_info",
    "get_model_spec",
    "get_models_with_feature",
    "get_supported_openai_params",
    "get_valid_models",
    "health_check",
    "image_generation",
    "list_models",
    "load_config",
    "metrics_snapshot",
    "model_cost",
    "moderation",
    "pool_stats",
    "provider_list",
    "provider_request_id",
    "record_spend",
    "register_model",
    "register_provider",
    "render_prometheus",
    "rerank",
    "reset_metrics",
    "reset_spend",
    "response_cost",
    "responses",
    "set_budget",
    "speech",
    "spend",
    "stream_chunk_builder",
    "supports_audio_input",
    "supports_audio_output",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_pdf_input",
    "supports_prompt_caching",
    "supports_reasoning",
    "supports_response_schema",
    "supports_system_messages",
    "supports_tool_choice",
    "supports_vision",
    "supports_web_search",
    "text_completion",
    "token_counter",
    "transcription",
    "update_cache",
    "validate_environment",
]


def __getattr__(name: str) -> Any:
    if name == "_current_cost":  # LiteLLM's running total, a live value
        return importlib.import_module(".budget", __name__).current_cost()
    if name in _SUBMODULES:
        try:
            return importlib.import_module("." + name, __name__)
        except ModuleNotFoundError as exc:
            if exc.name != "%s.%s" % (__name__, name):
                raise
            raise AttributeError("module %r has no attribute %r" % (__name__, name)) from None
    target = _LAZY.get(name) or _OPTIONAL.get(name)
    if target is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    module = importlib.import_module("." + target[0], __name__)
    value = getattr(module, target[1])
    if name != "model_cost":  # model_cost is a live view; everything else can be cached
        globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
