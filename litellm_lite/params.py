"""OpenAI request parameters: the accepted list, validation of messages/tools/values, drop_params."""

from __future__ import annotations

from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from dataclasses import dataclass, field

from .auth import ALL_CREDENTIAL_KWARGS, CREDENTIAL_KWARGS
from .exceptions import BadRequestError, UnsupportedParamsError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

    from .providers.base import ProviderSpec

__all__ = [
    "OPENAI_CHAT_PARAMS",
    "CONFIG_KWARGS",
    "IGNORED_KWARGS",
    "CONTROL_KWARGS",
    "KwargSplit",
    "classify",
    "split_kwargs",
    "validate_messages",
    "validate_params",
    "apply_unsupported",
    "ALLOWED_PARAMS_OPTION",
]

#: ``CallConfig.options`` key holding the caller's ``allowed_openai_params`` (a frozenset), left there by
#: the road's check (``supported.enforce``) for the adapters' request builders.
ALLOWED_PARAMS_OPTION = "allowed_openai_params"

# OpenAI chat-completions parameters, sent on the wire (after per-provider mapping).
OPENAI_CHAT_PARAMS: Tuple[str, ...] = (
    "temperature",
    "top_p",
    "n",
    "stop",
    "max_tokens",
    "max_completion_tokens",
    "seed",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "user",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "stream_options",
    "reasoning_effort",
    "thinking",
    "functions",
    "function_call",
    "modalities",
    "audio",
    "prediction",
    "service_tier",
    "store",
    "web_search_options",
    "verbosity",
)

# Configuration keywords, owned by ``config.resolve_config``: never sent.
CONFIG_KWARGS = frozenset(
    {
        "api_key", "api_base", "base_url", "api_version", "timeout", "request_timeout", "num_retries",
        "max_retries", "extra_headers", "headers", "drop_params", "ssl_verify", "call_timeout", "max_response_bytes",
    }
)

# LiteLLM control and logging keywords: they steer litellm_lite (or are accepted for LiteLLM
# compatibility) and are never sent to a provider. Names starting with "litellm_" or
# "user_api_key" are control keywords too.
CONTROL_KWARGS = frozenset(
    {
        # steering this call
        "metadata", "tags", "cache", "caching", "base_model", "additional_drop_params", "allowed_openai_params",
        "fallbacks", "context_window_fallback_dict", "num_retries", "max_retries", "mock_response", "mock_timeout",
        "mock_tool_calls", "mock_delay", "input_cost_per_token", "output_cost_per_token", "input_cost_per_second",
        "output_cost_per_second", "use_module_settings", "use_module_callbacks", "callbacks", "custom_llm_provider", "model_list",
        "retry_policy", "retry_strategy", "max_fallbacks", "fallback_depth", "cooldown_time", "stream_timeout",
        "disable_add_transform_inline_image_block", "merge_reasoning_content_in_choices", "ensure_alternating_roles",
        "user_continue_message", "assistant_continue_message", "supports_system_message", "force_timeout",
        "region_name", "allowed_model_region", "model_config", "fastest_response", "cache_key", "preset_cache_key",
        "caching_groups", "ttl", "no-log", "acompletion", "aembedding", "aimg_generation", "atext_completion",
        "atranscription", "aspeech", "amoderation", "client", "use_client", "prompt_id", "prompt_variables",
        "prompt_version", "provider_specific_header", "configurable_clientside_auth_params",
        "model_file_id_mapping", "rpm", "tpm", "max_parallel_requests", "weight", "order", "hf_model_name",
        "model_info", "proxy_server_request", "logger_fn", "verbose", "complete_response", "id", "roles",
        "final_prompt_value", "bos_token", "eos_token", "initial_prompt_value", "custom_prompt_dict",
        "azure", "deployment_id", "traceparent",
    }
)
_CONTROL_PREFIXES = ("litellm_", "user_api_key")

# Kept for code that imported it: the control keywords (accepted, never sent).
IGNORED_KWARGS = CONTROL_KWARGS


