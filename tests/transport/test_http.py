"""Tests of litellm_lite._http over real loopback sockets.

The server (tests/server.py) is scripted step by step because these tests need byte-level control:
split writes, cut bodies, resets, stalls, idle closes and a count of accepted connections.
"""

from __future__ import annotations

import gc
import gzip
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

from tests.server import LoopbackServer, RecordedRequest, Step, chunk, closed_port, response

from litellm_lite import _http, _netconf
from litellm_lite.exceptions import APIConnectionError, BadRequestError, Timeout
from litellm_lite.providers.base import WireRequest
import http.client
import urllib.error
from litellm_lite import _pool

# ---------------------------------------------------------------------------------------------
# Helpers over the loopback server (tests/server.py)


def ok(body: bytes = b"ok", **kw: Any) -> Callable[[RecordedRequest], List[Step]]:
    return lambda req: [response(200, body, **kw)]


def wire(url: str, headers: Optional[Dict[str, str]] = None, body: bytes = b"{}", method: str = "POST") -> WireRequest:
    return WireRequest(url=url, headers=dict(headers or {"Content-Type": "application/json"}), body=body, method=method)


def call(url: str, **kw: Any) -> _http.HTTPResponse:
    timeout = kw.pop("timeout", 5.0)
    ssl_verify = kw.pop("ssl_verify", None)
    return _http.send(wire(url, **kw), timeout=timeout, ssl_verify=ssl_verify, provider="openai", model="m")


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    _http.close_all()
    yield
    _http.close_all()


# ---------------------------------------------------------------------------------------------
# Keep-alive pool


def test_twenty_sequential_calls_use_one_connection() -> None:
    before = _http.pool_stats()
    with LoopbackServer(ok(b'{"a": 1}', headers=[("Content-Type", "application/json")])) as srv:
        reused = []
        for _ in range(20):
            with call(srv.url + "/v1/chat") as resp:
                assert resp.status == 200
                assert resp.read() == b'{"a": 1}'
                assert resp.headers["content-type"] == "application/json"
                reused.append(resp.reused)
        assert srv.accepted == 1
        assert [r.conn_id for r in srv.requests] == [1] * 20
        assert reused == [False] + [True] * 19
        assert "close" not in srv.requests[0].headers.get("connection", "").lower()
    after = _http.pool_stats()
    assert after["connections_opened"] - before["connections_opened"] == 1
    assert after["reused"] - before["reused"] == 19


def test_partially_read_stream_is_not_reused() -> None:
    body = b"x" * 200000
    with LoopbackServer(ok(body)) as srv:
        resp = call(srv.url)
        assert resp.read1(10)
        resp.close()
        resp.close()  # idempotent
        assert resp.read1() == b"" and resp.read() == b""
        assert call(srv.url).read() == body
        assert srv.accepted == 2
        assert call(srv.url).reused  # the fully read one went back to the pool
        assert srv.accepted == 2


def test_stream_read_to_the_end_returns_connection() -> None:
    pieces = [b"data: %d\n\n" % i for i in range(5)]

    def handler(req: RecordedRequest) -> List[Step]:
        steps: List[Step] = [response(200, headers=[("Transfer-Encoding", "chunked")], length=False)]
        for p in pieces:
            steps += [chunk(p), 0.005]
        return steps + [b"0\r\n\r\n"]

    with LoopbackServer(handler) as srv:
        for _ in range(3):
            resp = call(srv.url)
            got = []
            while True:
                data = resp.read1(4)
                if not data:
                    break
                got.append(data)
            assert b"".join(got) == b"".join(pieces)
            assert len(got) > 1  # delivered incrementally
        assert srv.accepted == 1
        assert _http.pool_stats()["idle"] >= 1


def test_content_length_stream_read1_to_the_end() -> None:
    with LoopbackServer(lambda req: [response(200, b"abcdef")[:-3], 0.01, b"def"]) as srv:
        resp = call(srv.url)
        data = b""
        while True:
            part = resp.read1(2)
            if not part:
                break
            data += part
        assert data == b"abcdef"
        assert call(srv.url).reused


def test_stale_keepalive_connection_retried_once_transparently() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        if req.conn_id == 1 and req.index == 2:
            return ["close"]  # closes without a status line, as a server timing out an idle socket
        return [response(200, b"fine")]

    with LoopbackServer(handler) as srv:
        assert call(srv.url).read() == b"fine"
        resp = call(srv.url)  # goes out on the pooled connection, which the server drops
        assert resp.read() == b"fine"
        assert resp.reused is False
        assert srv.accepted == 2
        assert [(r.conn_id, r.index) for r in srv.requests] == [(1, 1), (1, 2), (2, 1)]


def test_reset_on_reused_connection_is_retried_once() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        if req.index == 2:
            return ["reset"]
        return [response(200, b"fine")]

    with LoopbackServer(handler) as srv:
        assert call(srv.url).read() == b"fine"
        assert call(srv.url).read() == b"fine"
        assert srv.accepted == 2


def test_fresh_connection_closed_without_response_is_an_error_not_retried() -> None:
    with LoopbackServer(lambda req: ["close"]) as srv:
        with pytest.raises(APIConnectionError) as info:
            call(srv.url)
        assert not isinstance(info.value, Timeout)
        assert info.value.__cause__ is not None
        assert info.value.llm_provider == "openai" and info.value.model == "m"
        assert srv.accepted == 1


