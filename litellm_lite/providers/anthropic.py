"""Anthropic Messages API (``POST /v1/messages``) <-> OpenAI chat completions.

Request: system/developer messages become the top-level ``system``; tool calls and tool results
become ``tool_use`` / ``tool_result`` blocks; images and PDFs become ``image`` / ``document``
blocks; consecutive turns of the same role are merged (the API wants alternating turns).
Response: ``text`` blocks -> content, ``thinking`` -> reasoning_content (+ thinking_blocks),
``tool_use`` -> tool_calls. Streams are SSE with typed events (message_start,
content_block_start/delta/stop, message_delta, message_stop, ping, error).

``response_format`` with a JSON schema uses Anthropic's structured outputs (``output_format``,
beta header ``structured-outputs-2025-11-13``) on the models that have them, and otherwise a
forced tool named ``json_tool_call`` whose arguments are returned as the message content.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any, Dict, List, NoReturn, Optional, Tuple

from ..exceptions import APIConnectionError, APIError, BadRequestError, UnsupportedParamsError, error_for_status
from ..types import ChatCompletionMessageToolCall, Choices, Delta, Message, ModelResponse, ModelResponseStream, Usage
from .base import (
    Adapter,
    ChatRequest,
    StreamEvent,
    StreamState,
    WireRequest,
    WireResponse,
    delta_tool_call,
    error_from_body,
    load_json,
    map_finish_reason,
    token_count,
    tool_call,
    usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["AnthropicAdapter", "ANTHROPIC_VERSION", "JSON_TOOL_NAME", "REASONING_BUDGETS"]

logger = logging.getLogger("litellm_lite")

ANTHROPIC_VERSION = "2023-06-01"
STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13"
JSON_TOOL_NAME = "json_tool_call"
DEFAULT_MAX_TOKENS = 4096
# reasoning_effort -> thinking budget (tokens), as LiteLLM maps it; "minimal"/"none" disable thinking.
REASONING_BUDGETS: Dict[str, Optional[int]] = {
    "low": 1024, "medium": 2048, "high": 4096, "minimal": None, "none": None, "disable": None, "default": None,
}

# OpenAI parameters the Messages API cannot express.
_UNSUPPORTED = ("logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "seed",
                "modalities", "audio", "prediction", "functions", "function_call", "web_search_options",
                "verbosity")
_SERVICE_TIERS = frozenset({"auto", "standard_only"})
# Anthropic error ``type`` -> HTTP status, for errors that arrive inside a 200 stream.
_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
# Content blocks already in Anthropic's own shape are passed through unchanged.
_NATIVE_BLOCKS = frozenset({"image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking",
                            "search_result"})
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# Models with native structured outputs (output_format): Claude 4.1+ Opus, 4.5+ Sonnet/Haiku, any 5+.
_MODEL_VERSION = re.compile(r"claude-(opus|sonnet|haiku)-(\d+)(?:[-.](\d{1,2}))?(?!\d)")


def _supports_output_format(model: str) -> bool:
    match = _MODEL_VERSION.search(model.lower())
    if not match:
        return False
    family, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if major > 4:
        return True
    if major < 4:
        return False
    return minor >= (1 if family == "opus" else 5)


def _messages_url(api_base: str) -> str:
    base = api_base.rstrip("/")
    if base.endswith("/v1/messages"):
        return base
    if base.endswith("/v1"):
        return base + "/messages"
    return base + "/v1/messages"


def _json_mode(request: ChatRequest) -> Optional[str]:
    """"native" (output_format), "tool" (forced json_tool_call) or None for this request."""
    fmt = request.params.get("response_format")
    if not isinstance(fmt, dict):
        return None
    kind = fmt.get("type")
    if kind == "json_schema" and _schema_of(fmt) is not None and _supports_output_format(request.model):
        return "native"
    if kind in ("json_schema", "json_object"):
        return "tool"
    return None


def _schema_of(fmt: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    spec = fmt.get("json_schema")
    if isinstance(spec, dict):
        schema = spec.get("schema")
        if isinstance(schema, dict):
            return schema
    return None


class _Ctx:
    """What the request builder needs to raise well-formed errors."""

    def __init__(self, config: "CallConfig") -> None:
        self.provider = config.provider
        self.model = config.model
        self.drop = config.drop_params

    def bad(self, message: str) -> BadRequestError:
        return BadRequestError(message, self.provider, self.model)


# ---------------------------------------------------------------------------------------------
# Request


def _data_url(url: str) -> Optional[Tuple[str, str]]:
    """(media_type, base64 data) of a ``data:...;base64,`` URL, else None."""
    if not url.startswith("data:"):
        return None
    header, sep, data = url[5:].partition(",")
    if not sep or ";base64" not in header:
        return None
    media_type = header.split(";", 1)[0].strip().lower() or "application/octet-stream"
    return media_type, data


def _image_block(part: Dict[str, Any], ctx: _Ctx) -> Dict[str, Any]:
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else image
    if not isinstance(url, str) or not url:
        raise ctx.bad("image_url part without a url")
    decoded = _data_url(url)
    if decoded is not None:
        media_type, data = decoded
        if media_type == "application/pdf":
            return {"type": "document", "source": {"type": "base64", "media_type": media_type, "data": data}}
        if media_type not in _IMAGE_TYPES:
            raise ctx.bad("unsupported image type %r (Anthropic takes jpeg, png, gif, webp)" % media_type)
        return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
    lowered = url.lower()
    if lowered.startswith("http://") or lowered.startswith("https://"):
        return {"type": "image", "source": {"type": "url", "url": url}}
    raise ctx.bad("image_url must be a data: URL or an http(s) URL")


def _file_block(part: Dict[str, Any], ctx: _Ctx) -> Dict[str, Any]:
    info = part.get("file")
    if not isinstance(info, dict):
        raise ctx.bad("file part without a 'file' object")
    data = info.get("file_data")
    if isinstance(data, str) and data:
        decoded = _data_url(data)
        if decoded is None:
            raise ctx.bad("file_data must be a base64 data: URL")
        media_type, payload = decoded
        if media_type == "application/pdf":
            block: Dict[str, Any] = {"type": "document",
                                     "source": {"type": "base64", "media_type": media_type, "data": payload}}
            if isinstance(info.get("filename"), str) and info["filename"]:
                block["title"] = info["filename"][:500]
            return block
        if media_type in _IMAGE_TYPES:
            return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": payload}}
        raise ctx.bad("unsupported file type %r for Anthropic (PDF or images only)" % media_type)
    raise ctx.bad("file parts need file_data (a base64 data: URL); file_id is not supported for Anthropic")


def _content_blocks(content: Any, ctx: _Ctx) -> List[Dict[str, Any]]:
    """OpenAI message content (str or parts) -> Anthropic content blocks (empty text dropped)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    if not isinstance(content, list):
        raise ctx.bad("message content must be a string or a list of parts")
    blocks: List[Dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            part = {"type": "text", "text": part}
        if not isinstance(part, dict):
            raise ctx.bad("content parts must be objects")
        kind = part.get("type", "text")
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise ctx.bad("text part without a text string")
            if not text:
                continue
            block: Dict[str, Any] = {"type": "text", "text": text}
        elif kind == "refusal":
            text = part.get("refusal")
            if not isinstance(text, str) or not text:
                continue
            block = {"type": "text", "text": text}
        elif kind == "image_url":
            block = _image_block(part, ctx)
        elif kind == "file":
            block = _file_block(part, ctx)
        elif kind in _NATIVE_BLOCKS:
            block = {k: v for k, v in part.items() if k != "cache_control"}
        elif kind == "input_audio":
            raise ctx.bad("Anthropic models do not accept audio input")
        else:
            raise ctx.bad("unsupported content part type %r" % (kind,))
        if part.get("cache_control") is not None:
            block["cache_control"] = part["cache_control"]
        blocks.append(block)
    return blocks


def _thinking_blocks(blocks: Any) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    if not isinstance(blocks, list):
        return out
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "thinking" and block.get("signature"):
            out.append({"type": "thinking", "thinking": str(block.get("thinking") or ""),
                        "signature": str(block["signature"])})
        elif block.get("type") == "redacted_thinking" and block.get("data"):
            out.append({"type": "redacted_thinking", "data": str(block["data"])})
    return out


def _tool_use_blocks(tool_calls: Any, ctx: _Ctx) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    if not isinstance(tool_calls, list):
        raise ctx.bad("assistant tool_calls must be a list")
    for call in tool_calls:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not function.get("name"):
            raise ctx.bad("each tool call needs function.name")
        raw = function.get("arguments")
        if raw is None or raw == "":
            arguments: Any = {}
        elif isinstance(raw, dict):
            arguments = raw
        else:
            try:
                arguments = json.loads(raw)
            except (TypeError, ValueError):
                raise ctx.bad("tool call %r has arguments that are not valid JSON: %.200s"
                              % (function.get("name"), raw)) from None
        if not isinstance(arguments, dict):
            raise ctx.bad("tool call %r arguments must be a JSON object" % (function.get("name"),))
        out.append({"type": "tool_use", "id": str(call.get("id") or ""), "name": str(function["name"]),
                    "input": arguments})
    return out


def _tool_result_block(message: Dict[str, Any], ctx: _Ctx) -> Dict[str, Any]:
    content = message.get("content")
    block: Dict[str, Any] = {"type": "tool_result", "tool_use_id": str(message.get("tool_call_id") or "")}
    if isinstance(content, list):
        parts = _content_blocks(content, ctx)
        block["content"] = parts if parts else ""
    else:
        block["content"] = "" if content is None else str(content)
    if message.get("cache_control") is not None:
        block["cache_control"] = message["cache_control"]
    return block


def _convert_messages(
    messages: List[Dict[str, Any]], ctx: _Ctx
) -> Tuple[Optional[Any], List[Dict[str, Any]]]:
    """(system, messages) in Anthropic's shape."""
    system_blocks: List[Dict[str, Any]] = []
    turns: List[Dict[str, Any]] = []

    def add(role: str, blocks: List[Dict[str, Any]]) -> None:
        if not blocks:
            return
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": list(blocks)})

    for message in messages:
        if not isinstance(message, dict):
            raise ctx.bad("each message must be an object")
        role = message.get("role")
        if role in ("system", "developer"):
            blocks = _content_blocks(message.get("content"), ctx)
            for block in blocks:
                if block.get("type") != "text":
                    raise ctx.bad("system messages may only contain text")
            _message_cache_control(message, blocks)
            system_blocks.extend(blocks)
        elif role == "user":
            blocks = _content_blocks(message.get("content"), ctx)
            _message_cache_control(message, blocks)
            add("user", blocks)
        elif role == "assistant":
            blocks = _thinking_blocks(message.get("thinking_blocks"))
            blocks.extend(_content_blocks(message.get("content"), ctx))
            if message.get("tool_calls"):
                blocks.extend(_tool_use_blocks(message["tool_calls"], ctx))
            _message_cache_control(message, blocks)
            add("assistant", blocks)
        elif role in ("tool", "function"):
            add("user", [_tool_result_block(message, ctx)])
        else:
            raise ctx.bad("unsupported message role %r" % (role,))

    # A final (prefill) assistant turn must not end with whitespace.
    if turns and turns[-1]["role"] == "assistant":
        last = turns[-1]["content"][-1]
        if last.get("type") == "text":
            last["text"] = last["text"].rstrip()
            if not last["text"]:
                turns[-1]["content"].pop()
                if not turns[-1]["content"]:
                    turns.pop()
    if not turns:
        raise ctx.bad("Anthropic needs at least one user or assistant message with content")
    for turn in turns:
        content = turn["content"]
        if len(content) == 1 and content[0].get("type") == "text" and set(content[0]) == {"type", "text"}:
            turn["content"] = content[0]["text"]

    system: Optional[Any] = None
    if system_blocks:
        if any("cache_control" in block for block in system_blocks):
            system = system_blocks
        else:
            system = "\n".join(block["text"] for block in system_blocks)
    return system, turns


def _message_cache_control(message: Dict[str, Any], blocks: List[Dict[str, Any]]) -> None:
    """A message-level ``cache_control`` marks the message's last block (LiteLLM's convention)."""
    if message.get("cache_control") is not None and blocks:
        blocks[-1]["cache_control"] = message["cache_control"]


def _convert_tools(tools: Any, ctx: _Ctx) -> List[Dict[str, Any]]:
    if not isinstance(tools, list):
        raise ctx.bad("tools must be a list")
    out: List[Dict[str, Any]] = []
    for tool in tools:
        if not isinstance(tool, dict):
            raise ctx.bad("each tool must be an object")
        function = tool.get("function")
        if tool.get("type", "function") != "function" or not isinstance(function, dict):
            if "function" in tool:
                raise ctx.bad("tool 'function' must be an object")
            out.append(dict(tool))  # an Anthropic-native tool (e.g. web_search_20250305)
            continue
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise ctx.bad("each tool needs function.name")
        schema = function.get("parameters")
        if not isinstance(schema, dict):
            schema = {"type": "object", "properties": {}}
        elif "type" not in schema:
            schema = dict(schema, type="object")
        entry: Dict[str, Any] = {"name": name, "input_schema": schema}
        if function.get("description"):
            entry["description"] = str(function["description"])
        cache = tool.get("cache_control", function.get("cache_control"))
        if cache is not None:
            entry["cache_control"] = cache
        out.append(entry)
    return out


def _convert_tool_choice(choice: Any, ctx: _Ctx) -> Dict[str, Any]:
    if choice == "auto":
        return {"type": "auto"}
    if choice == "none":
        return {"type": "none"}
    if choice in ("required", "any"):
        return {"type": "any"}
    if isinstance(choice, dict):
        function = choice.get("function")
        if isinstance(function, dict) and function.get("name"):
            return {"type": "tool", "name": str(function["name"])}
        if choice.get("type") in ("auto", "any", "none", "tool"):
            return dict(choice)
    raise ctx.bad("unsupported tool_choice %r" % (choice,))


def _thinking_config(params: Dict[str, Any], ctx: _Ctx) -> Optional[Dict[str, Any]]:
    thinking = params.get("thinking")
    if thinking is not None:
        if not isinstance(thinking, dict):
            raise ctx.bad("thinking must be an object like {'type': 'enabled', 'budget_tokens': 1024}")
        return dict(thinking)
    effort = params.get("reasoning_effort")
    if effort is None:
        return None
    if effort not in REASONING_BUDGETS:
        if ctx.drop:
            return None
        raise UnsupportedParamsError(
            "anthropic supports reasoning_effort %s, got %r (pass drop_params=True to drop it)"
            % ("/".join(REASONING_BUDGETS), effort), ctx.provider, ctx.model)
    budget = REASONING_BUDGETS[effort]
    return None if budget is None else {"type": "enabled", "budget_tokens": budget}


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


def build_body(request: ChatRequest, ctx: _Ctx) -> Tuple[Dict[str, Any], List[str]]:
    """The JSON body for ``request`` and the ``anthropic-beta`` values it needs."""
    params = request.params
    betas: List[str] = []
    for name in _UNSUPPORTED:
        if name in params and not (name == "logprobs" and params[name] is False):
            if not ctx.drop:
                raise UnsupportedParamsError(
                    "anthropic does not support parameter %r (pass drop_params=True to drop it)" % name,
                    ctx.provider, ctx.model)
    tier = params.get("service_tier")
    if tier is not None and tier not in _SERVICE_TIERS and not ctx.drop:
        raise UnsupportedParamsError("anthropic service_tier is auto or standard_only, got %r" % (tier,),
                                     ctx.provider, ctx.model)
    n = params.get("n")
    if n is not None and n != 1 and not ctx.drop:
        raise UnsupportedParamsError("anthropic does not support n=%r (one choice per call; pass "
                                     "drop_params=True to drop it)" % (n,), ctx.provider, ctx.model)

    system, messages = _convert_messages(request.messages, ctx)
    body: Dict[str, Any] = {"model": request.model, "messages": messages}
    if system is not None:
        body["system"] = system

    max_tokens = params.get("max_tokens", params.get("max_completion_tokens"))
    if max_tokens is None:
        max_tokens = params.get("_default_max_tokens") or DEFAULT_MAX_TOKENS
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise ctx.bad("max_tokens must be a positive integer, got %r" % (max_tokens,))
    thinking = _thinking_config(params, ctx)
    if thinking is not None:
        body["thinking"] = thinking
        budget = thinking.get("budget_tokens")
        if thinking.get("type") == "enabled" and isinstance(budget, int) and max_tokens <= budget:
            # The budget counts towards max_tokens: keep the caller's room for the answer on top.
            max_tokens = budget + max_tokens
    body["max_tokens"] = max_tokens

    stop = params.get("stop")
    if stop is not None:
        sequences = [stop] if isinstance(stop, str) else list(stop)
        sequences = [s for s in sequences if isinstance(s, str) and s]
        if sequences:
            body["stop_sequences"] = sequences
    for name in ("temperature", "top_p", "top_k"):
        if params.get(name) is not None:
            body[name] = params[name]
    if tier in _SERVICE_TIERS:
        body["service_tier"] = tier
    if params.get("user") is not None:
        body["metadata"] = {"user_id": str(params["user"])[:256]}

    tools = _convert_tools(params["tools"], ctx) if params.get("tools") else []
    tool_choice: Optional[Dict[str, Any]] = None
    if params.get("tool_choice") is not None and (tools or params["tool_choice"] == "none"):
        tool_choice = _convert_tool_choice(params["tool_choice"], ctx)

    mode = _json_mode(request)
    fmt = params.get("response_format")
    if mode == "native" and isinstance(fmt, dict):
        body["output_format"] = {"type": "json_schema", "schema": _schema_of(fmt)}
        betas.append(STRUCTURED_OUTPUTS_BETA)
    elif mode == "tool" and isinstance(fmt, dict):
        schema = _schema_of(fmt) or {"type": "object", "additionalProperties": True}
        json_tool: Dict[str, Any] = {"name": JSON_TOOL_NAME, "input_schema": schema}
        spec = fmt.get("json_schema")
        if isinstance(spec, dict) and spec.get("description"):
            json_tool["description"] = str(spec["description"])
        if not tools:
            # Forcing a tool is refused while extended thinking is on: then the model is only offered it.
            thinking_on = thinking is not None and thinking.get("type") == "enabled"
            tool_choice = {"type": "auto"} if thinking_on else {"type": "tool", "name": JSON_TOOL_NAME}
        tools.append(json_tool)

    if tools:
        body["tools"] = tools
    if params.get("parallel_tool_calls") is False and tools:
        if tool_choice is None:
            tool_choice = {"type": "auto"}
        if tool_choice.get("type") != "none":
            tool_choice["disable_parallel_tool_use"] = True
    if tool_choice is not None:
        body["tool_choice"] = tool_choice

    if request.stream:
        body["stream"] = True
    for key, value in request.extra_body.items():
        body[key] = value
    return body, betas


# ---------------------------------------------------------------------------------------------
# Response


def _usage(raw: Any) -> Optional[Usage]:
    if not isinstance(raw, dict):
        return None
    read = token_count(raw.get("cache_read_input_tokens"))
    created = token_count(raw.get("cache_creation_input_tokens"))
    prompt = (token_count(raw.get("input_tokens")) or 0) + (read or 0) + (created or 0)
    return usage_from_counts(prompt, token_count(raw.get("output_tokens")) or 0,
                             cached_tokens=read, cache_creation_tokens=created)



def _raise_error_payload(
    payload: Dict[str, Any], provider: str, model: str, status: Optional[int] = None
) -> NoReturn:
    err = payload.get("error")
    err = err if isinstance(err, dict) else {}
    etype = str(err.get("type") or "api_error")
    message = str(err.get("message") or etype)
    raise error_for_status(status or _ERROR_STATUS.get(etype, 500), message, provider, model,
                           body=json.dumps(payload), error_type=etype)


def _block_index(data: Dict[str, Any]) -> Any:
    """A stream event's content-block ``index`` as a dict key (garbage becomes its repr)."""
    value = data.get("index", 0)
    return value if isinstance(value, (int, float, str)) else repr(value)


class AnthropicAdapter(Adapter):
    """Anthropic Messages API."""

    needs_default_max_tokens = True  # max_tokens is required by the Messages API

    stream_format = "sse"

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body, betas = build_body(request, _Ctx(config))
        headers: Dict[str, str] = {
            "content-type": "application/json",
            "accept": "text/event-stream" if request.stream else "application/json",
            "anthropic-version": ANTHROPIC_VERSION,
        }
        if config.api_key:
            headers["x-api-key"] = config.api_key
        for name, value in config.spec.headers:
            headers[name] = value
        for name, value in config.extra_headers.items():
            for key in [k for k in headers if k.lower() == name.lower()]:
                del headers[key]
            headers[name] = value
        for beta in betas:
            _merge_header(headers, "anthropic-beta", beta)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return WireRequest(url=_messages_url(config.api_base), headers=headers, body=data)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        provider, model = config.provider, config.model
        payload = load_json(response.body, provider, model)
        if not isinstance(payload, dict):
            raise APIConnectionError("Anthropic response is not a JSON object", provider, model)
        if payload.get("type") == "error":
            _raise_error_payload(payload, provider, model)
        blocks = payload.get("content")
        if not isinstance(blocks, list):
            raise APIConnectionError("Anthropic response has no content list", provider, model,
                                     body=response.text()[:2000])
        json_tool = _json_mode(request) == "tool"
        texts: List[str] = []
        reasoning: List[str] = []
        thinking: List[Dict[str, Any]] = []
        calls: List[ChatCompletionMessageToolCall] = []
        json_text: Optional[str] = None
        for block in blocks:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind == "text" and isinstance(block.get("text"), str):
                texts.append(block["text"])
            elif kind == "thinking":
                text = str(block.get("thinking") or "")
                reasoning.append(text)
                thinking.append({"type": "thinking", "thinking": text, "signature": block.get("signature")})
            elif kind == "redacted_thinking":
                thinking.append({"type": "redacted_thinking", "data": block.get("data")})
            elif kind == "tool_use":
                if json_tool and block.get("name") == JSON_TOOL_NAME and json_text is None:
                    json_text = json.dumps(block.get("input") if block.get("input") is not None else {})
                    continue
                calls.append(tool_call(str(block.get("id") or ""), str(block.get("name") or ""),
                                       block.get("input") if isinstance(block.get("input"), dict) else {}))
        finish = map_finish_reason(payload.get("stop_reason")) if payload.get("stop_reason") else "stop"
        content: Optional[str] = "".join(texts) if texts else None
        if json_text is not None:
            content = json_text
            if not calls:
                finish = "stop"
        message = Message(
            content=content,
            role="assistant",
            tool_calls=calls or None,
            reasoning_content="".join(reasoning) if reasoning else None,
            thinking_blocks=thinking or None,
        )
        result = ModelResponse(model=str(payload.get("model") or request.model),
                               choices=[Choices(finish_reason=finish, index=0, message=message)],
                               usage=_usage(payload.get("usage")))
        if payload.get("id"):
            result.id = str(payload["id"])
        if payload.get("stop_sequence") is not None:
            result._hidden_params["stop_sequence"] = payload["stop_sequence"]
        return result

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return error_from_body(response, config.provider, config.model)

    # -- streaming -----------------------------------------------------------------------------

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        state = StreamState(model=request.model, provider=config.provider)
        state.scratch["json_tool"] = _json_mode(request) == "tool"
        state.scratch["blocks"] = {}  # content-block index -> per-block record
        state.scratch["tools"] = 0  # tool calls seen so far
        state.scratch["usage"] = {}
        return state

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        if not event.data or not event.data.strip():
            return []
        data = load_json(event.data, state.provider, state.model, what="stream event")
        if not isinstance(data, dict):
            raise APIConnectionError("Anthropic stream event is not a JSON object", state.provider, state.model)
        kind = data.get("type") or event.event
        scratch = state.scratch
        scratch.setdefault("blocks", {})
        scratch.setdefault("tools", 0)
        scratch.setdefault("usage", {})
        if kind == "ping":
            return []
        if kind == "error":
            _raise_error_payload(data, state.provider, state.model)
        if kind == "message_start":
            raw_message = data.get("message")
            message = raw_message if isinstance(raw_message, dict) else {}
            if message.get("id"):
                state.response_id = str(message["id"])
            if isinstance(message.get("usage"), dict):
                scratch["usage"].update(message["usage"])
            return [state.chunk(delta=Delta(role="assistant"))]
        if kind == "content_block_start":
            return self._block_start(data, state)
        if kind == "content_block_delta":
            return self._block_delta(data, state)
        if kind == "content_block_stop":
            return self._block_stop(data, state)
        if kind == "message_delta":
            raw_delta = data.get("delta")
            delta = raw_delta if isinstance(raw_delta, dict) else {}
            if isinstance(data.get("usage"), dict):
                scratch["usage"].update({k: v for k, v in data["usage"].items() if v is not None})
            reason = delta.get("stop_reason")
            finish = map_finish_reason(reason) if reason else None
            if finish == "tool_calls" and scratch.get("json_tool") and scratch.get("tools", 0) == 0:
                finish = "stop"
            if finish is not None:
                state.finish_reason = finish
            usage = _usage(scratch["usage"])
            state.usage = usage
            return [state.chunk(delta=Delta(), finish_reason=finish, usage=usage)]
        if kind == "message_stop":
            state.done = True
            return []
        return []  # unknown event types are ignored, as the API's versioning policy asks

    def _block_start(self, data: Dict[str, Any], state: StreamState) -> List[ModelResponseStream]:
        raw_block = data.get("content_block")
        block = raw_block if isinstance(raw_block, dict) else {}
        index = _block_index(data)
        kind = block.get("type")
        record: Dict[str, Any] = {"type": kind, "args": 0, "thinking": [], "signature": ""}
        state.scratch["blocks"][index] = record
        if kind == "text":
            text = block.get("text")
            return [state.chunk(delta=Delta(content=text))] if isinstance(text, str) and text else []
        if kind == "tool_use":
            name = str(block.get("name") or "")
            if state.scratch.get("json_tool") and name == JSON_TOOL_NAME and not state.scratch.get("json_seen"):
                state.scratch["json_seen"] = True
                record["json"] = True
                return []
            record["tool"] = state.scratch["tools"]
            state.scratch["tools"] += 1
            call = delta_tool_call(record["tool"], str(block.get("id") or ""), name, "")
            out = [state.chunk(delta=Delta(tool_calls=[call]))]
            initial = block.get("input")
            if isinstance(initial, dict) and initial:
                record["args"] += 1
                out.append(state.chunk(delta=Delta(tool_calls=[delta_tool_call(record["tool"],
                                                                               arguments=json.dumps(initial))])))
            return out
        if kind == "thinking":
            if isinstance(block.get("signature"), str):
                record["signature"] = block["signature"]
            text = block.get("thinking")
            if isinstance(text, str) and text:
                record["thinking"].append(text)
                return [state.chunk(delta=Delta(reasoning_content=text))]
            return []
        if kind == "redacted_thinking":
            blocks = [{"type": "redacted_thinking", "data": block.get("data")}]
            return [state.chunk(delta=Delta(thinking_blocks=blocks))]
        return []

    def _block_delta(self, data: Dict[str, Any], state: StreamState) -> List[ModelResponseStream]:
        raw_delta = data.get("delta")
        delta = raw_delta if isinstance(raw_delta, dict) else {}
        record = state.scratch["blocks"].get(_block_index(data)) or {}
        kind = delta.get("type")
        if kind == "text_delta":
            text = delta.get("text")
            return [state.chunk(delta=Delta(content=text))] if isinstance(text, str) and text else []
        if kind == "input_json_delta":
            partial = delta.get("partial_json")
            if not isinstance(partial, str) or not partial:
                return []
            record["args"] = record.get("args", 0) + 1
            if record.get("json"):
                return [state.chunk(delta=Delta(content=partial))]
            if "tool" not in record:
                return []
            return [state.chunk(delta=Delta(tool_calls=[delta_tool_call(record["tool"], arguments=partial)]))]
        if kind == "thinking_delta":
            text = delta.get("thinking")
            if not isinstance(text, str) or not text:
                return []
            record.setdefault("thinking", []).append(text)
            return [state.chunk(delta=Delta(reasoning_content=text))]
        if kind == "signature_delta":
            if isinstance(delta.get("signature"), str):
                record["signature"] = record.get("signature", "") + delta["signature"]
            return []
        return []  # citations_delta and future delta types

    def _block_stop(self, data: Dict[str, Any], state: StreamState) -> List[ModelResponseStream]:
        record = state.scratch["blocks"].get(_block_index(data)) or {}
        if record.get("type") == "thinking":
            block = {"type": "thinking", "thinking": "".join(record.get("thinking", [])),
                     "signature": record.get("signature") or None}
            return [state.chunk(delta=Delta(thinking_blocks=[block]))]
        if record.get("type") == "tool_use" and not record.get("args"):
            # No argument fragments at all (a tool without parameters): the arguments are {}.
            if record.get("json"):
                return [state.chunk(delta=Delta(content="{}"))]
            if "tool" in record:
                return [state.chunk(delta=Delta(tool_calls=[delta_tool_call(record["tool"], arguments="{}")]))]
        return []

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done:
            raise APIConnectionError("Anthropic stream ended before message_stop (connection cut?)",
                                     state.provider, state.model)
        return []
