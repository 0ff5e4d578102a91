"""One call's telemetry: its id, the metrics and span it feeds, the provider request id it saw.

The orchestrator reaches this through :mod:`litellm_lite.observability` (``pre_call`` ->
:func:`begin`, ``attempt`` -> :func:`attempt`, ``outgoing_headers`` -> :func:`outgoing_headers`,
``stream_event`` (counts chunks in the state), ``success`` / ``failure`` -> :func:`finish` then
:func:`leave`). The state lives in ``call_info["_observe"]``, which callbacks never see.
"""

from __future__ import annotations

import datetime
import sys
import time

from ._package import package_setting
from . import metrics
from ._log import DEBUG, logger
from .correlation import CALL_ID_HEADER, TRACEPARENT_HEADER, attempt_line, bind, is_bound, new_call_id, provider_request_id, restore
from .exceptions import redact

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Mapping, Optional

    from . import tracing

__all__ = ["CallState", "begin", "finish", "finish_quiet", "leave", "attempt", "outgoing_headers", "stamp_error", "state_of", "epoch",
           "watching", "received", "response_cost_of", "STATE_KEY"]

STATE_KEY = "_observe"


class CallState:
    """What one call's hooks share: its id, the id current before it, stream counts, span."""

    __slots__ = ("call_id", "previous", "start", "first_chunk", "chunks", "span", "request_id", "metrics",
                 "chunk_callbacks", "done", "headers_seen", "quiet", "__weakref__")

    def __init__(self, call_id: str, start: float) -> None:
        self.call_id = call_id
        self.previous: Any = None
        self.start = start
        self.first_chunk: Optional[float] = None
        self.chunks = 0
        self.span: Optional[tracing.CallSpan] = None
        self.request_id: Optional[str] = None
        self.metrics = False
        self.chunk_callbacks = False
        self.done = False
        self.headers_seen = False  # received() read the response headers: no need to read them again
        self.quiet = False  # no metrics, span, success callback or DEBUG logging: success() only stamps ids


def _tracing_if_loaded() -> Any:
    """``tracing`` when something loaded it (``enable_otel`` lives there: not loaded means OpenTelemetry is off)."""
    return sys.modules.get((__package__ or "litellm_lite") + ".tracing")


def state_of(call_info: Mapping[str, Any]) -> Optional[CallState]:
    """The call's state, or None when :func:`begin` did not run for it."""
    state = call_info.get(STATE_KEY)
    return state if isinstance(state, CallState) else None


def begin(call_info: Dict[str, Any]) -> CallState:
    """Give the call its id (unless it has one), make it current, start its span."""
    call_id = call_info.get("litellm_call_id")
    if not isinstance(call_id, str) or not call_id:
        call_id = call_info["litellm_call_id"] = new_call_id()
    state = CallState(call_id, time.time())
    state.previous = bind(state)  # held weakly: a stream dropped before its end stops being current
    call_info[STATE_KEY] = state
    state.metrics = metrics.metrics_enabled()
    tracing = _tracing_if_loaded()
    if tracing is not None and tracing.otel_enabled():
        try:
            state.span = tracing.start_span(call_info, state.start)
        except Exception as exc:  # noqa: BLE001 - telemetry must never break a call
            logger.warning("litellm_lite: could not start the OpenTelemetry span: %s", redact(str(exc)))
    return state


