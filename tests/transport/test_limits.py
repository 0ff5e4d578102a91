"""Bounded memory and time against hostile servers: size limits, gzip bombs, deadlines, 1xx."""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
import tracemalloc
import zlib
from typing import Any, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite import _deadline, _http, _inflate
from litellm_lite._framing import JSONArrayDecoder, NDJSONDecoder
from litellm_lite._sse import SSEDecoder
from litellm_lite.exceptions import APIConnectionError, APIError, BadRequestError, RateLimitError, Timeout
from litellm_lite.retry import Retry
from tests.server import LoopbackServer, RecordedRequest, Reply, Step, chunk, drip, gzip_bomb, interims, response
from tests.transport.test_http import wire

USER = [{"role": "user", "content": "hi"}]
OK_BODY = json.dumps(
    {
        "id": "x",
        "object": "chat.completion",
        "model": "gpt-4o",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
).encode()


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    _http.close_all()
    yield
    _http.close_all()


def send(url: str, **kw: Any) -> _http.HTTPResponse:
    kw.setdefault("timeout", 5.0)
    return _http.send(wire(url), provider="openai", model="m", **kw)


# ---------------------------------------------------------------------------------------------
# Response size limits and bounded inflation


def test_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 2 << 20  # 1 GiB of zeros in about a megabyte
    headers = [("Content-Encoding", "gzip"), ("Content-Type", "application/json")]
    with LoopbackServer(lambda req: [response(200, bomb, headers=headers)]) as srv:
        resp = send(srv.url)
        tracemalloc.start()
        try:
            with pytest.raises(APIError) as info:
                resp.read()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, peak  # refused after about 8 MiB of output
    assert "MAX_INFLATION_RATIO" in str(info.value)
    assert not isinstance(info.value, APIConnectionError)  # not retried as a network failure
    assert info.value.status_code == 200


def test_streamed_gzip_bomb_comes_out_in_bounded_pieces_then_is_refused() -> None:
    bomb = gzip_bomb(256 << 20)
    headers = [("Content-Encoding", "gzip")]
    with LoopbackServer(lambda req: [response(200, bomb, headers=headers)]) as srv:
        resp = send(srv.url)
        total = 0
        with pytest.raises(APIError, match="MAX_INFLATION_RATIO"):
            while True:
                piece = resp.read1(65536)
                assert len(piece) <= _inflate.CHUNK
                if not piece:
                    break
                total += len(piece)
        assert _inflate.RATIO_FREE_BYTES - _inflate.CHUNK <= total <= _inflate.RATIO_FREE_BYTES + _inflate.CHUNK
        assert resp.closed


def test_body_over_max_response_bytes_is_refused_naming_the_limit() -> None:
    body = os.urandom(300_000)
    with LoopbackServer(lambda req: [response(200, body)]) as srv:
        with pytest.raises(APIError, match="max_response_bytes=100000") as info:
            send(srv.url, max_response_bytes=100_000).read()
        assert info.value.status_code == 200
        assert send(srv.url, max_response_bytes=300_000).read() == body  # exactly at the limit: fine


def test_compressed_body_over_the_limit_is_stopped_as_it_inflates() -> None:
    body = os.urandom(200_000).hex().encode()  # compresses about 2:1, within the ratio guard
    packed = gzip.compress(body)
    with LoopbackServer(lambda req: [response(200, packed, headers=[("Content-Encoding", "gzip")])]) as srv:
        with pytest.raises(APIError, match="max_response_bytes"):
            send(srv.url, max_response_bytes=len(packed) + 1000).read()
        assert send(srv.url).read() == body


def test_chunked_body_without_length_is_bounded_too() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        return [head] + [chunk(b"x" * 10000) for _ in range(50)] + [b"0\r\n\r\n"]

    with LoopbackServer(handler) as srv:
        with pytest.raises(APIError, match="max_response_bytes=123456"):
            send(srv.url, max_response_bytes=123456).read()
        assert len(send(srv.url).read()) == 500000


def test_max_response_bytes_keyword_and_setting(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.add(Reply(body=OK_BODY))
    kw = dict(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=0)
    with pytest.raises(APIError, match="max_response_bytes=100"):
        litellm.completion(max_response_bytes=100, **kw)
    monkeypatch.setattr(litellm, "max_response_bytes", 50)
    with pytest.raises(APIError, match="max_response_bytes=50"):
        litellm.completion(**kw)
    monkeypatch.setattr(litellm, "max_response_bytes", None)
    assert litellm.completion(**kw).choices[0].message.content == "fine"
    for bad in (0, -1, 1.5, True, "10"):
        with pytest.raises(BadRequestError, match="max_response_bytes"):
            litellm.completion(max_response_bytes=bad, **kw)
    assert "max_response_bytes" not in server.requests[-1].json()  # never sent


def test_sse_event_total_size_is_capped_not_only_each_line() -> None:
    decoder = SSEDecoder(max_line_bytes=1000, max_event_bytes=5000)
    line = b"data: " + b"x" * 900 + b"\n"
    assert decoder.feed(line * 5) == []  # 4.5 kB pending: still fine
    with pytest.raises(APIConnectionError, match="MAX_EVENT_BYTES=5000"):
        decoder.feed(line * 2)
    decoder = SSEDecoder(max_line_bytes=1000, max_event_bytes=5000)
    events = decoder.feed((line * 5 + b"\n") * 3)  # each event under the cap: all delivered
    assert len(events) == 3 and len(events[0].data) == 5 * 900 + 4


def test_a_line_completed_across_feeds_is_checked() -> None:
    decoder = NDJSONDecoder(max_line_bytes=1000)
    decoder.feed(b"x" * 900)
    with pytest.raises(APIConnectionError, match="MAX_LINE_BYTES=1000"):
        decoder.feed(b"y" * 200 + b"\n{}\n")


def test_json_array_element_cap_names_the_limit() -> None:
    decoder = JSONArrayDecoder(max_element_bytes=1000)
    with pytest.raises(APIConnectionError, match="MAX_EVENT_BYTES=1000"):
        decoder.feed(b'[{"a": "' + b"x" * 2000)


# ---------------------------------------------------------------------------------------------
# Whole-call deadline


@pytest.mark.slow  # waits out real deadlines (0.3-0.6 s)
def test_deadline_bounds_a_body_dripping_one_byte_at_a_time() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n"
    with LoopbackServer(lambda req: drip(b"x" * 200, 0.05, first=head)) as srv:
        start = time.monotonic()
        resp = send(srv.url, timeout=2.0, deadline=time.monotonic() + 0.5)
        with pytest.raises(Timeout, match="call_timeout"):
            resp.read()
        elapsed = time.monotonic() - start
    assert elapsed < 3.0  # the per-read timeout (2 s) alone would never fire: 1 byte every 50 ms


@pytest.mark.slow  # waits out real deadlines (0.3-0.6 s)
def test_deadline_bounds_headers_sent_byte_by_byte() -> None:
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 100 + b"\r\n\r\n"
    with LoopbackServer(lambda req: drip(head, 0.05)) as srv:
        start = time.monotonic()
        with pytest.raises(Timeout, match="call_timeout"):
            send(srv.url, timeout=2.0, deadline=time.monotonic() + 0.4)
        assert time.monotonic() - start < 3.0


@pytest.mark.slow  # waits out real deadlines (0.3-0.6 s)
def test_deadline_bounds_a_whole_stream(server: LoopbackServer) -> None:
    event = {"id": "c", "object": "chat.completion.chunk", "model": "gpt-4o",
             "choices": [{"index": 0, "delta": {"content": "a"}, "finish_reason": None}]}
    server.add(Reply.sse([event] * 200, delay=0.02))  # four seconds of chunks
    start = time.monotonic()
    stream = litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k",
                                stream=True, call_timeout=0.6, timeout=5)
    seen = 0
    with pytest.raises(Timeout, match="call_timeout"):
        for _ in stream:
            seen += 1
    assert 0 < seen < 200
    assert time.monotonic() - start < 3.0


def test_deadline_already_passed_sends_nothing() -> None:
    with LoopbackServer(lambda req: [response(200, b"ok")]) as srv:
        with pytest.raises(Timeout, match="call_timeout"):
            send(srv.url, deadline=time.monotonic() - 1)
        assert srv.requests == []


@pytest.mark.slow  # waits out real deadlines (0.3-0.6 s)
def test_a_call_finished_in_time_keeps_its_connection() -> None:
    with LoopbackServer(lambda req: [response(200, b"ok")]) as srv:
        for _ in range(3):
            assert send(srv.url, deadline=time.monotonic() + 0.3).read() == b"ok"
        time.sleep(0.5)  # the deadlines pass: nothing may cut the pooled connection
        assert send(srv.url).read() == b"ok"
        assert srv.accepted == 1


def test_retry_sleeps_stop_at_the_deadline(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "slow down"}}, status=429, headers={"retry-after": "30"}))
    start = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k",
                           num_retries=3, call_timeout=2)
    assert time.monotonic() - start < 10  # no 30 s sleep: the retry could not finish in time
    assert len(server.requests) == 1
    assert len(info.value.attempts) == 1


