"""OpenAI-format adapter (and its Azure subclass): odd payload shapes, auth styles, error mapping."""

from __future__ import annotations

import base64
import dataclasses
import json
import struct
from typing import Any, Dict, List

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyViolationError,
    InternalServerError,
    RateLimitError,
    ServiceUnavailableError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.azure import AzureAdapter, resolve_azure_credentials
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from litellm_lite.providers.openai import OpenAIAdapter, parse_usage

ADAPTER = OpenAIAdapter()
USER = [{"role": "user", "content": "hi"}]


def cfg(provider: str = "openai", **kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider=provider, model="gpt-4o", api_key="sk-test",
                                api_base="https://api.example.com/v1")
    base.update(kw)
    if "spec" not in base:
        base["spec"] = PROVIDERS[provider]
    return CallConfig(**base)


def parse(payload: Any, config: CallConfig = None) -> Any:  # type: ignore[assignment]
    raw = json.dumps(payload).encode()
    return ADAPTER.parse(WireResponse(200, {}, raw), ChatRequest(model="gpt-4o", messages=USER), config or cfg())


# ---------------------------------------------------------------------------------------------
# request side


@pytest.mark.parametrize("auth,header,value", [
    ("api-key", "api-key", "sk-test"),
    ("x-api-key", "x-api-key", "sk-test"),
    ("none", None, None),
])
def test_auth_styles_of_custom_rows(auth: str, header: Any, value: Any) -> None:
    spec = dataclasses.replace(PROVIDERS["openai"], name="gateway", auth=auth)
    wire = ADAPTER.prepare(ChatRequest(model="m", messages=USER), cfg(spec=spec, provider="gateway"))
    assert "Authorization" not in wire.headers
    if header:
        assert wire.headers[header] == value
    else:
        assert "api-key" not in wire.headers and "x-api-key" not in wire.headers


def test_thinking_param_is_not_sent_to_openai_rows() -> None:
    wire = ADAPTER.prepare(ChatRequest(model="gpt-4o", messages=USER,
                                       params={"thinking": {"type": "enabled", "budget_tokens": 10},
                                               "temperature": 0.2}), cfg())
    sent = json.loads(wire.body)
    assert "thinking" not in sent and sent["temperature"] == 0.2


def test_embeddings_on_a_row_without_an_embeddings_path() -> None:
    spec = dataclasses.replace(PROVIDERS["openai"], name="chatonly", endpoints=(("chat", "/chat/completions"),))
    with pytest.raises(BadRequestError, match="does not serve embeddings"):
        ADAPTER.prepare_embedding(EmbeddingRequest(model="m", input=["a"]), cfg(spec=spec, provider="chatonly"))


# ---------------------------------------------------------------------------------------------
# responses


def test_odd_content_and_tool_call_shapes() -> None:
    resp = parse({"id": "c1", "created": 5, "model": "gpt-4o", "choices": [
        "junk",
        {"index": 1, "message": {"content": {"weird": 1}}, "finish_reason": "stop"},
        {"index": 2, "message": {"content": ["a", {"type": "thinking", "thinking": "t"}, {"type": "text", "text": "b"}],
                                 "tool_calls": ["junk", {"id": "x", "function": {"name": "f", "arguments": {"k": 1}}},
                                                {"id": "y", "function": {"name": "g"}}]}},
    ], "x_groq": {"usage": {"prompt_tokens": 2, "completion_tokens": 3}}})
    assert [c.index for c in resp.choices] == [1, 2]
    assert resp.choices[0].message.content == '{"weird": 1}'
    second = resp.choices[1]
    assert second.message.content == "ab" and second.message.reasoning_content == "t"
    assert [(c.id, c.function.arguments) for c in second.message.tool_calls] == [("x", '{"k": 1}'), ("y", "{}")]
    assert second.finish_reason == "tool_calls"  # no finish_reason but tool calls
    assert resp.usage.total_tokens == 5  # taken from Groq's x_groq.usage


def test_deepseek_cache_hit_tokens() -> None:
    usage = parse_usage({"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11,
                         "prompt_cache_hit_tokens": 8, "prompt_cache_miss_tokens": 2})
    assert usage is not None
    assert usage.prompt_tokens_details.cached_tokens == 8 and usage.cache_read_input_tokens == 8


def test_non_object_body_and_in_body_errors() -> None:
    with pytest.raises(InternalServerError, match="unexpected response body"):
        parse([1])
    with pytest.raises(RateLimitError, match="upstream said no: quota exceeded"):
        parse({"error": {"message": "upstream said no", "code": 429, "metadata": {"raw": "quota exceeded"}}})
    with pytest.raises(InternalServerError, match="plain failure"):
        parse({"error": "plain failure"})


# ---------------------------------------------------------------------------------------------
# streams


def _stream(events: List[Any]) -> List[Any]:
    state = ADAPTER.new_stream_state(ChatRequest(model="gpt-4o", messages=USER, stream=True), cfg())
    out: List[Any] = []
    for data in events:
        out.extend(ADAPTER.parse_event(StreamEvent(data=data if isinstance(data, str) else json.dumps(data)), state))
    return out


def test_stream_skips_blank_non_object_and_empty_chunks() -> None:
    assert _stream(["  ", "[1, 2]", {"id": "c", "created": 1, "choices": []}]) == []


