"""HTTP transport: a urllib.request opener with keep-alive, proxies, TLS and a redirect policy.

This is the only module of the package that imports ``urllib.request``, ``http.client``, ``ssl``
and ``socket``; the core imports it lazily, on the first call that goes to the network.

How a call travels::

    send(wire)                     validate URL (http/https only) and headers (no CR/LF/NUL),
                                   pick the TLS context, build a urllib.request.Request
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
* The pool is keyed by (scheme, host, port, proxy, TLS settings), keeps at most
  ``MAX_IDLE_PER_KEY`` idle connections per key, and takes back a connection only when its
  response body was read to the end. Idle sockets that became readable (the server closed them)
  or that idled longer than ``MAX_IDLE_SECONDS`` are dropped when taken.
* A reused connection that fails before any response byte (reset, broken pipe, closed without a
  status line) is retried once on a fresh connection: the server closed it while it sat idle.
* Every low-level failure (socket, TLS, http.client, zlib) becomes ``APIConnectionError`` or
  ``Timeout`` in :func:`_connection_error`, chained with ``from``; messages name the origin
  (scheme://host:port) only, never a path, query string or header value.
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import select
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, NamedTuple, Optional, Tuple, Type, Union

from .exceptions import APIConnectionError, APIError, BadRequestError, Timeout

if TYPE_CHECKING:  # pragma: no cover
    from .providers.base import WireRequest

__all__ = ["send", "HTTPResponse", "pool_stats", "close_all", "MAX_IDLE_PER_KEY", "MAX_REDIRECTS"]

logger = logging.getLogger("litellm_lite")

MAX_IDLE_PER_KEY = 10
MAX_IDLE_SECONDS = 30.0
MAX_REDIRECTS = 5
_DRAIN_LIMIT = 65536
USER_AGENT = "litellm_lite"

# Headers that carry credentials: never sent to another origin after a redirect.
_CREDENTIAL_HEADERS = frozenset(
    {"authorization", "api-key", "x-api-key", "x-goog-api-key", "cookie", "proxy-authorization", "host"}
)
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_BAD_URL_CHAR = re.compile(r"[\x00-\x20\x7f]")

# Failures of a reused idle connection before any response byte: the server had closed it.
_STALE_ERRORS: Tuple[Type[BaseException], ...] = (
    ConnectionResetError,  # includes http.client.RemoteDisconnected
    BrokenPipeError,
    ConnectionAbortedError,
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
)
# Everything the transport maps to our exceptions (in _connection_error, nowhere else).
_LOW_LEVEL_ERRORS: Tuple[Type[BaseException], ...] = (
    OSError,  # socket errors, timeouts, ssl.SSLError, urllib.error.URLError
    http.client.HTTPException,
    zlib.error,
    ValueError,
)


# ---------------------------------------------------------------------------------------------
# Error mapping: the one place where low-level failures become our exceptions


def _connection_error(
    exc: BaseException, provider: str, model: str, origin: str, timeout: Optional[float] = None
) -> APIError:
    """The APIConnectionError/Timeout for a socket, TLS, http.client or decoding failure."""
    reason: BaseException = exc
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        reason = exc.reason
    if isinstance(reason, (socket.timeout, TimeoutError)):
        after = " after %gs" % timeout if timeout is not None else ""
        return Timeout("Request to %s timed out%s" % (origin, after), provider, model)
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = getattr(reason, "verify_message", None) or reason
        text = (
            "TLS certificate verification failed for %s: %s (pass ssl_verify=<CA bundle path> or set SSL_CERT_FILE)"
            % (
                origin,
                detail,
            )
        )
    elif isinstance(reason, ssl.SSLError):
        text = "TLS error talking to %s: %s" % (origin, reason)
    elif isinstance(reason, ConnectionRefusedError):
        text = "Connection refused by %s" % origin
    elif isinstance(reason, socket.gaierror):
        text = "Could not resolve the host of %s: %s" % (origin, reason)
    elif isinstance(reason, http.client.RemoteDisconnected):
        text = "%s closed the connection without sending a response" % origin
    elif isinstance(reason, http.client.IncompleteRead):
        text = "Connection to %s closed before the end of the response body (%d bytes read, %s more expected)" % (
            origin,
            len(reason.partial),
            reason.expected if reason.expected is not None else "some",
        )
    elif isinstance(reason, zlib.error):
        text = "Invalid compressed response body from %s: %s" % (origin, reason)
    elif isinstance(reason, http.client.HTTPException):
        text = "Invalid HTTP response from %s: %s: %s" % (origin, type(reason).__name__, reason)
    else:
        text = "Connection error talking to %s: %s: %s" % (origin, type(reason).__name__, reason)
    return APIConnectionError(text, provider, model)


# ---------------------------------------------------------------------------------------------
# URL, header, proxy and TLS preparation (cached where it can be)


class _Target(NamedTuple):
    scheme: str
    host: str
    port: int
    selector: str
    origin: str


_url_cache: Dict[str, _Target] = {}


def _split_url(url: str) -> _Target:
    """Scheme, host, port, path?query and origin of an http(s) URL; ValueError for anything else."""
    hit = _url_cache.get(url)
    if hit is not None:
        return hit
    if not isinstance(url, str) or not url:
        raise ValueError("the request URL is empty")
    if _BAD_URL_CHAR.search(url):
        raise ValueError("the request URL contains whitespace or control characters")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("unsupported URL scheme %r: only http:// and https:// URLs are allowed" % scheme[:20])
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials inside the URL are not allowed; pass api_key instead")
    host = parts.hostname
    if not host:
        raise ValueError("the request URL has no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the request URL has an invalid port") from None
    if port is None:
        port = 443 if scheme == "https" else 80
    selector = parts.path or "/"
    if parts.query:
        selector += "?" + parts.query
    shown = "[%s]" % host if ":" in host else host
    target = _Target(scheme, host, port, selector, "%s://%s:%d" % (scheme, shown, port))
    if len(_url_cache) > 1024:
        _url_cache.clear()
    _url_cache[url] = target
    return target


def _checked_headers(headers: Mapping[str, str], provider: str, model: str) -> Dict[str, str]:
    """A copy of ``headers`` (CR/LF/NUL refused) with Accept-Encoding and User-Agent defaults."""
    out: Dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise BadRequestError("header %r must be a string" % (str(name)[:60],), provider, model)
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise BadRequestError("invalid header name %r" % (str(name)[:60],), provider, model)
        if _BAD_VALUE.search(value):
            raise BadRequestError(
                "invalid value for header %r: CR, LF and NUL are not allowed" % (name,), provider, model
            )
        out[name.capitalize()] = value  # the form urllib.request.Request keeps header names in
    if "Accept-encoding" not in out:
        out["Accept-encoding"] = "gzip, deflate"
    if "User-agent" not in out:
        out["User-agent"] = USER_AGENT
    return out


class _Proxy(NamedTuple):
    host: str
    port: int
    auth: Optional[str]  # Proxy-Authorization value
    key: str  # "host:port" (no credentials): part of the pool key


_PROXY_ENV = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD")
_TLS_ENV = ("SSL_CERT_FILE", "SSL_CERT_DIR")
_encoded_env_keys: Dict[Tuple[str, ...], Tuple[Any, ...]] = {}


def _env_snapshot(names: Tuple[str, ...]) -> Tuple[Any, ...]:
    """A cheap fingerprint of some environment variables (to know when to recompute from them).

    ``os.environ.get`` costs four Python-level calls per name; on CPython the mapping keeps its
    encoded items in a plain dict (``_data``), read directly here. Any other environ object falls
    back to ``get``. Only used to detect changes: the values themselves are read the normal way.
    """
    environ = os.environ
    data = getattr(environ, "_data", None)
    encodekey = getattr(environ, "encodekey", None)
    if type(data) is dict and encodekey is not None:
        keys = _encoded_env_keys.get(names)
        if keys is None:
            keys = _encoded_env_keys[names] = tuple(encodekey(name) for name in names)
        return tuple([data.get(key) for key in keys])
    return tuple([environ.get(name) for name in names])


_proxy_cache: List[Tuple[Any, Dict[str, str]]] = [((), {})]  # [(environment snapshot, proxies)]


def _proxies() -> Dict[str, str]:
    """urllib.request.getproxies(), recomputed only when a proxy variable changed."""
    snapshot = _env_snapshot(_PROXY_ENV)
    cached_snapshot, proxies = _proxy_cache[0]
    if cached_snapshot == snapshot:
        return proxies
    proxies = urllib.request.getproxies()
    _proxy_cache[0] = (snapshot, proxies)
    return proxies


def _parse_proxy(value: str, provider: str, model: str) -> _Proxy:
    if "://" not in value:
        value = "http://" + value
    parts = urllib.parse.urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadRequestError(
            "unsupported proxy scheme %r in HTTP(S)_PROXY: only http:// proxies are supported" % scheme[:20],
            provider,
            model,
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise BadRequestError("invalid port in the HTTP(S)_PROXY setting", provider, model) from None
    if not host:
        raise BadRequestError("the HTTP(S)_PROXY setting has no host", provider, model)
    if port is None:
        port = 443 if scheme == "https" else 80
    auth = None
    if parts.username is not None:
        import base64

        pair = "%s:%s" % (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
        auth = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return _Proxy(host, port, auth, "%s:%d" % (host, port))


def _proxy_for(target: _Target, provider: str, model: str) -> Optional[_Proxy]:
    proxies = _proxies()
    if not proxies:
        return None
    value = proxies.get(target.scheme)
    if not value:
        return None
    if urllib.request.proxy_bypass("%s:%d" % (target.host, target.port)):
        return None
    return _parse_proxy(value, provider, model)


_tls_cache: Dict[Tuple[Any, ...], ssl.SSLContext] = {}
_tls_lock = threading.Lock()
_insecure_warned = [False]


def _tls_context(
    ssl_verify: Union[bool, str, None], provider: str, model: str
) -> Tuple[Tuple[Any, ...], ssl.SSLContext]:
    """(cache key, SSLContext) for ``ssl_verify``: None/True verify, False don't, str = CA bundle."""
    if ssl_verify == "":
        ssl_verify = None
    if ssl_verify is not None and not isinstance(ssl_verify, (bool, str)):
        raise BadRequestError("ssl_verify must be True, False or a CA bundle path", provider, model)
    mode: Any = ssl_verify if isinstance(ssl_verify, str) else ssl_verify is not False
    key: Tuple[Any, ...] = (mode,) + _env_snapshot(_TLS_ENV)
    ctx = _tls_cache.get(key)
    if ctx is not None:
        return key, ctx
    try:
        if isinstance(ssl_verify, str):
            if not os.path.exists(ssl_verify):
                raise BadRequestError("ssl_verify CA bundle not found: %r" % ssl_verify, provider, model)
            if os.path.isdir(ssl_verify):
                ctx = ssl.create_default_context(capath=ssl_verify)
            else:
                ctx = ssl.create_default_context(cafile=ssl_verify)
        elif ssl_verify is False:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        else:
            cert_file, cert_dir = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
            cafile = cert_file if cert_file and os.path.isfile(cert_file) else None
            capath = cert_dir if cert_dir and os.path.isdir(cert_dir) else None
            ctx = ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:
        raise BadRequestError("could not load the CA certificates: %s" % exc, provider, model) from exc
    try:
        ctx.set_alpn_protocols(["http/1.1"])
    except (NotImplementedError, ssl.SSLError):  # pragma: no cover - very old OpenSSL
        pass
    with _tls_lock:
        if ssl_verify is False and not _insecure_warned[0]:
            _insecure_warned[0] = True
            logger.warning("ssl_verify=False: TLS certificates are NOT verified for HTTPS requests")
        _tls_cache[key] = ctx
    return key, ctx


