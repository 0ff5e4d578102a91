"""OpenAI-format streams through completion(stream=True), byte by byte, over real HTTP."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litellm_lite as litellm
from litellm_lite.exceptions import APIConnectionError, BadRequestError, RateLimitError
from litellm_lite.streaming import CustomStreamWrapper
from tests.server import LoopbackServer, Reply

USER = [{"role": "user", "content": "hi"}]


def _chunk(delta: Dict[str, Any], finish: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    return {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


TEXT = "Héllo wörld € 😀 \u2028 line"
EVENTS = [_chunk({"role": "assistant", "content": ""})] + [_chunk({"content": c}) for c in ["Hé", "llo wörld ", "€ 😀 \u2028", " line"]] + [
    _chunk({}, "stop"),
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}},
]


def _body(events: List[Dict[str, Any]], newline: bytes = b"\n", done: bool = True) -> bytes:
    out = b"".join(b"data: " + json.dumps(e, ensure_ascii=False).encode("utf-8") + newline + newline for e in events)
    return out + (b"data: [DONE]" + newline + newline if done else b"")


def _stream(server: LoopbackServer, **kw: Any) -> CustomStreamWrapper:
    return litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", stream=True, **kw)


def _content(chunks: List[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_stream_content_usage_and_builder(server: LoopbackServer) -> None:
    server.add(Reply(chunks=[_body(EVENTS)], chunked=True, headers={"content-type": "text/event-stream"}))
    stream = _stream(server, stream_options={"include_usage": True})
    chunks = list(stream)
    assert _content(chunks) == TEXT
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 8
    assert server.requests[-1].json()["stream"] is True
    assert server.requests[-1].json()["stream_options"] == {"include_usage": True}
    built = litellm.stream_chunk_builder(chunks)
    assert built.choices[0].message.content == TEXT
    assert built.choices[0].finish_reason == "stop"
    assert built.usage.prompt_tokens == 3
    assert stream.get_final_response().choices[0].message.content == TEXT


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(_body(EVENTS)) - 1), max_size=12, unique=True), crlf=st.booleans())
def test_any_byte_split_gives_the_same_stream(server: LoopbackServer, cuts: List[int], crlf: bool) -> None:
    body = _body(EVENTS, b"\r\n" if crlf else b"\n")
    points = [0] + sorted(c for c in cuts if c < len(body)) + [len(body)]
    pieces = [body[a:b] for a, b in zip(points, points[1:]) if b > a]
    server.add(Reply(chunks=pieces, chunked=True, headers={"content-type": "text/event-stream"}))
    chunks = list(_stream(server))
    assert _content(chunks) == TEXT
    assert chunks[-1].usage is not None


def test_every_single_byte_written_separately(server: LoopbackServer) -> None:
    body = _body(EVENTS)
    server.add(Reply(chunks=[body[i : i + 1] for i in range(len(body))], chunked=True, headers={"content-type": "text/event-stream"}))
    assert _content(list(_stream(server))) == TEXT


def test_comments_event_lines_and_cr_only_endings(server: LoopbackServer) -> None:
    body = b": keep-alive comment\r" + _body(EVENTS, b"\r").replace(b"data: [DONE]", b": another\rdata: [DONE]")
    server.add(Reply(chunks=[body], headers={"content-type": "text/event-stream"}))
    assert _content(list(_stream(server))) == TEXT


def test_tool_call_deltas_assemble(server: LoopbackServer) -> None:
    events = [
        _chunk({"role": "assistant", "content": None, "tool_calls": [{"index": 0, "id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\": "}}]}),
        _chunk({"tool_calls": [{"index": 1, "id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": "\"Paris\"}"}}]}),
        _chunk({}, "tool_calls"),
    ]
    server.add(Reply(chunks=[_body(events)], headers={"content-type": "text/event-stream"}))
    chunks = list(_stream(server))
    assert chunks[0].choices[0].delta.tool_calls[0].function.name == "get_weather"
    built = litellm.stream_chunk_builder(chunks)
    calls = built.choices[0].message.tool_calls
    assert [c.id for c in calls] == ["call_a", "call_b"]
    assert json.loads(calls[0].function.arguments) == {"city": "Paris"}
    assert built.choices[0].finish_reason == "tool_calls"


def test_reasoning_deltas_deepseek(server: LoopbackServer) -> None:
    events = [_chunk({"role": "assistant", "reasoning_content": "think "}), _chunk({"reasoning_content": "more"}), _chunk({"content": "answer"}), _chunk({}, "stop")]
    server.add(Reply(chunks=[_body(events)], headers={"content-type": "text/event-stream"}))
    chunks = list(litellm.completion(model="deepseek/deepseek-reasoner", messages=USER, api_base=server.url, api_key="k", stream=True))
    built = litellm.stream_chunk_builder(chunks)
    assert built.choices[0].message.reasoning_content == "think more"
    assert built.choices[0].message.content == "answer"


def test_connection_cut_mid_stream_raises(server: LoopbackServer) -> None:
    body = _body(EVENTS)
    server.add(Reply(chunks=[body], chunked=True, cut_after=len(body) // 2, headers={"content-type": "text/event-stream"}))
    stream = _stream(server)
    got: List[Any] = []
    with pytest.raises(APIConnectionError):
        for chunk in stream:
            got.append(chunk)
    assert 0 < len(got) < len(EVENTS)


def test_clean_eof_without_done_or_finish_is_an_error(server: LoopbackServer) -> None:
    body = _body(EVENTS[:3], done=False)
    server.add(Reply(body=body, headers={"content-type": "text/event-stream"}))
    with pytest.raises(APIConnectionError):
        list(_stream(server))


def test_error_event_inside_stream_raises_mapped_error(server: LoopbackServer) -> None:
    body = _body(EVENTS[:2], done=False) + b'data: {"error": {"message": "Rate limit exceeded", "code": 429}}\n\n'
    server.add(Reply(body=body, headers={"content-type": "text/event-stream"}))
    with pytest.raises(RateLimitError) as info:
        list(_stream(server))
    assert "Rate limit exceeded" in str(info.value)


def test_error_status_before_stream_raises_at_call(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "bad model"}}, status=400))
    with pytest.raises(BadRequestError):
        _stream(server)


def test_close_and_context_manager(server: LoopbackServer) -> None:
    server.add(Reply(chunks=[_body(EVENTS)], headers={"content-type": "text/event-stream"}))
    with _stream(server) as stream:
        first = next(stream)
        assert first.choices[0].delta.role == "assistant"
    assert list(stream) == []


def test_stream_chunk_builder_from_dicts_and_empty() -> None:
    chunks = [_chunk({"role": "assistant", "content": "a"}), _chunk({"content": "b"}), _chunk({}, "length")]
    built = litellm.stream_chunk_builder(chunks, messages=USER)
    assert built.choices[0].message.content == "ab" and built.choices[0].finish_reason == "length"
    assert built.usage is not None and built.usage.prompt_tokens > 0
    assert litellm.stream_chunk_builder([]) is None


def test_async_iteration(server: LoopbackServer) -> None:
    import asyncio

    server.add(Reply(chunks=[_body(EVENTS)], headers={"content-type": "text/event-stream"}))

    async def run() -> str:
        out = []
        async for chunk in _stream(server):
            if chunk.choices:
                out.append(chunk.choices[0].delta.content or "")
        return "".join(out)

    assert asyncio.run(run()) == TEXT


def test_builder_merges_thinking_fragments_refusals_and_long_streams() -> None:
    from litellm_lite.streaming import ResponseBuilder
    from litellm_lite.types import Delta, ModelResponseStream, StreamingChoices

    builder = ResponseBuilder()

    def add(**delta: Any) -> None:
        builder.add(ModelResponseStream(id="s", created=2, model="m", choices=[StreamingChoices(delta=Delta(**delta))]))

    add(thinking_blocks=[{"type": "thinking", "thinking": "a"}])
    add(thinking_blocks=[{"type": "thinking", "thinking": "b", "signature": "sig"}])
    add(thinking_blocks=[{"type": "redacted_thinking", "data": "xx"}])
    add(refusal="no")
    for i in range(600):  # more pieces than the join threshold
        add(content=str(i % 10))
    built = builder.build()
    msg = built.choices[0].message
    assert msg.thinking_blocks == [{"type": "thinking", "thinking": "ab", "signature": "sig"}, {"type": "redacted_thinking", "data": "xx"}]
    assert msg.refusal == "no"
    assert msg.content == "".join(str(i % 10) for i in range(600))
    assert built.id == "s" and built.created == 2


def test_builder_reads_usage_from_dict_chunks() -> None:
    chunks = [_chunk({"content": "a"}, "stop"), {"id": "c1", "choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6}}]
    built = litellm.stream_chunk_builder(chunks)
    assert built.usage.total_tokens == 6 and built.choices[0].message.content == "a"


def test_connection_cut_after_done_is_not_an_error(server: LoopbackServer) -> None:
    body = _body(EVENTS)
    # The stream is complete ([DONE] sent) but the chunked terminator never comes: nothing is lost.
    server.add(Reply(chunks=[body], chunked=True, cut_after=len(body), headers={"content-type": "text/event-stream"}))
    chunks = list(_stream(server))
    assert _content(chunks) == TEXT


def test_adapter_bug_in_parse_event_becomes_our_error(server: LoopbackServer) -> None:
    from litellm_lite.providers import ADAPTERS, PROVIDERS, register_provider
    from litellm_lite.providers.base import ProviderSpec

    ADAPTERS["broken_stream_test"] = "tests.api.test_streaming:_BrokenStreamAdapter"
    register_provider(ProviderSpec(name="broken_stream_test", adapter="broken_stream_test", key_required=False))
    try:
        server.add(Reply(chunks=[_body(EVENTS)], headers={"content-type": "text/event-stream"}))
        stream = litellm.completion(model="broken_stream_test/m", messages=USER, api_base=server.url, stream=True)
        with pytest.raises(APIConnectionError) as info:
            list(stream)
        assert "could not parse stream event" in str(info.value)
    finally:
        PROVIDERS.pop("broken_stream_test", None)
        ADAPTERS.pop("broken_stream_test", None)


from litellm_lite.providers.openai import OpenAIAdapter  # noqa: E402


class _BrokenStreamAdapter(OpenAIAdapter):
    def parse_event(self, event: Any, state: Any) -> Any:
        return [][1]  # noqa: PLE0643 - a parser that fails with IndexError on purpose


def test_stream_request_answered_with_a_whole_json_response(server: LoopbackServer) -> None:
    whole = {"id": "c9", "object": "chat.completion", "created": 3, "model": "m",
             "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                 "role": "assistant", "content": "hi", "reasoning_content": "r",
                 "tool_calls": [{"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}}],
             "usage": {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}}
    server.add(Reply.json(whole))
    chunks = list(_stream(server))
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 5
    built = litellm.stream_chunk_builder(chunks)
    msg = built.choices[0].message
    assert (msg.content, msg.reasoning_content, msg.tool_calls[0].function.name) == ("hi", "r", "f")
    assert built.choices[0].finish_reason == "tool_calls" and built.id == "c9"


def test_stream_request_answered_with_a_json_error_keeps_the_message(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "Rate limit reached for requests", "code": 429}}))
    with pytest.raises(RateLimitError) as info:
        _stream(server, num_retries=0)
    assert "Rate limit reached for requests" in str(info.value)
