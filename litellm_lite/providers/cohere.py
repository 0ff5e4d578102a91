"""Cohere v2 chat (``POST /v2/chat``) and embed (``POST /v2/embed``) wire format.

Reference: https://docs.cohere.com/reference/chat and https://docs.cohere.com/reference/chat-stream.

Request: OpenAI messages map almost one to one (roles system/user/assistant/tool); assistant turns
carry ``tool_calls`` and an optional ``tool_plan``; tools keep OpenAI's function shape. Sampling
parameters are renamed (``top_p`` -> ``p``, ``stop`` -> ``stop_sequences``); JSON mode and schemas
go into ``response_format`` (``json_object`` + ``json_schema``); ``reasoning_effort`` becomes
``thinking``.

Response: ``message.content`` is a list of ``text`` and ``thinking`` parts; ``tool_plan`` (the
model's note before calling tools) is kept in ``message.provider_specific_fields["tool_plan"]``.
Streams are SSE with typed events (message-start, content-delta, tool-call-start/delta,
message-end, ...); ``message-end`` is the end marker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from ..exceptions import APIConnectionError, APIError, BadRequestError, error_for_status
from ..params import OPENAI_CHAT_PARAMS
from ..types import (
    ChatCompletionMessageToolCall, Choices, Delta, EmbeddingResponse, Message, ModelResponse, ModelResponseStream,
    Usage,
)
from ._common import response_object, copy_limits, ToolIndex, as_int, json_format, copy_params, event_object, json_headers, stream_cut
from .embed_common import reject_float_only, text_inputs, vectors_response
from .base import (
    Adapter, ChatRequest, EmbeddingRequest, StreamEvent, StreamState, WireRequest, WireResponse, delta_tool_call,
    join_url, json_object, map_finish_reason, reject_param, text_of, tool_call, usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["CohereAdapter", "CohereStreamState"]

# reasoning_effort -> thinking token budget (same scale as the other adapters' effort maps).
_EFFORT_BUDGETS = {"minimal": 512, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192}
# OpenAI parameters this adapter translates (or, for stream_options, ignores: Cohere always
# reports usage); any other parameter that was set is unsupported.
_HANDLED = frozenset(
    {
        "temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens", "seed",
        "presence_penalty", "frequency_penalty", "logprobs", "tools", "tool_choice",
        "parallel_tool_calls", "response_format", "stream_options", "reasoning_effort", "thinking",
    }
)
_DISABLE_EFFORTS = frozenset({"none", "disable", "disabled", "off"})
# Declared for the road and get_supported_openai_params: what _HANDLED leaves out, plus n and
# parallel_tool_calls, which pass only at values that ask for nothing.
_REFUSED = frozenset(OPENAI_CHAT_PARAMS) - _HANDLED | {"n", "parallel_tool_calls"}
_HARMLESS = {"n": (1,), "parallel_tool_calls": (True,)}


def _chat_url(config: "CallConfig") -> str:
    base = config.api_base.rstrip("/")
    path = config.spec.chat_path or "/v2/chat"
    if base.endswith("/v2") and path.startswith("/v2/"):
        base = base[: -len("/v2")]
    return join_url(base, path)


def _embed_url(config: "CallConfig") -> str:
    base = config.api_base.rstrip("/")
    path = config.spec.embeddings_path or "/v2/embed"
    if path == "/embeddings":  # generic default: Cohere's own path instead
        path = "/v2/embed"
    if base.endswith("/v2") and path.startswith("/v2/"):
        base = base[: -len("/v2")]
    return join_url(base, path)


def _headers(config: "CallConfig", stream: bool) -> Dict[str, str]:
    auth = {"authorization": "Bearer %s" % config.api_key} if config.api_key else None
    return json_headers(config, "text/event-stream" if stream else "application/json", auth)


# ---------------------------------------------------------------------------------------------
# Request translation


def _user_content(content: Any, config: "CallConfig") -> Any:
    """OpenAI user content -> Cohere: a string, or a list of text/image_url parts."""
    if content is None or isinstance(content, str):
        return content or ""
    if not isinstance(content, list):
        return str(content)
    parts: List[Dict[str, Any]] = []
    for part in content:
        if not isinstance(part, dict):
            continue
        ptype = part.get("type", "text")
        if ptype == "text":
            parts.append({"type": "text", "text": str(part.get("text", ""))})
        elif ptype == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            entry: Dict[str, Any] = {"url": str(url or "")}
            if isinstance(image, dict) and image.get("detail"):
                entry["detail"] = image["detail"]
            parts.append({"type": "image_url", "image_url": entry})
        else:
            raise BadRequestError(
                "cohere does not accept %r content parts (only text and image_url)" % ptype,
                config.provider,
                config.model,
            )
    return parts


def _tool_content(content: Any) -> Any:
    """A tool result: strings stay strings; a list of parts becomes a list of documents."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        docs = []
        for part in content:
            if isinstance(part, dict) and part.get("type", "text") == "text":
                docs.append({"type": "document", "document": {"data": str(part.get("text", ""))}})
        return docs or ""
    if isinstance(content, dict):
        return [{"type": "document", "document": {"data": json.dumps(content)}}]
    return str(content)


