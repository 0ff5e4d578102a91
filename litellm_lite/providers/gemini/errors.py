"""Google's error payload (``{"error": {code, message, status, details}}``) -> our exceptions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Dict, List, Optional

from ...exceptions import APIError, AuthenticationError, error_for_status
from ..base import WireResponse

__all__ = ["payload_error", "error_from_response"]

# Gemini error ``status`` -> HTTP status, for errors that arrive inside a 200 stream.
_STATUS_CODES = {
    "INVALID_ARGUMENT": 400, "FAILED_PRECONDITION": 400, "OUT_OF_RANGE": 400, "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403, "NOT_FOUND": 404, "ABORTED": 409, "ALREADY_EXISTS": 409,
    "RESOURCE_EXHAUSTED": 429, "CANCELLED": 499, "INTERNAL": 500, "UNKNOWN": 500, "DATA_LOSS": 500,
    "UNIMPLEMENTED": 501, "UNAVAILABLE": 503, "DEADLINE_EXCEEDED": 504,
}


def _reasons(details: Any) -> List[str]:
    if not isinstance(details, list):
        return []
    return [str(d.get("reason")) for d in details if isinstance(d, Mapping) and d.get("reason")]


def payload_error(payload: Mapping[str, Any], provider: str, model: str, status: Optional[int],
                  headers: Optional[Mapping[str, str]] = None, body: Optional[str] = None) -> APIError:
    """Our exception for a Google ``{"error": {code, message, status, details}}`` payload."""
    err = payload.get("error")
    if isinstance(err, str):
        err = {"message": err}
    if not isinstance(err, Mapping):
        err = {}
    message = str(err.get("message") or (body or "").strip()[:500] or "Gemini error")
    status_text = err.get("status") if isinstance(err.get("status"), str) else None
    reasons = _reasons(err.get("details"))
    code = err.get("code")
    if status is None or status < 400:
        status = code if isinstance(code, int) and code >= 400 else _STATUS_CODES.get(status_text or "", 500)
    kwargs: Dict[str, Any] = {"headers": dict(headers or {}), "body": body,
                              "code": reasons[0] if reasons else status_text, "error_type": status_text}
    # Gemini answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID: an authentication problem.
    if "API_KEY_INVALID" in reasons or "API key not valid" in message or status_text == "UNAUTHENTICATED":
        return AuthenticationError(message, provider, model, status_code=status, **kwargs)
    return error_for_status(status, message, provider, model, **kwargs)


def error_from_response(response: WireResponse, provider: str, model: str) -> APIError:
    """Our exception for a non-2xx response (a JSON array of errors, one error, or plain text)."""
    text = response.text()
    payload: Any = None
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        pass
    if isinstance(payload, list) and payload and isinstance(payload[0], Mapping):
        payload = payload[0]  # streamGenerateContent (JSON array) wraps errors in a list
    if not isinstance(payload, Mapping):
        payload = {}
    return payload_error(payload, provider, model, response.status, response.headers, text)
