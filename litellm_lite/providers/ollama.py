"""Ollama's native API: ``/api/chat`` (``ollama_chat/`` models), ``/api/generate`` (``ollama/``
models) and ``/api/embed``.

Reference: https://github.com/ollama/ollama/blob/main/docs/api.md

Things that differ from OpenAI's format:

- Ollama streams by default, so ``stream`` is always sent explicitly.
- Streams are NDJSON: one JSON object per line; the last one has ``"done": true`` with
  ``done_reason`` and the token counts (``prompt_eval_count`` / ``eval_count``).
- Sampling parameters live in ``options`` (``max_tokens`` is ``num_predict``); JSON mode is
  ``format: "json"`` and a JSON schema is ``format: {schema}``; reasoning is ``think``.
- Tool-call arguments are JSON objects (not strings) and calls carry no id in older servers;
  tool results are ``role: tool`` messages naming the tool in ``tool_name``.
- Images are bare base64 strings in a message's ``images`` list (no data-URL prefix).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..exceptions import APIConnectionError, APIError, BadRequestError
from ..params import OPENAI_CHAT_PARAMS
from ..types import Choices, Delta, EmbeddingResponse, Message, ModelResponse, ModelResponseStream, Usage
from ._common import response_object, copy_limits, CallContext, as_int, copy_params, json_format, event_object, json_headers, parse_arguments, parse_data_url, payload_error, stream_cut
from .embed_common import reject_float_only, text_inputs, vectors_response
from .base import (
    Adapter, ChatRequest, EmbeddingRequest, StreamEvent, StreamState, WireRequest, WireResponse, delta_tool_call,
    error_from_body, join_url, json_object, map_finish_reason, reject_param, text_of, tool_call, usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["OllamaChatAdapter", "OllamaGenerateAdapter", "OllamaStreamState"]

_THINK_LEVELS = frozenset({"low", "medium", "high"})
_NO_THINK = frozenset({"none", "disable", "disabled", "off", "minimal"})
# Request keys a caller may pass as provider-specific keyword arguments (extra_body) that belong
# at the top level of the body; anything else unknown also goes top level, except "options".
_OPTION_PARAMS = (
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("seed", "seed"),
    ("frequency_penalty", "frequency_penalty"),
    ("presence_penalty", "presence_penalty"),
)


# OpenAI parameters this adapter translates (stream_options is ignored: Ollama always reports
# the token counts on its last line); any other parameter that was set is unsupported.
_HANDLED = frozenset(
    {
        "temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens", "seed",
        "presence_penalty", "frequency_penalty", "tools", "tool_choice", "parallel_tool_calls",
        "response_format", "stream_options", "reasoning_effort", "thinking",
    }
)
# Declared for the road and get_supported_openai_params: what _HANDLED leaves out, plus parameters
# that pass only at values that ask for nothing (one choice, parallel calls, no forced tool).
_REFUSED = frozenset(OPENAI_CHAT_PARAMS) - _HANDLED | {"n", "parallel_tool_calls", "tool_choice"}
_HARMLESS = {"n": (1,), "parallel_tool_calls": (True,), "tool_choice": ("auto", "none")}


def _new_call_id() -> str:
    return "call_" + uuid.uuid4().hex[:24]


def _headers(config: "CallConfig", stream: bool) -> Dict[str, str]:
    auth = {"authorization": "Bearer %s" % config.api_key} if config.api_key else None
    return json_headers(config, "application/x-ndjson" if stream else "application/json", auth)


def _url(config: "CallConfig", path: str) -> str:
    base = config.api_base.rstrip("/")
    for suffix in ("/api/chat", "/api/generate", "/api/embed", "/api/embeddings"):
        if base.endswith(suffix) and suffix != path:
            base = base[: -len(suffix)]
            break
    return join_url(base, path)


def _image_b64(part: Dict[str, Any], config: "CallConfig") -> str:
    """An OpenAI image_url part -> the bare base64 string Ollama expects."""
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else image
    url = str(url or "")
    if url.startswith("data:"):
        parsed = parse_data_url(url)
        if parsed is None or not parsed.payload:
            raise BadRequestError("malformed data URL in image_url", config.provider, config.model)
        return parsed.base64()
    if url.startswith(("http://", "https://")):
        raise BadRequestError(
            "ollama needs images inline: pass a data URL (data:image/png;base64,...) instead of %s" % url[:60],
            config.provider,
            config.model,
        )
    return url  # already bare base64


def _text_and_images(content: Any, config: "CallConfig") -> Tuple[str, List[str]]:
    if content is None or isinstance(content, str):
        return content or "", []
    if not isinstance(content, list):
        return str(content), []
    texts: List[str] = []
    images: List[str] = []
    for part in content:
        if not isinstance(part, dict):
            continue
        ptype = part.get("type", "text")
        if ptype == "text":
            texts.append(str(part.get("text", "")))
        elif ptype == "image_url":
            images.append(_image_b64(part, config))
        else:
            raise BadRequestError(
                "ollama does not accept %r content parts (only text and image_url)" % ptype,
                config.provider,
                config.model,
            )
    return "".join(texts), images


def _arguments_object(raw: Any, config: "CallConfig") -> Any:
    value = parse_arguments(raw, CallContext(config))
    return value if isinstance(value, dict) else {"value": value}


def _chat_messages(messages: List[Dict[str, Any]], config: "CallConfig") -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    names_by_id: Dict[str, str] = {}
    for msg in messages:
        role = msg.get("role")
        if role in ("system", "developer"):
            out.append({"role": "system", "content": text_of(msg.get("content"))})
        elif role == "user":
            text, images = _text_and_images(msg.get("content"), config)
            entry: Dict[str, Any] = {"role": "user", "content": text}
            if images:
                entry["images"] = images
            out.append(entry)
        elif role == "assistant":
            entry = {"role": "assistant", "content": text_of(msg.get("content"))}
            if msg.get("reasoning_content"):
                entry["thinking"] = str(msg["reasoning_content"])
            calls = msg.get("tool_calls")
            if isinstance(calls, list) and calls:
                out_calls = []
                for call in calls:
                    if not isinstance(call, dict):
                        continue
                    fn = call.get("function") or {}
                    name = str(fn.get("name") or "")
                    if call.get("id"):
                        names_by_id[str(call["id"])] = name
                    out_call: Dict[str, Any] = {
                        "function": {"name": name, "arguments": _arguments_object(fn.get("arguments"), config)}
                    }
                    if call.get("id"):
                        out_call["id"] = str(call["id"])
                    out_calls.append(out_call)
                entry["tool_calls"] = out_calls
            out.append(entry)
        elif role == "tool":
            entry = {"role": "tool", "content": text_of(msg.get("content"))}
            tool_name = msg.get("name") or names_by_id.get(str(msg.get("tool_call_id") or ""))
            if tool_name:
                entry["tool_name"] = str(tool_name)
            out.append(entry)
        else:
            raise BadRequestError("unsupported message role %r for ollama" % (role,), config.provider, config.model)
    return out


def _think(params: Dict[str, Any], model: str, config: "CallConfig") -> Optional[Any]:
    thinking = params.get("thinking")
    if isinstance(thinking, dict):
        return thinking.get("type") != "disabled"
    effort = params.get("reasoning_effort")
    if effort is None or effort == "default":
        return None
    effort_s = str(effort).lower()
    if effort_s == "xhigh":
        effort_s = "high"
    if effort_s in _NO_THINK:
        return False
    if effort_s in _THINK_LEVELS:
        # gpt-oss models take a level; the others a boolean.
        return effort_s if "gpt-oss" in model.lower() else True
    reject_param("reasoning_effort", config, " with value %r" % (effort,))
    return None


def _format(value: Any, config: "CallConfig") -> Optional[Any]:
    wanted, schema = json_format(value, config)
    if not wanted:
        return None
    return schema if schema is not None else "json"


def _options(params: Dict[str, Any], config: "CallConfig") -> Dict[str, Any]:
    """Sampling parameters -> ``options`` (``max_tokens`` is ``num_predict``)."""
    options: Dict[str, Any] = {}
    copy_params(params, _OPTION_PARAMS, options)
    copy_limits(params, options, "num_predict", "stop")
    if params.get("n") not in (None, 1):
        reject_param("n", config, " other than 1")
    for name in sorted(params):
        if name not in _HANDLED and not name.startswith("_"):  # "_..." are orchestrator hints
            reject_param(name, config)
    return options


def _tools(params: Dict[str, Any], body: Dict[str, Any], config: "CallConfig", tools_ok: bool) -> None:
    tools = params.get("tools")
    choice = params.get("tool_choice")
    if tools and not tools_ok:
        reject_param("tools", config, " on /api/generate (use the ollama_chat/ prefix)")
    elif tools and choice != "none":  # no tools offered means no tool calls
        body["tools"] = [t for t in tools if isinstance(t, dict)]
    if choice not in (None, "auto", "none"):
        reject_param("tool_choice", config, " with value %r" % (choice,))
    if params.get("parallel_tool_calls") is False:
        reject_param("parallel_tool_calls", config, " set to False")


def _common_body(request: ChatRequest, config: "CallConfig", body: Dict[str, Any], tools_ok: bool) -> None:
    """options / format / think / tools / keep_alive and the explicit ``stream`` flag."""
    params = request.params
    options = _options(params, config)
    if "response_format" in params:
        fmt = _format(params["response_format"], config)
        if fmt is not None:
            body["format"] = fmt
    think = _think(params, request.model, config)
    if think is not None:
        body["think"] = think
    _tools(params, body, config, tools_ok)
    extra = dict(request.extra_body)
    extra_options = extra.pop("options", None)
    if isinstance(extra_options, dict):
        options.update(extra_options)
    if options:
        body["options"] = options
    body.update(extra)  # keep_alive, raw, template, context, ... pass through
    body["stream"] = bool(request.stream)


def _usage(data: Dict[str, Any]) -> Optional[Usage]:
    if "prompt_eval_count" not in data and "eval_count" not in data:
        return None
    return usage_from_counts(as_int(data.get("prompt_eval_count")), as_int(data.get("eval_count")))


def _tool_calls(raw: Any) -> List[Tuple[str, str, str]]:
    """Ollama tool calls -> (id, name, arguments JSON string); ids are made up when absent."""
    out: List[Tuple[str, str, str]] = []
    if not isinstance(raw, list):
        return out
    for call in raw:
        if not isinstance(call, dict):
            continue
        fn = json_object(call.get("function"))
        args = fn.get("arguments")
        if not isinstance(args, str):
            args = json.dumps(args if args is not None else {})
        out.append((str(call.get("id") or _new_call_id()), str(fn.get("name") or ""), args))
    return out


def _finish(done_reason: Any, has_tools: bool) -> str:
    finish = map_finish_reason(done_reason if isinstance(done_reason, str) else None) or "stop"
    if has_tools and finish == "stop":
        return "tool_calls"
    return finish


def _raise_in_body(data: Any, provider: str, model: str, status: int = 500) -> None:
    if isinstance(data, dict) and data.get("error"):
        raise payload_error(data, provider, model, status=status, prefix="Ollama error: ")


@dataclass
class OllamaStreamState(StreamState):
    """An Ollama stream: whether the role was sent, and tool calls so far."""

    started: bool = False
    tools: int = 0


class OllamaChatAdapter(Adapter):
    """``ollama_chat/<model>``: POST /api/chat with NDJSON streaming."""

    stream_format = "ndjson"
    stream_state_class = OllamaStreamState
    path = "/api/chat"
    tools_ok = True
    unsupported_openai_params = _REFUSED
    harmless_param_values = _HARMLESS

    def _body(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        return {"model": request.model, "messages": _chat_messages(request.messages, config)}

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body = self._body(request, config)
        _common_body(request, config, body, self.tools_ok)
        return WireRequest(
            url=_url(config, self.path), headers=_headers(config, request.stream), body=json.dumps(body).encode("utf-8")
        )

    def _extract(self, data: Dict[str, Any]) -> Tuple[str, str, List[Tuple[str, str, str]]]:
        """(content, thinking, tool calls) of one response object or stream line."""
        msg = json_object(data.get("message"))
        content = msg.get("content")
        thinking = msg.get("thinking")
        return (
            content if isinstance(content, str) else "",
            thinking if isinstance(thinking, str) else "",
            _tool_calls(msg.get("tool_calls")),
        )

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        data = response_object(response, config, "Ollama response: not a JSON object")
        _raise_in_body(data, config.provider, config.model)
        if "message" not in data and "response" not in data:
            raise APIConnectionError("Ollama response has no message", config.provider, config.model)
        content, thinking, calls = self._extract(data)
        message = Message(
            content=content,
            role="assistant",
            tool_calls=[tool_call(cid, name, args) for cid, name, args in calls] or None,
            reasoning_content=thinking or None,
        )
        result = ModelResponse(
            model=request.model,
            choices=[Choices(finish_reason=_finish(data.get("done_reason"), bool(calls)), index=0, message=message)],
        )
        result.usage = _usage(data)
        return result

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        assert isinstance(state, OllamaStreamState)
        line = event.data.strip() if event.data else ""
        if not line:
            return []
        data = event_object(line, state, "Ollama", "line")
        _raise_in_body(data, state.provider, state.model)
        content, thinking, calls = self._extract(data)
        chunks: List[ModelResponseStream] = []
        delta = Delta()
        if not state.started:
            delta.role = "assistant"
            state.started = True
        if content:
            delta.content = content
        if thinking:
            delta.reasoning_content = thinking
        if calls:
            first = state.tools
            delta.tool_calls = [
                delta_tool_call(first + i, cid, name, args) for i, (cid, name, args) in enumerate(calls)
            ]
            state.tools = first + len(calls)
        if data.get("done") is True:
            state.done = True
            finish = _finish(data.get("done_reason"), state.tools > 0)
            usage = _usage(data)
            state.finish_reason = finish
            state.usage = usage
            chunks.append(state.chunk(delta=delta, finish_reason=finish, usage=usage))
        elif delta.role or delta.content or delta.reasoning_content or delta.tool_calls:
            chunks.append(state.chunk(delta=delta))
        return chunks

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done:
            raise stream_cut(state, "Ollama", 'its final line ("done": true)')
        return []

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        err = error_from_body(response, config.provider, config.model)
        if response.status == 404 and "not found" in err.message and "ollama pull" not in err.message:
            err.message = "%s (pull it first: `ollama pull %s`)" % (err.message, config.model)
            err.args = (err.message,)
        return err

    # -- embeddings ----------------------------------------------------------------------------

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        body: Dict[str, Any] = {"model": request.model, "input": text_inputs(request, config, "ollama")}
        params = request.params
        if params.get("dimensions") is not None:
            body["dimensions"] = params["dimensions"]
        reject_float_only(request, config)
        body.update(request.extra_body)
        return WireRequest(url=_url(config, "/api/embed"), headers=_headers(config, False), body=json.dumps(body).encode("utf-8"))

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        data = response_object(response, config, "Ollama embed response")
        _raise_in_body(data, config.provider, config.model)
        vectors = data.get("embeddings")
        if vectors is None and isinstance(data.get("embedding"), list):  # legacy /api/embeddings
            vectors = [data["embedding"]]
        if not isinstance(vectors, list):
            raise APIConnectionError("Ollama embed response has no embeddings", config.provider, config.model)
        return vectors_response(vectors, request, config, "Ollama", as_int(data.get("prompt_eval_count")))


def _flatten(messages: List[Dict[str, Any]], config: "CallConfig") -> Tuple[str, str, List[str]]:
    """Chat messages -> (system, prompt, images) for /api/generate.

    A conversation that is a single user turn is sent as its text alone; longer ones are written
    out turn by turn with role headers and end with an open assistant turn.
    """
    system: List[str] = []
    turns: List[Tuple[str, str]] = []
    images: List[str] = []
    for msg in messages:
        role = msg.get("role")
        if role in ("system", "developer"):
            system.append(text_of(msg.get("content")))
        elif role == "user":
            text, imgs = _text_and_images(msg.get("content"), config)
            images.extend(imgs)
            turns.append(("User", text))
        elif role == "assistant":
            text = text_of(msg.get("content"))
            calls = msg.get("tool_calls")
            if isinstance(calls, list) and calls:
                rendered = [
                    json.dumps({"name": (c.get("function") or {}).get("name"), "arguments": (c.get("function") or {}).get("arguments")})
                    for c in calls
                    if isinstance(c, dict)
                ]
                text = (text + "\n" if text else "") + "\n".join(rendered)
            turns.append(("Assistant", text))
        elif role == "tool":
            turns.append(("Tool result", text_of(msg.get("content"))))
        else:
            raise BadRequestError("unsupported message role %r for ollama" % (role,), config.provider, config.model)
    if len(turns) == 1 and turns[0][0] == "User":
        prompt = turns[0][1]
    else:
        prompt = "".join("### %s:\n%s\n\n" % (who, text) for who, text in turns)
        if not turns or turns[-1][0] != "Assistant":
            prompt += "### Assistant:\n"
    return "\n\n".join(s for s in system if s), prompt, images


class OllamaGenerateAdapter(OllamaChatAdapter):
    """``ollama/<model>``: POST /api/generate; the conversation is flattened into one prompt."""

    path = "/api/generate"
    tools_ok = False
    unsupported_openai_params = _REFUSED | {"tools"}

    def _body(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        system, prompt, images = _flatten(request.messages, config)
        body: Dict[str, Any] = {"model": request.model, "prompt": prompt}
        if system:
            body["system"] = system
        if images:
            body["images"] = images
        return body

    def _extract(self, data: Dict[str, Any]) -> Tuple[str, str, List[Tuple[str, str, str]]]:
        content = data.get("response")
        thinking = data.get("thinking")
        return (content if isinstance(content, str) else "", thinking if isinstance(thinking, str) else "", [])
