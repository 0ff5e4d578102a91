"""The one road: keys stay with their provider, streams end at their marker, bad values are refused
before sending, credential I/O happens per attempt, and a provider is one row."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite import _call
from litellm_lite.config import resolve_config
from litellm_lite.exceptions import APIError, AuthenticationError, BadRequestError
from litellm_lite.providers import PROVIDERS, register_provider, unregister_provider
from litellm_lite.providers.base import ProviderSpec, Quirk, openai_endpoints
from litellm_lite.router import Router
from tests.server import RETRY_NOW, LoopbackServer, Reply, chunk, head

MESSAGES = [{"role": "user", "content": "hi"}]
CHAT = {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
ANTHROPIC = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
             "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
             "usage": {"input_tokens": 1, "output_tokens": 1}}


@pytest.fixture
def second() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


# -- keys stay with their provider --------------------------------------------------------------


def test_fallback_to_another_provider_never_gets_the_first_key(
    server: LoopbackServer, second: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "anthropic-env-key")
    monkeypatch.setenv("ANTHROPIC_API_BASE", second.url)
    server.add(Reply.json({"error": {"message": "down"}}, status=503))
    second.add(Reply.json(ANTHROPIC))
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_key="sk-openai-secret", api_base=server.url,
                           num_retries=0, fallbacks=["anthropic/claude-3-5-haiku-latest"])
    assert r.choices[0].message.content == "ok"
    sent = second.requests[-1]
    assert sent.headers["x-api-key"] == "anthropic-env-key"
    assert "sk-openai-secret" not in repr(sent.headers) + sent.body.decode()


def test_same_provider_fallback_inherits_the_key(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "down"}}, status=503), Reply.json(CHAT))
    litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_key="sk-openai-secret", api_base=server.url,
                       num_retries=0, fallbacks=["openai/gpt-4o-mini"])
    assert server.requests[-1].headers["authorization"] == "Bearer sk-openai-secret"
    assert server.requests[-1].json()["model"] == "gpt-4o-mini"


def test_provider_variable_wins_over_module_level_key(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm, "api_key", "module-generic-key", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "openai-own-key")
    server.add(Reply.json(CHAT), Reply.json(CHAT))
    litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url)
    assert server.requests[-1].headers["authorization"] == "Bearer openai-own-key"
    monkeypatch.delenv("OPENAI_API_KEY")
    litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url)
    assert server.requests[-1].headers["authorization"] == "Bearer module-generic-key"


def test_router_deployments_keep_their_own_keys(server: LoopbackServer, second: LoopbackServer) -> None:
    router = Router(model_list=[
        {"model_name": "a", "litellm_params": {"model": "openai/m", "api_base": server.url, "api_key": "key-a"}},
        {"model_name": "b", "litellm_params": {"model": "anthropic/claude", "api_base": second.url, "api_key": "key-b"}},
    ])
    server.add(Reply.json(CHAT))
    second.add(Reply.json(ANTHROPIC))
    router.completion(model="a", messages=MESSAGES, api_key="caller-key", api_base="http://127.0.0.1:9")
    router.completion(model="b", messages=MESSAGES, api_key="caller-key")
    assert server.requests[-1].headers["authorization"] == "Bearer key-a"
    assert second.requests[-1].headers["x-api-key"] == "key-b"


# -- streams end when the provider says so --------------------------------------------------------


def _sse_head() -> bytes:
    return head(200, {"Content-Type": "text/event-stream"}, chunked=True)


def test_stream_ends_at_done_even_if_the_server_keeps_the_body_open() -> None:
    event = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}]}
    payload = _sse_head() + chunk(b"data: " + json.dumps(event).encode() + b"\n\n") + chunk(b"data: [DONE]\n\n")
    with LoopbackServer(lambda req: [payload, "hang"]) as srv:  # the body is never closed
        start = time.monotonic()
        stream = litellm.completion(model="openai/m", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True,
                                    timeout=20)
        assert [c.choices[0].delta.content for c in stream] == ["hi"]
        assert time.monotonic() - start < 10


def test_text_completion_stream_ends_at_done_too() -> None:
    event = {"id": "t", "object": "text_completion", "created": 1, "model": "m",
             "choices": [{"index": 0, "text": "yo", "finish_reason": None}]}
    payload = _sse_head() + chunk(b"data: " + json.dumps(event).encode() + b"\n\n") + chunk(b"data: [DONE]\n\n")
    with LoopbackServer(lambda req: [payload, "hang"]) as srv:  # the body is never closed
        start = time.monotonic()
        stream = litellm.text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="x", api_base=srv.url,
                                         api_key="k", stream=True, timeout=20)
        assert [c.choices[0].text for c in stream] == ["yo"]
        assert stream.get_final_response().choices[0].text == "yo"
        assert time.monotonic() - start < 10


@pytest.mark.parametrize("data", ['{"message": "overloaded"}', '"just text"', "not json at all", "",
                                  '{"error": {"message": "boom", "code": 500}}', "[1, 2]"])
def test_event_error_raises_whatever_its_payload(server: LoopbackServer, data: str) -> None:
    body = b"event: error\ndata: " + data.encode() + b"\n\n"
    server.add(Reply(headers={"content-type": "text/event-stream"}, body=body))
    stream = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k", stream=True)
    with pytest.raises(APIError):
        list(stream)


# -- bad values never escape as bare Python errors, nothing is sent --------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": math.inf},
        {"timeout": True},
        {"timeout": math.nan},
        {"timeout": -1},
        {"reasoning_effort": {"effort": "high"}},
        {"temperature": math.nan},
        {"top_k": math.inf},
        {"extra_body": {"x": b"bytes"}},
        {"extra_body": {"x": {1, 2}}},
        {"extra_body": {1: "non-str key"}},
        {"messages": [{"role": "user", "content": "lone \ud800 surrogate"}]},
    ],
)
def test_bad_values_are_refused_before_sending(server: LoopbackServer, kwargs: Dict[str, Any]) -> None:
    call: Dict[str, Any] = {"model": "openai/m", "messages": MESSAGES, "api_base": server.url, "api_key": "k"}
    call.update(kwargs)
    with pytest.raises(BadRequestError):
        litellm.completion(**call)
    assert server.requests == []


def test_non_string_model_and_absurd_nesting(server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError):
        litellm.completion(model=123, messages=MESSAGES, api_base=server.url, api_key="k")  # type: ignore[arg-type]
    deep: List[Any] = []
    node = deep
    for _ in range(500):
        node.append([])
        node = node[0]
    with pytest.raises(BadRequestError, match="nesting"):
        litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k", extra_body={"d": deep})
    assert server.requests == []


# -- credential I/O happens in the send step ---------------------------------------------------------


def test_config_resolution_does_no_credential_io(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-file.json")
    config = resolve_config(PROVIDERS["vertex_ai"], "gemini-2.5-flash", {"vertex_credentials": missing}, environ={})
    assert config.credentials is None and config.credential_kwargs == {"vertex_credentials": missing}
    assert "no-such-file" not in repr(config)
    config = resolve_config(PROVIDERS["bedrock"], "m", {"aws_profile_name": "nobody"},
                            environ={"AWS_SHARED_CREDENTIALS_FILE": missing})
    assert config.credentials is None


def test_token_provider_runs_per_attempt_inside_retries(server: LoopbackServer) -> None:
    calls: List[int] = []
    attempts: List[int] = []

    def token_provider() -> str:
        calls.append(1)
        return "entra-token-%d" % len(calls)

    server.add(Reply.json({"error": {"message": "busy"}}, status=503, headers=RETRY_NOW), Reply.json(CHAT))
    hooks = [lambda p, n, wire: attempts.append(n)]
    original = list(_call.PER_ATTEMPT)
    _call.PER_ATTEMPT[:] = hooks
    try:
        litellm.completion(model="azure/dep", messages=MESSAGES, api_base=server.url, api_version="2024-10-21",
                           azure_ad_token_provider=token_provider, num_retries=1)
    finally:
        _call.PER_ATTEMPT[:] = original
    assert len(calls) == 2 and attempts == [0, 1]
    assert server.requests[-1].headers["authorization"] == "Bearer entra-token-2"


def test_missing_cloud_credentials_still_fail_before_sending(server: LoopbackServer) -> None:
    with pytest.raises(AuthenticationError):
        litellm.completion(model="bedrock/m", messages=MESSAGES, api_base=server.url, aws_region_name="us-east-1",
                           num_retries=3)
    assert server.requests == []


# -- one row per provider ------------------------------------------------------------------------------


def test_a_made_up_vendor_is_one_row(server: LoopbackServer) -> None:
    from litellm_lite.cli import main as cli_main

    register_provider(ProviderSpec(
        name="acme_llm", api_base=server.url + "/v1", api_key_env=("ACME_LLM_API_KEY",), aliases=("acme",),
        endpoints=openai_endpoints("chat", "moderation"),
    ))
    try:
        assert litellm.get_llm_provider("acme/m1")[:2] == ("m1", "acme_llm")
        server.add(Reply.json(CHAT), Reply.json({"id": "mod", "model": "m1", "results": [{"flagged": False}]}))
        r = litellm.completion(model="acme/m1", messages=MESSAGES, api_key="k")
        assert r.choices[0].message.content == "ok" and server.requests[-1].path == "/v1/chat/completions"
        assert litellm.moderation("hi", model="acme_llm/m1", api_key="k").results[0].flagged is False
        assert server.requests[-1].path == "/v1/moderations"
        with pytest.raises(BadRequestError, match="does not serve"):
            litellm.embedding(model="acme_llm/m1", input="x", api_key="k")
        import io
        from contextlib import redirect_stdout

        out = io.StringIO()
        with redirect_stdout(out):
            cli_main(["providers"])
        assert "acme_llm/" in out.getvalue() and "ACME_LLM_API_KEY" in out.getvalue()
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
        import provider_table

        line = [ln for ln in provider_table.table().splitlines() if ln.startswith("acme_llm/")][0]
        header = provider_table.table().splitlines()[1]
        cells = dict(zip(header.split()[-len(provider_table.columns()):], line.split()[-len(provider_table.columns()):]))
        assert cells["moderation"] == "yes" and cells["embeddings"] == "-" and cells["completions"] == "chat"
    finally:
        unregister_provider("acme_llm")
    assert "acme_llm" not in PROVIDERS


def test_every_quirk_is_read_somewhere() -> None:
    package = Path(litellm.__file__).parent
    sources = "".join(p.read_text() for p in package.rglob("*.py") if p.name not in ("base.py",))
    for quirk in Quirk:
        assert ".has(Quirk.%s)" % quirk.name in sources or '.has("%s")' % quirk.value in sources, quirk


@pytest.mark.parametrize("chunked", [False, True])
def test_a_stream_whose_body_ends_after_done_keeps_its_connection(server: LoopbackServer, chunked: bool) -> None:
    """The rest of the body is already there after [DONE]: it is drained and the socket reused."""
    from litellm_lite import _http

    event = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": "stop"}]}
    body = b"data: " + json.dumps(event).encode() + b"\n\ndata: [DONE]\n\n"
    _http.close_all()
    before = _http.pool_stats()["connections_opened"]
    for _ in range(3):
        # one write: with chunked framing the terminator travels with the [DONE] chunk
        server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=[body], chunked=chunked))
        stream = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k", stream=True)
        assert [c.choices[0].delta.content for c in stream] == ["hi"]
    assert _http.pool_stats()["connections_opened"] - before == 1
