"""The Responses API request: its parameter list, validation, and the JSON body.

:func:`build_request` checks ``responses()``'s arguments before anything is sent (raising our
:class:`~litellm_lite.exceptions.BadRequestError`) and returns a :class:`ResponsesRequest`;
:func:`request_body` gives the body for ``POST /responses``. The parameter list is the
``CreateResponse`` schema of OpenAI's OpenAPI description.

Conveniences, as LiteLLM users write them: chat-shaped function tools
(``{"type": "function", "function": {...}}``) and tool choices are flattened to the Responses
shape; output items of an earlier response (typed records) may be passed back in ``input``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

from ..exceptions import BadRequestError
from .types import OpenRecord

__all__ = ["RESPONSES_PARAMS", "ResponsesRequest", "build_request", "request_body", "normalize_input"]

#: Every body parameter of ``POST /responses`` besides ``model`` and ``input`` (CreateResponse).
RESPONSES_PARAMS = frozenset(
    {
        "instructions", "tools", "tool_choice", "previous_response_id", "reasoning", "text",
        "max_output_tokens", "temperature", "top_p", "store", "metadata", "stream", "stream_options",
        "include", "parallel_tool_calls", "truncation", "user", "background", "max_tool_calls",
        "prompt", "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options",
        "safety_identifier", "service_tier", "top_logprobs", "conversation", "context_management",
        "moderation",
    }
)

_TOOL_CHOICES = frozenset({"none", "auto", "required"})
_EFFORTS = frozenset({"none", "minimal", "low", "medium", "high", "xhigh", "max"})
_SUMMARIES = frozenset({"auto", "concise", "detailed"})
_VERBOSITY = frozenset({"low", "medium", "high"})
_FORMATS = frozenset({"text", "json_schema", "json_object"})
_SERVICE_TIERS = frozenset({"auto", "default", "flex", "scale", "priority", "fast", "ultrafast"})
_ROLES = frozenset({"user", "assistant", "system", "developer"})
_BOOLS = ("store", "stream", "parallel_tool_calls", "background")
_STRINGS = ("previous_response_id", "user", "prompt_cache_key", "safety_identifier")


@dataclass
class ResponsesRequest:
    """A validated Responses request. ``model`` is the id sent on the wire; ``params`` holds only
    the parameters the caller set (never None); ``extra_body`` is merged into the body last."""

    model: str
    input: Union[str, List[Dict[str, Any]]]
    params: Dict[str, Any] = field(default_factory=dict)
    extra_body: Dict[str, Any] = field(default_factory=dict)

    @property
    def stream(self) -> bool:
        return bool(self.params.get("stream"))


def _bad(message: str, model: str) -> BadRequestError:
    return BadRequestError(message, "", model)


def _plain_item(item: Any, where: str, model: str) -> Dict[str, Any]:
    if isinstance(item, OpenRecord):
        item = item.to_dict(exclude_none=True)
    if not isinstance(item, Mapping):
        raise _bad("%s must be an object (an input item), got %s" % (where, type(item).__name__), model)
    out: Dict[str, Any] = dict(item)
    return out


def _check_message(item: Dict[str, Any], where: str, model: str) -> None:
    role = item.get("role")
    if role not in _ROLES:
        raise _bad("%s has role %r; use one of: %s" % (where, role, ", ".join(sorted(_ROLES))), model)
    content = item.get("content")
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        raise _bad("%s.content must be a string or a list of content parts" % where, model)
    for pos, part in enumerate(content):
        if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
            raise _bad("%s.content[%d] must be an object with a 'type'" % (where, pos), model)


def _check_item(item: Dict[str, Any], where: str, model: str) -> None:
    kind = item.get("type")
    if kind is None and "role" in item:
        kind = "message"
    if not isinstance(kind, str) or not kind:
        raise _bad("%s needs a 'type' (message, function_call, function_call_output, reasoning...)" % where, model)
    if kind == "message":
        _check_message(item, where, model)
    elif kind == "function_call":
        for key in ("call_id", "name", "arguments"):
            if not isinstance(item.get(key), str):
                raise _bad("%s (function_call) needs a string %r" % (where, key), model)
    elif kind == "function_call_output":
        if not isinstance(item.get("call_id"), str):
            raise _bad("%s (function_call_output) needs the string 'call_id' of its function_call" % where, model)
        if not isinstance(item.get("output"), (str, list)):
            raise _bad("%s (function_call_output) needs an 'output' string (or a list of parts)" % where, model)
    elif kind == "reasoning":
        if not isinstance(item.get("summary", []), list):
            raise _bad("%s (reasoning) 'summary' must be a list" % where, model)


def normalize_input(value: Any, model: str = "") -> Union[str, List[Dict[str, Any]]]:
    """``input`` as the wire wants it: a string, or a list of item objects (records converted)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (OpenRecord, Mapping)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _bad("input must be a string or a list of input items, got %s" % type(value).__name__, model)
    if not value:
        raise _bad("input must not be an empty list", model)
    items = []
    for pos, raw in enumerate(value):
        item = _plain_item(raw, "input[%d]" % pos, model)
        _check_item(item, "input[%d]" % pos, model)
        items.append(item)
    return items


