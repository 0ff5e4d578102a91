"""AWS Signature Version 4 for HTTP requests (standard library only: hmac, hashlib).

The steps, as AWS documents them:

1. canonical request::

       METHOD \\n CanonicalURI \\n CanonicalQuery \\n CanonicalHeaders \\n \\n SignedHeaders \\n hex(sha256(body))

   * URI: every path segment URI-encoded (unreserved ``A-Za-z0-9-_.~`` kept). For every service
     except S3 the path is encoded *twice*: the path as sent (already percent-encoded, e.g.
     ``/model/us.amazon.nova-micro-v1%3A0/converse``) is encoded again, so ``%3A`` becomes
     ``%253A`` in the canonical request. ``double_encode=False`` gives the S3 rule (and the one
     the published test-suite vectors use for raw paths): decode once, encode once.
   * query: every name and value URI-encoded, pairs sorted by name then value.
   * headers: names lower-cased, values trimmed with inner runs of spaces collapsed, repeated
     names joined with ``,`` in order, sorted by name; ``host`` and ``x-amz-date`` always signed.
2. string to sign: ``AWS4-HMAC-SHA256 \\n amz-date \\n scope \\n hex(sha256(canonical request))``
   with scope ``yyyymmdd/region/service/aws4_request``.
3. signing key: HMAC chain ``"AWS4" + secret -> date -> region -> service -> "aws4_request"``.
4. ``Authorization: AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=..., Signature=...``.

:func:`sign_request` returns the headers to add (``authorization``, ``x-amz-date``, and
``x-amz-security-token`` / ``x-amz-content-sha256`` when asked for); it never logs anything.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "ALGORITHM",
    "HeadersLike",
    "sign_request",
    "canonical_request",
    "canonical_uri",
    "canonical_query",
    "canonical_headers",
    "string_to_sign",
    "signing_key",
    "amz_date",
]

ALGORITHM = "AWS4-HMAC-SHA256"

#: Headers that intermediaries or the HTTP client may add, change or drop: never signed.
_UNSIGNED = frozenset(
    {
        "authorization",
        "user-agent",
        "expect",
        "x-amzn-trace-id",
        "connection",
        "content-length",
        "accept-encoding",
        "transfer-encoding",
        "proxy-authorization",
        "keep-alive",
        "te",
        "upgrade",
    }
)

HeadersLike = Union[Mapping[str, str], Sequence[Tuple[str, str]]]


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _uri_encode(text: str) -> str:
    """RFC 3986 encoding: everything but ``A-Za-z0-9-_.~`` as ``%XX`` (upper-case hex, UTF-8)."""
    return quote(text, safe="-_.~")


def amz_date(now: datetime) -> str:
    """``YYYYMMDDTHHMMSSZ`` in UTC; a naive datetime is taken as UTC."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def canonical_uri(path: str, double_encode: bool = True) -> str:
    """The canonical URI of an (already percent-encoded) request path.

    ``double_encode=True`` (every service but S3) encodes each segment of the path as sent;
    ``False`` decodes each segment once and encodes it once. Empty segments are kept.
    """
    if not path:
        return "/"
    segments = path.split("/")
    if double_encode:
        encoded = [_uri_encode(seg) for seg in segments]
    else:
        encoded = [_uri_encode(unquote(seg)) for seg in segments]
    out = "/".join(encoded)
    return out if out.startswith("/") else "/" + out


def canonical_query(query: str) -> str:
    """Sorted, re-encoded ``name=value`` pairs of a raw query string (``name`` alone -> ``name=``)."""
    if not query:
        return ""
    pairs: List[Tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((_uri_encode(unquote(name)), _uri_encode(unquote(value))))
    pairs.sort()
    return "&".join("%s=%s" % pair for pair in pairs)


def _header_items(headers: Optional[HeadersLike]) -> Iterable[Tuple[str, str]]:
    if headers is None:
        return ()
    if isinstance(headers, Mapping):
        return list(headers.items())
    return list(headers)


def _trim(value: str) -> str:
    return " ".join(str(value).split())


def canonical_headers(headers: HeadersLike) -> Tuple[str, str]:
    """(canonical header block with its trailing newline, signed header list)."""
    merged: Dict[str, List[str]] = {}
    for name, value in _header_items(headers):
        merged.setdefault(name.strip().lower(), []).append(_trim(value))
    names = sorted(merged)
    block = "".join("%s:%s\n" % (name, ",".join(merged[name])) for name in names)
    return block, ";".join(names)


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = "[%s]" % host
    port = parts.port
    default = 443 if parts.scheme.lower() == "https" else 80
    if port is not None and port != default:
        host = "%s:%d" % (host, port)
    return host


def _body_bytes(body: Union[bytes, bytearray, str, None]) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


def canonical_request(
    method: str,
    url: str,
    headers: HeadersLike,
    payload_hash: str,
    *,
    double_encode: bool = True,
) -> Tuple[str, str]:
    """(canonical request text, signed header list). ``headers`` are exactly the ones signed."""
    parts = urlsplit(url)
    block, signed = canonical_headers(headers)
    text = "\n".join(
        [
            method.upper(),
            canonical_uri(parts.path, double_encode),
            canonical_query(parts.query),
            block,
            signed,
            payload_hash,
        ]
    )
    return text, signed


def string_to_sign(canonical: str, date_time: str, scope: str) -> str:
    return "\n".join([ALGORITHM, date_time, scope, _sha256_hex(canonical.encode("utf-8"))])


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """The derived key: HMAC chain over date (``YYYYMMDD``), region, service and ``aws4_request``."""
    key = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def sign_request(
    method: str,
    url: str,
    headers: Optional[HeadersLike],
    body: Union[bytes, bytearray, str, None],
    *,
    access_key: str,
    secret_key: str,
    session_token: Optional[str] = None,
    region: str,
    service: str,
    now: Optional[datetime] = None,
    double_encode: bool = True,
    add_content_sha256: bool = False,
) -> Dict[str, str]:
    """Headers (lower-case names) to add to a request so that AWS accepts it.

    ``headers`` are the headers the request will carry (a mapping, or (name, value) pairs when a
    name repeats); all are signed except hop-by-hop/client-managed ones (user-agent,
    content-length, ...). ``host`` is taken from ``url`` unless given. A previous
    ``authorization``/``x-amz-date``/``x-amz-security-token`` in ``headers`` is ignored.
    """
    when = now if now is not None else datetime.now(timezone.utc)
    date_time = amz_date(when)
    date = date_time[:8]
    payload_hash = _sha256_hex(_body_bytes(body))

    to_sign: List[Tuple[str, str]] = []
    have_host = False
    for name, value in _header_items(headers):
        lower = name.strip().lower()
        if lower in _UNSIGNED or lower in ("x-amz-date", "x-amz-security-token", "x-amz-content-sha256"):
            continue
        if lower == "host":
            have_host = True
        to_sign.append((lower, value))
    if not have_host:
        to_sign.append(("host", _host_of(url)))

    added: Dict[str, str] = {"x-amz-date": date_time}
    if session_token:
        added["x-amz-security-token"] = session_token
    if add_content_sha256:
        added["x-amz-content-sha256"] = payload_hash
    to_sign.extend(added.items())

    canonical, signed = canonical_request(method, url, to_sign, payload_hash, double_encode=double_encode)
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    signature = hmac.new(
        signing_key(secret_key, date, region, service),
        string_to_sign(canonical, date_time, scope).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()
    added["authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM,
        access_key,
        scope,
        signed,
        signature,
    )
    return added
