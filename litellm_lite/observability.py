"""Callbacks and logging: ``litellm_lite.callbacks``, ``success_callback``, ``failure_callback``.

::

    import litellm_lite as litellm
    from litellm_lite import CustomLogger

    class MyLogger(CustomLogger):
        def log_success_event(self, kwargs, response_obj, start_time, end_time):
            print(kwargs["model"], response_obj.usage.total_tokens, end_time - start_time)

    litellm.callbacks = [MyLogger()]
    litellm.success_callback = [lambda kwargs, response, start, end: ...]
    litellm.failure_callback = [lambda kwargs, exception, start, end: ...]

The three lists are read from the package at call time, so they can be changed between calls.
A call may add its own loggers (``callbacks=[...]``, always fired) and skip the module-level lists
(``use_module_settings=False``, unless it also says ``use_module_callbacks=True``). The road (``_call.py``) calls :func:`pre_call` before sending,
then :func:`success` (for a stream: once the stream was read to its end, with the assembled
response) or :func:`failure`; every event of one call carries the same ``litellm_call_id``.

The same hooks feed the rest of the observability (see :mod:`litellm_lite.telemetry`):
:func:`pre_call` gives the call its ``litellm_call_id`` (made current for log records), starts
its OpenTelemetry span when :func:`litellm_lite.enable_otel` was called; :func:`outgoing_headers`
gives the opt-in id headers to add before signing; :func:`attempt` is called after each HTTP
attempt (DEBUG line, provider request id, retry count) when :func:`watching` says someone listens;
:func:`received` reads the provider request id of a response; :func:`stream_event` counts chunks
when metrics are on (:func:`chunk_hook`); :func:`success` / :func:`failure` stamp the ids on the
response or exception, record the metrics and end the span; :func:`closed` (:func:`close_hook`)
does the same for a stream closed before its end, without callbacks.

Rules:

* A callback that raises never breaks the call: the error is logged at WARNING and the call goes on.
* The ``kwargs`` dict handed to callbacks is a copy with every secret removed (``api_key``,
  ``Authorization`` and other credential headers, AWS secrets, Azure AD tokens, ...): those keys
  are simply absent, and known secret values left inside strings are replaced by ``***``.
* ``start_time`` / ``end_time`` are :class:`datetime.datetime` objects, as in LiteLLM
  (``(end_time - start_time).total_seconds()`` is the call's duration).
* Logging goes through ``logging.getLogger("litellm_lite")``. Nothing is configured at import;
  the first time this module is used, ``LITELLM_LITE_LOG=DEBUG`` (or INFO, WARNING...) in the
  environment, or ``litellm_lite.set_verbose = True``, adds one stderr handler at that level.
  At DEBUG: one line per call start and end, one per HTTP attempt; request and response bodies
  only with ``litellm_lite.log_bodies = True``, always redacted; keys never.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import time
from collections.abc import Mapping

from ._package import package_setting
from . import _log, metrics, telemetry
from ._log import DEBUG, logger
from .correlation import new_call_id
from .exceptions import redact
from .telemetry import attempt, outgoing_headers, received, stamp_error, watching

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, List, Optional
    import logging

__all__ = [
    "CustomLogger",
    "pre_call",
    "success",
    "failure",
    "stream_event",
    "closed",
    "chunk_hook",
    "close_hook",
    "attempt",
    "outgoing_headers",
    "watching",
    "received",
    "stamp_error",
    "wants_stream_events",
    "redact_kwargs",
    "configure_logging",
    "SECRET_KEYS",
]


# Dict keys (compared lower-case, with '-' read as '_') whose values are credentials: dropped.
SECRET_KEYS = frozenset(
    {
        "api_key",
        "authorization",
        "proxy_authorization",
        "x_api_key",
        "x_goog_api_key",
        "cookie",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "aws_bearer_token_bedrock",
        "aws_web_identity_token",
        "azure_ad_token",
        "azure_ad_token_provider",
        "client_secret",
        "vertex_credentials",
        "credentials",
        "password",
        "access_token",
        "refresh_token",
        "private_key",
        "token",
        "secret",
    }
)
_MAX_DEPTH = 20


class CustomLogger:
    """Base class for callback objects put in ``litellm_lite.callbacks``; every hook is a no-op.

    Override the ones you need. ``kwargs`` is the redacted description of the call (model,
    messages, optional_params, litellm_params, custom_llm_provider, api_base, stream, metadata,
    litellm_call_id, start_time, end_time, response_cost, and for failures exception/traceback).
    """

    def log_pre_api_call(self, model: str, messages: Any, kwargs: Dict[str, Any]) -> None:
        """Called before the request is sent."""

    def log_success_event(
        self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Called with the response (for a stream: the assembled response, once it is complete)."""

    def log_failure_event(
        self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Called with the exception (``response_obj``) when the call failed."""

    def log_stream_event(
        self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Called with each stream chunk, when the stream wrapper reports chunks."""


# --------------------------------------------------------------------------------------------
# Logging setup (once, lazily)

_configured = False
_config_lock = _thread.allocate_lock()
_handler: "Optional[logging.Handler]" = None


def configure_logging(level: Optional[str] = None) -> "Optional[logging.Handler]":
    """Add one stderr handler to the ``litellm_lite`` logger at ``level`` (default: ``LITELLM_LITE_LOG``).

    Done at most once per process; returns the handler (None when logging stays unconfigured).
    Called automatically on first use of the callbacks machinery. Without a level to set, ``logging``
    is not imported here (``_log``: the logger is taken, with its call-id filter, on first need).
    """
    global _configured, _handler
    with _config_lock:
        if _handler is not None:
            return _handler
        name = level or os.environ.get("LITELLM_LITE_LOG", "").strip()
        if not name and package_setting("set_verbose"):
            name = "DEBUG"
        _configured = True
        if not name:
            if "logging" in sys.modules:
                _log.real()  # the call-id filter on the logger, as soon as someone may log
            return None
        import logging

        from .correlation import install_filter

        real = _log.real()
        numeric = logging.getLevelName(name.upper())
        if not isinstance(numeric, int):
            return None
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s call=%(litellm_call_id)s: %(message)s"))
        install_filter(handler)
        handler.setLevel(numeric)
        real.addHandler(handler)
        if real.level == logging.NOTSET or real.level > numeric:
            real.setLevel(numeric)
        _handler = handler
        return handler


def _ensure_logging() -> None:
    if not _configured:
        configure_logging()


def _as_list(value: Any) -> List[Any]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _callback_list(name: str, call_info: Optional[Mapping[str, Any]] = None) -> List[Any]:
    """The callbacks of one kind for a call: the module-level list (unless the call said
    ``use_module_settings=False`` without ``use_module_callbacks=True``), then the call's own
    ``callbacks=[...]`` loggers (always)."""
    info = call_info if call_info is not None else _NO_INFO
    own = info.get("_callbacks") if name == "callbacks" else None
    module_value = package_setting(name)
    if not module_value and not own:  # the common case: nobody listens
        return []
    use_module = info.get("_use_module_callbacks", info.get("_use_module_settings", True))
    found = _as_list(module_value) if use_module else []
    found.extend(_as_list(own))
    return found


_NO_INFO: Mapping[str, Any] = {}


# --------------------------------------------------------------------------------------------
# Redaction


def _is_secret_key(key: Any) -> bool:
    if not isinstance(key, str):
        return False
    norm = key.strip().lower().replace("-", "_")
    if norm in SECRET_KEYS:
        return True
    return norm.endswith(("_api_key", "_secret", "_secret_key", "_token", "_password"))


def redact_kwargs(value: Any, _depth: int = 0) -> Any:
    """A copy of ``value`` (dicts, lists, tuples, strings) with secret keys dropped and known secret
    values inside strings replaced by ``***``. Other objects are passed through unchanged."""
    if _depth > _MAX_DEPTH:
        return "..."
    if isinstance(value, Mapping):
        return {k: redact_kwargs(v, _depth + 1) for k, v in value.items() if not _is_secret_key(k)}
    if isinstance(value, list):
        return [redact_kwargs(v, _depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_kwargs(v, _depth + 1) for v in value)
    if isinstance(value, str):
        return redact(value)
    return value


# --------------------------------------------------------------------------------------------
# Building the kwargs callbacks see


def _as_datetime(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value)
    return value


def _callback_kwargs(call_info: Mapping[str, Any], start_time: Any = None, end_time: Any = None) -> Dict[str, Any]:
    _call_id(call_info)
    info = redact_kwargs({k: v for k, v in call_info.items() if not str(k).startswith("_")})
    provider = info.get("provider")
    metadata = info.get("metadata") or {}
    kwargs: Dict[str, Any] = {
        "model": info.get("model"),
        "messages": info.get("messages"),
        "optional_params": info.get("optional_params") or {},
        "stream": bool(info.get("stream")),
        "custom_llm_provider": provider,
        "api_base": info.get("api_base"),
        "metadata": metadata,
        "litellm_call_id": info.get("litellm_call_id"),
        "litellm_params": {
            "custom_llm_provider": provider,
            "api_base": info.get("api_base"),
            "metadata": metadata,
        },
        "call_type": info.get("call_type") or "completion",
    }
    for key, value in info.items():
        if key not in kwargs and key != "provider" and not key.startswith("_"):
            kwargs[key] = value
    if start_time is not None:
        kwargs["start_time"] = _as_datetime(start_time)
    if end_time is not None:
        kwargs["end_time"] = _as_datetime(end_time)
    return kwargs


def _call_id(call_info: Any) -> None:
    """Give the call a stable id (shared by its pre_call / success / failure events) unless it has one
    (the road always gives one: this only serves hooks called directly)."""
    if isinstance(call_info, dict) and not call_info.get("litellm_call_id"):
        call_info["litellm_call_id"] = new_call_id()


def _safe(what: str, fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - a callback must never break the call
        logger.warning("litellm_lite callback %s raised %s: %s", what, type(exc).__name__, redact(str(exc)))
        if logger.isEnabledFor(DEBUG):
            import traceback

            logger.debug("callback traceback:\n%s", redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))


def _name(obj: Any) -> str:
    return getattr(obj, "__qualname__", None) or type(obj).__name__


def _dump(value: Any) -> str:
    try:
        if hasattr(value, "to_dict"):
            value = value.to_dict()
        text = json.dumps(redact_kwargs(value), default=str, ensure_ascii=False)
    except Exception:  # noqa: BLE001 - logging must never break a call
        text = repr(value)
    return redact(text)


# --------------------------------------------------------------------------------------------
# Entry points used by main.py


def pre_call(call_info: Dict[str, Any]) -> None:
    """Before sending: the call's id (made current for logging), span and metrics state; DEBUG log of
    the (redacted) request and ``log_pre_api_call`` on every logger."""
    _ensure_logging()
    state = telemetry.begin(call_info)
    state.chunk_callbacks = bool(call_info.get("stream")) and _loggers_want_chunks(call_info)  # read per chunk only
    debug = logger.isEnabledFor(DEBUG)
    if debug:
        if package_setting("log_bodies"):
            logger.debug(
                "request %s/%s: %s",
                call_info.get("provider"),
                call_info.get("model"),
                _dump({k: call_info.get(k) for k in ("messages", "optional_params", "stream", "api_base", "metadata")}),
            )
        else:
            logger.debug("request %s/%s (stream=%s)", call_info.get("provider"), call_info.get("model"),
                         bool(call_info.get("stream")))
    loggers = _callback_list("callbacks", call_info)
    if not loggers:
        state.quiet = (
            not debug and not state.metrics and state.span is None and not _callback_list("success_callback", call_info)
        )
        return
    kwargs = _callback_kwargs(call_info)
    for cb in loggers:
        method = getattr(cb, "log_pre_api_call", None)
        if callable(method):
            _safe(_name(cb) + ".log_pre_api_call", method, kwargs.get("model"), kwargs.get("messages"), kwargs)


def success(call_info: Dict[str, Any], response: Any, start_time: Any, end_time: Any) -> None:
    """After a successful call (a stream: after its last chunk): ids on ``response._hidden_params``,
    metrics and span, then success callbacks and loggers (the call's id is current until they return)."""
    state = call_info.get(telemetry.STATE_KEY)
    if state is not None and state.quiet:  # set by pre_call: nothing to record, nobody to call
        telemetry.finish_quiet(state, response)
        return
    _ensure_logging()
    telemetry.finish(call_info, response, None, start_time, end_time)
    try:
        _success_callbacks(call_info, response, start_time, end_time)
    finally:
        telemetry.leave(call_info)


def _success_callbacks(call_info: Dict[str, Any], response: Any, start_time: Any, end_time: Any) -> None:
    """DEBUG log of the response, then every success callback and logger."""
    if logger.isEnabledFor(DEBUG):
        logger.debug(
            "response %s/%s in %.3fs%s",
            call_info.get("provider"),
            call_info.get("model"),
            _seconds(start_time, end_time),
            ": " + _dump(response) if package_setting("log_bodies") else "",
        )
    loggers = _callback_list("callbacks", call_info)
    functions = _callback_list("success_callback", call_info)
    if not loggers and not functions:
        return
    kwargs = _callback_kwargs(call_info, start_time, end_time)
    kwargs["response_cost"] = telemetry.response_cost_of(response)
    if kwargs.get("stream"):
        kwargs["complete_streaming_response"] = response  # the assembled response, as LiteLLM passes it
    start, end = _as_datetime(start_time), _as_datetime(end_time)
    for cb in loggers:
        method = getattr(cb, "log_success_event", None)
        if callable(method):
            _safe(_name(cb) + ".log_success_event", method, kwargs, response, start, end)
    for fn in functions:
        if callable(fn):
            _safe(_name(fn), fn, kwargs, response, start, end)
        else:
            logger.debug("success_callback entry %r is not callable: ignored", fn)


def failure(call_info: Dict[str, Any], exception: BaseException, start_time: Any, end_time: Any) -> None:
    """After a failed call: ``exception.litellm_call_id`` / ``request_id``, metrics and span, then
    failure callbacks and loggers get the exception (the call's id is current until they return)."""
    _ensure_logging()
    _call_id(call_info)
    telemetry.finish(call_info, None, exception, start_time, end_time)
    telemetry.stamp_error(exception, call_info.get("litellm_call_id"))  # also when pre_call never ran
    try:
        _failure_callbacks(call_info, exception, start_time, end_time)
    finally:
        telemetry.leave(call_info)


def _failure_callbacks(call_info: Dict[str, Any], exception: BaseException, start_time: Any, end_time: Any) -> None:
    """DEBUG log of the failure, then every failure callback and logger."""
    logger.debug(
        "call %s/%s failed after %.3fs: %s",
        call_info.get("provider"),
        call_info.get("model"),
        _seconds(start_time, end_time),
        redact("%s: %s" % (type(exception).__name__, exception)),
    )
    loggers = _callback_list("callbacks", call_info)
    functions = _callback_list("failure_callback", call_info)
    if not loggers and not functions:
        return
    kwargs = _callback_kwargs(call_info, start_time, end_time)
    kwargs["exception"] = exception
    import traceback

    kwargs["traceback_exception"] = redact(
        "".join(traceback.format_exception(type(exception), exception, exception.__traceback__))
    )
    start, end = _as_datetime(start_time), _as_datetime(end_time)
    for cb in loggers:
        method = getattr(cb, "log_failure_event", None)
        if callable(method):
            _safe(_name(cb) + ".log_failure_event", method, kwargs, exception, start, end)
    for fn in functions:
        if callable(fn):
            _safe(_name(fn), fn, kwargs, exception, start, end)
        else:
            logger.debug("failure_callback entry %r is not callable: ignored", fn)


def closed(call_info: Dict[str, Any], partial: Any, start_time: Any, end_time: Any) -> None:
    """A stream closed (or dropped) before its end: its metrics and span finish with what was read
    (``partial``, the response assembled so far); no success or failure callback fires."""
    telemetry.finish(call_info, partial, None, start_time, end_time, closed=True)
    try:
        logger.debug("stream %s/%s closed before its end after %.3fs", call_info.get("provider"),
                     call_info.get("model"), _seconds(start_time, end_time))
    finally:
        telemetry.leave(call_info)


def chunk_hook(call_info: Dict[str, Any], start_time: float) -> Optional[Callable[[Any], None]]:
    """A stream wrapper's per-chunk hook (:func:`stream_event`), or None when nobody counts chunks."""
    if not wants_stream_events(call_info):
        return None

    def on_chunk(chunk: Any) -> None:
        stream_event(call_info, chunk, start_time, time.time())

    return on_chunk


def close_hook(call_info: Dict[str, Any], start_time: float) -> Callable[[Any], None]:
    """A stream wrapper's hook for a stream closed (or dropped) before its end (:func:`closed`)."""

    def on_close(partial: Any) -> None:
        closed(call_info, partial, start_time, time.time())

    return on_close


def wants_stream_events(call_info: Optional[Mapping[str, Any]] = None) -> bool:
    """True when metrics are on (they count chunks) or some logger of the call (module-level or
    per call) overrides ``log_stream_event``."""
    return metrics.metrics_enabled() or _loggers_want_chunks(call_info)


def _loggers_want_chunks(call_info: Optional[Mapping[str, Any]] = None) -> bool:
    for cb in _callback_list("callbacks", call_info):
        method = getattr(type(cb), "log_stream_event", None)
        if method is not None and method is not CustomLogger.log_stream_event:
            return True
    return False


def stream_event(call_info: Dict[str, Any], chunk: Any, start_time: Any, end_time: Any) -> None:
    """One stream chunk handed to the caller: counted for metrics, then ``log_stream_event`` on every
    logger that has it."""
    state = call_info.get(telemetry.STATE_KEY)
    if state is not None:  # kept inline: this runs once per chunk
        if state.chunks == 0:
            state.first_chunk = telemetry.epoch(end_time)
        state.chunks += 1
        if not state.chunk_callbacks:
            return
    loggers = _callback_list("callbacks", call_info)
    if not loggers:
        return
    _call_id(call_info)
    kwargs = _callback_kwargs(call_info, start_time, end_time)
    start, end = _as_datetime(start_time), _as_datetime(end_time)
    for cb in loggers:
        method = getattr(cb, "log_stream_event", None)
        if callable(method):
            _safe(_name(cb) + ".log_stream_event", method, kwargs, chunk, start, end)


def _seconds(start: Any, end: Any) -> float:
    try:
        if isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime):
            return (end - start).total_seconds()
        return float(end) - float(start)
    except (TypeError, ValueError):
        return 0.0
