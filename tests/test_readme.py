"""README.rst is the manual: every Python example in it runs, its tables match the code, and its
test command is the one .ci/run runs."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.rst"


def _blocks() -> List[Tuple[int, str, bool]]:
    """(line number, code, skipped) for every ``.. code-block:: python`` in README.rst."""
    lines = README.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() != ".. code-block:: python":
            continue
        skipped = i > 0 and lines[i - 1].strip() == ".. skip-test"
        body: List[str] = []
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith("   ")):
            body.append(lines[j])
            j += 1
        indent = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        code = "\n".join(b[indent:] for b in body).strip("\n") + "\n"
        found.append((i + 1, code, skipped))
    return found


BLOCKS = _blocks()
RUNNABLE = [(line, code) for line, code, skipped in BLOCKS if not skipped]


def test_readme_has_examples_and_few_skips() -> None:
    assert len(RUNNABLE) >= 10
    skipped = [line for line, _, s in BLOCKS if s]
    assert len(skipped) <= 3, "examples that need a real key should stay few: lines %s" % skipped


@pytest.mark.parametrize("line,code", RUNNABLE, ids=["line%d" % line for line, _ in RUNNABLE])
def test_readme_example_runs(line: int, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    import litellm_lite

    saved = {name: getattr(litellm_lite, name) for name in ("callbacks", "success_callback", "failure_callback")}
    namespace: Dict[str, Any] = {"__name__": "readme_example_line%d" % line}
    try:
        exec(compile(code, "README.rst:%d" % line, "exec"), namespace)
    finally:
        for name, value in saved.items():
            setattr(litellm_lite, name, value)
        from litellm_lite import registry

        registry._reset()  # forget models an example registered


def test_skipped_examples_still_compile() -> None:
    for line, code, skipped in BLOCKS:
        if skipped:
            compile(code, "README.rst:%d" % line, "exec")


def test_the_two_commands_come_first_and_match_ci() -> None:
    text = README.read_text(encoding="utf-8")
    first_literal = text.index("::\n")
    head = text[first_literal:first_literal + 600]
    assert "pip install .\n" in head
    assert 'python -m litellm_lite chat --fake "Hello"' in head
    assert 'pip install -e ".[test]"' in head
    ci_lines = [c.strip() for c in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if c.strip()]
    test_command = ci_lines[-1]
    assert test_command.startswith("python -m pytest")
    readme_commands = re.findall(r"^\s+(python -m pytest[^\n]*)$", head, re.M)
    assert readme_commands == [test_command]
    assert 'python -m pip install -q -e ".[test]"' in ci_lines


def test_provider_table_matches_the_code() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import provider_table
    finally:
        sys.path.pop(0)
    text = README.read_text(encoding="utf-8")
    start = text.index(".. provider-table-start\n") + len(".. provider-table-start\n")
    end = text.index(".. provider-table-end")
    assert text[start:end].strip() == provider_table.table().strip(), (
        "README.rst's provider table is stale: paste the output of `python tools/provider_table.py`"
    )


def test_registry_section_is_merged() -> None:
    text = README.read_text(encoding="utf-8")
    assert "Models, prices and cost" in text
    assert "LITELLM_LITE_MODEL_COST_MAP" in text and "tools/update_prices.py" in text


def test_benchmark_table_and_command() -> None:
    text = README.read_text(encoding="utf-8")
    assert "python benchmarks/overhead.py" in text
    table = text[text.index(".. benchmark-table-start"):text.index(".. benchmark-table-end")]
    for measure in ("per call", "stream 2000 chunks", "import litellm_lite", "new connections per 1000 calls"):
        assert measure in table
    assert (ROOT / "benchmarks" / "overhead.py").is_file()


def test_readme_is_valid_restructuredtext() -> None:
    docutils_core = pytest.importorskip("docutils.core")
    import io

    errors = io.StringIO()
    docutils_core.publish_doctree(
        README.read_text(encoding="utf-8"),
        settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": errors, "syntax_highlight": "none"},
    )
    assert errors.getvalue() == ""
