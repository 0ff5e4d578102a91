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

__all__ = ["MAX_IDLE_PER_KEY", "MAX_IDLE_SECONDS", "MAX_INTERIM_RESPONSES", "pool_stats", "close_all"]

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


class _Response(http.client.HTTPResponse):
    """http.client's response, skipping every interim 1xx response (RFC 9110 section 15.2).

    http.client skips ``100 Continue`` only; ``102 Processing`` and ``103 Early Hints`` would be
    taken as the final response, leaving the real one unread on the connection.
    """

    def _read_status(self) -> Tuple[str, int, str]:
        for _ in range(MAX_INTERIM_RESPONSES):
            version, status, reason = super()._read_status()  # type: ignore[misc]
            if not (100 < status < 200 and status != 101):
                return version, status, reason
            for _line in range(http.client._MAXHEADERS + 1):  # type: ignore[attr-defined]
                line = self.fp.readline(http.client._MAXLINE + 1)  # type: ignore[attr-defined]
                if len(line) > http.client._MAXLINE:  # type: ignore[attr-defined]
                    raise http.client.LineTooLong("header line")
                if line in (b"\r\n", b"\n", b""):
                    break
            else:
                raise http.client.HTTPException("got more than %d headers" % http.client._MAXHEADERS)  # type: ignore[attr-defined]
        raise http.client.HTTPException("more than %d interim (1xx) responses" % MAX_INTERIM_RESPONSES)


class _KeepAlive(http.client.HTTPConnection):
    """What both pooled connection classes add: our response class, counting opened sockets, and
    one write for a request's head and body."""

    response_class = _Response

    def connect(self) -> None:
        super().connect()  # for HTTPS, HTTPSConnection.connect (next in the MRO) wraps the socket
        POOL.opened_one()

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
        self._pid = os.getpid()
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
            if self._pid != os.getpid():  # forked: the sockets belong to the parent
                self._forget()
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
            if self._pid == os.getpid():
                stack = self._idle.setdefault(key, [])
                if len(stack) < MAX_IDLE_PER_KEY:
                    stack.append((conn, time.monotonic()))
                    return
        conn.close()

    def _forget(self) -> None:
        idle, self._idle = self._idle, {}
        self._pid = os.getpid()
        for stack in idle.values():
            for conn, _ in stack:
                conn.close()

    def close_all(self) -> None:
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


def pool_stats() -> Dict[str, int]:
    """Keep-alive pool counters since the process started: ``{"connections_opened", "reused", "idle"}``."""
    return POOL.stats()


def close_all() -> None:
    """Close every idle pooled connection (connections in use close when their response does)."""
    POOL.close_all()
