"""Every OpenAI-format row against a fake server: LiteLLM's variables resolve, the request goes to the
row's path with its auth header, and one quirk of the row holds. Parametrized over the rows, so a row
added later is checked too; templated rows build their base from their options."""

from __future__ import annotations

import string
from typing import Any, Dict, List, Optional

import pytest

import litellm_lite as litellm
from litellm_lite import _call as road
from litellm_lite.config import resolve_config
from litellm_lite.exceptions import BadRequestError, UnsupportedParamsError
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ProviderSpec
from tests.server import LoopbackServer, Reply

OPENAI_ROWS = sorted(name for name, spec in PROVIDERS.items() if spec.adapter == "openai")
TEMPLATED = sorted(name for name, spec in PROVIDERS.items() if spec.api_base_template)
CHAT = {"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
EMBEDDING = {"object": "list", "model": "m", "data": [{"object": "embedding", "index": 0, "embedding": [0.5, 0.25]}],
             "usage": {"total_tokens": 3}}
RERANK = {"id": "r1", "results": [{"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1}],
          "data": [{"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1}]}
MSGS = [{"role": "user", "content": "hi"}]


def _endpoint(spec: ProviderSpec) -> str:
    for name in ("chat", "embedding", "rerank"):
        if spec.serves(name):
            return name
    raise AssertionError("row %s serves none of chat, embedding, rerank" % spec.name)


def _call(spec: ProviderSpec, endpoint: str, **kwargs: Any) -> Any:
    model = spec.name + "/some-model"
    if endpoint == "chat":
        return litellm.completion(model=model, messages=MSGS, num_retries=0, **kwargs)
    if endpoint == "embedding":
        return litellm.embedding(model=model, input=["hi"], num_retries=0, **kwargs)
    return litellm.rerank(model=model, query="q", documents=["a", "b"], num_retries=0, **kwargs)


def _reply(endpoint: str) -> Reply:
    return Reply.json({"chat": CHAT, "embedding": EMBEDDING, "rerank": RERANK}[endpoint])


def _template_env(spec: ProviderSpec) -> Dict[str, str]:
    names = dict(spec.options_env)
    fields = [f for _, f, _, _ in string.Formatter().parse(spec.api_base_template) if f]
    return {names[f][0]: "acct-1" for f in fields}


_SAMPLES: Dict[str, Any] = {"logprobs": True, "top_logprobs": 2, "logit_bias": {"1": 1}, "seed": 1, "n": 2, "user": "u",
                            "presence_penalty": 0.5, "frequency_penalty": 0.5, "parallel_tool_calls": False,
                            "stop": ["x"]}


def _unsupported_chat_param(spec: ProviderSpec) -> Optional[str]:
    for name in sorted(spec.unsupported_params):
        if name in _SAMPLES:
            return name
    return None


@pytest.mark.parametrize("name", OPENAI_ROWS)
def test_row_variables_path_auth(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = PROVIDERS[name]
    endpoint = _endpoint(spec)
    with LoopbackServer() as server:
        base = server.url + "/prefix"
        kwargs: Dict[str, Any] = {}
        if spec.api_base_env:
            monkeypatch.setenv(spec.api_base_env[0], base)  # LiteLLM's base variable resolves
        else:
            kwargs["api_base"] = base
        assert spec.api_key_env, "every hosted row names its key variable"
        monkeypatch.setenv(spec.api_key_env[-1], "row-key-%s" % name)  # any of the row's names works
        server.add(_reply(endpoint))
        result = _call(spec, endpoint, **kwargs)
        seen = server.requests[0]
        assert seen.method == "POST"
        assert seen.path == "/prefix" + spec.path(endpoint)  # type: ignore[operator]
        header = {"bearer": "authorization", "api-key": "api-key", "x-api-key": "x-api-key"}[spec.auth]
        expected = "Bearer row-key-%s" % name if spec.auth == "bearer" else "row-key-%s" % name
        assert seen.headers[header] == expected
        for hname, value in spec.headers:
            assert seen.headers[hname.lower()] == value
        assert result._hidden_params["custom_llm_provider"] == name
        assert result._hidden_params["api_base"] == base


@pytest.mark.parametrize("name", OPENAI_ROWS)
def test_row_quirk(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One quirk per row: an unsupported parameter refused before sending (and dropped with
    drop_params), a renamed parameter, no auth header for a keyless local server, or no default base."""
    spec = PROVIDERS[name]
    endpoint = _endpoint(spec)
    unsupported = _unsupported_chat_param(spec) if endpoint == "chat" else None
    with LoopbackServer() as server:
        base = {"api_base": server.url + "/v1"}
        if unsupported is not None:
            with pytest.raises(UnsupportedParamsError):
                _call(spec, endpoint, api_key="k", **base, **{unsupported: _SAMPLES[unsupported]})
            assert server.requests == []
            server.add(_reply(endpoint))
            _call(spec, endpoint, api_key="k", drop_params=True, **base, **{unsupported: _SAMPLES[unsupported]})
            assert unsupported not in server.requests[0].json()
        elif spec.param_renames and endpoint == "embedding":
            old, new = spec.param_renames[0]
            value = 256 if old == "dimensions" else "float"
            server.add(_reply(endpoint))
            _call(spec, endpoint, api_key="k", **base, **{old: value})
            body = server.requests[0].json()
            assert body[new] == value and old not in body
        elif not spec.key_required:
            server.add(_reply(endpoint))
            _call(spec, endpoint, **base)
            assert "authorization" not in server.requests[0].headers
            if not spec.api_base:
                with pytest.raises(BadRequestError, match=spec.api_base_env[0]):
                    _call(spec, endpoint)
        elif not spec.api_base and not spec.api_base_template:
            with pytest.raises(BadRequestError, match=spec.api_base_env[0]):
                _call(spec, endpoint, api_key="k")
            assert server.requests == []
        else:
            # No parameter quirk: the key is required, and the error names LiteLLM's variable.
            with pytest.raises(litellm.AuthenticationError, match=spec.api_key_env[0]):
                _call(spec, endpoint, **base)
            assert server.requests == []


@pytest.mark.parametrize("name", TEMPLATED)
def test_templated_base(name: str) -> None:
    spec = PROVIDERS[name]
    env = dict(_template_env(spec), **{spec.api_key_env[0]: "k"})
    config = resolve_config(spec, "m", {}, environ=env)
    expected = spec.api_base_template.format(**{opt: "acct-1" for opt, _ in spec.options_env})
    assert config.api_base == expected and "{" not in config.api_base
    option = spec.options_env[0][0]
    assert resolve_config(spec, "m", {option: "other"}, environ=env).api_base == spec.api_base_template.format(
        **{option: "other"})
    base_var = spec.api_base_env[0]
    assert resolve_config(spec, "m", {}, environ=dict(env, **{base_var: "https://given.example/v1"})).api_base == \
        "https://given.example/v1"
    with pytest.raises(BadRequestError, match=spec.options_env[0][1][0]):
        resolve_config(spec, "m", {}, environ={spec.api_key_env[0]: "k"})
    with pytest.raises(BadRequestError):  # a value that would change the URL's host or path is refused
        resolve_config(spec, "m", {option: "evil.example/x?"}, environ=env)


def test_templated_row_through_the_road(monkeypatch: pytest.MonkeyPatch) -> None:
    """The option keyword is configuration: it builds the base and is never sent."""
    spec = PROVIDERS["cloudflare"]
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "cf-key")
    plan = road.plan("chat", "cloudflare/@cf/meta/llama-3.1-8b-instruct", {"cloudflare_account_id": "abc123"},
                              inputs=MSGS)
    assert plan.wires is not None
    assert plan.wires[0].url == "https://api.cloudflare.com/client/v4/accounts/abc123/ai/v1/chat/completions"
    assert b"abc123" not in plan.wires[0].body
    assert spec.serves("chat")


def test_litellm_names_resolve() -> None:
    expected: List[Any] = [
        ("huggingface", "HF_TOKEN"), ("volcengine", "ARK_API_KEY"), ("github", "GITHUB_API_KEY"),
        ("friendliai", "FRIENDLI_TOKEN"), ("datarobot", "DATAROBOT_API_TOKEN"), ("watsonx", "WATSONX_APIKEY"),
    ]
    for name, var in expected:
        assert var in PROVIDERS[name].api_key_env
    assert litellm.get_llm_provider("ai21/jamba-mini")[:2] == ("jamba-mini", "ai21_chat")
    assert litellm.get_llm_provider("together/Salesforce/Llama-Rank-V1")[1] == "together_ai"


def test_cli_lists_every_row() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "litellm_lite", "providers"], capture_output=True, text=True,
                         check=True, env={"PATH": "", "WATSONX_APIKEY": "x"}).stdout
    lines = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {name + "/" for name in PROVIDERS} <= lines
    watsonx = next(line for line in out.splitlines() if line.startswith("watsonx/"))
    assert "WATSONX_APIKEY" in watsonx and "WATSONX_URL" in watsonx and watsonx.rstrip().endswith("yes (WATSONX_APIKEY)")
