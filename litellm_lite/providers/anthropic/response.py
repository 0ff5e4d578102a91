"""Messages API responses and SSE events -> OpenAI responses and stream chunks.

``text`` blocks -> content, ``thinking`` -> reasoning_content (+ thinking_blocks), ``tool_use`` ->
tool_calls. Streams have typed events (message_start, content_block_start/delta/stop,
message_delta, message_stop, ping, error); ``message_stop`` is the end marker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from ...exceptions import APIConnectionError, APIError
from ...types import Choices, Delta, ModelResponse, ModelResponseStream, Usage
from .._common import ReplyParts, block_key, event_object, payload_error
from ..base import ChatRequest, StreamEvent, StreamState, delta_tool_call, map_finish_reason, token_count, \
    tool_call, usage_from_counts
from .request import JSON_TOOL_NAME

__all__ = ["parse_message", "AnthropicStreamState", "parse_event", "error_payload"]

# Anthropic error ``type`` -> HTTP status, for errors that arrive inside a 200 stream.
_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


def anthropic_usage(raw: Any) -> Optional[Usage]:
    if not isinstance(raw, dict):
        return None
    read = token_count(raw.get("cache_read_input_tokens"))
    created = token_count(raw.get("cache_creation_input_tokens"))
    prompt = (token_count(raw.get("input_tokens")) or 0) + (read or 0) + (created or 0)
    return usage_from_counts(prompt, token_count(raw.get("output_tokens")) or 0,
                             cached_tokens=read, cache_creation_tokens=created)


def error_payload(payload: Dict[str, Any], provider: str, model: str) -> APIError:
    """Our exception for an ``{"type": "error", "error": {type, message}}`` payload."""
    return payload_error(payload, provider, model, statuses=_ERROR_STATUS, default_type="api_error")


class _Content(ReplyParts):
    """What the blocks of a response's ``content`` say."""

    def __init__(self, blocks: List[Any], json_tool: bool) -> None:
        super().__init__()
        self.json_tool = json_tool
        for block in blocks:
            if isinstance(block, dict):
                self._add(block)

    def _add(self, block: Dict[str, Any]) -> None:
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            self.texts.append(block["text"])
        elif kind == "thinking":
            text = str(block.get("thinking") or "")
            self.reasoning.append(text)
            self.thinking_blocks.append({"type": "thinking", "thinking": text, "signature": block.get("signature")})
        elif kind == "redacted_thinking":
            self.thinking_blocks.append({"type": "redacted_thinking", "data": block.get("data")})
        elif kind == "tool_use":
            self._add_tool_use(block)

    def _add_tool_use(self, block: Dict[str, Any]) -> None:
        if self.json_tool and block.get("name") == JSON_TOOL_NAME and self.json_text is None:
            self.json_text = json.dumps(block.get("input") if block.get("input") is not None else {})
            return
        arguments = block.get("input") if isinstance(block.get("input"), dict) else {}
        self.calls.append(tool_call(str(block.get("id") or ""), str(block.get("name") or ""), arguments))


def parse_message(payload: Any, body_text: str, request: ChatRequest, json_tool: bool, provider: str,
                  model: str) -> ModelResponse:
    """A Messages API response body (parsed JSON) -> ModelResponse."""
    if not isinstance(payload, dict):
        raise APIConnectionError("Anthropic response is not a JSON object", provider, model)
    if payload.get("type") == "error":
        raise error_payload(payload, provider, model)
    blocks = payload.get("content")
    if not isinstance(blocks, list):
        raise APIConnectionError("Anthropic response has no content list", provider, model, body=body_text[:2000])
    found = _Content(blocks, json_tool)
    finish = map_finish_reason(payload.get("stop_reason")) if payload.get("stop_reason") else "stop"
    content = found.text()
    if found.json_text is not None:
        content = found.json_text
        if not found.calls:
            finish = "stop"
    message = found.message(content)
    result = ModelResponse(model=str(payload.get("model") or request.model),
                           choices=[Choices(finish_reason=finish, index=0, message=message)],
                           usage=anthropic_usage(payload.get("usage")))
    if payload.get("id"):
        result.id = str(payload["id"])
    if payload.get("stop_sequence") is not None:
        result._hidden_params["stop_sequence"] = payload["stop_sequence"]
    return result


# ---------------------------------------------------------------------------------------------
# Streams


@dataclass
class _Block:
    """One streamed content block: its type, the tool call it is, argument fragments seen, reasoning."""

    type: Any = None
    tool: Optional[int] = None
    json: bool = False  # the forced JSON tool: its arguments are the message content
    args: int = 0
    thinking: List[str] = field(default_factory=list)
    signature: str = ""


@dataclass
class AnthropicStreamState(StreamState):
    """An Anthropic stream: its content blocks by index, tool calls so far, usage so far."""

    json_tool: bool = False
    json_seen: bool = False
    blocks: Dict[Any, _Block] = field(default_factory=dict)
    tools: int = 0
    usage_fields: Dict[str, Any] = field(default_factory=dict)


def _content_chunk(state: StreamState, text: Any) -> List[ModelResponseStream]:
    return [state.chunk(delta=Delta(content=text))] if isinstance(text, str) and text else []


