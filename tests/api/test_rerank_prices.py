"""Rerank rows in the bundled price map: what tools/update_prices.py keeps and adds (``--add-mode``),
how users' model names find the rows, and what a rerank call costs with and without one."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Optional

import pytest

import litellm_lite as litellm
from litellm_lite import registry
from litellm_lite._price_index import build_index
from litellm_lite.providers import PROVIDERS as PROVIDER_ROWS
from tests.server import LoopbackServer, Reply

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("fresh_registry")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_prices_under_test", ROOT / "tools" / "update_prices.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the tool ---------------------------------------------------------------------------------------


def _rerank_row(provider: str, **prices: float) -> Dict[str, Any]:
    return dict({"litellm_provider": provider, "mode": "rerank", "source": "https://x"}, **prices)


def test_rerank_rows_are_kept_only_for_vendors_we_call(tool: ModuleType) -> None:
    source = {
        "rerank-v9": _rerank_row("cohere", input_cost_per_query=0.002),
        "voyage/rerank-9": _rerank_row("voyage", input_cost_per_token=5e-8),
        "jina-reranker-v9": _rerank_row("jina_ai", input_cost_per_token=5e-8),
        "azure_ai/cohere-rerank-v9": _rerank_row("azure_ai", input_cost_per_query=0.002),
        "vertex_ai/semantic-ranker-9": _rerank_row("vertex_ai", input_cost_per_query=0.001),
        "nvidia_nim/nv-rerank-9": _rerank_row("nvidia_nim", input_cost_per_query=0.0),
        "novita/rerank-9": _rerank_row("novita", input_cost_per_token=1e-8),
        "rerank-v9-latest": {"alias_of": "rerank-v9"},
    }
    kept = tool.trim(source)
    assert sorted(kept) == ["azure_ai/cohere-rerank-v9", "jina-reranker-v9", "rerank-v9", "rerank-v9-latest",
                            "voyage/rerank-9"]
    assert kept["rerank-v9"] == {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_query": 0.002}
    assert kept["rerank-v9-latest"]["alias_of"] == "rerank-v9"


def test_rerank_vendors_are_rows_that_serve_rerank(tool: ModuleType) -> None:
    for name in tool.RERANK_PROVIDERS:
        assert name in tool.PROVIDERS
        spec = PROVIDER_ROWS[registry.normalize_provider(name) or name]
        assert spec.serves("rerank"), name
    assert "rerank" in tool.MODES and tool.MODE_PROVIDERS["rerank"] is tool.RERANK_PROVIDERS


def test_add_mode_adds_only_new_entries_of_that_mode(tool: ModuleType, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    existing = {
        "gpt-x": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6},
        "rerank-v1": {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_query": 0.001},
    }
    source = {
        "gpt-x": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 9e-6},
        "gpt-y": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-6},
        "rerank-v1": _rerank_row("cohere", input_cost_per_query=0.5),
        "rerank-v2": _rerank_row("cohere", input_cost_per_query=0.002),
        "voyage/rerank-2": _rerank_row("voyage", input_cost_per_token=5e-8),
        "vertex_ai/semantic-ranker": _rerank_row("vertex_ai", input_cost_per_query=0.001),
    }
    out, src = tmp_path / "model_prices_and_context_window.json", tmp_path / "source.json"
    out.write_text(tool.dumps(existing), encoding="utf-8")
    src.write_text(json.dumps(source), encoding="utf-8")
    assert tool.main([str(src), "--add-mode", "rerank", "-o", str(out)]) == 0
    assert "added 2 rerank entries" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    written = json.loads(text)
    assert sorted(written) == ["gpt-x", "rerank-v1", "rerank-v2", "voyage/rerank-2"]
    assert written["gpt-x"] == existing["gpt-x"] and written["rerank-v1"] == existing["rerank-v1"]
    assert written["rerank-v2"] == {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_query": 0.002}
    assert text == tool.dumps(written)  # sorted, one model per line
    index = (tmp_path / "model_prices_index.txt").read_text(encoding="utf-8")
    assert index == build_index(out.read_bytes())


def test_add_mode_refuses_unknown_modes_and_missing_files(tool: ModuleType, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "source.json"
    src.write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit):
        tool.main([str(src), "--add-mode", "realtime", "-o", str(tmp_path / "out.json")])
    assert tool.main([str(src), "--add-mode", "rerank", "-o", str(tmp_path / "absent.json")]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert not (tmp_path / "absent.json").exists()


# -- the bundled rows -------------------------------------------------------------------------------


@pytest.mark.parametrize("model, provider, key", [
    ("cohere/rerank-v3.5", "cohere", "rerank-v3.5"),
    ("cohere/rerank-english-v3.0", "cohere", "rerank-english-v3.0"),
    ("cohere/rerank-multilingual-v3.0", "cohere", "rerank-multilingual-v3.0"),
    ("azure_ai/cohere-rerank-v4.0-fast", "azure_ai", "azure_ai/cohere-rerank-v4.0-fast"),
    ("jina_ai/jina-reranker-v2-base-multilingual", "jina_ai", "jina-reranker-v2-base-multilingual"),
    ("voyage/rerank-2", "voyage", "voyage/rerank-2"),
    ("voyage/rerank-2-lite", "voyage", "voyage/rerank-2-lite"),
    ("together_ai/Salesforce/Llama-Rank-V1", "together_ai", "together_ai/Salesforce/Llama-Rank-V1"),
    ("bedrock/cohere.rerank-v3-5:0", "bedrock", "cohere.rerank-v3-5:0"),
    ("bedrock/amazon.rerank-v1:0", "bedrock", "amazon.rerank-v1:0"),
])
def test_users_names_find_the_bundled_rerank_rows(model: str, provider: str, key: str) -> None:
    for given in (provider, None):
        spec = registry.lookup(model, given)
        assert spec is not None and spec.name == key and spec.mode == "rerank", (model, given)
        assert spec.provider == provider
        assert spec.raw.get("input_cost_per_query") or spec.input_cost_per_token


def test_rows_of_other_providers_are_not_found_under_a_rerank_vendor() -> None:
    assert registry.lookup("voyage/rerank-v3.5", "voyage") is None
    assert registry.lookup("cohere/rerank-2", "cohere") is None
    assert registry.lookup("azure_ai/cohere-rerank-v3.5", "azure_ai") is None  # LiteLLM has no such row


def test_model_cost_and_get_model_info_show_the_row() -> None:
    row = litellm.model_cost["rerank-v3.5"]
    assert row["mode"] == "rerank" and row["litellm_provider"] == "cohere"
    info = litellm.get_model_info("cohere/rerank-v3.5")
    assert info["key"] == "rerank-v3.5" and info["mode"] == "rerank"
    assert info["input_cost_per_query"] == row["input_cost_per_query"] > 0
    assert "voyage/rerank-2" in litellm.model_cost


# -- calls --------------------------------------------------------------------------------------------


def _call(server: LoopbackServer, model: str, body: Dict[str, Any], **kwargs: Any) -> Optional[float]:
    server.add(Reply.json(body))
    kwargs.setdefault("api_key", "k")
    got = litellm.rerank(model=model, query="q", documents=["a", "b"], api_base=server.url, num_retries=0, **kwargs)
    cost = got._hidden_params["response_cost"]
    assert cost is None or isinstance(cost, float)
    return cost


def test_call_costs_follow_the_rows(server: LoopbackServer) -> None:
    cohere = registry.lookup("cohere/rerank-v3.5", "cohere")
    jina = registry.lookup("jina_ai/jina-reranker-v2-base-multilingual", "jina_ai")
    bedrock = registry.lookup("bedrock/amazon.rerank-v1:0", "bedrock")
    assert cohere is not None and jina is not None and bedrock is not None
    cost = _call(server, "cohere/rerank-v3.5", {"id": "c", "results": [], "meta": {"billed_units": {"search_units": 2}}})
    assert cost == pytest.approx(2 * cohere.raw["input_cost_per_query"])
    cost = _call(server, "jina_ai/jina-reranker-v2-base-multilingual",
                 {"model": "jina-reranker-v2-base-multilingual", "usage": {"total_tokens": 400}, "results": []})
    assert jina.input_cost_per_token is not None and cost == pytest.approx(400 * jina.input_cost_per_token)
    cost = _call(server, "bedrock/amazon.rerank-v1:0", {"results": [{"index": 0, "relevanceScore": 0.5}]},
                 api_key=None, aws_region_name="us-east-1", aws_access_key_id="AKIATESTKEY00000001",
                 aws_secret_access_key="s")
    assert cost == pytest.approx(bedrock.raw["input_cost_per_query"])  # one query, one search unit


def test_a_model_without_a_row_costs_none(server: LoopbackServer) -> None:
    assert registry.lookup("cohere/rerank-english-v2.0", "cohere") is None
    body = {"id": "c", "results": [], "meta": {"billed_units": {"search_units": 1}}}
    assert _call(server, "cohere/rerank-english-v2.0", body) is None
    assert _call(server, "xinference/bge-reranker-v2-m3", body) is None


def test_bare_bundled_names_route_to_their_vendor(server: LoopbackServer) -> None:
    row = registry.lookup("rerank-v3.5", None)
    assert row is not None
    body = {"id": "c", "results": [], "meta": {"billed_units": {"search_units": 1}}}
    server.add(Reply.json(body))
    got = litellm.rerank(model="rerank-v3.5", query="q", documents=["a"], api_base=server.url, api_key="k",
                         num_retries=0)
    assert server.requests[0].path == "/v2/rerank" and server.requests[0].json()["model"] == "rerank-v3.5"
    assert got._hidden_params["custom_llm_provider"] == "cohere"
    assert got._hidden_params["response_cost"] == pytest.approx(row.raw["input_cost_per_query"])
