"""Vertex AI adapter and Google credential resolution: the less common branches."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, Iterator, Optional

import pytest

from litellm_lite.auth import resolve_and_fetch  # noqa: F401
from litellm_lite.config import CallConfig, resolve_config
from litellm_lite.exceptions import APIConnectionError, AuthenticationError, BadRequestError
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers import google_auth
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, WireResponse
from litellm_lite.providers.google_auth import clear_token_cache
from litellm_lite.providers.vertex import VertexAdapter
from tests.server import LoopbackServer, Reply

SPEC = PROVIDERS["vertex_ai"]
USER = [{"role": "user", "content": "hi"}]
ADAPTER = VertexAdapter()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture(scope="module")
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def vcfg(credentials: Any = None, api_base: str = "https://us-central1-aiplatform.googleapis.com",
         **options: Any) -> CallConfig:
    config = CallConfig(provider="vertex_ai", model="gemini-2.5-flash", spec=SPEC, api_base=api_base,
                        credentials=credentials)
    config.options.update(options)
    return config


# ---------------------------------------------------------------------------------------------
# adapter


def test_project_and_location_fall_back_to_the_credentials_object() -> None:
    creds = SimpleNamespace(token="ya29.t", project="cred-proj", location="europe-west1")
    wire = ADAPTER.prepare(ChatRequest(model="gemini/gemini-2.5-pro", messages=USER), vcfg(creds))
    assert wire.url == ("https://us-central1-aiplatform.googleapis.com/v1/projects/cred-proj/locations/"
                        "europe-west1/publishers/google/models/gemini-2.5-pro:generateContent")
    assert wire.headers["Authorization"] == "Bearer ya29.t"


def test_a_bare_string_credential_is_the_token() -> None:
    wire = ADAPTER.prepare(ChatRequest(model="m", messages=USER), vcfg("ya29.plain", vertex_project="p",
                                                                       vertex_location="l"))
    assert wire.headers["Authorization"] == "Bearer ya29.plain"


def test_missing_project_names_the_variables() -> None:
    with pytest.raises(BadRequestError, match="VERTEXAI_PROJECT"):
        ADAPTER.prepare(ChatRequest(model="m", messages=USER), vcfg("ya29.t", vertex_location="l"))


def test_embedding_request_with_task_type_and_non_text_input() -> None:
    config = vcfg("ya29.t", vertex_project="p", vertex_location="us-central1")
    wire = ADAPTER.prepare_embedding(EmbeddingRequest(model="text-embedding-005", input=["a"],
                                                      params={"input_type": "retrieval_query"}), config)
    assert json.loads(wire.body) == {"instances": [{"content": "a", "task_type": "RETRIEVAL_QUERY"}]}
    assert wire.url.endswith("/models/text-embedding-005:predict")
    with pytest.raises(BadRequestError, match="text inputs only"):
        ADAPTER.prepare_embedding(EmbeddingRequest(model="text-embedding-005", input=[[1, 2]]), config)


@pytest.mark.parametrize("payload,needle", [
    ({"nothing": 1}, "no 'predictions' list"),
    ({"predictions": [{"embeddings": {"values": [0.1]}}, {"embeddings": {}}]}, "embedding 1 has no values"),
])
def test_embedding_response_garbage(payload: Dict[str, Any], needle: str) -> None:
    request = EmbeddingRequest(model="text-embedding-005", input=["a", "b"])
    with pytest.raises(APIConnectionError, match=needle):
        ADAPTER.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()), request, vcfg("t"))


# ---------------------------------------------------------------------------------------------
# credential resolution


def _resolve(kwargs: Dict[str, Any], environ: Optional[Dict[str, str]] = None) -> CallConfig:
    return resolve_and_fetch(SPEC, "gemini-2.5-flash", kwargs, environ=environ or {})


def _user_creds(uri: str, **extra: Any) -> Dict[str, Any]:
    info = {"type": "authorized_user", "client_id": "cid", "client_secret": "cs", "refresh_token": "rt",
            "token_uri": uri}
    info.update(extra)
    return info


@pytest.mark.parametrize("reply,exc,needle", [
    (Reply(status=200, body=b"<html>not json</html>"), APIConnectionError, "not json"),
    (Reply.json([1, 2]), APIConnectionError, "[1, 2]"),
    (Reply.json({"token_type": "Bearer"}), APIConnectionError, "HTTP 200"),
    (Reply(status=502, body=b"\xff\xfe bad gateway"), Exception, "HTTP 502"),
])
def test_token_endpoint_garbage(srv: LoopbackServer, reply: Reply, exc: Any, needle: str) -> None:
    srv.handler = lambda rec: reply
    with pytest.raises(exc) as info:
        _resolve({"vertex_credentials": _user_creds(srv.url + "/token"), "vertex_project": "p"})
    assert needle in str(info.value)
    assert not isinstance(info.value, AuthenticationError)


def test_token_without_expiry_is_cached(srv: LoopbackServer) -> None:
    calls = []

    def handler(rec: Any) -> Reply:
        calls.append(rec)
        return Reply.json({"access_token": "ya29.noexp", "expires_in": "soon"})

    srv.handler = handler
    info = _user_creds(srv.url + "/token")
    assert _resolve({"vertex_credentials": info, "vertex_project": "p"}).credentials.token == "ya29.noexp"
    assert _resolve({"vertex_credentials": info, "vertex_project": "p"}).credentials.token == "ya29.noexp"
    assert len(calls) == 1  # a non-numeric expires_in counts as an hour


def test_authorized_user_missing_field() -> None:
    info = _user_creds("http://127.0.0.1:9/token")
    del info["client_secret"]
    with pytest.raises(AuthenticationError, match="client_secret"):
        _resolve({"vertex_credentials": info, "vertex_project": "p"})


@pytest.mark.parametrize("value,needle", [
    (42, "must be a file path, a JSON string or a dict"),
    ("[1, 2]", "not a JSON object"),  # JSON text, not a path: parsed, never opened as a file
    ('{"a": 1', "not valid JSON"),
])
def test_credentials_argument_shapes(value: Any, needle: str) -> None:
    with pytest.raises(AuthenticationError, match=needle):
        _resolve({"vertex_credentials": value, "vertex_project": "p"})


def test_credentials_file_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "creds.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(AuthenticationError, match="not a JSON object"):
        _resolve({"vertex_credentials": str(path), "vertex_project": "p"})


def _adc(folder: Path, uri: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "application_default_credentials.json").write_text(json.dumps(_user_creds(uri)), encoding="utf-8")


def test_adc_file_under_cloudsdk_config(srv: LoopbackServer, tmp_path: Path) -> None:
    srv.handler = lambda rec: Reply.json({"access_token": "ya29.sdk", "expires_in": 3600})
    _adc(tmp_path / "sdk", srv.url + "/token")
    config = _resolve({"vertex_project": "p"}, {"CLOUDSDK_CONFIG": str(tmp_path / "sdk"), "HOME": "/nonexistent"})
    assert config.credentials.token == "ya29.sdk"
    assert config.credentials.source == "authorized_user"


def test_adc_file_under_appdata_on_windows(srv: LoopbackServer, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    srv.handler = lambda rec: Reply.json({"access_token": "ya29.win", "expires_in": 3600})
    _adc(tmp_path / "gcloud", srv.url + "/token")
    monkeypatch.setattr(google_auth.os, "name", "nt")
    config = _resolve({"vertex_project": "p"}, {"APPDATA": str(tmp_path)})
    monkeypatch.undo()
    assert os.name != "nt"
    assert config.credentials.token == "ya29.win"