def test_stream_chunk_without_id_gets_one_and_odd_tool_deltas() -> None:
    chunks = _stream([{"choices": ["junk", {"delta": {"tool_calls": [
        "junk", {"index": 0, "id": "t1", "function": {"name": "f"}},
        {"index": 1, "function": {"arguments": {"a": 1}}}]}}]}])
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.id and chunk.created  # made up when the server sent none
    calls = chunk.choices[0].delta.tool_calls
    assert [(c.index, c.id, c.function.arguments) for c in calls] == [(0, "t1", ""), (1, None, '{"a": 1}')]
    assert calls[0].type == "function" and calls[1].type is None
    assert chunk.choices[0].index == 1  # position in the choices list


@pytest.mark.parametrize("error,exc,needle", [
    ({"message": "m", "metadata": {"raw": "upstream detail"}}, InternalServerError, "m: upstream detail"),
    ({"message": "slow", "type": "rate_limit_exceeded"}, RateLimitError, "slow"),
    ({"message": "who", "code": "invalid_api_key"}, AuthenticationError, "who"),
    ({"message": "busy", "type": "overloaded_error"}, ServiceUnavailableError, "busy"),
    ({"message": "bad", "type": "invalid_request_error"}, BadRequestError, "bad"),
    ({"message": "other", "type": "server_error"}, InternalServerError, "other"),
])
def test_stream_error_status_from_type_and_code(error: Dict[str, Any], exc: Any, needle: str) -> None:
    with pytest.raises(exc, match=needle):
        _stream([{"error": error}])


# ---------------------------------------------------------------------------------------------
# embeddings


def _embed(payload: Any) -> Any:
    return ADAPTER.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()),
                                   EmbeddingRequest(model="text-embedding-3-small", input=["a"]), cfg())


def test_embedding_garbage() -> None:
    with pytest.raises(InternalServerError, match="unexpected embeddings body"):
        _embed([1])
    packed = base64.b64encode(struct.pack("<2f", 0.5, -1.0)).decode()
    resp = _embed({"data": ["junk", {"embedding": packed}]})
    assert resp.data[0].embedding == [0.5, -1.0] and resp.data[0].index == 1


@pytest.mark.parametrize("vector,needle", [("%%%not base64", "not valid base64"), (5, "not a list"),
                                           (None, "not a list")])
def test_embedding_vector_of_the_wrong_kind_is_a_connection_error(vector: Any, needle: str) -> None:
    with pytest.raises(APIConnectionError, match=needle):
        _embed({"data": [{"embedding": vector}]})


# ---------------------------------------------------------------------------------------------
# Azure


AZ = AzureAdapter()


def azcfg(**kw: Any) -> CallConfig:
    kw.setdefault("api_base", "https://res.openai.azure.com")
    kw.setdefault("api_version", "2024-10-21")
    return cfg("azure", **kw)


def test_azure_ad_token_must_be_a_string() -> None:
    with pytest.raises(AuthenticationError, match="must be a string"):
        resolve_azure_credentials(azcfg(), {"azure_ad_token_provider": lambda: 123}, {})


def test_azure_row_without_the_reasoning_quirk_still_gets_reasoning_rules() -> None:
    spec = dataclasses.replace(PROVIDERS["azure"], quirks=frozenset())
    request = ChatRequest(model="o3-mini", messages=USER, params={"max_tokens": 10, "temperature": 0.3})
    with pytest.raises(UnsupportedParamsError):
        AZ.prepare(request, azcfg(spec=spec))
    sent = json.loads(AZ.prepare(request, azcfg(spec=spec, drop_params=True)).body)
    assert sent["max_completion_tokens"] == 10 and "temperature" not in sent and "max_tokens" not in sent
    assert spec.quirks == frozenset()  # the row itself is not modified


def test_azure_400_with_non_json_body_stays_bad_request() -> None:
    err = AZ.parse_error(WireResponse(400, {}, b"<html>bad request</html>"), azcfg())
    assert isinstance(err, BadRequestError) and not isinstance(err, ContentPolicyViolationError)


def _az_stream(events: List[Dict[str, Any]]) -> List[Any]:
    state = AZ.new_stream_state(ChatRequest(model="gpt-4o", messages=USER, stream=True), azcfg())
    out: List[Any] = []
    for data in events:
        out.extend(AZ.parse_event(StreamEvent(data=json.dumps(data)), state))
    return out


def test_azure_filter_chunks_with_usage_or_real_content_are_kept() -> None:
    usage_chunk = {"id": "c", "created": 1, "choices": [], "prompt_filter_results": [],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    chunks = _az_stream([usage_chunk])
    assert len(chunks) == 1 and chunks[0].usage.total_tokens == 2
    # a choice with content but no filter annotation is a real chunk
    plain = {"id": "c", "created": 1, "choices": [{"index": 0, "delta": {"content": "hi"}}],
             "prompt_filter_results": []}
    assert _az_stream([plain])[0].choices[0].delta.content == "hi"


def test_azure_filter_chunk_with_non_list_choices_is_parsed_without_crashing() -> None:
    # choices of the wrong type: not an annotation-only chunk, so the OpenAI parser sees it and
    # finds no choice objects in it (no TypeError escapes)
    assert _az_stream([{"id": "c", "created": 1, "choices": {"0": {}}, "prompt_filter_results": []}]) == []
