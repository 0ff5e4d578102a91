"""Router parity with LiteLLM: os.environ/, pre-call checks, tags, order, policies, fallbacks, aliases."""

from __future__ import annotations

import logging
from typing import Any, Dict, Iterator, List, Optional

import pytest

import litellm_lite
from litellm_lite import Router
from litellm_lite.config_errors import ConfigError
from litellm_lite.exceptions import (
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
)
from litellm_lite.testing import FakeProvider

MSG = [{"role": "user", "content": "Hi"}]


@pytest.fixture
def fakes() -> Iterator[List[FakeProvider]]:
    providers = [FakeProvider(echo_prefix="%d:" % i).start() for i in range(3)]
    try:
        yield providers
    finally:
        for p in providers:
            p.stop()


def _dep(name: str, fake: FakeProvider, key: str = "k-123456", info: Optional[Dict[str, Any]] = None, **params: Any) -> Dict[str, Any]:
    entry: Dict[str, Any] = {
        "model_name": name,
        "litellm_params": dict({"model": "openai/fake-model", "api_base": fake.api_base, "api_key": key}, **params),
    }
    if info is not None:
        entry["model_info"] = info
    return entry


def _answered_by(response: Any) -> str:
    return str(response.choices[0].message.content).split(":", 1)[0]


def test_os_environ_keys_are_resolved(fakes: List[FakeProvider], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOO_KEY", "sk-foo-abcdef")
    router = Router(model_list=[_dep("m", fakes[0], key="os.environ/FOO_KEY")])
    router.completion(model="m", messages=MSG)
    assert fakes[0].requests[-1].headers["authorization"] == "Bearer sk-foo-abcdef"


def test_missing_os_environ_names_every_variable(fakes: List[FakeProvider]) -> None:
    with pytest.raises(ConfigError) as info:
        Router(model_list=[_dep("a", fakes[0], key="os.environ/NOPE_A"), _dep("b", fakes[1], key="os.environ/NOPE_B")])
    assert "NOPE_A, NOPE_B" in str(info.value)


def test_pre_call_checks_skip_small_context_windows(fakes: List[FakeProvider]) -> None:
    model_list = [
        _dep("m", fakes[0], info={"id": "small", "max_input_tokens": 20}),
        _dep("m", fakes[1], info={"id": "big", "max_input_tokens": 100000}),
    ]
    router = Router(model_list=model_list, enable_pre_call_checks=True, seed=1)
    long = [{"role": "user", "content": "word " * 200}]
    for _ in range(5):
        assert _answered_by(router.completion(model="m", messages=long)) == "1"
    assert not fakes[0].requests
    short_answers = {_answered_by(router.completion(model="m", messages=MSG)) for _ in range(12)}
    assert short_answers == {"0", "1"}


def test_pre_call_checks_raise_context_window_error_then_fall_back(fakes: List[FakeProvider]) -> None:
    model_list = [_dep("small", fakes[0], info={"max_input_tokens": 10}), _dep("large", fakes[1])]
    long = [{"role": "user", "content": "word " * 200}]
    plain = Router(model_list=model_list, enable_pre_call_checks=True)
    with pytest.raises(ContextWindowExceededError):
        plain.completion(model="small", messages=long)
    router = Router(model_list=model_list, enable_pre_call_checks=True, context_window_fallbacks=[{"small": ["large"]}])
    assert _answered_by(router.completion(model="small", messages=long)) == "1"
    assert not fakes[0].requests


def test_without_pre_call_checks_the_window_is_not_checked(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_dep("small", fakes[0], info={"max_input_tokens": 10})])
    router.completion(model="small", messages=[{"role": "user", "content": "word " * 200}])
    assert len(fakes[0].requests) == 1


def _tagged(fakes: List[FakeProvider], with_default: bool = True) -> List[Dict[str, Any]]:
    deps = [_dep("gpt", fakes[0], tags=["free"]), _dep("gpt", fakes[1], tags=["paid"])]
    if with_default:
        deps.append(_dep("gpt", fakes[2], tags=["default"]))
    return deps


def test_tag_routing(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=_tagged(fakes), enable_tag_filtering=True)
    for _ in range(4):
        assert _answered_by(router.completion(model="gpt", messages=MSG, tags=["free"])) == "0"
        assert _answered_by(router.completion(model="gpt", messages=MSG, metadata={"tags": ["paid"]})) == "1"
        assert _answered_by(router.completion(model="gpt", messages=MSG)) == "2"
        assert _answered_by(router.completion(model="gpt", messages=MSG, tags=["other"])) == "2"
    for fake in fakes:
        for req in fake.requests:
            assert "tags" not in req.json  # a routing keyword, never sent


def test_tags_without_a_default(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=_tagged(fakes, with_default=False), enable_tag_filtering=True, seed=3)
    with pytest.raises(BadRequestError, match="tags"):
        router.completion(model="gpt", messages=MSG, tags=["other"])
    answers = {_answered_by(router.completion(model="gpt", messages=MSG)) for _ in range(12)}
    assert answers == {"0", "1"}


