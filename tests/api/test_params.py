from __future__ import annotations

from typing import Any, Dict

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import BadRequestError, UnsupportedParamsError
from litellm_lite.params import apply_unsupported, split_kwargs, validate_messages, validate_params

USER = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    "messages",
    [
        None,
        [],
        "hello",
        [{"content": "no role"}],
        [{"role": "wizard", "content": "x"}],
        [{"role": "user", "content": 5}],
        [{"role": "user", "content": None}],
        [{"role": "user", "content": [{"type": "video", "url": "x"}]}],
        [{"role": "user", "content": [{"type": "text"}]}],
        [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
        [{"role": "tool", "content": "42"}],
        [{"role": "assistant", "content": None, "tool_calls": [{"id": "1", "function": {}}]}],
        [{"role": "user", "content": "x", "tool_calls": []}],
        ["just a string"],
    ],
)
def test_bad_messages_rejected_before_sending(messages: Any) -> None:
    with pytest.raises(BadRequestError):
        validate_messages(messages)
    # and through the public call, with no server anywhere: nothing is sent
    with pytest.raises(BadRequestError):
        litellm.completion(model="openai/gpt-4o", messages=messages, api_key="k", api_base="http://127.0.0.1:9")


def test_good_messages_pass_and_are_copied() -> None:
    msgs = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]
    out = validate_messages(msgs)
    assert out == msgs and out[0] is not msgs[0]


@pytest.mark.parametrize(
    "params",
    [
        {"temperature": 3},
        {"temperature": "hot"},
        {"top_p": 1.5},
        {"n": 0},
        {"max_tokens": -1},
        {"max_tokens": 1.5},
        {"stop": 5},
        {"stop": ["a", 1]},
        {"seed": "x"},
        {"tools": {"name": "f"}},
        {"tools": [{"type": "function", "function": {}}]},
        {"tool_choice": "sometimes"},
        {"tool_choice": {"type": "function", "function": {}}},
        {"response_format": {"type": "yaml"}},
        {"response_format": {"type": "json_schema"}},
        {"response_format": dict},
        {"reasoning_effort": "extreme"},
        {"logprobs": "yes"},
        {"presence_penalty": 9},
        {"stream_options": True},
        {"user": 5},
        {"logit_bias": [1]},
    ],
)
def test_bad_params_rejected(params: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        validate_params(params)


def test_split_kwargs_keeps_only_set_openai_params() -> None:
    params, rest = split_kwargs({"temperature": 0.2, "top_p": None, "top_k": 3, "api_key": "k"})
    assert params == {"temperature": 0.2}
    assert rest == {"top_k": 3, "api_key": "k"}


def test_apply_unsupported_drop_or_raise() -> None:
    assert apply_unsupported({"n": 2, "seed": 1}, ["n"], drop=True, provider="p", model="m") == {"seed": 1}
    with pytest.raises(UnsupportedParamsError) as info:
        apply_unsupported({"n": 2}, ["n"], drop=False, provider="p", model="m")
    assert "drop_params" in str(info.value)
    assert apply_unsupported({"n": 1}, ["n"], drop=False, provider="p", model="m", allowed_values={"n": 1}) == {}
