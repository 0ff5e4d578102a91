"""The Router's deployments: one model_list entry with its live counters, and the routing strategies."""

from __future__ import annotations

import random
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, Optional

from .exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)

__all__ = ["Deployment", "choose", "counts_as_failure", "tokens_of", "ROUTING_KEYS"]

# Keys of a model_list entry's litellm_params that steer routing and are not sent to the provider.
ROUTING_KEYS = ("rpm", "tpm", "weight", "order", "max_parallel_requests", "model_info", "tags")
FAILURE_WINDOW_S = 60.0
LIMIT_WINDOW_S = 60.0
EWMA_ALPHA = 0.3
FAILURE_LATENCY_PENALTY_S = 5.0


def counts_as_failure(error: BaseException) -> bool:
    """Errors that say something about the deployment (not about the request)."""
    if isinstance(error, (RateLimitError, InternalServerError, APIConnectionError)):
        return True
    if isinstance(error, (AuthenticationError, PermissionDeniedError, NotFoundError)):
        return True
    if isinstance(error, BadRequestError):
        return False
    if isinstance(error, APIError):
        return error.status_code is not None and error.status_code >= 500
    return False


def tokens_of(response: Any) -> int:
    usage = getattr(response, "usage", None)
    if usage is None:
        return 0
    total = getattr(usage, "total_tokens", 0) or 0
    if not total:
        total = (getattr(usage, "prompt_tokens", 0) or 0) + (getattr(usage, "completion_tokens", 0) or 0)
    try:
        return max(0, int(total))
    except (TypeError, ValueError):
        return 0


def _positive_number(value: Any, what: str, alias: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise BadRequestError("%s must be a positive number, got %r (model_name %r)" % (what, value, alias), "", alias)
    return float(value)


class Deployment:
    """One entry of model_list and its live counters (mutated only under the Router's lock)."""

    def __init__(self, entry: Mapping[str, Any], index: int) -> None:
        alias = entry.get("model_name")
        params = entry.get("litellm_params")
        if not isinstance(alias, str) or not alias:
            raise BadRequestError("model_list[%d] needs a non-empty 'model_name'" % index, "", "")
        if not isinstance(params, Mapping) or not isinstance(params.get("model"), str) or not params.get("model"):
            raise BadRequestError(
                "model_list[%d] (%r) needs 'litellm_params' with a 'model'" % (index, alias), "", alias
            )
        info = entry.get("model_info") or params.get("model_info") or {}
        if not isinstance(info, Mapping):
            info = {}
        self.alias: str = alias
        self.id: str = str(info.get("id") or "%s-%d" % (alias, index))
        self.mode: Optional[str] = info.get("mode") if isinstance(info.get("mode"), str) else None
        self.rpm = _positive_number(entry.get("rpm", params.get("rpm")), "rpm", alias)
        self.tpm = _positive_number(entry.get("tpm", params.get("tpm")), "tpm", alias)
        self.weight = _positive_number(entry.get("weight", params.get("weight")), "weight", alias)
        self.params: Dict[str, Any] = {k: v for k, v in params.items() if k not in ROUTING_KEYS}
        self.model: str = str(self.params["model"])
        self.api_base: Optional[str] = self.params.get("api_base") or self.params.get("base_url")
        # live state
        self.in_flight = 0
        self.failures: Deque[float] = deque()
        self.cooldown_until = 0.0
        self.latency: Optional[float] = None
        self.window_start: Optional[float] = None
        self.window_requests = 0
        self.window_tokens = 0
        self.requests = 0
        self.successes = 0
        self.failed = 0
        self.tokens = 0

    def roll_window(self, now: float) -> None:
        if self.window_start is not None and now - self.window_start >= LIMIT_WINDOW_S:
            self.window_start = None
            self.window_requests = 0
            self.window_tokens = 0

    def over_limit(self) -> bool:
        if self.rpm is not None and self.window_requests >= self.rpm:
            return True
        if self.tpm is not None and self.window_tokens >= self.tpm:
            return True
        return False

    def limit_reset_in(self, now: float) -> float:
        if self.window_start is None:
            return 0.0
        return max(0.0, LIMIT_WINDOW_S - (now - self.window_start))

    def stats(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "model_name": self.alias,
            "model": self.model,
            "api_base": self.api_base,
            "requests": self.requests,
            "successes": self.successes,
            "failures": self.failed,
            "tokens": self.tokens,
            "in_flight": self.in_flight,
            "latency_s": self.latency,
            "window_requests": self.window_requests,
            "window_tokens": self.window_tokens,
            "cooldown_until": self.cooldown_until or None,
        }


def choose(strategy: str, rnd: random.Random, candidates: List[Deployment]) -> Deployment:
    """The deployment ``strategy`` picks among ``candidates`` (ties broken at random)."""
    if len(candidates) == 1:
        return candidates[0]
    if strategy == "simple-shuffle":
        weights = [d.weight for d in candidates]
        if all(w is None for w in weights):
            weights = [d.rpm for d in candidates]
        if all(w is None for w in weights):
            weights = [d.tpm for d in candidates]
        if all(w is not None for w in weights):
            return rnd.choices(candidates, weights=[float(w or 0.0) for w in weights], k=1)[0]
        return rnd.choice(candidates)

    def key(d: Deployment) -> float:
        if strategy == "least-busy":
            return float(d.in_flight)
        if strategy == "latency-based-routing":
            return -1.0 if d.latency is None else d.latency
        return float(d.window_tokens)  # usage-based-routing

    best = min(key(d) for d in candidates)
    return rnd.choice([d for d in candidates if key(d) == best])