def _assistant_content(msg: Dict[str, Any]) -> Any:
    """Text, or thinking parts followed by the text; None when there is neither."""
    text = text_of(msg.get("content"))
    thinking = msg.get("thinking_blocks")
    parts: List[Dict[str, Any]] = []
    if isinstance(thinking, list):
        for block in thinking:
            if isinstance(block, dict) and block.get("type") == "thinking" and block.get("thinking"):
                parts.append({"type": "thinking", "thinking": str(block["thinking"])})
    if parts:
        if text:
            parts.append({"type": "text", "text": text})
        return parts
    return text or None


def _assistant_call(call: Dict[str, Any]) -> Dict[str, Any]:
    fn = call.get("function") or {}
    args = fn.get("arguments", "")
    if not isinstance(args, str):
        args = json.dumps(args)
    return {
        "id": str(call.get("id") or ""),
        "type": "function",
        "function": {"name": str(fn.get("name") or ""), "arguments": args or "{}"},
    }


def _tool_plan(msg: Dict[str, Any]) -> Any:
    plan = msg.get("tool_plan")
    psf = msg.get("provider_specific_fields")
    if not plan and isinstance(psf, dict):
        plan = psf.get("tool_plan")
    return plan


def _assistant_message(msg: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"role": "assistant"}
    content = _assistant_content(msg)
    if content:
        out["content"] = content
    calls = msg.get("tool_calls")
    if isinstance(calls, list) and calls:
        out["tool_calls"] = [_assistant_call(call) for call in calls if isinstance(call, dict)]
        plan = _tool_plan(msg)
        if plan:
            out["tool_plan"] = str(plan)
    if "content" not in out and "tool_calls" not in out:
        out["content"] = ""
    return out


def _messages(messages: List[Dict[str, Any]], config: "CallConfig") -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for msg in messages:
        role = msg.get("role")
        if role in ("system", "developer"):
            out.append({"role": "system", "content": text_of(msg.get("content"))})
        elif role == "user":
            out.append({"role": "user", "content": _user_content(msg.get("content"), config)})
        elif role == "assistant":
            out.append(_assistant_message(msg))
        elif role == "tool":
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": str(msg.get("tool_call_id") or ""),
                    "content": _tool_content(msg.get("content")),
                }
            )
        else:
            raise BadRequestError("unsupported message role %r for cohere" % (role,), config.provider, config.model)
    return out


def _thinking(params: Dict[str, Any], config: "CallConfig") -> Optional[Dict[str, Any]]:
    thinking = params.get("thinking")
    if isinstance(thinking, dict):
        if thinking.get("type") == "disabled":
            return {"type": "disabled"}
        out: Dict[str, Any] = {"type": "enabled"}
        budget = thinking.get("budget_tokens", thinking.get("token_budget"))
        if isinstance(budget, int) and not isinstance(budget, bool) and budget > 0:
            out["token_budget"] = budget
        return out
    effort = params.get("reasoning_effort")
    if effort is None or effort == "default":
        return None
    effort_s = str(effort).lower()
    if effort_s in _DISABLE_EFFORTS:
        return {"type": "disabled"}
    if effort_s in _EFFORT_BUDGETS:
        return {"type": "enabled", "token_budget": _EFFORT_BUDGETS[effort_s]}
    reject_param("reasoning_effort", config, " with value %r" % (effort,))
    return None


