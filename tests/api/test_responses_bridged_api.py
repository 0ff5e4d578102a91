"""``responses()`` on providers without ``/responses``: one test per wire format (OpenAI-compatible,
Anthropic, Gemini and Vertex AI through FakeProvider; Bedrock Converse, Cohere v2 and Ollama through
loopback servers speaking their formats), streamed and not, with a tool round trip
(``previous_response_id`` plus a ``function_call_output`` item); errors, cut streams, the store
limits, fallbacks, async, and ``text_completion()`` on chat-only providers."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Dict, List, Optional

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import (
    APIConnectionError,
    BadRequestError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.responses_api import BridgedResponsesStream, ResponsesAPIResponse
from litellm_lite.responses_api.store import default_store
from litellm_lite.streaming import TextCompletionStreamWrapper
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, RecordedRequest, Reply
from tests.transport.test_eventstream import event as es_event

TOOLS = [{"type": "function", "name": "get_weather", "description": "Weather of a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}


# -- servers speaking each format ------------------------------------------------------------------


def _bedrock(rec: RecordedRequest, tool: bool) -> Reply:
    stream = rec.path.endswith("/converse-stream")
    if not stream:
        content: List[Dict[str, Any]] = [{"toolUse": {"toolUseId": "call_1", "name": "get_weather", "input": {"city": "Oslo"}}}] \
            if tool else [{"text": "Sunny in Oslo"}]
        return Reply.json({"output": {"message": {"role": "assistant", "content": content}},
                           "stopReason": "tool_use" if tool else "end_turn",
                           "usage": {"inputTokens": 7, "outputTokens": 5, "totalTokens": 12}})
    if tool:
        events = [es_event("messageStart", {"role": "assistant"}),
                  es_event("contentBlockStart", {"contentBlockIndex": 0,
                                                 "start": {"toolUse": {"toolUseId": "call_1", "name": "get_weather"}}}),
                  es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": '{"city"'}}}),
                  es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": ': "Oslo"}'}}}),
                  es_event("contentBlockStop", {"contentBlockIndex": 0}),
                  es_event("messageStop", {"stopReason": "tool_use"})]
    else:
        events = [es_event("messageStart", {"role": "assistant"}),
                  es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Sunny "}}),
                  es_event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "in Oslo"}}),
                  es_event("contentBlockStop", {"contentBlockIndex": 0}),
                  es_event("messageStop", {"stopReason": "end_turn"})]
    events.append(es_event("metadata", {"usage": {"inputTokens": 7, "outputTokens": 5, "totalTokens": 12}}))
    return Reply(headers={"content-type": "application/vnd.amazon.eventstream"}, chunks=events, chunked=True)


def _cohere(rec: RecordedRequest, tool: bool) -> Reply:
    usage = {"tokens": {"input_tokens": 7, "output_tokens": 5}}
    if not rec.json().get("stream"):
        message: Dict[str, Any] = {"role": "assistant"}
        if tool:
            message["tool_calls"] = [CALL]
        else:
            message["content"] = [{"type": "text", "text": "Sunny in Oslo"}]
        return Reply.json({"id": "c1", "finish_reason": "TOOL_CALL" if tool else "COMPLETE", "message": message,
                           "usage": usage})
    events: List[Dict[str, Any]] = [{"type": "message-start", "id": "c1", "delta": {"message": {"role": "assistant"}}}]
    if tool:
        events += [{"type": "tool-call-start", "index": 0, "delta": {"message": {"tool_calls": {
                       "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}}}},
                   {"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {
                       "function": {"arguments": '{"city": "Oslo"}'}}}}},
                   {"type": "tool-call-end", "index": 0}]
    else:
        events += [{"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "text", "text": ""}}}},
                   {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "Sunny "}}}},
                   {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "in Oslo"}}}},
                   {"type": "content-end", "index": 0}]
    events.append({"type": "message-end", "delta": {"finish_reason": "TOOL_CALL" if tool else "COMPLETE", "usage": usage}})
    chunks = [b"event: %s\ndata: %s\n\n" % (e["type"].encode(), json.dumps(e).encode()) for e in events]
    return Reply(headers={"content-type": "text/event-stream"}, chunks=chunks, chunked=True)


def _ollama(rec: RecordedRequest, tool: bool) -> Reply:
    final = {"model": "llama3", "done": True, "done_reason": "stop", "prompt_eval_count": 7, "eval_count": 5}
    tool_message = {"role": "assistant", "content": "",
                    "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]}
    if not rec.json().get("stream"):
        message = tool_message if tool else {"role": "assistant", "content": "Sunny in Oslo"}
        return Reply.json(dict(final, message=message))
    lines = [tool_message] if tool else [{"role": "assistant", "content": "Sunny "},
                                         {"role": "assistant", "content": "in Oslo"}]
    chunks = [json.dumps({"model": "llama3", "message": m, "done": False}).encode() + b"\n" for m in lines]
    chunks.append(json.dumps(dict(final, message={"role": "assistant", "content": ""})).encode() + b"\n")
    return Reply(headers={"content-type": "application/x-ndjson"}, chunks=chunks, chunked=True)


_LOOPBACK: Dict[str, Callable[[RecordedRequest, bool], Reply]] = {"bedrock": _bedrock, "cohere": _cohere, "ollama_chat": _ollama}


def _loopback_kwargs(provider: str, url: str) -> Dict[str, Any]:
    if provider == "bedrock":
        return {"model": "bedrock/us.amazon.nova-micro-v1:0", "api_base": url, "aws_region_name": "us-east-1",
                "aws_access_key_id": "AKIATESTKEY00000001", "aws_secret_access_key": "secret", "num_retries": 0}
    return {"model": "%s/m" % provider, "api_base": url, "api_key": "k", "num_retries": 0}


def _messages_sent(provider: str, body: Dict[str, Any]) -> Any:
    return body.get("messages")


# -- the round trip, whatever the format -----------------------------------------------------------


def _round_trip(call: Callable[..., Any], stream: bool) -> List[Any]:
    """Ask, get a function call, answer it with previous_response_id: returns both responses."""
    first = call(input="Weather in Oslo?", tools=TOOLS, stream=stream)
    if stream:
        assert isinstance(first, BridgedResponsesStream)
        events = list(first)
        types = [e.type for e in events]
        assert types[0] == "response.created" and types[-1] == "response.completed"
        assert "response.function_call_arguments.done" in types
        first = first.get_final_response()
    assert isinstance(first, ResponsesAPIResponse) and first.status == "completed"
    calls = first.function_calls
    assert [c.name for c in calls] == ["get_weather"] and json.loads(calls[0].arguments) == {"city": "Oslo"}
    assert first._hidden_params["litellm_call_id"] and "response_cost" in first._hidden_params
    answer = [{"type": "function_call_output", "call_id": calls[0].call_id, "output": '{"sky": "sunny"}'}]
    second = call(input=answer, tools=TOOLS, previous_response_id=first.id, stream=stream)
    if stream:
        texts = [e.delta for e in second if e.type == "response.output_text.delta"]
        second = second.get_final_response()
        assert "".join(texts) == second.output_text
    assert second.output_text and second.previous_response_id == first.id
    assert second.usage is not None and second.usage.input_tokens > 0
    return [first, second]


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("fmt", ["openai_compatible", "anthropic", "gemini", "vertex_ai"])
def test_fake_provider_formats(fmt: str, stream: bool) -> None:
    with FakeProvider() as fake:
        if fmt == "openai_compatible":
            kw = {"model": "groq/llama-3.1-8b-instant", "api_base": fake.api_base, "api_key": "k"}
        elif fmt == "vertex_ai":
            kw = {"model": "vertex_ai/gemini-2.5-flash", "api_base": fake.url, "vertex_project": "p",
                  "vertex_location": "us-central1", "vertex_access_token": "tok"}
        else:
            kw = fake.kwargs(fmt)
        fake.add_reply(None, tool_calls=[CALL])
        fake.add_reply("Sunny in Oslo")
        first, second = _round_trip(lambda **a: litellm.responses(**dict(kw, **a)), stream)
        assert not any(r.path.endswith("/responses") for r in fake.requests)  # bridged: chat endpoints only
        last = fake.requests[-1].json
        assert "previous_response_id" not in json.dumps(last)
        if fmt in ("openai_compatible",):
            roles = [m["role"] for m in last["messages"]]
            assert roles == ["user", "assistant", "tool"]
            assert last["messages"][1]["tool_calls"][0]["id"] == first.function_calls[0].call_id
            assert last["tools"][0]["function"]["name"] == "get_weather"
        elif fmt == "anthropic":
            assert [m["role"] for m in last["messages"]] == ["user", "assistant", "user"]
            assert last["messages"][2]["content"][0]["type"] == "tool_result"
        else:
            parts = [p for c in last["contents"] for p in c["parts"]]
            assert any("functionCall" in p for p in parts) and any("functionResponse" in p for p in parts)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("provider", sorted(_LOOPBACK))
def test_loopback_formats(provider: str, stream: bool, server: LoopbackServer) -> None:
    answered: List[int] = []

    def handler(rec: RecordedRequest) -> Reply:
        answered.append(1)
        return _LOOPBACK[provider](rec, len(answered) == 1)

    server.handler = handler
    kw = _loopback_kwargs(provider, server.url)
    _round_trip(lambda **a: litellm.responses(**dict(kw, **a)), stream)
    assert len(server.requests) == 2
    second = server.requests[1].json()
    text = json.dumps(second)
    assert "Weather in Oslo?" in text and "sunny" in text and "previous_response_id" not in text


def test_instructions_reasoning_structured_output_and_unsupported() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False}
    with FakeProvider() as fake:
        kw = {"model": "groq/llama-3.1-8b-instant", "api_base": fake.api_base, "api_key": "k"}
        fake.add_reply('{"a": "b"}', reasoning="thinking it over")
        result = litellm.responses(input="Give JSON", instructions="Be terse.", max_output_tokens=50,
                                   reasoning={"effort": "low"}, metadata={"k": "v"},
                                   text={"format": {"type": "json_schema", "name": "out", "schema": schema}}, **kw)
        sent = fake.requests[-1].json
        assert sent["messages"][0] == {"role": "system", "content": "Be terse."}
        assert sent["max_tokens"] == 50 and sent["reasoning_effort"] == "low"
        assert sent["response_format"]["json_schema"]["name"] == "out" and "metadata" not in sent
        assert [i.type for i in result.output] == ["reasoning", "message"]
        assert json.loads(result.output_text) == {"a": "b"} and result.metadata == {"k": "v"}
        with pytest.raises(UnsupportedParamsError):
            litellm.responses(input="x", tools=[{"type": "web_search"}], **kw)
        fake.add_reply("dropped")
        assert litellm.responses(input="x", tools=[{"type": "web_search"}], drop_params=True, **kw).output_text == "dropped"
        assert "tools" not in fake.requests[-1].json


def test_previous_response_id_unknown_or_not_stored_raises_before_sending() -> None:
    with FakeProvider() as fake:
        kw = fake.kwargs("anthropic")
        before = len(fake.requests)
        with pytest.raises(BadRequestError, match="not known to this process.*1000"):
            litellm.responses(input="x", previous_response_id="resp_from_elsewhere", **kw)
        unstored = litellm.responses(input="remember nothing", store=False, **kw)
        with pytest.raises(BadRequestError, match="not known"):
            litellm.responses(input="x", previous_response_id=unstored.id, **kw)
        assert len(fake.requests) == before + 1
        assert unstored.id not in default_store()


def test_errors_map_to_chat_classes_and_cut_streams_raise() -> None:
    for fmt in ("anthropic", "gemini"):
        with FakeProvider() as fake:
            kw = dict(fake.kwargs(fmt), num_retries=0)
            fake.add_error(429, "slow down")
            with pytest.raises(RateLimitError):
                litellm.responses(input="x", **kw)
            fake.add_reply("one two three four five six seven", cut_after_chunks=2)
            stream = litellm.responses(input="x", stream=True, **kw)
            with pytest.raises(APIConnectionError):
                list(stream)
            assert stream.get_final_response().status == "in_progress"


def test_fallbacks_from_native_to_bridged_and_mock_response() -> None:
    with FakeProvider() as fake:
        fake.add_error(503, "down")
        fake.add_reply("from claude")
        a = fake.kwargs("anthropic")
        result = litellm.responses(input="hi", num_retries=0, fallbacks=[dict(a)],
                                   **fake.kwargs())
        assert result.output_text == "from claude"
        assert fake.requests[0].path.endswith("/responses") and fake.requests[1].path == "/v1/messages"
    mocked = litellm.responses("openai/gpt-4.1", "hi", mock_response="Hello there")
    assert mocked.output_text == "Hello there" and mocked.status == "completed"
    events = list(litellm.responses("anthropic/claude-x", "hi", mock_response="Streamed", stream=True))
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "Streamed"


def test_aresponses_and_async_iteration() -> None:
    async def main() -> List[str]:
        with FakeProvider() as fake:
            result = await litellm.aresponses(input="async hi", **fake.kwargs("anthropic"))
            stream = await litellm.aresponses(input="async stream", stream=True, **fake.kwargs("gemini"))
            deltas = [e.delta async for e in stream if e.type == "response.output_text.delta"]
            return [result.output_text, "".join(deltas)]

    text, streamed = asyncio.run(main())
    assert text.endswith("async hi") and streamed.endswith("async stream")


def test_responses_stays_the_function_whichever_import_came_first() -> None:
    import litellm_lite.responses_api as package
    from litellm_lite.responses_api.api import responses as function

    assert litellm.responses is function and package.responses is function
    assert litellm.responses("openai/gpt-4.1", "hi", mock_response="ok").output_text == "ok"


# -- text_completion on chat-only providers -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["anthropic", "gemini"])
def test_text_completion_through_chat(fmt: str) -> None:
    with FakeProvider() as fake:
        kw = fake.kwargs(fmt)
        fake.add_reply("Once upon a time")
        result = litellm.text_completion(prompt="Tell a story", max_tokens=20, **kw)
        assert type(result).__name__ == "TextCompletionResponse"
        assert result.choices[0].text == "Once upon a time" and result.choices[0].finish_reason == "stop"
        assert result.usage is not None and result.usage.completion_tokens > 0
        assert result._hidden_params["custom_llm_provider"] == fmt
        body = fake.requests[-1].json
        assert "Tell a story" in json.dumps(body)
        stream = litellm.text_completion(prompt="Stream a story", stream=True, **kw)
        assert isinstance(stream, TextCompletionStreamWrapper)
        chunks = list(stream)
        assert "".join(c.choices[0].text for c in chunks if c.choices).endswith("Stream a story")
        assert stream.get_final_response().choices[0].text.endswith("Stream a story")
        both = litellm.text_completion(prompt=["first", "second"], **kw)
        assert [c.index for c in both.choices] == [0, 1] and both.choices[1].text.endswith("second")
        with pytest.raises(UnsupportedParamsError):
            litellm.text_completion(prompt="x", echo=True, **kw)
        assert litellm.text_completion(prompt="x", echo=True, drop_params=True, **kw).choices[0].text.endswith("x")
        fake.add_reply("a b c d e f g h", cut_after_chunks=2)
        with pytest.raises(APIConnectionError):
            list(litellm.text_completion(prompt="x", stream=True, **kw))


def test_text_completion_on_a_completions_row_stays_native() -> None:
    with FakeProvider() as fake:
        reply: Optional[Any] = litellm.text_completion(prompt="plain", **fake.kwargs())
        assert reply is not None and fake.requests[-1].path == "/v1/completions"


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_callbacks_see_a_bridged_call_as_responses(stream: bool) -> None:
    seen: List[str] = []

    class Spy(litellm.CustomLogger):
        def log_success_event(self, kwargs: Dict[str, Any], response: Any, start_time: Any, end_time: Any) -> None:
            seen.append(kwargs["call_type"])

    with FakeProvider() as fake:
        fake.add_reply("Sunny")
        result = litellm.responses(input="Weather?", stream=stream, callbacks=[Spy()], **fake.kwargs("anthropic"))
        if stream:
            list(result)
        chat = litellm.completion(messages=[{"role": "user", "content": "hi"}], callbacks=[Spy()], **fake.kwargs("anthropic"))
    assert chat.choices[0].message.content
    assert seen == ["responses", "completion"]
    assert "litellm_call_type" not in json.dumps(fake.requests[0].json)
