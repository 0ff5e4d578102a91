"""Refuse request values that cannot travel as JSON, before anything is sent.

Minimal version written by the "road" helper (the "transport" helper owns this module; the two
versions are merged with the same signature).
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional

from .exceptions import BadRequestError

__all__ = ["ensure_json_safe", "MAX_DEPTH"]

MAX_DEPTH = 100


def ensure_json_safe(value: Any, what: str, provider: str = "", model: str = "") -> None:
    """Raise BadRequestError when ``value`` holds NaN/Infinity, a lone surrogate, a non-JSON value
    (bytes, sets, arbitrary objects), a non-str dict key, or nesting deeper than :data:`MAX_DEPTH`."""
    if value is None or (type(value) in (dict, list) and not value):
        return
    problem = _problem(value, 0)
    if problem is not None:
        raise BadRequestError("%s %s" % (what, problem), provider, model)


def _dict_problem(item: Dict[Any, Any], depth: int) -> Optional[str]:
    for key, sub in item.items():
        if type(key) is not str:
            return "has a non-string key %r" % (key,)
        found = _problem(key, depth + 1) or _problem(sub, depth + 1)
        if found is not None:
            return found
    return None


def _problem(item: Any, depth: int) -> Optional[str]:
    """What makes ``item`` unfit for JSON, or None (recursive; depth-limited)."""
    kind = type(item)
    if kind is str:
        if item.isascii():
            return None
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a lone surrogate (not valid Unicode text)"
        return None
    if item is None or kind is bool or kind is int:
        return None
    if depth > MAX_DEPTH:
        return "is nested more than %d levels deep" % MAX_DEPTH
    if kind is dict or isinstance(item, dict):
        return _dict_problem(item, depth)
    if kind is list or isinstance(item, (list, tuple)):
        for sub in item:
            found = _problem(sub, depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(item, float):
        return None if math.isfinite(item) else "holds %r, which JSON cannot carry" % (item,)
    if isinstance(item, (int, str)):  # subclasses (IntEnum, str enums) serialise as their value
        return None if isinstance(item, int) else _problem(str(item), depth)
    return "holds a %s, which is not a JSON value" % type(item).__name__
