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
    from tests.providers.test_replay import _call_plan, _check_result, _response_reply

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


# ---------------------------------------------------------------------------------------------
# stream_options={"include_usage": True} against a server that sends no usage


def _sse_without_usage(text: str = "Hello world") -> Reply:
    events = [{"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
               "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}]}
              for piece in (text[:5], text[5:])]
    events.append({"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return Reply.sse(events)


def test_include_usage_without_server_usage_appends_an_estimated_chunk(server: LoopbackServer) -> None:
    server.add(_sse_without_usage())
    stream = litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                stream_options={"include_usage": True})
    chunks = list(stream)
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert last._hidden_params["usage_estimated"] is True
    assert stream._hidden_params["usage_estimated"] is True
    assert last.usage.prompt_tokens == litellm.token_counter(model="gpt-4o", messages=MESSAGES)
    assert last.usage.completion_tokens == litellm.token_counter(model="gpt-4o", text="Hello world")
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert all(c.usage is None for c in chunks[:-1])
    assert json.loads(server.requests[0].body)["stream_options"] == {"include_usage": True}


def test_server_usage_is_kept_and_nothing_is_estimated(server: LoopbackServer) -> None:
    events = [{"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
               "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]},
              {"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o", "choices": [],
               "usage": {"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8}}]
    server.add(Reply.sse(events))
    stream = litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                stream_options={"include_usage": True})
    chunks = list(stream)
    assert chunks[-1].usage.prompt_tokens == 7
    assert "usage_estimated" not in stream._hidden_params
    assert not any(c._hidden_params.get("usage_estimated") for c in chunks)


def test_no_usage_asked_means_no_estimated_chunk(server: LoopbackServer) -> None:
    server.add(_sse_without_usage())
    chunks = list(litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url))
    assert all(c.usage is None for c in chunks)


@pytest.mark.parametrize("read", [1, 3])  # 3: every server chunk read, the end not yet seen
def test_a_stream_closed_early_gets_no_estimated_chunk(server: LoopbackServer, read: int) -> None:
    server.add(_sse_without_usage())
    stream = litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                stream_options={"include_usage": True})
    for _ in range(read):
        next(stream)
    stream.close()
    assert list(stream) == []
    assert "usage_estimated" not in stream._hidden_params


# ---------------------------------------------------------------------------------------------
# callbacks after a stream: complete_streaming_response


class _Recorder(litellm.CustomLogger):
    def __init__(self) -> None:
        self.kwargs: List[Dict[str, Any]] = []

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.kwargs.append(kwargs)


def test_success_callbacks_get_the_complete_streaming_response(server: LoopbackServer) -> None:
    server.add(_sse_without_usage())
    recorder = _Recorder()
    stream = litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                callbacks=[recorder])
    assert list(stream)
    assert len(recorder.kwargs) == 1
    complete = recorder.kwargs[0]["complete_streaming_response"]
    assert isinstance(complete, litellm.ModelResponse)
    assert complete.choices[0].message.content == "Hello world"


def test_plain_calls_get_no_complete_streaming_response(server: LoopbackServer) -> None:
    server.add(Reply.json(_chat_json()))
    recorder = _Recorder()
    litellm.completion("openai/gpt-4o", MESSAGES, api_key="k", api_base=server.url, callbacks=[recorder])
    assert "complete_streaming_response" not in recorder.kwargs[0]


# ---------------------------------------------------------------------------------------------
# costs: mock responses and per-call prices


def test_mock_response_carries_its_cost() -> None:
    response = litellm.completion("gpt-4o", MESSAGES, mock_response="It is sunny today")
    usage = response.usage
    expected = litellm.completion_cost(completion_response=response, model="gpt-4o")
    assert expected and response._hidden_params["response_cost"] == pytest.approx(expected)
    prompt_cost, completion_cost = litellm.cost_per_token(
        model="gpt-4o", prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens)
    assert response._hidden_params["response_cost"] == pytest.approx(prompt_cost + completion_cost)


def test_streamed_mock_response_carries_its_cost() -> None:
    plain = litellm.completion("openai/gpt-4o", MESSAGES, mock_response="It is sunny today")
    stream = litellm.completion("openai/gpt-4o", MESSAGES, mock_response="It is sunny today", stream=True)
    assert stream._hidden_params["response_cost"] == pytest.approx(plain._hidden_params["response_cost"])
    assert plain._hidden_params["response_cost"] > 0


def test_mock_response_for_an_unpriced_model_has_no_cost() -> None:
    response = litellm.completion("openai/my-private-model", MESSAGES, mock_response="x")
    assert response._hidden_params["response_cost"] is None


def test_per_call_token_prices_set_the_response_cost(server: LoopbackServer) -> None:
    server.add(Reply.json(_chat_json()))
    response = litellm.completion("openai/my-private-model", MESSAGES, api_key="k", api_base=server.url,
                                  input_cost_per_token=0.001, output_cost_per_token=0.002)
    assert response._hidden_params["response_cost"] == pytest.approx(10 * 0.001 + 5 * 0.002)
    body = json.loads(server.requests[0].body)
    assert "input_cost_per_token" not in body and "output_cost_per_token" not in body


def test_per_call_token_prices_for_a_stream(server: LoopbackServer) -> None:
    events = [{"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "m",
               "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]},
              {"id": "s1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [],
               "usage": {"prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6}}]
    server.add(Reply.sse(events))
    recorder = _Recorder()
    stream = litellm.completion("openai/my-private-model", MESSAGES, api_key="k", api_base=server.url, stream=True,
                                input_cost_per_token=0.5, output_cost_per_token=1.0, callbacks=[recorder])
    list(stream)
    assert recorder.kwargs[0]["response_cost"] == pytest.approx(4 * 0.5 + 2 * 1.0)


# ---------------------------------------------------------------------------------------------
# bare model names for every endpoint

_MODERATION = {"id": "modr-1", "model": "text-moderation-007",
               "results": [{"flagged": False, "categories": {}, "category_scores": {}}]}
_IMAGE = {"created": 1, "data": [{"url": "https://example.invalid/a.png"}]}
_EMBED = {"object": "list", "model": "text-embedding-3-small",
          "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
          "usage": {"prompt_tokens": 1, "total_tokens": 1}}
_TEXT = {"id": "t1", "object": "text_completion", "created": 1, "model": "gpt-3.5-turbo-instruct",
         "choices": [{"index": 0, "text": "ok", "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


@pytest.mark.parametrize(
    "call, reply, path",
    [
        (lambda kw: litellm.moderation("some text", model="text-moderation-stable", **kw), Reply.json(_MODERATION),
         "/moderations"),
        (lambda kw: litellm.image_generation("a cat", model="dall-e-3", **kw), Reply.json(_IMAGE), "/images/generations"),
        (lambda kw: litellm.transcription("whisper-1", file=("a.wav", b"RIFF0000"), **kw), Reply.json({"text": "hi"}),
         "/audio/transcriptions"),
        (lambda kw: litellm.speech("tts-1", input="hi", voice="alloy", **kw),
         Reply(body=b"ID3audio", headers={"content-type": "audio/mpeg"}), "/audio/speech"),
        (lambda kw: litellm.embedding("text-embedding-3-small", input="hi", **kw), Reply.json(_EMBED), "/embeddings"),
        (lambda kw: litellm.text_completion("gpt-3.5-turbo-instruct", prompt="hi", **kw), Reply.json(_TEXT),
         "/completions"),
    ],
    ids=["moderation", "image_generation", "transcription", "speech", "embedding", "text_completion"],
)
def test_bare_endpoint_model_names_resolve_to_openai(server: LoopbackServer, call: Any, reply: Reply, path: str) -> None:
    server.add(reply)
    result = call({"api_key": "k", "api_base": server.url})
    assert server.requests[0].path == path
    assert result._hidden_params["custom_llm_provider"] == "openai"


def test_bare_endpoint_family_names_do_not_resolve_for_chat() -> None:
    with pytest.raises(litellm.BadRequestError, match="LLM provider not provided"):
        litellm.completion("dall-e-3", MESSAGES, api_key="k")


# ---------------------------------------------------------------------------------------------
# Vertex AI express mode


def _gemini_reply() -> Reply:
    return Reply.json({"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}, "finishReason": "STOP"}],
                       "usageMetadata": {"promptTokenCount": 2, "candidatesTokenCount": 1, "totalTokenCount": 3}})


def test_vertex_express_mode_needs_no_project_or_service_account(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "VERTEXAI_PROJECT", "VERTEXAI_ACCESS_TOKEN", "HOME"):
        monkeypatch.delenv(name, raising=False)
    server.add(_gemini_reply())
    base = server.url + "/v1/publishers/google/models"
    response = litellm.completion("vertex_ai/gemini-2.5-flash", MESSAGES, api_key="express-key-123", api_base=base)
    assert response.choices[0].message.content == "Hi"
    request = server.requests[0]
    assert request.path == "/v1/publishers/google/models/gemini-2.5-flash:generateContent"
    assert request.headers.get("x-goog-api-key") == "express-key-123"
    assert "authorization" not in {k.lower() for k in request.headers}
    assert "express-key-123" not in request.query


def test_vertex_without_key_or_express_base_still_needs_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "VERTEXAI_PROJECT", "VERTEXAI_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent-home")
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion("vertex_ai/gemini-2.5-flash", MESSAGES, api_key="k",
                           api_base="http://127.0.0.1:9/v1/projects/p/locations/l", num_retries=0)


# ---------------------------------------------------------------------------------------------
# hostile framings


def _gemini_items() -> List[Dict[str, Any]]:
    return [
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hel"}]}}]},
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "lo"}]}, "finishReason": "STOP"}],
         "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2, "totalTokenCount": 5}},
    ]


def test_json_array_after_whitespace_split_byte_by_byte(server: LoopbackServer) -> None:
    body = b"\r\n  " + json.dumps(_gemini_items()).encode()
    server.add(Reply(chunks=[body[i:i + 1] for i in range(len(body))], chunked=True,
                     headers={"content-type": "application/json; charset=UTF-8"}))
    stream = litellm.completion("gemini/gemini-2.0-flash", MESSAGES, stream=True, api_key="k", api_base=server.url)
    built = litellm.stream_chunk_builder(list(stream))
    assert built.choices[0].message.content == "Hello"
    assert built.usage.total_tokens == 5


def test_json_array_cut_mid_body_is_a_connection_error(server: LoopbackServer) -> None:
    body = json.dumps(_gemini_items()).encode()
    server.add(Reply(body=body, headers={"content-type": "application/json"}, cut_after=len(body) // 2))
    with pytest.raises(litellm.APIConnectionError):
        list(litellm.completion("gemini/gemini-2.0-flash", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                num_retries=0))


def test_json_error_object_answering_a_stream_request_is_raised(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"code": 400, "message": "bad thing", "status": "INVALID_ARGUMENT"}}))
    with pytest.raises(litellm.APIError, match="bad thing"):
        list(litellm.completion("gemini/gemini-2.0-flash", MESSAGES, stream=True, api_key="k", api_base=server.url))


def test_empty_json_answer_to_a_stream_request_is_our_error(server: LoopbackServer) -> None:
    server.add(Reply(body=b"   ", headers={"content-type": "application/json"}))
    with pytest.raises(litellm.APIConnectionError):
        list(litellm.completion("openai/gpt-4o", MESSAGES, stream=True, api_key="k", api_base=server.url,
                                num_retries=0))


def test_caching_module_path_is_an_attribute_once_it_ships() -> None:
    import importlib.util

    if importlib.util.find_spec("litellm_lite.caching") is None:
        assert not hasattr(litellm, "caching")  # an AttributeError, not a ModuleNotFoundError
    else:
        import litellm_lite.caching as caching

        assert litellm.caching is caching
    with pytest.raises(AttributeError):
        litellm.no_such_submodule_or_name  # noqa: B018
