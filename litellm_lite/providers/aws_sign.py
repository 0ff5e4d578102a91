"""Signing a prepared AWS request (Bedrock Converse/InvokeModel, SageMaker): SigV4 or a bearer token."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .._sigv4 import sign_request
from ..exceptions import AuthenticationError
from .base import WireRequest

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["aws_region", "sign_aws"]

_SIGNATURE_HEADERS = frozenset({"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"})


def aws_region(config: "CallConfig") -> str:
    """The region to sign for: the credentials' own, else the ``region`` call option, else ''."""
    return str(getattr(config.credentials, "region", None) or config.options.get("region") or "")


def sign_aws(wire: WireRequest, config: "CallConfig", service: str, missing: str) -> WireRequest:
    """``wire`` with fresh signature headers: ``Authorization: Bearer`` when the credentials carry a
    bearer token, else SigV4 for ``service``; AuthenticationError(``missing``) when there is neither
    a bearer token nor an access key."""
    creds: Any = config.credentials
    bearer = getattr(creds, "bearer_token", None)
    if creds is None or (not bearer and not getattr(creds, "access_key_id", None)):
        raise AuthenticationError(missing, config.provider, config.model)
    headers = {k: v for k, v in wire.headers.items() if k.lower() not in _SIGNATURE_HEADERS}
    if bearer:
        headers["authorization"] = "Bearer " + str(bearer)
    else:
        headers.update(
            sign_request(
                wire.method,
                wire.url,
                headers,
                wire.body,
                access_key=creds.access_key_id,
                secret_key=creds.secret_access_key,
                session_token=getattr(creds, "session_token", None),
                region=aws_region(config),
                service=service,
                now=datetime.now(timezone.utc),
            )
        )
    return WireRequest(url=wire.url, headers=headers, body=wire.body, method=wire.method)
