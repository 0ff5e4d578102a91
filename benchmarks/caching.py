#!/usr/bin/env python3
"""What caching costs per call, against a floor measured in the same run.

The floor is ``json.dumps`` of the request body, which every call pays anyway to build its wire
request. Rows:

- key: :func:`litellm_lite.cache_key.cache_key` for a typical chat request (3 messages, a tool,
  temperature, max_tokens, an api_key and metadata that must be left out);
- lookup, no cache set: :func:`litellm_lite.caching.before_call` with ``litellm_lite.cache = None``
  (the cost every call pays once the orchestrator is wired);
- lookup miss / store / hit with ``Cache(type="local")``; hit includes rebuilding the ModelResponse;
- the same hit from ``Cache(type="disk")``.

Nothing is asserted. Usage: python benchmarks/caching.py [--n N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import litellm_lite as litellm  # noqa: E402
from litellm_lite.cache_key import cache_key  # noqa: E402
from litellm_lite.caching import Cache, before_call  # noqa: E402
from litellm_lite.types import Choices, Message, ModelResponse, Usage  # noqa: E402

REQUEST: Dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [
        {"role": "system", "content": "You are a concise assistant. " * 10},
        {"role": "user", "content": "Summarise the following paragraph in one sentence. " + "lorem ipsum dolor sit amet " * 40},
        {"role": "assistant", "content": "Sure: here is a short summary of the paragraph you gave me."},
    ],
    "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
    "temperature": 0.2,
    "max_tokens": 256,
    "api_key": "sk-bench-0123456789",
    "metadata": {"run": 1},
    "timeout": 30,
}
RESPONSE = ModelResponse(
    model="gpt-4o-mini",
    choices=[Choices(message=Message(content="A short summary. " * 10), finish_reason="stop")],
    usage=Usage(prompt_tokens=420, completion_tokens=40),
)


def best(fn: Callable[[], Any], n: int, rounds: int = 5) -> float:
    """Best-of-rounds mean seconds per call."""
    times: List[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - start) / n)
    return min(times)


def lookup() -> Any:
    return before_call("completion", REQUEST, provider="openai", model="gpt-4o-mini", api_base="https://api.openai.com/v1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    body = {k: v for k, v in REQUEST.items() if k not in ("api_key", "metadata", "timeout")}
    floor = best(lambda: json.dumps(body).encode(), n)
    rows: List[Tuple[str, float]] = [("key (sha256 of canonical JSON)", best(lambda: cache_key("completion", REQUEST, provider="openai", model="gpt-4o-mini", api_base="https://api.openai.com/v1"), n))]
    litellm.cache = None
    rows.append(("lookup, no cache set", best(lookup, n)))
    litellm.cache = Cache(type="local", max_size=10)
    litellm.cache.clear()
    rows.append(("lookup miss (local)", best(lambda: (litellm.cache.clear(), lookup()), n)))
    rows.append(("store (local)", best(lambda: lookup().store(RESPONSE), n)))
    rows.append(("lookup hit + rebuild (local)", best(lambda: lookup().response(), n)))
    with tempfile.TemporaryDirectory() as directory:
        litellm.cache = Cache(type="disk", disk_cache_dir=directory)
        lookup().store(RESPONSE)
        rows.append(("lookup hit + rebuild (disk)", best(lambda: lookup().response(), max(50, n // 10))))
    litellm.cache = None
    print("%-34s %12s %8s" % ("step", "us/call", "x floor"))
    print("%-34s %12.2f %8.2f" % ("floor: json.dumps(request body)", floor * 1e6, 1.0))
    for name, seconds in rows:
        print("%-34s %12.2f %8.2f" % (name, seconds * 1e6, seconds / floor))


if __name__ == "__main__":
    main()
