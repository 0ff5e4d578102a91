"""Google Cloud credentials for Vertex AI without google-auth.

:func:`resolve_google_credentials` (``CREDENTIAL_RESOLVERS["google"]``) fills a CallConfig:

* project: ``vertex_project`` argument, ``VERTEXAI_PROJECT`` / ``VERTEX_PROJECT`` /
  ``GOOGLE_CLOUD_PROJECT``, else the credentials file's ``project_id`` (or ``quota_project_id``);
* location: ``vertex_location`` argument, ``VERTEXAI_LOCATION`` / ``VERTEX_LOCATION`` /
  ``GOOGLE_CLOUD_LOCATION``, else ``us-central1``;
* access token, first found of:
  1. ``vertex_access_token`` argument, or ``VERTEXAI_ACCESS_TOKEN`` (e.g. the output of
     ``gcloud auth print-access-token``), used as is;
  2. a credentials JSON: ``vertex_credentials`` argument (a path, a JSON string or a dict) or the
     file named by ``GOOGLE_APPLICATION_CREDENTIALS``, or gcloud's application-default file
     (``~/.config/gcloud/application_default_credentials.json``). ``service_account`` files are
     exchanged for a token with a self-signed RS256 JWT (:mod:`.._rsa`); ``authorized_user``
     files (``gcloud auth application-default login``) with their refresh token.

Exchanged tokens are cached per (account, scope, token URI) until five minutes before they
expire; concurrent callers for the same account wait for one exchange.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple

from .._rsa import KeyFormatError, load_private_key, sign_rs256
from ..exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    error_for_status,
    register_secret,
)
from .base import first_env
from .token_exchange import TokenCache, post_form

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = [
    "GoogleCredentials",
    "resolve_google_credentials",
    "is_express_mode",
    "service_account_token",
    "clear_token_cache",
    "make_jwt",
    "CLOUD_PLATFORM_SCOPE",
    "ACCESS_TOKEN_ENV",
    "PROJECT_ENV",
    "LOCATION_ENV",
    "CREDENTIALS_ENV",
]

logger = logging.getLogger("litellm_lite")

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
DEFAULT_LOCATION = "us-central1"
ACCESS_TOKEN_ENV: Tuple[str, ...] = ("VERTEXAI_ACCESS_TOKEN",)
PROJECT_ENV: Tuple[str, ...] = ("VERTEXAI_PROJECT", "VERTEX_PROJECT", "GOOGLE_CLOUD_PROJECT")
LOCATION_ENV: Tuple[str, ...] = ("VERTEXAI_LOCATION", "VERTEX_LOCATION", "GOOGLE_CLOUD_LOCATION")
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
JWT_LIFETIME = 3600
TOKEN_TIMEOUT = 60.0  # seconds: the token exchange never waits as long as a generation may
REFRESH_MARGIN = 300.0  # seconds before expiry when a cached token is no longer handed out

# keyword argument -> LiteLLM's aliases (popped from kwargs, first non-empty wins)
_PROJECT_KW = ("vertex_project", "vertex_ai_project")
_LOCATION_KW = ("vertex_location", "vertex_ai_location")
_CREDENTIALS_KW = ("vertex_credentials", "vertex_ai_credentials")
_TOKEN_KW = ("vertex_access_token", "vertex_ai_access_token")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

_tokens = TokenCache(REFRESH_MARGIN)


@dataclass
class GoogleCredentials:
    """What the Vertex adapter needs: a bearer token plus where to send it."""

    token: str
    project: Optional[str]
    location: str
    source: str  # "argument", "environment", "service_account", "authorized_user"

    def __repr__(self) -> str:  # the token is a secret
        return "GoogleCredentials(token=***, project=%r, location=%r, source=%r)" % (
            self.project, self.location, self.source)


def clear_token_cache() -> None:
    """Forget every exchanged token (tests; credential rotation)."""
    _tokens.clear()


def _pop_first(kwargs: Dict[str, Any], names: Tuple[str, ...]) -> Any:
    found = None
    for name in names:
        value = kwargs.pop(name, None)
        if found is None and value not in (None, ""):
            found = value
    return found


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_jwt(info: Mapping[str, Any], scope: str = CLOUD_PLATFORM_SCOPE, now: Optional[int] = None) -> str:
    """The signed assertion a service account trades for an access token (RFC 7523)."""
    issued = int(time.time()) if now is None else int(now)
    header: Dict[str, Any] = {"alg": "RS256", "typ": "JWT"}
    if isinstance(info.get("private_key_id"), str) and info["private_key_id"]:
        header["kid"] = info["private_key_id"]
    claims = {
        "iss": info["client_email"],
        "scope": scope,
        "aud": info.get("token_uri") or DEFAULT_TOKEN_URI,
        "iat": issued,
        "exp": issued + JWT_LIFETIME,
    }
    signing_input = "%s.%s" % (
        _b64url(json.dumps(header, separators=(",", ":")).encode("utf-8")),
        _b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8")),
    )
    key = load_private_key(str(info["private_key"]))
    return signing_input + "." + _b64url(sign_rs256(key, signing_input.encode("ascii")))


# ---------------------------------------------------------------------------------------------
# Token exchange


def _exchange(
    url: str, form: Mapping[str, str], what: str, timeout: float, ssl_verify: Any, deadline: Optional[float] = None
) -> Tuple[str, float]:
    """POST the form to the token endpoint; (access_token, lifetime seconds)."""
    status, raw = post_form(url, form, timeout=timeout, ssl_verify=ssl_verify, provider="vertex_ai", deadline=deadline)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        payload = None
    if status >= 400 or not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
        if isinstance(payload, dict):
            detail = "%s: %s" % (payload.get("error"), payload.get("error_description") or "")
        else:
            detail = raw[:200].decode("utf-8", "replace")
        message = "Google token exchange for %s failed (HTTP %d) %s" % (what, status, detail.strip())
        if status in (400, 401, 403):  # invalid_grant, invalid_client, disabled account...
            raise AuthenticationError(message, "vertex_ai", "", status_code=status)
        if status >= 400:
            raise error_for_status(status, message, "vertex_ai", "")
        raise APIConnectionError(message, "vertex_ai", "")
    lifetime = payload.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) else 3600.0
    return payload["access_token"], seconds


def service_account_token(
    info: Mapping[str, Any],
    scope: str = CLOUD_PLATFORM_SCOPE,
    *,
    timeout: float = 60.0,
    ssl_verify: Any = None,
    deadline: Optional[float] = None,
) -> str:
    """An access token for a service-account key (cached until 5 minutes before expiry); ``deadline``
    (a ``time.monotonic()`` instant) bounds the exchange."""
    for field in ("client_email", "private_key"):
        if not isinstance(info.get(field), str) or not info.get(field):
            raise AuthenticationError("the service-account credentials lack %r" % field, "vertex_ai", "")
    token_uri = str(info.get("token_uri") or DEFAULT_TOKEN_URI)
    key = ("service_account", str(info["client_email"]), scope, token_uri)

    def fetch() -> Tuple[str, float]:
        try:
            assertion = make_jwt(info, scope)
        except KeyFormatError as exc:
            raise AuthenticationError(
                "cannot sign with the service-account private key of %s: %s" % (info["client_email"], exc),
                "vertex_ai", "",
            ) from exc
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
        return _exchange(token_uri, form, str(info["client_email"]), timeout, ssl_verify, deadline)

    return _tokens.get(key, fetch)


def authorized_user_token(
    info: Mapping[str, Any], *, timeout: float = 60.0, ssl_verify: Any = None, deadline: Optional[float] = None
) -> str:
    """An access token from a gcloud ``authorized_user`` file (refresh-token grant), cached; ``deadline``
    bounds the exchange."""
    for field in ("client_id", "client_secret", "refresh_token"):
        if not isinstance(info.get(field), str) or not info.get(field):
            raise AuthenticationError("the authorized_user credentials lack %r" % field, "vertex_ai", "")
    token_uri = str(info.get("token_uri") or DEFAULT_TOKEN_URI)
    key = ("authorized_user", str(info["client_id"]), str(info["refresh_token"])[-12:], token_uri)

    def fetch() -> Tuple[str, float]:
        form = {"grant_type": "refresh_token", "client_id": str(info["client_id"]),
                "client_secret": str(info["client_secret"]), "refresh_token": str(info["refresh_token"])}
        return _exchange(token_uri, form, "the authorized_user credentials", timeout, ssl_verify, deadline)

    return _tokens.get(key, fetch)


# ---------------------------------------------------------------------------------------------
# The resolver


def _shown_path(text: str) -> str:
    """The path for an error message, unless it may be credentials text given by mistake."""
    if len(text) > 300 or any(c in text for c in '{}[]"\n\r') or "PRIVATE KEY" in text:
        return "(not shown: it looks like credentials text, not a path)"
    return repr(text)


def _load_credentials(value: Any, origin: str) -> Dict[str, Any]:
    """A credentials dict from a dict, a JSON string or a file path.

    Errors never echo the credentials (nor hold them in a chained exception): malformed JSON is
    reported by line and column only.
    """
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        raise AuthenticationError(
            "%s must be a file path, a JSON string or a dict, got %s" % (origin, type(value).__name__), "vertex_ai", ""
        )
    text = value.strip().lstrip("\ufeff").strip()
    if not text.startswith(("{", "[")):
        failure = None
        try:
            with open(os.path.expanduser(text), "r", encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, ValueError) as exc:  # ValueError: NUL in the path, undecodable file
            failure = getattr(exc, "strerror", None) or type(exc).__name__
        if failure is not None:
            raise AuthenticationError(
                "cannot read the Google credentials file named by %s %s: %s" % (origin, _shown_path(text), failure),
                "vertex_ai", "",
            )
        text = text.lstrip("\ufeff")
    where = None
    try:
        data = json.loads(text)
    except ValueError as exc:
        where = "line %s column %s" % (getattr(exc, "lineno", "?"), getattr(exc, "colno", "?"))
    if where is not None:  # raised outside the handler: the JSON text stays out of the chain
        raise AuthenticationError(
            "the Google credentials from %s are not valid JSON (error at %s)" % (origin, where), "vertex_ai", ""
        )
    if not isinstance(data, dict):
        raise AuthenticationError(
            "the Google credentials from %s are not a JSON object (got a JSON %s)" % (origin, type(data).__name__),
            "vertex_ai", "",
        )
    return data


def _adc_path(environ: Mapping[str, str]) -> Optional[str]:
    """gcloud's application-default credentials file, when it exists."""
    if environ.get("CLOUDSDK_CONFIG"):
        root = environ["CLOUDSDK_CONFIG"]
    elif os.name == "nt" and environ.get("APPDATA"):
        root = os.path.join(environ["APPDATA"], "gcloud")
    elif environ.get("HOME"):
        root = os.path.join(environ["HOME"], ".config", "gcloud")
    else:
        return None
    path = os.path.join(root, "application_default_credentials.json")
    return path if os.path.isfile(path) else None


