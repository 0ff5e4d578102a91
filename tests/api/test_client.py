"""Client and ProviderConfig: per-provider configuration that is not module-global."""

from __future__ import annotations

import asyncio
import pickle
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import litellm_lite
from litellm_lite import client as client_module
from litellm_lite.client import Capabilities, Client, ProviderConfig
from litellm_lite.config_errors import ConfigError
from litellm_lite.exceptions import BadRequestError, LiteLLMError
from litellm_lite.responses_api import BridgedResponsesStream, ResponsesAPIResponse, ResponsesStream, ResponsesStreamWrapper
from litellm_lite.testing import FakeProvider

MSG = [{"role": "user", "content": "Hi"}]


@pytest.fixture
def fake2() -> Iterator[FakeProvider]:
    with FakeProvider(echo_prefix="two:") as f:
        yield f


def _client(fake: FakeProvider, key: str = "key-aaaa-1111", **kw: Any) -> Client:
    return Client("openai", api_key=key, api_base=fake.api_base, default_model="fake-model", **kw)


def test_completion_uses_the_clients_key_base_and_extra_params(fake: FakeProvider) -> None:
    c = _client(fake, extra_params={"reasoning_effort": "low"}, headers={"X-Tenant": "t1"})
    r = c.completion(messages=MSG)
    assert r.choices[0].message.content == "Hi"
    req = fake.requests[-1]
    assert req.headers["authorization"] == "Bearer key-aaaa-1111"
    assert req.headers["x-tenant"] == "t1"
    assert req.json["reasoning_effort"] == "low"
    assert req.json["model"] == "fake-model"


def test_call_keywords_override_the_client(fake: FakeProvider) -> None:
    c = _client(fake, extra_params={"reasoning_effort": "low"})
    c.completion(model="other-model", messages=MSG, reasoning_effort="high", extra_headers={"X-Req": "1"})
    req = fake.requests[-1]
    assert req.json["model"] == "other-model" and req.json["reasoning_effort"] == "high"
    assert req.headers["x-req"] == "1"


