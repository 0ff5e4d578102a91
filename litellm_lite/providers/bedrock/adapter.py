"""The Bedrock adapter: Converse / ConverseStream for chat, InvokeModel for embeddings, SigV4 auth."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, FrozenSet, List
from urllib.parse import quote

from ...exceptions import APIError
from ...types import EmbeddingResponse, ModelResponse, ModelResponseStream
from ..aws_sign import sign_aws
from .._common import CallContext, stream_cut
from ..base import Adapter, ChatRequest, EmbeddingRequest, StreamEvent, StreamState, WireRequest, WireResponse, \
    ProviderSpec, load_json
from . import embeddings
from .errors import error_from_response
from .request import HARMLESS_VALUES, UNSUPPORTED_PARAMS, build_body, is_claude, model_id_of
from .response import BedrockStreamState, json_mode, parse_event, parse_message

if TYPE_CHECKING:  # pragma: no cover
    from ...config import CallConfig

__all__ = ["BedrockAdapter"]

_NO_CREDENTIALS = (
    "no AWS credentials resolved for Bedrock: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_BEARER_TOKEN_BEDROCK"
)


class BedrockAdapter(Adapter):
    """Converse / ConverseStream over HTTPS, signed with SigV4 (or a Bedrock API key)."""

    stream_format = "eventstream"
    unsupported_openai_params = UNSUPPORTED_PARAMS
    harmless_param_values = HARMLESS_VALUES

    def unsupported_chat_params(self, model: str, spec: "ProviderSpec") -> FrozenSet[str]:
        """Reasoning (``reasoning_effort``/``thinking``) only reaches Claude models; InvokeModel's own."""
        from ..bedrock_invoke import uses_invoke

        if uses_invoke(model):
            from .. import get_adapter

            return get_adapter("bedrock_invoke").unsupported_chat_params(model, spec)
        refused = super().unsupported_chat_params(model, spec)
        return refused if is_claude(model_id_of(model)) else refused | {"reasoning_effort", "thinking"}

    def for_call(self, config: "CallConfig") -> Adapter:
        """InvokeModel for ``bedrock/invoke/<model>`` and the text models Converse does not serve as chat."""
        from ..bedrock_invoke import uses_invoke

        if uses_invoke(config.model):
            from .. import get_adapter

            return get_adapter("bedrock_invoke")
        return self

    # -- request ----------------------------------------------------------------------------------

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        ctx = CallContext(config, model=request.model)
        model_id = model_id_of(request.model)
        if model_id.startswith("invoke/"):
            raise ctx.bad("bedrock/invoke/ models are served by InvokeModel (BedrockAdapter.for_call), not Converse")
        if not model_id:
            raise ctx.bad("empty Bedrock model id")
        body = build_body(request, ctx)
        path = "/model/%s/%s" % (quote(model_id, safe=""), "converse-stream" if request.stream else "converse")
        headers = {
            "content-type": "application/json",
            "accept": "application/vnd.amazon.eventstream" if request.stream else "application/json",
        }
        headers.update(config.extra_headers or {})
        return WireRequest(
            url=config.api_base.rstrip("/") + path,
            headers=headers,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        return sign_aws(wire, config, "bedrock", _NO_CREDENTIALS)

    # -- responses --------------------------------------------------------------------------------

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        model_id = model_id_of(request.model)
        payload = load_json(response.body, config.provider, model_id)
        return parse_message(payload, request, config.provider, model_id)

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return error_from_response(response, config.provider, config.model)

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        return BedrockStreamState(model=model_id_of(request.model), provider=config.provider,
                                  json_mode=json_mode(request))

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, BedrockStreamState)
        return parse_event(event, state)

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, BedrockStreamState)
        if not state.stopped:
            raise stream_cut(state, "Bedrock", "messageStop")
        return []

    # -- embeddings (InvokeModel) -----------------------------------------------------------------

    def split_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> List[EmbeddingRequest]:
        return embeddings.split_embedding(request)

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        return embeddings.prepare_embedding(request, config)

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        return embeddings.parse_embedding(response, request, config)
