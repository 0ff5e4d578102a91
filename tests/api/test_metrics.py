"""litellm_lite.metrics: fixed-bucket distributions, counters per (provider, model), snapshot,
Prometheus text, bounded memory, threads, and the feed from real calls."""

from __future__ import annotations

import json
import math
import re
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import litellm_lite
from litellm_lite import metrics, observability
from litellm_lite.exceptions import RateLimitError
from litellm_lite.metrics import _Histogram, record_call, record_retry, render_prometheus, usage_numbers
from litellm_lite.testing import FakeProvider
from litellm_lite.types import CompletionTokensDetails, PromptTokensDetails, Usage

MESSAGES = [{"role": "user", "content": "count me please"}]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(litellm_lite, "enable_metrics", True, raising=False)
    monkeypatch.setattr(litellm_lite, "callbacks", [], raising=False)
    metrics.reset_metrics()
    yield
    metrics.reset_metrics()


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


def _series(provider: str = "openai", model: str = "m") -> Dict[str, Any]:
    return metrics.metrics_snapshot()["by_model"][provider][model]  # type: ignore[no-any-return]


# -- distributions ----------------------------------------------------------------------------------


def test_values_fall_in_the_first_bucket_whose_bound_is_not_below_them() -> None:
    hist = _Histogram((1.0, 2.0, 4.0))
    for value in (0.0, 1.0, 1.5, 2.0, 4.0, 4.0001, 100.0):
        hist.observe(value)
    assert hist.counts == [2, 2, 1, 2]  # <=1, <=2, <=4, +Inf
    assert hist.count == 7 and hist.sum == pytest.approx(112.5001)
    assert (hist.min, hist.max) == (0.0, 100.0)


def test_quantiles_are_estimated_within_the_bucket_and_clamped_to_what_was_seen() -> None:
    hist = _Histogram(metrics.SECONDS_BUCKETS)
    values = [i / 1000.0 for i in range(1, 1001)]  # uniform over (0, 1]
    for value in values:
        hist.observe(value)
    data = hist.as_data()
    assert data["count"] == 1000
    assert abs(data["p50"] - 0.5) <= 0.5  # inside the (0.25, 0.5] / (0.5, 1] bucket edges
    assert 0.25 <= data["p50"] <= 1.0
    assert 0.5 <= data["p90"] <= 1.0 and 0.5 <= data["p99"] <= 1.0
    assert data["p50"] <= data["p90"] <= data["p99"] <= data["max"] == 1.0
    single = _Histogram(metrics.SECONDS_BUCKETS)
    single.observe(0.2)
    assert single.as_data()["p50"] == single.as_data()["p99"] == 0.2  # clamped to min == max
    beyond = _Histogram((1.0,))
    for value in (5.0, 7.0, 9.0):
        beyond.observe(value)
    assert 5.0 <= beyond.quantile(0.5) <= 9.0  # type: ignore[operator]
    assert beyond.quantile(1.0) == 9.0
    empty = _Histogram((1.0,)).as_data()
    assert empty["p50"] is None and empty["min"] is None and empty["max"] is None and empty["count"] == 0


# -- counters --------------------------------------------------------------------------------------


def test_usage_numbers_reads_objects_and_dicts_and_ignores_junk() -> None:
    usage = Usage(
        prompt_tokens=100, completion_tokens=40,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=60),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=25),
    )
    assert usage_numbers(usage) == (100, 40, 60, 25)
    assert usage_numbers({"prompt_tokens": 3, "completion_tokens": 2,
                          "prompt_tokens_details": {"cached_tokens": 1}}) == (3, 2, 1, 0)
    assert usage_numbers(None) == (0, 0, 0, 0)
    hostile = {"prompt_tokens": True, "completion_tokens": -5, "prompt_tokens_details": "x",
               "completion_tokens_details": {"reasoning_tokens": float("inf")}}
    assert usage_numbers(hostile) == (0, 0, 0, 0)
    assert usage_numbers({"prompt_tokens": float("nan"), "completion_tokens": "12"}) == (0, 0, 0, 0)
    assert usage_numbers({"prompt_tokens": 7.0}) == (7, 0, 0, 0)


