"""Anthropic Messages and Gemini ``generateContent`` renderers for the fake provider.

:class:`litellm_lite.testing.FakeProvider` uses these to answer ``POST /v1/messages`` and
``POST /v1beta/models/{model}:generateContent`` / ``:streamGenerateContent`` in the providers'
own shapes, so a test exercises the same adapter code paths as a live call. Everything here is
pure: a reply description in, JSON objects or stream frames (``bytes``) out.

A reply is described as in OpenAI's format: ``text`` (or None), ``reasoning`` (or None),
``tool_calls`` in OpenAI's shape (``id``, ``function.name``, ``function.arguments`` as a JSON
string) and ``finish_reason`` (``stop``/``length``/``tool_calls``/``content_filter``, mapped to
the provider's value; any other string is sent as it is).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

__all__ = [
    "render_message",
    "anthropic_message",
    "anthropic_events",
    "anthropic_error",
    "gemini_response",
    "gemini_stream_items",
    "gemini_error",
    "sse_frames",
    "json_array_frames",
    "count_tokens",
]

ToolCalls = Optional[Sequence[Mapping[str, Any]]]

_ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use", "content_filter": "refusal"}
# HTTP status -> Anthropic error ``type`` (https://docs.anthropic.com/en/api/errors).
_ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}
_GEMINI_FINISH = {"stop": "STOP", "length": "MAX_TOKENS", "tool_calls": "STOP", "content_filter": "SAFETY"}
# HTTP status -> google.rpc.Code name, as Google APIs report it in ``error.status``.
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def count_tokens(text: str) -> int:
    """A rough token count (about four characters per token, at least one)."""
    return max(1, (len(text) + 3) // 4)


def _pieces(text: str, size: int) -> List[str]:
    size = max(1, int(size))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _digest(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _arguments(call: Mapping[str, Any]) -> Tuple[str, str]:
    """(name, arguments JSON text) of an OpenAI-shaped tool call."""
    function = call.get("function")
    function = function if isinstance(function, Mapping) else {}
    raw = function.get("arguments")
    if isinstance(raw, Mapping):
        text = json.dumps(raw, ensure_ascii=False)
    elif isinstance(raw, str) and raw.strip():
        text = raw
    else:
        text = "{}"
    return str(function.get("name") or ""), text


def _arguments_object(text: str) -> Dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def sse_frames(events: Sequence[Tuple[Optional[str], Any]]) -> List[bytes]:
    """One SSE frame per ``(event name or None, JSON-able data)``."""
    out = []
    for name, data in events:
        line = "data: " + json.dumps(data, ensure_ascii=False) + "\n\n"
        if name:
            line = "event: %s\n%s" % (name, line)
        out.append(line.encode("utf-8"))
    return out


def json_array_frames(items: Sequence[Any]) -> List[bytes]:
    """A JSON array written element by element, as Gemini streams without ``alt=sse``."""
    if not items:
        return [b"[]"]
    out = []
    for number, item in enumerate(items):
        prefix = "[" if number == 0 else ",\r\n"
        out.append((prefix + json.dumps(item, ensure_ascii=False)).encode("utf-8"))
    out.append(b"]")
    return out


# -- Anthropic ---------------------------------------------------------------------------------


def _anthropic_parts(
    text: Optional[str], model: str, reasoning: Optional[str], tool_calls: ToolCalls, finish_reason: Optional[str],
    input_tokens: int,
) -> Tuple[str, str, List[Dict[str, Any]], str, Dict[str, Any]]:
    """(message id, thinking signature, content blocks, stop_reason, usage)."""
    digest = _digest(model, reasoning, text, json.dumps(list(tool_calls or []), sort_keys=True, default=str))
    blocks: List[Dict[str, Any]] = []
    signature = "Eq" + digest[22:62]
    if reasoning is not None:
        blocks.append({"type": "thinking", "thinking": reasoning, "signature": signature})
    if text is not None and (text or not tool_calls):
        blocks.append({"type": "text", "text": text})
    output_tokens = count_tokens(text or "") + (count_tokens(reasoning) if reasoning else 0)
    for number, call in enumerate(tool_calls or []):
        name, arguments = _arguments(call)
        call_id = call.get("id") if isinstance(call.get("id"), str) and call.get("id") else None
        blocks.append({"type": "tool_use", "id": call_id or "toolu_01" + _digest(digest, number)[:22],
                       "name": name, "input": _arguments_object(arguments)})
        output_tokens += count_tokens(arguments)
    if finish_reason:
        stop = _ANTHROPIC_STOP.get(finish_reason, finish_reason)
    else:
        stop = "tool_use" if tool_calls else "end_turn"
    usage = {"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
             "output_tokens": output_tokens, "service_tier": "standard"}
    return "msg_01" + digest[:22], signature, blocks, stop, usage


def anthropic_message(
    text: Optional[str],
    model: str,
    *,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    input_tokens: int = 10,
) -> Dict[str, Any]:
    """The JSON body of a non-streamed Messages API answer."""
    msg_id, _, blocks, stop, usage = _anthropic_parts(text, model, reasoning, tool_calls, finish_reason, input_tokens)
    return {"id": msg_id, "type": "message", "role": "assistant", "model": model, "content": blocks,
            "stop_reason": stop, "stop_sequence": None, "usage": usage}


def anthropic_events(
    text: Optional[str],
    model: str,
    *,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    input_tokens: int = 10,
    chunk_size: int = 16,
) -> List[bytes]:
    """The SSE frames of a streamed answer: message_start, a ping, content blocks (thinking with
    its ``signature_delta``, text, tool_use with ``input_json_delta`` pieces), message_delta,
    message_stop."""
    msg_id, signature, blocks, stop, usage = _anthropic_parts(
        text, model, reasoning, tool_calls, finish_reason, input_tokens
    )
    events: List[Tuple[Optional[str], Any]] = [
        ("message_start", {"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": dict(usage, output_tokens=1)}}),
        ("ping", {"type": "ping"}),
    ]

    def delta(index: int, body: Dict[str, Any]) -> None:
        events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": body}))

    for index, block in enumerate(blocks):
        kind = block["type"]
        if kind == "thinking":
            start: Dict[str, Any] = {"type": "thinking", "thinking": "", "signature": ""}
        elif kind == "text":
            start = {"type": "text", "text": ""}
        else:
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": start}))
        if kind == "thinking":
            for piece in _pieces(block["thinking"], chunk_size):
                delta(index, {"type": "thinking_delta", "thinking": piece})
            delta(index, {"type": "signature_delta", "signature": signature})
        elif kind == "text":
            for piece in _pieces(block["text"], chunk_size):
                delta(index, {"type": "text_delta", "text": piece})
        else:
            for piece in _pieces(json.dumps(block["input"], ensure_ascii=False), chunk_size):
                delta(index, {"type": "input_json_delta", "partial_json": piece})
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                     "usage": {"output_tokens": usage["output_tokens"]}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return sse_frames(events)


def anthropic_error(status: int, message: str, error_type: Optional[str] = None) -> Dict[str, Any]:
    """Anthropic's error body; the type follows the status unless given."""
    etype = error_type or _ANTHROPIC_ERROR_TYPES.get(status) or ("api_error" if status >= 500 else "invalid_request_error")
    return {"type": "error", "error": {"type": etype, "message": message}}