@dataclass
class KwargSplit:
    """The caller's keyword arguments, each in exactly one class (see :func:`classify`).

    ``openai``: OpenAI parameters that were set (validated later; sent after per-provider mapping);
    ``config``: configuration keywords and the provider's ``call_options`` (never sent);
    ``credentials``: keywords owned by a credential resolver (only this provider's are kept; never
    sent); ``control``: LiteLLM control keywords (never sent); ``body``: provider-specific body
    fields (``extra_body`` merged in), sent to this provider only.
    """

    openai: Dict[str, Any] = field(default_factory=dict)
    config: Dict[str, Any] = field(default_factory=dict)
    credentials: Dict[str, Any] = field(default_factory=dict)
    control: Dict[str, Any] = field(default_factory=dict)
    body: Dict[str, Any] = field(default_factory=dict)


_claimed_options: Optional[FrozenSet[str]] = None
_OPENAI_SET = frozenset(OPENAI_CHAT_PARAMS)
_EMPTY: FrozenSet[str] = frozenset()


def _all_call_options() -> FrozenSet[str]:
    """Every provider's ``call_options``: configuration of one provider is never a body field of another."""
    from .providers import PROVIDERS

    return frozenset().union(*(spec.call_options for spec in PROVIDERS.values()))


def classify(
    kwargs: Mapping[str, Any],
    spec: "ProviderSpec",
    openai_names: Iterable[str] = OPENAI_CHAT_PARAMS,
    model: str = "",
) -> KwargSplit:
    """Sort keyword arguments into the classes of :class:`KwargSplit`. Pure; ``kwargs`` is not changed.

    An unknown keyword is a provider-specific body field (as in LiteLLM) unless some resolver or
    control list of any provider claims it, in which case it is never sent.
    """
    names = _OPENAI_SET if openai_names is OPENAI_CHAT_PARAMS else frozenset(openai_names)
    owned = CREDENTIAL_KWARGS.get(spec.auth, _EMPTY)
    split = KwargSplit()
    for key, value in kwargs.items():
        if key in names:
            if value is not None:
                split.openai[key] = value
        elif key in CONFIG_KWARGS or key in spec.call_options:
            split.config[key] = value
        elif key in ALL_CREDENTIAL_KWARGS:
            if key in owned:
                split.credentials[key] = value
        elif key in CONTROL_KWARGS or key.startswith(_CONTROL_PREFIXES):
            split.control[key] = value
        elif key == "extra_body":
            if value is None:
                continue
            if not isinstance(value, Mapping):
                raise BadRequestError("extra_body must be a dict of body fields", spec.name, model)
            split.body.update(value)
        elif key not in _claimed() and value is not None:
            split.body[key] = value
    if split.control:
        _apply_controls(split, spec, model)
    return split


def _claimed() -> FrozenSet[str]:
    global _claimed_options
    if _claimed_options is None:
        _claimed_options = _all_call_options()
    return _claimed_options


def reset_claimed() -> None:
    """Forget the cached set of every provider's call options (after ``register_provider``)."""
    global _claimed_options
    _claimed_options = None


def _names_list(value: Any, what: str, provider: str, model: str) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)) or not all(
        isinstance(v, str) for v in value
    ):
        raise BadRequestError("%s must be a list of parameter names" % what, provider, model)
    return list(value)


def _apply_controls(split: KwargSplit, spec: "ProviderSpec", model: str) -> None:
    """``additional_drop_params``: drop these names from the request; ``allowed_openai_params``:
    checked here (applied to the provider's unsupported list by the road)."""
    for name in _names_list(split.control.get("additional_drop_params"), "additional_drop_params", spec.name, model):
        split.openai.pop(name, None)
        split.body.pop(name, None)
    _names_list(split.control.get("allowed_openai_params"), "allowed_openai_params", spec.name, model)


_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_PART_TYPES = frozenset({"text", "image_url", "input_audio", "file", "document", "thinking", "redacted_thinking", "refusal"})
_TOOL_CHOICE_STRINGS = frozenset({"none", "auto", "required", "any"})
_REASONING_EFFORTS = frozenset({"none", "disable", "minimal", "low", "medium", "high", "xhigh", "default"})


def _bad(message: str, provider: str = "", model: str = "") -> BadRequestError:
    return BadRequestError(message, provider, model)


