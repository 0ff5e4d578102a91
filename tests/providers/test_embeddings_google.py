"""Gemini (batchEmbedContents) and Vertex AI (:predict) embeddings over loopback."""

from __future__ import annotations

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import APIConnectionError, BadRequestError
from tests.server import LoopbackServer, Reply


def test_gemini_batch_embed_request_and_response(server: LoopbackServer) -> None:
    server.add(Reply.json({"embeddings": [{"values": [0.1, 0.2]}, {"values": [0.3, 0.4]}]}))
    r = litellm.embedding(model="gemini/gemini-embedding-001", input=["a", "b"], api_base=server.url, api_key="g-key",
                          dimensions=2, input_type="retrieval_query")
    assert [d.embedding for d in r.data] == [[0.1, 0.2], [0.3, 0.4]] and [d.index for d in r.data] == [0, 1]
    req = server.requests[-1]
    assert req.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents"
    assert req.headers["x-goog-api-key"] == "g-key"
    assert req.json()["requests"][1] == {
        "model": "models/gemini-embedding-001", "content": {"parts": [{"text": "b"}]},
        "outputDimensionality": 2, "taskType": "RETRIEVAL_QUERY",
    }


def test_gemini_embed_rejects_non_text_and_bad_bodies(server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError):
        litellm.embedding(model="gemini/gemini-embedding-001", input=[[1, 2]], api_base=server.url, api_key="k")
    server.add(Reply.json({"nothing": []}))
    with pytest.raises(APIConnectionError):
        litellm.embedding(model="gemini/gemini-embedding-001", input="x", api_base=server.url, api_key="k", num_retries=0)


def test_vertex_predict_embeddings(server: LoopbackServer) -> None:
    server.add(Reply.json({"predictions": [{"embeddings": {"values": [1.0, 2.0], "statistics": {"token_count": 3}}}]}))
    r = litellm.embedding(model="vertex_ai/text-embedding-005", input="hello", api_base=server.url,
                          vertex_access_token="ya29.token", vertex_project="proj", vertex_location="us-central1", dimensions=2)
    assert r.data[0].embedding == [1.0, 2.0] and r.usage.prompt_tokens == 3
    req = server.requests[-1]
    assert req.path == "/v1/projects/proj/locations/us-central1/publishers/google/models/text-embedding-005:predict"
    assert req.headers["authorization"] == "Bearer ya29.token"
    assert req.json() == {"instances": [{"content": "hello"}], "parameters": {"outputDimensionality": 2}}
    server.add(Reply.json({"predictions": [{"embeddings": {}}]}))
    with pytest.raises(APIConnectionError):
        litellm.embedding(model="vertex_ai/text-embedding-005", input="hello", api_base=server.url, num_retries=0,
                          vertex_access_token="ya29.token", vertex_project="proj", vertex_location="us-central1")
