"""A fake LLM provider on 127.0.0.1 for tests and demos: real HTTP, real SSE, no key needed.

::

    from litellm_lite.testing import FakeProvider
    import litellm_lite as litellm

    with FakeProvider() as fake:
        fake.add_reply("Hello there")
        r = litellm.completion(messages=[{"role": "user", "content": "Hi"}], **fake.kwargs())
        assert r.choices[0].message.content == "Hello there"
        assert fake.requests[-1].json["messages"][0]["content"] == "Hi"

It speaks three wire formats, chosen by the request's path (``fake.kwargs(format=...)`` gives the
matching ``model``/``api_base``/``api_key``):

* OpenAI: ``/v1/chat/completions`` (streamed or not), ``/v1/embeddings``, the Responses API
  ``/v1/responses`` (streamed or not, see :mod:`litellm_lite.testing_responses`) and the other
  OpenAI endpoints of :mod:`litellm_lite.testing_endpoints`;
* Anthropic Messages: ``/v1/messages`` (JSON, or SSE when the body has ``"stream": true``);
* Gemini: ``/v1beta/models/{model}:generateContent`` and ``:streamGenerateContent`` (SSE with
  ``?alt=sse``, a streamed JSON array without), and ``:batchEmbedContents``.

With no scripted reply it echoes the last user message. Errors (in each format's own error
shape), slow streams and connections cut mid-stream can be scripted.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import unquote

__all__ = ["FakeProvider", "FakeReply", "FakeRequest", "FORMATS"]

#: The wire formats the fake provider speaks (``FakeProvider.kwargs(format=...)``).
FORMATS = ("openai", "anthropic", "gemini")
_GEMINI_ROUTE = re.compile(r"/models/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$")


@dataclass
class FakeReply:
    """One scripted answer (or error, when ``status`` is not 200)."""

    content: Optional[str] = None
    tool_calls: Optional[List[Dict[str, Any]]] = None
    reasoning: Optional[str] = None
    finish_reason: Optional[str] = None
    status: int = 200
    error_message: str = ""
    error_type: Optional[str] = None
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


def _text_of_parts(content: Any) -> str:
    """A message's text: a string, or the ``text`` of its parts/blocks joined by spaces."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _last_user_text(messages: Any, role: str = "user", key: str = "content") -> str:
    """The text of the last ``role`` turn: OpenAI/Anthropic ``messages`` or Gemini ``contents``
    (``key="parts"``)."""
    if not isinstance(messages, list):
        return ""
    for msg in reversed(messages):
        if isinstance(msg, dict) and msg.get("role") == role:
            return _text_of_parts(msg.get(key))
    return ""


def _pieces(text: str, size: int) -> List[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] if text else []