def test_tags_are_ignored_without_tag_filtering(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=_tagged(fakes), seed=2)
    answers = {_answered_by(router.completion(model="gpt", messages=MSG, tags=["free"])) for _ in range(15)}
    assert answers == {"0", "1", "2"}


def test_order_tiers(fakes: List[FakeProvider]) -> None:
    model_list = [_dep("m", fakes[0], order=2), _dep("m", fakes[1], order=1), _dep("m", fakes[2], order=2)]
    router = Router(model_list=model_list, allowed_fails=0, cooldown_time=60, num_retries=1)
    for _ in range(4):
        assert _answered_by(router.completion(model="m", messages=MSG)) == "1"
    fakes[1].add_error(status=500, message="down")
    assert _answered_by(router.completion(model="m", messages=MSG)) in ("0", "2")
    assert _answered_by(router.completion(model="m", messages=MSG)) in ("0", "2")  # tier 1 cooling down
    for fake in fakes:
        for req in fake.requests:
            assert "order" not in req.json


def test_retry_policy_per_error_class(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_dep("m", fakes[0])], allowed_fails=100,
                    retry_policy={"RateLimitErrorRetries": 2, "AuthenticationErrorRetries": 1})
    router._sleep = lambda s: None
    fakes[0].add_error(status=429, message="slow down", times=2)
    assert _answered_by(router.completion(model="m", messages=MSG)) == "0"
    assert len(fakes[0].requests) == 3
    fakes[0].add_error(status=401, message="bad key", times=2)
    with pytest.raises(litellm_lite.AuthenticationError):
        router.completion(model="m", messages=MSG)
    assert len(fakes[0].requests) == 5
    fakes[0].add_error(status=400, message="bad request")
    with pytest.raises(BadRequestError):
        router.completion(model="m", messages=MSG)
    assert len(fakes[0].requests) == 6  # not retried: not retryable and no policy entry


def test_retry_policy_object_with_litellm_field_names(fakes: List[FakeProvider]) -> None:
    class RetryPolicy:  # the shape of LiteLLM's pydantic RetryPolicy
        BadRequestErrorRetries = 1
        TimeoutErrorRetries = None

    router = Router(model_list=[_dep("m", fakes[0])], retry_policy=RetryPolicy())
    router._sleep = lambda s: None
    fakes[0].add_error(status=400, message="flaky")
    assert _answered_by(router.completion(model="m", messages=MSG)) == "0"
    assert len(fakes[0].requests) == 2


def test_bad_policies_are_config_errors(fakes: List[FakeProvider]) -> None:
    with pytest.raises(ConfigError, match="RateLimitErrorRetries"):
        Router(model_list=[_dep("m", fakes[0])], retry_policy={"RateLimitRetries": 1})
    with pytest.raises(ConfigError, match="non-negative"):
        Router(model_list=[_dep("m", fakes[0])], allowed_fails_policy={"RateLimitErrorAllowedFails": -1})
    with pytest.raises(ConfigError, match="tags"):
        Router(model_list=[_dep("m", fakes[0], tags="free")])
    with pytest.raises(ConfigError, match="order"):
        Router(model_list=[_dep("m", fakes[0], order="first")])


def test_allowed_fails_policy(fakes: List[FakeProvider]) -> None:
    model_list = [_dep("m", fakes[0], info={"id": "a"}), _dep("m", fakes[1], info={"id": "b"})]
    router = Router(model_list=model_list, allowed_fails_policy={"BadRequestErrorAllowedFails": 0}, allowed_fails=5, seed=0)
    for fake in fakes[:2]:
        fake.add_error(status=400, message="nope")
    with pytest.raises(BadRequestError):
        router.completion(model="m", messages=MSG)
    cooling = router.cooldown_deployments()
    assert len(cooling) == 1
    assert sum(len(f.requests) for f in fakes[:2]) == 1
    # the next call goes to the other deployment (its queued 400 cools it down too)
    with pytest.raises(BadRequestError):
        router.completion(model="m", messages=MSG)
    assert sorted(router.cooldown_deployments()) == ["a", "b"]
    assert [len(f.requests) for f in fakes[:2]] == [1, 1]
    no_policy = Router(model_list=model_list, allowed_fails=0)
    fakes[0].add_error(status=400, message="nope")
    fakes[1].add_error(status=400, message="nope")
    with pytest.raises(BadRequestError):
        no_policy.completion(model="m", messages=MSG)
    assert no_policy.cooldown_deployments() == []  # bad requests do not count without the policy


