#!/usr/bin/env python3
"""How much does litellm_lite add on top of a raw keep-alive ``http.client`` loop?

Everything runs against one loopback server (``http.server`` in a thread, HTTP/1.1 keep-alive,
replies pre-built so the server costs the same for both sides). Each litellm_lite figure is set
against a floor measured in the same run:

- per call: ``litellm_lite.completion()`` vs ``http.client.HTTPConnection`` (kept alive) doing the
  same POST + ``json.loads`` of the reply; they alternate in batches of 100 calls (so both see the
  same CPU clock and machine noise), and each figure is the median of its batch means;
- per call with metrics on (``litellm_lite.enable_metrics = True``): a third batch in the same
  alternation, so the metrics cost per call is the difference against "metrics off";
- per stream (2000 chunks, OpenAI SSE): iterating ``completion(stream=True)`` vs raw http.client
  reading the chunked body, splitting lines and ``json.loads``-ing each ``data:`` line; the same
  for the Anthropic Messages and Gemini ``streamGenerateContent?alt=sse`` formats when their
  adapters are present; the OpenAI stream once more with metrics on (the per-chunk cost);
- import: ``python -c "import litellm_lite"`` vs ``python -c "import json, dataclasses, logging"``
  (wall time of the whole process, best of N), and the peak RSS of both;
- memory: peak RSS growth (and tracemalloc peak) while a 100,000-chunk stream is consumed chunk by
  chunk, against the same for 10,000 chunks: flat means it does not grow with the stream length;
- pool reuse: new TCP connections opened per 1000 calls (``litellm_lite.pool_stats()``).

It prints one table with the ratios and the targets (<= 1.5x per call, <= 2.5x per stream,
<= 1.25x import). It is not a test: nothing is asserted. Run time is bounded (well under a minute).

Usage: python benchmarks/overhead.py [--calls N] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGES = [{"role": "user", "content": "Say hello in one short sentence."}]
TOKEN = "tok "  # content of every stream chunk

# -- the loopback server ----------------------------------------------------------------------------


def _chunked(events: List[bytes]) -> bytes:
    """One HTTP chunk per SSE event, as providers send them, plus the terminating chunk."""
    parts = [b"%x\r\n%s\r\n" % (len(e), e) for e in events]
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


def _openai_stream(n: int) -> bytes:
    def event(delta: Dict[str, Any], finish: Optional[str] = None) -> bytes:
        obj = {
            "id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"

    events = [event({"role": "assistant", "content": ""})]
    events.extend(event({"content": TOKEN}) for _ in range(n))
    events.append(event({}, "stop"))
    usage = {"prompt_tokens": 12, "completion_tokens": n, "total_tokens": 12 + n}
    tail = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1700000000,
            "model": "gpt-4o-mini", "choices": [], "usage": usage}
    events.append(b"data: " + json.dumps(tail, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return _chunked(events)


def _anthropic_stream(n: int) -> bytes:
    def event(name: str, obj: Dict[str, Any]) -> bytes:
        return b"event: " + name.encode() + b"\ndata: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"

    message = {"id": "msg_bench", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [],
               "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 12, "output_tokens": 1}}
    events = [event("message_start", {"type": "message_start", "message": message}),
              event("content_block_start", {"type": "content_block_start", "index": 0,
                                            "content_block": {"type": "text", "text": ""}})]
    delta = event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                          "delta": {"type": "text_delta", "text": TOKEN}})
    events.extend(delta for _ in range(n))
    events.append(event("content_block_stop", {"type": "content_block_stop", "index": 0}))
    events.append(event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn",
                                                                             "stop_sequence": None},
                                          "usage": {"output_tokens": n}}))
    events.append(event("message_stop", {"type": "message_stop"}))
    return _chunked(events)


def _gemini_stream(n: int) -> bytes:
    def event(obj: Dict[str, Any]) -> bytes:
        return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\r\n\r\n"

    piece = event({"candidates": [{"content": {"parts": [{"text": TOKEN}], "role": "model"}, "index": 0}],
                   "modelVersion": "gemini-2.5-flash"})
    events = [piece for _ in range(n)]
    events.append(event({"candidates": [{"content": {"parts": [{"text": ""}], "role": "model"},
                                         "finishReason": "STOP", "index": 0}],
                         "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": n,
                                           "totalTokenCount": 12 + n},
                         "modelVersion": "gemini-2.5-flash"}))
    return _chunked(events)


_COMPLETION = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! Nice to meet you."},
                 "finish_reason": "stop", "logprobs": None}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19},
}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: "BenchServer"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        n = int(self.headers.get("x-chunks") or self.server.chunks)
        if "streamGenerateContent" in self.path:
            self._send(self.server.body("gemini", n), "text/event-stream", chunked=True)
        elif self.path.endswith("/messages"):
            self._send(self.server.body("anthropic", n), "text/event-stream", chunked=True)
        elif body.get("stream"):
            self._send(self.server.body("openai", n), "text/event-stream", chunked=True)
        else:
            self._send(_COMPLETION, "application/json", chunked=False)

    def _send(self, payload: bytes, ctype: str, chunked: bool) -> None:
        head = ["HTTP/1.1 200 OK", "Content-Type: " + ctype]
        head.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % len(payload))
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)


class BenchServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.chunks = 2000
        self._bodies: Dict[Tuple[str, int], bytes] = {}
        self._thread = threading.Thread(target=lambda: self.serve_forever(poll_interval=0.05), daemon=True)
        self._thread.start()

    def body(self, kind: str, n: int) -> bytes:
        key = (kind, n)
        if key not in self._bodies:
            build = {"openai": _openai_stream, "anthropic": _anthropic_stream, "gemini": _gemini_stream}[kind]
            self._bodies[key] = build(n)
        return self._bodies[key]

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.server_address[1]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# -- raw floors ---------------------------------------------------------------------------------------


class RawClient:
    """The floor: one kept-alive http.client connection, POST, read, json.loads."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json", "Authorization": "Bearer k"}

    def call(self, path: str, payload: Dict[str, Any]) -> Any:
        self.conn.request("POST", path, body=json.dumps(payload).encode(), headers=self.headers)
        return json.loads(self.conn.getresponse().read())

    def stream(self, path: str, payload: Dict[str, Any]) -> int:
        """Read an SSE body, split it into lines, json.loads every ``data:`` payload; returns the count."""
        self.conn.request("POST", path, body=json.dumps(payload).encode(), headers=self.headers)
        response = self.conn.getresponse()
        count = 0
        tail = b""
        while True:
            block = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
            if not block:
                break
            lines = (tail + block).split(b"\n")
            tail = lines.pop()
            for line in lines:
                if line.startswith(b"data: ") and line[6:].strip() != b"[DONE]":
                    json.loads(line[6:])
                    count += 1
        return count

    def close(self) -> None:
        self.conn.close()


