"""Correlation ids: the current call id, the provider's request id, outgoing id headers, and the
one-line DEBUG record of an HTTP attempt.

* Every call gets a ``litellm_call_id`` (a UUID4 string from :func:`new_call_id`, the only maker
  of call ids, or the caller's, checked by :func:`check_call_id`). While the call runs it is the current
  call id (:func:`current_call_id`, a :mod:`contextvars` variable), so :class:`CallIdFilter` puts it
  on every log record as ``record.litellm_call_id`` (``None`` outside a call). The filter sits on
  the ``litellm_lite`` logger and on the handler :func:`litellm_lite.observability.configure_logging`
  adds; attach it to your own handlers to use ``%(litellm_call_id)s`` in a format.
* :func:`provider_request_id` reads the provider's own id from response headers.
* With ``litellm_lite.send_call_id_header = True`` the call id travels to the provider as
  ``x-litellm-call-id`` (:data:`CALL_ID_HEADER`). A W3C ``traceparent`` given by the caller
  (the ``traceparent=`` keyword) is checked by :func:`check_traceparent` and sent as is.
* :func:`attempt_line` formats the DEBUG line of one attempt: call id, provider, model, URL
  without query or user info, status, latency, provider request id; bodies only when
  ``litellm_lite.log_bodies`` is set, redacted and cut to :data:`BODY_LOG_LIMIT` characters.
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from contextvars import ContextVar, Token
from random import getrandbits as _getrandbits

from ._lazyre import LazyPattern
from .exceptions import BadRequestError, redact

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterator, Mapping, Optional
    import logging

__all__ = [
    "CALL_ID_HEADER",
    "TRACEPARENT_HEADER",
    "REQUEST_ID_HEADERS",
    "BODY_LOG_LIMIT",
    "CallIdFilter",
    "new_call_id",
    "check_call_id",
    "current_call_id",
    "set_call_id",
    "reset_call_id",
    "bind",
    "is_bound",
    "restore",
    "call_scope",
    "install_filter",
    "provider_request_id",
    "check_traceparent",
    "make_traceparent",
    "url_for_log",
    "attempt_line",
]

CALL_ID_HEADER = "x-litellm-call-id"
TRACEPARENT_HEADER = "traceparent"
#: Response headers that carry the provider's request id, in the order they are looked up (lower case):
#: OpenAI (and most OpenAI-compatible vendors, Azure too) ``x-request-id``, Anthropic ``request-id``,
#: AWS ``x-amzn-requestid`` (Bedrock; ``x-amz-request-id`` on some services), Google
#: ``x-goog-request-id``, Azure API Management ``apim-request-id``, Azure services ``x-ms-request-id``.
REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-goog-request-id",
    "apim-request-id",
    "x-ms-request-id",
)
_REQUEST_ID_SET = frozenset(REQUEST_ID_HEADERS)
BODY_LOG_LIMIT = 4096
_MAX_ID_LENGTH = 256



class _Bound:
    """A running call bound by :func:`bind`: its state, held weakly, and what was current before it."""

    __slots__ = ("ref", "previous")

    def __init__(self, holder: Any, previous: Any) -> None:
        self.ref = weakref.ref(holder)
        self.previous = previous


# Holds None, a call id string, or a _Bound: a stream dropped before its end is then forgotten with
# its state (what was current before it shows through) instead of staying current.
_current: "ContextVar[Any]" = ContextVar("litellm_call_id", default=None)
_TRACEPARENT = LazyPattern(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def new_call_id() -> str:
    """A fresh ``litellm_call_id``: a random (version 4) UUID string; the only place call ids are made.

    Built from ``random.getrandbits`` (several times cheaper than ``uuid.uuid4()``'s ``os.urandom``):
    an id names a call, it is not a secret.
    """
    h = "%032x" % (_getrandbits(128) & _UUID_MASK | _UUID_V4)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


# Version 4 and RFC 4122 variant bits of a UUID, set on 128 random bits.
_UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)
_CALL_ID = LazyPattern(r"[\x21-\x7e]{1,256}")


def check_call_id(value: Any, model: str = "") -> str:
    """``value`` if it can name a call (and travel in a header): 1 to 256 printable ASCII characters,
    no spaces; BadRequestError otherwise."""
    if not isinstance(value, str) or _CALL_ID.fullmatch(value) is None:
        raise BadRequestError(
            "litellm_call_id must be a string of 1 to 256 printable ASCII characters without spaces, got %r"
            % (value[:80] if isinstance(value, str) else type(value).__name__,), "", model,
        )
    return value


def _resolve(value: Any) -> Optional[str]:
    while isinstance(value, _Bound):
        target = value.ref()
        if target is not None:
            return getattr(target, "call_id", None)
        value = value.previous
    return value if isinstance(value, str) else None


def current_call_id() -> Optional[str]:
    """The id of the call running in this context, or None."""
    return _resolve(_current.get())


def set_call_id(call_id: Optional[str]) -> "Token[Any]":
    """Make ``call_id`` current; returns the token for :func:`reset_call_id`."""
    return _current.set(call_id)


def reset_call_id(token: "Token[Any]") -> None:
    """Restore the call id that was current before :func:`set_call_id` returned ``token``."""
    _current.reset(token)


def bind(holder: Any) -> Any:
    """Make ``holder.call_id`` current for as long as ``holder`` lives (held weakly); returns what was
    current before, for :func:`restore`."""
    previous = _current.get()
    _current.set(_Bound(holder, previous))
    return previous


def is_bound(holder: Any) -> bool:
    """True when ``holder`` is what :func:`bind` made current here."""
    value = _current.get()
    return isinstance(value, _Bound) and value.ref() is holder


def restore(previous: Any) -> None:
    """Make current again what :func:`bind` returned."""
    _current.set(previous)


@contextmanager
def call_scope(call_id: Optional[str] = None) -> Iterator[str]:
    """``with call_scope() as call_id:``: a (new unless given) call id is current inside the block."""
    value = call_id or new_call_id()
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


class CallIdFilter:
    """Puts ``litellm_call_id`` (the current call id, or None) on every record it sees; never drops one.

    A filter for any logger or handler (``handler.addFilter(CallIdFilter())``); ``logging`` takes any
    object with a ``filter(record)`` method, so defining this one does not import ``logging``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "litellm_call_id", None) is None:
            record.litellm_call_id = _resolve(_current.get())
        return True


