"""``responses()`` end to end, native: every recording in ../shared/cassettes/responses/ replayed
through the public function against a loopback server serving the recorded body (JSON, or the
SSE stream split in small pieces), each file's ``expected`` block checked on what
``responses()`` returns, the request it sent compared with what the recorded client sent and
validated against the Responses schema; errors raised as the chat classes."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pytest

import litellm_lite as litellm
from litellm_lite.cost import endpoint_cost
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
)
from litellm_lite.responses_api import ResponsesAPIResponse, ResponsesStreamWrapper
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer, Reply
from tests.api.test_responses_replay import RECORDINGS, _check

IDS = [r["_file"] for r in RECORDINGS]


def _refused_here(rec: Dict[str, Any]) -> bool:
    """A value the server refused that build_request refuses too (temperature=-1)."""
    error = rec["expected"]["error"]
    return error is not None and error["param"] not in (None, "model", "input") and error["param"] in rec["request"]["body"]


SENT = [r for r in RECORDINGS if not _refused_here(r)]


def _is_stream(rec: Dict[str, Any]) -> bool:
    return str(rec["response"]["headers"]["content-type"]).startswith("text/event-stream")


def _reply(rec: Dict[str, Any]) -> Reply:
    body = rec["response"]["body_text"].encode("utf-8")
    headers = {"content-type": rec["response"]["headers"]["content-type"]}
    if _is_stream(rec):
        pieces = [body[i : i + 97] for i in range(0, len(body), 97)]
        return Reply(status=rec["response"]["status"], headers=headers, chunks=pieces, chunked=True)
    return Reply(status=rec["response"]["status"], headers=headers, body=body)


def _call_args(rec: Dict[str, Any], url: str) -> Tuple[str, Any, Dict[str, Any]]:
    body = dict(rec["request"]["body"])
    model, input_ = body.pop("model"), body.pop("input")
    if rec["provider"] == "azure":
        return "azure/" + model, input_, dict(body, api_base=url, api_key="k", api_version="v1", num_retries=0)
    return "openai/" + model, input_, dict(body, api_base=url + "/v1", api_key="k", num_retries=0)


def _sent_body(rec: Dict[str, Any]) -> Dict[str, Any]:
    body = dict(rec["request"]["body"])
    if body.get("stream") is False:
        del body["stream"]
    return body


@pytest.mark.parametrize("rec", RECORDINGS, ids=IDS)
def test_recording_through_responses(rec: Dict[str, Any], server: LoopbackServer) -> None:
    server.add(_reply(rec))
    model, input_, kwargs = _call_args(rec, server.url)
    expected = rec["expected"]
    error = expected["error"]
    if _refused_here(rec):
        with pytest.raises(BadRequestError, match=error["param"]):  # refused here too, before sending
            litellm.responses(model, input_, **kwargs)
        assert server.requests == []
        return
    if error is not None:
        cls = NotFoundError if error["code"] == "model_not_found" else (
            AuthenticationError if rec["response"]["status"] == 401 else BadRequestError)
        with pytest.raises(cls) as caught:
            litellm.responses(model, input_, **kwargs)
        assert caught.value.status_code == rec["response"]["status"]
        assert caught.value.message == error["message"] and caught.value.code == error["code"]
        assert len(server.requests) == 1
    elif _is_stream(rec):
        stream = litellm.responses(model, input_, **kwargs)
        assert isinstance(stream, ResponsesStreamWrapper)
        events = list(stream)
        assert len(events) == expected["stream"]["events"]
        assert events[0].type == "response.created"
        final = stream.get_final_response()
        _check(final, expected)
        assert final._hidden_params["litellm_call_id"] and "response_cost" in final._hidden_params
    else:
        result = litellm.responses(model, input_, **kwargs)
        assert isinstance(result, ResponsesAPIResponse)
        _check(result, expected)
        hidden = result._hidden_params
        assert hidden["custom_llm_provider"] == rec["provider"] and hidden["litellm_call_id"]
        model_id = model.split("/", 1)[1]
        assert hidden["response_cost"] == endpoint_cost("responses", result, model_id, rec["provider"], None)
    sent = server.requests[0]
    assert sent.path == rec["request"]["path"] and sent.method == "POST"
    assert sent.json() == _sent_body(rec)
    if rec["provider"] == "openai":
        assert sent.headers["authorization"] == "Bearer k"
    else:
        assert sent.headers["api-key"] == "k"


def _schema_cases() -> List[Any]:
    from tests.api.test_responses_spec import _SPEC_STRICTER  # the live API accepted these, the spec refuses them

    return [
        pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=_SPEC_STRICTER[r["_file"]]))
        if r["_file"] in _SPEC_STRICTER else r
        for r in SENT
    ]


@pytest.mark.parametrize("rec", _schema_cases(), ids=[r["_file"] for r in SENT])
def test_sent_bodies_match_the_responses_schema(rec: Dict[str, Any], server: LoopbackServer) -> None:
    from tests.api.test_responses_spec import assert_valid

    server.add(_reply(rec))
    model, input_, kwargs = _call_args(rec, server.url)
    try:
        result = litellm.responses(model, input_, **kwargs)
        if not isinstance(result, ResponsesAPIResponse):
            list(result)
    except (BadRequestError, AuthenticationError, NotFoundError):
        pass
    assert_valid(server.requests[0].json())


def test_cost_of_a_priced_model(server: LoopbackServer) -> None:
    rec = next((r for r in RECORDINGS if r["_file"] == "openai__text_gpt4o.json"), None)
    if rec is None:
        pytest.skip("recording absent")
    server.add(_reply(rec))
    model, input_, kwargs = _call_args(rec, server.url)
    result = litellm.responses(model, input_, **kwargs)
    cost = result._hidden_params["response_cost"]
    assert isinstance(cost, float) and cost > 0


def test_azure_dated_api_version_route() -> None:
    with FakeProvider() as fake:
        result = litellm.responses("azure/my-deploy", "Hi there", api_base=fake.url, api_key="k",
                                   api_version="2025-04-01-preview")
        assert result.output_text.endswith("Hi there")
        sent = fake.requests[-1]
        assert sent.path == "/openai/responses?api-version=2025-04-01-preview" and sent.json["model"] == "my-deploy"
        assert sent.headers["api-key"] == "k"


def test_native_errors_retries_and_cut_stream() -> None:
    with FakeProvider() as fake:
        kw = fake.kwargs()
        fake.add_error(429, "slow down", times=3, headers={"retry-after": "0"})  # retried without a wait
        with pytest.raises(RateLimitError):
            litellm.responses(input="x", num_retries=0, **kw)
        fake.add_reply("after retry")
        result = litellm.responses(input="x", num_retries=2, **kw)
        assert result.output_text == "after retry"
        assert len(fake.requests) == 4
        fake.add_reply("one two three four five six", cut_after_chunks=5)
        stream = litellm.responses(input="x", stream=True, **kw)
        with pytest.raises(APIConnectionError, match="closed before|ended before response.completed"):
            list(stream)


def test_native_metadata_is_a_body_field_and_callbacks_see_the_call() -> None:
    seen: List[Dict[str, Any]] = []

    class Logger(litellm.CustomLogger):
        def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            seen.append({"kwargs": kwargs, "response": response_obj})

    with FakeProvider() as fake:
        kw = fake.kwargs()
        result = litellm.responses(input="hello", metadata={"team": "a"}, callbacks=[Logger()], **kw)
        assert fake.requests[-1].json["metadata"] == {"team": "a"}
        assert result.metadata == {"team": "a"}
    assert len(seen) == 1 and seen[0]["response"] is result
    assert seen[0]["kwargs"]["call_type"] == "responses"
    assert seen[0]["kwargs"]["litellm_call_id"] == result._hidden_params["litellm_call_id"]


def test_native_stream_tool_call_and_hidden_params() -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
    tools = [{"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}]
    with FakeProvider() as fake:
        fake.add_reply(None, tool_calls=[call])
        with litellm.responses(input="Weather?", tools=tools, stream=True, **fake.kwargs()) as stream:
            types = [event.type for event in stream]
        assert "response.function_call_arguments.delta" in types and types[-1] == "response.completed"
        final = stream.response
        assert json.loads(final.function_calls[0].arguments) == {"city": "Oslo"}
        assert final._hidden_params["custom_llm_provider"] == "openai"
        sent = fake.requests[-1].json
        assert sent["stream"] is True and sent["tools"] == tools


def test_bad_arguments_fail_before_sending(server: LoopbackServer) -> None:
    kw = {"api_base": server.url + "/v1", "api_key": "k"}
    for bad in ({"temperature": 3}, {"tool_choice": "sometimes"}, {"stream": "yes"}, {"max_output_tokens": 0}):
        with pytest.raises(BadRequestError):
            litellm.responses("openai/gpt-4.1", "hi", **dict(kw, **bad))
    with pytest.raises(BadRequestError):
        litellm.responses("openai/gpt-4.1", [], **kw)
    with pytest.raises(BadRequestError):
        litellm.responses("openai/gpt-4.1", [{"type": "function_call_output"}], **kw)
    assert server.requests == []