def test_idle_socket_closed_by_server_is_dropped_before_reuse() -> None:
    # The server answers keep-alive style, then closes the idle socket (FIN) a moment later.
    with LoopbackServer(lambda req: [response(200, b"ok"), 0.02, "close"]) as srv:
        for _ in range(3):
            assert call(srv.url).read() == b"ok"
            time.sleep(0.06)
        assert srv.accepted == 3
        assert all(r.index == 1 for r in srv.requests)


def test_pool_keeps_a_bounded_number_of_idle_connections() -> None:
    with LoopbackServer(ok(b"ok")) as srv:
        held = [call(srv.url) for _ in range(_http.MAX_IDLE_PER_KEY + 5)]
        assert srv.accepted == _http.MAX_IDLE_PER_KEY + 5
        for resp in held:
            assert resp.read() == b"ok"
        assert _http.pool_stats()["idle"] == _http.MAX_IDLE_PER_KEY
        _http.close_all()
        assert _http.pool_stats()["idle"] == 0


def test_connection_close_response_is_not_pooled() -> None:
    with LoopbackServer(lambda req: [response(200, b"bye", headers=[("Connection", "close")]), "close"]) as srv:
        for _ in range(3):
            assert call(srv.url).read() == b"bye"
        assert srv.accepted == 3


# ---------------------------------------------------------------------------------------------
# Bodies: framing, cuts, encodings


def test_body_without_content_length_read_until_close() -> None:
    with LoopbackServer(lambda req: [response(200, length=False), b"part1,", 0.01, b"part2", "close"]) as srv:
        assert call(srv.url).read() == b"part1,part2"
        resp = call(srv.url)
        data = b""
        while True:
            piece = resp.read1()
            if not piece:
                break
            data += piece
        assert data == b"part1,part2"
        assert srv.accepted == 2


def test_chunked_split_writes_are_joined() -> None:
    raw = chunk(b"hello ") + chunk(b"world") + b"0\r\n\r\n"

    def handler(req: RecordedRequest) -> List[Step]:
        head = response(200, headers=[("Transfer-Encoding", "chunked")], length=False)
        return [head] + [raw[i : i + 3] for i in range(0, len(raw), 3)]

    with LoopbackServer(handler) as srv:
        assert call(srv.url).read() == b"hello world"
        assert call(srv.url).reused


def test_cut_chunked_body_raises_from_read1_and_read() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        return [
            response(200, headers=[("Transfer-Encoding", "chunked")], length=False),
            chunk(b"data: 1\n\n"),
            0.01,
            "close",
        ]

    with LoopbackServer(handler) as srv:
        resp = call(srv.url)
        assert resp.read1() == b"data: 1\n\n"
        with pytest.raises(APIConnectionError) as info:
            while resp.read1():
                pass
        assert not isinstance(info.value, Timeout)
        assert "closed before the end" in str(info.value)
        assert info.value.__cause__ is not None
        assert resp.closed
        with pytest.raises(APIConnectionError):
            call(srv.url).read()
        assert srv.accepted == 2


def test_cut_inside_a_chunk_raises() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        return [response(200, headers=[("Transfer-Encoding", "chunked")], length=False), b"20\r\nonly-part", "close"]

    with LoopbackServer(handler) as srv:
        resp = call(srv.url)
        with pytest.raises(APIConnectionError):
            while resp.read1():
                pass


def test_cut_content_length_body_raises() -> None:
    with LoopbackServer(lambda req: [response(200, b"0123456789")[:-4], "close"]) as srv:
        resp = call(srv.url)
        assert resp.read1() == b"012345"
        with pytest.raises(APIConnectionError, match="closed before the end"):
            resp.read1()
        with pytest.raises(APIConnectionError):
            call(srv.url).read()


def test_reset_mid_headers_and_mid_body() -> None:
    with LoopbackServer(lambda req: [b"HTTP/1.1 200 OK\r\nContent-Le", "reset"]) as srv:
        with pytest.raises(APIConnectionError):
            call(srv.url)
    with LoopbackServer(lambda req: [response(200, b"x" * 1000)[:-500], 0.02, "reset"]) as srv:
        resp = call(srv.url)
        with pytest.raises(APIConnectionError):
            resp.read()


def test_garbage_status_line_is_a_connection_error() -> None:
    with LoopbackServer(lambda req: [b"<html>not http</html>\r\n\r\n", "close"]) as srv:
        with pytest.raises(APIConnectionError, match="Invalid HTTP response"):
            call(srv.url)


