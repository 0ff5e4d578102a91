"""Router: strategies, cooldown, rpm/tpm limits, fallbacks, health checks, thread safety."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any, Dict, Iterator, List

import pytest

from litellm_lite.exceptions import (
    APIConnectionError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from litellm_lite.router import HealthStatus, Router, RouterRateLimitError, health_check
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, RecordedRequest, Reply
import asyncio
from types import SimpleNamespace
from litellm_lite.exceptions import (
    APIError,
    AuthenticationError,
    ContextWindowExceededError,
    NotFoundError,
    PermissionDeniedError,
    Timeout,
)
from litellm_lite.router import _counts_as_failure, _tokens_of


def _msg(text: str) -> List[Dict[str, Any]]:
    return [{"role": "user", "content": text}]


def _deployment(alias: str, base: str, model: str = "openai/fake-model", **extra: Any) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"model_name": alias, "litellm_params": {"model": model, "api_base": base, "api_key": "k"}}
    entry.update(extra)
    return entry


def _chat_reply(text: str = "ok", delay: float = 0.0, tokens: int = 10) -> Reply:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": tokens // 2, "completion_tokens": tokens - tokens // 2, "total_tokens": tokens},
    }
    return Reply.json(body, delay_before=delay)


def _error_reply(status: int, message: str = "down") -> Reply:
    return Reply.json({"error": {"message": message, "type": "server_error"}}, status=status)


@pytest.fixture
def fakes() -> Iterator[List[FakeProvider]]:
    with FakeProvider() as a, FakeProvider() as b, FakeProvider() as c:
        yield [a, b, c]


def test_routes_to_a_deployment_and_marks_it(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_deployment("m", f.api_base) for f in fakes[:2]], seed=1)
    response = router.completion(model="m", messages=_msg("hello"))
    assert response.choices[0].message.content == "hello"
    assert response._hidden_params["model_group"] == "m"
    assert response._hidden_params["model_id"] in ("m-0", "m-1")
    assert sum(len(f.requests) for f in fakes[:2]) == 1


def test_unknown_alias_and_bad_config() -> None:
    router = Router(model_list=[_deployment("m", "http://127.0.0.1:9")])
    with pytest.raises(BadRequestError, match="known model_names: m"):
        router.completion(model="nope", messages=_msg("x"))
    with pytest.raises(BadRequestError):
        Router(model_list=[])
    with pytest.raises(BadRequestError):
        Router(model_list=[{"model_name": "m", "litellm_params": {}}])
    with pytest.raises(BadRequestError):
        Router(model_list=[_deployment("m", "http://x")], routing_strategy="cheapest-magic")


def test_simple_shuffle_spreads_and_honours_weights(fakes: List[FakeProvider]) -> None:
    router = Router(
        model_list=[
            _deployment("m", fakes[0].api_base, weight=9),
            _deployment("m", fakes[1].api_base, weight=1),
        ],
        seed=7,
    )
    for i in range(40):
        router.completion(model="m", messages=_msg("w%d" % i))
    heavy, light = len(fakes[0].requests), len(fakes[1].requests)
    assert heavy + light == 40
    assert heavy > light * 2


def test_cooldown_after_allowed_fails(fakes: List[FakeProvider]) -> None:
    with LoopbackServer() as bad:
        bad.add(_error_reply(500))
        router = Router(
            model_list=[_deployment("m", bad.url + "/v1"), _deployment("m", fakes[0].api_base)],
            allowed_fails=1,
            cooldown_time=60,
            seed=3,
        )
        errors = 0
        for i in range(30):
            try:
                router.completion(model="m", messages=_msg("c%d" % i))
            except InternalServerError:
                errors += 1
        # allowed_fails=1: the second failure within a minute cools the deployment down
        assert len(bad.requests) == 2
        assert errors == 2
        assert router.cooldown_deployments() == ["m-0"]
        assert len(fakes[0].requests) == 28
        stats = {s["id"]: s for s in router.deployment_stats()}
        assert stats["m-0"]["failures"] == 2 and stats["m-1"]["successes"] == 28


def test_all_cooling_down_raises_without_calling() -> None:
    with LoopbackServer() as bad:
        bad.add(_error_reply(503))
        router = Router(model_list=[_deployment("m", bad.url + "/v1")], allowed_fails=0, cooldown_time=30)
        with pytest.raises(InternalServerError):
            router.completion(model="m", messages=_msg("x"))
        with pytest.raises(RouterRateLimitError) as info:
            router.completion(model="m", messages=_msg("y"))
        assert isinstance(info.value, RateLimitError) and info.value.status_code == 429
        assert 1 <= int(info.value.headers["retry-after"]) <= 30
        assert len(bad.requests) == 1


def test_bad_request_does_not_cool_down() -> None:
    with LoopbackServer() as srv:
        srv.add(Reply.json({"error": {"message": "bad param", "type": "invalid_request_error"}}, status=400))
        router = Router(model_list=[_deployment("m", srv.url + "/v1")], allowed_fails=0)
        for _ in range(3):
            with pytest.raises(BadRequestError):
                router.completion(model="m", messages=_msg("x"))
        assert router.cooldown_deployments() == []
        assert len(srv.requests) == 3


def test_rpm_limit(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_deployment("m", fakes[0].api_base, rpm=2)])
    router.completion(model="m", messages=_msg("1"))
    router.completion(model="m", messages=_msg("2"))
    with pytest.raises(RateLimitError, match="over their rpm/tpm limit"):
        router.completion(model="m", messages=_msg("3"))
    assert len(fakes[0].requests) == 2


def test_rpm_limit_moves_traffic_to_other_deployment(fakes: List[FakeProvider]) -> None:
    router = Router(
        model_list=[
            {"model_name": "m", "litellm_params": {"model": "openai/x", "api_base": fakes[0].api_base, "api_key": "k", "rpm": 3}},
            _deployment("m", fakes[1].api_base, rpm=100),
        ],
        routing_strategy="least-busy",
        seed=0,
    )
    for i in range(20):
        router.completion(model="m", messages=_msg(str(i)))
    assert len(fakes[0].requests) == 3  # its share until the limit, then none
    assert len(fakes[1].requests) == 17
    assert "rpm" not in fakes[0].requests[0].json  # routing keys are not sent


def test_tpm_limit() -> None:
    with LoopbackServer() as srv:
        srv.add(_chat_reply(tokens=50))
        router = Router(model_list=[_deployment("m", srv.url + "/v1", tpm=40)])
        router.completion(model="m", messages=_msg("x"))
        with pytest.raises(RateLimitError):
            router.completion(model="m", messages=_msg("y"))
        assert len(srv.requests) == 1
        assert router.deployment_stats()[0]["window_tokens"] == 50


def test_latency_based_routing_picks_the_fastest() -> None:
    with LoopbackServer() as slow, LoopbackServer() as fast:
        slow.add(_chat_reply("slow", delay=0.15))
        fast.add(_chat_reply("fast"))
        router = Router(
            model_list=[_deployment("m", slow.url + "/v1"), _deployment("m", fast.url + "/v1")],
            routing_strategy="latency-based-routing",
            seed=5,
        )
        answers = [router.completion(model="m", messages=_msg(str(i))).choices[0].message.content for i in range(8)]
        assert sorted(answers[:2]) == ["fast", "slow"]  # untried deployments are explored first
        assert answers[2:] == ["fast"] * 6
        stats = {s["id"]: s for s in router.deployment_stats()}
        assert stats["m-0"]["latency_s"] > stats["m-1"]["latency_s"]


def test_least_busy_avoids_the_busy_deployment() -> None:
    with LoopbackServer() as a, LoopbackServer() as b:
        a.add(_chat_reply("a", delay=0.4))
        b.add(_chat_reply("b", delay=0.4))
        router = Router(
            model_list=[_deployment("m", a.url + "/v1"), _deployment("m", b.url + "/v1")],
            routing_strategy="least-busy",
        )
        first: Dict[str, Any] = {}
        worker = threading.Thread(target=lambda: first.setdefault("r", router.completion(model="m", messages=_msg("1"))))
        worker.start()
        deadline = time.time() + 5
        while not (a.requests or b.requests) and time.time() < deadline:
            time.sleep(0.005)
        second = router.completion(model="m", messages=_msg("2"))
        worker.join()
        assert {first["r"].choices[0].message.content, second.choices[0].message.content} == {"a", "b"}


def test_usage_based_routing_prefers_the_least_used() -> None:
    with LoopbackServer() as a, LoopbackServer() as b:
        a.add(_chat_reply("a", tokens=100))
        b.add(_chat_reply("b", tokens=10))
        router = Router(
            model_list=[_deployment("m", a.url + "/v1"), _deployment("m", b.url + "/v1")],
            routing_strategy="usage-based-routing",
        )
        answers = [router.completion(model="m", messages=_msg(str(i))).choices[0].message.content for i in range(6)]
        # after both were used once, b (10 tokens/call) stays below a (100) for the next 9 calls
        assert sorted(answers[:2]) == ["a", "b"]
        assert answers[2:] == ["b"] * 4


def test_router_retries_on_another_deployment(fakes: List[FakeProvider]) -> None:
    with LoopbackServer() as bad:
        bad.add(_error_reply(500))
        router = Router(
            model_list=[_deployment("m", bad.url + "/v1"), _deployment("m", fakes[0].api_base)],
            num_retries=1,
            allowed_fails=100,
            routing_strategy="latency-based-routing",
        )
        for i in range(4):
            assert router.completion(model="m", messages=_msg("r%d" % i)).choices[0].message.content == "r%d" % i
        assert len(bad.requests) >= 1


def test_retry_waits_only_when_no_other_deployment_is_free(fakes: List[FakeProvider]) -> None:
    with LoopbackServer() as bad, LoopbackServer() as flaky:
        bad.add(Reply.json({"error": {"message": "busy"}}, status=429, headers={"content-type": "application/json", "retry-after": "30"}))
        router = Router(
            model_list=[_deployment("m", bad.url + "/v1"), _deployment("m", fakes[0].api_base)],
            num_retries=2,
            allowed_fails=100,
            routing_strategy="latency-based-routing",
        )
        sleeps: List[float] = []
        router._sleep = sleeps.append
        for i in range(3):
            assert router.completion(model="m", messages=_msg("q%d" % i)).choices[0].message.content == "q%d" % i
        assert len(bad.requests) == 1 and sleeps == []  # retried at once on the free deployment

        flaky.add(
            Reply.json({"error": {"message": "blip"}}, status=503, headers={"content-type": "application/json", "retry-after-ms": "5"}),
            _chat_reply("recovered"),
        )
        single = Router(model_list=[_deployment("s", flaky.url + "/v1")], num_retries=1, allowed_fails=100)
        single._sleep = sleeps.append
        assert single.completion(model="s", messages=_msg("x")).choices[0].message.content == "recovered"
        assert sleeps == [0.005]  # the Retry policy's wait (Retry-After honoured), on the same deployment


def test_alias_fallbacks_and_attempt_listing(fakes: List[FakeProvider]) -> None:
    with LoopbackServer() as bad:
        bad.add(_error_reply(429, "slow down"))
        router = Router(
            model_list=[_deployment("primary", bad.url + "/v1"), _deployment("backup", fakes[0].api_base)],
            fallbacks=[{"primary": ["backup"]}],
            allowed_fails=100,
        )
        response = router.completion(model="primary", messages=_msg("save me"))
        assert response.choices[0].message.content == "save me"
        assert response._hidden_params["model_group"] == "backup"

        all_bad = Router(
            model_list=[_deployment("primary", bad.url + "/v1"), _deployment("backup", bad.url + "/v1")],
            fallbacks=[{"primary": ["backup"]}],
            allowed_fails=100,
        )
        with pytest.raises(RateLimitError) as info:
            all_bad.completion(model="primary", messages=_msg("x"))
        assert "primary (RateLimitError)" in str(info.value) and "backup (RateLimitError)" in str(info.value)
        assert [line.split(":")[0] for line in info.value.attempts] == ["primary", "backup"]


def test_context_window_fallbacks(fakes: List[FakeProvider]) -> None:
    fakes[0].add_error(400, "maximum context length exceeded", code="context_length_exceeded")
    router = Router(
        model_list=[_deployment("small", fakes[0].api_base), _deployment("big", fakes[1].api_base)],
        context_window_fallbacks=[{"small": ["big"]}],
    )
    response = router.completion(model="small", messages=_msg("long"))
    assert response._hidden_params["model_group"] == "big"


def test_router_embedding(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_deployment("emb", fakes[0].api_base, model="openai/text-embedding-3-small")])
    result = router.embedding(model="emb", input=["a", "b"])
    assert len(result.data) == 2 and len(result.data[0].embedding) == 8
    assert fakes[0].requests[0].path.endswith("/embeddings")


def test_stream_through_router(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_deployment("m", fakes[0].api_base)])
    stream = router.completion(model="m", messages=_msg("streaming along"), stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "streaming along"
    assert router.deployment_stats()[0]["in_flight"] == 0


@pytest.mark.slow
def test_many_threads_no_cross_talk(fakes: List[FakeProvider]) -> None:
    router = Router(
        model_list=[_deployment("m", f.api_base) for f in fakes],
        routing_strategy="least-busy",
        timeout=30,
    )
    threads, per_thread = 32, 50
    mismatches: List[str] = []
    errors: List[BaseException] = []

    def worker(t: int) -> None:
        for i in range(per_thread):
            text = "thread-%d-call-%d" % (t, i)
            try:
                got = router.completion(model="m", messages=_msg(text)).choices[0].message.content
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
                continue
            if got != text:
                mismatches.append("%s != %s" % (got, text))

    started = time.time()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join(timeout=60)
    elapsed = time.time() - started
    assert errors == [] and mismatches == []
    total = threads * per_thread
    assert sum(len(f.requests) for f in fakes) == total
    stats = router.deployment_stats()
    assert sum(s["requests"] for s in stats) == total
    assert sum(s["successes"] for s in stats) == total
    assert all(s["in_flight"] == 0 for s in stats)
    assert all(s["requests"] == len(f.requests) for s, f in zip(stats, fakes))
    seen = Counter(json.loads(r.body)["messages"][0]["content"] for f in fakes for r in f.requests)
    assert len(seen) == total and set(seen.values()) == {1}
    assert elapsed < 30


def test_router_health_check(fakes: List[FakeProvider]) -> None:
    with LoopbackServer() as bad:
        bad.add(_error_reply(500, "broken deployment"))
        router = Router(
            model_list=[
                _deployment("m", fakes[0].api_base),
                _deployment("m", bad.url + "/v1"),
                _deployment("e", fakes[1].api_base, model="openai/emb", model_info={"mode": "embedding"}),
            ]
        )
        report = router.health_check()
        assert set(report) == {"m", "e"}
        good, broken = report["m"]
        assert isinstance(good, HealthStatus)
        assert good.healthy is True and good.error is None and good.latency_ms > 0
        assert good.api_base == fakes[0].api_base and good.model_id == "m-0"
        assert broken.healthy is False and "InternalServerError" in (broken.error or "")
        assert "broken deployment" in (broken.error or "")
        assert report["e"][0].healthy is True
        assert fakes[1].requests[0].path.endswith("/embeddings")
        body = fakes[0].requests[0].json
        assert body["max_tokens"] == 1
        # health checks do not cool anything down or count against limits
        assert router.cooldown_deployments() == []
        assert all(s["requests"] == 0 for s in router.deployment_stats())


def test_module_health_check() -> None:
    with FakeProvider() as fake:
        status = health_check(fake.kwargs()["model"], api_base=fake.api_base, api_key="k")
        assert status.healthy and status.model == "openai/fake-model" and status.api_base == fake.api_base
    with LoopbackServer() as srv:
        port = srv.port
    status = health_check("openai/x", api_base="http://127.0.0.1:%d/v1" % port, api_key="sk-health-SECRET-123456", timeout=5)
    assert status.healthy is False
    assert (status.error or "").startswith(APIConnectionError.__name__)
    assert "sk-health-SECRET-123456" not in (status.error or "")


def test_routing_keys_and_metadata_are_not_sent() -> None:
    seen: List[RecordedRequest] = []
    with LoopbackServer() as srv:

        def handler(rec: RecordedRequest) -> Reply:
            seen.append(rec)
            return _chat_reply("ok")

        srv.handler = handler
        router = Router(
            model_list=[
                {
                    "model_name": "m",
                    "litellm_params": {"model": "openai/x", "api_base": srv.url + "/v1", "api_key": "k", "rpm": 10, "tpm": 1000},
                }
            ]
        )
        router.completion(model="m", messages=_msg("x"), metadata={"user_tag": "t"})
    body = seen[0].json()
    for key in ("rpm", "tpm", "metadata", "model_group"):
        assert key not in body


# -- more cases (formerly test_cov_router.py: Router: configuration errors, failure accounting, windows on a





def _msg_2(text: str) -> List[Dict[str, Any]]:
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
        router.completion(model="", messages=_msg_2("x"))


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
        router.completion(model="m", messages=_msg_2("x"))
    assert router.cooldown_deployments() == ["m-0"]


def test_failures_older_than_a_minute_are_forgotten(srv: LoopbackServer) -> None:
    srv.handler = lambda rec: _error(500)
    router = Router(model_list=[_dep("m", srv.url + "/v1")], allowed_fails=1)
    clock = Clock()
    router._clock = clock
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg_2("x"))
    clock.now += 61
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg_2("x"))
    assert router.cooldown_deployments() == []  # only one failure within the last minute
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=_msg_2("x"))
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
    router.completion(model="m", messages=_msg_2("a"))
    with pytest.raises(RouterRateLimitError) as info:
        router.completion(model="m", messages=_msg_2("b"))
    assert info.value.headers["retry-after"] == "60"
    clock.now += 60
    assert router.completion(model="m", messages=_msg_2("c")).choices[0].message.content == "c"


def test_reset_forgets_cooldowns_and_windows(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base, rpm=1)])
    router.completion(model="m", messages=_msg_2("a"))
    with pytest.raises(RouterRateLimitError):
        router.completion(model="m", messages=_msg_2("b"))
    router.reset()
    stats = router.deployment_stats()[0]
    assert stats["window_requests"] == 0 and stats["cooldown_until"] is None and stats["latency_s"] is None
    assert router.completion(model="m", messages=_msg_2("c")).choices[0].message.content == "c"


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
    slow = threading.Thread(target=router.completion, kwargs={"model": "m", "messages": _msg_2("slow")})
    slow.start()
    assert arrived.wait(10)
    clock.now += 61  # the slow call's minute is over; the next pick rolls its deployment's window
    router.completion(model="m", messages=_msg_2("other"))  # goes to the idle deployment
    gate.set()
    slow.join(10)
    assert not slow.is_alive()
    clock.now += 61  # a minute later, both deployments must be usable again
    for text in ("one", "two"):  # each fills one deployment's tpm: both must be free to take one
        router.completion(model="m", messages=_msg_2(text))
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
        router.completion(model="m", messages=_msg_2("x"))
    assert len(calls) == 1  # the retry found the deployment cooling down and did not call it
    assert len(sleeps) == 1


def test_async_completion_and_embedding(fake: FakeProvider) -> None:
    router = Router(model_list=[_dep("m", fake.api_base),
                                {"model_name": "e", "litellm_params": {"model": "openai/text-embedding-3-small",
                                                                       "api_base": fake.api_base, "api_key": "k"}}])

    async def run() -> Any:
        return await asyncio.gather(router.acompletion(model="m", messages=_msg_2("async hi")),
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
