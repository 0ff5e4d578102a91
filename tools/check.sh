#!/usr/bin/env bash
# Static checks: Python 3.8+ syntax (vermin), types (mypy --strict), lint (ruff).
# Install the tools with: python -m pip install -e ".[dev]"   (or: pip install mypy ruff vermin)
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
run python -m ruff check litellm_lite
exit $status
