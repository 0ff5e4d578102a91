"""LiteLLM's everyday surface, end to end over loopback servers and mock responses.

Bare endpoint model names, ``complete_streaming_response`` for callbacks, the cost of mock and
custom-priced responses, estimated stream usage, streams decoded by what the server sent, and
Vertex AI express mode.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from tests.conftest import CASSETTES, require_shared
from tests.server import LoopbackServer, Reply

MESSAGES = [{"role": "user", "content": "hello there"}]


def _chat_json(content: str = "hi", usage: bool = True) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "id": "c1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }
    if usage:
        body["usage"] = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    return body


# ---------------------------------------------------------------------------------------------
# streams decoded by what the server sent


@pytest.mark.parametrize("name", ["gemini__chat_stream_json_array.json", "gemini__tools_stream_json_array.json"])
def test_gemini_json_array_answer_to_an_sse_request(name: str) -> None:
    require_shared()
    from tests.test_replay import _call_plan, _check_result, _response_reply

    case = json.loads((CASSETTES / name).read_text(encoding="utf-8"))
    with LoopbackServer() as server:
        provider, kwargs = _call_plan(case, server.url)
        kwargs.pop("gemini_stream_format", None)  # the default request asks for SSE (alt=sse)
        server.add(_response_reply(case))
        chunks = list(litellm.completion(**kwargs))
        assert "alt=sse" in server.requests[0].query
    assert len(chunks) >= 2  # one chunk per array element, not one whole response
    _check_result(provider, case, litellm.stream_chunk_builder(chunks))


def test_sse_answer_to_a_json_array_request(server: LoopbackServer) -> None:
    event = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}, "finishReason": "STOP"}],
             "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 1, "totalTokenCount": 4}}
    server.add(Reply(chunks=[b"data: " + json.dumps(event).encode() + b"\r\n\r\n"],
                     headers={"content-type": "text/event-stream"}, chunked=True))
    stream = litellm.completion("gemini/gemini-2.0-flash", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                gemini_stream_format="json_array")
    built = litellm.stream_chunk_builder(list(stream))
    assert built.choices[0].message.content == "Hi"
    assert built.usage.total_tokens == 4


def test_whole_json_body_answer_to_a_stream_request_still_works(server: LoopbackServer) -> None:
    server.add(Reply.json(_chat_json("whole")))
    stream = litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url)
    assert litellm.stream_chunk_builder(list(stream)).choices[0].message.content == "whole"
