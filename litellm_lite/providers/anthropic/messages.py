"""OpenAI messages -> the Messages API's ``system`` and ``messages``.

System/developer messages become the top-level ``system``; tool calls and tool results become
``tool_use`` / ``tool_result`` blocks; images and PDFs become ``image`` / ``document`` blocks;
consecutive turns of the same role are merged (the API wants alternating turns).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from .._common import CallContext, TurnConverter, parse_arguments, parse_data_url

__all__ = ["convert_messages", "content_blocks"]

# Content blocks already in Anthropic's own shape are passed through unchanged.
_NATIVE_BLOCKS = frozenset({"image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking",
                            "search_result"})
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def _data_url(url: str) -> Optional[Tuple[str, str]]:
    """(media_type, base64 data) of a ``data:...;base64,`` URL, else None."""
    parsed = parse_data_url(url)
    if parsed is None or not parsed.is_base64:
        return None
    return parsed.media_type.strip().lower() or "application/octet-stream", parsed.base64()


def _base64_source(kind: str, media_type: str, data: str) -> Dict[str, Any]:
    return {"type": kind, "source": {"type": "base64", "media_type": media_type, "data": data}}


def _image_block(part: Dict[str, Any], ctx: CallContext) -> Dict[str, Any]:
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else image
    if not isinstance(url, str) or not url:
        raise ctx.bad("image_url part without a url")
    decoded = _data_url(url)
    if decoded is not None:
        media_type, data = decoded
        if media_type == "application/pdf":
            return _base64_source("document", media_type, data)
        if media_type not in _IMAGE_TYPES:
            raise ctx.bad("unsupported image type %r (Anthropic takes jpeg, png, gif, webp)" % media_type)
        return _base64_source("image", media_type, data)
    lowered = url.lower()
    if lowered.startswith("http://") or lowered.startswith("https://"):
        return {"type": "image", "source": {"type": "url", "url": url}}
    raise ctx.bad("image_url must be a data: URL or an http(s) URL")


def _file_block(part: Dict[str, Any], ctx: CallContext) -> Dict[str, Any]:
    info = part.get("file")
    if not isinstance(info, dict):
        raise ctx.bad("file part without a 'file' object")
    data = info.get("file_data")
    if not isinstance(data, str) or not data:
        raise ctx.bad("file parts need file_data (a base64 data: URL); file_id is not supported for Anthropic")
    decoded = _data_url(data)
    if decoded is None:
        raise ctx.bad("file_data must be a base64 data: URL")
    media_type, payload = decoded
    if media_type == "application/pdf":
        block = _base64_source("document", media_type, payload)
        if isinstance(info.get("filename"), str) and info["filename"]:
            block["title"] = info["filename"][:500]
        return block
    if media_type in _IMAGE_TYPES:
        return _base64_source("image", media_type, payload)
    raise ctx.bad("unsupported file type %r for Anthropic (PDF or images only)" % media_type)


def _text_block(part: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    text = part.get("text")
    if not isinstance(text, str):
        raise ctx.bad("text part without a text string")
    return {"type": "text", "text": text} if text else None


def _refusal_block(part: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    text = part.get("refusal")
    return {"type": "text", "text": text} if isinstance(text, str) and text else None


def _audio_block(part: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    raise ctx.bad("Anthropic models do not accept audio input")


_PART_CONVERTERS: Dict[str, Callable[[Dict[str, Any], CallContext], Optional[Dict[str, Any]]]] = {
    "text": _text_block,
    "refusal": _refusal_block,
    "image_url": _image_block,
    "file": _file_block,
    "input_audio": _audio_block,
}


def _part_block(part: Any, ctx: CallContext) -> Optional[Dict[str, Any]]:
    if isinstance(part, str):
        part = {"type": "text", "text": part}
    if not isinstance(part, dict):
        raise ctx.bad("content parts must be objects")
    kind = part.get("type", "text")
    converter = _PART_CONVERTERS.get(kind)
    if converter is not None:
        block = converter(part, ctx)
    elif kind in _NATIVE_BLOCKS:
        block = {k: v for k, v in part.items() if k != "cache_control"}
    else:
        raise ctx.bad("unsupported content part type %r" % (kind,))
    if block is not None and part.get("cache_control") is not None:
        block["cache_control"] = part["cache_control"]
    return block


def content_blocks(content: Any, ctx: CallContext) -> List[Dict[str, Any]]:
    """OpenAI message content (str or parts) -> Anthropic content blocks (empty text dropped)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    if not isinstance(content, list):
        raise ctx.bad("message content must be a string or a list of parts")
    blocks = (_part_block(part, ctx) for part in content)
    return [block for block in blocks if block is not None]


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


