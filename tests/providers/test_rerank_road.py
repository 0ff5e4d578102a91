"""rerank() on the road: every rerank recording replayed against a loopback server (priced from the bundled
rows), one test per rerank provider (Cohere, Jina, Voyage, Together, Infinity, Bedrock, Azure AI), costs,
errors and bad input;
Voyage's embedding recordings replayed through embedding()."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite import _call as road
from litellm_lite import registry
from litellm_lite.auth import fetch_credentials
from litellm_lite.exceptions import APIConnectionError, APIError, BadRequestError, error_for_status
from litellm_lite.rerank_wire import RerankResponse
from tests.conftest import CASSETTES, require_shared
from tests.server import LoopbackServer, Reply

RERANK_DIR = CASSETTES / "rerank"
DOCS = ["Paris is the capital of France.", "Berlin is in Germany.", "The Seine flows through Paris."]


def _load(case: str) -> List[Dict[str, Any]]:
    if not RERANK_DIR.is_dir():
        return []
    out = []
    for path in sorted(RERANK_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["case"] == case or (case == "embeddings" and data["case"].startswith("error_")):
            data["_file"] = path.name
            out.append(data)
    return out


RERANKS = _load("rerank")
EMBEDS = _load("embeddings")


def _reply(case: Dict[str, Any]) -> Reply:
    resp = case["response"]
    headers = {k: v for k, v in (resp.get("headers") or {}).items() if v}
    if "content-type" not in headers:
        headers["content-type"] = (resp.get("headers_inferred") or {}).get("content-type", "application/json")
    body = resp["body_text"].encode("utf-8")
    size = max(1, len(body) // 5)
    return Reply(status=resp["status"], headers=headers, chunks=[body[i:i + size] for i in range(0, len(body), size)])


def test_rerank_corpus_present() -> None:
    require_shared()
    assert len(RERANKS) == 8 and len(EMBEDS) == 4


@pytest.mark.parametrize("case", RERANKS, ids=[c["_file"] for c in RERANKS])
def test_replay_rerank(case: Dict[str, Any]) -> None:
    require_shared()
    body = case["request"]["body"]
    path = case["request"]["path"]
    kwargs: Dict[str, Any] = {"api_key": "test-key", "num_retries": 0}
    top_n = body.get("top_n") or body.get("top_k")
    if case["provider"] == "cohere" and path.startswith("/v1/"):
        kwargs["api_version"] = "v1"
    if "truncation" in body:
        kwargs["truncation"] = body["truncation"]  # a Voyage body field, sent as is
    with LoopbackServer() as server:
        server.add(_reply(case))
        base = server.url + ("/v1" if case["provider"] == "voyage" else "")
        result = litellm.rerank(model="%s/%s" % (case["provider"], body["model"]), query=body["query"],
                                documents=body["documents"], top_n=top_n, return_documents=False,
                                api_base=base, **kwargs)
        seen = server.requests[0]
    assert seen.method == case["request"]["method"] and seen.path == path
    assert seen.headers["authorization"] == "Bearer test-key"
    sent = seen.json()
    assert sent["query"] == body["query"] and sent["model"] == body["model"]
    assert sent["documents"] == body["documents"]
    assert sent.get("top_k" if case["provider"] == "voyage" else "top_n") == top_n
    expected = case["expected"]
    assert [(r.index, r.relevance_score) for r in result.results] == [
        (r["index"], r["relevance_score"]) for r in expected["results"]]
    assert all(r.document is None for r in result.results)
    if expected["id"] is not None:
        assert result.id == expected["id"]
    if expected["billed_units"] is not None:
        assert result.meta["billed_units"]["search_units"] == expected["billed_units"]["search_units"]
    if expected["usage"] is not None:
        assert result.meta["billed_units"]["total_tokens"] == expected["usage"]["total_tokens"]
        assert result.meta["tokens"]["input_tokens"] == expected["usage"]["total_tokens"]
    assert result._hidden_params["custom_llm_provider"] == case["provider"]
    assert result._hidden_params["response_cost"] == _expected_cost(case)
    assert result._hidden_params["litellm_call_id"]


# Recorded models the bundled price map prices (Cohere's v2.0 rerankers are retired and have no row).
PRICED = {("cohere", "rerank-english-v3.0"), ("cohere", "rerank-v3.5"), ("voyage", "rerank-2-lite")}


def _expected_cost(case: Dict[str, Any]) -> Any:
    """The recording's cost from its registry row: search units x per query + total tokens x per token."""
    provider, model = case["provider"], case["request"]["body"]["model"]
    spec = registry.lookup("%s/%s" % (provider, model), provider)
    assert (spec is not None) == ((provider, model) in PRICED), model
    if spec is None:
        return None
    assert spec.mode == "rerank" and spec.litellm_provider == provider
    per_query = spec.raw.get("input_cost_per_query") or 0.0
    per_token = spec.input_cost_per_token or 0.0
    expected = case["expected"]
    units = (expected["billed_units"] or {}).get("search_units", 0)
    tokens = (expected["usage"] or {}).get("total_tokens", 0)
    assert (per_query and units) or (per_token and tokens), "the recording must be billed by its row's price"
    return pytest.approx(units * per_query + tokens * per_token)


