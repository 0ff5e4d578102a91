"""Observability on the road: ids on every endpoint's responses, errors and callback payloads, the
per-attempt DEBUG lines, opt-in id headers, traceparent (keyword and active span), streams closed
early, mock_response calls, and metrics through the public functions."""

from __future__ import annotations

import gc
import http.client
import logging
import re
import uuid
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import litellm_lite
from litellm_lite import _call, correlation, observability, telemetry
from litellm_lite.endpoints import image_generation, moderation, speech, text_completion, transcription
from litellm_lite.exceptions import BadRequestError, LiteLLMError, RateLimitError, ServiceUnavailableError
from litellm_lite.observability import CustomLogger
from litellm_lite.testing import FakeProvider
from tests.conftest import Collector
from tests.server import LoopbackServer, Reply, closed_port

MESSAGES = [{"role": "user", "content": "observe the road"}]
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
WAV = b"RIFF$\x00\x00\x00WAVEfmt " + b"\x00" * 28


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("callbacks", "success_callback", "failure_callback"):
        monkeypatch.setattr(litellm_lite, name, [], raising=False)
    for name in ("send_call_id_header", "log_bodies", "enable_metrics", "propagate_traceparent"):
        monkeypatch.setattr(litellm_lite, name, False, raising=False)
    token = correlation.set_call_id(None)
    litellm_lite.reset_metrics()
    yield
    litellm_lite.reset_metrics()
    correlation.reset_call_id(token)


@pytest.fixture
def tagged(fake: FakeProvider) -> Iterator[Tuple[LoopbackServer, List[str]]]:
    """A loopback server in front of the fake provider that adds ``x-request-id: req_<n>`` to every answer."""
    sent: List[str] = []

    def handler(rec: Any) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1].split("/")[0]), timeout=30)
        headers = {k: v for k, v in rec.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        conn.request(rec.method, rec.path + ("?" + rec.query if rec.query else ""), body=rec.body, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        out = {k: v for k, v in response.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection")}
        sent.append("req_%d" % len(sent))
        out["x-request-id"] = sent[-1]
        return Reply(status=response.status, headers=out, body=body)

    with LoopbackServer() as server:
        server.handler = handler
        yield server, sent


class Spy(CustomLogger):
    def __init__(self) -> None:
        self.events: List[Tuple[str, Dict[str, Any], Any]] = []

    def log_pre_api_call(self, model: str, messages: Any, kwargs: Dict[str, Any]) -> None:
        self.events.append(("pre", kwargs, None))

    def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("success", kwargs, response_obj))

    def log_failure_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("failure", kwargs, response_obj))

    def kinds(self) -> List[str]:
        return [e[0] for e in self.events]

    def ids(self) -> List[Any]:
        return [e[1]["litellm_call_id"] for e in self.events]


def _base(server: LoopbackServer) -> Dict[str, Any]:
    return {"api_base": server.url + "/v1", "api_key": "k", "num_retries": 0}


ENDPOINTS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "chat": lambda kw: litellm_lite.completion(model="openai/fake-model", messages=MESSAGES, **kw),
    "embedding": lambda kw: litellm_lite.embedding(model="openai/text-embedding-3-small", input=["a", "b"], **kw),
    "image_generation": lambda kw: image_generation("a red fox", model="openai/dall-e-3", **kw),
    "transcription": lambda kw: transcription(model="openai/whisper-1", file=("talk.wav", WAV), **kw),
    "speech": lambda kw: speech(model="openai/tts-1", input="Hello", voice="alloy", **kw),
    "moderation": lambda kw: moderation("a nice day", model="openai/omni-moderation-latest", **kw),
    "text_completion": lambda kw: text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="Say hi", **kw),
}


