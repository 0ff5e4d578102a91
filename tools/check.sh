#!/usr/bin/env bash
# Static checks: Python 3.8+ syntax (vermin), types (mypy --strict), lint (ruff), and the size gate
# (tools/size_gate.py, radon: no module over 650 lines, no function over cyclomatic complexity 20).
# Install the tools with: python -m pip install -e ".[dev]"   (or: pip install mypy ruff vermin radon)
# Runs every check, then exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
run() {
    echo "+ $*"
    "$@" || status=1
}
run vermin -t=3.8- --no-tips --violations litellm_lite
run python -m mypy --strict litellm_lite
run python -m ruff check litellm_lite tests tools benchmarks
run python tools/size_gate.py litellm_lite
exit $status
