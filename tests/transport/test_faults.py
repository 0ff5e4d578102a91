"""Fault injection through the public calls: ``completion()`` (streamed and not) and ``embedding()``.

The loopback server of tests/server.py (a thread per connection, every byte scripted) refuses, resets
mid-headers and mid-body, stalls before and during a response, sends HTML / empty / invalid JSON
bodies, lines longer than the decoders accept, the wrong content type, and 429/5xx storms. Every
case must end in the right exception class of ours within a bounded time, and leave no thread
and no file descriptor behind (checked around every test by the ``no_leaks`` fixture).

Then: 1000 streams abandoned after one chunk (and 1000 closed explicitly) keep the open-fd count
flat; and the transport's security rules hold end to end: redirects to another origin lose the
credentials (for OpenAI, Anthropic and Gemini alike), only http(s) URLs are accepted, header
values with CR/LF are refused before any I/O, and secrets appear in no exception text or log.
"""

from __future__ import annotations

import gc
import gzip
import json
import logging
import os
import struct
import threading
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from tests.server import LoopbackServer, RecordedRequest, Step, chunk, closed_port, head

import litellm_lite
from litellm_lite import _http
from litellm_lite._sse import MAX_LINE_BYTES
from litellm_lite.exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    InternalServerError,
    LiteLLMError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
)
from litellm_lite.testing import FakeProvider

pytestmark = pytest.mark.slow  # fuzzing / fault injection / subprocesses: the quick lane skips them

HAS_PROC_FD = Path("/proc/self/fd").is_dir()
MESSAGES = [{"role": "user", "content": "hi"}]
TIMEOUT = 0.3  # the per-call timeout of the stall cases
BOUND = 3.0  # generous wall-clock bound for any single faulty call (no retries)

# ---------------------------------------------------------------------------------------------
# Scripts for the loopback server (tests/server.py)


def whole(status: int, body: bytes, content_type: str = "application/json", **headers: str) -> bytes:
    hdrs = {"Content-Type": content_type}
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
    return head(status, hdrs, length=len(body)) + body


# ---------------------------------------------------------------------------------------------
# Leak checks around every test


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if HAS_PROC_FD else 0


def settle(threads: int, fds: int, deadline: float = 3.0) -> Tuple[int, int]:
    """Collect garbage and wait (briefly) for thread and fd counts to come back down."""
    end = time.monotonic() + deadline
    _http.close_all()
    now_threads, now_fds = threading.active_count(), open_fds()
    if now_threads <= threads and now_fds <= fds:
        return now_threads, now_fds  # already back: no full collection needed (it is slow on a big heap)
    while True:
        _http.close_all()
        gc.collect()
        now_threads, now_fds = threading.active_count(), open_fds()
        if (now_threads <= threads and now_fds <= fds) or time.monotonic() > end:
            return now_threads, now_fds
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    _http.close_all()
    threads, fds = threading.active_count(), open_fds()
    yield
    after_threads, after_fds = settle(threads, fds)
    assert after_threads <= threads, "leaked threads: %s" % [t.name for t in threading.enumerate()]
    assert after_fds <= fds, "leaked file descriptors: %d -> %d" % (fds, after_fds)


# ---------------------------------------------------------------------------------------------
# Providers under test and what a healthy first stream event looks like in each format


def _es_header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return bytes([len(raw_name)]) + raw_name + b"\x07" + struct.pack(">H", len(raw_value)) + raw_value


def es_frame(event_type: str, payload: Dict[str, Any]) -> bytes:
    """One AWS event-stream message (CRCs included)."""
    headers = _es_header(":message-type", "event") + _es_header(":event-type", event_type)
    headers += _es_header(":content-type", "application/json")
    body = json.dumps(payload).encode()
    total = 16 + len(headers) + len(body)
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + headers + body
    return message + struct.pack(">I", zlib.crc32(message) & 0xFFFFFFFF)