@pytest.mark.parametrize("case", EMBEDS, ids=[c["_file"] for c in EMBEDS])
def test_replay_voyage_embeddings(case: Dict[str, Any]) -> None:
    require_shared()
    body = case["request"]["body"]
    kwargs: Dict[str, Any] = {"api_key": "test-key", "num_retries": 0, "encoding_format": body["encoding_format"]}
    if body.get("input_type") is not None:
        kwargs["input_type"] = body["input_type"]
    if body.get("output_dimension") is not None:
        kwargs["dimensions"] = body["output_dimension"]
    for name in ("truncation", "output_dtype"):
        if body.get(name) is not None:
            kwargs[name] = body[name]
    with LoopbackServer() as server:
        server.add(_reply(case))
        call = lambda: litellm.embedding(model="voyage/" + body["model"], input=body["input"],  # noqa: E731
                                         api_base=server.url + "/v1", **kwargs)
        if case["expected"].get("error") is not None:
            with pytest.raises(APIError) as info:
                call()
            assert info.value.status_code == case["response"]["status"]
            assert type(info.value) is type(error_for_status(case["response"]["status"], "x"))
            assert str(case["expected"]["error"]["detail"])[:40] in str(info.value)
            return
        result = call()
        seen = server.requests[0]
    assert seen.path == case["request"]["path"]
    assert seen.json() == {k: v for k, v in body.items() if v is not None}
    emb = case["expected"]["embeddings"]
    assert len(result.data) == emb["count"] and len(result.data[0].embedding) == emb["dimensions"]
    assert result.data[0].embedding[:3] == pytest.approx(emb["first_values"], abs=1e-6)
    assert result.usage.prompt_tokens == case["expected"]["usage"]["input_tokens"]


# -- one test per rerank provider -------------------------------------------------------------------


def _rerank(server: LoopbackServer, model: str, reply: Any, **kwargs: Any) -> RerankResponse:
    server.add(reply if isinstance(reply, Reply) else Reply.json(reply))
    kwargs.setdefault("api_key", "k")
    return litellm.rerank(model=model, query="capital of France?", documents=list(DOCS), top_n=2,
                          num_retries=0, **kwargs)


def test_cohere_v2_returns_documents_from_the_request(server: LoopbackServer) -> None:
    got = _rerank(server, "cohere/rerank-v3.5", {"id": "x1", "results": [{"index": 0, "relevance_score": 0.9}],
                                                  "meta": {"billed_units": {"search_units": 1}}},
                  api_base=server.url, max_tokens_per_doc=512)
    assert server.requests[0].path == "/v2/rerank"
    assert server.requests[0].json() == {"model": "rerank-v3.5", "query": "capital of France?", "documents": DOCS,
                                         "top_n": 2, "max_tokens_per_doc": 512}
    assert got.results[0].document == {"text": DOCS[0]} and got.id == "x1"


def test_jina(server: LoopbackServer) -> None:
    got = _rerank(server, "jina_ai/jina-reranker-v2-base-multilingual",
                  {"model": "jina-reranker-v2-base-multilingual", "usage": {"total_tokens": 38},
                   "results": [{"index": 2, "document": {"text": DOCS[2]}, "relevance_score": 0.7}]},
                  api_base=server.url + "/v1")
    seen = server.requests[0]
    assert seen.path == "/v1/rerank" and seen.headers["authorization"] == "Bearer k"
    assert seen.json()["return_documents"] is True and seen.json()["top_n"] == 2
    assert got.results[0].index == 2 and got.results[0].document == {"text": DOCS[2]}
    assert got.meta["billed_units"] == {"total_tokens": 38}


