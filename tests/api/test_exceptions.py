from __future__ import annotations

import pickle

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    LiteLLMError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
    UnsupportedParamsError,
    error_for_status,
    redact,
    register_secret,
)


@pytest.mark.parametrize(
    "status,cls",
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (408, Timeout),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, BadGatewayError),
        (503, ServiceUnavailableError),
        (504, Timeout),
        (529, ServiceUnavailableError),
        (418, BadRequestError),
        (599, InternalServerError),
    ],
)
def test_status_maps_to_class(status: int, cls: type) -> None:
    err = error_for_status(status, "boom", "openai", "gpt-4o")
    assert type(err) is cls
    assert err.status_code == status
    assert err.llm_provider == "openai" and err.model == "gpt-4o"
    assert "boom" in str(err)


def test_hierarchy() -> None:
    assert issubclass(Timeout, APIConnectionError)
    assert issubclass(APIConnectionError, APIError)
    for cls in (ContextWindowExceededError, ContentPolicyViolationError, UnsupportedParamsError):
        assert issubclass(cls, BadRequestError)
    assert issubclass(BadGatewayError, InternalServerError)
    assert issubclass(APIError, LiteLLMError)
    assert litellm.RateLimitError is RateLimitError


@pytest.mark.parametrize(
    "message,code",
    [
        ("This model's maximum context length is 8192 tokens", None),
        ("prompt is too long: 210000 tokens > 200000 maximum", None),
        ("whatever", "context_length_exceeded"),
        ("The input token count (1200000) exceeds the maximum number of tokens allowed", None),
    ],
)
def test_context_window_recognised(message: str, code: object) -> None:
    err = error_for_status(400, message, "x", "m", code=code)  # type: ignore[arg-type]
    assert isinstance(err, ContextWindowExceededError)


def test_content_policy_recognised() -> None:
    err = error_for_status(400, "blocked", "azure", "m", code="content_filter")
    assert isinstance(err, ContentPolicyViolationError)


def test_secrets_never_in_str_or_repr() -> None:
    err = AuthenticationError("bad key sk-abcdefghijklmnopqrstuvwxyz given; Authorization: Bearer abcdefghijk123", "openai")
    assert "abcdefghijklmnop" not in str(err) and "abcdefghijklmnop" not in repr(err)
    assert "abcdefghijk123" not in str(err)
    register_secret("my-very-private-token")
    assert "my-very-private-token" not in redact("token is my-very-private-token here")
    assert redact('{"api_key": "zzzzzzzzzz"}') == '{"api_key": "***"}'
    assert redact("") == ""


def test_pickle_round_trip_keeps_class_and_fields() -> None:
    err = error_for_status(429, "slow down", "groq", "llama")
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is RateLimitError and copy.status_code == 429 and copy.message == "slow down"


def test_api_error_positional_signature_as_litellm() -> None:
    err = APIError(500, "oops", "openai", "gpt-4o", headers={"x-request-id": "1"}, body="{}")
    assert err.status_code == 500 and err.response_headers == {"x-request-id": "1"}
    assert "APIError" in repr(err) and "OpenaiException" in str(err)
