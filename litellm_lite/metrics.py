"""Process-wide call metrics per provider and model, without dependencies.

Switched on with ``litellm_lite.enable_metrics = True`` (off by default: a library should not grow
process-wide state nobody reads; see the README for the measured cost when on). Then every call
adds to counters and fixed-bucket distributions keyed by ``(provider, model)``:

* counters: ``requests`` (finished calls, success or failure), ``errors`` by exception class,
  ``retries``, ``tokens`` (input, output, cached, reasoning), ``cost`` (USD);
* distributions: ``latency`` (seconds, whole call; a stream: until its last chunk),
  ``time_to_first_chunk`` (seconds, streams) and ``chunks_per_stream``.

:func:`metrics_snapshot` returns plain data (dicts, lists, numbers) with count, sum, min, max and
p50/p90/p99 per distribution, :func:`reset_metrics` clears everything, :func:`render_prometheus`
gives the Prometheus text exposition format 0.0.4 for a host to serve.

Bucket upper bounds (a value ``v`` falls in the first bucket with ``v <= bound``, then ``+Inf``):

* seconds (latency, time to first chunk): :data:`SECONDS_BUCKETS`
  0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30 60 120 300;
* chunks per stream: :data:`CHUNK_BUCKETS` 1 2 4 8 ... 16384 (powers of two).

Percentiles are estimated from the buckets by linear interpolation inside the bucket that holds
the rank (as Prometheus' ``histogram_quantile`` does), then clamped to the observed min and max;
the error is at most the width of that bucket.

Memory is bounded: at most :data:`MAX_SERIES` ``(provider, model)`` pairs are kept; calls for
further pairs are added to one ``("__overflow__", "__overflow__")`` series (and
``metrics_snapshot()["overflowed"]`` turns True). Per series at most :data:`MAX_ERROR_CLASSES`
error class names are kept; further classes count under ``"other"``.
"""

from __future__ import annotations

import math
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
from bisect import bisect_left

from ._package import package_setting

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = [
    "metrics_snapshot",
    "reset_metrics",
    "render_prometheus",
    "record_call",
    "record_retry",
    "metrics_enabled",
    "usage_numbers",
    "SECONDS_BUCKETS",
    "CHUNK_BUCKETS",
    "MAX_SERIES",
    "MAX_ERROR_CLASSES",
    "OVERFLOW",
    "PROMETHEUS_CONTENT_TYPE",
]

SECONDS_BUCKETS: Tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                                      120.0, 300.0)
CHUNK_BUCKETS: Tuple[float, ...] = tuple(float(2 ** i) for i in range(15))
MAX_SERIES = 500
MAX_ERROR_CLASSES = 32
OVERFLOW = "__overflow__"
#: The Content-Type to serve :func:`render_prometheus` with.
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_PREFIX = "litellm_lite_"


def metrics_enabled() -> bool:
    """True when ``litellm_lite.enable_metrics`` is set."""
    return bool(package_setting("enable_metrics"))


class _Histogram:
    """Fixed-bucket distribution: per-bucket counts plus count, sum, min and max."""

    __slots__ = ("bounds", "counts", "count", "sum", "min", "max")

    def __init__(self, bounds: Sequence[float]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)
        self.count = 0
        self.sum = 0.0
        self.min = math.inf
        self.max = -math.inf

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.count += 1
        self.sum += value
        if value < self.min:
            self.min = value
        if value > self.max:
            self.max = value

    def merge(self, other: "_Histogram") -> None:
        for i, n in enumerate(other.counts):
            self.counts[i] += n
        self.count += other.count
        self.sum += other.sum
        self.min = min(self.min, other.min)
        self.max = max(self.max, other.max)

    def quantile(self, q: float) -> Optional[float]:
        if not self.count:
            return None
        rank = q * self.count
        seen = 0
        for i, n in enumerate(self.counts):
            if n and seen + n >= rank:
                lower = self.bounds[i - 1] if i > 0 else min(0.0, self.min)
                upper = self.bounds[i] if i < len(self.bounds) else self.max
                estimate = lower + (upper - lower) * (rank - seen) / n
                return max(self.min, min(self.max, estimate))
            seen += n
        return self.max  # pragma: no cover - the loop always reaches the rank

    def as_data(self) -> Dict[str, Any]:
        edges: List[Any] = list(self.bounds) + ["+Inf"]
        return {
            "count": self.count,
            "sum": self.sum,
            "min": self.min if self.count else None,
            "max": self.max if self.count else None,
            "p50": self.quantile(0.5),
            "p90": self.quantile(0.9),
            "p99": self.quantile(0.99),
            "buckets": [[edge, n] for edge, n in zip(edges, self.counts)],
        }


