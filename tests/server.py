"""The one scripted server of the tests: HTTP/1.1 on 127.0.0.1, every byte under the test's control.

A test scripts what each request gets back, either

- an HTTP reply, :class:`Reply` (status, headers, body, chunks with ``Transfer-Encoding: chunked``,
  delays, a cut after so many body bytes), or
- a raw fault, :class:`Fault` (or a plain list of steps): bytes written one ``send`` each, pauses,
  then FIN, RST, silence until the server stops, or a function that takes the socket over. Helpers
  below build the usual faults: a response dripped byte by byte, 1xx interims, gzip bombs.

Scripts are queued with :meth:`LoopbackServer.add` (the last one repeats) or computed per request by
``LoopbackServer.handler``. Every request is recorded (:class:`RecordedRequest`, with the connection
it came on), and ``accepted`` counts connections. ``stop()`` closes every connection and joins every
thread the server started, so a test never leaves one behind.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

# One step of a raw script: bytes are sent (each step its own write), a float pauses that many seconds
# (cut short when the server stops), "close" ends the connection with FIN, "reset" with RST, "hang"
# keeps it open and silent until the server stops, and a function gets the socket and owns the rest
# of the connection. After the last step the connection waits for the next request (keep-alive).
Step = Union[bytes, float, str, Callable[[socket.socket], None]]
Headers = Union[Mapping[str, str], Sequence[Tuple[str, str]]]


# -- raw bytes ----------------------------------------------------------------------------------------


def head(status: int = 200, headers: Headers = (), length: Optional[int] = None, chunked: bool = False,
         reason: Optional[str] = None) -> bytes:
    """A status line and headers (in the order given, repeats allowed), then the blank line."""
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    lines = ["HTTP/1.1 %d %s" % (status, http.client.responses.get(status, "X") if reason is None else reason)]
    lines += ["%s: %s" % pair for pair in pairs]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append("Content-Length: %d" % length)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def response(status: int = 200, body: bytes = b"", headers: Headers = (), length: bool = True,
             reason: Optional[str] = None) -> bytes:
    """A whole response: head and body, with a Content-Length unless ``length`` is False."""
    return head(status, headers, len(body) if length else None, reason=reason) + body


def chunk(data: bytes) -> bytes:
    """One piece of a ``Transfer-Encoding: chunked`` body."""
    return b"%x\r\n" % len(data) + data + b"\r\n"


def drip(data: bytes, every: float, first: bytes = b"") -> List[Step]:
    """``first`` at once, then ``data`` one byte at a time, ``every`` seconds apart."""
    steps: List[Step] = [first] if first else []
    for i, byte in enumerate(data):
        if i or first:
            steps.append(every)
        steps.append(bytes([byte]))
    return steps


def interims(*codes: int, headers: Headers = ()) -> bytes:
    """1xx interim responses (103 Early Hints, 102 Processing...) sent before the final one."""
    return b"".join(head(code, headers if code == 103 else ()) for code in codes)


def gzip_bomb(total: int = 1 << 30, member: int = 16 << 20) -> bytes:
    """``total`` bytes of zeros as concatenated gzip members, about a thousandth of that on the wire."""
    one = gzip.compress(b"\0" * member, 9)
    return one * (total // member)


def closed_port() -> int:
    """A port on 127.0.0.1 that nobody listens on (a connection there is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- scripts ------------------------------------------------------------------------------------------

# Headers for an error reply that the client retries at once ("retry-after: 0" instead of the backoff).
RETRY_NOW = {"content-type": "application/json", "retry-after": "0"}


@dataclass
class Reply:
    """An HTTP reply to one request."""

    status: int = 200
    headers: Dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})
    body: bytes = b""
    chunks: Optional[List[bytes]] = None  # written and flushed one by one instead of body
    chunked: bool = False  # Transfer-Encoding: chunked framing
    delay: float = 0.0  # seconds between chunks
    cut_after: Optional[int] = None  # close the socket after this many body bytes
    delay_before: float = 0.0  # seconds before the status line

    @classmethod
    def json(cls, obj: Any, status: int = 200, **kw: Any) -> "Reply":
        return cls(status=status, body=json.dumps(obj).encode(), **kw)

    @classmethod
    def sse(cls, events: List[Any], done: bool = True, **kw: Any) -> "Reply":
        """An OpenAI-style SSE stream: one ``data:`` event per object, then ``[DONE]``."""
        parts = [b"data: " + json.dumps(e).encode() + b"\n\n" for e in events]
        if done:
            parts.append(b"data: [DONE]\n\n")
        kw.setdefault("headers", {"content-type": "text/event-stream"})
        kw.setdefault("chunked", True)
        return cls(chunks=parts, **kw)

    def steps(self, close: bool = False) -> List[Step]:
        """The reply as raw steps; ``close`` ends the connection after it (the client asked to)."""
        pieces = [p for p in (self.chunks if self.chunks is not None else [self.body]) if p]
        headers = list(self.headers.items())
        close = close or any(k.lower() == "connection" and v.lower() == "close" for k, v in headers)
        out: List[Step] = [self.delay_before] if self.delay_before else []
        out.append(head(self.status, headers, sum(len(p) for p in pieces), chunked=self.chunked))
        sent = 0
        for piece in pieces:
            if self.cut_after is not None and sent + len(piece) > self.cut_after:
                piece = piece[: self.cut_after - sent]
                if piece:  # (an empty chunk would be the clean end of the body, not a cut)
                    out.append(chunk(piece) if self.chunked else piece)
                return out + ["close"]
            out.append(chunk(piece) if self.chunked else piece)
            sent += len(piece)
            if self.delay:
                out.append(self.delay)
        if self.cut_after is not None and sent >= self.cut_after:
            return out + ["close"]
        if self.chunked:
            out.append(b"0\r\n\r\n")
        return out + ["close"] if close else out


