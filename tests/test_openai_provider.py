"""The OpenAI wire format and its compatible rows, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from tests.server import LoopbackServer, RecordedRequest, Reply

USER = [{"role": "user", "content": "hi"}]
OPENAI_ROWS = sorted(name for name, spec in PROVIDERS.items() if spec.adapter == "openai" and spec.serves("chat"))


def _completion(server: LoopbackServer, **overrides: Any) -> Dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
        **overrides,
    }


@pytest.mark.parametrize("provider", OPENAI_ROWS)
def test_every_row_sends_openai_body_with_bearer_auth(server: LoopbackServer, provider: str) -> None:
    server.add(Reply.json(_completion(server)))
    r = litellm.completion(
        model=provider + "/some-model",
        messages=USER,
        api_base=server.url + "/v1",
        api_key="sk-test-123456",
        temperature=0.5,
        max_tokens=20,
    )
    assert r.choices[0].message.content == "hello"
    assert r.usage.total_tokens == 6
    assert r._hidden_params["custom_llm_provider"] == provider
    req = server.requests[-1]
    assert req.path == "/v1" + PROVIDERS[provider].chat_path
    assert req.headers["authorization"] == "Bearer sk-test-123456"
    body = req.json()
    assert body["model"] == "some-model"
    assert body["messages"] == USER
    assert body["temperature"] == 0.5 and body["max_tokens"] == 20
    assert "stream" not in body


@pytest.mark.parametrize("provider", [p for p in OPENAI_ROWS if PROVIDERS[p].key_required])
def test_hosted_rows_without_key_fail_before_sending(server: LoopbackServer, provider: str) -> None:
    with pytest.raises(AuthenticationError) as info:
        litellm.completion(model=provider + "/m", messages=USER, api_base=server.url)
    assert PROVIDERS[provider].api_key_env[0] in str(info.value)
    assert server.requests == []


@pytest.mark.parametrize("provider", [p for p in OPENAI_ROWS if not PROVIDERS[p].key_required])
def test_local_rows_need_no_key(server: LoopbackServer, provider: str) -> None:
    server.add(Reply.json(_completion(server)))
    litellm.completion(model=provider + "/m", messages=USER, api_base=server.url)
    assert "authorization" not in server.requests[-1].headers


def test_key_and_base_from_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-from-env-abcdef")
    monkeypatch.setenv("DEEPSEEK_API_BASE", server.url)
    server.add(Reply.json(_completion(server)))
    litellm.completion(model="deepseek/deepseek-chat", messages=USER)
    assert server.requests[-1].headers["authorization"] == "Bearer sk-from-env-abcdef"
    assert server.requests[-1].path == "/chat/completions"


def test_all_openai_params_pass_through(server: LoopbackServer) -> None:
    server.add(Reply.json(_completion(server)))
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}}]
    litellm.completion(
        model="openai/gpt-4o",
        messages=USER,
        api_base=server.url,
        api_key="k",
        temperature=0.1,
        top_p=0.9,
        n=2,
        stop=["x"],
        max_tokens=5,
        seed=7,
        presence_penalty=0.5,
        frequency_penalty=0.25,
        logit_bias={"50256": -100},
        logprobs=True,
        top_logprobs=2,
        user="u1",
        tools=tools,
        tool_choice="required",
        parallel_tool_calls=False,
        response_format={"type": "json_object"},
        reasoning_effort="low",
        extra_headers={"X-Trace": "abc"},
        top_k=4,
    )
    req = server.requests[-1]
    body = req.json()
    expected = {
        "temperature": 0.1, "top_p": 0.9, "n": 2, "stop": ["x"], "max_tokens": 5, "seed": 7, "presence_penalty": 0.5,
        "frequency_penalty": 0.25, "logit_bias": {"50256": -100}, "logprobs": True, "top_logprobs": 2, "user": "u1",
        "tools": tools, "tool_choice": "required", "parallel_tool_calls": False,
        "response_format": {"type": "json_object"}, "reasoning_effort": "low", "top_k": 4,
    }
    for key, value in expected.items():
        assert body[key] == value, key
    assert req.headers["x-trace"] == "abc"


def test_reasoning_models_use_max_completion_tokens(server: LoopbackServer) -> None:
    server.add(Reply.json(_completion(server)))
    litellm.completion(model="openai/o3-mini", messages=USER, api_base=server.url, api_key="k", max_tokens=50, temperature=1)
    body = server.requests[-1].json()
    assert body["max_completion_tokens"] == 50 and "max_tokens" not in body and "temperature" not in body
    with pytest.raises(UnsupportedParamsError):
        litellm.completion(model="openai/o3-mini", messages=USER, api_base=server.url, api_key="k", temperature=0.2)
    litellm.completion(model="openai/gpt-5", messages=USER, api_base=server.url, api_key="k", temperature=0.2, drop_params=True)
    assert "temperature" not in server.requests[-1].json()


def test_unsupported_params_raise_or_drop(server: LoopbackServer) -> None:
    server.add(Reply.json(_completion(server)))
    with pytest.raises(UnsupportedParamsError):
        litellm.completion(model="groq/llama", messages=USER, api_base=server.url, api_key="k", logit_bias={"1": 1})
    assert server.requests == []
    litellm.completion(model="groq/llama", messages=USER, api_base=server.url, api_key="k", logit_bias={"1": 1}, drop_params=True)
    assert "logit_bias" not in server.requests[-1].json()
    litellm.drop_params = True
    try:
        litellm.completion(model="groq/llama", messages=USER, api_base=server.url, api_key="k", logprobs=True)
    finally:
        litellm.drop_params = False
    assert "logprobs" not in server.requests[-1].json()


def test_mistral_quirks(server: LoopbackServer) -> None:
    server.add(Reply.json(_completion(server)))
    litellm.completion(
        model="mistral/mistral-small",
        messages=USER,
        api_base=server.url,
        api_key="k",
        seed=3,
        tool_choice="required",
        tools=[{"type": "function", "function": {"name": "f"}}],
    )
    body = server.requests[-1].json()
    assert body["random_seed"] == 3 and "seed" not in body and body["tool_choice"] == "any"


def test_reasoning_content_and_tool_calls_parsed(server: LoopbackServer) -> None:
    message = {
        "role": "assistant",
        "content": None,
        "reasoning_content": "think",
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"x\": 1}"}}],
    }
    server.add(Reply.json(_completion(server, choices=[{"index": 0, "message": message, "finish_reason": "tool_calls"}])))
    r = litellm.completion(model="deepseek/deepseek-reasoner", messages=USER, api_base=server.url, api_key="k")
    msg = r.choices[0].message
    assert msg.reasoning_content == "think" and msg.content is None
    assert msg.tool_calls[0].function.name == "f" and json.loads(msg.tool_calls[0].function.arguments) == {"x": 1}
    assert r.choices[0].finish_reason == "tool_calls"


def test_assistant_reasoning_is_not_sent_back(server: LoopbackServer) -> None:
    server.add(Reply.json(_completion(server)))
    history = USER + [{"role": "assistant", "content": "a", "reasoning_content": "secret thoughts"}, {"role": "user", "content": "b"}]
    litellm.completion(model="deepseek/deepseek-reasoner", messages=history, api_base=server.url, api_key="k")
    sent = server.requests[-1].json()["messages"]
    assert sent[1] == {"role": "assistant", "content": "a"}


@pytest.mark.parametrize(
    "status,cls",
    [(400, BadRequestError), (401, AuthenticationError), (404, NotFoundError), (429, RateLimitError), (500, InternalServerError), (503, ServiceUnavailableError)],
)
def test_error_statuses_map_to_classes(server: LoopbackServer, status: int, cls: type) -> None:
    server.add(Reply.json({"error": {"message": "provider says no", "type": "x", "code": None}}, status=status))
    with pytest.raises(cls) as info:
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=0)
    assert info.value.status_code == status
    assert "provider says no" in str(info.value)
    assert info.value.llm_provider == "openai"


def test_context_window_error_from_code(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "too long", "code": "context_length_exceeded"}}, status=400))
    with pytest.raises(ContextWindowExceededError):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k")


def test_retries_429_then_succeeds(server: LoopbackServer) -> None:
    server.add(
        Reply.json({"error": {"message": "slow"}}, status=429, headers={"content-type": "application/json", "retry-after-ms": "10"}),
        Reply.json({"error": {"message": "down"}}, status=503, headers={"content-type": "application/json", "retry-after": "0"}),
        Reply.json(_completion(server)),
    )
    r = litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=2)
    assert r.choices[0].message.content == "hello"
    assert len(server.requests) == 3


def test_non_retryable_status_is_not_retried(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "bad"}}, status=400))
    with pytest.raises(BadRequestError):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=3)
    assert len(server.requests) == 1


def test_bad_api_base_refused_before_io() -> None:
    for base in ("file:///etc/passwd", "ftp://example.com", "gopher://x"):
        with pytest.raises(BadRequestError):
            litellm.completion(model="openai/gpt-4o", messages=USER, api_base=base, api_key="k")


def test_header_injection_refused() -> None:
    with pytest.raises(BadRequestError):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base="http://127.0.0.1:9", api_key="k", extra_headers={"X": "a\r\nB: c"})


def test_garbage_body_is_our_error(server: LoopbackServer) -> None:
    server.add(Reply(body=b"<html>oops</html>", headers={"content-type": "text/html"}))
    with pytest.raises(APIConnectionError):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=0)


def test_200_with_error_body_raises(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "Rate limit", "code": 429}}))
    with pytest.raises(RateLimitError):
        litellm.completion(model="openrouter/x/y", messages=USER, api_base=server.url, api_key="k", num_retries=0)


@pytest.mark.slow
def test_threads_do_not_cross_talk(server: LoopbackServer) -> None:
    def answer(req: RecordedRequest) -> Reply:
        text = req.json()["messages"][0]["content"]
        return Reply.json(_completion(server, choices=[{"index": 0, "message": {"role": "assistant", "content": "echo:" + text}, "finish_reason": "stop"}]))

    server.handler = answer
    errors: List[str] = []

    def worker(n: int) -> None:
        for i in range(10):
            tag = "t%d-%d" % (n, i)
            r = litellm.completion(model="openai/gpt-4o", messages=[{"role": "user", "content": tag}], api_base=server.url, api_key="k")
            if r.choices[0].message.content != "echo:" + tag:
                errors.append(tag)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(server.requests) == 160


def test_mock_response_needs_no_network() -> None:
    r = litellm.completion(model="anything/at-all", messages=USER, mock_response="canned")
    assert r.choices[0].message.content == "canned"
    chunks = list(litellm.completion(model="gpt-4o", messages=USER, mock_response="streamed text", stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "streamed text"
    assert chunks[-1].choices[0].finish_reason == "stop"
    with pytest.raises(RateLimitError):
        litellm.completion(model="gpt-4o", messages=USER, mock_response=RateLimitError("mocked", "openai"))
