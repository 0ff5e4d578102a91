"""Google Gemini ``generateContent`` (AI Studio, ``gemini/...``) <-> OpenAI chat completions.

Request: system/developer messages -> ``systemInstruction``; turns with roles ``user``/``model``
(consecutive turns of one role merged); assistant ``tool_calls`` -> ``functionCall`` parts and
``tool`` messages -> ``functionResponse`` parts (the function name is recovered from the call with
the same id); images/audio/files -> ``inlineData`` (data URLs) or ``fileData`` (URIs); OpenAI
parameters -> ``generationConfig``; tools -> ``functionDeclarations`` whose JSON schemas are
rewritten into Gemini's ``Schema`` subset (``$ref`` inlined, unknown keywords dropped).

Response: text parts -> content, ``thought: true`` parts -> reasoning_content, ``functionCall``
parts -> tool_calls. A call's ``thoughtSignature`` rides along in the tool-call id as
``call_<hex>__thought__<signature>`` (LiteLLM's convention), and is sent back with the call on
the next turn, which Gemini 3 requires.

Streams: ``:streamGenerateContent?alt=sse`` (:class:`GeminiAdapter`) or the JSON-array form
without ``alt=sse`` (:class:`GeminiJSONArrayAdapter`); both deliver one GenerateContentResponse
per event. A stream ends properly with a ``finishReason`` (or a prompt block).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Set, Tuple
from urllib.parse import quote, unquote_to_bytes

from ..exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    UnsupportedParamsError,
    error_for_status,
)
from ..types import (
    Choices,
    Delta,
    EmbeddingData,
    EmbeddingResponse,
    Message,
    ModelResponse,
    ModelResponseStream,
    PromptTokensDetails,
    Usage,
)
from .base import (
    Adapter,
    ChatRequest,
    EmbeddingRequest,
    StreamEvent,
    StreamState,
    WireRequest,
    WireResponse,
    delta_tool_call,
    load_json,
    map_finish_reason,
    text_of,
    tool_call,
    usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = [
    "GeminiAdapter",
    "GeminiJSONArrayAdapter",
    "to_gemini_schema",
    "THOUGHT_SIGNATURE_SEPARATOR",
    "REASONING_BUDGETS",
]

THOUGHT_SIGNATURE_SEPARATOR = "__thought__"
# Google's documented placeholder for function calls that have no signature (Gemini 3 checks them).
DUMMY_THOUGHT_SIGNATURE = "skip_thought_signature_validator"
# reasoning_effort -> thinkingBudget (LiteLLM's constants). "minimal" depends on the model.
REASONING_BUDGETS: Dict[str, int] = {"low": 1024, "medium": 2048, "high": 4096, "none": 0, "disable": 0}
_MINIMAL_BUDGETS: Tuple[Tuple[str, int], ...] = (
    ("gemini-2.5-flash-lite", 512),
    ("gemini-2.5-pro", 128),
    ("gemini-2.5-flash", 1),
)
_MINIMAL_BUDGET_DEFAULT = 128

# OpenAI parameters generateContent cannot express; ``store=False`` is harmless and dropped.
_UNSUPPORTED = ("logit_bias", "user", "audio", "prediction", "service_tier", "store", "verbosity")
_HARMLESS = {"store": False}

# Keys of Gemini's Schema object (the OpenAPI 3.0 subset in the v1beta spec).
_SCHEMA_KEYS = frozenset(
    {
        "type", "format", "title", "description", "nullable", "enum", "items", "maxItems", "minItems",
        "properties", "required", "minProperties", "maxProperties", "minimum", "maximum", "minLength",
        "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default",
    }
)
_INT64_KEYS = frozenset({"maxItems", "minItems", "minProperties", "maxProperties", "minLength", "maxLength"})
_TYPES = {"string": "STRING", "number": "NUMBER", "integer": "INTEGER", "boolean": "BOOLEAN",
          "array": "ARRAY", "object": "OBJECT", "null": "NULL"}
# The formats Gemini gives a meaning to; others ("uri", "email"...) are dropped, older models reject them.
_FORMATS = {"STRING": frozenset({"enum", "date-time"}), "INTEGER": frozenset({"int32", "int64"}),
            "NUMBER": frozenset({"float", "double"})}
_MAX_SCHEMA_DEPTH = 64

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
_DATA_URL = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.DOTALL)
_TOOL_ALIASES = {
    "googleSearch": "googleSearch", "google_search": "googleSearch",
    "googleSearchRetrieval": "googleSearchRetrieval", "google_search_retrieval": "googleSearchRetrieval",
    "codeExecution": "codeExecution", "code_execution": "codeExecution",
    "urlContext": "urlContext", "url_context": "urlContext",
    "googleMaps": "googleMaps", "google_maps": "googleMaps",
    "fileSearch": "fileSearch", "file_search": "fileSearch",
    "computerUse": "computerUse", "computer_use": "computerUse",
}
# extra_body keys LiteLLM accepts in snake_case -> (where, wire name)
_EXTRA_GENERATION = {"top_k": "topK", "topK": "topK", "response_mime_type": "responseMimeType",
                     "response_modalities": "responseModalities", "media_resolution": "mediaResolution",
                     "thinking_config": "thinkingConfig", "speech_config": "speechConfig",
                     "image_config": "imageConfig"}
_EXTRA_TOP = {"safety_settings": "safetySettings", "cached_content": "cachedContent",
              "tool_config": "toolConfig", "system_instruction": "systemInstruction"}
# Gemini error ``status`` -> HTTP status, for errors that arrive inside a 200 stream.
_STATUS_CODES = {
    "INVALID_ARGUMENT": 400, "FAILED_PRECONDITION": 400, "OUT_OF_RANGE": 400, "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403, "NOT_FOUND": 404, "ABORTED": 409, "ALREADY_EXISTS": 409,
    "RESOURCE_EXHAUSTED": 429, "CANCELLED": 499, "INTERNAL": 500, "UNKNOWN": 500, "DATA_LOSS": 500,
    "UNIMPLEMENTED": 501, "UNAVAILABLE": 503, "DEADLINE_EXCEEDED": 504,
}


class _Ctx:
    """Per-call facts the translation helpers need."""

    def __init__(self, config: "CallConfig", model: str) -> None:
        self.provider = config.provider
        self.model = config.model or model
        self.wire_model = model
        self.drop = config.drop_params

    def bad(self, message: str) -> BadRequestError:
        return BadRequestError(message, self.provider, self.model)

    def unsupported(self, message: str) -> UnsupportedParamsError:
        return UnsupportedParamsError(message + " (pass drop_params=True to drop it)", self.provider, self.model)


# ---------------------------------------------------------------------------------------------
# JSON schema -> Gemini Schema


def _resolve_ref(ref: str, root_defs: Mapping[str, Any], ctx: Optional[_Ctx]) -> Any:
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix):
            name = ref[len(prefix):].replace("~1", "/").replace("~0", "~")
            if name in root_defs:
                return root_defs[name]
    message = "unresolvable $ref %r in a tool/response schema (only local #/$defs refs are inlined)" % ref
    if ctx is not None:
        raise ctx.bad(message)
    raise BadRequestError(message)


def _merge_all_of(schema: Dict[str, Any]) -> Dict[str, Any]:
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged: Dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                props = dict(merged.get("properties") or {})
                props.update(value)
                merged["properties"] = props
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys(list(merged.get("required") or []) + value))
            else:
                merged.setdefault(key, value)
    return merged


def _convert_schema(
    schema: Any, defs: Mapping[str, Any], ctx: Optional[_Ctx], depth: int, refs: Tuple[str, ...]
) -> Optional[Dict[str, Any]]:
    if depth > _MAX_SCHEMA_DEPTH:
        message = "JSON schema nested too deeply (more than %d levels)" % _MAX_SCHEMA_DEPTH
        raise ctx.bad(message) if ctx is not None else BadRequestError(message)
    if not isinstance(schema, Mapping):
        return None  # boolean schemas (true/false) have no Gemini form
    raw: Dict[str, Any] = dict(schema)
    ref = raw.pop("$ref", None)
    if isinstance(ref, str):
        if ref in refs:  # recursive schema: Gemini cannot express it, stop with an open object
            return {"type": "OBJECT"}
        target = _resolve_ref(ref, defs, ctx)
        merged = dict(target) if isinstance(target, Mapping) else {}
        merged.update(raw)  # siblings of $ref (description...) win
        return _convert_schema(merged, defs, ctx, depth + 1, refs + (ref,))
    raw = _merge_all_of(raw)
    out: Dict[str, Any] = {}
    nullable = bool(raw.get("nullable"))

    # type: string or list (["string", "null"])
    kind = raw.get("type")
    types: List[str] = []
    if isinstance(kind, str):
        types = [kind]
    elif isinstance(kind, list):
        types = [t for t in kind if isinstance(t, str)]
    if "null" in types and len(types) > 1:
        nullable = True
        types = [t for t in types if t != "null"]

    # anyOf / oneOf: null alternatives become nullable; a single remaining one is inlined
    alternatives = raw.get("anyOf") if isinstance(raw.get("anyOf"), list) else raw.get("oneOf")
    if isinstance(alternatives, list):
        kept = []
        for alt in alternatives:
            if isinstance(alt, Mapping) and alt.get("type") == "null" and len(alt) == 1:
                nullable = True
            else:
                kept.append(alt)
        if len(kept) == 1 and not types:
            inner = _convert_schema(kept[0], defs, ctx, depth + 1, refs) or {}
            for key in ("description", "title", "default", "example"):
                if key in raw and key not in inner:
                    inner[key] = raw[key]
            if nullable:
                inner["nullable"] = True
            return inner
        converted = [c for c in (_convert_schema(alt, defs, ctx, depth + 1, refs) for alt in kept) if c is not None]
        if converted:
            out["anyOf"] = converted

    if len(types) > 1:  # several real types: one alternative per type
        rest = {k: v for k, v in raw.items() if k not in ("type", "anyOf", "oneOf")}
        out["anyOf"] = [c for c in (_convert_schema(dict(rest, type=t), defs, ctx, depth + 1, refs) for t in types) if c]
        if nullable:
            out["nullable"] = True
        for key in ("description", "title"):
            if isinstance(raw.get(key), str):
                out[key] = raw[key]
        return out

    gtype = _TYPES.get(types[0].lower()) if types else None
    if "const" in raw and "enum" not in raw:
        raw["enum"] = [raw["const"]]
    if gtype is None and "anyOf" not in out:
        if isinstance(raw.get("properties"), Mapping):
            gtype = "OBJECT"
        elif "items" in raw:
            gtype = "ARRAY"
        elif isinstance(raw.get("enum"), list):
            gtype = "STRING"
    if gtype:
        out["type"] = gtype

    for key, value in raw.items():
        if key not in _SCHEMA_KEYS or key in ("type", "anyOf", "nullable"):
            continue
        if key == "properties":
            if isinstance(value, Mapping):
                props = {}
                for name, sub in value.items():
                    prop = _convert_schema(sub, defs, ctx, depth + 1, refs)
                    props[str(name)] = prop if prop is not None else {"type": "STRING"}
                out["properties"] = props
        elif key == "items":
            item = _convert_schema(value, defs, ctx, depth + 1, refs)
            if item is not None:
                out["items"] = item
        elif key == "enum":
            if isinstance(value, list):
                if None in value:
                    nullable = True
                values = [v for v in value if v is not None]
                if values and all(isinstance(v, str) for v in values):
                    out["enum"] = values
                    if gtype is None:
                        out["type"] = "STRING"
                elif values and gtype in (None, "STRING"):
                    out["enum"] = [json.dumps(v) if not isinstance(v, str) else v for v in values]
                    out["type"] = "STRING"
                # numeric enums on numeric types cannot be expressed: dropped
        elif key == "required":
            if isinstance(value, list):
                out["required"] = [str(v) for v in value]
        elif key == "format":
            if isinstance(value, str) and value in _FORMATS.get(gtype or "", frozenset()):
                out["format"] = value
        elif key in _INT64_KEYS:
            if isinstance(value, int) and not isinstance(value, bool):
                out[key] = str(value)  # int64 fields are strings in proto3 JSON
            elif isinstance(value, str) and value.isdigit():
                out[key] = value
        elif key in ("minimum", "maximum"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = value
        elif key in ("title", "description", "pattern"):
            if isinstance(value, str):
                out[key] = value
        elif key == "propertyOrdering":
            if isinstance(value, list):
                out[key] = [str(v) for v in value]
        else:  # default, example
            out[key] = value
    if "required" in out:
        known = out.get("properties") or {}
        out["required"] = [name for name in out["required"] if name in known]
        if not out["required"]:
            del out["required"]
    if nullable:
        out["nullable"] = True
    return out


def to_gemini_schema(schema: Mapping[str, Any], ctx: Optional[_Ctx] = None) -> Dict[str, Any]:
    """Rewrite a JSON schema into Gemini's ``Schema`` subset.

    Local ``$ref`` (``#/$defs/...``, ``#/definitions/...``) are inlined (a recursive reference
    becomes an open ``OBJECT``), ``allOf`` merged, ``oneOf`` read as ``anyOf``, ``null``
    alternatives turned into ``nullable``, ``const`` into a one-value ``enum``, types upper-cased,
    int64 bounds written as strings, and every keyword the Schema object lacks
    (``additionalProperties``, ``$schema``, ``strict``, ``exclusiveMinimum``...) dropped.
    """
    defs: Dict[str, Any] = {}
    for key in ("definitions", "$defs"):
        value = schema.get(key)
        if isinstance(value, Mapping):
            defs.update(value)
    return _convert_schema(schema, defs, ctx, 0, ()) or {}


def _json_schema_for_wire(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """A JSON schema for ``responseJsonSchema``: as given, minus ``$schema`` and ``strict``."""
    return {k: v for k, v in schema.items() if k not in ("$schema", "strict")}


# ---------------------------------------------------------------------------------------------
# Messages


def _split_call_id(call_id: Any) -> Tuple[str, Optional[str]]:
    """(id, thought signature or None) of a tool-call id that may carry ``__thought__<sig>``."""
    text = str(call_id or "")
    if THOUGHT_SIGNATURE_SEPARATOR in text:
        base, _, signature = text.partition(THOUGHT_SIGNATURE_SEPARATOR)
        return base, signature or None
    return text, None


def _mime_from_uri(uri: str) -> Optional[str]:
    path = uri.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    return _MIME_BY_EXT.get(name.rsplit(".", 1)[-1].lower())


def _data_url_part(url: str, ctx: _Ctx) -> Optional[Dict[str, Any]]:
    match = _DATA_URL.match(url)
    if match is None:
        return None
    mime = match.group(1) or "text/plain"
    params = [p.strip().lower() for p in match.group(2).split(";") if p.strip()]
    payload = match.group(3)
    if "base64" in params:
        data = "".join(payload.split())
        if not _BASE64.match(data):  # standard or URL-safe alphabet, both accepted by Google
            raise ctx.bad("data URL with invalid base64 payload (%s)" % mime)
    else:
        data = base64.b64encode(unquote_to_bytes(payload)).decode("ascii")
    return {"inlineData": {"mimeType": mime, "data": data}}


def _uri_part(uri: str, mime: Optional[str], default_mime: Optional[str]) -> Dict[str, Any]:
    file_data: Dict[str, Any] = {"fileUri": uri}
    mime = mime or _mime_from_uri(uri) or default_mime
    if mime:
        file_data["mimeType"] = mime
    return {"fileData": file_data}


def _media_part(part: Mapping[str, Any], ctx: _Ctx) -> Optional[Dict[str, Any]]:
    kind = part.get("type")
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        fmt = image.get("format") if isinstance(image, Mapping) else None
        if not isinstance(url, str) or not url:
            raise ctx.bad("image_url part needs a url")
        if url.startswith("data:"):
            converted = _data_url_part(url, ctx)
            if converted is None:
                raise ctx.bad("malformed data URL in image_url")
            return converted
        return _uri_part(url, fmt if isinstance(fmt, str) else None, "image/jpeg")
    if kind == "input_audio":
        audio = part.get("input_audio")
        if not isinstance(audio, Mapping) or not isinstance(audio.get("data"), str):
            raise ctx.bad("input_audio part needs {'data': <base64>, 'format': 'wav'|'mp3'}")
        fmt = str(audio.get("format") or "wav").lower()
        return {"inlineData": {"mimeType": fmt if "/" in fmt else "audio/" + fmt, "data": audio["data"]}}
    if kind == "file":
        info = part.get("file")
        if not isinstance(info, Mapping):
            raise ctx.bad("file part needs a 'file' object")
        fmt = info.get("format") if isinstance(info.get("format"), str) else None
        file_data = info.get("file_data")
        if isinstance(file_data, str) and file_data:
            if file_data.startswith("data:"):
                converted = _data_url_part(file_data, ctx)
                if converted is None:
                    raise ctx.bad("malformed data URL in file.file_data")
                if fmt:
                    converted["inlineData"]["mimeType"] = fmt
                return converted
            return {"inlineData": {"mimeType": fmt or "application/pdf", "data": file_data}}
        file_id = info.get("file_id") or info.get("url")
        if isinstance(file_id, str) and file_id:
            return _uri_part(file_id, fmt, None)
        raise ctx.bad("file part needs file_data (a data URL) or file_id (a URI)")
    return None


def _content_parts(content: Any, ctx: _Ctx) -> List[Dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}] if content else []
    if not isinstance(content, list):
        raise ctx.bad("message content must be a string or a list of parts")
    parts: List[Dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            if part:
                parts.append({"text": part})
            continue
        if not isinstance(part, Mapping):
            raise ctx.bad("content parts must be dicts")
        kind = part.get("type", "text")
        if kind == "text":
            text = part.get("text")
            if isinstance(text, str) and text:
                parts.append({"text": text})
        elif kind == "refusal":
            text = part.get("refusal")
            if isinstance(text, str) and text:
                parts.append({"text": text})
        elif kind in ("thinking", "redacted_thinking"):
            continue  # Gemini keeps its reasoning server-side; signatures travel with tool calls
        else:
            media = _media_part(part, ctx)
            if media is None:
                raise ctx.bad("content part type %r is not supported by Gemini" % (kind,))
            parts.append(media)
    return parts


def _parse_arguments(arguments: Any, ctx: _Ctx) -> Dict[str, Any]:
    if isinstance(arguments, Mapping):
        return dict(arguments)
    if arguments is None or (isinstance(arguments, str) and not arguments.strip()):
        return {}
    try:
        value = json.loads(arguments) if isinstance(arguments, str) else arguments
    except ValueError:
        raise ctx.bad("tool call arguments are not valid JSON: %s" % str(arguments)[:200]) from None
    if not isinstance(value, dict):
        raise ctx.bad("tool call arguments must be a JSON object for Gemini, got %s" % type(value).__name__)
    return value


def _tool_response(content: Any) -> Dict[str, Any]:
    text = text_of(content)
    try:
        value = json.loads(text)
    except ValueError:
        return {"content": text}
    if isinstance(value, dict):
        return value
    return {"content": value}


def _is_gemini_3(model: str) -> bool:
    return "gemini-3" in model.lower()


def _convert_messages(
    messages: List[Dict[str, Any]], ctx: _Ctx
) -> Tuple[List[Dict[str, Any]], Optional[Dict[str, Any]]]:
    """(contents, systemInstruction) from OpenAI messages."""
    system_parts: List[Dict[str, Any]] = []
    contents: List[Dict[str, Any]] = []
    call_names: Dict[str, str] = {}
    needs_signature = _is_gemini_3(ctx.wire_model)

    def add(role: str, parts: List[Dict[str, Any]]) -> None:
        if not parts:
            return
        if contents and contents[-1]["role"] == role:
            contents[-1]["parts"].extend(parts)
        else:
            contents.append({"role": role, "parts": list(parts)})

    for message in messages:
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system_parts.extend(p for p in _content_parts(content, ctx) if "text" in p)
        elif role == "user":
            parts = _content_parts(content, ctx)
            add("user", parts or [{"text": " "}])
        elif role == "assistant":
            parts = _content_parts(content, ctx)
            first_call = True
            for call in message.get("tool_calls") or []:
                if not isinstance(call, Mapping):
                    raise ctx.bad("assistant tool_calls entries must be dicts")
                function = call.get("function") or {}
                name = function.get("name") if isinstance(function, Mapping) else None
                if not isinstance(name, str) or not name:
                    raise ctx.bad("assistant tool call without function.name")
                base_id, signature = _split_call_id(call.get("id"))
                call_names[str(call.get("id") or "")] = name
                if base_id:
                    call_names[base_id] = name
                part: Dict[str, Any] = {"functionCall": {"name": name,
                                                         "args": _parse_arguments(function.get("arguments"), ctx)}}
                if signature:
                    part["thoughtSignature"] = signature
                elif needs_signature and first_call:
                    part["thoughtSignature"] = DUMMY_THOUGHT_SIGNATURE
                first_call = False
                parts.append(part)
            fc = message.get("function_call")  # legacy OpenAI functions
            if isinstance(fc, Mapping) and isinstance(fc.get("name"), str):
                parts.append({"functionCall": {"name": fc["name"], "args": _parse_arguments(fc.get("arguments"), ctx)}})
            add("model", parts)
        elif role in ("tool", "function"):
            call_id = str(message.get("tool_call_id") or "")
            name = call_names.get(call_id) or call_names.get(_split_call_id(call_id)[0]) or message.get("name")
            if not isinstance(name, str) or not name:
                raise ctx.bad(
                    "tool message with tool_call_id %r matches no earlier assistant tool call; Gemini needs "
                    "the function name (add 'name' to the tool message)" % call_id
                )
            add("user", [{"functionResponse": {"name": name, "response": _tool_response(content)}}])
        else:
            raise ctx.bad("unsupported message role %r" % (role,))
    system = {"parts": system_parts} if system_parts else None
    return contents, system


# ---------------------------------------------------------------------------------------------
# Parameters


def _function_declaration(function: Mapping[str, Any], ctx: _Ctx) -> Dict[str, Any]:
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise ctx.bad("tool function needs a name")
    decl: Dict[str, Any] = {"name": name}
    if isinstance(function.get("description"), str):
        decl["description"] = function["description"]
    params = function.get("parameters")
    if isinstance(params, Mapping) and params:
        schema = to_gemini_schema(params, ctx)
        # a no-argument function: Gemini rejects an OBJECT without properties, so omit parameters
        if not (schema.get("type") == "OBJECT" and not schema.get("properties")):
            decl["parameters"] = schema
    return decl


def _convert_tools(params: Dict[str, Any], ctx: _Ctx) -> List[Dict[str, Any]]:
    declarations: List[Dict[str, Any]] = []
    builtins: List[Dict[str, Any]] = []
    for tool in params.get("tools") or []:
        if not isinstance(tool, Mapping):
            raise ctx.bad("tools entries must be dicts")
        kind = tool.get("type")
        if isinstance(tool.get("function"), Mapping) and kind in (None, "function"):
            declarations.append(_function_declaration(tool["function"], ctx))
        elif kind in ("web_search", "web_search_preview"):
            builtins.append({"googleSearch": {}})
        else:
            body = {k: v for k, v in tool.items() if k != "type"}
            if len(body) == 1 and next(iter(body)) in _TOOL_ALIASES:
                key = next(iter(body))
                builtins.append({_TOOL_ALIASES[key]: body[key] if body[key] is not None else {}})
            else:
                raise ctx.bad("tool %r is neither a function nor a Gemini built-in tool" % (kind or list(tool)[:1],))
    for function in params.get("functions") or []:
        if isinstance(function, Mapping):
            declarations.append(_function_declaration(function, ctx))
    if "web_search_options" in params:
        builtins.append({"googleSearch": {}})
    out: List[Dict[str, Any]] = []
    if declarations:
        out.append({"functionDeclarations": declarations})
    out.extend(builtins)
    return out


def _tool_config(params: Dict[str, Any], ctx: _Ctx) -> Optional[Dict[str, Any]]:
    choice = params.get("tool_choice")
    if choice is None and "function_call" in params:
        legacy = params["function_call"]
        choice = {"type": "function", "function": legacy} if isinstance(legacy, Mapping) else legacy
    if choice is None:
        return None
    mode: Optional[str] = None
    names: Optional[List[str]] = None
    if isinstance(choice, str):
        mode = {"auto": "AUTO", "none": "NONE", "required": "ANY", "any": "ANY"}.get(choice)
    elif isinstance(choice, Mapping):
        function = choice.get("function")
        name = function.get("name") if isinstance(function, Mapping) else choice.get("name")
        if isinstance(name, str) and name:
            mode, names = "ANY", [name]
    if mode is None:
        if ctx.drop:
            return None
        raise ctx.unsupported("gemini supports tool_choice auto, none, required or a named function, got %r" % (choice,))
    config: Dict[str, Any] = {"mode": mode}
    if names:
        config["allowedFunctionNames"] = names
    return {"functionCallingConfig": config}


def _thinking_config(params: Dict[str, Any], ctx: _Ctx) -> Optional[Dict[str, Any]]:
    effort = params.get("reasoning_effort")
    if isinstance(effort, Mapping):
        effort = effort.get("effort")
    model = ctx.wire_model.lower()
    if isinstance(effort, str) and effort != "default":
        if _is_gemini_3(model):
            flash = "gemini-3-flash" in model or "gemini-3.1-flash" in model
            levels = {"minimal": "MINIMAL" if flash else "LOW", "low": "LOW",
                      "medium": "MEDIUM" if flash or "gemini-3.1-pro" in model else "HIGH", "high": "HIGH",
                      "none": "MINIMAL" if flash else "LOW", "disable": "MINIMAL" if flash else "LOW"}
            if effort in levels:
                return {"thinkingLevel": levels[effort], "includeThoughts": effort not in ("none", "disable")}
        elif effort == "minimal":
            budget = next((b for prefix, b in _MINIMAL_BUDGETS if prefix in model), _MINIMAL_BUDGET_DEFAULT)
            return {"thinkingBudget": budget, "includeThoughts": True}
        elif effort in REASONING_BUDGETS:
            budget = REASONING_BUDGETS[effort]
            return {"thinkingBudget": budget, "includeThoughts": budget > 0}
        if ctx.drop:
            return None
        raise ctx.unsupported("gemini does not support reasoning_effort=%r" % (effort,))
    thinking = params.get("thinking")
    if isinstance(thinking, Mapping):
        enabled = thinking.get("type") == "enabled"
        budget_tokens: Any = thinking.get("budget_tokens")
        config: Dict[str, Any] = {}
        if _is_gemini_3(model):
            config["includeThoughts"] = bool(enabled and budget_tokens != 0)
        else:
            if enabled and budget_tokens != 0:
                config["includeThoughts"] = True
            if isinstance(budget_tokens, int) and not isinstance(budget_tokens, bool):
                config["thinkingBudget"] = budget_tokens
            elif not enabled:
                config["thinkingBudget"] = 0
        return config or None
    return None


def _response_format(fmt: Any, generation: Dict[str, Any], ctx: _Ctx) -> None:
    if not isinstance(fmt, Mapping):
        return
    kind = fmt.get("type")
    schema: Any = None
    if kind == "json_object":
        generation["responseMimeType"] = "application/json"
        schema = fmt.get("response_schema")
    elif kind == "json_schema":
        generation["responseMimeType"] = "application/json"
        spec = fmt.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
    elif kind == "text":
        return
    if isinstance(schema, Mapping) and schema:
        if re.search(r"gemini-1\.", ctx.wire_model):  # only 2.0+ take responseJsonSchema
            generation["responseSchema"] = to_gemini_schema(schema, ctx)
        else:
            generation["responseJsonSchema"] = _json_schema_for_wire(schema)


def build_body(request: ChatRequest, ctx: _Ctx) -> Dict[str, Any]:
    """The GenerateContentRequest body for ``request``."""
    params = dict(request.params)
    for name in _UNSUPPORTED:
        if name not in params:
            continue
        if name in _HARMLESS and params[name] == _HARMLESS[name]:
            continue
        if not ctx.drop:
            raise ctx.unsupported("gemini does not support parameter %r" % name)
    contents, system = _convert_messages(request.messages, ctx)
    if not contents:
        raise ctx.bad("Gemini needs at least one user, assistant or tool message besides the system prompt")
    body: Dict[str, Any] = {"contents": contents}
    if system is not None:
        body["systemInstruction"] = system

    generation: Dict[str, Any] = {}
    if "temperature" in params:
        generation["temperature"] = params["temperature"]
    if "top_p" in params:
        generation["topP"] = params["top_p"]
    max_tokens = params.get("max_completion_tokens", params.get("max_tokens"))
    if max_tokens is not None:
        generation["maxOutputTokens"] = max_tokens
    stop = params.get("stop")
    if isinstance(stop, str):
        generation["stopSequences"] = [stop]
    elif isinstance(stop, list) and stop:
        generation["stopSequences"] = list(stop)
    if "n" in params:
        generation["candidateCount"] = params["n"]
    if "seed" in params:
        generation["seed"] = params["seed"]
    if "presence_penalty" in params:
        generation["presencePenalty"] = params["presence_penalty"]
    if "frequency_penalty" in params:
        generation["frequencyPenalty"] = params["frequency_penalty"]
    if params.get("logprobs"):
        generation["responseLogprobs"] = True
    if "top_logprobs" in params:
        generation["logprobs"] = params["top_logprobs"]
        generation["responseLogprobs"] = True
    if isinstance(params.get("modalities"), list):
        generation["responseModalities"] = [str(m).upper() for m in params["modalities"]]
    _response_format(params.get("response_format"), generation, ctx)
    thinking = _thinking_config(params, ctx)
    if thinking is not None:
        generation["thinkingConfig"] = thinking

    tools = _convert_tools(params, ctx)
    if tools:
        body["tools"] = tools
        if params.get("parallel_tool_calls") is False and sum(
            len(t.get("functionDeclarations", [])) for t in tools
        ) > 1 and not ctx.drop:
            raise ctx.unsupported("gemini cannot disable parallel tool calls when several tools are given")
    tool_config = _tool_config(params, ctx)
    if tool_config is not None:
        body["toolConfig"] = tool_config

    for key, value in request.extra_body.items():
        if key in ("generationConfig", "generation_config") and isinstance(value, Mapping):
            generation.update(value)
        elif key in _EXTRA_GENERATION:
            generation[_EXTRA_GENERATION[key]] = value
        elif key in _EXTRA_TOP:
            body[_EXTRA_TOP[key]] = value
        else:
            body[key] = value
    if generation:
        body["generationConfig"] = generation
    return body


# ---------------------------------------------------------------------------------------------
# Responses


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def embedding_floats(values: List[Any], index: int, provider: str, model: str) -> List[float]:
    """An embedding's ``values`` as floats; APIConnectionError when one is not a number."""
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise APIConnectionError("embedding %d has a value that is not a number" % index, provider, model) from None