def _response_format(value: Any, config: "CallConfig") -> Optional[Dict[str, Any]]:
    wanted, schema = json_format(value, config, ("schema", "json_schema"))
    if not wanted:
        return None
    out: Dict[str, Any] = {"type": "json_object"}
    if schema is not None:
        out["json_schema"] = schema
    return out


def _tools(params: Dict[str, Any], body: Dict[str, Any], config: "CallConfig") -> None:
    tools = params.get("tools")
    choice = params.get("tool_choice")
    out_tools: List[Dict[str, Any]] = []
    if isinstance(tools, list):
        for tool in tools:
            if not isinstance(tool, dict):
                continue
            fn = tool.get("function") or {}
            entry: Dict[str, Any] = {"name": fn.get("name")}
            if fn.get("description"):
                entry["description"] = fn["description"]
            entry["parameters"] = fn.get("parameters") or {"type": "object", "properties": {}}
            out_tools.append({"type": "function", "function": entry})
    if isinstance(choice, dict):
        # A named tool: Cohere has no such choice; offer only that tool and require a call.
        name = (choice.get("function") or {}).get("name")
        named = [t for t in out_tools if t["function"].get("name") == name]
        if not named:
            raise BadRequestError(
                "tool_choice names %r, which is not among the tools" % (name,), config.provider, config.model
            )
        out_tools = named
        body["tool_choice"] = "REQUIRED"
    elif choice in ("required", "any"):
        body["tool_choice"] = "REQUIRED"
    elif choice == "none":
        body["tool_choice"] = "NONE"
    elif choice not in (None, "auto"):
        reject_param("tool_choice", config, " with value %r" % (choice,))
    if out_tools:
        body["tools"] = out_tools
    if params.get("parallel_tool_calls") is False:
        reject_param("parallel_tool_calls", config, " set to False")


def _params(request: ChatRequest, body: Dict[str, Any], config: "CallConfig") -> None:
    params = request.params
    copy_params(params, (("temperature", "temperature"), ("top_p", "p")), body)
    copy_limits(params, body, "max_tokens", "stop_sequences")
    copy_params(params, ((name, name) for name in ("seed", "frequency_penalty", "presence_penalty")), body)
    if params.get("n") not in (None, 1):
        reject_param("n", config, " other than 1")
    if params.get("logprobs"):
        body["logprobs"] = True
    for name in sorted(params):
        if name not in _HANDLED and not name.startswith("_"):  # "_..." are orchestrator hints
            reject_param(name, config)
    if "response_format" in params:
        fmt = _response_format(params["response_format"], config)
        if fmt is not None:
            body["response_format"] = fmt
    thinking = _thinking(params, config)
    if thinking is not None:
        body["thinking"] = thinking
    _tools(params, body, config)


# ---------------------------------------------------------------------------------------------
# Response translation


def _usage(raw: Any) -> Optional[Usage]:
    if not isinstance(raw, dict):
        return None
    tokens = raw.get("tokens") if isinstance(raw.get("tokens"), dict) else None
    billed = raw.get("billed_units") if isinstance(raw.get("billed_units"), dict) else None
    source = tokens or billed
    if source is None:
        return None
    cached = raw.get("cached_tokens")
    return usage_from_counts(
        as_int(source.get("input_tokens")),
        as_int(source.get("output_tokens")),
        cached_tokens=as_int(cached) if cached is not None and as_int(cached) else None,
    )


def _billed(raw: Any) -> Optional[Dict[str, Any]]:
    if isinstance(raw, dict) and isinstance(raw.get("billed_units"), dict):
        return dict(raw["billed_units"])
    return None


def _texts_and_thoughts(content: Any) -> Tuple[List[str], List[str]]:
    """(texts, thoughts) of a response message's ``content`` (a string or a list of parts)."""
    texts: List[str] = []
    thoughts: List[str] = []
    if isinstance(content, str):
        texts.append(content)
    for part in content if isinstance(content, list) else ():
        if not isinstance(part, dict):
            continue
        if part.get("type") == "thinking" or ("thinking" in part and "text" not in part):
            thoughts.append(str(part.get("thinking") or ""))
        elif isinstance(part.get("text"), str):
            texts.append(part["text"])
    return texts, thoughts


