"""IBM watsonx.ai adapter and IAM token exchange, over loopback servers (streams byte by byte)."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs

import pytest

import litellm_lite as litellm
from litellm_lite import _http
from litellm_lite._sse import SSEDecoder
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.providers.base import ChatRequest, ProviderSpec, WireResponse
from litellm_lite.providers.ibm_auth import GRANT_TYPE, clear_iam_cache, exchange_iam_token
from litellm_lite.providers.watsonx import WatsonxAdapter
from tests.server import LoopbackServer, Reply

ADAPTER = WatsonxAdapter()
SPEC = ProviderSpec(name="watsonx", adapter="watsonx", api_key_env=("WATSONX_APIKEY",),
                    api_base_env=("WATSONX_URL",))
MODEL = "ibm/granite-3-8b-instruct"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    clear_iam_cache()
    yield
    clear_iam_cache()


@pytest.fixture
def iam() -> Any:
    with LoopbackServer() as srv:
        yield srv


def _config(base: str, iam_url: Optional[str] = None, **options: Any) -> CallConfig:
    opts: Dict[str, Any] = {"project_id": "proj-1"}
    if iam_url:
        opts["iam_url"] = iam_url
    opts.update(options)
    return CallConfig(provider="watsonx", model=MODEL, spec=SPEC, api_key="ibm-cloud-key-123", api_base=base,
                      options=opts, timeout=10)


def _token_reply(token: str = "iam-token-abc", expires_in: int = 3600) -> Reply:
    return Reply.json({"access_token": token, "refresh_token": "not_supported", "token_type": "Bearer",
                       "expires_in": expires_in, "expiration": 1900000000, "scope": "ibm openid"})


CHAT = {
    "id": "chat-1", "model_id": MODEL, "created": 1731000000, "model_version": "3.0.0",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
}


def _send(wire: Any, timeout: float = 10) -> WireResponse:
    with _http.send(wire, timeout=timeout, provider="watsonx") as resp:
        return WireResponse(resp.status, resp.headers, resp.read())


def test_chat_with_iam_exchange(server: LoopbackServer, iam: LoopbackServer) -> None:
    iam.add(_token_reply())
    server.add(Reply.json(CHAT))
    # Through the road: the exchange is the ibm_iam credential resolver's, in the send step.
    got = litellm.completion(model="watsonx/" + MODEL, messages=[{"role": "user", "content": "hi"}],
                             max_completion_tokens=20, temperature=0.2, api_base=server.url,
                             api_key="ibm-cloud-key-123", project_id="proj-1", iam_url=iam.url + "/identity/token",
                             num_retries=0)
    seen = server.requests[0]
    assert seen.path == "/ml/v1/text/chat" and parse_qs(seen.query) == {"version": ["2024-03-13"]}
    assert seen.headers["authorization"] == "Bearer iam-token-abc"
    body = seen.json()
    assert body == {"messages": [{"role": "user", "content": "hi"}], "model_id": MODEL, "project_id": "proj-1",
                    "max_tokens": 20, "temperature": 0.2}
    token_call = iam.requests[0]
    assert token_call.path == "/identity/token"
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_call.body.decode()) == {"grant_type": [GRANT_TYPE], "apikey": ["ibm-cloud-key-123"]}
    assert got.choices[0].message.content == "Hello!" and got.choices[0].finish_reason == "stop"
    assert got.usage is not None and got.usage.total_tokens == 15
    assert got.model == MODEL and got.id == "chat-1"


def test_call_timeout_bounds_the_iam_exchange(server: LoopbackServer, iam: LoopbackServer) -> None:
    import time

    stalled = _token_reply()
    stalled.delay_before = 5.0  # the IAM endpoint stalls before answering
    iam.add(stalled)
    started = time.monotonic()
    with pytest.raises(litellm.Timeout):
        litellm.completion(model="watsonx/" + MODEL, messages=[{"role": "user", "content": "hi"}], api_base=server.url,
                           api_key="ibm-cloud-key-123", project_id="proj-1", iam_url=iam.url + "/identity/token",
                           call_timeout=0.5, num_retries=0)
    assert time.monotonic() - started < 2.5  # the call's deadline, not the exchange's own 60 s timeout
    assert server.requests == []


def test_token_is_cached_then_refreshed(iam: LoopbackServer) -> None:
    now = [1000.0]
    iam.add(_token_reply("t1", 3600), _token_reply("t2", 3600))
    url = iam.url + "/identity/token"
    assert exchange_iam_token("key-aaaaaa", url, 5, clock=lambda: now[0]) == "t1"
    now[0] += 3000  # 600 s left: still served from the cache
    assert exchange_iam_token("key-aaaaaa", url, 5, clock=lambda: now[0]) == "t1"
    now[0] += 400  # 200 s left: inside the refresh margin
    assert exchange_iam_token("key-aaaaaa", url, 5, clock=lambda: now[0]) == "t2"
    assert len(iam.requests) == 2


def test_concurrent_callers_share_one_exchange(iam: LoopbackServer) -> None:
    iam.add(Reply(status=200, headers={"content-type": "application/json"},
                  body=json.dumps({"access_token": "shared", "expires_in": 3600}).encode(), delay_before=0.2))
    results: List[str] = []
    url = iam.url + "/identity/token"
    threads = [threading.Thread(target=lambda: results.append(exchange_iam_token("key-bbbbbb", url, 5)))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["shared"] * 6 and len(iam.requests) == 1


def test_iam_rejects_bad_key(iam: LoopbackServer) -> None:
    iam.add(Reply.json({"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."},
                       status=400))
    with pytest.raises(AuthenticationError) as info:
        exchange_iam_token("wrong-key-000", iam.url + "/identity/token", 5)
    assert "could not be found" in str(info.value) and "wrong-key-000" not in str(info.value)


@pytest.mark.parametrize("reply", [Reply(status=200, body=b"<html>"), Reply.json({"token": "x"}),
                                   Reply.json({"access_token": ""})])
def test_iam_hostile_answers(iam: LoopbackServer, reply: Reply) -> None:
    iam.add(reply)
    with pytest.raises(APIConnectionError):
        exchange_iam_token("key-cccccc", iam.url + "/identity/token", 5)


def test_iam_server_error_maps(iam: LoopbackServer) -> None:
    iam.add(Reply.json({"errorMessage": "slow down"}, status=429))
    with pytest.raises(RateLimitError):
        exchange_iam_token("key-dddddd", iam.url, 5)


def test_missing_key_and_bad_timeout() -> None:
    with pytest.raises(AuthenticationError, match="WATSONX_APIKEY"):
        exchange_iam_token("", None, 5)
    with pytest.raises(BadRequestError):
        exchange_iam_token("key-eeeeee", None, 0)


def test_given_token_skips_exchange(server: LoopbackServer) -> None:
    config = _config(server.url, token="zen-token")
    wire = ADAPTER.sign(ADAPTER.prepare(ChatRequest(model=MODEL, messages=[{"role": "user", "content": "x"}]),
                                        config), config)
    assert wire.headers["authorization"] == "Bearer zen-token"
    none = CallConfig(provider="watsonx", model=MODEL, spec=SPEC, api_base=server.url, options={"project_id": "p"})
    with pytest.raises(AuthenticationError):
        ADAPTER.sign(wire, none)


def _stream_events(body: bytes, split: int) -> List[Any]:
    decoder = SSEDecoder()
    events = []
    for i in range(0, len(body), split):
        events.extend(decoder.feed(body[i:i + split]))
    events.extend(decoder.flush())
    return events


STREAM = [
    {"id": "c-1", "model_id": MODEL, "created": 1731000000,
     "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]},
    {"id": "c-1", "model_id": MODEL, "created": 1731000000,
     "choices": [{"index": 0, "delta": {"content": "Héllo"}, "finish_reason": None}]},
    {"id": "c-1", "model_id": MODEL, "created": 1731000000,
     "choices": [{"index": 0, "delta": {"content": " wörld"}, "finish_reason": None}]},
    {"id": "c-1", "model_id": MODEL, "created": 1731000000,
     "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
     "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}},
]


def _sse_bytes(events: List[Dict[str, Any]]) -> bytes:
    return b"".join(b"id: %d\nevent: message\ndata: " % (i + 1) + json.dumps(e, ensure_ascii=False).encode()
                    + b"\n\n" for i, e in enumerate(events))


@pytest.mark.parametrize("split", [1, 7, 4096])
def test_stream_byte_by_byte(server: LoopbackServer, split: int) -> None:
    server.add(Reply(chunks=[_sse_bytes(STREAM)], headers={"content-type": "text/event-stream"}, chunked=True))
    config = _config(server.url, token="t")
    request = ChatRequest(model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True)
    wire = ADAPTER.sign(ADAPTER.prepare(request, config), config)
    assert wire.headers["accept"] == "text/event-stream"
    raw = _send(wire).body
    assert server.requests[0].path == "/ml/v1/text/chat_stream"
    state = ADAPTER.new_stream_state(request, config)
    chunks = []
    for event in _stream_events(raw, split):
        chunks.extend(ADAPTER.parse_event(event, state))
    chunks.extend(ADAPTER.finish_stream(state))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Héllo wörld"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert state.usage is not None and state.usage.total_tokens == 7


def test_stream_cut_before_finish(server: LoopbackServer) -> None:
    config = _config(server.url, token="t")
    request = ChatRequest(model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True)
    state = ADAPTER.new_stream_state(request, config)
    for event in _stream_events(_sse_bytes(STREAM[:2]), 3):
        ADAPTER.parse_event(event, state)
    with pytest.raises(APIConnectionError, match="finish_reason"):
        ADAPTER.finish_stream(state)


def test_stream_error_event() -> None:
    config = _config("http://x", token="t")
    state = ADAPTER.new_stream_state(ChatRequest(model=MODEL, messages=[], stream=True), config)
    body = b'event: error\ndata: {"errors": [{"code": "rate_limit", "message": "too many"}], "status_code": 429}\n\n'
    with pytest.raises(RateLimitError, match="too many"):
        for event in _stream_events(body, 5):
            ADAPTER.parse_event(event, state)


def test_error_body_maps_to_class(server: LoopbackServer) -> None:
    server.add(Reply.json({"errors": [{"code": "model_not_supported", "message": "Model 'x' is not supported"}],
                           "trace": "abc", "status_code": 404}, status=404))
    config = _config(server.url, token="t")
    request = ChatRequest(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    response = _send(ADAPTER.sign(ADAPTER.prepare(request, config), config))
    err = ADAPTER.parse_error(response, config)
    assert isinstance(err, NotFoundError) and "is not supported" in str(err) and err.code == "model_not_supported"
    plain = ADAPTER.parse_error(WireResponse(500, {}, b"oops"), config)
    assert "oops" in str(plain)


def test_deployment_space_version_and_rejections(server: LoopbackServer) -> None:
    config = _config(server.url, token="t", api_version="2025-01-01")
    request = ChatRequest(model="deployment/dep 1", messages=[{"role": "user", "content": "x"}],
                          params={"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]})
    wire = ADAPTER.prepare(request, config)
    assert wire.url == server.url + "/ml/v1/deployments/dep%201/text/chat?version=2025-01-01"
    body = json.loads(wire.body)
    assert "model_id" not in body and "project_id" not in body and body["tools"][0]["function"]["name"] == "f"
    space = CallConfig(provider="watsonx", model=MODEL, spec=SPEC, api_base=server.url, options={"space_id": "s-9"})
    assert json.loads(ADAPTER.prepare(ChatRequest(model=MODEL, messages=[]), space).body)["space_id"] == "s-9"
    with pytest.raises(BadRequestError, match="WATSONX_PROJECT_ID"):
        ADAPTER.prepare(ChatRequest(model=MODEL, messages=[]),
                        CallConfig(provider="watsonx", model=MODEL, spec=SPEC, api_base=server.url))
    with pytest.raises(BadRequestError, match="WATSONX_URL"):
        ADAPTER.prepare(ChatRequest(model=MODEL, messages=[]), _config(""))
    with pytest.raises(UnsupportedParamsError):
        ADAPTER.prepare(ChatRequest(model=MODEL, messages=[], params={"audio": {}}), config)
    dropped = CallConfig(provider="watsonx", model=MODEL, spec=SPEC, api_base=server.url,
                         options={"project_id": "p"}, drop_params=True)
    assert "audio" not in json.loads(ADAPTER.prepare(ChatRequest(model=MODEL, messages=[], params={"audio": {}}),
                                                     dropped).body)


@pytest.mark.parametrize("body", [b"[]", b'{"choices": 3}', b"nope"])
def test_hostile_chat_bodies(body: bytes) -> None:
    config = _config("http://x", token="t")
    with pytest.raises(APIConnectionError):
        ADAPTER.parse(WireResponse(200, {}, body), ChatRequest(model=MODEL, messages=[]), config)


def test_road_env_variables_token_and_stream(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """WATSONX_URL / WATSONX_TOKEN / WATSONX_PROJECT_ID / WATSONX_API_VERSION resolve; the stream is read."""
    monkeypatch.setenv("WATSONX_URL", server.url)
    monkeypatch.setenv("WATSONX_TOKEN", "env-token")
    monkeypatch.setenv("WATSONX_PROJECT_ID", "env-proj")
    monkeypatch.setenv("WATSONX_API_VERSION", "2025-02-02")
    chunk = {"id": "c", "model_id": MODEL, "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]}
    end = {"id": "c", "model_id": MODEL, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    body = ("id: 1\nevent: message\ndata: %s\n\nid: 2\nevent: message\ndata: %s\n\n" % (json.dumps(chunk), json.dumps(end)))
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=[bytes([b]) for b in body.encode()]))
    stream = litellm.completion(model="watsonx/" + MODEL, messages=[{"role": "user", "content": "hi"}], stream=True,
                                num_retries=0)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "Hi"
    seen = server.requests[0]
    assert seen.path == "/ml/v1/text/chat_stream" and parse_qs(seen.query) == {"version": ["2025-02-02"]}
    assert seen.headers["authorization"] == "Bearer env-token"
    assert seen.json()["project_id"] == "env-proj"
    assert "token" not in seen.json()


def test_road_maps_errors_and_failed_exchange(server: LoopbackServer, iam: LoopbackServer) -> None:
    server.add(Reply.json({"errors": [{"code": "model_not_supported", "message": "no such model"}],
                           "trace": "t", "status_code": 404}, status=404))
    with pytest.raises(NotFoundError, match="no such model"):
        litellm.completion(model="watsonx/" + MODEL, messages=[{"role": "user", "content": "hi"}], token="t",
                           api_base=server.url, project_id="p", num_retries=0)
    iam.add(Reply.json({"errorMessage": "Provided API key could not be found"}, status=400))
    with pytest.raises(AuthenticationError, match="could not be found"):
        litellm.completion(model="watsonx/" + MODEL, messages=[{"role": "user", "content": "hi"}], api_key="bad-key-1",
                           api_base=server.url, project_id="p", iam_url=iam.url, num_retries=0)
    assert len(server.requests) == 1  # the failed exchange sent no chat request
