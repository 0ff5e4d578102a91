from __future__ import annotations

import json

import pytest

from litellm_lite.types import (
    ChatCompletionMessageToolCall,
    Choices,
    Delta,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    StreamingChoices,
    Usage,
)


def _response() -> ModelResponse:
    call = ChatCompletionMessageToolCall(id="call_1", function=Function(name="f", arguments='{"a": 1}'))
    msg = Message(content="hi", tool_calls=[call], reasoning_content="because")
    return ModelResponse(id="r1", created=5, model="m", choices=[Choices(message=msg, finish_reason="tool_calls")], usage=Usage(3, 4))


def test_attribute_and_item_access_agree() -> None:
    r = _response()
    assert r.choices[0].message.content == "hi"
    assert r["choices"][0]["message"]["content"] == "hi"
    assert r["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "f"
    assert r.usage is not None and r.usage.total_tokens == 7
    assert r["usage"]["total_tokens"] == 7
    assert r.get("system_fingerprint", "x") == "x"
    assert "choices" in r and "system_fingerprint" not in r


def test_private_fields_are_hidden() -> None:
    r = _response()
    r._hidden_params["response_cost"] = 0.5
    with pytest.raises(KeyError):
        r["_hidden_params"]
    assert "_hidden_params" not in r.to_dict()
    with pytest.raises(KeyError):
        r["nope"]


def test_serialisation_round_trip() -> None:
    r = _response()
    data = json.loads(r.json())
    assert data == r.to_dict() == r.model_dump()
    assert data["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] == '{"a": 1}'
    assert data["object"] == "chat.completion"
    assert "content" not in Message(content=None).to_dict(exclude_none=True)
    assert sorted(r.keys()) == sorted(data.keys())


def test_setitem_and_stream_shapes() -> None:
    r = _response()
    r["model"] = "other"
    assert r.model == "other"
    with pytest.raises(KeyError):
        r["bogus"] = 1
    chunk = ModelResponseStream(choices=[StreamingChoices(delta=Delta(content="x"))])
    assert chunk["choices"][0]["delta"]["content"] == "x"
    assert chunk.object == "chat.completion.chunk"
    assert chunk.to_dict()["usage"] is None


def test_usage_total_is_computed_when_missing() -> None:
    assert Usage(prompt_tokens=2, completion_tokens=3).total_tokens == 5
    assert Usage(prompt_tokens=2, completion_tokens=3, total_tokens=9).total_tokens == 9