def test_any_status_is_returned_not_raised() -> None:
    statuses = iter([500, 429, 404, 302])

    def handler(req: RecordedRequest) -> List[Step]:
        status = next(statuses)
        return [response(status, b'{"error": 1}', headers=[("Location", "/elsewhere"), ("Retry-After", "2")])]

    with LoopbackServer(handler) as srv:
        for expected in (500, 429, 404, 302):
            resp = call(srv.url)
            assert resp.status == expected
            assert resp.headers["retry-after"] == "2"
            assert resp.read() == b'{"error": 1}'
        assert len(srv.requests) == 4  # the 302 was not followed


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    payload = b'{"text": "' + b"abc" * 1000 + b'"}'
    bodies = {
        "gzip": gzip.compress(payload),
        "deflate": zlib.compress(payload),
        "raw-deflate": zlib.compressobj(wbits=-15).compress(payload) + zlib.compressobj(wbits=-15).flush(),
    }
    raw_deflate = zlib.compressobj(wbits=-15)
    bodies["raw-deflate"] = raw_deflate.compress(payload) + raw_deflate.flush()

    for name, data in bodies.items():
        encoding = "gzip" if name == "gzip" else "deflate"
        with LoopbackServer(ok(data, headers=[("Content-Encoding", encoding)])) as srv:
            assert call(srv.url).read() == payload, name
            assert srv.requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_gzip_stream_decoded_incrementally() -> None:
    events = [b"data: %d\n\n" % i for i in range(50)]
    comp = zlib.compressobj(wbits=31)
    parts = [comp.compress(e) + comp.flush(zlib.Z_SYNC_FLUSH) for e in events] + [comp.flush()]

    def handler(req: RecordedRequest) -> List[Step]:
        head = response(200, headers=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")], length=False)
        return [head] + [chunk(p) for p in parts if p] + [b"0\r\n\r\n"]

    with LoopbackServer(handler) as srv:
        resp = call(srv.url)
        out = b""
        while True:
            piece = resp.read1(7)
            if not piece:
                break
            out += piece
        assert out == b"".join(events)


def test_corrupt_gzip_is_a_connection_error() -> None:
    with LoopbackServer(ok(b"definitely not gzip", headers=[("Content-Encoding", "gzip")])) as srv:
        with pytest.raises(APIConnectionError, match="compressed"):
            call(srv.url).read()


# ---------------------------------------------------------------------------------------------
# Timeouts and failures


def test_stall_before_headers_is_a_timeout_within_bound() -> None:
    with LoopbackServer(lambda req: [5.0]) as srv:
        start = time.monotonic()
        with pytest.raises(Timeout) as info:
            call(srv.url, timeout=0.2)
        assert time.monotonic() - start < 1.5
        assert info.value.status_code == 408
        assert "timed out" in str(info.value)


def test_stall_mid_body_is_a_timeout_from_read1() -> None:
    with LoopbackServer(lambda req: [response(200, b"0123456789")[:-5], 5.0]) as srv:
        resp = call(srv.url, timeout=0.2)
        assert resp.read1() == b"01234"
        start = time.monotonic()
        with pytest.raises(Timeout):
            resp.read1()
        assert time.monotonic() - start < 1.5
        assert resp.closed


def test_connection_refused() -> None:
    with pytest.raises(APIConnectionError, match="refused") as info:
        call("http://127.0.0.1:%d/v1beta/models/x?key=AIzaSyTHISISNOTAREALKEY0000000" % closed_port())
    assert "AIza" not in str(info.value) and "key=" not in str(info.value)
    assert isinstance(info.value.__cause__, ConnectionRefusedError)


# ---------------------------------------------------------------------------------------------
# Input refused before any I/O


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1:{port}/x",
        "gopher://127.0.0.1:{port}/",
        "127.0.0.1:{port}/x",
        "http://127.0.0.1:{port}/a b",
        "http://127.0.0.1:{port}/x\r\nX-Injected: 1",
        "http:///nohost",
        "http://user:pw@127.0.0.1:{port}/",
    ],
)
def test_bad_urls_refused_before_any_io(url: str) -> None:
    with LoopbackServer(ok()) as srv:
        with pytest.raises(BadRequestError):
            call(url.format(port=srv.port))
        time.sleep(0.02)
        assert srv.accepted == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Bad": "a\r\nX-Injected: 1"},
        {"X-Bad": "a\nb"},
        {"X-Bad": "a\x00b"},
        {"X-Bad\r\nX-I": "1"},
        {"Bad:Name": "1"},
        {"": "1"},
        {"X-Obj": object()},
    ],  # type: ignore[dict-item]
)
def test_bad_headers_refused_before_any_io(headers: Dict[str, Any]) -> None:
    with LoopbackServer(ok()) as srv:
        with pytest.raises(BadRequestError) as info:
            call(srv.url, headers=headers)
        assert "Injected" not in str(info.value) or "X-Bad" in str(info.value)
        time.sleep(0.02)
        assert srv.accepted == 0


def test_bad_header_message_does_not_leak_the_value() -> None:
    with pytest.raises(BadRequestError) as info:
        call("http://127.0.0.1:9/", headers={"Authorization": "Bearer sk-secretsecret123\n"})
    assert "secret" not in str(info.value)


# ---------------------------------------------------------------------------------------------
# Redirects

_SECRET_HEADERS = {
    "Authorization": "Bearer sk-redirect-secret",
    "api-key": "azure-secret",
    "x-api-key": "anthropic-secret",
    "x-goog-api-key": "gemini-secret",
    "X-Amz-Security-Token": "amz-token",
    "X-Amz-Date": "20240101T000000Z",
    "Content-Type": "application/json",
    "X-Custom": "kept",
}


