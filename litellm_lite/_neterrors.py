"""The one place where low-level transport failures (socket, TLS, http.client, zlib) become
:class:`~litellm_lite.exceptions.APIConnectionError` or :class:`~litellm_lite.exceptions.Timeout`.

Part of the transport (:mod:`._http` imports it); messages name the origin (scheme://host:port)
only, never a path, query string or header value.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import zlib

from .exceptions import APIConnectionError, APIError, Timeout

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Optional, Tuple, Type

# Failures of a reused idle connection before any response byte: the server had closed it.
STALE_ERRORS: Tuple[Type[BaseException], ...] = (
    ConnectionResetError,  # includes http.client.RemoteDisconnected
    BrokenPipeError,
    ConnectionAbortedError,
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
)
# Everything the transport maps to our exceptions (in connection_error, nowhere else).
LOW_LEVEL_ERRORS: Tuple[Type[BaseException], ...] = (
    OSError,  # socket errors, timeouts, ssl.SSLError, urllib.error.URLError
    http.client.HTTPException,
    zlib.error,
    ValueError,
)


def connection_error(
    exc: BaseException,
    provider: str,
    model: str,
    origin: str,
    timeout: Optional[float] = None,
    deadline: Optional[float] = None,
) -> APIError:
    """The APIConnectionError/Timeout for a socket, TLS, http.client or decoding failure."""
    if deadline is not None and time.monotonic() >= deadline:
        return deadline_error(provider, model, origin)
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


def deadline_error(provider: str, model: str, origin: str) -> Timeout:
    return Timeout("Request to %s stopped: the call's deadline (call_timeout) passed" % origin, provider, model)
