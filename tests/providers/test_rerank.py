"""Rerank translation: recorded Cohere/Voyage traffic replayed, and each provider over loopback HTTP."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from litellm_lite import _http
from litellm_lite._sigv4 import sign_request
from litellm_lite.exceptions import APIConnectionError, BadRequestError, NotFoundError
from litellm_lite.providers.base import WireResponse
from litellm_lite.rerank_wire import (
    FORMATS,
    RerankRequest,
    RerankResponse,
    bedrock_model_arn,
    build_rerank_request,
    parse_rerank_response,
    rerank_format,
)
from tests.conftest import CASSETTES
from tests.server import LoopbackServer, Reply

RERANK_DIR = CASSETTES / "rerank"


def _recordings(case: str) -> list:
    if not RERANK_DIR.is_dir():
        return []
    out = []
    for path in sorted(RERANK_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["case"] == case:
            data["_file"] = path.name
            out.append(data)
    return out


def _request_from(body: Dict[str, Any]) -> RerankRequest:
    return RerankRequest(model=body["model"], query=body["query"], documents=body["documents"],
                         top_n=body.get("top_n") or body.get("top_k"))


@pytest.mark.parametrize("rec", _recordings("rerank"), ids=lambda r: r["_file"])
def test_recorded_rerank_replays(rec: Dict[str, Any], server: LoopbackServer) -> None:
    provider = rec["provider"]
    version = "v1" if rec["request"]["path"].startswith("/v1/") and provider == "cohere" else None
    request = _request_from(rec["request"]["body"])
    wire = build_rerank_request(provider, request, server.url, "k", api_version=version)
    headers = rec["response"]["headers"]
    server.add(Reply(status=rec["response"]["status"], headers=headers, body=rec["response"]["body_text"].encode()))
    with _http.send(wire, timeout=10, provider=provider) as resp:
        got = parse_rerank_response(provider, WireResponse(resp.status, resp.headers, resp.read()), request,
                                    api_version=version)
    seen = server.requests[0]
    assert (seen.method, seen.path) == (rec["request"]["method"], rec["request"]["path"])
    sent = seen.json()
    for key in ("model", "query", "documents"):
        assert sent[key] == rec["request"]["body"][key]
    if "top_k" in rec["request"]["body"]:
        assert sent["top_k"] == rec["request"]["body"]["top_k"] and "top_n" not in sent
    exp = rec["expected"]
    assert [r.to_dict() for r in got.results] == exp["results"]
    assert got["results"][0]["relevance_score"] == exp["results"][0]["relevance_score"]
    if exp["id"] is not None:
        assert got.id == exp["id"]
    else:
        assert got.id  # generated
    if exp["billed_units"] is not None:
        assert got.meta["billed_units"]["search_units"] == exp["billed_units"]["search_units"]
    if exp["usage"] is not None:
        assert got.meta["billed_units"]["total_tokens"] == exp["usage"]["total_tokens"]
        assert got.meta["tokens"]["input_tokens"] == exp["usage"]["total_tokens"]
    if exp["model"] is not None:
        assert got._hidden_params["model"] == exp["model"]
    assert all("document" not in r.to_dict() for r in got.results)


def test_recordings_present_or_skip() -> None:
    if not RERANK_DIR.is_dir():
        pytest.skip("../shared/cassettes/rerank is not present next to this checkout (plain clone)")
    assert len(_recordings("rerank")) == 8


DOCS = ["Paris is in France.", "Berlin is in Germany.", "Rome is in Italy."]


def _cohere_body(**extra: Any) -> Dict[str, Any]:
    body = {"id": "r-1", "results": [{"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1}],
            "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}}}
    body.update(extra)
    return body


CASES = {
    "cohere": ("/v2/rerank", _cohere_body(),
               lambda b: b == {"model": "m", "query": "q", "documents": DOCS, "top_n": 2}),
    "cohere_v1": ("/v1/rerank", _cohere_body(),
                  lambda b: b["top_n"] == 2 and b["return_documents"] is True and b["max_chunks_per_doc"] == 3),
    "azure_ai": ("/v1/rerank", _cohere_body(), lambda b: b["documents"] == DOCS and b["return_documents"] is True),
    "jina_ai": ("/v1/rerank", {"model": "m", "usage": {"total_tokens": 40},
                               "results": [{"index": 1, "relevance_score": 0.9, "document": {"text": DOCS[1]}},
                                           {"index": 0, "relevance_score": 0.1, "document": {"text": DOCS[0]}}]},
                lambda b: b["top_n"] == 2 and b["return_documents"] is True),
    "voyage": ("/v1/rerank", {"object": "list", "model": "m", "usage": {"total_tokens": 40},
                              "data": [{"index": 1, "relevance_score": 0.9, "document": DOCS[1]},
                                       {"index": 0, "relevance_score": 0.1, "document": DOCS[0]}]},
               lambda b: b["top_k"] == 2 and "top_n" not in b and b["return_documents"] is True),
    "together_ai": ("/v1/rerank", {"id": "t-1", "object": "rerank", "model": "m",
                                   "usage": {"prompt_tokens": 40, "completion_tokens": 0, "total_tokens": 40},
                                   "results": [{"index": 1, "relevance_score": 0.9, "document": {"text": DOCS[1]}},
                                               {"index": 0, "relevance_score": 0.1, "document": {"text": DOCS[0]}}]},
                    lambda b: b["top_n"] == 2 and b["return_documents"] is True),
    "infinity": ("/rerank", {"object": "rerank", "model": "m", "usage": {"prompt_tokens": 40, "total_tokens": 40},
                             "results": [{"index": 1, "relevance_score": 0.9, "document": DOCS[1]},
                                         {"index": 0, "relevance_score": 0.1, "document": DOCS[0]}], "id": "i-1"},
                 lambda b: b["top_n"] == 2 and b["documents"] == DOCS),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_provider_path_body_and_parse(name: str, server: LoopbackServer) -> None:
    path, reply, check = CASES[name]
    provider, version = ("cohere", "v1") if name == "cohere_v1" else (name, None)
    request = RerankRequest(model="m", query="q", documents=list(DOCS), top_n=2,
                            return_documents=None if name == "cohere" else True,
                            max_chunks_per_doc=3 if name == "cohere_v1" else None)
    wire = build_rerank_request(provider, request, server.url + "/", "sk-test", api_version=version)
    server.add(Reply.json(reply))
    with _http.send(wire, timeout=10, provider=provider) as resp:
        got = parse_rerank_response(provider, WireResponse(resp.status, resp.headers, resp.read()), request,
                                    api_version=version)
    seen = server.requests[0]
    assert seen.path == path
    assert seen.headers["authorization"] == "Bearer sk-test"
    assert check(seen.json())
    assert [(r.index, r.relevance_score) for r in got.results] == [(1, 0.9), (0, 0.1)]
    if name != "cohere":
        assert got.results[0]["document"] == {"text": DOCS[1]}
    assert isinstance(got, RerankResponse) and got["id"]
    assert got._hidden_params["custom_llm_provider"] == provider


def test_bedrock_agent_runtime_signed(server: LoopbackServer) -> None:
    request = RerankRequest(model="amazon.rerank-v1:0", query="q", documents=["a", {"title": "b"}], top_n=1)
    wire = build_rerank_request("bedrock", request, server.url, region="us-west-2")
    wire.headers.update(sign_request("POST", wire.url, wire.headers, wire.body, access_key="AKIDEXAMPLE",
                                     secret_key="secret", region="us-west-2", service="bedrock"))
    server.add(Reply.json({"results": [{"index": 1, "relevanceScore": 0.7,
                                        "document": {"type": "TEXT", "textDocument": {"text": "b"}}}]}))
    with _http.send(wire, timeout=10, provider="bedrock") as resp:
        got = parse_rerank_response("bedrock", WireResponse(resp.status, resp.headers, resp.read()), request)
    seen = server.requests[0]
    assert seen.path == "/rerank"
    assert "Credential=AKIDEXAMPLE/" in seen.headers["authorization"] and "/us-west-2/bedrock/" in seen.headers[
        "authorization"]
    body = seen.json()
    config = body["rerankingConfiguration"]["bedrockRerankingConfiguration"]
    assert config["modelConfiguration"]["modelArn"] == "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"
    assert config["numberOfResults"] == 1
    assert body["sources"][1]["inlineDocumentSource"] == {"type": "JSON", "jsonDocument": {"title": "b"}}
    assert body["queries"] == [{"type": "TEXT", "textQuery": {"text": "q"}}]
    assert got.results[0].to_dict() == {"index": 1, "relevance_score": 0.7, "document": {"text": "b"}}
    assert got.meta["billed_units"] == {"search_units": 1}


def test_bedrock_default_base_and_arn() -> None:
    request = RerankRequest(model="cohere.rerank-v3-5:0", query="q", documents=["a"])
    wire = build_rerank_request("bedrock", request, "", region="eu-central-1")
    assert wire.url == "https://bedrock-agent-runtime.eu-central-1.amazonaws.com/rerank"
    assert "authorization" not in wire.headers
    assert bedrock_model_arn("arn:aws:bedrock:x::foundation-model/y", "z") == "arn:aws:bedrock:x::foundation-model/y"


def test_voyage_error_body_maps_to_our_class() -> None:
    resp = WireResponse(404, {"content-type": "application/json"}, b'{"detail": "no such model"}')
    with pytest.raises(NotFoundError) as info:
        parse_rerank_response("voyage", resp, model="rerank-x")
    assert "no such model" in str(info.value) and info.value.llm_provider == "voyage"


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"results": "x"}', b'{"results": [{"index": "0"}]}',
                                  b'{"results": [{"index": 0, "relevance_score": "high"}]}', b'{"results": [3]}'])
def test_hostile_bodies_raise_our_error(body: bytes) -> None:
    with pytest.raises(APIConnectionError) as info:
        parse_rerank_response("cohere", WireResponse(200, {}, body), model="m")
    assert info.value.llm_provider == "cohere"


@pytest.mark.parametrize("kwargs", [
    {"query": ""}, {"documents": []}, {"documents": [1]}, {"top_n": 0}, {"top_n": True},
    {"return_documents": "yes"}, {"rank_fields": "title"}, {"model": ""}, {"max_chunks_per_doc": -1},
])
def test_bad_arguments_rejected_before_send(kwargs: Dict[str, Any]) -> None:
    base: Dict[str, Any] = {"model": "m", "query": "q", "documents": ["a"]}
    base.update(kwargs)
    with pytest.raises(BadRequestError):
        RerankRequest(**base)


def test_unknown_provider_and_missing_base() -> None:
    with pytest.raises(BadRequestError, match="not available"):
        rerank_format("openai")
    request = RerankRequest(model="m", query="q", documents=["a"])
    with pytest.raises(BadRequestError, match="INFINITY_API_BASE"):
        build_rerank_request("infinity", request, "")


def test_cohere_v2_flattens_objects_with_rank_fields() -> None:
    request = RerankRequest(model="m", query="q", documents=[{"title": "T", "body": "B"}], rank_fields=["title", "body"])
    body = json.loads(build_rerank_request("cohere", request, "http://x").body)
    assert body["documents"] == ["title: T\nbody: B"]
    body = json.loads(build_rerank_request("cohere", request, "http://x", api_version="v1").body)
    assert body["documents"] == [{"title": "T", "body": "B"}] and body["rank_fields"] == ["title", "body"]


def test_extra_body_merged() -> None:
    request = RerankRequest(model="m", query="q", documents=["a"], extra_body={"truncation": False})
    assert json.loads(build_rerank_request("voyage", request, "http://x").body)["truncation"] is False


def test_cost_per_query_and_per_token() -> None:
    from litellm_lite import registry

    registry._reset()
    try:
        _check_costs()
    finally:
        registry._reset()


def _check_costs() -> None:
    from litellm_lite import registry
    from litellm_lite.cost import rerank_cost

    registry.register_model({
        "test-rerank-q": {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_query": 0.002,
                          "input_cost_per_token": 0.0},
        "voyage/test-rerank-t": {"litellm_provider": "voyage", "mode": "rerank", "input_cost_per_token": 5e-8},
    })
    by_query = RerankResponse(meta={"billed_units": {"search_units": 3}})
    assert rerank_cost(by_query, "test-rerank-q", "cohere") == pytest.approx(0.006)
    assert rerank_cost(RerankResponse(), "test-rerank-q", "cohere") == pytest.approx(0.002)
    by_token = RerankResponse(meta={"billed_units": {"total_tokens": 1000}, "tokens": {"input_tokens": 1000}})
    assert rerank_cost(by_token, "voyage/test-rerank-t", "voyage") == pytest.approx(5e-5)
    assert rerank_cost(by_query, "no-such-rerank-model", "cohere") is None


def test_formats_are_consistent() -> None:
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.path.startswith("/")
        assert fmt.auth in ("bearer", "aws", "none")


def test_response_is_dict_like() -> None:
    resp = RerankResponse(id="x", results=[], meta={"billed_units": {"search_units": 1}})
    assert resp["meta"]["billed_units"]["search_units"] == 1
    assert json.loads(resp.json()) == {"id": "x", "results": [], "meta": {"billed_units": {"search_units": 1}}}


def test_bedrock_invoke_cohere_rerank(server: LoopbackServer) -> None:
    request = RerankRequest(model="cohere.rerank-v3-5:0", query="q", documents=["a", "b"], top_n=1)
    wire = build_rerank_request("bedrock", request, server.url, api_version="invoke", region="eu-central-1")
    wire.headers.update(sign_request("POST", wire.url, wire.headers, wire.body, access_key="AKIDEXAMPLE",
                                     secret_key="secret", region="eu-central-1", service="bedrock"))
    server.add(Reply.json({"id": "b-1", "results": [{"index": 1, "relevance_score": 0.8}],
                           "meta": {"billed_units": {"search_units": 1}}}))
    with _http.send(wire, timeout=10, provider="bedrock") as resp:
        got = parse_rerank_response("bedrock", WireResponse(resp.status, resp.headers, resp.read()), request,
                                    api_version="invoke")
    seen = server.requests[0]
    assert seen.path == "/model/cohere.rerank-v3-5%3A0/invoke"
    assert seen.json() == {"query": "q", "documents": ["a", "b"], "top_n": 1, "api_version": 2}
    assert got.id == "b-1" and got.results[0].index == 1 and got.meta["billed_units"] == {"search_units": 1}
    default = build_rerank_request("bedrock", request, "", api_version="invoke", region="us-west-2")
    assert default.url == "https://bedrock-runtime.us-west-2.amazonaws.com/model/cohere.rerank-v3-5%3A0/invoke"