def test_307_to_another_origin_keeps_method_and_body_and_drops_credentials() -> None:
    with LoopbackServer(ok(b"landed")) as other:
        with LoopbackServer(lambda req: [response(307, headers=[("Location", other.url + "/next?q=1")])]) as srv:
            resp = call(srv.url + "/start", headers=_SECRET_HEADERS, body=b'{"p": 1}')
            assert resp.status == 200 and resp.read() == b"landed"
            assert resp.url == other.url + "/next?q=1"
        got = other.requests[0]
        assert got.method == "POST" and got.target == "/next?q=1" and got.body == b'{"p": 1}'
        for name in ("authorization", "api-key", "x-api-key", "x-goog-api-key", "x-amz-security-token", "x-amz-date"):
            assert name not in got.headers, name
        assert got.headers["x-custom"] == "kept"
        assert got.headers["host"] == "127.0.0.1:%d" % other.port
        assert srv.requests[0].headers["authorization"] == "Bearer sk-redirect-secret"


def test_308_on_the_same_origin_keeps_credentials() -> None:
    def handler(req: RecordedRequest) -> List[Step]:
        if req.target == "/old":
            return [response(308, b"moved", headers=[("Location", "/new")])]
        return [response(200, req.body)]

    with LoopbackServer(handler) as srv:
        resp = call(srv.url + "/old", headers=_SECRET_HEADERS, body=b"payload")
        assert resp.read() == b"payload"
        assert srv.requests[1].headers["authorization"] == "Bearer sk-redirect-secret"
        assert srv.requests[1].headers["x-api-key"] == "anthropic-secret"
        assert srv.accepted == 1  # the redirect body was drained and the connection reused


def test_302_and_303_are_returned_not_followed() -> None:
    for status in (301, 302, 303):
        with LoopbackServer(lambda req, status=status: [response(status, headers=[("Location", "/elsewhere")])]) as srv:
            resp = call(srv.url)
            assert resp.status == status and resp.headers["location"] == "/elsewhere"
            resp.read()
            assert len(srv.requests) == 1


def test_redirect_loop_stops_after_five_hops() -> None:
    with LoopbackServer(lambda req: [response(307, headers=[("Location", "/again")])]) as srv:
        resp = call(srv.url)
        assert resp.status == 307
        assert len(srv.requests) == _http.MAX_REDIRECTS + 1


def test_redirect_to_other_scheme_is_returned() -> None:
    with LoopbackServer(lambda req: [response(307, headers=[("Location", "ftp://127.0.0.1/x")])]) as srv:
        assert call(srv.url).status == 307


# ---------------------------------------------------------------------------------------------
# Proxies


def test_http_proxy_from_env_gets_absolute_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer(ok(b"direct")) as target, LoopbackServer(ok(b"via proxy")) as proxy:
        monkeypatch.setenv("HTTP_PROXY", "http://user:p%%40ss@127.0.0.1:%d" % proxy.port)
        resp = call(target.url + "/v1/chat?x=1", headers={"Authorization": "Bearer k"})
        assert resp.read() == b"via proxy"
        got = proxy.requests[0]
        assert got.target == "http://127.0.0.1:%d/v1/chat?x=1" % target.port
        assert got.headers["host"] == "127.0.0.1:%d" % target.port
        assert got.headers["proxy-authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss
        assert target.accepted == 0
        assert call(target.url + "/again").read() == b"via proxy"
        assert proxy.accepted == 1  # the proxy connection is kept alive too

        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
        assert call(target.url).read() == b"direct"
        assert target.accepted == 1 and len(proxy.requests) == 2


def test_https_proxy_uses_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer(lambda req: [response(403, b"no", headers=[("Connection", "close")]), "close"]) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", "127.0.0.1:%d" % proxy.port)
        with pytest.raises(APIConnectionError, match="403|Tunnel"):
            call("https://api.example.invalid:8443/v1/chat")
        assert proxy.requests[0].method == "CONNECT"
        assert proxy.requests[0].target == "api.example.invalid:8443"


def test_socks_proxy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(BadRequestError, match="proxy"):
        call("https://127.0.0.1:9/")


# ---------------------------------------------------------------------------------------------
# TLS


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    tmp = tmp_path_factory.mktemp("tls")
    cert_file, key_file = str(tmp / "cert.pem"), str(tmp / "key.pem")
    cmd = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key_file,
        "-out",
        cert_file,
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
    ]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        pytest.skip("openssl could not make a certificate: %s" % proc.stderr[-200:])
    return cert_file, key_file


def _tls_server(cert: Tuple[str, str], handler: Callable[[RecordedRequest], List[Step]]) -> LoopbackServer:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert[0], cert[1])
    return LoopbackServer(handler, tls=ctx)