def test_module_settings_do_not_change_a_built_clients_key_base_timeout_or_retries(
    fake: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = _client(fake, max_retries=0, timeout_seconds=5)
    monkeypatch.setattr(litellm_lite, "api_key", "module-key-zzzz", raising=False)
    monkeypatch.setattr(litellm_lite, "api_base", "http://127.0.0.1:9/v1", raising=False)
    monkeypatch.setattr(litellm_lite, "num_retries", 7, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "env-key-yyyy")
    c.completion(messages=MSG)
    assert fake.requests[-1].headers["authorization"] == "Bearer key-aaaa-1111"
    call = c.call_kwargs(None, {})
    assert call["num_retries"] == 0 and call["timeout"] == 5.0 and call["drop_params"] is False


def test_extra_params_apply_to_chat_only(fake: FakeProvider) -> None:
    c = _client(fake, extra_params={"reasoning_effort": "low"})
    c.embedding(input=["a"])
    assert "reasoning_effort" not in fake.requests[-1].json


def test_other_endpoints(fake: FakeProvider) -> None:
    c = _client(fake)
    emb = c.embedding(input=["hello"])
    assert len(emb.data) == 1
    assert fake.requests[-1].path.endswith("/embeddings")
    img = c.image_generation("a cat", model="dall-e-3")
    assert fake.requests[-1].path.endswith("/images/generations") and img.data
    mod = c.moderation("hello", model="omni-moderation-latest")
    assert fake.requests[-1].path.endswith("/moderations") and mod.results
    txt = c.text_completion(model="gpt-3.5-turbo-instruct", prompt="Say hi")
    assert fake.requests[-1].path.endswith("/completions") and txt.choices
    speech = c.speech(model="tts-1", input="hi", voice="alloy")
    assert fake.requests[-1].path.endswith("/audio/speech") and speech.content
    tr = c.transcription(model="whisper-1", file=("a.wav", b"RIFF0000WAVE"))
    assert fake.requests[-1].path.endswith("/audio/transcriptions") and isinstance(tr.text, str)
    for req in fake.requests:
        assert req.headers["authorization"] == "Bearer key-aaaa-1111"


def test_async_forms(fake: FakeProvider) -> None:
    c = _client(fake)

    async def run() -> Tuple[Any, ...]:
        return await asyncio.gather(
            c.acompletion(messages=MSG),
            c.aembedding(input=["x"]),
            c.amoderation("x", model="omni-moderation-latest"),
            c.atext_completion(model="gpt-3.5-turbo-instruct", prompt="p"),
            c.aimage_generation("cat", model="dall-e-3"),
            c.aspeech(model="tts-1", input="hi", voice="alloy"),
            c.atranscription(model="whisper-1", file=("a.wav", b"RIFF0000WAVE")),
        )

    results = asyncio.run(run())
    assert results[0].choices[0].message.content == "Hi"
    assert len(fake.requests) == 7


def test_streams_through_a_client_sync_and_async(fake: FakeProvider) -> None:
    from litellm_lite.streaming import CustomStreamWrapper, TextCompletionStreamWrapper

    c = _client(fake, extra_params={"reasoning_effort": "low"})
    stream = c.completion(messages=MSG, stream=True)
    assert isinstance(stream, CustomStreamWrapper)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream) == "Hi"
    assert fake.requests[-1].json["stream"] is True and fake.requests[-1].json["reasoning_effort"] == "low"
    text = c.text_completion(model="gpt-3.5-turbo-instruct", prompt="Say hi", stream=True)
    assert isinstance(text, TextCompletionStreamWrapper)
    assert "".join(chunk.choices[0].text or "" for chunk in text)
    assert fake.requests[-1].json["stream"] is True
    assert not isinstance(c.completion(messages=MSG, stream=False), CustomStreamWrapper)

    async def run() -> Tuple[str, Any, Any]:
        astream = await c.acompletion(messages=MSG, stream=True)
        pieces = [chunk.choices[0].delta.content or "" async for chunk in astream]
        atext = await c.atext_completion(model="gpt-3.5-turbo-instruct", prompt="p", stream=True)
        return "".join(pieces), atext, await c.atext_completion(model="gpt-3.5-turbo-instruct", prompt="p")

    joined, atext, plain = asyncio.run(run())
    assert joined == "Hi" and isinstance(atext, TextCompletionStreamWrapper)
    assert not isinstance(plain, TextCompletionStreamWrapper) and plain.choices
    for req in fake.requests:
        assert req.headers["authorization"] == "Bearer key-aaaa-1111"


def test_a_client_stream_keyword_that_is_not_a_bool_is_our_error(fake: FakeProvider) -> None:
    c = _client(fake)
    with pytest.raises(BadRequestError, match="stream"):
        c.completion(messages=MSG, stream="yes")  # type: ignore[call-overload]
    assert fake.requests == []


def test_rerank_through_a_client_sync_and_async(fake: FakeProvider) -> None:
    c = Client("cohere", api_key="key-cohere-1", api_base=fake.api_base, default_model="rerank-v3.5", max_retries=0)
    r = c.rerank(query="cats", documents=["dogs bark", "cats purr", "birds sing"], top_n=2)
    assert [x.index for x in r.results][:1] == [1] and len(r.results) == 2
    req = fake.requests[-1]
    assert req.path.endswith("/rerank") and req.headers["authorization"] == "Bearer key-cohere-1"
    assert req.json["model"] == "rerank-v3.5" and req.json["top_n"] == 2

    async def run() -> Any:
        return await c.arerank("rerank-english-v3.0", "cats", ["cats purr", "dogs"])

    ar = asyncio.run(run())
    assert ar.results[0].index == 0 and fake.requests[-1].json["model"] == "rerank-english-v3.0"
    with pytest.raises(BadRequestError, match="query"):
        c.rerank(documents=["a"])
    with pytest.raises(BadRequestError, match="does not serve rerank"):
        _client(fake).rerank(query="q", documents=["a"])
    assert len(fake.requests) == 2


