"""Rebuild typed response objects (ModelResponse, EmbeddingResponse, ...) from their ``to_dict()`` form."""

from __future__ import annotations

import importlib
import typing
from dataclasses import fields, is_dataclass
from typing import Any, Dict, Optional, Tuple, Type

__all__ = ["record_from_dict", "record_kind", "rebuild"]

# kind name -> (module, class): every response type the cache can hold.
_KINDS: Dict[str, Tuple[str, str]] = {
    "ModelResponse": ("types", "ModelResponse"),
    "EmbeddingResponse": ("types", "EmbeddingResponse"),
    "TextCompletionResponse": ("endpoint_types", "TextCompletionResponse"),
    "ImageResponse": ("endpoint_types", "ImageResponse"),
    "TranscriptionResponse": ("endpoint_types", "TranscriptionResponse"),
    "ModerationResponse": ("endpoint_types", "ModerationResponse"),
}
_hints: Dict[type, Dict[str, Any]] = {}


def _class(kind: str) -> Optional[type]:
    target = _KINDS.get(kind)
    if target is None:
        return None
    module = importlib.import_module("." + target[0], __package__)
    cls: type = getattr(module, target[1])
    return cls


def record_kind(result: Any) -> Optional[str]:
    """The kind name under which ``result`` can be stored: a known response class, ``"dict"``, or None."""
    if isinstance(result, dict):
        return "dict"
    name = type(result).__name__
    cls = _class(name)
    return name if cls is not None and type(result) is cls else None


def rebuild(kind: str, data: Any) -> Any:
    """The object of ``kind`` described by ``data`` (a ``to_dict()`` result); ValueError if impossible."""
    if kind == "dict":
        if not isinstance(data, dict):
            raise ValueError("cached entry is not an object")
        return data
    cls = _class(kind)
    if cls is None:
        raise ValueError("unknown cached kind %r" % (kind,))
    return record_from_dict(cls, data)


def _type_hints(cls: type) -> Dict[str, Any]:
    hints = _hints.get(cls)
    if hints is None:
        module = importlib.import_module(cls.__module__)
        hints = typing.get_type_hints(cls, vars(module))
        _hints[cls] = hints
    return hints


def record_from_dict(cls: Type[Any], data: Any) -> Any:
    """An instance of the dataclass ``cls`` from ``data``, converting nested records by annotation."""
    if not isinstance(data, dict):
        raise ValueError("expected an object for %s" % (cls.__name__,))
    hints = _type_hints(cls)
    kwargs: Dict[str, Any] = {}
    for f in fields(cls):
        if f.name.startswith("_") or f.name not in data or not f.init:
            continue
        kwargs[f.name] = _convert(hints.get(f.name, Any), data[f.name])
    return cls(**kwargs)


def _convert_union(args: Tuple[Any, ...], value: Any) -> Any:
    for arg in args:
        if arg is type(None):
            continue
        if isinstance(arg, type) and is_dataclass(arg) and isinstance(value, dict):
            return record_from_dict(arg, value)
        if getattr(arg, "__origin__", None) in (list, dict):
            return _convert(arg, value)
    return value


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = getattr(hint, "__origin__", None)
    args: Tuple[Any, ...] = tuple(getattr(hint, "__args__", ()) or ())
    if origin is typing.Union:
        return _convert_union(args, value)
    if origin is list and isinstance(value, list):
        inner = args[0] if args else Any
        return [_convert(inner, item) for item in value]
    if origin is dict and isinstance(value, dict):
        inner = args[-1] if len(args) == 2 else Any
        return {key: _convert(inner, item) for key, item in value.items()}
    if isinstance(hint, type) and is_dataclass(hint) and isinstance(value, dict):
        return record_from_dict(hint, value)
    return value
