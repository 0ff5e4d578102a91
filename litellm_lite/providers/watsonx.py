"""IBM watsonx.ai chat: ``/ml/v1/text/chat`` and ``/ml/v1/text/chat_stream`` (SSE).

The body is OpenAI's chat body with ``model_id`` for ``model`` and a ``project_id`` or
``space_id``; answers and stream chunks are OpenAI-shaped, so they are read by the OpenAI format's
parser. A deployed model (``watsonx/deployment/<id>``) goes to
``/ml/v1/deployments/<id>/text/chat`` without ``model_id`` or project.

Authentication (``sign``): the bearer token in ``config.credentials``, which the ``ibm_iam``
credential resolver (``ibm_auth.resolve_ibm_credentials``, run by the road's send step) fills:
LiteLLM's ``token`` / ``WATSONX_TOKEN``, or the IBM Cloud API key exchanged at the IAM endpoint.

Options read from ``config.options`` (the config step fills them from LiteLLM's keywords and
variables): ``project_id`` (WATSONX_PROJECT_ID), ``space_id`` (WATSONX_DEPLOYMENT_SPACE_ID),
``api_version`` (or ``config.api_version``: WATSONX_API_VERSION, default ``2024-03-13``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional
from urllib.parse import quote, urlencode

from ..exceptions import APIConnectionError, APIError, AuthenticationError, BadRequestError, error_for_status
from ..params import OPENAI_CHAT_PARAMS
from ..types import ModelResponse, ModelResponseStream
from .base import (
    Adapter, ChatRequest, StreamEvent, StreamState, WireRequest, WireResponse, join_url, load_json, reject_param,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["WatsonxAdapter", "DEFAULT_API_VERSION", "WATSONX_PARAMS"]

DEFAULT_API_VERSION = "2024-03-13"
# OpenAI parameters the watsonx chat API takes, under the same names.
WATSONX_PARAMS = frozenset({
    "max_tokens", "max_completion_tokens", "temperature", "top_p", "frequency_penalty", "presence_penalty",
    "stop", "seed", "n", "logprobs", "top_logprobs", "tools", "tool_choice", "response_format",
    "logit_bias", "time_limit", "reasoning_effort",
})
_DEPLOYMENT = "deployment/"


def _openai() -> Adapter:
    from . import get_adapter

    return get_adapter("openai")


def _url(request: ChatRequest, config: "CallConfig") -> str:
    if not config.api_base:
        raise BadRequestError("watsonx needs the service URL: pass api_base or set WATSONX_URL "
                              "(e.g. https://us-south.ml.cloud.ibm.com)", config.provider, config.model)
    action = "chat_stream" if request.stream else "chat"
    if request.model.startswith(_DEPLOYMENT):
        deployment = request.model[len(_DEPLOYMENT):]
        if not deployment:
            raise BadRequestError("watsonx: 'deployment/' needs a deployment id", config.provider, config.model)
        path = "/ml/v1/deployments/%s/text/%s" % (quote(deployment, safe=""), action)
    else:
        path = "/ml/v1/text/" + action
    version = config.options.get("api_version") or config.api_version or DEFAULT_API_VERSION
    return join_url(config.api_base, path) + "?" + urlencode({"version": str(version)})


def _scope(request: ChatRequest, config: "CallConfig") -> Dict[str, str]:
    if request.model.startswith(_DEPLOYMENT):
        return {}
    project = config.options.get("project_id")
    space = config.options.get("space_id")
    if project:
        return {"project_id": str(project)}
    if space:
        return {"space_id": str(space)}
    raise BadRequestError("watsonx needs a project: pass project_id or set WATSONX_PROJECT_ID "
                          "(or space_id / WATSONX_DEPLOYMENT_SPACE_ID)", config.provider, config.model)


class WatsonxAdapter(Adapter):
    """IBM watsonx.ai text chat (``watsonx/`` models)."""

    stream_format = "sse"
    unsupported_openai_params = frozenset(OPENAI_CHAT_PARAMS) - WATSONX_PARAMS

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body: Dict[str, Any] = {"messages": request.messages}
        if not request.model.startswith(_DEPLOYMENT):
            body["model_id"] = request.model
        body.update(_scope(request, config))
        for name, value in request.params.items():
            if name.startswith("_"):
                continue
            if name not in WATSONX_PARAMS:
                reject_param(name, config)
                continue
            body["max_tokens" if name == "max_completion_tokens" else name] = value
        body.update(request.extra_body)
        headers = {"content-type": "application/json",
                   "accept": "text/event-stream" if request.stream else "application/json"}
        headers.update(config.extra_headers)
        return WireRequest(url=_url(request, config), headers=headers, body=json.dumps(body).encode("utf-8"))

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        """Add ``Authorization: Bearer <token>``: the token the ``ibm_iam`` resolver fetched (auth.py)."""
        token = config.credentials or config.options.get("token")
        if not token:
            raise AuthenticationError("watsonx needs credentials: pass api_key (or set WATSONX_APIKEY) "
                                      "or token (WATSONX_TOKEN)", config.provider, config.model)
        headers = dict(wire.headers)
        headers["authorization"] = "Bearer " + str(token)
        return WireRequest(url=wire.url, headers=headers, body=wire.body, method=wire.method)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        data = load_json(response.body, config.provider, config.model)
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise APIConnectionError("unexpected watsonx response: no 'choices' list", config.provider, config.model)
        result = _openai().parse(response, request, config)
        if not data.get("model") and isinstance(data.get("model_id"), str):
            result.model = data["model_id"]
        return result

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        """watsonx errors: ``{"errors": [{"code", "message"}], "trace", "status_code"}``."""
        message = None
        code = None
        try:
            payload = json.loads(response.text())
            first = payload["errors"][0]
            message = str(first.get("message") or "")
            code = first.get("code")
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            pass
        if not message:
            return super().parse_error(response, config)
        return error_for_status(response.status, message, config.provider, config.model,
                                headers=dict(response.headers), body=response.text(),
                                code=str(code) if code is not None else None)

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        data = event.data.strip() if event.data else ""
        if event.event == "error" or data.startswith('{"errors"'):
            self._raise_stream_error(data, state)
        if event.event == "close":
            state.done = True
            return []
        return _openai().parse_event(event, state)

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done and state.finish_reason is None:
            raise APIConnectionError("watsonx stream ended before a finish_reason (connection cut?)",
                                     state.provider, state.model)
        return []

    @staticmethod
    def _raise_stream_error(data: str, state: StreamState) -> None:
        message: Optional[str] = None
        status = 500
        try:
            payload = json.loads(data)
            first = payload["errors"][0]
            message = str(first.get("message") or first)
            if isinstance(payload.get("status_code"), int) and 400 <= payload["status_code"] < 600:
                status = payload["status_code"]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            message = data[:500] or "watsonx stream error"
        raise error_for_status(status, message or "watsonx stream error", state.provider, state.model)