def _tool_use_blocks(tool_calls: Any, ctx: CallContext) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    if not isinstance(tool_calls, list):
        raise ctx.bad("assistant tool_calls must be a list")
    for call in tool_calls:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not function.get("name"):
            raise ctx.bad("each tool call needs function.name")
        arguments = parse_arguments(function.get("arguments"), ctx, function.get("name"))
        if not isinstance(arguments, dict):
            raise ctx.bad("tool call %r arguments must be a JSON object" % (function.get("name"),))
        out.append({"type": "tool_use", "id": str(call.get("id") or ""), "name": str(function["name"]),
                    "input": arguments})
    return out


def _tool_result_block(message: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    content = message.get("content")
    block: Dict[str, Any] = {"type": "tool_result", "tool_use_id": str(message.get("tool_call_id") or "")}
    if isinstance(content, list):
        parts = content_blocks(content, ctx)
        block["content"] = parts if parts else ""
    else:
        block["content"] = "" if content is None else str(content)
    if message.get("cache_control") is not None:
        block["cache_control"] = message["cache_control"]
    return block


def _message_cache_control(message: Mapping[str, Any], blocks: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A message-level ``cache_control`` marks the message's last block (LiteLLM's convention)."""
    if message.get("cache_control") is not None and blocks:
        blocks[-1]["cache_control"] = message["cache_control"]
    return blocks


def _system_blocks(message: Mapping[str, Any], ctx: CallContext) -> List[Dict[str, Any]]:
    blocks = content_blocks(message.get("content"), ctx)
    if any(block.get("type") != "text" for block in blocks):
        raise ctx.bad("system messages may only contain text")
    return _message_cache_control(message, blocks)


def _assistant_blocks(message: Mapping[str, Any], ctx: CallContext) -> List[Dict[str, Any]]:
    blocks = _thinking_blocks(message.get("thinking_blocks"))
    blocks.extend(content_blocks(message.get("content"), ctx))
    if message.get("tool_calls"):
        blocks.extend(_tool_use_blocks(message["tool_calls"], ctx))
    return _message_cache_control(message, blocks)


def _trim_prefill(turns: List[Dict[str, Any]]) -> None:
    """A final (prefill) assistant turn must not end with whitespace."""
    if not turns or turns[-1]["role"] != "assistant":
        return
    last = turns[-1]["content"][-1]
    if last.get("type") != "text":
        return
    last["text"] = last["text"].rstrip()
    if not last["text"]:
        turns[-1]["content"].pop()
        if not turns[-1]["content"]:
            turns.pop()


def _system_value(blocks: List[Dict[str, Any]]) -> Optional[Any]:
    """Plain text, or the blocks themselves when one carries a ``cache_control``."""
    if not blocks:
        return None
    if any("cache_control" in block for block in blocks):
        return blocks
    return "\n".join(block["text"] for block in blocks)


class _Converter(TurnConverter):
    """OpenAI messages -> Anthropic's system blocks and alternating turns."""

    tool_roles = ("tool", "function")

    def system_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return _system_blocks(message, self.ctx)

    def user_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return _message_cache_control(message, content_blocks(message.get("content"), self.ctx))

    def assistant_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return _assistant_blocks(message, self.ctx)

    def tool_result(self, message: Mapping[str, Any]) -> Dict[str, Any]:
        return _tool_result_block(message, self.ctx)


def convert_messages(messages: List[Dict[str, Any]], ctx: CallContext) -> Tuple[Optional[Any], List[Dict[str, Any]]]:
    """(system, messages) in Anthropic's shape."""
    converter = _Converter(ctx)
    converter.add_all(messages)
    system_blocks, turns = converter.system, converter.turns
    _trim_prefill(turns)
    if not turns:
        raise ctx.bad("Anthropic needs at least one user or assistant message with content")
    for turn in turns:
        content = turn["content"]
        if len(content) == 1 and content[0].get("type") == "text" and set(content[0]) == {"type", "text"}:
            turn["content"] = content[0]["text"]
    return _system_value(system_blocks), turns
