#!/usr/bin/env python3
"""Print README.rst's API reference: every name of ``litellm_lite.__all__`` with its signature and
the first sentence of its docstring, as an RST list-table.

Usage: python tools/api_reference.py            (paste between the ``.. api-reference-start`` and
``.. api-reference-end`` markers of README.rst; tests/api/test_readme.py checks they match)
       python tools/api_reference.py --write    (rewrite that part of README.rst in place)
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
from pathlib import Path
from typing import Any, List, Mapping, Tuple

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.rst"
START = ".. api-reference-start\n"
END = ".. api-reference-end"
_MAX_PARAMS = 7  # a longer signature shows its first parameters, then ", ..."
_SHORT_DEFAULT = 12


def _package() -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import litellm_lite

    return litellm_lite


def _param(p: inspect.Parameter) -> str:
    if p.kind is p.VAR_POSITIONAL:
        return "*" + p.name
    if p.kind is p.VAR_KEYWORD:
        return "**" + p.name
    if p.default is p.empty:
        return p.name
    shown = repr(p.default)
    return "%s=%s" % (p.name, shown if len(shown) <= _SHORT_DEFAULT else "...")


def signature(name: str, obj: Any) -> str:
    """``name(a, b=1, *, c=None, ...)``; an enum's members; the value's type for data."""
    if not callable(obj):
        return "%s: %s" % (name, "dict" if isinstance(obj, Mapping) else type(obj).__name__)
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        members = [m.name for m in obj]
        shown = members[:4] + (["..."] if len(members) > 4 else [])
        return "%s.{%s}" % (name, ", ".join(shown))
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return name + "(...)"
    parts: List[str] = []
    star = False
    for p in sig.parameters.values():
        if p.name.startswith("_"):
            continue
        if p.kind is p.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        if p.kind is p.VAR_POSITIONAL:
            star = True
        parts.append(_param(p))
    if len(parts) > _MAX_PARAMS:
        tail = parts[-1] if parts[-1].startswith("**") else None
        parts = parts[:_MAX_PARAMS] + ["..."] + ([tail] if tail else [])
    return "%s(%s)" % (name, ", ".join(parts))


# Values that are data, not code: what they hold.
_DATA = {
    "model_cost": "The model registry as LiteLLM's ``model_cost`` dict (a live, read-only view).",
    "provider_list": "Every provider row (``ProviderSpec``) by prefix, including registered ones.",
}


def _own_doc(obj: Any) -> str:
    """The object's own docstring: a class's, not its parent's nor the one dataclass writes."""
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__") or ""
        if doc.startswith(obj.__name__ + "("):  # made by @dataclass
            return ""
        if not doc and issubclass(obj, BaseException) and isinstance(getattr(obj, "default_status", None), int):
            return "Raised for an HTTP %d answer (``Cls(message, llm_provider, model)``)." % obj.default_status
        return inspect.cleandoc(doc)
    return inspect.getdoc(obj) or ""


def summary(name: str, obj: Any) -> str:
    """The first sentence of the object's docstring, on one line."""
    if not callable(obj):
        return _DATA.get(name, "")
    first = " ".join(_own_doc(obj).split("\n\n")[0].split())
    if first.endswith("::"):
        first = first[:-1]
    m = re.match(r"(.+?[.:;])(\s|$)", first)
    return m.group(1).rstrip(":;") if m and len(first) > 160 else first


def _kind(obj: Any) -> Tuple[int, str]:
    if inspect.isclass(obj):
        return (2, "exception") if issubclass(obj, BaseException) else (1, "class")
    if callable(obj):
        return 0, "function"
    return 3, "data"


def rows() -> List[Tuple[str, str, str]]:
    """(kind, signature, one line) for every public name, functions first, then classes, exceptions, data."""
    pkg = _package()
    out = []
    for name in pkg.__all__:
        if name.startswith("_"):
            continue
        obj = getattr(pkg, name)
        order, kind = _kind(obj)
        what = summary(name, obj)
        target = getattr(obj, "__name__", name)
        if callable(obj) and target != name:
            what = "LiteLLM's name for ``%s``. %s" % (target, what)
        out.append((order, name, kind, signature(name, obj), what))
    out.sort(key=lambda r: (r[0], r[1].lower()))
    return [(kind, sig, what) for _, _, kind, sig, what in out]


def _cell(text: str) -> str:
    """Plain reST: Sphinx roles (``:func:`x```) become literals."""
    text = re.sub(r":[a-z]+:`~?\.?([^`]+)`", lambda m: "``%s``" % m.group(1).split(".")[-1], text)
    return text.replace("\\", "\\\\")


def table() -> str:
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 10 45 45",
        "",
        "   * - kind",
        "     - signature",
        "     - what it does",
    ]
    for kind, sig, what in rows():
        lines.append("   * - %s" % kind)
        lines.append("     - ``%s``" % sig)
        lines.append("     - %s" % (_cell(what) or "-"))
    return "\n".join(lines) + "\n"


def write() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index(START) + len(START)
    end = text.index(END)
    README.write_text(text[:start] + "\n" + table() + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.stdout.write(table())