def split_kwargs(kwargs: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Split the caller's keyword arguments into (OpenAI params that were set, the rest)."""
    params: Dict[str, Any] = {}
    rest: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in OPENAI_CHAT_PARAMS:
            if value is not None:
                params[key] = value
        else:
            rest[key] = value
    return params, rest


def _is_number(value: Any) -> bool:
    if type(value) in (int, float):
        return True
    import numbers  # other real types (Fraction, numpy scalars...): loaded by the first such value

    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_parts(content: List[Any], i: int, model: str) -> None:
    for j, part in enumerate(content):
        if isinstance(part, str):
            continue
        if not isinstance(part, Mapping) or part.get("type") not in _PART_TYPES:
            raise _bad("messages[%d].content[%d] must be a dict with type in %s" % (i, j, sorted(_PART_TYPES)), "", model)
        if part["type"] == "text" and not isinstance(part.get("text"), str):
            raise _bad("messages[%d].content[%d].text must be a string" % (i, j), "", model)
        if part["type"] == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, Mapping) else image
            if not isinstance(url, str) or not url:
                raise _bad("messages[%d].content[%d].image_url needs a url" % (i, j), "", model)


def _check_tool_calls(tool_calls: Any, role: Any, i: int, model: str) -> None:
    if role != "assistant" or not isinstance(tool_calls, list):
        raise _bad("messages[%d].tool_calls is only valid on assistant messages, as a list" % i, "", model)
    for j, call in enumerate(tool_calls):
        if hasattr(call, "to_dict") and not isinstance(call, Mapping):
            call = call.to_dict()
        fn = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(fn, Mapping) or not isinstance(fn.get("name"), str):
            raise _bad("messages[%d].tool_calls[%d] needs function.name" % (i, j), "", model)
        if not isinstance(fn.get("arguments", ""), (str, Mapping)):
            raise _bad("messages[%d].tool_calls[%d].function.arguments must be a JSON string" % (i, j), "", model)


def _one_message(msg: Any, i: int, model: str) -> Dict[str, Any]:
    if hasattr(msg, "to_dict") and not isinstance(msg, Mapping):
        msg = msg.to_dict(exclude_none=True)
    if not isinstance(msg, Mapping):
        raise _bad("messages[%d] must be a dict, got %s" % (i, type(msg).__name__), "", model)
    role = msg.get("role")
    if role not in _ROLES:
        raise _bad("messages[%d] has invalid role %r (expected one of %s)" % (i, role, sorted(_ROLES)), "", model)
    content = msg.get("content")
    if content is not None and not isinstance(content, (str, list)):
        raise _bad("messages[%d].content must be a string, a list of parts or None" % i, "", model)
    if isinstance(content, list):
        _check_parts(content, i, model)
    tool_calls = msg.get("tool_calls")
    if tool_calls is not None:
        _check_tool_calls(tool_calls, role, i, model)
    if role == "tool" and not isinstance(msg.get("tool_call_id"), str):
        raise _bad("messages[%d] (role 'tool') needs a tool_call_id string" % i, "", model)
    if role in ("user", "system", "developer") and content is None:
        raise _bad("messages[%d] (role %r) needs content" % (i, role), "", model)
    plain = dict(msg)
    if tool_calls is not None:
        plain["tool_calls"] = [c.to_dict() if hasattr(c, "to_dict") and not isinstance(c, Mapping) else c for c in tool_calls]
    return plain


def validate_messages(messages: Any, model: str = "") -> List[Dict[str, Any]]:
    """Check OpenAI-format messages; returns them as a list of dicts (originals untouched)."""
    if not isinstance(messages, (list, tuple)) or not messages:
        raise _bad("messages must be a non-empty list of {'role': ..., 'content': ...} dicts", "", model)
    return [_one_message(msg, i, model) for i, msg in enumerate(messages)]


def _check_tools(tools: Any, model: str) -> None:
    if not isinstance(tools, list):
        raise _bad("tools must be a list of {'type': 'function', 'function': {...}} dicts", "", model)
    for i, tool in enumerate(tools):
        if not isinstance(tool, Mapping):
            raise _bad("tools[%d] must be a dict" % i, "", model)
        if tool.get("type", "function") != "function":
            continue  # provider-specific built-in tools pass through
        fn = tool.get("function")
        if not isinstance(fn, Mapping) or not isinstance(fn.get("name"), str) or not fn.get("name"):
            raise _bad("tools[%d].function.name is required" % i, "", model)
        schema = fn.get("parameters")
        if schema is not None and not isinstance(schema, Mapping):
            raise _bad("tools[%d].function.parameters must be a JSON-schema object" % i, "", model)