_FILTER = CallIdFilter()


def install_filter(target: "Optional[logging.Filterer]" = None) -> CallIdFilter:
    """Attach the shared :class:`CallIdFilter` to ``target`` (default: the ``litellm_lite`` logger), once."""
    if target is None:
        import logging

        target = logging.getLogger("litellm_lite")
    if _FILTER not in target.filters:
        target.addFilter(_FILTER)
    return _FILTER


def _clean_id(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    text: str = value.strip()
    if not text or len(text) > _MAX_ID_LENGTH or not text.isprintable():
        return None
    return text


def provider_request_id(headers: Optional[Mapping[str, Any]], *, lower_case: bool = False) -> Optional[str]:
    """The provider's request id from response ``headers`` (any case; ``lower_case=True`` when the
    names are known to be lower case, as the transport's are: no copy is made), or None."""
    if not headers:
        return None
    if lower_case:
        lowered = headers
    else:
        try:
            lowered = {str(k).lower(): v for k, v in headers.items()}
        except (AttributeError, TypeError):
            return None
    if _REQUEST_ID_SET.isdisjoint(lowered):  # the common case for servers that send none: one set test
        return None
    for name in REQUEST_ID_HEADERS:
        value = lowered.get(name)
        if value is not None:
            found = _clean_id(value)
            if found is not None:
                return found
    return None


def check_traceparent(value: Any, model: str = "") -> str:
    """``value`` if it is a valid W3C ``traceparent`` (version-traceid-spanid-flags, lower-case hex,
    non-zero ids, version not ff); BadRequestError otherwise."""
    if not isinstance(value, str):
        raise BadRequestError("traceparent must be a string like '00-<32 hex>-<16 hex>-01'", "", model)
    match = _TRACEPARENT.match(value.strip())
    if match is None:
        raise BadRequestError(
            "traceparent %r is not version-traceid-spanid-flags (e.g. '00-<32 hex>-<16 hex>-01')" % value[:80],
            "", model,
        )
    version, trace_id, span_id, _ = match.groups()
    if version == "ff" or set(trace_id) == {"0"} or set(span_id) == {"0"}:
        raise BadRequestError("traceparent %r has an invalid version or an all-zero id" % value[:80], "", model)
    return value.strip()


def make_traceparent(trace_id: int, span_id: int, sampled: bool) -> Optional[str]:
    """The ``traceparent`` value for an OpenTelemetry span context; None for an invalid context."""
    if not trace_id or not span_id:
        return None
    return "00-%032x-%016x-%02x" % (trace_id, span_id, 1 if sampled else 0)


def url_for_log(url: str) -> str:
    """``url`` without its query string, fragment and user info (they can hold keys)."""
    base = url.split("?", 1)[0].split("#", 1)[0]
    scheme, sep, rest = base.partition("://")
    if sep:
        host, slash, path = rest.partition("/")
        base = scheme + sep + host.rpartition("@")[2] + slash + path
    return redact(base)


def _body(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        text = bytes(value[: BODY_LOG_LIMIT * 4]).decode("utf-8", "replace")
    else:
        text = str(value)
    text = redact(text)
    if len(text) > BODY_LOG_LIMIT:
        text = text[:BODY_LOG_LIMIT] + "...(%d more)" % (len(text) - BODY_LOG_LIMIT)
    return text


def attempt_line(
    *,
    call_id: Optional[str],
    provider: str,
    model: str,
    method: str,
    url: str,
    attempt: int,
    status: Optional[int],
    latency: float,
    request_id: Optional[str] = None,
    error: Optional[BaseException] = None,
    request_body: Any = None,
    response_body: Any = None,
) -> str:
    """One line describing one HTTP attempt (1-based ``attempt``); bodies only when given."""
    outcome = str(status) if status is not None else "no response"
    if error is not None:
        outcome += " (%s)" % type(error).__name__
    line = "call %s attempt %d %s/%s %s %s -> %s in %.3fs request_id=%s" % (
        call_id or "-", attempt, provider, model, method.upper(), url_for_log(url), outcome, latency, request_id or "-",
    )
    if request_body is not None:
        line += " request_body=" + _body(request_body)
    if response_body is not None:
        line += " response_body=" + _body(response_body)
    return line