class _Series:
    """Everything counted for one (provider, model)."""

    __slots__ = ("requests", "errors", "retries", "tokens", "cost", "latency", "ttfc", "chunks")

    def __init__(self) -> None:
        self.requests = 0
        self.errors: Dict[str, int] = {}
        self.retries = 0
        self.tokens = [0, 0, 0, 0]  # input, output, cached, reasoning
        self.cost = 0.0
        self.latency = _Histogram(SECONDS_BUCKETS)
        self.ttfc = _Histogram(SECONDS_BUCKETS)
        self.chunks = _Histogram(CHUNK_BUCKETS)

    def add_error(self, name: str, count: int = 1) -> None:
        if name not in self.errors and len(self.errors) >= MAX_ERROR_CLASSES:
            name = "other"
        self.errors[name] = self.errors.get(name, 0) + count

    def merge(self, other: "_Series") -> None:
        self.requests += other.requests
        for name, n in other.errors.items():
            self.add_error(name, n)
        self.retries += other.retries
        self.tokens = [a + b for a, b in zip(self.tokens, other.tokens)]
        self.cost += other.cost
        self.latency.merge(other.latency)
        self.ttfc.merge(other.ttfc)
        self.chunks.merge(other.chunks)

    def as_data(self) -> Dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": dict(self.errors),
            "error_count": sum(self.errors.values()),
            "retries": self.retries,
            "tokens": dict(zip(_TOKEN_TYPES, self.tokens)),
            "cost": self.cost,
            "latency": self.latency.as_data(),
            "time_to_first_chunk": self.ttfc.as_data(),
            "chunks_per_stream": self.chunks.as_data(),
        }


_TOKEN_TYPES = ("input", "output", "cached", "reasoning")
_lock = _thread.allocate_lock()
_series: Dict[Tuple[str, str], _Series] = {}
_overflowed = False


def _get(provider: str, model: str) -> _Series:
    """The series for (provider, model); the caller holds ``_lock``."""
    global _overflowed
    key = (provider, model)
    series = _series.get(key)
    if series is None:
        if len(_series) >= MAX_SERIES:
            _overflowed = True
            key = (OVERFLOW, OVERFLOW)
            series = _series.get(key)
        if series is None:
            series = _series[key] = _Series()
    return series


