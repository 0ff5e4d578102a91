"""list_models reads the row's ``models_api`` (format, path); Client.models(live=True) calls it."""

from __future__ import annotations

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import BadRequestError
from litellm_lite.models_api import models_format
from litellm_lite.providers import PROVIDERS, register_provider, unregister_provider
from litellm_lite.providers.base import ProviderSpec
from tests.server import LoopbackServer, Reply


def test_every_row_declares_or_derives_its_listing() -> None:
    for name, spec in PROVIDERS.items():
        fmt, path = spec.models_endpoint
        if spec.adapter == "openai" and not spec.models_api:
            assert (fmt, path) == ("openai", "/models"), name
        if fmt:
            assert models_format(name) == fmt and path.startswith("/")
        else:
            with pytest.raises(BadRequestError, match="live=False"):
                models_format(name)
    assert PROVIDERS["anthropic"].models_endpoint == ("anthropic", "/v1/models")
    assert PROVIDERS["watsonx"].models_endpoint == ("", "")


def test_a_row_added_later_lists_from_its_own_path(server: LoopbackServer) -> None:
    register_provider(ProviderSpec(name="tags_gateway", api_key_env=("TAGS_GATEWAY_KEY",), key_required=False,
                                   models_api=("ollama", "/custom/tags")))
    try:
        server.add(Reply.json({"models": [{"name": "llama3:8b"}, {"name": "qwen2:7b"}]}))
        assert litellm.list_models("tags_gateway", api_base=server.url, merge_registry=False) == \
            ["llama3:8b", "qwen2:7b"]
        assert server.requests[0].method == "GET" and server.requests[0].path == "/custom/tags"
    finally:
        unregister_provider("tags_gateway")


def test_client_models_live(server: LoopbackServer) -> None:
    server.add(Reply.json({"object": "list", "data": [{"id": "my-model"}]}))
    client = litellm.Client("groq", api_key="gsk-test", api_base=server.url + "/openai/v1")
    live = client.models(live=True)
    assert live[0] == "my-model" and set(client.models()) <= set(live)
    seen = server.requests[0]
    assert seen.path == "/openai/v1/models" and seen.headers["authorization"] == "Bearer gsk-test"
