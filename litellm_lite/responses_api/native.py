"""The native Responses wire format (OpenAI, Azure OpenAI, OpenAI-compatible rows serving
``/responses``): prepare the request, parse the JSON answer, the stream events and the errors.

:class:`NativeResponses` has the adapter shape the orchestrator already drives for chat
(``prepare`` / ``parse`` / ``new_stream_state`` / ``parse_event`` / ``finish_stream`` /
``parse_error``), so the one road can send a Responses call like any other. Pure translation: no
I/O, no environment, no module state.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional
from urllib.parse import quote

from ..exceptions import APIError, NotFoundError, error_for_status
from ..providers.base import StreamEvent, WireRequest, WireResponse, error_from_body, join_url, load_json
from .events import ResponsesAPIStreamingResponse
from .request import ResponsesRequest, request_body
from .stream import ResponsesStreamState, finish_stream, parse_event
from .types import ResponsesAPIResponse, response_from_dict

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["NativeResponses", "parse_response", "parse_error", "responses_url", "DEFAULT_PATH"]

#: The path appended to the provider's api_base (Azure: after ``/openai/v1`` or the deployment).
DEFAULT_PATH = "/responses"


def parse_response(body: Any, provider: str = "", model: str = "") -> ResponsesAPIResponse:
    """A 2xx JSON body (bytes, str or an already decoded dict) -> ResponsesAPIResponse.

    A body that is not JSON raises APIConnectionError, JSON that is not an object
    InternalServerError (as for a chat answer); a 200 that carries only an ``error`` object (some
    gateways do that) raises the mapped exception.
    """
    payload = body if isinstance(body, dict) else load_json(body, provider, model, "Responses answer")
    if not isinstance(payload, dict):
        raise error_for_status(500, "unexpected Responses answer: %s" % str(payload)[:200], provider, model)
    error = payload.get("error")
    if isinstance(error, dict) and "output" not in payload and "object" not in payload:
        message = str(error.get("message") or error)
        code = error.get("code")
        status = code if isinstance(code, int) and 400 <= code < 600 else 500
        raise error_for_status(status, message, provider, model, body=json.dumps(payload)[:2000], code=str(code))
    return response_from_dict(payload)


def parse_error(response: WireResponse, provider: str = "", model: str = "") -> APIError:
    """A non-2xx answer -> our exception (not raised), as for chat.

    The Responses API answers an unknown model with **400** ``model_not_found`` (chat answers
    404): that becomes :class:`NotFoundError` (``status_code`` stays 400), so the same ``except``
    and the same fallbacks work for both.
    """
    error = error_from_body(response, provider, model)
    if error.code == "model_not_found" and not isinstance(error, NotFoundError):
        return NotFoundError(
            error.message,
            provider,
            model,
            status_code=error.status_code,
            headers=error.headers,
            body=error.body,
            code=error.code,
            error_type=error.type,
        )
    return error


#: The first Azure api-version serving the Responses API (older ones, the row's default among
#: them, are raised to it: they would answer 404).
AZURE_RESPONSES_API_VERSION = "2025-03-01-preview"


def _azure_version(version: Optional[str]) -> str:
    if not version or (version[:4].isdigit() and version < AZURE_RESPONSES_API_VERSION):
        return AZURE_RESPONSES_API_VERSION
    return version


def responses_url(config: "CallConfig", model: str, path: str = DEFAULT_PATH) -> str:
    """The URL: ``{api_base}{path}``; for the Azure row its v1 route ``/openai/v1{path}`` (api
    versions ``v1`` / ``latest`` / ``preview``) or ``/openai{path}?api-version=...`` (the
    deployment named by ``model`` in the body, as Azure's Responses API takes it)."""
    if config.spec.adapter == "azure":
        from ..providers.azure import V1_VERSIONS, azure_url

        if config.api_version in V1_VERSIONS:
            return azure_url(config.api_base, model, path, config.api_version)
        base = azure_url(config.api_base, model, "/", "v1").split("/openai/v1", 1)[0]
        return "%s/openai%s?api-version=%s" % (base, path, quote(_azure_version(config.api_version), safe=""))
    return join_url(config.api_base, path)


class NativeResponses:
    """The Responses wire format for one provider row (stateless; share one instance)."""

    stream_format = "sse"

    def headers(self, config: "CallConfig", stream: bool) -> Dict[str, str]:
        """Content type, the row's auth (bearer / api-key / Entra ID token), its static headers and
        the caller's extra headers: exactly what the row's chat adapter sends."""
        from ..providers import get_adapter
        from ..providers.openai import OpenAIAdapter

        adapter = get_adapter(config.spec.adapter)
        if not isinstance(adapter, OpenAIAdapter):  # only OpenAI-family rows serve /responses natively
            adapter = get_adapter("openai")
        result: Dict[str, str] = adapter.headers(config, stream)  # type: ignore[attr-defined]
        return result

    def prepare(self, request: ResponsesRequest, config: "CallConfig", path: str = DEFAULT_PATH) -> WireRequest:
        """The HTTP request for ``POST {api_base}{path}`` (path from the spec's ``endpoints``)."""
        return WireRequest(
            url=responses_url(config, request.model, path),
            headers=self.headers(config, request.stream),
            body=request_body(request),
        )

    def parse(self, response: WireResponse, request: ResponsesRequest, config: "CallConfig") -> ResponsesAPIResponse:
        result = parse_response(response.body, config.provider, config.model)
        result._response_headers = dict(response.headers)
        return result

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return parse_error(response, config.provider, config.model)

    def new_stream_state(self, request: ResponsesRequest, config: "CallConfig") -> ResponsesStreamState:
        return ResponsesStreamState(provider=config.provider, model=request.model)

    def parse_event(self, event: StreamEvent, state: ResponsesStreamState) -> List[ResponsesAPIStreamingResponse]:
        return parse_event(event, state)

    def finish_stream(self, state: ResponsesStreamState) -> List[ResponsesAPIStreamingResponse]:
        return finish_stream(state)

    def final_response(self, state: ResponsesStreamState) -> ResponsesAPIResponse:
        """The rebuilt response of a finished stream (for cost, callbacks and the store)."""
        return state.final_response()