_AWS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "aws-secret-key", "aws_region_name": "us-east-1"}

PROVIDERS: Dict[str, Dict[str, Any]] = {
    "openai": {
        "model": "openai/gpt-4o-mini",
        "stream_type": "text/event-stream",
        "first": b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
                 b'"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"}}]}\n\n',
    },
    "anthropic": {
        "model": "anthropic/claude-3-5-haiku-latest",
        "stream_type": "text/event-stream",
        "first": b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
                 b'"delta":{"type":"text_delta","text":"hi"}}\n\n',
    },
    "gemini": {
        "model": "gemini/gemini-2.0-flash",
        "stream_type": "text/event-stream",
        "first": b'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"index":0}]}\n\n',
    },
    "cohere": {
        "model": "cohere/command-r",
        "stream_type": "text/event-stream",
        "first": b'event: content-delta\ndata: {"type":"content-delta","index":0,'
                 b'"delta":{"message":{"content":{"text":"hi"}}}}\n\n',
    },
    "ollama_chat": {
        "model": "ollama_chat/llama3",
        "stream_type": "application/x-ndjson",
        "first": b'{"model":"llama3","message":{"role":"assistant","content":"hi"},"done":false}\n',
    },
    "bedrock": {
        "model": "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        "stream_type": "application/vnd.amazon.eventstream",
        "first": es_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "hi"}}),
        "kwargs": _AWS,
    },
}
NAMES = list(PROVIDERS)
EMBEDDERS = {
    "openai": "openai/text-embedding-3-small",
    "gemini": "gemini/text-embedding-004",
    "cohere": "cohere/embed-english-v3.0",
    "ollama": "ollama/nomic-embed-text",
}


def call(name: str, url: str, *, stream: bool = False, timeout: float = 5.0, num_retries: int = 0, **kw: Any) -> Any:
    """completion() against ``url`` in ``name``'s format; a stream is consumed to its end."""
    info = PROVIDERS[name]
    kwargs = dict(info.get("kwargs", {}))
    kwargs.update(kw)
    result = litellm_lite.completion(
        model=info["model"], messages=MESSAGES, api_base=url, api_key="sk-test-key", stream=stream,
        timeout=timeout, num_retries=num_retries, **kwargs,
    )
    if stream:
        return list(result)
    return result


def embed(name: str, url: str, *, timeout: float = 5.0, num_retries: int = 0) -> Any:
    return litellm_lite.embedding(
        model=EMBEDDERS[name], input=["hello"], api_base=url, api_key="sk-test-key", timeout=timeout,
        num_retries=num_retries,
    )


def expect(exc_class: type, fn: Callable[[], Any], bound: float = BOUND) -> APIError:
    """``fn()`` raises exactly an ``exc_class`` (of ours) within ``bound`` seconds."""
    start = time.monotonic()
    with pytest.raises(LiteLLMError) as info:
        fn()
    elapsed = time.monotonic() - start
    assert isinstance(info.value, exc_class), "%s: %s" % (type(info.value).__name__, info.value)
    assert isinstance(info.value, APIError)
    assert elapsed < bound, "took %.2fs" % elapsed
    str(info.value)  # formatting never fails
    return info.value


# ---------------------------------------------------------------------------------------------
# Refused, reset, cut


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("name", NAMES)
def test_connection_refused(name: str, stream: bool) -> None:
    url = "http://127.0.0.1:%d" % closed_port()
    error = expect(APIConnectionError, lambda: call(name, url, stream=stream))
    assert not isinstance(error, Timeout)
    assert "refused" in str(error)
    assert isinstance(error.__cause__, ConnectionRefusedError)


@pytest.mark.parametrize("name", list(EMBEDDERS))
def test_embedding_connection_refused(name: str) -> None:
    url = "http://127.0.0.1:%d" % closed_port()
    expect(APIConnectionError, lambda: embed(name, url))