# -- the Responses API through a client: native (openai) and bridged over chat (groq) ------------------

KEYS = {"native": "key-aaaa-1111", "bridged": "key-groq-2222"}
PATHS = {"native": "/v1/responses", "bridged": "/v1/chat/completions"}
STREAMS = {"native": ResponsesStreamWrapper, "bridged": BridgedResponsesStream}


def _responses_client(fake: FakeProvider, kind: str, **kw: Any) -> Client:
    if kind == "native":
        return _client(fake, **kw)
    return Client("groq", api_key=KEYS[kind], api_base=fake.api_base, default_model="llama-3.1-8b-instant", **kw)


@pytest.mark.parametrize("kind", ["native", "bridged"])
def test_responses_through_a_client_use_its_key_headers_and_retries(
    fake: FakeProvider, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = _responses_client(fake, kind, extra_params={"reasoning_effort": "low"}, headers={"X-Tenant": "t1"}, max_retries=1)
    monkeypatch.setattr(litellm_lite, "api_key", "module-key-zzzz", raising=False)
    monkeypatch.setattr(litellm_lite, "api_base", "http://127.0.0.1:9/v1", raising=False)
    monkeypatch.setattr(litellm_lite, "num_retries", 5, raising=False)
    r = c.responses(input="Hello", instructions="Be brief.")
    assert isinstance(r, ResponsesAPIResponse) and r.output_text == "Hello" and r.status == "completed"
    req = fake.requests[-1]
    assert req.path == PATHS[kind] and req.json["model"] == c.config.default_model
    assert req.headers["authorization"] == "Bearer " + KEYS[kind] and req.headers["x-tenant"] == "t1"
    assert "reasoning_effort" not in req.json  # extra_params are chat completion's, not the Responses API's
    if kind == "native":
        assert req.json["input"] == "Hello" and req.json["instructions"] == "Be brief."
    else:
        assert req.json["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
    c.responses(model="other-model", input="x", extra_headers={"X-Req": "1"})
    req = fake.requests[-1]
    assert req.json["model"] == "other-model" and req.headers["x-req"] == "1" and req.headers["x-tenant"] == "t1"
    # num_retries: the client's 1 retry, not the module's 5.
    fake.add_error(status=500, message="down", headers={"retry-after": "0"}, times=2)
    count = len(fake.requests)
    with pytest.raises(LiteLLMError):
        c.responses(input="x")
    assert len(fake.requests) == count + 2
    with pytest.raises(BadRequestError, match="stream"):
        c.responses(input="x", stream="yes")  # type: ignore[call-overload]
    assert len(fake.requests) == count + 2


@pytest.mark.parametrize("kind", ["native", "bridged"])
def test_responses_streams_through_a_client_sync_and_async(fake: FakeProvider, kind: str) -> None:
    c = _responses_client(fake, kind)
    stream = c.responses(input="Hello", stream=True)
    assert isinstance(stream, ResponsesStream) and isinstance(stream, STREAMS[kind])
    assert litellm_lite.ResponsesStream is ResponsesStream  # the public name of both stream classes
    with stream as opened:
        types = [event.type for event in opened]
    assert types[0] == "response.created" and types[-1] == "response.completed"
    final = stream.get_final_response()
    assert final.output_text == "Hello" and final.status == "completed" and stream.response is final
    assert fake.requests[-1].json["stream"] is True and fake.requests[-1].path == PATHS[kind]
    assert not isinstance(c.responses(input="x", stream=False), ResponsesStream)

    async def run() -> Tuple[Any, Any, List[str]]:
        plain = await c.aresponses(input="Hi")
        astream = await c.aresponses(input="Hey there", stream=True)
        deltas = [e.delta async for e in astream if e.type == "response.output_text.delta"]
        return plain, astream, deltas

    plain, astream, deltas = asyncio.run(run())
    assert isinstance(plain, ResponsesAPIResponse) and plain.output_text == "Hi"
    assert isinstance(astream, STREAMS[kind]) and "".join(deltas) == "Hey there"
    assert astream.get_final_response().output_text == "Hey there"
    assert len(fake.requests) == 4
    for req in fake.requests:
        assert req.headers["authorization"] == "Bearer " + KEYS[kind] and req.path == PATHS[kind]


def test_a_keyless_bridged_client_does_not_take_the_module_key(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_lite, "api_key", "module-key-zzzz", raising=False)
    c = Client("lm_studio", api_base=fake.api_base, default_model="fake-model")
    assert c.responses(input="Hi").output_text == "Hi"
    assert fake.requests[-1].path == "/v1/chat/completions" and "authorization" not in fake.requests[-1].headers


def test_no_model_and_no_default_is_our_error(fake: FakeProvider) -> None:
    c = Client("openai", api_key="k-123456", api_base=fake.api_base)
    with pytest.raises(ConfigError, match="default_model"):
        c.completion(messages=MSG)
    assert not fake.requests


def test_validate_lists_every_problem_and_sends_nothing() -> None:
    config = ProviderConfig(
        "deepseek", api_base="ftp://example", timeout_seconds=-1, max_retries=-2,
        headers={"Bad\nName": "v"}, extra_params={"api_key": "x"},
    )
    problems = config.problems()
    assert len(problems) == 6, problems
    with pytest.raises(ConfigError) as info:
        config.validate()
    text = str(info.value)
    for words in ("DEEPSEEK_API_KEY", "ftp://example", "timeout_seconds", "max_retries", "CR, LF", "extra_params"):
        assert words in text
    with pytest.raises(ConfigError):
        Client(config)


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"provider": "nope"}, "unknown provider"),
        ({"provider": "openai", "api_key": "k-1234567", "timeout_seconds": True}, "timeout_seconds"),
        ({"provider": "openai", "api_key": "k-1234567", "timeout_seconds": float("inf")}, "timeout_seconds"),
        ({"provider": "openai", "api_key": "k-1234567", "max_retries": 1.5}, "max_retries"),
        ({"provider": "openai", "api_key": "", "api_base": "http://x"}, "api_key"),
        ({"provider": "openai", "api_key": "k-1234567", "api_base": "http://"}, "api_base"),
        ({"provider": "openai", "api_key": "k-1234567", "headers": {"A:B": "c"}}, "header"),
        ({"provider": "openai", "api_key": "k-1234567", "headers": {"a": 1}}, "header"),
        ({"provider": "openai", "api_key": "k-1234567", "extra_params": ["x"]}, "extra_params"),
        ({"provider": "openai", "api_key": "k-1234567", "default_model": ""}, "default_model"),
        ({"provider": "hosted_vllm"}, "api_base"),
    ],
)
def test_each_problem(kwargs: Dict[str, Any], words: str) -> None:
    problems = ProviderConfig(**kwargs).problems()
    assert any(words in p for p in problems), problems