def _response_calls(raw_calls: Any) -> List[ChatCompletionMessageToolCall]:
    calls = []
    for i, call in enumerate(raw_calls if isinstance(raw_calls, list) else ()):
        if isinstance(call, dict):
            fn = json_object(call.get("function"))
            calls.append(
                tool_call(str(call.get("id") or "call_%d" % i), str(fn.get("name") or ""), fn.get("arguments", "{}"))
            )
    return calls


def _finish(raw_reason: Any, with_tools: bool) -> str:
    """Cohere's finish reason; COMPLETE (or none) after tool calls means tool_calls."""
    finish = map_finish_reason(raw_reason) or "stop"
    if with_tools and finish == "stop" and raw_reason in (None, "COMPLETE"):
        return "tool_calls"
    return finish


# ---------------------------------------------------------------------------------------------
# Streams


@dataclass
class CohereStreamState(StreamState):
    """A Cohere stream: tool-call indexes, the tool plan and citations so far, content part types."""

    tools: ToolIndex = field(default_factory=ToolIndex)
    tool_plan: str = ""
    citations: List[Any] = field(default_factory=list)
    content_types: Dict[int, Any] = field(default_factory=dict)  # content index -> "text" | "thinking"


class _Event:
    """One decoded stream event: the object, its ``delta`` and ``delta.message``, and its index."""

    def __init__(self, obj: Dict[str, Any], data: str) -> None:
        self.obj = obj
        self.data = data
        self.delta = json_object(obj.get("delta"))
        self.message = json_object(self.delta.get("message"))
        index = obj.get("index")
        self.index: int = index if isinstance(index, int) else 0


def _stream_error(obj: Dict[str, Any], data: str, state: StreamState) -> APIError:
    delta = json_object(obj.get("delta"))
    message = obj.get("message") or (delta.get("error") if delta else None) or data[:200]
    status = obj.get("status_code") if isinstance(obj.get("status_code"), int) else 500
    return error_for_status(status, str(message), state.provider, state.model, body=data)


