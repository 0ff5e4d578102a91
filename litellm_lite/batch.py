"""Calls built on :func:`completion`: many prompts or many models at once, and whole-call retries.

::

    results = litellm.batch_completion(
        model="openai/gpt-4o-mini",
        messages=[[{"role": "user", "content": "Hi"}], [{"role": "user", "content": "Bye"}]],
        max_workers=8,
    )
    fastest = litellm.batch_completion_models(models=["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"],
                                              messages=[{"role": "user", "content": "Hi"}])

``batch_completion`` results come back in the order of the prompts. As in LiteLLM, a prompt whose
call failed gets the exception object in its place instead of a response (check with
``isinstance(r, Exception)``), so one failure does not lose the other answers; the same holds for
``batch_completion_models_all_responses`` per model. ``batch_completion_models`` returns the
first answer that arrives; when every model failed it raises (LiteLLM returns None), with every
model's error listed as a fallback chain's final error is. Every call is an ordinary
:func:`completion` with the given keyword arguments (retries, fallbacks, callbacks apply to each).
"""

from __future__ import annotations

import logging
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from .exceptions import BadRequestError

__all__ = [
    "batch_completion",
    "batch_completion_models",
    "batch_completion_models_all_responses",
    "completion_with_retries",
]

logger = logging.getLogger("litellm_lite")

_RETRY_STRATEGIES = ("constant_retry", "exponential_backoff_retry")


def _completion() -> Any:
    from .main import completion

    return completion


def batch_completion(
    model: str,
    messages: Optional[Sequence[List[Dict[str, Any]]]] = None,
    max_workers: int = 8,
    *,
    messages_list: Optional[Sequence[List[Dict[str, Any]]]] = None,
    **kwargs: Any,
) -> List[Any]:
    """One ``completion(model, messages=m, **kwargs)`` per ``m`` in ``messages`` (alias ``messages_list``).

    Returns a list of the same length: a ModelResponse (or stream) per prompt, or the exception it raised.
    """
    prompts = messages if messages is not None else messages_list
    if prompts is None or isinstance(prompts, (str, bytes, dict)) or not isinstance(prompts, Sequence):
        raise BadRequestError("batch_completion needs messages: a list of message lists", "", str(model))
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise BadRequestError("max_workers must be a positive integer", "", str(model))
    if not prompts:
        return []
    completion = _completion()

    def one(conversation: List[Dict[str, Any]]) -> Any:
        try:
            return completion(model=model, messages=conversation, **kwargs)
        except Exception as exc:  # noqa: BLE001 - returned in place, as LiteLLM does
            return exc

    with ThreadPoolExecutor(max_workers=min(max_workers, len(prompts)), thread_name_prefix="litellm-lite-batch") as pool:
        return list(pool.map(one, list(prompts)))


def _targets(kwargs: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    """(label, per-call keyword overrides) for each model (``models=[...]``) or deployment (``deployments=[...]``)."""
    kwargs.pop("model", None)  # LiteLLM ignores a single model next to models=/deployments=
    models = kwargs.pop("models", None)
    deployments = kwargs.pop("deployments", None)
    if models is not None and deployments is not None:
        raise BadRequestError("pass models=[...] or deployments=[...], not both")
    if isinstance(models, str):
        models = [m.strip() for m in models.split(",") if m.strip()]
    if models is not None:
        if not isinstance(models, (list, tuple)) or not models or not all(isinstance(m, str) and m for m in models):
            raise BadRequestError("models must be a non-empty list of model names")
        return [(m, {"model": m}) for m in models]
    if deployments is not None:
        ok = isinstance(deployments, (list, tuple)) and deployments
        if not ok or not all(isinstance(d, Mapping) and isinstance(d.get("model"), str) for d in deployments):
            raise BadRequestError("deployments must be a non-empty list of dicts, each with a 'model'")
        return [(str(d["model"]), dict(d)) for d in deployments]
    raise BadRequestError("batch_completion_models needs models=[...] or deployments=[...]")


def batch_completion_models(*args: Any, **kwargs: Any) -> Any:
    """Send one request to several models at once; return the first answer that arrives.

    ``models=["openai/gpt-4o-mini", "anthropic/..."]`` (or a comma-separated string), or
    ``deployments=[{"model": ..., "api_base": ..., "api_key": ...}, ...]``; every other keyword goes
    to each :func:`completion`. Slower calls are not waited for. Raises the combined error of
    every model when none answered.
    """
    if args:
        raise BadRequestError("batch_completion_models takes keyword arguments only (models=..., messages=...)")
    targets = _targets(kwargs)
    completion = _completion()
    pool = ThreadPoolExecutor(max_workers=len(targets), thread_name_prefix="litellm-lite-models")
    futures: Dict[Future[Any], str] = {}
    try:
        for label, overrides in targets:
            futures[pool.submit(completion, **{**kwargs, **overrides})] = label
        failures: List[Tuple[str, BaseException]] = []
        pending: Set[Future[Any]] = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: list(futures).index(f)):
                error = future.exception()
                if error is None:
                    return future.result()
                failures.append((futures[future], error))
                logger.info("batch_completion_models: %s failed (%s)", futures[future], type(error).__name__)
    finally:
        pool.shutdown(wait=False)  # the slower calls finish in the background; nobody waits for them
    from .fallbacks import attempts_error

    raise attempts_error(failures, "batch_completion_models")


def batch_completion_models_all_responses(*args: Any, **kwargs: Any) -> List[Any]:
    """Send one request to several models at once; every model's answer, in the order of ``models``.

    A model whose call failed has its exception in its place (as :func:`batch_completion`).
    """
    if args:
        raise BadRequestError("batch_completion_models_all_responses takes keyword arguments only")
    targets = _targets(kwargs)
    completion = _completion()

    def one(overrides: Dict[str, Any]) -> Any:
        try:
            return completion(**{**kwargs, **overrides})
        except Exception as exc:  # noqa: BLE001 - returned in place
            return exc

    with ThreadPoolExecutor(max_workers=len(targets), thread_name_prefix="litellm-lite-models") as pool:
        return list(pool.map(one, [overrides for _, overrides in targets]))


def completion_with_retries(*args: Any, **kwargs: Any) -> Any:
    """LiteLLM's ``completion_with_retries``: :func:`completion` tried up to ``num_retries`` times (default 3).

    Unlike LiteLLM (which retries any exception, immediately with ``constant_retry``), only the
    errors our retry policy treats as transient are retried (429, 408, 409, 5xx, connection
    errors), with backoff and Retry-After; a bad request is raised at once. ``retry_strategy``
    is accepted (``constant_retry`` or ``exponential_backoff_retry``) for compatibility.
    """
    num_retries = kwargs.pop("num_retries", 3)
    strategy = kwargs.pop("retry_strategy", "constant_retry")
    original = kwargs.pop("original_function", None)
    if isinstance(num_retries, bool) or not isinstance(num_retries, int) or num_retries < 1:
        raise BadRequestError("num_retries must be a positive integer (the number of attempts)")
    if strategy not in _RETRY_STRATEGIES:
        raise BadRequestError("retry_strategy must be one of %s" % ", ".join(_RETRY_STRATEGIES))
    function = original if original is not None else _completion()
    if not callable(function):
        raise BadRequestError("original_function must be callable")
    return function(*args, num_retries=num_retries - 1, **kwargs)
