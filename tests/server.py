"""A scripted HTTP server on 127.0.0.1 for tests: byte-level control over what is sent back."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit


def read_raw_request(sock: socket.socket, buf: bytes) -> Optional[Tuple[str, str, Dict[str, str], bytes, bytes]]:
    """One HTTP/1.1 request from a raw socket: (method, target, lower-case headers, body, bytes left over).

    ``buf`` holds bytes already read; None when the peer closes before the request is complete.
    """
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None
        buf += data
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
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


@dataclass
class Reply:
    """What the server sends for one request."""

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


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        rec = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(rec)
        reply = owner.next_reply(rec)
        self._send(reply)

    do_POST = do_GET = do_PUT = do_DELETE = _handle

    def _send(self, reply: Reply) -> None:
        if reply.delay_before:
            time.sleep(reply.delay_before)
        pieces = reply.chunks if reply.chunks is not None else [reply.body]
        total = sum(len(p) for p in pieces)
        self.send_response(reply.status)
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        sent = 0
        try:
            for piece in pieces:
                if reply.cut_after is not None and sent + len(piece) > reply.cut_after:
                    piece = piece[: reply.cut_after - sent]
                    self._write(piece, reply.chunked)
                    self._cut()
                    return
                self._write(piece, reply.chunked)
                sent += len(piece)
                if reply.delay:
                    time.sleep(reply.delay)
            if reply.cut_after is not None and sent >= reply.cut_after:
                self._cut()
                return
            if reply.chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _write(self, piece: bytes, chunked: bool) -> None:
        if not piece:
            return
        if chunked:
            self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        else:
            self.wfile.write(piece)
        self.wfile.flush()

    def _cut(self) -> None:
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "LoopbackServer"

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a client dropping a keep-alive connection is normal here
        super().handle_error(request, client_address)


class LoopbackServer:
    """ThreadingHTTPServer on 127.0.0.1:0 serving queued :class:`Reply` objects (or a handler)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: List[RecordedRequest] = []
        self._queue: List[Reply] = []
        self._last: Optional[Reply] = None
        self.handler: Optional[Callable[[RecordedRequest], Reply]] = None
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def add(self, *replies: Reply) -> "LoopbackServer":
        with self.lock:
            self._queue.extend(replies)
        return self

    def next_reply(self, rec: RecordedRequest) -> Reply:
        if self.handler is not None:
            return self.handler(rec)
        with self.lock:
            if self._queue:
                self._last = self._queue.pop(0)
            if self._last is None:
                return Reply(status=500, body=b'{"error": {"message": "no reply queued"}}')
            return self._last

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
