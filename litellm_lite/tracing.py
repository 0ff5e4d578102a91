"""OpenTelemetry spans and metrics for every call, following the GenAI semantic conventions.

Off until :func:`enable_otel` is called (it needs ``opentelemetry-api``; without that call nothing
here imports OpenTelemetry, so import time and behaviour are unchanged). Once on, each call emits
one CLIENT span named ``"{gen_ai.operation.name} {gen_ai.request.model}"`` (``chat gpt-4o``), a
child of the span active when the call starts, with the attributes:

* ``gen_ai.operation.name`` (chat, embeddings, text_completion, ...), ``gen_ai.provider.name``
  (the semantic conventions' well-known names: openai, anthropic, aws.bedrock, gcp.gemini,
  gcp.vertex_ai, azure.ai.openai, ...; other providers under their litellm_lite name),
  ``gen_ai.request.model`` and the request parameters (``gen_ai.request.temperature``,
  ``max_tokens``, ``top_p``, ``stop_sequences``, ``seed``, penalties), ``server.address``,
  ``server.port``, ``litellm.call_id``;
* at the end: ``gen_ai.response.model``, ``gen_ai.response.id``,
  ``gen_ai.response.finish_reasons``, ``gen_ai.usage.input_tokens``,
  ``gen_ai.usage.output_tokens``, or ``error.type`` (the exception class) with an ERROR status;
* prompts and completions (``gen_ai.input.messages``, ``gen_ai.output.messages``, JSON, redacted)
  only with ``enable_otel(capture_content=True)``.

It also records the ``gen_ai.client.operation.duration`` (seconds) and
``gen_ai.client.token.usage`` (``{token}``, with ``gen_ai.token.type`` input/output) histograms with
the bucket boundaries the conventions advise.

``enable_otel(propagate=True)`` (or ``litellm_lite.propagate_traceparent = True``) sends the
call span's context to the provider as a W3C ``traceparent`` header.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Mapping

from .correlation import make_traceparent
from .exceptions import redact
from .metrics import usage_numbers

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "enable_otel",
    "disable_otel",
    "otel_enabled",
    "start_span",
    "finish_span",
    "span_traceparent",
    "CallSpan",
    "PROVIDER_NAMES",
    "OPERATION_NAMES",
]

#: litellm_lite provider name -> ``gen_ai.provider.name`` well-known value.
PROVIDER_NAMES: Dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "aws.bedrock",
    "gemini": "gcp.gemini",
    "vertex_ai": "gcp.vertex_ai",
    "vertex_ai_beta": "gcp.vertex_ai",
    "azure": "azure.ai.openai",
    "azure_ai": "azure.ai.inference",
    "cohere": "cohere",
    "deepseek": "deepseek",
    "groq": "groq",
    "mistral": "mistral_ai",
    "perplexity": "perplexity",
    "xai": "x_ai",
    "watsonx": "ibm.watsonx.ai",
}
#: call type -> ``gen_ai.operation.name``.
OPERATION_NAMES: Dict[str, str] = {
    "completion": "chat",
    "acompletion": "chat",
    "responses": "chat",
    "embedding": "embeddings",
    "aembedding": "embeddings",
    "text_completion": "text_completion",
}
_REQUEST_PARAMS = (
    ("temperature", "gen_ai.request.temperature"),
    ("top_p", "gen_ai.request.top_p"),
    ("top_k", "gen_ai.request.top_k"),
    ("max_tokens", "gen_ai.request.max_tokens"),
    ("max_completion_tokens", "gen_ai.request.max_tokens"),
    ("seed", "gen_ai.request.seed"),
    ("frequency_penalty", "gen_ai.request.frequency_penalty"),
    ("presence_penalty", "gen_ai.request.presence_penalty"),
    ("n", "gen_ai.request.choice.count"),
)
_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]
_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]


class _OTel:
    """What enable_otel set up: the tracer, the two histograms and the options."""

    def __init__(self, trace: Any, tracer: Any, duration: Any, tokens: Any, capture: bool, propagate: bool) -> None:
        self.trace = trace
        self.tracer = tracer
        self.duration = duration
        self.tokens = tokens
        self.capture = capture
        self.propagate = propagate


_lock = threading.Lock()
_otel: Optional[_OTel] = None


def _histogram(meter: Any, name: str, unit: str, description: str, buckets: List[float]) -> Any:
    try:
        return meter.create_histogram(name, unit=unit, description=description,
                                      explicit_bucket_boundaries_advisory=buckets)
    except TypeError:  # opentelemetry-api before 1.23 has no bucket advice
        return meter.create_histogram(name, unit=unit, description=description)


def enable_otel(
    tracer_provider: Any = None,
    meter_provider: Any = None,
    *,
    capture_content: bool = False,
    propagate: bool = False,
) -> None:
    """Emit a span and the GenAI metrics for every call from now on.

    ``tracer_provider`` / ``meter_provider`` default to OpenTelemetry's global ones. Raises
    ImportError (naming the package to install) when ``opentelemetry-api`` is not installed.
    """
    global _otel
    try:
        trace = importlib.import_module("opentelemetry.trace")
        otel_metrics = importlib.import_module("opentelemetry.metrics")
    except ImportError as exc:
        raise ImportError("litellm_lite.enable_otel() needs opentelemetry-api: pip install opentelemetry-api") from exc
    from . import __version__

    tracer = trace.get_tracer("litellm_lite", __version__, tracer_provider=tracer_provider)
    meter = otel_metrics.get_meter("litellm_lite", __version__, meter_provider=meter_provider)
    duration = _histogram(meter, "gen_ai.client.operation.duration", "s", "GenAI operation duration.",
                          [float(b) for b in _DURATION_BUCKETS])
    tokens = _histogram(meter, "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
                        [float(b) for b in _TOKEN_BUCKETS])
    with _lock:
        _otel = _OTel(trace, tracer, duration, tokens, bool(capture_content), bool(propagate))


def disable_otel() -> None:
    """Stop emitting spans and metrics (calls already running finish their spans)."""
    global _otel
    with _lock:
        _otel = None


def otel_enabled() -> bool:
    """True after :func:`enable_otel` (and before :func:`disable_otel`)."""
    return _otel is not None


class CallSpan:
    """One call's span, with the attributes its metrics share."""

    __slots__ = ("otel", "span", "common", "start")

    def __init__(self, otel: _OTel, span: Any, common: Dict[str, Any], start: float) -> None:
        self.otel = otel
        self.span = span
        self.common = common
        self.start = start


