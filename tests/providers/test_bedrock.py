"""Bedrock Converse adapter: request mapping, responses, streams, errors, credentials, signing, recordings."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote, unquote

import pytest

from litellm_lite._eventstream import EventStreamDecoder
from litellm_lite.auth import resolve_and_fetch  # noqa: F401
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.aws_auth import AwsCredentials, resolve_aws_credentials
from litellm_lite.providers.base import ChatRequest, StreamEvent, WireRequest, WireResponse
from litellm_lite.providers.bedrock import JSON_TOOL_NAME, BedrockAdapter
from litellm_lite.types import ModelResponseStream
from tests.conftest import CASSETTES
from tests.transport.test_eventstream import event as es_event
from tests.transport.test_eventstream import frame as es_frame


ADAPTER = BedrockAdapter()
SPEC = PROVIDERS["bedrock"]
NOVA = "us.amazon.nova-micro-v1:0"
CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def cfg(model: str = NOVA, **kw: Any) -> CallConfig:
    kw.setdefault("api_base", "https://bedrock-runtime.us-east-1.amazonaws.com")
    kw.setdefault(
        "credentials", AwsCredentials(region="us-east-1", access_key_id=AKID, secret_access_key=SECRET, source="test")
    )
    return CallConfig(provider="bedrock", model=model, spec=SPEC, **kw)


def req(messages: Optional[List[Dict[str, Any]]] = None, model: str = NOVA, stream: bool = False,
        extra_body: Optional[Dict[str, Any]] = None, **params: Any) -> ChatRequest:
    if messages is None:
        messages = [{"role": "user", "content": "hi"}]
    return ChatRequest(model=model, messages=messages, params=params, stream=stream, extra_body=extra_body or {})


def body_of(request: ChatRequest, config: Optional[CallConfig] = None) -> Dict[str, Any]:
    wire = ADAPTER.prepare(request, config or cfg(request.model))
    return json.loads(wire.body.decode("utf-8"))  # type: ignore[no-any-return]


def stream_chunks(raw: bytes, request: Optional[ChatRequest] = None, piece: int = 0) -> List[ModelResponseStream]:
    request = request or req(stream=True)
    state = ADAPTER.new_stream_state(request, cfg(request.model))
    decoder = EventStreamDecoder()
    chunks: List[ModelResponseStream] = []
    pieces = [raw] if not piece else [raw[i : i + piece] for i in range(0, len(raw), piece)]
    for part in pieces:
        for ev in decoder.feed(part):
            chunks.extend(ADAPTER.parse_event(ev, state))
    decoder.flush()
    chunks.extend(ADAPTER.finish_stream(state))
    return chunks


def joined(chunks: List[ModelResponseStream], field: str) -> str:
    return "".join(getattr(c.choices[0].delta, field) or "" for c in chunks if c.choices)


def tool_calls_of(chunks: List[ModelResponseStream]) -> List[Dict[str, Any]]:
    calls: Dict[int, Dict[str, Any]] = {}
    for c in chunks:
        for tc in (c.choices[0].delta.tool_calls or []) if c.choices else []:
            slot = calls.setdefault(tc.index, {"id": None, "name": None, "arguments": ""})
            slot["id"] = slot["id"] or tc.id
            slot["name"] = slot["name"] or tc.function.name
            slot["arguments"] += tc.function.arguments or ""
    return [calls[k] for k in sorted(calls)]


# ---------------------------------------------------------------------------------------------
# Request: URL, headers, model names


def test_url_headers_and_model_id_encoding() -> None:
    wire = ADAPTER.prepare(req(), cfg())
    assert wire.method == "POST"
    assert wire.url == "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse"
    assert wire.headers["content-type"] == "application/json"
    assert wire.headers["accept"] == "application/json"
    stream = ADAPTER.prepare(req(stream=True, model="converse/" + NOVA), cfg(api_base="http://127.0.0.1:9/"))
    assert stream.url == "http://127.0.0.1:9/model/us.amazon.nova-micro-v1%3A0/converse-stream"
    assert stream.headers["accept"] == "application/vnd.amazon.eventstream"


def test_arn_model_ids_are_fully_encoded() -> None:
    arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"
    wire = ADAPTER.prepare(req(model=arn), cfg(arn))
    assert wire.url.endswith(
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
        "us.anthropic.claude-3-haiku-20240307-v1%3A0/converse"
    )


def test_invoke_route_and_empty_id_are_rejected() -> None:
    with pytest.raises(BadRequestError, match="invoke"):
        ADAPTER.prepare(req(model="invoke/" + NOVA), cfg())
    with pytest.raises(BadRequestError):
        ADAPTER.prepare(req(model="converse/"), cfg())


def test_extra_headers_are_sent_and_signed() -> None:
    wire = ADAPTER.prepare(req(), cfg(extra_headers={"X-Trace": "abc"}))
    assert wire.headers["X-Trace"] == "abc"
    signed = ADAPTER.sign(wire, cfg())
    assert "x-trace" in signed.headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")


# ---------------------------------------------------------------------------------------------
# Request body, field by field


def test_system_and_user_text() -> None:
    body = body_of(req([
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": [{"type": "text", "text": "Use French."}]},
        {"role": "user", "content": "Bonjour"},
    ]))
    assert body == {
        "messages": [{"role": "user", "content": [{"text": "Bonjour"}]}],
        "system": [{"text": "Be brief."}, {"text": "Use French."}],
    }


def test_inference_config() -> None:
    body = body_of(req(max_tokens=50, temperature=0.2, top_p=0.9, stop="END"))
    assert body["inferenceConfig"] == {"maxTokens": 50, "temperature": 0.2, "topP": 0.9, "stopSequences": ["END"]}
    body = body_of(req(max_tokens=50, max_completion_tokens=70, stop=["a", "b"]))
    assert body["inferenceConfig"] == {"maxTokens": 70, "stopSequences": ["a", "b"]}
    assert "inferenceConfig" not in body_of(req())


def test_images_from_data_urls_and_s3() -> None:
    body = body_of(req([{"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + PNG}},
        {"type": "image_url", "image_url": "data:image/jpg;base64," + PNG},
        {"type": "image_url", "image_url": {"url": "s3://bucket/cat.webp"}},
    ]}]))
    assert body["messages"][0]["content"] == [
        {"text": "what is this?"},
        {"image": {"format": "png", "source": {"bytes": PNG}}},
        {"image": {"format": "jpeg", "source": {"bytes": PNG}}},
        {"image": {"format": "webp", "source": {"s3Location": {"uri": "s3://bucket/cat.webp"}}}},
    ]


@pytest.mark.parametrize("url, match", [
    ("https://example.com/cat.png", "cannot fetch"),
    ("data:image/bmp;base64," + PNG, "png, jpeg"),
    ("data:image/png;base64,@@@", "invalid base64"),
    ("data:nonsense", "invalid data URL"),
])
def test_bad_images_raise(url: str, match: str) -> None:
    with pytest.raises(BadRequestError, match=match):
        body_of(req([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": url}}]}]))


def test_pdf_documents_and_cache_points() -> None:
    pdf = base64.b64encode(b"%PDF-1.4").decode()
    body = body_of(req([
        {"role": "system", "content": [{"type": "text", "text": "long rules", "cache_control": {"type": "ephemeral"}}]},
        {"role": "user", "content": [
            {"type": "file", "file": {"file_data": "data:application/pdf;base64," + pdf, "filename": "report_2024.pdf"}},
            {"type": "text", "text": "summarise"},
        ]},
    ]))
    assert body["system"] == [{"text": "long rules"}, {"cachePoint": {"type": "default"}}]
    assert body["messages"][0]["content"] == [
        {"document": {"format": "pdf", "name": "report 2024", "source": {"bytes": pdf}}},
        {"text": "summarise"},
    ]
    with pytest.raises(BadRequestError):
        body_of(req([{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "x", "format": "wav"}}]}]))


def test_tool_calls_results_and_merged_turns() -> None:
    messages = [
        {"role": "user", "content": "weather in Paris and Rome?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "t1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}},
            {"id": "t2", "type": "function", "function": {"name": "weather", "arguments": ""}},
        ]},
        {"role": "tool", "tool_call_id": "t1", "content": "18C"},
        {"role": "tool", "tool_call_id": "t2", "content": [{"type": "text", "text": "21C"}]},
        {"role": "user", "content": "thanks"},
    ]
    tools = [{"type": "function", "function": {"name": "weather", "description": "Weather now",
                                               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
    body = body_of(req(messages, tools=tools, tool_choice="auto"))
    assert body["messages"] == [
        {"role": "user", "content": [{"text": "weather in Paris and Rome?"}]},
        {"role": "assistant", "content": [
            {"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Paris"}}},
            {"toolUse": {"toolUseId": "t2", "name": "weather", "input": {}}},
        ]},
        {"role": "user", "content": [
            {"toolResult": {"toolUseId": "t1", "content": [{"text": "18C"}]}},
            {"toolResult": {"toolUseId": "t2", "content": [{"text": "21C"}]}},
            {"text": "thanks"},
        ]},
    ]
    assert body["toolConfig"] == {
        "tools": [{"toolSpec": {"name": "weather", "description": "Weather now",
                                "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}],
        "toolChoice": {"auto": {}},
    }


def test_tool_choice_variants() -> None:
    tools = [{"type": "function", "function": {"name": "f"}}]
    assert body_of(req(tools=tools, tool_choice="required"))["toolConfig"]["toolChoice"] == {"any": {}}
    named = body_of(req(tools=tools, tool_choice={"type": "function", "function": {"name": "f"}}))
    assert named["toolConfig"]["toolChoice"] == {"tool": {"name": "f"}}
    assert named["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"] == {"json": {"type": "object", "properties": {}}}
    assert "toolChoice" not in body_of(req(tools=tools))["toolConfig"]
    assert "toolConfig" not in body_of(req(tools=tools, tool_choice="none"))


def test_tool_history_without_tools_declares_open_specs() -> None:
    messages = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "a", "content": "ok"},
    ]
    body = body_of(req(messages))
    assert body["toolConfig"] == {"tools": [{"toolSpec": {"name": "lookup", "inputSchema": {"json": {"type": "object", "properties": {}}}}}]}
    with pytest.raises(UnsupportedParamsError):
        body_of(req(messages, tools=[{"type": "function", "function": {"name": "lookup"}}], tool_choice="none"))


def test_invalid_tool_arguments_raise() -> None:
    with pytest.raises(BadRequestError, match="not JSON"):
        body_of(req([{"role": "assistant", "tool_calls": [
            {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{oops"}}]}]))


def test_reasoning_effort_for_claude() -> None:
    body = body_of(req(model=CLAUDE, reasoning_effort="medium"))
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled", "budget_tokens": 2048}}
    body = body_of(req(model=CLAUDE, thinking={"type": "enabled", "budget_tokens": 5000}))
    assert body["additionalModelRequestFields"]["thinking"]["budget_tokens"] == 5000
    assert "additionalModelRequestFields" not in body_of(req(model=CLAUDE, reasoning_effort="none"))
    with pytest.raises(UnsupportedParamsError):
        body_of(req(model=NOVA, reasoning_effort="low"))
    assert "additionalModelRequestFields" not in body_of(req(model=NOVA, reasoning_effort="low"), cfg(drop_params=True))


def test_assistant_thinking_blocks_are_sent_back() -> None:
    body = body_of(req([
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a", "thinking_blocks": [
            {"type": "thinking", "thinking": "hmm", "signature": "sig"},
            {"type": "redacted_thinking", "data": "ZZZ"},
        ]},
        {"role": "user", "content": "q2"},
    ], model=CLAUDE))
    assert body["messages"][1]["content"] == [
        {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
        {"reasoningContent": {"redactedContent": "ZZZ"}},
        {"text": "a"},
    ]


@pytest.mark.parametrize("param, value", [
    ("seed", 1), ("presence_penalty", 0.1), ("frequency_penalty", 0.1), ("logit_bias", {"1": 1}),
    ("logprobs", True), ("top_logprobs", 2), ("n", 2), ("parallel_tool_calls", False), ("user", "u1"),
    ("store", True), ("service_tier", "auto"), ("verbosity", "low"),
])
def test_unsupported_params_raise_or_drop(param: str, value: Any) -> None:
    with pytest.raises(UnsupportedParamsError, match="drop_params"):
        body_of(req(**{param: value}))
    assert body_of(req(**{param: value}), cfg(drop_params=True)) == body_of(req())


def test_ignored_params() -> None:
    assert body_of(req(stream_options={"include_usage": True}, n=1, parallel_tool_calls=True)) == body_of(req())


def test_response_format_json_schema_uses_a_forced_tool() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    rf = {"type": "json_schema", "json_schema": {"name": "person", "schema": schema}}
    body = body_of(req(response_format=rf))
    assert body["toolConfig"] == {
        "tools": [{"toolSpec": {"name": JSON_TOOL_NAME, "description": "Respond with a JSON object.",
                                "inputSchema": {"json": schema}}}],
        "toolChoice": {"tool": {"name": JSON_TOOL_NAME}},
    }
    assert body_of(req(response_format={"type": "json_object"}))["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"] == {
        "json": {"type": "object"}
    }
    assert "toolConfig" not in body_of(req(response_format={"type": "text"}))
    with pytest.raises(UnsupportedParamsError):
        body_of(req(response_format=rf, tools=[{"type": "function", "function": {"name": "f"}}]))
    # The forced tool's input comes back as the message content.
    request = req(response_format=rf)
    payload = {"output": {"message": {"role": "assistant", "content": [
        {"toolUse": {"toolUseId": "x", "name": JSON_TOOL_NAME, "input": {"name": "Ada"}}}]}},
        "stopReason": "tool_use", "usage": {"inputTokens": 1, "outputTokens": 2}}
    result = ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()), request, cfg())
    assert json.loads(result.choices[0].message.content or "") == {"name": "Ada"}
    assert result.choices[0].message.tool_calls is None
    assert result.choices[0].finish_reason == "stop"
    # ... and streamed as content.
    raw = b"".join([
        es_event("messageStart", {"role": "assistant"}),
        es_event("contentBlockStart", {"contentBlockIndex": 0, "start": {"toolUse": {"toolUseId": "x", "name": JSON_TOOL_NAME}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": '{"name": '}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": '"Ada"}'}}}),
        es_event("contentBlockStop", {"contentBlockIndex": 0}),
        es_event("messageStop", {"stopReason": "tool_use"}),
        es_event("metadata", {"usage": {"inputTokens": 1, "outputTokens": 2}}),
    ])
    chunks = stream_chunks(raw, req(response_format=rf, stream=True))
    assert joined(chunks, "content") == '{"name": "Ada"}'
    assert tool_calls_of(chunks) == []
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]


def test_extra_body_is_merged() -> None:
    body = body_of(req(model=CLAUDE, reasoning_effort="low", extra_body={
        "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1"},
        "additionalModelRequestFields": {"top_k": 5},
    }))
    assert body["guardrailConfig"] == {"guardrailIdentifier": "g", "guardrailVersion": "1"}
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled", "budget_tokens": 1024}, "top_k": 5}


# ---------------------------------------------------------------------------------------------
# Responses


def _parse(payload: Any, request: Optional[ChatRequest] = None) -> Any:
    return ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()), request or req(), cfg())


def test_parse_text_reasoning_tools_and_cache_usage() -> None:
    result = _parse({
        "output": {"message": {"role": "assistant", "content": [
            {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
            {"text": "Hello"},
            {"toolUse": {"toolUseId": "tu1", "name": "f", "input": {"a": 1}}},
        ]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 10, "outputTokens": 5, "cacheReadInputTokens": 100, "cacheWriteInputTokens": 7,
                  "totalTokens": 122},
    })
    choice = result.choices[0]
    assert choice.message.content == "Hello"
    assert choice.message.reasoning_content == "think"
    assert choice.message.thinking_blocks == [{"type": "thinking", "thinking": "think", "signature": "sig"}]
    assert choice.message.tool_calls[0].id == "tu1"
    assert choice.message.tool_calls[0].function.name == "f"
    assert json.loads(choice.message.tool_calls[0].function.arguments) == {"a": 1}
    assert choice.finish_reason == "tool_calls"
    assert result.usage.prompt_tokens == 117
    assert result.usage.completion_tokens == 5
    assert result.usage.total_tokens == 122
    assert result.usage.prompt_tokens_details.cached_tokens == 100
    assert result.usage.prompt_tokens_details.cache_creation_tokens == 7
    assert result.model == NOVA


@pytest.mark.parametrize("reason, mapped", [
    ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
    ("guardrail_intervened", "content_filter"), ("content_filtered", "content_filter"),
])
def test_stop_reasons(reason: str, mapped: str) -> None:
    result = _parse({"output": {"message": {"role": "assistant", "content": [{"text": "x"}]}}, "stopReason": reason})
    assert result.choices[0].finish_reason == mapped


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"output": 3}', b'{"output": {"message": "x"}}', b"{}"])
def test_garbage_responses_raise_our_error(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        ADAPTER.parse(WireResponse(200, {}, body), req(), cfg())


def test_odd_blocks_are_skipped() -> None:
    result = _parse({"output": {"message": {"content": [3, {"unknown": {}}, {"text": "ok"}]}}, "usage": "x"})
    assert result.choices[0].message.content == "ok"
    assert result.usage is None


@pytest.mark.parametrize("errtype, status, message, cls", [
    ("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", 400, "bad field", BadRequestError),
    ("ValidationException", 400, "Input is too long for requested model.", ContextWindowExceededError),
    ("ThrottlingException", 429, "Too many requests", RateLimitError),
    ("AccessDeniedException", 403, "no access", PermissionDeniedError),
    ("UnrecognizedClientException", 403, "The security token included in the request is invalid.", AuthenticationError),
    ("ResourceNotFoundException", 404, "no model", NotFoundError),
    ("ServiceUnavailableException", 503, "later", ServiceUnavailableError),
    ("ModelTimeoutException", 408, "slow", Timeout),
    ("InternalServerException", 500, "oops", InternalServerError),
    (None, 429, "Too many requests", RateLimitError),
])
def test_error_bodies(errtype: Optional[str], status: int, message: str, cls: type) -> None:
    headers = {"Content-Type": "application/json"}
    if errtype:
        headers["X-Amzn-ErrorType"] = errtype
    error = ADAPTER.parse_error(WireResponse(status, headers, json.dumps({"message": message}).encode()), cfg())
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == message
    assert error.llm_provider == "bedrock"


def test_error_body_with_capital_message_and_empty_body() -> None:
    err = ADAPTER.parse_error(WireResponse(403, {}, b'{"Message": "User is not authorized"}'), cfg())
    assert isinstance(err, PermissionDeniedError) and err.message == "User is not authorized"
    err = ADAPTER.parse_error(WireResponse(502, {}, b""), cfg())
    assert isinstance(err, InternalServerError) and "502" in err.message


# ---------------------------------------------------------------------------------------------
# Streams


def _frames(*events: bytes) -> bytes:
    return b"".join(events)


def test_stream_text_tools_reasoning_and_usage() -> None:
    raw = _frames(
        es_event("messageStart", {"role": "assistant"}),
        es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": "let me "}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": "think"}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": "SIG"}}}),
        es_event("contentBlockStop", {"contentBlockIndex": 0}),
        es_event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"text": "Hi "}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"text": "there"}}),
        es_event("contentBlockStop", {"contentBlockIndex": 1}),
        es_event("contentBlockStart", {"contentBlockIndex": 2, "start": {"toolUse": {"toolUseId": "A", "name": "f"}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 2, "delta": {"toolUse": {"input": '{"x"'}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 2, "delta": {"toolUse": {"input": ": 1}"}}}),
        es_event("contentBlockStop", {"contentBlockIndex": 2}),
        es_event("contentBlockStart", {"contentBlockIndex": 3, "start": {"toolUse": {"toolUseId": "B", "name": "g"}}}),
        es_event("contentBlockDelta", {"contentBlockIndex": 3, "delta": {"toolUse": {"input": "{}"}}}),
        es_event("contentBlockStop", {"contentBlockIndex": 3}),
        es_event("messageStop", {"stopReason": "tool_use"}),
        es_event("metadata", {"usage": {"inputTokens": 5, "outputTokens": 9, "cacheReadInputTokens": 2}}),
    )
    chunks = stream_chunks(raw, piece=5)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert joined(chunks, "reasoning_content") == "let me think"
    assert joined(chunks, "content") == "Hi there"
    assert tool_calls_of(chunks) == [{"id": "A", "name": "f", "arguments": '{"x": 1}'},
                                     {"id": "B", "name": "g", "arguments": "{}"}]
    thinking = [b for c in chunks if c.choices for b in (c.choices[0].delta.thinking_blocks or [])]
    assert thinking == [{"type": "thinking", "thinking": "let me think", "signature": "SIG"}]
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["tool_calls"]
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.total_tokens) == (7, 9, 16)
    assert len({c.id for c in chunks}) == 1


def test_stream_cut_before_message_stop_raises() -> None:
    raw = _frames(es_event("messageStart", {"role": "assistant"}),
                  es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hi"}}))
    with pytest.raises(APIConnectionError, match="messageStop"):
        stream_chunks(raw)


def test_stream_without_metadata_after_message_stop_is_complete() -> None:
    raw = _frames(es_event("messageStop", {"stopReason": "max_tokens"}))
    chunks = stream_chunks(raw)
    assert chunks[-1].choices[0].finish_reason == "length"


def _exception_frame(kind: str, message: str) -> StreamEvent:
    raw = es_frame([(":exception-type", 7, kind), (":content-type", 7, "application/json"),
                    (":message-type", 7, "exception")], json.dumps({"message": message}).encode())
    (ev,) = EventStreamDecoder().feed(raw)
    return ev


@pytest.mark.parametrize("kind, message, cls", [
    ("throttlingException", "Too many tokens, please wait", RateLimitError),
    ("validationException", "bad input", BadRequestError),
    ("validationException", "Input is too long for requested model.", ContextWindowExceededError),
    ("accessDeniedException", "denied", PermissionDeniedError),
    ("resourceNotFoundException", "missing", NotFoundError),
    ("serviceUnavailableException", "later", ServiceUnavailableError),
    ("modelStreamErrorException", "model broke", InternalServerError),
    ("internalServerException", "oops", InternalServerError),
])
def test_stream_exception_frames_raise_mapped_errors(kind: str, message: str, cls: type) -> None:
    state = ADAPTER.new_stream_state(req(stream=True), cfg())
    with pytest.raises(cls) as info:
        ADAPTER.parse_event(_exception_frame(kind, message), state)
    assert type(info.value) is cls
    assert info.value.message == message


def test_stream_error_message_type() -> None:
    raw = es_frame([(":message-type", 7, "error"), (":error-code", 7, "ThrottlingException"),
                    (":error-message", 7, "slow down")], b"")
    (ev,) = EventStreamDecoder().feed(raw)
    with pytest.raises(RateLimitError, match="slow down"):
        ADAPTER.parse_event(ev, ADAPTER.new_stream_state(req(stream=True), cfg()))


def test_stream_garbage_payload_raises_our_error() -> None:
    state = ADAPTER.new_stream_state(req(stream=True), cfg())
    for data in ("{not json", "[1, 2]"):
        with pytest.raises(APIConnectionError):
            ADAPTER.parse_event(StreamEvent(data=data, event="contentBlockDelta", headers={":message-type": "event"}), state)
    # Unknown events and odd shapes are ignored.
    assert ADAPTER.parse_event(StreamEvent(data="{}", event="somethingNew", headers={":message-type": "event"}), state) == []
    assert ADAPTER.parse_event(StreamEvent(data='{"delta": 3}', event="contentBlockDelta", headers={}), state) == []


# ---------------------------------------------------------------------------------------------
# Recordings in ../shared/cassettes


def _recordings() -> List[Dict[str, Any]]:
    if not CASSETTES.is_dir():
        return []
    return [dict(json.loads(p.read_text(encoding="utf-8")), _file=p.name) for p in sorted(CASSETTES.glob("bedrock__*.json"))]


RECORDINGS = _recordings()


def _need_recordings() -> None:
    if not RECORDINGS:
        pytest.skip("../shared/cassettes is not present next to this checkout: Bedrock recordings skipped")


def _openai_request(recorded: Dict[str, Any], model: str, stream: bool) -> ChatRequest:
    """The OpenAI-style request that a caller would have made to produce a recorded Converse body."""
    messages: List[Dict[str, Any]] = [{"role": "system", "content": b["text"]} for b in recorded.get("system", [])]
    for turn in recorded["messages"]:
        if turn["role"] == "assistant":
            text = "".join(b.get("text", "") for b in turn["content"])
            calls = [{"id": b["toolUse"]["toolUseId"], "type": "function",
                      "function": {"name": b["toolUse"]["name"], "arguments": json.dumps(b["toolUse"]["input"])}}
                     for b in turn["content"] if "toolUse" in b]
            msg: Dict[str, Any] = {"role": "assistant", "content": text or None}
            if calls:
                msg["tool_calls"] = calls
            messages.append(msg)
            continue
        for block in turn["content"]:
            if "toolResult" in block:
                result = block["toolResult"]
                messages.append({"role": "tool", "tool_call_id": result["toolUseId"],
                                 "content": "".join(c.get("text", "") for c in result["content"])})
            else:
                messages.append({"role": "user", "content": block["text"]})
    params: Dict[str, Any] = {}
    inference = recorded.get("inferenceConfig", {})
    for ours, theirs in (("max_tokens", "maxTokens"), ("temperature", "temperature"), ("top_p", "topP")):
        if theirs in inference:
            params[ours] = inference[theirs]
    tool_config = recorded.get("toolConfig")
    if tool_config:
        params["tools"] = [{"type": "function", "function": {
            "name": t["toolSpec"]["name"], "description": t["toolSpec"].get("description"),
            "parameters": t["toolSpec"]["inputSchema"]["json"]}} for t in tool_config["tools"]]
        choice = tool_config.get("toolChoice")
        if choice == {"any": {}}:
            params["tool_choice"] = "required"
        elif choice == {"auto": {}}:
            params["tool_choice"] = "auto"
    thinking = recorded.get("additionalModelRequestFields", {}).get("thinking")
    if thinking == {"type": "enabled", "budget_tokens": 1024}:
        params["reasoning_effort"] = "low"
    return ChatRequest(model=model, messages=messages, params=params, stream=stream)


def _normalised(recorded: Dict[str, Any]) -> Dict[str, Any]:
    """The recorded body without empty optional fields and the optional toolResult status."""
    out = {k: v for k, v in recorded.items() if v not in ({}, [])}
    for turn in out["messages"]:
        for block in turn["content"]:
            if "toolResult" in block:
                block["toolResult"].pop("status", None)
    return out


@pytest.mark.parametrize("name", [r["_file"] for r in RECORDINGS] or ["none"])
def test_recorded_request_path_and_body(name: str) -> None:
    _need_recordings()
    recording = next(r for r in RECORDINGS if r["_file"] == name)
    recorded = recording["request"]
    stream = recorded["path"].endswith("/converse-stream")
    model = unquote(recorded["path"].split("/")[2])
    request = _openai_request(recorded["body"], model, stream)
    wire = ADAPTER.prepare(request, cfg(model, api_base="https://" + recorded["host"]))
    assert wire.url == "https://" + recorded["host"] + recorded["path"]
    assert json.loads(wire.body) == _normalised(recorded["body"])


@pytest.mark.parametrize("name", [r["_file"] for r in RECORDINGS] or ["none"])
def test_recorded_responses(name: str) -> None:
    _need_recordings()
    recording = next(r for r in RECORDINGS if r["_file"] == name)
    expected = recording["expected"]
    response = recording["response"]
    model = unquote(recording["request"]["path"].split("/")[2])
    stream = "body_base64" in response
    request = _openai_request(recording["request"]["body"], model, stream)
    config = cfg(model)
    if response["status"] >= 400:
        error = ADAPTER.parse_error(
            WireResponse(response["status"], response["headers"], response["body_text"].encode("utf-8")), config
        )
        assert isinstance(error, BadRequestError)
        assert error.status_code == response["status"]
        assert error.message == expected["error"]["message"]
        return
    if stream:
        chunks = stream_chunks(base64.b64decode(response["body_base64"]), request, piece=13)
        content: Optional[str] = joined(chunks, "content") or None
        reasoning: Optional[str] = joined(chunks, "reasoning_content") or None
        calls = [(c["name"], json.loads(c["arguments"])) for c in tool_calls_of(chunks)]
        assert all(c["id"] for c in tool_calls_of(chunks))
        finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
        assert len(finish) == 1
        finish_reason = finish[0]
        usage = [c.usage for c in chunks if c.usage is not None][-1]
    else:
        result = ADAPTER.parse(WireResponse(200, response["headers"], response["body_text"].encode("utf-8")), request, config)
        message = result.choices[0].message
        content, reasoning = message.content, message.reasoning_content
        calls = [(tc.function.name, json.loads(tc.function.arguments)) for tc in message.tool_calls or []]
        assert all(tc.id for tc in message.tool_calls or [])
        finish_reason = result.choices[0].finish_reason
        usage = result.usage
    assert content == expected["content"]
    assert reasoning == expected["reasoning"]
    assert calls == [(c["name"], c["arguments"]) for c in expected["tool_calls"]]
    assert finish_reason == {"end_turn": "stop", "tool_use": "tool_calls", "max_tokens": "length"}[expected["finish_reason"]]
    assert usage.prompt_tokens == expected["usage"]["input_tokens"]
    assert usage.completion_tokens == expected["usage"]["output_tokens"]
    assert usage.total_tokens == expected["usage"]["total_tokens"]


# ---------------------------------------------------------------------------------------------
# Credentials


def resolve(environ: Mapping[str, str], **kwargs: Any) -> CallConfig:
    return resolve_and_fetch(SPEC, NOVA, dict(kwargs), environ)


def test_credentials_from_arguments() -> None:
    kwargs: Dict[str, Any] = {"aws_access_key_id": "AKIAARGUMENTKEY0001", "aws_secret_access_key": "argsecret/xyz",
                              "aws_session_token": "tok-123456", "aws_region_name": "eu-west-3", "temperature": 1}
    config = resolve_and_fetch(SPEC, NOVA, kwargs, {"AWS_ACCESS_KEY_ID": "AKIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": "x" * 10})
    assert kwargs == {"temperature": 1}  # every aws_* argument consumed, the rest left alone
    creds = config.credentials
    assert (creds.access_key_id, creds.secret_access_key, creds.session_token) == ("AKIAARGUMENTKEY0001", "argsecret/xyz", "tok-123456")
    assert config.options["region"] == "eu-west-3" and creds.region == "eu-west-3"
    assert config.api_base == "https://bedrock-runtime.eu-west-3.amazonaws.com"
    assert "argsecret" not in repr(creds) and "tok-123456" not in repr(creds) and "argsecret" not in repr(config)


def test_credentials_from_environment_and_region_order() -> None:
    env = {"AWS_ACCESS_KEY_ID": "AKIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": "envsecret123",
           "AWS_SESSION_TOKEN": "envtoken123", "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "ap-south-1"}
    config = resolve(env)
    assert config.credentials.access_key_id == "AKIAENVKEY000000001"
    assert config.credentials.session_token == "envtoken123"
    assert config.credentials.source == "environment"
    assert config.options["region"] == "us-west-2"
    env.pop("AWS_REGION")
    assert resolve(env).options["region"] == "ap-south-1"
    assert resolve(env, aws_region_name="eu-central-1").options["region"] == "eu-central-1"


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_credentials_from_shared_file_and_profile(tmp_path: Path) -> None:
    creds_file = _write(tmp_path / "credentials", (
        "[default]\naws_access_key_id = AKIADEFAULT00000001\naws_secret_access_key = defsecret1\n\n"
        "[work]\naws_access_key_id = AKIAWORK00000000001\naws_secret_access_key = worksecret1\n"
        "aws_session_token = worktoken1\n"
    ))
    config_file = _write(tmp_path / "config", "[default]\nregion = us-east-2\n\n[profile work]\nregion = eu-north-1\n")
    env = {"AWS_SHARED_CREDENTIALS_FILE": creds_file, "AWS_CONFIG_FILE": config_file, "HOME": str(tmp_path)}
    config = resolve(env)
    assert config.credentials.access_key_id == "AKIADEFAULT00000001"
    assert config.options["region"] == "us-east-2"
    config = resolve(dict(env, AWS_PROFILE="work"))
    assert config.credentials.access_key_id == "AKIAWORK00000000001"
    assert config.credentials.session_token == "worktoken1"
    assert config.options["region"] == "eu-north-1"
    assert config.credentials.source == "profile:work"
    # aws_profile_name= wins over environment keys.
    config = resolve(dict(env, AWS_ACCESS_KEY_ID="AKIAENVKEY000000001", AWS_SECRET_ACCESS_KEY="s" * 12),
                     aws_profile_name="work")
    assert config.credentials.access_key_id == "AKIAWORK00000000001"
    with pytest.raises(AuthenticationError, match="nope"):
        resolve(env, aws_profile_name="nope", aws_region_name="us-east-1")


def test_default_home_credentials_file(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    _write(tmp_path / ".aws" / "credentials", "[default]\naws_access_key_id=AKIAHOME00000000001\naws_secret_access_key=homesecret\n")
    config = resolve({"HOME": str(tmp_path), "AWS_REGION": "us-east-1"})
    assert config.credentials.access_key_id == "AKIAHOME00000000001"


def test_bearer_token_from_env_or_api_key() -> None:
    config = resolve({"AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-123", "AWS_REGION": "us-east-1",
                      "AWS_ACCESS_KEY_ID": "AKIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": "envsecret123"})
    assert config.credentials.bearer_token == "bedrock-api-key-123"
    assert "bedrock-api-key-123" not in repr(config.credentials)
    config = resolve({"AWS_REGION": "us-east-1"}, api_key="bedrock-api-key-456")
    assert config.credentials.bearer_token == "bedrock-api-key-456"
    wire = ADAPTER.sign(ADAPTER.prepare(req(), config), config)
    assert wire.headers["authorization"] == "Bearer bedrock-api-key-456"
    assert "x-amz-date" not in wire.headers


def test_missing_credentials_and_region(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationError) as info:
        resolve({"HOME": str(tmp_path), "AWS_REGION": "us-east-1"})
    assert "AWS_ACCESS_KEY_ID" in str(info.value) and "AWS_BEARER_TOKEN_BEDROCK" in str(info.value)
    with pytest.raises(BadRequestError) as region_info:
        resolve({"HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": "AKIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": "envsecret123"})
    assert "AWS_REGION" in str(region_info.value) and "AWS_DEFAULT_REGION" in str(region_info.value)
    with pytest.raises(AuthenticationError, match="both"):
        resolve({"AWS_REGION": "us-east-1"}, aws_access_key_id="AKIAONLY")


def test_endpoint_overrides(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": "AKIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": "envsecret123"}
    # The region can come from a standard endpoint URL.
    config = resolve(dict(env, AWS_BEDROCK_RUNTIME_ENDPOINT="https://bedrock-runtime.ca-central-1.amazonaws.com"))
    assert config.options["region"] == "ca-central-1"
    config = resolve(dict(env, AWS_REGION="us-east-1", AWS_BEDROCK_RUNTIME_ENDPOINT="https://vpce.example"),
                     aws_bedrock_runtime_endpoint="https://other.example")
    assert config.api_base == "https://other.example"
    config = resolve(dict(env, AWS_REGION="us-east-1"), api_base="http://127.0.0.1:1",
                     aws_bedrock_runtime_endpoint="https://other.example")
    assert config.api_base == "http://127.0.0.1:1"
    with pytest.raises(BadRequestError):
        resolve(dict(env, AWS_REGION="us-east-1"), aws_bedrock_runtime_endpoint="ftp://x")


def test_resolver_is_registered_for_aws() -> None:
    from litellm_lite.config import CREDENTIAL_RESOLVERS

    assert CREDENTIAL_RESOLVERS["aws"].endswith("aws_auth:resolve_aws_credentials")
    assert SPEC.auth == "aws"
    config = CallConfig(provider="bedrock", model=NOVA, spec=SPEC)
    resolve_aws_credentials(config, {}, {"AWS_BEARER_TOKEN_BEDROCK": "tok-abcdef", "AWS_DEFAULT_REGION": "us-east-1"})
    assert config.credentials.is_bearer


# ---------------------------------------------------------------------------------------------
# Signing, checked by an independent verifier written here from the SigV4 description


def verify_sigv4(method: str, path: str, query: str, headers: Mapping[str, str], body: bytes, secret: str) -> Dict[str, str]:
    """Recompute the signature of a received request (non-S3 rules: path segments encoded again)."""
    auth = headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 ")
    fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    akid, date, region, service, terminator = fields["Credential"].split("/")
    assert terminator == "aws4_request"
    signed = fields["SignedHeaders"].split(";")
    assert signed == sorted(signed) and "host" in signed and "x-amz-date" in signed
    enc = lambda s: quote(s, safe="-_.~")  # noqa: E731
    canonical_path = "/".join(enc(seg) for seg in path.split("/")) or "/"
    pairs = sorted((enc(unquote(k)), enc(unquote(v))) for k, _, v in (p.partition("=") for p in query.split("&") if p))
    lines = [method, canonical_path, "&".join("%s=%s" % kv for kv in pairs)]
    lines.append("".join("%s:%s\n" % (h, " ".join(headers[h].split())) for h in signed))
    lines.append(";".join(signed))
    lines.append(hashlib.sha256(body).hexdigest())
    canonical = "\n".join(lines)
    amz_date = headers["x-amz-date"]
    assert amz_date[:8] == date
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, "/".join([date, region, service, "aws4_request"]),
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    assert fields["Signature"] == expected, canonical
    return {"akid": akid, "region": region, "service": service, "signed": fields["SignedHeaders"], "canonical": canonical}


def test_sign_adds_a_valid_signature_with_session_token() -> None:
    creds = AwsCredentials(region="eu-west-1", access_key_id=AKID, secret_access_key=SECRET,
                           session_token="session-tok", source="test")
    config = cfg(credentials=creds, api_base="https://bedrock-runtime.eu-west-1.amazonaws.com")
    wire = ADAPTER.prepare(req(), config)
    signed = ADAPTER.sign(wire, config)
    assert signed.url == wire.url and signed.body == wire.body
    assert signed.headers["x-amz-security-token"] == "session-tok"
    now = datetime.now(timezone.utc)
    stamp = datetime.strptime(signed.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs(now - stamp) < timedelta(minutes=5)
    headers = {k.lower(): v for k, v in signed.headers.items()}
    headers["host"] = "bedrock-runtime.eu-west-1.amazonaws.com"
    info = verify_sigv4("POST", "/model/us.amazon.nova-micro-v1%3A0/converse", "", headers, signed.body, SECRET)
    assert info["region"] == "eu-west-1" and info["service"] == "bedrock" and info["akid"] == AKID
    assert info["signed"] == "accept;content-type;host;x-amz-date;x-amz-security-token"
    assert "\n/model/us.amazon.nova-micro-v1%253A0/converse\n" in info["canonical"]
    # Signing again (a retry) replaces the previous signature instead of adding a second one.
    again = ADAPTER.sign(signed, config)
    assert sum(1 for k in again.headers if k.lower() == "authorization") == 1


def test_sign_without_credentials_raises() -> None:
    config = cfg(credentials=None)
    with pytest.raises(AuthenticationError):
        ADAPTER.sign(WireRequest(url="https://x/model/m/converse", headers={}, body=b"{}"), config)


# ---------------------------------------------------------------------------------------------
# End to end through litellm_lite.completion() and the loopback server


def _e2e_ready() -> None:
    try:
        import litellm_lite
        from litellm_lite import _http, retry, streaming  # noqa: F401
    except ImportError:
        pytest.skip("litellm_lite.completion transport (_http.py) not available yet")
    assert callable(litellm_lite.completion)


E2E_KW = dict(aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_region_name="us-east-1", num_retries=0)


def test_e2e_converse_signed_request(server: Any) -> None:
    _e2e_ready()
    import litellm_lite
    from tests.server import Reply

    payload = {"output": {"message": {"role": "assistant", "content": [{"text": "Hi!"}]}},
               "stopReason": "end_turn", "usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5}}
    server.add(Reply.json(payload))
    result = litellm_lite.completion(model="bedrock/" + NOVA, messages=[{"role": "user", "content": "hello"}],
                                     api_base=server.url, aws_session_token="tok-e2e-123", temperature=0.1, **E2E_KW)
    assert result.choices[0].message.content == "Hi!"
    assert result.choices[0].finish_reason == "stop"
    assert result.usage.total_tokens == 5
    (received,) = server.requests
    assert received.path == "/model/us.amazon.nova-micro-v1%3A0/converse"
    assert received.json() == {"messages": [{"role": "user", "content": [{"text": "hello"}]}],
                               "inferenceConfig": {"temperature": 0.1}}
    assert received.headers["x-amz-security-token"] == "tok-e2e-123"
    info = verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)
    assert info["service"] == "bedrock" and info["region"] == "us-east-1"


def test_e2e_converse_stream_recording(server: Any) -> None:
    _e2e_ready()
    _need_recordings()
    import litellm_lite
    from tests.server import Reply

    recording = next(r for r in RECORDINGS if r["_file"] == "bedrock__tools_stream.json")
    raw = base64.b64decode(recording["response"]["body_base64"])
    server.add(Reply(headers={"content-type": "application/vnd.amazon.eventstream"},
                     chunks=[raw[i : i + 37] for i in range(0, len(raw), 37)], chunked=True))
    model = "bedrock/converse/anthropic.claude-3-sonnet-20240229-v1:0"
    stream = litellm_lite.completion(model=model, messages=[{"role": "user", "content": "weather?"}],
                                     api_base=server.url, stream=True, **E2E_KW)
    chunks = list(stream)
    built = litellm_lite.stream_chunk_builder(chunks)
    message = built.choices[0].message
    assert message.content == recording["expected"]["content"]
    assert message.tool_calls[0].function.name == "get_weather"
    assert json.loads(message.tool_calls[0].function.arguments) == {"location": "Barcelona"}
    assert built.choices[0].finish_reason == "tool_calls"
    assert built.usage.prompt_tokens == 236 and built.usage.completion_tokens == 58
    (received,) = server.requests
    assert received.path == "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse-stream"
    verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)


def test_e2e_errors_and_cut_stream(server: Any) -> None:
    _e2e_ready()
    import litellm_lite
    from tests.server import Reply

    server.add(Reply(status=400, headers={"content-type": "application/json", "x-amzn-errortype": "ValidationException"},
                     body=b'{"message": "The provided model identifier is invalid."}'))
    with pytest.raises(BadRequestError, match="model identifier is invalid"):
        litellm_lite.completion(model="bedrock/nope", messages=[{"role": "user", "content": "x"}],
                                api_base=server.url, **E2E_KW)
    exc = es_frame([(":exception-type", 7, "throttlingException"), (":message-type", 7, "exception")],
                   b'{"message": "Too many requests"}')
    server.add(Reply(headers={"content-type": "application/vnd.amazon.eventstream"},
                     chunks=[es_event("messageStart", {"role": "assistant"}), exc], chunked=True))
    with pytest.raises(RateLimitError):
        list(litellm_lite.completion(model="bedrock/" + NOVA, messages=[{"role": "user", "content": "x"}],
                                     api_base=server.url, stream=True, **E2E_KW))
    partial = es_event("messageStart", {"role": "assistant"}) + es_event(
        "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hel"}})
    server.add(Reply(headers={"content-type": "application/vnd.amazon.eventstream"}, chunks=[partial[:-5]], chunked=True))
    with pytest.raises(APIConnectionError):
        list(litellm_lite.completion(model="bedrock/" + NOVA, messages=[{"role": "user", "content": "x"}],
                                     api_base=server.url, stream=True, **E2E_KW))


def test_e2e_missing_credentials_sends_nothing(server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _e2e_ready()
    import litellm_lite

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with pytest.raises(AuthenticationError):
        litellm_lite.completion(model="bedrock/" + NOVA, messages=[{"role": "user", "content": "x"}], api_base=server.url)
    assert server.requests == []
    assert os.environ.get("AWS_ACCESS_KEY_ID") is None