def gemini_usage(meta: Any) -> Optional[Usage]:
    """OpenAI usage from ``usageMetadata`` (absent counts are 0: protobuf JSON omits zeros).

    As in LiteLLM, completion_tokens = candidatesTokenCount + thoughtsTokenCount unless the
    candidates count already includes the thoughts (prompt + candidates == total).
    """
    if not isinstance(meta, Mapping):
        return None
    prompt = _int(meta.get("promptTokenCount"))
    candidates = _int(meta.get("candidatesTokenCount"))
    thoughts = meta.get("thoughtsTokenCount")
    reasoning = _int(thoughts) if thoughts is not None else None
    total = _int(meta.get("totalTokenCount"))
    completion = candidates
    if reasoning and prompt + candidates != total:
        completion += reasoning
    cached = meta.get("cachedContentTokenCount")
    usage = usage_from_counts(
        prompt,
        completion,
        cached_tokens=_int(cached) if cached is not None else None,
        reasoning_tokens=reasoning,
        total_tokens=total or prompt + completion,
    )
    details = meta.get("promptTokensDetails")
    if isinstance(details, list):
        by_modality: Dict[str, int] = {}
        for item in details:
            if isinstance(item, Mapping):
                modality = str(item.get("modality") or "").upper()
                by_modality[modality] = by_modality.get(modality, 0) + _int(item.get("tokenCount"))
        if by_modality:
            ptd = usage.prompt_tokens_details or PromptTokensDetails()
            ptd.text_tokens = by_modality.get("TEXT", 0) + by_modality.get("DOCUMENT", 0) or None
            ptd.image_tokens = by_modality.get("IMAGE") or None
            ptd.audio_tokens = by_modality.get("AUDIO") or None
            usage.prompt_tokens_details = ptd
    return usage