def test_tls_verification(
    cert: Tuple[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_netconf, "_tls_cache", {})
    monkeypatch.setattr(_netconf, "_insecure_warned", [False])
    with _tls_server(cert, ok(b"secure")) as srv:
        with pytest.raises(APIConnectionError, match="certificate") as info:
            call(srv.url)
        assert isinstance(info.value.__cause__, ssl.SSLError)
        assert call(srv.url, ssl_verify=cert[0]).read() == b"secure"
        second = call(srv.url, ssl_verify=cert[0])
        assert second.read() == b"secure" and second.reused
        with caplog.at_level(logging.WARNING, logger="litellm_lite"):
            assert call(srv.url, ssl_verify=False).read() == b"secure"
            assert call(srv.url, ssl_verify=False).read() == b"secure"
        warnings = [r for r in caplog.records if "ssl_verify=False" in r.getMessage()]
        assert len(warnings) == 1
        monkeypatch.setenv("SSL_CERT_FILE", cert[0])
        assert call(srv.url).read() == b"secure"
    with pytest.raises(BadRequestError, match="CA bundle"):
        call(srv.url, ssl_verify="/nonexistent/ca.pem")


def test_https_never_downgrades_to_http(cert: Tuple[str, str]) -> None:
    with LoopbackServer(ok(b"plain")) as plain:
        with _tls_server(cert, lambda req: [response(307, headers=[("Location", plain.url + "/x")])]) as srv:
            resp = call(srv.url, ssl_verify=cert[0])
            assert resp.status == 307
        assert plain.accepted == 0


def test_https_through_connect_tunnel(cert: Tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def tunnel(req: RecordedRequest) -> List[Step]:
        host, _, port = req.target.rpartition(":")

        def pipe(client: socket.socket) -> None:
            upstream = socket.create_connection((host, int(port)), timeout=5)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

            def copy(src: socket.socket, dst: socket.socket) -> None:
                try:
                    while True:
                        data = src.recv(65536)
                        if not data:
                            break
                        dst.sendall(data)
                except OSError:
                    pass
                for s in (dst,):
                    try:
                        s.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass

            t = threading.Thread(target=copy, args=(upstream, client), daemon=True)
            t.start()
            copy(client, upstream)
            t.join(5)
            upstream.close()

        return [pipe]

    with _tls_server(cert, ok(b"tunnelled")) as srv, LoopbackServer(tunnel) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:%d" % proxy.port)
        for _ in range(3):
            assert call(srv.url + "/v1", ssl_verify=cert[0]).read() == b"tunnelled"
        assert proxy.requests[0].method == "CONNECT"
        assert proxy.requests[0].target == "127.0.0.1:%d" % srv.port
        assert proxy.accepted == 1 and srv.accepted == 1


# ---------------------------------------------------------------------------------------------
# Threads and descriptors


def test_sixteen_threads_no_cross_talk() -> None:
    def echo(req: RecordedRequest) -> List[Step]:
        return [response(200, req.headers["x-request-id"].encode() + b"|" + req.body)]

    errors: List[str] = []
    with LoopbackServer(echo) as srv:

        def worker(t: int) -> None:
            for i in range(10):
                rid = "%d-%d" % (t, i)
                try:
                    got = call(srv.url, headers={"X-Request-Id": rid}, body=rid.encode()).read()
                except Exception as exc:  # pragma: no cover - reported below
                    errors.append(repr(exc))
                    continue
                if got != ("%s|%s" % (rid, rid)).encode():
                    errors.append("%s got %r" % (rid, got))

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert errors == []
        assert len(srv.requests) == 160
        assert srv.accepted < 80  # connections were reused (160 calls), whatever the scheduling
        assert _http.pool_stats()["idle"] <= _http.MAX_IDLE_PER_KEY


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd to count descriptors")
def test_no_fd_leak_with_abandoned_partial_reads() -> None:
    big = b"y" * 100000
    with LoopbackServer(ok(big)) as srv:
        call(srv.url).read()
        _http.close_all()
        srv.wait_idle()
        gc.collect()
        before = _open_fds()
        for i in range(200):
            resp = call(srv.url)
            assert resp.read1(100)
            if i % 2:
                resp.close()
            del resp  # the other half is simply dropped
        gc.collect()
        _http.close_all()
        srv.wait_idle()
        after = _open_fds()
        assert after <= before + 2, (before, after)
        assert srv.accepted == 201


@pytest.mark.slow
def test_package_import_does_not_load_the_transport() -> None:
    code = (
        "import sys, litellm_lite, litellm_lite.retry; "
        "print(*[m in sys.modules for m in ('urllib.request', 'http.client', 'ssl', 'litellm_lite._http')])"
    )
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.stdout.split() == ["False"] * 4, out.stderr


@pytest.mark.parametrize("timeout", [0, -1.0, "10", float("nan")])
def test_bad_timeout_refused(timeout: Any) -> None:
    with pytest.raises(BadRequestError, match="timeout"):
        _http.send(wire("http://127.0.0.1:9/"), timeout=timeout)


# -- more cases (formerly test_cov_http.py: _http transport: less common branches (error mapping, URL/proxy/





@pytest.fixture(autouse=True)
def _fresh_pool_2() -> Iterator[None]:
    _http.close_all()
    yield
    _http.close_all()


def echo_body(req: RecordedRequest) -> List[Step]:
    return [response(200, req.body)]


def send(url: str, body: object = b"{}", headers: object = None, method: str = "POST") -> _http.HTTPResponse:
    wire = WireRequest(url=url, headers=dict(headers or {"Content-Type": "application/json"}),  # type: ignore[call-overload]
                       body=body, method=method)  # type: ignore[arg-type]
    return _http.send(wire, timeout=5.0, provider="openai", model="m")


# ---------------------------------------------------------------------------------------------
# error mapping (the transport's one seam)


@pytest.mark.parametrize("exc,needle", [
    (urllib.error.URLError(ConnectionRefusedError(111, "refused")), "Connection refused by http://h:1"),
    (ssl.SSLError(1, "handshake failure"), "TLS error talking to http://h:1"),
    (socket.gaierror(-2, "Name or service not known"), "Could not resolve the host of http://h:1"),
    (http.client.BadStatusLine("garbage"), "Invalid HTTP response from http://h:1: BadStatusLine"),
])
def test_low_level_errors_are_mapped_with_the_origin_only(exc: BaseException, needle: str) -> None:
    error = _http.connection_error(exc, "openai", "m", "http://h:1")
    assert isinstance(error, APIConnectionError)
    assert needle in str(error)


# ---------------------------------------------------------------------------------------------
# URL, headers, body, method


def test_url_edge_cases() -> None:
    with pytest.raises(BadRequestError, match="URL is empty"):
        send("")
    with pytest.raises(BadRequestError, match="invalid port"):
        send("http://127.0.0.1:99999/v1")
    assert _netconf.split_url("http://example.com/x?a=1").port == 80
    assert _netconf.split_url("https://example.com").port == 443
    assert _netconf.split_url("https://example.com").selector == "/"


def test_url_cache_stays_bounded() -> None:
    for i in range(1100):
        _netconf.split_url("http://host-%d.example/v1" % i)
    assert len(_netconf._url_cache) <= 1025


def test_numeric_header_values_bytearray_and_str_bodies_are_sent() -> None:
    with LoopbackServer(echo_body) as srv:
        assert send(srv.url, body=bytearray(b"from bytearray"), headers={"X-Num": 5}).read() == b"from bytearray"
        assert srv.requests[-1].headers["x-num"] == "5"
        assert send(srv.url, body="héllo").read() == "héllo".encode("utf-8")


def test_invalid_method_is_refused_before_any_io() -> None:
    with LoopbackServer(ok()) as srv:
        with pytest.raises(BadRequestError, match="invalid HTTP method"):
            send(srv.url, method="GE T")
        assert srv.accepted == 0


def test_large_body_is_sent_intact_in_several_writes() -> None:
    big = bytes(range(256)) * 5000  # 1.28 MB: above the single-write limit
    with LoopbackServer(lambda req: [response(200, b"%d" % len(req.body))]) as srv:
        assert send(srv.url, body=big).read() == b"%d" % len(big)
        assert srv.requests[0].body == big


def test_large_body_over_tls(cert: Tuple[str, str]) -> None:  # noqa: F811 - the fixture
    big = b"x" * (1 << 20) + b"tail"
    with _tls_server(cert, lambda req: [response(200, req.body[-4:] + b"%d" % len(req.body))]) as srv:
        wire = WireRequest(url=srv.url, headers={}, body=big)
        assert _http.send(wire, timeout=5.0, ssl_verify=cert[0]).read() == b"tail%d" % len(big)


# ---------------------------------------------------------------------------------------------
# proxies


def test_env_snapshot_with_a_plain_environ_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_netconf.os, "environ", {"HTTP_PROXY": "http://p:1"})
    assert _netconf._env_snapshot(("HTTP_PROXY", "NO_PROXY")) == ("http://p:1", None)


def test_parse_proxy_defaults_and_credentials() -> None:
    proxy = _netconf._parse_proxy("user%40x:p%3Ass@proxy.example", "openai", "m")
    assert (proxy.host, proxy.port, proxy.key) == ("proxy.example", 80, "proxy.example:80")
    import base64

    assert base64.b64decode(proxy.auth.split(" ", 1)[1]) == b"user@x:p:ss"  # type: ignore[union-attr]
    assert _netconf._parse_proxy("https://secure-proxy", "openai", "m").port == 443


@pytest.mark.parametrize("value,needle", [("http://127.0.0.1:notaport", "invalid port"),
                                          ("http://", "has no host")])
def test_bad_proxy_settings(monkeypatch: pytest.MonkeyPatch, value: str, needle: str) -> None:
    with LoopbackServer(ok()) as srv:
        monkeypatch.setenv("HTTP_PROXY", value)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with pytest.raises(BadRequestError, match=needle):
            call(srv.url)
        assert srv.accepted == 0


def test_proxy_for_another_scheme_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer(ok(b"direct")) as srv:
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # only for https:// targets
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        assert call(srv.url).read() == b"direct"


# ---------------------------------------------------------------------------------------------
# TLS settings


def test_tls_context_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_netconf, "_tls_cache", {})
    key_none, ctx_none = _netconf.tls_context(None, "openai", "m")
    key_empty, ctx_empty = _netconf.tls_context("", "openai", "m")
    assert key_empty == key_none and ctx_empty is ctx_none  # "" means the default
    with pytest.raises(BadRequestError, match="ssl_verify must be"):
        _netconf.tls_context(5, "openai", "m")  # type: ignore[arg-type]
    _, ctx_dir = _netconf.tls_context(str(tmp_path), "openai", "m")  # a directory of CA files
    assert ctx_dir.verify_mode == ssl.CERT_REQUIRED and ctx_dir.check_hostname
    garbage = tmp_path / "ca.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    with pytest.raises(BadRequestError, match="could not load the CA certificates"):
        _netconf.tls_context(str(garbage), "openai", "m")


