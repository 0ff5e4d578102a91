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
import base64
import dataclasses
import struct
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    ContentPolicyViolationError,
)
from litellm_lite.providers.azure import AzureAdapter, resolve_azure_credentials
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from litellm_lite.providers.openai import OpenAIAdapter, parse_usage

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


# -- more cases (formerly test_cov_openai.py: OpenAI-format adapter (and its Azure subclass): odd payload sh




ADAPTER = OpenAIAdapter()
USER_2 = [{"role": "user", "content": "hi"}]


def cfg(provider: str = "openai", **kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider=provider, model="gpt-4o", api_key="sk-test",
                                api_base="https://api.example.com/v1")
    base.update(kw)
    if "spec" not in base:
        base["spec"] = PROVIDERS[provider]
    return CallConfig(**base)


def parse(payload: Any, config: CallConfig = None) -> Any:  # type: ignore[assignment]
    raw = json.dumps(payload).encode()
    return ADAPTER.parse(WireResponse(200, {}, raw), ChatRequest(model="gpt-4o", messages=USER_2), config or cfg())


# ---------------------------------------------------------------------------------------------
# request side


@pytest.mark.parametrize("auth,header,value", [
    ("api-key", "api-key", "sk-test"),
    ("x-api-key", "x-api-key", "sk-test"),
    ("none", None, None),
])
def test_auth_styles_of_custom_rows(auth: str, header: Any, value: Any) -> None:
    spec = dataclasses.replace(PROVIDERS["openai"], name="gateway", auth=auth)
    wire = ADAPTER.prepare(ChatRequest(model="m", messages=USER_2), cfg(spec=spec, provider="gateway"))
    assert "Authorization" not in wire.headers
    if header:
        assert wire.headers[header] == value
    else:
        assert "api-key" not in wire.headers and "x-api-key" not in wire.headers


THINKING = {"type": "enabled", "budget_tokens": 1024}


@pytest.mark.parametrize("model, extra", [
    ("openai/gpt-4o", {}), ("hosted_vllm/qwen3", {}), ("openrouter/z-ai/glm-4.6", {}),
    ("azure/dep", {"api_version": "2024-10-21"}),
])
def test_thinking_is_refused_dropped_or_sent_as_allowed(server: LoopbackServer, model: str,
                                                        extra: Dict[str, Any]) -> None:
    """``thinking`` is Anthropic's: OpenAI-format rows refuse it (or drop it with drop_params), and
    send it as given when the caller lists it in ``allowed_openai_params``."""
    server.add(Reply.json(_completion(server)), Reply.json(_completion(server)))
    kw: Dict[str, Any] = dict(extra, messages=USER, api_base=server.url, api_key="k", temperature=0.2,
                              thinking=THINKING)
    with pytest.raises(UnsupportedParamsError, match="thinking"):
        litellm.completion(model, **kw)
    assert server.requests == []
    litellm.completion(model, drop_params=True, **kw)
    dropped = server.requests[-1].json()
    assert "thinking" not in dropped and dropped["temperature"] == 0.2
    resp = litellm.completion(model, allowed_openai_params=["thinking"], **kw)
    sent = server.requests[-1].json()
    assert sent["thinking"] == THINKING and sent["temperature"] == 0.2
    assert "allowed_openai_params" not in sent and resp.choices[0].message.content == "hello"


def test_allowed_openai_params_reach_reasoning_models(server: LoopbackServer) -> None:
    """o-series models refuse sampling parameters; an allowed one is sent as given (temperature=1,
    the only value they take, is still left out when not asked for)."""
    server.add(Reply.json(_completion(server)), Reply.json(_completion(server)))
    base: Dict[str, Any] = dict(messages=USER, api_base=server.url, api_key="k")
    with pytest.raises(UnsupportedParamsError, match="top_p"):
        litellm.completion("openai/o3-mini", top_p=0.5, **base)
    litellm.completion("openai/o3-mini", top_p=0.5, temperature=1, max_tokens=7,
                       allowed_openai_params=["top_p"], **base)
    sent = server.requests[-1].json()
    assert sent["top_p"] == 0.5 and "temperature" not in sent and sent["max_completion_tokens"] == 7
    litellm.completion("openai/o3-mini", temperature=0.3, allowed_openai_params=["temperature"], **base)
    assert server.requests[-1].json()["temperature"] == 0.3