def _check_numbers(params: Dict[str, Any], model: str) -> None:
    ranges = {"temperature": (0.0, 2.0), "top_p": (0.0, 1.0), "presence_penalty": (-2.0, 2.0), "frequency_penalty": (-2.0, 2.0)}
    for name, (low, high) in ranges.items():
        if name in params:
            value = params[name]
            if not _is_number(value) or not low <= value <= high:
                raise _bad("%s must be a number between %s and %s, got %r" % (name, low, high, value), "", model)
    for name in ("n", "max_tokens", "max_completion_tokens", "top_logprobs"):
        if name in params and (not _is_int(params[name]) or params[name] < (0 if name == "top_logprobs" else 1)):
            raise _bad("%s must be a positive integer, got %r" % (name, params[name]), "", model)
    if "seed" in params and not _is_int(params["seed"]):
        raise _bad("seed must be an integer", "", model)


def _check_tool_choice(choice: Any, model: str) -> None:
    if isinstance(choice, str):
        if choice not in _TOOL_CHOICE_STRINGS:
            raise _bad("tool_choice must be none, auto, required or a named function", "", model)
    elif not isinstance(choice, Mapping):
        raise _bad("tool_choice must be a string or a dict", "", model)
    elif choice.get("type") == "function" and not isinstance((choice.get("function") or {}).get("name"), str):
        raise _bad("tool_choice {'type': 'function'} needs function.name", "", model)


def _check_response_format(fmt: Any, model: str) -> None:
    if isinstance(fmt, type) or not isinstance(fmt, Mapping):
        raise _bad("response_format must be a dict such as {'type': 'json_object'}", "", model)
    if fmt.get("type") not in ("text", "json_object", "json_schema"):
        raise _bad("response_format.type must be text, json_object or json_schema", "", model)
    if fmt.get("type") == "json_schema" and not isinstance(fmt.get("json_schema"), Mapping):
        raise _bad("response_format json_schema needs a 'json_schema' object", "", model)


def _check_shapes(params: Dict[str, Any], model: str) -> None:
    if "stop" in params:
        stop = params["stop"]
        if not isinstance(stop, str) and (not isinstance(stop, list) or not all(isinstance(s, str) for s in stop)):
            raise _bad("stop must be a string or a list of strings", "", model)
    for name in ("logprobs", "parallel_tool_calls", "store"):
        if name in params and not isinstance(params[name], bool):
            raise _bad("%s must be true or false" % name, "", model)
    if "logit_bias" in params and not isinstance(params["logit_bias"], Mapping):
        raise _bad("logit_bias must be a mapping of token ids to biases", "", model)
    if "stream_options" in params and not isinstance(params["stream_options"], Mapping):
        raise _bad("stream_options must be a dict such as {'include_usage': True}", "", model)
    if "reasoning_effort" in params and (
        not isinstance(params["reasoning_effort"], str) or params["reasoning_effort"] not in _REASONING_EFFORTS
    ):
        raise _bad("reasoning_effort must be one of %s" % sorted(_REASONING_EFFORTS), "", model)
    if "user" in params and not isinstance(params["user"], str):
        raise _bad("user must be a string", "", model)


def validate_params(params: Dict[str, Any], model: str = "") -> None:
    """Type and range checks on the OpenAI parameters that were set."""
    if not params:
        return
    _check_numbers(params, model)
    _check_shapes(params, model)
    if "tools" in params:
        _check_tools(params["tools"], model)
    if "tool_choice" in params:
        _check_tool_choice(params["tool_choice"], model)
    if "response_format" in params:
        _check_response_format(params["response_format"], model)


def apply_unsupported(
    params: Dict[str, Any],
    unsupported: Iterable[str],
    *,
    drop: bool,
    provider: str,
    model: str,
    allowed_values: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """Drop (``drop=True``) or refuse the parameters this provider does not take.

    ``allowed_values`` lets a provider accept a parameter only at a harmless value (e.g. ``n=1``).
    """
    out = dict(params)
    for name in unsupported:
        if name not in out:
            continue
        if allowed_values and name in allowed_values and out[name] == allowed_values[name]:
            del out[name]
            continue
        if drop:
            del out[name]
        else:
            raise UnsupportedParamsError(
                "%s does not support parameter %r for model %r; pass drop_params=True to drop it, "
                "or allowed_openai_params=[%r] to send it anyway"
                % (provider, name, model, name),
                provider,
                model,
            )
    return out