def _new_call_id(signature: Optional[str]) -> str:
    call_id = "call_" + uuid.uuid4().hex[:24]
    if signature:
        call_id += THOUGHT_SIGNATURE_SEPARATOR + signature
    return call_id


def _read_parts(parts: Any) -> Tuple[List[str], List[str], List[Tuple[str, str, str]], List[Dict[str, Any]], List[str]]:
    """(texts, thoughts, calls (id, name, arguments JSON), thinking_blocks, signatures) of parts."""
    texts: List[str] = []
    thoughts: List[str] = []
    calls: List[Tuple[str, str, str]] = []
    blocks: List[Dict[str, Any]] = []
    signatures: List[str] = []
    if not isinstance(parts, list):
        return texts, thoughts, calls, blocks, signatures
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        signature = part.get("thoughtSignature") if isinstance(part.get("thoughtSignature"), str) else None
        if signature:
            signatures.append(signature)
        call = part.get("functionCall")
        if isinstance(call, Mapping):
            args = call.get("args") if isinstance(call.get("args"), Mapping) else {}
            call_id = call.get("id") if isinstance(call.get("id"), str) and call.get("id") else None
            if call_id is None:
                call_id = _new_call_id(signature)
            elif signature:
                call_id += THOUGHT_SIGNATURE_SEPARATOR + signature
            calls.append((call_id, str(call.get("name") or ""), json.dumps(args, ensure_ascii=False)))
            continue
        text = part.get("text")
        if isinstance(text, str):
            if part.get("thought") is True:
                thoughts.append(text)
                block: Dict[str, Any] = {"type": "thinking", "thinking": text}
                if signature:
                    block["signature"] = signature
                blocks.append(block)
            elif text:
                texts.append(text)
        elif isinstance(part.get("executableCode"), Mapping):
            code = part["executableCode"]
            texts.append("```%s\n%s\n```\n" % (str(code.get("language") or "").lower().replace("language_unspecified", ""),
                                               code.get("code") or ""))
        elif isinstance(part.get("codeExecutionResult"), Mapping):
            texts.append("```\n%s\n```\n" % (part["codeExecutionResult"].get("output") or ""))
    return texts, thoughts, calls, blocks, signatures


