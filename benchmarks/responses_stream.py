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
  (no floor of its own: set against the same json.loads floor for scale).

Prints one table (best of N interleaved runs, in CPU time of this process (``time.process_time``)
so that other work on a shared machine does not skew the ratio; microseconds per event, ratio to
the floor; target <= 2.5x, as for chat streams). It is not a test: nothing is asserted.

Usage: python benchmarks/responses_stream.py [--events 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litellm_lite._sse import SSEDecoder  # noqa: E402
from litellm_lite.responses import ResponsesStreamState, build_request, finish_stream, parse_event  # noqa: E402
from litellm_lite.responses.bridge_stream import ChatStreamToResponses  # noqa: E402
from litellm_lite.types import Delta, ModelResponseStream, StreamingChoices, Usage  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
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
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))


if __name__ == "__main__":
    main()