# ---------------------------------------------------------------------------------------------
# pool


def test_connections_without_a_socket_are_stale_and_never_pooled() -> None:
    conn = http.client.HTTPConnection("127.0.0.1", 9)
    assert _pool._is_stale(conn)
    closed = socket.socket()
    closed.close()
    conn.sock = closed
    assert _pool._is_stale(conn)  # polling a closed socket fails: treated as stale
    conn.sock = None
    before = _http.pool_stats()["idle"]
    _pool.POOL.give(("http", "127.0.0.1", 9, None, None), conn)
    assert _http.pool_stats()["idle"] == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_idle_connections_are_not_reused_after_a_fork() -> None:
    with LoopbackServer(ok()) as srv:
        assert call(srv.url).read() == b"ok"
        assert _http.pool_stats()["idle"] == 1
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its own connection, never the parent's idle one
            status = 1
            try:
                idle_after_fork = _http.pool_stats()["idle"]
                resp = call(srv.url)
                status = 0 if (idle_after_fork == 0 and resp.read() == b"ok" and not resp.reused) else 2
            finally:
                os.write(write_end, bytes([status]))
                os._exit(0)
        os.close(write_end)
        child_status = os.read(read_end, 1)
        os.close(read_end)
        os.waitpid(pid, 0)
        assert child_status == b"\x00"
        resp = call(srv.url)  # the parent's idle connection survived the child closing its copy
        assert resp.read() == b"ok" and resp.reused
        assert srv.accepted == 2


