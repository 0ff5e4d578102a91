"""Retry policy: which failures are worth another attempt, and how long to wait before it.

This is the only module of the package that sleeps. :meth:`Retry.run` calls an attempt function
until it succeeds or the attempts run out::

    policy = Retry(total=config.num_retries)
    response = policy.run(lambda attempt: send_and_check(attempt))

Retried: connection failures and timeouts (``APIConnectionError``, ``Timeout``) and responses whose
status is in ``statuses`` (408, 409, 429, 500, 502, 503, 504, 529 by default). 409 is included as
the OpenAI and Anthropic SDKs do (lock/ordering conflicts on their side that clear on retry).
A response header ``x-should-retry: true|false`` (sent by OpenAI and Anthropic) overrides the
status rule. The wait honours ``retry-after-ms`` and ``Retry-After`` (seconds or an HTTP date),
capped at ``max_retry_after`` (by default the module setting ``litellm_lite.max_retry_delay``,
60 seconds); otherwise it is ``backoff_factor * 2**attempt`` capped at ``backoff_max``, minus
up to ``jitter`` of itself at random.

With a ``deadline`` (the call's ``call_timeout``), no wait runs past it: when the next attempt
could not start before the deadline, the last error is raised at once instead of sleeping.

The caller decides what an attempt is; a stream must not be retried once a byte of it was handed
to the user, so only the request and the status check belong inside ``attempt_fn``.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .exceptions import APIConnectionError, APIError, BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Callable, FrozenSet, List, Mapping, Optional, TypeVar

    T = TypeVar("T")

__all__ = ["Retry", "parse_retry_after", "DEFAULT_RETRY_STATUSES", "DEFAULT"]


DEFAULT_RETRY_STATUSES: FrozenSet[int] = frozenset({408, 409, 429, 500, 502, 503, 504, 529})


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    """Case-insensitive header lookup (lower-case names are tried first, as our transport keeps them)."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, val in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return val
    return None


def _seconds(text: str) -> Optional[float]:
    try:
        value = float(text.strip())
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or math.isinf(value) or value < 0:
        return None
    return value


