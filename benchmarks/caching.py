#!/usr/bin/env python3
"""What caching costs per call, against floors measured in the same run.

Part 1, the steps of a miss, each against ``json.dumps`` of the request body (a cost every call pays
to build its wire request):

- key: :func:`litellm_lite.cache_key.cache_key` for a typical chat request (3 messages, a tool,
  temperature, max_tokens, and an api_key, metadata and timeout that must be left out);
- lookup: :func:`litellm_lite.caching.before_call` with no cache set (what every call pays), and a
  miss in ``Cache(type="local")`` (key + the empty read);
- store: keeping the finished answer (``lookup.store``): local keeps a chat answer as the provider's
  body (what the road does), or a copy of a typed answer (a stream's); disk serialises it;
- hit: the stored answer handed back as a fresh object (parsed from the body, or copied), local and disk;
- the road's hooks (``call_guard.pre_send`` + ``post_finish``) on one planned call: no cache set vs a
  local cache where every call is a miss; "miss adds" is their difference.

Part 2, the miss ratio end to end: ``completion()`` against FakeProvider (loopback HTTP), a new
prompt per call, with no cache vs a local cache vs a disk cache (every call a miss), in interleaved
rounds, timed in CPU seconds of the process (client and server threads: what a miss adds is CPU
work, and CPU time is steadier than wall time on a shared machine). The ratio is on/off (best
rounds, and the median of the per-round ratios); its parts are the key and the store of part 2's
own request and answer, measured alone.

Nothing is asserted. Usage: python benchmarks/caching.py [--n N] [--calls N] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import litellm_lite as litellm  # noqa: E402
from litellm_lite import _call, call_guard  # noqa: E402
from litellm_lite.cache_key import cache_key  # noqa: E402
from litellm_lite.caching import Cache, before_call  # noqa: E402
from litellm_lite.providers.base import WireResponse  # noqa: E402
from litellm_lite.testing import FakeProvider  # noqa: E402
from litellm_lite.types import Choices, Message, ModelResponse, Usage  # noqa: E402

API_BASE = "https://api.openai.com/v1"
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
BODY = json.dumps(RESPONSE.to_dict()).encode()  # the provider's reply RESPONSE was parsed from
Row = Tuple[str, float, float]  # name, seconds per call, floor seconds


def best(fn: Callable[[], Any], n: int, rounds: int = 5, clock: Callable[[], float] = time.perf_counter) -> float:
    """Best-of-rounds mean seconds per call."""
    times: List[float] = []
    for _ in range(rounds):
        start = clock()
        for _ in range(n):
            fn()
        times.append((clock() - start) / n)
    return min(times)


def lookup(request: Dict[str, Any] = REQUEST) -> Any:
    return before_call("completion", request, provider="openai", model=str(request["model"]), api_base=API_BASE)


def step_rows(n: int) -> List[Tuple[str, float]]:
    """Part 1: each step of a miss and of a hit, alone."""
    rows = [("key (sha256 of canonical JSON)", best(lambda: cache_key("completion", REQUEST, provider="openai", model="gpt-4o-mini", api_base=API_BASE), n))]
    litellm.cache = None
    rows.append(("lookup, no cache set", best(lookup, n)))
    litellm.cache = Cache(type="local", max_size=10)
    miss = lookup()
    rows.append(("lookup miss (local: key + read)", best(lambda: (litellm.cache.clear(), lookup()), n)))
    rows.append(("store (local: the provider's body, a chat miss)", best(lambda: miss.store(RESPONSE, body=BODY), n)))
    plan = _call.plan("chat", "openai/gpt-4o-mini", {"api_base": API_BASE, "api_key": "k"}, inputs=REQUEST["messages"])

    def parse(body: bytes) -> Any:
        return _call.parse_body(plan, WireResponse(200, {}, body), plan.request)

    rows.append(("hit: parsed from the body (local)", best(lambda: lookup().response(parse), n)))
    rows.append(("store (local: a typed answer, e.g. a stream's)", best(lambda: miss.store(RESPONSE), n)))
    rows.append(("hit: fresh copy of a typed answer (local)", best(lambda: lookup().response(), n)))
    with tempfile.TemporaryDirectory() as directory:
        litellm.cache = Cache(type="disk", disk_cache_dir=directory)
        miss = lookup()
        small = max(50, n // 10)
        rows.append(("store (disk: to_dict, JSON, file)", best(lambda: miss.store(RESPONSE), small)))
        rows.append(("hit: fresh answer (disk)", best(lambda: lookup().response(), small)))
    litellm.cache = None
    return rows


def hook_rows(n: int) -> List[Tuple[str, float]]:
    """pre_send + post_finish on one planned call, without and with a cache (every call a miss)."""
    kwargs = {k: v for k, v in REQUEST.items() if k not in ("model", "messages")}
    kwargs["api_base"] = API_BASE
    plan = _call.plan("chat", "openai/gpt-4o-mini", dict(kwargs), inputs=REQUEST["messages"])
    result = ModelResponse(model="gpt-4o-mini", choices=RESPONSE.choices, usage=RESPONSE.usage)
    result._hidden_params["response_cost"] = 1e-5

    def hooks() -> None:
        plan.state.clear()
        call_guard.pre_send(plan)
        if "cache" in plan.state:
            plan.state["wire_body"] = BODY  # what _call.parse_body keeps when the call may be stored
        call_guard.post_finish(plan, result)

    litellm.cache = None
    off = best(hooks, n)
    litellm.cache = cache = Cache(type="local", max_size=10)

    def miss() -> None:
        cache.clear()
        hooks()

    missed = best(miss, n)
    litellm.cache = None
    return [("hooks, no cache set (every call)", off), ("hooks, local cache, a miss", missed), ("  miss adds", max(0.0, missed - off))]


def end_to_end(calls: int, rounds: int, directory: str) -> Dict[str, List[float]]:
    """Seconds per completion() in each round: no cache, local cache, disk cache (all misses)."""
    times: Dict[str, List[float]] = {"off": [], "local": [], "disk": []}
    caches: Dict[str, Any] = {"off": None, "local": Cache(type="local"), "disk": Cache(type="disk", disk_cache_dir=directory)}
    with FakeProvider(model="gpt-4o-mini") as fake:
        kwargs = fake.kwargs()
        counter = [0]

        def one() -> None:
            counter[0] += 1
            litellm.completion(messages=[{"role": "user", "content": "question %d" % counter[0]}], **kwargs)

        for _ in range(30):
            one()  # warm the connection pool and imports
        for _ in range(rounds):
            for name, cache in caches.items():
                litellm.cache = cache
                times[name].append(best(one, calls, rounds=1, clock=time.process_time))
        litellm.cache = None
    return times


def e2e_parts(n: int) -> List[Tuple[str, float]]:
    """The key and store of the end-to-end request and answer (a one-message prompt, a short reply)."""
    request = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "question 12345"}], "api_key": "k"}
    with FakeProvider(model="gpt-4o-mini") as fake:
        answer = litellm.completion(messages=request["messages"], **fake.kwargs())
    rows = [("  key", best(lambda: cache_key("completion", request, provider="openai", model="gpt-4o-mini", api_base=API_BASE), n))]
    litellm.cache = Cache(type="local", max_size=10)
    miss = lookup(request)
    body = json.dumps(answer.to_dict()).encode()
    rows.append(("  store (local)", best(lambda: miss.store(answer, body=body), n)))
    with tempfile.TemporaryDirectory() as directory:
        litellm.cache = Cache(type="disk", disk_cache_dir=directory)
        miss = lookup(request)
        rows.append(("  store (disk)", best(lambda: miss.store(answer), max(50, n // 10))))
    litellm.cache = None
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=200, help="completion() calls per end-to-end round")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved end-to-end rounds")
    args = parser.parse_args()
    n = args.n
    body = {k: v for k, v in REQUEST.items() if k not in ("api_key", "metadata", "timeout")}
    floor = best(lambda: json.dumps(body).encode(), n)
    print("Part 1: the steps, alone")
    print("%-36s %12s %8s" % ("step", "us/call", "x floor"))
    print("%-36s %12.2f %8.2f" % ("floor: json.dumps(request body)", floor * 1e6, 1.0))
    for name, seconds in step_rows(n) + hook_rows(n):
        print("%-36s %12.2f %8.2f" % (name, seconds * 1e6, seconds / floor))
    with tempfile.TemporaryDirectory() as directory:
        times = end_to_end(args.calls, args.rounds, directory)
    off = min(times["off"])
    print()
    print("Part 2: completion() via loopback HTTP, every call a miss (%d rounds of %d calls)" % (args.rounds, args.calls))
    print("%-36s %12s %8s %8s" % ("", "CPU us/call", "ratio", "median"))
    print("%-36s %12.1f %8.3f %8.3f" % ("floor: no cache", off * 1e6, 1.0, 1.0))
    for name in ("local", "disk"):
        ratios = [on / base for on, base in zip(times[name], times["off"])]
        print("%-36s %12.1f %8.3f %8.3f" % ("%s cache: miss ratio" % name, min(times[name]) * 1e6, min(times[name]) / off, statistics.median(ratios)))
    print("%-36s %12s" % ("parts of a miss (measured alone)", "us/call"))
    for name, seconds in e2e_parts(n):
        print("%-36s %12.2f" % (name, seconds * 1e6))
    print("(ratio: best round / best no-cache round; median: of the per-round ratios)")


if __name__ == "__main__":
    main()