def render_message(
    text: str,
    model: str,
    reasoning: Optional[str] = None,
    stream: bool = False,
    chunk_size: int = 16,
    input_tokens: int = 10,
) -> Tuple[str, bytes]:
    """``(content type, body bytes)`` Anthropic would send for the reply ``text`` (after ``reasoning``)."""
    if not stream:
        body = anthropic_message(text, model, reasoning=reasoning, input_tokens=input_tokens)
        return "application/json", json.dumps(body, ensure_ascii=False).encode("utf-8")
    frames = anthropic_events(text, model, reasoning=reasoning, input_tokens=input_tokens, chunk_size=chunk_size)
    return "text/event-stream; charset=utf-8", b"".join(frames)


# -- Gemini ------------------------------------------------------------------------------------


def _gemini_usage(prompt_tokens: int, text: Optional[str], reasoning: Optional[str], tool_calls: ToolCalls) -> Dict[str, Any]:
    candidates = count_tokens(text or "") + sum(count_tokens(_arguments(c)[1]) for c in tool_calls or [])
    usage: Dict[str, Any] = {"promptTokenCount": prompt_tokens, "candidatesTokenCount": candidates}
    total = prompt_tokens + candidates
    if reasoning:
        usage["thoughtsTokenCount"] = count_tokens(reasoning)
        total += usage["thoughtsTokenCount"]
    usage["totalTokenCount"] = total
    usage["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": prompt_tokens}]
    return usage


