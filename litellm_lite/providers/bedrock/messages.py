"""OpenAI messages -> Converse ``system`` blocks and ``messages`` turns.

System/developer messages become ``system: [{text}]`` (a ``cache_control`` on a part adds a
``cachePoint`` after it); user/assistant/tool messages become turns of content blocks: ``text``,
``image`` (data URLs -> base64 ``bytes``, ``s3://`` URIs -> ``s3Location``), ``document`` (``file``
parts with a data URL), ``toolUse``, ``reasoningContent`` and ``toolResult`` (in a user turn).
Consecutive turns of one role are merged, as Converse requires alternation.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Dict, List, Mapping, Tuple

from .._common import CallContext, TurnConverter, parse_arguments, parse_data_url

__all__ = ["convert_messages"]

_IMAGE_FORMATS = {"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "webp": "webp"}
_DOC_FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
_CACHE_POINT = {"cachePoint": {"type": "default"}}


def _text_blocks(content: Any) -> List[Dict[str, Any]]:
    blocks: List[Dict[str, Any]] = []
    if content is None:
        return blocks
    if isinstance(content, str):
        return [{"text": content}] if content else []
    for part in content if isinstance(content, list) else [content]:
        if isinstance(part, dict) and part.get("type", "text") == "text":
            text = str(part.get("text", ""))
            if text:
                blocks.append({"text": text})
            if part.get("cache_control"):
                blocks.append(dict(_CACHE_POINT))
    return blocks


def _data_url(url: str, ctx: CallContext) -> Tuple[str, str]:
    """(media type, base64 data) of a ``data:`` URL."""
    parsed = parse_data_url(url.strip())
    if parsed is None:
        raise ctx.bad("invalid data URL")
    data = parsed.base64()
    if parsed.is_base64:
        try:
            base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ctx.bad("data URL holds invalid base64") from None
    return parsed.media_type.strip().lower(), data


def _image_block(url: str, ctx: CallContext) -> Dict[str, Any]:
    if url.startswith("data:"):
        media, data = _data_url(url, ctx)
        fmt = _IMAGE_FORMATS.get(media.split("/")[-1])
        if not media.startswith("image/") or fmt is None:
            raise ctx.bad("bedrock accepts png, jpeg, gif and webp images, got %r" % media)
        return {"image": {"format": fmt, "source": {"bytes": data}}}
    if url.startswith("s3://"):
        fmt = _IMAGE_FORMATS.get(url.rsplit(".", 1)[-1].lower())
        if fmt is None:
            raise ctx.bad("cannot tell the image format of %r" % url)
        return {"image": {"format": fmt, "source": {"s3Location": {"uri": url}}}}
    raise ctx.bad("bedrock cannot fetch image URLs: pass the image as a data: URL (base64) or an s3:// URI")


def _image_url_of(part: Dict[str, Any]) -> str:
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else image
    return str(url or "")


class _Converter(TurnConverter):
    """One conversation's translation (documents are numbered for their default names)."""

    keep_empty = True

    def __init__(self, ctx: CallContext) -> None:
        super().__init__(ctx)
        self.documents = 0

    def system_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return _text_blocks(message.get("content"))

    def user_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        content = message.get("content")
        if content is None or isinstance(content, str):
            return _text_blocks(content)
        blocks: List[Dict[str, Any]] = []
        for part in content if isinstance(content, list) else [content]:
            if not isinstance(part, dict):
                raise self.ctx.bad("message content parts must be objects")
            kind = part.get("type", "text")
            if kind == "text":
                blocks.extend(_text_blocks([part]))
                continue
            if kind == "image_url":
                blocks.append(_image_block(_image_url_of(part), self.ctx))
            elif kind == "file":
                blocks.append(self._document_block(part.get("file") or {}))
            else:
                raise self.ctx.bad("bedrock (Converse) does not accept %r content parts" % kind)
            if part.get("cache_control"):
                blocks.append(dict(_CACHE_POINT))
        return blocks

    def _document_block(self, file: Any) -> Dict[str, Any]:
        if not isinstance(file, dict) or not str(file.get("file_data") or "").startswith("data:"):
            raise self.ctx.bad("bedrock file parts need file.file_data as a data: URL")
        media, data = _data_url(str(file["file_data"]), self.ctx)
        if media.startswith("image/"):
            return _image_block(str(file["file_data"]), self.ctx)
        fmt = _DOC_FORMATS.get(media)
        if fmt is None:
            raise self.ctx.bad("bedrock does not accept %r documents" % media)
        self.documents += 1
        raw_name = str(file.get("filename") or "").rsplit(".", 1)[0]
        name = re.sub(r"[^A-Za-z0-9 \-()\[\]]", " ", raw_name)
        name = " ".join(name.split())[:200] or "document%d" % self.documents
        return {"document": {"format": fmt, "name": name, "source": {"bytes": data}}}

    def assistant_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        content = message.get("content")
        thinking = list(message.get("thinking_blocks") or [])
        if isinstance(content, list):
            thinking.extend(
                p for p in content if isinstance(p, dict) and p.get("type") in ("thinking", "redacted_thinking")
            )
        blocks = _reasoning_blocks(thinking)
        blocks.extend(_text_blocks(content))
        for call in message.get("tool_calls") or []:
            blocks.append(self._tool_use(call))
        return blocks

    def _tool_use(self, call: Any) -> Dict[str, Any]:
        fn = call.get("function") if isinstance(call, dict) else None
        if not isinstance(fn, dict) or not fn.get("name"):
            raise self.ctx.bad("assistant tool_calls need function.name")
        parsed = parse_arguments(fn.get("arguments"), self.ctx, fn["name"])
        return {"toolUse": {"toolUseId": str(call.get("id") or ""), "name": fn["name"], "input": parsed}}

    def tool_result(self, message: Mapping[str, Any]) -> Dict[str, Any]:
        content = message.get("content")
        blocks: List[Dict[str, Any]] = []
        if isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "image_url":
                    blocks.append(_image_block(_image_url_of(part), self.ctx))
                elif isinstance(part, dict) and part.get("type", "text") == "text":
                    blocks.append({"text": str(part.get("text", ""))})
        else:
            blocks.append({"text": "" if content is None else str(content)})
        return {"toolResult": {"toolUseId": str(message.get("tool_call_id") or ""), "content": blocks or [{"text": ""}]}}


def _reasoning_blocks(thinking: List[Any]) -> List[Dict[str, Any]]:
    """Assistant ``thinking_blocks`` -> ``reasoningContent`` blocks (signatures kept)."""
    blocks: List[Dict[str, Any]] = []
    for block in thinking:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "thinking" and block.get("thinking"):
            text: Dict[str, Any] = {"text": block["thinking"]}
            if block.get("signature"):
                text["signature"] = block["signature"]
            blocks.append({"reasoningContent": {"reasoningText": text}})
        elif block.get("type") == "redacted_thinking" and block.get("data"):
            blocks.append({"reasoningContent": {"redactedContent": block["data"]}})
    return blocks


def convert_messages(
    messages: List[Dict[str, Any]], ctx: CallContext
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """(system blocks, turns) in Converse's shape; an empty turn gets one empty text block."""
    converter = _Converter(ctx)
    converter.add_all(messages)
    for turn in converter.turns:
        if not turn["content"]:
            turn["content"] = [{"text": ""}]
    return converter.system, converter.turns
