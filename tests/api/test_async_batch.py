"""acompletion / aembedding (executor-backed) and batch_completion (thread pool, ordered results)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, Iterator, List

import pytest

from litellm_lite.async_api import acompletion, aembedding, run_in_executor
from litellm_lite.batch import batch_completion
from litellm_lite.exceptions import BadRequestError, RateLimitError
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, RecordedRequest, Reply


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


def _msg(text: str) -> List[Dict[str, Any]]:
    return [{"role": "user", "content": text}]


def test_acompletion_returns_the_response(fake: FakeProvider) -> None:
    kwargs = fake.kwargs()
    model = kwargs.pop("model")

    async def main() -> Any:
        return await acompletion(model, _msg("async hello"), **kwargs)

    response = asyncio.run(main())
    assert response.choices[0].message.content == "async hello"


def test_acompletion_runs_off_the_event_loop_thread(fake: FakeProvider) -> None:
    threads: List[str] = []

    def probe() -> str:
        threads.append(threading.current_thread().name)
        return "done"

    async def main() -> List[Any]:
        loop_thread = threading.current_thread().name
        kwargs = fake.kwargs()
        results = await asyncio.gather(
            *(acompletion(messages=_msg("n%d" % i), **kwargs) for i in range(6)), run_in_executor(probe)
        )
        assert threads and threads[0] != loop_thread
        return list(results)

    results = asyncio.run(main())
    assert [r.choices[0].message.content for r in results[:6]] == ["n%d" % i for i in range(6)]
    assert results[6] == "done"


def test_async_stream_iteration(fake: FakeProvider) -> None:
    fake.add_reply("chunks arrive one by one")

    async def main() -> str:
        stream = await acompletion(messages=_msg("x"), stream=True, **fake.kwargs())
        parts: List[str] = []
        async for chunk in stream:
            if chunk.choices:
                parts.append(chunk.choices[0].delta.content or "")
        return "".join(parts)

    assert asyncio.run(main()) == "chunks arrive one by one"


def test_acompletion_raises_our_errors(fake: FakeProvider) -> None:
    fake.add_error(429, "slow down", error_type="rate_limit_error")

    async def main() -> None:
        await acompletion(messages=_msg("x"), num_retries=0, **fake.kwargs())

    with pytest.raises(RateLimitError):
        asyncio.run(main())


def test_aembedding(fake: FakeProvider) -> None:
    async def main() -> Any:
        return await aembedding("openai/text-embedding-3-small", ["a", "b", "c"], api_base=fake.api_base, api_key="k")

    result = asyncio.run(main())
    assert [d.index for d in result.data] == [0, 1, 2]
    assert fake.requests[0].json["input"] == ["a", "b", "c"]


def test_batch_completion_keeps_order(fake: FakeProvider) -> None:
    kwargs = fake.kwargs()
    model = kwargs.pop("model")
    prompts = [_msg("prompt %d" % i) for i in range(20)]
    results = batch_completion(model, prompts, max_workers=6, **kwargs)
    assert [r.choices[0].message.content for r in results] == ["prompt %d" % i for i in range(20)]
    assert len(fake.requests) == 20


def test_batch_completion_returns_exceptions_in_place() -> None:
    def handler(rec: RecordedRequest) -> Reply:
        text = rec.json()["messages"][0]["content"]
        if text == "bad":
            return Reply.json({"error": {"message": "invalid prompt", "type": "invalid_request_error"}}, status=400)
        return Reply.json(
            {
                "id": "c",
                "object": "chat.completion",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text.upper()}, "finish_reason": "stop"}],
            }
        )

    with LoopbackServer() as srv:
        srv.handler = handler
        results = batch_completion(
            "openai/m",
            messages_list=[_msg("one"), _msg("bad"), _msg("three")],
            api_base=srv.url + "/v1",
            api_key="k",
            num_retries=0,
        )
    assert results[0].choices[0].message.content == "ONE"
    assert isinstance(results[1], BadRequestError) and "invalid prompt" in str(results[1])
    assert results[2].choices[0].message.content == "THREE"


def test_batch_completion_argument_checks() -> None:
    assert batch_completion("openai/m", []) == []
    with pytest.raises(BadRequestError):
        batch_completion("openai/m", None)
    with pytest.raises(BadRequestError):
        batch_completion("openai/m", [_msg("x")], max_workers=0)