def epoch(value: Any) -> float:
    """Seconds since the epoch from a float or a datetime (now when neither)."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    try:
        return float(value)
    except (TypeError, ValueError):
        return time.time()


def _stamp_response(state: CallState, response: Any) -> None:
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict):
        hidden["litellm_call_id"] = state.call_id
        request_id = state.request_id
        if request_id is None and not state.headers_seen:
            request_id = provider_request_id(getattr(response, "_response_headers", None))
        if request_id is not None:
            hidden["provider_request_id"] = request_id


def stamp_error(error: BaseException, call_id: Optional[str], request_id: Optional[str] = None) -> None:
    """``error.litellm_call_id`` and ``error.request_id`` (from its headers when not given), unless set."""
    try:
        if getattr(error, "litellm_call_id", None) is None:
            error.litellm_call_id = call_id  # type: ignore[attr-defined]
        if getattr(error, "request_id", None) is None:
            error.request_id = request_id or provider_request_id(getattr(error, "headers", None))  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # pragma: no cover - exception classes with __slots__
        pass


def response_cost_of(response: Any) -> Any:
    """``response._hidden_params["response_cost"]`` (None when there is none)."""
    hidden = getattr(response, "_hidden_params", None)
    return hidden.get("response_cost") if isinstance(hidden, dict) else None


def _record_metrics(state: CallState, call_info: Mapping[str, Any], response: Any, error: Optional[BaseException],
                    start: float, end: float) -> None:
    streamed = bool(call_info.get("stream")) and state.chunks > 0
    metrics.record_call(
        str(call_info.get("provider") or ""), str(call_info.get("model") or ""),
        duration=end - start,
        usage=getattr(response, "usage", None) if error is None else None,
        cost=response_cost_of(response) if error is None else None,
        error=type(error).__name__ if error is not None else None,
        time_to_first_chunk=(state.first_chunk - start) if state.first_chunk is not None else None,
        chunks=state.chunks if streamed else None,
    )


def finish(call_info: Mapping[str, Any], response: Any, error: Optional[BaseException], start: Any, end: Any,
           closed: bool = False) -> None:
    """Once per call: ids on the response or the error, metrics, end of the span (``closed``: a stream
    the caller closed before its end; the span says so)."""
    state = state_of(call_info)
    if state is None or state.done:
        return
    state.done = True
    try:
        if closed and state.span is not None:
            state.span.span.set_attribute("litellm.stream.closed_early", True)
        if error is not None:
            stamp_error(error, state.call_id, state.request_id)
        else:
            _stamp_response(state, response)
        end_seconds = epoch(end)
        if state.metrics:
            _record_metrics(state, call_info, response, error, epoch(start), end_seconds)
        if state.span is not None:
            from . import tracing

            tracing.finish_span(state.span, end_seconds, response, error)
    except Exception as exc:  # noqa: BLE001 - telemetry must never break a call
        logger.warning("litellm_lite: recording the call's telemetry failed: %s: %s", type(exc).__name__, redact(str(exc)))


def finish_quiet(state: CallState, response: Any) -> None:
    """:func:`finish` then :func:`leave` for a call nobody observes: ids on the response, the id
    current before it current again."""
    if not state.done:
        state.done = True
        _stamp_response(state, response)
    _leave(state)


def leave(call_info: Mapping[str, Any]) -> None:
    """The call is over: the id current before it is current again."""
    state = state_of(call_info)
    if state is not None:
        _leave(state)


def _leave(state: CallState) -> None:
    if is_bound(state):
        restore(state.previous)


def watching(call_info: Mapping[str, Any]) -> bool:
    """True when the call's attempts are observed: metrics on (retries are counted) or DEBUG logging."""
    state = state_of(call_info)
    return (state is not None and state.metrics) or logger.isEnabledFor(DEBUG)


def received(call_info: Mapping[str, Any], headers: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The provider's request id in a response's ``headers`` (the transport's: lower-case names),
    remembered for the call (its errors)."""
    request_id = provider_request_id(headers, lower_case=True)
    state = state_of(call_info)
    if state is not None:
        state.headers_seen = True
        if request_id is not None:
            state.request_id = request_id
    return request_id


def attempt(
    call_info: Mapping[str, Any],
    *,
    number: int,
    method: str,
    url: str,
    status: Optional[int],
    started: float,
    ended: float,
    headers: Optional[Mapping[str, str]] = None,
    error: Optional[BaseException] = None,
    request_body: Any = None,
    response_body: Any = None,
) -> None:
    """After each HTTP attempt (``number`` 1-based): count a retry when ``number`` > 1, and at DEBUG
    log the attempt (bodies only with ``litellm_lite.log_bodies``) and remember the provider's
    request id (without DEBUG the road reads it from the final response or error)."""
    state = state_of(call_info)
    if state is not None and number > 1 and state.metrics:
        metrics.record_retry(str(call_info.get("provider") or ""), str(call_info.get("model") or ""))
    if logger.isEnabledFor(DEBUG):
        request_id = provider_request_id(headers if headers is not None else getattr(error, "headers", None))
        if state is not None and request_id is not None:
            state.request_id = request_id
        bodies = bool(package_setting("log_bodies"))
        logger.debug(
            "%s",
            attempt_line(
                call_id=call_info.get("litellm_call_id"), provider=str(call_info.get("provider") or ""),
                model=str(call_info.get("model") or ""), method=method, url=url, attempt=number, status=status,
                latency=ended - started, request_id=request_id, error=error,
                request_body=request_body if bodies else None, response_body=response_body if bodies else None,
            ),
        )


def outgoing_headers(call_info: Mapping[str, Any]) -> Dict[str, str]:
    """Headers to add to the call's requests: ``x-litellm-call-id`` when
    ``litellm_lite.send_call_id_header`` is set; ``traceparent`` from the caller's keyword
    (``call_info["traceparent"]``, already checked) or, with propagation on, from the call's span."""
    headers: Dict[str, str] = {}
    if package_setting("send_call_id_header") and call_info.get("litellm_call_id"):
        headers[CALL_ID_HEADER] = str(call_info["litellm_call_id"])
    given = call_info.get("traceparent")
    if isinstance(given, str) and given:
        headers[TRACEPARENT_HEADER] = given
        return headers
    state = state_of(call_info)
    span = state.span if state is not None else None
    if span is not None and (span.otel.propagate or package_setting("propagate_traceparent")):
        from . import tracing

        value = tracing.span_traceparent(span)
        if value is not None:
            headers[TRACEPARENT_HEADER] = value
    return headers
