"""Bedrock InvokeModel for the text models the Converse API does not serve as chat.

AWS's Converse table lists Cohere Command / Command Light and AI21 Jurassic-2 as "Limited. No chat
support", and Converse serves no Bedrock Marketplace or imported model that lacks a chat template.
Those are called through ``POST /model/{modelId}/invoke`` (and ``invoke-with-response-stream``)
with the model family's own body, built from the chat messages with a prompt template:

=================  ==============================================  ============================
family             request body                                    answer
=================  ==============================================  ============================
``cohere.command`` ``prompt, max_tokens, temperature, p, k,``       ``generations[].text``
                   ``stop_sequences, stream``
``ai21.j2``        ``prompt, maxTokens, temperature, topP,``       ``completions[].data.text``
                   ``stopSequences`` (no streaming)
``meta.llama``     ``prompt, max_gen_len, temperature, top_p``      ``generation``
``mistral``        ``prompt, max_tokens, temperature, top_p, stop`` ``outputs[].text``
``amazon.titan``   ``inputText, textGenerationConfig{...}``         ``results[].outputText``
=================  ==============================================  ============================

Streams are AWS event-stream ``chunk`` events carrying ``{"bytes": base64(model JSON)}``.
Requests are signed like Converse ones (SigV4, service ``bedrock``, or a Bedrock API key).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Optional, Tuple
from urllib.parse import quote

from ..exceptions import APIConnectionError, APIError, BadRequestError, error_for_status
from ..params import OPENAI_CHAT_PARAMS
from ..types import Choices, Delta, Message, ModelResponse, ModelResponseStream, Usage
from .base import (
    Adapter, ChatRequest, EmbeddingRequest, EndpointRequest, StreamEvent, StreamState, WireRequest, WireResponse,
    json_object, load_json, map_finish_reason, reject_param, text_of, token_count, usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig
    from .base import ProviderSpec

__all__ = ["BedrockInvokeAdapter", "invoke_family", "uses_invoke", "FAMILIES", "INVOKE_PREFIX"]

FAMILIES = ("cohere.command", "ai21.j2", "meta.llama", "mistral", "amazon.titan")
_STREAM_ERRORS = {"throttlingException": 429, "validationException": 400, "modelStreamErrorException": 424,
                  "modelTimeoutException": 408, "serviceUnavailableException": 503, "internalServerException": 500}


INVOKE_PREFIX = "invoke/"
# Families whose models the Converse API does not serve as chat ("Limited. No chat support").
_NO_CONVERSE = ("cohere.command", "ai21.j2")


def uses_invoke(model: str) -> bool:
    """True when ``bedrock/<model>`` goes to InvokeModel: ``invoke/<id>``, or a Converse-less family."""
    if model.startswith(INVOKE_PREFIX):
        return True
    name = model.rsplit("/", 1)[-1].lower()
    for prefix in ("us.", "eu.", "apac.", "global."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name.startswith(_NO_CONVERSE) and not name.startswith(("cohere.command-r", "cohere.command-a"))


def _model_id(model: str) -> str:
    return model[len(INVOKE_PREFIX):] if model.startswith(INVOKE_PREFIX) else model


def _bedrock() -> Adapter:
    from . import get_adapter

    return get_adapter("bedrock")


def invoke_family(model: str) -> str:
    """The InvokeModel body family of a Bedrock model id (region prefix and ARN tolerated)."""
    name = model.rsplit("/", 1)[-1].lower()
    for prefix in ("us.", "eu.", "apac.", "global."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    for family in FAMILIES:
        if name.startswith(family) or (family == "mistral" and name.startswith("mistral.")):
            return family
    raise BadRequestError("no InvokeModel body format known for Bedrock model %r (families: %s)"
                          % (model, ", ".join(FAMILIES)), "bedrock", model)


# -- prompts -----------------------------------------------------------------------------------


def _plain_prompt(messages: List[Dict[str, Any]], user: str = "User", bot: str = "Bot") -> str:
    parts = []
    for msg in messages:
        role = msg.get("role")
        text = text_of(msg.get("content"))
        if role == "assistant":
            parts.append("%s: %s" % (bot, text))
        elif role == "system":
            parts.append(text)
        else:
            parts.append("%s: %s" % (user, text))
    parts.append("%s:" % bot)
    return "\n\n".join(parts)


def _llama_prompt(messages: List[Dict[str, Any]], model: str) -> str:
    if "llama2" in model or "llama-2" in model:
        system = " ".join(text_of(m.get("content")) for m in messages if m.get("role") == "system")
        out, first = "", True
        for msg in messages:
            if msg.get("role") == "user":
                text = text_of(msg.get("content"))
                if first and system:
                    text = "<<SYS>>\n%s\n<</SYS>>\n\n%s" % (system, text)
                first = False
                out += "<s>[INST] %s [/INST]" % text
            elif msg.get("role") == "assistant":
                out += " %s </s>" % text_of(msg.get("content"))
        return out
    out = "<|begin_of_text|>"
    for msg in messages:
        role = msg.get("role") if msg.get("role") in ("system", "user", "assistant") else "user"
        out += "<|start_header_id|>%s<|end_header_id|>\n\n%s<|eot_id|>" % (role, text_of(msg.get("content")))
    return out + "<|start_header_id|>assistant<|end_header_id|>\n\n"


def _mistral_prompt(messages: List[Dict[str, Any]]) -> str:
    out = "<s>"
    pending_system = ""
    for msg in messages:
        text = text_of(msg.get("content"))
        if msg.get("role") == "system":
            pending_system += text + "\n\n"
        elif msg.get("role") == "assistant":
            out += " %s</s>" % text
        else:
            out += "[INST] %s%s [/INST]" % (pending_system, text)
            pending_system = ""
    return out


# -- bodies ------------------------------------------------------------------------------------

# family -> {OpenAI name: wire name}
_PARAMS: Dict[str, Dict[str, str]] = {
    "cohere.command": {"max_tokens": "max_tokens", "max_completion_tokens": "max_tokens",
                       "temperature": "temperature", "top_p": "p", "stop": "stop_sequences",
                       "n": "num_generations", "logit_bias": "logit_bias"},
    "ai21.j2": {"max_tokens": "maxTokens", "max_completion_tokens": "maxTokens", "temperature": "temperature",
                "top_p": "topP", "stop": "stopSequences", "n": "numResults"},
    "meta.llama": {"max_tokens": "max_gen_len", "max_completion_tokens": "max_gen_len",
                   "temperature": "temperature", "top_p": "top_p"},
    "mistral": {"max_tokens": "max_tokens", "max_completion_tokens": "max_tokens", "temperature": "temperature",
                "top_p": "top_p", "stop": "stop"},
    "amazon.titan": {"max_tokens": "maxTokenCount", "max_completion_tokens": "maxTokenCount",
                     "temperature": "temperature", "top_p": "topP", "stop": "stopSequences"},
}
_LIST_PARAMS = {"stop_sequences", "stopSequences", "stop"}


def _mapped_params(family: str, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
    names = _PARAMS[family]
    out: Dict[str, Any] = {}
    for name, value in request.params.items():
        if name.startswith("_"):
            continue
        wire = names.get(name)
        if wire is None:
            reject_param(name, config, " (Bedrock InvokeModel, %s models)" % family)
            continue
        if wire in _LIST_PARAMS and isinstance(value, str):
            value = [value]
        out[wire] = value
    return out


def _body(family: str, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
    params = _mapped_params(family, request, config)
    messages = request.messages
    if family == "amazon.titan":
        return {"inputText": _plain_prompt(messages), "textGenerationConfig": params}
    if family == "meta.llama":
        prompt = _llama_prompt(messages, request.model.lower())
    elif family == "mistral":
        prompt = _mistral_prompt(messages)
    else:
        prompt = _plain_prompt(messages)
    body: Dict[str, Any] = {"prompt": prompt}
    body.update(params)
    if family == "cohere.command" and request.stream:
        body["stream"] = True
    return body


# -- answers -----------------------------------------------------------------------------------

Parsed = Tuple[List[Tuple[str, Optional[str]]], Optional[Usage]]


def _text_items(data: Dict[str, Any], key: str, reason_key: str) -> List[Tuple[str, Optional[str]]]:
    """(text, finish reason) of each object in the list ``data[key]`` (Cohere, Mistral)."""
    raw = data.get(key)
    return [(str(o.get("text") or ""), o.get(reason_key)) for o in raw if isinstance(o, dict)] \
        if isinstance(raw, list) else []


def _read_cohere(data: Dict[str, Any]) -> Parsed:
    return _text_items(data, "generations", "finish_reason"), None


def _read_ai21(data: Dict[str, Any]) -> Parsed:
    comps = data.get("completions")
    items = []
    for comp in comps if isinstance(comps, list) else []:
        if isinstance(comp, dict):
            reason = json_object(comp.get("finishReason")).get("reason")
            items.append((str(json_object(comp.get("data")).get("text") or ""),
                          "length" if reason == "length" else "stop" if reason else None))
    prompt = json_object(data.get("prompt")).get("tokens")
    return items, usage_from_counts(len(prompt), None) if isinstance(prompt, list) else None


def _read_llama(data: Dict[str, Any]) -> Parsed:
    if not isinstance(data.get("generation"), str):
        return [], None
    usage = None
    if "prompt_token_count" in data or "generation_token_count" in data:
        usage = usage_from_counts(token_count(data.get("prompt_token_count")),
                                  token_count(data.get("generation_token_count")))
    return [(data["generation"], data.get("stop_reason"))], usage


def _read_mistral(data: Dict[str, Any]) -> Parsed:
    return _text_items(data, "outputs", "stop_reason"), None


def _read_titan(data: Dict[str, Any]) -> Parsed:
    results = data.get("results")
    items = []
    completion = 0
    for res in results if isinstance(results, list) else []:
        if isinstance(res, dict):
            items.append((str(res.get("outputText") or ""), res.get("completionReason")))
            completion += token_count(res.get("tokenCount")) or 0
    usage = None
    if token_count(data.get("inputTextTokenCount")) is not None:
        usage = usage_from_counts(token_count(data.get("inputTextTokenCount")), completion)
    return items, usage


_READERS: Dict[str, Callable[[Dict[str, Any]], Parsed]] = {
    "cohere.command": _read_cohere, "ai21.j2": _read_ai21, "meta.llama": _read_llama,
    "mistral": _read_mistral, "amazon.titan": _read_titan,
}
_TITAN_REASONS = {"FINISH": "stop", "LENGTH": "length", "CONTENT_FILTERED": "content_filter",
                  "STOP_CRITERIA_MET": "stop", "RAG_QUERY_WHEN_RAG_DISABLED": "stop"}


def _finish(reason: Optional[str]) -> Optional[str]:
    if reason is None:
        return None
    if isinstance(reason, str) and reason in _TITAN_REASONS:
        return _TITAN_REASONS[reason]
    if reason in ("MAX_TOKENS", "length", "max_tokens"):
        return "length"
    return map_finish_reason(reason)


def _stream_piece(family: str, data: Dict[str, Any]) -> Tuple[str, Optional[str], Optional[Usage]]:
    """(text, finish reason, usage) of one stream chunk."""
    metrics = json_object(data.get("amazon-bedrock-invocationMetrics"))
    usage = None
    if metrics:
        usage = usage_from_counts(token_count(metrics.get("inputTokenCount")),
                                  token_count(metrics.get("outputTokenCount")))
    if family == "cohere.command":
        reason = data.get("finish_reason") if data.get("is_finished") else None
        return str(data.get("text") or ""), _finish(reason or ("COMPLETE" if data.get("is_finished") else None)), usage
    if family == "meta.llama":
        return str(data.get("generation") or ""), _finish(data.get("stop_reason")), usage
    if family == "mistral":
        items, _ = _read_mistral(data)
        return (items[0][0], _finish(items[0][1]), usage) if items else ("", None, usage)
    if family == "amazon.titan":
        return str(data.get("outputText") or ""), _finish(data.get("completionReason")), usage
    return "", None, usage



@dataclass
class InvokeStreamState(StreamState):
    """One InvokeModel stream: the model family decides the chunk shape."""

    family: str = ""
    started: bool = False



class BedrockInvokeAdapter(Adapter):
    """Bedrock InvokeModel text models (Cohere Command, AI21 Jurassic-2, Llama, Mistral, Titan)."""

    stream_format = "eventstream"

    def unsupported_chat_params(self, model: str, spec: "ProviderSpec") -> FrozenSet[str]:
        """Everything the model family's InvokeModel body cannot express."""
        translated = frozenset(_PARAMS.get(invoke_family(model), {}))
        return (frozenset(OPENAI_CHAT_PARAMS) - translated) | spec.unsupported_params

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        family = invoke_family(request.model)
        if request.stream and family == "ai21.j2":
            raise BadRequestError("AI21 Jurassic-2 on Bedrock does not stream; call without stream=True",
                                  config.provider, config.model)
        if not config.api_base:
            raise BadRequestError("Bedrock needs a region: pass aws_region_name or set AWS_REGION",
                                  config.provider, config.model)
        body = _body(family, request, config)
        body.update(request.extra_body)
        action = "invoke-with-response-stream" if request.stream else "invoke"
        url = "%s/model/%s/%s" % (config.api_base.rstrip("/"), quote(_model_id(request.model), safe=""), action)
        headers = {"content-type": "application/json",
                   "accept": "application/vnd.amazon.eventstream" if request.stream else "application/json"}
        headers.update(config.extra_headers or {})
        return WireRequest(url=url, headers=headers, body=json.dumps(body).encode("utf-8"))

    # Embeddings and rerank of a bedrock/invoke/ model: the Bedrock adapter's (InvokeModel already).
    def split_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> List[EmbeddingRequest]:
        return _bedrock().split_embedding(request, config)

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        return _bedrock().prepare_embedding(request, config)

    def parse_embedding(self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig") -> Any:
        return _bedrock().parse_embedding(response, request, config)

    def prepare_endpoint(self, request: EndpointRequest, config: "CallConfig") -> WireRequest:
        return _bedrock().prepare_endpoint(request, config)

    def parse_endpoint(self, response: WireResponse, request: EndpointRequest, config: "CallConfig") -> Any:
        return _bedrock().parse_endpoint(response, request, config)

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return _bedrock().parse_error(response, config)  # the same AWS error shapes

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        return _bedrock().sign(wire, config)  # the same signing as Converse

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        family = invoke_family(request.model)
        data = load_json(response.body, config.provider, config.model)
        if not isinstance(data, dict):
            raise APIConnectionError("unexpected Bedrock InvokeModel response", config.provider, config.model)
        items, usage = _READERS[family](data)
        if not items:
            raise APIConnectionError("Bedrock InvokeModel response for %s has no generated text" % family,
                                     config.provider, config.model)
        choices = [Choices(finish_reason=_finish(reason) or "stop", index=i,
                           message=Message(content=text, role="assistant"))
                   for i, (text, reason) in enumerate(items)]
        result = ModelResponse(model=request.model, choices=choices, usage=usage)
        if isinstance(data.get("id"), str):
            result.id = data["id"]
        return result

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        return InvokeStreamState(model=request.model, provider=config.provider, family=invoke_family(request.model))

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        headers = event.headers or {}
        if headers.get(":message-type", "event") in ("exception", "error"):
            name = str(event.event or "error")
            message = event.data
            try:
                message = str(json.loads(event.data).get("message") or event.data)
            except (ValueError, AttributeError):
                pass
            raise error_for_status(_STREAM_ERRORS.get(name, 500), "%s: %s" % (name, message[:500]),
                                   state.provider, state.model)
        if event.event not in (None, "chunk"):
            return []
        outer = load_json(event.data, state.provider, state.model, what="stream event")
        try:
            raw = base64.b64decode(str(json_object(outer).get("bytes") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise APIConnectionError("Bedrock stream chunk is not base64", state.provider, state.model) from None
        data = json_object(load_json(raw, state.provider, state.model, what="stream chunk"))
        assert isinstance(state, InvokeStreamState)
        text, finish, usage = _stream_piece(state.family, data)
        out = []
        if text:
            role = None if state.started else "assistant"
            state.started = True
            out.append(state.chunk(delta=Delta(content=text, role=role)))
        if finish is not None:
            state.finish_reason = finish
        if usage is not None:
            state.usage = usage
        if finish is not None or usage is not None:
            out.append(state.chunk(delta=Delta(), finish_reason=finish, usage=usage))
        return out

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if state.finish_reason is None:
            raise APIConnectionError("Bedrock stream ended before a stop reason (connection cut?)",
                                     state.provider, state.model)
        return []
