#!/usr/bin/env python3
"""What does parsing a Responses API stream cost, against the raw floor?

A 2000-event stream as OpenAI sends it (``event:`` + ``data:`` blocks: response.created,
in_progress, one message item with ~1990 ``response.output_text.delta`` events, the .done events
and response.completed), fed one event per read as a socket would deliver it, measured in-process
(no HTTP, which comes with the wiring):

- floor: split the bytes into lines and ``json.loads`` every ``data:`` payload;
- litellm_lite: the package's SSE decoder (``_sse.SSEDecoder``) + ``responses.parse_event`` with
  a typed ``ResponsesStreamState`` for every event, ``finish_stream`` and ``final_response()``;
- and the same with the bridge direction: 2000 chat chunks through ``ChatStreamToResponses``
  (no floor of its own: set against the same json.loads floor for scale);
- end to end over HTTP (a loopback ``http.server`` in a thread, chunked, replies pre-built): the
  same 2000-event stream read by ``litellm_lite.responses(..., stream=True)`` (native: the road,
  the stream wrapper, typed events, the final response and its cost) against the raw floor of a
  kept-alive ``http.client`` connection reading the body, splitting lines and ``json.loads``-ing
  every ``data:`` line; and a bridged ``responses()`` (``groq/``: 2000 chat chunks -> events)
  against the same floor on the chat stream, with ``completion(stream=True)`` alone on that stream
  for the split. Wall time, best of N interleaved runs.

Prints one table (best of N interleaved runs, in CPU time of this process (``time.process_time``)
so that other work on a shared machine does not skew the ratio; microseconds per event, ratio to
the floor; target <= 2.5x, as for chat streams). It is not a test: nothing is asserted.

Usage: python benchmarks/responses_stream.py [--events 2000] [--runs 7] [--no-http]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litellm_lite._sse import SSEDecoder  # noqa: E402
from litellm_lite.responses_api import ResponsesStreamState, build_request, finish_stream, parse_event  # noqa: E402
from litellm_lite.responses_api.bridge_stream import ChatStreamToResponses  # noqa: E402
from litellm_lite.types import Delta, ModelResponseStream, StreamingChoices, Usage  # noqa: E402
import litellm_lite  # noqa: E402

TOKEN = "tok "


def _frame(event: Dict[str, Any]) -> bytes:
    return b"event: %s\ndata: %s\n\n" % (event["type"].encode(), json.dumps(event, separators=(",", ":")).encode())


def stream_frames(n: int) -> List[bytes]:
    """``n`` SSE events of one text answer, in OpenAI's shape."""
    rid, mid = "resp_bench", "msg_bench"
    base = {"id": rid, "object": "response", "created_at": 1700000000, "model": "gpt-4.1-2025-04-14",
            "status": "in_progress", "output": [], "usage": None, "error": None, "incomplete_details": None}
    deltas = max(1, n - 8)
    text = TOKEN * deltas
    where = {"item_id": mid, "output_index": 0, "content_index": 0}
    part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    item = {"id": mid, "type": "message", "status": "in_progress", "role": "assistant", "content": []}
    done_item = dict(item, status="completed", content=[dict(part, text=text)])
    events: List[Dict[str, Any]] = [
        {"type": "response.created", "response": base},
        {"type": "response.in_progress", "response": base},
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        dict(where, type="response.content_part.added", part=part),
    ]
    events += [dict(where, type="response.output_text.delta", delta=TOKEN, logprobs=[]) for _ in range(deltas)]
    final = dict(base, status="completed", output=[done_item],
                 usage={"input_tokens": 12, "output_tokens": deltas, "total_tokens": 12 + deltas,
                        "input_tokens_details": {"cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}})
    events += [
        dict(where, type="response.output_text.done", text=text, logprobs=[]),
        dict(where, type="response.content_part.done", part=dict(part, text=text)),
        {"type": "response.output_item.done", "output_index": 0, "item": done_item},
        {"type": "response.completed", "response": final},
    ]
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return [_frame(e) for e in events]


def floor(frames: List[bytes]) -> int:
    count = 0
    pending = b""
    for frame in frames:
        pending += frame
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.startswith(b"data: "):
                json.loads(line[6:])
                count += 1
    return count


def ours(frames: List[bytes]) -> int:
    decoder = SSEDecoder()
    state = ResponsesStreamState(provider="openai", model="gpt-4.1")
    count = 0
    for frame in frames:
        for event in decoder.feed(frame):
            count += len(parse_event(event, state))
    for event in decoder.flush():
        count += len(parse_event(event, state))
    finish_stream(state)
    assert state.final_response().output_text
    return count


def bridged(n: int) -> Callable[[], int]:
    request = build_request("m", "hi", {"stream": True})
    chunks = [ModelResponseStream(model="m", choices=[StreamingChoices(delta=Delta(content=TOKEN))]) for _ in range(n - 1)]
    chunks.append(ModelResponseStream(model="m", choices=[StreamingChoices(delta=Delta(), finish_reason="stop")],
                                      usage=Usage(prompt_tokens=1, completion_tokens=n)))

    def run() -> int:
        bridge = ChatStreamToResponses(request)
        count = sum(len(bridge.feed(chunk)) for chunk in chunks)
        return count + len(bridge.finish())

    return run


def best(fn: Callable[[], int], runs: int) -> "tuple[float, int]":
    times = []
    count = 0
    for _ in range(runs):
        start = time.process_time()
        count = fn()
        times.append(time.process_time() - start)
    return min(times), count


def _chunked(frames: List[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(f), f) for f in frames) + b"0\r\n\r\n"


def chat_frames(n: int) -> List[bytes]:
    """``n`` OpenAI chat-completion chunks (SSE) of one text answer, then usage and [DONE]."""
    def chunk(delta: Dict[str, Any], finish: Any = None, usage: Any = None) -> bytes:
        obj = {"id": "c1", "object": "chat.completion.chunk", "created": 1700000000, "model": "llama",
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}] if usage is None else [],
               "usage": usage}
        return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"

    frames = [chunk({"role": "assistant", "content": ""})]
    frames += [chunk({"content": TOKEN}) for _ in range(max(1, n - 4))]
    frames.append(chunk({}, finish="stop"))
    frames.append(chunk({}, usage={"prompt_tokens": 3, "completion_tokens": n, "total_tokens": n + 3}))
    frames.append(b"data: [DONE]\n\n")
    return frames


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = self.server.responses if self.path.endswith("/responses") else self.server.chat
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        self.wfile.write(head.encode() + body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, n: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.responses = _chunked(stream_frames(n))
        self.chat = _chunked(chat_frames(n))
        threading.Thread(target=lambda: self.serve_forever(poll_interval=0.05), daemon=True).start()


def raw_stream(conn: http.client.HTTPConnection, path: str) -> int:
    """The floor: POST on a kept-alive connection, read the body, json.loads every data line."""
    conn.request("POST", path, body=b'{"model":"m","input":"hi","stream":true}',
                 headers={"Content-Type": "application/json", "Authorization": "Bearer k"})
    response = conn.getresponse()
    count = 0
    tail = b""
    while True:
        block = response.read1(65536)
        if not block:
            break
        lines = (tail + block).split(b"\n")
        tail = lines.pop()
        for line in lines:
            if line.startswith(b"data: ") and line[6:].strip() != b"[DONE]":
                json.loads(line[6:])
                count += 1
    return count


def end_to_end(n: int, runs: int) -> List[tuple]:
    server = _Server(n)
    url = "http://127.0.0.1:%d" % server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)

    def native() -> int:
        stream = litellm_lite.responses("openai/gpt-4.1", "hi", stream=True, api_base=url + "/v1", api_key="k")
        count = sum(1 for _ in stream)
        assert stream.get_final_response().output_text
        return count

    def bridged_call() -> int:
        stream = litellm_lite.responses("groq/llama", "hi", stream=True, api_base=url + "/v1", api_key="k")
        count = sum(1 for _ in stream)
        assert stream.get_final_response().output_text
        return count

    def chat_only() -> int:
        return sum(1 for _ in litellm_lite.completion("groq/llama", [{"role": "user", "content": "hi"}], stream=True,
                                                      api_base=url + "/v1", api_key="k"))

    fns = [lambda: raw_stream(conn, "/v1/responses"), native, lambda: raw_stream(conn, "/v1/chat/completions"),
           bridged_call, chat_only]
    best = [float("inf")] * len(fns)
    counts = [0] * len(fns)
    native(), bridged_call()  # warm: imports, pool, price index
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            counts[i] = fn()
            best[i] = min(best[i], time.perf_counter() - start)
    conn.close()
    server.shutdown()
    server.server_close()
    return [
        ("http floor: http.client + json.loads (%d events)" % counts[0], "%.4f" % best[0],
         "%.2f" % (best[0] / counts[0] * 1e6), "1.00x", "-"),
        ("responses(stream=True), native over HTTP", "%.4f" % best[1], "%.2f" % (best[1] / counts[1] * 1e6),
         "%.2fx" % (best[1] / best[0]), "<= 2.5x"),
        ("http floor: chat stream (%d chunks)" % counts[2], "%.4f" % best[2], "%.2f" % (best[2] / counts[2] * 1e6),
         "1.00x", "-"),
        ("responses(stream=True), bridged (%d events)" % counts[3], "%.4f" % best[3],
         "%.2f" % (best[3] / counts[2] * 1e6), "%.2fx" % (best[3] / best[2]), "(per chat chunk)"),
        ("  of which completion(stream=True) alone", "%.4f" % best[4], "%.2f" % (best[4] / counts[4] * 1e6),
         "%.2fx" % (best[4] / best[2]), "(chat: <= 2.5x)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-http", action="store_true", help="skip the end-to-end measures over loopback HTTP")
    args = parser.parse_args()
    frames = stream_frames(args.events)
    run_bridge = bridged(args.events)
    # Interleaved, best of each: a busy machine slows every measure alike instead of one.
    raw = lite = bridge = float("inf")
    n_raw = n_lite = n_bridge = 0
    for _ in range(args.runs):
        t, n_raw = best(lambda: floor(frames), 1)
        raw = min(raw, t)
        t, n_lite = best(lambda: ours(frames), 1)
        lite = min(lite, t)
        t, n_bridge = best(run_bridge, 1)
        bridge = min(bridge, t)
    assert n_raw == n_lite == len(frames)
    rows = [
        ("measure", "seconds", "us/event", "ratio", "target"),
        ("floor: json.loads per event (%d)" % n_raw, "%.4f" % raw, "%.2f" % (raw / n_raw * 1e6), "1.00x", "-"),
        ("native stream -> typed events + final", "%.4f" % lite, "%.2f" % (lite / n_lite * 1e6), "%.2fx" % (lite / raw), "<= 2.5x"),
        ("bridge: %d chat chunks -> %d events" % (args.events, n_bridge), "%.4f" % bridge,
         "%.2f" % (bridge / n_bridge * 1e6), "%.2fx" % (bridge / raw), "(scale only)"),
    ]
    if not args.no_http:
        rows.extend(end_to_end(args.events, args.runs))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))


if __name__ == "__main__":
    main()
