"""A fake LLM provider on 127.0.0.1 for tests and demos: real HTTP, real SSE, no key needed.

::

    from litellm_lite.testing import FakeProvider
    import litellm_lite as litellm

    with FakeProvider() as fake:
        fake.add_reply("Hello there")
        r = litellm.completion(messages=[{"role": "user", "content": "Hi"}], **fake.kwargs())
        assert r.choices[0].message.content == "Hello there"
        assert fake.requests[-1].json["messages"][0]["content"] == "Hi"

It speaks OpenAI's chat-completions format (``/v1/chat/completions``, streamed or not) and
``/v1/embeddings``. With no scripted reply it echoes the last user message. Errors, slow
streams and connections cut mid-stream can be scripted.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

__all__ = ["FakeProvider", "FakeReply", "FakeRequest"]


@dataclass
class FakeReply:
    """One scripted answer (or error, when ``status`` is not 200)."""

    content: Optional[str] = None
    tool_calls: Optional[List[Dict[str, Any]]] = None
    reasoning: Optional[str] = None
    finish_reason: Optional[str] = None
    status: int = 200
    error_message: str = ""
    error_type: str = "invalid_request_error"
    error_code: Optional[str] = None
    headers: Dict[str, str] = field(default_factory=dict)
    cut_after_chunks: Optional[int] = None


@dataclass
class FakeRequest:
    """A request the fake provider received."""

    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


def _last_user_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    for msg in reversed(messages):
        if isinstance(msg, dict) and msg.get("role") == "user":
            content = msg.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _pieces(text: str, size: int) -> List[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] if text else []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        fake = self.server.fake
        record = FakeRequest("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
        with fake._lock:
            fake.requests.append(record)
        path = self.path.split("?")[0].rstrip("/")
        if not path.endswith(("/chat/completions", "/embeddings")):
            self._other_endpoint(path, raw)
            return
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            self._json(400, {"error": {"message": "request body is not JSON", "type": "invalid_request_error"}})
            return
        if path.endswith("/chat/completions"):
            self._chat(fake, body)
        elif path.endswith("/embeddings"):
            self._embeddings(body)
        else:
            self._json(404, {"error": {"message": "unknown route %s" % path, "type": "not_found"}})

    def _other_endpoint(self, path: str, raw: bytes) -> None:
        """Images, audio, moderations and legacy completions (see testing_endpoints)."""
        from .testing_endpoints import handle_endpoint

        answer = handle_endpoint(path, raw, {k.lower(): v for k, v in self.headers.items()})
        if answer is None:
            self._json(404, {"error": {"message": "unknown route %s" % path, "type": "not_found"}})
            return
        status, headers, data = answer
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if not any(k.lower() == "content-length" for k in headers):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, obj: Any, headers: Optional[Dict[str, str]] = None) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _chat(self, fake: "FakeProvider", body: Dict[str, Any]) -> None:
        reply = fake._next_reply()
        model = str(body.get("model") or fake.model)
        if reply.status != 200:
            error: Dict[str, Any] = {"message": reply.error_message, "type": reply.error_type, "code": reply.error_code}
            self._json(reply.status, {"error": error}, reply.headers)
            return
        content = reply.content
        if content is None and reply.tool_calls is None:
            content = fake.echo_prefix + _last_user_text(body.get("messages"))
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        prompt_tokens = max(1, len(json.dumps(body.get("messages"))) // 4)
        completion_tokens = max(1, len(content or "") // 4)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
        rid = "chatcmpl-fake-" + uuid.uuid4().hex[:12]
        created = int(time.time())
        if not body.get("stream"):
            message: Dict[str, Any] = {"role": "assistant", "content": content}
            if reply.reasoning is not None:
                message["reasoning_content"] = reply.reasoning
            if reply.tool_calls:
                message["tool_calls"] = reply.tool_calls
            self._json(
                200,
                {
                    "id": rid,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                    "usage": usage,
                },
                reply.headers,
            )
            return
        self._stream(fake, body, reply, content, finish, usage, rid, created, model)

    def _stream(
        self,
        fake: "FakeProvider",
        body: Dict[str, Any],
        reply: FakeReply,
        content: Optional[str],
        finish: str,
        usage: Dict[str, int],
        rid: str,
        created: int,
        model: str,
    ) -> None:
        def chunk(delta: Dict[str, Any], finish_reason: Optional[str] = None) -> Dict[str, Any]:
            return {
                "id": rid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            }

        events = [chunk({"role": "assistant", "content": ""})]
        for piece in _pieces(reply.reasoning or "", fake.chunk_size):
            events.append(chunk({"reasoning_content": piece}))
        for piece in _pieces(content or "", fake.chunk_size):
            events.append(chunk({"content": piece}))
        for index, call in enumerate(reply.tool_calls or []):
            fn = call.get("function", {})
            events.append(
                chunk({"tool_calls": [{"index": index, "id": call.get("id"), "type": "function", "function": {"name": fn.get("name"), "arguments": ""}}]})
            )
            for piece in _pieces(fn.get("arguments", ""), fake.chunk_size):
                events.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}))
        events.append(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({"id": rid, "object": "chat.completion.chunk", "created": created, "model": model, "choices": [], "usage": usage})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        payloads = [b"data: " + json.dumps(e).encode("utf-8") + b"\n\n" for e in events] + [b"data: [DONE]\n\n"]
        try:
            for number, payload in enumerate(payloads):
                if reply.cut_after_chunks is not None and number >= reply.cut_after_chunks:
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
                self.wfile.flush()
                if fake.delay:
                    time.sleep(fake.delay)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def _embeddings(self, body: Dict[str, Any]) -> None:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list):
            self._json(400, {"error": {"message": "input must be a string or a list", "type": "invalid_request_error"}})
            return
        dims = int(body.get("dimensions") or 8)
        data = []
        for i, text in enumerate(inputs):
            digest = hashlib.sha256(str(text).encode("utf-8")).digest()
            vector = [round((digest[j % 32] - 128) / 128.0, 6) for j in range(dims)]
            data.append({"object": "embedding", "index": i, "embedding": vector})
        tokens = sum(max(1, len(str(t)) // 4) for t in inputs)
        self._json(
            200,
            {"object": "list", "data": data, "model": body.get("model"), "usage": {"prompt_tokens": tokens, "total_tokens": tokens}},
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FakeProvider"


class FakeProvider:
    """An OpenAI-compatible server on 127.0.0.1 (random port) running in a background thread."""

    def __init__(self, *, chunk_size: int = 4, delay: float = 0.0, model: str = "fake-model", echo_prefix: str = "") -> None:
        self.chunk_size = max(1, chunk_size)
        self.delay = delay
        self.model = model
        self.echo_prefix = echo_prefix
        self.requests: List[FakeRequest] = []
        self._replies: List[FakeReply] = []
        self._lock = threading.Lock()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- scripting -------------------------------------------------------------------------
    def add_reply(
        self,
        content: Optional[str] = None,
        *,
        tool_calls: Optional[List[Dict[str, Any]]] = None,
        reasoning: Optional[str] = None,
        finish_reason: Optional[str] = None,
        cut_after_chunks: Optional[int] = None,
    ) -> "FakeProvider":
        """Queue the next answer. ``tool_calls`` use OpenAI's shape (id, type, function.name/arguments)."""
        with self._lock:
            self._replies.append(
                FakeReply(content, tool_calls, reasoning, finish_reason, cut_after_chunks=cut_after_chunks)
            )
        return self

    def add_error(
        self,
        status: int,
        message: str,
        *,
        error_type: str = "invalid_request_error",
        code: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        times: int = 1,
    ) -> "FakeProvider":
        """Queue ``times`` error answers with this HTTP status and OpenAI-style error body."""
        with self._lock:
            for _ in range(times):
                self._replies.append(
                    FakeReply(status=status, error_message=message, error_type=error_type, error_code=code, headers=dict(headers or {}))
                )
        return self

    def _next_reply(self) -> FakeReply:
        with self._lock:
            return self._replies.pop(0) if self._replies else FakeReply()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "FakeProvider":
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.fake = self
            server = self._server
            # A short poll interval makes stop() return at once instead of after up to 0.5 s.
            self._thread = threading.Thread(
                target=lambda: server.serve_forever(poll_interval=0.02), name="litellm-lite-fake", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeProvider":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeProvider is not started: use it as a context manager or call start()")
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    @property
    def api_base(self) -> str:
        """Base URL for OpenAI-compatible clients (``.../v1``)."""
        return self.url + "/v1"

    def kwargs(self) -> Dict[str, Any]:
        """Keyword arguments for ``completion()`` that target this server."""
        return {"model": "openai/" + self.model, "api_base": self.api_base, "api_key": "fake-key"}