# -- ids on every endpoint ----------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_has_both_ids_on_its_response_callbacks_and_log_records(
    endpoint: str, tagged: Tuple[LoopbackServer, List[str]], collected: Collector
) -> None:
    server, sent = tagged
    spy = Spy()
    litellm_lite.callbacks = [spy]
    result = ENDPOINTS[endpoint](_base(server))
    hidden = result._hidden_params
    assert uuid.UUID(hidden["litellm_call_id"]).version == 4
    assert hidden["provider_request_id"] == sent[-1] == "req_0"
    assert spy.kinds() == ["pre", "success"]
    assert spy.ids() == [hidden["litellm_call_id"]] * 2
    assert spy.events[1][2] is result
    # every record, the spend ledger's once-per-model "no known price" warning included, has the id
    ours = [r for r in collected.records if r.name == "litellm_lite"]
    assert len(ours) >= 3  # call start, the attempt, call end
    assert {getattr(r, "litellm_call_id", None) for r in ours} == {hidden["litellm_call_id"]}
    assert any("request_id=req_0" in r.getMessage() for r in ours)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_error_has_both_ids(endpoint: str, server: LoopbackServer, collected: Collector) -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    server.add(Reply.json({"error": {"message": "slow down", "type": "rate_limit"}}, status=429,
                          headers={"content-type": "application/json", "x-request-id": "req_err_%s" % endpoint}))
    with pytest.raises(RateLimitError) as info:
        ENDPOINTS[endpoint](_base(server))
    exc: Any = info.value
    assert exc.request_id == "req_err_%s" % endpoint
    assert uuid.UUID(exc.litellm_call_id).version == 4
    assert spy.kinds() == ["pre", "failure"] and spy.ids() == [exc.litellm_call_id] * 2
    assert {getattr(r, "litellm_call_id", None) for r in collected.records} == {exc.litellm_call_id}


@pytest.mark.parametrize("endpoint", ["chat", "text_completion"])
def test_streams_have_both_ids_on_the_wrapper_and_the_assembled_response(
    endpoint: str, tagged: Tuple[LoopbackServer, List[str]]
) -> None:
    server, sent = tagged
    spy = Spy()
    litellm_lite.callbacks = [spy]
    stream = ENDPOINTS[endpoint](dict(_base(server), stream=True))
    assert stream._hidden_params["provider_request_id"] == "req_0"
    call_id = stream._hidden_params["litellm_call_id"]
    assert len(list(stream)) > 1
    built = spy.events[-1][2]
    assert spy.kinds() == ["pre", "success"] and spy.ids() == [call_id, call_id]
    assert built._hidden_params["litellm_call_id"] == call_id and built._hidden_params["provider_request_id"] == "req_0"


def test_an_error_in_the_middle_of_a_stream_has_the_request_id(server: LoopbackServer) -> None:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "word "}, "finish_reason": None}]}
    server.add(Reply.sse([chunk] * 5, headers={"content-type": "text/event-stream", "x-request-id": "req_cut"},
                         cut_after=150))
    stream = litellm_lite.completion(model="openai/m", messages=MESSAGES, stream=True, **_base(server))
    with pytest.raises(LiteLLMError) as info:
        list(stream)
    assert info.value.request_id == "req_cut"
    assert info.value.litellm_call_id == stream._hidden_params["litellm_call_id"]


def test_a_given_call_id_is_kept_everywhere(fake: FakeProvider, collected: Collector) -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    response = litellm_lite.completion(messages=MESSAGES, litellm_call_id="my-call-42", **fake.kwargs())
    assert response._hidden_params["litellm_call_id"] == "my-call-42"
    assert spy.ids() == ["my-call-42", "my-call-42"]
    assert {getattr(r, "litellm_call_id", None) for r in collected.records} == {"my-call-42"}
    info: Dict[str, Any] = {"model": "m", "provider": "p", "litellm_call_id": "given"}
    observability.pre_call(info)
    assert info["litellm_call_id"] == "given" and telemetry.state_of(info).call_id == "given"  # type: ignore[union-attr]
    observability.success(info, None, 0.0, 1.0)