def test_keyless_and_credential_providers_need_no_key() -> None:
    assert ProviderConfig("ollama").problems() == []
    assert ProviderConfig("bedrock").problems() == []


def test_from_env_uses_the_specs_variables() -> None:
    env = {"DEEPSEEK_API_KEY": "sk-env-123456", "DEEPSEEK_API_BASE": "https://proxy.example/v1"}
    config = ProviderConfig.from_env("deepseek", env, timeout_seconds=30)
    assert config.api_key == "sk-env-123456"
    assert config.api_base == "https://proxy.example/v1"
    assert config.timeout_seconds == 30
    assert "sk-env" not in repr(config)
    client = Client.from_env("deepseek", env)
    assert client.call_kwargs("deepseek-chat", {})["api_base"] == "https://proxy.example/v1"
    assert "sk-env" not in repr(client)


def test_spec_default_base_and_provider_aliases() -> None:
    c = Client("together", api_key="k-1234567")
    assert c.provider == "together_ai"
    assert c.call_kwargs("m", {})["api_base"].startswith("https://")
    assert c.call_kwargs("m", {})["custom_llm_provider"] == "together_ai"


def test_pickles_and_answers_after_unpickling(fake: FakeProvider) -> None:
    c = _client(fake, extra_params={"seed": 3})
    copy = pickle.loads(pickle.dumps(c))
    assert copy.config == c.config
    copy.completion(messages=MSG)
    assert fake.requests[-1].json["seed"] == 3
    assert fake.requests[-1].headers["authorization"] == "Bearer key-aaaa-1111"


