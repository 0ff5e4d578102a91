"""The cache and budget hooks on the road (call_guard): every endpoint, Client, Router, fallbacks,
callbacks, shared disk caches, against FakeProvider over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite import _call
from litellm_lite.budget import Budget, BudgetExceededError, reset_spend, set_budget, spend
from litellm_lite.caching import Cache, disable_cache
from litellm_lite.client import Client, ProviderConfig
from litellm_lite.config_errors import ConfigError
from litellm_lite.exceptions import BadRequestError
from litellm_lite.testing import FakeProvider

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "What is 2+2?"}]
EMBED = "openai/text-embedding-3-small"

FAKE_MODEL = "gpt-4o-mini"  # what the conftest fake answers as


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    disable_cache()
    monkeypatch.setattr(litellm, "max_budget", None)
    monkeypatch.setattr(litellm, "budget_duration", None)
    reset_spend(budgets=True)
    yield
    disable_cache()
    reset_spend(budgets=True)


def ask(fake: FakeProvider, content: str = "What is 2+2?", **kwargs: Any) -> Any:
    return litellm.completion(messages=[{"role": "user", "content": content}], **dict(fake.kwargs(), **kwargs))


def embed(fake: FakeProvider, inputs: Any, **kwargs: Any) -> Any:
    return litellm.embedding(model=EMBED, input=inputs, api_base=fake.api_base, api_key="k", **kwargs)


# -- hits: zero requests, their own call id, callbacks ------------------------------------------------


class Recorder(litellm.CustomLogger):
    def __init__(self) -> None:
        self.seen: List[Dict[str, Any]] = []

    def log_success_event(self, kwargs: Dict[str, Any], response: Any, start_time: Any, end_time: Any) -> None:
        self.seen.append(
            {"cache_hit": kwargs.get("cache_hit"), "id": kwargs["litellm_call_id"], "cost": kwargs["response_cost"], "response": response}
        )


def test_a_hit_has_its_own_call_id_and_fires_success_callbacks(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    recorder = Recorder()
    seen = recorder.seen
    first = ask(fake, callbacks=[recorder])
    second = ask(fake, callbacks=[recorder])
    assert len(fake.requests) == 1
    hidden = second._hidden_params
    assert hidden["cache_hit"] is True and hidden["response_cost"] == 0.0
    assert hidden["litellm_call_id"] != first._hidden_params["litellm_call_id"]
    assert [s["cache_hit"] for s in seen] == [False, True]
    assert seen[1]["id"] == hidden["litellm_call_id"] and seen[1]["cost"] == 0.0
    assert second.choices[0].message.content == first.choices[0].message.content


def test_a_chat_miss_keeps_only_the_providers_body_and_each_hit_parses_it_afresh(fake: FakeProvider) -> None:
    cache = litellm.cache = Cache()
    first = ask(fake)
    (entry,) = [cache.backend.get(key) for key in list(cache.backend._data)]  # noqa: SLF001 - the stored form
    assert entry["kind"] == "wire-body" and type(entry["body"]) is bytes
    assert b"chat.completion" in entry["body"] and "object" not in entry and "data" not in entry
    first.choices[0].message.content = "changed by the caller"
    second, third = ask(fake), ask(fake)
    assert len(fake.requests) == 1
    assert second is not third and second.choices[0].message is not third.choices[0].message
    assert second.choices[0].message.content == third.choices[0].message.content != "changed by the caller"
    assert second.to_dict() == third.to_dict() and second.id == first.id
    assert second._hidden_params["cache_hit"] is True and second._hidden_params["response_cost"] == 0.0


def test_a_disk_cache_still_stores_the_typed_answer(fake: FakeProvider, tmp_path: Path) -> None:
    cache = litellm.cache = Cache(type="disk", disk_cache_dir=str(tmp_path))
    first = ask(fake)
    (path,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert '"kind": "ModelResponse"' in path.read_text() or '"kind":"ModelResponse"' in path.read_text()
    again = ask(fake)
    assert len(fake.requests) == 1 and again.to_dict() == first.to_dict()
    assert cache is litellm.cache


def test_a_streamed_miss_is_stored_once_read_and_replayed_with_tool_calls(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    call = {"id": "call_1", "type": "function", "function": {"name": "add", "arguments": '{"a": 2}'}}
    fake.add_reply("Using a tool.", tool_calls=[call], finish_reason="tool_calls")
    stream = ask(fake, stream=True)
    next(stream)
    assert len(litellm.cache.backend) == 0  # nothing stored before the end
    list(stream)
    assert len(litellm.cache.backend) == 1
    recorder = Recorder()
    replay = ask(fake, stream=True, callbacks=[recorder])
    chunks = list(replay)
    assert len(fake.requests) == 1 and replay._hidden_params["cache_hit"] is True
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None and built.choices[0].message.tool_calls[0].function.name == "add"
    assert built.choices[0].finish_reason == "tool_calls"
    assert [s["cache_hit"] for s in recorder.seen] == [True] and recorder.seen[0]["cost"] == 0.0
    assert recorder.seen[0]["response"]._hidden_params["cache_hit"] is True
    assert spend()["cache_hits"] == 1


def test_a_stream_without_usage_is_priced_and_counted(fake: FakeProvider) -> None:
    for _ in ask(fake, stream=True):
        pass
    totals = spend()
    assert totals["calls"] == 1 and totals["unpriced_calls"] == 0 and totals["total"] > 0


def test_embeddings_with_one_new_input_send_only_that_one(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    first = embed(fake, ["a", "b", "c"])
    again = embed(fake, ["a", "b", "new", "c"])
    assert len(fake.requests) == 2 and fake.requests[-1].json["input"] == ["new"]
    assert [d.embedding for d in again.data[:2]] == [d.embedding for d in first.data[:2]]
    assert again.data[3].embedding == first.data[2].embedding and [d.index for d in again.data] == [0, 1, 2, 3]
    assert again._hidden_params["cached_inputs"] == 3 and not again._hidden_params.get("cache_hit")
    assert again._hidden_params["response_cost"] > 0  # the one input sent is priced
    whole = embed(fake, "new")
    assert whole._hidden_params["cache_hit"] is True and len(fake.requests) == 2


def test_other_endpoints_are_cached_through_the_same_road(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    kwargs: Dict[str, Any] = {"model": "openai/gpt-3.5-turbo-instruct", "api_base": fake.api_base, "api_key": "k"}
    first = litellm.text_completion(prompt="Say hi", **kwargs)
    second = litellm.text_completion(prompt="Say hi", **kwargs)
    assert len(fake.requests) == 1 and second._hidden_params["cache_hit"] is True
    assert second.choices[0].text == first.choices[0].text
    litellm.moderation(input="hello", model="openai/omni-moderation-latest", api_base=fake.api_base, api_key="k")
    hit = litellm.moderation(input="hello", model="openai/omni-moderation-latest", api_base=fake.api_base, api_key="k")
    assert len(fake.requests) == 2 and hit._hidden_params["cache_hit"] is True
    # A streamed text completion is not replayed: sent every time, never stored.
    for _ in litellm.text_completion(prompt="Say hi", stream=True, **kwargs):
        pass
    assert len(fake.requests) == 3


def test_supported_call_types_limit_what_is_cached(fake: FakeProvider) -> None:
    litellm.cache = Cache(supported_call_types=["embedding"])
    ask(fake)
    ask(fake)
    assert len(fake.requests) == 2
    embed(fake, "x")
    embed(fake, "x")
    assert len(fake.requests) == 3


def test_per_call_ttl_and_s_maxage(fake: FakeProvider) -> None:
    now = [100.0]
    litellm.cache = Cache(clock=lambda: now[0])
    ask(fake, cache={"ttl": 10})
    now[0] += 5
    assert ask(fake)._hidden_params.get("cache_hit")
    assert not ask(fake, cache={"s-maxage": 2})._hidden_params.get("cache_hit")  # too old for this call
    now[0] += 6  # the s-maxage call stored a fresh entry (no ttl): still there
    assert ask(fake)._hidden_params.get("cache_hit")
    assert len(fake.requests) == 2


def test_default_off_mode_and_bad_controls(fake: FakeProvider) -> None:
    litellm.cache = Cache(mode="default_off")
    ask(fake)
    ask(fake)
    ask(fake, caching=True)
    assert ask(fake, caching=True)._hidden_params["cache_hit"] is True and len(fake.requests) == 3
    for bad in ({"cache": {"ttl": -1}}, {"cache": {"unknown": 1}}, {"caching": "yes"}, {"tags": 5}):
        with pytest.raises(BadRequestError):
            ask(fake, **bad)
    assert len(fake.requests) == 3


def test_use_module_settings_false_skips_the_module_cache_and_budgets(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    litellm.max_budget = 0.0
    mine = Budget(1.0, name="mine")
    ask(fake, use_module_settings=False, litellm_budgets=[mine])
    ask(fake, use_module_settings=False, litellm_budgets=[mine])
    assert len(fake.requests) == 2 and mine.spent > 0
    with pytest.raises(BudgetExceededError):
        ask(fake)  # module settings apply again: max_budget 0 is used up


def test_the_hooks_are_installed_once_and_first() -> None:
    from litellm_lite import call_guard

    assert _call.PRE_SEND[0] is call_guard.pre_send and _call.POST_FINISH[0] is call_guard.post_finish
    assert _call.PRE_SEND.count(call_guard.pre_send) == 1


def test_narrow_is_only_for_embeddings(fake: FakeProvider) -> None:
    kwargs = {k: v for k, v in fake.kwargs().items() if k != "model"}
    p = _call.plan("chat", "openai/gpt-4o-mini", kwargs, inputs=MESSAGES)
    with pytest.raises(BadRequestError):
        _call.narrow(p, [], lambda r: r)


# -- Router, fallbacks, async ---------------------------------------------------------------------


def _router(fake: FakeProvider, **kwargs: Any) -> Any:
    entry = {"model_name": "chat", "litellm_params": {"model": "openai/gpt-4o-mini", "api_base": fake.api_base, "api_key": "k"}}
    return litellm.Router(model_list=[entry], **kwargs)


def test_router_calls_hit_the_cache(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    router = _router(fake)
    router.completion(model="chat", messages=MESSAGES)
    hit = router.completion(model="chat", messages=MESSAGES)
    assert hit._hidden_params["cache_hit"] is True and len(fake.requests) == 1
    assert ask(fake)._hidden_params["cache_hit"] is True  # the same deployment, the same entry


def test_fallback_answers_are_cached_under_the_model_that_answered(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_error(429, "slow down")
    kwargs = dict(fake.kwargs(), model="openai/primary-model", fallbacks=["openai/gpt-4o-mini"], num_retries=0)
    first = litellm.completion(messages=MESSAGES, **kwargs)
    assert len(fake.requests) == 2 and not first._hidden_params.get("cache_hit")
    assert ask(fake)._hidden_params["cache_hit"] is True  # stored under the fallback model


def test_router_budget_stops_the_loop_before_the_call_that_crosses(fake: FakeProvider) -> None:
    router = _router(fake, max_budget=1e-9, budget_duration="daily")
    router.completion(model="chat", messages=MESSAGES)
    with pytest.raises(BudgetExceededError) as info:
        router.completion(model="chat", messages=[{"role": "user", "content": "again"}])
    assert info.value.scope == "router" and len(fake.requests) == 1
    assert router.budgets[0].spent == info.value.current_cost > 0
    ask(fake, "not through the router")  # other calls are not limited by the Router's budget
    assert len(fake.requests) == 2


def test_router_with_a_budget_pickles(fake: FakeProvider) -> None:
    import pickle

    router = _router(fake, max_budget=2.0)
    copy = pickle.loads(pickle.dumps(router))
    assert copy.budgets[0].max_budget == 2.0
    copy.budgets[0].record(0.5)
    assert copy.budgets[0].spent == 0.5


def test_client_budget_stops_the_loop_before_the_call_that_crosses(fake: FakeProvider) -> None:
    client = Client("openai", api_key="k", api_base=fake.api_base, max_budget=1e-9)
    answered = 0
    with pytest.raises(BudgetExceededError) as info:
        for i in range(5):
            client.completion("gpt-4o-mini", [{"role": "user", "content": "q%d" % i}])
            answered += 1
    assert answered == 1 and len(fake.requests) == 1 and info.value.scope == "client:openai"
    assert client.budgets[0].spent > 0
    other = Client("openai", api_key="k", api_base=fake.api_base)
    other.completion("gpt-4o-mini", MESSAGES)  # another client: its own (no) budget
    assert other.budgets == [] and len(fake.requests) == 2


def test_client_budget_is_validated_with_the_configuration() -> None:
    with pytest.raises(ConfigError) as info:
        Client(ProviderConfig("openai", api_key="k", max_budget=-1, budget_duration="fortnightly"))
    assert "max_budget" in str(info.value) and "fortnightly" in str(info.value)


def test_async_stream_hit_and_async_budget(fake: FakeProvider) -> None:
    import asyncio

    litellm.cache = Cache()
    ask(fake)

    async def run() -> List[Any]:
        stream = await litellm.acompletion(messages=MESSAGES, stream=True, **fake.kwargs())
        return [chunk async for chunk in stream]

    chunks = asyncio.run(run())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) and len(fake.requests) == 1
    set_budget(1e-12, user="u")
    ask(fake, "spend it", user="u")
    with pytest.raises(BudgetExceededError):
        asyncio.run(litellm.acompletion(messages=[{"role": "user", "content": "more"}], user="u", **fake.kwargs()))
    assert len(fake.requests) == 2


def test_tag_budget_in_metadata_stops_embeddings(fake: FakeProvider) -> None:
    set_budget(1e-12, tag="batch")
    embed(fake, "one", metadata={"tags": ["batch"]})
    with pytest.raises(BudgetExceededError) as info:
        embed(fake, "two", metadata={"tags": ["batch"]})
    assert info.value.scope == "tag:batch" and len(fake.requests) == 1
    assert spend()["by_tag"]["batch"] > 0


# -- disk caches shared by processes ----------------------------------------------------------------

_WORKER = r"""
import sys
import litellm_lite as litellm
from litellm_lite.caching import Cache
litellm.cache = Cache(type="disk", disk_cache_dir=sys.argv[1])
hits = 0
for i in range(int(sys.argv[3])):
    r = litellm.completion(model="openai/gpt-4o-mini", api_base=sys.argv[2], api_key="k",
                           messages=[{"role": "user", "content": "shared %d" % (i % 4)}])
    hits += bool(r._hidden_params.get("cache_hit"))
    assert r.choices[0].message.content