def test_one_place_makes_call_ids() -> None:
    assert _call.new_call_id is correlation.new_call_id
    info: Dict[str, Any] = {"model": "m", "provider": "p"}
    observability.failure(info, RuntimeError("x"), 0.0, 1.0)  # a hook called directly still gets an id
    assert uuid.UUID(info["litellm_call_id"]).version == 4


# -- errors before anything is sent -------------------------------------------------------------------


def test_validation_errors_carry_the_call_id(server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError) as info:
        litellm_lite.completion(model="openai/m", messages=MESSAGES, temperature="hot", **_base(server))
    assert uuid.UUID(info.value.litellm_call_id).version == 4  # type: ignore[arg-type]
    assert info.value.request_id is None
    with pytest.raises(BadRequestError) as given:
        litellm_lite.completion(model="openai/m", messages=MESSAGES, temperature="hot", litellm_call_id="mine",
                                **_base(server))
    assert given.value.litellm_call_id == "mine"
    assert server.requests == []


def test_errors_before_the_road_have_no_call_id() -> None:
    with pytest.raises(BadRequestError) as info:
        litellm_lite.completion(model="openai/m", messages="not a list")  # type: ignore[arg-type]
    assert info.value.litellm_call_id is None and info.value.request_id is None


@pytest.mark.parametrize("bad", ["has space", "line\r\nx-evil: 1", "", "x" * 257, 42, "caf\u00e9"])
def test_a_bad_given_call_id_is_refused_before_sending(bad: Any, server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError, match="litellm_call_id"):
        litellm_lite.completion(model="openai/m", messages=MESSAGES, litellm_call_id=bad, **_base(server))
    assert server.requests == []


def test_a_pre_send_hook_error_carries_the_call_id(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(plan: Any) -> Any:
        raise RateLimitError("budget exceeded", plan.provider, plan.model)

    monkeypatch.setattr(_call, "PRE_SEND", [refuse])
    with pytest.raises(RateLimitError) as info:
        litellm_lite.completion(messages=MESSAGES, litellm_call_id="budget-call", **fake.kwargs())
    assert info.value.litellm_call_id == "budget-call"
    assert fake.requests == []


# -- the DEBUG attempt lines and retries --------------------------------------------------------------


def test_one_debug_line_per_attempt_with_retries(fake: FakeProvider, collected: Collector) -> None:
    litellm_lite.enable_metrics = True
    fake.add_error(503, "busy", error_type="server_error", headers={"retry-after": "0", "x-request-id": "req_busy"},
                   times=2)
    response = litellm_lite.completion(messages=MESSAGES, num_retries=2, **fake.kwargs())
    call_id = response._hidden_params["litellm_call_id"]
    lines = collected.attempts()
    assert len(lines) == 3
    url = fake.api_base + "/chat/completions"
    for number, line in enumerate(lines, 1):
        assert line.startswith("call %s attempt %d openai/fake-model POST %s -> " % (call_id, number, url))
        assert re.search(r" in \d+\.\d{3}s request_id=", line)
    assert "-> 503 (ServiceUnavailableError)" in lines[0] and "request_id=req_busy" in lines[0]
    assert "-> 200 in" in lines[2] and lines[2].endswith("request_id=-")
    assert not any("POST http" in r.getMessage() and "attempt" not in r.getMessage() for r in collected.records)
    assert not any("request_body" in line for line in lines)  # bodies only with log_bodies
    stats = litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]
    assert stats["retries"] == 2 and stats["requests"] == 1


