"""Bedrock Converse: the less common request shapes and stream events, one by one."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List

import pytest

from litellm_lite.exceptions import BadRequestError, UnsupportedParamsError
from litellm_lite.providers.base import StreamEvent
from tests.providers.test_bedrock import ADAPTER, CLAUDE, PNG, body_of, cfg, req

PDF = "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4 tiny").decode()


def event(name: str, payload: Dict[str, Any]) -> StreamEvent:
    return StreamEvent(data=json.dumps(payload), event=name, headers={":message-type": "event"})


@pytest.mark.parametrize("messages, needle", [
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "s3://bucket/cat"}}]}],
     "cannot tell the image format"),
    ([{"role": "narrator", "content": "hi"}], "unsupported message role 'narrator'"),
    ([{"role": "user", "content": ["plain string part"]}], "content parts must be objects"),
    ([{"role": "user", "content": [{"type": "file", "file": {"file_id": "f-1"}}]}], "file.file_data as a data: URL"),
    ([{"role": "user", "content": [{"type": "file", "file": {"file_data": "data:audio/wav;base64,AAAA"}}]}],
     "does not accept 'audio/wav' documents"),
    ([{"role": "user", "content": "hi"}, {"role": "assistant", "tool_calls": [{"id": "c", "function": {}}]}],
     "need function.name"),
])
def test_bad_messages_are_refused_before_sending(messages: List[Dict[str, Any]], needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body_of(req(messages))


def test_cache_points_images_in_files_and_tool_results_and_empty_turns() -> None:
    image = "data:image/png;base64," + PNG
    body = body_of(req([
        {"role": "user", "content": [
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": image}, "cache_control": {"type": "ephemeral"}},
            {"type": "file", "file": {"file_data": image}},
            {"type": "file", "file": {"file_data": PDF, "filename": "Q3 report (final).pdf"}},
        ]},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "hmm", "signature": "sig"}],
         "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": ""}}]},
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "image_url", "image_url": image}]},
        {"role": "assistant", "content": None},
    ]))
    user = body["messages"][0]["content"]
    assert [list(block)[0] for block in user] == ["text", "image", "cachePoint", "image", "document"]
    assert user[4]["document"]["name"] == "Q3 report (final)"
    assistant = body["messages"][1]["content"]
    assert assistant[0] == {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}}
    assert assistant[1]["toolUse"] == {"toolUseId": "c1", "name": "f", "input": {}}
    result = body["messages"][2]["content"][0]["toolResult"]
    assert result["content"][0]["image"]["format"] == "png"
    assert body["messages"][3] == {"role": "assistant", "content": [{"text": ""}]}


def test_tool_config_edges() -> None:
    with pytest.raises(BadRequestError, match="each tool needs function.name"):
        body_of(req(tools=[{"type": "function", "function": {}}]))
    with pytest.raises(BadRequestError, match="tool_choice must name a function"):
        body_of(req(tools=[{"type": "function", "function": {"name": "f"}}], tool_choice={"type": "function"}))
    orphan = [{"role": "user", "content": "hi"}, {"role": "tool", "tool_call_id": "c9", "content": "42"}]
    assert body_of(req(orphan))["toolConfig"]["tools"][0]["toolSpec"]["name"] == "tool"
    body = body_of(req(response_format={"type": "json_schema", "json_schema": {
        "name": "x", "description": "A person.", "schema": {"type": "object"}}}))
    assert body["toolConfig"]["tools"][0]["toolSpec"]["description"] == "A person."


def test_reasoning_edges() -> None:
    assert "additionalModelRequestFields" not in body_of(req(model=CLAUDE, thinking={"type": "disabled"}))
    with pytest.raises(BadRequestError, match="reasoning_effort must be one of"):
        body_of(req(model=CLAUDE, reasoning_effort="extreme"))
    with pytest.raises(UnsupportedParamsError, match="Claude models only"):
        body_of(req(reasoning_effort="low"))


def test_redacted_reasoning_in_responses_and_streams() -> None:
    from litellm_lite.providers.base import WireResponse

    payload = {"output": {"message": {"content": [{"reasoningContent": {"redactedContent": "b64=="}},
                                                  {"text": "ok"}]}},
               "stopReason": "end_turn", "usage": "not an object"}
    result = ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()), req(), cfg())
    assert result.choices[0].message.thinking_blocks == [{"type": "redacted_thinking", "data": "b64=="}]
    assert result.choices[0].message.content == "ok"
    state = ADAPTER.new_stream_state(req(stream=True), cfg())
    chunks = ADAPTER.parse_event(event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {
        "reasoningContent": {"redactedContent": "b64=="}}}), state)
    assert chunks[0].choices[0].delta.thinking_blocks == [{"type": "redacted_thinking", "data": "b64=="}]
    assert ADAPTER.parse_event(event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {
        "reasoningContent": {}}}), state) == []
    assert ADAPTER.parse_event(event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"other": 1}}),
                               state) == []
