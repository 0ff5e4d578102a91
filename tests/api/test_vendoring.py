"""Portability: the package works renamed (vendored), from a zip file, and imports almost nothing.

Every check runs in a fresh interpreter started with ``-I -S`` (no site-packages, no user paths),
so only the copy under test can be imported.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import List

import pytest

pytestmark = pytest.mark.slow  # copies of the package run in subprocesses: the quick lane skips them


ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "litellm_lite"


def _python(code: str, path: List[str], cwd: Path) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and "PROXY" not in k.upper()}
    env.pop("PYTHONPATH", None)
    env.pop("LITELLM_LITE_MODEL_COST_MAP", None)
    prelude = "import sys\nsys.path[:0] = %r\n" % (path,)
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", prelude + code],
        cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
    )


def _check(proc: subprocess.CompletedProcess) -> str:  # type: ignore[type-arg]
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def _copy_package(dest: Path) -> None:
    shutil.copytree(str(PACKAGE), str(dest), ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


_CALL = """
import {name} as llm
from {name}.testing import FakeProvider
with FakeProvider() as fake:
    fake.add_reply("vendored reply")
    r = llm.completion(messages=[{{"role": "user", "content": "hi"}}], **fake.kwargs())
    print(r.choices[0].message.content)
    chunks = list(llm.completion(messages=[{{"role": "user", "content": "stream me"}}], stream=True, **fake.kwargs()))
    print("".join(c.choices[0].delta.content or "" for c in chunks if c.choices))
print(llm.get_model_info("gpt-4o")["litellm_provider"])
print(round(sum(llm.cost_per_token("gpt-4o", prompt_tokens=1000000, completion_tokens=0)), 6) > 0)
print(llm.__file__)
print(sorted(m for m in sys.modules if m == "litellm_lite" or m.startswith("litellm_lite.")))
"""


def test_no_absolute_self_imports() -> None:
    """Every import of the package's own modules is relative (needed for vendoring)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: List[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name == "litellm_lite" or name.startswith("litellm_lite."):
                    offenders.append("%s:%d %s" % (path.relative_to(ROOT), node.lineno, name))
        text = path.read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), 1):
            if "import_module(\"litellm_lite" in line or "import_module('litellm_lite" in line:
                offenders.append("%s:%d %s" % (path.relative_to(ROOT), lineno, line.strip()))
    assert offenders == []


def test_vendored_under_another_name(tmp_path: Path) -> None:
    _copy_package(tmp_path / "vendored_llm")
    out = _check(_python(_CALL.format(name="vendored_llm"), [str(tmp_path)], tmp_path)).splitlines()
    assert out[0] == "vendored reply"
    assert out[1] == "stream me"
    assert out[2] == "openai"
    assert out[3] == "True"
    assert out[4].startswith(str(tmp_path / "vendored_llm"))
    assert out[5] == "[]"  # the original package name was never imported


def test_vendored_cli(tmp_path: Path) -> None:
    _copy_package(tmp_path / "vendored_llm")
    code = "import runpy\nsys.argv = ['x', 'chat', '--fake', 'Hello vendored']\nrunpy.run_module('vendored_llm', run_name='__main__')"
    proc = _python(code, [str(tmp_path)], tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "You said: Hello vendored" in proc.stdout.decode()


def test_runs_from_a_zip_file(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(str(archive), "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                zf.write(str(path), str(path.relative_to(ROOT)))
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = _check(_python(_CALL.format(name="litellm_lite"), [str(archive)], work)).splitlines()
    assert out[0] == "vendored reply"
    assert out[1] == "stream me"
    assert out[2] == "openai"  # the pricing JSON was read from inside the zip
    assert out[3] == "True"
    assert out[4].startswith(str(archive) + os.sep)


def test_import_loads_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import litellm_lite\n"
        "heavy = ['urllib.request', 'http.client', 'ssl', 'argparse', 'socket', 'email', 'http.server']\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "store = sys.modules.get('litellm_lite._model_store')\n"
        "print(bool(store and store.is_ready()))\n"
        "print(sorted(m for m in sys.modules if m.startswith('litellm_lite.')))\n"
    )
    out = _check(_python(code, [str(ROOT)], tmp_path)).splitlines()
    assert out[0] == "[]"
    assert out[1] == "False"  # the pricing JSON is not read at import
    assert out[2] == "[]"  # submodules load on first use


def test_version_has_one_source() -> None:
    import litellm_lite

    setup_cfg = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "version = attr: litellm_lite.__version__" in setup_cfg
    parts = litellm_lite.__version__.split(".")
    assert len(parts) >= 2 and all(p.isdigit() for p in parts[:2])
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert "version" not in setup_py
