"""Rebuild typed response objects (ModelResponse, EmbeddingResponse, ...) from their ``to_dict()`` form."""

from __future__ import annotations

import importlib
import typing
from dataclasses import fields, is_dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

__all__ = ["record_from_dict", "record_kind", "rebuild"]

# kind name -> (module, class): every response type the cache can hold.
_KINDS: Dict[str, Tuple[str, str]] = {
    "ModelResponse": ("types", "ModelResponse"),
    "EmbeddingResponse": ("types", "EmbeddingResponse"),
    "TextCompletionResponse": ("endpoint_types", "TextCompletionResponse"),
    "ImageResponse": ("endpoint_types", "ImageResponse"),
    "TranscriptionResponse": ("endpoint_types", "TranscriptionResponse"),
    "ModerationResponse": ("endpoint_types", "ModerationResponse"),
    "RerankResponse": ("rerank_wire", "RerankResponse"),
    "ResponsesAPIResponse": ("responses_api", "ResponsesAPIResponse"),
}


def _class(kind: str) -> Optional[type]:
    target = _KINDS.get(kind)
    if target is None:
        return None
    try:
        module = importlib.import_module("." + target[0], __package__)
    except ImportError:  # a response module this build does not have
        return None
    cls: Optional[type] = getattr(module, target[1], None)
    return cls if cls is not None and is_dataclass(cls) else None


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


Converter = Callable[[Any], Any]
# class -> [(field name, converter)]: built once per class, so a rebuild is a plain walk.
_plans: Dict[type, List[Tuple[str, Converter]]] = {}


def _plan(cls: type) -> List[Tuple[str, Converter]]:
    plan = _plans.get(cls)
    if plan is None:
        module = importlib.import_module(cls.__module__)
        # typing's names first: modules import them only for type checkers (not at run time)
        namespace: Dict[str, Any] = {name: getattr(typing, name) for name in typing.__all__}
        namespace.update(vars(module))
        for name in getattr(module, "_LAZY_TYPES", ()):  # types built on first use (litellm_lite.types)
            namespace[name] = getattr(module, name)
        hints = typing.get_type_hints(cls, namespace)
        plan = [(f.name, _converter(hints.get(f.name, Any))) for f in fields(cls) if f.init and not f.name.startswith("_")]
        _plans[cls] = plan
    return plan


def record_from_dict(cls: Type[Any], data: Any) -> Any:
    """An instance of the dataclass ``cls`` from ``data``, converting nested records by annotation."""
    if not isinstance(data, dict):
        raise ValueError("expected an object for %s" % (cls.__name__,))
    kwargs: Dict[str, Any] = {}
    for name, convert in _plan(cls):
        if name in data:
            value = data[name]
            kwargs[name] = None if value is None else convert(value)
    return cls(**kwargs)


def _same(value: Any) -> Any:
    return value


def _record_converter(cls: type) -> Converter:
    def convert(value: Any) -> Any:
        return record_from_dict(cls, value) if isinstance(value, dict) else value

    return convert


def _list_converter(inner: Converter) -> Converter:
    def convert(value: Any) -> Any:
        return [None if item is None else inner(item) for item in value] if isinstance(value, list) else value

    return convert


def _dict_converter(inner: Converter) -> Converter:
    def convert(value: Any) -> Any:
        return {k: None if v is None else inner(v) for k, v in value.items()} if isinstance(value, dict) else value

    return convert


def _converter(hint: Any) -> Converter:
    """A function turning plain data into the value annotated ``hint`` (records rebuilt, rest kept)."""
    origin = getattr(hint, "__origin__", None)
    args: Tuple[Any, ...] = tuple(getattr(hint, "__args__", ()) or ())
    if origin is typing.Union:
        # Optional[X] and unions: the first record or container member decides (others pass through).
        for arg in args:
            if arg is not type(None) and (_is_record(arg) or getattr(arg, "__origin__", None) in (list, dict)):
                return _converter(arg)
        return _same
    if origin is list:
        inner = _converter(args[0]) if args else _same
        return _same if inner is _same else _list_converter(inner)
    if origin is dict:
        inner = _converter(args[-1]) if len(args) == 2 else _same
        return _same if inner is _same else _dict_converter(inner)
    if _is_record(hint):
        return _record_converter(hint)
    return _same


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and is_dataclass(hint)