def test_retry_after_is_capped_by_max_retry_delay(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Retry().delay(0, {"retry-after": "3600"}) == 60.0
    monkeypatch.setattr(litellm, "max_retry_delay", 0.05)
    assert Retry().delay(0, {"retry-after": "3600"}) == 0.05
    assert Retry(max_retry_after=2).delay(0, {"retry-after": "3600"}) == 2.0  # explicit cap wins
    server.add(Reply.json({"error": {"message": "later"}}, status=429, headers={"retry-after": "3600"}),
               Reply(body=OK_BODY))
    start = time.monotonic()
    response_ = litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k",
                                   num_retries=1)
    assert response_.choices[0].message.content == "fine"
    assert time.monotonic() - start < 20  # not the 60 s default cap, nor an hour


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), True, "5"])
def test_invalid_call_timeout_is_refused(bad: Any, server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError, match="call_timeout"):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", call_timeout=bad)
    assert server.requests == []


@pytest.mark.slow  # waits out real deadlines (0.3-0.6 s)
def test_call_timeout_setting_applies(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.add(Reply(body=OK_BODY, delay_before=3.0))
    monkeypatch.setattr(litellm, "call_timeout", 0.3)
    start = time.monotonic()
    with pytest.raises(Timeout):
        litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", num_retries=2)
    assert time.monotonic() - start < 2.5  # the server answers after 3 s


def test_watchdog_thread_exits_when_idle_and_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_deadline, "_IDLE_EXIT", 0.05)
    with LoopbackServer(lambda req: [response(200, b"ok")]) as srv:
        assert send(srv.url, deadline=time.monotonic() + 0.1).read() == b"ok"
        end = time.monotonic() + 10
        while any(t.name == "litellm_lite-deadline" for t in threading.enumerate()) and time.monotonic() < end:
            time.sleep(0.05)
        assert not any(t.name == "litellm_lite-deadline" for t in threading.enumerate())
        assert send(srv.url, deadline=time.monotonic() + 5).read() == b"ok"


