"""Router: one alias, several deployments; load balancing, cooldowns, rpm/tpm limits, fallbacks.

::

    from litellm_lite import Router

    router = Router(
        model_list=[
            {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "api_key": "..."}, "rpm": 500},
            {"model_name": "gpt", "litellm_params": {"model": "azure/gpt-4o", "api_base": "...", "api_key": "..."}},
            {"model_name": "claude", "litellm_params": {"model": "anthropic/claude-3-5-haiku-latest"}},
        ],
        routing_strategy="latency-based-routing",
        num_retries=2,
        fallbacks=[{"gpt": ["claude"]}],
    )
    response = router.completion(model="gpt", messages=[{"role": "user", "content": "Hi"}])

Behaviour (all state is per Router, guarded by one lock; a Router is safe to share between threads):

* Picking a deployment: among the alias's deployments that are neither cooling down nor over their
  rpm/tpm limit, by ``routing_strategy``: ``simple-shuffle`` (random, weighted by ``weight``, else
  ``rpm``, else ``tpm`` when given), ``least-busy`` (fewest calls in flight), ``latency-based-routing``
  (lowest moving average of call latency; untried deployments first; a failure counts as a slow
  call), ``usage-based-routing`` (fewest tokens used in the current minute). Ties are broken at random.
* Limits: ``rpm`` / ``tpm`` (on the model_list entry or inside ``litellm_params``) are counted in
  per-deployment one-minute windows (a window starts with its first request). A request counts when
  it is sent; tokens count when the response reports its usage. When no deployment of the alias is
  available, ``RouterRateLimitError`` (a ``RateLimitError``, status 429, ``Retry-After`` header set)
  is raised without calling anything.
* Cooldown (as LiteLLM): a deployment is taken out of rotation for ``cooldown_time`` seconds when it
  fails more than ``allowed_fails`` times within one minute. Failures that count: rate limits, 5xx,
  connection errors and timeouts, 401/403/404. Bad requests (400, 422 and their subclasses) do not.
* Retries: ``num_retries`` more attempts per alias on retryable errors (429, 5xx, connection,
  timeout), each on a freshly picked deployment (another one when possible), with the backoff of
  :class:`litellm_lite.retry.Retry`. Calls to a deployment are made with ``num_retries=0`` unless its
  ``litellm_params`` say otherwise: the Router owns the retry loop.
* Fallbacks: ``fallbacks=[{"alias": ["other-alias", ...]}]`` (``"*"`` matches every alias) are
  tried in order after the alias failed with a falling-back error (see :mod:`litellm_lite.fallbacks`);
  ``context_window_fallbacks`` (same shape) are tried first on ContextWindowExceededError. When all
  fail, the exception raised names each attempt and has ``.attempts``.
* Streams: the deployment is busy until ``completion`` returns the stream (the stream is then
  the caller's); latency is the time to open the stream.
* ``response._hidden_params["model_id"]`` names the deployment that answered, ``["model_group"]`` the alias.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import (
    TYPE_CHECKING, Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union, cast, overload,
)

if TYPE_CHECKING:  # pragma: no cover
    from .streaming import CustomStreamWrapper
    from .types import EmbeddingResponse, ModelResponse

from .exceptions import AuthenticationError, BadRequestError, ContextWindowExceededError, LiteLLMError, RateLimitError
from . import router_parity
from ._picklable import PicklesWithoutLock
from .fallbacks import attempts_error, should_fall_back
from .router_deployments import (
    EWMA_ALPHA,
    FAILURE_LATENCY_PENALTY_S,
    FAILURE_WINDOW_S,
    Deployment,
    choose,
    counts_as_failure as _counts_as_failure,
    tokens_of as _tokens_of,
)
from .router_health import HealthStatus, check_deployments, health_check

__all__ = ["Router", "HealthStatus", "RouterRateLimitError", "health_check", "ROUTING_STRATEGIES"]

logger = logging.getLogger("litellm_lite")

ROUTING_STRATEGIES = ("simple-shuffle", "least-busy", "latency-based-routing", "usage-based-routing")
_STRATEGY_ALIASES = {
    "simple_shuffle": "simple-shuffle",
    "shuffle": "simple-shuffle",
    "least_busy": "least-busy",
    "latency_based_routing": "latency-based-routing",
    "lowest-latency": "latency-based-routing",
    "usage_based_routing": "usage-based-routing",
    "usage-based-routing-v2": "usage-based-routing",
    "lowest-tpm": "usage-based-routing",
}


class RouterRateLimitError(RateLimitError):
    """Every deployment of the alias is cooling down or over its rpm/tpm limit; nothing was called."""


class Router(PicklesWithoutLock):
    """Routes ``completion`` / ``embedding`` calls for an alias over its deployments (see module doc)."""

    def __init__(
        self,
        model_list: Sequence[Mapping[str, Any]],
        routing_strategy: str = "simple-shuffle",
        num_retries: int = 0,
        fallbacks: Optional[Sequence[Mapping[str, Sequence[str]]]] = None,
        context_window_fallbacks: Optional[Sequence[Mapping[str, Sequence[str]]]] = None,
        allowed_fails: int = 3,
        cooldown_time: float = 60.0,
        timeout: Optional[float] = None,
        seed: Optional[int] = None,
        max_budget: Optional[float] = None,
        budget_duration: Optional[str] = None,
        **ignored: Any,
    ) -> None:
        if not isinstance(model_list, Sequence) or isinstance(model_list, (str, bytes)) or not model_list:
            raise BadRequestError("model_list must be a non-empty list of deployments", "", "")
        strategy = _STRATEGY_ALIASES.get(routing_strategy, routing_strategy)
        if strategy not in ROUTING_STRATEGIES:
            raise BadRequestError(
                "unknown routing_strategy %r; use one of %s" % (routing_strategy, ", ".join(ROUTING_STRATEGIES)),
                "",
                "",
            )
        if not isinstance(num_retries, int) or isinstance(num_retries, bool) or num_retries < 0:
            raise BadRequestError("num_retries must be a non-negative integer", "", "")
        if not isinstance(allowed_fails, int) or isinstance(allowed_fails, bool) or allowed_fails < 0:
            raise BadRequestError("allowed_fails must be a non-negative integer", "", "")
        model_list = router_parity.resolve_model_list(model_list)
        self._policies = router_parity.policies_from(dict(ignored), self._fallback_table)
        self.routing_strategy = strategy
        self.num_retries = num_retries
        self.allowed_fails = allowed_fails
        self.cooldown_time = float(cooldown_time)
        self.timeout = timeout
        self.fallbacks = self._fallback_table(fallbacks, "fallbacks")
        self.context_window_fallbacks = self._fallback_table(context_window_fallbacks, "context_window_fallbacks")
        self.model_list: List[Dict[str, Any]] = [dict(entry) for entry in model_list]
        self._deployments: List[Deployment] = [Deployment(entry, i) for i, entry in enumerate(model_list)]
        ids = [d.id for d in self._deployments]
        if len(set(ids)) != len(ids):
            raise BadRequestError("model_list has duplicate model_info ids", "", "")
        router_parity.describe_deployments(self._policies, self.model_list, ids)
        self._by_alias: Dict[str, List[Deployment]] = {}
        for d in self._deployments:
            self._by_alias.setdefault(d.alias, []).append(d)
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._clock: Callable[[], float] = time.monotonic
        self._sleep: Callable[[float], None] = time.sleep
        from .budget import owned_budgets  # max_budget (USD) for every call made through this Router

        self.budgets = owned_budgets(max_budget, budget_duration, "router")

    @classmethod
    def from_config(cls, path: str) -> "Router":
        """The Router of a LiteLLM ``config.yaml`` (or JSON/TOML) file's ``model_list`` and settings."""
        return router_parity.router_from_config(path)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **kwargs: Any) -> "Router":
        """A Router with one ``"<provider>/*"`` deployment per provider whose API key variable is set."""
        model_list = router_parity.env_model_list(environ)
        if not model_list:
            raise AuthenticationError("no provider API key is set in the environment (e.g. OPENAI_API_KEY)", "router", "")
        return cls(model_list=model_list, **kwargs)

    def serves(self, model: str) -> bool:
        """True when ``model`` is one of this Router's model names (or an alias or wildcard match)."""
        return router_parity.serves(self, model)
    # -- pickling (multiprocessing, spawn) --------------------------------------------------
    # -- configuration helpers -------------------------------------------------------------
    @staticmethod
    def _fallback_table(value: Any, what: str) -> Dict[str, List[str]]:
        table: Dict[str, List[str]] = {}
        if not value:
            return table
        if isinstance(value, Mapping):
            value = [value]
        for item in value:
            if not isinstance(item, Mapping):
                raise BadRequestError("%s must be a list of {alias: [other aliases]} dicts" % what, "", "")
            for alias, targets in item.items():
                if isinstance(targets, str):
                    targets = [targets]
                if not isinstance(targets, Sequence) or not all(isinstance(t, str) for t in targets):
                    raise BadRequestError("%s[%r] must be a list of aliases" % (what, alias), "", "")
                table.setdefault(str(alias), []).extend(targets)
        return table

    @property
    def model_names(self) -> List[str]:
        """The aliases this Router serves, in model_list order."""
        return list(self._by_alias)

    def get_model_list(self) -> List[Dict[str, Any]]:
        return [dict(entry) for entry in self.model_list]

    def deployment_stats(self) -> List[Dict[str, Any]]:
        """Counters per deployment (requests, successes, failures, tokens, in flight, latency, window)."""
        with self._lock:
            return [d.stats() for d in self._deployments]

    def cooldown_deployments(self) -> List[str]:
        """Ids of the deployments cooling down right now."""
        with self._lock:
            now = self._clock()
            return [d.id for d in self._deployments if d.cooldown_until > now]

    def reset(self) -> None:
        """Forget every counter, latency and cooldown."""
        with self._lock:
            for d in self._deployments:
                d.failures.clear()
                d.cooldown_until = 0.0
                d.latency = None
                d.window_start = None
                d.window_requests = d.window_tokens = 0

    # -- picking ---------------------------------------------------------------------------
    def _deployments_for(self, alias: str) -> List[Deployment]:
        found = self._by_alias.get(alias) or router_parity.wildcard_deployments(self, alias)
        if not found:
            raise BadRequestError(
                "no deployment for model %r in this Router; known model_names: %s"
                % (alias, ", ".join(sorted(self._by_alias))),
                "",
                alias,
            )
        return found

    def _acquire(self, alias: str, avoid: "set[str]", request: Optional[Mapping[str, Any]] = None) -> Deployment:
        """Pick a deployment and count the request against it (atomically)."""
        deployments = router_parity.eligible(self, alias, self._deployments_for(alias), request)
        with self._lock:
            now = self._clock()
            available: List[Deployment] = []
            cooling = limited = 0
            wait: List[float] = []
            for d in deployments:
                d.roll_window(now)
                if d.cooldown_until > now:
                    cooling += 1
                    wait.append(d.cooldown_until - now)
                elif d.over_limit():
                    limited += 1
                    wait.append(d.limit_reset_in(now))
                else:
                    available.append(d)
            if not available:
                retry_after = max(1, int(min(wait) + 0.999)) if wait else 1
                raise RouterRateLimitError(
                    "no deployment available for model %r: %d cooling down, %d over their rpm/tpm limit"
                    % (alias, cooling, limited),
                    "router",
                    alias,
                    headers={"retry-after": str(retry_after)},
                )
            preferred = router_parity.lowest_order(self, [d for d in available if d.id not in avoid] or available)
            chosen = choose(self.routing_strategy, self._random, preferred)
            if chosen.window_start is None:
                chosen.window_start = now
            chosen.window_requests += 1
            chosen.requests += 1
            chosen.in_flight += 1
            return chosen

    def _release(self, d: Deployment, elapsed: float, response: Any = None, error: Optional[BaseException] = None) -> None:
        with self._lock:
            d.in_flight = max(0, d.in_flight - 1)
            if error is None:
                d.successes += 1
                tokens = _tokens_of(response)
                d.tokens += tokens
                if tokens and d.window_start is None:
                    # The call began in a window that has rolled over since: its tokens open a new
                    # window (else they would sit in a window that never expires).
                    d.window_start = self._clock()
                d.window_tokens += tokens
                sample = elapsed
            else:
                d.failed += 1
                sample = elapsed + FAILURE_LATENCY_PENALTY_S
                if _counts_as_failure(error) or router_parity.counts_under_policy(self, error):
                    self._record_failure(d, error)
            if error is None or _counts_as_failure(error):
                d.latency = sample if d.latency is None else (1 - EWMA_ALPHA) * d.latency + EWMA_ALPHA * sample

    def _record_failure(self, d: Deployment, error: Optional[BaseException] = None) -> None:
        now = self._clock()
        allowed = router_parity.allowed_fails(self, error)
        d.failures.append(now)
        while d.failures and now - d.failures[0] > FAILURE_WINDOW_S:
            d.failures.popleft()
        if len(d.failures) > allowed:
            d.cooldown_until = now + self.cooldown_time
            d.failures.clear()
            logger.warning(
                "Router: deployment %s (%s) cooling down for %.0fs after %d failures within a minute",
                d.id,
                d.model,
                self.cooldown_time,
                allowed + 1,
            )

    # -- calling ---------------------------------------------------------------------------
    def _call_kwargs(self, d: Deployment, kwargs: Mapping[str, Any]) -> Dict[str, Any]:
        from .fallbacks import provider_credentials

        call = dict(d.params)
        # Keys stay with their deployment: a deployment's own key/endpoint/credential keywords are
        # never replaced by the caller's, and a deployment that names any of its own gets none of
        # the caller's (a key given for one provider is never sent to another).
        own = provider_credentials(d.params)
        for key, value in kwargs.items():
            if key == "model" or (key in provider_credentials({key: value}) and (own or key in call)):
                continue
            call[key] = value
        call["model"] = d.model
        if call.get("timeout") is None and self.timeout is not None:
            call["timeout"] = self.timeout
        if call.get("num_retries") is None:
            call["num_retries"] = 0
        metadata = dict(call.get("metadata") or {})
        metadata.setdefault("model_group", d.alias)
        metadata.setdefault("model_id", d.id)
        metadata.setdefault("deployment", d.model)
        call["metadata"] = metadata
        if self.budgets:
            call["litellm_budgets"] = list(call.get("litellm_budgets") or ()) + self.budgets
        return call

    def _call_once(self, call_type: str, alias: str, kwargs: Mapping[str, Any], avoid: "set[str]") -> Any:
        from . import main

        d = self._acquire(alias, avoid, kwargs)
        avoid.add(d.id)
        call = self._call_kwargs(d, kwargs)
        call["model"] = router_parity.wildcard_model(d, alias)
        router_parity.strip_routing_keywords(call)
        if call_type == "embedding":
            call.pop("metadata", None)
        fn = main.embedding if call_type == "embedding" else main.completion
        start = self._clock()
        try:
            response = fn(**call)
        except BaseException as exc:
            self._release(d, self._clock() - start, error=exc)
            raise
        self._release(d, self._clock() - start, response=response)
        hidden = getattr(response, "_hidden_params", None)
        if isinstance(hidden, dict):
            hidden["model_id"] = d.id
            hidden["model_group"] = d.alias
            hidden.setdefault("api_base", d.api_base)
        return response

    def _has_alternative(self, alias: str, avoid: "set[str]") -> bool:
        """True when a deployment of ``alias`` not tried yet is available right now."""
        with self._lock:
            now = self._clock()
            for d in self._by_alias.get(alias, []):
                d.roll_window(now)
                if d.id not in avoid and d.cooldown_until <= now and not d.over_limit():
                    return True
        return False

    def _call_alias(self, call_type: str, alias: str, kwargs: Mapping[str, Any]) -> Any:
        """One alias with the Router's retries; each retry picks again (another deployment if possible).

        The wait between attempts is the Retry policy's (backoff, Retry-After), skipped when an
        untried deployment is available (as LiteLLM's Router does).
        """
        avoid: "set[str]" = set()
        retries = kwargs.get("num_retries")
        if retries is None:
            retries = self.num_retries
        plain = {k: v for k, v in kwargs.items() if k != "num_retries"}
        if self._policies.retry_policy:
            return router_parity.call_with_retry_policy(self, call_type, alias, plain, retries)
        if retries <= 0:
            return self._call_once(call_type, alias, plain, avoid)
        from .retry import Retry

        policy = Retry(total=retries)

        def attempt(number: int) -> Any:
            try:
                return self._call_once(call_type, alias, plain, avoid)
            except RouterRateLimitError as exc:
                raise _NoRetry(exc) from None

        def on_retry(number: int, error: BaseException, delay: float) -> None:
            logger.info("Router: retrying %r after %s (attempt %d)", alias, type(error).__name__, number + 1)

        def wait(seconds: float) -> None:
            if not self._has_alternative(alias, avoid):
                self._sleep(seconds)

        try:
            return policy.run(attempt, on_retry=on_retry, sleep=wait)
        except _NoRetry as wrapped:
            raise wrapped.error from None

    def _route(self, call_type: str, alias: str, kwargs: Dict[str, Any]) -> Any:
        if not isinstance(alias, str) or not alias:
            raise BadRequestError("model (a model_name of this Router) is required", "router", "")
        alias = router_parity.resolve_alias(self, alias)
        self._deployments_for(alias)
        chain: List[str] = [alias]
        failures: List[Tuple[str, BaseException]] = []
        index = 0
        while index < len(chain):
            current = chain[index]
            index += 1
            try:
                return self._call_alias(call_type, current, kwargs)
            except LiteLLMError as exc:
                failures.append((current, exc))
                if not should_fall_back(exc) and not router_parity.falls_back(self, exc, current):
                    break
                extra: List[str] = []
                if isinstance(exc, ContextWindowExceededError):
                    extra += self._targets(self.context_window_fallbacks, current)
                if should_fall_back(exc) and (current == alias or isinstance(exc, ContextWindowExceededError)):
                    extra += self._targets(self.fallbacks, current)
                extra += router_parity.more_fallbacks(self, exc, current, current == alias, extra)
                for target in extra:
                    if target not in chain and target in self._by_alias:
                        chain.append(target)
                if index < len(chain):
                    logger.info("Router: %r failed with %s; falling back to %r", current, type(exc).__name__, chain[index])
        last = failures[-1][1]
        if len(failures) == 1:
            raise last
        raise attempts_error(failures, "router") from last

    @staticmethod
    def _targets(table: Mapping[str, List[str]], alias: str) -> List[str]:
        return list(table.get(alias) or table.get("*") or [])

    # -- public API ------------------------------------------------------------------------
    @overload
    def completion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                   stream: Literal[False] = ..., **kwargs: Any) -> "ModelResponse": ...

    @overload
    def completion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                   stream: Literal[True], **kwargs: Any) -> "CustomStreamWrapper": ...

    @overload
    def completion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                   stream: bool, **kwargs: Any) -> "Union[ModelResponse, CustomStreamWrapper]": ...

    def completion(self, model: str, messages: Optional[List[Dict[str, Any]]] = None, **kwargs: Any
                   ) -> "Union[ModelResponse, CustomStreamWrapper]":
        """``completion()`` on a deployment of alias ``model`` (ModelResponse or a stream)."""
        kwargs["messages"] = messages
        return cast("Union[ModelResponse, CustomStreamWrapper]", self._route("completion", model, kwargs))

    def embedding(self, model: str, input: Any = None, **kwargs: Any) -> "EmbeddingResponse":
        """``embedding()`` on a deployment of alias ``model``."""
        kwargs["input"] = input
        return cast("EmbeddingResponse", self._route("embedding", model, kwargs))

    @overload
    async def acompletion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                          stream: Literal[False] = ..., **kwargs: Any) -> "ModelResponse": ...

    @overload
    async def acompletion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                          stream: Literal[True], **kwargs: Any) -> "CustomStreamWrapper": ...

    @overload
    async def acompletion(self, model: str, messages: Optional[List[Dict[str, Any]]] = ..., *,
                          stream: bool, **kwargs: Any) -> "Union[ModelResponse, CustomStreamWrapper]": ...

    async def acompletion(self, model: str, messages: Optional[List[Dict[str, Any]]] = None, **kwargs: Any
                          ) -> "Union[ModelResponse, CustomStreamWrapper]":
        """:meth:`completion` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.completion, model, messages, **kwargs)

    async def aembedding(self, model: str, input: Any = None, **kwargs: Any) -> "EmbeddingResponse":
        """:meth:`embedding` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.embedding, model, input, **kwargs)

    def health_check(self, model: Optional[str] = None, max_workers: int = 8) -> Dict[str, List[HealthStatus]]:
        """Check every deployment (or those of alias ``model``) with a tiny call, concurrently.

        Returns ``{alias: [HealthStatus, ...]}`` in model_list order. Checks do not count against
        rpm/tpm limits and do not change cooldowns.
        """
        targets = self._deployments_for(model) if model is not None else list(self._deployments)
        return check_deployments(targets, self.timeout, max_workers)


class _NoRetry(Exception):
    """Carries an error the retry policy must not retry (the Router's own 'nothing available')."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error
