"""Tests of litellm_lite.retry: Retry-After parsing, backoff and jitter bounds, the run loop."""

from __future__ import annotations

import dataclasses
import time
from email.utils import formatdate
from typing import Callable, Dict, List, Tuple

import pytest

from litellm_lite import _http
from litellm_lite.exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    Timeout,
    error_for_status,
)
from litellm_lite.providers.base import WireRequest
from litellm_lite.retry import DEFAULT_RETRY_STATUSES, Retry, parse_retry_after
from tests.server import LoopbackServer, Reply, closed_port

NOW = 1_700_000_000.0

# ---------------------------------------------------------------------------------------------
# parse_retry_after


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": " 1.5 "}, 1.5),
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"retry-after": formatdate(NOW - 30, usegmt=True)}, 0.0),
        ({"retry-after": "-5"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "tomorrow-ish"}, None),
        ({"retry-after": ""}, None),
        ({"content-type": "application/json"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_parse_retry_after(headers: Dict[str, str], expected: float) -> None:
    got = parse_retry_after(headers, now=NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-6)


def test_parse_retry_after_http_date_uses_the_clock() -> None:
    got = parse_retry_after({"retry-after": formatdate(time.time() + 20, usegmt=True)})
    assert got is not None and 18.0 <= got <= 20.5


# ---------------------------------------------------------------------------------------------
# delay


def test_backoff_doubles_and_is_capped_without_jitter() -> None:
    policy = Retry(jitter=0.0, backoff_factor=0.5, backoff_max=8.0)
    assert [policy.delay(a) for a in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert policy.delay(10_000) == 8.0  # no overflow for absurd attempt numbers


def test_jitter_stays_within_its_fraction() -> None:
    policy = Retry(jitter=0.25, backoff_factor=1.0, backoff_max=100.0)
    samples = [policy.delay(2) for _ in range(2000)]
    assert all(3.0 <= s <= 4.0 for s in samples)
    assert max(samples) - min(samples) > 0.5  # it does vary
    assert len(set(samples)) > 100


def test_retry_after_wins_over_backoff_and_is_capped() -> None:
    policy = Retry(jitter=0.0, max_retry_after=60.0)
    assert policy.delay(0, {"retry-after": "12"}) == 12.0
    assert policy.delay(3, {"retry-after-ms": "1500"}) == 1.5
    assert policy.delay(0, {"retry-after": "3600"}) == 60.0
    assert policy.delay(0, {"retry-after": formatdate(time.time() + 600, usegmt=True)}) == 60.0
    assert policy.delay(1, {"retry-after": "garbage"}) == 1.0  # unparseable: backoff
    assert Retry(jitter=0.0, respect_retry_after=False).delay(0, {"retry-after": "12"}) == 0.5


# ---------------------------------------------------------------------------------------------
# is_retryable


@pytest.mark.parametrize(
    "error, expected",
    [
        (APIConnectionError("reset", "openai", "m"), True),
        (Timeout("slow", "openai", "m"), True),
        (RateLimitError("429", "openai", "m"), True),
        (InternalServerError("500", "openai", "m"), True),
        (error_for_status(502, "bad gateway"), True),
        (error_for_status(503, "unavailable"), True),
        (error_for_status(504, "gateway timeout"), True),
        (error_for_status(529, "overloaded"), True),
        (error_for_status(408, "request timeout"), True),
        (error_for_status(409, "conflict"), True),
        (BadRequestError("bad", "openai", "m"), False),
        (AuthenticationError("no key", "openai", "m"), False),
        (NotFoundError("nope", "openai", "m"), False),
        (ContextWindowExceededError("too long", "openai", "m"), False),
        (error_for_status(422, "unprocessable"), False),
        (error_for_status(501, "not implemented"), False),
        (ValueError("a bug"), False),
        (KeyError("x"), False),
    ],
)
def test_is_retryable(error: BaseException, expected: bool) -> None:
    assert Retry().is_retryable(error) is expected


def test_x_should_retry_header_overrides_the_status() -> None:
    policy = Retry()
    assert policy.is_retryable(error_for_status(400, "x", headers={"x-should-retry": "true"}))
    assert not policy.is_retryable(error_for_status(500, "x", headers={"X-Should-Retry": "false"}))
    assert policy.is_retryable(error_for_status(500, "x", headers={"x-should-retry": "maybe"}))


def test_custom_statuses() -> None:
    policy = Retry(statuses=[500])  # type: ignore[arg-type]
    assert policy.statuses == frozenset({500})
    assert not policy.is_retryable(RateLimitError("429"))
    assert policy.is_retryable(InternalServerError("500"))
    assert 529 in DEFAULT_RETRY_STATUSES and 409 in DEFAULT_RETRY_STATUSES


def test_policy_is_frozen_and_validated() -> None:
    policy = Retry()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.total = 5  # type: ignore[misc]
    for kwargs in (
        {"total": -1},
        {"total": 1.5},
        {"total": True},
        {"jitter": 1.5},
        {"backoff_factor": -1},
        {"max_retry_after": float("nan")},
    ):
        with pytest.raises(BadRequestError):
            Retry(**kwargs)  # type: ignore[arg-type]
    assert Retry(total=0).total == 0


# ---------------------------------------------------------------------------------------------
# run


class Script:
    """An attempt function failing with the given errors, then returning "done"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls: List[int] = []

    def __call__(self, attempt: int) -> str:
        self.calls.append(attempt)
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def test_run_retries_until_success_and_records_delays() -> None:
    slept: List[float] = []
    seen: List[Tuple[int, str, float]] = []
    script = Script(RateLimitError("slow down", headers={"retry-after": "2"}), APIConnectionError("reset"))
    policy = Retry(total=2, jitter=0.0)
    result = policy.run(script, sleep=slept.append, on_retry=lambda a, e, d: seen.append((a, type(e).__name__, d)))
    assert result == "done"
    assert script.calls == [0, 1, 2]
    assert slept == [2.0, 1.0]  # Retry-After, then backoff for attempt 1
    assert seen == [(0, "RateLimitError", 2.0), (1, "APIConnectionError", 1.0)]


def test_run_gives_up_after_total_retries_with_attempts_listed() -> None:
    slept: List[float] = []
    errors = [InternalServerError("boom %d" % i, "anthropic", "claude") for i in range(5)]
    script = Script(*errors)
    with pytest.raises(InternalServerError) as info:
        Retry(total=3, jitter=0.0, backoff_factor=0.1).run(script, sleep=slept.append)
    assert info.value is errors[3]  # the last error raised, not a wrapper
    assert script.calls == [0, 1, 2, 3]
    assert slept == pytest.approx([0.1, 0.2, 0.4])
    assert len(info.value.attempts) == 4
    assert info.value.attempts[0].startswith("attempt 1: InternalServerError 500: ")
    assert "boom 3" in info.value.attempts[3]
    assert all(len(line) < 200 for line in info.value.attempts)


def test_non_retryable_error_is_raised_at_once() -> None:
    slept: List[float] = []
    script = Script(AuthenticationError("bad key"), RateLimitError("never reached"))
    with pytest.raises(AuthenticationError) as info:
        Retry(total=5).run(script, sleep=slept.append)
    assert script.calls == [0] and slept == []
    assert info.value.attempts == ["attempt 1: AuthenticationError 401: bad key"]


def test_unexpected_exception_is_not_retried_and_keyboard_interrupt_passes() -> None:
    script = Script(ValueError("bug"))
    with pytest.raises(ValueError) as info:
        Retry().run(script, sleep=lambda s: None)
    assert script.calls == [0]
    assert info.value.attempts == ["attempt 1: ValueError: bug"]  # type: ignore[attr-defined]
    script = Script(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        Retry().run(script, sleep=lambda s: None)
    assert script.calls == [0]


def test_total_zero_means_one_attempt() -> None:
    script = Script(APIConnectionError("down"))
    with pytest.raises(APIConnectionError) as info:
        Retry(total=0).run(script, sleep=lambda s: pytest.fail("must not sleep"))
    assert script.calls == [0] and len(info.value.attempts) == 1


def test_long_messages_are_shortened_in_attempts() -> None:
    script = Script(APIConnectionError("x" * 1000))
    with pytest.raises(APIConnectionError) as info:
        Retry(total=0).run(script)
    assert info.value.attempts[0].endswith("...") and len(info.value.attempts[0]) < 200


def test_jittered_delays_in_run_stay_in_bounds() -> None:
    slept: List[float] = []
    script = Script(*[APIConnectionError("down") for _ in range(4)])
    Retry(total=4, backoff_factor=1.0, backoff_max=3.0, jitter=0.5).run(script, sleep=slept.append)
    bounds = [(0.5, 1.0), (1.0, 2.0), (1.5, 3.0), (1.5, 3.0)]
    assert len(slept) == 4
    for value, (low, high) in zip(slept, bounds):
        assert low <= value <= high


# ---------------------------------------------------------------------------------------------
# Over real loopback HTTP


def _attempt(url: str, provider: str = "openai", model: str = "m") -> Callable[[int], bytes]:
    def attempt(n: int) -> bytes:
        with _http.send(
            WireRequest(url=url, headers={"Content-Type": "application/json"}, body=b"{}"),
            timeout=2.0,
            provider=provider,
            model=model,
        ) as resp:
            body = resp.read()
            if resp.status >= 400:
                raise error_for_status(
                    resp.status, body.decode(), provider, model, headers=resp.headers, body=body.decode()
                )
            return body

    return attempt


def test_loopback_429_with_retry_after_ms_then_success() -> None:
    slept: List[float] = []
    with LoopbackServer() as srv:
        srv.add(
            Reply(
                status=429, headers={"retry-after-ms": "10", "content-type": "application/json"}, body=b'{"error": {}}'
            ),
            Reply(status=503, headers={"retry-after": "0"}, body=b"{}"),
            Reply(status=200, body=b'{"ok": true}'),
        )
        result = Retry(total=2).run(_attempt(srv.url + "/v1/chat/completions"), sleep=slept.append)
        assert result == b'{"ok": true}'
        assert len(srv.requests) == 3
    assert slept == [0.01]  # the 503's "retry-after: 0" means no wait at all


def test_loopback_400_not_retried() -> None:
    with LoopbackServer() as srv:
        srv.add(Reply(status=400, body=b'{"error": {"message": "bad"}}'))
        with pytest.raises(BadRequestError) as info:
            Retry(total=3).run(_attempt(srv.url), sleep=lambda s: None)
        assert len(srv.requests) == 1
        assert len(info.value.attempts) == 1


def test_loopback_connection_refused_retried_then_raised() -> None:
    slept: List[float] = []
    with pytest.raises(APIConnectionError) as info:
        Retry(total=2, jitter=0.0).run(_attempt("http://127.0.0.1:%d/" % closed_port()), sleep=slept.append)
    assert slept == [0.5, 1.0]
    assert len(info.value.attempts) == 3
    assert all("refused" in line for line in info.value.attempts)
    assert isinstance(info.value, APIError)
