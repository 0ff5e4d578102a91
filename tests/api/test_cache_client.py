"""Caching through a Client: the module cache applies unless the client has its own (or none), against
FakeProvider over real HTTP (zero requests on every hit)."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path
from typing import Any, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite.caching import Cache, disable_cache
from litellm_lite.client import Client, ProviderConfig
from litellm_lite.config_errors import ConfigError
from litellm_lite.exceptions import BadRequestError
from litellm_lite.testing import FakeProvider

MESSAGES = [{"role": "user", "content": "What is 2+2?"}]
EMBED = "text-embedding-3-small"

FAKE_MODEL = "gpt-4o-mini"  # what the conftest fake answers as


@pytest.fixture(autouse=True)
def _no_module_cache() -> Iterator[None]:
    disable_cache()
    yield
    disable_cache()


def client(fake: FakeProvider, **fields: Any) -> Client:
    return Client("openai", api_key="k", api_base=fake.api_base, **fields)


def ask(who: Client, content: str = "What is 2+2?", **kwargs: Any) -> Any:
    return who.completion("gpt-4o-mini", [{"role": "user", "content": content}], **kwargs)


def test_the_module_cache_applies_to_client_calls(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    mine = client(fake)
    assert mine.config.cache == "module" and mine.cache is litellm.cache
    first = ask(mine)
    second = ask(mine)
    assert len(fake.requests) == 1
    assert second._hidden_params["cache_hit"] is True and second._hidden_params["response_cost"] == 0.0
    assert not first._hidden_params.get("cache_hit") and second.choices[0].message.content == first.choices[0].message.content
    direct = litellm.completion(messages=MESSAGES, **fake.kwargs())  # the same request made without the client
    assert direct._hidden_params["cache_hit"] is True and len(fake.requests) == 1
    litellm.cache = None  # read at each call: switched off for the client too
    ask(mine)
    assert len(fake.requests) == 2 and mine.cache is None


def test_a_client_with_its_own_cache_uses_it_instead_of_the_module_one(fake: FakeProvider) -> None:
    litellm.cache = module = Cache()
    own = Cache(type="local", max_size=10)
    mine = client(fake, cache=own)
    assert mine.cache is own
    ask(mine)
    hit = ask(mine)
    assert hit._hidden_params["cache_hit"] is True and len(fake.requests) == 1
    assert len(own.backend) == 1 and len(module.backend) == 0  # the module cache was not touched
    litellm.completion(messages=MESSAGES, **fake.kwargs())  # a module call does not see the client's entries
    assert len(fake.requests) == 2 and len(module.backend) == 1
    disable_cache()
    assert ask(mine)._hidden_params["cache_hit"] is True and len(fake.requests) == 2  # no module cache needed


def test_a_client_with_cache_none_never_caches(fake: FakeProvider) -> None:
    litellm.cache = module = Cache()
    mine = client(fake, cache=None)
    assert mine.cache is None
    ask(mine)
    again = ask(mine)
    assert len(fake.requests) == 2 and not again._hidden_params.get("cache_hit") and len(module.backend) == 0
    with pytest.raises(BadRequestError):
        ask(mine, cache={"unknown-control": 1})  # the keywords are still checked, before sending
    assert len(fake.requests) == 2


def test_per_call_controls_through_a_client(fake: FakeProvider) -> None:
    mine = client(fake, cache=Cache())
    ask(mine)
    ask(mine, caching=False)
    fresh = ask(mine, cache={"no-cache": True})
    assert len(fake.requests) == 3 and not fresh._hidden_params.get("cache_hit")
    ask(mine, "not kept", cache={"no-store": True})
    ask(mine, "not kept")
    assert len(fake.requests) == 5
    assert ask(mine)._hidden_params["cache_hit"] is True and len(fake.requests) == 5


def test_streamed_embedding_and_async_hits_through_a_client(fake: FakeProvider) -> None:
    mine = client(fake, cache=Cache())
    first = ask(mine)
    chunks = list(mine.completion("gpt-4o-mini", MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == first.choices[0].message.content
    hit = asyncio.run(mine.acompletion("gpt-4o-mini", MESSAGES))
    assert hit._hidden_params["cache_hit"] is True and len(fake.requests) == 1
    mine.embedding(EMBED, ["a", "b"])
    both = mine.embedding(EMBED, ["a", "new", "b"])
    assert len(fake.requests) == 3 and fake.requests[-1].json["input"] == ["new"] and len(both.data) == 3
    whole = asyncio.run(mine.aembedding(EMBED, ["b", "new"]))
    assert whole._hidden_params["cache_hit"] is True and len(fake.requests) == 3


def test_two_clients_keep_their_own_caches_apart(fake: FakeProvider) -> None:
    first, second = client(fake, cache=Cache()), client(fake, cache=Cache())
    ask(first)
    ask(second)
    assert len(fake.requests) == 2
    assert ask(first)._hidden_params["cache_hit"] and ask(second)._hidden_params["cache_hit"] and len(fake.requests) == 2


def test_a_health_check_is_never_answered_from_the_cache(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    mine = client(fake)
    assert mine.health_check("gpt-4o-mini").healthy and mine.health_check("gpt-4o-mini").healthy
    assert len(fake.requests) == 2 and len(litellm.cache.backend) == 0


def test_the_module_health_check_and_a_router_check_are_never_answered_from_the_cache(fake: FakeProvider) -> None:
    from litellm_lite.router_health import health_check

    litellm.cache = Cache()
    kwargs = dict(api_base=fake.api_base, api_key="k")
    assert health_check("openai/gpt-4o-mini", **kwargs).healthy and health_check("openai/gpt-4o-mini", **kwargs).healthy
    assert len(fake.requests) == 2 and len(litellm.cache.backend) == 0


def test_the_cache_field_is_validated_with_the_configuration() -> None:
    for bad in ("yes", {"type": "local"}, True):
        with pytest.raises(ConfigError, match="cache must be 'module'"):
            Client(ProviderConfig("openai", api_key="k", cache=bad))
    with pytest.raises(ConfigError, match="litellm_cache"):
        Client("openai", api_key="k", extra_params={"litellm_cache": None})
    assert "cache=None" in repr(ProviderConfig("openai", cache=None))


def test_a_client_with_its_own_cache_pickles_with_it(fake: FakeProvider, tmp_path: Path) -> None:
    memory = client(fake, cache=Cache())
    ask(memory)
    copy = pickle.loads(pickle.dumps(memory))
    assert copy.cache is not memory.cache and ask(copy)._hidden_params["cache_hit"] is True  # entries came along
    ask(copy, "only in the copy")
    assert len(fake.requests) == 2 and ask(memory, "only in the copy") and len(fake.requests) == 3
    disk = client(fake, cache=Cache(type="disk", disk_cache_dir=str(tmp_path)))
    ask(disk, "on disk")
    shared = pickle.loads(pickle.dumps(disk))
    assert ask(shared, "on disk")._hidden_params["cache_hit"] is True and len(fake.requests) == 4  # the same directory


def test_direct_calls_with_use_module_settings_false_still_skip_the_module_cache(fake: FakeProvider) -> None:
    litellm.cache = Cache()
    seen: List[Any] = []
    for _ in range(2):
        seen.append(litellm.completion(messages=MESSAGES, use_module_settings=False, **fake.kwargs()))
    assert len(fake.requests) == 2 and len(litellm.cache.backend) == 0
    litellm.completion(messages=MESSAGES, use_module_settings=False, litellm_cache="module", **fake.kwargs())
    assert len(litellm.cache.backend) == 1  # the control keyword a Client passes asks for it explicitly


def test_other_endpoints_through_a_client_hit_its_cache(fake: FakeProvider) -> None:
    mine = client(fake, cache=Cache())
    for call in (lambda: mine.text_completion("gpt-4o-mini", "Say hi"), lambda: mine.moderation("some text", "omni-moderation-latest")):
        before = len(fake.requests)
        call()
        again = call()
        assert again._hidden_params["cache_hit"] is True and len(fake.requests) == before + 1
