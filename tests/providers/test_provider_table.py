"""Every cell of the README provider table is true: each "yes" (and "chat": served through the
row's chat endpoint) is called against a local server, each "-" is refused before anything is sent."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import BadRequestError, LiteLLMError, UnsupportedParamsError
from litellm_lite.providers import PROVIDERS
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, Reply

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import provider_table  # noqa: E402

MESSAGES = [{"role": "user", "content": "hi"}]
TOOLS = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}]
RESPONSES_TOOLS = [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}}]
WAV = ("a.wav", b"RIFF\x00\x00\x00\x00WAVEfmt ")
# Formats the fake provider answers in full; the others are checked up to the request they send.
_FULL_FORMATS = {"openai", "azure", "anthropic", "gemini"}


def _kwargs(provider: str, url: str) -> Dict[str, Any]:
    spec = PROVIDERS[provider]
    if spec.auth == "aws":
        return {"api_base": url, "aws_region_name": "us-east-1", "aws_access_key_id": "AKIATESTKEY00000001",
                "aws_secret_access_key": "secret", "num_retries": 0}
    if spec.auth == "google":
        return {"api_base": url, "vertex_project": "p", "vertex_location": "us-central1",
                "vertex_access_token": "tok", "num_retries": 0}
    if spec.auth == "ibm_iam":
        return {"api_base": url, "token": "tok", "project_id": "p", "num_retries": 0}
    extra = {"api_version": "2024-10-21"} if spec.auth == "azure" else {}
    return dict(api_base=url + ("/v1" if spec.adapter in ("openai", "azure") else ""), api_key="k", num_retries=0,
                **extra)


# A model the row's adapter accepts for that column, where the adapter checks the model family.
_MODELS = {("bedrock", "embedding"): "amazon.titan-embed-text-v2:0"}


def _call_for(column: str, provider: str, kwargs: Dict[str, Any]) -> Callable[[], Any]:
    model = "%s/%s" % (provider, _MODELS.get((provider, column), "fake-model"))
    tools = RESPONSES_TOOLS if provider_table.capability(PROVIDERS[provider], "tools") else None
    calls: Dict[str, Callable[[], Any]] = {
        "chat": lambda: litellm.completion(model=model, messages=MESSAGES, **kwargs),
        "tools": lambda: litellm.completion(model=model, messages=MESSAGES, tools=TOOLS, **kwargs),
        "embedding": lambda: litellm.embedding(model=model, input="hi", **kwargs),
        "image_generation": lambda: litellm.image_generation("a cat", model=model, **kwargs),
        "transcription": lambda: litellm.transcription(model=model, file=WAV, **kwargs),
        "speech": lambda: litellm.speech(model=model, input="hi", voice="alloy", **kwargs).content,
        "moderation": lambda: litellm.moderation("hi", model=model, **kwargs),
        "text_completion": lambda: litellm.text_completion(model=model, prompt="hi", **kwargs),
        "responses": lambda: litellm.responses(model=model, input="hi", tools=tools, **kwargs),
        "rerank": lambda: litellm.rerank(model=model, query="q", documents=["a", "b"], **kwargs),
    }
    return calls[column]


CELLS: List[Tuple[str, str]] = [
    (provider, name) for provider in sorted(PROVIDERS) for _, name in [("chat", "chat")] + provider_table.columns()
]


@pytest.fixture(scope="module")
def _servers() -> Iterator[Tuple[LoopbackServer, FakeProvider]]:
    """One scripted server and one fake provider for the 600-odd cells (started once, not per cell)."""
    with LoopbackServer() as server, FakeProvider() as fake:
        yield server, fake


@pytest.fixture
def server(_servers: Tuple[LoopbackServer, FakeProvider]) -> LoopbackServer:
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def fake(_servers: Tuple[LoopbackServer, FakeProvider]) -> FakeProvider:
    del _servers[1].requests[:]  # nothing is ever queued on it here: each cell gets the echo
    return _servers[1]


@pytest.mark.parametrize("provider,column", CELLS, ids=["%s-%s" % cell for cell in CELLS])
def test_cell_is_true(provider: str, column: str, server: LoopbackServer, fake: FakeProvider) -> None:
    spec = PROVIDERS[provider]
    if provider_table.cell_text(spec, column) == "-":
        with pytest.raises((BadRequestError, UnsupportedParamsError)):
            _call_for(column, provider, _kwargs(provider, server.url))()
        assert server.requests == [] and fake.requests == []
        return
    if spec.adapter in _FULL_FORMATS or (spec.adapter == "vertex_ai" and column == "chat"):
        result = _call_for(column, provider, _kwargs(provider, fake.url))()
        assert result is not None and fake.requests
        return
    # cohere, ollama, bedrock, vertex embeddings: the request goes out
    server.add(Reply.json({"error": {"message": "recorded"}}, status=400))
    with pytest.raises(LiteLLMError):
        _call_for(column, provider, _kwargs(provider, server.url))()
    assert len(server.requests) == 1


def test_no_column_is_constant() -> None:
    for _, name in provider_table.columns():
        assert len({provider_table.capability(spec, name) for spec in PROVIDERS.values()}) == 2
