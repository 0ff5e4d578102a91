"""Exception hierarchy of litellm_lite (LiteLLM's class names).

::

    LiteLLMError
     +-- APIError                          any provider/transport failure (status_code, message, ...)
          +-- APIConnectionError           no usable HTTP response (DNS, refused, reset, TLS, cut stream)
          |    +-- Timeout                 connect or read timed out
          +-- BadRequestError              400 (and invalid input caught before sending)
          |    +-- ContextWindowExceededError
          |    +-- ContentPolicyViolationError
          |    +-- UnsupportedParamsError
          +-- AuthenticationError          401 (and a missing key, before sending)
          +-- PermissionDeniedError        403
          +-- NotFoundError                404
          +-- UnprocessableEntityError     422
          +-- RateLimitError               429
          +-- InternalServerError          500 and other 5xx
               +-- BadGatewayError         502
               +-- ServiceUnavailableError 503 (and 529 "overloaded")

Every error carries ``status_code``, ``message`` (the provider's own words), ``llm_provider``,
``model`` and, when a response was received, ``headers`` and ``body``. ``str()`` and ``repr()``
never include an API key: messages pass through :func:`redact` before they are stored.
"""

from __future__ import annotations

import re
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
from collections import OrderedDict

from ._lazyre import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Mapping, Optional, Type

__all__ = [
    "LiteLLMError",
    "APIError",
    "APIConnectionError",
    "Timeout",
    "BadRequestError",
    "ContextWindowExceededError",
    "ContentPolicyViolationError",
    "UnsupportedParamsError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "BadGatewayError",
    "ServiceUnavailableError",
    "error_for_status",
    "is_context_window_error",
    "redact",
    "register_secret",
    "is_credential_header",
    "MAX_REGISTERED_SECRETS",
]

