"""Shared fixtures: loopback server, cassette loader, environment isolation."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests.server import LoopbackServer

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASSETTES = SHARED / "cassettes"
SPECS = SHARED / "specs"

_ISOLATED_SUFFIXES = ("_API_KEY", "_API_BASE", "_BASE_URL", "_API_VERSION")
_ISOLATED_NAMES = (
    "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
    "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_SHARED_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS",
    "VERTEXAI_PROJECT", "VERTEXAI_LOCATION", "LITELLM_LITE_MODEL_COST_MAP", "LITELLM_LITE_LOG", "AZURE_AD_TOKEN",
)


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real key, proxy or AWS profile from the machine it runs on."""
    for name in list(os.environ):
        if name.endswith(_ISOLATED_SUFFIXES) or name in _ISOLATED_NAMES:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


def require_shared() -> None:
    if not CASSETTES.is_dir():
        pytest.skip("../shared/cassettes is not present next to this checkout (plain clone): replay tests skipped")


def load_cassettes(prefix: str = "") -> List[Dict[str, Any]]:
    """All recordings whose file name starts with ``prefix`` (empty when ../shared is absent)."""
    if not CASSETTES.is_dir():
        return []
    out = []
    for path in sorted(CASSETTES.glob(prefix + "*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


def pytest_collection_modifyitems(config: Any, items: List[Any]) -> None:
    """In a plain clone the recording-driven parameter lists are empty: say why they are skipped."""
    if CASSETTES.is_dir():
        return
    reason = "../shared/cassettes is not present next to this checkout (plain clone): recording tests skipped"
    for item in items:
        for mark in item.iter_markers("skip"):
            if "empty parameter set" in str(mark.kwargs.get("reason", "")):
                item.add_marker(pytest.mark.skip(reason=reason), append=False)
                break
