"""Budgets and spend, in process: ``litellm_lite.max_budget = 5.0`` and budgets per user, tag or client.

::

    import litellm_lite as litellm
    from litellm_lite import budget

    litellm.max_budget = 5.0                  # all calls of this process, in USD
    litellm.budget_duration = "30d"           # optional: the total resets every 30 days
    budget.set_budget(1.0, user="alice", duration="daily")
    budget.set_budget(2.0, tag="eval", duration="weekly")
    router_budget = budget.Budget(3.0, duration="1h")   # for one client / Router

Before a call the orchestrator calls :func:`check_budget`: once the spend of any budget that applies
has reached its limit, :class:`BudgetExceededError` is raised and nothing is sent. After a call it
calls :func:`record_spend` with the result (its ``_hidden_params["response_cost"]``). A result whose
model has no known price is counted as *unpriced* (one warning per model), never silently as $0; a
cache hit costs 0. :func:`spend` returns the totals by provider, model, user and tag.

Durations: ``"daily"``, ``"weekly"``, ``"monthly"`` (30 days), ``"yearly"`` (365 days), or a number
with a unit: ``"30s"``, ``"15m"``, ``"1h"``, ``"30d"``, ``"2w"``, ``"1mo"``; a plain number is seconds.
A budget's window starts when it is created and restarts every ``duration``.
"""

from __future__ import annotations

import math
import re
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import time

from ._package import package
from ._log import logger
from ._picklable import PicklesWithoutLock
from .exceptions import BadRequestError, LiteLLMError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

    Clock = Callable[[], float]
    Duration = Union[str, int, float, None]

__all__ = [
    "BudgetExceededError", "Budget", "parse_duration", "set_budget", "get_budget", "remove_budget", "check_budget",
    "record_spend", "spend", "has_scoped_budgets", "reset_spend", "current_cost", "call_cost", "budget_problems", "owned_budgets",
]


_NAMED = {"daily": 86400.0, "weekly": 7 * 86400.0, "monthly": 30 * 86400.0, "yearly": 365 * 86400.0, "hourly": 3600.0}
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 7 * 86400.0, "mo": 30 * 86400.0, "y": 365 * 86400.0}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mo|s|m|h|d|w|y)\s*$")


class BudgetExceededError(LiteLLMError):
    """Spend reached a budget: raised before the call, nothing was sent.

    ``current_cost`` and ``max_budget`` as in LiteLLM; ``scope`` names the budget (``"global"``,
    ``"user:alice"``, ``"tag:eval"`` or a client budget's name).
    """

    def __init__(self, current_cost: float, max_budget: float, message: Optional[str] = None, *, scope: str = "global") -> None:
        self.current_cost = current_cost
        self.max_budget = max_budget
        self.scope = scope
        self.message = message or "Budget has been exceeded! %s: current cost %.6f >= max budget %.6f" % (scope, current_cost, max_budget)
        super().__init__(self.message)

    def __reduce__(self) -> Any:
        return (_rebuild_error, (self.current_cost, self.max_budget, self.message, self.scope))


def _rebuild_error(current: float, limit: float, message: str, scope: str) -> BudgetExceededError:
    return BudgetExceededError(current, limit, message, scope=scope)