def test_allowed_fails_policy_raises_the_threshold(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_dep("m", fakes[0])], allowed_fails=0, allowed_fails_policy={"InternalServerErrorAllowedFails": 2})
    fakes[0].add_error(status=500, message="x", times=3)
    for _ in range(2):
        with pytest.raises(InternalServerError):
            router.completion(model="m", messages=MSG)
    assert router.cooldown_deployments() == []
    with pytest.raises(InternalServerError):
        router.completion(model="m", messages=MSG)
    assert len(router.cooldown_deployments()) == 1


def test_default_fallbacks(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_dep("a", fakes[0]), _dep("b", fakes[1])], default_fallbacks=["b"])
    fakes[0].add_error(status=500, message="down")
    assert _answered_by(router.completion(model="a", messages=MSG)) == "1"
    fakes[0].add_error(status=400, message="bad input")
    with pytest.raises(BadRequestError):
        router.completion(model="a", messages=MSG)


def test_specific_fallbacks_win_over_default(fakes: List[FakeProvider]) -> None:
    model_list = [_dep("a", fakes[0]), _dep("b", fakes[1]), _dep("c", fakes[2])]
    router = Router(model_list=model_list, fallbacks=[{"a": ["c"]}], default_fallbacks=["b"])
    fakes[0].add_error(status=500, message="down")
    assert _answered_by(router.completion(model="a", messages=MSG)) == "2"


def test_content_policy_fallbacks(fakes: List[FakeProvider]) -> None:
    model_list = [_dep("a", fakes[0]), _dep("b", fakes[1]), _dep("c", fakes[2])]
    router = Router(model_list=model_list, content_policy_fallbacks=[{"a": ["b"]}], fallbacks=[{"a": ["c"]}])
    fakes[0].add_error(status=400, message="refused", code="content_policy_violation")
    assert _answered_by(router.completion(model="a", messages=MSG)) == "1"
    plain = Router(model_list=model_list, fallbacks=[{"a": ["c"]}])
    fakes[0].add_error(status=400, message="refused", code="content_policy_violation")
    with pytest.raises(ContentPolicyViolationError):
        plain.completion(model="a", messages=MSG)


def test_unsupported_keywords_warn_by_name(fakes: List[FakeProvider], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        Router(model_list=[_dep("m", fakes[0])], redis_host="localhost", cache_responses=True)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("cache_responses" in w and "redis_host" in w for w in warnings)


def test_model_group_alias(fakes: List[FakeProvider]) -> None:
    router = Router(model_list=[_dep("fast", fakes[0])], model_group_alias={"gpt-4": "fast", "gpt-4o": {"model": "fast", "hidden": True}})
    assert _answered_by(router.completion(model="gpt-4", messages=MSG)) == "0"
    assert _answered_by(router.completion(model="gpt-4o", messages=MSG)) == "0"
    assert router.serves("gpt-4") and not router.serves("other")
    with pytest.raises(ConfigError):
        Router(model_list=[_dep("fast", fakes[0])], model_group_alias={"x": 3})


def test_module_model_alias_map(fakes: List[FakeProvider], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_lite, "model_alias_map", {"my-model": "openai/fake-model", "grp": "fast"})
    r = litellm_lite.completion(model="my-model", messages=MSG, api_base=fakes[0].api_base, api_key="k-1234567")
    assert _answered_by(r) == "0"
    assert fakes[0].requests[-1].json["model"] == "fake-model"
    router = Router(model_list=[_dep("fast", fakes[1])])
    assert _answered_by(router.completion(model="grp", messages=MSG)) == "1"


def test_wildcard_model_names(fakes: List[FakeProvider]) -> None:
    model_list = [
        {"model_name": "openai/*", "litellm_params": {"model": "openai/*", "api_base": fakes[0].api_base, "api_key": "k-1234567"}},
        {"model_name": "*", "litellm_params": {"model": "openai/*", "api_base": fakes[1].api_base, "api_key": "k-1234567"}},
    ]
    router = Router(model_list=model_list)
    assert _answered_by(router.completion(model="openai/gpt-x", messages=MSG)) == "0"
    assert fakes[0].requests[-1].json["model"] == "gpt-x"
    assert _answered_by(router.completion(model="other-model", messages=MSG)) == "1"
    assert fakes[1].requests[-1].json["model"] == "other-model"
    assert router.serves("anything")


def test_from_env(fakes: List[FakeProvider], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-env-123")
    monkeypatch.setenv("OPENAI_API_BASE", fakes[0].api_base)
    monkeypatch.setenv("GROQ_API_KEY", "gsk-env-123456")
    router = Router.from_env()
    assert "openai/*" in router.model_names and "groq/*" in router.model_names
    assert "anthropic/*" not in router.model_names
    assert _answered_by(router.completion(model="openai/fake-model", messages=MSG)) == "0"
    assert fakes[0].requests[-1].headers["authorization"] == "Bearer sk-openai-env-123"
    assert fakes[0].requests[-1].json["model"] == "fake-model"


def test_from_env_without_keys() -> None:
    with pytest.raises(litellm_lite.AuthenticationError, match="OPENAI_API_KEY"):
        Router.from_env(environ={})
