"""Ollama adapters: uncommon message shapes, parameter errors, odd payloads and stream lines."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import APIConnectionError, BadRequestError, UnsupportedParamsError
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from litellm_lite.providers.ollama import OllamaChatAdapter, OllamaGenerateAdapter

CHAT = OllamaChatAdapter()
GEN = OllamaGenerateAdapter()
USER = [{"role": "user", "content": "hi"}]


def cfg(provider: str = "ollama_chat", **kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider=provider, model="llama3", spec=PROVIDERS[provider], api_key=None,
                                api_base="http://localhost:11434")
    base.update(kw)
    return CallConfig(**base)


def body(messages: Optional[List[Dict[str, Any]]] = None, adapter: Any = CHAT, drop: bool = False,
         **params: Any) -> Dict[str, Any]:
    request = ChatRequest(model="llama3", messages=messages or USER, params=params)
    provider = "ollama" if adapter is GEN else "ollama_chat"
    return json.loads(adapter.prepare(request, cfg(provider, drop_params=drop)).body)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# messages


def test_chat_odd_content_and_tool_calls() -> None:
    messages = [
        {"role": "user", "content": 12},
        {"role": "user", "content": [7, {"type": "text", "text": "look"},
                                     {"type": "image_url", "image_url": "QUJD"}]},
        {"role": "assistant", "content": None, "tool_calls": [
            "junk",
            {"id": "c1", "function": {"name": "f", "arguments": {"a": 1}}},
            {"id": "c2", "function": {"name": "g", "arguments": ""}},
            {"id": "c3", "function": {"name": "h", "arguments": "[1]"}},
        ]},
    ]
    sent = body(messages)["messages"]
    assert sent[0] == {"role": "user", "content": "12"}
    assert sent[1] == {"role": "user", "content": "look", "images": ["QUJD"]}  # bare base64 passes as is
    assert [c["function"]["arguments"] for c in sent[2]["tool_calls"]] == [{"a": 1}, {}, {"value": [1]}]


@pytest.mark.parametrize("messages,needle", [
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,"}}]}],
     "malformed data URL"),
    ([{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}], "only text and image_url"),
    ([{"role": "critic", "content": "x"}], "unsupported message role"),
])
@pytest.mark.parametrize("adapter", [CHAT, GEN])
def test_bad_messages(messages: Any, needle: str, adapter: Any) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body(messages, adapter=adapter)


def test_generate_flattens_tool_calls_and_results() -> None:
    messages = [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": "checking", "tool_calls": [
            "junk", {"id": "c1", "function": {"name": "weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "rain"},
    ]
    prompt = body(messages, adapter=GEN)["prompt"]
    expected_call = json.dumps({"name": "weather", "arguments": "{\"city\": \"Oslo\"}"})
    assert prompt == ("### User:\nweather?\n\n### Assistant:\nchecking\n" + expected_call + "\n\n"
                      "### Tool result:\nrain\n\n### Assistant:\n")


# ---------------------------------------------------------------------------------------------
# parameters


def test_unknown_reasoning_effort() -> None:
    with pytest.raises(UnsupportedParamsError, match="reasoning_effort"):
        body(reasoning_effort="turbo")
    assert "think" not in body(reasoning_effort="turbo", drop=True)


@pytest.mark.parametrize("fmt", ["json", {"type": "regex", "regex": "a+"}])
def test_unexpressible_response_formats(fmt: Any) -> None:
    with pytest.raises(UnsupportedParamsError, match="response_format"):
        body(response_format=fmt)
    assert "format" not in body(response_format=fmt, drop=True)


# ---------------------------------------------------------------------------------------------
# responses and streams


def _parse(payload: Any) -> Any:
    return CHAT.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                      ChatRequest(model="llama3", messages=USER), cfg())


def test_response_with_odd_tool_calls_and_garbage_counts() -> None:
    resp = _parse({"message": {"role": "assistant", "content": "",
                               "tool_calls": ["junk", {"function": {"name": "f", "arguments": "{\"a\":1}"}}]},
                   "done": True, "prompt_eval_count": "n/a", "eval_count": 5})
    calls = resp.choices[0].message.tool_calls
    assert len(calls) == 1 and calls[0].function.arguments == "{\"a\":1}" and calls[0].id.startswith("call_")
    assert resp.choices[0].finish_reason == "tool_calls"
    assert resp.usage.prompt_tokens == 0 and resp.usage.completion_tokens == 5


def test_stream_blank_and_non_object_lines() -> None:
    state = CHAT.new_stream_state(ChatRequest(model="llama3", messages=USER, stream=True), cfg())
    assert CHAT.parse_event(StreamEvent(data="  "), state) == []
    with pytest.raises(APIConnectionError, match="unexpected Ollama stream line"):
        CHAT.parse_event(StreamEvent(data="\"text\""), state)


# ---------------------------------------------------------------------------------------------
# embeddings


def test_embedding_params_rejected_or_dropped() -> None:
    for params, needle in (({"encoding_format": "base64"}, "encoding_format"), ({"user": "u"}, "'user'")):
        request = EmbeddingRequest(model="nomic-embed-text", input=["a"], params=params)
        with pytest.raises(UnsupportedParamsError, match=needle):
            CHAT.prepare_embedding(request, cfg())
        sent = json.loads(CHAT.prepare_embedding(request, cfg(drop_params=True)).body)
        assert sent == {"model": "nomic-embed-text", "input": ["a"]}


@pytest.mark.parametrize("payload,needle", [
    ([[0.1]], "unexpected Ollama embed response"),
    ({"embeddings": [[0.1], "x"]}, "vector 1 is not a list"),
])
def test_embedding_response_garbage(payload: Any, needle: str) -> None:
    request = EmbeddingRequest(model="nomic-embed-text", input=["a", "b"])
    with pytest.raises(APIConnectionError, match=needle):
        CHAT.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()), request, cfg())