# ---------------------------------------------------------------------------------------------
# Connection pool


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


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _POOL.opened_one()

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not _send_head_and_body(self, message_body, encode_chunked):
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _POOL.opened_one()

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not _send_head_and_body(self, message_body, encode_chunked):
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]


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
        self._lock = threading.Lock()
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


_POOL = _Pool()


def pool_stats() -> Dict[str, int]:
    """{"connections_opened": n, "reused": m, "idle": k} since the process started."""
    return _POOL.stats()


def close_all() -> None:
    """Close every idle pooled connection (connections in use close when their response does)."""
    _POOL.close_all()


# ---------------------------------------------------------------------------------------------
# Response


class _Decoder:
    """Incremental gzip / deflate (zlib-wrapped or raw) decoder."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding != "deflate"
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes) -> bytes:
        if not self._started and data:
            self._started = True
            if not self._gzip:
                try:
                    return self._obj.decompress(data)
                except zlib.error:  # deflate without the zlib wrapper, as some servers send
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        out = self._obj.decompress(data)
        while self._gzip and self._obj.eof and self._obj.unused_data:  # concatenated gzip members
            rest = self._obj.unused_data
            self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
            out += self._obj.decompress(rest)
        return out

    def flush(self) -> bytes:
        out = self._obj.flush()
        if self._started and not self._obj.eof:
            raise zlib.error("compressed body ends before its end marker")
        return out


class HTTPResponse:
    """A response whose body has not been read yet.

    ``read()`` returns the whole (decoded) body, ``read1()`` the next available bytes (``b""`` at
    the clean end). When the body was read to its end the connection goes back to the pool;
    ``close()`` before that drops the connection. Use as a context manager.
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
    ) -> None:
        self.status: int = raw.status
        self.reason: str = raw.reason
        headers: Dict[str, str] = {}
        for name, value in raw.getheaders():
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
        encoding = headers.get("content-encoding", "").strip().lower()
        self._decoder: Optional[_Decoder] = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            self._decoder = _Decoder("deflate" if encoding == "deflate" else "gzip")

    @property
    def closed(self) -> bool:
        return self._raw is None

    def _fail(self, exc: BaseException) -> APIError:
        self.close()
        return _connection_error(exc, self._provider, self._model, self._origin, self._timeout)

    def _finished(self) -> None:
        """The body was read to its end: hand the connection back to the pool."""
        raw = self._raw
        self._raw = None
        if raw is None:
            return
        raw.close()
        if raw.will_close:
            self._conn.close()
        else:
            _POOL.give(self._key, self._conn)

    def read(self) -> bytes:
        """The whole remaining body, decoded (gzip/deflate); then the connection is released."""
        raw = self._raw
        if raw is None:
            return b""
        try:
            data = raw.read()
            if self._decoder is not None:
                data = self._decoder.feed(data) + self._decoder.flush()
        except _LOW_LEVEL_ERRORS as exc:
            raise self._fail(exc) from exc
        self._finished()
        return data

    def read1(self, n: int = 65536) -> bytes:
        """The next available body bytes (at most ``n`` read from the socket); ``b""`` at the end.

        Raises APIConnectionError when the connection is cut before the end of the body
        (chunked terminator or Content-Length), Timeout when a read times out.
        """
        raw = self._raw
        if raw is None:
            return b""
        if n <= 0:
            n = 65536
        try:
            while True:
                data = raw.read1(n)
                if not data:
                    if not raw.chunked and raw.length:  # Content-Length not reached: cut
                        raise http.client.IncompleteRead(b"", raw.length)
                    tail = self._decoder.flush() if self._decoder is not None else b""
                    self._finished()
                    return tail
                if self._decoder is None:
                    return data
                data = self._decoder.feed(data)
                if data:
                    return data
        except _LOW_LEVEL_ERRORS as exc:
            raise self._fail(exc) from exc

    def close(self) -> None:
        """Release the response; a body not read to its end closes the connection."""
        raw = self._raw
        if raw is None:
            return
        self._raw = None
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
    """A urllib Request carrying our context through the opener's handlers."""

    ll_target: _Target
    ll_provider: str
    ll_model: str
    ll_ssl_verify: Union[bool, str, None]
    ll_tls: Optional[Tuple[Tuple[Any, ...], ssl.SSLContext]]
    ll_proxy: Optional[_Proxy]
    ll_hops: int


