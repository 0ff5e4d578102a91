"""The Responses API route of the fake provider (``POST /v1/responses``).

:class:`litellm_lite.testing.FakeProvider` answers ``/v1/responses`` with these renderers: a
response object (JSON) or its SSE events (``event:`` + ``data:`` blocks, as OpenAI sends them),
built from a scripted reply described as for chat (text, reasoning, OpenAI-shaped tool calls,
finish reason). Pure: a reply description in, JSON objects or stream frames (``bytes``) out.

``finish_reason="length"`` gives ``status: "incomplete"`` (``max_output_tokens``) and a stream that
ends with ``response.incomplete``; ``"content_filter"`` gives ``incomplete`` (``content_filter``).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional, Sequence

from .responses_api.replay import response_events

__all__ = ["responses_object", "responses_events", "responses_error", "last_input_text"]

ToolCalls = Optional[Sequence[Mapping[str, Any]]]
_ERROR_TYPES = {401: "invalid_request_error", 403: "invalid_request_error", 404: "invalid_request_error",
                429: "rate_limit_exceeded", 500: "server_error", 503: "server_error"}
# Request fields a real server echoes on the response object.
_ECHOED = ("instructions", "max_output_tokens", "metadata", "parallel_tool_calls", "previous_response_id",
           "reasoning", "temperature", "text", "tool_choice", "tools", "top_p", "truncation", "user", "store")


def _id(prefix: str) -> str:
    return "%s_%s" % (prefix, uuid.uuid4().hex)


def last_input_text(value: Any) -> str:
    """The text of the last user message of a Responses ``input`` (a string, or items)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""
    for item in reversed(value):
        if isinstance(item, dict) and item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(
                    str(p.get("text")) for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
                )
    return ""


def responses_error(status: int, message: str, error_type: Optional[str] = None, code: Optional[str] = None) -> Dict[str, Any]:
    """OpenAI's error body: ``{"error": {message, type, param, code}}``."""
    return {
        "error": {
            "message": message,
            "type": error_type or _ERROR_TYPES.get(status, "invalid_request_error"),
            "param": None,
            "code": code,
        }
    }


def _items(text: Optional[str], reasoning: Optional[str], tool_calls: ToolCalls) -> List[Dict[str, Any]]:
    items: List[Dict[str, Any]] = []
    if reasoning is not None:
        items.append({"id": _id("rs"), "type": "reasoning", "summary": [{"type": "summary_text", "text": reasoning}]})
    if text is not None:
        items.append({
            "id": _id("msg"), "type": "message", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
        })
    for call in tool_calls or []:
        fn = call.get("function") or {}
        items.append({
            "id": _id("fc"), "type": "function_call", "status": "completed",
            "call_id": call.get("id") or _id("call"), "name": fn.get("name") or "",
            "arguments": fn.get("arguments") or "",
        })
    return items


def _status(finish_reason: Optional[str]) -> "tuple[str, Optional[Dict[str, str]]]":
    if finish_reason == "length":
        return "incomplete", {"reason": "max_output_tokens"}
    if finish_reason == "content_filter":
        return "incomplete", {"reason": "content_filter"}
    return "completed", None


def responses_object(
    text: Optional[str],
    model: str,
    *,
    request: Optional[Mapping[str, Any]] = None,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    input_tokens: int = 1,
    items: Optional[List[Dict[str, Any]]] = None,
    response_id: Optional[str] = None,
) -> Dict[str, Any]:
    """A finished response object for the reply (``items`` overrides the rendered output)."""
    request = request or {}
    status, incomplete = _status(finish_reason)
    reasoning_tokens = max(1, len(reasoning) // 4) if reasoning else 0
    output_tokens = max(1, len(text or "") // 4) + reasoning_tokens
    obj: Dict[str, Any] = {
        "id": response_id or _id("resp"), "object": "response", "created_at": int(time.time()),
        "status": status, "error": None, "incomplete_details": incomplete, "model": model,
        "output": items if items is not None else _items(text, reasoning, tool_calls),
        "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "text": {"format": {"type": "text"}},
        "truncation": "disabled", "store": True, "metadata": {},
        "usage": {
            "input_tokens": input_tokens, "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": output_tokens, "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
            "total_tokens": input_tokens + output_tokens,
        },
    }
    for key in _ECHOED:
        if request.get(key) is not None:
            obj[key] = request[key]
    return obj


def _frame(event: Dict[str, Any]) -> bytes:
    return b"event: %s\ndata: %s\n\n" % (event["type"].encode("ascii"), json.dumps(event).encode("utf-8"))


def responses_events(
    text: Optional[str],
    model: str,
    *,
    chunk_size: int = 4,
    request: Optional[Mapping[str, Any]] = None,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    input_tokens: int = 1,
) -> List[bytes]:
    """The SSE frames of the streamed answer: created, in_progress, each item's events, then
    ``response.completed`` (``response.incomplete`` for a cut answer), numbered from 0."""
    final = responses_object(text, model, request=request, reasoning=reasoning, tool_calls=tool_calls,
                             finish_reason=finish_reason, input_tokens=input_tokens)
    return [_frame(event) for event in response_events(final, chunk_size)]
