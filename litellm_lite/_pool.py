"""Keep-alive connections: http.client connection classes and the idle-connection pool.

Part of the transport (:mod:`._http`). The pool is keyed by (scheme, host, port, proxy, TLS
settings), keeps at most ``MAX_IDLE_PER_KEY`` idle connections per key, and takes back a
connection only when its response body was read to the end. Idle sockets that became readable
(the server closed them) or that idled longer than ``MAX_IDLE_SECONDS`` are dropped when taken.
Our response class skips interim 1xx responses, which http.client does only for 100.
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

__all__ = ["MAX_IDLE_PER_KEY", "MAX_IDLE_SECONDS", "MAX_INTERIM_RESPONSES", "TOKEN_CHARS", "pool_stats", "close_all",
           "read_header_block"]

MAX_IDLE_PER_KEY = 10
MAX_IDLE_SECONDS = 30.0
#: Interim (1xx) responses skipped before the final one; more is a broken server.
MAX_INTERIM_RESPONSES = 16



_COALESCE_LIMIT = 1 << 20


def _send_head_and_body(conn: http.client.HTTPConnection, message_body: Any, encode_chunked: bool) -> bool:
    """Send the buffered request head and a bytes body in one write; False if not applicable.

    http.client writes the head and the body with two ``send`` calls: two segments and two
    wake-ups of the server for every small JSON request. One write is measurably faster.
    """
    buffer = getattr(conn, "_buffer", None)
    if type(message_body) is not bytes or encode_chunked or type(buffer) is not list:
        return False
    if len(message_body) > _COALESCE_LIMIT:
        return False
    buffer.extend((b"", b""))
    head = b"\r\n".join(buffer)
    del buffer[:]
    conn.send(head + message_body)
    return True


#: The characters of an HTTP token (RFC 9110): a header name or a method is one.
TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_OWS = " \t"  # the whitespace around a header value (str.strip() alone would also take NBSP and NEL)
_MAX_LINE = 65536  # the limits http.client applies to a header block
_MAX_HEADERS = 100


def read_header_block(fp: Any) -> http.client.HTTPMessage:
    """The header lines up to the empty line, as the HTTPMessage http.client would have made.

    Lines are Latin-1 (as http.client reads them); at most 100 lines of at most 64 KiB, as in
    http.client. A folded line (obs-fold, RFC 9112 section 5.2) continues the previous value,
    joined by one space; a bare CR is a space. A line whose name is not a token (no colon,
    whitespace before it) is skipped (http.client's email parser would end the headers there and
    lose the rest). Values lose the spaces and tabs around them.
    """
    msg = http.client.HTTPMessage()
    name = ""
    parts: List[str] = []  # the value of ``name``, with its folded continuations
    for _ in range(_MAX_HEADERS + 1):
        line: bytes = fp.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            if name:
                msg.set_raw(name, " ".join(parts))
            return msg
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if "\r" in text:  # a bare CR: replaced by a space (RFC 9112 section 2.2)
            text = text.replace("\r", " ")
        if text[:1] in (" ", "\t"):  # obs-fold: more of the value above
            folded = text.strip(_OWS)
            if name and folded:
                parts.append(folded)
            continue
        if name:
            msg.set_raw(name, " ".join(parts))
        name, colon, rest = text.partition(":")
        if not colon or not name or name.strip(TOKEN_CHARS):
            name = ""
            continue
        value = rest.strip(_OWS)
        parts = [value] if value else []
    raise http.client.HTTPException("got more than %d headers" % _MAX_HEADERS)


class _Response(http.client.HTTPResponse):
    """http.client's response, skipping every interim 1xx response (RFC 9110 section 15.2), with a
    header reader of its own.

    http.client skips ``100 Continue`` only; ``102 Processing`` and ``103 Early Hints`` would be
    taken as the final response, leaving the real one unread on the connection. And it hands the
    header block to the email package's parser, which costs about 18 µs for five headers, more
    than the rest of reading a small response: :func:`read_header_block` takes about 2 µs.
    """

    def _read_status(self) -> Tuple[str, int, str]:
        for _ in range(MAX_INTERIM_RESPONSES):
            version, status, reason = super()._read_status()  # type: ignore[misc]
            if not (100 <= status < 200 and status != 101):
                return version, status, reason
            read_header_block(self.fp)  # an interim response's headers (same limits), not kept
        raise http.client.HTTPException("more than %d interim (1xx) responses" % MAX_INTERIM_RESPONSES)

    def begin(self) -> None:
        """The status line and headers; then how the body is delimited (RFC 9112 section 6.3, the
        rules http.client's own begin() applies)."""
        if self.headers is not None:
            return
        version, status, reason = self._read_status()
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http.client.UnknownProtocol(version)
        self.headers = self.msg = read_header_block(self.fp)
        coding = self.msg.get("transfer-encoding")
        self.chunked = bool(coding) and coding.lower() == "chunked"
        if self.chunked:
            self.chunk_left = None
        self.will_close = self._check_close()
        length = self.msg.get("content-length")
        self.length = int(length) if length and length.isdecimal() and not self.chunked else None
        if status in (204, 304) or 100 <= status < 200 or getattr(self, "_method", None) == "HEAD":
            self.length = 0
        if self.length is None and not self.chunked:
            self.will_close = True  # the body ends when the server closes the connection


class _KeepAlive(http.client.HTTPConnection):
    """What both pooled connection classes add: our response class, counting opened sockets, and
    one write for a request's head and body."""

    response_class = _Response
    #: The call's deadline (``time.monotonic()``), set by the transport: the watchdog cannot cut a
    #: host name lookup (there is no socket yet), so the deadline is checked once connected.
    ll_deadline: Optional[float] = None

    def connect(self) -> None:
        super().connect()  # for HTTPS, HTTPSConnection.connect (next in the MRO) wraps the socket
        POOL.opened_one()
        deadline, self.ll_deadline = self.ll_deadline, None  # for this connect only
        if deadline is not None and time.monotonic() >= deadline:
            self.close()
            raise socket.timeout("the call's deadline passed while connecting")

    def putheader(self, header: "str | bytes", *values: Any) -> None:
        """One header line. A plain ASCII name and value without CR or LF (what the transport
        sends: ``_netconf.checked_headers`` refused anything else) is written at once; anything
        else takes http.client's own path, with its checks and errors. A head being built (after
        ``putrequest``, before ``endheaders``) is the only time ``_buffer`` holds lines."""
        if len(values) == 1 and self._buffer and type(header) is str:  # type: ignore[attr-defined]
            value = values[0]
            if (type(value) is str and value.isascii() and "\r" not in value and "\n" not in value
                    and header and not header.strip(TOKEN_CHARS)):  # a token is ASCII
                self._buffer.append(("%s: %s" % (header, value)).encode("ascii"))  # type: ignore[attr-defined]
                return
        super().putheader(header, *values)

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not _send_head_and_body(self, message_body, encode_chunked):
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]


