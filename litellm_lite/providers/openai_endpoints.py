"""OpenAI's endpoints beyond chat and embeddings, as adapter methods (a mixin of the OpenAI adapter).

=====================  =========================  =====================================================
endpoint               default path               request body / result
=====================  =========================  =====================================================
``image_generation``   ``/images/generations``    JSON -> :class:`~..endpoint_types.ImageResponse`
``transcription``      ``/audio/transcriptions``  multipart/form-data -> ``TranscriptionResponse``
``speech``             ``/audio/speech``          JSON -> binary body (``SpeechResponse``, read lazily)
``moderation``         ``/moderations``           JSON -> ``ModerationResponse``
``text_completion``    ``/completions``           JSON -> ``TextCompletionResponse`` or a stream of them
=====================  =========================  =====================================================

The path comes from the provider's ``ProviderSpec.endpoints``; pure translation, no I/O.
"""

from __future__ import annotations

import json

from ..exceptions import APIConnectionError, BadRequestError
from .base import Adapter, WireRequest, WireResponse, join_url, load_json

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Mapping, Optional, Tuple

    from ..config import CallConfig
    from ..endpoint_types import (
        ImageResponse,
        ImageUsage,
        ModerationResponse,
        TextChoices,
        TextCompletionResponse,
        TranscriptionResponse,
    )
    from .base import EndpointRequest, StreamEvent, StreamState

__all__ = ["OpenAIEndpointsMixin", "TextCompletionStream", "text_completion_from", "join_path", "error_event_payload"]

_JSON_ENDPOINTS = frozenset({"image_generation", "speech", "moderation", "text_completion"})
_TEXT_FORMATS = frozenset({"text", "srt", "vtt"})