def test_record_call_counts_requests_errors_tokens_cost_and_distributions() -> None:
    usage = {"prompt_tokens": 10, "completion_tokens": 4, "prompt_tokens_details": {"cached_tokens": 3},
             "completion_tokens_details": {"reasoning_tokens": 2}}
    record_call("openai", "m", duration=0.2, usage=usage, cost=0.5)
    record_call("openai", "m", duration=0.4, usage=usage, cost=0.25, time_to_first_chunk=0.05, chunks=12)
    record_call("openai", "m", duration=0.1, error="RateLimitError")
    record_call("openai", "m", duration=-1.0, error="RateLimitError", cost=float("nan"))
    record_call("openai", "m", duration=0.1, cost=True)
    record_call("openai", "m", duration=0.1, cost=-3)
    record_retry("openai", "m")
    record_retry("openai", "m", 2)
    series = _series()
    assert series["requests"] == 6
    assert series["errors"] == {"RateLimitError": 2} and series["error_count"] == 2
    assert series["retries"] == 3
    assert series["tokens"] == {"input": 20, "output": 8, "cached": 6, "reasoning": 4}
    assert series["cost"] == pytest.approx(0.75)
    assert series["latency"]["count"] == 6 and series["latency"]["min"] == 0.0  # negative clamped
    assert series["time_to_first_chunk"]["count"] == 1 and series["time_to_first_chunk"]["sum"] == 0.05
    assert series["chunks_per_stream"]["count"] == 1 and series["chunks_per_stream"]["sum"] == 12
    totals = metrics.metrics_snapshot()["totals"]
    assert totals["requests"] == 6 and totals["retries"] == 3


def test_totals_add_every_series_and_snapshot_is_plain_json() -> None:
    record_call("openai", "a", duration=0.1, usage={"prompt_tokens": 1, "completion_tokens": 1})
    record_call("anthropic", "b", duration=3.0, usage={"prompt_tokens": 2, "completion_tokens": 5}, error=None)
    record_call("anthropic", "b", duration=3.0, error="Timeout")
    snap = metrics.metrics_snapshot()
    text = json.dumps(snap, allow_nan=False)  # no inf/nan anywhere
    assert json.loads(text) == snap
    assert snap["enabled"] is True and snap["overflowed"] is False and snap["max_series"] == metrics.MAX_SERIES
    assert snap["totals"]["requests"] == 3 and snap["totals"]["tokens"]["output"] == 6
    assert snap["totals"]["errors"] == {"Timeout": 1}
    assert snap["totals"]["latency"]["count"] == 3 and snap["totals"]["latency"]["max"] == 3.0
    assert sorted(snap["by_model"]) == ["anthropic", "openai"]
    assert snap["by_model"]["openai"]["a"]["latency"]["buckets"][-1] == ["+Inf", 0]
    metrics.reset_metrics()
    assert metrics.metrics_snapshot()["by_model"] == {} and metrics.metrics_snapshot()["totals"]["requests"] == 0


def test_series_and_error_classes_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "MAX_SERIES", 3)
    monkeypatch.setattr(metrics, "MAX_ERROR_CLASSES", 2)
    for i in range(10):
        record_call("p", "model-%d" % i, duration=0.1)
    snap = metrics.metrics_snapshot()
    assert snap["overflowed"] is True
    assert sorted(snap["by_model"]["p"]) == ["model-0", "model-1", "model-2"]
    assert snap["by_model"][metrics.OVERFLOW][metrics.OVERFLOW]["requests"] == 7
    assert snap["totals"]["requests"] == 10
    for name in ("A", "B", "C", "D"):
        record_call("p", "model-0", duration=0.1, error=name)
    assert _series("p", "model-0")["errors"] == {"A": 1, "B": 1, "other": 2}


