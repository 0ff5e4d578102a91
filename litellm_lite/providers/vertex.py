"""Vertex AI: Gemini (``vertex_ai/gemini-...``) and Claude (``vertex_ai/claude-...``) behind Google Cloud auth.

Claude models use :class:`VertexAnthropicAdapter` (Anthropic's Messages format over
``publishers/anthropic/models/{model}:rawPredict`` / ``:streamRawPredict``); the rest below is Gemini.

URL: ``{api_base}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}``
``:generateContent`` (streams: ``:streamGenerateContent?alt=sse``), with
``Authorization: Bearer <token>``. The token, project and location were resolved by
:func:`.google_auth.resolve_google_credentials` into ``config.credentials`` / ``config.options``;
this module does no I/O.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, Optional
from urllib.parse import quote

from ..exceptions import APIConnectionError, AuthenticationError, BadRequestError
from ..types import EmbeddingData, EmbeddingResponse, Usage
from ._common import json_headers
from .embed_common import response_list, text_inputs
from .anthropic import AnthropicAdapter
from .base import Adapter, ChatRequest, EmbeddingRequest, WireRequest, WireResponse
from .gemini import GeminiAdapter, embedding_floats

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["VertexAdapter", "VertexAnthropicAdapter", "publisher_url", "vertex_auth_headers"]

VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16"


def _option(config: "CallConfig", name: str) -> Optional[str]:
    value: Any = config.options.get(name)
    if not value and config.credentials is not None:
        value = getattr(config.credentials, name.replace("vertex_", ""), None)
    return str(value) if value else None


def publisher_url(config: "CallConfig", publisher: str, model: str, method: str) -> str:
    """``{base}/v1/projects/{p}/locations/{l}/publishers/{publisher}/models/{model}:{method}``."""
    base = config.api_base.rstrip("/")
    if re.search(r"/publishers/[^/]+/models$", base) or base.endswith("/models"):
        root = base
    else:
        project = _option(config, "vertex_project")
        location = _option(config, "vertex_location")
        if not project or not location:
            raise BadRequestError(
                "Vertex AI needs a project and location: pass vertex_project=... and vertex_location=... "
                "(or set VERTEXAI_PROJECT / VERTEXAI_LOCATION)",
                config.provider,
                config.model,
            )
        if not re.search(r"/v1(?:beta1)?$", base):
            base += "/v1"
        root = "%s/projects/%s/locations/%s/publishers/%s/models" % (
            base, quote(project, safe=""), quote(location, safe=""), publisher)
    return "%s/%s:%s" % (root, quote(model, safe="-._~@"), method)


def vertex_auth_headers(config: "CallConfig") -> Dict[str, str]:
    """The Bearer header from the token the Google credential resolver put in ``config.credentials``
    (in express mode: the API key as ``x-goog-api-key``)."""
    if config.options.get("vertex_express") and config.api_key:
        return {"x-goog-api-key": config.api_key}
    token = getattr(config.credentials, "token", None)
    if token is None and isinstance(config.credentials, str):
        token = config.credentials
    if not token:
        raise AuthenticationError(
            "no Google access token resolved for Vertex AI: set GOOGLE_APPLICATION_CREDENTIALS or pass "
            "vertex_credentials=... / vertex_access_token=...",
            config.provider,
            config.model,
        )
    return {"Authorization": "Bearer %s" % token}


class VertexAdapter(GeminiAdapter):
    """Gemini models on Vertex AI (publisher ``google``)."""

    stream_format = "sse"

    def for_call(self, config: "CallConfig") -> Adapter:
        if config.model.split("/")[-1].startswith("claude"):
            return VertexAnthropicAdapter()
        return self

    def endpoint(self, request: ChatRequest, config: "CallConfig") -> str:
        model = request.model
        if model.startswith("gemini/"):  # LiteLLM's vertex_ai/gemini/<id> spelling
            model = model[len("gemini/"):]
        return publisher_url(config, "google", model, self._method(request))

    def auth_headers(self, config: "CallConfig") -> Dict[str, str]:
        return vertex_auth_headers(config)

    # -- embeddings: publishers/google/models/{model}:predict ------------------------------------

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        instances = []
        for text in text_inputs(request, config, "Vertex AI"):
            instance: Dict[str, Any] = {"content": text}
            if request.params.get("input_type"):
                instance["task_type"] = str(request.params["input_type"]).upper()
            instances.append(instance)
        body: Dict[str, Any] = {"instances": instances}
        if request.params.get("dimensions") is not None:
            body["parameters"] = {"outputDimensionality": request.params["dimensions"]}
        body.update(request.extra_body)
        url = self.endpoint(ChatRequest(model=request.model, messages=[]), config).rsplit(":", 1)[0] + ":predict"
        headers = json_headers(config, None, self.auth_headers(config))
        return WireRequest(url=url, headers=headers, body=json.dumps(body).encode("utf-8"))

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        data = []
        tokens = 0
        for index, item in enumerate(response_list(response, config, "predictions", "Vertex AI embeddings")):
            emb = item.get("embeddings") if isinstance(item, dict) else None
            values = emb.get("values") if isinstance(emb, dict) else None
            if not isinstance(emb, dict) or not isinstance(values, list):
                raise APIConnectionError("Vertex AI embedding %d has no values" % index, config.provider, config.model)
            raw_stats = emb.get("statistics")
            stats = raw_stats if isinstance(raw_stats, dict) else {}
            count = stats.get("token_count")
            if isinstance(count, (int, float)) and not isinstance(count, bool) and 0 <= count < 2**53:
                tokens += int(count)
            data.append(
                EmbeddingData(embedding=embedding_floats(values, index, config.provider, config.model), index=index)
            )
        return EmbeddingResponse(data=data, model=request.model, usage=Usage(prompt_tokens=tokens))


class VertexAnthropicAdapter(AnthropicAdapter):
    """Claude on Vertex AI (publisher ``anthropic``): the Messages format over ``rawPredict``.

    The body is Anthropic's without ``model`` (it is in the URL) and with
    ``anthropic_version: vertex-2023-10-16``; auth is the Google Bearer token.
    """

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        wire = super().prepare(request, config)
        body = json.loads(wire.body.decode("utf-8"))
        body.pop("model", None)
        body["anthropic_version"] = VERTEX_ANTHROPIC_VERSION
        headers = {k: v for k, v in wire.headers.items() if k.lower() not in ("anthropic-version", "x-api-key")}
        headers.update(vertex_auth_headers(config))
        method = "streamRawPredict" if request.stream else "rawPredict"
        model = request.model[len("anthropic/"):] if request.model.startswith("anthropic/") else request.model
        return WireRequest(
            url=publisher_url(config, "anthropic", model, method),
            headers=headers,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )
