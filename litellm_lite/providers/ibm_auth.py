"""IBM Cloud IAM: an API key exchanged for a bearer token, cached until shortly before it expires.

``POST https://iam.cloud.ibm.com/identity/token`` with the form
``grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=<key>`` answers
``{"access_token", "expires_in", "expiration", ...}``. Tokens are cached per (key digest, IAM URL);
concurrent callers with the same key wait for one exchange. The key itself is never kept, only
its SHA-256 digest, and is registered for redaction in error messages.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Tuple

from ..exceptions import APIConnectionError, AuthenticationError, BadRequestError, error_for_status, register_secret
from .token_exchange import TokenCache, post_form

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["IAM_URL", "GRANT_TYPE", "exchange_iam_token", "clear_iam_cache", "resolve_ibm_credentials"]

IAM_URL = "https://iam.cloud.ibm.com/identity/token"
GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
REFRESH_MARGIN = 300.0  # seconds before expiry when a cached token is no longer handed out
DEFAULT_LIFETIME = 3600.0

_tokens = TokenCache(REFRESH_MARGIN)


def clear_iam_cache() -> None:
    """Forget every cached IAM token."""
    _tokens.clear()


def _token_from(status: int, raw: bytes) -> Tuple[str, float]:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        payload = None
    if status >= 400 or not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str) \
            or not payload.get("access_token"):
        detail = ""
        if isinstance(payload, dict):
            detail = str(payload.get("errorMessage") or payload.get("error_description") or payload.get("error") or "")
        else:
            detail = raw[:200].decode("utf-8", "replace")
        message = "IBM IAM token exchange failed (HTTP %d) %s" % (status, detail.strip())
        if status in (400, 401, 403):
            raise AuthenticationError(message + "; check WATSONX_APIKEY", "watsonx", "", status_code=status)
        if status >= 400:
            raise error_for_status(status, message, "watsonx", "")
        raise APIConnectionError(message, "watsonx", "")
    lifetime = payload.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) \
        and lifetime > 0 else DEFAULT_LIFETIME
    return str(payload["access_token"]), seconds


def exchange_iam_token(
    api_key: str,
    url: Optional[str] = None,
    timeout: float = 60.0,
    *,
    ssl_verify: Any = None,
    clock: Callable[[], float] = time.monotonic,
    deadline: Optional[float] = None,
) -> str:
    """A bearer token for an IBM Cloud API key (from the cache while it has 5+ minutes left); ``deadline``
    (the call's ``call_timeout`` instant, ``time.monotonic()``) bounds the exchange."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise AuthenticationError("watsonx needs an IBM Cloud API key: pass api_key or set WATSONX_APIKEY",
                                  "watsonx", "")
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise BadRequestError("timeout must be a positive number of seconds", "watsonx", "")
    register_secret(api_key)
    iam_url = url or IAM_URL
    key = (hashlib.sha256(api_key.encode("utf-8")).hexdigest(), iam_url)

    def fetch() -> Tuple[str, float]:
        form = {"grant_type": GRANT_TYPE, "apikey": api_key}
        token, lifetime = _token_from(*post_form(iam_url, form, timeout=float(timeout), ssl_verify=ssl_verify,
                                                 provider="watsonx", deadline=deadline))
        register_secret(token)
        return token, lifetime

    return _tokens.get(key, fetch, clock)


def resolve_ibm_credentials(config: "CallConfig", kwargs: Dict[str, Any], environ: Mapping[str, Any]) -> None:
    """The ``ibm_iam`` credential resolver (run per attempt in the send step): ``config.credentials``
    becomes the bearer token, given (``token=`` / WATSONX_TOKEN) or exchanged from the API key at
    the IAM endpoint (``iam_url=`` / WATSONX_IAM_URL, default :data:`IAM_URL`)."""
    token = kwargs.get("token") or environ.get("WATSONX_TOKEN")
    if token:
        if not isinstance(token, str):
            raise BadRequestError("token must be a string", config.provider, config.model)
        register_secret(token)
        config.credentials = token
        return
    if not config.api_key:
        names = " or ".join(config.spec.api_key_env) or "api_key"
        raise AuthenticationError("watsonx needs credentials: pass api_key (or set %s) or token (WATSONX_TOKEN)"
                                  % names, config.provider, config.model)
    iam_url = kwargs.get("iam_url") or environ.get("WATSONX_IAM_URL")
    config.credentials = exchange_iam_token(config.api_key, iam_url, min(config.timeout, 60.0),
                                            ssl_verify=config.ssl_verify, deadline=config.deadline)
