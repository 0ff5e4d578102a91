#!/usr/bin/env python3
"""Size and complexity gate (run by tools/check.sh): every module under litellm_lite/ at most
650 lines, every function and method at most cyclomatic complexity 20 (as radon counts it).

Prints every offender, one a line (``path: N lines`` or ``path:line name: complexity N``), then
exits 1 when there is any, 0 when there is none. Needs radon (``pip install -e ".[dev]"``).

    python tools/size_gate.py [--max-lines 650] [--max-complexity 20] [DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterator, List, Tuple

ROOT = Path(__file__).resolve().parents[1]


def _functions(blocks: List[object]) -> Iterator[Tuple[int, str, int]]:
    """(line, qualified name, complexity) of every function, method and closure (radon lists a
    method both on its own and under its class: the caller keeps each once)."""
    from radon.visitors import Class, Function

    for block in blocks:
        if isinstance(block, Function):
            name = "%s.%s" % (block.classname, block.name) if block.classname else block.name
            yield block.lineno, name, block.complexity
            yield from _functions(list(block.closures))
        elif isinstance(block, Class):
            yield from _functions(list(block.methods) + list(block.inner_classes))


def offenders(package: Path, max_lines: int, max_complexity: int) -> List[str]:
    """One line per module over ``max_lines`` and per function over ``max_complexity``."""
    from radon.complexity import cc_visit

    found: List[str] = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        shown = path.relative_to(package.parent)
        lines = len(text.splitlines())
        if lines > max_lines:
            found.append("%s: %d lines (limit %d)" % (shown, lines, max_lines))
        for lineno, name, complexity in sorted(set(_functions(cc_visit(text)))):
            if complexity > max_complexity:
                found.append("%s:%d %s: complexity %d (limit %d)" % (shown, lineno, name, complexity, max_complexity))
    return found


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", default=str(ROOT / "litellm_lite"))
    parser.add_argument("--max-lines", type=int, default=650)
    parser.add_argument("--max-complexity", type=int, default=20)
    args = parser.parse_args(argv)
    try:
        found = offenders(Path(args.package).resolve(), args.max_lines, args.max_complexity)
    except ImportError:
        print("size_gate: radon is not installed (pip install radon, or pip install -e '.[dev]')")
        return 2
    for line in found:
        print(line)
    if found:
        print("size_gate: %d offender(s)" % len(found))
        return 1
    print("size_gate: every module <= %d lines, every function <= complexity %d" % (args.max_lines, args.max_complexity))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