def _message_start(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    if event.obj.get("id"):
        state.response_id = str(event.obj["id"])
    return [state.chunk(delta=Delta(role="assistant"))]


def _content(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    part = json_object(event.message.get("content"))
    if event.obj.get("type") == "content-start" and part.get("type"):
        state.content_types[event.index] = part["type"]
    kind = state.content_types.get(event.index)
    if "thinking" in part or (kind == "thinking" and "text" not in part):
        text = part.get("thinking") or part.get("text") or ""
        return [state.chunk(delta=Delta(reasoning_content=str(text)))] if text else []
    text = part.get("text") or ""
    return [state.chunk(delta=Delta(content=str(text)))] if text else []


def _tool_plan_delta(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    piece = event.message.get("tool_plan")
    if isinstance(piece, str):
        state.tool_plan += piece
    return []


def _tool_call_start(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    call = json_object(event.message.get("tool_calls"))
    fn = json_object(call.get("function"))
    index = state.tools.start(event.index)
    call_id = str(call.get("id") or "call_%d" % index)
    fragment = delta_tool_call(index, call_id, str(fn.get("name") or ""), str(fn.get("arguments") or ""))
    return [state.chunk(delta=Delta(tool_calls=[fragment]))]


def _tool_call_delta(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    fn = json_object(json_object(event.message.get("tool_calls")).get("function"))
    args = fn.get("arguments")
    if not args:
        return []
    index = state.tools.index(event.index)
    return [state.chunk(delta=Delta(tool_calls=[delta_tool_call(index, arguments=str(args))]))]


def _citation_start(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    citation = event.message.get("citations")
    if citation:
        state.citations.append(citation)
    return []


def _message_end(event: _Event, state: CohereStreamState) -> List[ModelResponseStream]:
    state.done = True
    delta = event.delta
    error = delta.get("error")
    if error:
        raise error_for_status(500, "Cohere stream error: %s" % (error,), state.provider, state.model, body=event.data)
    finish = _finish(delta.get("finish_reason"), bool(state.tools))
    usage = _usage(delta.get("usage"))
    state.finish_reason = finish
    state.usage = usage
    extras: Dict[str, Any] = {}
    if state.tool_plan:
        extras["tool_plan"] = state.tool_plan
    if state.citations:
        extras["citations"] = list(state.citations)
    chunk = state.chunk(delta=Delta(provider_specific_fields=extras or None), finish_reason=finish, usage=usage)
    billed = _billed(delta.get("usage"))
    if billed:
        chunk._hidden_params["billed_units"] = billed
    return [chunk]


_EVENTS: Dict[str, Callable[[_Event, CohereStreamState], List[ModelResponseStream]]] = {
    "message-start": _message_start,
    "content-start": _content,
    "content-delta": _content,
    "tool-plan-delta": _tool_plan_delta,
    "tool-call-start": _tool_call_start,
    "tool-call-delta": _tool_call_delta,
    "citation-start": _citation_start,
    "message-end": _message_end,
}


class CohereAdapter(Adapter):
    """Cohere's v2 Chat API (``cohere/`` and ``cohere_chat/`` models) and v2 Embed API."""

    stream_format = "sse"
    stream_state_class = CohereStreamState
    unsupported_openai_params = _REFUSED
    harmless_param_values = _HARMLESS

    # -- chat ----------------------------------------------------------------------------------

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body: Dict[str, Any] = {"model": request.model, "messages": _messages(request.messages, config)}
        _params(request, body, config)
        body["stream"] = bool(request.stream)
        body.update(request.extra_body)
        return WireRequest(
            url=_chat_url(config),
            headers=_headers(config, request.stream),
            body=json.dumps(body).encode("utf-8"),
        )

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        data = response_object(response, config, "Cohere response: not a JSON object")
        msg = data.get("message")
        if not isinstance(msg, dict):
            raise APIConnectionError("Cohere response has no 'message' object", config.provider, config.model)
        texts, thoughts = _texts_and_thoughts(msg.get("content"))
        calls = _response_calls(msg.get("tool_calls"))
        extras = {key: msg[key] for key in ("tool_plan", "citations") if msg.get(key)}
        message = Message(
            content="".join(texts) if texts else None,
            role="assistant",
            tool_calls=calls or None,
            reasoning_content="".join(thoughts) if thoughts else None,
            provider_specific_fields=extras or None,
        )
        if thoughts:
            message.thinking_blocks = [{"type": "thinking", "thinking": t} for t in thoughts]
        finish = _finish(data.get("finish_reason"), bool(calls))
        result = ModelResponse(model=request.model, choices=[Choices(finish_reason=finish, index=0, message=message)])
        if data.get("id"):
            result.id = str(data["id"])
        result.usage = _usage(data.get("usage"))
        billed = _billed(data.get("usage"))
        if billed:
            result._hidden_params["billed_units"] = billed
        if data.get("logprobs") is not None:
            result.choices[0].logprobs = data["logprobs"]
        return result

    # -- streaming -----------------------------------------------------------------------------

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, CohereStreamState)
        data = event.data.strip() if event.data else ""
        if not data:
            return []
        if data == "[DONE]":
            state.done = True
            return []
        obj = event_object(data, state, "Cohere")
        etype = obj.get("type") or event.event
        if etype == "error" or (not etype and obj.get("message")):
            raise _stream_error(obj, data, state)
        handler = _EVENTS.get(etype) if isinstance(etype, str) else None
        # content-end, tool-call-end, citation-end, debug and future events carry nothing to emit.
        return handler(_Event(obj, data), state) if handler is not None else []

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done:
            raise stream_cut(state, "Cohere", "its message-end event")
        return []

    # -- embeddings ----------------------------------------------------------------------------

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        params = request.params
        body: Dict[str, Any] = {
            "model": request.model,
            "texts": text_inputs(request, config, "cohere"),
            "input_type": params.get("input_type") or "search_document",
            "embedding_types": ["float"],
        }
        if params.get("dimensions") is not None:
            body["output_dimension"] = params["dimensions"]
        reject_float_only(request, config)
        body.update(request.extra_body)
        return WireRequest(url=_embed_url(config), headers=_headers(config, False), body=json.dumps(body).encode("utf-8"))

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        data = response_object(response, config, "Cohere embed response")
        raw = data.get("embeddings")
        vectors: Any = None
        if isinstance(raw, dict):
            vectors = raw.get("float")
            if vectors is None and raw:
                vectors = next(iter(raw.values()))
        elif isinstance(raw, list):
            vectors = raw
        if not isinstance(vectors, list):
            raise APIConnectionError("Cohere embed response has no embeddings", config.provider, config.model)
        billed = json_object(json_object(data.get("meta")).get("billed_units"))
        return vectors_response(vectors, request, config, "Cohere", as_int(billed.get("input_tokens")))