def _make_request(
    url: str,
    target: _Target,
    method: str,
    headers: Dict[str, str],
    body: Optional[bytes],
    ssl_verify: Union[bool, str, None],
    provider: str,
    model: str,
    hops: int,
) -> _Request:
    req = _Request(url, data=body, origin_req_host=target.host, method=method)
    req.headers = headers  # already checked and in Request's capitalised form
    req.ll_target = target
    req.ll_provider = provider
    req.ll_model = model
    req.ll_ssl_verify = ssl_verify
    req.ll_tls = _tls_context(ssl_verify, provider, model) if target.scheme == "https" else None
    req.ll_proxy = None
    req.ll_hops = hops
    return req


class _ProxyProcessor(urllib.request.BaseHandler):
    """Routes requests through HTTPS_PROXY/HTTP_PROXY unless NO_PROXY matches the host."""

    handler_order = 100

    def http_request(self, req: _Request) -> _Request:
        req.ll_proxy = _proxy_for(req.ll_target, req.ll_provider, req.ll_model)
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
            target = _split_url(new_url)
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
                if name.lower() not in _CREDENTIAL_HEADERS and not name.lower().startswith("x-amz-")
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
        )
        assert self.parent is not None
        return self.parent.open(new, timeout=req.timeout)  # type: ignore[no-any-return]

    https_response = http_response


