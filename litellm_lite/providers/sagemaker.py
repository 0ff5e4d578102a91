"""AWS SageMaker real-time endpoints: ``/endpoints/{name}/invocations`` and ``invocations-response-stream``.

Two body shapes, as LiteLLM names them:

- ``sagemaker/<endpoint>`` (:class:`SagemakerTGIAdapter`): Hugging Face TGI's
  ``{"inputs": prompt, "parameters": {...}}``; answers ``[{"generated_text", "details"}]``, streams
  ``data:{"token": {"text"}, "details"}`` lines.
- ``sagemaker_chat/<endpoint>`` (:class:`SagemakerChatAdapter`): OpenAI's chat body (the Messages API
  of TGI, LMI and vLLM containers); answers and streams in OpenAI's shape.

Requests are signed with SigV4 for service ``sagemaker`` (``config.credentials``: an
``AwsCredentials`` from the AWS resolver). Streams arrive as AWS event-stream frames whose
``PayloadPart`` payloads are raw bytes of the container's output, cut anywhere: the bytes are
re-joined and split into lines here. :class:`PayloadDecoder` keeps payloads byte-exact (a frame may
end inside a UTF-8 character); the stream step should use it for these adapters
(``stream_decoder()``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List
from urllib.parse import quote

from .._eventstream import EventStreamDecoder
from ..params import OPENAI_CHAT_PARAMS
from ..exceptions import APIConnectionError, APIError, BadRequestError, error_for_status
from ..types import Choices, Delta, Message, ModelResponse, ModelResponseStream
from .base import (
    Adapter, ChatRequest, StreamEvent, StreamState, WireRequest, WireResponse, error_from_body, json_object, load_json,
    map_finish_reason, reject_param, text_of, token_count, usage_from_counts,
)
from .aws_sign import aws_region, sign_aws

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["SagemakerTGIAdapter", "SagemakerChatAdapter", "PayloadDecoder", "runtime_base", "tgi_prompt"]

EVENTSTREAM = "application/vnd.amazon.eventstream"
_COMPONENT_HEADER = "x-amzn-sagemaker-inference-component"
# TGI: OpenAI name -> TGI parameter
_TGI_PARAMS = {
    "max_tokens": "max_new_tokens",
    "max_completion_tokens": "max_new_tokens",
    "temperature": "temperature",
    "top_p": "top_p",
    "stop": "stop",
    "seed": "seed",
    "n": "best_of",
}
_NO_CREDENTIALS = "no AWS credentials resolved for SageMaker: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE"
_STREAM_ERRORS = {"ModelStreamError": 424, "InternalStreamFailure": 500, "ValidationError": 400}


def runtime_base(region: str) -> str:
    """The SageMaker runtime endpoint of ``region``."""
    return "https://runtime.sagemaker.%s.amazonaws.com" % region



def _line_payload(line: str) -> str:
    """A stream line without its blanks and an SSE ``data:`` prefix (containers send either)."""
    text = line.strip()
    return text[5:].strip() if text.startswith("data:") else text


@dataclass
class SagemakerStreamState(StreamState):
    """One SageMaker stream: PayloadPart bytes are split into lines across frames."""

    lines: Any = None  # _sse.LineSplitter
    started: bool = False

class PayloadDecoder(EventStreamDecoder):
    """Event-stream decoder whose payloads stay byte-exact (``surrogateescape`` text).

    ``event.data.encode("utf-8", "surrogateescape")`` gives back the payload bytes, even when a
    frame ends inside a multi-byte character.
    """

    text_errors = "surrogateescape"


def _url(request: ChatRequest, config: "CallConfig") -> str:
    base = config.api_base
    if not base or "bedrock-runtime" in base:  # the AWS resolver fills Bedrock's URL by default
        region = aws_region(config)
        if not region:
            raise BadRequestError("sagemaker needs a region: pass aws_region_name or set AWS_REGION",
                                  config.provider, config.model)
        base = runtime_base(region)
    if not request.model:
        raise BadRequestError("sagemaker: the model is the endpoint name (sagemaker/<endpoint>)",
                              config.provider, config.model)
    action = "invocations-response-stream" if request.stream else "invocations"
    return "%s/endpoints/%s/%s" % (base.rstrip("/"), quote(request.model, safe=""), action)


def _headers(request: ChatRequest, config: "CallConfig") -> Dict[str, str]:
    headers = {"content-type": "application/json", "accept": EVENTSTREAM if request.stream else "application/json"}
    component = config.options.get("inference_component_name") or config.options.get("model_id")
    if component:
        headers[_COMPONENT_HEADER] = str(component)
    headers.update(config.extra_headers)
    return headers


def tgi_prompt(messages: List[Dict[str, Any]]) -> str:
    """LiteLLM's default prompt for TGI endpoints: the message texts joined by spaces."""
    return " ".join(text_of(m.get("content")) for m in messages if isinstance(m, dict))