def _check_name(value: str, what: str, model: str) -> str:
    if not _SAFE_NAME.match(value):
        raise BadRequestError("invalid Vertex AI %s %r" % (what, value[:80]), "vertex_ai", model)
    return value


_EXPRESS_BASE = re.compile(r"/publishers/google/models/?$")


def is_express_mode(config: "CallConfig") -> bool:
    """Vertex AI express mode: an API key and an ``api_base`` already ending in ``/publishers/google/models``
    (the URL names no project or location, and the key replaces the OAuth token)."""
    return bool(config.api_key) and bool(_EXPRESS_BASE.search(config.api_base or ""))


def resolve_google_credentials(config: "CallConfig", kwargs: Dict[str, Any], environ: Mapping[str, str]) -> None:
    """Fill ``config.credentials`` (a :class:`GoogleCredentials`), ``options`` and ``api_base``.

    In express mode (:func:`is_express_mode`) there is nothing to resolve: no project, location or
    token exchange; the API key is sent as ``x-goog-api-key``."""
    if is_express_mode(config):
        for name in _PROJECT_KW + _LOCATION_KW + _CREDENTIALS_KW + _TOKEN_KW:
            kwargs.pop(name, None)
        config.options["vertex_express"] = True
        logger.debug("vertex_ai express mode (API key, base %s)", config.api_base)
        return
    _resolve_oauth(config, kwargs, environ)