class KeepAliveHTTPConnection(_KeepAlive):
    """A plain-HTTP pooled connection."""


class KeepAliveHTTPSConnection(_KeepAlive, http.client.HTTPSConnection):
    """A TLS pooled connection."""


if hasattr(select, "poll"):

    def _readable(sock: socket.socket) -> bool:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))

else:  # pragma: no cover - Windows

    def _readable(sock: socket.socket) -> bool:
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready)


def _is_stale(conn: http.client.HTTPConnection) -> bool:
    """An idle connection whose socket is readable was closed by the server (or is out of sync)."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        return _readable(sock)
    except (OSError, ValueError):
        return True


class _Pool:
    """Idle keep-alive connections, per (scheme, host, port, proxy, TLS settings); thread-safe."""

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._idle: Dict[Tuple[Any, ...], List[Tuple[http.client.HTTPConnection, float]]] = {}
        self.opened = 0
        self.reused = 0

    def opened_one(self) -> None:
        with self._lock:
            self.opened += 1

    def take(self, key: Tuple[Any, ...]) -> Optional[http.client.HTTPConnection]:
        """A live idle connection for ``key``, or None."""
        dead: List[http.client.HTTPConnection] = []
        found: Optional[http.client.HTTPConnection] = None
        now = time.monotonic()
        with self._lock:
            stack = self._idle.get(key)
            while stack:
                conn, since = stack.pop()
                if now - since > MAX_IDLE_SECONDS or _is_stale(conn):
                    dead.append(conn)
                    continue
                found = conn
                self.reused += 1
                break
        for conn in dead:
            conn.close()
        return found

    def give(self, key: Tuple[Any, ...], conn: http.client.HTTPConnection) -> None:
        """Take back a connection whose last response was read to the end."""
        if conn.sock is None:
            conn.close()
            return
        with self._lock:
            stack = self._idle.setdefault(key, [])
            if len(stack) < MAX_IDLE_PER_KEY:
                stack.append((conn, time.monotonic()))
                return
        conn.close()

    def after_fork(self) -> None:
        """In a forked child: the idle sockets are the parent's, so they are closed here (the
        parent's stay open) and never reused; the lock is new (another thread may have held it)."""
        self._lock = _thread.allocate_lock()
        self.close_all()

    def close_all(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for stack in idle.values():
            for conn, _ in stack:
                conn.close()

    def stats(self) -> Dict[str, int]:
        with self._lock:
            idle = sum(len(stack) for stack in self._idle.values())
            return {"connections_opened": self.opened, "reused": self.reused, "idle": idle}


POOL = _Pool()
if hasattr(os, "register_at_fork"):  # POSIX; checked once here rather than with getpid() on every take and give
    os.register_at_fork(after_in_child=POOL.after_fork)


def pool_stats() -> Dict[str, int]:
    """Keep-alive pool counters since the process started: ``{"connections_opened", "reused", "idle"}``."""
    return POOL.stats()


def close_all() -> None:
    """Close every idle pooled connection (connections in use close when their response does)."""
    POOL.close_all()
