"""Every recorded Responses API interaction in ../shared/cassettes/responses/ replayed through the
package's parse functions: JSON bodies through parse_response / parse_error, SSE bodies through
the SSE decoder (whole, byte by byte, and split at random points) and parse_event with a typed
state. Every field of each file's ``expected`` block is checked; the request each client sent is
rebuilt with build_request from the same arguments and must come out identical."""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite._sse import SSEDecoder
from litellm_lite.exceptions import APIError, AuthenticationError, BadRequestError, NotFoundError
from litellm_lite.providers.base import WireResponse
from litellm_lite.responses_api import (
    ResponsesAPIResponse,
    ResponsesStreamState,
    build_request,
    finish_stream,
    parse_error,
    parse_event,
    parse_response,
    rebuild_response,
    request_body,
)
from litellm_lite.responses_api.events import ResponsesAPIStreamingResponse
from litellm_lite.responses_api.types import ResponseFunctionToolCall, ResponseReasoningItem
from tests.conftest import CASSETTES

RESPONSES_DIR = CASSETTES / "responses"


def _load() -> List[Dict[str, Any]]:
    if not RESPONSES_DIR.is_dir():
        return []
    out = []
    for path in sorted(RESPONSES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


RECORDINGS = _load()
IDS = [r["_file"] for r in RECORDINGS]
OK = [r for r in RECORDINGS if r["response"]["status"] < 400]
OK_IDS = [r["_file"] for r in OK]
STREAMS = [r for r in OK if r["response"]["headers"]["content-type"].startswith("text/event-stream")]
STREAM_IDS = [r["_file"] for r in STREAMS]


def _sse_events(body: bytes, pieces: List[bytes]) -> List[Any]:
    decoder = SSEDecoder()
    events = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.flush())
    assert b"".join(pieces) == body
    return events


def _split(body: bytes, how: str, rng: random.Random) -> List[bytes]:
    if how == "whole":
        return [body]
    if how == "bytes":
        return [body[i : i + 1] for i in range(len(body))]
    cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(1, 60))))
    return [body[a:b] for a, b in zip([0] + cuts, cuts + [len(body)])]


def _replay_stream(body: bytes, pieces: List[bytes]) -> "tuple[ResponsesAPIResponse, List[ResponsesAPIStreamingResponse]]":
    state = ResponsesStreamState(provider="openai", model="m")
    typed: List[ResponsesAPIStreamingResponse] = []
    for event in _sse_events(body, pieces):
        typed.extend(parse_event(event, state))
    assert finish_stream(state) == []
    return state.final_response(), typed


def _observed(resp: ResponsesAPIResponse) -> Dict[str, Any]:
    """The fields of an ``expected`` block, read from our typed response."""
    texts = [
        part.text
        for item in resp.output
        if item.type == "message"
        for part in item.content  # type: ignore[union-attr]
        if getattr(part, "type", None) == "output_text"
    ]
    summaries = [p.text for item in resp.output if isinstance(item, ResponseReasoningItem) for p in item.summary]
    reasoning = [item for item in resp.output if isinstance(item, ResponseReasoningItem)]
    usage: Optional[Dict[str, Any]] = None
    if resp.usage is not None:
        usage = {
            "input_tokens": resp.usage.input_tokens,
            "output_tokens": resp.usage.output_tokens,
            "reasoning_tokens": resp.usage.reasoning_tokens,
            "cached_tokens": resp.usage.cached_tokens,
            "total_tokens": resp.usage.total_tokens,
        }
    return {
        "output_text": "".join(texts) if texts else None,
        "refusal": resp.refusal,
        "function_calls": [
            {"name": c.name, "arguments": json.loads(c.arguments), "call_id": c.call_id} for c in resp.function_calls
        ],
        "reasoning_summary": summaries or None,
        "reasoning_items": len(reasoning),
        "encrypted_reasoning_items": sum(1 for r in reasoning if r.encrypted_content),
        "output_types": [item.type for item in resp.output],
        "status": resp.status,
        "incomplete_reason": resp.incomplete_details.reason if resp.incomplete_details else None,
        "id": resp.id,
        "model": resp.model,
        "usage": usage,
    }


def _check(resp: ResponsesAPIResponse, expected: Dict[str, Any]) -> None:
    observed = _observed(resp)
    for key, value in observed.items():
        assert value == expected[key], key
    assert expected["error"] is None
    if expected["output_text"] is not None:
        assert resp.output_text == expected["output_text"]
        assert resp["output_text"] == expected["output_text"]


def test_corpus_present_and_complete() -> None:
    if not RESPONSES_DIR.is_dir():
        pytest.skip("../shared/cassettes/responses is not present next to this checkout (plain clone)")
    assert len(RECORDINGS) >= 40
    for rec in RECORDINGS:
        assert set(rec["expected"]) >= {
            "output_text", "refusal", "function_calls", "reasoning_summary", "reasoning_items",
            "encrypted_reasoning_items", "output_types", "status", "incomplete_reason", "id", "model", "usage",
            "error", "stream",
        }


@pytest.mark.parametrize("rec", [r for r in OK if r not in STREAMS], ids=[r["_file"] for r in OK if r not in STREAMS])
def test_json_body_matches_expected(rec: Dict[str, Any]) -> None:
    resp = parse_response(rec["response"]["body_text"].encode("utf-8"), "openai", "m")
    assert rec["expected"]["stream"] is None
    _check(resp, rec["expected"])
    # Round trip: the typed object serialises back to the wire object, unknown fields included.
    assert resp.to_dict() == json.loads(rec["response"]["body_text"])


