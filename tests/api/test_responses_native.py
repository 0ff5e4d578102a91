"""NativeResponses, the adapter-shaped native format: URLs and headers per row (OpenAI, Azure v1
and deployment paths, OpenAI-compatible rows), and a full offline round trip against the fake
provider (prepare -> HTTP -> parse / parse_event / finish_stream / parse_error)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any, List, Optional, Tuple

import pytest

from litellm_lite._sse import iter_sse
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import AuthenticationError, NotFoundError
from litellm_lite.providers import get_spec
from litellm_lite.providers.base import WireRequest, WireResponse
from litellm_lite.responses_api import NativeResponses, build_request
from litellm_lite.responses_api.native import responses_url
from litellm_lite.testing import FakeProvider

NATIVE = NativeResponses()


def _config(provider: str, api_base: str, api_version: Optional[str] = None, **kw: Any) -> CallConfig:
    spec = get_spec(provider)
    assert spec is not None
    return CallConfig(provider=provider, model="m", spec=spec, api_key="sk-test-123456", api_base=api_base,
                      api_version=api_version, **kw)


def test_openai_url_headers_and_body() -> None:
    config = _config("openai", "https://api.openai.com/v1", extra_headers={"X-Trace": "1"})
    wire = NATIVE.prepare(build_request("gpt-4.1", "hi", {"stream": True}), config)
    assert wire.url == "https://api.openai.com/v1/responses"
    assert wire.headers["Authorization"] == "Bearer sk-test-123456"
    assert wire.headers["Accept"] == "text/event-stream" and wire.headers["X-Trace"] == "1"
    assert json.loads(wire.body) == {"model": "gpt-4.1", "input": "hi", "stream": True}
    plain = NATIVE.prepare(build_request("gpt-4.1", "hi"), config)
    assert "Accept" not in plain.headers


def test_azure_v1_and_deployment_urls_with_api_key_header() -> None:
    v1 = _config("azure", "https://res.openai.azure.com", api_version="v1")
    wire = NATIVE.prepare(build_request("gpt-5-deploy", "hi"), v1)
    assert wire.url == "https://res.openai.azure.com/openai/v1/responses"
    assert wire.headers["api-key"] == "sk-test-123456" and "Authorization" not in wire.headers
    dated = _config("azure", "https://res.openai.azure.com/openai/", api_version="2025-04-01-preview")
    # Azure's dated Responses route names the deployment in the body, not the path.
    assert responses_url(dated, "my deploy") == "https://res.openai.azure.com/openai/responses?api-version=2025-04-01-preview"
    old = _config("azure", "https://res.openai.azure.com", api_version="2024-10-21")  # the row's default
    assert responses_url(old, "d") == "https://res.openai.azure.com/openai/responses?api-version=2025-03-01-preview"


def test_compatible_row_and_custom_path() -> None:
    config = _config("deepseek", "https://api.deepseek.com")
    wire = NATIVE.prepare(build_request("deepseek-chat", "hi"), config, path="/v1/responses")
    assert wire.url == "https://api.deepseek.com/v1/responses"
    assert wire.headers["Authorization"] == "Bearer sk-test-123456"


def test_non_openai_row_falls_back_to_the_bearer_form() -> None:
    config = _config("anthropic", "https://gateway.example/v1")
    wire = NATIVE.prepare(build_request("claude", "hi"), config)
    assert wire.url == "https://gateway.example/v1/responses" and wire.headers["Content-Type"] == "application/json"


def _send(wire: WireRequest) -> Tuple[int, Any, bytes]:
    request = urllib.request.Request(wire.url, data=wire.body, headers=wire.headers, method=wire.method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            try:
                return answer.status, answer.headers, answer.read()
            except http.client.IncompleteRead as cut:
                return answer.status, answer.headers, cut.partial
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_round_trip_against_the_fake() -> None:
    with FakeProvider() as fake:
        config = _config("openai", fake.api_base)
        fake.add_reply("Hello there")
        request = build_request("gpt-4.1", "Hi")
        status, headers, body = _send(NATIVE.prepare(request, config))
        resp = NATIVE.parse(WireResponse(status, dict(headers), body), request, config)
        assert resp.output_text == "Hello there" and resp._response_headers["Content-Type"] == "application/json"
        assert fake.requests[-1].headers["authorization"] == "Bearer sk-test-123456"

        fake.add_reply(None, tool_calls=[{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}])
        request = build_request("gpt-4.1", "Hi", {"stream": True})
        status, _, body = _send(NATIVE.prepare(request, config))
        state = NATIVE.new_stream_state(request, config)
        events: List[Any] = []
        for event in iter_sse([body]):
            events.extend(NATIVE.parse_event(event, state))
        assert NATIVE.finish_stream(state) == []
        final = NATIVE.final_response(state)
        assert final.function_calls[0].call_id == "c1" and events[-1].type == "response.completed"

        fake.add_error(401, "Incorrect API key provided", code="invalid_api_key")
        status, headers, body = _send(NATIVE.prepare(build_request("gpt-4.1", "Hi"), config))
        error = NATIVE.parse_error(WireResponse(status, dict(headers), body), config)
        assert isinstance(error, AuthenticationError) and error.llm_provider == "openai"
        assert "sk-test-123456" not in str(error)

        fake.add_error(400, "The requested model 'x' does not exist.", code="model_not_found")
        status, headers, body = _send(NATIVE.prepare(build_request("x", "Hi"), config))
        error = NATIVE.parse_error(WireResponse(status, dict(headers), body), config)
        assert isinstance(error, NotFoundError) and error.status_code == 400


def test_cut_native_stream_raises() -> None:
    from litellm_lite.exceptions import APIConnectionError

    with FakeProvider() as fake:
        config = _config("openai", fake.api_base)
        fake.add_reply("some words to stream", cut_after_chunks=3)
        request = build_request("gpt-4.1", "Hi", {"stream": True})
        _, _, body = _send(NATIVE.prepare(request, config))
    state = NATIVE.new_stream_state(request, config)
    for event in iter_sse([body]):
        NATIVE.parse_event(event, state)
    with pytest.raises(APIConnectionError, match="3 events received"):
        NATIVE.finish_stream(state)