# ---------------------------------------------------------------------------------------------
# responses


def test_concatenated_gzip_members_and_repeated_headers() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    headers = [("Content-Encoding", "gzip"), ("X-Dup", "a"), ("X-Dup", "b")]
    with LoopbackServer(ok(body, headers=headers)) as srv:
        resp = call(srv.url)
        assert resp.headers["x-dup"] == "a, b"
        assert resp.read() == b"first second"
        assert repr(resp) == "<HTTPResponse 200 from %s:%d>" % ("http://127.0.0.1", srv.port)


_ODD_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"X-Folded: first\r\n"
    b"   second\r\n"
    b"\tthird\r\n"
    b"Not a header line\r\n"
    b"Content-Length : 999\r\n"  # whitespace before the colon: not a header
    b"X-Dup: a\r\n"
    b"X-Dup: b\r\n"
    b"X-Padded:   spaced out  \r\n"
    b"X-Latin: caf\xe9\r\n"
    b"Content-Length: 2\r\n"
    b"\r\n"
)


def test_header_block_folds_skips_non_headers_and_keeps_the_connection() -> None:
    with LoopbackServer(lambda req: [_ODD_HEAD + b"ok"]) as srv:
        resp = call(srv.url)
        assert resp.headers["x-folded"] == "first second third"  # obs-fold: one space per fold
        assert "not a header line" not in resp.headers and "content-length " not in resp.headers
        assert resp.headers["content-length"] == "2"
        assert resp.headers["x-dup"] == "a, b"
        assert resp.headers["x-padded"] == "spaced out"
        assert resp.headers["x-latin"] == "caf\xe9"
        assert resp.read() == b"ok"
        again = call(srv.url)
        assert again.read() == b"ok" and again.reused  # the body was delimited right: the socket stayed in step
        assert srv.accepted == 1


def test_many_long_folded_lines_make_one_value() -> None:
    folds = b"".join(b" " + b"%02d" % i + b"y" * 998 + b"\r\n" for i in range(98))
    raw = b"HTTP/1.1 200 OK\r\nX-Long: start\r\n" + folds + b"Content-Length: 2\r\n\r\nok"
    with LoopbackServer(lambda req: [raw]) as srv:
        resp = call(srv.url)
        parts = resp.headers["x-long"].split(" ")
        assert parts[0] == "start" and len(parts) == 99 and parts[98] == "97" + "y" * 998
        assert resp.read() == b"ok"


@pytest.mark.parametrize("length", [b"1_0", b"+10", b" ", b"\xb2", b"-3", b"ten"])
def test_content_length_that_is_not_digits_means_read_until_close(length: bytes) -> None:
    body = b"0123456789 and more"
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: " + length + b"\r\n\r\n" + body
    with LoopbackServer(lambda req: [raw, "close"]) as srv:
        resp = call(srv.url)
        assert resp.read() == body
        assert _http.pool_stats()["idle"] == 0  # never reused: the server closed it


def test_chunked_wins_over_content_length_and_http_1_0_closes() -> None:
    chunked = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: Chunked\r\n\r\n" + chunk(b"hello") + b"0\r\n\r\n"
    with LoopbackServer(lambda req: [chunked]) as srv:
        resp = call(srv.url)
        assert resp.read() == b"hello"
        assert _http.pool_stats()["idle"] == 1
    with LoopbackServer(lambda req: [b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "close"]) as srv:
        assert call(srv.url).read() == b"ok"
        assert _http.pool_stats()["idle"] == 1  # the first server's; HTTP/1.0 without keep-alive is not kept


