"""build_request: every argument checked before anything is sent, with our BadRequestError naming
it; the body is exactly what the caller set (None means unset), JSON only."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from litellm_lite.exceptions import BadRequestError
from litellm_lite.responses_api import RESPONSES_PARAMS, ResponsesRequest, build_request, request_body
from litellm_lite.responses_api.types import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText


def _body(input_: Any = "hi", **params: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = json.loads(request_body(build_request("gpt-4.1", input_, params)))
    return out


def test_minimal_body_and_none_means_unset() -> None:
    assert _body() == {"model": "gpt-4.1", "input": "hi"}
    assert _body(temperature=None, tools=None, stream=False) == {"model": "gpt-4.1", "input": "hi"}
    request = build_request("gpt-4.1", "hi", {"stream": True}, extra_body={"custom": 1})
    assert isinstance(request, ResponsesRequest) and request.stream
    assert json.loads(request_body(request)) == {"model": "gpt-4.1", "input": "hi", "stream": True, "custom": 1}


def test_the_parameter_list_is_the_spec_list() -> None:
    assert {"instructions", "tools", "tool_choice", "previous_response_id", "reasoning", "text", "max_output_tokens",
            "temperature", "top_p", "store", "metadata", "stream", "include", "parallel_tool_calls", "truncation",
            "user"} <= RESPONSES_PARAMS
    assert "max_tokens" not in RESPONSES_PARAMS and "messages" not in RESPONSES_PARAMS


def test_typed_output_items_and_a_single_item_are_accepted() -> None:
    items = [
        ResponseOutputMessage(id="msg_1", content=[ResponseOutputText(text="hello")]),
        ResponseFunctionToolCall(id="fc_1", call_id="c1", name="f", arguments="{}"),
        {"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "ok"}]},
    ]
    body = _body(items)
    assert body["input"][0]["content"] == [{"type": "output_text", "text": "hello", "annotations": []}]
    assert body["input"][1] == {"type": "function_call", "id": "fc_1", "call_id": "c1", "name": "f", "arguments": "{}",
                                "status": "completed"}
    assert _body({"role": "user", "content": "x"})["input"] == [{"role": "user", "content": "x"}]


BAD_INPUTS = [
    (5, "input must be a string or a list"),
    ([], "must not be an empty list"),
    ([3], r"input\[0\] must be an object"),
    ([{"content": "x"}], r"input\[0\] needs a 'type'"),
    ([{"role": "robot", "content": "x"}], "has role 'robot'"),
    ([{"role": "user", "content": 5}], "content must be a string or a list"),
    ([{"role": "user", "content": ["x"]}], r"content\[0\] must be an object"),
    ([{"type": "function_call", "name": "f", "arguments": "{}"}], "needs a string 'call_id'"),
    ([{"type": "function_call_output", "output": "x"}], "needs the string 'call_id'"),
    ([{"type": "function_call_output", "call_id": "c", "output": 5}], "needs an 'output' string"),
    ([{"type": "reasoning", "summary": "x"}], "'summary' must be a list"),
]


@pytest.mark.parametrize("value,match", BAD_INPUTS)
def test_bad_input_items(value: Any, match: str) -> None:
    with pytest.raises(BadRequestError, match=match):
        build_request("gpt-4.1", value)


BAD_PARAMS = [
    ({"max_tokens": 5}, "unknown Responses API parameter"),
    ({"temperature": "hot"}, "temperature must be a number"),
    ({"temperature": float("nan")}, "temperature must be a number"),
    ({"top_p": 1.5}, "top_p must be between 0 and 1"),
    ({"max_output_tokens": 0}, "max_output_tokens must be an integer >= 1"),
    ({"max_output_tokens": True}, "max_output_tokens must be an integer"),
    ({"max_tool_calls": -1}, "max_tool_calls"),
    ({"top_logprobs": 21}, "top_logprobs must be between 0 and 20"),
    ({"store": "yes"}, "store must be true or false"),
    ({"previous_response_id": 5}, "previous_response_id must be a string"),
    ({"instructions": 5}, "instructions must be a string"),
    ({"truncation": "maybe"}, "truncation must be"),
    ({"service_tier": "gold"}, "service_tier must be one of"),
    ({"include": "reasoning.encrypted_content"}, "include must be a list"),
    ({"tools": {"type": "function"}}, "tools must be a list"),
    ({"tools": [{"name": "f"}]}, r"tools\[0\] must be an object with a 'type'"),
    ({"tools": [{"type": "function"}]}, r"tools\[0\] \(function\) needs a 'name'"),
    ({"tools": [{"type": "function", "name": "f", "parameters": "x"}]}, "parameters must be a JSON schema object"),
    ({"tools": [{"type": "function", "name": "f", "strict": "yes"}]}, "strict must be true or false"),
    ({"tool_choice": "any"}, "tool_choice must be 'none', 'auto', 'required' or an object"),
    ({"tool_choice": {"name": "f"}}, "with a 'type'"),
    ({"tool_choice": {"type": "function"}}, "needs the function's 'name'"),
    ({"reasoning": "high"}, "reasoning must be an object"),
    ({"reasoning": {"effort": "extreme"}}, "reasoning.effort must be one of"),
    ({"reasoning": {"summary": "long"}}, "reasoning.summary must be"),
    ({"text": "json"}, "text must be an object"),
    ({"text": {"format": {"type": "xml"}}}, "text.format.type must be"),
    ({"text": {"format": {"type": "json_schema", "name": "x"}}}, "needs a 'name' and a 'schema'"),
    ({"text": {"verbosity": "loud"}}, "text.verbosity must be"),
    ({"metadata": ["a"]}, "metadata must be an object"),
    ({"metadata": {str(i): "v" for i in range(17)}}, "at most 16 keys"),
    ({"metadata": {"k": 1}}, "metadata keys must be strings"),
    ({"stream_options": True}, "stream_options must be an object"),
    ({"conversation": 5}, "conversation must be"),
    ({"user": {"id": 1}}, "user must be a string"),
]


@pytest.mark.parametrize("params,match", BAD_PARAMS, ids=[m for _, m in BAD_PARAMS])
def test_bad_params_raise_before_sending(params: Dict[str, Any], match: str) -> None:
    with pytest.raises(BadRequestError, match=match) as info:
        build_request("gpt-4.1", "hi", params)
    assert info.value.model == "gpt-4.1"


def test_bad_model_extra_body_and_non_json_values() -> None:
    with pytest.raises(BadRequestError, match="model must be a non-empty string"):
        build_request("  ", "hi")
    with pytest.raises(BadRequestError, match="extra_body must be an object"):
        build_request("m", "hi", extra_body=[1])  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="cannot be sent as JSON"):
        build_request("m", [{"role": "user", "content": "x", "extra": {1, 2}}])
    with pytest.raises(BadRequestError, match="cannot be sent as JSON"):
        build_request("m", "hi", extra_body={"x": float("inf")})
    with pytest.raises(BadRequestError, match="cannot be sent as JSON"):
        build_request("m", "bad surrogate \ud800")


def test_valid_shapes_pass() -> None:
    body = _body(
        tool_choice={"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "f"}]},
        reasoning={"effort": "minimal", "summary": "concise"},
        text={"format": {"type": "text"}},
        conversation={"id": "conv_1"},
        instructions="Be brief.",
        include=["reasoning.encrypted_content"],
    )
    assert body["tool_choice"]["type"] == "allowed_tools" and body["conversation"] == {"id": "conv_1"}
    raw = request_body(build_request("m", "héllo ✓"))
    assert "héllo ✓".encode("utf-8") in raw  # UTF-8 on the wire, not \u escapes
