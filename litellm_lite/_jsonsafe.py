"""Check, before anything is sent, that a request value can be sent as strict JSON.

:func:`ensure_json_safe` walks ``messages`` or a parameter value once and raises
:class:`BadRequestError` naming the first offending place (``messages[0].content[1].text``) for:

* floats that are NaN or infinite (``json.dumps`` would write ``NaN``/``Infinity``, which is not
  JSON and which providers reject with an unhelpful 400);
* strings holding a lone surrogate (``"\\ud800"``: not encodable as UTF-8);
* values JSON has no form for: bytes, sets, Decimal, datetimes, arbitrary objects...;
  ``None``, ``bool``, ``int``, ``float``, ``str``, ``list``, ``tuple`` and ``dict`` (and their
  subclasses) are fine;
* dict keys that are not strings;
* nesting deeper than :data:`MAX_DEPTH` containers.

The common case (short ASCII strings, small dicts and lists) is checked with exact type tests
first, so a typical ten-message request costs a few microseconds.
"""

from __future__ import annotations

import math

from .exceptions import BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Sequence, Union

    _Path = List[Union[str, int]]

__all__ = ["ensure_json_safe", "MAX_DEPTH"]

#: Deepest nesting of lists/dicts accepted in one request value (a tool's JSON schema with
#: nested objects is rarely deeper than 20).
MAX_DEPTH = 100



def _where(what: str, path: _Path) -> str:
    out = [what]
    steps = path[::-1]
    if len(steps) > 12:  # absurd nesting: the first steps and the last one say enough
        steps = steps[:8] + ["..."] + steps[-1:]
    for step in steps:
        out.append("[%d]" % step if isinstance(step, int) else ".%s" % step)
    return "".join(out)


def _bad_str(value: str) -> Optional[str]:
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return "a lone surrogate (U+%04X at index %d) that cannot be encoded as UTF-8" % (
            ord(value[exc.start]),
            exc.start,
        )
    return None


def _bad_float(value: float) -> Optional[str]:
    return None if math.isfinite(value) else "%r, which is not valid JSON" % float(value)


def _problem(value: Any, depth: int, path: _Path) -> Optional[str]:
    """Why ``value`` is not JSON-safe (``path`` filled innermost first), or None."""
    kind = type(value)
    if kind is str:
        return _bad_str(value)
    if value is None or kind is bool or kind is int:
        return None
    if kind is float:
        return _bad_float(value)
    if isinstance(value, dict):
        return _dict_problem(value, depth, path)
    if isinstance(value, (list, tuple)):
        return _list_problem(value, depth, path)
    if isinstance(value, str):
        return _bad_str(value)
    if isinstance(value, float):
        return _bad_float(value)
    if isinstance(value, int):  # bool and int subclasses (IntEnum...)
        return None
    return "a value of type %s, which JSON cannot represent" % kind.__name__


def _dict_problem(value: Dict[Any, Any], depth: int, path: _Path) -> Optional[str]:
    if depth >= MAX_DEPTH:
        return "nesting deeper than %d levels" % MAX_DEPTH
    for key, item in value.items():
        if type(key) is not str and not isinstance(key, str):
            return "a dict key of type %s (JSON object keys must be strings)" % type(key).__name__
        if not key.isascii():
            why = _bad_str(key)
            if why is not None:
                path.append(key.encode("utf-8", "backslashreplace").decode("ascii"))
                return "a key with " + why
        if type(item) is str and item.isascii():
            continue
        why = _problem(item, depth + 1, path)
        if why is not None:
            path.append(key)
            return why
    return None


def _list_problem(value: Sequence[Any], depth: int, path: _Path) -> Optional[str]:
    if depth >= MAX_DEPTH:
        return "nesting deeper than %d levels" % MAX_DEPTH
    for index, item in enumerate(value):
        if type(item) is str and item.isascii():
            continue
        why = _problem(item, depth + 1, path)
        if why is not None:
            path.append(index)
            return why
    return None


def ensure_json_safe(value: Any, what: str, provider: str = "", model: str = "") -> None:
    """Raise BadRequestError if ``value`` cannot be sent as strict JSON (see the module doc).

    ``what`` names the value in the message (``"messages"``, ``"tools"``...); the path of the
    offending place is appended to it.
    """
    path: _Path = []
    try:
        why = _problem(value, 0, path)
    except RecursionError:  # a self-referencing list or dict on a tiny recursion limit
        why, path = "nesting deeper than Python's recursion limit", []
    if why is not None:
        raise BadRequestError("%s contains %s" % (_where(what, path), why), provider, model)