def _server(api_base: Any) -> Tuple[Optional[str], Optional[int]]:
    if not isinstance(api_base, str) or "://" not in api_base:
        return None, None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(api_base)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None, None
    return parts.hostname, port


def _text_parts(content: Any) -> List[Dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "content": content}]
    parts: List[Dict[str, Any]] = []
    if isinstance(content, list):
        for item in content:
            if isinstance(item, Mapping) and item.get("type") == "text":
                parts.append({"type": "text", "content": item.get("text")})
            elif isinstance(item, Mapping):
                parts.append({"type": str(item.get("type") or "unknown")})  # images, audio: not copied
    return parts


def _tool_parts(tool_calls: Any) -> List[Dict[str, Any]]:
    parts = []
    for call in tool_calls or []:
        function = _get(call, "function")
        parts.append({"type": "tool_call", "id": _get(call, "id"), "name": _get(function, "name"),
                      "arguments": _get(function, "arguments")})
    return parts


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _json(value: Any) -> str:
    return redact(json.dumps(value, default=str, ensure_ascii=False))


def _input_messages(messages: Any) -> str:
    out = []
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, Mapping):
            parts = _text_parts(message.get("content")) + _tool_parts(message.get("tool_calls"))
            out.append({"role": message.get("role"), "parts": parts})
    return _json(out)


def _output_messages(response: Any) -> str:
    out = []
    for choice in _get(response, "choices") or []:
        message = _get(choice, "message")
        parts = _text_parts(_get(message, "content")) + _tool_parts(_get(message, "tool_calls"))
        out.append({"role": _get(message, "role") or "assistant", "parts": parts,
                    "finish_reason": _get(choice, "finish_reason")})
    return _json(out)