def _logprobs(result: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(result, Mapping) or not isinstance(result.get("chosenCandidates"), list):
        return None
    tops_raw = result.get("topCandidates")
    tops: List[Any] = tops_raw if isinstance(tops_raw, list) else []
    content = []
    for i, chosen in enumerate(result["chosenCandidates"]):
        if not isinstance(chosen, Mapping):
            continue
        top_list = []
        if i < len(tops) and isinstance(tops[i], Mapping) and isinstance(tops[i].get("candidates"), list):
            top_list = [{"token": c.get("token"), "logprob": c.get("logProbability"), "bytes": None}
                        for c in tops[i]["candidates"] if isinstance(c, Mapping)]
        content.append({"token": chosen.get("token"), "logprob": chosen.get("logProbability"), "bytes": None,
                        "top_logprobs": top_list})
    return {"content": content}


def _payload_error(payload: Mapping[str, Any], provider: str, model: str, status: Optional[int],
                   headers: Optional[Mapping[str, str]] = None, body: Optional[str] = None) -> APIError:
    """Our exception for a Google ``{"error": {code, message, status, details}}`` payload."""
    err = payload.get("error")
    if isinstance(err, str):
        err = {"message": err}
    if not isinstance(err, Mapping):
        err = {}
    message = str(err.get("message") or (body or "").strip()[:500] or "Gemini error")
    status_text = err.get("status") if isinstance(err.get("status"), str) else None
    details = err.get("details")
    reasons = [str(d.get("reason")) for d in details if isinstance(d, Mapping) and d.get("reason")] if isinstance(details, list) else []
    code = err.get("code")
    if status is None or status < 400:
        status = code if isinstance(code, int) and code >= 400 else _STATUS_CODES.get(status_text or "", 500)
    kwargs: Dict[str, Any] = {"headers": dict(headers or {}), "body": body,
                              "code": reasons[0] if reasons else status_text, "error_type": status_text}
    # Gemini answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID: an authentication problem.
    if "API_KEY_INVALID" in reasons or "API key not valid" in message or status_text == "UNAUTHENTICATED":
        return AuthenticationError(message, provider, model, status_code=status, **kwargs)
    return error_for_status(status, message, provider, model, **kwargs)


def _error_from_response(response: WireResponse, provider: str, model: str) -> APIError:
    text = response.text()
    payload: Any = None
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        pass
    if isinstance(payload, list) and payload and isinstance(payload[0], Mapping):
        payload = payload[0]  # streamGenerateContent (JSON array) wraps errors in a list
    if not isinstance(payload, Mapping):
        payload = {}
    return _payload_error(payload, provider, model, response.status, response.headers, text)


class GeminiAdapter(Adapter):
    """Gemini ``generateContent`` / ``streamGenerateContent?alt=sse`` with an ``x-goog-api-key``."""

    stream_format = "sse"

    # -- hooks that Vertex AI overrides -------------------------------------------------------------

    def endpoint(self, request: ChatRequest, config: "CallConfig") -> str:
        base = config.api_base.rstrip("/")
        model = request.model[len("models/"):] if request.model.startswith("models/") else request.model
        if base.endswith("/models"):
            root = base
        elif re.search(r"/v1(?:alpha|beta)?\d*$", base):
            root = base + "/models"
        else:
            root = base + "/v1beta/models"
        return "%s/%s:%s" % (root, quote(model, safe="-._~"), self._method(request))

    def _method(self, request: ChatRequest) -> str:
        if not request.stream:
            return "generateContent"
        return "streamGenerateContent?alt=sse" if self.stream_format == "sse" else "streamGenerateContent"

    def auth_headers(self, config: "CallConfig") -> Dict[str, str]:
        return {"x-goog-api-key": config.api_key} if config.api_key else {}

    def for_call(self, config: "CallConfig") -> "Adapter":
        fmt = config.options.get("gemini_stream_format")
        if fmt in (None, "sse"):
            return self
        if fmt == "json_array":
            return GeminiJSONArrayAdapter()
        raise BadRequestError("gemini_stream_format must be 'sse' or 'json_array'", config.provider, config.model)

    # -- the Adapter contract ---------------------------------------------------------------------

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        body = build_body(request, _Ctx(config, request.model))
        headers: Dict[str, str] = {"content-type": "application/json"}
        if request.stream:
            headers["accept"] = "text/event-stream" if self.stream_format == "sse" else "application/json"
        headers.update(self.auth_headers(config))
        for name, value in list(config.spec.headers) + list(config.extra_headers.items()):
            for key in [k for k in headers if k.lower() == name.lower()]:
                del headers[key]
            headers[name] = value
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return WireRequest(url=self.endpoint(request, config), headers=headers, body=data)

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        provider, model = config.provider, config.model
        payload = load_json(response.body, provider, model)
        if isinstance(payload, list) and len(payload) == 1:
            payload = payload[0]
        if not isinstance(payload, Mapping):
            raise APIConnectionError("Gemini response is not a JSON object", provider, model,
                                     body=response.text()[:2000])
        if "error" in payload:
            raise _payload_error(payload, provider, model, response.status, response.headers, response.text())
        candidates = payload.get("candidates")
        choices: List[Choices] = []
        if isinstance(candidates, list):
            for position, candidate in enumerate(candidates):
                if isinstance(candidate, Mapping):
                    choices.append(self._choice(candidate, position))
        if not choices:
            feedback = payload.get("promptFeedback")
            if not isinstance(feedback, Mapping) and "usageMetadata" not in payload:
                raise APIConnectionError("Gemini response has no candidates and no promptFeedback", provider, model,
                                         body=response.text()[:2000])
            blocked = isinstance(feedback, Mapping) and feedback.get("blockReason")
            choices.append(Choices(finish_reason="content_filter" if blocked else "stop", index=0,
                                   message=Message(content=None, role="assistant")))
        result = ModelResponse(model=request.model, choices=choices, usage=gemini_usage(payload.get("usageMetadata")))
        if isinstance(payload.get("responseId"), str) and payload["responseId"]:
            result.id = payload["responseId"]
        if isinstance(payload.get("modelVersion"), str):
            result._hidden_params["model_version"] = payload["modelVersion"]
        if isinstance(payload.get("promptFeedback"), Mapping):
            result._hidden_params["prompt_feedback"] = payload["promptFeedback"]
        return result

    @staticmethod
    def _choice(candidate: Mapping[str, Any], position: int) -> Choices:
        content = _mapping(candidate.get("content"))
        texts, thoughts, calls, blocks, signatures = _read_parts(content.get("parts"))
        tool_calls = [tool_call(call_id, name, args) for call_id, name, args in calls]
        raw_finish = candidate.get("finishReason")
        if tool_calls:
            finish = "tool_calls"
        elif isinstance(raw_finish, str):
            finish = map_finish_reason(raw_finish) or "stop"
        else:
            finish = "stop"
        extra: Dict[str, Any] = {}
        if signatures:
            extra["thought_signatures"] = signatures
        for key, name in (("safetyRatings", "safety_ratings"), ("citationMetadata", "citation_metadata"),
                          ("groundingMetadata", "grounding_metadata"), ("finishMessage", "finish_message")):
            if key in candidate:
                extra[name] = candidate[key]
        message = Message(
            content="".join(texts) if texts else None,
            role="assistant",
            tool_calls=tool_calls or None,
            reasoning_content="".join(thoughts) if thoughts else None,
            thinking_blocks=blocks or None,
            provider_specific_fields=extra or None,
        )
        index = candidate.get("index")
        return Choices(finish_reason=finish, index=index if isinstance(index, int) else position, message=message,
                       logprobs=_logprobs(candidate.get("logprobsResult")))

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        return _error_from_response(response, config.provider, config.model)

    # -- embeddings -------------------------------------------------------------------------------

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        """``models/{model}:batchEmbedContents``: one request per input text."""
        url = self.endpoint(ChatRequest(model=request.model, messages=[]), config).rsplit(":", 1)[0]
        model_path = "models/" + request.model.split("/")[-1]
        common: Dict[str, Any] = {}
        if request.params.get("dimensions") is not None:
            common["outputDimensionality"] = request.params["dimensions"]
        task = request.params.get("input_type")
        if task:
            common["taskType"] = str(task).upper()
        entries = []
        for text in request.input:
            if not isinstance(text, str):
                raise BadRequestError("Gemini embeddings take text inputs only", config.provider, config.model)
            entries.append(dict({"model": model_path, "content": {"parts": [{"text": text}]}}, **common))
        headers = {"content-type": "application/json"}
        headers.update(self.auth_headers(config))
        headers.update(config.extra_headers)
        body = dict({"requests": entries}, **request.extra_body)
        return WireRequest(url=url + ":batchEmbedContents", headers=headers, body=json.dumps(body).encode("utf-8"))

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        payload = load_json(response.body, config.provider, config.model)
        vectors = payload.get("embeddings") if isinstance(payload, dict) else None
        if not isinstance(vectors, list):
            raise APIConnectionError("Gemini embeddings response has no 'embeddings' list", config.provider, config.model)
        data = []
        for index, item in enumerate(vectors):
            values = item.get("values") if isinstance(item, dict) else None
            if not isinstance(values, list):
                raise APIConnectionError("Gemini embedding %d has no values" % index, config.provider, config.model)
            data.append(EmbeddingData(embedding=embedding_floats(values, index, config.provider, config.model), index=index))
        return EmbeddingResponse(data=data, model=request.model)

    # -- streaming -----------------------------------------------------------------------------------

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        state = StreamState(model=request.model, provider=config.provider)
        state.scratch.update(seen=set(), finished=set(), with_tools=set(), tool_counts={}, usage_pending=False)
        return state

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        data = event.data.strip() if event.data else ""
        if not data or data == "[DONE]":
            return []
        payload = load_json(data, state.provider, state.model, what="stream event")
        items = payload if isinstance(payload, list) else [payload]
        chunks: List[ModelResponseStream] = []
        for item in items:
            if not isinstance(item, Mapping):
                raise APIConnectionError("Gemini stream event is not a JSON object", state.provider, state.model)
            chunks.extend(self._stream_item(item, state))
        return chunks

    def _stream_item(self, item: Mapping[str, Any], state: StreamState) -> List[ModelResponseStream]:
        scratch = state.scratch
        if "error" in item:
            raise _payload_error(item, state.provider, state.model, None, body=json.dumps(item)[:2000])
        if not state.response_id and isinstance(item.get("responseId"), str) and item["responseId"]:
            state.response_id = item["responseId"]
        usage = gemini_usage(item.get("usageMetadata"))
        if usage is not None:
            state.usage = usage
            scratch["usage_pending"] = True
        seen: Set[int] = scratch["seen"]
        finished: Set[int] = scratch["finished"]
        chunks: List[ModelResponseStream] = []
        ended = False
        candidates = item.get("candidates")
        if isinstance(candidates, list):
            for position, candidate in enumerate(candidates):
                if not isinstance(candidate, Mapping):
                    continue
                raw_index = candidate.get("index")
                index = raw_index if isinstance(raw_index, int) else position
                content = _mapping(candidate.get("content"))
                texts, thoughts, calls, _, _ = _read_parts(content.get("parts"))
                delta = Delta()
                if index not in seen:
                    seen.add(index)
                    delta.role = "assistant"
                if texts:
                    delta.content = "".join(texts)
                if thoughts and "".join(thoughts):
                    delta.reasoning_content = "".join(thoughts)
                if calls:
                    counts: Dict[int, int] = scratch["tool_counts"]
                    fragments = []
                    for call_id, name, arguments in calls:
                        position_in_calls = counts.get(index, 0)
                        counts[index] = position_in_calls + 1
                        fragments.append(delta_tool_call(position_in_calls, call_id, name, arguments))
                    delta.tool_calls = fragments
                    scratch["with_tools"].add(index)
                finish: Optional[str] = None
                raw_finish = candidate.get("finishReason")
                if isinstance(raw_finish, str) and raw_finish:
                    finish = "tool_calls" if index in scratch["with_tools"] else (map_finish_reason(raw_finish) or "stop")
                    finished.add(index)
                    ended = True
                if finish is None and delta.role is None and not (delta.content or delta.reasoning_content or calls):
                    continue
                chunks.append(state.chunk(delta=delta, finish_reason=finish, index=index))
        feedback = item.get("promptFeedback")
        if not seen and isinstance(feedback, Mapping) and feedback.get("blockReason"):
            seen.add(0)
            finished.add(0)
            ended = True
            chunks.append(state.chunk(delta=Delta(role="assistant"), finish_reason="content_filter"))
        if ended:
            state.done = bool(seen) and seen <= finished
            if state.usage is not None and chunks:
                chunks[-1].usage = state.usage
                scratch["usage_pending"] = False
        return chunks

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.done:
            raise APIConnectionError(
                "Gemini stream ended before a finishReason (connection closed early?)", state.provider, state.model
            )
        if state.scratch.get("usage_pending") and state.usage is not None:
            state.scratch["usage_pending"] = False
            return [state.chunk(usage=state.usage, with_choice=False)]
        return []


class GeminiJSONArrayAdapter(GeminiAdapter):
    """The same translation over ``streamGenerateContent`` without ``alt=sse`` (a streamed JSON array).

    Chosen per call with ``gemini_stream_format="json_array"``.
    """

    stream_format = "json_array"

    def for_call(self, config: "CallConfig") -> "Adapter":
        return self