@pytest.mark.parametrize("how", ["reset", "close"])
@pytest.mark.parametrize("name", NAMES)
def test_cut_mid_headers(name: str, how: str) -> None:
    with LoopbackServer(lambda req: [b"HTTP/1.1 200 OK\r\nContent-Type: applic", how]) as srv:
        error = expect(APIConnectionError, lambda: call(name, srv.url))
        assert not isinstance(error, Timeout)
        assert len(srv.requests) == 1  # no retry with num_retries=0


@pytest.mark.parametrize("how", ["reset", "close"])
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize("name", NAMES)
def test_cut_mid_body_plain(name: str, framing: str, how: str) -> None:
    body = b'{"id": "x", "choices": [{"message": {"content": "hello'
    if framing == "chunked":
        steps: List[Step] = [head(200, {"Content-Type": "application/json"}, chunked=True), chunk(body), how]
    else:
        steps = [head(200, {"Content-Type": "application/json"}, length=len(body) + 500), body, how]
    with LoopbackServer(lambda req: steps) as srv:
        error = expect(APIConnectionError, lambda: call(name, srv.url))
        assert not isinstance(error, Timeout)


@pytest.mark.parametrize("how", ["reset", "close"])
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize("name", NAMES)
def test_cut_mid_body_stream(name: str, framing: str, how: str) -> None:
    info = PROVIDERS[name]
    first = info["first"]
    hdrs = {"Content-Type": info["stream_type"]}
    if framing == "chunked":
        steps: List[Step] = [head(200, hdrs, chunked=True), chunk(first), how]
    else:
        steps = [head(200, hdrs, length=len(first) * 10), first, how]
    with LoopbackServer(lambda req: steps) as srv:
        stream = litellm_lite.completion(
            model=info["model"], messages=MESSAGES, api_base=srv.url, api_key="k", stream=True, timeout=5,
            num_retries=0, **info.get("kwargs", {}),
        )
        got: List[Any] = []

        def consume() -> None:
            for item in stream:
                got.append(item)

        expect(APIConnectionError, consume)
        assert any(c.choices and c.choices[0].delta.content == "hi" for c in got), got  # the part before the cut
        with pytest.raises(StopIteration):
            next(stream)  # closed after the error, not hanging


@pytest.mark.parametrize("name", list(EMBEDDERS))
def test_embedding_reset_mid_body(name: str) -> None:
    body = b'{"data": [{"embedding": [0.1, 0.2'
    with LoopbackServer(lambda req: [head(200, {"Content-Type": "application/json"}, length=200), body, "reset"]) as srv:
        expect(APIConnectionError, lambda: embed(name, srv.url))


MALFORMED: Dict[str, List[Step]] = {
    "garbage status line": [b"SMTP READY\r\n\r\n", "close"],
    "no status line at all": [b'{"choices": []}', "close"],
    "header line of 100 KiB": [b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 102400 + b"\r\n\r\n{}", "close"],
    "200 header lines": [b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(200)) + b"\r\n", "close"],
    "bad chunk size": [head(200, {"Content-Type": "application/json"}, chunked=True) + b"zz\r\n{}\r\n0\r\n\r\n"],
    "corrupt gzip": [head(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, length=12) + b"not gzip!!!!"],
    "gzip cut short": [head(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, length=20)
                       + gzip.compress(b'{"choices": []}' * 20)[:20]],
}


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_http(case: str, stream: bool) -> None:
    """Broken HTTP framing: http.client's and zlib's exceptions come out as APIConnectionError."""
    with LoopbackServer(lambda req: MALFORMED[case]) as srv:
        expect(APIConnectionError, lambda: call("openai", srv.url, stream=stream))


# ---------------------------------------------------------------------------------------------
# Stalls


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("name", NAMES)
def test_stall_before_status_line(name: str, stream: bool) -> None:
    with LoopbackServer(lambda req: [30.0]) as srv:
        error = expect(Timeout, lambda: call(name, srv.url, stream=stream, timeout=TIMEOUT), bound=TIMEOUT + 1.5)
        assert error.status_code == 408
        assert len(srv.requests) == 1