def test_attempt_lines_with_bodies_drop_the_query_and_keys(server: LoopbackServer, collected: Collector) -> None:
    litellm_lite.log_bodies = True
    server.add(Reply.json({"error": {"code": 400, "message": "bad key AIzaSyA-SECRETSECRETSECRET00000", "status": "INVALID_ARGUMENT"}},
                          status=400))
    with pytest.raises(BadRequestError):
        litellm_lite.completion(model="gemini/gemini-2.5-flash", messages=MESSAGES, api_base=server.url,
                                api_key="AIzaSyA-SECRETSECRETSECRET00000", num_retries=0)
    (line,) = collected.attempts()
    assert "?" not in line.split(" -> ")[0] and "-> 400 (BadRequestError)" in line
    assert "request_body=" in line and "observe the road" in line and "response_body=" in line
    assert "SECRETSECRET" not in "\n".join(r.getMessage() for r in collected.records)


def test_a_connection_failure_is_an_attempt_without_status(collected: Collector) -> None:
    with pytest.raises(LiteLLMError) as info:
        litellm_lite.completion(model="openai/m", messages=MESSAGES, api_base="http://127.0.0.1:%d/v1" % closed_port(),
                                api_key="k", num_retries=0)
    (line,) = collected.attempts()
    assert "-> no response (%s)" % type(info.value).__name__ in line


def test_nothing_per_attempt_when_nobody_listens(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: List[int] = []
    monkeypatch.setattr(observability, "attempt", lambda *a, **k: calls.append(1))
    log = logging.getLogger("litellm_lite")
    old = log.level
    log.setLevel(logging.WARNING)
    try:
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        assert calls == []  # metrics, OTel and DEBUG all off: the fast path
        litellm_lite.enable_metrics = True
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        assert calls == [1]  # metrics count retries: each attempt is reported
    finally:
        log.setLevel(old)


# -- headers sent when opted in -----------------------------------------------------------------------


def test_call_id_header_on_every_attempt_when_opted_in(fake: FakeProvider) -> None:
    litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    assert "x-litellm-call-id" not in fake.requests[-1].headers and "traceparent" not in fake.requests[-1].headers
    litellm_lite.send_call_id_header = True
    fake.add_error(503, "busy", error_type="server_error", headers={"retry-after": "0"})
    response = litellm_lite.completion(messages=MESSAGES, num_retries=1, **fake.kwargs())
    call_id = response._hidden_params["litellm_call_id"]
    assert [r.headers.get("x-litellm-call-id") for r in fake.requests[-2:]] == [call_id, call_id]


def test_traceparent_keyword_is_sent_as_a_header_and_never_in_the_body(fake: FakeProvider) -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    fake.add_error(503, "busy", error_type="server_error", headers={"retry-after": "0"})
    litellm_lite.completion(messages=MESSAGES, traceparent=PARENT, num_retries=1, **fake.kwargs())
    assert [r.headers.get("traceparent") for r in fake.requests] == [PARENT, PARENT]
    assert "traceparent" not in fake.requests[-1].json
    assert spy.events[0][1]["traceparent"] == PARENT


def test_traceparent_reaches_anthropic_and_signed_bedrock_requests(fake: FakeProvider, server: LoopbackServer) -> None:
    litellm_lite.completion(messages=MESSAGES, traceparent=PARENT, max_tokens=5, **fake.kwargs("anthropic"))
    assert fake.requests[-1].headers["traceparent"] == PARENT
    server.add(Reply.json({"output": {"message": {"role": "assistant", "content": [{"text": "hi"}]}},
                           "stopReason": "end_turn", "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}))
    litellm_lite.completion(model="bedrock/anthropic.claude-3-haiku-20240307-v1:0", messages=MESSAGES, traceparent=PARENT,
                            api_base=server.url, aws_region_name="us-east-1", aws_access_key_id="AKIAOBSERVE00000001",
                            aws_secret_access_key="secret-observe", num_retries=0)
    headers = {k.lower(): v for k, v in server.requests[-1].headers.items()}
    assert headers["traceparent"] == PARENT
    assert "traceparent" in headers["authorization"]  # signed with the request (added before sign)


@pytest.mark.parametrize("bad", ["00-xyz", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", 7,
                                 PARENT + "\r\nx-evil: 1"])
def test_a_bad_traceparent_is_a_bad_request_before_sending(bad: Any, fake: FakeProvider) -> None:
    with pytest.raises(BadRequestError, match="traceparent") as info:
        litellm_lite.completion(messages=MESSAGES, traceparent=bad, **fake.kwargs())
    assert fake.requests == [] and uuid.UUID(info.value.litellm_call_id).version == 4  # type: ignore[arg-type]


def _otel() -> Any:
    sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
    export = pytest.importorskip("opentelemetry.sdk.trace.export")
    memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")
    exporter = memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(exporter))
    return provider, exporter


def test_traceparent_from_the_active_span(fake: FakeProvider) -> None:
    provider, exporter = _otel()
    litellm_lite.enable_otel(tracer_provider=provider, propagate=True)
    try:
        with provider.get_tracer("app").start_as_current_span("handle request") as parent:
            litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        given = fake.requests[-1].headers["traceparent"]
        litellm_lite.completion(messages=MESSAGES, traceparent=PARENT, **fake.kwargs())
        assert fake.requests[-1].headers["traceparent"] == PARENT  # the caller's keyword wins
    finally:
        litellm_lite.disable_otel()
    call_span = next(s for s in exporter.get_finished_spans() if s.name == "chat fake-model")
    trace_id = parent.get_span_context().trace_id
    assert given == "00-%032x-%016x-01" % (trace_id, call_span.get_span_context().span_id)
    assert call_span.parent.span_id == parent.get_span_context().span_id


# -- streams closed early -----------------------------------------------------------------------------


def test_a_stream_closed_early_finishes_its_metrics_and_span(fake: FakeProvider) -> None:
    provider, exporter = _otel()
    litellm_lite.enable_metrics = True
    spy = Spy()
    litellm_lite.callbacks = [spy]
    fake.add_reply("one two three four five six seven eight nine ten")
    litellm_lite.enable_otel(tracer_provider=provider)
    try:
        with correlation.call_scope("outer"):
            stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
            next(stream)
            next(stream)
            stream.close()
            assert correlation.current_call_id() == "outer"
    finally:
        litellm_lite.disable_otel()
    (span,) = exporter.get_finished_spans()
    assert span.attributes["litellm.stream.closed_early"] is True and span.end_time is not None
    stats = litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]
    assert stats["requests"] == 1 and stats["errors"] == {}
    assert stats["chunks_per_stream"]["count"] == 1 and stats["chunks_per_stream"]["sum"] == 2
    assert spy.kinds() == ["pre"]  # no success for an unfinished stream
    stream.close()
    assert spy.kinds() == ["pre"] and litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]["requests"] == 1


def test_a_dropped_stream_finishes_its_metrics(fake: FakeProvider) -> None:
    litellm_lite.enable_metrics = True
    stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
    next(stream)
    del stream
    gc.collect()
    assert litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]["requests"] == 1


