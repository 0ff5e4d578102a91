"""OpenAI messages -> Gemini ``contents`` and ``systemInstruction``.

Turns have roles ``user``/``model`` (consecutive turns of one role merged); assistant
``tool_calls`` become ``functionCall`` parts and ``tool`` messages ``functionResponse`` parts (the
function name is recovered from the call with the same id); images/audio/files become
``inlineData`` (data URLs) or ``fileData`` (URIs). A call's ``thoughtSignature`` rides along in
the tool-call id as ``call_<hex>__thought__<signature>`` (LiteLLM's convention).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from .._common import CallContext, TurnConverter, parse_arguments, parse_data_url
from ..base import text_of

__all__ = ["convert_messages", "THOUGHT_SIGNATURE_SEPARATOR", "DUMMY_THOUGHT_SIGNATURE", "is_gemini_3"]

THOUGHT_SIGNATURE_SEPARATOR = "__thought__"
# Google's documented placeholder for function calls that have no signature (Gemini 3 checks them).
DUMMY_THOUGHT_SIGNATURE = "skip_thought_signature_validator"

# Extension -> MIME type for file URIs (fileData needs one; no system mime.types lookup).
_MIME_BY_EXT = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif",
    "heic": "image/heic", "heif": "image/heif", "pdf": "application/pdf", "txt": "text/plain",
    "md": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json",
    "mp3": "audio/mp3", "wav": "audio/wav", "flac": "audio/flac", "aac": "audio/aac", "ogg": "audio/ogg",
    "m4a": "audio/m4a", "mp4": "video/mp4", "mpeg": "video/mpeg", "mov": "video/mov", "avi": "video/avi",
    "webm": "video/webm", "wmv": "video/wmv", "flv": "video/x-flv", "3gp": "video/3gpp",
}
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]*={0,2}$")


def is_gemini_3(model: str) -> bool:
    return "gemini-3" in model.lower()


def split_call_id(call_id: Any) -> Tuple[str, Optional[str]]:
    """(id, thought signature or None) of a tool-call id that may carry ``__thought__<sig>``."""
    text = str(call_id or "")
    if THOUGHT_SIGNATURE_SEPARATOR in text:
        base, _, signature = text.partition(THOUGHT_SIGNATURE_SEPARATOR)
        return base, signature or None
    return text, None


# ---------------------------------------------------------------------------------------------
# Content parts


def _mime_from_uri(uri: str) -> Optional[str]:
    path = uri.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    return _MIME_BY_EXT.get(name.rsplit(".", 1)[-1].lower())


def _data_url_part(url: str, ctx: CallContext, where: str) -> Dict[str, Any]:
    parsed = parse_data_url(url)
    if parsed is None:
        raise ctx.bad("malformed data URL in %s" % where)
    mime = parsed.media_type or "text/plain"
    data = parsed.base64()
    if parsed.is_base64 and not _BASE64.match(data):  # standard or URL-safe alphabet, both accepted by Google
        raise ctx.bad("data URL with invalid base64 payload (%s)" % mime)
    return {"inlineData": {"mimeType": mime, "data": data}}


def _uri_part(uri: str, mime: Optional[str], default_mime: Optional[str]) -> Dict[str, Any]:
    file_data: Dict[str, Any] = {"fileUri": uri}
    mime = mime or _mime_from_uri(uri) or default_mime
    if mime:
        file_data["mimeType"] = mime
    return {"fileData": file_data}


def _image_part(part: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, Mapping) else image
    fmt = image.get("format") if isinstance(image, Mapping) else None
    if not isinstance(url, str) or not url:
        raise ctx.bad("image_url part needs a url")
    if url.startswith("data:"):
        return _data_url_part(url, ctx, "image_url")
    return _uri_part(url, fmt if isinstance(fmt, str) else None, "image/jpeg")


def _audio_part(part: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    audio = part.get("input_audio")
    if not isinstance(audio, Mapping) or not isinstance(audio.get("data"), str):
        raise ctx.bad("input_audio part needs {'data': <base64>, 'format': 'wav'|'mp3'}")
    fmt = str(audio.get("format") or "wav").lower()
    return {"inlineData": {"mimeType": fmt if "/" in fmt else "audio/" + fmt, "data": audio["data"]}}


def _file_part(part: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    info = part.get("file")
    if not isinstance(info, Mapping):
        raise ctx.bad("file part needs a 'file' object")
    fmt = info.get("format") if isinstance(info.get("format"), str) else None
    file_data = info.get("file_data")
    if isinstance(file_data, str) and file_data:
        if file_data.startswith("data:"):
            converted = _data_url_part(file_data, ctx, "file.file_data")
            if fmt:
                converted["inlineData"]["mimeType"] = fmt
            return converted
        return {"inlineData": {"mimeType": fmt or "application/pdf", "data": file_data}}
    file_id = info.get("file_id") or info.get("url")
    if isinstance(file_id, str) and file_id:
        return _uri_part(file_id, fmt, None)
    raise ctx.bad("file part needs file_data (a data URL) or file_id (a URI)")


_MEDIA_PARTS = {"image_url": _image_part, "input_audio": _audio_part, "file": _file_part}


def _text_part(part: Mapping[str, Any], kind: Any) -> Optional[Dict[str, Any]]:
    text = part.get("refusal" if kind == "refusal" else "text")
    return {"text": text} if isinstance(text, str) and text else None


def content_parts(content: Any, ctx: CallContext) -> List[Dict[str, Any]]:
    """OpenAI message content (a string or a list of parts) -> Gemini parts (empty text dropped)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}] if content else []
    if not isinstance(content, list):
        raise ctx.bad("message content must be a string or a list of parts")
    parts: List[Dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            part = {"type": "text", "text": part}
        if not isinstance(part, Mapping):
            raise ctx.bad("content parts must be dicts")
        kind = part.get("type", "text")
        if kind in ("thinking", "redacted_thinking"):
            continue  # Gemini keeps its reasoning server-side; signatures travel with tool calls
        if kind in ("text", "refusal"):
            converted = _text_part(part, kind)
        elif kind in _MEDIA_PARTS:
            converted = _MEDIA_PARTS[kind](part, ctx)
        else:
            raise ctx.bad("content part type %r is not supported by Gemini" % (kind,))
        if converted is not None:
            parts.append(converted)
    return parts


# ---------------------------------------------------------------------------------------------
# Turns


def _arguments(arguments: Any, ctx: CallContext) -> Dict[str, Any]:
    value = parse_arguments(arguments, ctx)
    if not isinstance(value, Mapping):
        raise ctx.bad("tool call arguments must be a JSON object for Gemini, got %s" % type(value).__name__)
    return dict(value)


def _tool_response(content: Any) -> Dict[str, Any]:
    text = text_of(content)
    try:
        value = json.loads(text)
    except ValueError:
        return {"content": text}
    if isinstance(value, dict):
        return value
    return {"content": value}


class _Converter(TurnConverter):
    """One conversation's translation: remembers tool-call names for the tool results."""

    key = "parts"
    model_role = "model"
    tool_roles = ("tool", "function")

    def __init__(self, ctx: CallContext) -> None:
        super().__init__(ctx)
        self.call_names: Dict[str, str] = {}
        self.needs_signature = is_gemini_3(ctx.wire_model)

    def system_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return [p for p in content_parts(message.get("content"), self.ctx) if "text" in p]

    def user_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        return content_parts(message.get("content"), self.ctx) or [{"text": " "}]

    def assistant_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        parts = content_parts(message.get("content"), self.ctx)
        for position, call in enumerate(message.get("tool_calls") or []):
            parts.append(self._function_call(call, first=position == 0))
        fc = message.get("function_call")  # legacy OpenAI functions
        if isinstance(fc, Mapping) and isinstance(fc.get("name"), str):
            parts.append({"functionCall": {"name": fc["name"], "args": _arguments(fc.get("arguments"), self.ctx)}})
        return parts

    def _function_call(self, call: Any, first: bool) -> Dict[str, Any]:
        if not isinstance(call, Mapping):
            raise self.ctx.bad("assistant tool_calls entries must be dicts")
        function = call.get("function") or {}
        name = function.get("name") if isinstance(function, Mapping) else None
        if not isinstance(name, str) or not name:
            raise self.ctx.bad("assistant tool call without function.name")
        base_id, signature = split_call_id(call.get("id"))
        self.call_names[str(call.get("id") or "")] = name
        if base_id:
            self.call_names[base_id] = name
        part: Dict[str, Any] = {"functionCall": {"name": name, "args": _arguments(function.get("arguments"), self.ctx)}}
        if signature:
            part["thoughtSignature"] = signature
        elif self.needs_signature and first:
            part["thoughtSignature"] = DUMMY_THOUGHT_SIGNATURE
        return part

    def tool_result(self, message: Mapping[str, Any]) -> Dict[str, Any]:
        call_id = str(message.get("tool_call_id") or "")
        name = self.call_names.get(call_id) or self.call_names.get(split_call_id(call_id)[0]) or message.get("name")
        if not isinstance(name, str) or not name:
            raise self.ctx.bad(
                "tool message with tool_call_id %r matches no earlier assistant tool call; Gemini needs "
                "the function name (add 'name' to the tool message)" % call_id
            )
        return {"functionResponse": {"name": name, "response": _tool_response(message.get("content"))}}


def convert_messages(
    messages: List[Dict[str, Any]], ctx: CallContext
) -> Tuple[List[Dict[str, Any]], Optional[Dict[str, Any]]]:
    """(contents, systemInstruction) from OpenAI messages."""
    converter = _Converter(ctx)
    converter.add_all(messages)
    system = {"parts": converter.system} if converter.system else None
    return converter.turns, system
