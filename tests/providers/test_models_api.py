"""list_models / get_valid_models against loopback servers in each models-endpoint format."""

from __future__ import annotations

from typing import Any, Dict, List
from urllib.parse import parse_qs

import pytest

from litellm_lite.exceptions import APIConnectionError, AuthenticationError, BadRequestError, NotFoundError
from litellm_lite.models_api import (
    build_models_request,
    get_valid_models,
    list_models,
    models_format,
    parse_models_response,
    registry_models,
)
from litellm_lite.providers.base import WireResponse
from tests.server import LoopbackServer, RecordedRequest, Reply


def test_openai_format_lists_ids_then_registry(server: LoopbackServer) -> None:
    server.add(Reply.json({"object": "list", "data": [{"id": "my-finetune"}, {"id": "gpt-4o"}, {"nope": 1}, 7]}))
    got = list_models("openai", api_key="sk-test", api_base=server.url + "/v1")
    seen = server.requests[0]
    assert (seen.method, seen.path) == ("GET", "/v1/models")
    assert seen.headers["authorization"] == "Bearer sk-test"
    assert seen.body == b""
    assert got[:2] == ["my-finetune", "gpt-4o"]
    assert got.count("gpt-4o") == 1
    assert "gpt-4o-mini" in got  # from the registry
    assert len(got) > 10


def test_openai_compatible_row_uses_its_env(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk-env")
    server.add(Reply.json({"data": [{"id": "llama-x"}]}))
    got = list_models("groq", api_base=server.url, merge_registry=False)
    assert got == ["llama-x"]
    assert server.requests[0].headers["authorization"] == "Bearer gsk-env"


def test_anthropic_pages_with_after_id(server: LoopbackServer) -> None:
    def handler(rec: RecordedRequest) -> Reply:
        query = parse_qs(rec.query)
        if "after_id" not in query:
            return Reply.json({"data": [{"id": "claude-a"}, {"id": "claude-b"}], "has_more": True,
                               "last_id": "claude-b"})
        assert query["after_id"] == ["claude-b"]
        return Reply.json({"data": [{"id": "claude-c"}], "has_more": False, "last_id": "claude-c"})

    server.handler = handler
    got = list_models("anthropic", api_key="sk-ant", api_base=server.url, merge_registry=False)
    assert got == ["claude-a", "claude-b", "claude-c"]
    first = server.requests[0]
    assert first.path == "/v1/models" and first.method == "GET"
    assert first.headers["x-api-key"] == "sk-ant" and first.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in first.headers
    assert len(server.requests) == 2


def test_gemini_strips_models_prefix_and_pages(server: LoopbackServer) -> None:
    pages: List[Dict[str, Any]] = [
        {"models": [{"name": "models/gemini-2.0-flash"}], "nextPageToken": "p2"},
        {"models": [{"name": "models/text-embedding-004"}]},
    ]
    server.add(*(Reply.json(p) for p in pages))
    got = list_models("gemini", api_key="AIza-test", api_base=server.url, merge_registry=False)
    assert got == ["gemini-2.0-flash", "text-embedding-004"]
    assert server.requests[0].path == "/v1beta/models"
    assert server.requests[0].headers["x-goog-api-key"] == "AIza-test"
    assert parse_qs(server.requests[1].query)["pageToken"] == ["p2"]
    assert "key=" not in server.requests[0].query  # the key never goes in the URL


def test_ollama_tags_without_key(server: LoopbackServer) -> None:
    server.add(Reply.json({"models": [{"name": "llama3.2:latest", "model": "llama3.2:latest"}, {"name": "qwen3:8b"}]}))
    got = list_models("ollama", api_base=server.url, merge_registry=False)
    assert got == ["llama3.2:latest", "qwen3:8b"]
    assert server.requests[0].path == "/api/tags" and "authorization" not in server.requests[0].headers


def test_cohere_pages(server: LoopbackServer) -> None:
    server.add(Reply.json({"models": [{"name": "command-r"}], "next_page_token": "t"}),
               Reply.json({"models": [{"name": "rerank-v3.5"}]}))
    got = list_models("cohere", api_key="co", api_base=server.url, merge_registry=False)
    assert got == ["command-r", "rerank-v3.5"]
    assert parse_qs(server.requests[1].query)["page_token"] == ["t"]


def test_error_status_maps_to_our_class(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "no such org", "type": "invalid_request_error"}}, status=404))
    with pytest.raises(NotFoundError) as info:
        list_models("openai", api_key="sk", api_base=server.url)
    assert "no such org" in str(info.value) and info.value.llm_provider == "openai"


