#!/usr/bin/env python3
"""What do the per-call guards cost? Each figure is set against a floor measured in the same run.

- ``ensure_json_safe`` on a typical 10-message request (text, one image part, some non-ASCII)
  vs ``json.dumps`` of the same request (which every call does anyway);
- ``redact`` of a 300-character error message with 512 registered secrets (the registry's
  bound, as after thousands of keys seen) vs with none;
- the registry's size after 10,000 distinct keys were registered (bounded: flat).

Not a test: nothing is asserted. Runs in a few seconds.

Usage: python benchmarks/guards.py
"""

from __future__ import annotations

import json
import sys
import timeit
from pathlib import Path
from typing import Any, Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litellm_lite import exceptions  # noqa: E402
from litellm_lite._jsonsafe import ensure_json_safe  # noqa: E402
from litellm_lite.exceptions import redact, register_secret  # noqa: E402


def typical_request() -> List[Dict[str, Any]]:
    messages: List[Dict[str, Any]] = [{"role": "system", "content": "You are a helpful, terse assistant."}]
    for n in range(8):
        role = "user" if n % 2 == 0 else "assistant"
        messages.append({"role": role, "content": "Message %d about the caf\u00e9 menu and its prices today." % n})
    messages.append({"role": "user", "content": [
        {"type": "text", "text": "What is in this picture?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 200, "detail": "low"}},
    ]})
    return messages


def best(fn: Callable[[], Any], number: int) -> float:
    """Best of 5 runs, microseconds per call."""
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main() -> None:
    messages = typical_request()
    rows = []
    guard = best(lambda: ensure_json_safe(messages, "messages"), 5000)
    floor = best(lambda: json.dumps({"model": "gpt-4o", "messages": messages}), 5000)
    rows.append(("ensure_json_safe, 10 messages", "%.1f us" % guard, "%.1f us (json.dumps)" % floor,
                 "%.2fx" % (guard / floor)))

    text = ("upstream said: invalid request for model gpt-4o, request id req_123, please check your "
            "parameters and try again later. " * 3)[:300]
    exceptions._registered_secrets.clear()
    exceptions._shortest[0] = 0
    empty = best(lambda: redact(text), 2000)
    for n in range(10000):
        register_secret("sk-bench-%08d-secret-value" % n)
    full = best(lambda: redact(text), 2000)
    rows.append(("redact, 300 chars, 512 secrets", "%.1f us" % full, "%.1f us (no secrets)" % empty,
                 "%.2fx" % (full / empty)))
    rows.append(("registry after 10,000 keys", "%d entries" % len(exceptions._registered_secrets),
                 "-", "bounded (MAX_REGISTERED_SECRETS=%d)" % exceptions.MAX_REGISTERED_SECRETS))

    widths = [max(len(str(r[i])) for r in rows + [("measure", "litellm_lite", "floor", "ratio")]) for i in range(4)]
    line = "  ".join("=" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(("measure", "litellm_lite", "floor", "ratio"), widths)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    print(line)


if __name__ == "__main__":
    main()
