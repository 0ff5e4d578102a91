"""Correlation ids: call id on responses, exceptions, log records and callbacks; provider request
ids; outgoing id headers; traceparent checks; the DEBUG attempt line."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite
from litellm_lite import correlation, observability
from litellm_lite.correlation import (
    CallIdFilter,
    attempt_line,
    call_scope,
    check_traceparent,
    current_call_id,
    make_traceparent,
    provider_request_id,
    url_for_log,
)
from litellm_lite.exceptions import BadRequestError, RateLimitError, register_secret
from litellm_lite.observability import CustomLogger
from litellm_lite.testing import FakeProvider
from tests.conftest import Collector
from tests.server import LoopbackServer, Reply

MESSAGES = [{"role": "user", "content": "correlate me"}]
SECRET = "sk-corr-SECRETVALUE-0123456789abcdef"
OK = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("callbacks", "success_callback", "failure_callback"):
        monkeypatch.setattr(litellm_lite, name, [], raising=False)
    for name in ("send_call_id_header", "log_bodies", "enable_metrics", "propagate_traceparent"):
        monkeypatch.setattr(litellm_lite, name, False, raising=False)


@pytest.fixture(autouse=True)
def _no_current_call() -> Iterator[None]:
    """Each test starts outside any call, whatever earlier tests left (an abandoned stream keeps its id)."""
    token = correlation.set_call_id(None)
    yield
    correlation.reset_call_id(token)


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


# -- the current call id and the log filter ---------------------------------------------------------


def test_call_scope_sets_and_restores_the_current_id() -> None:
    with call_scope("before-id"):
        with call_scope() as outer:
            assert uuid.UUID(outer).version == 4 and current_call_id() == outer
            with call_scope("inner-id") as inner:
                assert inner == "inner-id" and current_call_id() == "inner-id"
            assert current_call_id() == outer
        assert current_call_id() == "before-id"


def test_filter_stamps_records_and_keeps_an_explicit_id() -> None:
    filt = CallIdFilter()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    with call_scope("outside"):
        token = correlation.set_call_id(None)
        assert filt.filter(record) is True and record.litellm_call_id is None  # type: ignore[attr-defined]
        correlation.reset_call_id(token)
    with call_scope("abc"):
        fresh = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        filt.filter(fresh)
        explicit = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        explicit.litellm_call_id = "given"  # type: ignore[attr-defined]
        filt.filter(explicit)
    assert fresh.litellm_call_id == "abc" and explicit.litellm_call_id == "given"  # type: ignore[attr-defined]
    handler = Collector()
    assert correlation.install_filter(handler) is correlation.install_filter(handler)
    assert handler.filters.count(correlation._FILTER) == 1


def test_every_log_record_of_a_call_carries_its_id(fake: FakeProvider, collected: Collector) -> None:
    token = correlation.set_call_id(None)  # as in a fresh thread
    try:
        _every_log_record_of_a_call_carries_its_id(fake, collected)
    finally:
        correlation.reset_call_id(token)


def _every_log_record_of_a_call_carries_its_id(fake: FakeProvider, collected: Collector) -> None:
    response = litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    call_id = response._hidden_params["litellm_call_id"]
    assert uuid.UUID(call_id).version == 4
    ours = [r for r in collected.records if r.name == "litellm_lite"]
    assert len(ours) >= 2  # at least the request and response DEBUG lines
    assert {getattr(r, "litellm_call_id", "missing") for r in ours} == {call_id}
    assert current_call_id() is None  # restored after the call
    collected.records.clear()
    logging.getLogger("litellm_lite").debug("between calls")
    assert collected.records[0].litellm_call_id is None  # type: ignore[attr-defined]


def test_stream_records_carry_the_id_until_the_stream_ends(fake: FakeProvider, collected: Collector) -> None:
    with call_scope("enclosing"):
        stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
        ids = {getattr(r, "litellm_call_id", None) for r in collected.records if r.name == "litellm_lite"}
        chunks = list(stream)
        assert chunks
        after = {getattr(r, "litellm_call_id", None) for r in collected.records if r.name == "litellm_lite"}
        assert len(ids) == 1 and None not in ids and "enclosing" not in ids and after == ids
        assert current_call_id() == "enclosing"  # restored at the end of the stream


def test_exceptions_get_the_call_id_and_the_provider_request_id(fake: FakeProvider, collected: Collector) -> None:
    seen: List[Dict[str, Any]] = []
    litellm_lite.failure_callback = [lambda kwargs, exc, start, end: seen.append(kwargs)]
    fake.add_error(429, "slow down", headers={"request-id": "req_anthropic_01"})
    with pytest.raises(RateLimitError) as info:
        litellm_lite.completion(messages=MESSAGES, num_retries=0, max_tokens=10, **fake.kwargs("anthropic"))
    exc: Any = info.value
    assert uuid.UUID(exc.litellm_call_id).version == 4
    assert exc.request_id == "req_anthropic_01"
    assert seen[0]["litellm_call_id"] == exc.litellm_call_id
    failed = [r for r in collected.records if "failed" in r.getMessage()]
    assert failed and failed[0].litellm_call_id == exc.litellm_call_id  # type: ignore[attr-defined]


def test_an_exception_without_headers_gets_request_id_none(fake: FakeProvider) -> None:
    with pytest.raises(BadRequestError) as info:
        info_dict: Dict[str, Any] = {"model": "m", "provider": "openai"}
        observability.pre_call(info_dict)
        error = BadRequestError("bad", "openai", "m")
        observability.failure(info_dict, error, 0.0, 1.0)
        raise error
    assert info.value.request_id is None  # type: ignore[attr-defined]
    assert info.value.litellm_call_id == info_dict["litellm_call_id"]  # type: ignore[attr-defined]


def test_callbacks_see_the_same_id_as_the_response_and_no_private_state(fake: FakeProvider) -> None:
    events: List[Any] = []

    class Spy(CustomLogger):
        def log_pre_api_call(self, model: str, messages: Any, kwargs: Dict[str, Any]) -> None:
            events.append(kwargs)

        def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
            events.append(kwargs)

    litellm_lite.callbacks = [Spy()]
    response = litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    call_id = response._hidden_params["litellm_call_id"]
    assert [e["litellm_call_id"] for e in events] == [call_id, call_id]
    assert not any(k.startswith("_") for e in events for k in e)


def test_each_call_gets_its_own_id(fake: FakeProvider) -> None:
    ids = {litellm_lite.completion(messages=MESSAGES, **fake.kwargs())._hidden_params["litellm_call_id"] for _ in range(3)}
    assert len(ids) == 3


def test_provider_request_id_is_on_the_response(server: LoopbackServer) -> None:
    server.add(Reply.json(OK, headers={"content-type": "application/json", "X-Request-ID": "req_openai_42"}))
    response = litellm_lite.completion(model="openai/gpt-4o-mini", messages=MESSAGES, api_base=server.url + "/v1",
                                       api_key="k")
    assert response._hidden_params["provider_request_id"] == "req_openai_42"
    server.add(Reply.json(OK))
    plain = litellm_lite.completion(model="openai/gpt-4o-mini", messages=MESSAGES, api_base=server.url + "/v1", api_key="k")
    assert "provider_request_id" not in plain._hidden_params


# -- provider request ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers,expected",
    [
        ({"x-request-id": "req_1"}, "req_1"),  # OpenAI, Azure, OpenAI-compatible vendors
        ({"request-id": "req_011CS"}, "req_011CS"),  # Anthropic
        ({"x-amzn-RequestId": "3f1c-aws"}, "3f1c-aws"),  # Bedrock (any case)
        ({"X-Amzn-Requestid": "aws-2"}, "aws-2"),
        ({"x-amz-request-id": "s3ish"}, "s3ish"),
        ({"x-goog-request-id": "goog-9"}, "goog-9"),
        ({"apim-request-id": "apim-1"}, "apim-1"),
        ({"x-ms-request-id": "ms-1"}, "ms-1"),
        ({"request-id": "anthropic", "x-request-id": "openai"}, "openai"),  # documented order
        ({"x-request-id": "  padded  "}, "padded"),
        ({"x-request-id": ""}, None),
        ({"x-request-id": "bad\nvalue"}, None),  # header injection / control characters
        ({"x-request-id": "x" * 300}, None),
        ({"x-request-id": 12345}, None),
        ({"content-type": "application/json"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_provider_request_id(headers: Any, expected: Any) -> None:
    assert provider_request_id(headers) == expected


def test_provider_request_id_of_a_hostile_mapping() -> None:
    class Broken(dict):  # type: ignore[type-arg]
        def items(self) -> Any:
            raise TypeError("no")

    assert provider_request_id(Broken(a=1)) is None


# -- outgoing headers and traceparent ---------------------------------------------------------------


def test_a_nested_call_restores_the_outer_id(fake: FakeProvider) -> None:
    with call_scope("outer-call"):
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        assert current_call_id() == "outer-call"


def test_outgoing_headers_are_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    info: Dict[str, Any] = {"model": "m", "provider": "openai"}
    observability.pre_call(info)
    assert observability.outgoing_headers(info) == {}
    monkeypatch.setattr(litellm_lite, "send_call_id_header", True)
    assert observability.outgoing_headers(info) == {"x-litellm-call-id": info["litellm_call_id"]}
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    info["traceparent"] = check_traceparent(parent)
    assert observability.outgoing_headers(info)["traceparent"] == parent
    observability.success(info, None, 0.0, 1.0)


@pytest.mark.parametrize(
    "value",
    [
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
        " 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 ",
    ],
)
def test_valid_traceparents(value: str) -> None:
    assert check_traceparent(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01",  # upper case
        "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01",  # short trace id
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01",  # short span id
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",  # forbidden version
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",  # zero trace id
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",  # zero span id
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",  # no flags
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\nx-evil: 1",
        "",
        None,
        42,
    ],
)
def test_invalid_traceparents_are_bad_requests(value: Any) -> None:
    with pytest.raises(BadRequestError) as info:
        check_traceparent(value, "gpt-4o")
    assert "traceparent" in str(info.value)


def test_make_traceparent() -> None:
    assert make_traceparent(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, True) == (
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    )
    assert make_traceparent(1, 2, False) == "00-%032x-%016x-00" % (1, 2)
    assert make_traceparent(0, 2, True) is None and make_traceparent(1, 0, True) is None


# -- the DEBUG attempt line --------------------------------------------------------------------------


def test_url_for_log_drops_query_fragment_and_user_info() -> None:
    assert url_for_log("https://user:pw@host.example:8443/v1/x?key=AIzaSECRET#frag") == "https://host.example:8443/v1/x"
    assert url_for_log("https://generativelanguage.googleapis.com/v1beta/models/g:generateContent?key=abc") == (
        "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent"
    )
    assert url_for_log("not a url") == "not a url"


def test_attempt_line_has_every_field_and_bodies_only_when_given() -> None:
    register_secret(SECRET)
    line = attempt_line(call_id="cid", provider="openai", model="gpt-4o", method="post",
                        url="https://api.openai.com/v1/chat/completions?api-key=" + SECRET, attempt=2, status=429,
                        latency=0.1234, request_id="req_9")
    assert line == "call cid attempt 2 openai/gpt-4o POST https://api.openai.com/v1/chat/completions -> 429 in 0.123s request_id=req_9"
    failed = attempt_line(call_id=None, provider="p", model="m", method="POST", url="http://h/x", attempt=1, status=None,
                          latency=1.0, error=TimeoutError("t"))
    assert "call - attempt 1" in failed and "-> no response (TimeoutError)" in failed and "request_id=-" in failed
    body = ('{"api_key": "%s", "text": "' % SECRET) + "y" * 10000 + '"}'
    with_bodies = attempt_line(call_id="c", provider="p", model="m", method="POST", url="http://h/x", attempt=1,
                               status=200, latency=0.0, request_body=body.encode(), response_body={"ok": SECRET})
    assert SECRET not in with_bodies and "request_body=" in with_bodies and "response_body=" in with_bodies
    assert "more)" in with_bodies and len(with_bodies) < 2 * correlation.BODY_LOG_LIMIT + 300


def test_attempt_hook_logs_one_line_and_bodies_only_when_asked(collected: Collector, monkeypatch: pytest.MonkeyPatch) -> None:
    info: Dict[str, Any] = {"model": "m", "provider": "anthropic"}
    observability.pre_call(info)
    collected.records.clear()
    observability.attempt(info, number=1, method="POST", url="https://api.anthropic.com/v1/messages", status=200,
                          started=1.0, ended=1.5, headers={"request-id": "req_a"}, request_body=b'{"q": 1}',
                          response_body=b'{"a": 2}')
    lines = [r.getMessage() for r in collected.records]
    assert len(lines) == 1 and "request_id=req_a" in lines[0] and "-> 200 in 0.500s" in lines[0]
    assert info["litellm_call_id"] in lines[0] and "request_body" not in lines[0]
    assert collected.records[0].litellm_call_id == info["litellm_call_id"]  # type: ignore[attr-defined]
    monkeypatch.setattr(litellm_lite, "log_bodies", True)
    observability.attempt(info, number=2, method="POST", url="https://api.anthropic.com/v1/messages", status=200,
                          started=1.0, ended=1.5, request_body=b'{"q": 1}', response_body=b'{"a": 2}')
    assert 'request_body={"q": 1}' in collected.records[-1].getMessage()
    # the request id seen on an attempt reaches the response even without response headers
    response = litellm_lite.ModelResponse(model="m")
    observability.success(info, response, 1.0, 2.0)
    assert response._hidden_params == {"litellm_call_id": info["litellm_call_id"], "provider_request_id": "req_a"}


def test_a_stream_dropped_before_its_end_stops_being_current(fake: FakeProvider) -> None:
    import gc

    with call_scope("enclosing"):
        stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
        running = current_call_id()
        assert running not in (None, "enclosing")
        next(iter(stream))
        assert current_call_id() == running  # still current while the caller reads it
        del stream
        gc.collect()
        assert current_call_id() == "enclosing"  # forgotten with the stream (not a stale id)
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        assert current_call_id() == "enclosing"


def test_concurrent_calls_keep_their_own_ids(fake: FakeProvider, collected: Collector) -> None:
    import threading

    results: Dict[str, str] = {}

    def worker(name: str) -> None:
        for _ in range(3):
            response = litellm_lite.completion(messages=[{"role": "user", "content": name}], **fake.kwargs())
            results.setdefault(name, "")
            results[name] += response._hidden_params["litellm_call_id"] + " "

    threads = [threading.Thread(target=worker, args=("w%d" % i,), name="w%d" % i) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, ids in results.items():
        own = set(ids.split())
        assert len(own) == 3
        records = [r for r in collected.records if r.threadName == name and r.name == "litellm_lite"]
        assert records and {r.litellm_call_id for r in records} == own  # type: ignore[attr-defined]