def _request_attributes(params: Any) -> Dict[str, Any]:
    """``gen_ai.request.*`` attributes from the call's OpenAI parameters."""
    attributes: Dict[str, Any] = {}
    if not isinstance(params, Mapping):
        return attributes
    for key, name in _REQUEST_PARAMS:
        value = params.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            attributes[name] = value
    stop = params.get("stop")
    if isinstance(stop, str):
        attributes["gen_ai.request.stop_sequences"] = [stop]
    elif isinstance(stop, list) and stop and all(isinstance(s, str) for s in stop):
        attributes["gen_ai.request.stop_sequences"] = list(stop)
    return attributes


def start_span(call_info: Mapping[str, Any], start_time: float) -> Optional[CallSpan]:
    """Start the CLIENT span of a call (``start_time`` in seconds since the epoch); None when off."""
    otel = _otel
    if otel is None:
        return None
    call_type = str(call_info.get("call_type") or "completion")
    operation = OPERATION_NAMES.get(call_type, call_type)
    provider = str(call_info.get("provider") or "")
    model = str(call_info.get("model") or "")
    common: Dict[str, Any] = {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": PROVIDER_NAMES.get(provider, provider),
        "gen_ai.request.model": model,
    }
    host, port = _server(call_info.get("api_base"))
    if host:
        common["server.address"] = host
        common["server.port"] = port
    attributes = dict(common, **_request_attributes(call_info.get("optional_params")))
    if call_info.get("litellm_call_id"):
        attributes["litellm.call_id"] = str(call_info["litellm_call_id"])
    if otel.capture and call_info.get("messages") is not None:
        attributes["gen_ai.input.messages"] = _input_messages(call_info.get("messages"))
    span = otel.tracer.start_span(
        "%s %s" % (operation, model) if model else operation,
        kind=otel.trace.SpanKind.CLIENT,
        attributes=attributes,
        start_time=int(start_time * 1e9),
    )
    return CallSpan(otel, span, common, start_time)


def span_traceparent(handle: Optional[CallSpan]) -> Optional[str]:
    """The W3C ``traceparent`` of the call's span (None without one)."""
    if handle is None:
        return None
    context = handle.span.get_span_context()
    return make_traceparent(int(context.trace_id), int(context.span_id), bool(int(context.trace_flags) & 1))


def _response_attributes(response: Any) -> Dict[str, Any]:
    attributes: Dict[str, Any] = {}
    model = _get(response, "model")
    if isinstance(model, str) and model:
        attributes["gen_ai.response.model"] = model
    response_id = _get(response, "id")
    if isinstance(response_id, str) and response_id:
        attributes["gen_ai.response.id"] = response_id
    reasons = [str(_get(c, "finish_reason")) for c in _get(response, "choices") or [] if _get(c, "finish_reason")]
    if reasons:
        attributes["gen_ai.response.finish_reasons"] = reasons
    return attributes


def finish_span(
    handle: Optional[CallSpan],
    end_time: float,
    response: Any = None,
    error: Optional[BaseException] = None,
) -> None:
    """End the call's span with the response (or the error) and record the two histograms."""
    if handle is None:
        return
    otel, span = handle.otel, handle.span
    metric_attributes = dict(handle.common)
    if error is not None:
        error_type = type(error).__name__
        span.set_attribute("error.type", error_type)
        span.record_exception(error)
        status = importlib.import_module("opentelemetry.trace.status")
        span.set_status(status.Status(status.StatusCode.ERROR, redact(str(error))[:500]))
        metric_attributes["error.type"] = error_type
    else:
        attributes = _response_attributes(response)
        usage = _get(response, "usage")
        if usage is not None:
            input_tokens, output_tokens, _, _ = usage_numbers(usage)
            attributes["gen_ai.usage.input_tokens"] = input_tokens
            attributes["gen_ai.usage.output_tokens"] = output_tokens
        if otel.capture and _get(response, "choices"):
            attributes["gen_ai.output.messages"] = _output_messages(response)
        span.set_attributes(attributes)
        if "gen_ai.response.model" in attributes:
            metric_attributes["gen_ai.response.model"] = attributes["gen_ai.response.model"]
        if usage is not None:
            for kind in ("input", "output"):
                otel.tokens.record(attributes["gen_ai.usage.%s_tokens" % kind],
                                   dict(metric_attributes, **{"gen_ai.token.type": kind}))
    otel.duration.record(max(0.0, end_time - handle.start), metric_attributes)
    span.end(end_time=int(end_time * 1e9))