def test_embeddings_on_a_row_without_an_embeddings_path() -> None:
    spec = dataclasses.replace(PROVIDERS["openai"], name="chatonly", endpoints=(("chat", "/chat/completions"),))
    with pytest.raises(BadRequestError, match="does not serve embeddings"):
        ADAPTER.prepare_embedding(EmbeddingRequest(model="m", input=["a"]), cfg(spec=spec, provider="chatonly"))


# ---------------------------------------------------------------------------------------------
# responses


def test_odd_content_and_tool_call_shapes() -> None:
    resp = parse({"id": "c1", "created": 5, "model": "gpt-4o", "choices": [
        "junk",
        {"index": 1, "message": {"content": {"weird": 1}}, "finish_reason": "stop"},
        {"index": 2, "message": {"content": ["a", {"type": "thinking", "thinking": "t"}, {"type": "text", "text": "b"}],
                                 "tool_calls": ["junk", {"id": "x", "function": {"name": "f", "arguments": {"k": 1}}},
                                                {"id": "y", "function": {"name": "g"}}]}},
    ], "x_groq": {"usage": {"prompt_tokens": 2, "completion_tokens": 3}}})
    assert [c.index for c in resp.choices] == [1, 2]
    assert resp.choices[0].message.content == '{"weird": 1}'
    second = resp.choices[1]
    assert second.message.content == "ab" and second.message.reasoning_content == "t"
    assert [(c.id, c.function.arguments) for c in second.message.tool_calls] == [("x", '{"k": 1}'), ("y", "{}")]
    assert second.finish_reason == "tool_calls"  # no finish_reason but tool calls
    assert resp.usage.total_tokens == 5  # taken from Groq's x_groq.usage


def test_deepseek_cache_hit_tokens() -> None:
    usage = parse_usage({"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11,
                         "prompt_cache_hit_tokens": 8, "prompt_cache_miss_tokens": 2})
    assert usage is not None
    assert usage.prompt_tokens_details.cached_tokens == 8 and usage.cache_read_input_tokens == 8


def test_non_object_body_and_in_body_errors() -> None:
    with pytest.raises(InternalServerError, match="unexpected response body"):
        parse([1])
    with pytest.raises(RateLimitError, match="upstream said no: quota exceeded"):
        parse({"error": {"message": "upstream said no", "code": 429, "metadata": {"raw": "quota exceeded"}}})
    with pytest.raises(InternalServerError, match="plain failure"):
        parse({"error": "plain failure"})


# ---------------------------------------------------------------------------------------------
# streams


def _stream(events: List[Any]) -> List[Any]:
    state = ADAPTER.new_stream_state(ChatRequest(model="gpt-4o", messages=USER_2, stream=True), cfg())
    out: List[Any] = []
    for data in events:
        out.extend(ADAPTER.parse_event(StreamEvent(data=data if isinstance(data, str) else json.dumps(data)), state))
    return out


def test_stream_skips_blank_non_object_and_empty_chunks() -> None:
    assert _stream(["  ", "[1, 2]", {"id": "c", "created": 1, "choices": []}]) == []


def test_stream_chunk_without_id_gets_one_and_odd_tool_deltas() -> None:
    chunks = _stream([{"choices": ["junk", {"delta": {"tool_calls": [
        "junk", {"index": 0, "id": "t1", "function": {"name": "f"}},
        {"index": 1, "function": {"arguments": {"a": 1}}}]}}]}])
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.id and chunk.created  # made up when the server sent none
    calls = chunk.choices[0].delta.tool_calls
    assert [(c.index, c.id, c.function.arguments) for c in calls] == [(0, "t1", ""), (1, None, '{"a": 1}')]
    assert calls[0].type == "function" and calls[1].type is None
    assert chunk.choices[0].index == 1  # position in the choices list


@pytest.mark.parametrize("error,exc,needle", [
    ({"message": "m", "metadata": {"raw": "upstream detail"}}, InternalServerError, "m: upstream detail"),
    ({"message": "slow", "type": "rate_limit_exceeded"}, RateLimitError, "slow"),
    ({"message": "who", "code": "invalid_api_key"}, AuthenticationError, "who"),
    ({"message": "busy", "type": "overloaded_error"}, ServiceUnavailableError, "busy"),
    ({"message": "bad", "type": "invalid_request_error"}, BadRequestError, "bad"),
    ({"message": "other", "type": "server_error"}, InternalServerError, "other"),
])
def test_stream_error_status_from_type_and_code(error: Dict[str, Any], exc: Any, needle: str) -> None:
    with pytest.raises(exc, match=needle):
        _stream([{"error": error}])


