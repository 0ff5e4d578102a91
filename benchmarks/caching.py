#!/usr/bin/env python3
"""What caching costs per call, against a floor measured in the same run.

The floor is ``json.dumps`` of the request body, which every call pays anyway to build its wire
request. Rows:

- key: :func:`litellm_lite.cache_key.cache_key` for a typical chat request (3 messages, a tool,
  temperature, max_tokens, an api_key and metadata that must be left out);
- lookup, no cache set: :func:`litellm_lite.caching.before_call` with ``litellm_lite.cache = None``
  (the cost every call pays once the orchestrator is wired);
- lookup miss / store / hit with ``Cache(type="local")``; hit includes rebuilding the ModelResponse;
- the same hit from ``Cache(type="disk")``;
- the road's hooks (``call_guard.pre_send`` + ``post_finish``) on one planned call: with no cache
  and no budget (what every call pays: spend is counted), and a cache miss (key, lookup, budget
  check, store): "beyond key" is what a miss adds on top of hashing the request;
- end to end: ``completion()`` against FakeProvider (loopback HTTP), a new prompt per call, with
  no cache vs a local cache (every call a miss), interleaved rounds.

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
from litellm_lite import _call, call_guard  # noqa: E402
from litellm_lite.caching import Cache, before_call  # noqa: E402
from litellm_lite.testing import FakeProvider  # noqa: E402
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


def hook_rows(n: int, key_cost: float) -> List[Tuple[str, float]]:
    """pre_send + post_finish on one planned call, without and with a cache (every call a miss)."""
    kwargs = {k: v for k, v in REQUEST.items() if k not in ("model", "messages")}
    kwargs["api_base"] = "https://api.openai.com/v1"
    plan = _call.plan("chat", "openai/gpt-4o-mini", dict(kwargs), inputs=REQUEST["messages"])
    result = ModelResponse(model="gpt-4o-mini", choices=RESPONSE.choices, usage=RESPONSE.usage)
    result._hidden_params["response_cost"] = 1e-5

    def hooks() -> None:
        plan.state.clear()
        call_guard.pre_send(plan)
        call_guard.post_finish(plan, result)

    litellm.cache = None
    off = best(hooks, n)
    litellm.cache = Cache(type="local", max_size=10)
    cache = litellm.cache

    def miss() -> None:
        cache.clear()
        hooks()

    missed = best(miss, n)
    litellm.cache = None
    return [("hooks, no cache (every call)", off), ("hooks, cache miss + store", missed), ("  miss beyond key + no-cache hooks", max(0.0, missed - off - key_cost))]


def end_to_end(calls: int) -> Tuple[float, float]:
    """Mean seconds per completion() with no cache and with a local cache (all misses)."""
    off: List[float] = []
    on: List[float] = []
    with FakeProvider(model="gpt-4o-mini") as fake:
        kwargs = fake.kwargs()
        counter = [0]

        def one() -> None:
            counter[0] += 1
            litellm.completion(messages=[{"role": "user", "content": "question %d" % counter[0]}], **kwargs)

        for _ in range(20):
            one()  # warm the connection pool and imports
        for _ in range(5):
            litellm.cache = None
            off.append(best(one, calls, rounds=1))
            litellm.cache = Cache(type="local")
            on.append(best(one, calls, rounds=1))
        litellm.cache = None
    return min(off), min(on)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=200, help="completion() calls per end-to-end round")
    args = parser.parse_args()
    n = args.n
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
    rows += hook_rows(n, rows[0][1])
    print("%-36s %12s %8s" % ("step", "us/call", "x floor"))
    print("%-36s %12.2f %8.2f" % ("floor: json.dumps(request body)", floor * 1e6, 1.0))
    for name, seconds in rows:
        print("%-36s %12.2f %8.2f" % (name, seconds * 1e6, seconds / floor))
    off, on = end_to_end(args.calls)
    print()
    print("%-36s %12s %8s" % ("completion() via loopback HTTP", "us/call", "x floor"))
    print("%-36s %12.1f %8.3f" % ("floor: no cache", off * 1e6, 1.0))
    print("%-36s %12.1f %8.3f" % ("local cache, every call a miss", on * 1e6, on / off))


if __name__ == "__main__":
    main()
