"""``batch_completion``: many prompts to one model, concurrently, on a thread pool.

::

    results = litellm.batch_completion(
        model="openai/gpt-4o-mini",
        messages=[[{"role": "user", "content": "Hi"}], [{"role": "user", "content": "Bye"}]],
        max_workers=8,
    )

Results come back in the order of the prompts. As in LiteLLM, a prompt whose call failed gets the
exception object in its place instead of a response (check with ``isinstance(r, Exception)``), so
one failure does not lose the other answers. Every call is an ordinary :func:`completion` with
the given keyword arguments (retries, fallbacks, callbacks apply to each).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence

from .exceptions import BadRequestError

__all__ = ["batch_completion"]


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
    from . import main

    def one(conversation: List[Dict[str, Any]]) -> Any:
        try:
            return main.completion(model=model, messages=conversation, **kwargs)
        except Exception as exc:  # noqa: BLE001 - returned in place, as LiteLLM does
            return exc

    with ThreadPoolExecutor(max_workers=min(max_workers, len(prompts)), thread_name_prefix="litellm-lite-batch") as pool:
        return list(pool.map(one, list(prompts)))
