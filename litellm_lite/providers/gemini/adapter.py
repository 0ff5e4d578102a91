"""The Gemini ``generateContent`` adapter (AI Studio, ``gemini/...``); Vertex AI subclasses it."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, List
from urllib.parse import quote

from ...exceptions import APIConnectionError, APIError, BadRequestError
from ...types import EmbeddingData, EmbeddingResponse, ModelResponse, ModelResponseStream
from .._common import CallContext, json_headers, stream_cut
from ..embed_common import response_list, text_inputs
from ..base import Adapter, ChatRequest, EmbeddingRequest, StreamEvent, StreamState, WireRequest, WireResponse, \
    load_json
from .errors import error_from_response
from .request import HARMLESS_VALUES, UNSUPPORTED_PARAMS, build_body
from .response import GeminiStreamState, embedding_floats, parse_response, stream_item

if TYPE_CHECKING:  # pragma: no cover
    from ...config import CallConfig

__all__ = ["GeminiAdapter", "GeminiJSONArrayAdapter"]


class GeminiAdapter(Adapter):
    """Gemini ``generateContent`` / ``streamGenerateContent?alt=sse`` with an ``x-goog-api-key``."""

    unsupported_openai_params = UNSUPPORTED_PARAMS
    harmless_param_values = HARMLESS_VALUES
    stream_state_class = GeminiStreamState

    stream_format = "sse"

    # -- hooks that Vertex AI overrides -------------------------------------------------------------

    def endpoint(self, request: ChatRequest, config: "CallConfig") -> str:
        base = config.api_base.rstrip("/")
        model = request.model[len("models/"):] if request.model.startswith("models/") else request.model
        if base.endswith("/models"):
            root = base
        elif re.search(r"/v1(?:alpha|beta)?\d*$", base):
            root = base + "/models"
        else:
            root = base + "/v1beta/models"
        return "%s/%s:%s" % (root, quote(model, safe="-._~"), self._method(request))

    def _method(self, request: ChatRequest) -> str:
        if not request.stream:
            return "generateContent"
        return "streamGenerateContent?alt=sse" if self.stream_format == "sse" else "streamGenerateContent"

    def auth_headers(self, config: "CallConfig") -> Dict[str, str]:
        return {"x-goog-api-key": config.api_key} if config.api_key else {}

    def for_call(self, config: "CallConfig") -> "Adapter":
        fmt = config.options.get("gemini_stream_format")
        if fmt in (None, "sse"):
            return self
        if fmt == "json_array":
            return GeminiJSONArrayAdapter()
        raise BadRequestError("gemini_stream_format must be 'sse' or 'json_array'", config.provider, config.model)

    # -- the Adapter contract ---------------------------------------------------------------------

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body = build_body(request, CallContext(config, request.model))
        accept = None
        if request.stream:
            accept = "text/event-stream" if self.stream_format == "sse" else "application/json"
        headers = json_headers(config, accept, self.auth_headers(config))
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return WireRequest(url=self.endpoint(request, config), headers=headers, body=data)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        return parse_response(response, request, config)

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return error_from_response(response, config.provider, config.model)

    # -- embeddings -------------------------------------------------------------------------------

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        """``models/{model}:batchEmbedContents``: one request per input text."""
        url = self.endpoint(ChatRequest(model=request.model, messages=[]), config).rsplit(":", 1)[0]
        model_path = "models/" + request.model.split("/")[-1]
        common: Dict[str, Any] = {}
        if request.params.get("dimensions") is not None:
            common["outputDimensionality"] = request.params["dimensions"]
        task = request.params.get("input_type")
        if task:
            common["taskType"] = str(task).upper()
        entries = []
        for text in text_inputs(request, config, "Gemini"):
            entries.append(dict({"model": model_path, "content": {"parts": [{"text": text}]}}, **common))
        body = dict({"requests": entries}, **request.extra_body)
        return WireRequest(url=url + ":batchEmbedContents", headers=json_headers(config, None, self.auth_headers(config)),
                           body=json.dumps(body).encode("utf-8"))

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        data = []
        for index, item in enumerate(response_list(response, config, "embeddings", "Gemini embeddings")):
            values = item.get("values") if isinstance(item, dict) else None
            if not isinstance(values, list):
                raise APIConnectionError("Gemini embedding %d has no values" % index, config.provider, config.model)
            data.append(EmbeddingData(embedding=embedding_floats(values, index, config.provider, config.model), index=index))
        return EmbeddingResponse(data=data, model=request.model)

    # -- streaming -----------------------------------------------------------------------------------

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, GeminiStreamState)
        data = event.data.strip() if event.data else ""
        if not data or data == "[DONE]":
            return []
        payload = load_json(data, state.provider, state.model, what="stream event")
        items = payload if isinstance(payload, list) else [payload]
        chunks: List[ModelResponseStream] = []
        for item in items:
            if not isinstance(item, dict):
                raise APIConnectionError("Gemini stream event is not a JSON object", state.provider, state.model)
            chunks.extend(stream_item(item, state))
        return chunks

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, GeminiStreamState)
        if not state.done:
            raise stream_cut(state, "Gemini", "a finishReason")
        if state.usage_pending and state.usage is not None:
            state.usage_pending = False
            return [state.chunk(usage=state.usage, with_choice=False)]
        return []


class GeminiJSONArrayAdapter(GeminiAdapter):
    """The same translation over ``streamGenerateContent`` without ``alt=sse`` (a streamed JSON array).

    Chosen per call with ``gemini_stream_format="json_array"``.
    """

    stream_format = "json_array"

    def for_call(self, config: "CallConfig") -> "Adapter":
        return self
