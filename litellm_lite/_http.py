"""HTTP transport: a urllib.request opener with keep-alive, proxies, TLS and a redirect policy.

With its helpers (:mod:`._netconf`: URL/header checks, proxies, TLS; :mod:`._pool`: connections
and the keep-alive pool; :mod:`._inflate`: bounded decompression; :mod:`._deadline`: the
whole-call deadline watchdog) it is the only part of the package that imports
``urllib.request``, ``http.client``, ``ssl`` and ``socket``; the core imports it lazily, on the
first call that goes to the network.

How a call travels::

    send(wire)                     validate URL (http/https only) and headers (nothing HTTP
                                   cannot carry), pick the TLS context, build a Request
      -> OpenerDirector.open()     one opener, built on first use, holding only our handlers:
           _ProxyProcessor         HTTPS_PROXY / HTTP_PROXY / NO_PROXY (urllib.request.getproxies)
           _KeepAliveHandler       http_open / https_open on pooled http.client connections
           _RedirectProcessor      follows 307/308 (same method and body) up to 5 hops
      -> HTTPResponse              status, lower-case headers, read() / read1() / close()

Design choices:

* urllib's own ``HTTPHandler`` sends ``Connection: close`` and opens a socket per request, and its
  ``HTTPErrorProcessor`` turns 4xx/5xx into exceptions. We keep the OpenerDirector (request
  building, handler chain, proxy and redirect hooks) but our ``http_open`` talks to a pooled
  ``http.client.HTTPConnection`` directly. Callers get a response for every HTTP status.
* The pool (:mod:`._pool`) takes back a connection only when its response body was read to
  the end. Interim 1xx responses (102, 103...) are skipped as RFC 9110 says.
* Limits: ``read()`` refuses a body over ``max_response_bytes`` (default
  :data:`MAX_RESPONSE_BYTES`, after decompression); decompression is bounded as it inflates;
  a ``deadline`` bounds the whole exchange, body and stream included, and a timed-out
  exchange raises ``Timeout``.
* A reused connection that fails before any response byte (reset, broken pipe, closed without a
  status line) is retried once on a fresh connection: the server closed it while it sat idle.
* Every low-level failure (socket, TLS, http.client, zlib) becomes ``APIConnectionError`` or
  ``Timeout`` in :func:`._neterrors.connection_error`, chained with ``from``; messages name the origin
  (scheme://host:port) only, never a path, query string or header value.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import time
import urllib.error
import urllib.parse
import urllib.request

from ._log import logger
from ._inflate import Inflater, LimitExceeded
from ._neterrors import LOW_LEVEL_ERRORS, STALE_ERRORS, connection_error, deadline_error
from ._netconf import (
    checked_headers,
    is_token,
    Proxy,
    proxy_for,
    split_url,
    Target,
    tls_context,
)
from ._pool import (
    POOL,
    MAX_IDLE_PER_KEY,
    MAX_INTERIM_RESPONSES,
    KeepAliveHTTPConnection,
    KeepAliveHTTPSConnection,
    close_all,
    pool_stats,
)
from .exceptions import APIError, BadRequestError, LiteLLMError, is_credential_header

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple, Union

    from . import _deadline
    from .providers.base import WireRequest

__all__ = [
    "send",
    "HTTPResponse",
    "pool_stats",
    "close_all",
    "MAX_IDLE_PER_KEY",
    "MAX_REDIRECTS",
    "MAX_RESPONSE_BYTES",
    "MAX_INTERIM_RESPONSES",
]


MAX_REDIRECTS = 5
#: Default limit on a non-streamed response body, after decompression (``max_response_bytes``).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# After a stream's end marker: how long the rest of the body (the chunked terminator, usually a
# separate write) may take to arrive before the connection is closed instead of reused.
_DRAIN_TIMEOUT = 0.02
_DRAIN_LIMIT = 65536

# Never sent to another origin after a redirect (besides every credential-looking name).
_ORIGIN_BOUND_HEADERS = frozenset({"cookie", "host"})

# ---------------------------------------------------------------------------------------------
# Response


class HTTPResponse:
    """A response whose body has not been read yet.

    ``read()`` returns the whole (decoded) body, ``read1()`` the next available bytes (``b""`` at
    the clean end). When the body was read to its end the connection goes back to the pool;
    ``close()`` before that drops the connection. Use as a context manager.

    ``read()`` refuses a body larger than ``max_bytes`` (after decompression) with an APIError
    naming the limit; decompression is bounded as it goes (see :mod:`._inflate`). When the call
    has a deadline, a read past it raises Timeout (the watchdog cuts the connection).
    """

    def __init__(
        self,
        raw: http.client.HTTPResponse,
        conn: http.client.HTTPConnection,
        key: Tuple[Any, ...],
        url: str,
        reused: bool,
        origin: str,
        provider: str,
        model: str,
        timeout: Optional[float],
        max_bytes: Optional[int] = None,
        guard: Optional[_deadline.Watch] = None,
    ) -> None:
        self.status: int = raw.status
        self.reason: str = raw.reason
        headers: Dict[str, str] = {}
        # http.client decodes header lines as Latin-1, so the message's stored pairs are exactly what
        # getheaders() returns (its per-header policy pass only matters for surrogates): read them directly.
        pairs = getattr(raw.msg, "_headers", None)
        for name, value in pairs if type(pairs) is list else raw.getheaders():
            name = name.lower()
            if name in headers:
                headers[name] += ", " + value
            else:
                headers[name] = value
        self.headers = headers
        self.url = url
        self.reused = reused
        self._raw: Optional[http.client.HTTPResponse] = raw
        self._conn = conn
        self._key = key
        self._origin = origin
        self._provider = provider
        self._model = model
        self._timeout = timeout
        self._max_bytes = MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
        self._guard = guard
        encoding = headers.get("content-encoding", "").strip().lower()
        self._decoder: Optional[Inflater] = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            self._decoder = Inflater("deflate" if encoding == "deflate" else "gzip")

    @property
    def closed(self) -> bool:
        return self._raw is None

    def _fail(self, exc: BaseException) -> APIError:
        guard = self._guard
        self.close()
        if isinstance(exc, LimitExceeded):
            return APIError(self.status, str(exc), self._provider, self._model, headers=self.headers)
        if guard is not None and guard.fired:
            return deadline_error(self._provider, self._model, self._origin)
        return connection_error(exc, self._provider, self._model, self._origin, self._timeout)

    def _release_guard(self) -> None:
        guard = self._guard
        if guard is not None:
            self._guard = None
            guard.cancel()

    def _finished(self) -> None:
        """The body was read to its end: hand the connection back to the pool."""
        raw = self._raw
        self._raw = None
        if raw is None:
            return
        guard = self._guard
        self._release_guard()
        raw.close()
        if raw.will_close or (guard is not None and guard.fired):
            self._conn.close()
        else:
            POOL.give(self._key, self._conn)

    def _check_end(self, raw: http.client.HTTPResponse) -> None:
        """At ``b""`` from the socket: a cut body (or the deadline) is an error, not the end."""
        if not raw.chunked and raw.length:  # Content-Length not reached: cut
            raise http.client.IncompleteRead(b"", raw.length)
        if self._guard is not None and self._guard.fired:
            raise socket.timeout("deadline")

    def read(self) -> bytes:
        """The whole remaining body, decoded (gzip/deflate); then the connection is released.

        Raises APIError naming ``max_response_bytes`` when the (decoded) body is larger.
        """
        raw = self._raw
        if raw is None:
            return b""
        limit = self._max_bytes
        size = 0
        parts: List[bytes] = []
        try:
            length = raw.length
            if self._decoder is None and length is not None and length > limit:
                raise self._too_large(length)
            while True:
                data = self.read1(262144) if self._decoder is not None else raw.read(
                    min(1 << 20, length) if length else 1 << 20
                )
                if not data:
                    if self._decoder is None:
                        self._check_end(raw)
                        self._finished()
                    break
                size += len(data)
                if size > limit:
                    raise self._too_large(size)
                parts.append(data)
                if length is not None and self._decoder is None:
                    length -= len(data)
                    if length <= 0:
                        self._finished()
                        break
        except LOW_LEVEL_ERRORS + (LimitExceeded,) as exc:
            raise self._fail(exc) from exc
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def drain_buffered(self, max_reads: int = 8) -> bool:
        """After a stream's end marker: finish the body if its rest arrives at once; never wait long.

        True when the body ended (the connection went back to the pool). False when the rest did
        not come within a short grace period (the server keeps the body open), the body is
        compressed, or anything went wrong: the caller then closes the response. Each read may
        block for at most ``_DRAIN_TIMEOUT`` seconds.
        """
        raw = self._raw
        if raw is None:
            return True
        sock = getattr(self._conn, "sock", None)
        if sock is None or self._decoder is not None:
            return False
        try:
            sock.settimeout(_DRAIN_TIMEOUT)  # the next exchange on this connection sets its own timeout
            for _ in range(max_reads):
                if not self.read1(65536):  # b"": the body ended and the connection was released
                    return self._raw is None
            return False
        except (LiteLLMError, OSError, ValueError):  # a read that timed out has closed the response
            return False

    def _too_large(self, size: int) -> LimitExceeded:
        return LimitExceeded(
            "response body from %s is larger than max_response_bytes=%d (%d bytes so far); raise the limit "
            "with max_response_bytes=... or litellm_lite.max_response_bytes" % (self._origin, self._max_bytes, size)
        )

    def read1(self, n: int = 65536) -> bytes:
        """The next available body bytes (at most ``n`` read from the socket); ``b""`` at the end.

        Raises APIConnectionError when the connection is cut before the end of the body
        (chunked terminator or Content-Length), Timeout when a read times out or the call's
        deadline passed.
        """
        raw = self._raw
        if raw is None:
            return b""
        if n <= 0:
            n = 65536
        decoder = self._decoder
        try:
            while True:
                if decoder is not None and decoder.pending:
                    data = decoder.feed(b"")
                    if data:
                        return data
                    continue
                data = raw.read1(n)
                if not data:
                    self._check_end(raw)
                    tail = decoder.flush() if decoder is not None else b""
                    self._finished()
                    return tail
                if decoder is None:
                    return data
                data = decoder.feed(data)
                if data:
                    return data
        except LOW_LEVEL_ERRORS + (LimitExceeded,) as exc:
            raise self._fail(exc) from exc

    def close(self) -> None:
        """Release the response; a body not read to its end closes the connection."""
        raw = self._raw
        if raw is None:
            return
        self._raw = None
        self._release_guard()
        try:
            raw.close()
        finally:
            self._conn.close()

    def __enter__(self) -> "HTTPResponse":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._raw is not None:
                self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        return "<HTTPResponse %d from %s>" % (self.status, self._origin)


# ---------------------------------------------------------------------------------------------
# urllib.request plumbing


class _Request(urllib.request.Request):
    """A urllib Request carrying our context through the opener's handlers.

    Built from the URL :func:`split_url` already checked and split: the attributes urllib's
    ``Request.__init__`` would derive by parsing the URL again are set directly.
    """

    def __init__(self, url: str, target: Target, body: Optional[bytes], method: str, headers: Dict[str, str]) -> None:
        self._full_url = url
        self.fragment = None
        self.type = target.scheme
        self.host = target.origin.split("://", 1)[1]
        self.selector = target.selector
        self.headers = headers  # already checked and in Request's capitalised form
        self.unredirected_hdrs = {}
        self._data = body
        self._tunnel_host = None
        self.origin_req_host = target.host
        self.unverifiable = False
        self.method = method

    ll_target: Target
    ll_provider: str
    ll_model: str
    ll_ssl_verify: Union[bool, str, None]
    ll_tls: Optional[Tuple[Tuple[Any, ...], ssl.SSLContext]]
    ll_proxy: Optional[Proxy]
    ll_hops: int
    ll_deadline: Optional[float]
    ll_max_bytes: Optional[int]


def _make_request(
    url: str,
    target: Target,
    method: str,
    headers: Dict[str, str],
    body: Optional[bytes],
    ssl_verify: Union[bool, str, None],
    provider: str,
    model: str,
    hops: int,
    deadline: Optional[float] = None,
    max_bytes: Optional[int] = None,
) -> _Request:
    req = _Request(url, target, body, method, headers)
    req.ll_target = target
    req.ll_provider = provider
    req.ll_model = model
    req.ll_ssl_verify = ssl_verify
    req.ll_tls = tls_context(ssl_verify, provider, model) if target.scheme == "https" else None
    req.ll_proxy = None
    req.ll_hops = hops
    req.ll_deadline = deadline
    req.ll_max_bytes = max_bytes
    return req


class _ProxyProcessor(urllib.request.BaseHandler):
    """Routes requests through HTTPS_PROXY/HTTP_PROXY unless NO_PROXY matches the host."""

    handler_order = 100

    def http_request(self, req: _Request) -> _Request:
        req.ll_proxy = proxy_for(req.ll_target, req.ll_provider, req.ll_model)
        return req

    https_request = http_request


class _KeepAliveHandler(urllib.request.BaseHandler):
    """http_open / https_open on pooled keep-alive connections."""

    handler_order = 500

    def http_open(self, req: _Request) -> HTTPResponse:
        return _exchange(req)

    https_open = http_open


class _RedirectProcessor(urllib.request.BaseHandler):
    """Follows 307/308 (same method and body); every other status goes back to the caller."""

    handler_order = 900

    def http_response(self, req: _Request, response: HTTPResponse) -> HTTPResponse:
        if response.status not in (307, 308) or req.ll_hops >= MAX_REDIRECTS:
            return response
        location = response.headers.get("location")
        if not location:
            return response
        try:
            new_url = urllib.parse.urljoin(req.full_url, location.strip())
            target = split_url(new_url)
        except ValueError:
            return response  # not a (valid) http(s) URL: the caller gets the 3xx
        old = req.ll_target
        if old.scheme == "https" and target.scheme != "https":
            return response  # never downgrade to plain http
        headers = dict(req.headers)
        if target.origin != old.origin:
            headers = {
                name: value
                for name, value in headers.items()
                if name.lower() not in _ORIGIN_BOUND_HEADERS and not is_credential_header(name)
            }
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) <= _DRAIN_LIMIT:
            try:
                response.read()  # so that the connection can be reused
            except APIError:
                pass
        response.close()
        new = _make_request(
            new_url,
            target,
            req.get_method(),
            headers,
            req.data,  # type: ignore[arg-type]
            req.ll_ssl_verify,
            req.ll_provider,
            req.ll_model,
            req.ll_hops + 1,
            req.ll_deadline,
            req.ll_max_bytes,
        )
        assert self.parent is not None
        return self.parent.open(new, timeout=req.timeout)  # type: ignore[no-any-return]

    https_response = http_response


def _new_connection(
    target: Target,
    proxy: Optional[Proxy],
    tls: Optional[Tuple[Tuple[Any, ...], ssl.SSLContext]],
    timeout: Optional[float],
    deadline: Optional[float] = None,
) -> http.client.HTTPConnection:
    conn: "KeepAliveHTTPConnection | KeepAliveHTTPSConnection"
    if tls is not None:
        if proxy is None:
            conn = KeepAliveHTTPSConnection(target.host, target.port, timeout=timeout, context=tls[1])
        else:  # CONNECT tunnel through the proxy, TLS to the target inside it
            conn = KeepAliveHTTPSConnection(proxy.host, proxy.port, timeout=timeout, context=tls[1])
            tunnel_headers = {"Proxy-Authorization": proxy.auth} if proxy.auth else None
            conn.set_tunnel(target.host, target.port, headers=tunnel_headers)
    elif proxy is None:
        conn = KeepAliveHTTPConnection(target.host, target.port, timeout=timeout)
    else:  # plain HTTP through a proxy: absolute-URI requests to the proxy
        conn = KeepAliveHTTPConnection(proxy.host, proxy.port, timeout=timeout)
    conn.ll_deadline = deadline
    return conn


def _route(req: _Request) -> Tuple[Tuple[Any, ...], str, Dict[str, str]]:
    """(pool key, request target, headers) for ``req``, direct or through its proxy."""
    target, proxy, tls = req.ll_target, req.ll_proxy, req.ll_tls
    headers: Dict[str, str] = req.headers  # type: ignore[assignment]  # set by _make_request
    if proxy is not None and tls is None:
        if proxy.auth:
            headers = dict(headers)
            headers["Proxy-Authorization"] = proxy.auth
        # one proxy connection serves every target; absolute URI as the request target
        return ("http", proxy.key), target.origin + target.selector, headers
    via = (proxy.key, proxy.auth) if proxy is not None else None
    return (target.scheme, target.host, target.port, via, tls[0] if tls else None), target.selector, headers


def _watch(deadline: Optional[float], conn: Any) -> "Optional[_deadline.Watch]":
    """The whole-call deadline's watch on ``conn`` (None without a deadline; ``_deadline`` loads with the first)."""
    if deadline is None:
        return None
    from . import _deadline

    return _deadline.watch(deadline, conn)