def _stream_error(event: StreamEvent, state: StreamState) -> None:
    headers = event.headers or {}
    kind = headers.get(":message-type", "event")
    if kind not in ("exception", "error"):
        return
    name = str(event.event or "error")
    message = event.data
    try:
        payload = json.loads(event.data)
        if isinstance(payload, dict):
            message = str(payload.get("Message") or payload.get("message") or event.data)
    except ValueError:
        pass
    status = _STREAM_ERRORS.get(name, 500)
    raise error_for_status(status, "%s: %s" % (name, message[:500]), state.provider, state.model)


class _SagemakerBase(Adapter):
    stream_format = "eventstream"

    @staticmethod
    def stream_decoder() -> PayloadDecoder:
        """The event-stream decoder these streams need (byte-exact payloads)."""
        return PayloadDecoder()

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        """SigV4 for service ``sagemaker`` (or a bearer token when the credentials carry one)."""
        return sign_aws(wire, config, "sagemaker", _NO_CREDENTIALS)

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        """SageMaker errors: ``{"message": ...}`` or ``{"Message": ...}`` (``x-amzn-errortype``)."""
        err = error_from_body(response, config.provider, config.model)
        try:
            payload = json.loads(response.text())
            message = payload.get("Message") if isinstance(payload, dict) else None
            if isinstance(message, str) and message and message not in err.message:
                err.message = message
                err.args = (message,)
        except (ValueError, RecursionError):
            pass
        return err

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        from .._sse import LineSplitter

        return SagemakerStreamState(
            model=request.model, provider=config.provider, lines=LineSplitter(what="SageMaker stream")
        )

    def _lines(self, event: StreamEvent, state: StreamState) -> List[str]:
        _stream_error(event, state)
        if event.event not in (None, "PayloadPart"):
            return []
        raw = event.data.encode("utf-8", "surrogateescape")
        assert isinstance(state, SagemakerStreamState)
        return [line.decode("utf-8", "replace") for line in state.lines.feed(raw)]

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        out: List[ModelResponseStream] = []
        assert isinstance(state, SagemakerStreamState)
        for tail in state.lines.flush():
            out.extend(self._line(tail.decode("utf-8", "replace"), state))
        if not state.done and state.finish_reason is None:
            raise APIConnectionError("SageMaker stream ended before its last token (connection cut?)",
                                     state.provider, state.model)
        return out

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        out: List[ModelResponseStream] = []
        for line in self._lines(event, state):
            out.extend(self._line(line, state))
        return out

    def _line(self, line: str, state: StreamState) -> List[ModelResponseStream]:
        raise NotImplementedError  # pragma: no cover - subclasses