def test_a_stream_read_to_its_last_chunk_then_closed_is_a_success() -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    with litellm_lite.completion(model="openai/m", messages=MESSAGES, mock_response="abcdefgh", stream=True) as stream:
        chunks = [next(stream) for _ in range(len(stream._pending))]  # every chunk, but no StopIteration
        assert spy.kinds() == ["pre"]
    assert spy.kinds() == ["pre", "success"]
    assert spy.events[1][2].choices[0].message.content == "abcdefgh" and len(chunks) > 2


def test_a_failed_stream_is_a_failure_not_a_close(fake: FakeProvider) -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    fake.add_reply("a long answer cut in the middle", cut_after_chunks=2)
    stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
    with pytest.raises(LiteLLMError):
        list(stream)
    with pytest.raises(StopIteration):
        next(stream)
    stream.close()
    assert spy.kinds() == ["pre", "failure"]


def test_chunk_events_whenever_metrics_are_on(fake: FakeProvider) -> None:
    litellm_lite.enable_metrics = True
    fake.add_reply("abcdefghijkl")
    stream = litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs())
    count = len(list(stream))
    stats = litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]
    assert stats["chunks_per_stream"]["sum"] == count and stats["time_to_first_chunk"]["count"] == 1


# -- mock_response ------------------------------------------------------------------------------------