def _flat_tool(raw: Any, pos: int, model: str) -> Dict[str, Any]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("type"), str):
        raise _bad("tools[%d] must be an object with a 'type'" % pos, model)
    tool: Dict[str, Any] = dict(raw)
    if tool["type"] != "function":
        return tool  # hosted tools (web_search, file_search, mcp...) go through as given
    inner = tool.get("function")
    if isinstance(inner, Mapping):  # chat-completions shape
        tool = {"type": "function", **{k: v for k, v in inner.items() if v is not None}}
    if not isinstance(tool.get("name"), str) or not tool["name"]:
        raise _bad("tools[%d] (function) needs a 'name'" % pos, model)
    params = tool.get("parameters")
    if params is not None and not isinstance(params, Mapping):
        raise _bad("tools[%d].parameters must be a JSON schema object" % pos, model)
    if "strict" in tool and not isinstance(tool["strict"], (bool, type(None))):
        raise _bad("tools[%d].strict must be true or false" % pos, model)
    return tool


def _tool_choice(value: Any, model: str) -> Any:
    if isinstance(value, str):
        if value not in _TOOL_CHOICES:
            raise _bad("tool_choice must be 'none', 'auto', 'required' or an object, got %r" % value, model)
        return value
    if not isinstance(value, Mapping) or not isinstance(value.get("type"), str):
        raise _bad("tool_choice must be 'none', 'auto', 'required' or an object with a 'type'", model)
    inner = value.get("function")
    if value["type"] == "function" and isinstance(inner, Mapping):  # chat-completions shape
        return {"type": "function", "name": inner.get("name")}
    if value["type"] == "function" and not isinstance(value.get("name"), str):
        raise _bad("tool_choice {'type': 'function'} needs the function's 'name'", model)
    return dict(value)


def _check_reasoning(value: Any, model: str) -> Dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad("reasoning must be an object like {'effort': 'low', 'summary': 'auto'}", model)
    effort = value.get("effort")
    if effort is not None and effort not in _EFFORTS:
        raise _bad("reasoning.effort must be one of %s, got %r" % (", ".join(sorted(_EFFORTS)), effort), model)
    for key in ("summary", "generate_summary"):
        if value.get(key) is not None and value.get(key) not in _SUMMARIES:
            raise _bad("reasoning.%s must be 'auto', 'concise' or 'detailed', got %r" % (key, value.get(key)), model)
    return dict(value)


def _check_text(value: Any, model: str) -> Dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad("text must be an object like {'format': {'type': 'json_schema', ...}}", model)
    fmt = value.get("format")
    if fmt is not None:
        if not isinstance(fmt, Mapping) or fmt.get("type") not in _FORMATS:
            raise _bad("text.format.type must be 'text', 'json_schema' or 'json_object'", model)
        if fmt["type"] == "json_schema" and (
            not isinstance(fmt.get("name"), str) or not isinstance(fmt.get("schema"), Mapping)
        ):
            raise _bad("text.format of type json_schema needs a 'name' and a 'schema' object", model)
    verbosity = value.get("verbosity")
    if verbosity is not None and verbosity not in _VERBOSITY:
        raise _bad("text.verbosity must be 'low', 'medium' or 'high', got %r" % (verbosity,), model)
    return dict(value)


def _number(params: Dict[str, Any], name: str, low: float, high: float, model: str) -> None:
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad("%s must be a number, got %r" % (name, value), model)
    if not low <= value <= high:
        raise _bad("%s must be between %s and %s, got %r" % (name, low, high, value), model)


def _integer(params: Dict[str, Any], name: str, low: int, model: str) -> None:
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad("%s must be an integer >= %d, got %r" % (name, low, value), model)


def _check_metadata(value: Any, model: str) -> Dict[str, str]:
    if not isinstance(value, Mapping):
        raise _bad("metadata must be an object of string keys and string values", model)
    if len(value) > 16:
        raise _bad("metadata takes at most 16 keys, got %d" % len(value), model)
    for key, val in value.items():
        if not isinstance(key, str) or not isinstance(val, str) or len(key) > 64 or len(val) > 512:
            raise _bad("metadata keys must be strings up to 64 characters, values strings up to 512: %r" % (key,), model)
    return dict(value)


