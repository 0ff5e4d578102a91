"""Cohere v2 adapter: uncommon message shapes, parameter errors, odd payloads and stream events."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import APIConnectionError, BadRequestError, RateLimitError, UnsupportedParamsError
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from litellm_lite.providers.cohere import CohereAdapter

ADAPTER = CohereAdapter()
USER = [{"role": "user", "content": "hi"}]


def cfg(**kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider="cohere", model="command-r", spec=PROVIDERS["cohere"], api_key="co-k",
                                api_base="https://api.cohere.com")
    base.update(kw)
    return CallConfig(**base)


def body(messages: Optional[List[Dict[str, Any]]] = None, drop: bool = False, **params: Any) -> Dict[str, Any]:
    request = ChatRequest(model="command-r", messages=messages or USER, params=params)
    return json.loads(ADAPTER.prepare(request, cfg(drop_params=drop)).body)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# messages


def test_odd_user_and_tool_contents() -> None:
    messages = [
        {"role": "user", "content": ["junk", {"type": "text", "text": "a"}]},
        {"role": "user", "content": 42},
        {"role": "assistant", "content": None, "tool_calls": [
            "junk", {"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}]},
        {"role": "tool", "tool_call_id": "c1", "content": None},
        {"role": "tool", "tool_call_id": "c1", "content": {"ok": True}},
        {"role": "tool", "tool_call_id": "c1", "content": 7},
        {"role": "assistant", "content": None},
    ]
    sent = body(messages)["messages"]
    assert sent[0]["content"] == [{"type": "text", "text": "a"}]  # the non-dict part is skipped
    assert sent[1]["content"] == "42"
    assert sent[2]["tool_calls"] == [{"id": "c1", "type": "function",
                                      "function": {"name": "f", "arguments": '{"x": 1}'}}]
    assert sent[3]["content"] == ""
    assert sent[4]["content"] == [{"type": "document", "document": {"data": '{"ok": true}'}}]
    assert sent[5]["content"] == "7"
    assert sent[6] == {"role": "assistant", "content": ""}


def test_unsupported_role_is_rejected() -> None:
    with pytest.raises(BadRequestError, match="unsupported message role 'function'"):
        body([{"role": "function", "name": "f", "content": "x"}])


# ---------------------------------------------------------------------------------------------
# parameters


def test_unknown_reasoning_effort_is_rejected_or_dropped() -> None:
    with pytest.raises(UnsupportedParamsError, match="reasoning_effort"):
        body(reasoning_effort="extreme")
    assert "thinking" not in body(reasoning_effort="extreme", drop=True)


@pytest.mark.parametrize("fmt", ["json", {"type": "grammar", "grammar": "x"}])
def test_unexpressible_response_formats(fmt: Any) -> None:
    with pytest.raises(UnsupportedParamsError, match="response_format"):
        body(response_format=fmt)
    assert "response_format" not in body(response_format=fmt, drop=True)


def test_json_object_with_schema_and_logprobs() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    sent = body(response_format={"type": "json_object", "schema": schema}, logprobs=True)
    assert sent["response_format"] == {"type": "json_object", "json_schema": schema}
    assert sent["logprobs"] is True


def test_non_dict_tools_are_skipped() -> None:
    sent = body(tools=["junk", {"type": "function", "function": {"name": "f"}}])
    assert sent["tools"] == [{"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {}}}}]


# ---------------------------------------------------------------------------------------------
# responses


def _parse(payload: Any) -> Any:
    return ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                         ChatRequest(model="command-r", messages=USER), cfg())


def test_string_content_garbage_usage_counts_and_logprobs() -> None:
    resp = _parse({"id": "r1", "finish_reason": "COMPLETE",
                   "message": {"role": "assistant", "content": "plain text"},
                   "usage": {"tokens": {"input_tokens": "many", "output_tokens": [1]}},
                   "logprobs": [{"token_ids": [1], "logprobs": [-0.5]}]})
    assert resp.choices[0].message.content == "plain text"
    assert resp.usage.prompt_tokens == 0 and resp.usage.completion_tokens == 0
    assert resp.choices[0].logprobs == [{"token_ids": [1], "logprobs": [-0.5]}]


# ---------------------------------------------------------------------------------------------
# streams


def _run(events: List[Any]) -> List[Any]:
    state = ADAPTER.new_stream_state(ChatRequest(model="command-r", messages=USER, stream=True), cfg())
    out: List[Any] = []
    for data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        out.extend(ADAPTER.parse_event(StreamEvent(data=text), state))
    return out


def test_blank_events_and_non_objects() -> None:
    assert _run(["", "   "]) == []
    with pytest.raises(APIConnectionError, match="unexpected Cohere stream event"):
        _run(["[1, 2]"])


def test_tool_call_delta_without_start_and_tool_calls_finish() -> None:
    chunks = _run([
        {"type": "tool-call-delta", "index": 3, "delta": {"message": {"tool_calls": {"function": {}}}}},
        {"type": "tool-call-delta", "index": 3,
         "delta": {"message": {"tool_calls": {"function": {"arguments": "{\"a\""}}}}},
        {"type": "message-end", "delta": {"finish_reason": "COMPLETE",
                                          "usage": {"tokens": {"input_tokens": 3, "output_tokens": 4}}}},
    ])
    assert len(chunks) == 2
    call = chunks[0].choices[0].delta.tool_calls[0]
    assert call.index == 0 and call.function.arguments == "{\"a\""
    assert chunks[1].choices[0].finish_reason == "tool_calls"
    assert chunks[1].usage.total_tokens == 7


def test_error_events_raise_mapped_exceptions() -> None:
    with pytest.raises(RateLimitError, match="slow down"):
        _run([{"type": "error", "status_code": 429, "message": "slow down"}])
    with pytest.raises(Exception) as info:
        _run([{"message": "backend failure"}])  # no type at all, but a message
    assert getattr(info.value, "status_code", None) == 500 and "backend failure" in str(info.value)


# ---------------------------------------------------------------------------------------------
# embeddings


def test_embed_url_with_generic_spec_path_and_v2_base() -> None:
    spec = dataclasses.replace(PROVIDERS["cohere"], endpoints=(("chat", "/v2/chat"), ("embedding", "/embeddings")))
    config = cfg(spec=spec, api_base="https://proxy.example/v2/")
    wire = ADAPTER.prepare_embedding(EmbeddingRequest(model="embed-v4.0", input=["a"]), config)
    assert wire.url == "https://proxy.example/v2/embed"


def test_embed_user_param_is_unsupported() -> None:
    request = EmbeddingRequest(model="embed-v4.0", input=["a"], params={"user": "u1"})
    with pytest.raises(UnsupportedParamsError, match="'user'"):
        ADAPTER.prepare_embedding(request, cfg())
    assert "user" not in json.loads(ADAPTER.prepare_embedding(request, cfg(drop_params=True)).body)


@pytest.mark.parametrize("embeddings", [{"int8": [[1, 2]]}, [[1, 2]]])
def test_embed_response_other_shapes(embeddings: Any) -> None:
    request = EmbeddingRequest(model="embed-v4.0", input=["a"])
    resp = ADAPTER.parse_embedding(WireResponse(200, {}, json.dumps({"embeddings": embeddings}).encode()),
                                   request, cfg())
    assert resp.data[0].embedding == [1, 2]
    assert resp.usage.prompt_tokens == 0