def _new_connection(
    target: _Target,
    proxy: Optional[_Proxy],
    tls: Optional[Tuple[Tuple[Any, ...], ssl.SSLContext]],
    timeout: Optional[float],
) -> http.client.HTTPConnection:
    conn: http.client.HTTPConnection
    if tls is not None:
        if proxy is None:
            conn = _HTTPSConnection(target.host, target.port, timeout=timeout, context=tls[1])
        else:  # CONNECT tunnel through the proxy, TLS to the target inside it
            conn = _HTTPSConnection(proxy.host, proxy.port, timeout=timeout, context=tls[1])
            tunnel_headers = {"Proxy-Authorization": proxy.auth} if proxy.auth else None
            conn.set_tunnel(target.host, target.port, headers=tunnel_headers)
    elif proxy is None:
        conn = _HTTPConnection(target.host, target.port, timeout=timeout)
    else:  # plain HTTP through a proxy: absolute-URI requests to the proxy
        conn = _HTTPConnection(proxy.host, proxy.port, timeout=timeout)
    return conn


def _exchange(req: _Request) -> HTTPResponse:
    """Send ``req`` on a pooled (or new) connection and read the status line and headers."""
    target = req.ll_target
    proxy = req.ll_proxy
    tls = req.ll_tls
    timeout: Optional[float] = req.timeout
    headers = req.headers
    selector = target.selector
    if proxy is not None and tls is None:
        key: Tuple[Any, ...] = ("http", proxy.key)  # one proxy connection serves every target
        selector = target.origin + selector  # absolute URI
        if proxy.auth:
            headers = dict(headers)
            headers["Proxy-Authorization"] = proxy.auth
    else:
        via = (proxy.key, proxy.auth) if proxy is not None else None
        key = (target.scheme, target.host, target.port, via, tls[0] if tls else None)
    conn = _POOL.take(key)
    reused = conn is not None
    if conn is None:
        conn = _new_connection(target, proxy, tls, timeout)
    else:
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
    method = req.get_method()
    body: Optional[bytes] = req.data  # type: ignore[assignment]
    while True:
        try:
            conn.request(method, selector, body, headers)
            raw = conn.getresponse()
            break
        except _STALE_ERRORS as exc:
            conn.close()
            if not reused:
                raise _connection_error(exc, req.ll_provider, req.ll_model, target.origin, timeout) from exc
            logger.debug("idle connection to %s was closed by the server; retrying once", target.origin)
            conn = _new_connection(target, proxy, tls, timeout)
            reused = False
        except _LOW_LEVEL_ERRORS as exc:
            conn.close()
            raise _connection_error(exc, req.ll_provider, req.ll_model, target.origin, timeout) from exc
        except BaseException:
            conn.close()
            raise
    return HTTPResponse(raw, conn, key, req.full_url, reused, target.origin, req.ll_provider, req.ll_model, timeout)