# ---------------------------------------------------------------------------------------------
# embeddings


def _embed(payload: Any) -> Any:
    return ADAPTER.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()),
                                   EmbeddingRequest(model="text-embedding-3-small", input=["a"]), cfg())


def test_embedding_garbage() -> None:
    with pytest.raises(InternalServerError, match="unexpected embeddings body"):
        _embed([1])
    packed = base64.b64encode(struct.pack("<2f", 0.5, -1.0)).decode()
    resp = _embed({"data": ["junk", {"embedding": packed}]})
    assert resp.data[0].embedding == [0.5, -1.0] and resp.data[0].index == 1


@pytest.mark.parametrize("vector,needle", [("%%%not base64", "not valid base64"), (5, "not a list"),
                                           (None, "not a list")])
def test_embedding_vector_of_the_wrong_kind_is_a_connection_error(vector: Any, needle: str) -> None:
    with pytest.raises(APIConnectionError, match=needle):
        _embed({"data": [{"embedding": vector}]})


# ---------------------------------------------------------------------------------------------
# Azure


AZ = AzureAdapter()


def azcfg(**kw: Any) -> CallConfig:
    kw.setdefault("api_base", "https://res.openai.azure.com")
    kw.setdefault("api_version", "2024-10-21")
    return cfg("azure", **kw)


def test_azure_ad_token_must_be_a_string() -> None:
    with pytest.raises(AuthenticationError, match="must be a string"):
        resolve_azure_credentials(azcfg(), {"azure_ad_token_provider": lambda: 123}, {})


def test_azure_row_without_the_reasoning_quirk_still_gets_reasoning_rules() -> None:
    from litellm_lite.supported import enforce

    spec = dataclasses.replace(PROVIDERS["azure"], quirks=frozenset())
    params = {"max_tokens": 10, "temperature": 0.3}
    with pytest.raises(UnsupportedParamsError, match="temperature"):
        enforce(AZ, params, azcfg(spec=spec), "o3-mini")
    config = azcfg(spec=spec, drop_params=True)
    request = ChatRequest(model="o3-mini", messages=USER_2, params=enforce(AZ, params, config, "o3-mini"))
    sent = json.loads(AZ.prepare(request, config).body)
    assert sent["max_completion_tokens"] == 10 and "temperature" not in sent and "max_tokens" not in sent
    assert spec.quirks == frozenset()  # the row itself is not modified


def test_azure_400_with_non_json_body_stays_bad_request() -> None:
    err = AZ.parse_error(WireResponse(400, {}, b"<html>bad request</html>"), azcfg())
    assert isinstance(err, BadRequestError) and not isinstance(err, ContentPolicyViolationError)


def _az_stream(events: List[Dict[str, Any]]) -> List[Any]:
    state = AZ.new_stream_state(ChatRequest(model="gpt-4o", messages=USER_2, stream=True), azcfg())
    out: List[Any] = []
    for data in events:
        out.extend(AZ.parse_event(StreamEvent(data=json.dumps(data)), state))
    return out


def test_azure_filter_chunks_with_usage_or_real_content_are_kept() -> None:
    usage_chunk = {"id": "c", "created": 1, "choices": [], "prompt_filter_results": [],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    chunks = _az_stream([usage_chunk])
    assert len(chunks) == 1 and chunks[0].usage.total_tokens == 2
    # a choice with content but no filter annotation is a real chunk
    plain = {"id": "c", "created": 1, "choices": [{"index": 0, "delta": {"content": "hi"}}],
             "prompt_filter_results": []}
    assert _az_stream([plain])[0].choices[0].delta.content == "hi"


def test_azure_filter_chunk_with_non_list_choices_is_parsed_without_crashing() -> None:
    # choices of the wrong type: not an annotation-only chunk, so the OpenAI parser sees it and
    # finds no choice objects in it (no TypeError escapes)
    assert _az_stream([{"id": "c", "created": 1, "choices": {"0": {}}, "prompt_filter_results": []}]) == []
