"""The orchestrator's own rules: argument checks, kwargs routing, mocks, robustness to a broken adapter."""

from __future__ import annotations

import json
from typing import Any, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import APIConnectionError, BadRequestError, RateLimitError
from litellm_lite.observability import CustomLogger
from litellm_lite.providers import ADAPTERS, PROVIDERS, register_provider
from litellm_lite.providers.base import ProviderSpec
from litellm_lite.providers.openai import OpenAIAdapter
from litellm_lite.types import Choices, Message, ModelResponse
from tests.server import LoopbackServer, Reply

USER = [{"role": "user", "content": "hi"}]
OK = {
    "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def test_stream_must_be_a_bool() -> None:
    with pytest.raises(BadRequestError):
        litellm.completion(model="openai/gpt-4o", messages=USER, stream="yes", api_key="k")  # type: ignore[arg-type]


def test_headers_kwarg_extra_body_and_provider_kwargs_reach_the_wire(server: LoopbackServer) -> None:
    server.add(Reply.json(OK))
    litellm.completion(
        model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k",
        headers={"X-One": "1"}, extra_body={"service_hint": "fast"}, top_k=3, metadata={"trace": "abc"},
    )
    req = server.requests[-1]
    body = req.json()
    assert req.headers["x-one"] == "1"
    assert body["service_hint"] == "fast" and body["top_k"] == 3
    assert "metadata" not in body and "extra_body" not in body and "headers" not in body


def test_usage_cost_and_hidden_params_on_a_priced_model(server: LoopbackServer) -> None:
    server.add(Reply.json(dict(OK, model="gpt-4o")))
    r = litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k")
    info = litellm.get_model_info("gpt-4o")
    expected = info["input_cost_per_token"] * 1 + info["output_cost_per_token"] * 1
    assert r._hidden_params["response_cost"] == pytest.approx(expected)
    assert r._hidden_params["api_base"] == server.url
    assert r._response_headers["content-type"] == "application/json"


def test_unknown_model_has_no_cost_but_works(server: LoopbackServer) -> None:
    server.add(Reply.json(dict(OK, model="my-private-model")))
    r = litellm.completion(model="openai/my-private-model", messages=USER, api_base=server.url, api_key="k")
    assert r._hidden_params["response_cost"] is None


def test_mock_response_accepts_a_prebuilt_response() -> None:
    prebuilt = ModelResponse(model="x")
    assert litellm.completion(model="x", messages=USER, mock_response=prebuilt) is prebuilt


def test_a_prebuilt_mock_response_streamed_is_replayed_as_chunks() -> None:
    prebuilt = ModelResponse(model="x", choices=[Choices(message=Message(content="hello there"))])
    prebuilt._hidden_params["response_cost"] = 0.25
    stream = litellm.completion(model="openai/gpt-4o-mini", messages=USER, mock_response=prebuilt, stream=True)
    assert isinstance(stream, litellm.CustomStreamWrapper)
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hello there"
    assert chunks[0].model == "x" and stream._hidden_params["response_cost"] == 0.25


def test_stream_events_reach_a_logger_that_wants_them(server: LoopbackServer) -> None:
    events: List[str] = []

    class Collector(CustomLogger):
        def log_stream_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            if response_obj.choices and response_obj.choices[0].delta.content:
                events.append(response_obj.choices[0].delta.content)

    chunks = [dict(id="c", object="chat.completion.chunk", created=1, model="m",
                   choices=[{"index": 0, "delta": {"content": t}, "finish_reason": None}]) for t in ("a", "b")]
    chunks.append(dict(id="c", object="chat.completion.chunk", created=1, model="m",
                       choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]))
    server.add(Reply.sse(chunks))
    litellm.callbacks = [Collector()]
    try:
        text = "".join(c.choices[0].delta.content or "" for c in litellm.completion(
            model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k", stream=True))
    finally:
        litellm.callbacks = []
    assert text == "ab" and events == ["a", "b"]


class _BrokenAdapter(OpenAIAdapter):
    """A third-party adapter with a bug: its parse functions raise plain Python errors."""

    def parse(self, response: Any, request: Any, config: Any) -> Any:
        raise KeyError("choices")

    def parse_embedding(self, response: Any, request: Any, config: Any) -> Any:
        raise IndexError("data")


@pytest.fixture
def broken_provider() -> Iterator[str]:
    ADAPTERS["broken_test"] = "tests.api.test_main:_BrokenAdapter"
    register_provider(ProviderSpec(name="broken_test", adapter="broken_test", key_required=False))
    try:
        yield "broken_test"
    finally:
        PROVIDERS.pop("broken_test", None)
        ADAPTERS.pop("broken_test", None)


def test_a_broken_adapter_never_leaks_plain_python_errors(server: LoopbackServer, broken_provider: str) -> None:
    server.add(Reply.json(OK), Reply.json({"data": []}))
    failures: List[BaseException] = []
    litellm.failure_callback = [lambda kwargs, exc, start, end: failures.append(exc)]
    try:
        with pytest.raises(APIConnectionError) as info:
            litellm.completion(model=broken_provider + "/m", messages=USER, api_base=server.url, num_retries=0)
        assert "could not parse" in str(info.value)
        with pytest.raises(APIConnectionError):
            litellm.embedding(model=broken_provider + "/m", input="x", api_base=server.url, num_retries=0)
    finally:
        litellm.failure_callback = []
    assert [type(e) for e in failures] == [APIConnectionError, APIConnectionError]


def test_register_provider_refuses_an_unknown_adapter() -> None:
    with pytest.raises(ValueError):
        register_provider(ProviderSpec(name="nope", adapter="no-such-adapter"))


@pytest.mark.parametrize("bad", [None, [], 5, {"text": "x"}])
def test_embedding_input_is_checked_before_sending(bad: Any) -> None:
    with pytest.raises(BadRequestError):
        litellm.embedding(model="openai/text-embedding-3-small", input=bad, api_key="k", api_base="http://127.0.0.1:9")


def test_embedding_mock_response() -> None:
    r = litellm.embedding(model="openai/text-embedding-3-small", input=["a", "b"], mock_response=[0.5, 0.25])
    assert [d.embedding for d in r.data] == [[0.5, 0.25], [0.5, 0.25]] and [d.index for d in r.data] == [0, 1]
    with pytest.raises(RateLimitError):
        litellm.embedding(model="openai/x", input="a", mock_response=RateLimitError("mocked", "openai"))


def test_embedding_params_on_the_wire(server: LoopbackServer) -> None:
    server.add(Reply.json({"object": "list", "model": "e", "data": [{"index": 0, "embedding": [1.0]}],
                           "usage": {"prompt_tokens": 1, "total_tokens": 1}}))
    r = litellm.embedding(model="openai/text-embedding-3-small", input="a", api_base=server.url, api_key="k",
                          dimensions=1, user="u", encoding_format="float")
    assert r.data[0].embedding == [1.0]
    assert json.loads(server.requests[-1].body) == {
        "model": "text-embedding-3-small", "input": ["a"], "dimensions": 1, "user": "u", "encoding_format": "float",
    }


def test_default_max_tokens_from_the_registry_only_where_the_format_needs_it(server: LoopbackServer) -> None:
    server.add(Reply.json({"id": "m1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                           "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                           "usage": {"input_tokens": 1, "output_tokens": 1}}))
    litellm.completion(model="anthropic/claude-sonnet-4-5", messages=USER, api_base=server.url, api_key="k")
    assert server.requests[-1].json()["max_tokens"] == litellm.get_model_info("anthropic/claude-sonnet-4-5")["max_output_tokens"]
    server.add(Reply.json(OK))
    litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, api_key="k")
    assert "max_tokens" not in server.requests[-1].json()
