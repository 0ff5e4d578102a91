"""FakeProvider's ``POST /v1/responses`` over real HTTP: JSON and SSE answers (text, reasoning,
tool calls, incomplete), scripted errors in OpenAI's shape, cut streams, a bad body; every answer
parsed by the package's own Responses functions."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any, Dict, List, Tuple

import pytest

from litellm_lite._sse import iter_sse
from litellm_lite.exceptions import APIConnectionError, NotFoundError, RateLimitError
from litellm_lite.providers.base import WireResponse
from litellm_lite.responses_api import (
    ResponsesAPIResponse,
    ResponsesStreamState,
    finish_stream,
    parse_error,
    parse_event,
    parse_response,
)
from litellm_lite.testing import FakeProvider
from litellm_lite.testing_responses import last_input_text, responses_error, responses_events, responses_object

CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}


def _post(fake: FakeProvider, body: Any) -> Tuple[int, Dict[str, str], bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(fake.api_base + "/responses", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            try:
                return answer.status, dict(answer.headers), answer.read()
            except http.client.IncompleteRead as cut:  # the connection was closed mid-stream
                return answer.status, dict(answer.headers), cut.partial
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _stream(raw: bytes) -> Tuple[ResponsesAPIResponse, List[Any]]:
    state = ResponsesStreamState(provider="openai", model="m")
    # byte by byte through the SSE decoder
    events = [e for ev in iter_sse(raw[i : i + 1] for i in range(len(raw))) for e in parse_event(ev, state)]
    finish_stream(state)
    return state.final_response(), events


def test_plain_text_echo_and_usage() -> None:
    with FakeProvider(echo_prefix="You said: ") as fake:
        status, headers, raw = _post(fake, {"model": "gpt-4.1", "input": "Hello", "instructions": "Be brief.",
                                            "metadata": {"k": "v"}})
        assert status == 200 and headers["Content-Type"] == "application/json"
        resp = parse_response(raw)
        assert resp.output_text == "You said: Hello" and resp.status == "completed"
        assert resp.model == "gpt-4.1" and resp.instructions == "Be brief." and resp.metadata == {"k": "v"}
        assert resp.usage is not None and resp.usage.input_tokens > 0 and resp.usage.total_tokens > resp.usage.input_tokens
        assert fake.requests[-1].path == "/v1/responses" and fake.requests[-1].json["input"] == "Hello"


def test_tool_call_and_reasoning_json_and_stream_agree() -> None:
    with FakeProvider(chunk_size=3) as fake:
        fake.add_reply("Checking.", tool_calls=[CALL], reasoning="The user wants weather.")
        fake.add_reply("Checking.", tool_calls=[CALL], reasoning="The user wants weather.")
        plain = parse_response(_post(fake, {"model": "m", "input": "Weather?"})[2])
        status, headers, raw = _post(fake, {"model": "m", "input": "Weather?", "stream": True})
    assert status == 200 and headers["Content-Type"].startswith("text/event-stream")
    streamed, events = _stream(raw)
    for resp in (plain, streamed):
        assert [i.type for i in resp.output] == ["reasoning", "message", "function_call"]
        assert resp.output_text == "Checking."
        assert resp.output[0].summary[0].text == "The user wants weather."  # type: ignore[union-attr]
        call = resp.function_calls[0]
        assert (call.call_id, call.name, json.loads(call.arguments)) == ("call_1", "get_weather", {"city": "Paris"})
        assert resp.usage is not None and resp.usage.reasoning_tokens
    kinds = [e.type for e in events]
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    for name in ("response.reasoning_summary_text.delta", "response.output_text.delta",
                 "response.function_call_arguments.delta", "response.function_call_arguments.done"):
        assert name in kinds
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert not any(type(e).__name__ == "GenericEvent" for e in events)


def test_length_gives_incomplete() -> None:
    with FakeProvider() as fake:
        fake.add_reply("Hel", finish_reason="length")
        fake.add_reply("Hel", finish_reason="length")
        plain = parse_response(_post(fake, {"model": "m", "input": "x", "max_output_tokens": 16})[2])
        streamed, events = _stream(_post(fake, {"model": "m", "input": "x", "stream": True})[2])
    for resp in (plain, streamed):
        assert resp.status == "incomplete" and resp.incomplete_details is not None
        assert resp.incomplete_details.reason == "max_output_tokens" and resp.output_text == "Hel"
    assert events[-1].type == "response.incomplete"
    assert plain.max_output_tokens == 16


def test_scripted_errors_in_openai_shape() -> None:
    with FakeProvider() as fake:
        fake.add_error(400, "The requested model 'nope' does not exist.", code="model_not_found")
        fake.add_error(429, "Slow down", headers={"Retry-After": "1"})
        results = [_post(fake, {"model": "nope", "input": "x"}) for _ in range(2)]
    errors = [parse_error(WireResponse(s, h, raw), "openai", "nope") for s, h, raw in results]
    assert isinstance(errors[0], NotFoundError) and errors[0].status_code == 400 and errors[0].code == "model_not_found"
    assert isinstance(errors[1], RateLimitError) and errors[1].headers.get("Retry-After") == "1"
    assert json.loads(results[1][2])["error"]["type"] == "rate_limit_exceeded"


def test_cut_stream_raises() -> None:
    with FakeProvider() as fake:
        fake.add_reply("a long answer to cut", cut_after_chunks=4)
        status, _, raw = _post(fake, {"model": "m", "input": "x", "stream": True})
    assert status == 200
    with pytest.raises(APIConnectionError, match="ended before response.completed"):
        _stream(raw)


def test_bad_body_answers_400() -> None:
    with FakeProvider() as fake:
        status, _, raw = _post(fake, b"[1, 2]")
    assert status == 400 and json.loads(raw)["error"]["type"] == "invalid_request_error"


def test_renderers_are_pure_and_consistent() -> None:
    obj = responses_object("hi", "m", tool_calls=[CALL], finish_reason="content_filter", request={"top_p": 0.5})
    assert obj["status"] == "incomplete" and obj["incomplete_details"] == {"reason": "content_filter"}
    assert obj["top_p"] == 0.5 and [i["type"] for i in obj["output"]] == ["message", "function_call"]
    frames = responses_events(None, "m", tool_calls=[{"function": {"name": "f"}}], chunk_size=2)
    resp, _ = _stream(b"".join(frames))
    assert resp.function_calls[0].name == "f" and resp.function_calls[0].arguments == ""
    assert responses_error(401, "bad key")["error"]["type"] == "invalid_request_error"
    assert last_input_text([{"role": "user", "content": [{"type": "input_text", "text": "a"}, {"type": "x"}]},
                            {"type": "function_call_output", "call_id": "c", "output": "o"}]) == "a"
    assert last_input_text([{"role": "user", "content": "plain"}]) == "plain"
    assert last_input_text(5) == "" and last_input_text([{"role": "user", "content": 5}]) == ""