def _exchange(req: _Request) -> HTTPResponse:
    """Send ``req`` on a pooled (or new) connection and read the status line and headers."""
    target = req.ll_target
    proxy = req.ll_proxy
    tls = req.ll_tls
    timeout: Optional[float] = req.timeout
    deadline = req.ll_deadline
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise deadline_error(req.ll_provider, req.ll_model, target.origin)
        timeout = left if timeout is None else min(timeout, left)
    key, selector, headers = _route(req)
    conn = POOL.take(key)
    reused = conn is not None
    if conn is None:
        conn = _new_connection(target, proxy, tls, timeout, deadline)
    else:
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
    method = req.get_method()
    body: Optional[bytes] = req.data  # type: ignore[assignment]
    guard = _watch(deadline, conn)
    while True:
        try:
            conn.request(method, selector, body, headers)
            raw = conn.getresponse()
            break
        except STALE_ERRORS as exc:
            conn.close()
            if guard is not None:
                guard.cancel()
            if not reused or (guard is not None and guard.fired):
                raise connection_error(exc, req.ll_provider, req.ll_model, target.origin, timeout, deadline) from exc
            logger.debug("idle connection to %s was closed by the server; retrying once", target.origin)
            conn = _new_connection(target, proxy, tls, timeout, deadline)
            reused = False
            guard = _watch(deadline, conn)
        except BaseException as exc:
            conn.close()
            if guard is not None:
                guard.cancel()
            if isinstance(exc, LOW_LEVEL_ERRORS):
                raise connection_error(exc, req.ll_provider, req.ll_model, target.origin, timeout, deadline) from exc
            raise
    return HTTPResponse(
        raw,
        conn,
        key,
        req.full_url,
        reused,
        target.origin,
        req.ll_provider,
        req.ll_model,
        req.timeout,
        req.ll_max_bytes,
        guard,
    )


