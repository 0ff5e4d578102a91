"""``python -m build`` gives a wheel and an sdist holding the price JSON and py.typed; twine check passes.

Skipped when ``build`` (or a setuptools that can build wheels) is not installed. The build runs
without isolation (``--no-isolation``) on a copy of the project, so it needs no network and leaves
no ``build/`` or ``*.egg-info`` in the checkout.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Iterator, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _can_build() -> bool:
    if importlib.util.find_spec("build") is None or importlib.util.find_spec("setuptools") is None:
        return False
    if importlib.util.find_spec("wheel") is not None:
        return True
    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)  # bdist_wheel moved into setuptools


pytestmark = [pytest.mark.slow, pytest.mark.skipif(not _can_build(), reason="`build` (and setuptools with bdist_wheel) is not installed")]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Path, Path]]:
    src = tmp_path_factory.mktemp("src")
    for name in ("setup.cfg", "setup.py", "README.rst", "MANIFEST.in", "ruff.toml"):
        if (ROOT / name).exists():
            shutil.copy2(str(ROOT / name), str(src / name))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for name in ("litellm_lite", "tests", "benchmarks", "tools"):
        if (ROOT / name).is_dir():
            shutil.copytree(str(ROOT / name), str(src / name), ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout.decode()[-4000:]
    wheels = list(out.glob("*.whl"))
    sdists = list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    yield wheels[0], sdists[0]


def test_wheel_contents(dists: Tuple[Path, Path]) -> None:
    import litellm_lite

    wheel, _ = dists
    assert "-%s-" % litellm_lite.__version__ in wheel.name
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(str(wheel)) as zf:
        names = set(zf.namelist())
        assert "litellm_lite/model_prices_and_context_window.json" in names
        assert "litellm_lite/py.typed" in names
        assert "litellm_lite/providers/__init__.py" in names
        assert not any(n.startswith("tests/") for n in names)
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(meta).decode()
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
        data = zf.read("litellm_lite/model_prices_and_context_window.json")
    assert "Requires-Python: >=3.8" in metadata
    assert "Version: %s" % litellm_lite.__version__ in metadata
    assert "Requires-Dist" not in metadata.split("Provides-Extra")[0]  # no runtime dependency
    assert "litellm-lite = litellm_lite.cli:main" in entry_points
    assert data == (ROOT / "litellm_lite" / "model_prices_and_context_window.json").read_bytes()


def test_sdist_contents(dists: Tuple[Path, Path]) -> None:
    _, sdist = dists
    with tarfile.open(str(sdist)) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for needed in ("litellm_lite/model_prices_and_context_window.json", "litellm_lite/py.typed", "README.rst",
                   "setup.cfg", "setup.py", "tests/api/test_cli.py", "benchmarks/overhead.py"):
        assert needed in names, needed
    assert not any("__pycache__" in n for n in names)


def test_twine_check(dists: Tuple[Path, Path]) -> None:
    if importlib.util.find_spec("twine") is None:
        pytest.skip("twine is not installed")
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists[0]), str(dists[1])],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout.decode()
    assert proc.stdout.decode().count("PASSED") == 2