def _token_from_file(config: "CallConfig", info: Dict[str, Any]) -> Tuple[str, str]:
    """(access token, its source) from a service-account or authorized-user credentials file."""
    kind = info.get("type")
    timeout = min(config.timeout, TOKEN_TIMEOUT)
    if kind == "service_account":
        return service_account_token(info, timeout=timeout, ssl_verify=config.ssl_verify, deadline=config.deadline), (
            "service_account"
        )
    if kind == "authorized_user":
        return authorized_user_token(info, timeout=timeout, ssl_verify=config.ssl_verify, deadline=config.deadline), (
            "authorized_user"
        )
    raise AuthenticationError(
        "unsupported Google credentials type %r (expected service_account or authorized_user)" % (kind,),
        config.provider, config.model,
    )


def _resolve_oauth(config: "CallConfig", kwargs: Dict[str, Any], environ: Mapping[str, str]) -> None:
    """A bearer token (given, or exchanged from credentials), project and location."""
    model = config.model
    project = _pop_first(kwargs, _PROJECT_KW) or first_env(PROJECT_ENV, environ)
    location = _pop_first(kwargs, _LOCATION_KW) or first_env(LOCATION_ENV, environ) or DEFAULT_LOCATION
    credentials_arg = _pop_first(kwargs, _CREDENTIALS_KW)
    token = _pop_first(kwargs, _TOKEN_KW)
    source = "argument"
    if token is None:
        token = first_env(ACCESS_TOKEN_ENV, environ)
        source = "environment"
    info: Optional[Dict[str, Any]] = None
    if credentials_arg is not None:
        info = _load_credentials(credentials_arg, "vertex_credentials")
    elif token is None:
        path = environ.get(CREDENTIALS_ENV) or _adc_path(environ)
        if path:
            info = _load_credentials(path, CREDENTIALS_ENV if environ.get(CREDENTIALS_ENV) else "the gcloud ADC file")
    if info is not None and not project:
        project = info.get("project_id") or info.get("quota_project_id")
    if token is None and info is not None:
        token, source = _token_from_file(config, info)
    if not isinstance(token, str) or not token:
        raise AuthenticationError(
            "missing Google credentials for Vertex AI: pass vertex_credentials=<service-account JSON path or "
            "string> or vertex_access_token=..., or set GOOGLE_APPLICATION_CREDENTIALS or VERTEXAI_ACCESS_TOKEN",
            config.provider, model,
        )
    register_secret(token)
    if not project:
        raise BadRequestError(
            "missing Vertex AI project: pass vertex_project=... or set VERTEXAI_PROJECT", config.provider, model
        )
    project = _check_name(str(project), "project", model)
    location = _check_name(str(location), "location", model)
    config.credentials = GoogleCredentials(token=token, project=project, location=location, source=source)
    config.options["vertex_project"] = project
    config.options["vertex_location"] = location
    if not config.api_base:
        if location == "global":
            config.api_base = "https://aiplatform.googleapis.com"
        else:
            config.api_base = "https://%s-aiplatform.googleapis.com" % location
    logger.debug("vertex_ai credentials from %s for project %s in %s", source, project, location)