def _arguments_chunk(state: StreamState, block: _Block, arguments: str) -> List[ModelResponseStream]:
    """Argument text for ``block``: message content for the JSON tool, a tool-call fragment otherwise."""
    if block.json:
        return [state.chunk(delta=Delta(content=arguments))]
    if block.tool is None:
        return []
    return [state.chunk(delta=Delta(tool_calls=[delta_tool_call(block.tool, arguments=arguments)]))]


def _tool_start(raw: Dict[str, Any], record: _Block, state: AnthropicStreamState) -> List[ModelResponseStream]:
    name = str(raw.get("name") or "")
    if state.json_tool and name == JSON_TOOL_NAME and not state.json_seen:
        state.json_seen = True
        record.json = True
        return []
    record.tool = state.tools
    state.tools += 1
    out = [state.chunk(delta=Delta(tool_calls=[delta_tool_call(record.tool, str(raw.get("id") or ""), name, "")]))]
    initial = raw.get("input")
    if isinstance(initial, dict) and initial:
        record.args += 1
        out.extend(_arguments_chunk(state, record, json.dumps(initial)))
    return out


def _thinking_start(raw: Dict[str, Any], record: _Block, state: AnthropicStreamState) -> List[ModelResponseStream]:
    if isinstance(raw.get("signature"), str):
        record.signature = raw["signature"]
    text = raw.get("thinking")
    if isinstance(text, str) and text:
        record.thinking.append(text)
        return [state.chunk(delta=Delta(reasoning_content=text))]
    return []


def _block_start(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    raw_block = data.get("content_block")
    raw = raw_block if isinstance(raw_block, dict) else {}
    kind = raw.get("type")
    record = _Block(type=kind)
    state.blocks[block_key(data, "index", 0)] = record
    if kind == "text":
        return _content_chunk(state, raw.get("text"))
    if kind == "tool_use":
        return _tool_start(raw, record, state)
    if kind == "thinking":
        return _thinking_start(raw, record, state)
    if kind == "redacted_thinking":
        return [state.chunk(delta=Delta(thinking_blocks=[{"type": "redacted_thinking", "data": raw.get("data")}]))]
    return []


def _block_delta(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    raw_delta = data.get("delta")
    delta = raw_delta if isinstance(raw_delta, dict) else {}
    record = state.blocks.get(block_key(data, "index", 0)) or _Block()
    kind = delta.get("type")
    if kind == "text_delta":
        return _content_chunk(state, delta.get("text"))
    if kind == "input_json_delta":
        partial = delta.get("partial_json")
        if not isinstance(partial, str) or not partial:
            return []
        record.args += 1
        return _arguments_chunk(state, record, partial)
    if kind == "thinking_delta":
        text = delta.get("thinking")
        if not isinstance(text, str) or not text:
            return []
        record.thinking.append(text)
        return [state.chunk(delta=Delta(reasoning_content=text))]
    if kind == "signature_delta" and isinstance(delta.get("signature"), str):
        record.signature += delta["signature"]
    return []  # signature_delta, citations_delta and future delta types


def _block_stop(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    record = state.blocks.get(block_key(data, "index", 0)) or _Block()
    if record.type == "thinking":
        block = {"type": "thinking", "thinking": "".join(record.thinking), "signature": record.signature or None}
        return [state.chunk(delta=Delta(thinking_blocks=[block]))]
    if record.type == "tool_use" and not record.args:
        # No argument fragments at all (a tool without parameters): the arguments are {}.
        return _arguments_chunk(state, record, "{}")
    return []


def _message_start(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    raw_message = data.get("message")
    message = raw_message if isinstance(raw_message, dict) else {}
    if message.get("id"):
        state.response_id = str(message["id"])
    if isinstance(message.get("usage"), dict):
        state.usage_fields.update(message["usage"])
    return [state.chunk(delta=Delta(role="assistant"))]


def _message_delta(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    raw_delta = data.get("delta")
    delta = raw_delta if isinstance(raw_delta, dict) else {}
    if isinstance(data.get("usage"), dict):
        state.usage_fields.update({k: v for k, v in data["usage"].items() if v is not None})
    reason = delta.get("stop_reason")
    finish = map_finish_reason(reason) if reason else None
    if finish == "tool_calls" and state.json_tool and state.tools == 0:
        finish = "stop"
    if finish is not None:
        state.finish_reason = finish
    state.usage = anthropic_usage(state.usage_fields)
    return [state.chunk(delta=Delta(), finish_reason=finish, usage=state.usage)]


def _message_stop(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    state.done = True
    return []


def _error(data: Dict[str, Any], state: AnthropicStreamState) -> List[ModelResponseStream]:
    raise error_payload(data, state.provider, state.model)


_EVENTS: Dict[str, Callable[[Dict[str, Any], AnthropicStreamState], List[ModelResponseStream]]] = {
    "error": _error,
    "message_start": _message_start,
    "content_block_start": _block_start,
    "content_block_delta": _block_delta,
    "content_block_stop": _block_stop,
    "message_delta": _message_delta,
    "message_stop": _message_stop,
}


def parse_event(event: StreamEvent, state: AnthropicStreamState) -> List[ModelResponseStream]:
    """The chunks of one SSE event (ping and unknown event types give none, as the API's
    versioning policy asks)."""
    if not event.data or not event.data.strip():
        return []
    data = event_object(event.data, state, "Anthropic")
    kind = data.get("type") or event.event
    handler = _EVENTS.get(kind) if isinstance(kind, str) else None
    return handler(data, state) if handler is not None else []
