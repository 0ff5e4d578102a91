"""The cache and budget checkpoints of one call: what the orchestrator calls before sending and after.

::

    guard = call_guard.before("completion", kwargs, provider=p, model=m, api_base=base, stream=stream)
    if guard.hit:                       # answered from the cache: send nothing
        return guard.cached()
    ...send...
    return guard.finish(result)         # or, for a stream: CustomStreamWrapper(..., **guard.stream_hooks(...))

``before`` validates ``cache=``/``caching=``, looks the call up in ``litellm_lite.cache`` and,
unless the cache answers, checks every budget that applies (``litellm_lite.max_budget``, the
``user``'s, each tag's in ``tags=`` or ``metadata["tags"]``, and ``budgets``): BudgetExceededError
is raised there, before anything is sent. A cache hit is served even when a budget is used up: it
costs nothing. ``finish`` stores the answer and records its spend.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from . import budget as _budget
from .caching import CacheLookup, EmbeddingLookup, before_call, before_embedding

__all__ = ["CallGuard", "EmbeddingGuard", "before", "before_embeddings", "pop_controls", "CONTROL_KWARGS"]

#: Keywords this module reads; the orchestrator never sends them to a provider.
CONTROL_KWARGS = frozenset({"cache", "caching", "tags"})


def pop_controls(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """Remove (and return) the keywords of :data:`CONTROL_KWARGS` from a call's ``kwargs``."""
    return {name: kwargs.pop(name) for name in CONTROL_KWARGS if name in kwargs}


def _scope(kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    user = kwargs.get("user")
    tags = kwargs.get("tags")
    metadata = kwargs.get("metadata")
    if tags is None and isinstance(metadata, Mapping):
        tags = metadata.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    return {"user": str(user) if user is not None else None, "tags": [str(t) for t in tags or []]}


class CallGuard:
    """One call's cache lookup and budget scope."""

    def __init__(self, lookup: CacheLookup, scope: Dict[str, Any], provider: str, model: str, budgets: Sequence[_budget.Budget]) -> None:
        self.lookup = lookup
        self.scope = scope
        self.provider = provider
        self.model = model
        self.budgets = list(budgets)

    @property
    def hit(self) -> bool:
        return self.lookup.hit

    def _record(self, result: Any) -> None:
        _budget.record_spend(result, provider=self.provider, model=self.model, budgets=self.budgets, **self.scope)

    def cached(self, on_complete: Optional[Callable[[Any], None]] = None) -> Any:
        """The cached answer (a replay stream for stream calls), counted as a 0-cost call."""
        _budget.record_spend(cost=0.0, cache_hit=True, provider=self.provider, model=self.model, budgets=self.budgets, **self.scope)
        return self.lookup.response(on_complete=on_complete)

    def finish(self, result: Any) -> Any:
        """After a non-streamed call: store the answer, record its spend; returns ``result``."""
        self.lookup.store(result)
        self._record(result)
        return result

    def stream_hooks(
        self,
        on_complete: Optional[Callable[[Any], None]] = None,
        on_chunk: Optional[Callable[[Any], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
    ) -> Dict[str, Any]:
        """Stream wrapper callbacks: the given ones, then store-when-complete and spend recording."""

        def complete(built: Any) -> None:
            if on_complete is not None:
                on_complete(built)  # computes response_cost
            self._record(built)

        return self.lookup.stream_hooks(on_complete=complete, on_chunk=on_chunk, on_error=on_error)


def before(
    call_type: str,
    kwargs: Mapping[str, Any],
    *,
    provider: str,
    model: str,
    api_base: Optional[str] = None,
    stream: bool = False,
    budgets: Sequence[_budget.Budget] = (),
    projected: float = 0.0,
) -> CallGuard:
    """Cache lookup, then (on a miss) the budget check; raises BudgetExceededError or BadRequestError."""
    lookup = before_call(call_type, kwargs, provider=provider, model=model, api_base=api_base, stream=stream)
    guard = CallGuard(lookup, _scope(kwargs), provider, model, budgets)
    if not lookup.hit:
        _budget.check_budget(budgets=budgets, projected=projected, **guard.scope)
    return guard


class EmbeddingGuard:
    """One embedding call's per-input cache split and budget scope."""

    def __init__(self, lookup: EmbeddingLookup, scope: Dict[str, Any], provider: str, model: str, budgets: Sequence[_budget.Budget]) -> None:
        self.lookup = lookup
        self.scope = scope
        self.provider = provider
        self.model = model
        self.budgets = list(budgets)

    @property
    def all_hit(self) -> bool:
        return self.lookup.all_hit

    @property
    def partial(self) -> bool:
        """True when some inputs are cached: send only :attr:`to_send`."""
        return bool(self.lookup.hits)

    def inputs_to_send(self, inputs: List[Any]) -> List[Any]:
        """What to send: ``inputs`` as given when nothing is cached, else only :attr:`to_send`."""
        return self.to_send if self.partial else inputs

    @property
    def to_send(self) -> List[Any]:
        """The inputs to send (those not cached), in order."""
        return self.lookup.missing_inputs

    def finish(self, sent: Any = None) -> Any:
        """The whole answer in input order (cached vectors merged with ``sent``'s); spend recorded."""
        result = self.lookup.merge(sent)
        if sent is None:
            _budget.record_spend(cost=0.0, cache_hit=True, provider=self.provider, model=self.model, budgets=self.budgets, **self.scope)
        else:
            _budget.record_spend(sent, provider=self.provider, model=self.model, budgets=self.budgets, **self.scope)
        return result


def before_embeddings(
    kwargs: Mapping[str, Any], *, provider: str, model: str, api_base: Optional[str] = None, budgets: Sequence[_budget.Budget] = ()
) -> EmbeddingGuard:
    """Split an embedding call into cached and to-send inputs; checks budgets when something is to send."""
    lookup = before_embedding(kwargs, provider=provider, model=model, api_base=api_base)
    guard = EmbeddingGuard(lookup, _scope(kwargs), provider, model, budgets)
    if not lookup.all_hit:
        _budget.check_budget(budgets=budgets, **guard.scope)
    return guard