def _prompt_tokens(value: Any) -> int:
    return max(1, len(json.dumps(value)) // 4)


def _embedding(text: Any, dims: int) -> List[float]:
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return [round((digest[j % 32] - 128) / 128.0, 6) for j in range(dims)]


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
        path, _, query = self.path.partition("?")
        path = path.rstrip("/")
        gemini = _GEMINI_ROUTE.search(path)
        if gemini is not None:
            body = self._body(raw, "gemini")
            if body is not None:
                self._gemini(fake, body, unquote(gemini.group(1)), gemini.group(2), "alt=sse" in query.split("&"))
            return
        if path.endswith("/messages"):
            body = self._body(raw, "anthropic")
            if body is not None:
                self._anthropic(fake, body)
            return
        if path.endswith("/responses"):
            body = self._body(raw, "openai")
            if body is not None:
                self._responses(fake, body)
            return
        if not path.endswith(("/chat/completions", "/embeddings")):
            self._other_endpoint(path, raw)
            return
        body = self._body(raw, "openai")
        if body is None:
            return
        if path.endswith("/chat/completions"):
            self._chat(fake, body)
        else:
            self._embeddings(body)

    def _body(self, raw: bytes, fmt: str) -> Optional[Dict[str, Any]]:
        """The request's JSON object, or None after answering 400 in ``fmt``'s error shape."""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict):
            return body
        message = "request body is not a JSON object"
        if fmt == "anthropic":
            from .testing_formats import anthropic_error

            self._json(400, anthropic_error(400, message))
        elif fmt == "gemini":
            from .testing_formats import gemini_error

            self._json(400, gemini_error(400, message))
        else:
            self._json(400, {"error": {"message": message, "type": "invalid_request_error"}})
        return None

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

    def _send_stream(self, fake: "FakeProvider", reply: FakeReply, frames: List[bytes], content_type: str) -> None:
        """Write ``frames`` one HTTP chunk each (flushed, ``fake.delay`` apart); with
        ``reply.cut_after_chunks`` the connection is closed after that many frames."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        try:
            for number, payload in enumerate(frames):
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

    # -- OpenAI ------------------------------------------------------------------------------

    def _chat(self, fake: "FakeProvider", body: Dict[str, Any]) -> None:
        reply = fake._next_reply()
        model = str(body.get("model") or fake.model)
        if reply.status != 200:
            error: Dict[str, Any] = {
                "message": reply.error_message,
                "type": reply.error_type or "invalid_request_error",
                "code": reply.error_code,
            }
            self._json(reply.status, {"error": error}, reply.headers)
            return
        content = fake._content(reply, _last_user_text(body.get("messages")))
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        prompt_tokens = _prompt_tokens(body.get("messages"))
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
        frames = [b"data: " + json.dumps(e).encode("utf-8") + b"\n\n" for e in events] + [b"data: [DONE]\n\n"]
        self._send_stream(fake, reply, frames, "text/event-stream")

    def _embeddings(self, body: Dict[str, Any]) -> None:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list):
            self._json(400, {"error": {"message": "input must be a string or a list", "type": "invalid_request_error"}})
            return
        dims = int(body.get("dimensions") or 8)
        data = [{"object": "embedding", "index": i, "embedding": _embedding(text, dims)} for i, text in enumerate(inputs)]
        tokens = sum(max(1, len(str(t)) // 4) for t in inputs)
        self._json(
            200,
            {"object": "list", "data": data, "model": body.get("model"), "usage": {"prompt_tokens": tokens, "total_tokens": tokens}},
        )

    # -- OpenAI Responses API (/v1/responses; renderers in testing_responses) ----------------

    def _responses(self, fake: "FakeProvider", body: Dict[str, Any]) -> None:
        from .testing_responses import last_input_text, responses_error, responses_events, responses_object

        reply = fake._next_reply()
        if reply.status != 200:
            self._json(reply.status, responses_error(reply.status, reply.error_message, reply.error_type, reply.error_code), reply.headers)
            return
        model = str(body.get("model") or fake.model)
        options: Dict[str, Any] = {
            "request": body,
            "reasoning": reply.reasoning,
            "tool_calls": reply.tool_calls,
            "finish_reason": reply.finish_reason,
            "input_tokens": _prompt_tokens([body.get("instructions"), body.get("input")]),
        }
        content = fake._content(reply, last_input_text(body.get("input")))
        if not body.get("stream"):
            self._json(200, responses_object(content, model, **options), reply.headers)
            return
        frames = responses_events(content, model, chunk_size=fake.chunk_size, **options)
        self._send_stream(fake, reply, frames, "text/event-stream; charset=utf-8")

    # -- Anthropic Messages -------------------------------------------------------------------

    def _anthropic(self, fake: "FakeProvider", body: Dict[str, Any]) -> None:
        from .testing_formats import anthropic_error, anthropic_events, anthropic_message

        reply = fake._next_reply()
        if reply.status != 200:
            self._json(reply.status, anthropic_error(reply.status, reply.error_message, reply.error_type), reply.headers)
            return
        model = str(body.get("model") or fake.model)
        content = fake._content(reply, _last_user_text(body.get("messages")))
        options: Dict[str, Any] = {
            "reasoning": reply.reasoning,
            "tool_calls": reply.tool_calls,
            "finish_reason": reply.finish_reason,
            "input_tokens": _prompt_tokens([body.get("system"), body.get("messages")]),
        }
        if not body.get("stream"):
            self._json(200, anthropic_message(content, model, **options), reply.headers)
            return
        frames = anthropic_events(content, model, chunk_size=fake.chunk_size, **options)
        self._send_stream(fake, reply, frames, "text/event-stream; charset=utf-8")

    # -- Gemini generateContent ---------------------------------------------------------------

    def _gemini(self, fake: "FakeProvider", body: Dict[str, Any], model: str, method: str, sse: bool) -> None:
        from .testing_formats import gemini_error, gemini_response, gemini_stream_items, json_array_frames, sse_frames

        if method == "batchEmbedContents":
            self._gemini_embeddings(body)
            return
        stream = method == "streamGenerateContent"
        reply = fake._next_reply()
        if reply.status != 200:
            error = gemini_error(reply.status, reply.error_message, reply.error_type if _google_status(reply.error_type) else None)
            # streamGenerateContent without alt=sse wraps even its errors in the JSON array.
            self._json(reply.status, [error] if stream and not sse else error, reply.headers)
            return
        content = fake._content(reply, _last_user_text(body.get("contents"), "user", "parts"))
        options: Dict[str, Any] = {
            "reasoning": reply.reasoning,
            "tool_calls": reply.tool_calls,
            "finish_reason": reply.finish_reason,
            "prompt_tokens": _prompt_tokens([body.get("systemInstruction"), body.get("contents")]),
        }
        if not stream:
            self._json(200, gemini_response(content, model, **options), reply.headers)
            return
        items = gemini_stream_items(content, model, chunk_size=fake.chunk_size, **options)
        if sse:
            frames = [frame.replace(b"\n", b"\r\n") for frame in sse_frames([(None, item) for item in items])]
            self._send_stream(fake, reply, frames, "text/event-stream")
        else:
            self._send_stream(fake, reply, json_array_frames(items), "application/json; charset=UTF-8")

    def _gemini_embeddings(self, body: Dict[str, Any]) -> None:
        from .testing_formats import gemini_error

        requests = body.get("requests")
        if not isinstance(requests, list):
            self._json(400, gemini_error(400, "requests must be a list"))
            return
        vectors = []
        for entry in requests:
            entry = entry if isinstance(entry, dict) else {}
            raw_content = entry.get("content")
            content: Dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
            text = _text_of_parts(content.get("parts"))
            dims = entry.get("outputDimensionality")
            vectors.append({"values": _embedding(text, dims if isinstance(dims, int) and dims > 0 else 8)})
        self._json(200, {"embeddings": vectors})


def _google_status(value: Optional[str]) -> bool:
    """Whether ``value`` looks like a google.rpc.Code name (``RESOURCE_EXHAUSTED``), not an OpenAI type."""
    return bool(value) and value == str(value).upper()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FakeProvider"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a stream closed after its end marker, a cancelled call) is no error."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class FakeProvider:
    """A fake provider on 127.0.0.1 (random port) running in a background thread.

    It answers in OpenAI's, Anthropic's or Gemini's format depending on the path requested;
    :meth:`kwargs` points ``completion()`` at it in the format you choose. Scripted replies
    (:meth:`add_reply`, :meth:`add_error`) are served in order, whatever the format; with none
    queued, the answer echoes the last user message (after ``echo_prefix``).
    """

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
        """Queue the next answer. ``tool_calls`` use OpenAI's shape (id, type, function.name/arguments);
        ``finish_reason`` is OpenAI's (``stop``, ``length``, ``tool_calls``, ``content_filter``) and is
        translated for the Anthropic and Gemini formats. ``reasoning`` becomes a thinking block
        (with a signature) for Anthropic and a ``thought`` part for Gemini. A stream is cut (the
        connection closed) after ``cut_after_chunks`` events (no cut when it has no more than that)."""
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
        error_type: Optional[str] = None,
        code: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        times: int = 1,
    ) -> "FakeProvider":
        """Queue ``times`` error answers with this HTTP status, in the requested format's error shape:
        OpenAI ``{"error": {message, type, code}}``, Anthropic ``{"type": "error", "error": {type,
        message}}`` or Google ``{"error": {code, message, status}}``. Without ``error_type`` the type
        follows the status (``invalid_request_error`` for OpenAI, ``rate_limit_error`` for an
        Anthropic 429, ``RESOURCE_EXHAUSTED`` for a Gemini 429...)."""
        with self._lock:
            for _ in range(times):
                self._replies.append(
                    FakeReply(status=status, error_message=message, error_type=error_type, error_code=code, headers=dict(headers or {}))
                )
        return self

    def _next_reply(self) -> FakeReply:
        with self._lock:
            return self._replies.pop(0) if self._replies else FakeReply()

    def _content(self, reply: FakeReply, last_user_text: str) -> Optional[str]:
        """The reply's text, or the echo when nothing (neither text nor tool calls) was scripted."""
        if reply.content is None and reply.tool_calls is None:
            return self.echo_prefix + last_user_text
        return reply.content

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

    def kwargs(self, format: str = "openai") -> Dict[str, Any]:
        """Keyword arguments for ``completion()`` that target this server in ``format``:

        * ``"openai"``: ``model="openai/<model>"``, ``api_base=<url>/v1``;
        * ``"anthropic"``: ``model="anthropic/<model>"``, ``api_base=<url>`` (``/v1/messages``);
        * ``"gemini"``: ``model="gemini/<model>"``, ``api_base=<url>`` (``/v1beta/models/...``).

        ``api_key`` is always ``"fake-key"`` (the fake accepts any key).
        """
        if format == "openai":
            return {"model": "openai/" + self.model, "api_base": self.api_base, "api_key": "fake-key"}
        if format in ("anthropic", "gemini"):
            return {"model": format + "/" + self.model, "api_base": self.url, "api_key": "fake-key"}
        from .exceptions import BadRequestError

        raise BadRequestError("unknown fake provider format %r; use one of: %s" % (format, ", ".join(FORMATS)))