@dataclass
class Fault:
    """Raw steps played on the socket for one request (see :data:`Step`)."""

    steps: List[Step]


Script = Union[Reply, Fault, List[Step]]


@dataclass
class RecordedRequest:
    """One request as the server read it; header names lower-case (the last of repeats wins)."""

    method: str
    path: str  # without the query
    query: str
    headers: Dict[str, str]
    body: bytes
    target: str = ""  # the request target as sent: path and query, an absolute URL, or CONNECT's host:port
    conn_id: int = 0  # which accepted connection (1-based)
    index: int = 0  # request number on that connection (1-based)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class MalformedRequest(ValueError):
    """What the client sent is not HTTP/1.x (a TLS handshake sent to a plain server, say)."""


_REQUEST_LINE = re.compile(rb"[A-Z]+ [^ ]+ HTTP/1\.[01]\r?\n")


def _check_request_line(buf: bytes) -> None:
    """Raise :class:`MalformedRequest` as soon as the bytes read cannot start a request."""
    if buf[:1] and not buf[:1].isupper():
        raise MalformedRequest(buf[:20])
    line_end = buf.find(b"\n")
    if line_end >= 0 and not _REQUEST_LINE.match(buf, 0, line_end + 1):
        raise MalformedRequest(buf[: min(line_end, 80)])


def read_raw_request(sock: socket.socket, buf: bytes) -> Optional[Tuple[str, str, Dict[str, str], bytes, bytes]]:
    """One HTTP/1.1 request from a raw socket: (method, target, lower-case headers, body, bytes left over).

    ``buf`` holds bytes already read; None when the peer closes before the request is complete.
    """
    while b"\r\n\r\n" not in buf:
        _check_request_line(buf)
        data = sock.recv(65536)
        if not data:
            return None
        buf += data
    _check_request_line(buf)
    request_head, _, buf = buf.partition(b"\r\n\r\n")
    lines = request_head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: Dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(buf) < length:
        data = sock.recv(65536)
        if not data:
            return None
        buf += data
    return method, target, headers, buf[:length], buf[length:]


# -- the server ---------------------------------------------------------------------------------------


