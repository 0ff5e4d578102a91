"""Voyage and Jina embeddings: recorded Voyage traffic replayed, bodies and hostile answers over loopback."""

from __future__ import annotations

import base64
import json
import struct
from typing import Any, Dict

import pytest

from litellm_lite import _http
from litellm_lite.exceptions import APIConnectionError, BadRequestError
from litellm_lite.providers.base import WireRequest, WireResponse
from litellm_lite.providers.embedding_vendors import embedding_body, parse_embedding_response
from tests.conftest import CASSETTES
from tests.server import LoopbackServer, Reply

RERANK_DIR = CASSETTES / "rerank"


def _voyage_embeddings() -> list:
    if not RERANK_DIR.is_dir():
        return []
    out = []
    for path in sorted(RERANK_DIR.glob("voyage__embeddings*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


def _send(server: LoopbackServer, body: Dict[str, Any]) -> WireResponse:
    wire = WireRequest(url=server.url + "/v1/embeddings",
                       headers={"content-type": "application/json", "authorization": "Bearer k"},
                       body=json.dumps(body).encode())
    with _http.send(wire, timeout=10, provider="voyage") as resp:
        return WireResponse(resp.status, resp.headers, resp.read())


@pytest.mark.parametrize("rec", _voyage_embeddings(), ids=lambda r: r["_file"])
def test_recorded_voyage_embeddings(rec: Dict[str, Any], server: LoopbackServer) -> None:
    sent = rec["request"]["body"]
    params = {k: sent.get(k) for k in ("input_type", "truncation", "output_dtype", "encoding_format")}
    params["dimensions"] = sent.get("output_dimension")
    body = embedding_body("voyage", sent["model"], sent["input"], params)
    for key, value in sent.items():
        if value is not None:
            assert body[key] == value, key
    server.add(Reply(status=rec["response"]["status"], headers=rec["response"]["headers"],
                     body=rec["response"]["body_text"].encode()))
    response = _send(server, body)
    assert server.requests[0].path == rec["request"]["path"]
    exp = rec["expected"]
    if exp.get("error") is not None:
        with pytest.raises(BadRequestError) as info:
            parse_embedding_response("voyage", response, sent["model"])
        assert exp["error"]["detail"][:60] in str(info.value)
        assert info.value.status_code == 400 and info.value.llm_provider == "voyage"
        return
    got = parse_embedding_response("voyage", response, sent["model"])
    emb = exp["embeddings"]
    assert len(got.data) == emb["count"]
    assert len(got.data[0].embedding) == emb["dimensions"]
    assert [round(v, 6) for v in got.data[0].embedding[:3]] == emb["first_values"]
    assert got.usage is not None and got.usage.prompt_tokens == exp["usage"]["input_tokens"]
    assert got.usage.total_tokens == exp["usage"]["input_tokens"] and got.usage.completion_tokens == 0


def test_jina_body_and_float_answer(server: LoopbackServer) -> None:
    body = embedding_body("jina_ai", "jina-embeddings-v3", "hello",
                          {"dimensions": 8, "task": "retrieval.query", "late_chunking": False})
    assert body == {"model": "jina-embeddings-v3", "input": ["hello"], "dimensions": 8,
                    "task": "retrieval.query", "late_chunking": False}
    server.add(Reply.json({"model": "jina-embeddings-v3", "object": "list",
                           "usage": {"total_tokens": 3, "prompt_tokens": 3},
                           "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -1, 2]}]}))
    got = parse_embedding_response("jina_ai", _send(server, body))
    assert got.data[0].embedding == [0.5, -1.0, 2.0]
    assert got.usage is not None and (got.usage.prompt_tokens, got.usage.total_tokens) == (3, 3)
    assert got.model == "jina-embeddings-v3"


def test_jina_base64_via_embedding_type() -> None:
    body = embedding_body("jina_ai", "m", ["a"], {"encoding_format": "base64"})
    assert body["embedding_type"] == "base64" and "encoding_format" not in body
    vec = base64.b64encode(struct.pack("<2f", 1.5, -2.0)).decode()
    got = parse_embedding_response("jina_ai", WireResponse(200, {}, json.dumps(
        {"data": [{"index": 0, "embedding": vec}]}).encode()), "m")
    assert got.data[0].embedding == [1.5, -2.0] and got.usage is None


@pytest.mark.parametrize("provider,model,inputs,params", [
    ("voyage", "m", [], {}),
    ("voyage", "m", [1], {}),
    ("voyage", "m", ["a"], {"dimensions": 0}),
    ("voyage", "m", ["a"], {"encoding_format": "binary"}),
    ("voyage", "m", ["a"], {"user": "u"}),
    ("openai", "m", ["a"], {}),
])
def test_bad_requests_rejected(provider: str, model: str, inputs: Any, params: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        embedding_body(provider, model, inputs, params)


def test_voyage_float_default_is_not_sent() -> None:
    assert "encoding_format" not in embedding_body("voyage", "m", ["a"], {"encoding_format": "float"})


@pytest.mark.parametrize("body", [b"nope", b"[]", b'{"data": 3}', b'{"data": [1]}',
                                  b'{"data": [{"embedding": "!!!"}]}', b'{"data": [{"embedding": "AAA="}]}',
                                  b'{"data": [{"embedding": ["x"]}]}'])
def test_hostile_bodies(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        parse_embedding_response("voyage", WireResponse(200, {}, body), "m")