# -- measurement helpers ----------------------------------------------------------------------------


def _best_per_item(fn: Callable[[], Any], items: int, rounds: int) -> float:
    """Best (lowest) seconds per item over ``rounds`` runs of ``fn`` (which does ``items`` items)."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - start) / items)
    return best


def _interleaved(a: Callable[[], Any], b: Callable[[], Any], items: int, rounds: int) -> Tuple[float, float]:
    """Alternate a and b so that machine noise hits both alike; best per-item time of each."""
    best_a = best_b = float("inf")
    for _ in range(rounds):
        best_a = min(best_a, _best_per_item(a, items, 1))
        best_b = min(best_b, _best_per_item(b, items, 1))
    return best_a, best_b


def _interleaved_all(fns: List[Callable[[], Any]], items: int, rounds: int) -> List[float]:
    """Like _interleaved for any number of functions: best per-item time of each."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], _best_per_item(fn, items, 1))
    return best


def _short_batches(fns: List[Callable[[], Any]], calls: int, batch: int = 100) -> List[float]:
    """Seconds per call of each of ``fns``, over about ``calls`` calls each, measured in alternating
    batches of ``batch`` calls (fns[0] x batch, fns[1] x batch, ..., again): each batch keeps its
    connection warm, and short batches make every function see the same machine moments (CPU clock
    changes, other jobs). Per function: the median of its batch means."""
    per_batch: List[List[float]] = [[] for _ in fns]
    clock = time.perf_counter
    for _ in range(max(1, calls // batch)):
        for i, fn in enumerate(fns):
            start = clock()
            for _ in range(batch):
                fn()
            per_batch[i].append((clock() - start) / batch)
    return [sorted(times)[len(times) // 2] for times in per_batch]


def _with_metrics(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` run with ``litellm_lite.enable_metrics = True``."""
    import litellm_lite

    def run() -> Any:
        litellm_lite.enable_metrics = True
        try:
            return fn()
        finally:
            litellm_lite.enable_metrics = False

    return run


def _subprocess_time(code: str, repeats: int) -> float:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=str(ROOT))
        best = min(best, time.perf_counter() - start)
    return best


def _subprocess_output(code: str) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=str(ROOT),
                          stdout=subprocess.PIPE)
    return proc.stdout.decode().strip()


_RSS_CODE = """
import resource, sys
{imports}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# A child consumes a stream of N chunks and reports the growth of its resident set (KiB; current RSS
# from /proc on Linux, else the peak) and the tracemalloc peak during the stream. A warm-up stream
# first loads every module and the registry.
_STREAM_MEMORY_CODE = """
import gc, os, resource, sys, tracemalloc
import litellm_lite

def rss_kib():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
url, n, trace = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
kw = dict(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], api_base=url + "/v1",
          api_key="k", stream=True)
for chunk in litellm_lite.completion(extra_headers={"x-chunks": "100"}, **kw):
    pass
gc.collect()
before = rss_kib()
if trace:
    tracemalloc.start()
count = 0
for chunk in litellm_lite.completion(**kw):
    count += 1
peak = tracemalloc.get_traced_memory()[1] if trace else 0
after = rss_kib()
print(count, after - before, peak)
"""


def _stream_memory(server: BenchServer, n: int, trace: bool) -> Tuple[int, int, int]:
    server.chunks = n
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", _STREAM_MEMORY_CODE, server.url, str(n), "1" if trace else "0"],
                          env=env, check=True, stdout=subprocess.PIPE, cwd=str(ROOT))
    count, rss_kib, peak = proc.stdout.decode().split()
    return int(count), int(rss_kib), int(peak)


# -- the run ------------------------------------------------------------------------------------------


class Row:
    def __init__(self, name: str, ours: str, floor: str, ratio: Optional[float], target: str, note: str = "") -> None:
        self.name, self.ours, self.floor, self.ratio, self.target, self.note = name, ours, floor, ratio, target, note


def _ms(seconds: float) -> str:
    return "%.3f ms" % (seconds * 1000)


def _adapter_present(module: str) -> bool:
    """Whether providers/<module> exists, as a module or as a package."""
    providers = ROOT / "litellm_lite" / "providers"
    return (providers / (module + ".py")).is_file() or (providers / module / "__init__.py").is_file()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls per per-call round (default 1000)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough figure in a few seconds)")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else 5
    started = time.perf_counter()

    import litellm_lite
    from litellm_lite import _http

    server = BenchServer()
    rows: List[Row] = []
    try:
        port = server.server_address[1]
        raw = RawClient(port)
        openai_kw: Dict[str, Any] = dict(model="openai/gpt-4o-mini", messages=MESSAGES, api_base=server.url + "/v1",
                                         api_key="k")
        payload = {"model": "gpt-4o-mini", "messages": MESSAGES}

        # warm up both paths (imports, registry load, first connection)
        for _ in range(20):
            litellm_lite.completion(**openai_kw)
            raw.call("/v1/chat/completions", payload)

        # per call -----------------------------------------------------------------------------------
        calls = args.calls
        opened_before = _http.pool_stats()["connections_opened"]

        def ours_call() -> None:
            litellm_lite.completion(**openai_kw)

        def raw_call() -> None:
            raw.call("/v1/chat/completions", payload)

        gc.collect()
        per_call, per_call_metrics, per_call_floor = _short_batches(
            [ours_call, _with_metrics(ours_call), raw_call], calls * rounds)
        opened = _http.pool_stats()["connections_opened"] - opened_before
        total_calls = calls * rounds * 2
        rows.append(Row("per call (non-streamed)", _ms(per_call), _ms(per_call_floor), per_call / per_call_floor,
                        "<= 1.5x"))
        rows.append(Row("per call, metrics on", _ms(per_call_metrics), _ms(per_call_floor),
                        per_call_metrics / per_call_floor, "<= 1.5x",
                        "%+.1f us/call vs off" % ((per_call_metrics - per_call) * 1e6)))

        # streams ------------------------------------------------------------------------------------
        server.chunks = 2000
        stream_rounds = rounds

        def stream_pair(label: str, kwargs: Dict[str, Any], path: str, raw_payload: Dict[str, Any],
                        with_metrics: bool = False) -> None:
            def ours() -> None:
                count = 0
                for chunk in litellm_lite.completion(stream=True, **kwargs):
                    if chunk.choices and chunk.choices[0].delta.content:
                        count += 1
                assert count == 2000, count

            def floor() -> None:
                count = raw.stream(path, raw_payload)
                assert count >= 2000, count

            ours()  # warm up
            floor()
            if not with_metrics:
                t_ours, t_floor = _interleaved(ours, floor, 1, stream_rounds)
                rows.append(Row(label, _ms(t_ours), _ms(t_floor), t_ours / t_floor, "<= 2.5x",
                                "%.2f us/chunk" % (t_ours / 2000 * 1e6)))
                return
            t_ours, t_on, t_floor = _interleaved_all([ours, _with_metrics(ours), floor], 1, stream_rounds)
            rows.append(Row(label, _ms(t_ours), _ms(t_floor), t_ours / t_floor, "<= 2.5x",
                            "%.2f us/chunk" % (t_ours / 2000 * 1e6)))
            rows.append(Row(label + ", metrics on", _ms(t_on), _ms(t_floor), t_on / t_floor, "<= 2.5x",
                            "%+.3f us/chunk vs off" % ((t_on - t_ours) / 2000 * 1e6)))

        stream_pair("stream 2000 chunks, OpenAI SSE", dict(openai_kw, stream_options={"include_usage": True}),
                    "/v1/chat/completions", dict(payload, stream=True), with_metrics=True)
        if _adapter_present("anthropic"):
            stream_pair("stream 2000 chunks, Anthropic", dict(model="anthropic/claude-sonnet-4-5", messages=MESSAGES,
                                                              api_base=server.url, api_key="k", max_tokens=100),
                        "/v1/messages", {"model": "claude-sonnet-4-5", "messages": MESSAGES, "stream": True,
                                         "max_tokens": 100})
        else:
            print("note: providers/anthropic is not there yet: Anthropic stream skipped")
        if _adapter_present("gemini"):
            stream_pair("stream 2000 chunks, Gemini", dict(model="gemini/gemini-2.5-flash", messages=MESSAGES,
                                                           api_base=server.url, api_key="k"),
                        "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                        {"contents": [{"role": "user", "parts": [{"text": MESSAGES[0]["content"]}]}]})
        else:
            print("note: providers/gemini is not there yet: Gemini stream skipped")
        raw.close()

        # import time and RSS --------------------------------------------------------------------------
        repeats = 5 if args.quick else 15
        floor_code = "import json, dataclasses, logging"
        t_import_floor = _subprocess_time(floor_code, repeats)
        t_import = _subprocess_time("import litellm_lite", repeats)
        t_import_floor = min(t_import_floor, _subprocess_time(floor_code, repeats))  # bracket against drift
        rows.append(Row("import litellm_lite (process)", _ms(t_import), _ms(t_import_floor), t_import / t_import_floor,
                        "<= 1.25x", "%+.1f ms" % ((t_import - t_import_floor) * 1000)))
        if sys.platform != "win32":
            rss_ours = int(_subprocess_output(_RSS_CODE.format(imports="import litellm_lite")))
            rss_floor = int(_subprocess_output(_RSS_CODE.format(imports=floor_code)))
            scale = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0
            rows.append(Row("peak RSS after import", "%.1f MiB" % (rss_ours / scale), "%.1f MiB" % (rss_floor / scale),
                            rss_ours / rss_floor, "-", "%+.1f MiB" % ((rss_ours - rss_floor) / scale)))

            # memory over a long stream ------------------------------------------------------------------
            n10, rss10, _ = _stream_memory(server, 10000, trace=False)
            n100, rss100, _ = _stream_memory(server, 100000, trace=False)
            _, _, peak10 = _stream_memory(server, 10000, trace=True)
            _, _, peak100 = _stream_memory(server, 100000, trace=True)
            rows.append(Row("RSS growth: 100k vs 10k chunks", "%.1f MiB" % (rss100 / 1024.0),
                            "%.1f MiB" % (rss10 / 1024.0), None, "flat",
                            "%d/%d chunks seen" % (n100, n10)))
            rows.append(Row("tracemalloc peak: 100k vs 10k", "%.2f MiB" % (peak100 / 2 ** 20),
                            "%.2f MiB" % (peak10 / 2 ** 20), None, "flat",
                            "%.1f bytes/chunk" % ((peak100 - peak10) / 90000.0)))
        else:
            print("note: RSS figures need the resource module (POSIX): skipped")

        rows.append(Row("new connections per 1000 calls", "%.1f" % (opened * 1000.0 / total_calls), "1 (one socket)",
                        None, "~0", "%d opened over %d calls" % (opened, total_calls)))
    finally:
        server.stop()

    _print_table(rows)
    print("\npython %s on %s; total run time %.1f s" % (sys.version.split()[0], sys.platform,
                                                        time.perf_counter() - started))
    return 0


def _print_table(rows: List[Row]) -> None:
    headers = ["measure", "litellm_lite", "floor", "ratio", "target", "note"]
    table = [[r.name, r.ours, r.floor, "-" if r.ratio is None else "%.2fx" % r.ratio, r.target, r.note] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    line = "  ".join("=" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    print(line)
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print(line)


if __name__ == "__main__":
    sys.exit(main())
