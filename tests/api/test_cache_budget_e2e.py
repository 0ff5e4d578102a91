"""Caching and budgets through completion() and embedding() against FakeProvider (real HTTP)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite.budget import BudgetExceededError, reset_spend, set_budget, spend
from litellm_lite.caching import Cache, disable_cache
from litellm_lite.exceptions import APIConnectionError, BadRequestError
from litellm_lite.testing import FakeProvider

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "What is 2+2?"}]

FAKE_MODEL = "gpt-4o-mini"  # what the conftest fake answers as


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    disable_cache()
    monkeypatch.setattr(litellm, "max_budget", None)
    reset_spend(budgets=True)
    yield
    disable_cache()
    reset_spend(budgets=True)


def call(fake: FakeProvider, **kwargs: Any) -> Any:
    target = dict(fake.kwargs(), **kwargs)
    return litellm.completion(messages=target.pop("messages", MESSAGES), **target)


def test_a_hit_sends_zero_requests(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_reply("Four.")
    first = call(fake, temperature=0)
    assert first.choices[0].message.content == "Four." and len(fake.requests) == 1
    assert not first._hidden_params.get("cache_hit")
    second = call(fake, temperature=0, api_key="a-different-key", timeout=5, metadata={"run": 2})
    assert len(fake.requests) == 1  # answered from the cache
    assert second.choices[0].message.content == "Four."
    assert second._hidden_params["cache_hit"] is True and second._hidden_params["response_cost"] == 0.0
    call(fake, temperature=1)  # a parameter that changes the answer: sent
    assert len(fake.requests) == 2


def test_control_keywords_are_never_sent(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    call(fake, cache={"no-store": True}, caching=True, tags=["eval"])
    body = fake.requests[-1].json
    assert not {"cache", "caching", "tags"} & set(body)


def test_bypass_keywords(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_reply("one").add_reply("two").add_reply("three")
    call(fake)
    assert call(fake, caching=False).choices[0].message.content == "two"
    fresh = call(fake, cache={"no-cache": True})
    assert fresh.choices[0].message.content == "three" and len(fake.requests) == 3
    assert call(fake).choices[0].message.content == "three"  # no-cache stored the fresh answer
    assert len(fake.requests) == 3
    call(fake, messages=[{"role": "user", "content": "new"}], cache={"no-store": True})
    call(fake, messages=[{"role": "user", "content": "new"}])
    assert len(fake.requests) == 5  # nothing was stored by the no-store call


def test_bad_cache_keyword_fails_before_sending(fake: FakeProvider) -> None:
    with pytest.raises(BadRequestError):
        call(fake, cache="yes")
    assert fake.requests == []


def test_streamed_hit_replays_chunks_with_zero_requests(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_reply("The answer is four.")
    streamed = "".join(c.choices[0].delta.content or "" for c in call(fake, stream=True) if c.choices)
    assert streamed == "The answer is four." and len(fake.requests) == 1
    replay = call(fake, stream=True)
    assert replay._hidden_params["cache_hit"] is True
    assert "".join(c.choices[0].delta.content or "" for c in replay if c.choices) == "The answer is four."
    assert call(fake).choices[0].message.content == "The answer is four."  # plain call, same entry
    assert len(fake.requests) == 1


def test_a_cut_stream_is_never_stored(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_reply("a long answer that will be cut", cut_after_chunks=2)
    with pytest.raises(APIConnectionError):
        for _ in call(fake, stream=True):
            pass
    fake.add_reply("whole")
    assert call(fake).choices[0].message.content == "whole"
    assert len(fake.requests) == 2


def test_an_abandoned_stream_is_never_stored(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    fake.add_reply("a fairly long answer to abandon")
    stream = call(fake, stream=True)
    next(iter(stream))
    stream.close()
    list(stream)
    fake.add_reply("fresh")
    assert call(fake).choices[0].message.content == "fresh"


def test_embeddings_batch_sends_only_new_inputs(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    kwargs: Dict[str, Any] = {"model": "openai/text-embedding-3-small", "api_base": fake.api_base, "api_key": "k"}
    first = litellm.embedding(input=["alpha", "beta"], **kwargs)
    assert len(fake.requests) == 1
    mixed = litellm.embedding(input=["gamma", "alpha", "beta", "delta"], **kwargs)
    assert len(fake.requests) == 2
    assert fake.requests[-1].json["input"] == ["gamma", "delta"]
    assert mixed.data[1].embedding == first.data[0].embedding and mixed.data[2].embedding == first.data[1].embedding
    assert [d.index for d in mixed.data] == [0, 1, 2, 3]
    fresh = litellm.embedding(input=["gamma", "delta"], **kwargs)
    assert fresh._hidden_params["cache_hit"] is True and len(fake.requests) == 2
    assert fresh.data[0].embedding == mixed.data[0].embedding
    litellm.embedding(input="alpha", dimensions=4, **kwargs)  # another parameter: sent
    assert len(fake.requests) == 3


def test_ttl_expiry_end_to_end(fake: FakeProvider) -> None:
    now = [1000.0]
    litellm.cache = Cache(ttl=60, clock=lambda: now[0])
    call(fake)
    call(fake)
    assert len(fake.requests) == 1
    now[0] += 61
    call(fake)
    assert len(fake.requests) == 2


_CHILD = r"""
import sys
import litellm_lite as litellm
from litellm_lite.caching import Cache
litellm.cache = Cache(type="disk", disk_cache_dir=sys.argv[1])
r = litellm.completion(model="openai/gpt-4o-mini", api_base=sys.argv[2], api_key="k",
                       messages=[{"role": "user", "content": "persist me"}])