_opener: Optional[urllib.request.OpenerDirector] = None
_opener_lock = threading.Lock()


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
) -> HTTPResponse:
    """Send ``wire`` and return the response (for any HTTP status) with its body unread.

    Raises BadRequestError (before any I/O) for a non-http(s) URL or a header value with CR/LF/NUL,
    APIConnectionError / Timeout for every transport failure.
    """
    try:
        target = _split_url(wire.url)
    except ValueError as exc:
        raise BadRequestError(str(exc), provider, model) from None
    headers = _checked_headers(wire.headers, provider, model)
    body = wire.body
    if body is not None and not isinstance(body, bytes):
        body = bytes(body) if isinstance(body, (bytearray, memoryview)) else str(body).encode("utf-8")
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise BadRequestError("timeout must be a positive number of seconds, got %r" % (timeout,), provider, model)
    method = (wire.method or "POST").upper()
    if not _TOKEN.match(method):
        raise BadRequestError("invalid HTTP method %r" % method[:20], provider, model)
    req = _make_request(wire.url, target, method, headers, body, ssl_verify, provider, model, 0)
    opener = _opener if _opener is not None else _get_opener()
    try:
        return opener.open(req, timeout=timeout)  # type: ignore[no-any-return]
    except APIError:
        raise
    except _LOW_LEVEL_ERRORS as exc:
        raise _connection_error(exc, provider, model, target.origin, timeout) from exc
