"""Across process boundaries: every exception pickles whole; a Router pickles and works in a spawned worker."""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from typing import Any, Dict, List, Type

import pytest

from litellm_lite import exceptions
from litellm_lite.exceptions import APIError, LiteLLMError, RateLimitError
from litellm_lite.registry import ModelNotFoundError
from litellm_lite.router import Router, RouterRateLimitError
from tests.server import LoopbackServer, Reply


def _all_classes() -> List[Type[LiteLLMError]]:
    found: List[Type[LiteLLMError]] = []
    todo: List[Type[LiteLLMError]] = [LiteLLMError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


CLASSES = sorted({c for c in _all_classes() if c.__module__.startswith("litellm_lite")}, key=lambda c: c.__name__)


def _make(cls: Type[LiteLLMError]) -> LiteLLMError:
    extra: Dict[str, Any] = dict(headers={"retry-after": "2", "x-request-id": "r1"}, body='{"error": "x"}',
                                 code="rate_limit", error_type="requests")
    if cls.__name__ == "BudgetExceededError":  # LiteLLM's signature: (current_cost, max_budget, message=None)
        return cls(1.5, 1.0, scope="user:alice")  # type: ignore[call-arg]
    if not issubclass(cls, APIError):
        return cls("plain failure")
    if issubclass(cls, exceptions._StatusError):
        err: APIError = cls.__new__(cls)
        exceptions._StatusError.__init__(err, "it failed", "openai", "gpt-4o", status_code=418, **extra)  # type: ignore[arg-type]
    else:
        err = cls.__new__(cls)
        APIError.__init__(err, 418, "it failed", "openai", "gpt-4o", **extra)
    err.attempts = ["attempt 1: RateLimitError 429: slow", "attempt 2: Timeout: late"]
    return err


def test_every_class_is_covered() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {"APIError", "Timeout", "RateLimitError", "RouterRateLimitError", "ModelNotFoundError"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_exception_round_trip_keeps_every_field(cls: Type[LiteLLMError]) -> None:
    err = _make(cls)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is cls
    assert str(copy) == str(err)
    if isinstance(err, APIError):
        assert isinstance(copy, APIError)
        for name in ("status_code", "message", "llm_provider", "model", "headers", "body", "code", "type", "attempts"):
            assert getattr(copy, name) == getattr(err, name), name
        assert copy.status_code == 418 and copy.attempts == err.attempts and copy.headers["retry-after"] == "2"


def test_subclass_extra_attributes_survive() -> None:
    err = RouterRateLimitError("no deployment free", "", "alias")
    err.cooldown = 3.5  # type: ignore[attr-defined]
    copy = pickle.loads(pickle.dumps(err))
    assert isinstance(copy, RateLimitError) and copy.cooldown == 3.5  # type: ignore[attr-defined]
    nf = pickle.loads(pickle.dumps(ModelNotFoundError("unknown model x", "", "x")))
    assert isinstance(nf, ModelNotFoundError) and nf.status_code == 404


def _router(url: str) -> Router:
    return Router(model_list=[{"model_name": "chat", "litellm_params": {
        "model": "openai/gpt-4o", "api_base": url, "api_key": "sk-router-key-123456"}}], num_retries=0)


def test_router_pickles_with_a_fresh_lock(server: LoopbackServer) -> None:
    router = _router(server.url)
    copy = pickle.loads(pickle.dumps(router))
    assert copy._lock is not router._lock
    assert isinstance(copy._lock, type(threading.Lock()))
    assert copy.model_names == ["chat"]
    server.add(Reply.json(_ok("from a copy")))
    result = copy.completion(model="chat", messages=[{"role": "user", "content": "hi"}])
    assert result.choices[0].message.content == "from a copy"
    assert copy.deployment_stats()[0]["requests"] == 1 and router.deployment_stats()[0]["requests"] == 0


def _ok(text: str) -> Dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "model": "gpt-4o",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}


def worker_call(router: Router) -> str:
    """Runs in a spawned process: the pickled Router makes a real call to the loopback server."""
    result = router.completion(model="chat", messages=[{"role": "user", "content": "hi"}])
    return str(result.choices[0].message.content)


@pytest.mark.slow
def test_router_works_in_a_spawned_worker(server: LoopbackServer) -> None:
    server.add(Reply.json(_ok("from the worker")))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        assert pool.apply(worker_call, (_router(server.url),)) == "from the worker"
    assert server.requests[0].headers["authorization"] == "Bearer sk-router-key-123456"


def worker_raise() -> None:
    raise RateLimitError("too many", "openai", "gpt-4o", headers={"retry-after": "1"}, body="{}")


@pytest.mark.slow
def test_an_error_raised_in_a_worker_arrives_whole() -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        with pytest.raises(RateLimitError) as info:
            pool.apply(worker_raise)
    assert info.value.headers == {"retry-after": "1"} and info.value.llm_provider == "openai"
