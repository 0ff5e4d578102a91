"""``allowed_openai_params`` on the native formats, over 127.0.0.1.

A parameter the format cannot express is refused before anything is sent (UnsupportedParamsError,
dropped with ``drop_params=True``); once the caller lists it in ``allowed_openai_params`` it is
sent as a top-level body field under its OpenAI name (the way a provider-specific keyword is), and a
parameter only the provider row refuses is mapped to the format's own field.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import UnsupportedParamsError
from litellm_lite.providers import PROVIDERS, register_provider
from tests.server import LoopbackServer, Reply

MESSAGES = [{"role": "user", "content": "hi"}]
TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
VERTEX = {"vertex_project": "p", "vertex_location": "us-central1", "vertex_access_token": "t"}
AWS = {"aws_region_name": "us-east-1", "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}

ANTHROPIC_REPLY = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
                   "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                   "usage": {"input_tokens": 1, "output_tokens": 1}}
GEMINI_REPLY = {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}, "finishReason": "STOP"}],
                "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1}}
CONVERSE_REPLY = {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}}, "stopReason": "end_turn",
                  "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}
COHERE_REPLY = {"id": "c1", "finish_reason": "COMPLETE",
                "message": {"role": "assistant", "content": [{"type": "text", "text": "ok"}]},
                "usage": {"tokens": {"input_tokens": 1, "output_tokens": 1}}}
OLLAMA_CHAT_REPLY = {"model": "m", "message": {"role": "assistant", "content": "ok"}, "done": True,
                     "done_reason": "stop", "prompt_eval_count": 1, "eval_count": 1}
OLLAMA_GENERATE_REPLY = {"model": "m", "response": "ok", "done": True, "done_reason": "stop"}
TGI_REPLY = [{"generated_text": "ok", "details": {"finish_reason": "eos_token", "generated_tokens": 1}}]
WATSONX_REPLY = {"id": "w1", "model_id": "m", "created": 1,
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
LLAMA_INVOKE_REPLY = {"generation": "ok", "stop_reason": "stop", "prompt_token_count": 1, "generation_token_count": 1}

# (model, keyword arguments besides api_base, the reply, the parameter, its value, what else it needs)
Case = Tuple[str, Dict[str, Any], Any, str, Any, Dict[str, Any]]
CASES: List[Case] = [
    ("anthropic/claude-sonnet-4-5", {"api_key": "k"}, ANTHROPIC_REPLY, "seed", 7, {}),
    ("anthropic/claude-sonnet-4-5", {"api_key": "k"}, ANTHROPIC_REPLY, "store", True, {}),
    ("anthropic/claude-sonnet-4-5", {"api_key": "k"}, ANTHROPIC_REPLY, "n", 2, {}),
    ("bedrock/amazon.nova-pro-v1:0", AWS, CONVERSE_REPLY, "user", "u-1", {}),
    ("bedrock/amazon.nova-pro-v1:0", AWS, CONVERSE_REPLY, "reasoning_effort", "low", {}),
    ("bedrock/invoke/meta.llama3-8b-instruct-v1:0", AWS, LLAMA_INVOKE_REPLY, "seed", 3, {}),
    ("gemini/gemini-2.5-flash", {"api_key": "k"}, GEMINI_REPLY, "logit_bias", {"5": 1}, {}),
    ("gemini/gemini-2.5-flash", {"api_key": "k"}, GEMINI_REPLY, "parallel_tool_calls", False, {"tools": [TOOL]}),
    ("vertex_ai/gemini-2.5-flash", VERTEX, GEMINI_REPLY, "user", "u-1", {}),
    ("vertex_ai/claude-sonnet-4@20250514", VERTEX, ANTHROPIC_REPLY, "seed", 7, {}),
    ("cohere/command-r", {"api_key": "k"}, COHERE_REPLY, "logit_bias", {"5": 1}, {}),
    ("cohere/command-r", {"api_key": "k"}, COHERE_REPLY, "parallel_tool_calls", False, {"tools": [TOOL]}),
    ("ollama_chat/llama3", {}, OLLAMA_CHAT_REPLY, "logit_bias", {"5": 1}, {}),
    ("ollama/llama3", {}, OLLAMA_GENERATE_REPLY, "tools", [TOOL], {}),
    ("sagemaker/my-endpoint", AWS, TGI_REPLY, "logit_bias", {"5": 1}, {}),
    ("watsonx/ibm/granite-3-8b-instruct", {"token": "t", "project_id": "p"}, WATSONX_REPLY, "user", "u-1", {}),
]
IDS = ["%s:%s" % (case[0], case[3]) for case in CASES]


def _case(model: str, name: str) -> Case:
    return next(case for case in CASES if case[0] == model and case[3] == name)


def _call(server: LoopbackServer, case: Case, **extra: Any) -> Dict[str, Any]:
    model, kwargs, reply, name, value, context = case
    server.add(Reply.json(reply))
    before = len(server.requests)
    resp = litellm.completion(model, MESSAGES, api_base=server.url, **dict(kwargs, **context), **{name: value},
                              **extra)
    assert resp.choices[0].message.content == "ok"
    assert len(server.requests) == before + 1
    sent: Dict[str, Any] = server.requests[-1].json()
    assert "allowed_openai_params" not in sent and "drop_params" not in sent
    return sent


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_refused_without_allow_sent_top_level_with_it(server: LoopbackServer, case: Case) -> None:
    model, kwargs, _, name, value, context = case
    with pytest.raises(UnsupportedParamsError, match=name) as info:
        litellm.completion(model, MESSAGES, api_base=server.url, **dict(kwargs, **context), **{name: value})
    assert "drop_params=True" in str(info.value) and "allowed_openai_params=[%r]" % name in str(info.value)
    assert server.requests == []  # refused before anything was sent
    dropped = _call(server, case, drop_params=True)
    assert name not in dropped
    sent = _call(server, case, allowed_openai_params=[name])
    assert sent[name] == value
    # drop_params does not drop what the caller allowed.
    assert _call(server, case, allowed_openai_params=[name], drop_params=True)[name] == value


def test_anthropic_keeps_its_native_fields_beside_an_allowed_one(server: LoopbackServer) -> None:
    case = _case("anthropic/claude-sonnet-4-5", "seed")
    sent = _call(server, case, allowed_openai_params=["seed"], temperature=0.2, stop="x", max_tokens=9)
    assert sent["seed"] == 7
    assert sent["temperature"] == 0.2 and sent["stop_sequences"] == ["x"] and sent["max_tokens"] == 9
    assert sent["model"] == "claude-sonnet-4-5" and sent["messages"][0]["role"] == "user"
    # Allowing one name leaves the others refused, before anything is sent.
    model, kwargs, _, _, _, _ = case
    with pytest.raises(UnsupportedParamsError, match="logit_bias"):
        litellm.completion(model, MESSAGES, api_base=server.url, seed=1, logit_bias={"1": 1},
                           allowed_openai_params=["seed"], **kwargs)
    assert len(server.requests) == 1


def test_gemini_allowed_field_is_top_level_not_generation_config(server: LoopbackServer) -> None:
    sent = _call(server, _case("gemini/gemini-2.5-flash", "logit_bias"), allowed_openai_params=["logit_bias"], seed=4)
    assert sent["logit_bias"] == {"5": 1} and "logit_bias" not in sent["generationConfig"]
    assert sent["generationConfig"]["seed"] == 4  # seed has a native field: mapped as usual


def test_ollama_allowed_field_goes_where_provider_keywords_go(server: LoopbackServer) -> None:
    sent = _call(server, _case("ollama_chat/llama3", "logit_bias"), allowed_openai_params=["logit_bias"], temperature=0.3, keep_alive="5m")
    assert sent["logit_bias"] == {"5": 1} and sent["keep_alive"] == "5m"
    assert sent["options"] == {"temperature": 0.3}


def test_sagemaker_tgi_allowed_field_is_top_level(server: LoopbackServer) -> None:
    sent = _call(server, _case("sagemaker/my-endpoint", "logit_bias"), allowed_openai_params=["logit_bias"], max_tokens=5)
    assert sent["logit_bias"] == {"5": 1} and "logit_bias" not in sent["parameters"]
    assert sent["parameters"]["max_new_tokens"] == 5


def test_extra_body_entry_of_the_same_name_wins(server: LoopbackServer) -> None:
    sent = _call(server, _case("anthropic/claude-sonnet-4-5", "seed"), allowed_openai_params=["seed"], extra_body={"seed": 99})
    assert sent["seed"] == 99


def test_harmless_value_stays_as_without_allow(server: LoopbackServer) -> None:
    # store=False / parallel_tool_calls=True ask for nothing and pass without the list: listing the
    # name changes nothing (a strict API would refuse the unknown field), while store=True is sent.
    store = _case("anthropic/claude-sonnet-4-5", "store")
    assert "store" not in _call(server, dict_case(store, False), allowed_openai_params=["store"])
    assert _call(server, store, allowed_openai_params=["store"])["store"] is True
    parallel = _case("gemini/gemini-2.5-flash", "parallel_tool_calls")
    sent = _call(server, dict_case(parallel, True), allowed_openai_params=["parallel_tool_calls"])
    assert "parallel_tool_calls" not in sent and sent["tools"]
    assert _call(server, parallel, allowed_openai_params=["parallel_tool_calls"])["parallel_tool_calls"] is False


def dict_case(case: Case, value: Any) -> Case:
    return (case[0], case[1], case[2], case[3], value, case[5])


def test_watsonx_allowed_user_is_top_level_and_native_logit_bias_as_is(server: LoopbackServer) -> None:
    sent = _call(server, _case("watsonx/ibm/granite-3-8b-instruct", "user"), allowed_openai_params=["user", "logit_bias"], logit_bias={"5": 1})
    assert sent["user"] == "u-1" and sent["logit_bias"] == {"5": 1}
    case: Case = ("watsonx/ibm/granite-3-8b-instruct", {"token": "t", "project_id": "p"}, WATSONX_REPLY,
                  "logit_bias", {"5": 1}, {})
    assert _call(server, case)["logit_bias"] == {"5": 1}
    assert _call(server, case, allowed_openai_params=["logit_bias"])["logit_bias"] == {"5": 1}


@pytest.fixture
def row_refusing_temperature() -> Iterator[str]:
    """An Anthropic-format row that marks temperature (a native Messages field) unsupported."""
    name = "allowed_params_test_row"
    register_provider(dataclasses.replace(PROVIDERS["anthropic"], name=name, aliases=(),
                                          unsupported_params=frozenset({"temperature"})))
    try:
        yield name
    finally:
        PROVIDERS.pop(name, None)
        from litellm_lite.params import reset_claimed

        reset_claimed()


def test_row_refusal_allowed_is_mapped_and_format_refusal_top_level(server: LoopbackServer,
                                                            row_refusing_temperature: str) -> None:
    model = row_refusing_temperature + "/claude-sonnet-4-5"
    listed = litellm.get_supported_openai_params(model) or []
    assert "temperature" not in listed and "top_p" in listed
    with pytest.raises(UnsupportedParamsError, match="temperature"):
        litellm.completion(model, MESSAGES, api_base=server.url, api_key="k", temperature=0.4)
    assert server.requests == []
    case: Case = (model, {"api_key": "k"}, ANTHROPIC_REPLY, "temperature", 0.4, {})
    sent = _call(server, case, allowed_openai_params=["temperature", "seed"], seed=5)
    assert sent["temperature"] == 0.4 and sent["seed"] == 5 and sent["model"] == "claude-sonnet-4-5"


def test_supported_list_is_unchanged_by_allowing(server: LoopbackServer) -> None:
    checks: List[Tuple[str, Callable[[List[str]], bool]]] = [
        ("anthropic/claude-sonnet-4-5", lambda names: "seed" not in names and "store" not in names),
        ("gemini/gemini-2.5-flash", lambda names: "logit_bias" not in names and "parallel_tool_calls" not in names),
        ("cohere/command-r", lambda names: "logit_bias" not in names),
        ("sagemaker/my-endpoint", lambda names: "logit_bias" not in names),
    ]
    for model, check in checks:
        before = litellm.get_supported_openai_params(model) or []
        assert check(before), model
        _ = [_call(server, case, allowed_openai_params=[case[3]]) for case in CASES if case[0] == model]
        assert litellm.get_supported_openai_params(model) == before, model
