"""``acompletion`` / ``aembedding``: the synchronous calls, run in the event loop's default executor.

There is no separate asyncio HTTP stack: ``await acompletion(...)`` runs :func:`litellm_lite.completion`
in a worker thread of the running loop's default executor (``loop.run_in_executor(None, ...)``),
so the event loop is never blocked and every feature of the synchronous call (retries, fallbacks,
callbacks, keep-alive pool) applies unchanged. Context variables are copied into the worker.

With ``stream=True`` the awaited result is the same :class:`CustomStreamWrapper` as the synchronous
call returns; iterate it with ``async for`` (each chunk is read in the executor too)::

    response = await litellm.acompletion(model=..., messages=..., stream=True)
    async for chunk in response:
        print(chunk.choices[0].delta.content or "", end="")

Cancelling the awaiting task does not interrupt a request already running in its thread; the
request finishes (or times out per ``timeout``) in the background and its result is discarded.
Concurrency is bounded by the default executor's worker count (``min(32, cpu_count + 4)``); install
a bigger one with ``loop.set_default_executor(...)`` for many concurrent calls.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Optional, TypeVar, Union, cast, overload

if TYPE_CHECKING:  # pragma: no cover
    from .streaming import CustomStreamWrapper
    from .types import EmbeddingResponse, ModelResponse

__all__ = ["acompletion", "aembedding", "run_in_executor"]

T = TypeVar("T")


async def run_in_executor(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Await ``fn(*args, **kwargs)`` run in the running loop's default executor (context copied)."""
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    call = functools.partial(context.run, fn, *args, **kwargs)
    return await loop.run_in_executor(None, call)


@overload
async def acompletion(
    model: str, messages: Optional[List[Dict[str, Any]]] = ..., *, stream: Literal[False] = ..., **kwargs: Any
) -> "ModelResponse": ...


@overload
async def acompletion(
    model: str, messages: Optional[List[Dict[str, Any]]] = ..., *, stream: Literal[True], **kwargs: Any
) -> "CustomStreamWrapper": ...


@overload
async def acompletion(
    model: str, messages: Optional[List[Dict[str, Any]]] = ..., *, stream: bool, **kwargs: Any
) -> Union["ModelResponse", "CustomStreamWrapper"]: ...


async def acompletion(
    model: str, messages: Optional[List[Dict[str, Any]]] = None, *, stream: bool = False, **kwargs: Any
) -> Union["ModelResponse", "CustomStreamWrapper"]:
    """Async :func:`litellm_lite.completion`: same arguments, same result (ModelResponse or a stream)."""
    from .main import completion

    return await run_in_executor(cast(Callable[..., Union["ModelResponse", "CustomStreamWrapper"]], completion),
                                 model, messages, stream=stream, **kwargs)


async def aembedding(model: str, input: Any = None, **kwargs: Any) -> "EmbeddingResponse":
    """Async :func:`litellm_lite.embedding`: same arguments, same EmbeddingResponse."""
    from .main import embedding

    return await run_in_executor(embedding, model, input, **kwargs)