print(hits)
"""


@pytest.mark.slow
def test_two_processes_share_one_disk_cache(fake: FakeProvider, tmp_path: Path) -> None:
    command = [sys.executable, "-c", _WORKER, str(tmp_path), fake.api_base, "12"]
    workers = [subprocess.Popen(command, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [o[1][-500:] for o in outputs]
    hits = sum(int(out.strip()) for out, _ in outputs)
    # 24 calls over 4 prompts: each prompt is sent at most once per process (a race may send it twice).
    assert 4 <= len(fake.requests) <= 8 and hits == 24 - len(fake.requests)
    assert not list(tmp_path.rglob("*.tmp*"))  # no temporary file left behind
    litellm.cache = Cache(type="disk", disk_cache_dir=str(tmp_path))
    for i in range(4):
        assert ask(fake, "shared %d" % i)._hidden_params["cache_hit"] is True


def test_cache_keywords_are_control_keywords() -> None:
    from litellm_lite import call_guard
    from litellm_lite.params import CONTROL_KWARGS, classify
    from litellm_lite.providers import get_spec

    assert call_guard.CONTROL_KWARGS <= CONTROL_KWARGS
    split = classify({"litellm_budgets": [Budget(1.0)], "cache": {}, "caching": True, "tags": ["t"]}, get_spec("openai"), (), "m")
    assert set(split.control) == {"litellm_budgets", "cache", "caching", "tags"} and not split.body


def test_rerank_answers_round_trip_and_unknown_kinds_are_not_stored() -> None:
    from litellm_lite._records import rebuild, record_kind
    from litellm_lite.rerank_wire import RerankResponse, RerankResult

    answer = RerankResponse(id="r1", results=[RerankResult(index=2, relevance_score=0.9, document={"text": "x"})], meta={"units": 1})
    kind = record_kind(answer)
    assert kind == "RerankResponse"
    again = rebuild(kind, answer.to_dict())
    assert again == answer and isinstance(again.results[0], RerankResult)

    class ResponsesAPIResponse:  # same name as a kind, but not the registered class
        pass

    assert record_kind(ResponsesAPIResponse()) is None


def test_a_budget_error_is_raised_as_is_never_a_fallback_or_a_retry(fake: FakeProvider) -> None:
    litellm.max_budget = 1e-12
    ask(fake)
    with pytest.raises(BudgetExceededError):
        ask(fake, "again", fallbacks=["openai/gpt-4o"])
    router = _router(fake, num_retries=3, fallbacks=[{"chat": ["chat"]}])
    router._sleep = lambda seconds: pytest.fail("a budget error is not retried")
    with pytest.raises(BudgetExceededError):
        router.completion(model="chat", messages=[{"role": "user", "content": "router"}])
    assert len(fake.requests) == 1
    assert [d["cooldown_until"] for d in router.deployment_stats()] == [None]  # not the deployment's fault
    litellm.max_budget = None
    router.completion(model="chat", messages=[{"role": "user", "content": "router"}])
    assert len(fake.requests) == 2