class LoopbackServer:
    """127.0.0.1:0, a thread per connection, serving queued scripts (or ``handler``'s), over TLS when
    given a server context. Use it as a context manager, or ``start()`` and ``stop()``."""

    def __init__(self, handler: Optional[Callable[[RecordedRequest], Script]] = None,
                 tls: Optional[ssl.SSLContext] = None) -> None:
        self.handler = handler
        self.tls = tls
        self.lock = threading.Lock()
        self.requests: List[RecordedRequest] = []
        self.accepted = 0  # connections accepted so far
        self.active = 0  # connections open now
        self.errors: List[Exception] = []  # raised by a handler or a malformed request
        self._queue: List[Script] = []
        self._last: Optional[Script] = None
        self._stopping = threading.Event()
        self._started = False
        self._clients: Dict[int, socket.socket] = {}  # open connections by id
        self._threads: List[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self.port = int(self._sock.getsockname()[1])
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        self._accepter = threading.Thread(target=self._accept_loop, name="loopback-accept", daemon=True)

    # -- scripting

    def add(self, *scripts: Script) -> "LoopbackServer":
        """Queue scripts, one per request in order; the last one keeps answering."""
        with self.lock:
            self._queue.extend(scripts)
        return self

    def reset(self) -> None:
        """Forget requests, queued scripts and the handler (a server shared by several tests)."""
        with self.lock:
            self.requests.clear()
            self._queue.clear()
            self._last = None
        self.handler = None

    def next_reply(self, rec: RecordedRequest) -> Script:
        if self.handler is not None:
            return self.handler(rec)
        with self.lock:
            if self._queue:
                self._last = self._queue.pop(0)
            if self._last is None:
                return Reply(status=500, body=b'{"error": {"message": "no reply queued"}}')
            return self._last

    # -- life

    def start(self) -> "LoopbackServer":
        if not self._started:
            self._started = True
            self._accepter.start()
        return self

    def stop(self) -> None:
        """Close the listener and every connection; join every thread (they must all end)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._accepter.is_alive():
            try:  # wake the blocking accept()
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                pass
            self._accepter.join(5)
        self._sock.close()
        with self.lock:
            clients, threads = list(self._clients.values()), list(self._threads)
        for client in clients:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            thread.join(5)
        alive = [t for t in threads + [self._accepter] if t.is_alive()]
        assert not alive, "loopback server threads did not stop: %s" % alive

    close = stop

    def wait_idle(self, deadline: float = 3.0) -> None:
        """Wait (up to ``deadline`` seconds) until every connection has ended."""
        end = time.monotonic() + deadline
        while self.active and time.monotonic() < end:
            time.sleep(0.01)

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- threads

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            if self._stopping.is_set():
                client.close()
                return
            with self.lock:
                self.accepted += 1
                self.active += 1
                self._threads = [t for t in self._threads if t.is_alive()]
                thread = threading.Thread(target=self._serve, args=(client, self.accepted),
                                          name="loopback-conn", daemon=True)
                self._clients[self.accepted] = client
                self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket, conn_id: int) -> None:
        sock = client
        try:
            client.settimeout(10)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.tls is not None:
                sock = self.tls.wrap_socket(client, server_side=True)
                with self.lock:
                    self._clients[conn_id] = sock
            buf, index = b"", 0
            while not self._stopping.is_set():
                raw = read_raw_request(sock, buf)
                if raw is None:
                    return
                method, target, headers, body, buf = raw
                index += 1
                parts = urlsplit(target)
                rec = RecordedRequest(method, parts.path, parts.query, headers, body, target, conn_id, index)
                with self.lock:
                    self.requests.append(rec)
                script = self.next_reply(rec)
                if isinstance(script, Reply):
                    steps = script.steps(close=headers.get("connection", "").lower() == "close")
                else:
                    steps = script.steps if isinstance(script, Fault) else script
                if not self._play(sock, steps):
                    return
        except MalformedRequest:  # answered as http.server does, and not recorded
            try:
                sock.sendall(response(400, b"", [("Connection", "close")]))
            except OSError:
                pass
        except OSError:
            pass  # the client went away, or the server is stopping
        except Exception as exc:  # a handler's error (the client sees the connection end): kept for a look
            with self.lock:
                self.errors.append(exc)
        finally:
            try:
                sock.close()
            except OSError:
                pass
            with self.lock:
                self.active -= 1
                self._clients.pop(conn_id, None)

    def _play(self, sock: socket.socket, steps: List[Step]) -> bool:
        """Play the steps; False when the connection must end."""
        for step in steps:
            if isinstance(step, bytes):
                sock.sendall(step)
            elif isinstance(step, (int, float)):
                if self._stopping.wait(step):
                    return False
            elif step == "close":
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return False
            elif step == "reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            elif step == "hang":
                self._stopping.wait()
                return False
            elif callable(step):
                step(sock)
                return False
            else:
                raise ValueError("unknown step %r" % (step,))
        return True
