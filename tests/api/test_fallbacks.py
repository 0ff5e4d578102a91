"""completion(fallbacks=..., context_window_fallback_dict=...): order, error classes, final exception."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
)
from litellm_lite.fallbacks import completion_with_fallbacks, should_fall_back
from litellm_lite.testing import FakeProvider
from litellm_lite.exceptions import (
    APIError,
    LiteLLMError,
)
from litellm_lite.fallbacks import attempt_lines, attempts_error

MESSAGES = [{"role": "user", "content": "fall back please"}]


class Script:
    """A stand-in for completion(): per model, raise the queued error or return a marker."""

    def __init__(self, errors: Dict[str, BaseException]) -> None:
        self.errors = errors
        self.calls: List[Dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        error = self.errors.get(kwargs["model"])
        if error is not None:
            raise error
        return {"served_by": kwargs["model"], "api_base": kwargs.get("api_base")}


def _err(cls: type, model: str) -> BaseException:
    return cls("failure of %s" % model, "openai", model)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "cls,expected",
    [
        (RateLimitError, True),
        (InternalServerError, True),
        (ServiceUnavailableError, True),
        (APIConnectionError, True),
        (Timeout, True),
        (AuthenticationError, True),
        (NotFoundError, True),
        (ContextWindowExceededError, True),
        (BadRequestError, False),
        (UnsupportedParamsError, False),
        (ContentPolicyViolationError, False),
    ],
)
def test_which_errors_fall_back(cls: type, expected: bool) -> None:
    assert should_fall_back(_err(cls, "m")) is expected
    assert should_fall_back(ValueError("not ours")) is False


def test_fallbacks_tried_in_order_until_one_succeeds() -> None:
    script = Script({"a": _err(RateLimitError, "a"), "b": _err(InternalServerError, "b")})
    result = completion_with_fallbacks(
        script, {"model": "a", "messages": MESSAGES, "api_base": "http://x"}, fallbacks=["b", {"model": "c", "api_base": "http://c"}, "d"]
    )
    assert [c["model"] for c in script.calls] == ["a", "b", "c"]
    assert result == {"served_by": "c", "api_base": "http://c"}
    # string fallbacks inherit the original call's kwargs
    assert script.calls[1]["api_base"] == "http://x" and script.calls[1]["messages"] == MESSAGES


def test_final_exception_names_every_attempt() -> None:
    script = Script({"a": _err(RateLimitError, "a"), "b": _err(APIConnectionError, "b"), "c": _err(ServiceUnavailableError, "c")})
    with pytest.raises(ServiceUnavailableError) as info:
        completion_with_fallbacks(script, {"model": "a", "messages": MESSAGES}, fallbacks=["b", "c"])
    err = info.value
    text = str(err)
    for piece in ("a (RateLimitError)", "b (APIConnectionError)", "c (ServiceUnavailableError)", "3"):
        assert piece in text
    assert err.attempts == [
        "a: RateLimitError 429: failure of a",
        "b: APIConnectionError 500: failure of b",
        "c: ServiceUnavailableError 503: failure of c",
    ]
    assert [(m, e) for m, e in err.fallback_errors] == [(m, script.errors[m]) for m in "abc"]
    assert err.__cause__ is script.errors["c"]
    assert err.status_code == 503 and err.llm_provider == "openai"


def test_bad_request_is_raised_at_once() -> None:
    original = _err(UnsupportedParamsError, "a")
    script = Script({"a": original})
    with pytest.raises(UnsupportedParamsError) as info:
        completion_with_fallbacks(script, {"model": "a"}, fallbacks=["b"])
    assert info.value is original
    assert len(script.calls) == 1


def test_foreign_exception_is_not_swallowed() -> None:
    script = Script({"a": KeyError("bug")})
    with pytest.raises(KeyError):
        completion_with_fallbacks(script, {"model": "a"}, fallbacks=["b"])
    assert len(script.calls) == 1


def test_context_window_chain_comes_first() -> None:
    script = Script(
        {"small": _err(ContextWindowExceededError, "small"), "medium": _err(ContextWindowExceededError, "medium")}
    )
    result = completion_with_fallbacks(
        script,
        {"model": "small"},
        fallbacks=["other"],
        context_window_fallback_dict={"small": "medium", "medium": "large"},
    )
    assert [c["model"] for c in script.calls] == ["small", "medium", "large"]
    assert result["served_by"] == "large"


def test_context_window_dict_alone_and_prefix_lookup() -> None:
    script = Script({"openai/small": _err(ContextWindowExceededError, "small")})
    result = completion_with_fallbacks(script, {"model": "openai/small"}, context_window_fallback_dict={"small": "openai/big"})
    assert result["served_by"] == "openai/big"
    # without a mapping the original error comes back unchanged
    lone = _err(ContextWindowExceededError, "x")
    with pytest.raises(ContextWindowExceededError) as info:
        completion_with_fallbacks(Script({"x": lone}), {"model": "x"}, context_window_fallback_dict={"y": "z"})
    assert info.value is lone


def test_invalid_fallback_entry() -> None:
    with pytest.raises(BadRequestError):
        completion_with_fallbacks(Script({}), {"model": "a"}, fallbacks=[42])  # type: ignore[list-item]


# -- end to end over loopback servers -------------------------------------------------------------


@pytest.fixture
def two() -> Iterator[List[FakeProvider]]:
    with FakeProvider(model="primary") as first, FakeProvider(model="backup") as second:
        yield [first, second]


def test_completion_falls_back_to_another_endpoint(two: List[FakeProvider]) -> None:
    primary, backup = two
    primary.add_error(429, "rate limited", error_type="rate_limit_error")
    response = litellm_lite.completion(
        model="openai/primary",
        messages=MESSAGES,
        api_base=primary.api_base,
        api_key="k1",
        num_retries=0,
        fallbacks=[{"model": "openai/backup", "api_base": backup.api_base, "api_key": "k2"}],
    )
    assert response.choices[0].message.content == "fall back please"
    assert len(primary.requests) == 1 and len(backup.requests) == 1
    assert backup.requests[0].json["model"] == "backup"
    assert backup.requests[0].headers["authorization"] == "Bearer k2"
    assert response._hidden_params["fallback_attempts"] == [{"model": "openai/primary", "error": "RateLimitError"}]


def test_completion_context_window_fallback(two: List[FakeProvider]) -> None:
    primary, _ = two
    primary.add_error(
        400, "This model's maximum context length is 8192 tokens", code="context_length_exceeded"
    )
    response = litellm_lite.completion(
        model="openai/primary",
        messages=MESSAGES,
        api_base=primary.api_base,
        api_key="k",
        num_retries=0,
        context_window_fallback_dict={"openai/primary": "openai/primary-32k"},
    )
    assert [r.json["model"] for r in primary.requests] == ["primary", "primary-32k"]
    assert response.choices[0].message.content == "fall back please"


def test_completion_all_fail_lists_attempts(two: List[FakeProvider]) -> None:
    primary, backup = two
    primary.add_error(503, "overloaded", error_type="server_error")
    backup.add_error(401, "bad key", error_type="authentication_error")
    with pytest.raises(AuthenticationError) as info:
        litellm_lite.completion(
            model="openai/primary",
            messages=MESSAGES,
            api_base=primary.api_base,
            api_key="k",
            num_retries=0,
            fallbacks=[{"model": "openai/backup", "api_base": backup.api_base}],
        )
    assert "openai/primary (ServiceUnavailableError)" in str(info.value)
    assert "openai/backup (AuthenticationError)" in str(info.value)
    assert info.value.attempts == [
        "openai/primary: attempt 1: ServiceUnavailableError 503: overloaded",
        "openai/backup: attempt 1: AuthenticationError 401: bad key",
    ]


def test_retries_of_each_model_are_listed(two: List[FakeProvider]) -> None:
    primary, backup = two
    primary.add_error(500, "first", error_type="server_error", headers={"retry-after-ms": "1"})
    primary.add_error(502, "second", error_type="server_error", headers={"retry-after-ms": "1"})
    backup.add_error(429, "third", error_type="rate_limit_error")
    with pytest.raises(RateLimitError) as info:
        litellm_lite.completion(
            model="openai/primary",
            messages=MESSAGES,
            api_base=primary.api_base,
            api_key="k",
            num_retries=1,
            fallbacks=[{"model": "openai/backup", "api_base": backup.api_base, "num_retries": 0}],
        )
    assert info.value.attempts == [
        "openai/primary: attempt 1: InternalServerError 500: first",
        "openai/primary: attempt 2: BadGatewayError 502: second",
        "openai/backup: attempt 1: RateLimitError 429: third",
    ]


def test_stream_open_error_falls_back(two: List[FakeProvider]) -> None:
    primary, backup = two
    primary.add_error(500, "boom", error_type="server_error")
    backup.add_reply("from the backup")
    stream = litellm_lite.completion(
        model="openai/primary",
        messages=MESSAGES,
        api_base=primary.api_base,
        api_key="k",
        num_retries=0,
        stream=True,
        fallbacks=[{"api_base": backup.api_base}],
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "from the backup"
    assert len(primary.requests) == 1 and len(backup.requests) == 1


def test_no_fallback_after_a_chunk_was_handed_out(two: List[FakeProvider]) -> None:
    primary, backup = two
    primary.add_reply("a long answer that will be cut", cut_after_chunks=3)
    stream = litellm_lite.completion(
        model="openai/primary",
        messages=MESSAGES,
        api_base=primary.api_base,
        api_key="k",
        num_retries=0,
        stream=True,
        fallbacks=[{"api_base": backup.api_base}],
    )
    got: List[Any] = []
    with pytest.raises(APIConnectionError):
        for chunk in stream:
            got.append(chunk)
    assert got  # chunks reached the caller before the cut
    assert backup.requests == []


# -- more cases (formerly test_cov_fallbacks.py: Fallbacks: the final exception for unusual error classes, d





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
