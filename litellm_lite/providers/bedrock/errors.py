"""AWS error types (``x-amzn-ErrorType``, ``__type``, event-stream exceptions) -> our exceptions."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Mapping, Optional

from ...exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    error_for_status,
    is_context_window_error,
)
from ..base import StreamEvent, StreamState, WireResponse

__all__ = ["exception_class", "build_error", "error_from_response", "stream_error"]

# AWS error/exception type (lower-case) -> our class.
_EXCEPTIONS: Dict[str, Callable[..., APIError]] = {
    "throttlingexception": RateLimitError,
    "servicequotaexceededexception": RateLimitError,
    "toomanyrequestsexception": RateLimitError,
    "validationexception": BadRequestError,
    "accessdeniedexception": PermissionDeniedError,
    "resourcenotfoundexception": NotFoundError,
    "serviceunavailableexception": ServiceUnavailableError,
    "modelnotreadyexception": ServiceUnavailableError,
    "modelstreamerrorexception": InternalServerError,
    "internalserverexception": InternalServerError,
    "modelerrorexception": InternalServerError,
    "modeltimeoutexception": Timeout,
    "unrecognizedclientexception": AuthenticationError,
    "invalidsignatureexception": AuthenticationError,
    "incompletesignatureexception": AuthenticationError,
    "missingauthenticationtokenexception": AuthenticationError,
    "expiredtokenexception": AuthenticationError,
    "invalidclienttokenid": AuthenticationError,
}


def exception_class(error_type: Optional[str]) -> Optional[Callable[..., APIError]]:
    """Our exception class for an AWS error type such as ``ThrottlingException`` (None if unknown)."""
    if not error_type:
        return None
    name = str(error_type).split(":", 1)[0].split("#")[-1].strip().lower()
    return _EXCEPTIONS.get(name)


def build_error(
    error_type: Optional[str],
    status: Optional[int],
    message: str,
    provider: str,
    model: str,
    headers: Optional[Mapping[str, str]] = None,
    body: Optional[str] = None,
) -> APIError:
    """Our exception for an AWS error type (by name, else by HTTP status)."""
    short = str(error_type).split(":", 1)[0] if error_type else None
    cls = exception_class(error_type)
    if cls is None:
        return error_for_status(
            status if status is not None else 500, message, provider, model, headers=headers, body=body, code=short,
            error_type=short,
        )
    if cls is BadRequestError and is_context_window_error(message, short):
        cls = ContextWindowExceededError
    return cls(
        message, provider, model, status_code=status, headers=headers, body=body, code=short, error_type=short
    )


def _json(text: Optional[str]) -> Any:
    try:
        return json.loads(text) if text else None
    except (ValueError, RecursionError):
        return None


def _message_of(payload: Any) -> Optional[str]:
    """The ``message`` (or ``Message``) of an AWS error body, as text."""
    if not isinstance(payload, dict):
        return None
    raw = payload.get("message") or payload.get("Message")
    if raw is None:
        return None
    return raw if isinstance(raw, str) else json.dumps(raw)


def error_from_response(response: WireResponse, provider: str, model: str) -> APIError:
    """Our exception for a non-2xx Bedrock response."""
    text = response.text()
    error_type: Optional[str] = None
    for key, value in response.headers.items():
        if key.lower() == "x-amzn-errortype":
            error_type = str(value)
    payload = _json(text)
    message = _message_of(payload)
    if not error_type and isinstance(payload, dict) and isinstance(payload.get("__type"), str):
        error_type = payload["__type"]
    if not message:
        message = text.strip()[:500] or "HTTP %d with an empty body" % response.status
    return build_error(error_type, response.status, message, provider, model, dict(response.headers), text)


def stream_error(event: StreamEvent, kind: str, state: StreamState) -> APIError:
    """Our exception for an event-stream ``exception`` or ``error`` message."""
    headers = event.headers or {}
    message = _message_of(_json(event.data)) or event.data
    if kind == "error" and headers.get(":error-message"):
        message = str(headers[":error-message"])
    return build_error(event.event, None, message or "error in Bedrock stream", state.provider, state.model,
                       body=event.data)
