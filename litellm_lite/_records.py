"""Typed response objects (ModelResponse, EmbeddingResponse, ...) for the cache: which kinds it can
hold, independent copies (:func:`detach`), and objects rebuilt from their ``to_dict()`` form."""

from __future__ import annotations

import importlib
import typing
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

__all__ = ["record_from_dict", "record_kind", "rebuild", "detach", "CALL_FIELDS"]

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


# kind name -> class (None: not available in this build), filled on first use of each kind.
_classes: Dict[str, Optional[type]] = {}


def _class(kind: str) -> Optional[type]:
    if kind in _classes:
        return _classes[kind]
    target = _KINDS.get(kind)
    if target is None:
        return None
    try:
        module = importlib.import_module("." + target[0], __package__)
    except ImportError:  # a response module this build does not have
        cls: Optional[type] = None
    else:
        cls = getattr(module, target[1], None)
    found = cls if cls is not None and is_dataclass(cls) else None
    _classes[kind] = found
    return found


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


# -- independent copies ----------------------------------------------------------------------------

#: Per-call fields of a response (``_hidden_params``, ``_response_headers``): a copy starts with empty ones.
CALL_FIELDS = frozenset({"_hidden_params", "_response_headers"})
_LEAVES = frozenset({str, int, float, bool, type(None), bytes})
_UNSEEN: Any = object()
# class -> the per-call fields to start empty (name, factory), or None for a class copied by deepcopy.
_copy_plans: Dict[type, Optional[Tuple[Tuple[str, Callable[[], Any]], ...]]] = {}


def _copy_plan(cls: type) -> Optional[Tuple[Tuple[str, Callable[[], Any]], ...]]:
    plan: Optional[Tuple[Tuple[str, Callable[[], Any]], ...]] = None
    if is_dataclass(cls) and cls.__dictoffset__ != 0:  # instances with a __dict__
        plan = tuple(
            (f.name, f.default_factory) for f in fields(cls)
            if f.name in CALL_FIELDS and f.default_factory is not MISSING
        )
    _copy_plans[cls] = plan
    return plan


def detach(value: Any) -> Any:
    """An independent copy of ``value``: records (dataclasses), lists and dicts copied all the way
    down, immutable leaves shared; a record's :data:`CALL_FIELDS` start empty. Anything else is
    ``copy.deepcopy``-ed. Much cheaper than a ``to_dict()`` / rebuild round trip."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list:  # a vector of floats, a list of strings: copied in one step
        return list(value) if _LEAVES.issuperset(map(type, value)) else [detach(item) for item in value]
    if kind is dict:
        return dict(value) if _LEAVES.issuperset(map(type, value.values())) else {key: detach(item) for key, item in value.items()}
    plan = _copy_plans.get(kind, _UNSEEN)
    if plan is _UNSEEN:
        plan = _copy_plan(kind)
    if plan is None:
        if kind is tuple:
            return value if _LEAVES.issuperset(map(type, value)) else tuple(detach(item) for item in value)
        import copy

        return copy.deepcopy(value)
    copied = object.__new__(kind)
    state = value.__dict__.copy()
    for name, item in state.items():  # replacing values (never keys) while iterating is safe
        if type(item) not in _LEAVES and name not in CALL_FIELDS:
            state[name] = detach(item)
    for name, factory in plan:
        state[name] = factory()
    copied.__dict__.update(state)
    return copied
