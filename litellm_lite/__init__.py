"""litellm_lite: LiteLLM's ``completion()`` over every major LLM provider, on the standard library alone.

``import litellm_lite as litellm`` works for the common cases::

    import litellm_lite as litellm
    r = litellm.completion(model="deepseek/deepseek-chat", messages=[{"role": "user", "content": "Hi"}])
    print(r.choices[0].message.content)

Names are loaded on first use (PEP 562), so importing the package costs almost nothing.
Module-level settings (``litellm_lite.num_retries = 3``, ``drop_params``, ``api_key``,
``request_timeout``, ``callbacks``, ``success_callback``, ``failure_callback``, ``cache``,
``max_budget``, ``budget_duration``) are read at call time.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, List, Optional, Tuple

__version__ = "0.1.0"

# Module-level settings, as in LiteLLM. Read by config.py / observability.py at call time.
api_key: Optional[str] = None
api_base: Optional[str] = None
num_retries: Optional[int] = None
request_timeout: float = 600.0
drop_params: bool = False
ssl_verify: Any = None
callbacks: List[Any] = []
success_callback: List[Any] = []
failure_callback: List[Any] = []
set_verbose: bool = False
suppress_debug_info: bool = False
# Caching and budgets (caching.py, budget.py), read at call time.
cache: Any = None
max_budget: Optional[float] = None
budget_duration: Optional[str] = None

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
_register_optional("async_api", ("acompletion", "aembedding"))
_register_optional("batch", ("batch_completion",))
_register_optional("caching", ("Cache", "enable_cache", "disable_cache", "update_cache"))
_register_optional("budget", ("BudgetExceededError", "Budget", "set_budget", "check_budget", "record_spend", "spend", "reset_spend"))
_register_optional("budget_manager", ("BudgetManager",))

# Kept literal for tools; tests/test_init.py checks it matches the lazy tables.
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
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetails",
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
    "ProviderSpec",
    "RateLimitError",
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
    "__version__",
    "acompletion",
    "aembedding",
    "batch_completion",
    "check_budget",
    "completion",
    "completion_cost",
    "cost_per_token",
    "disable_cache",
    "embedding",
    "enable_cache",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_info",
    "get_model_spec",
    "get_models_with_feature",
    "health_check",
    "image_generation",
    "model_cost",
    "moderation",
    "provider_list",
    "record_spend",
    "register_model",
    "register_provider",
    "reset_spend",
    "response_cost",
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
]


def __getattr__(name: str) -> Any:
    if name == "_current_cost":  # LiteLLM's running total, a live value
        return importlib.import_module(".budget", __name__).current_cost()
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