@pytest.mark.parametrize("name", NAMES)
def test_stall_during_plain_body(name: str) -> None:
    body = b'{"id": "x", "choices": ['
    with LoopbackServer(lambda req: [head(200, {"Content-Type": "application/json"}, length=400), body, 30.0]) as srv:
        expect(Timeout, lambda: call(name, srv.url, timeout=TIMEOUT), bound=TIMEOUT + 1.5)


@pytest.mark.parametrize("name", NAMES)
def test_stall_during_stream(name: str) -> None:
    info = PROVIDERS[name]
    steps: List[Step] = [head(200, {"Content-Type": info["stream_type"]}, chunked=True), chunk(info["first"]), 30.0]
    with LoopbackServer(lambda req: steps) as srv:
        stream = litellm_lite.completion(
            model=info["model"], messages=MESSAGES, api_base=srv.url, api_key="k", stream=True, timeout=TIMEOUT,
            num_retries=0, **info.get("kwargs", {}),
        )
        first = next(stream)
        while not (first.choices and first.choices[0].delta.content):
            first = next(stream)
        assert first.choices[0].delta.content == "hi"
        expect(Timeout, lambda: next(stream), bound=TIMEOUT + 1.5)
        with pytest.raises(StopIteration):
            next(stream)  # closed after the timeout


@pytest.mark.parametrize("name", list(EMBEDDERS))
def test_embedding_stall(name: str) -> None:
    with LoopbackServer(lambda req: [30.0]) as srv:
        expect(Timeout, lambda: embed(name, srv.url, timeout=TIMEOUT), bound=TIMEOUT + 1.5)


# ---------------------------------------------------------------------------------------------
# Bodies that are not what was asked for

HTML = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@pytest.mark.parametrize("name", NAMES)
def test_html_body_with_200(name: str) -> None:
    with LoopbackServer(lambda req: [whole(200, HTML, "text/html")]) as srv:
        expect(APIConnectionError, lambda: call(name, srv.url))


@pytest.mark.parametrize("name", NAMES)
def test_html_body_with_502(name: str) -> None:
    with LoopbackServer(lambda req: [whole(502, HTML, "text/html")]) as srv:
        error = expect(BadGatewayError, lambda: call(name, srv.url))
        assert error.status_code == 502
        assert "Bad Gateway" in str(error)  # the page's text is the message, not a JSON error


@pytest.mark.parametrize(("status", "exc_class"), [(200, APIConnectionError), (500, InternalServerError),
                                                    (503, ServiceUnavailableError), (401, AuthenticationError)])
@pytest.mark.parametrize("name", NAMES)
def test_empty_body(name: str, status: int, exc_class: type) -> None:
    with LoopbackServer(lambda req: [whole(status, b"")]) as srv:
        error = expect(exc_class, lambda: call(name, srv.url))
        if status != 200:
            assert error.status_code == status


@pytest.mark.parametrize("body", [b'{"choices": [', b"not json at all", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"null"])
@pytest.mark.parametrize("name", NAMES)
def test_invalid_json_with_200(name: str, body: bytes) -> None:
    with LoopbackServer(lambda req: [whole(200, body)]) as srv:
        expect(APIError, lambda: call(name, srv.url))


@pytest.mark.parametrize("name", list(EMBEDDERS))
@pytest.mark.parametrize("body", [HTML, b"", b'{"data": 5}', b'{"embeddings": [{"values": ["x"]}]}'])
def test_embedding_bad_bodies(name: str, body: bytes) -> None:
    with LoopbackServer(lambda req: [whole(200, body, "text/html")]) as srv:
        expect(APIError, lambda: embed(name, srv.url))


