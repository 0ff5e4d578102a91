"""Render a reply text as a realistic Anthropic Messages API response (JSON or SSE stream).

Used by fakes and tests: ``render_message("hi", "claude-x")`` -> ``(content_type, body_bytes)``.
The output has the shape the real API sends (ids, usage with cache fields, ping events,
``signature_delta`` after thinking), so it exercises the same code paths as a live call.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["render_message"]


def _count(text: str) -> int:
    """A rough token count (about four characters per token, at least one)."""
    return max(1, (len(text) + 3) // 4)


def _pieces(text: str, size: int) -> List[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _event(name: str, data: Dict[str, Any]) -> bytes:
    return ("event: %s\ndata: %s\n\n" % (name, json.dumps(data, ensure_ascii=False))).encode("utf-8")


def render_message(
    text: str,
    model: str,
    reasoning: Optional[str] = None,
    stream: bool = False,
    chunk_size: int = 16,
    input_tokens: int = 10,
) -> Tuple[str, bytes]:
    """The body Anthropic would send for an assistant reply ``text`` (after ``reasoning``, if given)."""
    digest = hashlib.sha256(("%s|%s|%s" % (model, reasoning, text)).encode("utf-8")).hexdigest()
    msg_id = "msg_01" + digest[:22]
    signature = "Eq" + digest[22:62]
    output_tokens = _count(text) + (_count(reasoning) if reasoning else 0)
    usage = {"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
             "output_tokens": output_tokens, "service_tier": "standard"}
    blocks: List[Dict[str, Any]] = []
    if reasoning is not None:
        blocks.append({"type": "thinking", "thinking": reasoning, "signature": signature})
    blocks.append({"type": "text", "text": text})
    if not stream:
        body = {"id": msg_id, "type": "message", "role": "assistant", "model": model, "content": blocks,
                "stop_reason": "end_turn", "stop_sequence": None, "usage": usage}
        return "application/json", json.dumps(body, ensure_ascii=False).encode("utf-8")

    size = max(1, int(chunk_size))
    start_usage = dict(usage, output_tokens=1)
    out = [_event("message_start", {"type": "message_start", "message": {
        "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": start_usage}})]
    for index, block in enumerate(blocks):
        if block["type"] == "thinking":
            out.append(_event("content_block_start", {"type": "content_block_start", "index": index,
                                                      "content_block": {"type": "thinking", "thinking": "",
                                                                        "signature": ""}}))
            for piece in _pieces(block["thinking"], size):
                out.append(_event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                    "type": "thinking_delta", "thinking": piece}}))
            out.append(_event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                "type": "signature_delta", "signature": signature}}))
        else:
            out.append(_event("content_block_start", {"type": "content_block_start", "index": index,
                                                      "content_block": {"type": "text", "text": ""}}))
            if index == 0:
                out.append(_event("ping", {"type": "ping"}))
            for piece in _pieces(block["text"], size):
                out.append(_event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                    "type": "text_delta", "text": piece}}))
        out.append(_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    out.append(_event("message_delta", {"type": "message_delta",
                                        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                        "usage": {"output_tokens": output_tokens}}))
    out.append(_event("message_stop", {"type": "message_stop"}))
    return "text/event-stream; charset=utf-8", b"".join(out)
