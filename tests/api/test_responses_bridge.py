"""The chat bridge: input items -> chat messages and params, chat answers and stream chunks ->
Responses objects and events, the in-process store for previous_response_id, and a tool round
trip through the fake provider in the OpenAI, Anthropic and Gemini chat formats (streamed and not)
using ``completion()`` as the chat road."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

import litellm_lite
from litellm_lite.exceptions import BadRequestError, UnsupportedParamsError
from litellm_lite.responses_api import ResponsesAPIResponse, build_request, rebuild_response
from litellm_lite.responses_api.bridge import (
    ChatCall,
    from_chat,
    input_to_messages,
    output_to_messages,
    remember,
    to_chat,
    tool_choice_to_chat,
)
from litellm_lite.responses_api.bridge_stream import ChatStreamToResponses
from litellm_lite.responses_api.store import DEFAULT_MAX_RESPONSES, ResponseStore, StoredTurn, default_store
from litellm_lite.testing import FORMATS, FakeProvider
from litellm_lite.types import (
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetails,
    Delta,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    StreamingChoices,
    Usage,
)

WEATHER_TOOL = {
    "type": "function", "name": "get_weather", "description": "Weather of a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def _request(input_: Any = "hi", **params: Any) -> Any:
    return build_request("m", input_, params)


# -- input items -> messages --------------------------------------------------------------------


def test_tool_round_trip_items_become_messages() -> None:
    messages = input_to_messages(_request([
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "thinking"}]},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Checking."}]},
        {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
        {"type": "function_call", "call_id": "c2", "name": "get_weather", "arguments": "{\"city\":\"Rome\"}"},
        {"type": "function_call_output", "call_id": "c1", "output": "22C"},
        {"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_text", "text": "25C"}]},
        {"type": "function_call", "call_id": "c3", "name": "get_weather", "arguments": "{}"},
    ]).input)
    assert messages == [
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {"role": "assistant", "content": "Checking.", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
            {"id": "c2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Rome\"}"}},
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "22C"},
        {"role": "tool", "tool_call_id": "c2", "content": "25C"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c3", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
    ]


def test_content_parts_and_roles() -> None:
    messages = input_to_messages(_request([
        {"role": "developer", "content": [{"type": "input_text", "text": "Be "}, {"type": "input_text", "text": "brief."}]},
        {"role": "user", "content": [
            {"type": "input_text", "text": "What is this?"},
            {"type": "input_image", "image_url": "data:image/png;base64,AAAA", "detail": "low"},
            {"type": "input_file", "file_data": "data:application/pdf;base64,AA", "filename": "a.pdf"},
            {"type": "input_audio", "input_audio": {"data": "AA", "format": "wav"}},
        ]},
        {"role": "user", "content": [{"type": "input_text", "text": "only text"}]},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "I can't."}]},
    ]).input)
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1]["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
        {"type": "file", "file": {"file_data": "data:application/pdf;base64,AA", "filename": "a.pdf"}},
        {"type": "input_audio", "input_audio": {"data": "AA", "format": "wav"}},
    ]
    assert messages[2] == {"role": "user", "content": "only text"}
    assert messages[3] == {"role": "assistant", "content": "I can't."}


@pytest.mark.parametrize(
    "item,match",
    [
        ({"type": "item_reference", "id": "msg_1"}, "'item_reference' items need OpenAI's own storage"),
        ({"type": "web_search_call", "id": "ws"}, "'web_search_call' items"),
        ({"role": "user", "content": [{"type": "input_image", "file_id": "file-1"}]}, "file_id images are OpenAI-only"),
        ({"role": "user", "content": [{"type": "input_file", "file_url": "https://x"}]}, "file_url is OpenAI-only"),
        ({"role": "user", "content": [{"type": "input_video"}]}, "'input_video' cannot be sent"),
        ({"type": "function_call_output", "call_id": "c", "output": [{"type": "input_image", "image_url": "x"}]},
         "only text parts"),
    ],
)
def test_items_that_cannot_be_bridged_raise(item: Dict[str, Any], match: str) -> None:
    with pytest.raises(BadRequestError, match=match):
        to_chat(_request([item]))


# -- params ---------------------------------------------------------------------------------------


def test_params_map_to_chat() -> None:
    call = to_chat(_request(
        "hi", instructions="Be brief.", tools=[WEATHER_TOOL, {"type": "function", "function": {"name": "g"}}],
        tool_choice={"type": "function", "name": "get_weather"}, reasoning={"effort": "low", "summary": "auto"},
        text={"format": {"type": "json_schema", "name": "w", "schema": {"type": "object"}, "strict": True}},
        max_output_tokens=50, temperature=0.3, top_p=0.5, parallel_tool_calls=False, user="u", top_logprobs=2,
        store=False, metadata={"a": "b"}, include=["reasoning.encrypted_content"], truncation="auto", stream=True,
    ))
    assert call.messages == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    assert call.turn_messages == [{"role": "user", "content": "hi"}]
    assert call.params == {
        "temperature": 0.3, "top_p": 0.5, "parallel_tool_calls": False, "user": "u",
        "tools": [
            {"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                              "parameters": WEATHER_TOOL["parameters"]}},
            {"type": "function", "function": {"name": "g"}},
        ],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "reasoning_effort": "low",
        "response_format": {"type": "json_schema", "json_schema": {"name": "w", "schema": {"type": "object"}, "strict": True}},
        "max_tokens": 50, "logprobs": True, "top_logprobs": 2, "stream": True,
        "stream_options": {"include_usage": True},
    }
    assert to_chat(_request("x", text={"format": {"type": "json_object"}})).params == {"response_format": {"type": "json_object"}}
    assert to_chat(_request("x", text={"format": {"type": "text"}})).params == {}


def test_tool_choice_forms() -> None:
    assert tool_choice_to_chat("required") == "required"
    assert tool_choice_to_chat({"type": "allowed_tools", "mode": "required", "tools": []}) == "required"
    assert tool_choice_to_chat({"type": "web_search"}) == "auto"
    # tool_choice without any (kept) tool is not sent.
    assert "tool_choice" not in to_chat(_request("x", tool_choice="auto")).params


@pytest.mark.parametrize("params", [{"background": True}, {"prompt": {"id": "p"}}, {"conversation": "conv_1"},
                                    {"tools": [{"type": "web_search"}]}])
def test_unsupported_params_raise_or_drop(params: Dict[str, Any]) -> None:
    with pytest.raises(UnsupportedParamsError, match="drop_params=True"):
        to_chat(_request("x", **params))
    assert "tools" not in to_chat(_request("x", **params), drop_params=True).params


def test_instructions_as_items() -> None:
    call = to_chat(_request("x", instructions=[{"role": "developer", "content": "Rule."}]))
    assert call.messages[0] == {"role": "system", "content": "Rule."}


# -- chat answer -> Responses object ---------------------------------------------------------------


def _chat(content: Optional[str] = "Hello", finish: str = "stop", **message: Any) -> ModelResponse:
    chat = ModelResponse(
        id="chatcmpl-1", created=1700000000, model="claude-x",
        choices=[Choices(finish_reason=finish, message=Message(content=content, **message))],
        usage=Usage(prompt_tokens=10, completion_tokens=7,
                    completion_tokens_details=CompletionTokensDetails(reasoning_tokens=3)),
    )
    chat._hidden_params["response_cost"] = 0.5
    return chat


def test_from_chat_text_reasoning_tools_usage() -> None:
    request = _request("hi", tools=[WEATHER_TOOL], metadata={"k": "v"}, instructions="Be brief.")
    chat = _chat("Let me check.", "tool_calls", reasoning_content="The user wants weather.", tool_calls=[
        ChatCompletionMessageToolCall(id="toolu_1", function=Function(name="get_weather", arguments='{"city":"Paris"}'))])
    resp = from_chat(chat, request)
    assert resp.id.startswith("resp_") and resp.status == "completed" and resp.model == "claude-x"
    assert [item.type for item in resp.output] == ["reasoning", "message", "function_call"]
    assert resp.output[0].summary[0].text == "The user wants weather."  # type: ignore[union-attr]
    assert resp.output_text == "Let me check."
    call = resp.function_calls[0]
    assert (call.call_id, call.name, json.loads(call.arguments)) == ("toolu_1", "get_weather", {"city": "Paris"})
    assert resp.usage is not None
    assert (resp.usage.input_tokens, resp.usage.output_tokens, resp.usage.reasoning_tokens) == (10, 7, 3)
    assert resp._hidden_params["response_cost"] == 0.5
    assert resp.metadata == {"k": "v"} and resp.instructions == "Be brief." and resp.tools == [WEATHER_TOOL]
    assert resp.created_at == 1700000000


@pytest.mark.parametrize("finish,reason", [("length", "max_output_tokens"), ("content_filter", "content_filter")])
def test_from_chat_cut_answers_are_incomplete(finish: str, reason: str) -> None:
    resp = from_chat(_chat("Hel", finish), _request())
    assert resp.status == "incomplete" and resp.incomplete_details is not None
    assert resp.incomplete_details.reason == reason


def test_from_chat_refusal_and_empty() -> None:
    resp = from_chat(_chat(None, refusal="No."), _request())
    assert resp.refusal == "No." and resp.output_text == ""
    empty = from_chat(ModelResponse(choices=[]), _request())
    assert empty.output == [] and empty.status == "completed" and empty.usage is None


# -- chat stream -> events -------------------------------------------------------------------------


def _chunk(finish: Optional[str] = None, usage: Optional[Usage] = None, **delta: Any) -> ModelResponseStream:
    return ModelResponseStream(model="claude-x", choices=[StreamingChoices(delta=Delta(**delta), finish_reason=finish)],
                               usage=usage)


def _tc(index: int, arguments: str = "", call_id: Optional[str] = None, name: Optional[str] = None) -> ChatCompletionDeltaToolCall:
    return ChatCompletionDeltaToolCall(index=index, id=call_id, function=Function(name=name, arguments=arguments))


def _run(chunks: List[ModelResponseStream], request: Any = None) -> "tuple[ChatStreamToResponses, List[Any]]":
    bridge = ChatStreamToResponses(request or _request(stream=True))
    events = [e for c in chunks for e in bridge.feed(c)] + bridge.finish()
    return bridge, events


def test_stream_sequence_text_reasoning_and_parallel_tools() -> None:
    usage = Usage(prompt_tokens=4, completion_tokens=6)
    bridge, events = _run([
        _chunk(role="assistant", content=""),
        _chunk(reasoning_content="Think"), _chunk(reasoning_content="ing"),
        _chunk(content="Hel"), _chunk(content="lo"),
        _chunk(tool_calls=[_tc(0, "", "c1", "get_weather"), _tc(1, "{\"city\":", "c2", "get_weather")]),
        _chunk(tool_calls=[_tc(0, "{\"city\":\"Paris\"}"), _tc(1, "\"Rome\"}")]),
        _chunk(finish="tool_calls"), _chunk(usage=usage),
    ])
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert kinds.count("response.output_item.added") == kinds.count("response.output_item.done") == 4
    assert kinds.count("response.reasoning_summary_text.delta") == 2
    assert kinds.count("response.output_text.delta") == 2
    assert kinds.count("response.function_call_arguments.delta") == 3
    assert kinds.count("response.function_call_arguments.done") == 2
    assert [e.sequence_number for e in events] == list(range(len(events)))
    final = bridge.response
    assert final.output_text == "Hello" and final.usage is not None and final.usage.total_tokens == 10
    assert [(c.call_id, json.loads(c.arguments)) for c in final.function_calls] == [
        ("c1", {"city": "Paris"}), ("c2", {"city": "Rome"})]
    assert [i.type for i in final.output] == ["reasoning", "message", "function_call", "function_call"]
    # The created event's snapshot was not changed by what came later.
    assert events[0].response.output == [] and events[0].response.status == "in_progress"
    # Every added item was announced empty, and the done events carry the finished items.
    added = [e.item for e in events if e.type == "response.output_item.added"]
    assert added[1].content == [] and added[2].arguments == ""
    # The helper rebuilds the same final response from the events alone.
    assert rebuild_response(events).to_dict() == final.to_dict()
    assert rebuild_response([e.to_dict() for e in events[:-1]] + [
        dict(events[-1].to_dict(), response=dict(events[-1].to_dict()["response"], output=[]))
    ]).to_dict() == final.to_dict()


def test_stream_refusal_then_text_and_length() -> None:
    bridge, events = _run([_chunk(refusal="No"), _chunk(content="but"), _chunk(finish="length")])
    kinds = [e.type for e in events]
    assert "response.refusal.delta" in kinds and "response.refusal.done" in kinds
    assert kinds[-1] == "response.incomplete"
    assert bridge.response.refusal == "No" and bridge.response.output_text == "but"
    assert [p.type for p in bridge.response.output[0].content] == ["refusal", "output_text"]  # type: ignore[union-attr]
    assert rebuild_response(events).to_dict() == bridge.response.to_dict()


def test_empty_stream_and_finish_twice() -> None:
    bridge = ChatStreamToResponses(_request(stream=True), response_id="resp_fixed")
    events = bridge.finish()
    assert [e.type for e in events] == ["response.created", "response.in_progress", "response.completed"]
    assert bridge.response.id == "resp_fixed" and bridge.response.output == []
    assert bridge.finish() == []


def test_stream_keeps_hidden_params_and_late_tool_name() -> None:
    chunk = _chunk(tool_calls=[_tc(0, "{}", "c1", None)])
    chunk._hidden_params["response_cost"] = 0.1
    bridge, _ = _run([chunk, _chunk(tool_calls=[_tc(0, "", None, "late_name")])])
    assert bridge.response._hidden_params["response_cost"] == 0.1
    assert bridge.response.function_calls[0].name == "late_name"


# -- store ----------------------------------------------------------------------------------------


def _turn(previous: Optional[str], text: str) -> StoredTurn:
    return StoredTurn(previous, [{"role": "user", "content": text}], [{"role": "assistant", "content": text.upper()}])


def test_store_chains_and_evicts_least_recently_used() -> None:
    store = ResponseStore(max_responses=3)
    store.put("r1", _turn(None, "a"))
    store.put("r2", _turn("r1", "b"))
    store.put("r3", _turn(None, "c"))
    assert [m["content"] for m in store.history("r2")] == ["a", "A", "b", "B"]
    store.put("r4", _turn(None, "d"))  # r1 and r2 were refreshed by history(): r3 goes
    assert "r3" not in store and "r1" in store and len(store) == 3
    store.put("r5", _turn(None, "e"))  # then the least recently used, r1
    with pytest.raises(BadRequestError) as info:
        store.history("r2")  # r1 was evicted: the chain is broken
    message = str(info.value)
    assert "continues 'r1'" in message and "last 3 responses" in message and "DEFAULT_MAX_RESPONSES" in message
    store.clear()
    assert len(store) == 0


def test_store_unknown_id_names_the_limit_and_rejects_bad_size() -> None:
    with pytest.raises(BadRequestError, match="'resp_native' is not known to this process.*last %d" % DEFAULT_MAX_RESPONSES):
        default_store().history("resp_native", "m")
    with pytest.raises(BadRequestError, match="max_responses must be a positive integer"):
        ResponseStore(0)
    assert default_store() is default_store()
    loop = ResponseStore()
    loop.put("a", _turn("b", "x"))
    loop.put("b", _turn("a", "y"))
    assert len(loop.history("a")) == 4  # a cycle ends the walk instead of looping


def test_previous_response_id_without_store_or_unknown() -> None:
    with pytest.raises(BadRequestError, match="needs the in-process response store"):
        to_chat(_request("x", previous_response_id="resp_1"))
    with pytest.raises(BadRequestError, match="not known to this process"):
        to_chat(_request("x", previous_response_id="resp_1"), store=ResponseStore())


def test_remember_respects_store_false_and_skips_instructions() -> None:
    store = ResponseStore()
    request = _request("hi", instructions="Be brief.", store=False)
    call = to_chat(request, store)
    resp = from_chat(_chat("yo"), request)
    remember(store, resp, call)
    assert resp.id not in store
    request = _request("hi", instructions="Be brief.")
    call = to_chat(request, store)
    resp = from_chat(_chat(None, "tool_calls", tool_calls=[
        ChatCompletionMessageToolCall(id="c1", function=Function(name="f", arguments="{}"))]), request)
    remember(store, resp, call)
    assert store.history(resp.id) == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
    ]
    assert output_to_messages(ResponsesAPIResponse(output=[])) == [{"role": "assistant", "content": ""}]


# -- a tool round trip through the fake provider, per chat wire format ----------------------------


def _bridged_call(fake: FakeProvider, fmt: str, store: ResponseStore, request: Any) -> ResponsesAPIResponse:
    """What the road will do for a bridged provider, with completion() as the chat road."""
    call: ChatCall = to_chat(request, store)
    kwargs = dict(fake.kwargs(fmt), messages=call.messages, **call.params)
    if not request.stream:
        resp = from_chat(litellm_lite.completion(**kwargs), request)
    else:
        bridge = ChatStreamToResponses(request)
        events = [e for chunk in litellm_lite.completion(**kwargs) for e in bridge.feed(chunk)] + bridge.finish()
        assert events[-1].type == "response.completed"
        resp = rebuild_response(events)
        assert resp.to_dict() == bridge.response.to_dict()
    remember(store, resp, call)
    return resp


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_tool_round_trip_through_the_fake(fmt: str, stream: bool) -> None:
    store = ResponseStore()
    with FakeProvider() as fake:
        fake.add_reply(None, tool_calls=[{"id": "call_1", "type": "function",
                                          "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}])
        fake.add_reply("It is 22C in Paris.")
        first = _bridged_call(fake, fmt, store, build_request(
            "m", "Weather in Paris?", {"tools": [WEATHER_TOOL], "instructions": "Be brief.", "stream": stream}))
        call = first.function_calls[0]
        assert call.name == "get_weather" and json.loads(call.arguments) == {"city": "Paris"}
        second = _bridged_call(fake, fmt, store, build_request(
            "m", [{"type": "function_call_output", "call_id": call.call_id, "output": "22C"}],
            {"tools": [WEATHER_TOOL], "previous_response_id": first.id, "stream": stream}))
        assert second.output_text == "It is 22C in Paris." and second.status == "completed"
        assert second.usage is not None and second.usage.input_tokens > 0
        sent = json.dumps(fake.requests[-1].json)
        assert "22C" in sent and "Weather in Paris?" in sent and "get_weather" in sent
        if fmt != "gemini":  # Gemini pairs a function response with its call by name, not by id
            assert call.call_id in sent
        assert "Be brief." not in sent  # instructions are not carried over, as on OpenAI
        assert [m["content"] for m in store.history(second.id) if m["role"] == "user"] == ["Weather in Paris?"]


def test_history_is_a_copy() -> None:
    store = ResponseStore()
    store.put("r1", _turn(None, "a"))
    store.history("r1")[0]["content"] = "changed"
    assert store.history("r1")[0]["content"] == "a"