# Things that look like credentials: bearer tokens, sk-/key- style keys, AWS ids, Google keys,
# PEM private-key blocks (also JSON-escaped, as in a service-account file, or cut short).
_SECRET_PATTERNS = [  # (pattern, replacement, lower-case words one of which every match contains)
    (
        LazyPattern(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S),
        "***",
        ("private key",),
    ),
    (LazyPattern(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1***", ("bearer",)),
    (
        LazyPattern(r"\b(?:sk|pk|rk|gsk|xai|csk|nvapi)-[A-Za-z0-9_-]{8,}"),
        "***",
        ("sk-", "pk-", "rk-", "xai-", "nvapi-"),
    ),
    (LazyPattern(r"\bAIza[0-9A-Za-z_-]{20,}"), "***", ("aiza",)),
    (LazyPattern(r"\b(?:AKIA|ASIA)[0-9A-Z]{12,}"), "***", ("akia", "asia")),
    (
        LazyPattern(
            r"(?i)((?:api[_-]?key|x-api-key|x-goog-api-key|access[_-]?token|secret[_-]?access[_-]?key|"
            r"aws[_-]?session[_-]?token|private[_-]?key)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{6,}"
        ),
        r"\1***",
        ("key", "token"),
    ),
]

#: Most secrets remembered by :func:`register_secret` (the oldest are forgotten first; the
#: patterns above still catch the usual key shapes).
MAX_REGISTERED_SECRETS = 512
_registered_secrets: "OrderedDict[str, None]" = OrderedDict()
_secrets_lock = _thread.allocate_lock()
_shortest = [0]  # length of the shortest registered secret (0: none)


def register_secret(value: Optional[str], what: str = "api_key") -> None:
    """Remember a secret value so that :func:`redact` removes it from any later message.

    Only text is accepted: anything else (bytes, numbers, lists...) raises AuthenticationError
    naming ``what`` (never echoing the value), and the registry is left unchanged. ``None`` and
    ``""`` are ignored, as are values shorter than 6 characters (too common to be worth hiding).
    """
    if value is None:
        return
    if not isinstance(value, str):
        raise AuthenticationError(
            "%s must be a string (text), got %s" % (what, type(value).__name__)
        )
    if len(value) < 6:
        return
    with _secrets_lock:
        secrets = _registered_secrets
        if value in secrets:
            secrets.move_to_end(value)
            return
        secrets[value] = None
        while len(secrets) > MAX_REGISTERED_SECRETS:
            secrets.popitem(last=False)
        _shortest[0] = min(len(s) for s in secrets)


_CREDENTIAL_WORDS = ("key", "token", "secret", "auth", "signature", "password", "credential", "session")
_credential_names: Dict[str, bool] = {}


def is_credential_header(name: str) -> bool:
    """True for a header name that carries credentials: Authorization, Cookie, x-amz-*, or any name
    containing key, token, secret, auth, signature, password, credential or session."""
    hit = _credential_names.get(name)
    if hit is None:
        lowered = name.lower()
        hit = lowered == "cookie" or lowered.startswith("x-amz-") or any(w in lowered for w in _CREDENTIAL_WORDS)
        if len(_credential_names) < 4096:
            _credential_names[name] = hit
    return hit


def redact(text: str) -> str:
    """Return ``text`` with anything that looks like a credential replaced by ``***``."""
    if not text:
        return text
    if not isinstance(text, str):
        text = str(text)
    if _shortest[0] and len(text) >= _shortest[0]:
        for secret in tuple(_registered_secrets):  # newest last; a few hundred `in` tests at most
            if secret in text:
                text = text.replace(secret, "***")
    lowered = text.lower()
    for pattern, replacement, words in _SECRET_PATTERNS:
        if any(word in lowered for word in words):  # most messages skip most patterns
            text = pattern.sub(replacement, text)
    return text


class LiteLLMError(Exception):
    """Base class of every exception raised by litellm_lite.

    ``litellm_call_id`` (the call's id) and ``request_id`` (the provider's, from the response
    headers) are set when the error leaves a call; None when there is none.
    """

    litellm_call_id: Optional[str] = None
    request_id: Optional[str] = None


class APIError(LiteLLMError):
    """A call failed. ``APIError(status_code, message, llm_provider, model)`` as in LiteLLM."""

    default_status: Optional[int] = 500
    retryable: bool = False

    def __init__(
        self,
        status_code: Optional[int],
        message: str,
        llm_provider: str = "",
        model: str = "",
        *,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[str] = None,
        code: Optional[str] = None,
        error_type: Optional[str] = None,
        attempts: Optional[List[str]] = None,
    ) -> None:
        self.status_code = status_code if status_code is not None else self.default_status
        self.message = redact(str(message))
        self.llm_provider = llm_provider or ""
        self.model = model or ""
        self.headers: Dict[str, str] = dict(headers or {})
        self.body = redact(body) if body else body
        self.code = code
        self.type = error_type
        self.attempts = list(attempts or [])
        super().__init__(self.message)

    @property
    def response_headers(self) -> Dict[str, str]:
        return self.headers

    def __str__(self) -> str:
        prefix = "litellm_lite.%s: " % type(self).__name__
        where = ""
        if self.llm_provider:
            where = "%sException - " % _provider_title(self.llm_provider)
        return prefix + where + self.message

    def __repr__(self) -> str:
        return "%s(status_code=%r, message=%r, llm_provider=%r, model=%r)" % (
            type(self).__name__,
            self.status_code,
            self.message,
            self.llm_provider,
            self.model,
        )

    def __reduce__(self) -> Any:
        state = {
            "headers": self.headers,
            "body": self.body,
            "code": self.code,
            "type": self.type,
            "attempts": self.attempts,
        }
        extra = {k: v for k, v in self.__dict__.items() if k not in _CORE_FIELDS}
        if extra:
            state["extra"] = extra
        return (_rebuild, (type(self), self.status_code, self.message, self.llm_provider, self.model, state))


_CORE_FIELDS = frozenset(("status_code", "message", "llm_provider", "model", "headers", "body", "code", "type", "attempts"))


def _rebuild(
    cls: Type[APIError],
    status: Optional[int],
    message: str,
    provider: str,
    model: str,
    state: Optional[Dict[str, Any]] = None,
) -> APIError:
    """Unpickle an APIError (any subclass) without calling its possibly different ``__init__``."""
    state = state or {}
    err = APIError.__new__(cls)
    APIError.__init__(
        err,
        status,
        message,
        provider,
        model,
        headers=state.get("headers"),
        body=state.get("body"),
        code=state.get("code"),
        error_type=state.get("type"),
        attempts=state.get("attempts"),
    )
    err.__dict__.update(state.get("extra") or {})
    return err


def _provider_title(provider: str) -> str:
    return "".join(part.capitalize() for part in provider.replace("-", "_").split("_"))


class _StatusError(APIError):
    """Errors whose status is implied by their class: ``Cls(message, llm_provider, model)``."""

    def __init__(
        self,
        message: str,
        llm_provider: str = "",
        model: str = "",
        *,
        status_code: Optional[int] = None,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[str] = None,
        code: Optional[str] = None,
        error_type: Optional[str] = None,
        attempts: Optional[List[str]] = None,
    ) -> None:
        super().__init__(
            status_code if status_code is not None else self.default_status,
            message,
            llm_provider,
            model,
            headers=headers,
            body=body,
            code=code,
            error_type=error_type,
            attempts=attempts,
        )


class APIConnectionError(_StatusError):
    """No usable response: connection refused/reset, TLS failure, or a stream cut before its end."""

    default_status = 500
    retryable = True


class Timeout(APIConnectionError):
    """The connect or read timeout elapsed."""

    default_status = 408


class BadRequestError(_StatusError):
    default_status = 400


class ContextWindowExceededError(BadRequestError):
    """The prompt (plus requested output) does not fit the model's context window."""


class ContentPolicyViolationError(BadRequestError):
    """The provider refused the input or output under its content policy."""


class UnsupportedParamsError(BadRequestError):
    """A parameter the provider does not accept was given (pass ``drop_params=True`` to drop it)."""


class AuthenticationError(_StatusError):
    default_status = 401


class PermissionDeniedError(_StatusError):
    default_status = 403


class NotFoundError(_StatusError):
    default_status = 404


class UnprocessableEntityError(_StatusError):
    default_status = 422


class RateLimitError(_StatusError):
    default_status = 429
    retryable = True


class InternalServerError(_StatusError):
    default_status = 500
    retryable = True


class BadGatewayError(InternalServerError):
    default_status = 502


class ServiceUnavailableError(InternalServerError):
    default_status = 503


_STATUS_CLASSES: Dict[int, Type[_StatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: Timeout,
    413: ContextWindowExceededError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: BadGatewayError,
    503: ServiceUnavailableError,
    504: Timeout,
    529: ServiceUnavailableError,
}

_CONTEXT_WINDOW_MARKERS = (
    "context_length_exceeded",
    "context length",
    "context window",
    "maximum context",
    "prompt is too long",
    "too many tokens",
    "input is too long",
    "exceeds the maximum number of tokens",
    "input token count",
    "reduce the length",
    "string_above_max_length",
    "too large for model",
)
_CONTENT_POLICY_MARKERS = ("content_policy_violation", "content_filter", "content management policy", "safety system")


def is_context_window_error(message: str, code: Optional[str] = None) -> bool:
    """True when a provider's error code or message says the context window was exceeded."""
    text = ("%s %s" % (code or "", message or "")).lower()
    return any(marker in text for marker in _CONTEXT_WINDOW_MARKERS)


def error_for_status(
    status: Optional[int],
    message: str,
    llm_provider: str = "",
    model: str = "",
    *,
    headers: Optional[Mapping[str, str]] = None,
    body: Optional[str] = None,
    code: Optional[str] = None,
    error_type: Optional[str] = None,
) -> APIError:
    """Build the exception of the class that matches an HTTP status (and the message, for 400s)."""
    cls: Type[APIError]
    if status is not None and status in _STATUS_CLASSES:
        cls = _STATUS_CLASSES[status]
    elif status is not None and status >= 500:
        cls = InternalServerError
    elif status is not None and status >= 400:
        cls = BadRequestError
    else:
        cls = APIError
    if status in (400, 413, 422) or cls is BadRequestError:
        if is_context_window_error(message, code):
            cls = ContextWindowExceededError
        elif any(m in ("%s %s" % (code or "", message)).lower() for m in _CONTENT_POLICY_MARKERS):
            cls = ContentPolicyViolationError
    kwargs: Dict[str, Any] = dict(headers=headers, body=body, code=code, error_type=error_type)
    if issubclass(cls, _StatusError):
        return cls(message, llm_provider, model, status_code=status, **kwargs)
    return cls(status, message, llm_provider, model, **kwargs)