@pytest.mark.parametrize("how", ["whole", "bytes", "random"])
@pytest.mark.parametrize("rec", STREAMS, ids=STREAM_IDS)
def test_stream_matches_expected(rec: Dict[str, Any], how: str) -> None:
    body = rec["response"]["body_text"].encode("utf-8")
    rng = random.Random(rec["_file"])
    for _ in range(3 if how == "random" else 1):
        resp, typed = _replay_stream(body, _split(body, how, rng))
        _check(resp, rec["expected"])
        stream = rec["expected"]["stream"]
        assert len(typed) == stream["events"]
        seen: List[str] = []
        for event in typed:
            if event.type not in seen:
                seen.append(event.type)
        assert seen == stream["event_types"]
        assert all(type(e).__name__ != "GenericEvent" for e in typed), "every recorded event type is modelled"
        assert rebuild_response(typed).to_dict() == resp.to_dict()
        if how != "whole":
            break


@pytest.mark.parametrize("rec", STREAMS, ids=STREAM_IDS)
def test_stream_rebuilt_without_final_output(rec: Dict[str, Any]) -> None:
    """A terminal event whose output is empty (as some gateways send it): rebuilt from the events."""
    body = rec["response"]["body_text"].encode("utf-8")
    _, typed = _replay_stream(body, [body])
    events = [e.to_dict() for e in typed]
    for event in events:
        if event["type"] in ("response.completed", "response.incomplete"):
            event["response"]["output"] = []
    _check(rebuild_response(events), rec["expected"])


@pytest.mark.parametrize("rec", STREAMS, ids=STREAM_IDS)
def test_stream_events_round_trip(rec: Dict[str, Any]) -> None:
    """Each typed event serialises back to exactly the JSON the server sent."""
    body = rec["response"]["body_text"].encode("utf-8")
    raw = [json.loads(e.data) for e in _sse_events(body, [body])]
    _, typed = _replay_stream(body, [body])
    assert [e.to_dict() for e in typed] == raw


@pytest.mark.parametrize("rec", STREAMS, ids=STREAM_IDS)
def test_cut_stream_raises(rec: Dict[str, Any]) -> None:
    from litellm_lite.exceptions import APIConnectionError

    body = rec["response"]["body_text"].encode("utf-8")
    cut = body[: body.rindex(b"event: response.")]
    state = ResponsesStreamState(provider="openai", model="m")
    for event in _sse_events(cut, [cut]):
        parse_event(event, state)
    with pytest.raises(APIConnectionError, match="ended before response.completed"):
        finish_stream(state)
    partial = state.final_response()  # what arrived is still readable
    assert partial.status == "in_progress"


ERRORS = [r for r in RECORDINGS if r["response"]["status"] >= 400]


@pytest.mark.parametrize("rec", ERRORS, ids=[r["_file"] for r in ERRORS])
def test_error_bodies_map_to_our_exceptions(rec: Dict[str, Any]) -> None:
    response = WireResponse(rec["response"]["status"], rec["response"]["headers"], rec["response"]["body_text"].encode())
    error = parse_error(response, "openai", rec["request"]["body"]["model"])
    expected = rec["expected"]["error"]
    assert isinstance(error, APIError)
    assert error.status_code == rec["response"]["status"]
    assert error.message == expected["message"]
    assert error.code == expected["code"]
    assert error.type == expected["type"]
    if expected["code"] == "model_not_found":
        assert isinstance(error, NotFoundError) and not isinstance(error, BadRequestError)
    elif rec["response"]["status"] == 401:
        assert isinstance(error, AuthenticationError)
    else:
        assert isinstance(error, BadRequestError)
    for key in ("id", "model", "usage", "status", "output_text"):
        assert rec["expected"][key] is None


def _arguments_of(body: Dict[str, Any]) -> "tuple[str, Any, Dict[str, Any]]":
    params = {k: v for k, v in body.items() if k not in ("model", "input")}
    return body["model"], body["input"], params


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_request_rebuilt_identically(rec: Dict[str, Any]) -> None:
    """What real clients sent, given to build_request as arguments, gives the same body."""
    body = rec["request"]["body"]
    model, input_, params = _arguments_of(body)
    error = rec["expected"]["error"]
    if error is not None and error["param"] in params:
        # A value the server refused (temperature=-1): refused here too, before sending.
        with pytest.raises(BadRequestError, match=error["param"]):
            build_request(model, input_, params)
        return
    request = build_request(model, input_, params)
    if body.get("stream") is False:  # stream=False is the default: not sent
        body = {k: v for k, v in body.items() if k != "stream"}
    assert json.loads(request_body(request)) == body


def test_recorded_function_call_is_reusable_as_input() -> None:
    """An output item of one response, passed back as input on the next turn, keeps every field."""
    recs = [r for r in RECORDINGS if r["_file"] == "openai__function_call_parallel.json"]
    if not recs:
        pytest.skip("recording absent")
    resp = parse_response(recs[0]["response"]["body_text"])
    calls = resp.function_calls
    assert calls and all(isinstance(c, ResponseFunctionToolCall) for c in calls)
    follow = [{"role": "user", "content": "hi"}] + list(resp.output) + [
        {"type": "function_call_output", "call_id": c.call_id, "output": "42"} for c in calls
    ]
    request = build_request("gpt-4o", follow)
    sent = json.loads(request_body(request))["input"]
    assert sent[1] == json.loads(recs[0]["response"]["body_text"])["output"][0]