@pytest.mark.slow
def test_sixteen_threads_two_clients_never_cross(fake: FakeProvider, fake2: FakeProvider) -> None:
    one = _client(fake, key="key-one-111111")
    two = _client(fake2, key="key-two-222222")
    errors: List[BaseException] = []
    answers: List[Tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def work(i: int) -> None:
        client, name = (one, "one") if i % 2 else (two, "two")
        try:
            barrier.wait()
            for j in range(4):
                text = "%s-%d-%d" % (name, i, j)
                r = client.completion(messages=[{"role": "user", "content": text}])
                with lock:
                    answers.append((name, r.choices[0].message.content))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(answers) == 64
    for name, content in answers:
        assert content.startswith("two:two-") if name == "two" else content.startswith("one-")
    assert len(fake.requests) == 32 and len(fake2.requests) == 32
    assert {r.headers["authorization"] for r in fake.requests} == {"Bearer key-one-111111"}
    assert {r.headers["authorization"] for r in fake2.requests} == {"Bearer key-two-222222"}
    assert all(r.json["messages"][0]["content"].startswith("one-") for r in fake.requests)


def test_health_check(fake: FakeProvider) -> None:
    c = _client(fake)
    status = c.health_check()
    assert status.healthy and status.error is None and status.latency_ms >= 0
    assert fake.requests[-1].json["max_tokens"] == 1
    fake.add_error(status=401, message="bad key key-aaaa-1111")
    bad = c.health_check()
    assert not bad.healthy and "AuthenticationError" in (bad.error or "")
    assert "key-aaaa-1111" not in (bad.error or "")


def test_health_check_without_a_model_picks_a_registry_model(fake: FakeProvider) -> None:
    c = Client("openai", api_key="key-aaaa-1111", api_base=fake.api_base)
    assert c.health_check().healthy
    assert fake.requests[-1].json["model"] in c.models()


def test_calculate_cost(fake: FakeProvider) -> None:
    c = _client(fake)
    by_tokens = c.calculate_cost(model="gpt-4o", prompt_tokens=1000, completion_tokens=1000)
    from litellm_lite import cost_per_token

    assert by_tokens == pytest.approx(sum(cost_per_token("openai/gpt-4o", 1000, 1000)))
    r = c.completion(model="gpt-4o", messages=MSG)
    assert c.calculate_cost(r) > 0
    with pytest.raises(ConfigError):
        Client("openai", api_key="k-1234567").calculate_cost()


def test_capabilities_and_models() -> None:
    openai = Client("openai", api_key="k-1234567")
    caps = openai.capabilities
    assert isinstance(caps, Capabilities)
    assert caps.supports("completion") and caps.supports("embedding") and caps.supports("speech")
    anthropic = Client("anthropic", api_key="k-1234567").capabilities
    assert anthropic.supports("completion") and not anthropic.supports("embedding")
    assert not anthropic.supports("image_generation")
    models = Client("anthropic", api_key="k-1234567").models()
    assert models and all(not m.startswith("anthropic/") for m in models)
    assert any("claude" in m for m in models)
    assert "gpt-4o" in openai.models()


def test_errors_are_ours(fake: FakeProvider) -> None:
    with pytest.raises(ConfigError):
        Client(42)  # type: ignore[arg-type]
    c = _client(fake)
    with pytest.raises(BadRequestError):
        c.completion(messages="not a list")  # type: ignore[arg-type]
    assert isinstance(ConfigError("x"), LiteLLMError)


def test_road_controls_join_every_call(monkeypatch: pytest.MonkeyPatch, fake: FakeProvider) -> None:
    monkeypatch.setattr(client_module, "ROAD_CONTROLS", {"metadata": {"from": "road"}})
    c = _client(fake)
    assert c.call_kwargs(None, {})["metadata"] == {"from": "road"}


# -- a client reads no module global after it is built ------------------------------------------


class Recorder(litellm_lite.CustomLogger):
    """A logger that records the events it sees (module level: it pickles)."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.events: List[Tuple[str, str]] = []

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("success", str(kwargs.get("model"))))

    def log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("failure", str(kwargs.get("model"))))


def _module_globals(monkeypatch: pytest.MonkeyPatch, logger: Recorder, seen: List[str]) -> None:
    """Every module setting and callback list a call could read, set to values no client should use."""
    monkeypatch.setattr(litellm_lite, "api_key", "module-key-zzzz", raising=False)
    monkeypatch.setattr(litellm_lite, "api_base", "http://127.0.0.1:9/v1", raising=False)
    monkeypatch.setattr(litellm_lite, "num_retries", 5, raising=False)
    monkeypatch.setattr(litellm_lite, "request_timeout", 0.001, raising=False)
    monkeypatch.setattr(litellm_lite, "drop_params", True, raising=False)
    monkeypatch.setattr(litellm_lite, "max_response_bytes", 10, raising=False)  # any answer would be too big
    monkeypatch.setattr(litellm_lite, "callbacks", [logger], raising=False)
    monkeypatch.setattr(litellm_lite, "success_callback", [lambda *a: seen.append("success")], raising=False)
    monkeypatch.setattr(litellm_lite, "failure_callback", [lambda *a: seen.append("failure")], raising=False)


def test_a_client_call_ignores_every_module_setting_and_callback(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    module_logger, seen = Recorder("module"), []  # type: Recorder, List[str]
    c = Client("lm_studio", api_base=fake.api_base, default_model="fake-model", max_retries=1)  # no key of its own
    _module_globals(monkeypatch, module_logger, seen)
    # The same settings do reach a plain call (so the test would notice a client reading them).
    with pytest.raises(LiteLLMError):
        litellm_lite.completion(model="lm_studio/fake-model", messages=MSG, api_base=fake.api_base)
    assert module_logger.events and "failure" in seen
    module_logger.events.clear()
    del seen[:]
    count = len(fake.requests)

    r = c.completion(messages=MSG)
    assert r.choices[0].message.content == "Hi"
    req = fake.requests[-1]
    assert len(fake.requests) == count + 1  # sent to the client's base, not the module's
    assert "authorization" not in req.headers  # the module key is not the client's
    assert module_logger.events == [] and seen == []
    # num_retries: the client's 1 retry, not the module's 5.
    for _ in range(3):  # "retry-after: 0": the retry is counted without a backoff wait
        fake.add_error(status=500, message="down", headers={"retry-after": "0"})
    with pytest.raises(LiteLLMError):
        c.completion(messages=MSG)
    assert len(fake.requests) == count + 3
    assert module_logger.events == [] and seen == []
    # timeout, retries and drop_params as the road resolves them for the client's call.
    from litellm_lite import _call

    call = c.call_kwargs(None, {})
    model, provider = call.pop("model"), call.pop("custom_llm_provider")
    plan = _call.plan("chat", model, call, inputs=MSG, custom_llm_provider=provider)
    assert plan.config.timeout == 600.0 and plan.config.num_retries == 1
    assert plan.config.drop_params is False and plan.config.api_key is None
    assert plan.config.max_response_bytes == 64 * 1024 * 1024
    assert plan.config.api_base.rstrip("/") == fake.api_base.rstrip("/")


def test_module_callbacks_fire_for_a_client_only_when_it_asks(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    module_logger, seen = Recorder("module"), []  # type: Recorder, List[str]
    _module_globals(monkeypatch, module_logger, seen)
    monkeypatch.setattr(litellm_lite, "max_response_bytes", None, raising=False)
    quiet = _client(fake)
    asking = _client(fake, use_module_callbacks=True)
    quiet.completion(messages=MSG)
    assert module_logger.events == [] and seen == []
    asking.completion(messages=MSG)
    assert module_logger.events == [("success", "fake-model")] and seen == ["success"]
    # Asking for module callbacks does not bring the module settings back.
    assert fake.requests[-1].headers["authorization"] == "Bearer key-aaaa-1111"
    assert asking.call_kwargs(None, {})["use_module_settings"] is False


def test_a_clients_callbacks_fire_with_the_calls_own(fake: FakeProvider) -> None:
    mine, per_call = Recorder("client"), Recorder("call")
    c = _client(fake, callbacks=[mine])
    c.completion(messages=MSG)
    c.completion(messages=MSG, callbacks=[per_call])
    assert mine.events == [("success", "fake-model")] * 2
    assert per_call.events == [("success", "fake-model")]
    fake.add_error(status=400, message="bad")
    with pytest.raises(BadRequestError):
        c.completion(messages=MSG)
    assert mine.events[-1] == ("failure", "fake-model")
    assert c.config.callbacks == [mine]  # the call's loggers were not added to the client


def test_a_client_with_callbacks_pickles(fake: FakeProvider) -> None:
    c = _client(fake, callbacks=[Recorder("client")], use_module_callbacks=True)
    copy = pickle.loads(pickle.dumps(c))
    assert copy.config.use_module_callbacks is True and copy.config.callbacks[0].name == "client"
    copy.completion(messages=MSG)
    assert copy.config.callbacks[0].events == [("success", "fake-model")]
    assert c.config.callbacks[0].events == []


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"callbacks": "not a list"}, "callbacks must be a list"),
        ({"callbacks": [object()]}, "none of the logger methods"),
        ({"use_module_callbacks": "yes"}, "use_module_callbacks must be true or false"),
        ({"extra_params": {"callbacks": []}}, "extra_params cannot set callbacks"),
    ],
)
def test_callback_problems(kwargs: Dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Client("openai", api_key="k-1234567", **kwargs)


def test_sixteen_threads_two_clients_with_callbacks_never_cross(fake: FakeProvider, fake2: FakeProvider) -> None:
    log_one, log_two = Recorder("one"), Recorder("two")
    one = _client(fake, key="key-one-111111", callbacks=[log_one], extra_params={"seed": 1})
    two = _client(fake2, key="key-two-222222", callbacks=[log_two], extra_params={"seed": 2})
    errors: List[BaseException] = []
    barrier = threading.Barrier(16)

    def work(i: int) -> None:
        client = one if i % 2 else two
        try:
            barrier.wait()
            for _ in range(3):
                client.completion(model="model-%s" % ("one" if client is one else "two"), messages=MSG)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert log_one.events == [("success", "model-one")] * 24
    assert log_two.events == [("success", "model-two")] * 24
    assert {(r.headers["authorization"], r.json["seed"], r.json["model"]) for r in fake.requests} == {
        ("Bearer key-one-111111", 1, "model-one")
    }
    assert {(r.headers["authorization"], r.json["seed"], r.json["model"]) for r in fake2.requests} == {
        ("Bearer key-two-222222", 2, "model-two")
    }
