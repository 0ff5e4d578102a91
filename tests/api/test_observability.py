"""Callbacks (CustomLogger, success_callback, failure_callback), redaction and logging setup."""

from __future__ import annotations

import datetime
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import litellm_lite
from litellm_lite import observability
from litellm_lite.exceptions import RateLimitError
from litellm_lite.observability import CustomLogger, redact_kwargs
from litellm_lite.testing import FakeProvider
from litellm_lite.exceptions import register_secret

SECRET = "sk-obs-test-SECRETVALUE-0123456789"
MESSAGES = [{"role": "user", "content": "hello callbacks"}]


@pytest.fixture(autouse=True)
def _clean_callbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_lite, "callbacks", [], raising=False)
    monkeypatch.setattr(litellm_lite, "success_callback", [], raising=False)
    monkeypatch.setattr(litellm_lite, "failure_callback", [], raising=False)


def _call_kwargs(fake: FakeProvider, **extra: Any) -> Dict[str, Any]:
    kwargs = fake.kwargs()
    kwargs["api_key"] = SECRET
    kwargs["num_retries"] = 0
    kwargs.update(extra)
    return kwargs


class Recorder(CustomLogger):
    def __init__(self) -> None:
        self.events: List[Tuple[str, Any, Any]] = []

    def log_pre_api_call(self, model: str, messages: Any, kwargs: Dict[str, Any]) -> None:
        self.events.append(("pre", model, kwargs))

    def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("success", kwargs, (response_obj, start_time, end_time)))

    def log_failure_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("failure", kwargs, (response_obj, start_time, end_time)))


class Exploding(CustomLogger):
    def log_pre_api_call(self, model: str, messages: Any, kwargs: Dict[str, Any]) -> None:
        raise RuntimeError("pre boom")

    def log_success_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        raise RuntimeError("success boom")

    def log_failure_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
        raise RuntimeError("failure boom")


def _contains(value: Any, needle: str) -> bool:
    """True when ``needle`` occurs anywhere in a nested structure (keys, values, reprs)."""
    if isinstance(value, dict):
        return any(_contains(k, needle) or _contains(v, needle) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_contains(v, needle) for v in value)
    return needle in repr(value)


def test_logger_and_success_callback_see_the_call(fake: FakeProvider) -> None:
    recorder = Recorder()
    seen: List[Tuple[Dict[str, Any], Any, Any, Any]] = []
    litellm_lite.callbacks = [recorder]
    litellm_lite.success_callback = [lambda kw, resp, start, end: seen.append((kw, resp, start, end))]

    response = litellm_lite.completion(messages=MESSAGES, temperature=0.5, metadata={"run": "r1"}, **_call_kwargs(fake))

    assert response.choices[0].message.content == "hello callbacks"
    assert [e[0] for e in recorder.events] == ["pre", "success"]
    assert recorder.events[0][1] == "fake-model"
    kwargs, (resp, start, end) = recorder.events[1][1], recorder.events[1][2]
    assert resp is response
    assert kwargs["model"] == "fake-model"
    assert kwargs["custom_llm_provider"] == "openai"
    assert kwargs["messages"] == MESSAGES
    assert kwargs["optional_params"]["temperature"] == 0.5
    assert kwargs["metadata"] == {"run": "r1"}
    assert isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime)
    assert end >= start
    assert len(seen) == 1 and seen[0][1] is response
    # pre and success events of one call share the call id
    assert recorder.events[0][2]["litellm_call_id"] == kwargs["litellm_call_id"]


def test_raising_callbacks_never_break_the_call(fake: FakeProvider, caplog: pytest.LogCaptureFixture) -> None:
    after: List[str] = []

    def bad_fn(kw: Any, resp: Any, start: Any, end: Any) -> None:
        raise ValueError("function boom")

    litellm_lite.callbacks = [Exploding()]
    litellm_lite.success_callback = [bad_fn, lambda *a: after.append("ran")]
    litellm_lite.failure_callback = [bad_fn]
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        response = litellm_lite.completion(messages=MESSAGES, **_call_kwargs(fake))
        assert response.choices[0].message.content == "hello callbacks"
        fake.add_error(429, "slow down", error_type="rate_limit_error")
        with pytest.raises(RateLimitError):
            litellm_lite.completion(messages=MESSAGES, **_call_kwargs(fake))
    assert after == ["ran"]  # a later callback still runs after an earlier one raised
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    for marker in ("pre boom", "success boom", "failure boom", "function boom"):
        assert marker in text


