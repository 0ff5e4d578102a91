"""JSON schema -> Gemini's ``Schema`` object (the OpenAPI 3.0 subset of the v1beta API)."""

from __future__ import annotations

import json
from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from typing import Any, Callable, Dict, List, Optional, Tuple

from ...exceptions import BadRequestError
from .._common import CallContext

__all__ = ["to_gemini_schema", "json_schema_for_wire"]

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
_ABSENT = object()


def _bad(message: str, ctx: Optional[CallContext]) -> BadRequestError:
    return ctx.bad(message) if ctx is not None else BadRequestError(message)


def _resolve_ref(ref: str, root_defs: Mapping[str, Any], ctx: Optional[CallContext]) -> Any:
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix):
            name = ref[len(prefix):].replace("~1", "/").replace("~0", "~")
            if name in root_defs:
                return root_defs[name]
    raise _bad("unresolvable $ref %r in a tool/response schema (only local #/$defs refs are inlined)" % ref, ctx)


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


def _types(raw: Mapping[str, Any]) -> Tuple[List[str], bool]:
    """(the declared types without "null", whether "null" was one of several)."""
    kind = raw.get("type")
    types: List[str] = []
    if isinstance(kind, str):
        types = [kind]
    elif isinstance(kind, list):
        types = [t for t in kind if isinstance(t, str)]
    if "null" in types and len(types) > 1:
        return [t for t in types if t != "null"], True
    return types, False


def _inferred_type(raw: Mapping[str, Any]) -> Optional[str]:
    if isinstance(raw.get("properties"), Mapping):
        return "OBJECT"
    if "items" in raw:
        return "ARRAY"
    if isinstance(raw.get("enum"), list):
        return "STRING"
    return None


def _enum(value: Any, gtype: Optional[str], out: Dict[str, Any]) -> bool:
    """Copy an ``enum`` into ``out`` as strings; True when it allowed null."""
    if not isinstance(value, list):
        return False
    values = [v for v in value if v is not None]
    if values and all(isinstance(v, str) for v in values):
        out["enum"] = values
        if gtype is None:
            out["type"] = "STRING"
    elif values and gtype in (None, "STRING"):
        out["enum"] = [json.dumps(v) if not isinstance(v, str) else v for v in values]
        out["type"] = "STRING"
    # numeric enums on numeric types cannot be expressed: dropped
    return None in value


def _strings(value: Any, gtype: Optional[str]) -> Any:
    return [str(v) for v in value] if isinstance(value, list) else _ABSENT


def _format(value: Any, gtype: Optional[str]) -> Any:
    return value if isinstance(value, str) and value in _FORMATS.get(gtype or "", frozenset()) else _ABSENT


def _int64(value: Any, gtype: Optional[str]) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # int64 fields are strings in proto3 JSON
    return value if isinstance(value, str) and value.isdigit() else _ABSENT


def _number(value: Any, gtype: Optional[str]) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _ABSENT


def _text(value: Any, gtype: Optional[str]) -> Any:
    return value if isinstance(value, str) else _ABSENT


# Keyword -> its Gemini value (``_ABSENT``: dropped); keywords not listed (default, example) are copied.
_SCALAR_KEYWORDS: Dict[str, Callable[[Any, Optional[str]], Any]] = dict(
    {"required": _strings, "propertyOrdering": _strings, "format": _format, "minimum": _number,
     "maximum": _number, "title": _text, "description": _text, "pattern": _text},
    **{key: _int64 for key in _INT64_KEYS},
)