def join_path(base: str, path: str) -> str:
    """``base`` + ``path`` where a leading part of ``path`` may already end ``base`` (``.../beta``)."""
    trimmed = base.split("?", 1)[0].rstrip("/")
    segments = [s for s in path.split("/") if s]
    for k in range(len(segments) - 1, 0, -1):
        if trimmed.endswith("/" + "/".join(segments[:k])):
            return trimmed + "/" + "/".join(segments[k:])
    return join_url(base, path)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str_or_none(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _number_or_none(value: Any) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _int_of(mapping: Mapping[str, Any], key: str) -> int:
    value = mapping.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict_of(mapping: Mapping[str, Any], key: str) -> Dict[str, Any]:
    value = mapping.get(key)
    return dict(value) if isinstance(value, dict) else {}


def _image_usage(raw: Any) -> Optional[ImageUsage]:
    from ..endpoint_types import ImageUsage  # on first use: not on the chat path
    if not isinstance(raw, dict):
        return None
    details = raw.get("input_tokens_details")
    return ImageUsage(
        input_tokens=_int_of(raw, "input_tokens"),
        output_tokens=_int_of(raw, "output_tokens"),
        total_tokens=_int_of(raw, "total_tokens"),
        input_tokens_details=dict(details) if isinstance(details, dict) else None,
    )


def _images(payload: Dict[str, Any]) -> ImageResponse:
    from ..endpoint_types import ImageObject, ImageResponse  # on first use: not on the chat path
    images = [
        ImageObject(
            url=_str_or_none(item.get("url")),
            b64_json=_str_or_none(item.get("b64_json")),
            revised_prompt=_str_or_none(item.get("revised_prompt")),
        )
        for item in payload.get("data") or []
        if isinstance(item, dict)
    ]
    result = ImageResponse(
        data=images,
        usage=_image_usage(payload.get("usage")),
        background=_str_or_none(payload.get("background")),
        output_format=_str_or_none(payload.get("output_format")),
        quality=_str_or_none(payload.get("quality")),
        size=_str_or_none(payload.get("size")),
    )
    if _is_int(payload.get("created")):
        result.created = payload["created"]
    return result


def _transcription(payload: Dict[str, Any]) -> TranscriptionResponse:
    from ..endpoint_types import TranscriptionResponse  # on first use: not on the chat path
    usage = payload.get("usage")

    def listed(key: str) -> Optional[List[Any]]:
        value = payload.get(key)
        return value if isinstance(value, list) else None

    return TranscriptionResponse(
        text=_str_or_none(payload.get("text")) or "",
        task=_str_or_none(payload.get("task")),
        language=_str_or_none(payload.get("language")),
        duration=_number_or_none(payload.get("duration")),
        words=listed("words"),
        segments=listed("segments"),
        logprobs=listed("logprobs"),
        usage=dict(usage) if isinstance(usage, dict) else None,
    )


def _moderation(payload: Dict[str, Any], model: str) -> ModerationResponse:
    from ..endpoint_types import ModerationResponse, ModerationResult  # on first use: not on the chat path
    results = []
    for raw in payload.get("results") or []:
        if not isinstance(raw, dict):
            continue
        categories = _dict_of(raw, "categories")
        flagged = raw.get("flagged")
        if not isinstance(flagged, bool):  # Mistral sends no flagged: computed from the categories
            flagged = any(v is True for v in categories.values())
        applied = raw.get("category_applied_input_types")
        results.append(
            ModerationResult(
                flagged=flagged,
                categories=categories,
                category_scores=_dict_of(raw, "category_scores"),
                category_applied_input_types=dict(applied) if isinstance(applied, dict) else None,
            )
        )
    result = ModerationResponse(model=_str_or_none(payload.get("model")) or model, results=results)
    if isinstance(payload.get("id"), str):
        result.id = payload["id"]
    return result


def _text_choices(raw_choices: Any) -> List[TextChoices]:
    from ..endpoint_types import TextChoices  # on first use: not on the chat path
    choices = []
    for pos, raw in enumerate(raw_choices if isinstance(raw_choices, list) else []):
        if not isinstance(raw, dict):
            continue
        text = raw.get("text")
        logprobs = raw.get("logprobs")
        choices.append(
            TextChoices(
                text=text if isinstance(text, str) else "",
                index=raw["index"] if _is_int(raw.get("index")) else pos,
                logprobs=dict(logprobs) if isinstance(logprobs, dict) else None,
                finish_reason=_str_or_none(raw.get("finish_reason")),
            )
        )
    return choices


def text_completion_from(payload: Dict[str, Any], model: str) -> TextCompletionResponse:
    """A TextCompletionResponse (or one stream chunk) from a ``/completions`` JSON object."""
    from ..endpoint_types import TextCompletionResponse  # on first use: not on the chat path
    from .openai import parse_usage

    result = TextCompletionResponse(
        model=_str_or_none(payload.get("model")) or model,
        choices=_text_choices(payload.get("choices")),
        usage=parse_usage(payload.get("usage")),
        system_fingerprint=_str_or_none(payload.get("system_fingerprint")),
    )
    if isinstance(payload.get("id"), str):
        result.id = payload["id"]
    if _is_int(payload.get("created")):
        result.created = payload["created"]
    return result


class OpenAIEndpointsMixin:
    """``prepare_endpoint`` / ``parse_endpoint`` / ``endpoint_stream`` for OpenAI-format adapters."""

    def headers(self, config: "CallConfig", stream: bool = False) -> Dict[str, str]:  # pragma: no cover
        raise NotImplementedError  # provided by OpenAIAdapter

    def _raise_body_error(self, payload: Any, config: "CallConfig", status: int = 500) -> None:  # pragma: no cover
        raise NotImplementedError  # provided by OpenAIAdapter

    def _raise_stream_error(self, payload: Dict[str, Any], state: StreamState) -> None:  # pragma: no cover
        raise NotImplementedError  # provided by OpenAIAdapter

    def endpoint_url(self, config: "CallConfig", model: str, path: str) -> str:
        """The URL of ``path`` for this call (Azure overrides: deployment and api-version)."""
        return join_path(config.api_base, path)

    def prepare_endpoint(self, request: EndpointRequest, config: "CallConfig") -> WireRequest:
        path = config.spec.path(request.endpoint)
        if path is not None and request.endpoint == "responses":
            from ..responses_api.endpoint import prepare

            return prepare(request, config, path)
        if request.endpoint == "rerank" and path is not None:
            from .rerank_endpoint import prepare_rerank

            return prepare_rerank(request, config)
        if path is None or request.endpoint not in _JSON_ENDPOINTS | {"transcription"}:
            raise BadRequestError(
                "provider %r does not serve %s" % (config.provider, request.endpoint), config.provider, config.model
            )
        url = self.endpoint_url(config, request.model, path)
        headers = self.headers(config)
        if request.endpoint == "transcription":
            from .multipart import encode_multipart

            fields: List[Tuple[str, Any]] = [("model", request.model)]
            fields.extend(request.params.items())
            fields.extend(sorted(request.extra_body.items()))
            body, headers["Content-Type"] = encode_multipart(fields, request.files)
            headers["Accept"] = "application/json"
            return WireRequest(url=url, headers=headers, body=body)
        payload: Dict[str, Any] = {"model": request.model}
        payload.update(request.params)
        if request.stream:
            payload["stream"] = True
        payload.update(request.extra_body)
        if request.endpoint == "text_completion" and not request.stream:
            payload.pop("stream_options", None)
        if request.endpoint == "image_generation" and self.model_in_url(config):
            payload.pop("model", None)  # the deployment in the URL names the model
        headers["Accept"] = "*/*" if request.endpoint == "speech" else (
            "text/event-stream" if request.stream else "application/json"
        )
        return WireRequest(url=url, headers=headers, body=json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def model_in_url(self, config: "CallConfig") -> bool:
        """True when the URL names the model (Azure deployments), so bodies may leave it out."""
        return False

    def parse_endpoint(self, response: WireResponse, request: EndpointRequest, config: "CallConfig") -> Any:
        """The typed result of a 2xx endpoint response (speech bodies are wrapped by the road)."""
        from ..endpoint_types import TranscriptionResponse  # on first use: not on the chat path

        if request.endpoint == "responses":
            from ..responses_api.endpoint import parse

            return parse(response, request, config)
        if request.endpoint == "rerank":
            from .rerank_endpoint import parse_rerank

            return parse_rerank(response, request, config)
        if request.endpoint == "transcription" and request.params.get("response_format") in _TEXT_FORMATS:
            return TranscriptionResponse(text=response.body.decode("utf-8", "replace"))
        payload = load_json(response.body, config.provider, config.model)
        if not isinstance(payload, dict):
            raise APIConnectionError(
                "unexpected %s response body: %r" % (request.endpoint, str(payload)[:200]), config.provider, config.model
            )
        self._raise_body_error(payload, config)
        if request.endpoint == "image_generation":
            return _images(payload)
        if request.endpoint == "transcription":
            return _transcription(payload)
        if request.endpoint == "moderation":
            return _moderation(payload, request.model)
        return text_completion_from(payload, request.model)

    def endpoint_stream(self, request: EndpointRequest, config: "CallConfig") -> Adapter:
        """The stream adapter for a streamed endpoint call (text completions, responses)."""
        if request.endpoint == "responses":
            from ..responses_api.endpoint import NativeResponsesStream

            return NativeResponsesStream()
        if request.endpoint != "text_completion":
            raise BadRequestError("%s cannot be streamed" % request.endpoint, config.provider, config.model)
        return TextCompletionStream(self)

    def _event_payload(self, event: StreamEvent, state: StreamState) -> Optional[Dict[str, Any]]:
        """The JSON object of one OpenAI SSE event; None for a blank event, ``[DONE]`` (the stream
        is marked done) or a non-object; an error event or an ``error`` payload raises."""
        data = event.data.strip()
        if event.event == "error":  # whatever its payload shape
            self._raise_stream_error(error_event_payload(data), state)
        if not data:
            return None
        if data == "[DONE]":
            state.done = True
            return None
        payload = load_json(data, state.provider, state.model, what="stream event")
        if not isinstance(payload, dict):
            return None
        if payload.get("error"):
            self._raise_stream_error(payload, state)
        return payload

    def parse_text_event(self, event: StreamEvent, state: StreamState) -> List[Any]:
        """One SSE event of a ``/completions`` stream -> TextCompletionResponse chunks."""
        payload = self._event_payload(event, state)
        if payload is None:
            return []
        chunk = text_completion_from(payload, state.model)
        if any(c.finish_reason for c in chunk.choices):
            state.finish_reason = "stop"
        return [chunk]


def error_event_payload(data: str) -> Dict[str, Any]:
    """An ``event: error`` payload of any shape as ``{"error": ...}``."""
    try:
        payload = json.loads(data) if data else None
    except (ValueError, RecursionError):
        payload = None
    if isinstance(payload, dict) and payload.get("error"):
        return payload
    return {"error": payload if isinstance(payload, dict) and payload else (data or "stream error event")}


class TextCompletionStream(Adapter):
    """Stream adapter of ``/completions``: OpenAI's SSE carrying TextCompletionResponse chunks."""

    stream_format = "sse"

    def __init__(self, parent: OpenAIEndpointsMixin) -> None:
        self._parent = parent

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[Any]:
        return self._parent.parse_text_event(event, state)

    def finish_stream(self, state: StreamState) -> List[Any]:
        if not state.done and state.finish_reason is None:
            raise APIConnectionError(
                "text completion stream ended before its end marker ([DONE])", state.provider, state.model
            )
        return []