def parse_retry_after(headers: Optional[Mapping[str, str]], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait as the server asked: ``retry-after-ms``, else ``Retry-After`` (seconds or an
    HTTP date; a date in the past gives 0). None when absent or unparseable."""
    if not headers:
        return None
    millis = _header(headers, "retry-after-ms")
    if millis is not None:
        value = _seconds(str(millis))
        if value is not None:
            return value / 1000.0
    raw = _header(headers, "retry-after")
    if raw is None:
        return None
    raw = str(raw)
    value = _seconds(raw)
    if value is not None:
        return value
    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:  # Python 3.8/3.9 return None for some malformed dates
        return None
    if when.tzinfo is None:  # "-0000" dates: treat as UTC
        from datetime import timezone

        when = when.replace(tzinfo=timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _summary(number: int, error: BaseException) -> str:
    """One short line for ``error.attempts``."""
    name = type(error).__name__
    status = getattr(error, "status_code", None)
    message = str(getattr(error, "message", None) or error).replace("\n", " ")
    if len(message) > 120:
        message = message[:117] + "..."
    if isinstance(error, APIError) and status is not None and not isinstance(error, APIConnectionError):
        return "attempt %d: %s %s: %s" % (number, name, status, message)
    return "attempt %d: %s: %s" % (number, name, message)


@dataclass(frozen=True)
class Retry:
    """How many times to retry and how long to wait between attempts (immutable, shareable)."""

    total: int = 2
    backoff_factor: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.25
    statuses: FrozenSet[int] = DEFAULT_RETRY_STATUSES
    respect_retry_after: bool = True
    #: Cap on a server-requested wait; None: the ``max_retry_delay`` setting, read at each retry.
    max_retry_after: Optional[float] = None

    def __post_init__(self) -> None:
        if not isinstance(self.total, int) or isinstance(self.total, bool) or self.total < 0:
            raise BadRequestError("Retry.total (num_retries) must be a non-negative integer, got %r" % (self.total,))
        for name in ("backoff_factor", "backoff_max", "max_retry_after"):
            value = getattr(self, name)
            if value is None and name == "max_retry_after":
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value >= 0:
                raise BadRequestError("Retry.%s must be a non-negative number, got %r" % (name, value))
        if not isinstance(self.jitter, (int, float)) or not 0 <= self.jitter <= 1:
            raise BadRequestError("Retry.jitter must be a fraction between 0 and 1, got %r" % (self.jitter,))
        if not isinstance(self.statuses, frozenset):
            object.__setattr__(self, "statuses", frozenset(self.statuses))

    def backoff(self, attempt: int) -> float:
        """Exponential backoff after failed attempt number ``attempt`` (0-based), before jitter."""
        try:
            base = self.backoff_factor * (2.0 ** max(0, attempt))
        except OverflowError:
            base = float("inf")
        return float(min(self.backoff_max, base))

    def delay(self, attempt: int, headers: Optional[Mapping[str, str]] = None) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based), given that response's headers.

        The server's ``retry-after-ms`` / ``Retry-After`` wins (capped at ``max_retry_after``);
        otherwise exponential backoff with up to ``jitter`` of it taken off at random.
        """
        if self.respect_retry_after and headers:
            asked = parse_retry_after(headers)
            if asked is not None:
                return float(min(asked, self.retry_after_cap()))
        base = self.backoff(attempt)
        return base * (1.0 - self.jitter * random.random())

    def retry_after_cap(self) -> float:
        """``max_retry_after``, or else the ``max_retry_delay`` module setting (60 s by default)."""
        if self.max_retry_after is not None:
            return float(self.max_retry_after)
        from .config import setting  # imported late: config imports the provider table

        value = setting("max_retry_delay")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
        return 60.0

    def is_retryable(self, error: BaseException) -> bool:
        """Connection failures and timeouts always; API errors when their status is in ``statuses``
        (or the server said ``x-should-retry: true``); anything else never."""
        if isinstance(error, APIConnectionError):
            return True
        if not isinstance(error, APIError):
            return False
        should = _header(error.headers, "x-should-retry") if error.headers else None
        if should is not None:
            flag = str(should).strip().lower()
            if flag == "true":
                return True
            if flag == "false":
                return False
        return error.status_code in self.statuses

    def run(
        self,
        attempt_fn: Callable[[int], T],
        *,
        on_retry: Optional[Callable[[int, BaseException, float], None]] = None,
        sleep: Callable[[float], None] = time.sleep,
        deadline: Optional[float] = None,
    ) -> T:
        """Call ``attempt_fn(attempt)`` (attempt = 0, 1, ...) until it returns or may not be retried.

        Before each retry ``on_retry(attempt, error, delay)`` is called (attempt = the one that
        failed), then ``sleep(delay)``. The error finally raised is the last one, with
        ``error.attempts`` listing one short line per failed attempt. With ``deadline`` (a
        ``time.monotonic()`` instant) a retry whose wait would reach it is not made.
        """
        attempts: List[str] = []
        attempt = 0
        while True:
            try:
                return attempt_fn(attempt)
            except Exception as error:
                attempts.append(_summary(attempt + 1, error))
                wait = 0.0
                last = attempt >= self.total or not self.is_retryable(error)
                if not last:
                    headers = error.headers if isinstance(error, APIError) else None
                    wait = self.delay(attempt, headers)
                    last = deadline is not None and time.monotonic() + wait >= deadline
                if last:
                    try:
                        setattr(error, "attempts", list(attempts))  # noqa: B010 - any exception type
                    except AttributeError:  # pragma: no cover - exotic exception without __dict__
                        pass
                    raise
                if on_retry is not None:
                    on_retry(attempt, error, wait)
            if wait > 0:
                sleep(wait)
            attempt += 1


DEFAULT = Retry()