class _Converter:
    """One schema conversion: the root's ``$defs`` and the context errors are raised in."""

    def __init__(self, defs: Mapping[str, Any], ctx: Optional[CallContext]) -> None:
        self.defs = defs
        self.ctx = ctx

    def convert(self, schema: Any, depth: int, refs: Tuple[str, ...]) -> Optional[Dict[str, Any]]:
        if depth > _MAX_SCHEMA_DEPTH:
            raise _bad("JSON schema nested too deeply (more than %d levels)" % _MAX_SCHEMA_DEPTH, self.ctx)
        if not isinstance(schema, Mapping):
            return None  # boolean schemas (true/false) have no Gemini form
        raw: Dict[str, Any] = dict(schema)
        ref = raw.pop("$ref", None)
        if isinstance(ref, str):
            if ref in refs:  # recursive schema: Gemini cannot express it, stop with an open object
                return {"type": "OBJECT"}
            target = _resolve_ref(ref, self.defs, self.ctx)
            merged = dict(target) if isinstance(target, Mapping) else {}
            merged.update(raw)  # siblings of $ref (description...) win
            return self.convert(merged, depth + 1, refs + (ref,))
        return self._convert_object(_merge_all_of(raw), depth, refs)

    def _convert_object(self, raw: Dict[str, Any], depth: int, refs: Tuple[str, ...]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        types, null_type = _types(raw)
        nullable = bool(raw.get("nullable")) or null_type
        alternatives = raw.get("anyOf") if isinstance(raw.get("anyOf"), list) else raw.get("oneOf")
        if isinstance(alternatives, list):
            kept = [alt for alt in alternatives if not _is_null_schema(alt)]
            nullable = nullable or len(kept) < len(alternatives)
            if len(kept) == 1 and not types:
                return self._single_alternative(kept[0], raw, nullable, depth, refs)
            self._any_of(kept, out, depth, refs)
        if len(types) > 1:
            return self._several_types(raw, types, nullable, depth, refs)
        gtype = _TYPES.get(types[0].lower()) if types else None
        if "const" in raw and "enum" not in raw:
            raw["enum"] = [raw["const"]]
        if gtype is None and "anyOf" not in out:
            gtype = _inferred_type(raw)
        if gtype:
            out["type"] = gtype
        nullable = self._keywords(raw, out, gtype, depth, refs) or nullable
        _keep_known_required(out)
        if nullable:
            out["nullable"] = True
        return out

    def _any_of(self, alternatives: List[Any], out: Dict[str, Any], depth: int, refs: Tuple[str, ...]) -> None:
        converted = [c for c in (self.convert(alt, depth + 1, refs) for alt in alternatives) if c is not None]
        if converted:
            out["anyOf"] = converted

    def _single_alternative(
        self, alt: Any, raw: Mapping[str, Any], nullable: bool, depth: int, refs: Tuple[str, ...]
    ) -> Dict[str, Any]:
        """``anyOf: [X]`` (or ``[X, null]``): X inlined, keeping the outer annotations."""
        inner = self.convert(alt, depth + 1, refs) or {}
        for key in ("description", "title", "default", "example"):
            if key in raw and key not in inner:
                inner[key] = raw[key]
        if nullable:
            inner["nullable"] = True
        return inner

    def _several_types(
        self, raw: Mapping[str, Any], types: List[str], nullable: bool, depth: int, refs: Tuple[str, ...]
    ) -> Dict[str, Any]:
        """``type: [A, B]``: one ``anyOf`` alternative per type."""
        rest = {k: v for k, v in raw.items() if k not in ("type", "anyOf", "oneOf")}
        out: Dict[str, Any] = {
            "anyOf": [c for c in (self.convert(dict(rest, type=t), depth + 1, refs) for t in types) if c]
        }
        if nullable:
            out["nullable"] = True
        for key in ("description", "title"):
            if isinstance(raw.get(key), str):
                out[key] = raw[key]
        return out

    def _keywords(
        self, raw: Mapping[str, Any], out: Dict[str, Any], gtype: Optional[str], depth: int, refs: Tuple[str, ...]
    ) -> bool:
        """Copy the keywords Gemini knows into ``out``; True when an ``enum`` allowed null."""
        nullable = False
        for key, value in raw.items():
            if key not in _SCHEMA_KEYS or key in ("type", "anyOf", "nullable"):
                continue
            if key == "properties":
                if isinstance(value, Mapping):
                    out["properties"] = {str(name): self._property(sub, depth, refs) for name, sub in value.items()}
            elif key == "items":
                item = self.convert(value, depth + 1, refs)
                if item is not None:
                    out["items"] = item
            elif key == "enum":
                nullable = _enum(value, gtype, out) or nullable
            else:
                rule = _SCALAR_KEYWORDS.get(key)
                converted = rule(value, gtype) if rule is not None else value
                if converted is not _ABSENT:
                    out[key] = converted
        return nullable

    def _property(self, schema: Any, depth: int, refs: Tuple[str, ...]) -> Dict[str, Any]:
        converted = self.convert(schema, depth + 1, refs)
        return converted if converted is not None else {"type": "STRING"}


def _keep_known_required(out: Dict[str, Any]) -> None:
    """``required`` names only the properties that exist (Gemini rejects the others)."""
    if "required" in out:
        known = out.get("properties") or {}
        out["required"] = [name for name in out["required"] if name in known]
        if not out["required"]:
            del out["required"]


def _is_null_schema(alt: Any) -> bool:
    return isinstance(alt, Mapping) and alt.get("type") == "null" and len(alt) == 1


def to_gemini_schema(schema: Mapping[str, Any], ctx: Optional[CallContext] = None) -> Dict[str, Any]:
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
    return _Converter(defs, ctx).convert(schema, 0, ()) or {}


def json_schema_for_wire(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """A JSON schema for ``responseJsonSchema``: as given, minus ``$schema`` and ``strict``."""
    return {k: v for k, v in schema.items() if k not in ("$schema", "strict")}
