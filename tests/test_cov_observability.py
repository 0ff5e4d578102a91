"""Observability: logging setup corners, redaction limits, odd callback settings, time helpers."""

from __future__ import annotations

import datetime
import logging
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite
from litellm_lite import observability
from litellm_lite.exceptions import register_secret
from litellm_lite.observability import CustomLogger, redact_kwargs

SECRET = "sk-covobs-SECRET-abcdef0123456789"


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(litellm_lite, "callbacks", [], raising=False)
    monkeypatch.setattr(litellm_lite, "success_callback", [], raising=False)
    monkeypatch.setattr(litellm_lite, "failure_callback", [], raising=False)
    yield


@pytest.fixture
def fresh_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    lg = logging.getLogger("litellm_lite")
    old_level = lg.level
    old_handlers = list(lg.handlers)
    monkeypatch.setattr(observability, "_configured", False)
    monkeypatch.setattr(observability, "_handler", None)
    monkeypatch.delenv("LITELLM_LITE_LOG", raising=False)
    yield lg
    for handler in list(lg.handlers):
        if handler not in old_handlers:
            lg.removeHandler(handler)
    lg.setLevel(old_level)


def test_set_verbose_turns_on_debug_logging(fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_lite, "set_verbose", True, raising=False)
    handler = observability.configure_logging()
    assert handler is not None and handler.level == logging.DEBUG
    assert handler in fresh_logging.handlers


def test_unknown_level_name_configures_nothing(fresh_logging: logging.Logger) -> None:
    before = list(fresh_logging.handlers)
    assert observability.configure_logging("LOUD") is None
    assert fresh_logging.handlers == before
    assert observability._configured is True  # not retried on every call


def test_redaction_of_tuples_non_string_keys_and_deep_nesting() -> None:
    register_secret(SECRET)
    deep: Any = "leaf"
    for _ in range(30):
        deep = {"k": deep}
    out = redact_kwargs({1: "one", "t": ("a", "key=" + SECRET), "deep": deep})
    assert out[1] == "one"
    assert out["t"] == ("a", "key=***")
    level = out["deep"]
    depth = 0
    while isinstance(level, dict):
        level = level["k"]
        depth += 1
    assert level == "..." and depth < 30  # cut off instead of recursing without bound


def test_single_callback_values_and_non_callables(caplog: pytest.LogCaptureFixture) -> None:
    seen: List[str] = []

    class One(CustomLogger):
        def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
            seen.append("logger")

    litellm_lite.callbacks = One()  # a single logger, not a list
    litellm_lite.success_callback = ["not callable", lambda *a: seen.append("fn")]
    litellm_lite.failure_callback = [42]
    info = {"model": "m", "provider": "openai", "messages": [], "stream": False}
    with caplog.at_level(logging.DEBUG, logger="litellm_lite"):
        observability.success(info, object(), 1.0, 2.0)
        observability.failure(dict(info), RuntimeError("x"), 1.0, 2.0)
    assert seen == ["logger", "fn"]
    assert "success_callback entry 'not callable' is not callable" in caplog.text
    assert "failure_callback entry 42 is not callable" in caplog.text


def test_response_cost_is_none_without_hidden_params() -> None:
    got: List[Dict[str, Any]] = []
    litellm_lite.success_callback = [lambda kwargs, *rest: got.append(kwargs)]
    observability.success({"model": "m", "provider": "p", "messages": []}, "plain string response", 1.0, 2.0)
    assert got[0]["response_cost"] is None


def test_datetime_times_pass_through() -> None:
    got: List[Any] = []
    litellm_lite.success_callback = [lambda kwargs, response, start, end: got.append((start, end, kwargs))]
    start = datetime.datetime(2024, 1, 1, 12, 0, 0)
    end = start + datetime.timedelta(seconds=2)
    observability.success({"model": "m", "provider": "p", "messages": []}, None, start, end)
    assert got[0][0] is start and got[0][1] is end
    assert got[0][2]["end_time"] is end
    assert observability._seconds(start, end) == 2.0
    assert observability._seconds("a", None) == 0.0


def test_raising_callback_logs_a_redacted_traceback_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    register_secret(SECRET)

    def boom(*args: Any) -> None:
        raise RuntimeError("failed with " + SECRET)

    litellm_lite.success_callback = [boom]
    with caplog.at_level(logging.DEBUG, logger="litellm_lite"):
        observability.success({"model": "m", "provider": "p", "messages": []}, None, 1.0, 2.0)
    assert "callback traceback" in caplog.text and "RuntimeError" in caplog.text
    assert SECRET not in caplog.text


def test_debug_dump_of_an_unserialisable_response_falls_back_to_repr(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(litellm_lite, "log_bodies", True)  # response bodies are dumped only when asked

    class Weird:
        def to_dict(self) -> Any:
            raise ValueError("cannot")

        def __repr__(self) -> str:
            return "<Weird response>"

    with caplog.at_level(logging.DEBUG, logger="litellm_lite"):
        observability.success({"model": "m", "provider": "p", "messages": []}, Weird(), 1.0, 2.0)
    assert "<Weird response>" in caplog.text


def test_stream_event_without_loggers_does_nothing() -> None:
    info: Dict[str, Any] = {"model": "m", "provider": "p", "messages": []}
    observability.stream_event(info, "chunk", 1.0, 2.0)
    assert "litellm_call_id" not in info  # no observer: no id minted
