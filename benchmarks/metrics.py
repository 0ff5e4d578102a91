#!/usr/bin/env python3
"""What do metrics (and OpenTelemetry) cost per call and per chunk, without network noise?

``benchmarks/overhead.py`` measures whole calls against a raw ``http.client`` floor with metrics on
and off; on a busy machine its per-call difference drowns in noise. This script times the hook
path alone, in the same run, best of N rounds:

- per call: ``observability.pre_call`` + ``success`` with a typical response: metrics off (the
  floor: what every call pays today), metrics on, and metrics + OpenTelemetry (when the SDK is
  installed; spans go to a no-op processor-less provider, metrics to an in-memory reader);
- per chunk: ``observability.stream_event`` as the stream wrapper calls it when metrics are on
  (with metrics off and no chunk callbacks it is not called at all: 0);
- what the road adds per call and per attempt: ``outgoing_headers`` + ``watching`` + ``received``
  with nothing on (every call pays them), and ``observability.attempt`` with metrics on (called once
  per HTTP attempt only when metrics or DEBUG logging listen);
- ``metrics.record_call`` alone, and ``metrics_snapshot()`` / ``render_prometheus()`` with 500 series.

Usage: python benchmarks/metrics.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _best(fn: Callable[[], None], n: int, rounds: int) -> float:
    """Best seconds per iteration over ``rounds`` runs of ``n`` iterations."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def _otel_providers() -> Optional[Tuple[Any, Any]]:
    try:
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
    except ImportError:
        return None
    return TracerProvider(), MeterProvider(metric_readers=[InMemoryMetricReader()])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 7
    n = 5000 if args.quick else 20000

    import litellm_lite
    from litellm_lite import metrics, observability
    from litellm_lite.types import Choices, Message, ModelResponse, Usage

    response = ModelResponse(model="gpt-4o-mini", choices=[Choices(message=Message(content="Hello!"))],
                             usage=Usage(prompt_tokens=12, completion_tokens=7))
    response._hidden_params["response_cost"] = 0.00001

    def one_call() -> None:
        info: Dict[str, Any] = {"model": "gpt-4o-mini", "provider": "openai", "messages": [], "stream": False,
                                "api_base": "https://api.openai.com/v1", "metadata": None, "optional_params": {}}
        start = time.time()
        observability.pre_call(info)
        observability.success(info, response, start, time.time())

    stream_info: Dict[str, Any] = {"model": "gpt-4o-mini", "provider": "openai", "stream": True}

    def one_chunk() -> None:
        observability.stream_event(stream_info, None, 0.0, 1.0)

    rows: List[Tuple[str, float, Optional[float], str]] = []
    litellm_lite.enable_metrics = False
    metrics.reset_metrics()
    off = on = otel = float("inf")
    providers = _otel_providers()
    for _ in range(rounds):  # interleaved, so machine noise hits all alike
        litellm_lite.enable_metrics = False
        off = min(off, _best(one_call, n, 1))
        litellm_lite.enable_metrics = True
        on = min(on, _best(one_call, n, 1))
        if providers is not None:
            litellm_lite.enable_otel(*providers)
            otel = min(otel, _best(one_call, n // 4, 1))
            litellm_lite.disable_otel()
    rows.append(("per call hooks, metrics off (floor)", off, 1.0, ""))
    rows.append(("per call hooks, metrics on", on, on / off, "%+.2f us/call" % ((on - off) * 1e6)))
    if providers is not None:
        rows.append(("per call hooks, metrics + OpenTelemetry", otel, otel / off, "%+.2f us/call" % ((otel - off) * 1e6)))
    else:
        print("note: opentelemetry-sdk is not installed: the OpenTelemetry row is skipped")

    headers = {"content-type": "application/json", "date": "Mon, 01 Jan 2026 00:00:00 GMT",
               "x-request-id": "req_0123456789abcdef", "openai-processing-ms": "120", "content-length": "512"}
    road_info: Dict[str, Any] = {"model": "gpt-4o-mini", "provider": "openai", "stream": False}
    observability.pre_call(road_info)

    def road_per_call() -> None:
        observability.outgoing_headers(road_info)
        observability.watching(road_info)
        observability.received(road_info, headers)

    def one_attempt() -> None:
        observability.attempt(road_info, number=1, method="POST", url="https://api.openai.com/v1/chat/completions",
                              status=200, started=0.0, ended=0.1, headers=headers, request_body=b"{}")

    road = _best(road_per_call, n, rounds)
    rows.append(("road per call, nothing on (headers, watching, request id)", road, None, "every call"))
    litellm_lite.enable_metrics = True
    observability.pre_call(road_info)
    attempt = _best(one_attempt, n, rounds)
    rows.append(("per attempt, metrics on (observability.attempt)", attempt, None, "off and no DEBUG: not called"))
    observability.pre_call(stream_info)
    chunk = _best(one_chunk, n * 5, rounds)
    rows.append(("per chunk, metrics on (stream_event)", chunk, None, "off: not called (0 us)"))
    record = _best(lambda: metrics.record_call("openai", "gpt-4o-mini", duration=0.2, usage=response.usage, cost=0.0001),
                   n, rounds)
    rows.append(("metrics.record_call alone", record, None, ""))
    metrics.reset_metrics()
    for i in range(metrics.MAX_SERIES):
        metrics.record_call("provider%d" % (i % 20), "model-%d" % i, duration=0.1 * (i % 30), chunks=i)
    snap = _best(metrics.metrics_snapshot, 3, rounds)
    text = _best(lambda: None if metrics.render_prometheus() else None, 3, rounds)
    rows.append(("metrics_snapshot(), 500 series", snap, None, ""))
    rows.append(("render_prometheus(), 500 series", text, None, "%d KiB of text" % (len(metrics.render_prometheus()) // 1024)))
    litellm_lite.enable_metrics = False
    metrics.reset_metrics()

    headers = ["measure", "time", "vs floor", "note"]
    table = [[name, "%.2f us" % (t * 1e6) if t < 1e-3 else "%.2f ms" % (t * 1e3),
              "-" if r is None else "%.2fx" % r, note] for name, t, r, note in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    line = "  ".join("=" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    print(line)
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print(line)
    print("python %s on %s" % (sys.version.split()[0], sys.platform))
    return 0


if __name__ == "__main__":
    sys.exit(main())