_opener: Optional[urllib.request.OpenerDirector] = None
_opener_lock = _thread.allocate_lock()


def _get_opener() -> urllib.request.OpenerDirector:
    global _opener
    with _opener_lock:
        if _opener is None:
            opener = urllib.request.OpenerDirector()
            opener.addheaders = []
            for handler in (_ProxyProcessor(), _KeepAliveHandler(), _RedirectProcessor()):
                opener.add_handler(handler)
            _opener = opener
        return _opener


def send(
    wire: "WireRequest",
    *,
    timeout: float,
    ssl_verify: Union[bool, str, None] = None,
    provider: str = "",
    model: str = "",
    deadline: Optional[float] = None,
    max_response_bytes: Optional[int] = None,
) -> HTTPResponse:
    """Send ``wire`` and return the response (for any HTTP status) with its body unread.

    ``timeout`` bounds each connect and read; ``deadline`` (a ``time.monotonic()`` instant, the
    call's ``call_timeout``) bounds the whole exchange, the response body and a stream included;
    ``max_response_bytes`` (default :data:`MAX_RESPONSE_BYTES`) bounds what ``read()`` returns.

    Raises BadRequestError (before any I/O) for a non-http(s) URL or a header value HTTP cannot
    carry (AuthenticationError when that header holds a credential), APIConnectionError / Timeout
    for every transport failure.
    """
    try:
        target = split_url(wire.url)
        url_error = None
    except ValueError as exc:
        url_error = str(exc)
    if url_error is not None:  # raised outside the handler: no chained context
        raise BadRequestError(url_error, provider, model)
    headers = checked_headers(wire.headers, provider, model)
    body = wire.body
    if body is not None and not isinstance(body, bytes):
        body = bytes(body) if isinstance(body, (bytearray, memoryview)) else str(body).encode("utf-8")
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise BadRequestError("timeout must be a positive number of seconds, got %r" % (timeout,), provider, model)
    if max_response_bytes is not None and (
        not isinstance(max_response_bytes, int) or isinstance(max_response_bytes, bool) or max_response_bytes <= 0
    ):
        raise BadRequestError(
            "max_response_bytes must be a positive integer, got %r" % (max_response_bytes,), provider, model
        )
    method = (wire.method or "POST").upper()
    if not is_token(method):
        raise BadRequestError("invalid HTTP method %r" % method[:20], provider, model)
    req = _make_request(
        wire.url, target, method, headers, body, ssl_verify, provider, model, 0, deadline, max_response_bytes
    )
    opener = _opener if _opener is not None else _get_opener()
    try:
        return opener.open(req, timeout=timeout)  # type: ignore[no-any-return]
    except APIError:
        raise
    except LOW_LEVEL_ERRORS as exc:
        raise connection_error(exc, provider, model, target.origin, timeout, deadline) from exc
