"""Converse responses and ConverseStream events -> OpenAI responses and stream chunks.

``text`` blocks -> content, ``reasoningContent`` -> reasoning_content (+ thinking_blocks),
``toolUse`` -> tool_calls; the forced ``json_tool_call`` tool's input comes back as the message
content (JSON text) with finish reason ``stop``. A stream ends properly with ``messageStop``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set

from ...exceptions import APIConnectionError
from ...types import Choices, Delta, ModelResponse, ModelResponseStream, Usage
from .._common import ReplyParts, ToolIndex, block_key
from ..base import ChatRequest, StreamEvent, StreamState, delta_tool_call, load_json, map_finish_reason, tool_call, \
    usage_from_counts
from .errors import stream_error
from .request import JSON_TOOL_NAME

__all__ = ["parse_message", "json_mode", "BedrockStreamState", "parse_event"]


def json_mode(request: ChatRequest) -> bool:
    """True when ``response_format`` is answered through the forced JSON tool."""
    rf = request.params.get("response_format")
    return isinstance(rf, dict) and rf.get("type") in ("json_schema", "json_object") and not request.params.get("tools")


def _num(raw: Dict[str, Any], key: str) -> Optional[int]:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and (value != value or abs(value) == float("inf")):  # NaN, infinity
        return None
    return int(value)


def converse_usage(raw: Any) -> Optional[Usage]:
    """OpenAI usage from Converse's ``usage`` (cache reads and writes count as prompt tokens)."""
    if not isinstance(raw, dict):
        return None
    cache_read = _num(raw, "cacheReadInputTokens")
    cache_write = _num(raw, "cacheWriteInputTokens")
    prompt = (_num(raw, "inputTokens") or 0) + (cache_read or 0) + (cache_write or 0)
    return usage_from_counts(
        prompt, _num(raw, "outputTokens") or 0, cached_tokens=cache_read, cache_creation_tokens=cache_write
    )


class _Content(ReplyParts):
    """What the blocks of ``output.message.content`` say."""

    def __init__(self, blocks: Any, json_tool: bool) -> None:
        super().__init__()
        self.json_tool = json_tool
        for block in blocks if isinstance(blocks, list) else []:
            if isinstance(block, dict):
                self._add(block)

    def _add(self, block: Dict[str, Any]) -> None:
        if isinstance(block.get("text"), str):
            self.texts.append(block["text"])
        elif isinstance(block.get("reasoningContent"), dict):
            self._add_reasoning(block["reasoningContent"])
        elif isinstance(block.get("toolUse"), dict):
            use = block["toolUse"]
            name = str(use.get("name") or "")
            if self.json_tool and name == JSON_TOOL_NAME:
                self.json_text = json.dumps(use.get("input") if use.get("input") is not None else {})
            else:
                self.calls.append(tool_call(str(use.get("toolUseId") or ""), name, use.get("input")))

    def _add_reasoning(self, rc: Dict[str, Any]) -> None:
        rt = rc.get("reasoningText")
        if isinstance(rt, dict):
            text = str(rt.get("text") or "")
            self.reasoning.append(text)
            block: Dict[str, Any] = {"type": "thinking", "thinking": text}
            if rt.get("signature"):
                block["signature"] = rt["signature"]
            self.thinking_blocks.append(block)
        elif rc.get("redactedContent"):
            self.thinking_blocks.append({"type": "redacted_thinking", "data": rc["redactedContent"]})


def parse_message(payload: Any, request: ChatRequest, provider: str, model_id: str) -> ModelResponse:
    """A Converse response body (parsed JSON) -> ModelResponse."""
    if not isinstance(payload, dict):
        raise APIConnectionError("unexpected Converse response: not a JSON object", provider, model_id)
    output = payload.get("output")
    message = output.get("message") if isinstance(output, dict) else None
    if not isinstance(message, dict):
        raise APIConnectionError("unexpected Converse response: no output.message", provider, model_id)
    found = _Content(message.get("content"), json_mode(request))
    content = found.text()
    stop_reason = payload.get("stopReason")
    finish = map_finish_reason(str(stop_reason)) if stop_reason is not None else "stop"
    if found.json_text is not None:
        content = found.json_text if content is None or not content.strip() else content + found.json_text
        if finish == "tool_calls" and not found.calls:
            finish = "stop"
    result = ModelResponse(model=model_id)
    result.choices = [Choices(finish_reason=finish, index=0, message=found.message(content))]
    result.usage = converse_usage(payload.get("usage"))
    return result


# ---------------------------------------------------------------------------------------------
# Streams


@dataclass
class _Thinking:
    """A reasoning block being streamed: its text so far and its signature once sent."""

    texts: List[str] = field(default_factory=list)
    signature: Optional[str] = None


@dataclass
class BedrockStreamState(StreamState):
    """A ConverseStream: tool-call indexes by content block, pending reasoning, end seen."""

    json_mode: bool = False
    tools: ToolIndex = field(default_factory=ToolIndex)
    json_blocks: Set[Any] = field(default_factory=set)  # blocks that carry the JSON tool's input
    reasoning: Dict[Any, _Thinking] = field(default_factory=dict)
    stopped: bool = False
    role_sent: bool = False


