"""The researched provider rows (providers/more_rows.py) are well-formed plain data."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Dict
from urllib.parse import urlsplit

import pytest

from litellm_lite.providers import more_rows

ENDPOINTS = {"chat", "embedding", "image_generation", "transcription", "speech", "moderation",
             "text_completion", "rerank", "responses"}
KEYS = {"name", "aliases", "api_base", "api_key_env", "api_base_env", "auth", "endpoints", "unsupported_params",
        "headers", "key_required", "url_template", "quirks", "docs", "confirmed", "note"}
ENV_NAME = __import__("re").compile(r"^[A-Z][A-Z0-9_]*$")


def _http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@pytest.mark.parametrize("row", more_rows.ALL_ROWS, ids=lambda r: r["name"])
def test_row_shape(row: Dict[str, Any]) -> None:
    assert set(row) == KEYS
    assert isinstance(row["name"], str) and row["name"] == row["name"].strip().lower() and row["name"]
    for key in ("aliases", "api_key_env", "api_base_env", "unsupported_params", "quirks"):
        assert isinstance(row[key], list) and all(isinstance(v, str) and v for v in row[key]), key
        assert len(set(row[key])) == len(row[key]), key
    for key in ("api_key_env", "api_base_env"):
        assert all(ENV_NAME.match(v) for v in row[key]), row[key]
    assert row["auth"] in ("bearer", "api-key", "x-api-key", "none")
    assert isinstance(row["key_required"], bool) and isinstance(row["confirmed"], bool)
    assert isinstance(row["headers"], dict) and all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in row["headers"].items())
    assert isinstance(row["endpoints"], dict) and row["endpoints"]
    assert set(row["endpoints"]) <= ENDPOINTS
    assert all(isinstance(p, str) and p.startswith("/") for p in row["endpoints"].values())
    assert _http_url(row["docs"])
    assert row["api_base"] == "" or _http_url(row["api_base"])
    assert not row["api_base"].endswith("/")
    assert isinstance(row["note"], str)
    if not row["confirmed"]:
        assert row["note"].strip(), "an unconfirmed row says what is unconfirmed"


@pytest.mark.parametrize("row", more_rows.TEMPLATED_ROWS, ids=lambda r: r["name"])
def test_templated_rows_have_a_template(row: Dict[str, Any]) -> None:
    template = row["url_template"]
    assert template and "{" in template
    head = template.split()[0]
    if head.startswith("http"):
        assert _http_url(head.replace("{", "x").replace("}", "x"))


def test_plain_rows_have_a_base_or_need_one() -> None:
    for row in more_rows.ROWS:
        assert row["url_template"] == ""
        assert row["api_base"] or "base_required" in row["quirks"], row["name"]


def test_names_and_aliases_unique() -> None:
    seen = set()
    for row in more_rows.ALL_ROWS:
        for name in [row["name"], *row["aliases"]]:
            assert name not in seen, name
            seen.add(name)
    assert len(more_rows.ALL_ROWS) == len(more_rows.ROWS) + len(more_rows.TEMPLATED_ROWS)


def test_issue_vendors_all_present() -> None:
    names = {row["name"] for row in more_rows.ALL_ROWS} | {a for row in more_rows.ALL_ROWS for a in row["aliases"]}
    wanted = {"nebius", "minimax", "huggingface", "volcengine", "zai", "meta_llama", "featherless_ai", "github",
              "llamafile", "novita", "baseten", "wandb", "lambda_ai", "hyperbolic", "nscale", "ovhcloud", "aiml",
              "ai21", "friendliai", "datarobot", "galadriel", "vercel_ai_gateway", "litellm_proxy", "xinference",
              "infinity", "azure_ai", "databricks", "cloudflare", "snowflake", "oci"}
    assert wanted <= names


def test_module_is_data_only() -> None:
    tree = ast.parse(Path(more_rows.__file__).read_text(encoding="utf-8"))
    for node in tree.body:
        assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)), "data only"
        if isinstance(node, ast.ImportFrom):
            assert node.module in ("__future__", "typing")


@pytest.mark.parametrize("row", more_rows.NATIVE_ROWS, ids=lambda r: r["name"])
def test_native_rows_point_at_real_adapters(row: Dict[str, Any]) -> None:
    import importlib

    from litellm_lite.providers.base import Adapter

    assert set(row) == (KEYS - {"unsupported_params", "headers", "url_template", "quirks"}) | {"adapter", "options_env"}
    module_name, _, cls_name = row["adapter"].partition(":")
    module = importlib.import_module(module_name, "litellm_lite.providers")
    assert issubclass(getattr(module, cls_name), Adapter)
    assert all(isinstance(v, list) and all(ENV_NAME.match(n) for n in v) for v in row["options_env"].values())
    assert _http_url(row["docs"]) and row["name"] not in {r["name"] for r in more_rows.ALL_ROWS}
