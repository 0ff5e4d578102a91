"""caching.py: Cache front, module switches, and the lookup/store interface the orchestrator calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

import litellm_lite as litellm
from litellm_lite import caching
from litellm_lite.caching import Cache, before_call, before_embedding, disable_cache, enable_cache, update_cache
from litellm_lite.endpoint_types import ImageObject, ImageResponse, TextChoices, TextCompletionResponse
from litellm_lite.exceptions import BadRequestError
from litellm_lite.types import (
    ChatCompletionMessageToolCall,
    Choices,
    EmbeddingData,
    EmbeddingResponse,
    Function,
    Message,
    ModelResponse,
    PromptTokensDetails,
    Usage,
)

MESSAGES = [{"role": "user", "content": "Hi"}]


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _no_cache() -> Iterator[None]:
    disable_cache()
    yield
    disable_cache()


def answer(text: str = "Hello!", model: str = "gpt-4o-mini") -> ModelResponse:
    call = ChatCompletionMessageToolCall(id="call_1", function=Function(name="f", arguments='{"a": 1}'))
    return ModelResponse(
        model=model,
        choices=[Choices(message=Message(content=text, tool_calls=[call]), finish_reason="stop")],
        usage=Usage(prompt_tokens=3, completion_tokens=2, prompt_tokens_details=PromptTokensDetails(cached_tokens=1)),
    )


def lookup(**kwargs: Any) -> caching.CacheLookup:
    call = {"model": "gpt-4o-mini", "messages": MESSAGES}
    call.update(kwargs)
    return before_call("completion", call, provider="openai", model="gpt-4o-mini", api_base="https://api.openai.com/v1")


# -- Cache construction ---------------------------------------------------------------------------


def test_cache_types_and_errors(tmp_path: Path) -> None:
    assert isinstance(Cache().backend, caching.InMemoryCache)
    assert isinstance(Cache(type="disk", disk_cache_dir=str(tmp_path)).backend, caching.DiskCache)

    class TypeEnum:
        value = "local"

    assert Cache(type=TypeEnum()).type == "local"
    with pytest.raises(BadRequestError, match="type='custom', backend"):
        Cache(type="redis")
    with pytest.raises(BadRequestError, match="unsupported argument"):
        Cache(host="localhost")
    with pytest.raises(BadRequestError):
        Cache(type="nonsense")
    with pytest.raises(BadRequestError):
        Cache(type="custom")
    with pytest.raises(BadRequestError):
        Cache(mode="sometimes")
    assert "local" in repr(Cache())


def test_module_switches() -> None:
    assert litellm.cache is None
    made = enable_cache()
    assert litellm.cache is made and caching.active_cache() is made
    assert enable_cache() is made  # already on: kept
    replaced = update_cache(type="local", supported_call_types=["embedding"])
    assert litellm.cache is replaced and replaced.supported_call_types == ["embedding"]
    disable_cache()
    assert litellm.cache is None
    litellm.cache = "not a cache"
    with pytest.raises(BadRequestError, match="must be a Cache"):
        caching.active_cache()


def test_lazy_exports_from_the_package() -> None:
    assert litellm.Cache is Cache and litellm.enable_cache is enable_cache and litellm.disable_cache is disable_cache


# -- completion lookups ---------------------------------------------------------------------------


def test_no_cache_configured_means_no_lookup_and_no_store() -> None:
    found = lookup()
    assert not found.hit and found.key is None
    assert found.store(answer()) is False


def test_miss_store_hit_rebuilds_the_typed_response() -> None:
    litellm.cache = Cache()
    first = lookup()
    assert not first.hit and first.key
    assert first.store(answer()) is True
    second = lookup(api_key="sk-another-key", timeout=3, metadata={"x": 1})
    assert second.hit and second.key == first.key
    got = second.response()
    assert isinstance(got, ModelResponse)
    assert got.choices[0].message.content == "Hello!"
    assert isinstance(got.choices[0].message, Message) and isinstance(got.usage, Usage)
    assert got.choices[0].message.tool_calls[0].function.arguments == '{"a": 1}'
    assert isinstance(got.usage.prompt_tokens_details, PromptTokensDetails) and got.usage.prompt_tokens_details.cached_tokens == 1
    assert got._hidden_params["cache_hit"] is True and got._hidden_params["response_cost"] == 0.0
    expected = answer().to_dict()
    expected.update(id=got.id, created=got.created)
    assert got.to_dict() == expected
    again = second.response()  # a copy each time: mutating one never alters the other
    assert again is not got
    got.choices[0].message.content = "changed"
    assert lookup().response().choices[0].message.content == "Hello!"


def test_a_local_miss_keeps_the_answer_without_serialising_it(monkeypatch: pytest.MonkeyPatch) -> None:
    litellm.cache = Cache()
    stored = answer()

    def no_serialising(self: Any, exclude_none: bool = False) -> Any:
        raise AssertionError("a miss must not serialise the answer")

    monkeypatch.setattr(ModelResponse, "to_dict", no_serialising)
    assert lookup().store(stored) is True
    stored.choices[0].message.content = "changed by the caller after the call"  # the object the miss returned
    stored.choices[0].message.tool_calls.append(ChatCompletionMessageToolCall(id="call_2"))
    stored.usage.prompt_tokens = 1000
    first = lookup().response()
    assert first.choices[0].message.content == "Hello!" and len(first.choices[0].message.tool_calls) == 1
    assert first.usage.prompt_tokens == 3 and first._hidden_params["cache_hit"] is True
    first.choices[0].message.content = "changed by the caller after the hit"
    assert lookup().response().choices[0].message.content == "Hello!"
    monkeypatch.undo()
    expected = answer().to_dict()
    expected.update(id=first.id, created=first.created)
    again = lookup().response()
    assert again.to_dict() == expected and again.id == stored.id


def test_an_answer_kept_as_a_body_needs_a_parser_and_a_bad_body_is_a_miss(caplog: pytest.LogCaptureFixture) -> None:
    litellm.cache = Cache()
    assert lookup().store(answer(), body=b'{"id": "x"}')
    found = lookup()
    assert found.hit and isinstance(found._cached, caching.WireBody)  # noqa: SLF001
    with pytest.raises(BadRequestError, match="kept as a body"):
        found.response()
    rebuilt = found.response(lambda body: answer(text=body.decode()))
    assert rebuilt.choices[0].message.content == '{"id": "x"}' and rebuilt._hidden_params["cache_hit"] is True
    # an entry whose body is not bytes (a custom writer, a corrupt store) is ignored and deleted
    key = found.key
    assert key is not None
    litellm.cache.backend.set(key, {"kind": "wire-body", "body": "text", "stored_at": 0.0})
    assert not lookup().hit
    assert litellm.cache.backend.get(key) is None
    assert "unreadable cache entry" in caplog.text


def test_a_backend_that_serialises_never_gets_a_body(tmp_path: Path) -> None:
    litellm.cache = Cache(type="disk", disk_cache_dir=str(tmp_path))
    assert lookup().store(answer(), body=b'{"id": "x"}')
    got = lookup()
    assert got.hit and not isinstance(got._cached, caching.WireBody)  # noqa: SLF001
    assert got.response().choices[0].message.content == "Hello!"


def test_a_cache_hit_is_not_stored_again() -> None:
    litellm.cache = Cache()
    lookup().store(answer())
    hit = lookup()
    assert hit.store(hit.response()) is False


def test_different_parameters_miss() -> None:
    litellm.cache = Cache()
    lookup().store(answer())
    assert not lookup(temperature=0.9).hit
    assert not lookup(messages=[{"role": "user", "content": "Other"}]).hit
    assert lookup(stream=True).hit  # stream itself is not part of the key


def test_per_call_controls() -> None:
    clock = Clock()
    litellm.cache = Cache(clock=clock)
    lookup().store(answer("old"))
    assert not lookup(caching=False).hit
    assert lookup(caching=False).store(answer()) is False
    nocache = lookup(cache={"no-cache": True})
    assert not nocache.hit  # not read...
    nocache.store(answer("new"))  # ...but the fresh answer is stored
    assert lookup().response().choices[0].message.content == "new"
    nostore = lookup(cache={"no-store": True, "no-cache": True})
    assert nostore.store(answer("never")) is False
    assert lookup().response().choices[0].message.content == "new"
    clock.now += 100
    assert not lookup(cache={"s-maxage": 50}).hit  # stored 100 s ago: too old for this caller
    assert lookup(cache={"s-maxage": 150}).hit
    lookup(cache={"ttl": 10, "no-cache": True}).store(answer("short"))
    assert lookup().hit
    clock.now += 11
    assert not lookup().hit  # the per-call ttl expired
    assert not lookup(cache={"namespace": "team-a"}).hit


@pytest.mark.parametrize(
    "kwargs",
    [{"cache": "yes"}, {"cache": {"no_cache": True}}, {"cache": {"ttl": -1}}, {"cache": {"s-maxage": "1"}}, {"caching": "yes"}],
)
def test_bad_controls_are_our_error_even_without_a_cache(kwargs: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        lookup(**kwargs)


def test_default_off_mode_caches_only_on_request() -> None:
    litellm.cache = Cache(mode="default_off")
    assert lookup().key is None
    lookup(caching=True).store(answer())
    assert lookup(caching=True).hit
    assert lookup(cache={"use-cache": True}).hit
    assert not lookup().hit


def test_supported_call_types() -> None:
    litellm.cache = Cache(supported_call_types=["embedding"])
    assert lookup().key is None
    litellm.cache = Cache(supported_call_types=["acompletion"])  # the async name covers the sync form
    assert lookup().key is not None


def test_uncacheable_call_is_sent_normally() -> None:
    litellm.cache = Cache()
    found = lookup(extra_body={"x": object()})
    assert found.key is None and not found.hit and found.store(answer()) is False


def test_other_response_types_roundtrip() -> None:
    litellm.cache = Cache()
    text = TextCompletionResponse(model="m", choices=[TextChoices(text="abc", index=0, finish_reason="stop")], usage=Usage(prompt_tokens=1))
    found = before_call("text_completion", {"prompt": "x"}, provider="openai", model="m")
    found.store(text)
    got = before_call("atext_completion", {"prompt": "x"}, provider="openai", model="m").response()
    assert isinstance(got, TextCompletionResponse) and isinstance(got.choices[0], TextChoices) and got.choices[0].text == "abc"
    image = ImageResponse(data=[ImageObject(url="http://x/1.png")])
    before_call("image_generation", {"prompt": "cat"}, provider="openai", model="dall-e-3").store(image)
    got_image = before_call("image_generation", {"prompt": "cat"}, provider="openai", model="dall-e-3").response()
    assert isinstance(got_image.data[0], ImageObject) and got_image.data[0].url == "http://x/1.png"
    raw = {"results": [{"index": 0, "relevance_score": 0.5}]}
    before_call("rerank", {"query": "q"}, provider="cohere", model="r").store(raw)
    assert before_call("rerank", {"query": "q"}, provider="cohere", model="r").response() == raw
    assert before_call("rerank", {"query": "zzz"}, provider="cohere", model="r").store(object()) is False


def test_response_on_a_miss_is_our_error() -> None:
    litellm.cache = Cache()
    with pytest.raises(BadRequestError):
        lookup().response()


# -- custom backends and broken entries ------------------------------------------------------------


class DictBackend:
    def __init__(self) -> None:
        self.data: Dict[str, Any] = {}
        self.ttls: List[Optional[float]] = []

    def get(self, key: str) -> Optional[Any]:
        return self.data.get(key)

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        self.ttls.append(ttl)
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


def test_custom_backend_gets_plain_json_data_and_ttl() -> None:
    backend = DictBackend()
    litellm.cache = Cache(type="custom", backend=backend, ttl=30)
    lookup().store(answer())
    lookup(cache={"ttl": 5, "no-cache": True}).store(answer())
    assert backend.ttls == [30, 5]
    (entry,) = backend.data.values()
    assert entry["kind"] == "ModelResponse" and entry["data"]["choices"][0]["message"]["content"] == "Hello!"
    import json

    json.dumps(entry)  # plain data only
    assert lookup().hit
    assert Cache(backend=backend).type == "custom"


def test_unreadable_entries_are_misses_and_deleted(caplog: pytest.LogCaptureFixture) -> None:
    backend = DictBackend()
    litellm.cache = Cache(backend=backend)
    key = lookup().key
    for bad in ("text", {"kind": "Nope", "data": {}}, {"kind": "ModelResponse", "data": 5}, {"data": {}}):
        backend.data[key] = bad
        assert not lookup().hit
        assert key not in backend.data
    assert "unreadable cache entry" in caplog.text


class BrokenBackend(DictBackend):
    def get(self, key: str) -> Optional[Any]:
        raise ConnectionError("down")

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        raise ConnectionError("down")


def test_a_failing_backend_never_fails_the_call(caplog: pytest.LogCaptureFixture) -> None:
    litellm.cache = Cache(backend=BrokenBackend())
    found = lookup()
    assert not found.hit
    assert found.store(answer()) is False
    assert "cache read failed" in caplog.text and "cache store failed" in caplog.text


def test_clear_and_direct_access(tmp_path: Path) -> None:
    cache = Cache(type="disk", disk_cache_dir=str(tmp_path))
    cache.set("k", {"a": 1})
    assert cache.get("k") == {"a": 1}
    cache.delete("k")
    assert cache.get("k") is None
    cache.set("k", 1)
    cache.clear()
    assert cache.get("k") is None
    with pytest.raises(BadRequestError):
        Cache(backend=DictBackend()).clear()


def test_litellm_helpers_get_cache_key_add_cache_get_cache() -> None:
    cache = Cache()
    kwargs = {"model": "gpt-4o-mini", "messages": MESSAGES, "custom_llm_provider": "openai", "api_base": "https://api.openai.com/v1"}
    assert cache.get_cache_key(**kwargs) == cache.get_cache_key(**kwargs, api_key="sk-123456789")
    assert cache.get_cache(**kwargs) is None
    cache.add_cache(answer(), **kwargs)
    assert cache.get_cache(**kwargs).choices[0].message.content == "Hello!"
    litellm.cache = cache
    assert lookup().hit  # the same key as the orchestrator's lookup


# -- embeddings ---------------------------------------------------------------------------------------


def emb_lookup(inputs: Any, **kwargs: Any) -> caching.EmbeddingLookup:
    call = {"model": "text-embedding-3-small", "input": inputs}
    call.update(kwargs)
    return before_embedding(call, provider="openai", model="text-embedding-3-small")


def sent_for(inputs: List[str]) -> EmbeddingResponse:
    response = EmbeddingResponse(
        model="text-embedding-3-small",
        data=[EmbeddingData(embedding=[float(len(text)), float(i)], index=i) for i, text in enumerate(inputs)],
        usage=Usage(prompt_tokens=len(inputs)),
    )
    response._hidden_params["response_cost"] = 0.001
    return response


def test_embedding_without_cache_passes_through() -> None:
    found = emb_lookup(["a", "b"])
    assert found.missing_inputs == ["a", "b"] and not found.all_hit
    sent = sent_for(["a", "b"])
    assert found.merge(sent) is sent


def test_embedding_batch_sends_only_new_inputs_and_merges_in_order() -> None:
    litellm.cache = Cache()
    first = emb_lookup(["aa", "b"])
    first.merge(sent_for(first.missing_inputs))
    second = emb_lookup(["ccc", "aa", "dddd", "b"])
    assert second.missing_inputs == ["ccc", "dddd"]
    merged = second.merge(sent_for(second.missing_inputs))
    assert [d.index for d in merged.data] == [0, 1, 2, 3]
    assert merged.data[0].embedding == [3.0, 0.0] and merged.data[2].embedding == [4.0, 1.0]
    assert merged.data[1].embedding == [2.0, 0.0] and merged.data[3].embedding == [1.0, 1.0]
    assert merged.usage.prompt_tokens == 2 and merged._hidden_params["cached_inputs"] == 2
    assert not merged._hidden_params.get("cache_hit")
    third = emb_lookup(["b", "dddd"])
    assert third.all_hit and third.missing_inputs == []
    full = third.merge(None)
    assert full._hidden_params["cache_hit"] is True and full._hidden_params["response_cost"] == 0.0
    assert [d.embedding for d in full.data] == [[1.0, 1.0], [4.0, 1.0]]


def test_embedding_single_string_and_token_inputs() -> None:
    litellm.cache = Cache()
    one = emb_lookup("hello")
    assert one.inputs == ["hello"]
    one.merge(sent_for(["hello"]))
    assert emb_lookup("hello").all_hit and emb_lookup(["hello"]).all_hit
    tokens = emb_lookup([1, 2, 3])
    assert tokens.inputs == [[1, 2, 3]]


def test_embedding_controls_and_parameters() -> None:
    litellm.cache = Cache()
    emb_lookup(["a"]).merge(sent_for(["a"]))
    assert not emb_lookup(["a"], dimensions=64).hits
    assert not emb_lookup(["a"], cache={"no-cache": True}).hits
    assert not emb_lookup(["a"], caching=False).hits
    nostore = emb_lookup(["z"], cache={"no-store": True})
    nostore.merge(sent_for(["z"]))
    assert not emb_lookup(["z"]).hits


def test_embedding_vector_count_mismatch_is_our_error() -> None:
    litellm.cache = Cache()
    emb_lookup(["a"]).merge(sent_for(["a"]))
    found = emb_lookup(["a", "b", "c"])
    with pytest.raises(BadRequestError):
        found.merge(sent_for(["b"]))


def test_embedding_ignores_foreign_entries() -> None:
    backend = DictBackend()
    litellm.cache = Cache(backend=backend)
    key = emb_lookup(["a"]).keys[0]
    backend.data[key] = {"kind": "ModelResponse", "data": {}}
    assert not emb_lookup(["a"]).hits


def test_embedding_with_a_failing_backend_sends_everything(caplog: pytest.LogCaptureFixture) -> None:
    litellm.cache = Cache(backend=BrokenBackend())
    found = emb_lookup(["a", "b"])
    assert found.missing_inputs == ["a", "b"]
    assert found.merge(sent_for(["a", "b"])).data[1].embedding == [1.0, 1.0]
    assert "cache read failed" in caplog.text


def test_embedding_store_failure_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    class WriteFails(DictBackend):
        def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
            raise OSError("disk full")

    litellm.cache = Cache(backend=WriteFails())
    emb_lookup(["a"]).merge(sent_for(["a"]))
    assert "cache store failed" in caplog.text


def test_embedding_s_maxage() -> None:
    clock = Clock()
    litellm.cache = Cache(clock=clock)
    emb_lookup(["a"]).merge(sent_for(["a"]))
    clock.now += 100
    assert not emb_lookup(["a"], cache={"s-maxage": 10}).hits
    assert emb_lookup(["a"], cache={"s-maxage": 1000}).all_hit