def test_continue_then_final_and_no_body_statuses() -> None:
    with LoopbackServer(lambda req: [b"HTTP/1.1 100 Continue\r\n\r\n" + response(200, b"done")]) as srv:
        resp = call(srv.url)
        assert resp.status == 200 and resp.read() == b"done"
    with LoopbackServer(lambda req: [b"HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n"]) as srv:
        resp = call(srv.url)
        assert resp.status == 204 and resp.read() == b"" and resp.headers["x-a"] == "1"
        assert call(srv.url).reused  # no body was waited for


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(101)) + b"\r\n",
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"x" * 70000 + b"\r\n\r\n",
        b"HTTP/2 200 OK\r\n\r\n",
    ],
    ids=["101 headers", "a 70 KB line", "not HTTP/1"],
)
def test_hostile_header_blocks_are_connection_errors(raw: bytes) -> None:
    with LoopbackServer(lambda req: [raw, "close"]) as srv:
        with pytest.raises(APIConnectionError):
            call(srv.url)


def test_request_head_is_byte_for_byte_http_clients() -> None:
    from litellm_lite._pool import KeepAliveHTTPConnection

    ours, theirs = KeepAliveHTTPConnection("127.0.0.1", 9), http.client.HTTPConnection("127.0.0.1", 9)
    headers = [("Content-type", "application/json"), ("Authorization", "Bearer sk-x"), ("X-Latin", "caf\xe9"),
               ("Content-Length", 12), ("X-Folded", "a\r\n b"), (b"X-Bytes", b"v")]
    for conn in (ours, theirs):
        conn.putrequest("POST", "/v1/chat/completions")
        for name, value in headers:
            conn.putheader(name, value)
    assert ours._buffer == theirs._buffer  # type: ignore[attr-defined]


def test_request_head_checks_still_refuse_what_http_client_refuses() -> None:
    from litellm_lite._pool import KeepAliveHTTPConnection

    conn = KeepAliveHTTPConnection("127.0.0.1", 9)
    with pytest.raises(http.client.CannotSendHeader):  # no request line yet
        conn.putheader("X-A", "1")
    conn.putrequest("POST", "/")
    with pytest.raises(ValueError):
        conn.putheader("X-Injected", "1\r\nEvil: yes")
    with pytest.raises(ValueError):
        conn.putheader("Bad:Name", "1")
    with pytest.raises(UnicodeEncodeError):
        conn.putheader("X-Wide", "\u20ac")


def test_header_reader_agrees_with_http_client_on_plain_blocks() -> None:
    import io

    from litellm_lite._pool import read_header_block

    block = b"Server: x\r\nContent-Type: application/json\r\nX-Request-Id: r1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
    ours = read_header_block(io.BufferedReader(io.BytesIO(block)))  # type: ignore[arg-type]
    theirs = http.client.parse_headers(io.BufferedReader(io.BytesIO(block)))  # type: ignore[arg-type]
    assert ours.items() == theirs.items()
    assert ours.get_all("set-cookie") == ["a=1", "b=2"] and ours.get_content_type() == "application/json"


def test_truncated_gzip_body_is_a_connection_error() -> None:
    body = gzip.compress(b"some text that is long enough to matter " * 4)[:-12]
    with LoopbackServer(ok(body, headers=[("Content-Encoding", "gzip")])) as srv:
        with pytest.raises(APIConnectionError, match="Invalid compressed response body"):
            call(srv.url).read()


def test_read1_with_non_positive_size_reads_normally() -> None:
    with LoopbackServer(ok(b"abc")) as srv:
        resp = call(srv.url)
        assert resp.read1(0) == b"abc"
        assert resp.read1(-1) == b""
        assert resp.closed


# ---------------------------------------------------------------------------------------------
# redirects


def test_307_without_location_is_returned() -> None:
    with LoopbackServer(lambda req: [response(307, b"")]) as srv:
        assert call(srv.url).status == 307


def test_307_with_a_cut_body_is_still_followed() -> None:
    with LoopbackServer(ok(b"landed")) as target:
        def redirect(req: RecordedRequest) -> List[Step]:
            head = ("HTTP/1.1 307 Temporary Redirect\r\nLocation: %s/next\r\nContent-Length: 10\r\n\r\nabc"
                    % target.url).encode()
            return [head, "close"]

        with LoopbackServer(redirect) as srv:
            assert call(srv.url).read() == b"landed"
            assert target.requests[0].target == "/next"


def test_307_with_an_unparseable_location_is_returned_to_the_caller() -> None:
    with LoopbackServer(lambda req: [response(307, b"", headers=[("Location", "http://[::1/x")])]) as srv:
        resp = call(srv.url)
        assert resp.status == 307
        resp.close()


def test_request_without_a_body() -> None:
    with LoopbackServer(lambda req: [response(200, req.method.encode() + b" " + str(len(req.body)).encode())]) as srv:
        wire = WireRequest(url=srv.url + "/models", headers={}, body=None, method="get")  # type: ignore[arg-type]
        assert _http.send(wire, timeout=5.0).read() == b"GET 0"
        assert "content-length" not in srv.requests[0].headers
