"""get_supported_openai_params is truthful: what it lists is what the road and prepare accept.

For every provider row (and the models whose format differs: Claude on Vertex AI, a non-Claude
Bedrock model, an OpenAI reasoning model), every OpenAI chat parameter at a value that asks for
something is prepared: a listed one is accepted and changes the request; an unlisted one raises
UnsupportedParamsError, and with drop_params=True leaves the request exactly as without it.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pytest

import litellm_lite as litellm
from litellm_lite import _call
from litellm_lite.auth import fetch_credentials
from litellm_lite.exceptions import UnsupportedParamsError
from litellm_lite.params import OPENAI_CHAT_PARAMS
from litellm_lite.providers import PROVIDERS

MESSAGES = [{"role": "user", "content": "hi"}]
TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}
# One value per parameter that asks the provider for something (never a default or a no-op).
SAMPLES: Dict[str, Any] = {
    "temperature": 0.5, "top_p": 0.9, "n": 2, "stop": ["x"], "max_tokens": 10, "max_completion_tokens": 10, "seed": 1,
    "presence_penalty": 0.5, "frequency_penalty": 0.5, "logit_bias": {"1": 1}, "logprobs": True, "top_logprobs": 2,
    "user": "u", "tools": [TOOL], "tool_choice": "required", "parallel_tool_calls": False,
    "response_format": {"type": "json_object"}, "stream_options": {"include_usage": True}, "reasoning_effort": "low",
    "thinking": {"type": "enabled", "budget_tokens": 1024},
    "functions": [{"name": "f", "parameters": {"type": "object", "properties": {}}}], "function_call": "auto",
    "modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"},
    "prediction": {"type": "content", "content": "x"}, "service_tier": "auto", "store": True,
    "web_search_options": {"search_context_size": "low"}, "verbosity": "low",
}
# What a parameter needs beside it to mean anything.
CONTEXT: Dict[str, Dict[str, Any]] = {
    "tool_choice": {"tools": [TOOL]}, "parallel_tool_calls": {"tools": [TOOL]}, "top_logprobs": {"logprobs": True},
    "function_call": {"functions": SAMPLES["functions"]},
}
MODELS = {"anthropic": "claude-sonnet-4-5", "gemini": "gemini-2.5-flash", "vertex_ai": "gemini-2.5-flash",
          "bedrock": "anthropic.claude-3-5-sonnet-20240620-v1:0"}
EXTRA = [("vertex_ai", "claude-sonnet-4@20250514"), ("bedrock", "amazon.nova-pro-v1:0"), ("openai", "o3-mini"),
         ("azure", "o1")]
CASES: List[Tuple[str, str]] = [
    (name, MODELS.get(name, "some-model")) for name in sorted(PROVIDERS) if PROVIDERS[name].serves("chat")
] + EXTRA


def _kwargs(provider: str) -> Dict[str, Any]:
    auth = PROVIDERS[provider].auth
    if auth == "aws":
        return {"aws_region_name": "us-east-1", "aws_access_key_id": "AKIAEXAMPLE", "aws_secret_access_key": "s"}
    if auth == "google":
        return {"vertex_project": "p", "vertex_location": "us-central1", "vertex_access_token": "t"}
    if auth == "ibm_iam":  # a ready bearer token: no IAM exchange
        return {"token": "t", "project_id": "p"}
    return {"api_key": "k"}


def _body(provider: str, model: str, params: Dict[str, Any], stream: bool = False) -> bytes:
    kwargs = dict(_kwargs(provider), api_base="http://127.0.0.1:9", **params)
    plan = _call.plan("chat", provider + "/" + model, kwargs, inputs=MESSAGES, stream=stream)
    if plan.wires is None:
        fetch_credentials(plan.config, environ={})
        plan.wires = _call._prepare(plan)
    return plan.wires[0].body


@pytest.mark.parametrize("provider, model", CASES, ids=["%s/%s" % case for case in CASES])
def test_listed_params_are_accepted_and_unlisted_ones_refused(provider: str, model: str) -> None:
    listed = litellm.get_supported_openai_params(model, custom_llm_provider=provider)
    assert listed is not None and listed[0] == "stream"
    assert set(listed) - {"stream"} <= set(OPENAI_CHAT_PARAMS)
    _body(provider, model, {}, stream=True)  # "stream" is listed for every chat row
    for name in OPENAI_CHAT_PARAMS:
        stream = name == "stream_options"
        context = {k: v for k, v in CONTEXT.get(name, {}).items() if k in listed}
        without = _body(provider, model, context, stream)
        asked = dict(context, **{name: SAMPLES[name]})
        if name in listed:
            sent = _body(provider, model, asked, stream)
            # stream_options is honoured by the stream wrapper (usage estimated when the server sends none).
            assert sent != without or name == "stream_options", "%s is listed but not sent" % name
            continue
        with pytest.raises(UnsupportedParamsError, match=name):
            _body(provider, model, asked, stream)
        assert _body(provider, model, dict(asked, drop_params=True), stream) == without, "%s not dropped" % name


def test_shape_and_lookups() -> None:
    openai = litellm.get_supported_openai_params("gpt-4o")
    assert openai == litellm.get_supported_openai_params("openai/gpt-4o")
    assert openai is not None and "tools" in openai and "thinking" not in openai
    o_series = litellm.get_supported_openai_params("o3-mini", custom_llm_provider="openai")
    assert o_series is not None and "temperature" not in o_series and "max_completion_tokens" in o_series
    anthropic = litellm.get_supported_openai_params("anthropic/claude-sonnet-4-5")
    assert anthropic is not None and "thinking" in anthropic and "n" not in anthropic and "seed" not in anthropic
    bedrock_nova = litellm.get_supported_openai_params("bedrock/amazon.nova-pro-v1:0")
    assert bedrock_nova is not None and "reasoning_effort" not in bedrock_nova
    assert litellm.get_supported_openai_params("no-such-model-anywhere") is None
    assert litellm.get_supported_openai_params("gpt-4o", request_type="embeddings") is None
    with pytest.raises(litellm.BadRequestError, match="request_type"):
        litellm.get_supported_openai_params("gpt-4o", request_type="bogus")


def test_harmless_values_pass_and_allowed_openai_params_overrides() -> None:
    assert b'"n"' not in _body("anthropic", "claude-sonnet-4-5", {"n": 1})
    assert _body("openai", "o3-mini", {"temperature": 1})
    assert "logit_bias" not in (litellm.get_supported_openai_params("groq/llama-3.3-70b-versatile") or [])
    sent = json.loads(_body("groq", "llama-3.3-70b-versatile", {"logit_bias": {"1": 1},
                                                                 "allowed_openai_params": ["logit_bias"]}))
    assert sent["logit_bias"] == {"1": 1}
    with pytest.raises(UnsupportedParamsError):
        _body("openai", "o3-mini", {"temperature": 0.2})


def test_refusal_happens_before_anything_is_sent(server: Any) -> None:
    with pytest.raises(UnsupportedParamsError):
        litellm.completion("anthropic/claude-sonnet-4-5", MESSAGES, api_key="k", api_base=server.url, seed=3)
    assert server.requests == []


