"""OpenTelemetry: GenAI spans and the two histograms, checked with the real SDK's in-memory span
exporter and metric reader; and nothing at all when it is not turned on or not installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import litellm_lite
from litellm_lite import observability, tracing
from litellm_lite.exceptions import RateLimitError
from litellm_lite.testing import FakeProvider

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "trace me"}]


def _run(code: str, **env_extra: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=str(ROOT), capture_output=True, text=True, timeout=60)


# -- off: nothing changes ----------------------------------------------------------------------------

_OFF_CODE = """
import sys
import litellm_lite
from litellm_lite.testing import FakeProvider
litellm_lite.enable_metrics = True
litellm_lite.send_call_id_header = True
with FakeProvider() as fake:
    r = litellm_lite.completion(messages=[{"role": "user", "content": "hi"}], **fake.kwargs())
    list(litellm_lite.completion(messages=[{"role": "user", "content": "hi"}], stream=True, **fake.kwargs()))
assert r.choices[0].message.content == "hi"
assert litellm_lite.render_prometheus()
print(sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"))
"""


@pytest.mark.slow
def test_without_enable_otel_opentelemetry_is_never_imported() -> None:
    out = _run(_OFF_CODE)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_import_of_the_package_does_not_load_the_observability_modules() -> None:
    out = _run("import sys, litellm_lite; print(sorted(m for m in sys.modules if m.startswith(('litellm_lite.', 'opentelemetry'))))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_without_opentelemetry_installed_enable_otel_says_what_to_install() -> None:
    code = """
import sys
sys.modules["opentelemetry"] = None  # as if it were not installed
import litellm_lite
from litellm_lite.testing import FakeProvider
try:
    litellm_lite.enable_otel()
except ImportError as exc:
    print("ImportError:", exc)
with FakeProvider() as fake:
    print(litellm_lite.completion(messages=[{"role": "user", "content": "still works"}], **fake.kwargs()).choices[0].message.content)
"""
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert "ImportError: litellm_lite.enable_otel() needs opentelemetry-api: pip install opentelemetry-api" in out.stdout
    assert "still works" in out.stdout


# -- on: spans and histograms ------------------------------------------------------------------------

try:
    import opentelemetry.sdk.trace as sdk_trace
    from opentelemetry import trace as otel_trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind, StatusCode

    HAVE_SDK = True
except ImportError:  # pragma: no cover - the test extra installs it
    HAVE_SDK = False

needs_sdk = pytest.mark.skipif(not HAVE_SDK, reason="opentelemetry-sdk is not installed (pip install -e '.[test]')")


class Otel:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = sdk_trace.TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def spans(self) -> List[Any]:
        return list(self.exporter.get_finished_spans())

    def points(self, name: str) -> List[Tuple[Dict[str, Any], Any]]:
        data = self.reader.get_metrics_data()
        found = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found.extend((dict(p.attributes), p) for p in metric.data.data_points)
        return found

    def metric(self, name: str) -> Any:
        data = self.reader.get_metrics_data()
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        return metric
        return None


@pytest.fixture
def otel() -> Iterator[Otel]:
    setup = Otel()
    litellm_lite.enable_otel(setup.tracer_provider, setup.meter_provider)
    yield setup
    litellm_lite.disable_otel()


@needs_sdk
def test_a_chat_call_emits_one_client_span_with_genai_attributes(otel: Otel, fake: FakeProvider) -> None:
    response = litellm_lite.completion(messages=MESSAGES, temperature=0.3, max_tokens=50, stop=["END"], seed=7,
                                       **fake.kwargs())
    (span,) = otel.spans()
    assert span.name == "chat fake-model"
    assert span.kind == SpanKind.CLIENT
    attrs = dict(span.attributes)
    port = int(fake.url.rsplit(":", 1)[1])
    assert attrs == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "fake-model",
        "gen_ai.request.temperature": 0.3,
        "gen_ai.request.max_tokens": 50,
        "gen_ai.request.seed": 7,
        "gen_ai.request.stop_sequences": ("END",),
        "server.address": "127.0.0.1",
        "server.port": port,
        "litellm.call_id": response._hidden_params["litellm_call_id"],
        "gen_ai.response.model": "fake-model",
        "gen_ai.response.id": response.id,
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": response.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": response.usage.completion_tokens,
    }
    assert span.status.status_code == StatusCode.UNSET
    assert span.end_time > span.start_time


@needs_sdk
def test_histograms_follow_the_conventions(otel: Otel, fake: FakeProvider) -> None:
    response = litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    fake.add_error(429, "slow down")
    with pytest.raises(RateLimitError):
        litellm_lite.completion(messages=MESSAGES, num_retries=0, **fake.kwargs())
    tokens = otel.metric("gen_ai.client.token.usage")
    duration = otel.metric("gen_ai.client.operation.duration")
    assert tokens.unit == "{token}" and duration.unit == "s"
    by_type = {a["gen_ai.token.type"]: p for a, p in otel.points("gen_ai.client.token.usage")}
    assert set(by_type) == {"input", "output"}
    assert by_type["input"].sum == response.usage.prompt_tokens and by_type["input"].count == 1
    assert by_type["output"].sum == response.usage.completion_tokens
    assert list(by_type["input"].explicit_bounds) == [float(b) for b in tracing._TOKEN_BUCKETS]
    for attrs, _ in otel.points("gen_ai.client.token.usage"):
        assert attrs["gen_ai.operation.name"] == "chat" and attrs["gen_ai.provider.name"] == "openai"
        assert attrs["gen_ai.request.model"] == "fake-model" and attrs["gen_ai.response.model"] == "fake-model"
    points = otel.points("gen_ai.client.operation.duration")
    ok = [p for a, p in points if "error.type" not in a]
    failed = [(a, p) for a, p in points if "error.type" in a]
    assert len(ok) == 1 and ok[0].count == 1 and ok[0].sum > 0
    assert len(failed) == 1 and failed[0][0]["error.type"] == "RateLimitError" and failed[0][1].count == 1
    assert list(ok[0].explicit_bounds) == tracing._DURATION_BUCKETS
    error_span = otel.spans()[-1]
    assert error_span.status.status_code == StatusCode.ERROR
    assert error_span.attributes["error.type"] == "RateLimitError"
    assert any(e.name == "exception" for e in error_span.events)


@needs_sdk
def test_stream_span_ends_with_the_stream(otel: Otel, fake: FakeProvider) -> None:
    stream = litellm_lite.completion(messages=MESSAGES, stream=True, stream_options={"include_usage": True},
                                     **fake.kwargs("anthropic"), max_tokens=20)
    assert otel.spans() == []  # still open while the caller reads
    chunks = list(stream)
    (span,) = otel.spans()
    assert span.name == "chat fake-model"
    assert span.attributes["gen_ai.provider.name"] == "anthropic"
    assert span.attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert span.attributes["gen_ai.usage.output_tokens"] > 0
    assert chunks


@needs_sdk
def test_embeddings_and_provider_names(otel: Otel, fake: FakeProvider) -> None:
    litellm_lite.embedding(model="openai/fake-embed", input=["a", "b"], api_base=fake.api_base, api_key="k")
    (span,) = otel.spans()
    assert span.name == "embeddings fake-embed"
    assert span.attributes["gen_ai.operation.name"] == "embeddings"
    assert span.attributes["gen_ai.usage.input_tokens"] > 0
    assert tracing.PROVIDER_NAMES["bedrock"] == "aws.bedrock" and tracing.PROVIDER_NAMES["gemini"] == "gcp.gemini"


@needs_sdk
def test_span_is_a_child_of_the_callers_active_span(otel: Otel, fake: FakeProvider) -> None:
    tracer = otel.tracer_provider.get_tracer("app")
    with tracer.start_as_current_span("handle request") as parent:
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    child, outer = otel.spans()
    assert outer.name == "handle request"
    assert child.parent is not None and child.parent.span_id == parent.get_span_context().span_id
    assert child.context.trace_id == parent.get_span_context().trace_id


@needs_sdk
def test_content_is_captured_only_when_asked(fake: FakeProvider) -> None:
    setup = Otel()
    litellm_lite.enable_otel(setup.tracer_provider, setup.meter_provider)
    try:
        litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
        litellm_lite.enable_otel(setup.tracer_provider, setup.meter_provider, capture_content=True)
        fake.add_reply("sure", tool_calls=[{"id": "call_1", "type": "function",
                                            "function": {"name": "f", "arguments": "{\"x\": 1}"}}])
        litellm_lite.completion(messages=[{"role": "system", "content": "be brief"},
                                          {"role": "user", "content": [{"type": "text", "text": "trace me"},
                                                                       {"type": "image_url", "image_url": {"url": "data:x"}}]}],
                                **fake.kwargs())
    finally:
        litellm_lite.disable_otel()
    plain, captured = setup.spans()
    assert "gen_ai.input.messages" not in plain.attributes and "gen_ai.output.messages" not in plain.attributes
    inputs = json.loads(captured.attributes["gen_ai.input.messages"])
    assert inputs == [
        {"role": "system", "parts": [{"type": "text", "content": "be brief"}]},
        {"role": "user", "parts": [{"type": "text", "content": "trace me"}, {"type": "image_url"}]},
    ]
    outputs = json.loads(captured.attributes["gen_ai.output.messages"])
    assert outputs[0]["role"] == "assistant"
    assert {"type": "tool_call", "id": "call_1", "name": "f", "arguments": "{\"x\": 1}"} in outputs[0]["parts"]


@needs_sdk
def test_disable_otel_stops_spans(otel: Otel, fake: FakeProvider) -> None:
    litellm_lite.disable_otel()
    assert tracing.otel_enabled() is False
    litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    assert otel.spans() == []


@needs_sdk
def test_traceparent_propagation_from_the_call_span(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    setup = Otel()
    info: Dict[str, Any] = {"model": "m", "provider": "openai", "messages": MESSAGES, "api_base": "https://api.openai.com/v1"}
    litellm_lite.enable_otel(setup.tracer_provider, setup.meter_provider)
    try:
        observability.pre_call(info)
        assert "traceparent" not in observability.outgoing_headers(info)  # propagation is opt-in
        monkeypatch.setattr(litellm_lite, "propagate_traceparent", True, raising=False)
        header = observability.outgoing_headers(info)["traceparent"]
        caller_given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        assert observability.outgoing_headers(dict(info, traceparent=caller_given))["traceparent"] == caller_given
        observability.success(info, litellm_lite.ModelResponse(model="m"), info["_observe"].start, info["_observe"].start + 0.5)
        litellm_lite.enable_otel(setup.tracer_provider, setup.meter_provider, propagate=True)
        other: Dict[str, Any] = {"model": "m", "provider": "openai"}
        observability.pre_call(other)
        assert "traceparent" in observability.outgoing_headers(other)
        monkeypatch.setattr(litellm_lite, "propagate_traceparent", False, raising=False)
        assert "traceparent" in observability.outgoing_headers(other)  # enable_otel(propagate=True) alone suffices
        observability.failure(other, RateLimitError("x", "openai", "m"), 0.0, 1.0)
    finally:
        litellm_lite.disable_otel()
    span = setup.spans()[0]
    context = span.get_span_context()
    assert header == "00-%032x-%016x-01" % (context.trace_id, context.span_id)
    assert span.attributes["server.address"] == "api.openai.com" and span.attributes["server.port"] == 443
    assert (span.end_time - span.start_time) == pytest.approx(0.5e9, rel=1e-3)


@needs_sdk
def test_a_broken_tracer_never_breaks_the_call(fake: FakeProvider, caplog: pytest.LogCaptureFixture) -> None:
    class BrokenTracer:
        def start_span(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("tracer down")

    litellm_lite.enable_otel()
    assert tracing._otel is not None
    tracing._otel.tracer = BrokenTracer()
    try:
        response = litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    finally:
        litellm_lite.disable_otel()
    assert response.choices[0].message.content == "trace me"
    assert "tracer down" in caplog.text


@needs_sdk
def test_global_providers_are_used_by_default() -> None:
    assert otel_trace.get_tracer_provider() is not None
    litellm_lite.enable_otel()
    try:
        assert tracing.otel_enabled()
        handle = tracing.start_span({"model": "m", "provider": "p", "call_type": "rerank"}, 1.0)
        assert handle is not None
        tracing.finish_span(handle, 2.0, response=None)
    finally:
        litellm_lite.disable_otel()
    assert tracing.start_span({"model": "m"}, 1.0) is None and tracing.span_traceparent(None) is None
    tracing.finish_span(None, 1.0)


# -- helpers' corners ---------------------------------------------------------------------------------


def test_epoch_and_prometheus_numbers() -> None:
    import datetime

    from litellm_lite import metrics, telemetry

    moment = datetime.datetime(2026, 1, 2, 3, 4, 5)
    assert telemetry.epoch(moment) == moment.timestamp()
    assert telemetry.epoch(12.5) == 12.5
    assert abs(telemetry.epoch("not a time") - __import__("time").time()) < 5
    assert metrics._number(float("inf")) == "+Inf" and metrics._number(float("-inf")) == "-Inf"
    assert metrics._number(float("nan")) == "NaN" and metrics._number(3) == "3" and metrics._number(0.5) == "0.5"


def test_server_address_corners() -> None:
    assert tracing._server("http://example.com/v1") == ("example.com", 80)
    assert tracing._server("https://h:8443") == ("h", 8443)
    assert tracing._server("http://h:99999/v1") == (None, None)  # a port out of range
    assert tracing._server("no scheme") == (None, None) and tracing._server(None) == (None, None)


def test_old_opentelemetry_api_without_bucket_advice() -> None:
    calls: List[Dict[str, Any]] = []

    class OldMeter:
        def create_histogram(self, name: str, unit: str = "", description: str = "") -> str:
            calls.append({"name": name, "unit": unit})
            return name

    assert tracing._histogram(OldMeter(), "h", "s", "d", [1.0]) == "h"
    assert calls == [{"name": "h", "unit": "s"}]


def test_request_attributes_and_dict_responses() -> None:
    assert tracing._request_attributes({"stop": "END", "temperature": True, "top_p": 0.5}) == {
        "gen_ai.request.stop_sequences": ["END"], "gen_ai.request.top_p": 0.5}
    assert tracing._request_attributes({"stop": [1, 2]}) == {} and tracing._request_attributes(None) == {}
    response = {"id": "r1", "model": "m2", "choices": [{"finish_reason": "length", "message": {"content": "x"}}]}
    assert tracing._response_attributes(response) == {
        "gen_ai.response.model": "m2", "gen_ai.response.id": "r1", "gen_ai.response.finish_reasons": ["length"]}
    assert json.loads(tracing._output_messages(response)) == [
        {"role": "assistant", "parts": [{"type": "text", "content": "x"}], "finish_reason": "length"}]
    assert tracing._input_messages("not a list") == "[]"