@pytest.mark.parametrize("name", NAMES)
def test_wrong_content_type_for_a_stream(name: str) -> None:
    """An HTML page (or a JSON document) where a stream was expected: the stream ends without its
    end marker, which is an APIConnectionError, not an empty success."""
    with LoopbackServer(lambda req: [whole(200, HTML, "text/html")]) as srv:
        expect(APIConnectionError, lambda: call(name, srv.url, stream=True))
    document = b'{"id": "x", "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}]}'
    with LoopbackServer(lambda req: [whole(200, document)]) as srv:
        if name == "openai":
            # A whole chat completion where a stream was asked for is served as chunks.
            chunks = litellm_lite.completion(model=PROVIDERS[name]["model"], messages=MESSAGES, api_base=srv.url,
                                             api_key="sk-test-key", stream=True, num_retries=0)
            assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hi"
        else:
            expect(APIConnectionError, lambda: call(name, srv.url, stream=True))


# ---------------------------------------------------------------------------------------------
# Lines and frames larger than the decoders keep


def _endless_line(prefix: bytes, total: int) -> List[Step]:
    """A chunked body: ``prefix`` then ``total`` bytes without any line break, then a stall."""
    block = b"x" * (1 << 20)
    steps: List[Step] = [chunk(prefix)]
    sent = 0
    while sent < total:
        steps.append(chunk(block))
        sent += len(block)
    return steps + [30.0]


@pytest.mark.parametrize(("name", "prefix"), [("openai", b"data: "), ("ollama_chat", b'{"message": {"content": "')])
def test_line_longer_than_the_decoder_limit(name: str, prefix: bytes) -> None:
    """The decoders' limit (MAX_LINE_BYTES, 16 MiB; not a completion() option) is enforced: a
    line growing past it ends the stream with APIConnectionError, not with memory growing
    until the timeout. The server streams limit + 1 MiB quickly over loopback, then stalls."""
    assert MAX_LINE_BYTES == 16 * 1024 * 1024
    info = PROVIDERS[name]
    steps = [head(200, {"Content-Type": info["stream_type"]}, chunked=True)] + _endless_line(prefix, MAX_LINE_BYTES + (1 << 20))
    with LoopbackServer(lambda req: steps) as srv:
        error = expect(APIConnectionError, lambda: call(name, srv.url, stream=True, timeout=10), bound=8.0)
        assert not isinstance(error, Timeout)
        assert "too long" in str(error)


def test_eventstream_frame_longer_than_the_limit() -> None:
    """A Bedrock frame whose (CRC-valid) prelude announces 32 MiB is refused at once."""
    prelude = struct.pack(">II", 32 << 20, 0)
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    steps: List[Step] = [head(200, {"Content-Type": PROVIDERS["bedrock"]["stream_type"]}, chunked=True), chunk(prelude), 30.0]
    with LoopbackServer(lambda req: steps) as srv:
        error = expect(APIConnectionError, lambda: call("bedrock", srv.url, stream=True, timeout=10))
        assert "length" in str(error)


# ---------------------------------------------------------------------------------------------
# 429 / 5xx storms: exactly num_retries + 1 attempts, then the mapped error


@pytest.mark.parametrize(("status", "exc_class"), [(503, ServiceUnavailableError), (429, RateLimitError),
                                                    (500, InternalServerError), (502, BadGatewayError)])
@pytest.mark.parametrize("name", NAMES)
def test_storm_ends_after_num_retries_plus_one(name: str, status: int, exc_class: type) -> None:
    body = b'{"error": {"message": "busy, try again"}}'
    with LoopbackServer(lambda req: [whole(status, body, retry_after="0")]) as srv:
        error = expect(exc_class, lambda: call(name, srv.url, num_retries=3), bound=5.0)
        assert error.status_code == status
        assert len(srv.requests) == 4
        assert len(getattr(error, "attempts", [])) == 4
        assert srv.accepted == 1  # the error bodies were read: one keep-alive connection served them all


