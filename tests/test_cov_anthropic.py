"""Anthropic adapter: the less common request shapes, odd payloads and stream events."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import APIConnectionError, BadRequestError, UnsupportedParamsError
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.anthropic import JSON_TOOL_NAME, AnthropicAdapter
from litellm_lite.providers.base import ChatRequest, StreamEvent, WireResponse

ADAPTER = AnthropicAdapter()
MODEL = "claude-sonnet-4-0"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 8).decode()
PDF = base64.b64encode(b"%PDF-1.4 tiny").decode()


def cfg(**kw: Any) -> CallConfig:
    kw.setdefault("api_key", "sk-ant-test")
    kw.setdefault("api_base", "https://api.anthropic.com")
    spec = kw.pop("spec", PROVIDERS["anthropic"])
    return CallConfig(provider="anthropic", model=kw.pop("model", MODEL), spec=spec, **kw)


def req(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL, stream: bool = False,
        **params: Any) -> ChatRequest:
    if messages is None:
        messages = [{"role": "user", "content": "hi"}]
    return ChatRequest(model=model, messages=messages, params=params, stream=stream)


def body(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL, drop: bool = False,
         **params: Any) -> Dict[str, Any]:
    wire = ADAPTER.prepare(req(messages, model=model, **params), cfg(model=model, drop_params=drop))
    return json.loads(wire.body)  # type: ignore[no-any-return]


def user(content: Any) -> List[Dict[str, Any]]:
    return [{"role": "user", "content": content}]


# ---------------------------------------------------------------------------------------------
# structured output mode per model version


SCHEMA_FMT = {"type": "json_schema", "json_schema": {"name": "x", "description": "Answer shape",
                                                     "schema": {"type": "object"}}}


@pytest.mark.parametrize("model,native", [
    ("claude-opus-5", True),          # any major version above 4
    ("claude-sonnet-3-7", False),      # below 4
    ("claude-opus-4-1", True),
    ("claude-sonnet-4-0", False),
    ("claude-3-5-sonnet", False),      # old naming: no match at all
])
def test_output_format_depends_on_model_version(model: str, native: bool) -> None:
    wire = ADAPTER.prepare(req(model=model, response_format=SCHEMA_FMT), cfg(model=model))
    sent = json.loads(wire.body)
    assert ("output_format" in sent) is native
    assert ("anthropic-beta" in wire.headers) is native
    if not native:
        tool = sent["tools"][-1]
        assert tool["name"] == JSON_TOOL_NAME
        assert tool["description"] == "Answer shape"
        assert sent["tool_choice"] == {"type": "tool", "name": JSON_TOOL_NAME}


# ---------------------------------------------------------------------------------------------
# content parts


def test_image_url_data_pdf_becomes_document() -> None:
    sent = body(user([{"type": "image_url", "image_url": {"url": "data:application/pdf;base64," + PDF}}]))
    block = sent["messages"][0]["content"][0]
    assert block == {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                                    "data": PDF}}


@pytest.mark.parametrize("part,needle", [
    ({"type": "image_url", "image_url": {}}, "without a url"),
    ({"type": "image_url", "image_url": {"url": "data:image/png,rawnotbase64"}}, "data: URL or an http"),
    ({"type": "image_url", "image_url": {"url": "ftp://x/y.png"}}, "data: URL or an http"),
    ({"type": "file"}, "without a 'file' object"),
    ({"type": "file", "file": {"file_data": "not-a-data-url"}}, "base64 data: URL"),
    ({"type": "file", "file": {"file_data": "data:text/plain;base64,aGk="}}, "unsupported file type"),
    ({"type": "file", "file": {"file_id": "file-123"}}, "file_id is not supported"),
    ({"type": "text"}, "without a text string"),
    ({"type": "input_audio", "input_audio": {"data": "x", "format": "wav"}}, "audio"),
    ({"type": "video_url"}, "unsupported content part type"),
    (42, "must be objects"),
])
def test_bad_content_parts_raise_bad_request(part: Any, needle: str) -> None:
    with pytest.raises(BadRequestError) as info:
        body(user([part]))
    assert needle in str(info.value)
    assert info.value.llm_provider == "anthropic"


def test_file_part_with_image_data_becomes_image_block() -> None:
    sent = body(user([{"type": "file", "file": {"file_data": "data:image/png;base64," + PNG}}]))
    assert sent["messages"][0]["content"][0] == {
        "type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}


def test_string_parts_refusals_and_native_blocks() -> None:
    native = {"type": "search_result", "source": "s", "title": "t", "content": [],
              "cache_control": {"type": "ephemeral"}}
    sent = body(user(["plain", {"type": "refusal", "refusal": "no"}, {"type": "refusal", "refusal": ""},
                      {"type": "text", "text": ""}, native]))
    blocks = sent["messages"][0]["content"]
    assert blocks[0] == {"type": "text", "text": "plain"}
    assert blocks[1] == {"type": "text", "text": "no"}
    # the native block passes through; its cache_control is re-attached from the part
    assert blocks[2]["type"] == "search_result" and blocks[2]["cache_control"] == {"type": "ephemeral"}
    assert len(blocks) == 3


def test_content_that_is_neither_str_nor_list_is_rejected() -> None:
    with pytest.raises(BadRequestError, match="string or a list"):
        body(user({"text": "hi"}))


# ---------------------------------------------------------------------------------------------
# messages


def test_assistant_thinking_blocks_skip_non_dicts_and_tool_args_dict() -> None:
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": None,
         "thinking_blocks": ["junk", {"type": "thinking", "thinking": "t", "signature": "sig"},
                             {"type": "redacted_thinking", "data": "enc"}],
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "ok"},
    ]
    sent = body(messages)
    blocks = sent["messages"][1]["content"]
    assert blocks[0] == {"type": "thinking", "thinking": "t", "signature": "sig"}
    assert blocks[1] == {"type": "redacted_thinking", "data": "enc"}
    assert blocks[2] == {"type": "tool_use", "id": "c1", "name": "f", "input": {"a": 1}}


@pytest.mark.parametrize("calls,needle", [
    ({"id": "c"}, "must be a list"),
    ([{"id": "c", "function": {"arguments": "{}"}}], "function.name"),
    (["junk"], "function.name"),
])
def test_bad_assistant_tool_calls(calls: Any, needle: str) -> None:
    messages = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "tool_calls": calls}]
    with pytest.raises(BadRequestError, match=needle):
        body(messages)


def test_empty_user_content_is_skipped_between_turns() -> None:
    sent = body([{"role": "user", "content": "a"}, {"role": "user", "content": ""},
                 {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}])
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant", "user"]
    assert sent["messages"][0]["content"] == "a"


@pytest.mark.parametrize("messages,needle", [
    (["not a dict"], "must be an object"),
    ([{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "https://x/i.png"}}]},
      {"role": "user", "content": "q"}], "only contain text"),
    ([{"role": "narrator", "content": "x"}], "unsupported message role"),
    ([{"role": "system", "content": "only system"}], "at least one user"),
])
def test_bad_messages(messages: Any, needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body(messages)


def test_whitespace_only_prefill_is_removed() -> None:
    sent = body([{"role": "user", "content": "q"}, {"role": "assistant", "content": "   \n"}])
    assert [m["role"] for m in sent["messages"]] == ["user"]


def test_whitespace_prefill_after_tool_use_keeps_the_turn() -> None:
    messages = [{"role": "user", "content": "q"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}},
                                                  {"type": "text", "text": "  "}]}]
    sent = body(messages)
    assert sent["messages"][-1] == {"role": "assistant",
                                    "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}]}


# ---------------------------------------------------------------------------------------------
# tools, tool_choice, thinking, params


@pytest.mark.parametrize("tools,needle", [
    ({"type": "function"}, "must be a list"),
    (["x"], "must be an object"),
    ([{"type": "function", "function": "f"}], "'function' must be an object"),
    ([{"type": "function", "function": {"description": "no name"}}], "function.name"),
])
def test_bad_tools(tools: Any, needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body(tools=tools)


def test_native_tool_passes_through_and_schema_gets_object_type() -> None:
    native = {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}
    fn = {"type": "function", "function": {"name": "f", "parameters": {"properties": {"a": {"type": "string"}}}}}
    sent = body(tools=[native, fn])
    assert sent["tools"][0] == native
    assert sent["tools"][1] == {"name": "f", "input_schema": {"properties": {"a": {"type": "string"}},
                                                                "type": "object"}}


TOOL = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]


def test_tool_choice_native_dict_passes_and_garbage_is_rejected() -> None:
    sent = body(tools=TOOL, tool_choice={"type": "any"})
    assert sent["tool_choice"] == {"type": "any"}
    with pytest.raises(BadRequestError, match="unsupported tool_choice"):
        body(tools=TOOL, tool_choice={"type": "bogus"})
    with pytest.raises(BadRequestError, match="unsupported tool_choice"):
        body(tools=TOOL, tool_choice="sometimes")


def test_thinking_must_be_a_dict() -> None:
    with pytest.raises(BadRequestError, match="thinking must be an object"):
        body(thinking="on")


def test_service_tier_valid_is_sent_invalid_is_rejected_or_dropped() -> None:
    assert body(service_tier="auto")["service_tier"] == "auto"
    with pytest.raises(UnsupportedParamsError, match="service_tier"):
        body(service_tier="flex")
    assert "service_tier" not in body(service_tier="flex", drop=True)


@pytest.mark.parametrize("value", [0, -3, "10", True, 2.5])
def test_max_tokens_must_be_positive_int(value: Any) -> None:
    with pytest.raises(BadRequestError, match="max_tokens must be a positive integer"):
        body(max_tokens=value)


def test_spec_headers_are_sent_and_extra_headers_override_them_case_insensitively() -> None:
    spec = dataclasses.replace(PROVIDERS["anthropic"], headers=(("X-Vendor", "v1"), ("anthropic-version", "old")))
    wire = ADAPTER.prepare(req(), cfg(spec=spec, extra_headers={"Anthropic-Version": "2099-01-01"}))
    assert wire.headers["X-Vendor"] == "v1"
    assert wire.headers["Anthropic-Version"] == "2099-01-01"
    assert "anthropic-version" not in wire.headers


# ---------------------------------------------------------------------------------------------
# responses


def _parse(payload: Any, **params: Any) -> Any:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return ADAPTER.parse(WireResponse(200, {}, raw), req(**params), cfg())


def test_response_without_usage_and_with_stop_sequence() -> None:
    resp = _parse({"id": "msg_1", "content": [{"type": "text", "text": "hi"}], "stop_reason": "stop_sequence",
                   "stop_sequence": "END", "usage": "garbage"})
    assert resp.choices[0].message.content == "hi"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.usage is None  # garbage usage -> nothing reported
    assert resp._hidden_params["stop_sequence"] == "END"
    assert resp.id == "msg_1"


def test_response_that_is_not_an_object_or_lacks_content() -> None:
    with pytest.raises(APIConnectionError, match="not a JSON object"):
        _parse([1, 2])
    with pytest.raises(APIConnectionError, match="no content list"):
        _parse({"id": "m", "content": "text"})


# ---------------------------------------------------------------------------------------------
# streaming


def _events(events: List[Dict[str, Any]], **params: Any) -> List[Any]:
    request = req(stream=True, **params)
    state = ADAPTER.new_stream_state(request, cfg())
    out: List[Any] = []
    for data in events:
        out.extend(ADAPTER.parse_event(StreamEvent(data=json.dumps(data)), state))
    return out


def test_stream_ignores_blank_events_and_rejects_non_objects() -> None:
    state = ADAPTER.new_stream_state(req(stream=True), cfg())
    assert ADAPTER.parse_event(StreamEvent(data="  \n"), state) == []
    with pytest.raises(APIConnectionError, match="not a JSON object"):
        ADAPTER.parse_event(StreamEvent(data="[1]"), state)


def test_stream_tool_use_with_initial_input() -> None:
    chunks = _events([
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "tool_use", "id": "tu_1", "name": "f", "input": {"a": 1}}},
        {"type": "content_block_stop", "index": 0},
    ])
    calls = [c.choices[0].delta.tool_calls[0] for c in chunks]
    assert calls[0].id == "tu_1" and calls[0].function.name == "f"
    assert json.loads(calls[1].function.arguments) == {"a": 1}
    assert len(chunks) == 2  # the stop adds no "{}" since arguments were already sent


def test_stream_thinking_block_with_initial_text_and_signature() -> None:
    chunks = _events([
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "thinking", "thinking": "hmm ", "signature": "s1"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "ok"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "s2"}},
        {"type": "content_block_stop", "index": 0},
    ])
    assert [c.choices[0].delta.reasoning_content for c in chunks[:2]] == ["hmm ", "ok"]
    assert chunks[-1].choices[0].delta.thinking_blocks == [{"type": "thinking", "thinking": "hmm ok",
                                                             "signature": "s1s2"}]


def test_stream_unknown_block_and_delta_types_are_ignored() -> None:
    chunks = _events([
        {"type": "content_block_start", "index": 0, "content_block": {"type": "server_tool_use_future"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {}}},
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{"}},
    ])
    assert chunks == []


def test_stream_json_tool_without_arguments_gives_empty_object_content() -> None:
    chunks = _events([
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "tool_use", "id": "j", "name": JSON_TOOL_NAME, "input": {}}},
        {"type": "content_block_stop", "index": 0},
    ], response_format={"type": "json_object"})
    assert [c.choices[0].delta.content for c in chunks] == ["{}"]
    assert chunks[0].choices[0].delta.tool_calls is None
