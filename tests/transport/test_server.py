"""The tests' scripted server (tests/server.py) does what the other tests rely on."""

from __future__ import annotations

import socket
import threading

from tests.server import Fault, LoopbackServer, Reply, closed_port, drip, head, interims


def _exchange(sock: socket.socket, request: bytes) -> bytes:
    """Send ``request`` and read until the server closes the connection."""
    sock.sendall(request)
    out = b""
    while True:
        data = sock.recv(65536)
        if not data:
            return out
        out += data


def _read(sock: socket.socket, size: int) -> bytes:
    """Exactly ``size`` bytes (a reply may come in several writes)."""
    out = b""
    while len(out) < size:
        data = sock.recv(size - len(out))
        assert data, "closed after %r" % out
        out += data
    return out


GET = b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Trace: t\r\n\r\n"


def test_replies_and_faults_in_order_on_one_connection_and_every_request_recorded() -> None:
    with LoopbackServer() as srv:
        srv.add(Reply(body=b"one"), Fault([head(200, length=3), b"tw", "close"]))
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(GET)
            expected = head(200, {"content-type": "application/json"}, length=3) + b"one"
            assert _read(sock, len(expected)) == expected
            assert _exchange(sock, b"POST /c HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}") == head(200, length=3) + b"tw"
        assert [(r.method, r.path, r.query, r.target, r.conn_id, r.index) for r in srv.requests] == [
            ("GET", "/a", "b=1", "/a?b=1", 1, 1), ("POST", "/c", "", "/c", 1, 2)]
        assert srv.requests[0].headers["x-trace"] == "t" and srv.requests[1].json() == {}
        assert srv.accepted == 1


def test_the_last_script_repeats_and_connection_close_is_honoured() -> None:
    with LoopbackServer() as srv:
        srv.add(Reply(status=503, body=b"busy"))
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
                answer = _exchange(sock, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n") and answer.endswith(b"busy")
        assert srv.accepted == 2


def test_what_is_not_http_gets_a_400_and_is_not_recorded() -> None:
    with LoopbackServer() as srv, socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        answer = _exchange(sock, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a TLS ClientHello's start
        assert answer.startswith(b"HTTP/1.1 400 ") and srv.requests == []


def test_stop_ends_a_hanging_connection_and_joins_every_thread() -> None:
    before = threading.active_count()
    srv = LoopbackServer(lambda req: [interims(103), "hang"]).start()
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    sock.sendall(GET)
    assert _read(sock, len(interims(103))) == interims(103)
    srv.stop()  # would fail its own check if a thread were left
    assert sock.recv(65536) == b""  # the server side is closed
    sock.close()
    assert threading.active_count() <= before  # (another thread, such as a deadline watchdog, may end meanwhile)


def test_drip_and_closed_port() -> None:
    assert drip(b"ab", 0.5, first=b"H") == [b"H", 0.5, b"a", 0.5, b"b"]
    assert drip(b"ab", 0.5) == [b"a", 0.5, b"b"]
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", closed_port())) != 0
