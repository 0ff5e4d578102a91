#!/usr/bin/env python3
"""What does a one-call script cost, whole process, against the same script on raw ``http.client``?

Each script is a new ``python`` process that imports what it needs, sends one chat request to a
loopback server started by this benchmark, and prints the answer: once with ``litellm_lite.completion()``
and once with ``http.client`` + ``json`` (the floor). For each, over N runs (alternating), the median
of the child's CPU time (user + system, from ``os.wait4``) and of its peak RSS (``ru_maxrss``).
A second pair measures the time from process start to the first streamed chunk (wall clock, the
child reporting when its first chunk arrived).

It prints one table with the ratios and the targets (CPU <= 1.2x, peak RSS <= floor + 3 MiB). It is
not a test: nothing is asserted.

``--breakdown`` prints instead where the one-call script's extra time goes, measured inside fresh
processes (medians of N): after the modules the raw script loads, the standard-library modules the
package needs (``dataclasses`` with ``inspect``; ``urllib.request`` with ``hashlib``, ``tempfile``...),
then ``import litellm_lite`` plus ``main`` (and, within it, the ``@dataclass`` builds), then the first
call (the adapter and transport modules, the request itself).

Usage: python benchmarks/cold_start.py [--runs N] [--breakdown]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
_PYCACHE = tempfile.mkdtemp(prefix="litellm-lite-cold-")  # bytecode for both scripts, written by a warm-up run

_REPLY = json.dumps(
    {
        "id": "chatcmpl-cold", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there."}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
    }
).encode()


def _stream_body() -> bytes:
    events = []
    for text in ("Hel", "lo ", "there."):
        chunk = {"id": "chatcmpl-cold", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        events.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return b"".join(events)


_STREAM = _stream_body()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"{}")
        payload, kind = (_STREAM, "text/event-stream") if body.get("stream") else (_REPLY, "application/json")
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


RAW = """
import http.client, json, sys
conn = http.client.HTTPConnection("127.0.0.1", {port}, timeout=30)
body = json.dumps({{"model": "gpt-4o-mini", "messages": [{{"role": "user", "content": "Hi"}}]}})
conn.request("POST", "/v1/chat/completions", body, {{"content-type": "application/json", "authorization": "Bearer k"}})
print(json.loads(conn.getresponse().read())["choices"][0]["message"]["content"])
"""

LITE = """
import litellm_lite
r = litellm_lite.completion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "Hi"}}],
                            api_base="http://127.0.0.1:{port}/v1", api_key="k")
print(r.choices[0].message.content)
"""

RAW_STREAM = """
import time; start = time.time()
import http.client, json
conn = http.client.HTTPConnection("127.0.0.1", {port}, timeout=30)
body = json.dumps({{"model": "gpt-4o-mini", "stream": True, "messages": [{{"role": "user", "content": "Hi"}}]}})
conn.request("POST", "/v1/chat/completions", body, {{"content-type": "application/json", "authorization": "Bearer k"}})
resp = conn.getresponse()
for line in resp:
    if line.startswith(b"data: {{"):
        json.loads(line[6:]); print(time.time()); break
"""

LITE_STREAM = """
import time; start = time.time()
import litellm_lite
for chunk in litellm_lite.completion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "Hi"}}],
                                     api_base="http://127.0.0.1:{port}/v1", api_key="k", stream=True):
    print(time.time()); break
"""


def _run(code: str) -> Tuple[float, float, float, str]:
    """(CPU seconds, peak RSS MiB, wall seconds, stdout) of one child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_PYCACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have bytecode: measure with it
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env, cwd=str(ROOT))
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
    if proc.returncode != 0:
        raise SystemExit("child failed:\n" + code)
    rss_mib = usage.ru_maxrss / 1024.0  # Linux: KiB
    return usage.ru_utime + usage.ru_stime, rss_mib, started, out