def test_failure_callback_gets_the_exception(fake: FakeProvider) -> None:
    recorder = Recorder()
    failures: List[Tuple[Dict[str, Any], Any]] = []
    litellm_lite.callbacks = [recorder]
    litellm_lite.failure_callback = [lambda kw, exc, start, end: failures.append((kw, exc))]
    fake.add_error(429, "rate limited, try later", error_type="rate_limit_error")

    with pytest.raises(RateLimitError) as info:
        litellm_lite.completion(messages=MESSAGES, **_call_kwargs(fake))

    assert len(failures) == 1
    kw, exc = failures[0]
    assert exc is info.value
    assert kw["exception"] is info.value
    assert "RateLimitError" in kw["traceback_exception"]
    assert [e[0] for e in recorder.events] == ["pre", "failure"]
    assert recorder.events[1][2][0] is info.value


@pytest.mark.parametrize("log_bodies", [False, True])
def test_secrets_never_reach_callbacks_or_logs(
    fake: FakeProvider, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, log_bodies: bool
) -> None:
    monkeypatch.setattr(litellm_lite, "log_bodies", log_bodies)
    recorder = Recorder()
    captured: List[Any] = []
    litellm_lite.callbacks = [recorder]
    litellm_lite.success_callback = [lambda *a: captured.append(a)]
    litellm_lite.failure_callback = [lambda *a: captured.append(a)]
    metadata = {"api_key": SECRET, "headers": {"Authorization": "Bearer " + SECRET}, "note": "keep me"}
    with caplog.at_level(logging.DEBUG, logger="litellm_lite"):
        litellm_lite.completion(messages=MESSAGES, metadata=metadata, **_call_kwargs(fake))
        fake.add_error(500, "upstream failed for key %s" % SECRET, error_type="server_error")
        with pytest.raises(litellm_lite.InternalServerError):
            litellm_lite.completion(messages=MESSAGES, metadata=metadata, **_call_kwargs(fake))

    # the key was sent to the provider, so the test is meaningful
    assert fake.requests[0].headers["authorization"] == "Bearer " + SECRET
    assert len(captured) == 2 and len(recorder.events) == 4
    for event in recorder.events:
        assert not _contains(event[1], SECRET) and not _contains(event[2], SECRET)
    for args in captured:
        assert not _contains(args[0], SECRET)
        assert "api_key" not in args[0]
        assert args[0]["metadata"] == {"headers": {}, "note": "keep me"}
    logged = "\n".join(r.getMessage() for r in caplog.records)
    # bodies are logged at DEBUG only with log_bodies (the request dump, the attempt lines, the response dump)...
    assert ("hello callbacks" in logged) is log_bodies
    assert ('"type": "server_error"' in logged) is log_bodies  # the error response body
    assert ("request_body=" in logged) is log_bodies
    assert "request openai/fake-model" in logged and "response openai/fake-model" in logged
    assert SECRET not in logged  # ...keys never
    assert SECRET not in caplog.text


def test_stream_success_fires_once_stream_is_read(fake: FakeProvider) -> None:
    recorder = Recorder()
    litellm_lite.callbacks = [recorder]
    fake.add_reply("streamed words here")
    stream = litellm_lite.completion(messages=MESSAGES, stream=True, **_call_kwargs(fake))
    assert [e[0] for e in recorder.events] == ["pre"]
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text == "streamed words here"
    assert [e[0] for e in recorder.events] == ["pre", "success"]
    built = recorder.events[1][2][0]
    assert built.choices[0].message.content == "streamed words here"
    assert recorder.events[1][1]["stream"] is True