def _check_scalars(params: Dict[str, Any], model: str) -> None:
    for name in _BOOLS:
        if name in params and not isinstance(params[name], bool):
            raise _bad("%s must be true or false, got %r" % (name, params[name]), model)
    for name in _STRINGS:
        if name in params and not isinstance(params[name], str):
            raise _bad("%s must be a string, got %r" % (name, params[name]), model)
    if "instructions" in params and not isinstance(params["instructions"], (str, list)):
        raise _bad("instructions must be a string", model)
    _check_numbers(params, model)
    if "truncation" in params and params["truncation"] not in ("auto", "disabled"):
        raise _bad("truncation must be 'auto' or 'disabled', got %r" % (params["truncation"],), model)
    if "service_tier" in params and params["service_tier"] not in _SERVICE_TIERS:
        raise _bad("service_tier must be one of %s" % ", ".join(sorted(_SERVICE_TIERS)), model)
    include = params.get("include")
    if include is not None and (not isinstance(include, list) or not all(isinstance(i, str) for i in include)):
        raise _bad("include must be a list of strings like 'reasoning.encrypted_content'", model)


def _check_numbers(params: Dict[str, Any], model: str) -> None:
    if "temperature" in params:
        _number(params, "temperature", 0, 2, model)
    if "top_p" in params:
        _number(params, "top_p", 0, 1, model)
    if "max_output_tokens" in params:
        _integer(params, "max_output_tokens", 1, model)
    if "max_tool_calls" in params:
        _integer(params, "max_tool_calls", 1, model)
    if "top_logprobs" in params:
        _integer(params, "top_logprobs", 0, model)
        if params["top_logprobs"] > 20:
            raise _bad("top_logprobs must be between 0 and 20", model)


def _check_structured(params: Dict[str, Any], model: str) -> None:
    if "tools" in params:
        tools = params["tools"]
        if not isinstance(tools, (list, tuple)):
            raise _bad("tools must be a list of tool objects", model)
        params["tools"] = [_flat_tool(tool, pos, model) for pos, tool in enumerate(tools)]
    if "tool_choice" in params:
        params["tool_choice"] = _tool_choice(params["tool_choice"], model)
    if "reasoning" in params:
        params["reasoning"] = _check_reasoning(params["reasoning"], model)
    if "text" in params:
        params["text"] = _check_text(params["text"], model)
    if "metadata" in params:
        params["metadata"] = _check_metadata(params["metadata"], model)
    for name in ("stream_options", "prompt", "prompt_cache_options", "moderation"):
        if name in params and not isinstance(params[name], Mapping):
            raise _bad("%s must be an object" % name, model)
    if "conversation" in params and not isinstance(params["conversation"], (str, Mapping)):
        raise _bad("conversation must be a conversation id or an object with an 'id'", model)


def build_request(
    model: Any,
    input: Any,
    params: Optional[Mapping[str, Any]] = None,
    extra_body: Optional[Mapping[str, Any]] = None,
) -> ResponsesRequest:
    """Check ``responses()``'s arguments and return the request (nothing is sent here).

    ``params`` may only name :data:`RESPONSES_PARAMS`; None values mean "not set". Raises
    BadRequestError with the offending argument named.
    """
    if not isinstance(model, str) or not model.strip():
        raise _bad("model must be a non-empty string", "")
    clean = {k: v for k, v in (params or {}).items() if v is not None}
    unknown = sorted(k for k in clean if k not in RESPONSES_PARAMS)
    if unknown:
        raise _bad("unknown Responses API parameter(s): %s" % ", ".join(map(str, unknown)), model)
    if clean.get("stream") is False:
        del clean["stream"]
    _check_scalars(clean, model)
    _check_structured(clean, model)
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise _bad("extra_body must be an object", model)
    request = ResponsesRequest(model=model, input=normalize_input(input, model), params=clean, extra_body=dict(extra_body or {}))
    request_body(request)  # non-JSON values (sets, NaN, objects) fail here, before anything is sent
    return request


def request_body(request: ResponsesRequest) -> bytes:
    """The JSON body for ``POST /responses`` (UTF-8, no NaN)."""
    body: Dict[str, Any] = {"model": request.model, "input": request.input}
    body.update(request.params)
    body.update(request.extra_body)
    try:
        return json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise _bad("the request cannot be sent as JSON: %s" % exc, request.model) from None