def _gemini_finish(finish_reason: Optional[str]) -> str:
    return _GEMINI_FINISH.get(finish_reason, finish_reason) if finish_reason else "STOP"


def _call_parts(tool_calls: ToolCalls) -> List[Dict[str, Any]]:
    parts = []
    for call in tool_calls or []:
        name, arguments = _arguments(call)
        parts.append({"functionCall": {"name": name, "args": _arguments_object(arguments)}})
    return parts


def gemini_response(
    text: Optional[str],
    model: str,
    *,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    prompt_tokens: int = 10,
) -> Dict[str, Any]:
    """A ``GenerateContentResponse``: thought part, text part, functionCall parts, usageMetadata."""
    parts: List[Dict[str, Any]] = []
    if reasoning is not None:
        parts.append({"text": reasoning, "thought": True})
    if text is not None and (text or not tool_calls):
        parts.append({"text": text})
    parts.extend(_call_parts(tool_calls))
    return {
        "candidates": [{"content": {"parts": parts, "role": "model"}, "finishReason": _gemini_finish(finish_reason),
                        "index": 0}],
        "usageMetadata": _gemini_usage(prompt_tokens, text, reasoning, tool_calls),
        "modelVersion": model,
        "responseId": _digest(model, reasoning, text)[:22],
    }


def gemini_stream_items(
    text: Optional[str],
    model: str,
    *,
    reasoning: Optional[str] = None,
    tool_calls: ToolCalls = None,
    finish_reason: Optional[str] = None,
    prompt_tokens: int = 10,
    chunk_size: int = 16,
) -> List[Dict[str, Any]]:
    """The ``GenerateContentResponse`` pieces of a streamed answer; the last one carries the
    finishReason and the full usageMetadata (function calls arrive whole, as Gemini sends them)."""
    response_id = _digest(model, reasoning, text)[:22]
    part_lists: List[List[Dict[str, Any]]] = []
    for piece in _pieces(reasoning or "", chunk_size):
        part_lists.append([{"text": piece, "thought": True}])
    for piece in _pieces(text or "", chunk_size):
        part_lists.append([{"text": piece}])
    for part in _call_parts(tool_calls):
        part_lists.append([part])
    if not part_lists:
        part_lists.append([{"text": ""}])
    items: List[Dict[str, Any]] = []
    for number, parts in enumerate(part_lists):
        candidate: Dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "index": 0}
        item: Dict[str, Any] = {"candidates": [candidate], "modelVersion": model, "responseId": response_id}
        if number == len(part_lists) - 1:
            candidate["finishReason"] = _gemini_finish(finish_reason)
            item["usageMetadata"] = _gemini_usage(prompt_tokens, text, reasoning, tool_calls)
        else:
            item["usageMetadata"] = {"promptTokenCount": prompt_tokens, "totalTokenCount": prompt_tokens}
        items.append(item)
    return items


def gemini_error(status: int, message: str, error_status: Optional[str] = None) -> Dict[str, Any]:
    """Google's error body: ``{"error": {"code", "message", "status"}}``."""
    name = error_status or _GOOGLE_STATUS.get(status) or ("INTERNAL" if status >= 500 else "INVALID_ARGUMENT")
    return {"error": {"code": status, "message": message, "status": name}}