def test_voyage_default_base_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOYAGE_API_KEY", "vk")
    p = road.plan("rerank", "voyage/rerank-2-lite", {}, params={"query": "q", "documents": ["a"], "top_n": 1})
    assert p.wires is not None and p.wires[0].url == "https://api.voyageai.com/v1/rerank"
    assert json.loads(p.wires[0].body) == {"model": "rerank-2-lite", "query": "q", "documents": ["a"], "top_k": 1}


def test_together(server: LoopbackServer) -> None:
    got = _rerank(server, "together_ai/Salesforce/Llama-Rank-V1",
                  {"id": "t1", "object": "rerank", "model": "Salesforce/Llama-Rank-V1",
                   "results": [{"index": 1, "relevance_score": 0.3, "document": {}}],
                   "usage": {"prompt_tokens": 50, "completion_tokens": 0, "total_tokens": 50}},
                  api_base=server.url + "/v1", rank_fields=["text"])
    seen = server.requests[0]
    assert seen.path == "/v1/rerank" and seen.json()["model"] == "Salesforce/Llama-Rank-V1"
    assert seen.json()["rank_fields"] == ["text"]
    assert got.results[0].index == 1 and got.meta["tokens"]["input_tokens"] == 50


def test_infinity_needs_its_base(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadRequestError, match="INFINITY_API_BASE"):
        litellm.rerank(model="infinity/bge-reranker", query="q", documents=["a"])
    monkeypatch.setenv("INFINITY_API_BASE", server.url)
    got = _rerank(server, "infinity/BAAI/bge-reranker-base",
                  {"object": "rerank", "results": [{"relevance_score": 0.5, "index": 0, "document": None}],
                   "model": "BAAI/bge-reranker-base", "usage": {"prompt_tokens": 9, "total_tokens": 9}, "id": "i1"},
                  api_key=None)
    assert server.requests[0].path == "/rerank" and "authorization" not in server.requests[0].headers
    assert got.results[0].relevance_score == 0.5 and got.id == "i1"


def test_azure_ai_cohere_v1_shape(server: LoopbackServer) -> None:
    got = _rerank(server, "azure_ai/cohere-rerank-v3.5",
                  {"id": "a1", "results": [{"index": 1, "relevance_score": 0.2}],
                   "meta": {"billed_units": {"search_units": 1}}},
                  api_base=server.url, return_documents=False)
    seen = server.requests[0]
    assert seen.path == "/v1/rerank" and seen.headers["authorization"] == "Bearer k"
    assert seen.json()["return_documents"] is False
    assert got.results[0].document is None and got.meta["billed_units"] == {"search_units": 1}


AWS = {"aws_region_name": "us-west-2", "aws_access_key_id": "AKIATESTKEY00000001", "aws_secret_access_key": "s"}


def test_bedrock_agent_runtime_signed(server: LoopbackServer) -> None:
    got = _rerank(server, "bedrock/cohere.rerank-v3-5:0",
                  {"results": [{"index": 2, "relevanceScore": 0.8}, {"index": 0, "relevanceScore": 0.4}]},
                  api_base=server.url, api_key=None, **AWS)
    seen = server.requests[0]
    assert seen.path == "/rerank"
    assert "/us-west-2/bedrock/aws4_request" in seen.headers["authorization"]
    body = seen.json()
    config = body["rerankingConfiguration"]["bedrockRerankingConfiguration"]
    assert config["modelConfiguration"]["modelArn"] == \
        "arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0"
    assert config["numberOfResults"] == 2 and body["queries"][0]["textQuery"]["text"] == "capital of France?"
    assert [(r.index, r.relevance_score) for r in got.results] == [(2, 0.8), (0, 0.4)]
    assert got.meta["billed_units"] == {"search_units": 1}


def test_bedrock_default_host_is_the_agent_runtime() -> None:
    p = road.plan("rerank", "bedrock/amazon.rerank-v1:0", dict(AWS),
                  params={"query": "q", "documents": ["a"], "top_n": 1})
    fetch_credentials(p.config)
    wire = p.adapter.prepare_endpoint(p.request, p.config)
    assert wire.url == "https://bedrock-agent-runtime.us-west-2.amazonaws.com/rerank"