def test_storm_while_streaming_and_embedding() -> None:
    with LoopbackServer(lambda req: [whole(503, b'{"error": {"message": "overloaded"}}', retry_after="0")]) as srv:
        expect(ServiceUnavailableError, lambda: call("anthropic", srv.url, stream=True, num_retries=2))
        assert len(srv.requests) == 3
        expect(ServiceUnavailableError, lambda: embed("openai", srv.url, num_retries=2))
        assert len(srv.requests) == 6


def test_connection_failures_are_retried_then_raised() -> None:
    """A reset before any response byte is retried like a 503 (num_retries=1: two attempts)."""
    with LoopbackServer(lambda req: ["reset"]) as srv:
        expect(APIConnectionError, lambda: call("openai", srv.url, num_retries=1), bound=5.0)
        assert len(srv.requests) == 2


# ---------------------------------------------------------------------------------------------
# 1000 abandoned / closed streams: the fd count stays flat


def _stream_kwargs(fake: FakeProvider) -> Dict[str, Any]:
    kwargs = fake.kwargs()
    kwargs.update(messages=[{"role": "user", "content": "x" * 200}], stream=True, num_retries=0, timeout=5)
    return kwargs


@pytest.mark.skipif(not HAS_PROC_FD, reason="needs /proc/self/fd to count descriptors")
@pytest.mark.parametrize("ending", ["abandoned", "closed"])
def test_thousand_partial_streams_keep_fds_flat(ending: str) -> None:
    with FakeProvider(chunk_size=4) as fake:
        kwargs = _stream_kwargs(fake)
        # Warm up (imports, the opener, the first pooled connection), then measure.
        stream = litellm_lite.completion(**kwargs)
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "x" * 200
        del stream
        before = settle(threading.active_count(), 0, deadline=0.2)[1]
        peak = before
        start = time.monotonic()
        for i in range(1000):
            stream = litellm_lite.completion(**kwargs)
            chunk_ = next(stream)
            assert chunk_.choices
            if ending == "closed":
                stream.close()
            del stream, chunk_
            if i % 50 == 49:
                gc.collect()
                peak = max(peak, open_fds())
        elapsed = time.monotonic() - start
        gc.collect()
        peak = max(peak, open_fds())
        assert peak <= before + 5, "fd count grew: %d -> %d" % (before, peak)
        assert elapsed < 60, "1000 partial streams took %.1fs" % elapsed
        assert len(fake.requests) == 1001


# ---------------------------------------------------------------------------------------------
# Redirects, schemes, header validation, secrets: end to end through completion()

SECRET = "sk-live-SECRET-0123456789abcdef"
_CREDENTIAL_HEADERS = ("authorization", "x-api-key", "x-goog-api-key", "api-key")


@pytest.mark.parametrize("fmt", ["openai", "anthropic", "gemini"])
def test_307_to_another_port_drops_credentials(fmt: str) -> None:
    with FakeProvider() as fake:
        target = fake.kwargs(fmt)

        def redirect(req: RecordedRequest) -> List[Step]:
            location = fake.url + req.target
            return [whole(307, b"", "text/plain", location=location)]

        with LoopbackServer(redirect) as srv:
            api_base = target["api_base"].replace(fake.url, srv.url)
            response = litellm_lite.completion(
                model=target["model"], messages=[{"role": "user", "content": "redirected"}], api_base=api_base,
                api_key=SECRET, num_retries=0, timeout=5,
            )
            assert response.choices[0].message.content == "redirected"
            first = srv.requests[0]
            assert any(SECRET in first.headers.get(h, "") for h in _CREDENTIAL_HEADERS)  # the origin got the key
        landed = fake.requests[0]
        assert landed.method == "POST"
        for name in _CREDENTIAL_HEADERS:
            assert name not in landed.headers, "%s was forwarded to another origin" % name
        assert SECRET not in json.dumps(landed.headers)
        assert landed.body == first.body  # 307: same method and body


