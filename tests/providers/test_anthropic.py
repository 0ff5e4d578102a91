"""Anthropic Messages adapter: request mapping, response/stream parsing, recordings, spec checks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    UnsupportedParamsError,
)
from litellm_lite.testing_formats import render_message
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.anthropic import JSON_TOOL_NAME, AnthropicAdapter
from litellm_lite.providers.base import ChatRequest, StreamEvent, StreamState, WireResponse
from litellm_lite.types import ModelResponseStream
from tests.conftest import SHARED, CASSETTES
import dataclasses

SPEC_FILE = SHARED / "specs" / "anthropic-openapi.json"

ADAPTER = AnthropicAdapter()
MODEL = "claude-sonnet-4-0"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
PDF = base64.b64encode(b"%PDF-1.4 tiny").decode()


def _sse_decoder() -> Any:
    from litellm_lite._sse import SSEDecoder

    return SSEDecoder()


# ---------------------------------------------------------------------------------------------
# helpers


def cfg(**kw: Any) -> CallConfig:
    kw.setdefault("api_key", "sk-ant-test-key")
    kw.setdefault("api_base", "https://api.anthropic.com")
    model = kw.pop("model", MODEL)
    return CallConfig(provider="anthropic", model=model, spec=PROVIDERS["anthropic"], **kw)


def req(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL, stream: bool = False,
        extra_body: Optional[Dict[str, Any]] = None, **params: Any) -> ChatRequest:
    if messages is None:
        messages = [{"role": "user", "content": "hi"}]
    return ChatRequest(model=model, messages=messages, params=params, stream=stream, extra_body=extra_body or {})


def body_of(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL, config: Optional[CallConfig] = None,
            **params: Any) -> Dict[str, Any]:
    wire = ADAPTER.prepare(req(messages, model=model, **params), config or cfg(model=model))
    body = json.loads(wire.body.decode("utf-8"))
    _validate(body, beta="output_format" in body)
    return body  # type: ignore[no-any-return]


_VALIDATORS: Dict[str, Any] = {}


def _validator(name: str) -> Any:
    if name not in _VALIDATORS:
        from jsonschema import Draft202012Validator
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        spec = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
        registry = Registry().with_resource("urn:anthropic-spec", DRAFT202012.create_resource(spec))
        _VALIDATORS[name] = Draft202012Validator(
            {"$ref": "urn:anthropic-spec#/components/schemas/%s" % name}, registry=registry
        )
    return _VALIDATORS[name]


def _validate(body: Dict[str, Any], beta: bool = False) -> None:
    """Check a request body against the published create-message schema (when ../shared is there)."""
    if not SPEC_FILE.is_file():
        return
    errors = list(_validator("BetaCreateMessageParams" if beta else "CreateMessageParams").iter_errors(body))
    assert not errors, [e.message for e in errors[:3]]


def run_stream(data: bytes, request: Optional[ChatRequest] = None, pieces: Optional[List[bytes]] = None,
               finish: bool = True) -> Tuple[List[ModelResponseStream], StreamState]:
    request = request or req(stream=True)
    state = ADAPTER.new_stream_state(request, cfg())
    decoder = _sse_decoder()
    chunks: List[ModelResponseStream] = []
    for piece in pieces if pieces is not None else [data]:
        for event in decoder.feed(piece):
            chunks.extend(ADAPTER.parse_event(event, state))
    for event in decoder.flush():
        chunks.extend(ADAPTER.parse_event(event, state))
    if finish:
        chunks.extend(ADAPTER.finish_stream(state))
    return chunks, state


def summarize(chunks: List[ModelResponseStream]) -> Dict[str, Any]:
    """Content, reasoning, tool calls (args parsed), finish reason, usage and thinking blocks."""
    content: Optional[str] = None
    reasoning: Optional[str] = None
    calls: Dict[int, Dict[str, Any]] = {}
    finish = None
    usage = None
    blocks: List[Dict[str, Any]] = []
    for chunk in chunks:
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content is not None:
                content = (content or "") + delta.content
            if delta.reasoning_content is not None:
                reasoning = (reasoning or "") + delta.reasoning_content
            for call in delta.tool_calls or []:
                entry = calls.setdefault(call.index, {"id": None, "name": None, "arguments": ""})
                if call.id:
                    entry["id"] = call.id
                if call.function.name:
                    entry["name"] = call.function.name
                entry["arguments"] += call.function.arguments or ""
            blocks.extend(delta.thinking_blocks or [])
            if choice.finish_reason:
                finish = choice.finish_reason
    tool_calls = [
        {"id": c["id"], "name": c["name"], "arguments": json.loads(c["arguments"])} for _, c in sorted(calls.items())
    ]
    return {"content": content, "reasoning": reasoning, "tool_calls": tool_calls, "finish": finish, "usage": usage,
            "thinking_blocks": blocks}


def sse(*events: Tuple[str, Dict[str, Any]]) -> bytes:
    return b"".join(("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode() for name, data in events)


# ---------------------------------------------------------------------------------------------
# URL and headers


@pytest.mark.parametrize(
    "base",
    ["https://api.anthropic.com", "https://api.anthropic.com/", "https://api.anthropic.com/v1",
     "https://api.anthropic.com/v1/", "https://api.anthropic.com/v1/messages"],
)
def test_url_accepts_base_with_or_without_v1(base: str) -> None:
    wire = ADAPTER.prepare(req(), cfg(api_base=base))
    assert wire.url == "https://api.anthropic.com/v1/messages"
    assert wire.method == "POST"


def test_url_keeps_a_gateway_prefix() -> None:
    wire = ADAPTER.prepare(req(), cfg(api_base="http://127.0.0.1:8080/anthropic"))
    assert wire.url == "http://127.0.0.1:8080/anthropic/v1/messages"


def test_headers() -> None:
    wire = ADAPTER.prepare(req(), cfg(extra_headers={"anthropic-beta": "prompt-caching-2024-07-31", "X-Trace": "1"}))
    assert wire.headers["x-api-key"] == "sk-ant-test-key"
    assert wire.headers["anthropic-version"] == "2023-06-01"
    assert wire.headers["content-type"] == "application/json"
    assert wire.headers["accept"] == "application/json"
    assert wire.headers["anthropic-beta"] == "prompt-caching-2024-07-31"
    assert wire.headers["X-Trace"] == "1"
    assert "authorization" not in {k.lower() for k in wire.headers}


def test_headers_stream_and_no_key() -> None:
    wire = ADAPTER.prepare(req(stream=True), cfg(api_key=None))
    assert "x-api-key" not in wire.headers
    assert wire.headers["accept"] == "text/event-stream"
    assert json.loads(wire.body)["stream"] is True


def test_extra_header_overrides_version_case_insensitively() -> None:
    wire = ADAPTER.prepare(req(), cfg(extra_headers={"Anthropic-Version": "2024-01-01"}))
    versions = [v for k, v in wire.headers.items() if k.lower() == "anthropic-version"]
    assert versions == ["2024-01-01"]


# ---------------------------------------------------------------------------------------------
# messages


def test_minimal_body() -> None:
    body = body_of()
    assert body == {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4096}


def test_system_and_developer_messages_go_top_level() -> None:
    body = body_of([
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hi"},
        {"role": "developer", "content": [{"type": "text", "text": "Use French."}]},
        {"role": "user", "content": "again"},
    ])
    assert body["system"] == "Be brief.\nUse French."
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"},
                                                            {"type": "text", "text": "again"}]}]


def test_system_with_cache_control_is_a_block_list() -> None:
    body = body_of([
        {"role": "system", "content": [{"type": "text", "text": "Long context", "cache_control": {"type": "ephemeral"}}]},
        {"role": "system", "content": "Second"},
        {"role": "user", "content": "hi"},
    ])
    assert body["system"] == [
        {"type": "text", "text": "Long context", "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": "Second"},
    ]


def test_consecutive_same_role_turns_are_merged() -> None:
    body = body_of([
        {"role": "user", "content": "a"},
        {"role": "user", "content": [{"type": "text", "text": "b"}]},
        {"role": "assistant", "content": "c"},
        {"role": "assistant", "content": "d"},
        {"role": "user", "content": "e"},
    ])
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][0]["content"] == [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]
    assert body["messages"][1]["content"] == [{"type": "text", "text": "c"}, {"type": "text", "text": "d"}]
    assert body["messages"][2]["content"] == "e"


def test_empty_text_parts_are_dropped_and_empty_conversation_rejected() -> None:
    body = body_of([{"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "x"}]}])
    assert body["messages"] == [{"role": "user", "content": "x"}]
    with pytest.raises(BadRequestError):
        ADAPTER.prepare(req([{"role": "system", "content": "only system"}]), cfg())


def test_final_assistant_prefill_is_right_stripped() -> None:
    body = body_of([{"role": "user", "content": "write code"}, {"role": "assistant", "content": "```python\n "}])
    assert body["messages"][-1] == {"role": "assistant", "content": "```python"}


def test_assistant_tool_calls_become_tool_use_blocks() -> None:
    body = body_of([
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": "Checking.", "tool_calls": [
            {"id": "toolu_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
            {"id": "toolu_2", "type": "function", "function": {"name": "get_time", "arguments": ""}},
        ]},
        {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "toolu_2", "content": [{"type": "text", "text": "noon"}]},
        {"role": "user", "content": "thanks"},
    ])
    assistant = body["messages"][1]
    assert assistant["role"] == "assistant"
    assert assistant["content"] == [
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "get_time", "input": {}},
    ]
    results = body["messages"][2]
    assert results["role"] == "user"
    assert results["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": [{"type": "text", "text": "noon"}]},
        {"type": "text", "text": "thanks"},
    ]
    assert len(body["messages"]) == 3


@pytest.mark.parametrize("arguments", ["{not json", "[1, 2]", '"a string"'])
def test_invalid_tool_call_arguments_raise_bad_request(arguments: str) -> None:
    messages = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [{"id": "t", "type": "function",
                                              "function": {"name": "f", "arguments": arguments}}]},
    ]
    with pytest.raises(BadRequestError) as info:
        ADAPTER.prepare(req(messages), cfg())
    assert info.value.status_code == 400
    assert "f" in info.value.message


def test_images_and_pdf_files() -> None:
    body = body_of([{"role": "user", "content": [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + PNG}},
        {"type": "image_url", "image_url": "https://example.com/cat.jpg"},
        {"type": "file", "file": {"file_data": "data:application/pdf;base64," + PDF, "filename": "doc.pdf"}},
    ]}])
    content = body["messages"][0]["content"]
    assert content[1] == {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}
    assert content[2] == {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}
    assert content[3] == {"type": "document", "title": "doc.pdf",
                          "source": {"type": "base64", "media_type": "application/pdf", "data": PDF}}


@pytest.mark.parametrize("part", [
    {"type": "image_url", "image_url": {"url": "data:image/tiff;base64,AAAA"}},
    {"type": "image_url", "image_url": {"url": "ftp://example.com/x.png"}},
    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}},
    {"type": "file", "file": {"file_id": "file-123"}},
])
def test_unsupported_parts_raise(part: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        ADAPTER.prepare(req([{"role": "user", "content": [part]}]), cfg())


def test_cache_control_on_parts_and_messages_passes_through() -> None:
    body = body_of([
        {"role": "user", "content": [
            {"type": "text", "text": "big doc", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
            {"type": "text", "text": "question"},
        ]},
        {"role": "assistant", "content": "answer", "cache_control": {"type": "ephemeral"}},
        {"role": "user", "content": "more"},
    ])
    first = body["messages"][0]["content"]
    assert first[0] == {"type": "text", "text": "big doc", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
    assert "cache_control" not in first[1]
    assert body["messages"][1]["content"] == [{"type": "text", "text": "answer", "cache_control": {"type": "ephemeral"}}]


def test_thinking_blocks_are_sent_back_first_with_signatures() -> None:
    body = body_of([
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a", "reasoning_content": "hmm",
         "thinking_blocks": [{"type": "thinking", "thinking": "hmm", "signature": "sig1"},
                             {"type": "redacted_thinking", "data": "opaque"}],
         "tool_calls": [{"id": "toolu_9", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "toolu_9", "content": "done"},
    ], thinking={"type": "enabled", "budget_tokens": 1024})
    assert body["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "hmm", "signature": "sig1"},
        {"type": "redacted_thinking", "data": "opaque"},
        {"type": "text", "text": "a"},
        {"type": "tool_use", "id": "toolu_9", "name": "f", "input": {}},
    ]


# ---------------------------------------------------------------------------------------------
# parameters


@pytest.mark.parametrize("params,expected", [
    ({"max_tokens": 50}, 50),
    ({"max_completion_tokens": 70}, 70),
    ({"_default_max_tokens": 64000}, 64000),
    ({}, 4096),
])
def test_max_tokens_always_sent(params: Dict[str, Any], expected: int) -> None:
    assert body_of(**params)["max_tokens"] == expected


def test_stop_temperature_top_p_top_k_user() -> None:
    body = body_of(stop="END", temperature=0.2, top_p=0.9, top_k=5, user="user-42")
    assert body["stop_sequences"] == ["END"]
    assert body["temperature"] == 0.2 and body["top_p"] == 0.9 and body["top_k"] == 5
    assert body["metadata"] == {"user_id": "user-42"}
    assert body_of(stop=["a", "b"])["stop_sequences"] == ["a", "b"]


TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
                                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                          "required": ["city"]}}}]


def test_tools_mapping() -> None:
    tools = TOOLS + [{"type": "function", "function": {"name": "noargs"}, "cache_control": {"type": "ephemeral"}}]
    body = body_of(tools=tools)
    assert body["tools"] == [
        {"name": "get_weather", "description": "Weather for a city",
         "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
        {"name": "noargs", "input_schema": {"type": "object", "properties": {}}, "cache_control": {"type": "ephemeral"}},
    ]
    assert "tool_choice" not in body


@pytest.mark.parametrize("choice,expected", [
    ("auto", {"type": "auto"}),
    ("none", {"type": "none"}),
    ("required", {"type": "any"}),
    ({"type": "function", "function": {"name": "get_weather"}}, {"type": "tool", "name": "get_weather"}),
])
def test_tool_choice_mapping(choice: Any, expected: Dict[str, Any]) -> None:
    assert body_of(tools=TOOLS, tool_choice=choice)["tool_choice"] == expected


def test_parallel_tool_calls_false() -> None:
    assert body_of(tools=TOOLS, parallel_tool_calls=False)["tool_choice"] == {
        "type": "auto", "disable_parallel_tool_use": True}
    assert body_of(tools=TOOLS, tool_choice="required", parallel_tool_calls=False)["tool_choice"] == {
        "type": "any", "disable_parallel_tool_use": True}
    assert body_of(tools=TOOLS, tool_choice="none", parallel_tool_calls=False)["tool_choice"] == {"type": "none"}
    assert "tool_choice" not in body_of(tools=TOOLS, parallel_tool_calls=True)


@pytest.mark.parametrize("effort,budget", [("low", 1024), ("medium", 2048), ("high", 4096)])
def test_reasoning_effort_sets_thinking_budget(effort: str, budget: int) -> None:
    body = body_of(reasoning_effort=effort)
    assert body["thinking"] == {"type": "enabled", "budget_tokens": budget}
    assert body["max_tokens"] > budget


@pytest.mark.parametrize("effort", ["minimal", "none"])
def test_reasoning_effort_minimal_or_none_means_no_thinking(effort: str) -> None:
    assert "thinking" not in body_of(reasoning_effort=effort)


def test_max_tokens_raised_above_budget() -> None:
    body = body_of(reasoning_effort="high", max_tokens=100)
    assert body["max_tokens"] == 4096 + 100
    assert body_of(reasoning_effort="low", max_tokens=8000)["max_tokens"] == 8000


def test_explicit_thinking_passes_through_and_wins() -> None:
    body = body_of(thinking={"type": "enabled", "budget_tokens": 6400}, reasoning_effort="low", max_tokens=16000)
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 6400}
    assert body["max_tokens"] == 16000


def test_unknown_reasoning_effort_is_unsupported() -> None:
    with pytest.raises(UnsupportedParamsError):
        ADAPTER.prepare(req(reasoning_effort="xhigh"), cfg())
    assert "thinking" not in json.loads(ADAPTER.prepare(req(reasoning_effort="xhigh"), cfg(drop_params=True)).body)


@pytest.mark.parametrize("name,value", [
    ("logit_bias", {"50256": -100}), ("logprobs", True), ("presence_penalty", 0.5), ("frequency_penalty", 0.5),
    ("seed", 7), ("n", 2), ("top_logprobs", 2),
])
def test_unsupported_params_raise_unless_dropped(name: str, value: Any) -> None:
    with pytest.raises(UnsupportedParamsError) as info:
        ADAPTER.prepare(req(**{name: value}), cfg())
    assert name in info.value.message or "n=" in info.value.message
    body = json.loads(ADAPTER.prepare(req(**{name: value}), cfg(drop_params=True)).body)
    assert name not in body
    _validate(body)


def test_n_equal_one_is_fine() -> None:
    assert "n" not in body_of(n=1)


def test_extra_body_is_merged() -> None:
    wire = ADAPTER.prepare(req(extra_body={"service_tier": "auto"}), cfg())
    assert json.loads(wire.body)["service_tier"] == "auto"


# ---------------------------------------------------------------------------------------------
# response_format

SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"],
          "additionalProperties": False}
RF = {"type": "json_schema", "json_schema": {"name": "Book", "schema": SCHEMA, "strict": True}}


def test_response_format_native_structured_outputs_on_new_models() -> None:
    config = cfg(model="claude-sonnet-4-5", extra_headers={"anthropic-beta": "prompt-caching-2024-07-31"})
    wire = ADAPTER.prepare(req(model="claude-sonnet-4-5", response_format=RF), config)
    body = json.loads(wire.body)
    _validate(body, beta=True)
    assert body["output_format"] == {"type": "json_schema", "schema": SCHEMA}
    assert "tools" not in body
    assert wire.headers["anthropic-beta"] == "prompt-caching-2024-07-31,structured-outputs-2025-11-13"


@pytest.mark.parametrize("model,native", [
    ("claude-sonnet-4-5", True), ("claude-sonnet-4-5-20250929", True), ("claude-opus-4-1-20250805", True),
    ("claude-haiku-4-5", True), ("claude-opus-4-5", True), ("claude-sonnet-4-20250514", False),
    ("claude-sonnet-4-0", False), ("claude-3-5-haiku-latest", False), ("claude-3-7-sonnet-20250219", False),
])
def test_native_structured_output_model_detection(model: str, native: bool) -> None:
    body = json.loads(ADAPTER.prepare(req(model=model, response_format=RF), cfg(model=model)).body)
    assert ("output_format" in body) is native
    assert ("tools" in body) is (not native)


def test_response_format_forced_tool_on_older_models() -> None:
    body = body_of(response_format=RF)
    assert body["tools"] == [{"name": JSON_TOOL_NAME, "input_schema": SCHEMA}]
    assert body["tool_choice"] == {"type": "tool", "name": JSON_TOOL_NAME}
    assert "output_format" not in body
    generic = body_of(response_format={"type": "json_object"})
    assert generic["tools"][0]["name"] == JSON_TOOL_NAME
    assert generic["tools"][0]["input_schema"]["type"] == "object"
    assert "tools" not in body_of(response_format={"type": "text"})


def test_forced_json_tool_is_not_forced_while_thinking() -> None:
    body = body_of(response_format=RF, reasoning_effort="medium")
    assert body["tools"][0]["name"] == JSON_TOOL_NAME
    assert body["tool_choice"] == {"type": "auto"}


def test_json_tool_call_response_becomes_content() -> None:
    payload = {"id": "msg_1", "type": "message", "role": "assistant", "model": MODEL, "content": [
        {"type": "tool_use", "id": "toolu_x", "name": JSON_TOOL_NAME, "input": {"title": "DUNE"}}],
        "stop_reason": "tool_use", "usage": {"input_tokens": 5, "output_tokens": 7}}
    resp = ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()), req(response_format=RF), cfg())
    message = resp.choices[0].message
    assert json.loads(message.content or "") == {"title": "DUNE"}
    assert message.tool_calls is None
    assert resp.choices[0].finish_reason == "stop"


def test_json_tool_call_stream_becomes_content() -> None:
    data = sse(
        ("message_start", {"type": "message_start", "message": {"id": "msg_2", "usage": {"input_tokens": 3}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_y", "name": JSON_TOOL_NAME, "input": {}}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "input_json_delta", "partial_json": '{"title": '}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "input_json_delta", "partial_json": '"DUNE"}'}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use"},
                           "usage": {"output_tokens": 9}}),
        ("message_stop", {"type": "message_stop"}),
    )
    chunks, _ = run_stream(data, req(stream=True, response_format=RF))
    out = summarize(chunks)
    assert json.loads(out["content"]) == {"title": "DUNE"}
    assert out["tool_calls"] == []
    assert out["finish"] == "stop"


# ---------------------------------------------------------------------------------------------
# response parsing


def _message(content: List[Dict[str, Any]], stop: str = "end_turn", usage: Optional[Dict[str, Any]] = None) -> bytes:
    return json.dumps({"id": "msg_x", "type": "message", "role": "assistant", "model": "claude-real-id",
                       "content": content, "stop_reason": stop, "stop_sequence": None,
                       "usage": usage or {"input_tokens": 1, "output_tokens": 2}}).encode()


def test_parse_thinking_redacted_and_tools() -> None:
    body = _message([
        {"type": "thinking", "thinking": "let me see", "signature": "sigA"},
        {"type": "redacted_thinking", "data": "xyz"},
        {"type": "text", "text": "Calling."},
        {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}},
    ], stop="tool_use")
    resp = ADAPTER.parse(WireResponse(200, {}, body), req(), cfg())
    msg = resp.choices[0].message
    assert resp.id == "msg_x" and resp.model == "claude-real-id"
    assert msg.content == "Calling."
    assert msg.reasoning_content == "let me see"
    assert msg.thinking_blocks == [{"type": "thinking", "thinking": "let me see", "signature": "sigA"},
                                   {"type": "redacted_thinking", "data": "xyz"}]
    assert msg.tool_calls is not None and msg.tool_calls[0].id == "toolu_1"
    assert msg.tool_calls[0].function.name == "f" and json.loads(msg.tool_calls[0].function.arguments) == {"a": 1}
    assert resp.choices[0].finish_reason == "tool_calls"


@pytest.mark.parametrize("raw,mapped", [
    ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
    ("refusal", "content_filter"),
])
def test_stop_reasons(raw: str, mapped: str) -> None:
    resp = ADAPTER.parse(WireResponse(200, {}, _message([{"type": "text", "text": "x"}], stop=raw)), req(), cfg())
    assert resp.choices[0].finish_reason == mapped


def test_usage_includes_cache_tokens() -> None:
    usage = {"input_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 50, "output_tokens": 7}
    resp = ADAPTER.parse(WireResponse(200, {}, _message([{"type": "text", "text": "x"}], usage=usage)), req(), cfg())
    assert resp.usage is not None
    assert resp.usage.prompt_tokens == 160
    assert resp.usage.completion_tokens == 7
    assert resp.usage.total_tokens == 167
    assert resp.usage.prompt_tokens_details is not None
    assert resp.usage.prompt_tokens_details.cached_tokens == 100
    assert resp.usage.prompt_tokens_details.cache_creation_tokens == 50
    assert resp.usage.cache_read_input_tokens == 100 and resp.usage.cache_creation_input_tokens == 50


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"type": "message"}', b'{"content": "text"}'])
def test_garbage_bodies_raise_connection_error(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        ADAPTER.parse(WireResponse(200, {}, body), req(), cfg())


def test_odd_blocks_do_not_leak_key_errors() -> None:
    body = json.dumps({"content": [None, 3, {"type": "tool_use"}, {"type": "text"}, {"type": "mystery"}],
                       "usage": {"input_tokens": "x"}}).encode()
    resp = ADAPTER.parse(WireResponse(200, {}, body), req(), cfg())
    assert resp.choices[0].message.tool_calls is not None
    assert resp.choices[0].message.tool_calls[0].function.arguments == "{}"


def test_error_body_in_200_raises() -> None:
    body = b'{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'
    with pytest.raises(ServiceUnavailableError):
        ADAPTER.parse(WireResponse(200, {}, body), req(), cfg())


@pytest.mark.parametrize("status,etype,message,cls", [
    (400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", ContextWindowExceededError),
    (400, "invalid_request_error", "messages: field required", BadRequestError),
    (401, "authentication_error", "invalid x-api-key", AuthenticationError),
    (404, "not_found_error", "model: nope", NotFoundError),
    (429, "rate_limit_error", "slow down", RateLimitError),
    (500, "api_error", "boom", InternalServerError),
    (529, "overloaded_error", "Overloaded", ServiceUnavailableError),
])
def test_error_bodies(status: int, etype: str, message: str, cls: type) -> None:
    body = json.dumps({"type": "error", "error": {"type": etype, "message": message}}).encode()
    err = ADAPTER.parse_error(WireResponse(status, {"request-id": "r"}, body), cfg())
    assert type(err) is cls
    assert err.status_code == status
    assert err.message == message
    assert err.llm_provider == "anthropic"
    if status == 529:
        assert err.retryable


# ---------------------------------------------------------------------------------------------
# streaming


def test_stream_error_event_raises_retryable_529() -> None:
    data = sse(("message_start", {"type": "message_start", "message": {"id": "m", "usage": {"input_tokens": 1}}}),
               ("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}))
    with pytest.raises(ServiceUnavailableError) as info:
        run_stream(data)
    assert info.value.status_code == 529
    assert info.value.retryable
    assert info.value.message == "Overloaded"


def test_stream_cut_before_message_stop_raises() -> None:
    data = sse(("message_start", {"type": "message_start", "message": {"id": "m", "usage": {"input_tokens": 1}}}),
               ("content_block_start", {"type": "content_block_start", "index": 0,
                                        "content_block": {"type": "text", "text": ""}}),
               ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                        "delta": {"type": "text_delta", "text": "partial"}}))
    chunks, state = run_stream(data, finish=False)
    assert summarize(chunks)["content"] == "partial"
    with pytest.raises(APIConnectionError):
        ADAPTER.finish_stream(state)


def test_stream_first_chunk_has_id_and_role() -> None:
    content_type, data = render_message("Hello there", "claude-x", stream=True, chunk_size=4)
    chunks, state = run_stream(data)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.id == chunks[0].id for c in chunks)
    assert chunks[0].id.startswith("msg_")
    assert state.done


def test_stream_garbage_event_raises_connection_error() -> None:
    state = ADAPTER.new_stream_state(req(stream=True), cfg())
    with pytest.raises(APIConnectionError):
        ADAPTER.parse_event(StreamEvent(data="{not json", event="content_block_delta"), state)
    assert ADAPTER.parse_event(StreamEvent(data='{"type": "ping"}', event="ping"), state) == []
    assert ADAPTER.parse_event(StreamEvent(data='{"type": "future_event"}'), state) == []


def test_stream_usage_with_cache_tokens() -> None:
    data = sse(
        ("message_start", {"type": "message_start", "message": {"id": "m", "usage": {
            "input_tokens": 5, "cache_read_input_tokens": 20, "cache_creation_input_tokens": 3, "output_tokens": 1}}}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "max_tokens"},
                           "usage": {"output_tokens": 11}}),
        ("message_stop", {"type": "message_stop"}),
    )
    out = summarize(run_stream(data)[0])
    assert out["finish"] == "length"
    assert out["usage"].prompt_tokens == 28 and out["usage"].completion_tokens == 11
    assert out["usage"].prompt_tokens_details.cached_tokens == 20


def test_fake_renderer_round_trips() -> None:
    content_type, data = render_message("Bonjour à tous", "claude-x", reasoning="thinking hard")
    assert content_type == "application/json"
    resp = ADAPTER.parse(WireResponse(200, {"content-type": content_type}, data), req(), cfg())
    assert resp.choices[0].message.content == "Bonjour à tous"
    assert resp.choices[0].message.reasoning_content == "thinking hard"
    content_type, data = render_message("Bonjour à tous", "claude-x", reasoning="thinking hard", stream=True,
                                        chunk_size=3)
    assert content_type.startswith("text/event-stream")
    out = summarize(run_stream(data)[0])
    assert out["content"] == "Bonjour à tous" and out["reasoning"] == "thinking hard"
    assert out["thinking_blocks"][0]["signature"]
    assert out["finish"] == "stop"


# ---------------------------------------------------------------------------------------------
# recordings


def _cassettes() -> List[Path]:
    return sorted(CASSETTES.glob("anthropic__*.json")) if CASSETTES.is_dir() else []


def _need_shared() -> None:
    if not CASSETTES.is_dir():
        pytest.skip("../shared/cassettes is not present next to this checkout: recording tests skipped")


CASSETTE_IDS = [p.name for p in _cassettes()] or ["no-shared"]


def _load(name: str) -> Dict[str, Any]:
    _need_shared()
    return json.loads((CASSETTES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _request_for(rec: Dict[str, Any]) -> ChatRequest:
    body = rec["request"]["body"]
    return req(model=body["model"], stream=bool(body.get("stream")))


_ERROR_CLASSES = {400: BadRequestError, 401: AuthenticationError, 404: NotFoundError}


@pytest.mark.parametrize("name", CASSETTE_IDS)
def test_recording(name: str) -> None:
    rec = _load(name)
    expected = rec["expected"]
    response = rec["response"]
    data = response["body_text"].encode("utf-8")
    config = cfg(model=rec["request"]["body"]["model"])
    if response["status"] >= 400:
        err = ADAPTER.parse_error(WireResponse(response["status"], response["headers"], data), config)
        assert type(err) is _ERROR_CLASSES[response["status"]]
        assert err.status_code == response["status"]
        assert err.message == expected["error"]["message"]
        assert err.type == expected["error"]["type"]
        return
    from litellm_lite.providers.base import map_finish_reason

    if "event-stream" in response["headers"]["content-type"]:
        chunks, state = run_stream(data, _request_for(rec))
        out = summarize(chunks)
        assert state.done
    else:
        resp = ADAPTER.parse(WireResponse(200, response["headers"], data), _request_for(rec), config)
        msg = resp.choices[0].message
        out = {"content": msg.content, "reasoning": msg.reasoning_content, "finish": resp.choices[0].finish_reason,
               "usage": resp.usage, "thinking_blocks": msg.thinking_blocks or [],
               "tool_calls": [{"id": t.id, "name": t.function.name, "arguments": json.loads(t.function.arguments)}
                              for t in msg.tool_calls or []]}
    assert out["content"] == expected["content"]
    assert out["reasoning"] == expected["reasoning"]
    assert [{"name": t["name"], "arguments": t["arguments"]} for t in out["tool_calls"]] == expected["tool_calls"]
    assert all(t["id"].startswith("toolu_") for t in out["tool_calls"])
    assert out["finish"] == map_finish_reason(expected["finish_reason"])
    usage = expected["usage"]
    cached = usage.get("cache_read_input_tokens", 0) + usage.get("cache_creation_input_tokens", 0)
    assert out["usage"].prompt_tokens == usage["input_tokens"] + cached
    assert out["usage"].completion_tokens == usage["output_tokens"]
    if expected.get("reasoning"):
        signed = [b for b in out["thinking_blocks"] if b["type"] == "thinking"]
        assert signed and all(b["signature"] for b in signed)
        assert "".join(b["thinking"] for b in signed) == expected["reasoning"]
    if "redacted_thinking_blocks" in expected:
        redacted = [b for b in out["thinking_blocks"] if b["type"] == "redacted_thinking"]
        assert len(redacted) == expected["redacted_thinking_blocks"]
        assert all(b["data"] for b in redacted)


def _tiny_stream() -> bytes:
    return _load("anthropic__tools_stream_no_args.json")["response"]["body_text"].encode("utf-8")


def test_recorded_stream_split_at_every_byte_offset() -> None:
    data = _load("anthropic__chat_stream.json")["response"]["body_text"].encode("utf-8")
    whole = summarize(run_stream(data)[0])
    assert whole["content"] == "- Captain\n- Scoop"
    for cut in range(1, len(data)):
        out = summarize(run_stream(data, pieces=[data[:cut], data[cut:]])[0])
        assert out["content"] == whole["content"], cut
        assert out["finish"] == "stop"


def test_recorded_tool_stream_without_arguments_gives_empty_object() -> None:
    chunks, _ = run_stream(_tiny_stream())
    out = summarize(chunks)
    assert out["tool_calls"] == [{"id": "toolu_01CzN6riCPqw4pVSuTd9Dwn7", "name": "pelican_name_generator",
                                  "arguments": {}}]
    assert out["content"] is None


def test_recorded_stream_cut_in_the_middle_raises() -> None:
    data = _tiny_stream()
    with pytest.raises(APIConnectionError):
        run_stream(data[: len(data) // 2])


@pytest.mark.parametrize("name", CASSETTE_IDS)
def test_recorded_request_bodies_match_the_spec(name: str) -> None:
    """Sanity check of the validator itself: the recorded (real) requests pass, unless beta-only."""
    rec = _load(name)
    if not SPEC_FILE.is_file():
        pytest.skip("../shared/specs is absent")
    body = rec["request"]["body"]
    beta = "output_format" in body or "output_config" in body
    if name == "anthropic__error_400.json":  # the API refused it: effort 'xhigh' is outside the schema too
        assert list(_validator("BetaCreateMessageParams").iter_errors(body))
        return
    _validate(body, beta=beta)


def test_spec_rejects_a_wrong_body() -> None:
    if not SPEC_FILE.is_file():
        pytest.skip("../shared/specs is absent")
    errors = list(_validator("CreateMessageParams").iter_errors({"model": "m", "messages": [], "top_q": 1}))
    assert errors


# Our request for the conversations that were recorded equals the recorded body on every field we set.
@pytest.mark.parametrize("name,messages,params", [
    ("anthropic__chat.json", [{"role": "user", "content": "What is 4200 + 42?"}], {"max_tokens": 16000}),
    ("anthropic__max_tokens.json", [{"role": "user", "content": "List all U.S. states."}], {"max_tokens": 50}),
    ("anthropic__thinking.json", [{"role": "user", "content": "How many primes below 400 contain 79 as a substring? "
                                   "Answer ONLY with the number, not sharing which primes they are."}],
     {"max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 6400}}),
    ("anthropic__stop_sequence_stream.json",
     [{"role": "user", "content": [{"type": "text", "text": "Very short function describing a pelican"}]},
      {"role": "assistant", "content": "```python"}],
     {"max_tokens": 8192, "stop": "```", "temperature": 1.0}),
])
def test_request_matches_recording(name: str, messages: List[Dict[str, Any]], params: Dict[str, Any]) -> None:
    recorded = _load(name)["request"]["body"]
    request = req(messages, model=recorded["model"], stream=bool(recorded.get("stream")), **params)
    body = json.loads(ADAPTER.prepare(request, cfg(model=recorded["model"])).body)
    _validate(body)
    normalized = dict(recorded)
    normalized["messages"] = [
        {"role": m["role"], "content": m["content"][0]["text"]}
        if isinstance(m["content"], list) and len(m["content"]) == 1 and m["content"][0]["type"] == "text" else m
        for m in recorded["messages"]
    ]
    assert body == normalized


def test_tools_followup_request_matches_recording() -> None:
    recorded = _load("anthropic__tools_followup.json")["request"]["body"]
    messages = [
        {"role": "system", "content": [{"type": "text", "text": "Use parallel tool calling.",
                                        "cache_control": {"type": "ephemeral"}}]},
        {"role": "user", "content": recorded["messages"][0]["content"]},
        {"role": "assistant", "content": "I'll retrieve the secrets for both passwords you provided.", "tool_calls": [
            {"id": "toolu_01BUvqBj8Yb34pNAbCJJY1oc", "type": "function",
             "function": {"name": "secret_retrieval_tool", "arguments": '{"password": "mellon"}'}},
            {"id": "toolu_01VPuQJ1LonDBYXrr8pqPkqQ", "type": "function",
             "function": {"name": "secret_retrieval_tool", "arguments": '{"password": "radiance"}'}}]},
        {"role": "tool", "tool_call_id": "toolu_01BUvqBj8Yb34pNAbCJJY1oc", "content": "Welcome to Moria!"},
        {"role": "tool", "tool_call_id": "toolu_01VPuQJ1LonDBYXrr8pqPkqQ", "content": "Life before Death",
         "cache_control": {"type": "ephemeral"}},
    ]
    tool = recorded["tools"][0]
    tools = [{"type": "function", "cache_control": tool["cache_control"], "function": {
        "name": tool["name"], "description": tool["description"], "parameters": tool["input_schema"]}}]
    body = body_of(messages, model=recorded["model"], tools=tools, max_tokens=16000)
    assert body["system"] == recorded["system"]
    assert body["tools"] == recorded["tools"]
    assert body["messages"][1]["content"] == [
        {k: v for k, v in block.items() if k != "citations"} for block in recorded["messages"][1]["content"]
    ]
    assert body["messages"][2]["content"] == [
        {k: v for k, v in block.items() if v is not None} for block in recorded["messages"][2]["content"]
    ]


# ---------------------------------------------------------------------------------------------
# end to end, through litellm_lite.completion (once main.py exists)


def _completion() -> Any:
    try:
        import litellm_lite
        import litellm_lite._http  # noqa: F401  (the transport lands separately from main.py)
        import litellm_lite.retry  # noqa: F401
        import litellm_lite.streaming  # noqa: F401

        return litellm_lite.completion
    except (ImportError, AttributeError) as exc:
        pytest.skip("litellm_lite.completion is not usable yet: %s" % exc)


def test_e2e_non_stream(server: Any) -> None:
    completion = _completion()
    from tests.server import Reply

    content_type, data = render_message("Hi!", "claude-sonnet-4-0")
    server.add(Reply(headers={"content-type": content_type}, body=data))
    resp = completion(model="anthropic/claude-sonnet-4-0", messages=[{"role": "system", "content": "S"},
                                                                    {"role": "user", "content": "hello"}],
                      api_base=server.url, api_key="sk-ant-e2e-key", max_tokens=20, stop="X")
    assert resp.choices[0].message.content == "Hi!"
    sent = server.requests[0]
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"] == "sk-ant-e2e-key"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    body = sent.json()
    assert body["system"] == "S" and body["max_tokens"] == 20 and body["stop_sequences"] == ["X"]


def test_e2e_recorded_stream_split_at_every_byte(server: Any) -> None:
    """The recorded stream cut in two at every byte offset (when requests are cheap enough).

    Every offset is always covered at the decoder level above; here the number of round trips is
    bounded to keep the file fast: all offsets when a request costs under ~0.8 ms, otherwise a stride
    plus the three cuts around every event boundary (before, inside and after its blank line).
    """
    import time

    completion = _completion()
    from tests.server import Reply

    data = _load("anthropic__tools_stream_no_args.json")["response"]["body_text"].encode("utf-8")

    def check(cut: int) -> None:
        server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=[data[:cut], data[cut:]]))
        chunks = list(completion(model="anthropic/claude-haiku-4-5", messages=[{"role": "user", "content": "x"}],
                                 api_base=server.url, api_key="k", stream=True))
        out = summarize(chunks)
        assert out["tool_calls"] == [{"id": "toolu_01CzN6riCPqw4pVSuTd9Dwn7", "name": "pelican_name_generator",
                                      "arguments": {}}], cut
        assert out["finish"] == "tool_calls", cut
        assert out["usage"].completion_tokens == 40, cut

    started = time.monotonic()
    check(len(data) // 2)
    check(1)
    per_request = (time.monotonic() - started) / 2
    step = max(1, int(per_request * (len(data) - 1) / 1.0) + 1)
    offsets = set(range(1, len(data), step))
    boundary = data.find(b"\n\n")
    while boundary >= 0:
        offsets.update(o for o in range(boundary, boundary + 3) if 0 < o < len(data))
        boundary = data.find(b"\n\n", boundary + 2)
    for cut in sorted(offsets):
        check(cut)


def test_e2e_overloaded_529_is_retried(server: Any) -> None:
    completion = _completion()
    from tests.server import Reply

    overloaded = json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    server.add(Reply(status=529, headers={"content-type": "application/json", "retry-after": "0"},
                     body=overloaded.encode()))
    content_type, data = render_message("after retry", "claude-sonnet-4-0")
    server.add(Reply(headers={"content-type": content_type}, body=data))
    resp = completion(model="anthropic/claude-sonnet-4-0", messages=[{"role": "user", "content": "x"}],
                      api_base=server.url, api_key="k", num_retries=1)
    assert resp.choices[0].message.content == "after retry"
    assert len(server.requests) == 2


def test_e2e_stream_with_thinking_rebuilds(server: Any) -> None:
    completion = _completion()
    import litellm_lite
    from tests.server import Reply

    content_type, data = render_message("The answer is 4.", "claude-sonnet-4-0", reasoning="2+2=4", stream=True,
                                        chunk_size=5)
    server.add(Reply(headers={"content-type": content_type}, chunks=[data[i:i + 37] for i in range(0, len(data), 37)]))
    chunks = list(completion(model="anthropic/claude-sonnet-4-0", messages=[{"role": "user", "content": "2+2?"}],
                             api_base=server.url, api_key="k", stream=True, reasoning_effort="low"))
    sent = server.requests[0].json()
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 1024} and sent["stream"] is True
    full = litellm_lite.stream_chunk_builder(chunks)
    msg = full.choices[0].message
    assert msg.content == "The answer is 4."
    assert msg.reasoning_content == "2+2=4"
    assert msg.thinking_blocks and msg.thinking_blocks[0]["signature"]
    assert full.choices[0].finish_reason == "stop"


# -- more cases (formerly test_cov_anthropic.py: Anthropic adapter: the less common request shapes, odd payl




ADAPTER_2 = AnthropicAdapter()
MODEL_2 = "claude-sonnet-4-0"
PNG_2 = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 8).decode()
PDF_2 = base64.b64encode(b"%PDF_2-1.4 tiny").decode()


def cfg_2(**kw: Any) -> CallConfig:
    kw.setdefault("api_key", "sk-ant-test")
    kw.setdefault("api_base", "https://api.anthropic.com")
    spec = kw.pop("spec", PROVIDERS["anthropic"])
    return CallConfig(provider="anthropic", model=kw.pop("model", MODEL_2), spec=spec, **kw)


def req_2(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL_2, stream: bool = False,
        **params: Any) -> ChatRequest:
    if messages is None:
        messages = [{"role": "user", "content": "hi"}]
    return ChatRequest(model=model, messages=messages, params=params, stream=stream)


def body(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL_2, drop: bool = False,
         **params: Any) -> Dict[str, Any]:
    wire = ADAPTER_2.prepare(req_2(messages, model=model, **params), cfg_2(model=model, drop_params=drop))
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
    wire = ADAPTER_2.prepare(req_2(model=model, response_format=SCHEMA_FMT), cfg_2(model=model))
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
    sent = body(user([{"type": "image_url", "image_url": {"url": "data:application/pdf;base64," + PDF_2}}]))
    block = sent["messages"][0]["content"][0]
    assert block == {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                                    "data": PDF_2}}


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
    sent = body(user([{"type": "file", "file": {"file_data": "data:image/png;base64," + PNG_2}}]))
    assert sent["messages"][0]["content"][0] == {
        "type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG_2}}


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
    wire = ADAPTER_2.prepare(req_2(), cfg_2(spec=spec, extra_headers={"Anthropic-Version": "2099-01-01"}))
    assert wire.headers["X-Vendor"] == "v1"
    assert wire.headers["Anthropic-Version"] == "2099-01-01"
    assert "anthropic-version" not in wire.headers


# ---------------------------------------------------------------------------------------------
# responses


def _parse(payload: Any, **params: Any) -> Any:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return ADAPTER_2.parse(WireResponse(200, {}, raw), req_2(**params), cfg_2())


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
    request = req_2(stream=True, **params)
    state = ADAPTER_2.new_stream_state(request, cfg_2())
    out: List[Any] = []
    for data in events:
        out.extend(ADAPTER_2.parse_event(StreamEvent(data=json.dumps(data)), state))
    return out


def test_stream_ignores_blank_events_and_rejects_non_objects() -> None:
    state = ADAPTER_2.new_stream_state(req_2(stream=True), cfg_2())
    assert ADAPTER_2.parse_event(StreamEvent(data="  \n"), state) == []
    with pytest.raises(APIConnectionError, match="not a JSON object"):
        ADAPTER_2.parse_event(StreamEvent(data="[1]"), state)


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