def test_bedrock_invoke_cohere_rerank(server: LoopbackServer) -> None:
    got = _rerank(server, "bedrock/cohere.rerank-v3-5:0",
                  {"id": "b1", "results": [{"index": 1, "relevance_score": 0.6}]},
                  api_base=server.url, api_key=None, api_version="invoke", **AWS)
    seen = server.requests[0]
    assert seen.path == "/model/cohere.rerank-v3-5%3A0/invoke"
    assert seen.json() == {"query": "capital of France?", "documents": DOCS, "top_n": 2, "api_version": 2}
    assert got.id == "b1" and got.results[0].index == 1


# -- cost, errors, input -------------------------------------------------------------------------


def test_cost_from_registry_prices(server: LoopbackServer) -> None:
    registry.register_model({"cohere/test-rerank-priced": {"litellm_provider": "cohere", "mode": "rerank",
                                                           "input_cost_per_query": 0.002}})
    try:
        got = _rerank(server, "cohere/test-rerank-priced",
                      {"id": "c", "results": [], "meta": {"billed_units": {"search_units": 3}}}, api_base=server.url)
        assert got._hidden_params["response_cost"] == pytest.approx(0.006)
    finally:
        registry._reset()


def test_errors_map_and_bad_bodies(server: LoopbackServer) -> None:
    server.add(Reply.json({"message": "invalid api token"}, status=401))
    with pytest.raises(litellm.AuthenticationError, match="invalid api token"):
        litellm.rerank(model="cohere/rerank-v3.5", query="q", documents=["a"], api_base=server.url, api_key="bad",
                       num_retries=0)
    with pytest.raises(APIConnectionError):
        _rerank(server, "cohere/rerank-v3.5", {"results": [{"index": "zero", "relevance_score": 1}]},
                api_base=server.url)
    with pytest.raises(APIConnectionError):
        _rerank(server, "voyage/rerank-2", Reply(chunks=[b"not json"]), api_base=server.url)


def test_bad_arguments_send_nothing(server: LoopbackServer) -> None:
    for kwargs in ({"query": "", "documents": ["a"]}, {"query": "q", "documents": []},
                   {"query": "q", "documents": [1]}, {"query": "q", "documents": ["a"], "top_n": 0},
                   {"query": "q", "documents": ["a"], "return_documents": "yes"}):
        with pytest.raises(BadRequestError):
            litellm.rerank(model="cohere/rerank-v3.5", api_base=server.url, api_key="k", **kwargs)
    with pytest.raises(BadRequestError, match="does not serve rerank; providers that do: .*cohere"):
        litellm.rerank(model="anthropic/claude", query="q", documents=["a"], api_base=server.url, api_key="k")
    assert server.requests == []


def test_mock_response_and_arerank(server: LoopbackServer) -> None:
    mocked = litellm.rerank(model="cohere/rerank-v3.5", query="q", documents=["a", "b", "c"], top_n=2,
                            mock_response=True)
    assert [r.index for r in mocked.results] == [0, 1] and mocked._hidden_params["response_cost"] == 0.0
    server.add(Reply.json({"id": "z", "results": [{"index": 0, "relevance_score": 0.1}]}))
    got = asyncio.run(litellm.arerank(model="cohere/rerank-v3.5", query="q", documents=["a"], api_base=server.url,
                                      api_key="k", num_retries=0))
    assert got.id == "z" and got.to_dict()["results"] == [{"index": 0, "relevance_score": 0.1,
                                                           "document": {"text": "a"}}]


def test_rows_without_a_format_of_their_own_speak_cohere_v1_at_their_path(server: LoopbackServer) -> None:
    got = _rerank(server, "xinference/bge-reranker-v2-m3",
                  {"id": "x", "results": [{"index": 0, "relevance_score": 0.4, "document": {"text": DOCS[0]}}]},
                  api_base=server.url + "/v1", rank_fields=["text"])
    seen = server.requests[0]
    assert seen.path == "/v1/rerank"
    assert seen.json() == {"model": "bge-reranker-v2-m3", "query": "capital of France?", "documents": DOCS,
                           "top_n": 2, "rank_fields": ["text"], "return_documents": True}
    assert got.results[0].document == {"text": DOCS[0]}
    _rerank(server, "litellm_proxy/cohere-rerank", {"id": "p", "results": []}, api_base=server.url)
    assert server.requests[1].path == "/rerank"