def parse_duration(value: Duration) -> Optional[float]:
    """Seconds in a budget duration (see the module docstring); None for no duration."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not value > 0 or math.isinf(value):
            raise BadRequestError("budget duration must be a positive number of seconds, got %r" % (value,))
        return float(value)
    if isinstance(value, str):
        named = _NAMED.get(value.strip().lower())
        if named is not None:
            return named
        match = _PATTERN.match(value.lower())
        if match and float(match.group(1)) > 0:
            return float(match.group(1)) * _UNITS[match.group(2)]
    raise BadRequestError("budget duration %r: use daily, weekly, monthly, yearly or e.g. '30s', '1h', '30d', '1mo'" % (value,))


def _amount(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or math.isinf(value):
        raise BadRequestError("%s must be a number of USD >= 0, got %r" % (name, value))
    return float(value)


class Budget(PicklesWithoutLock):
    """A spending limit in USD, optionally reset every ``duration``; thread-safe.

    Give one to a client or Router (``budgets=[b]`` at the orchestrator's check and record points),
    or let :func:`set_budget` keep one per user or tag.
    """

    def __init__(
        self, max_budget: float, duration: Duration = None, *, name: str = "budget", clock: Optional[Clock] = None, created_at: Optional[float] = None
    ) -> None:
        self.max_budget = _amount(max_budget, "max_budget")
        self.duration = parse_duration(duration)
        self.name = name
        self._clock: Clock = clock or time.time
        self.window_start = float(created_at) if created_at is not None else self._clock()
        self._spent = 0.0
        self._lock = _thread.allocate_lock()

    def _roll(self) -> None:
        if self.duration is None:
            return
        elapsed = self._clock() - self.window_start
        if elapsed >= self.duration:
            self.window_start += (elapsed // self.duration) * self.duration
            self._spent = 0.0

    @property
    def spent(self) -> float:
        """Spend in the current window."""
        with self._lock:
            self._roll()
            return self._spent

    @property
    def remaining(self) -> float:
        return max(0.0, self.max_budget - self.spent)

    @property
    def resets_at(self) -> Optional[float]:
        """When the current window ends (a ``clock()`` time), or None without a duration."""
        with self._lock:
            self._roll()
            return self.window_start + self.duration if self.duration is not None else None

    def check(self, projected: float = 0.0) -> None:
        """Raise BudgetExceededError when spend >= the budget, or spend + ``projected`` would exceed it."""
        with self._lock:
            self._roll()
            spent = self._spent
        if spent >= self.max_budget or (projected > 0 and spent + projected > self.max_budget):
            raise BudgetExceededError(spent, self.max_budget, scope=self.name)

    def record(self, cost: float) -> None:
        cost = _amount(cost, "cost")
        with self._lock:
            self._roll()
            self._spent += cost

    def reset(self) -> None:
        with self._lock:
            self._spent = 0.0
            self.window_start = self._clock()

    def __repr__(self) -> str:
        return "Budget(%r, max_budget=%r, spent=%r, duration=%r)" % (self.name, self.max_budget, self.spent, self.duration)


def budget_problems(max_budget: Any, duration: Any) -> List[str]:
    """What is wrong with a ``max_budget`` / ``budget_duration`` pair (empty when usable or unset)."""
    found: List[str] = []
    try:
        if max_budget is not None:
            _amount(max_budget, "max_budget")
    except BadRequestError as exc:
        found.append(getattr(exc, "message", None) or str(exc))
    try:
        parse_duration(duration)
    except BadRequestError as exc:
        found.append(getattr(exc, "message", None) or str(exc))
    return found


def owned_budgets(max_budget: Optional[float], duration: Duration, name: str) -> List[Budget]:
    """The budget list a Client or Router passes with each call (``litellm_budgets``); empty when unset."""
    return [] if max_budget is None else [Budget(max_budget, duration, name=name)]


class _Ledger:
    """Process-wide spend totals and the user/tag budgets."""

    def __init__(self) -> None:
        self.lock = _thread.RLock()
        self.clock: Clock = time.time
        self.users: Dict[str, Budget] = {}
        self.tags: Dict[str, Budget] = {}
        self.warned: Set[str] = set()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.total = 0.0
            self.calls = 0
            self.cache_hits = 0
            self.unpriced_calls = 0
            self.by: Dict[str, Dict[str, float]] = {"provider": {}, "model": {}, "user": {}, "tag": {}}
            self.unpriced: Dict[str, int] = {}
            self.window: Optional[Budget] = None
            self.window_duration: Optional[float] = None

    def global_window(self) -> Budget:
        """The spend that ``litellm_lite.max_budget`` is compared with (reset by ``budget_duration``)."""
        _flush()
        return self.window_as_is()

    def window_as_is(self) -> Budget:
        """:meth:`global_window` without first counting the calls still waiting in ``_pending``."""
        raw = getattr(package(), "budget_duration", None)
        if raw is None and self.window is not None and self.window_duration is None:
            return self.window  # the common case: no duration, nothing to parse or roll
        duration = parse_duration(raw)
        with self.lock:
            if self.window is None or duration != self.window_duration:
                # A new duration restarts the window but keeps what was spent in it.
                carried = self.total if self.window is None else self.window.spent
                self.window = Budget(0.0, duration, name="global", clock=self.clock)
                self.window.record(carried)
                self.window_duration = duration
            return self.window


_ledger = _Ledger()


def _names(tags: Optional[Iterable[str]]) -> List[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        return [tags]
    return [str(tag) for tag in tags]


def set_budget(max_budget: float, *, user: Optional[str] = None, tag: Optional[str] = None, duration: Duration = None) -> Budget:
    """Create (or replace) the budget of one ``user`` or one ``tag``; returns it."""
    if (user is None) == (tag is None):
        raise BadRequestError("set_budget: give exactly one of user=... or tag=...")
    scope = "user:%s" % user if user is not None else "tag:%s" % tag
    made = Budget(max_budget, duration, name=scope, clock=_ledger.clock)
    with _ledger.lock:
        if user is not None:
            _ledger.users[str(user)] = made
        else:
            _ledger.tags[str(tag)] = made
    return made


def get_budget(*, user: Optional[str] = None, tag: Optional[str] = None) -> Optional[Budget]:
    """The budget of a user or tag, or None."""
    with _ledger.lock:
        if user is not None:
            return _ledger.users.get(str(user))
        return _ledger.tags.get(str(tag)) if tag is not None else None


def remove_budget(*, user: Optional[str] = None, tag: Optional[str] = None) -> None:
    with _ledger.lock:
        if user is not None:
            _ledger.users.pop(str(user), None)
        if tag is not None:
            _ledger.tags.pop(str(tag), None)


def _applicable(user: Optional[str], tags: List[str], budgets: Sequence[Budget]) -> List[Budget]:
    found: List[Budget] = list(budgets)
    with _ledger.lock:
        if user is not None and str(user) in _ledger.users:
            found.append(_ledger.users[str(user)])
        found.extend(_ledger.tags[tag] for tag in tags if tag in _ledger.tags)
    return found


def has_scoped_budgets() -> bool:
    """True when some user or tag has a budget (:func:`set_budget`)."""
    return bool(_ledger.users or _ledger.tags)


def check_budget(
    *,
    user: Optional[str] = None,
    tags: Optional[Iterable[str]] = None,
    budgets: Sequence[Budget] = (),
    projected: float = 0.0,
    module: bool = True,
) -> None:
    """Raise BudgetExceededError (nothing sent) when any budget that applies to the call is used up.

    Applies: ``litellm_lite.max_budget`` (when set), the ``user``'s budget, each tag's budget and the
    given ``budgets`` (a client's or Router's). ``projected`` (USD, optional) also stops a call that
    would take a budget over its limit. ``module=False`` checks only ``budgets`` (a call made with
    ``use_module_settings=False``).
    """
    if not module:
        for budget in budgets:
            budget.check(projected)
        return
    limit = getattr(package(), "max_budget", None)
    if limit is not None:
        limit = _amount(limit, "litellm_lite.max_budget")
        spent = _ledger.global_window().spent
        if spent >= limit or (projected > 0 and spent + projected > limit):
            raise BudgetExceededError(spent, limit, scope="global")
    for budget in _applicable(user, _names(tags), budgets):
        budget.check(projected)


def call_cost(result: Any) -> Tuple[Optional[float], bool]:
    """``(cost, cache_hit)`` of a finished call's result from its ``_hidden_params``; cost None = unpriced."""
    hidden = getattr(result, "_hidden_params", None)
    if not isinstance(hidden, dict):
        return None, False
    if hidden.get("cache_hit"):
        return 0.0, True
    cost = hidden.get("response_cost")
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not cost >= 0 or math.isinf(cost):
        return None, False
    return float(cost), False


def record_spend(
    result: Any = None,
    *,
    cost: Optional[float] = None,
    provider: str = "",
    model: str = "",
    user: Optional[str] = None,
    tags: Optional[Iterable[str]] = None,
    budgets: Sequence[Budget] = (),
    cache_hit: bool = False,
) -> Optional[float]:
    """Add a finished call to the totals and to every budget that applies; returns the cost counted.

    The cost is ``cost`` when given, else read from ``result`` (:func:`call_cost`). None (unknown
    price) counts the call as unpriced, logging one warning per model.
    """
    if cost is None and result is not None:
        cost, cache_hit = call_cost(result)
    elif cost is not None:
        cost = _amount(cost, "cost")
    if cache_hit:
        cost = 0.0
    tag_names = _names(tags)
    ledger = _ledger
    if cost is not None and not budgets and not has_scoped_budgets() and getattr(package(), "budget_duration", None) is None:
        _pending.append((cost, provider, model, user, tag_names, cache_hit))  # counted by the next reader
        if len(_pending) >= _PENDING_LIMIT:
            _flush()
        return cost
    _flush()
    with ledger.lock:
        _count(ledger, cost, provider, model, user, tag_names, cache_hit)
        if cost is None:
            return None
    ledger.window_as_is().record(cost)
    if budgets or has_scoped_budgets():
        for budget in _applicable(user, tag_names, budgets):
            budget.record(cost)
    return cost


# Priced calls that no budget needs at once wait here, as (cost, provider, model, user, tags,
# cache_hit): one list append per call. Every reader (spend, current_cost, the budget checks) and
# every synchronous record counts them first; a full list is counted by the call that fills it.
_pending: List[Tuple[float, str, str, Optional[str], List[str], bool]] = []
_PENDING_LIMIT = 512


def _flush() -> None:
    """Count the calls waiting in ``_pending`` (in order) into the totals and the global window."""
    if not _pending:
        return
    ledger = _ledger
    with ledger.lock:
        items = _pending[:]
        del _pending[: len(items)]  # appends made meanwhile (other threads) stay for the next flush
        total = 0.0
        for cost, provider, model, user, tags, hit in items:
            _count(ledger, cost, provider, model, user, tags, hit)
            total += cost
        if items:
            ledger.window_as_is().record(total)


def _count(
    ledger: _Ledger, cost: Optional[float], provider: str, model: str, user: Optional[str], tag_names: List[str], cache_hit: bool
) -> None:
    """One finished call into the totals (the ledger's lock held); cost None: unpriced, warned once per model."""
    ledger.calls += 1
    if cache_hit:
        ledger.cache_hits += 1
    if cost is None:
        ledger.unpriced_calls += 1
        name = "%s/%s" % (provider, model) if provider else model
        ledger.unpriced[name] = ledger.unpriced.get(name, 0) + 1
        if name not in ledger.warned:
            ledger.warned.add(name)
            logger.warning("litellm_lite: no known price for %s; its calls are counted as unpriced in spend()", name)
        return
    ledger.total += cost
    by = ledger.by
    _add(by["provider"], provider, cost)
    _add(by["model"], model, cost)
    if user is not None:
        _add(by["user"], str(user), cost)
    for tag in tag_names:
        _add(by["tag"], tag, cost)


def _add(totals: Dict[str, float], name: str, cost: float) -> None:
    if name:
        totals[name] = totals.get(name, 0.0) + cost


def spend() -> Dict[str, Any]:
    """Totals since the process started (or :func:`reset_spend`).

    ``{"total": usd, "by_provider": {...}, "by_model": {...}, "by_user": {...}, "by_tag": {...},
    "calls": n, "cache_hits": n, "unpriced_calls": n, "unpriced_models": {model: calls}}``
    """
    _flush()
    with _ledger.lock:
        return {
            "total": _ledger.total,
            "by_provider": dict(_ledger.by["provider"]),
            "by_model": dict(_ledger.by["model"]),
            "by_user": dict(_ledger.by["user"]),
            "by_tag": dict(_ledger.by["tag"]),
            "calls": _ledger.calls,
            "cache_hits": _ledger.cache_hits,
            "unpriced_calls": _ledger.unpriced_calls,
            "unpriced_models": dict(_ledger.unpriced),
        }


def current_cost() -> float:
    """The spend compared with ``litellm_lite.max_budget`` (LiteLLM's ``litellm._current_cost``)."""
    return _ledger.global_window().spent


def reset_spend(*, budgets: bool = False, clock: Optional[Clock] = None) -> None:
    """Zero the totals (and with ``budgets=True`` forget the user/tag budgets). ``clock``: tests only."""
    with _ledger.lock:
        del _pending[:]
        _ledger.reset()
        _ledger.warned.clear()
        if clock is not None:
            _ledger.clock = clock
        if budgets:
            _ledger.users.clear()
            _ledger.tags.clear()
