"""Router: configuration errors, failure accounting, windows on a fake clock, async, retries."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List

import pytest

from litellm_lite.exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Timeout,
)
from litellm_lite.router import Router, RouterRateLimitError, _counts_as_failure, _tokens_of
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, RecordedRequest, Reply


def _msg(text: str) -> List[Dict[str, Any]]:
    return [{"role": "user", "content": text}]


def _dep(alias: str, base: str, **extra: Any) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"model_name": alias,
                             "litellm_params": {"model": "openai/fake-model", "api_base": base, "api_key": "k"}}
    entry.update(extra)
    return entry


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture(scope="module")
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def _chat(tokens: int = 10, text: str = "ok") -> Reply:
    return Reply.json({"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                    "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": tokens // 2, "completion_tokens": tokens - tokens // 2,
                                 "total_tokens": tokens}})


def _error(status: int) -> Reply:
    return Reply.json({"error": {"message": "failure %d" % status, "type": "server_error"}}, status=status)


# ---------------------------------------------------------------------------------------------
# configuration


@pytest.mark.parametrize("kwargs,needle", [
    ({"num_retries": -1}, "num_retries"),
    ({"num_retries": True}, "num_retries"),
    ({"allowed_fails": 1.5}, "allowed_fails"),
    ({"fallbacks": ["m"]}, "list of {alias"),
    ({"fallbacks": [{"m": [1]}]}, "must be a list of aliases"),
])
def test_bad_router_arguments(kwargs: Dict[str, Any], needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        Router(model_list=[_dep("m", "http://127.0.0.1:9")], **kwargs)


@pytest.mark.parametrize("entry,needle", [
    ({"litellm_params": {"model": "openai/x"}}, "needs a non-empty 'model_name'"),
    ({"model_name": "m", "litellm_params": {"model": "openai/x"}, "rpm": 0}, "rpm must be a positive number"),
    ({"model_name": "m", "litellm_params": {"model": "openai/x", "tpm": "many"}}, "tpm must be a positive number"),
    ({"model_name": "m", "litellm_params": {"model": "openai/x"}, "weight": True}, "weight must be"),
])
def test_bad_model_list_entries(entry: Dict[str, Any], needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        Router(model_list=[entry])


def test_duplicate_ids_and_odd_model_info() -> None:
    with pytest.raises(BadRequestError, match="duplicate model_info ids"):
        Router(model_list=[_dep("m", "http://a", model_info={"id": "x"}), _dep("n", "http://b", model_info={"id": "x"})])
    router = Router(model_list=[_dep("m", "http://a", model_info="not a dict")], some_unknown_option=1)
    assert router.deployment_stats()[0]["id"] == "m-0"


def test_fallback_table_shapes_and_introspection() -> None:
    router = Router(model_list=[_dep("a", "http://a"), _dep("b", "http://b"), _dep("a", "http://c")],
                    fallbacks={"a": "b"})
    assert router.fallbacks == {"a": ["b"]}  # a single dict and a single string are accepted
    assert router.model_names == ["a", "b"]
    listed = router.get_model_list()
    assert [e["model_name"] for e in listed] == ["a", "b", "a"]
    listed[0]["model_name"] = "changed"
    assert router.get_model_list()[0]["model_name"] == "a"  # a copy


def test_model_is_required() -> None:
    router = Router(model_list=[_dep("m", "http://127.0.0.1:9")])
    with pytest.raises(BadRequestError, match="model .* is required"):
        router.completion(model="", messages=_msg("x"))


# ---------------------------------------------------------------------------------------------
# failure accounting


@pytest.mark.parametrize("error,counts", [
    (RateLimitError("m", "p", "x"), True),
    (InternalServerError("m", "p", "x"), True),
    (Timeout("m", "p", "x"), True),
    (AuthenticationError("m", "p", "x"), True),
    (PermissionDeniedError("m", "p", "x"), True),
    (NotFoundError("m", "p", "x"), True),
    (BadRequestError("m", "p", "x"), False),
    (ContextWindowExceededError("m", "p", "x"), False),
    (APIError(None, "m", "p", "x"), True),  # no status: APIError's default 500
    (APIError(302, "m", "p", "x"), False),
    (ValueError("local bug"), False),
])
def test_which_errors_count_towards_cooldown(error: BaseException, counts: bool) -> None:
    assert _counts_as_failure(error) is counts


def test_authentication_failure_cools_the_deployment_down(srv: LoopbackServer) -> None:
    srv.handler = lambda rec: Reply.json({"error": {"message": "bad key", "type": "invalid_api_key"}}, status=401)
    router = Router(model_list=[_dep("m", srv.url + "/v1")], allowed_fails=0)
    with pytest.raises(AuthenticationError):
        router.completion(model="m", messages=_msg("x"))
    assert router.cooldown_deployments() == ["m-0"]


def test_failures_older_than_a_minute_are_forgotten(srv: LoopbackServer) -> None:
    srv.handler = lambda rec: _error(500)
    router = Router(model_list=[_dep("m", srv.url + "/v1")], allowed_fails=1)
    clock = Clock()
    router._clock = clock
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg("x"))
    clock.now += 61
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg("x"))
    assert router.cooldown_deployments() == []  # only one failure within the last minute
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg("x"))
    assert router.cooldown_deployments() == ["m-0"]  # two within a minute: more than allowed_fails=1


@pytest.mark.parametrize("usage,tokens", [
    (None, 0),
    (SimpleNamespace(total_tokens=0, prompt_tokens=3, completion_tokens=4), 7),
    (SimpleNamespace(total_tokens="lots"), 0),
    (SimpleNamespace(total_tokens=-5), 0),
])
def test_tokens_counted_from_usage(usage: Any, tokens: int) -> None:
    assert _tokens_of(SimpleNamespace(usage=usage)) == tokens


# ---------------------------------------------------------------------------------------------
# limits and windows


def test_rpm_window_rolls_after_a_minute(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base, rpm=1)])
    clock = Clock()
    router._clock = clock
    router.completion(model="m", messages=_msg("a"))
    with pytest.raises(RouterRateLimitError) as info:
        router.completion(model="m", messages=_msg("b"))
    assert info.value.headers["retry-after"] == "60"
    clock.now += 60
    assert router.completion(model="m", messages=_msg("c")).choices[0].message.content == "c"


def test_reset_forgets_cooldowns_and_windows(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base, rpm=1)])
    router.completion(model="m", messages=_msg("a"))
    with pytest.raises(RouterRateLimitError):
        router.completion(model="m", messages=_msg("b"))
    router.reset()
    stats = router.deployment_stats()[0]
    assert stats["window_requests"] == 0 and stats["cooldown_until"] is None and stats["latency_s"] is None
    assert router.completion(model="m", messages=_msg("c")).choices[0].message.content == "c"


def test_tokens_of_a_call_that_outlived_its_window_do_not_lock_the_deployment_out(srv: LoopbackServer) -> None:
    """A call started in one minute and answered in the next must not leave its deployment over its
    tpm limit for ever (its tokens land in a window that must still roll over)."""
    gate = threading.Event()
    arrived = threading.Event()
    first = []

    def handler(rec: RecordedRequest) -> Reply:
        if not first:
            first.append(rec.path)
            arrived.set()
            gate.wait(10)
        return _chat(tokens=100)

    srv.handler = handler
    router = Router(model_list=[_dep("m", srv.url + "/x/v1", tpm=50), _dep("m", srv.url + "/y/v1", tpm=50)],
                    routing_strategy="least-busy", seed=7)
    clock = Clock()
    router._clock = clock
    slow = threading.Thread(target=router.completion, kwargs={"model": "m", "messages": _msg("slow")})
    slow.start()
    assert arrived.wait(10)
    clock.now += 61  # the slow call's minute is over; the next pick rolls its deployment's window
    router.completion(model="m", messages=_msg("other"))  # goes to the idle deployment
    gate.set()
    slow.join(10)
    assert not slow.is_alive()
    clock.now += 61  # a minute later, both deployments must be usable again
    for text in ("one", "two"):  # each fills one deployment's tpm: both must be free to take one
        router.completion(model="m", messages=_msg(text))
    assert sorted(s["requests"] for s in router.deployment_stats()) == [2, 2]


# ---------------------------------------------------------------------------------------------
# retries, async, health


def test_retry_stops_when_the_only_deployment_cools_down(srv: LoopbackServer) -> None:
    calls: List[RecordedRequest] = []

    def handler(rec: RecordedRequest) -> Reply:
        calls.append(rec)
        return _error(503)

    srv.handler = handler
    router = Router(model_list=[_dep("m", srv.url + "/v1")], num_retries=3, allowed_fails=0)
    sleeps: List[float] = []
    router._sleep = sleeps.append
    with pytest.raises(RouterRateLimitError, match="1 cooling down"):
        router.completion(model="m", messages=_msg("x"))
    assert len(calls) == 1  # the retry found the deployment cooling down and did not call it
    assert len(sleeps) == 1


def test_async_completion_and_embedding(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base),
                                {"model_name": "e", "litellm_params": {"model": "openai/text-embedding-3-small",
                                                                       "api_base": fake.api_base, "api_key": "k"}}])

    async def run() -> Any:
        return await asyncio.gather(router.acompletion(model="m", messages=_msg("async hi")),
                                    router.aembedding(model="e", input=["a", "b"]))

    chat, emb = asyncio.run(run())
    assert chat.choices[0].message.content == "async hi"
    assert len(emb.data) == 2


def test_health_check_of_one_alias_with_one_deployment(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base), _dep("n", "http://127.0.0.1:9")], timeout=5)
    started = time.monotonic()
    report = router.health_check(model="m")
    assert list(report) == ["m"]
    status = report["m"][0]
    assert status.healthy and status.model_id == "m-0" and status.api_base == fake.api_base
    assert time.monotonic() - started < 5
