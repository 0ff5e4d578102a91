"""The Anthropic Messages API adapter (``POST /v1/messages``); Vertex AI's Claude subclasses it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Dict, List

from ...types import ModelResponse, ModelResponseStream
from .._common import CallContext, json_headers, stream_cut
from ..base import Adapter, ChatRequest, StreamEvent, StreamState, WireRequest, WireResponse, load_json
from .request import HARMLESS_VALUES, UNSUPPORTED_PARAMS, build_body, json_mode
from .response import AnthropicStreamState, parse_event, parse_message

if TYPE_CHECKING:  # pragma: no cover
    from ...config import CallConfig

__all__ = ["AnthropicAdapter", "ANTHROPIC_VERSION"]

ANTHROPIC_VERSION = "2023-06-01"


def _messages_url(api_base: str) -> str:
    base = api_base.rstrip("/")
    if base.endswith("/v1/messages"):
        return base
    if base.endswith("/v1"):
        return base + "/messages"
    return base + "/v1/messages"


def _merge_header(headers: Dict[str, str], name: str, value: str) -> None:
    """Add ``value`` to a comma-separated header, whatever case the caller spelled its name in."""
    for key in list(headers):
        if key.lower() == name.lower():
            values = [v.strip() for v in headers[key].split(",") if v.strip()]
            if value not in values:
                values.append(value)
            headers[key] = ",".join(values)
            return
    headers[name] = value


class AnthropicAdapter(Adapter):
    """Anthropic Messages API."""

    needs_default_max_tokens = True  # max_tokens is required by the Messages API
    unsupported_openai_params = UNSUPPORTED_PARAMS
    harmless_param_values = HARMLESS_VALUES

    stream_format = "sse"

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body, betas = build_body(request, CallContext(config))
        auth = {"anthropic-version": ANTHROPIC_VERSION}
        if config.api_key:
            auth["x-api-key"] = config.api_key
        headers = json_headers(config, "text/event-stream" if request.stream else "application/json", auth)
        for beta in betas:
            _merge_header(headers, "anthropic-beta", beta)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return WireRequest(url=_messages_url(config.api_base), headers=headers, body=data)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        payload = load_json(response.body, config.provider, config.model)
        return parse_message(payload, response.text(), request, json_mode(request) == "tool", config.provider,
                             config.model)

    # -- streaming -----------------------------------------------------------------------------

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        return AnthropicStreamState(model=request.model, provider=config.provider,
                                    json_tool=json_mode(request) == "tool")

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, AnthropicStreamState)
        return parse_event(event, state)

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done:
            raise stream_cut(state, "Anthropic", "message_stop")
        return []
