"""Fallbacks: the final exception for unusual error classes, dict entries, chain endings."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from litellm_lite.exceptions import (
    APIError,
    BadRequestError,
    InternalServerError,
    LiteLLMError,
    RateLimitError,
)
from litellm_lite.fallbacks import attempt_lines, attempts_error, completion_with_fallbacks


class Script:
    def __init__(self, errors: Dict[str, BaseException]) -> None:
        self.errors = errors
        self.calls: List[Dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        error = self.errors.get(kwargs["model"])
        if error is not None:
            raise error
        return {"served_by": kwargs["model"]}


def test_long_messages_are_shortened_in_attempt_lines() -> None:
    error = RateLimitError("x" * 300, "openai", "m")
    (line,) = attempt_lines("m", error)
    assert line.startswith("m: RateLimitError 429: ") and line.endswith("...")
    assert len(line.split(": ", 2)[2]) == 120


def test_errors_that_are_not_api_errors() -> None:
    script = Script({"a": LiteLLMError("first broke"), "b": LiteLLMError("second broke")})
    with pytest.raises(APIError) as info:
        completion_with_fallbacks(script, {"model": "a"}, ["b"])
    error = info.value
    assert type(error) is APIError
    assert "a (LiteLLMError); b (LiteLLMError)" in str(error)
    assert error.attempts == ["a: LiteLLMError: first broke", "b: LiteLLMError: second broke"]
    assert [m for m, _ in error.fallback_errors] == ["a", "b"]


def test_plain_api_error_keeps_its_class_and_status() -> None:
    script = Script({"a": APIError(418, "teapot a", "p", "a"), "b": APIError(302, "moved", "p", "b")})
    with pytest.raises(APIError) as info:
        completion_with_fallbacks(script, {"model": "a"}, ["b"])
    assert type(info.value) is APIError and info.value.status_code == 302
    assert "Last error: moved" in str(info.value)


class OddSignature(InternalServerError):
    def __init__(self, detail: str) -> None:  # a subclass that cannot be rebuilt the usual way
        super().__init__(detail, "custom", "m")


def test_subclass_with_another_signature_falls_back_to_api_error() -> None:
    error = attempts_error([("a", RateLimitError("r", "p", "a")), ("b", OddSignature("odd"))])
    assert type(error) is APIError
    assert error.status_code == 500 and "b (OddSignature)" in str(error)


def test_dict_entry_with_model_none_inherits_the_original_model() -> None:
    script = Script({"a": RateLimitError("busy", "p", "a")})
    with pytest.raises(RateLimitError) as info:
        completion_with_fallbacks(script, {"model": "a", "api_base": "http://primary"},
                                  [{"api_base": "http://backup", "model": None}])
    assert [(c["model"], c["api_base"]) for c in script.calls] == [("a", "http://primary"), ("a", "http://backup")]
    assert "all 2 fallback attempts failed: a (RateLimitError); a (RateLimitError)" in str(info.value)


def test_same_model_other_endpoint() -> None:
    calls: List[Dict[str, Any]] = []

    def fn(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if kwargs.get("api_base") == "http://primary":
            raise RateLimitError("busy", "p", kwargs["model"])
        return "ok from %s" % kwargs["api_base"]

    result = completion_with_fallbacks(fn, {"model": "a", "api_base": "http://primary"},
                                       [{"api_base": "http://backup", "fallbacks": ["zzz"]}])
    assert result == "ok from http://backup"
    assert calls[1]["model"] == "a" and "fallbacks" not in calls[1]
    assert len(calls) == 2


def test_a_bad_request_from_a_fallback_ends_the_chain_listing_both() -> None:
    script = Script({"a": RateLimitError("busy", "p", "a"), "b": BadRequestError("bad param", "p", "b")})
    with pytest.raises(BadRequestError) as info:
        completion_with_fallbacks(script, {"model": "a"}, ["b", "c"])
    assert [c["model"] for c in script.calls] == ["a", "b"]  # "c" is never tried
    assert "a (RateLimitError); b (BadRequestError)" in str(info.value)
    assert isinstance(info.value.__cause__, BadRequestError)