def test_missing_key_names_the_variable() -> None:
    with pytest.raises(AuthenticationError, match="ANTHROPIC_API_KEY"):
        list_models("anthropic", api_base="http://127.0.0.1:9")


def test_unknown_and_unlistable_providers() -> None:
    with pytest.raises(BadRequestError, match="unknown provider"):
        list_models("no-such-provider")
    with pytest.raises(BadRequestError, match="live=False"):
        models_format("bedrock")
    assert list_models("bedrock", live=False) == registry_models("bedrock")
    assert len(registry_models("bedrock")) > 10
    with pytest.raises(BadRequestError):
        list_models("")


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"data": "x"}', b'{"models": {"a": 1}}'])
def test_hostile_bodies(body: bytes) -> None:
    fmt = "gemini" if b"models" in body else "openai"
    with pytest.raises(APIConnectionError):
        parse_models_response(fmt, WireResponse(200, {}, body), "p")


def test_anthropic_has_more_without_ids_stops() -> None:
    ids, token = parse_models_response("anthropic", WireResponse(200, {}, b'{"data": [], "has_more": true}'))
    assert ids == [] and token is None


def test_runaway_pagination_is_capped(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from litellm_lite import models_api

    monkeypatch.setattr(models_api, "MAX_PAGES", 3)
    server.add(Reply.json({"models": [{"name": "models/x"}], "nextPageToken": "again"}))
    got = list_models("gemini", api_key="k", api_base=server.url, merge_registry=False)
    assert got == ["x"] and len(server.requests) == 3


def test_build_request_shapes() -> None:
    wire = build_models_request("openai", "https://api.example.com/v1/", "k", headers={"X-Trace": "1"})
    assert wire.method == "GET" and wire.url == "https://api.example.com/v1/models"
    assert wire.headers["x-trace"] == "1"
    with pytest.raises(BadRequestError):
        build_models_request("soap", "https://x")
    with pytest.raises(BadRequestError):
        parse_models_response("soap", WireResponse(200, {}, b"{}"))


def test_registry_models_bare_and_prefixed() -> None:
    bare = registry_models("gemini")
    full = registry_models("gemini", bare=False)
    assert bare and not any(m.startswith("gemini/") for m in bare)
    assert any(m.startswith("gemini/") for m in full)


def test_get_valid_models_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_valid_models() == []
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    got = get_valid_models()
    assert got and all(m in registry_models("anthropic", bare=False) for m in got)
    assert get_valid_models(custom_llm_provider="anthropic") == registry_models("anthropic", bare=False)


def test_get_valid_models_live_and_fallback(server: LoopbackServer) -> None:
    server.add(Reply.json({"data": [{"id": "m1"}]}))
    assert get_valid_models(True, "groq", api_key="k", api_base=server.url) == ["groq/m1"]
    server.add(Reply.json({"data": [{"id": "gpt-x"}]}))
    assert get_valid_models(True, "openai", api_key="k", api_base=server.url) == ["gpt-x"]
    server.add(Reply(status=500, body=b"boom"))
    assert get_valid_models(True, "openai", api_key="k", api_base=server.url) == registry_models("openai", bare=False)
    with pytest.raises(BadRequestError):
        get_valid_models(custom_llm_provider="nope")