def test_stream_event_hook_and_detection() -> None:
    class Streamer(CustomLogger):
        def __init__(self) -> None:
            self.chunks: List[Any] = []

        def log_stream_event(self, kwargs: Dict[str, Any], response_obj: Any, start_time: Any, end_time: Any) -> None:
            self.chunks.append((kwargs["model"], response_obj))

    assert observability.wants_stream_events() is False
    litellm_lite.callbacks = [Recorder()]
    assert observability.wants_stream_events() is False
    streamer = Streamer()
    litellm_lite.callbacks = [Recorder(), streamer]
    assert observability.wants_stream_events() is True
    info = {"model": "m", "provider": "openai", "messages": [], "stream": True, "api_key": SECRET}
    observability.stream_event(info, "chunk-1", 1.0, 2.0)
    assert streamer.chunks == [("m", "chunk-1")]


def test_redact_kwargs_drops_every_credential() -> None:
    data = {
        "api_key": SECRET,
        "aws_secret_access_key": "abc/def+ghi",
        "aws_session_token": "tok",
        "azure_ad_token": "ad",
        "vertex_credentials": {"private_key": "pk"},
        "extra_headers": {"Authorization": "Bearer x", "X-Api-Key": "y", "api-key": "z", "X-Trace": "t1"},
        "messages": [{"role": "user", "content": "my key is %s" % SECRET}],
        "temperature": 0.1,
        "max_tokens": 5,
    }
    out = redact_kwargs(data)
    assert set(out) == {"extra_headers", "messages", "temperature", "max_tokens"}
    assert out["extra_headers"] == {"X-Trace": "t1"}
    assert SECRET not in repr(out)
    assert data["api_key"] == SECRET  # the input is not modified


@pytest.mark.slow
def test_no_handler_at_import_even_with_env() -> None:
    env = dict(os.environ, LITELLM_LITE_LOG="DEBUG")
    code = (
        "import logging, litellm_lite, litellm_lite.observability as o\n"
        "lg = logging.getLogger('litellm_lite')\n"
        "before = len(lg.handlers)\n"
        "o.pre_call({'model': 'm', 'provider': 'p', 'messages': [], 'stream': False})\n"
        "print(before, len(lg.handlers), lg.level)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=str(root), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    before, after, level = out.stdout.split()
    assert before == "0" and after == "1" and int(level) == logging.DEBUG
    assert "request p/m" in out.stderr  # the stderr handler printed the DEBUG request line


def test_configure_logging_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lg = logging.getLogger("litellm_lite")
    monkeypatch.setattr(observability, "_configured", False)
    monkeypatch.setattr(observability, "_handler", None)
    monkeypatch.setenv("LITELLM_LITE_LOG", "INFO")
    old_level = lg.level
    handler = observability.configure_logging()
    try:
        assert handler is not None and handler in lg.handlers
        assert observability.configure_logging() is handler
        assert lg.handlers.count(handler) == 1
        assert handler.level == logging.INFO
    finally:
        if handler is not None:
            lg.removeHandler(handler)
        lg.setLevel(old_level)


# -- more cases (formerly test_cov_observability.py: Observability: logging setup corners, redaction limits,


SECRET_2 = "sk-covobs-SECRET_2-abcdef0123456789"


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
    register_secret(SECRET_2)
    deep: Any = "leaf"
    for _ in range(30):
        deep = {"k": deep}
    out = redact_kwargs({1: "one", "t": ("a", "key=" + SECRET_2), "deep": deep})
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
    register_secret(SECRET_2)

    def boom(*args: Any) -> None:
        raise RuntimeError("failed with " + SECRET_2)

    litellm_lite.success_callback = [boom]
    with caplog.at_level(logging.DEBUG, logger="litellm_lite"):
        observability.success({"model": "m", "provider": "p", "messages": []}, None, 1.0, 2.0)
    assert "callback traceback" in caplog.text and "RuntimeError" in caplog.text
    assert SECRET_2 not in caplog.text


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
