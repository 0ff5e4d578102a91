"""The Messages API request body and the ``anthropic-beta`` values it needs.

``response_format`` with a JSON schema uses Anthropic's structured outputs (``output_format``,
beta header ``structured-outputs-2025-11-13``) on the models that have them, and otherwise a
forced tool named ``json_tool_call`` whose arguments are returned as the message content.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from .._common import CallContext, reject_params
from ..base import ChatRequest
from .messages import convert_messages

__all__ = ["build_body", "json_mode", "JSON_TOOL_NAME", "REASONING_BUDGETS", "STRUCTURED_OUTPUTS_BETA",
           "UNSUPPORTED_PARAMS", "HARMLESS_VALUES"]

STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13"
JSON_TOOL_NAME = "json_tool_call"
DEFAULT_MAX_TOKENS = 4096
# reasoning_effort -> thinking budget (tokens), as LiteLLM maps it; "minimal"/"none" disable thinking.
REASONING_BUDGETS: Dict[str, Optional[int]] = {
    "low": 1024, "medium": 2048, "high": 4096, "minimal": None, "none": None, "disable": None, "default": None,
}

# OpenAI parameters the Messages API cannot express (``logprobs=False`` asks for nothing).
_UNSUPPORTED = ("logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed",
                "modalities", "audio", "prediction", "functions", "function_call", "web_search_options",
                "verbosity", "store")
_HARMLESS = {"logprobs": False, "store": False}
#: What the adapter declares (read by the road and ``get_supported_openai_params``): the above and ``n``.
UNSUPPORTED_PARAMS = frozenset(_UNSUPPORTED) | {"n"}
HARMLESS_VALUES = {"logprobs": (False,), "store": (False,), "n": (1,)}
_SERVICE_TIERS = frozenset({"auto", "standard_only"})
_TOOL_CHOICES = {"auto": {"type": "auto"}, "none": {"type": "none"}, "required": {"type": "any"},
                 "any": {"type": "any"}}
# Models with native structured outputs (output_format): Claude 4.1+ Opus, 4.5+ Sonnet/Haiku, any 5+.
_MODEL_VERSION = re.compile(r"claude-(opus|sonnet|haiku)-(\d+)(?:[-.](\d{1,2}))?(?!\d)")


def _supports_output_format(model: str) -> bool:
    match = _MODEL_VERSION.search(model.lower())
    if not match:
        return False
    family, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if major != 4:
        return major > 4
    return minor >= (1 if family == "opus" else 5)


def _schema_of(fmt: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    spec = fmt.get("json_schema")
    if isinstance(spec, dict):
        schema = spec.get("schema")
        if isinstance(schema, dict):
            return schema
    return None


def json_mode(request: ChatRequest) -> Optional[str]:
    """"native" (output_format), "tool" (forced json_tool_call) or None for this request."""
    fmt = request.params.get("response_format")
    if not isinstance(fmt, dict):
        return None
    kind = fmt.get("type")
    if kind == "json_schema" and _schema_of(fmt) is not None and _supports_output_format(request.model):
        return "native"
    if kind in ("json_schema", "json_object"):
        return "tool"
    return None


# ---------------------------------------------------------------------------------------------
# Tools


def _convert_tool(tool: Any, ctx: CallContext) -> Dict[str, Any]:
    if not isinstance(tool, dict):
        raise ctx.bad("each tool must be an object")
    function = tool.get("function")
    if tool.get("type", "function") != "function" or not isinstance(function, dict):
        if "function" in tool:
            raise ctx.bad("tool 'function' must be an object")
        return dict(tool)  # an Anthropic-native tool (e.g. web_search_20250305)
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise ctx.bad("each tool needs function.name")
    schema = function.get("parameters")
    if not isinstance(schema, dict):
        schema = {"type": "object", "properties": {}}
    elif "type" not in schema:
        schema = dict(schema, type="object")
    entry: Dict[str, Any] = {"name": name, "input_schema": schema}
    if function.get("description"):
        entry["description"] = str(function["description"])
    cache = tool.get("cache_control", function.get("cache_control"))
    if cache is not None:
        entry["cache_control"] = cache
    return entry


def _convert_tools(tools: Any, ctx: CallContext) -> List[Dict[str, Any]]:
    if not isinstance(tools, list):
        raise ctx.bad("tools must be a list")
    return [_convert_tool(tool, ctx) for tool in tools]


def _convert_tool_choice(choice: Any, ctx: CallContext) -> Dict[str, Any]:
    if isinstance(choice, str) and choice in _TOOL_CHOICES:
        return dict(_TOOL_CHOICES[choice])
    if isinstance(choice, dict):
        function = choice.get("function")
        if isinstance(function, dict) and function.get("name"):
            return {"type": "tool", "name": str(function["name"])}
        if choice.get("type") in ("auto", "any", "none", "tool"):
            return dict(choice)
    raise ctx.bad("unsupported tool_choice %r" % (choice,))


def _json_tool(fmt: Dict[str, Any]) -> Dict[str, Any]:
    schema = _schema_of(fmt) or {"type": "object", "additionalProperties": True}
    json_tool: Dict[str, Any] = {"name": JSON_TOOL_NAME, "input_schema": schema}
    spec = fmt.get("json_schema")
    if isinstance(spec, dict) and spec.get("description"):
        json_tool["description"] = str(spec["description"])
    return json_tool


def _add_tools(request: ChatRequest, thinking: Optional[Dict[str, Any]], body: Dict[str, Any],
               ctx: CallContext) -> List[str]:
    """``tools``, ``tool_choice`` and ``output_format`` into ``body``; the betas they need."""
    params = request.params
    tools = _convert_tools(params["tools"], ctx) if params.get("tools") else []
    tool_choice: Optional[Dict[str, Any]] = None
    if params.get("tool_choice") is not None and (tools or params["tool_choice"] == "none"):
        tool_choice = _convert_tool_choice(params["tool_choice"], ctx)
    betas: List[str] = []
    mode = json_mode(request)
    fmt = params.get("response_format")
    if mode == "native" and isinstance(fmt, dict):
        body["output_format"] = {"type": "json_schema", "schema": _schema_of(fmt)}
        betas.append(STRUCTURED_OUTPUTS_BETA)
    elif mode == "tool" and isinstance(fmt, dict):
        if not tools:
            # Forcing a tool is refused while extended thinking is on: then the model is only offered it.
            thinking_on = thinking is not None and thinking.get("type") == "enabled"
            tool_choice = {"type": "auto"} if thinking_on else {"type": "tool", "name": JSON_TOOL_NAME}
        tools.append(_json_tool(fmt))
    if tools:
        body["tools"] = tools
    if params.get("parallel_tool_calls") is False and tools:
        tool_choice = tool_choice or {"type": "auto"}
        if tool_choice.get("type") != "none":
            tool_choice["disable_parallel_tool_use"] = True
    if tool_choice is not None:
        body["tool_choice"] = tool_choice
    return betas


# ---------------------------------------------------------------------------------------------
# Parameters


def _thinking_config(params: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    thinking = params.get("thinking")
    if thinking is not None:
        if not isinstance(thinking, dict):
            raise ctx.bad("thinking must be an object like {'type': 'enabled', 'budget_tokens': 1024}")
        return dict(thinking)
    effort = params.get("reasoning_effort")
    if effort is None:
        return None
    if effort not in REASONING_BUDGETS:
        ctx.reject("anthropic supports reasoning_effort %s, got %r" % ("/".join(REASONING_BUDGETS), effort))
        return None
    budget = REASONING_BUDGETS[effort]
    return None if budget is None else {"type": "enabled", "budget_tokens": budget}


def _check_params(params: Dict[str, Any], ctx: CallContext) -> None:
    reject_params(params, _UNSUPPORTED, ctx, _HARMLESS)
    tier = params.get("service_tier")
    if tier is not None and tier not in _SERVICE_TIERS:
        ctx.reject("anthropic service_tier is auto or standard_only, got %r" % (tier,))
    n = params.get("n")
    if n is not None and n != 1:
        ctx.reject("anthropic does not support n=%r (one choice per call)" % (n,))


def _max_tokens(params: Dict[str, Any], thinking: Optional[Dict[str, Any]], ctx: CallContext) -> int:
    max_tokens = params.get("max_tokens", params.get("max_completion_tokens"))
    if max_tokens is None:
        max_tokens = params.get("_default_max_tokens") or DEFAULT_MAX_TOKENS
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise ctx.bad("max_tokens must be a positive integer, got %r" % (max_tokens,))
    budget = thinking.get("budget_tokens") if thinking is not None else None
    if thinking is not None and thinking.get("type") == "enabled" and isinstance(budget, int) and max_tokens <= budget:
        # The budget counts towards max_tokens: keep the caller's room for the answer on top.
        max_tokens = budget + max_tokens
    return max_tokens


def _sampling(params: Dict[str, Any], body: Dict[str, Any]) -> None:
    """stop, temperature/top_p/top_k, service_tier and user (as metadata.user_id) into ``body``."""
    stop = params.get("stop")
    if stop is not None:
        sequences = [s for s in ([stop] if isinstance(stop, str) else list(stop)) if isinstance(s, str) and s]
        if sequences:
            body["stop_sequences"] = sequences
    for name in ("temperature", "top_p", "top_k"):
        if params.get(name) is not None:
            body[name] = params[name]
    if params.get("service_tier") in _SERVICE_TIERS:
        body["service_tier"] = params["service_tier"]
    if params.get("user") is not None:
        body["metadata"] = {"user_id": str(params["user"])[:256]}


def build_body(request: ChatRequest, ctx: CallContext) -> Tuple[Dict[str, Any], List[str]]:
    """The JSON body for ``request`` and the ``anthropic-beta`` values it needs."""
    params = request.params
    _check_params(params, ctx)
    system, messages = convert_messages(request.messages, ctx)
    body: Dict[str, Any] = {"model": request.model, "messages": messages}
    if system is not None:
        body["system"] = system
    thinking = _thinking_config(params, ctx)
    max_tokens = _max_tokens(params, thinking, ctx)
    if thinking is not None:
        body["thinking"] = thinking
    body["max_tokens"] = max_tokens
    _sampling(params, body)
    betas = _add_tools(request, thinking, body, ctx)
    if request.stream:
        body["stream"] = True
    body.update(request.extra_body)
    return body, betas