@pytest.mark.slow
def test_concurrent_updates_lose_nothing() -> None:
    threads = 8
    per_thread = 1500

    def work(n: int) -> None:
        for i in range(per_thread):
            record_call("openai", "m%d" % (i % 3), duration=0.01 * (i % 7), usage={"prompt_tokens": 1, "completion_tokens": 2},
                        cost=0.001, error="APIError" if i % 5 == 0 else None, chunks=i % 9)
            record_retry("openai", "m%d" % (i % 3))
            if i % 100 == 0:
                render_prometheus()
                metrics.metrics_snapshot()

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    totals = metrics.metrics_snapshot()["totals"]
    calls = threads * per_thread
    assert totals["requests"] == calls and totals["retries"] == calls
    assert totals["tokens"]["input"] == calls and totals["tokens"]["output"] == 2 * calls
    assert totals["errors"]["APIError"] == threads * len(range(0, per_thread, 5))
    assert totals["latency"]["count"] == calls and totals["chunks_per_stream"]["count"] == calls
    assert totals["cost"] == pytest.approx(calls * 0.001)


# -- Prometheus text format 0.0.4 ------------------------------------------------------------------

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL_VALUE = r'"(?:[^"\\\n]|\\\\|\\"|\\n)*"'
_SAMPLE = re.compile(r"^(%s)(\{(%s=%s)(,%s=%s)*\})? (?P<value>\S+)$" % (_NAME, _NAME, _LABEL_VALUE, _NAME, _LABEL_VALUE))
_LABEL = re.compile(r'(%s)=(%s)' % (_NAME, _LABEL_VALUE))


