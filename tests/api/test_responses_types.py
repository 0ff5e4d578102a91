"""Responses objects, stream events and the stream state: access styles, round trips, hostile
events (bad types, non-JSON, unknown event types, cut streams, in-stream errors) and the two
reported LiteLLM bugs (arguments only in ``.done``; argument deltas dropped)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from litellm_lite.exceptions import APIConnectionError, InternalServerError, NotFoundError, RateLimitError
from litellm_lite.providers.base import StreamEvent
from litellm_lite.responses_api import (
    ErrorEvent,
    GenericEvent,
    OutputTextDeltaEvent,
    ResponseAPIUsage,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponsesAPIResponse,
    ResponsesStreamState,
    event_from_dict,
    finish_stream,
    parse_event,
    parse_response,
    rebuild_response,
    response_from_dict,
)
from litellm_lite.responses_api.types import (
    GenericResponseOutputItem,
    ReasoningSummary,
    ResponseOutputRefusal,
    content_part_from_dict,
    output_item_from_dict,
    text_value,
    usage_from_dict,
)
from litellm_lite.types import CompletionTokensDetails, PromptTokensDetails, Usage


def _created(rid: str = "resp_1") -> Dict[str, Any]:
    return {"type": "response.created", "response": {"id": rid, "object": "response", "status": "in_progress", "output": []}}


def _completed(output: List[Any], rid: str = "resp_1") -> Dict[str, Any]:
    return {
        "type": "response.completed",
        "response": {
            "id": rid, "object": "response", "status": "completed", "output": output, "model": "m",
            "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5},
        },
    }


def _call_added(item_id: str = "fc_1", index: int = 0) -> Dict[str, Any]:
    return {
        "type": "response.output_item.added", "output_index": index,
        "item": {"type": "function_call", "id": item_id, "call_id": "call_" + item_id, "name": "f", "arguments": ""},
    }


def test_response_access_styles_and_output_text() -> None:
    resp = ResponsesAPIResponse(
        id="resp_x",
        output=[
            ResponseReasoningItem(id="rs_1", summary=[ReasoningSummary(text="a"), ReasoningSummary(text="b")]),
            ResponseOutputMessage(id="msg_1", content=[ResponseOutputText(text="Hel"), ResponseOutputText(text="lo")]),
            ResponseFunctionToolCall(id="fc_1", call_id="c", name="f", arguments="{}"),
        ],
        usage=ResponseAPIUsage(input_tokens=2, output_tokens=3),
    )
    assert resp.output_text == "Hello" == resp["output_text"]
    assert resp["id"] == resp.id == resp.get("id")
    assert resp["output"][0]["summary"][1]["text"] == "b"
    assert resp.output[0].summary_text == "a\n\nb"  # type: ignore[union-attr]
    assert resp.usage is not None and resp.usage.total_tokens == 5
    assert resp.refusal is None
    assert [c.name for c in resp.function_calls] == ["f"]
    dumped = json.loads(resp.json())
    assert dumped == resp.model_dump() == resp.to_dict()
    assert "_hidden_params" not in dumped and "output_text" not in dumped
    assert resp.to_dict(exclude_none=True).get("error", "absent") == "absent"
    with pytest.raises(KeyError):
        resp["_hidden_params"]
    with pytest.raises(KeyError):
        resp["nope"]


def test_unknown_fields_are_kept_and_written_back() -> None:
    raw = {"id": "resp_1", "object": "response", "status": "completed", "output": [
        {"type": "message", "id": "m", "role": "assistant", "status": "completed", "phase": "final_answer",
         "content": [{"type": "output_text", "text": "hi", "annotations": [], "logprobs": []},
                     {"type": "output_audio", "data": "xx"}]},
        {"type": "web_search_call", "id": "ws_1", "status": "completed", "action": {"query": "q"}},
        "not an object",
    ], "billing": {"payer": "developer"}}
    resp = response_from_dict(raw)
    assert resp["billing"] == {"payer": "developer"} and resp.get("billing") == {"payer": "developer"}
    assert "billing" in resp and "missing" not in resp
    message = resp.output[0]
    assert message["phase"] == "final_answer"
    assert isinstance(resp.output[1], GenericResponseOutputItem) and resp.output[1]["action"] == {"query": "q"}
    assert isinstance(resp.output[2], GenericResponseOutputItem) and resp.output[2].type == "unknown"
    out = resp.to_dict()
    assert out["output"][:2] == raw["output"][:2]
    assert out["billing"] == raw["billing"]


def test_odd_field_types_never_raise() -> None:
    resp = response_from_dict({
        "id": 5, "status": ["x"], "created_at": "soon", "output": "nope", "usage": "lots", "error": "bad",
        "incomplete_details": 3, "tools": {}, "metadata": [],
    })
    assert resp.id == "5" and resp.status is None and resp.output == [] and resp.usage is None
    assert resp.error is None and resp.incomplete_details is None and resp.tools == [] and resp.metadata is None
    item = output_item_from_dict({"type": "function_call", "name": None, "arguments": {"a": 1}, "call_id": 7})
    assert isinstance(item, ResponseFunctionToolCall)
    assert item.arguments == '{"a": 1}' and item.name == "" and item.call_id == "7"
    reasoning = output_item_from_dict({"type": "reasoning", "summary": [{"text": 1}, "x"], "encrypted_content": 5})
    assert isinstance(reasoning, ResponseReasoningItem)
    assert [p.text for p in reasoning.summary] == ["1"] and reasoning.encrypted_content is None
    assert content_part_from_dict("x") == {"type": "unknown", "value": "x"}
    assert isinstance(content_part_from_dict({"type": "refusal", "refusal": "no"}), ResponseOutputRefusal)
    assert text_value(float("nan")) == "NaN" and text_value({1, 2}).startswith("{")
    usage = usage_from_dict({"input_tokens": 1.0, "output_tokens": True, "input_tokens_details": {"cached_tokens": "x"}})
    assert usage is not None and usage.input_tokens == 1 and usage.output_tokens == 0 and usage.cached_tokens is None


def test_usage_converts_to_and_from_chat_usage() -> None:
    usage = ResponseAPIUsage.from_chat_usage(Usage(
        prompt_tokens=10, completion_tokens=5,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=4),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=2),
    ))
    assert usage is not None
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (10, 5, 15)
    assert usage.cached_tokens == 4 and usage.reasoning_tokens == 2
    chat = usage.to_chat_usage()
    assert chat.prompt_tokens == 10 and chat.cache_read_input_tokens == 4
    assert chat.completion_tokens_details is not None and chat.completion_tokens_details.reasoning_tokens == 2
    assert ResponseAPIUsage.from_chat_usage(None) is None
    plain = ResponseAPIUsage.from_chat_usage(Usage(prompt_tokens=1, completion_tokens=1, cache_read_input_tokens=1))
    assert plain is not None and plain.cached_tokens == 1 and plain.reasoning_tokens == 0
    bare = ResponseAPIUsage(input_tokens=1, output_tokens=1).to_chat_usage()
    assert bare.prompt_tokens_details is None and bare.completion_tokens_details is None


def _feed(events: List[Any], state: ResponsesStreamState) -> List[Any]:
    out: List[Any] = []
    for ev in events:
        data = ev if isinstance(ev, str) else json.dumps(ev)
        out.extend(parse_event(StreamEvent(data=data, event=None), state))
    return out


def test_arguments_only_in_done_event_are_kept() -> None:
    state = ResponsesStreamState()
    _feed([
        _created(), _call_added(),
        {"type": "response.function_call_arguments.done", "item_id": "fc_1", "output_index": 0, "arguments": "{\"a\":1}"},
        {"type": "response.output_item.done", "output_index": 0, "item": dict(_call_added()["item"], arguments="")},
        _completed([]),
    ], state)
    finish_stream(state)
    assert [c.arguments for c in state.final_response().function_calls] == ['{"a":1}']


def test_arguments_only_in_item_done_are_kept() -> None:
    done = dict(_call_added()["item"], arguments="{\"b\":2}")
    resp = rebuild_response([_created(), _call_added(), {"type": "response.output_item.done", "output_index": 0, "item": done},
                             _completed([])])
    assert resp.function_calls[0].arguments == '{"b":2}'


def test_argument_deltas_are_never_dropped() -> None:
    """Deltas with an empty .done, an empty final item, and deltas for an item never announced."""
    events = [
        _created(), _call_added("fc_1", 0),
        {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 0, "delta": "{\"x\""},
        {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 0, "delta": ":1}"},
        {"type": "response.function_call_arguments.done", "item_id": "fc_1", "output_index": 0, "arguments": ""},
        {"type": "response.function_call_arguments.delta", "item_id": "fc_2", "output_index": 1, "delta": "{}"},
        _completed([dict(_call_added("fc_1")["item"], arguments="")]),
    ]
    resp = rebuild_response(events)
    assert [c.arguments for c in resp.function_calls] == ['{"x":1}']
    resp = rebuild_response(events[:-1] + [_completed([])])
    assert [(c.id, c.arguments) for c in resp.function_calls] == [("fc_1", '{"x":1}'), ("fc_2", "{}")]
    # Deltas that are not strings (a gateway sending objects) are kept as JSON text.
    odd = rebuild_response([_created(), _call_added(),
                            {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "delta": {"k": 1}},
                            _completed([])])
    assert odd.function_calls[0].arguments == '{"k": 1}'


def test_text_refusal_and_summary_rebuilt_from_deltas() -> None:
    msg = {"type": "message", "id": "msg_1", "role": "assistant", "status": "in_progress", "content": []}
    rs = {"type": "reasoning", "id": "rs_1", "summary": []}
    where = {"item_id": "msg_1", "output_index": 1}
    resp = rebuild_response([
        _created(),
        {"type": "response.output_item.added", "output_index": 0, "item": rs},
        {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "summary_index": 0, "delta": "thin"},
        {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "summary_index": 0, "delta": "king"},
        {"type": "response.reasoning_summary_text.done", "item_id": "rs_1", "summary_index": 1, "text": "more"},
        {"type": "response.output_item.added", "output_index": 1, "item": msg},
        dict(where, type="response.content_part.added", content_index=0, part={"type": "output_text", "text": ""}),
        dict(where, type="response.output_text.delta", content_index=0, delta="Hi"),
        dict(where, type="response.output_text.done", content_index=0, text=""),
        dict(where, type="response.content_part.added", content_index=1, part={"type": "refusal", "refusal": ""}),
        dict(where, type="response.refusal.delta", content_index=1, delta="No"),
        dict(where, type="response.refusal.done", content_index=2, refusal="Never"),
        {"type": "response.incomplete", "response": {"id": "resp_1", "status": "incomplete", "output": [],
                                                     "incomplete_details": {"reason": "max_output_tokens"}}},
    ])
    assert resp.status == "incomplete" and resp.incomplete_details is not None
    assert resp.output_text == "Hi" and resp.refusal == "NoNever"
    assert [p.text for p in resp.output[0].summary] == ["thinking", "more"]  # type: ignore[union-attr]


def test_unknown_event_types_are_kept_not_dropped() -> None:
    state = ResponsesStreamState()
    out = _feed([_created(), {"type": "response.web_search_call.searching", "item_id": "ws", "output_index": 0,
                              "sequence_number": 4}], state)
    generic = out[1]
    assert isinstance(generic, GenericEvent)
    assert generic.type == "response.web_search_call.searching" and generic["item_id"] == "ws"
    assert generic.sequence_number == 4
    assert generic.to_dict() == {"type": "response.web_search_call.searching", "sequence_number": 4, "item_id": "ws",
                                 "output_index": 0}
    # No "type" in the object: the SSE event name is used.
    named = parse_event(StreamEvent(data='{"delta": "x", "item_id": "m"}', event="response.output_text.delta"), state)
    assert isinstance(named[0], OutputTextDeltaEvent) and named[0].delta == "x"
    assert isinstance(event_from_dict({"type": 5}), GenericEvent)


def test_sentinels_and_hostile_event_data() -> None:
    state = ResponsesStreamState(provider="openai", model="m")
    assert parse_event(StreamEvent(data="[DONE]"), state) == []
    assert parse_event(StreamEvent(data=""), state) == []
    with pytest.raises(APIConnectionError, match="invalid JSON"):
        parse_event(StreamEvent(data="{not json"), state)
    with pytest.raises(APIConnectionError, match="not a JSON object"):
        parse_event(StreamEvent(data="[1, 2]"), state)
    bad = _feed([{"type": "response.output_text.delta", "item_id": None, "output_index": "x", "content_index": True,
                  "delta": None}, {"type": "response.output_item.added", "item": None}], state)
    assert bad[0].delta == "" and bad[0].output_index == 0 and bad[0].content_index == 0
    assert bad[1].item is None


def test_stream_without_terminal_event_raises() -> None:
    state = ResponsesStreamState(provider="openai", model="m")
    _feed([_created(), _call_added()], state)
    with pytest.raises(APIConnectionError, match=r"ended before response.completed \(2 events"):
        finish_stream(state)
    with pytest.raises(APIConnectionError):
        rebuild_response([_created()])
    partial = rebuild_response([_created(), _call_added()], partial=True)
    assert partial.status == "in_progress" and partial.function_calls[0].name == "f"
    assert rebuild_response([], partial=True).status == "in_progress"


@pytest.mark.parametrize(
    "event,cls",
    [
        ({"type": "error", "code": "rate_limit_exceeded", "message": "slow down", "param": None}, RateLimitError),
        ({"type": "error", "error": {"code": "model_not_found", "message": "no such model"}}, NotFoundError),
        ({"type": "error", "code": None, "message": ""}, InternalServerError),
    ],
)
def test_error_event_raises_mapped_exception(event: Dict[str, Any], cls: Any) -> None:
    state = ResponsesStreamState(provider="openai", model="m")
    out = _feed([_created(), event], state)
    assert isinstance(out[1], ErrorEvent)
    with pytest.raises(cls) as info:
        finish_stream(state)
    assert info.value.llm_provider == "openai"


def test_failed_response_is_terminal_with_its_error() -> None:
    resp = rebuild_response([_created(), {"type": "response.failed", "response": {
        "id": "resp_1", "status": "failed", "output": [], "error": {"code": "server_error", "message": "boom"}}}])
    assert resp.status == "failed" and resp.error is not None and resp.error.code == "server_error"
    assert resp.to_dict()["error"] == {"code": "server_error", "message": "boom"}


def test_event_records_round_trip_and_access() -> None:
    event = event_from_dict({"type": "response.output_text.delta", "item_id": "m", "output_index": 1,
                             "content_index": 0, "delta": "x", "logprobs": [], "sequence_number": 3})
    assert event["delta"] == "x" and event["logprobs"] == [] and event.get("logprobs") == []
    assert event.to_dict()["logprobs"] == []
    item_event = event_from_dict({"type": "response.output_item.done", "output_index": 0,
                                  "item": {"type": "message", "id": "m", "role": "assistant", "content": []}})
    assert isinstance(item_event.item, ResponseOutputMessage)  # type: ignore[union-attr]


def test_parse_response_hostile_bodies() -> None:
    with pytest.raises(APIConnectionError):
        parse_response(b"<html>oops</html>")
    with pytest.raises(Exception) as info:
        parse_response(b"[1]")
    assert type(info.value).__name__ == "InternalServerError"
    with pytest.raises(RateLimitError, match="quota"):
        parse_response({"error": {"message": "quota", "code": 429}})
    ok = parse_response({"id": "resp_1", "object": "response", "error": None, "output": []})
    assert ok.id == "resp_1" and ok.output_text == ""


def test_final_output_with_empty_parts_is_completed_from_the_events() -> None:
    """A terminal response whose items carry empty text/refusal/summary parts gets them filled."""
    state = ResponsesStreamState()
    msg_where = {"item_id": "msg_1", "output_index": 1}
    _feed([
        _created(),
        {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "summary_index": 0, "delta": "why"},
        dict(msg_where, type="response.output_text.delta", content_index=0, delta="Hi"),
        dict(msg_where, type="response.refusal.delta", content_index=1, delta="No"),
        dict(msg_where, type="response.output_text.done", content_index=2, text=""),
        _completed([
            {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": ""}]},
            {"type": "message", "id": "msg_1", "role": "assistant", "content": [
                {"type": "output_text", "text": ""}, {"type": "refusal", "refusal": ""}]},
        ]),
    ], state)
    assert state.done
    resp = state.final_response()
    assert resp.output[0].summary[0].text == "why"  # type: ignore[union-attr]
    assert resp.output_text == "Hi" and resp.refusal == "No"
    assert len(resp.output[1].content) == 3  # type: ignore[union-attr]


def test_delta_events_keep_unknown_fields_whatever_their_number() -> None:
    event = event_from_dict({"type": "response.function_call_arguments.delta", "delta": "x", "obfuscation": "ab"})
    assert event["obfuscation"] == "ab" and event.to_dict() == {
        "type": "response.function_call_arguments.delta", "item_id": "", "output_index": 0, "delta": "x",
        "obfuscation": "ab"}
