"""What a request may be and where it goes: URL and header checks, proxies, TLS contexts.

Part of the transport (:mod:`._http`): everything here is computed before a byte is sent, and
cached where it is worth it (parsed URLs, proxy settings and TLS contexts per environment).
Invalid input raises :class:`BadRequestError` without echoing header values.
"""

from __future__ import annotations

import os
import ssl
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import urllib.parse
import urllib.request
from collections import namedtuple

from ._log import logger
from ._lazyre import LazyPattern
from ._pool import TOKEN_CHARS
from .exceptions import BadRequestError, is_credential_header

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple, Union


USER_AGENT = "litellm_lite"
# Control characters HTTP cannot carry in a header value (HTAB is allowed).
_BAD_VALUE = LazyPattern(r"[\x00-\x08\x0a-\x1f\x7f]")


def is_token(text: str) -> bool:
    """True for a non-empty HTTP token (a header name or method)."""
    return bool(text) and not text.strip(TOKEN_CHARS)


_BAD_URL_CHAR = LazyPattern(r"[\x00-\x20\x7f]")


if TYPE_CHECKING:  # pragma: no cover

    class Target(NamedTuple):
        scheme: str
        host: str
        port: int
        selector: str
        origin: str

else:  # the same tuple without importing typing at run time
    Target = namedtuple("Target", ("scheme", "host", "port", "selector", "origin"))


_url_cache: Dict[str, Target] = {}


def split_url(url: str) -> Target:
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
    target = Target(scheme, host, port, selector, "%s://%s:%d" % (scheme, shown, port))
    if len(_url_cache) > 1024:
        _url_cache.clear()
    _url_cache[url] = target
    return target


def _bad_header_value(name: str, provider: str, model: str) -> BadRequestError:
    """The error for a header value HTTP cannot carry; never shows the value."""
    why = "characters HTTP headers cannot carry (control characters, or text outside Latin-1)"
    if is_credential_header(name):
        why += "; check the API key or token"
    return BadRequestError("invalid value for header %r: it contains %s" % (name, why), provider, model)


def checked_headers(headers: Mapping[str, str], provider: str, model: str) -> Dict[str, str]:
    """A copy of ``headers`` (values HTTP cannot carry refused) with Accept-Encoding and User-Agent defaults."""
    out: Dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not is_token(name):
            raise BadRequestError("invalid header name %r" % (str(name)[:60],), provider, model)
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise BadRequestError(
                    "header %r must be a string, got %s" % (name[:60], type(value).__name__), provider, model
                )
        if _BAD_VALUE.search(value) or (not value.isascii() and not _latin1(value)):
            raise _bad_header_value(name, provider, model)
        out[name.capitalize()] = value  # the form urllib.request.Request keeps header names in
    if "Accept-encoding" not in out:
        out["Accept-encoding"] = "gzip, deflate"
    if "User-agent" not in out:
        out["User-agent"] = USER_AGENT
    return out


def _latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


if TYPE_CHECKING:  # pragma: no cover

    class Proxy(NamedTuple):
        host: str
        port: int
        auth: Optional[str]  # Proxy-Authorization value
        key: str  # "host:port" (no credentials): part of the pool key

else:
    Proxy = namedtuple("Proxy", ("host", "port", "auth", "key"))


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


def _parse_proxy(value: str, provider: str, model: str) -> Proxy:
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
    return Proxy(host, port, auth, "%s:%d" % (host, port))


def proxy_for(target: Target, provider: str, model: str) -> Optional[Proxy]:
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
_tls_lock = _thread.allocate_lock()
_insecure_warned = [False]


def tls_context(
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