class SagemakerTGIAdapter(_SagemakerBase):
    """``sagemaker/<endpoint>``: Hugging Face TGI containers (``inputs`` / ``parameters``)."""

    tools_ok = False  # TGI's generate API takes a prompt, not tools
    unsupported_openai_params = frozenset(OPENAI_CHAT_PARAMS) - frozenset(_TGI_PARAMS)

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        parameters: Dict[str, Any] = {"details": True, "return_full_text": False}
        for name, value in request.params.items():
            if name.startswith("_"):
                continue
            wire_name = _TGI_PARAMS.get(name)
            if wire_name is None:
                reject_param(name, config, " (TGI endpoints take max_tokens, temperature, top_p, stop, seed, n)")
                continue
            if name == "temperature" and value == 0:
                value = 0.01  # TGI rejects 0; LiteLLM sends 0.01 for greedy decoding
            if name == "stop" and isinstance(value, str):
                value = [value]
            parameters[wire_name] = value
        body: Dict[str, Any] = {"inputs": tgi_prompt(request.messages), "parameters": parameters,
                                "stream": bool(request.stream)}
        body.update(request.extra_body)
        return WireRequest(url=_url(request, config), headers=_headers(request, config),
                           body=json.dumps(body).encode("utf-8"))

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        data = load_json(response.body, config.provider, config.model)
        first = data[0] if isinstance(data, list) and data else data
        if not isinstance(first, dict) or not isinstance(first.get("generated_text"), str):
            raise APIConnectionError("unexpected SageMaker TGI response: no 'generated_text'",
                                     config.provider, config.model)
        details = json_object(first.get("details"))
        finish = map_finish_reason(details.get("finish_reason")) or "stop"
        completion = token_count(details.get("generated_tokens"))
        prefill = details.get("prefill")
        prompt = len(prefill) if isinstance(prefill, list) and prefill else None
        message = Message(content=first["generated_text"], role="assistant")
        result = ModelResponse(model=request.model, choices=[Choices(finish_reason=finish, index=0, message=message)])
        if completion is not None or prompt is not None:
            result.usage = usage_from_counts(prompt, completion)
        return result

    def _line(self, line: str, state: StreamState) -> List[ModelResponseStream]:
        text = _line_payload(line)
        if not text:
            return []
        if text == "[DONE]":
            state.done = True
            return []
        obj = load_json(text, state.provider, state.model, what="stream event")
        if not isinstance(obj, dict):
            raise APIConnectionError("unexpected SageMaker stream line: %s" % text[:200], state.provider, state.model)
        if obj.get("error"):
            raise error_for_status(500, str(obj.get("error")), state.provider, state.model)
        token = json_object(obj.get("token"))
        chunks: List[ModelResponseStream] = []
        piece = token.get("text")
        if isinstance(piece, str) and piece and not token.get("special"):
            assert isinstance(state, SagemakerStreamState)
            role = None if state.started else "assistant"
            state.started = True
            chunks.append(state.chunk(delta=Delta(content=piece, role=role)))
        details = json_object(obj.get("details"))
        if details or isinstance(obj.get("generated_text"), str):
            finish = map_finish_reason(details.get("finish_reason")) or "stop"
            state.finish_reason = finish
            generated = token_count(details.get("generated_tokens"))
            usage = usage_from_counts(None, generated) if generated is not None else None
            state.usage = usage
            chunks.append(state.chunk(delta=Delta(), finish_reason=finish, usage=usage))
        return chunks


class SagemakerChatAdapter(_SagemakerBase):
    """``sagemaker_chat/<endpoint>``: containers serving OpenAI's chat format."""

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body: Dict[str, Any] = {"model": request.model, "messages": request.messages}
        body.update({k: v for k, v in request.params.items() if not k.startswith("_")})
        if request.stream:
            body["stream"] = True
        body.update(request.extra_body)
        return WireRequest(url=_url(request, config), headers=_headers(request, config),
                           body=json.dumps(body).encode("utf-8"))

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        from . import get_adapter

        data = load_json(response.body, config.provider, config.model)
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise APIConnectionError("unexpected SageMaker chat response: no 'choices' list",
                                     config.provider, config.model)
        return get_adapter("openai").parse(response, request, config)

    def _line(self, line: str, state: StreamState) -> List[ModelResponseStream]:
        from . import get_adapter

        text = _line_payload(line)
        if not text:
            return []
        return get_adapter("openai").parse_event(StreamEvent(data=text), state)