def _field(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _int(value: Any) -> int:
    return int(value) if type(value) is int and value > 0 or isinstance(value, float) and 0 < value < math.inf else 0


def usage_numbers(usage: Any) -> Tuple[int, int, int, int]:
    """(input, output, cached, reasoning) tokens of a Usage object or usage dict (0 where absent)."""
    if usage is None:
        return 0, 0, 0, 0
    cached = _int(_field(_field(usage, "prompt_tokens_details"), "cached_tokens"))
    reasoning = _int(_field(_field(usage, "completion_tokens_details"), "reasoning_tokens"))
    return _int(_field(usage, "prompt_tokens")), _int(_field(usage, "completion_tokens")), cached, reasoning


def record_call(
    provider: str,
    model: str,
    *,
    duration: float,
    usage: Any = None,
    cost: Any = None,
    error: Optional[str] = None,
    time_to_first_chunk: Optional[float] = None,
    chunks: Optional[int] = None,
) -> None:
    """Count one finished call: ``error`` is the exception class name when it failed; a stream
    passes ``time_to_first_chunk`` (None when no chunk came) and ``chunks``."""
    tokens = usage_numbers(usage) if usage is not None else None
    add_cost = type(cost) is float and 0 < cost < math.inf or type(cost) is int and cost > 0
    duration = duration if duration > 0 else 0.0
    with _lock:
        series = _series.get((provider, model)) or _get(str(provider or ""), str(model or ""))
        series.requests += 1
        if error is not None:
            series.add_error(error)
        if tokens is not None:
            counts = series.tokens
            counts[0] += tokens[0]
            counts[1] += tokens[1]
            counts[2] += tokens[2]
            counts[3] += tokens[3]
        if add_cost:
            series.cost += cost
        series.latency.observe(duration)
        if time_to_first_chunk is not None:
            series.ttfc.observe(time_to_first_chunk if time_to_first_chunk > 0 else 0.0)
        if chunks is not None:
            series.chunks.observe(chunks)


def record_retry(provider: str, model: str, count: int = 1) -> None:
    """Count ``count`` retries (attempts after the first) for (provider, model)."""
    with _lock:
        _get(str(provider or ""), str(model or "")).retries += count


def reset_metrics() -> None:
    """Forget every series."""
    global _overflowed
    with _lock:
        _series.clear()
        _overflowed = False


def _copy() -> Tuple[List[Tuple[Tuple[str, str], _Series]], bool]:
    """A consistent copy of every series, taken under the lock."""
    with _lock:
        items = []
        for key, series in _series.items():
            clone = _Series()
            clone.merge(series)
            items.append((key, clone))
        return sorted(items, key=lambda item: item[0]), _overflowed


def metrics_snapshot() -> Dict[str, Any]:
    """Every series as plain data::

        {"enabled": bool, "max_series": 500, "overflowed": bool,
         "totals": <stats>, "by_model": {provider: {model: <stats>}}}

    where ``<stats>`` is ``{"requests", "errors": {class: n}, "error_count", "retries",
    "tokens": {"input", "output", "cached", "reasoning"}, "cost", "latency",
    "time_to_first_chunk", "chunks_per_stream"}`` and each distribution is ``{"count", "sum",
    "min", "max", "p50", "p90", "p99", "buckets": [[upper_bound or "+Inf", count], ...]}``.
    """
    items, overflowed = _copy()
    totals = _Series()
    by_model: Dict[str, Dict[str, Any]] = {}
    for (provider, model), series in items:
        totals.merge(series)
        by_model.setdefault(provider, {})[model] = series.as_data()
    return {
        "enabled": metrics_enabled(),
        "max_series": MAX_SERIES,
        "overflowed": overflowed,
        "totals": totals.as_data(),
        "by_model": by_model,
    }


# --------------------------------------------------------------------------------------------
# Prometheus text exposition format 0.0.4


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return repr(float(value))


def _labels(pairs: Sequence[Tuple[str, str]]) -> str:
    return "{" + ",".join('%s="%s"' % (k, _label(v)) for k, v in pairs) + "}"


def _head(lines: List[str], name: str, kind: str, help_text: str) -> None:
    lines.append("# HELP %s%s %s" % (_PREFIX, name, help_text))
    lines.append("# TYPE %s%s %s" % (_PREFIX, name, kind))


def _histogram_lines(lines: List[str], name: str, base: Sequence[Tuple[str, str]], hist: _Histogram) -> None:
    cumulative = 0
    edges = [_number(b) for b in hist.bounds] + ["+Inf"]
    for edge, n in zip(edges, hist.counts):
        cumulative += n
        lines.append("%s%s_bucket%s %d" % (_PREFIX, name, _labels(list(base) + [("le", edge)]), cumulative))
    lines.append("%s%s_sum%s %s" % (_PREFIX, name, _labels(base), _number(hist.sum)))
    lines.append("%s%s_count%s %d" % (_PREFIX, name, _labels(base), hist.count))


_COUNTERS = (
    ("requests_total", "Calls finished (success or failure)."),
    ("retries_total", "Attempts after the first one of a call."),
    ("cost_usd_total", "Cost of successful calls in US dollars."),
)
_HISTOGRAMS = (
    ("request_duration_seconds", "Duration of a call (a stream: until its last chunk).", "latency"),
    ("time_to_first_chunk_seconds", "Time from the start of a streamed call to its first chunk.", "ttfc"),
    ("stream_chunks", "Chunks handed to the caller per stream.", "chunks"),
)


def render_prometheus() -> str:
    """The metrics in the Prometheus text exposition format 0.0.4 (serve it with
    :data:`PROMETHEUS_CONTENT_TYPE`)."""
    items, _ = _copy()
    lines: List[str] = []
    bases = [(key, [("provider", key[0]), ("model", key[1])], series) for key, series in items]
    for name, help_text in _COUNTERS:
        _head(lines, name, "counter", help_text)
        for _, base, series in bases:
            value = {"requests_total": series.requests, "retries_total": series.retries,
                     "cost_usd_total": series.cost}[name]
            lines.append("%s%s%s %s" % (_PREFIX, name, _labels(base), _number(value)))
    _head(lines, "errors_total", "counter", "Failed calls by exception class.")
    for _, base, series in bases:
        for error, n in sorted(series.errors.items()):
            lines.append("%serrors_total%s %d" % (_PREFIX, _labels(base + [("error_class", error)]), n))
    _head(lines, "tokens_total", "counter", "Tokens by type: input, output, cached (input), reasoning (output).")
    for _, base, series in bases:
        for kind, n in zip(_TOKEN_TYPES, series.tokens):
            lines.append("%stokens_total%s %d" % (_PREFIX, _labels(base + [("type", kind)]), n))
    for name, help_text, attr in _HISTOGRAMS:
        _head(lines, name, "histogram", help_text)
        for _, base, series in bases:
            _histogram_lines(lines, name, base, getattr(series, attr))
    return "\n".join(lines) + "\n"
