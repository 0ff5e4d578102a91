#!/usr/bin/env python3
"""Rewrite the generated parts of ``litellm_lite/__init__.py`` from its lazy tables.

The lazy tables (``_LAZY`` and the ``_register_optional`` calls) are the one list of public names.
This script regenerates, from them, the ``if TYPE_CHECKING:`` imports (what a user's type checker
sees) and the literal ``__all__``; ``tests/api/test_init.py`` fails when either is out of date.

Usage: python tools/sync_init.py [--check]
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
INIT = ROOT / "litellm_lite" / "__init__.py"
BLOCK_START = "if TYPE_CHECKING:  # pragma: no cover - what a type checker sees; at run time the names load lazily\n"


def _tables() -> Dict[str, Tuple[str, str]]:
    sys.path.insert(0, str(ROOT))
    for name in [m for m in sys.modules if m == "litellm_lite" or m.startswith("litellm_lite.")]:
        del sys.modules[name]
    package = importlib.import_module("litellm_lite")
    return {**package._LAZY, **package._OPTIONAL}


def _block(tables: Dict[str, Tuple[str, str]]) -> str:
    by_module: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
    for name, (module, attr) in tables.items():
        by_module[module].append((attr, name))
    lines = [BLOCK_START]
    for module in sorted(by_module):
        lines.append("    from .%s import (\n" % module)
        for attr, name in sorted(by_module[module], key=lambda pair: pair[1]):
            lines.append("        %s as %s,\n" % (attr, name))
        lines.append("    )\n")
    return "".join(lines)


def _all(tables: Dict[str, Tuple[str, str]]) -> str:
    names = sorted(set(tables) | {"__version__"})
    return "__all__ = [\n" + "".join('    "%s",\n' % n for n in names) + "]\n"


def render(text: str, tables: Dict[str, Tuple[str, str]]) -> str:
    start = text.index(BLOCK_START)
    end = start + len(BLOCK_START)
    while end < len(text) and text.startswith("    ", end):  # the block: its indented lines
        end = text.index("\n", end) + 1
    text = text[:start] + _block(tables) + text[end:]
    return re.sub(r"__all__ = \[\n(?:    \"[^\"]+\",\n)*\]\n", lambda _: _all(tables), text, count=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date; write nothing")
    args = parser.parse_args()
    text = INIT.read_text(encoding="utf-8")
    new = render(text, _tables())
    if args.check:
        return 0 if new == text else 1
    INIT.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
