"""The OpenAI chat-completions wire format, driven by a :class:`ProviderSpec` row."""

from __future__ import annotations

import json

from .._lazyre import LazyPattern
from ..exceptions import APIConnectionError, APIError, error_for_status
from ..params import apply_unsupported
from .. import types as _types  # stream and embedding types are built on first use
from ..types import Choices, Message, ModelResponse, Usage
from ._common import payload_error, stream_cut
from .openai_endpoints import OpenAIEndpointsMixin
from .base import (
    Adapter,
    ChatRequest,
    ProviderSpec,
    WireRequest,
    WireResponse,
    join_url,
    load_json,
    map_finish_reason,
    token_count,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Tuple

    from ..types import (
        ChatCompletionDeltaToolCall,
        ChatCompletionMessageToolCall,
        EmbeddingResponse,
        ModelResponseStream,
        StreamingChoices,
    )
    from .base import EmbeddingRequest, StreamEvent, StreamState
    from ..config import CallConfig

__all__ = ["OpenAIAdapter", "parse_usage", "is_openai_reasoning_model"]

_REASONING_MODEL = LazyPattern(r"^(o\d|gpt-5)(?!.*-chat)")
_SAMPLING_PARAMS = ("temperature", "top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "logit_bias")
# Message keys other providers use that OpenAI-compatible servers reject or ignore.
_STRIP_MESSAGE_KEYS = frozenset({"reasoning_content", "thinking_blocks", "provider_specific_fields", "reasoning"})


def is_openai_reasoning_model(model: str) -> bool:
    """o1/o3/o4/gpt-5 style models (not the gpt-5 chat aliases)."""
    return bool(_REASONING_MODEL.match(model.split("/")[-1]))



def _str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def parse_usage(raw: Any) -> Optional[Usage]:
    """OpenAI usage object (dict) -> Usage; None for anything else."""
    if not isinstance(raw, dict):
        return None
    usage = Usage(
        prompt_tokens=token_count(raw.get("prompt_tokens")) or 0,
        completion_tokens=token_count(raw.get("completion_tokens")) or 0,
        total_tokens=token_count(raw.get("total_tokens")) or 0,
    )
    ptd = raw.get("prompt_tokens_details")
    if isinstance(ptd, dict):
        usage.prompt_tokens_details = _types.PromptTokensDetails(
            cached_tokens=token_count(ptd.get("cached_tokens")),
            audio_tokens=token_count(ptd.get("audio_tokens")),
        )
        usage.cache_read_input_tokens = token_count(ptd.get("cached_tokens"))
    elif token_count(raw.get("prompt_cache_hit_tokens")) is not None:  # DeepSeek
        cached = token_count(raw.get("prompt_cache_hit_tokens"))
        usage.prompt_tokens_details = _types.PromptTokensDetails(cached_tokens=cached)
        usage.cache_read_input_tokens = cached
    ctd = raw.get("completion_tokens_details")
    if isinstance(ctd, dict):
        usage.completion_tokens_details = _types.CompletionTokensDetails(
            reasoning_tokens=token_count(ctd.get("reasoning_tokens")),
            audio_tokens=token_count(ctd.get("audio_tokens")),
            accepted_prediction_tokens=token_count(ctd.get("accepted_prediction_tokens")),
            rejected_prediction_tokens=token_count(ctd.get("rejected_prediction_tokens")),
        )
    return usage


def _split_content(content: Any) -> "tuple[Optional[str], Optional[str]]":
    """(text, reasoning) of a message content that may be a list of typed chunks.

    Mistral's reasoning models send ``[{"type": "thinking", "thinking": [{"type": "text", ...}]},
    {"type": "text", "text": ...}]`` instead of a string.
    """
    if content is None or isinstance(content, str):
        return content, None
    if not isinstance(content, list):
        return json.dumps(content), None
    text: List[str] = []
    reasoning: List[str] = []
    for part in content:
        if isinstance(part, str):
            text.append(part)
        elif isinstance(part, dict) and part.get("type") == "thinking":
            inner = part.get("thinking")
            if isinstance(inner, str):
                reasoning.append(inner)
            elif isinstance(inner, list):
                reasoning.extend(str(p.get("text", "")) for p in inner if isinstance(p, dict))
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            text.append(part["text"])
    return ("".join(text) if text else None), ("".join(reasoning) if reasoning else None)


def _reasoning_of(obj: Dict[str, Any]) -> Optional[str]:
    value = obj.get("reasoning_content")
    if value is None:
        value = obj.get("reasoning")
    return value if isinstance(value, str) else None


def _tool_calls(raw: Any) -> Optional[List[ChatCompletionMessageToolCall]]:
    if not isinstance(raw, list) or not raw:
        return None
    calls = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        raw_fn = item.get("function")
        fn = raw_fn if isinstance(raw_fn, dict) else {}
        arguments = fn.get("arguments")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments if arguments is not None else {})
        calls.append(
            _types.ChatCompletionMessageToolCall(
                id=str(item.get("id") or ""),
                type=str(item.get("type") or "function"),
                function=_types.Function(name=fn.get("name"), arguments=arguments),
            )
        )
    return calls or None


def _delta_tool_calls(raw: Any) -> Optional[List[ChatCompletionDeltaToolCall]]:
    if not isinstance(raw, list) or not raw:
        return None
    calls = []
    for pos, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        raw_fn = item.get("function")
        fn = raw_fn if isinstance(raw_fn, dict) else {}
        arguments = fn.get("arguments")
        if arguments is None:
            arguments = ""
        elif not isinstance(arguments, str):
            arguments = json.dumps(arguments)
        index = item.get("index")
        calls.append(
            _types.ChatCompletionDeltaToolCall(
                index=index if isinstance(index, int) else pos,
                id=item.get("id"),
                type=item.get("type") or ("function" if item.get("id") else None),
                function=_types.Function(name=fn.get("name"), arguments=arguments),
            )
        )
    return calls or None


def _usage_field(payload: Dict[str, Any]) -> Any:
    """A response's ``usage`` (Groq puts it in ``x_groq.usage``)."""
    usage_raw = payload.get("usage")
    if usage_raw is None and isinstance(payload.get("x_groq"), dict):
        usage_raw = payload["x_groq"].get("usage")
    return usage_raw


def _stream_choices(raw_choices: Any, state: StreamState) -> List[StreamingChoices]:
    """The choices of one stream chunk; a finish reason is remembered on ``state``."""
    choices: List[StreamingChoices] = []
    for pos, raw in enumerate(raw_choices if isinstance(raw_choices, list) else []):
        if not isinstance(raw, dict):
            continue
        raw_delta = raw.get("delta")
        d = raw_delta if isinstance(raw_delta, dict) else {}
        content, inline_reasoning = _split_content(d.get("content"))
        delta = _types.Delta(
            content=content,
            role=_str(d.get("role")),
            tool_calls=_delta_tool_calls(d.get("tool_calls")),
            reasoning_content=_reasoning_of(d) or inline_reasoning,
            refusal=_str(d.get("refusal")),
        )
        finish = raw.get("finish_reason")
        raw_index = raw.get("index")
        if finish is not None:
            state.finish_reason = map_finish_reason(finish)
        choices.append(
            _types.StreamingChoices(
                finish_reason=map_finish_reason(finish),
                index=raw_index if isinstance(raw_index, int) else pos,
                delta=delta,
                logprobs=raw.get("logprobs"),
            )
        )
    return choices


class OpenAIAdapter(OpenAIEndpointsMixin, Adapter):
    """OpenAI's /chat/completions and /embeddings; every OpenAI-compatible row uses it."""

    stream_format = "sse"
    # ``thinking`` is Anthropic's; OpenAI-format servers take ``reasoning_effort``.
    unsupported_openai_params = frozenset({"thinking"})
    harmless_param_values = {"n": (1,)}

    def unsupported_chat_params(self, model: str, spec: "ProviderSpec") -> FrozenSet[str]:
        """The row's and the format's refusals; o-series/gpt-5 reasoning models take no sampling parameters."""
        refused = super().unsupported_chat_params(model, spec)
        if spec.has("openai_reasoning_models") and is_openai_reasoning_model(model):
            refused = refused | frozenset(_SAMPLING_PARAMS)
        return refused

    def harmless_values(self, model: str) -> Mapping[str, Tuple[Any, ...]]:
        if is_openai_reasoning_model(model):
            return {"n": (1,), "temperature": (1,)}  # temperature=1 is the reasoning models' only value
        return self.harmless_param_values

    # -- request ---------------------------------------------------------------------------
    def url(self, config: "CallConfig", path: str) -> str:
        return join_url(config.api_base, path)

    def auth_headers(self, config: "CallConfig") -> Dict[str, str]:
        style = config.spec.auth
        if not config.api_key or style == "none":
            return {}
        if style == "api-key":
            return {"api-key": config.api_key}
        if style == "x-api-key":
            return {"x-api-key": config.api_key}
        return {"Authorization": "Bearer " + config.api_key}

    def headers(self, config: "CallConfig", stream: bool = False) -> Dict[str, str]:
        # No Accept header on plain calls: JSON is the only answer, and every header costs on both ends.
        headers = {"Content-Type": "application/json"}
        if stream:
            headers["Accept"] = "text/event-stream"
        headers.update(self.auth_headers(config))
        headers.update(dict(config.spec.headers))
        headers.update(config.extra_headers)
        return headers

    def map_params(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        """The OpenAI parameters as this row sends them.

        What the format and the row refuse (``thinking``, the reasoning models' sampling
        parameters, the row's ``unsupported_params``) was refused or dropped by the road
        (``supported.enforce``) before this; a refused name still here was listed in
        ``allowed_openai_params`` and is sent as given.
        """
        spec = config.spec
        params = {k: v for k, v in request.params.items() if not k.startswith("_")}
        if spec.has("openai_reasoning_models") and is_openai_reasoning_model(request.model):
            if "max_tokens" in params:
                params.setdefault("max_completion_tokens", params.pop("max_tokens"))
                params.pop("max_tokens", None)
            if params.get("temperature") == 1:  # their only value: harmless, left to the default
                params.pop("temperature")
        params = apply_unsupported(
            params,
            spec.unsupported_params,
            drop=config.drop_params,
            provider=config.provider,
            model=request.model,
            allowed_values={"n": 1},
        )
        for old, new in spec.param_renames:
            if old in params:
                params[new] = params.pop(old)
        if spec.has("tool_choice_required_is_any") and params.get("tool_choice") == "required":
            params["tool_choice"] = "any"
        if not request.stream or spec.has("no_stream_options"):
            params.pop("stream_options", None)
        return params

    def wire_messages(self, messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        out = []
        for msg in messages:
            if not _STRIP_MESSAGE_KEYS.isdisjoint(msg):
                msg = {k: v for k, v in msg.items() if k not in _STRIP_MESSAGE_KEYS}
            out.append(msg)
        return out

    def build_body(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        body: Dict[str, Any] = {"model": request.model, "messages": self.wire_messages(request.messages)}
        body.update(self.map_params(request, config))
        if request.stream:
            body["stream"] = True
        body.update(request.extra_body)
        return body

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        if not config.spec.chat_path:  # an embeddings/rerank-only row (Voyage, Jina, Infinity)
            from ..exceptions import BadRequestError

            raise BadRequestError("provider %r does not serve chat" % config.provider, config.provider, config.model)
        body = self.build_body(request, config)
        return WireRequest(
            url=self.url(config, config.spec.chat_path),
            headers=self.headers(config, request.stream),
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )

    # -- response --------------------------------------------------------------------------
    def _raise_body_error(self, payload: Any, config: "CallConfig", status: int = 500) -> None:
        """Some servers answer 200 with ``{"error": {...}}``; raise it as the mapped exception."""
        if isinstance(payload, dict) and payload.get("error"):
            raise payload_error(payload, config.provider, config.model, guess=lambda _type, _code: status)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        payload = load_json(response.body, config.provider, config.model)
        if not isinstance(payload, dict):
            raise error_for_status(500, "unexpected response body: %r" % (payload,), config.provider, config.model)
        self._raise_body_error(payload, config)
        choices = []
        raw_choices = payload.get("choices")
        for pos, raw in enumerate(raw_choices if isinstance(raw_choices, list) else []):
            if not isinstance(raw, dict):
                continue
            raw_msg = raw.get("message")
            msg = raw_msg if isinstance(raw_msg, dict) else {}
            text, inline_reasoning = _split_content(msg.get("content"))
            message = Message(
                content=text,
                role=_str(msg.get("role")) or "assistant",
                tool_calls=_tool_calls(msg.get("tool_calls")),
                reasoning_content=_reasoning_of(msg) or inline_reasoning,
                refusal=_str(msg.get("refusal")),
            )
            finish = raw.get("finish_reason")
            raw_index = raw.get("index")
            if finish is None and message.tool_calls:
                finish = "tool_calls"
            choices.append(
                Choices(
                    finish_reason=map_finish_reason(finish) if finish is not None else "stop",
                    index=raw_index if isinstance(raw_index, int) else pos,
                    message=message,
                    logprobs=raw.get("logprobs"),
                )
            )
        usage_raw = _usage_field(payload)
        ids: Dict[str, Any] = {}
        if isinstance(payload.get("id"), str):
            ids["id"] = payload["id"]
        if isinstance(payload.get("created"), int):
            ids["created"] = payload["created"]
        return ModelResponse(
            model=payload.get("model") or request.model,
            choices=choices,
            usage=parse_usage(usage_raw),
            system_fingerprint=payload.get("system_fingerprint"),
            **ids,
        )

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        err = super().parse_error(response, config)
        if err.code == "model_not_found":  # the Responses API answers an unknown model with 400
            from ..responses_api.endpoint import as_not_found

            err = as_not_found(err)
        # OpenRouter wraps the upstream provider's message in error.metadata.raw.
        try:
            payload = json.loads(response.text())
            raw = payload["error"]["metadata"]["raw"]
            if isinstance(raw, str) and raw not in err.message:
                err.message = "%s: %s" % (err.message, raw)
                err.args = (err.message,)
        except (ValueError, KeyError, TypeError, IndexError, RecursionError):
            pass
        return err

    # -- stream ----------------------------------------------------------------------------
    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        payload = self._event_payload(event, state)
        if payload is None:
            return []
        if isinstance(payload.get("id"), str) and not state.response_id:
            state.response_id = payload["id"]
        if isinstance(payload.get("created"), int) and not state.created:
            state.created = payload["created"]
        model = payload.get("model") if isinstance(payload.get("model"), str) else state.model
        chunk = _types.ModelResponseStream(
            id=state.response_id or payload.get("id") or "",
            created=state.created or 0,
            model=model,
            system_fingerprint=payload.get("system_fingerprint"),
        )
        if not chunk.id or not chunk.created:
            fresh = state.chunk(with_choice=False)
            chunk.id, chunk.created = fresh.id, fresh.created
        chunk.choices.extend(_stream_choices(payload.get("choices"), state))
        usage = parse_usage(_usage_field(payload))
        if usage is not None:
            chunk.usage = usage
            state.usage = usage
        if not chunk.choices and chunk.usage is None:
            return []  # e.g. Azure's prompt_filter_results chunk
        return [chunk]

    def _raise_stream_error(self, payload: Dict[str, Any], state: StreamState) -> None:
        raise payload_error(payload, state.provider, state.model, guess=_status_for_type)

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done and state.finish_reason is None:
            raise stream_cut(state, "", "its end marker ([DONE] or a finish_reason)")
        return []

    # -- embeddings ------------------------------------------------------------------------
    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        if not config.spec.embeddings_path:
            from ..exceptions import BadRequestError

            raise BadRequestError("provider %r does not serve embeddings" % config.provider, config.provider, config.model)
        body: Dict[str, Any] = {"model": request.model, "input": request.input}
        body.update(request.params)
        for old, new in config.spec.param_renames:  # e.g. Voyage's output_dimension
            if old in body:
                body[new] = body.pop(old)
        body.update(request.extra_body)
        return WireRequest(
            url=self.url(config, config.spec.embeddings_path),
            headers=self.headers(config),
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        import base64
        import struct

        payload = load_json(response.body, config.provider, config.model)
        if not isinstance(payload, dict):
            raise error_for_status(500, "unexpected embeddings body", config.provider, config.model)
        self._raise_body_error(payload, config)
        data = []
        raw_data = payload.get("data")
        if not isinstance(raw_data, list):
            raise APIConnectionError("embeddings response has no 'data' list", config.provider, config.model)
        for pos, item in enumerate(raw_data):
            if not isinstance(item, dict):
                continue
            item_index = item.get("index")
            vector = item.get("embedding")
            if isinstance(vector, str):
                try:
                    raw = base64.b64decode(vector)
                except ValueError:  # binascii.Error
                    raise APIConnectionError("embedding %d is not valid base64" % pos, config.provider,
                                             config.model) from None
                vector = list(struct.unpack("<%df" % (len(raw) // 4), raw[: len(raw) // 4 * 4]))
            elif not isinstance(vector, list):
                raise APIConnectionError("embedding %d is not a list of numbers" % pos, config.provider, config.model)
            data.append(
                _types.EmbeddingData(
                    embedding=list(vector),
                    index=item_index if isinstance(item_index, int) else pos,
                )
            )
        return _types.EmbeddingResponse(
            data=data,
            model=payload.get("model") or request.model,
            usage=_embedding_usage(payload.get("usage")),
        )


def _embedding_usage(raw: Any) -> Optional[Usage]:
    """Embeddings usage; a server that reports only ``total_tokens`` (Voyage) counted all of it as input."""
    usage = parse_usage(raw)
    if usage is not None and not usage.prompt_tokens and not usage.completion_tokens and usage.total_tokens:
        usage.prompt_tokens = usage.total_tokens
    return usage


def _status_for_type(etype: Any, code: Any) -> int:
    text = ("%s %s" % (etype or "", code or "")).lower()
    if "rate" in text or "quota" in text:
        return 429
    if "auth" in text or "api_key" in text:
        return 401
    if "overload" in text or "unavailable" in text:
        return 503
    if "invalid" in text or "tool_use_failed" in text or "bad_request" in text:
        return 400
    return 500
