"""Health checks: one model (:func:`health_check`) or a Router's deployments, with latency and error."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .exceptions import redact
from .router_deployments import Deployment

__all__ = ["HealthStatus", "health_check", "check_deployments"]

_HEALTH_PROMPT = [{"role": "user", "content": "ping"}]


@dataclass(frozen=True)
class HealthStatus:
    """Result of one health check: a 1-token completion (or a 1-input embedding) against a model."""

    healthy: bool
    latency_ms: float
    error: Optional[str] = None
    model: str = ""
    api_base: Optional[str] = None
    model_id: Optional[str] = None


def health_check(
    model: str,
    *,
    mode: Optional[str] = None,
    messages: Optional[List[Dict[str, Any]]] = None,
    **kwargs: Any,
) -> HealthStatus:
    """Check that ``model`` answers: a 1-token completion (``mode="embedding"``: a 1-input embedding).

    Keyword arguments (``api_base``, ``api_key``, ``timeout``, ...) are passed to the call, which is
    made once (``num_retries=0`` unless given). Never raises for a failing model: the error class and
    message (redacted) are in ``HealthStatus.error``.
    """
    from . import main

    kwargs.setdefault("num_retries", 0)
    kwargs.setdefault("caching", False)  # a health check must reach the provider, never the cache
    api_base = kwargs.get("api_base") or kwargs.get("base_url")
    start = time.monotonic()
    try:
        if mode == "embedding":
            response: Any = main.embedding(model=model, input=["ping"], **kwargs)
        else:
            kwargs.setdefault("max_tokens", 1)
            kwargs.pop("stream", None)
            response = main.completion(model=model, messages=messages or list(_HEALTH_PROMPT), **kwargs)
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        latency = (time.monotonic() - start) * 1000.0
        return HealthStatus(
            healthy=False,
            latency_ms=latency,
            error=redact("%s: %s" % (type(exc).__name__, exc)),
            model=model,
            api_base=api_base,
        )
    latency = (time.monotonic() - start) * 1000.0
    hidden = getattr(response, "_hidden_params", None) or {}
    return HealthStatus(
        healthy=True, latency_ms=latency, error=None, model=model, api_base=api_base or hidden.get("api_base")
    )


def check_deployments(targets: List[Deployment], timeout: Optional[float], max_workers: int) -> Dict[str, List[HealthStatus]]:
    """Check ``targets`` with a tiny call each, concurrently: ``{alias: [HealthStatus, ...]}`` in their order.

    ``timeout`` applies to deployments that set none (30 s when None too); checks do not touch the
    Router's counters, limits or cooldowns.
    """

    def check(d: Deployment) -> HealthStatus:
        kwargs = {k: v for k, v in d.params.items() if k != "model"}
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = timeout if timeout is not None else 30.0
        kwargs["num_retries"] = 0
        status = health_check(d.model, mode=d.mode, **kwargs)
        return HealthStatus(
            healthy=status.healthy,
            latency_ms=status.latency_ms,
            error=status.error,
            model=d.model,
            api_base=status.api_base or d.api_base,
            model_id=d.id,
        )

    results: Dict[str, List[HealthStatus]] = {}
    if len(targets) == 1:
        statuses = [check(targets[0])]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(targets)))) as pool:
            statuses = list(pool.map(check, targets))
    for d, status in zip(targets, statuses):
        results.setdefault(d.alias, []).append(status)
    return results
