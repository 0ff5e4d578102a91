"""Azure OpenAI adapter: deployment URLs, api-key / Entra ID auth, content filtering, end to end."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

import litellm_lite
from litellm_lite._sse import SSEDecoder
from litellm_lite.auth import resolve_and_fetch  # noqa: F401
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    NotFoundError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.azure import (
    AzureAdapter,
    azure_auth_headers,
    azure_url,
    is_content_filter_error,
    resolve_azure_credentials,
)
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from tests.server import LoopbackServer, Reply

ADAPTER = AzureAdapter()
SPEC = PROVIDERS["azure"]


def _config(**kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider="azure", model="my-gpt4o", spec=SPEC, api_key="azure-key-123456",
                                api_base="https://res.openai.azure.com", api_version="2024-10-21")
    base.update(kw)
    return CallConfig(**base)


# ---------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize("base", [
    "https://res.openai.azure.com", "https://res.openai.azure.com/", "https://res.openai.azure.com/openai",
    "https://res.openai.azure.com/openai/deployments/other/chat/completions?api-version=2023-05-15",
])
def test_deployment_url_from_any_pasted_base(base: str) -> None:
    assert azure_url(base, "my-gpt4o", "/chat/completions", "2024-10-21") == (
        "https://res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
    )


def test_url_quotes_deployment_and_supports_v1_routes() -> None:
    assert azure_url("https://r.test", "a b", "/embeddings", "2024-02-01") == (
        "https://r.test/openai/deployments/a%20b/embeddings?api-version=2024-02-01"
    )
    assert azure_url("https://r.test", "d", "/chat/completions", "v1") == "https://r.test/openai/v1/chat/completions"
    assert azure_url("https://r.test", "d", "/chat/completions", "preview") == (
        "https://r.test/openai/v1/chat/completions?api-version=preview"
    )


def test_prepare_chat_url_headers_and_body() -> None:
    req = ChatRequest(model="my-gpt4o", messages=[{"role": "user", "content": "hi"}], params={"temperature": 0.3},
                      stream=True)
    wire = ADAPTER.prepare(req, _config(extra_headers={"x-ms-client-request-id": "abc"}))
    assert wire.url == "https://res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
    assert wire.headers["api-key"] == "azure-key-123456"
    assert "Authorization" not in wire.headers
    assert wire.headers["x-ms-client-request-id"] == "abc"
    body = json.loads(wire.body)
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["temperature"] == 0.3
    assert body["stream"] is True


def test_reasoning_deployment_gets_openai_reasoning_rules() -> None:
    req = ChatRequest(model="o3-mini", messages=[{"role": "user", "content": "hi"}], params={"max_tokens": 100})
    body = json.loads(ADAPTER.prepare(req, _config(model="o3-mini")).body)
    assert body["max_completion_tokens"] == 100 and "max_tokens" not in body
    assert "temperature" in ADAPTER.unsupported_chat_params("o3-mini", PROVIDERS["azure"])
    with pytest.raises(UnsupportedParamsError, match="temperature"):
        litellm_lite.completion("azure/o3-mini", [{"role": "user", "content": "x"}], temperature=0.2,
                                api_base="http://127.0.0.1:9", api_key="k", api_version="2024-10-21")


def test_prepare_embedding_url() -> None:
    wire = ADAPTER.prepare_embedding(EmbeddingRequest(model="emb-deploy", input=["a"]), _config())
    assert wire.url == "https://res.openai.azure.com/openai/deployments/emb-deploy/embeddings?api-version=2024-10-21"
    assert wire.headers["api-key"] == "azure-key-123456"
    assert json.loads(wire.body)["input"] == ["a"]


# ---------------------------------------------------------------------------------------------
# Credentials


def test_ad_token_header_wins_over_key() -> None:
    cfg = _config(credentials={"azure_ad_token": "eyJ.token.value"})
    assert azure_auth_headers(cfg) == {"Authorization": "Bearer eyJ.token.value"}
    assert azure_auth_headers(_config()) == {"api-key": "azure-key-123456"}
    assert azure_auth_headers(_config(api_key=None)) == {}


def test_resolver_pops_token_kwarg() -> None:
    cfg = _config(api_key=None)
    kwargs: Dict[str, Any] = {"azure_ad_token": "tok-abcdef", "api_type": "azure", "other": 1}
    resolve_azure_credentials(cfg, kwargs, {})
    assert cfg.credentials == {"azure_ad_token": "tok-abcdef"}
    assert kwargs == {"other": 1}
    assert "tok-abcdef" not in repr(cfg)


def test_resolver_reads_env_and_token_provider() -> None:
    cfg = _config(api_key=None)
    resolve_azure_credentials(cfg, {}, {"AZURE_AD_TOKEN": "env-token-1"})
    assert cfg.credentials == {"azure_ad_token": "env-token-1"}
    cfg = _config(api_key=None)
    resolve_azure_credentials(cfg, {"azure_ad_token_provider": lambda: "from-provider"}, {})
    assert cfg.credentials == {"azure_ad_token": "from-provider"}


def test_resolver_without_any_credential_names_the_variables() -> None:
    with pytest.raises(AuthenticationError) as info:
        resolve_azure_credentials(_config(api_key=None), {}, {})
    assert "AZURE_API_KEY" in str(info.value) and "AZURE_AD_TOKEN" in str(info.value)
    cfg = _config()
    resolve_azure_credentials(cfg, {}, {})  # a key alone is fine
    assert cfg.credentials is None


def test_resolve_config_uses_azure_resolver_and_env() -> None:
    env = {"AZURE_API_BASE": "https://env.openai.azure.com", "AZURE_AD_TOKEN": "env-token-2", "AZURE_API_VERSION": "2025-01-01"}
    kwargs: Dict[str, Any] = {}
    cfg = resolve_and_fetch(SPEC, "dep", kwargs, env)
    assert cfg.api_base == "https://env.openai.azure.com"
    assert cfg.api_version == "2025-01-01"
    assert cfg.credentials == {"azure_ad_token": "env-token-2"}
    assert cfg.api_key is None


# ---------------------------------------------------------------------------------------------
# Content filtering and errors

FILTER_400 = {"error": {
    "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    "type": None, "param": "prompt", "code": "content_filter", "status": 400,
    "innererror": {"code": "ResponsibleAIPolicyViolation",
                   "content_filter_result": {"hate": {"filtered": True, "severity": "high"}}},
}}


def test_content_filter_400_is_content_policy_violation() -> None:
    err = ADAPTER.parse_error(WireResponse(400, {}, json.dumps(FILTER_400).encode()), _config())
    assert isinstance(err, ContentPolicyViolationError)
    assert err.status_code == 400
    assert "content management policy" in err.message


def test_inner_error_code_alone_is_enough() -> None:
    body = {"error": {"message": "blocked", "code": "400", "innererror": {"code": "ResponsibleAIPolicyViolation"}}}
    assert is_content_filter_error(body)
    err = ADAPTER.parse_error(WireResponse(400, {}, json.dumps(body).encode()), _config())
    assert isinstance(err, ContentPolicyViolationError)
    assert not is_content_filter_error({"error": "x"}) and not is_content_filter_error([1])


@pytest.mark.parametrize("status,body,cls", [
    (400, {"error": {"message": "This model's maximum context length is 8192 tokens", "code": "context_length_exceeded"}},
     ContextWindowExceededError),
    (400, {"error": {"message": "bad param", "code": "invalid_request"}}, BadRequestError),
    (404, {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist."}},
     NotFoundError),
    (401, {"error": {"code": "401", "message": "Access denied due to invalid subscription key."}}, AuthenticationError),
])
def test_other_errors(status: int, body: Dict[str, Any], cls: type) -> None:
    err = ADAPTER.parse_error(WireResponse(status, {}, json.dumps(body).encode()), _config())
    assert type(err) is cls
    assert err.status_code == status


def test_finish_reason_content_filter_passes() -> None:
    payload = {"id": "x", "object": "chat.completion", "created": 1, "model": "gpt-4o",
               "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}],
               "choices": [{"index": 0, "finish_reason": "content_filter", "message": {"role": "assistant", "content": None},
                            "content_filter_results": {"violence": {"filtered": True, "severity": "medium"}}}],
               "usage": {"prompt_tokens": 5, "completion_tokens": 0, "total_tokens": 5}}
    resp = ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                         ChatRequest(model="my-gpt4o", messages=[]), _config())
    assert resp.choices[0].finish_reason == "content_filter"
    assert resp.choices[0].message.content is None
    assert resp.usage is not None and resp.usage.prompt_tokens == 5


# ---------------------------------------------------------------------------------------------
# Streams

PROMPT_FILTER_CHUNK = {"choices": [], "created": 0, "id": "", "model": "", "object": "",
                       "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {
                           "hate": {"filtered": False, "severity": "safe"}}}]}


def _chunk(content: Optional[str] = None, finish: Optional[str] = None, role: Optional[str] = None) -> Dict[str, Any]:
    delta: Dict[str, Any] = {}
    if role:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    return {"id": "chatcmpl-az1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o-2024-08-06",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish,
                         "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}}}]}


STREAM_EVENTS = [PROMPT_FILTER_CHUNK, _chunk("", role="assistant"), _chunk("Hel"), _chunk("lo"), _chunk(None, "stop")]


def _sse_bytes(events: List[Dict[str, Any]]) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"


def test_stream_skips_prompt_filter_chunk_and_keeps_real_id() -> None:
    raw = _sse_bytes(STREAM_EVENTS)
    dec = SSEDecoder()
    events = []
    for i in range(0, len(raw), 3):
        events.extend(dec.feed(raw[i:i + 3]))
    events.extend(dec.flush())
    state = ADAPTER.new_stream_state(ChatRequest(model="my-gpt4o", messages=[], stream=True), _config())
    chunks = []
    for ev in events:
        chunks.extend(ADAPTER.parse_event(ev, state))
    chunks.extend(ADAPTER.finish_stream(state))
    assert len(chunks) == 4
    assert all(ch.choices for ch in chunks)
    assert {ch.id for ch in chunks} == {"chatcmpl-az1"}
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == "Hello"
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_async_filter_annotation_chunks_are_skipped() -> None:
    state = ADAPTER.new_stream_state(ChatRequest(model="d", messages=[], stream=True), _config())
    annotation = {"id": "chatcmpl-az1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
                  "choices": [{"index": 0, "delta": {}, "finish_reason": None,
                               "content_filter_offsets": {"check_offset": 0, "start_offset": 0, "end_offset": 5},
                               "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}}}]}
    assert ADAPTER.parse_event(StreamEvent(data=json.dumps(annotation)), state) == []
    # the same chunk with text, or with a finish_reason, is a real chunk
    with_text = json.loads(json.dumps(annotation))
    with_text["choices"][0]["delta"] = {"content": "hi"}
    assert ADAPTER.parse_event(StreamEvent(data=json.dumps(with_text)), state)[0].choices[0].delta.content == "hi"
    finished = json.loads(json.dumps(annotation))
    finished["choices"][0]["finish_reason"] = "content_filter"
    out = ADAPTER.parse_event(StreamEvent(data=json.dumps(finished)), state)
    assert out[0].choices[0].finish_reason == "content_filter"
    # an ordinary OpenAI chunk with an empty delta is left alone
    plain = {"id": "x", "created": 1, "choices": [{"index": 0, "delta": {}, "finish_reason": None}]}
    assert len(ADAPTER.parse_event(StreamEvent(data=json.dumps(plain)), state)) == 1


def test_stream_cut_raises() -> None:
    state = ADAPTER.new_stream_state(ChatRequest(model="d", messages=[], stream=True), _config())
    dec = SSEDecoder()
    for ev in dec.feed(_sse_bytes([PROMPT_FILTER_CHUNK, _chunk("x")])[:-len(b"data: [DONE]\n\n")]) + dec.flush():
        ADAPTER.parse_event(ev, state)
    with pytest.raises(APIConnectionError):
        ADAPTER.finish_stream(state)


# ---------------------------------------------------------------------------------------------
# End to end over loopback




def test_e2e_completion_with_api_key(server: LoopbackServer) -> None:
    payload = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
               "prompt_filter_results": [], "choices": [{"index": 0, "finish_reason": "stop",
                                                          "message": {"role": "assistant", "content": "hi there"}}],
               "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
    server.add(Reply.json(payload))
    resp = litellm_lite.completion(model="azure/my-deploy", messages=[{"role": "user", "content": "hi"}],
                                   api_base=server.url, api_key="azure-key-abcdef", api_version="2024-06-01")
    assert resp.choices[0].message.content == "hi there"
    assert resp.usage.total_tokens == 5
    rec = server.requests[0]
    assert rec.path == "/openai/deployments/my-deploy/chat/completions"
    assert rec.query == "api-version=2024-06-01"
    assert rec.headers["api-key"] == "azure-key-abcdef"
    assert "authorization" not in rec.headers


def test_e2e_ad_token_from_env_and_byte_split_stream(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_AD_TOKEN", "entra-token-xyz")
    raw = _sse_bytes(STREAM_EVENTS)
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=[raw[i:i + 5] for i in range(0, len(raw), 5)],
                     chunked=True))
    stream = litellm_lite.completion(model="azure/dep", messages=[{"role": "user", "content": "hi"}],
                                     api_base=server.url, stream=True)
    chunks = list(stream)
    assert all(ch.choices for ch in chunks)
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == "Hello"
    built = litellm_lite.stream_chunk_builder(chunks)
    assert built.choices[0].message.content == "Hello"
    rec = server.requests[0]
    assert rec.headers["authorization"] == "Bearer entra-token-xyz"
    assert "api-key" not in rec.headers
    assert rec.query == "api-version=2024-10-21"


def test_e2e_content_filter_error(server: LoopbackServer) -> None:
    server.add(Reply.json(FILTER_400, status=400))
    with pytest.raises(ContentPolicyViolationError) as info:
        litellm_lite.completion(model="azure/dep", messages=[{"role": "user", "content": "bad"}],
                                api_base=server.url, api_key="azure-key-abcdef", num_retries=0)
    assert info.value.status_code == 400
    assert len(server.requests) == 1


def test_e2e_missing_credentials() -> None:
    with pytest.raises(AuthenticationError) as info:
        litellm_lite.completion(model="azure/dep", messages=[{"role": "user", "content": "x"}],
                                api_base="http://127.0.0.1:9")
    assert "AZURE_API_KEY" in str(info.value)


def test_e2e_embedding(server: LoopbackServer) -> None:
    server.add(Reply.json({"object": "list", "model": "text-embedding-3-small",
                           "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -0.5]}],
                           "usage": {"prompt_tokens": 2, "total_tokens": 2}}))
    resp = litellm_lite.embedding(model="azure/emb", input="hello", api_base=server.url, api_key="azure-key-abcdef")
    assert resp.data[0].embedding == [0.5, -0.5]
    assert server.requests[0].path == "/openai/deployments/emb/embeddings"
    assert server.requests[0].query == "api-version=2024-10-21"