def test_mock_calls_are_observed(collected: Collector) -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    litellm_lite.enable_metrics = True
    response = litellm_lite.completion(model="openai/gpt-4o-mini", messages=MESSAGES, mock_response="Hi",
                                       metadata={"run": 1})
    call_id = response._hidden_params["litellm_call_id"]
    assert spy.kinds() == ["pre", "success"] and spy.ids() == [call_id, call_id]
    assert spy.events[1][1]["metadata"] == {"run": 1} and spy.events[1][1]["custom_llm_provider"] == "mock"
    assert {getattr(r, "litellm_call_id", None) for r in collected.records} == {call_id}
    vectors = litellm_lite.embedding(model="openai/e", input="x", mock_response=[1.0], litellm_call_id="emb-1")
    assert vectors._hidden_params["litellm_call_id"] == "emb-1" and spy.ids()[-1] == "emb-1"
    image = image_generation("fox", model="openai/dall-e-3", mock_response="https://x/fox.png")
    assert spy.events[-1][1]["call_type"] == "image_generation"
    assert spy.events[-1][1]["litellm_call_id"] == image._hidden_params["litellm_call_id"]
    assert litellm_lite.metrics_snapshot()["by_model"]["mock"]["openai/gpt-4o-mini"]["requests"] == 1


def test_mock_errors_and_streams_are_observed() -> None:
    spy = Spy()
    litellm_lite.callbacks = [spy]
    with pytest.raises(RateLimitError) as info:
        litellm_lite.completion(model="openai/m", messages=MESSAGES, mock_response=RateLimitError("slow", "openai", "m"))
    assert spy.kinds() == ["pre", "failure"] and spy.ids() == [info.value.litellm_call_id] * 2
    with pytest.raises(ServiceUnavailableError) as moderated:
        moderation("x", mock_response=ServiceUnavailableError("down", "openai", "m"))
    assert spy.events[-1][0] == "failure" and spy.events[-1][1]["litellm_call_id"] == moderated.value.litellm_call_id
    spy.events.clear()
    stream = litellm_lite.completion(model="openai/m", messages=MESSAGES, mock_response="streamed words", stream=True)
    assert spy.kinds() == ["pre"]
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "streamed words" and spy.kinds() == ["pre", "success"]
    assert spy.events[1][2]._hidden_params["litellm_call_id"] == stream._hidden_params["litellm_call_id"]
    spy.events.clear()
    chunks = list(text_completion(model="openai/i", prompt="p", mock_response="abc", stream=True))
    assert chunks and spy.kinds() == ["pre", "success"] and spy.events[0][1]["call_type"] == "text_completion"


# -- metrics through the public functions -------------------------------------------------------------


def test_metrics_through_the_public_functions(fake: FakeProvider) -> None:
    litellm_lite.enable_metrics = True
    litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    list(litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs()))
    litellm_lite.embedding(input=["a"], **dict(fake.kwargs(), model="openai/fake-model"))
    fake.add_error(429, "slow", headers={"retry-after": "0"}, times=2)
    with pytest.raises(RateLimitError):
        litellm_lite.completion(messages=MESSAGES, num_retries=1, **fake.kwargs())
    stats = litellm_lite.metrics_snapshot()["by_model"]["openai"]["fake-model"]
    assert stats["requests"] == 4 and stats["errors"] == {"RateLimitError": 1} and stats["retries"] == 1
    assert stats["chunks_per_stream"]["count"] == 1 and stats["latency"]["count"] == 4
    assert stats["tokens"]["input"] > 0
    text = litellm_lite.render_prometheus()
    assert 'litellm_lite_retries_total{provider="openai",model="fake-model"} 1' in text