def test_same_origin_307_keeps_credentials_and_302_is_not_followed() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        if req.target.startswith("/moved"):
            body = json.dumps({"id": "x", "object": "chat.completion", "created": 1, "model": "m",
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": "same origin"}}]}).encode()
            return [whole(200, body)]
        if req.target.startswith("/found"):
            return [whole(302, b"", location="/moved/chat/completions")]
        return [whole(307, b"", location="/moved/chat/completions")]

    with LoopbackServer(handler) as srv:
        response = litellm_lite.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url + "/v1",
                                           api_key=SECRET, num_retries=0)
        assert response.choices[0].message.content == "same origin"
        assert srv.requests[1].headers["authorization"] == "Bearer " + SECRET
        error = expect(APIError, lambda: litellm_lite.completion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url + "/found", api_key=SECRET, num_retries=0))
        assert error.status_code == 302
        assert [r.target for r in srv.requests][2:] == ["/found/chat/completions"]  # not followed


@pytest.mark.parametrize("api_base", ["file:///etc/passwd", "ftp://127.0.0.1:{port}/v1", "gopher://127.0.0.1:{port}/",
                                      "127.0.0.1:{port}", "http://user:pw@127.0.0.1:{port}/v1",
                                      "http://127.0.0.1:{port}/v1\r\nX-Injected: 1"])
def test_only_http_urls_are_used(api_base: str) -> None:
    with LoopbackServer(lambda req: [whole(200, b"{}")]) as srv:
        expect(BadRequestError, lambda: litellm_lite.completion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=api_base.format(port=srv.port), api_key=SECRET,
            num_retries=2))
        time.sleep(0.05)
        assert srv.accepted == 0


@pytest.mark.parametrize("name", ["openai", "anthropic", "gemini"])
@pytest.mark.parametrize("bad", [{"extra_headers": {"X-Trace": "a\r\nX-Injected: 1"}},
                                 {"extra_headers": {"Bad Name": "1"}},
                                 {"api_key": SECRET + "\r\nX-Injected: 1"}])
def test_bad_header_values_refused_before_any_io(name: str, bad: Dict[str, Any]) -> None:
    with LoopbackServer(lambda req: [whole(200, b"{}")]) as srv:
        kwargs = dict(bad)
        api_key = kwargs.pop("api_key", SECRET)
        info = PROVIDERS[name]
        error = expect(BadRequestError, lambda: litellm_lite.completion(
            model=info["model"], messages=MESSAGES, api_base=srv.url, api_key=api_key, num_retries=2, **kwargs))
        assert SECRET not in str(error) and SECRET not in repr(error)
        time.sleep(0.05)
        assert srv.accepted == 0


@pytest.mark.parametrize("name", NAMES)
def test_secrets_in_no_exception_text_or_log(name: str, caplog: pytest.LogCaptureFixture) -> None:
    """Keys are sent, but never appear in what we raise or log (DEBUG included), through a failed
    attempt, a retry and the final error."""
    caplog.set_level(logging.DEBUG, logger="litellm_lite")
    body = b'{"error": {"message": "invalid credentials"}}'
    replies = iter([whole(503, body, retry_after="0"), whole(401, body)])
    with LoopbackServer(lambda req: [next(replies)]) as srv:
        info = PROVIDERS[name]
        kwargs = dict(info.get("kwargs", {}))
        if name == "bedrock":
            kwargs["aws_secret_access_key"] = SECRET
        error = expect(AuthenticationError, lambda: litellm_lite.completion(
            model=info["model"], messages=MESSAGES, api_base=srv.url, api_key=SECRET, num_retries=1, timeout=5,
            **kwargs))
        sent = json.dumps([r.headers for r in srv.requests])
    assert name == "bedrock" or SECRET in sent  # the key did go out (bedrock signs with it instead)
    texts = [str(error), repr(error), str(error.args), str(getattr(error, "attempts", "")), caplog.text]
    for text in texts:
        assert SECRET not in text
    assert error.status_code == 401