print(r.choices[0].message.content, bool(r._hidden_params.get("cache_hit")))
"""


@pytest.mark.slow
def test_disk_cache_persists_across_a_new_process(fake: FakeProvider, tmp_path: Path) -> None:
    fake.add_reply("remembered")
    run = [sys.executable, "-c", _CHILD, str(tmp_path), fake.api_base]
    first = subprocess.run(run, check=True, cwd=str(ROOT), capture_output=True, text=True).stdout.split()
    second = subprocess.run(run, check=True, cwd=str(ROOT), capture_output=True, text=True).stdout.split()
    assert first == ["remembered", "False"] and second == ["remembered", "True"]
    assert len(fake.requests) == 1
    litellm.cache = Cache(type="disk", disk_cache_dir=str(tmp_path))
    here = litellm.completion(model="openai/gpt-4o-mini", api_base=fake.api_base, api_key="other",
                              messages=[{"role": "user", "content": "persist me"}])
    assert here.choices[0].message.content == "remembered" and len(fake.requests) == 1


# -- budgets ------------------------------------------------------------------------------------------


def test_budget_stops_a_loop_before_the_call_that_crosses(fake: FakeProvider) -> None:
    litellm.max_budget = 1e-9  # any priced call exceeds it
    fake.model = "gpt-4o-mini"
    sent: List[Any] = []
    with pytest.raises(BudgetExceededError) as info:
        for i in range(5):
            sent.append(call(fake, messages=[{"role": "user", "content": "q%d" % i}]))
    assert len(sent) == 1 and len(fake.requests) == 1  # the second call never reached the server
    assert info.value.max_budget == 1e-9 and info.value.current_cost > 0
    totals = spend()
    assert totals["by_provider"]["openai"] == pytest.approx(totals["total"]) and totals["calls"] == 1


def test_cache_hits_are_served_and_free_even_over_budget(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    litellm.max_budget = 1e-9
    call(fake)
    cost = spend()["total"]
    hit = call(fake)  # over budget, but a hit costs nothing and sends nothing
    assert hit._hidden_params["cache_hit"] is True and len(fake.requests) == 1
    assert spend()["total"] == cost and spend()["cache_hits"] == 1
    with pytest.raises(BudgetExceededError):
        call(fake, messages=[{"role": "user", "content": "not cached"}])
    assert len(fake.requests) == 1


def test_user_and_tag_budgets_end_to_end(fake: FakeProvider) -> None:
    set_budget(1e-9, user="alice")
    set_budget(1e-9, tag="eval")
    call(fake, user="alice")
    with pytest.raises(BudgetExceededError) as info:
        call(fake, user="alice")
    assert info.value.scope == "user:alice"
    call(fake, user="bob", metadata={"tags": ["eval"]})
    with pytest.raises(BudgetExceededError):
        call(fake, tags=["eval"])
    assert len(fake.requests) == 2
    assert set(spend()["by_user"]) == {"alice", "bob"} and set(spend()["by_tag"]) == {"eval"}


def test_unpriced_model_is_counted_not_free(fake: FakeProvider, caplog: pytest.LogCaptureFixture) -> None:
    fake.model = "my-own-finetune-xyz"
    call(fake)
    call(fake)
    totals = spend()
    assert totals["unpriced_calls"] == 2 and totals["unpriced_models"] == {"openai/my-own-finetune-xyz": 2}
    assert sum("no known price" in r.getMessage() for r in caplog.records) == 1


def test_streamed_spend_is_recorded_on_completion(fake: FakeProvider) -> None:
    fake.add_reply("streamed words here")
    for _ in call(fake, stream=True, stream_options={"include_usage": True}):
        pass
    assert spend()["calls"] == 1 and spend()["total"] > 0


def test_async_forms_share_the_cache_and_budgets(fake: FakeProvider) -> None:
    import asyncio

    litellm.cache = Cache()
    fake.add_reply("async answer")

    async def run() -> List[Any]:
        first = await litellm.acompletion(messages=MESSAGES, **fake.kwargs())
        second = await litellm.acompletion(messages=MESSAGES, **fake.kwargs())
        vectors = await litellm.aembedding(model="openai/text-embedding-3-small", input=["x"], api_base=fake.api_base, api_key="k")
        again = await litellm.aembedding(model="openai/text-embedding-3-small", input=["x"], api_base=fake.api_base, api_key="k")
        return [first, second, vectors, again]

    first, second, _, again = asyncio.run(run())
    assert second._hidden_params["cache_hit"] and again._hidden_params["cache_hit"]
    assert call(fake)._hidden_params["cache_hit"]  # the sync form reads what the async one stored
    assert len(fake.requests) == 2
    set_budget(1e-12, tag="async")
    call(fake, messages=[{"role": "user", "content": "spend"}], tags="async")
    with pytest.raises(BudgetExceededError):
        asyncio.run(litellm.acompletion(messages=[{"role": "user", "content": "more"}], tags="async", **fake.kwargs()))
    assert len(fake.requests) == 3