def _unescape(value: str) -> str:
    out, i = [], 1
    while i < len(value) - 1:
        if value[i] == "\\":
            out.append({"n": "\n", "\\": "\\", '"': '"'}[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse(text: str) -> Tuple[Dict[str, str], List[Tuple[str, Dict[str, str], float]]]:
    """A strict reader of the text format: returns ({family: type}, samples); asserts the grammar."""
    assert text.endswith("\n")
    types: Dict[str, str] = {}
    helps = set()
    samples: List[Tuple[str, Dict[str, str], float]] = []
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            assert re.fullmatch(_NAME, name) and name not in helps
            helps.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped") and name not in types
            assert name in helps  # HELP first
            types[name] = kind
        else:
            match = _SAMPLE.match(line)
            assert match, line
            name = match.group(1)
            family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
            assert family in types, "sample before its TYPE: %s" % line
            labels = {k: _unescape(v) for k, v in _LABEL.findall(match.group(2) or "")}
            value = match.group("value")
            samples.append((name, labels, math.inf if value == "+Inf" else float(value)))
    return types, samples


def test_prometheus_text_is_valid_and_matches_the_snapshot() -> None:
    tricky = 'we"ird\\model\nname'
    record_call("openai", tricky, duration=0.3, usage={"prompt_tokens": 5, "completion_tokens": 6}, cost=0.01)
    record_call("openai", tricky, duration=12.0, error="RateLimitError")
    record_call("anthropic", "claude", duration=0.02, time_to_first_chunk=0.01, chunks=40)
    record_retry("anthropic", "claude")
    text = render_prometheus()
    types, samples = _parse(text)
    assert types == {
        "litellm_lite_requests_total": "counter", "litellm_lite_retries_total": "counter",
        "litellm_lite_cost_usd_total": "counter", "litellm_lite_errors_total": "counter",
        "litellm_lite_tokens_total": "counter", "litellm_lite_request_duration_seconds": "histogram",
        "litellm_lite_time_to_first_chunk_seconds": "histogram", "litellm_lite_stream_chunks": "histogram",
    }
    by_key = {(n, tuple(sorted(lab.items()))): v for n, lab, v in samples}
    assert by_key[("litellm_lite_requests_total", (("model", tricky), ("provider", "openai")))] == 2
    assert by_key[("litellm_lite_errors_total", (("error_class", "RateLimitError"), ("model", tricky),
                                                 ("provider", "openai")))] == 1
    assert by_key[("litellm_lite_tokens_total", (("model", tricky), ("provider", "openai"), ("type", "output")))] == 6
    assert by_key[("litellm_lite_retries_total", (("model", "claude"), ("provider", "anthropic")))] == 1
    assert by_key[("litellm_lite_cost_usd_total", (("model", tricky), ("provider", "openai")))] == 0.01
    # histograms: cumulative buckets ending in +Inf == _count, and _sum
    for family in ("litellm_lite_request_duration_seconds", "litellm_lite_time_to_first_chunk_seconds",
                   "litellm_lite_stream_chunks"):
        for model in (tricky, "claude"):
            buckets = [(lab["le"], v) for n, lab, v in samples if n == family + "_bucket" and lab["model"] == model]
            counts = [v for _, v in buckets]
            assert counts == sorted(counts) and buckets[-1][0] == "+Inf"
            assert [float(le) for le, _ in buckets[:-1]] == sorted(float(le) for le, _ in buckets[:-1])
            count = [v for n, lab, v in samples if n == family + "_count" and lab["model"] == model]
            assert count == [buckets[-1][1]]
    durations = {lab["le"]: v for n, lab, v in samples if n == "litellm_lite_request_duration_seconds_bucket" and lab["model"] == tricky}
    assert durations["0.25"] == 0 and durations["0.5"] == 1 and durations["10.0"] == 1 and durations["30.0"] == 2
    assert '\\"' in text and "\\\\" in text and "\\n" in text  # escaped label values, one sample per line


def test_empty_registry_renders_only_headers() -> None:
    types, samples = _parse(render_prometheus())
    assert len(types) == 8 and samples == []


# -- fed by real calls -------------------------------------------------------------------------------


def test_calls_streams_and_errors_are_counted(fake: FakeProvider) -> None:
    kwargs = dict(fake.kwargs(), num_retries=0)
    response = litellm_lite.completion(messages=MESSAGES, **kwargs)
    chunks = list(litellm_lite.completion(messages=MESSAGES, stream=True, stream_options={"include_usage": True}, **kwargs))
    fake.add_error(429, "slow down")
    with pytest.raises(RateLimitError):
        litellm_lite.completion(messages=MESSAGES, **kwargs)
    series = _series("openai", "fake-model")
    assert series["requests"] == 3
    assert series["errors"] == {"RateLimitError": 1}
    assert series["tokens"]["input"] >= 2 * response.usage.prompt_tokens
    assert series["latency"]["count"] == 3 and series["latency"]["sum"] > 0
    assert series["chunks_per_stream"]["count"] == 1 and series["chunks_per_stream"]["sum"] == len(chunks)
    assert series["time_to_first_chunk"]["count"] == 1
    assert 0 < series["time_to_first_chunk"]["sum"] <= series["latency"]["max"]


def test_metrics_off_records_nothing(fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_lite, "enable_metrics", False)
    litellm_lite.completion(messages=MESSAGES, **fake.kwargs())
    list(litellm_lite.completion(messages=MESSAGES, stream=True, **fake.kwargs()))
    assert metrics.metrics_snapshot()["by_model"] == {} and metrics.metrics_snapshot()["enabled"] is False
    assert observability.wants_stream_events() is False


def test_attempt_hook_counts_retries() -> None:
    info: Dict[str, Any] = {"model": "m", "provider": "openai", "messages": MESSAGES}
    observability.pre_call(info)
    observability.attempt(info, number=1, method="POST", url="https://x/v1", status=429, started=0.0, ended=0.1)
    observability.attempt(info, number=2, method="POST", url="https://x/v1", status=200, started=0.2, ended=0.3)
    observability.attempt(info, number=3, method="POST", url="https://x/v1", status=200, started=0.2, ended=0.3)
    observability.success(info, None, 0.0, 0.3)
    assert _series()["retries"] == 2 and _series()["requests"] == 1


def test_a_broken_response_never_breaks_the_call(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("metrics store broke")

    monkeypatch.setattr(metrics, "record_call", explode)
    info: Dict[str, Any] = {"model": "m", "provider": "openai", "messages": MESSAGES}
    observability.pre_call(info)
    observability.success(info, object(), 1.0, 2.0)  # no exception escapes
    assert "metrics store broke" in caplog.text
