"""README.rst is the manual and CONTRIBUTING.rst the contributor's guide: every Python example in
them runs, README's tables match the code, and the test command is the one .ci/run runs."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.rst"
CONTRIBUTING = ROOT / "CONTRIBUTING.rst"


def _blocks(path: Path = README) -> List[Tuple[int, str, bool]]:
    """(line number, code, skipped) for every ``.. code-block:: python`` in ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
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
CONTRIBUTING_BLOCKS = _blocks(CONTRIBUTING)


def test_readme_has_examples_and_few_skips() -> None:
    assert len(RUNNABLE) >= 10
    skipped = [line for line, _, s in BLOCKS if s]
    assert len(skipped) <= 3, "examples that need a real key should stay few: lines %s" % skipped


def _run_example(where: str, code: str) -> None:
    # Module settings, callbacks and registered models are put back by conftest's autouse fixture.
    namespace: Dict[str, Any] = {"__name__": "readme_example_" + re.sub(r"\W", "_", where)}
    exec(compile(code, where, "exec"), namespace)


@pytest.mark.parametrize("line,code", RUNNABLE, ids=["line%d" % line for line, _ in RUNNABLE])
def test_readme_example_runs(line: int, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run_example("README.rst:%d" % line, code)


@pytest.mark.parametrize(
    "line,code", [(line, code) for line, code, _ in CONTRIBUTING_BLOCKS], ids=["line%d" % b[0] for b in CONTRIBUTING_BLOCKS]
)
def test_contributing_example_runs(line: int, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run_example("CONTRIBUTING.rst:%d" % line, code)


def test_contributing_has_examples_and_no_skips() -> None:
    assert CONTRIBUTING_BLOCKS, "CONTRIBUTING.rst lost its examples"
    assert not [line for line, _, skipped in CONTRIBUTING_BLOCKS if skipped]


def test_skipped_examples_still_compile() -> None:
    for line, code, skipped in BLOCKS:
        if skipped:
            compile(code, "README.rst:%d" % line, "exec")


def _ci_test_command() -> str:
    ci_lines = [c.strip() for c in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if c.strip()]
    assert 'python -m pip install -q -e ".[test]"' in ci_lines
    assert ci_lines[-1].startswith("python -m pytest")
    return ci_lines[-1]


def test_install_comes_first_and_the_test_command_matches_ci() -> None:
    text = README.read_text(encoding="utf-8")
    first_literal = text.index("::\n")
    assert text.index("\nInstall\n-------\n") < first_literal
    head = text[first_literal:first_literal + 300]
    assert "pip install .\n" in head
    assert 'python -m litellm_lite chat --fake "Hello"' in head
    assert 'pip install -e ".[test]"' in text
    # Every pytest command README gives is the one CI runs.
    assert re.findall(r"^\s+(python -m pytest[^\n]*)$", text, re.M) == [_ci_test_command()]


def test_contributing_gives_the_two_commands_and_the_quick_lane() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    commands = re.findall(r"^\s+(python -m pytest[^\n]*)$", text, re.M)
    assert commands[0] == _ci_test_command()
    assert 'python -m pytest -m "not slow" tests' in commands
    assert 'python -m litellm_lite chat --fake "Hello"' in text and 'pip install -e ".[test]"' in text


def test_api_reference_matches_the_package() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import api_reference
    finally:
        sys.path.pop(0)
    text = README.read_text(encoding="utf-8")
    start = text.index(api_reference.START) + len(api_reference.START)
    end = text.index(api_reference.END)
    assert text[start:end].strip() == api_reference.table().strip(), (
        "README.rst's API reference is stale: run `python tools/api_reference.py --write`"
    )
    import litellm_lite

    for name in litellm_lite.__all__:
        if not name.startswith("_"):
            assert "``%s" % name in text[start:end], name
    rows = api_reference.rows()
    missing = [sig for _, sig, what in rows if not what]
    assert not missing, "public names without a docstring: %s" % missing


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
    assert "python benchmarks/overhead.py" in CONTRIBUTING.read_text(encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    assert "python benchmarks/overhead.py" in text and "python benchmarks/cold_start.py" in text
    table = text[text.index(".. benchmark-table-start"):text.index(".. benchmark-table-end")]
    for measure in ("per call", "stream 2000 chunks", "import litellm_lite", "new connections per 1000 calls",
                    "one-call script"):
        assert measure in table
    assert (ROOT / "benchmarks" / "overhead.py").is_file()


@pytest.mark.parametrize("path", [README, CONTRIBUTING], ids=["README", "CONTRIBUTING"])
def test_readme_is_valid_restructuredtext(path: Path) -> None:
    docutils_core = pytest.importorskip("docutils.core")
    import io

    errors = io.StringIO()
    docutils_core.publish_doctree(
        path.read_text(encoding="utf-8"),
        settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": errors, "syntax_highlight": "none"},
    )
    assert errors.getvalue() == ""
