"""The keyword contract: credential and control keywords never reach any provider's request.

Every provider row x every credential keyword (of every resolver) and every control keyword is
called against a loopback server that records the request; none of their names or values may
appear in the body, the headers or the query.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite import _call
from litellm_lite.auth import ALL_CREDENTIAL_KWARGS, CREDENTIAL_KWARGS
from litellm_lite.exceptions import BadRequestError, LiteLLMError
from litellm_lite.params import CONFIG_KWARGS, CONTROL_KWARGS, classify
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ProviderSpec
from tests.server import RETRY_NOW, LoopbackServer, Reply

MESSAGES = [{"role": "user", "content": "hi"}]

# Control keywords that change what the call does: given harmless values of the right type.
_STEERING: Dict[str, Any] = {
    "mock_response": None,
    "fallbacks": None,
    "context_window_fallback_dict": None,
    "num_retries": 0,
    "max_retries": 0,
    "custom_llm_provider": None,
    "callbacks": [],
    "use_module_settings": True,
    "additional_drop_params": [],
    "allowed_openai_params": [],
    "metadata": {"marker": "CTRL-metadata"},
    "cache": {"no-cache": True, "no-store": True},  # checked before sending: must be well formed
    "caching": False,
    "input_cost_per_token": 1e-6,
    "output_cost_per_token": 2e-6,
    "input_cost_per_second": 1e-6,
    "output_cost_per_second": 1e-6,
    "mock_timeout": None,
    "mock_tool_calls": None,
    "mock_delay": None,
    "traceparent": None,  # checked (W3C format) and sent as a header: tests/api/test_observe_road.py
    "tags": ["CTRL-tag"],
}


def _control_kwargs() -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for name in sorted(CONTROL_KWARGS):
        value = _STEERING.get(name, "CTRL-%s" % name)
        if value is not None:
            out[name] = value
    out["litellm_trace_id"] = "CTRL-litellm_trace_id"
    out["user_api_key_hash"] = "CTRL-user_api_key_hash"
    return out


def _own_kwargs(spec: ProviderSpec, url: str) -> Dict[str, Any]:
    """What the provider needs to send a request to the loopback server."""
    if spec.auth == "aws":
        return {"api_base": url, "aws_region_name": "us-east-1", "aws_access_key_id": "AKIAOWNKEY000000001",
                "aws_secret_access_key": "own-secret-xyz"}
    if spec.auth == "google":
        return {"api_base": url, "vertex_project": "proj", "vertex_location": "us-central1",
                "vertex_access_token": "own-token-xyz"}
    if spec.auth == "ibm_iam":
        return {"api_base": url, "token": "own-token-xyz", "project_id": "proj"}
    return {"api_base": url, "api_key": "own-key-xyz"}


def _foreign_credentials(spec: ProviderSpec) -> Dict[str, Any]:
    owned = CREDENTIAL_KWARGS.get(spec.auth, frozenset())
    return {name: "CRED-%s" % name for name in sorted(ALL_CREDENTIAL_KWARGS - owned)}


def _leaks(raw: str, names: List[str]) -> List[str]:
    return [name for name in names if "CTRL-%s" % name in raw or "CRED-%s" % name in raw or '"%s"' % name in raw]


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_no_credential_or_control_keyword_reaches_the_request(server: LoopbackServer, provider: str) -> None:
    spec = PROVIDERS[provider]
    server.add(Reply.json({"error": {"message": "recorded", "type": "invalid_request_error"}}, status=400))
    kwargs: Dict[str, Any] = {}
    kwargs.update(_control_kwargs())
    kwargs.update(_foreign_credentials(spec))
    kwargs.update(_own_kwargs(spec, server.url))
    with pytest.raises(LiteLLMError):
        if spec.serves("chat"):
            litellm.completion(model="%s/some-model" % provider, messages=MESSAGES, **kwargs)
        else:  # an embeddings/rerank-only row
            litellm.embedding(model="%s/some-model" % provider, input=["hi"], **kwargs)
    assert len(server.requests) == 1, "exactly one request was sent"
    request = server.requests[0]
    raw = "%s?%s\n%r\n%s" % (request.path, request.query, request.headers, request.body.decode("utf-8", "replace"))
    names = sorted(set(_control_kwargs()) | set(_foreign_credentials(spec)))
    assert _leaks(raw, names) == []
    for name in CREDENTIAL_KWARGS.get(spec.auth, frozenset()):
        assert '"%s"' % name not in raw  # the provider's own credential keywords are used, never sent as fields


def test_every_keyword_is_in_exactly_one_class() -> None:
    spec = PROVIDERS["openai"]
    kwargs = {"temperature": 0.5, "api_key": "k", "aws_region_name": "x", "metadata": {}, "top_k": 3,
              "extra_body": {"repetition_penalty": 1.1}, "gemini_stream_format": "sse", "litellm_foo": 1}
    split = classify(kwargs, spec)
    assert split.openai == {"temperature": 0.5}
    assert split.config == {"api_key": "k"}
    assert split.credentials == {}  # another provider's credential: dropped, never sent
    assert split.control == {"metadata": {}, "litellm_foo": 1}
    assert split.body == {"top_k": 3, "repetition_penalty": 1.1}  # gemini's call option is claimed: never a body field
    assert classify({"aws_region_name": "x"}, PROVIDERS["bedrock"]).credentials == {"aws_region_name": "x"}
    assert CONFIG_KWARGS.isdisjoint(ALL_CREDENTIAL_KWARGS)


def test_resolvers_declare_the_keywords_they_read() -> None:
    from litellm_lite.providers import aws_auth, google_auth

    assert set(aws_auth.AWS_KWARGS) <= CREDENTIAL_KWARGS["aws"]
    google = set(google_auth._PROJECT_KW + google_auth._LOCATION_KW + google_auth._CREDENTIALS_KW + google_auth._TOKEN_KW)
    assert google <= CREDENTIAL_KWARGS["google"]
    assert {"azure_ad_token", "azure_ad_token_provider"} <= CREDENTIAL_KWARGS["azure"]


def test_additional_drop_params_and_allowed_openai_params(server: LoopbackServer) -> None:
    body = {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
    server.add(Reply.json(body), Reply.json(body))
    litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k", temperature=0.3,
                       top_k=5, additional_drop_params=["temperature", "top_k"])
    sent = server.requests[-1].json()
    assert "temperature" not in sent and "top_k" not in sent and "additional_drop_params" not in sent
    # perplexity marks tools unsupported; allowed_openai_params sends them anyway.
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    litellm.completion(model="perplexity/sonar", messages=MESSAGES, api_base=server.url, api_key="k", tools=tools,
                       allowed_openai_params=["tools"])
    assert server.requests[-1].json()["tools"] == tools
    with pytest.raises(litellm.UnsupportedParamsError):
        litellm.completion(model="perplexity/sonar", messages=MESSAGES, api_base=server.url, api_key="k", tools=tools)
    with pytest.raises(BadRequestError, match="additional_drop_params"):
        litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k",
                           additional_drop_params="temperature")


def test_per_call_callbacks_and_use_module_settings(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
    seen: List[str] = []

    class Mine(litellm.CustomLogger):
        def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            seen.append("call:" + kwargs["litellm_call_id"])

    class Global(litellm.CustomLogger):
        def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            seen.append("module")

    monkeypatch.setattr(litellm, "callbacks", [Global()], raising=False)
    monkeypatch.setattr(litellm, "api_key", "module-key", raising=False)
    server.add(Reply.json(body), Reply.json(body))
    r = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, callbacks=[Mine()])
    assert seen == ["module", "call:" + r._hidden_params["litellm_call_id"]]
    assert server.requests[-1].headers["authorization"] == "Bearer module-key"
    seen.clear()
    r = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="own",
                           callbacks=[Mine()], use_module_settings=False)
    assert seen == ["call:" + r._hidden_params["litellm_call_id"]]
    with pytest.raises(litellm.AuthenticationError):  # the module-level key is not used either
        litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, use_module_settings=False)


def test_every_call_gets_a_call_id_and_hooks_run(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
    events: List[Any] = []
    monkeypatch.setattr(_call, "PRE_SEND", [lambda p: events.append(("pre", p.call_id))])
    monkeypatch.setattr(_call, "PER_ATTEMPT", [lambda p, n, wire: events.append(("attempt", p.call_id, n))])
    monkeypatch.setattr(_call, "POST_FINISH", [lambda p, result: events.append(("post", p.call_id))])
    server.add(Reply.json({"error": {"message": "busy"}}, status=503, headers=RETRY_NOW), Reply.json(body))
    r = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k", num_retries=1)
    call_id = r._hidden_params["litellm_call_id"]
    assert events == [("pre", call_id), ("attempt", call_id, 0), ("attempt", call_id, 1), ("post", call_id)]
    other = litellm.completion(model="openai/m", messages=MESSAGES, mock_response="hi")
    assert other._hidden_params["litellm_call_id"] not in ("", call_id)
    # A PRE_SEND hook may answer the call (a cache): nothing is sent.
    sent = len(server.requests)
    monkeypatch.setattr(_call, "PRE_SEND", [lambda p: litellm.ModelResponse(model="cached")])
    cached = litellm.completion(model="openai/m", messages=MESSAGES, api_base=server.url, api_key="k")
    assert cached.model == "cached" and len(server.requests) == sent
    assert cached._hidden_params["litellm_call_id"]
