"""_http transport: less common branches (error mapping, URL/proxy/TLS edge cases, pool, decoding)."""

from __future__ import annotations

import gzip
import http.client
import socket
import ssl
import urllib.error
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from litellm_lite import _http, _netconf, _pool
from litellm_lite.exceptions import APIConnectionError, BadRequestError
from litellm_lite.providers.base import WireRequest
from tests.test_http import RawServer, Req, Step, _tls_server, call, cert, ok, response  # noqa: F401 - cert is a fixture


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    _http.close_all()
    yield
    _http.close_all()


def echo_body(req: Req) -> List[Step]:
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
    error = _http._connection_error(exc, "openai", "m", "http://h:1")
    assert isinstance(error, APIConnectionError)
    assert needle in str(error)


# ---------------------------------------------------------------------------------------------
# URL, headers, body, method


def test_url_edge_cases() -> None:
    with pytest.raises(BadRequestError, match="URL is empty"):
        send("")
    with pytest.raises(BadRequestError, match="invalid port"):
        send("http://127.0.0.1:99999/v1")
    assert _netconf._split_url("http://example.com/x?a=1").port == 80
    assert _netconf._split_url("https://example.com").port == 443
    assert _netconf._split_url("https://example.com").selector == "/"


def test_url_cache_stays_bounded() -> None:
    for i in range(1100):
        _netconf._split_url("http://host-%d.example/v1" % i)
    assert len(_netconf._url_cache) <= 1025


def test_numeric_header_values_bytearray_and_str_bodies_are_sent() -> None:
    with RawServer(echo_body) as srv:
        assert send(srv.url, body=bytearray(b"from bytearray"), headers={"X-Num": 5}).read() == b"from bytearray"
        assert srv.requests[-1].headers["x-num"] == "5"
        assert send(srv.url, body="héllo").read() == "héllo".encode("utf-8")


def test_invalid_method_is_refused_before_any_io() -> None:
    with RawServer(ok()) as srv:
        with pytest.raises(BadRequestError, match="invalid HTTP method"):
            send(srv.url, method="GE T")
        assert srv.accepted == 0


def test_large_body_is_sent_intact_in_several_writes() -> None:
    big = bytes(range(256)) * 5000  # 1.28 MB: above the single-write limit
    with RawServer(lambda req: [response(200, b"%d" % len(req.body))]) as srv:
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
    with RawServer(ok()) as srv:
        monkeypatch.setenv("HTTP_PROXY", value)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with pytest.raises(BadRequestError, match=needle):
            call(srv.url)
        assert srv.accepted == 0


def test_proxy_for_another_scheme_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    with RawServer(ok(b"direct")) as srv:
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # only for https:// targets
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        assert call(srv.url).read() == b"direct"


# ---------------------------------------------------------------------------------------------
# TLS settings


def test_tls_context_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_netconf, "_tls_cache", {})
    key_none, ctx_none = _netconf._tls_context(None, "openai", "m")
    key_empty, ctx_empty = _netconf._tls_context("", "openai", "m")
    assert key_empty == key_none and ctx_empty is ctx_none  # "" means the default
    with pytest.raises(BadRequestError, match="ssl_verify must be"):
        _netconf._tls_context(5, "openai", "m")  # type: ignore[arg-type]
    _, ctx_dir = _netconf._tls_context(str(tmp_path), "openai", "m")  # a directory of CA files
    assert ctx_dir.verify_mode == ssl.CERT_REQUIRED and ctx_dir.check_hostname
    garbage = tmp_path / "ca.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    with pytest.raises(BadRequestError, match="could not load the CA certificates"):
        _netconf._tls_context(str(garbage), "openai", "m")


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
    _pool._POOL.give(("http", "127.0.0.1", 9, None, None), conn)
    assert _http.pool_stats()["idle"] == before


def test_idle_connections_are_not_reused_after_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    with RawServer(ok()) as srv:
        assert call(srv.url).read() == b"ok"
        assert _http.pool_stats()["idle"] == 1
        monkeypatch.setattr(_pool._POOL, "_pid", -1)  # as if this process were a fork of another
        resp = call(srv.url)
        assert resp.read() == b"ok" and not resp.reused
        assert srv.accepted == 2


# ---------------------------------------------------------------------------------------------
# responses


def test_concatenated_gzip_members_and_repeated_headers() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    headers = [("Content-Encoding", "gzip"), ("X-Dup", "a"), ("X-Dup", "b")]
    with RawServer(ok(body, headers=headers)) as srv:
        resp = call(srv.url)
        assert resp.headers["x-dup"] == "a, b"
        assert resp.read() == b"first second"
        assert repr(resp) == "<HTTPResponse 200 from %s:%d>" % ("http://127.0.0.1", srv.port)


def test_truncated_gzip_body_is_a_connection_error() -> None:
    body = gzip.compress(b"some text that is long enough to matter " * 4)[:-12]
    with RawServer(ok(body, headers=[("Content-Encoding", "gzip")])) as srv:
        with pytest.raises(APIConnectionError, match="Invalid compressed response body"):
            call(srv.url).read()


def test_read1_with_non_positive_size_reads_normally() -> None:
    with RawServer(ok(b"abc")) as srv:
        resp = call(srv.url)
        assert resp.read1(0) == b"abc"
        assert resp.read1(-1) == b""
        assert resp.closed


# ---------------------------------------------------------------------------------------------
# redirects


def test_307_without_location_is_returned() -> None:
    with RawServer(lambda req: [response(307, b"")]) as srv:
        assert call(srv.url).status == 307


def test_307_with_a_cut_body_is_still_followed() -> None:
    with RawServer(ok(b"landed")) as target:
        def redirect(req: Req) -> List[Step]:
            head = ("HTTP/1.1 307 Temporary Redirect\r\nLocation: %s/next\r\nContent-Length: 10\r\n\r\nabc"
                    % target.url).encode()
            return [head, "close"]

        with RawServer(redirect) as srv:
            assert call(srv.url).read() == b"landed"
            assert target.requests[0].target == "/next"


def test_307_with_an_unparseable_location_is_returned_to_the_caller() -> None:
    with RawServer(lambda req: [response(307, b"", headers=[("Location", "http://[::1/x")])]) as srv:
        resp = call(srv.url)
        assert resp.status == 307
        resp.close()


def test_request_without_a_body() -> None:
    with RawServer(lambda req: [response(200, req.method.encode() + b" " + str(len(req.body)).encode())]) as srv:
        wire = WireRequest(url=srv.url + "/models", headers={}, body=None, method="get")  # type: ignore[arg-type]
        assert _http.send(wire, timeout=5.0).read() == b"GET 0"
        assert "content-length" not in srv.requests[0].headers