def test_cancelled_watches_are_compacted() -> None:
    class Conn:
        sock = None

    far = time.monotonic() + 3600
    for _ in range(300):
        _deadline.watch(far, Conn()).cancel()
    assert len(_deadline._heap) < 200


def test_deadline_is_checked_after_a_slow_host_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    real = socket.getaddrinfo

    def slow_lookup(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.6)  # a resolver that answers after the call's deadline
        return real(*args, **kwargs)

    with LoopbackServer(lambda req: [response(200, b"{}")]) as srv:
        monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
        with pytest.raises(Timeout):
            _http.send(wire(srv.url), timeout=5.0, provider="openai", model="m", deadline=time.monotonic() + 0.3)
        monkeypatch.setattr(socket, "getaddrinfo", real)
        assert srv.requests == []  # nothing was sent once the deadline had passed
        assert _http.send(wire(srv.url), timeout=5.0, provider="openai", model="m").read() == b"{}"


# ---------------------------------------------------------------------------------------------
# Interim 1xx responses


def test_early_hints_and_processing_are_skipped() -> None:
    interim = interims(103, 102, 102, headers=[("Link", "</style.css>; rel=preload")])
    with LoopbackServer(lambda req: [interim, 0.05, response(200, b'{"ok": 1}', headers=[("X-Final", "yes")])]) as srv:
        resp = send(srv.url)
        assert resp.status == 200 and resp.headers["x-final"] == "yes"
        assert "link" not in resp.headers
        assert resp.read() == b'{"ok": 1}'
        assert send(srv.url).read() == b'{"ok": 1}'  # the connection stayed in step
        assert srv.accepted == 1


def test_endless_interim_responses_are_an_error() -> None:
    with LoopbackServer(lambda req: [interims(*[103] * 40)]) as srv:
        with pytest.raises(APIConnectionError, match="interim"):
            send(srv.url)


def test_interim_response_with_too_long_header_is_an_error() -> None:
    with LoopbackServer(lambda req: [b"HTTP/1.1 103 Early Hints\r\nLink: " + b"x" * 70000 + b"\r\n\r\n"]) as srv:
        with pytest.raises(APIConnectionError):
            send(srv.url)


def test_inflater_handles_raw_deflate_and_cut_bodies() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    data = raw.compress(b"hello " * 1000) + raw.flush()
    inflater = _inflate.Inflater("deflate")
    out = inflater.feed(data)
    while inflater.pending:
        out += inflater.feed(b"")
    assert out + inflater.flush() == b"hello " * 1000
    cut = _inflate.Inflater("gzip")
    cut.feed(gzip.compress(b"abc" * 100)[:20])
    with pytest.raises(zlib.error):
        cut.flush()