def _emit(state: BedrockStreamState, delta: Delta) -> ModelResponseStream:
    if not state.role_sent:
        delta.role = "assistant"
        state.role_sent = True
    return state.chunk(delta=delta)


def _block_start(payload: Dict[str, Any], state: BedrockStreamState) -> List[ModelResponseStream]:
    start = payload.get("start")
    use = start.get("toolUse") if isinstance(start, dict) else None
    if not isinstance(use, dict):
        return []
    block = block_key(payload, "contentBlockIndex")
    if state.json_mode and use.get("name") == JSON_TOOL_NAME:
        state.json_blocks.add(block)
        state.tools.by_block.pop(block, None)
        return []
    state.json_blocks.discard(block)
    index = state.tools.start(block)
    call = delta_tool_call(index, str(use.get("toolUseId") or ""), str(use.get("name") or ""))
    return [_emit(state, Delta(tool_calls=[call]))]


def _tool_delta(use: Dict[str, Any], block: Any, state: BedrockStreamState) -> List[ModelResponseStream]:
    fragment = use.get("input")
    if not isinstance(fragment, str) or not fragment:
        return []
    if block in state.json_blocks:
        return [_emit(state, Delta(content=fragment))]
    index = state.tools.index(block)  # a delta without its start gets its own call
    return [_emit(state, Delta(tool_calls=[delta_tool_call(index, arguments=fragment)]))]


def _reasoning_delta(rc: Dict[str, Any], block: Any, state: BedrockStreamState) -> List[ModelResponseStream]:
    pending = state.reasoning.setdefault(block, _Thinking())
    if isinstance(rc.get("text"), str) and rc["text"]:
        pending.texts.append(rc["text"])
        return [_emit(state, Delta(reasoning_content=rc["text"]))]
    if isinstance(rc.get("signature"), str):
        pending.signature = rc["signature"]
        return []
    if rc.get("redactedContent"):
        return [_emit(state, Delta(thinking_blocks=[{"type": "redacted_thinking", "data": rc["redactedContent"]}]))]
    return []


def _block_delta(payload: Dict[str, Any], state: BedrockStreamState) -> List[ModelResponseStream]:
    delta = payload.get("delta")
    if not isinstance(delta, dict):
        return []
    block = block_key(payload, "contentBlockIndex")
    if isinstance(delta.get("text"), str):
        return [_emit(state, Delta(content=delta["text"]))] if delta["text"] else []
    if isinstance(delta.get("toolUse"), dict):
        return _tool_delta(delta["toolUse"], block, state)
    if isinstance(delta.get("reasoningContent"), dict):
        return _reasoning_delta(delta["reasoningContent"], block, state)
    return []


def _block_stop(payload: Dict[str, Any], state: BedrockStreamState) -> List[ModelResponseStream]:
    pending = state.reasoning.pop(block_key(payload, "contentBlockIndex"), None)
    if pending is not None and pending.signature:
        thinking = {"type": "thinking", "thinking": "".join(pending.texts), "signature": pending.signature}
        return [_emit(state, Delta(thinking_blocks=[thinking]))]
    return []


def _message_stop(payload: Dict[str, Any], state: BedrockStreamState) -> List[ModelResponseStream]:
    reason = payload.get("stopReason")
    finish = map_finish_reason(str(reason)) if reason is not None else "stop"
    if finish == "tool_calls" and not state.tools and state.json_mode:
        finish = "stop"
    state.stopped = True
    state.finish_reason = finish
    return [state.chunk(delta=Delta(), finish_reason=finish)]


def _metadata(payload: Dict[str, Any], state: BedrockStreamState) -> List[ModelResponseStream]:
    usage = converse_usage(payload.get("usage"))
    state.done = True
    if usage is None:
        return []
    state.usage = usage
    return [state.chunk(usage=usage, with_choice=False)]


_EVENTS: Dict[str, Callable[[Dict[str, Any], BedrockStreamState], List[ModelResponseStream]]] = {
    "contentBlockStart": _block_start,
    "contentBlockDelta": _block_delta,
    "contentBlockStop": _block_stop,
    "messageStop": _message_stop,
    "metadata": _metadata,
}


def parse_event(event: StreamEvent, state: BedrockStreamState) -> List[ModelResponseStream]:
    """The chunks of one ConverseStream event (``messageStart`` and unknown events give none)."""
    kind = (event.headers or {}).get(":message-type", "event")
    if kind in ("exception", "error"):
        raise stream_error(event, kind, state)
    name = event.event
    if not name:
        return []
    payload = load_json(event.data or "{}", state.provider, state.model, "Bedrock stream event")
    if not isinstance(payload, dict):
        raise APIConnectionError("unexpected Bedrock stream event %r: not an object" % name, state.provider, state.model)
    handler = _EVENTS.get(name)
    return handler(payload, state) if handler is not None else []
