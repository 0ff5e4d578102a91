"""A native Responses stream answered with one plain JSON body (``application/json``, status 200).

Some servers and proxies ignore ``stream: true`` and send the whole Response object, or answer an
error as JSON with status 200. As on the chat road: an error body raises the mapped exception when
the call is made, and a Response object is replayed as the events its stream would have had.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import APIConnectionError, BadRequestError, InternalServerError, RateLimitError
from litellm_lite.responses_api import ResponsesAPIResponse
from litellm_lite.responses_api.events import (
    OutputTextDeltaEvent,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseIncompleteEvent,
)
from litellm_lite.testing_responses import responses_object
from tests.server import LoopbackServer, Reply

TOOL_CALL = [{"id": "call_1", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}]
ROWS = [
    ("openai/gpt-4.1", {}),
    ("azure/dep", {"api_version": "v1"}),
    ("openrouter/openai/gpt-4.1", {}),
    ("hosted_vllm/qwen3", {}),
]
EXPECTED_TYPES = [
    "response.created", "response.in_progress",
    "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
    "response.output_item.added", "response.content_part.added", "response.output_text.delta",
    "response.output_text.done", "response.content_part.done", "response.output_item.done",
    "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
    "response.output_item.done",
    "response.completed",
]


class Spy(litellm.CustomLogger):
    def __init__(self) -> None:
        self.successes: List[Any] = []
        self.failures: List[Any] = []

    def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.successes.append(response_obj)

    def log_failure_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.failures.append(kwargs.get("exception"))


def _kwargs(server: LoopbackServer, extra: Dict[str, Any]) -> Dict[str, Any]:
    return dict(extra, api_base=server.url, api_key="sk-test", num_retries=0)


@pytest.mark.parametrize("model, extra", ROWS, ids=[row[0] for row in ROWS])
def test_a_whole_response_is_replayed_as_its_events(server: LoopbackServer, model: str, extra: Dict[str, Any]) -> None:
    body = responses_object("Hello there, Paris.", "gpt-4.1", reasoning="Look it up.", tool_calls=TOOL_CALL,
                            input_tokens=7)
    server.add(Reply.json(body))
    stream = litellm.responses(model=model, input="Weather in Paris?", stream=True, **_kwargs(server, extra))
    events = list(stream)
    assert server.requests[0].json()["stream"] is True
    assert [e.type for e in events] == EXPECTED_TYPES
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert isinstance(events[0], ResponseCreatedEvent) and events[0].response.status == "in_progress"
    assert events[0].response.id == body["id"] and events[0].response.output == []
    text = "".join(e.delta for e in events if isinstance(e, OutputTextDeltaEvent))
    assert text == "Hello there, Paris."
    done = [e for e in events if e.type == "response.output_item.done"]
    assert [e.item.id for e in done] == [item["id"] for item in body["output"]]
    assert isinstance(events[-1], ResponseCompletedEvent)
    final = stream.get_final_response()
    assert isinstance(final, ResponsesAPIResponse)
    assert final.id == body["id"] and final.status == "completed" and final.output_text == "Hello there, Paris."
    assert final.to_dict()["output"] == body["output"]
    assert final.usage is not None and final.usage.input_tokens == 7
    assert final._hidden_params["litellm_call_id"]
    assert events[-1].response.id == body["id"]


def test_an_incomplete_response_ends_with_response_incomplete(server: LoopbackServer) -> None:
    body = responses_object("Cut sho", "gpt-4.1", finish_reason="length")
    server.add(Reply.json(body))
    events = list(litellm.responses(model="openai/gpt-4.1", input="x", stream=True, **_kwargs(server, {})))
    assert isinstance(events[-1], ResponseIncompleteEvent)
    assert events[-1].response.incomplete_details.reason == "max_output_tokens"
    assert "".join(e.delta for e in events if isinstance(e, OutputTextDeltaEvent)) == "Cut sho"


def test_a_whole_body_dripped_byte_by_byte(server: LoopbackServer) -> None:
    body = json.dumps(responses_object("Slow but whole.", "gpt-4.1")).encode()
    server.add(Reply(body=b"\n  " + body, chunks=[bytes([b]) for b in b"\n  " + body], chunked=True))
    with litellm.responses(model="openai/gpt-4.1", input="x", stream=True, **_kwargs(server, {})) as stream:
        types = [e.type for e in stream]
        final = stream.get_final_response()
    assert types[0] == "response.created" and types[-1] == "response.completed"
    assert final.output_text == "Slow but whole."


@pytest.mark.parametrize("payload, error", [
    ({"error": {"message": "Slow down", "type": "rate_limit_error", "code": 429}}, RateLimitError),
    ({"error": {"message": "bad input", "type": "invalid_request_error", "code": 400}}, BadRequestError),
])
def test_an_error_body_with_status_200_raises_when_the_call_is_made(server: LoopbackServer, payload: Dict[str, Any],
                                                                    error: Any) -> None:
    spy = Spy()
    server.add(Reply.json(payload))
    with pytest.raises(error, match=payload["error"]["message"]):
        litellm.responses(model="openai/gpt-4.1", input="x", stream=True, callbacks=[spy], **_kwargs(server, {}))
    assert len(server.requests) == 1
    assert len(spy.failures) == 1 and not spy.successes


@pytest.mark.parametrize("raw, error", [
    (b"not json at all", APIConnectionError), (b'"a string"', InternalServerError), (b'{"id": 1', APIConnectionError),
    (b"", APIConnectionError),
])
def test_hostile_json_bodies_raise_as_without_stream(server: LoopbackServer, raw: bytes, error: Any) -> None:
    """What a plain call raises for the body, the stream call raises when it is made."""
    server.add(Reply(body=raw), Reply(body=raw))
    with pytest.raises(error):
        litellm.responses(model="openai/gpt-4.1", input="x", **_kwargs(server, {}))
    with pytest.raises(error):
        litellm.responses(model="openai/gpt-4.1", input="x", stream=True, **_kwargs(server, {}))


def test_callbacks_see_one_success_with_the_replayed_response(server: LoopbackServer) -> None:
    spy = Spy()
    body = responses_object("Hi.", "gpt-4.1")
    server.add(Reply.json(body))
    stream = litellm.responses(model="openai/gpt-4.1", input="x", stream=True, callbacks=[spy], **_kwargs(server, {}))
    assert list(stream) and not spy.failures
    assert len(spy.successes) == 1 and spy.successes[0].id == body["id"] and spy.successes[0].output_text == "Hi."


def test_odd_output_items_replay_as_a_plain_call_reads_them(server: LoopbackServer) -> None:
    odd = {"id": "resp_odd", "object": "response", "status": "completed", "model": "m", "output": [
        1, "x", {"type": "web_search_call", "id": "ws_1", "status": "completed"},
        {"type": "message", "id": "msg_1", "role": "assistant", "content": "not a list"},
        {"type": "message", "id": "msg_2", "role": "assistant", "status": "completed", "content": [
            {"type": "refusal", "refusal": "No."}, {"type": "output_text", "text": "A"},
            {"type": "output_text", "text": "B", "annotations": [{"type": "url_citation", "url": "u"}]}]},
        {"type": "reasoning", "id": "rs_1", "summary": []}]}
    server.add(Reply.json(odd), Reply.json(odd))
    plain = litellm.responses(model="openai/gpt-4.1", input="x", **_kwargs(server, {}))
    stream = litellm.responses(model="openai/gpt-4.1", input="x", stream=True, **_kwargs(server, {}))
    events = list(stream)
    final = stream.get_final_response()
    assert events[-1].type == "response.completed"
    assert final.to_dict()["output"] == plain.to_dict()["output"] and final.output_text == plain.output_text == "AB"
    assert [e.delta for e in events if e.type == "response.refusal.delta"] == ["No."]
    added = [e.item.type for e in events if e.type == "response.output_item.added"]
    assert added == [item.type for item in plain.output]
