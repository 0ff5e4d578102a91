"""Refuse request values that cannot travel as JSON, before anything is sent.

Minimal version written by the "road" helper (the "transport" helper owns this module; the two
versions are merged with the same signature).
"""

from __future__ import annotations

import math
from typing import Any

from .exceptions import BadRequestError

__all__ = ["ensure_json_safe", "MAX_DEPTH"]

MAX_DEPTH = 100


def ensure_json_safe(value: Any, what: str, provider: str = "", model: str = "") -> None:
    """Raise BadRequestError when ``value`` holds NaN/Infinity, a lone surrogate, a non-JSON value
    (bytes, sets, arbitrary objects), a non-str dict key, or nesting deeper than :data:`MAX_DEPTH`."""
    stack = [(value, what, 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadRequestError("%s is nested more than %d levels deep" % (what, MAX_DEPTH), provider, model)
        if item is None or isinstance(item, (bool, int)):
            continue
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequestError("%s holds a lone surrogate (not valid Unicode text)" % where, provider, model) from None
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise BadRequestError("%s holds %r, which JSON cannot carry" % (where, item), provider, model)
        elif isinstance(item, dict):
            for key, sub in item.items():
                if not isinstance(key, str):
                    raise BadRequestError("%s has a non-string key %r" % (where, key), provider, model)
                stack.append((key, where, depth + 1))
                stack.append((sub, "%s.%s" % (where, key), depth + 1))
        elif isinstance(item, (list, tuple)):
            for index, sub in enumerate(item):
                stack.append((sub, "%s[%d]" % (where, index), depth + 1))
        else:
            raise BadRequestError(
                "%s holds a %s, which is not a JSON value" % (where, type(item).__name__), provider, model
            )
