"""Claude on Vertex AI: Anthropic's Messages format over rawPredict / streamRawPredict, Google auth."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import AuthenticationError, RateLimitError
from tests.server import LoopbackServer, Reply

USER = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
VERTEX: Dict[str, Any] = {"vertex_access_token": "ya29.test-token", "vertex_project": "proj", "vertex_location": "us-east5"}
MESSAGE = {
    "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
    "content": [{"type": "thinking", "thinking": "t", "signature": "s"}, {"type": "text", "text": "Hello"}],
    "stop_reason": "end_turn", "usage": {"input_tokens": 5, "output_tokens": 2},
}


def _events() -> bytes:
    events = [
        ("message_start", {"type": "message_start", "message": dict(MESSAGE, content=[], stop_reason=None, usage={"input_tokens": 5, "output_tokens": 0})}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return b"".join(b"event: %s\ndata: %s\n\n" % (name.encode(), json.dumps(data).encode()) for name, data in events)


def test_claude_on_vertex_request_and_response(server: LoopbackServer) -> None:
    server.add(Reply.json(MESSAGE))
    r = litellm.completion(model="vertex_ai/claude-sonnet-4-5@20250929", messages=USER, api_base=server.url,
                           max_tokens=64, **VERTEX)
    assert r.choices[0].message.content == "Hello" and r.choices[0].message.reasoning_content == "t"
    assert r.choices[0].finish_reason == "stop" and r.usage.total_tokens == 7
    req = server.requests[-1]
    assert req.path == "/v1/projects/proj/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
    assert req.headers["authorization"] == "Bearer ya29.test-token"
    assert "x-api-key" not in req.headers and "anthropic-version" not in req.headers
    body = req.json()
    assert body["anthropic_version"] == "vertex-2023-10-16" and "model" not in body
    assert body["system"] == "Be brief." and body["max_tokens"] == 64
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_claude_on_vertex_stream(server: LoopbackServer) -> None:
    server.add(Reply(chunks=[_events()], headers={"content-type": "text/event-stream"}))
    chunks = list(litellm.completion(model="vertex_ai/claude-3-5-haiku@20241022", messages=USER,
                                     api_base=server.url, stream=True, **VERTEX))
    built = litellm.stream_chunk_builder(chunks)
    assert built.choices[0].message.content == "Hello" and built.usage.completion_tokens == 2
    assert server.requests[-1].path.endswith("/publishers/anthropic/models/claude-3-5-haiku@20241022:streamRawPredict")


def test_claude_on_vertex_default_max_tokens_and_errors(server: LoopbackServer) -> None:
    server.add(Reply.json(MESSAGE))
    litellm.completion(model="vertex_ai/claude-sonnet-4-5@20250929", messages=USER, api_base=server.url, **VERTEX)
    assert isinstance(server.requests[-1].json()["max_tokens"], int)
    server.add(Reply.json({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}, status=429))
    with pytest.raises(RateLimitError) as info:
        litellm.completion(model="vertex_ai/claude-sonnet-4-5@20250929", messages=USER, api_base=server.url,
                           num_retries=0, **VERTEX)
    assert "Quota exceeded" in str(info.value)


def test_claude_on_vertex_needs_google_credentials(server: LoopbackServer) -> None:
    with pytest.raises(AuthenticationError):
        litellm.completion(model="vertex_ai/claude-sonnet-4-5@20250929", messages=USER, api_base=server.url,
                           vertex_project="proj", vertex_location="us-east5", vertex_credentials={"type": "nothing"})
    assert server.requests == []