BREAKDOWN = """
import json, sys, time
T = time.perf_counter
import http.client, json  # what the raw script loads
out = {{}}
t = T(); import dataclasses; out["stdlib: dataclasses (inspect, ast, dis, tokenize...)"] = T() - t
t = T(); import urllib.request; out["stdlib: urllib.request (hashlib, tempfile, shutil, bz2, lzma...)"] = T() - t
process_class = dataclasses._process_class
built = [0.0]
def timed(*args, **kwargs):
    s = T(); result = process_class(*args, **kwargs); built[0] += T() - s; return result
dataclasses._process_class = timed
t = T(); import litellm_lite; from litellm_lite import main; imported = T() - t
loaded = len([m for m in sys.modules if m.startswith("litellm_lite")])
out["litellm_lite import: @dataclass builds"] = built[0]
out["litellm_lite import: module bodies (%d modules)" % loaded] = imported - built[0]
built[0] = 0.0
t = T()
litellm_lite.completion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "Hi"}}],
                        api_base="http://127.0.0.1:{port}/v1", api_key="k")
first = T() - t
out["first call: @dataclass builds"] = built[0]
out["first call: the rest (%d more modules, the request)" % (len([m for m in sys.modules
    if m.startswith("litellm_lite")]) - loaded)] = first - built[0]
print(json.dumps(out))
"""


def breakdown(port: int, runs: int) -> None:
    """Print the medians of where the one-call script's extra time goes (see the module docstring)."""
    samples: Dict[str, List[float]] = {}
    for number in range(runs + 1):
        _, _, _, out = _run(BREAKDOWN.format(port=port))
        if number == 0:
            continue  # the warm-up run writes the bytecode
        for name, seconds in json.loads(out.strip().splitlines()[-1]).items():
            samples.setdefault(name, []).append(seconds)
    print("cold start breakdown, median of %d fresh processes (ms, wall clock inside the process)" % runs)
    total = 0.0
    for name, values in samples.items():
        value = statistics.median(values) * 1000
        total += value
        print("  %7.2f  %s" % (value, name))
    print("  %7.2f  total" % total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--breakdown", action="store_true", help="where the extra time goes, instead of the table")
    args = parser.parse_args()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0  # other jobs skew every figure
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    if args.breakdown:
        breakdown(port, args.runs)
        server.shutdown()
        return
    scripts = {"raw": RAW, "lite": LITE, "raw_stream": RAW_STREAM, "lite_stream": LITE_STREAM}
    cpu: Dict[str, List[float]] = {k: [] for k in scripts}
    rss: Dict[str, List[float]] = {k: [] for k in scripts}
    first: Dict[str, List[float]] = {k: [] for k in scripts}
    for template in scripts.values():  # warm-up: write the bytecode, fill the page cache
        _run(template.format(port=port))
    for _ in range(args.runs):
        for name, template in scripts.items():  # alternating, so machine noise hits both sides alike
            seconds, peak, started, out = _run(template.format(port=port))
            cpu[name].append(seconds)
            rss[name].append(peak)
            if name.endswith("stream"):
                first[name].append(float(out.split()[0]) - started)
    server.shutdown()
    med = {k: statistics.median(v) for k, v in cpu.items()}
    mem = {k: statistics.median(v) for k, v in rss.items()}
    ttfc = {k: statistics.median(v) for k, v in first.items() if v}
    rows = [
        ("one call: CPU", "%.3f s" % med["lite"], "%.3f s" % med["raw"], "%.2fx" % (med["lite"] / med["raw"]), "<= 1.2x"),
        ("one call: peak RSS", "%.1f MiB" % mem["lite"], "%.1f MiB" % mem["raw"],
         "+%.1f MiB" % (mem["lite"] - mem["raw"]), "<= +3 MiB"),
        ("first streamed chunk", "%.3f s" % ttfc["lite_stream"], "%.3f s" % ttfc["raw_stream"],
         "%.2fx" % (ttfc["lite_stream"] / ttfc["raw_stream"]), "-"),
        ("stream script: CPU", "%.3f s" % med["lite_stream"], "%.3f s" % med["raw_stream"],
         "%.2fx" % (med["lite_stream"] / med["raw_stream"]), "-"),
    ]
    load = "load average %.2f before, %.2f after" % (load_before, os.getloadavg()[0]) if load_before >= 0 else "load unknown"
    print("cold start, median of %d runs each (Python %s; %s)" % (args.runs, sys.version.split()[0], load))
    header = ("measure", "litellm_lite", "raw floor", "ratio", "target")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    for row in [header] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main()
