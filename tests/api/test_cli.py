"""The command line: ``chat`` (streamed, --no-stream, --json, stdin, -v, Ctrl-C, errors), ``models``,
``cost`` and ``providers``; in-process through ``cli.main`` and once as ``python -m litellm_lite``."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from litellm_lite import cli
from litellm_lite.testing import FakeProvider
from tests.server import closed_port

ROOT = Path(__file__).resolve().parents[2]


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(argv: List[str], stdin: str = "", out: Optional[io.StringIO] = None) -> Tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    code = cli.main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _subprocess_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and "PROXY" not in k.upper()}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# -- chat ---------------------------------------------------------------------------------------


def test_chat_fake_streams_the_echo() -> None:
    code, out, err = run(["chat", "--fake", "Hello there"])
    assert code == 0, err
    assert "You said: Hello there" in out
    assert out.endswith("\n")
    assert err == ""


class _RecordingFake(FakeProvider):
    """The CLI's fake provider, kept so a test can look at the requests it received."""

    started: List["_RecordingFake"] = []

    def start(self) -> "_RecordingFake":
        _RecordingFake.started.append(self)
        super().start()
        return self


@pytest.fixture
def cli_fakes(monkeypatch: pytest.MonkeyPatch) -> List[_RecordingFake]:
    import litellm_lite.testing

    _RecordingFake.started = []
    monkeypatch.setattr(litellm_lite.testing, "FakeProvider", _RecordingFake)
    return _RecordingFake.started


FAKE_PATHS = {
    "openai": "/v1/chat/completions",
    "anthropic": "/v1/messages",
    "gemini": "/v1beta/models/fake-model:streamGenerateContent?alt=sse",
}


@pytest.mark.parametrize("fmt", ["openai", "anthropic", "gemini"])
def test_chat_fake_format_streams_through_that_format(cli_fakes: List[_RecordingFake], fmt: str) -> None:
    code, out, err = run(["chat", "--fake", "--fake-format", fmt, "-v", "Hello formats"])
    assert code == 0, err
    assert out == "(fake provider) You said: Hello formats\n"
    assert err.startswith("usage: prompt=") and "cost=unknown" in err
    assert len(cli_fakes) == 1
    sent = cli_fakes[0].requests
    assert [r.path for r in sent] == [FAKE_PATHS[fmt]]
    body = sent[0].json
    if fmt == "anthropic":
        assert body["stream"] is True and body["messages"] == [{"role": "user", "content": "Hello formats"}]
    elif fmt == "gemini":
        assert body["contents"] == [{"role": "user", "parts": [{"text": "Hello formats"}]}]
    else:
        assert body["stream"] is True and body["model"] == "fake-model"


def test_chat_fake_format_default_is_openai(cli_fakes: List[_RecordingFake]) -> None:
    code, _, _ = run(["chat", "--fake", "Hi"])
    assert code == 0
    assert cli_fakes[0].requests[0].path == "/v1/chat/completions"


@pytest.mark.parametrize("fmt", ["anthropic", "gemini"])
def test_chat_fake_format_json_and_no_stream(cli_fakes: List[_RecordingFake], fmt: str) -> None:
    code, out, _ = run(["chat", "--fake", "--fake-format", fmt, "--json", "Hi json"])
    assert code == 0
    data = json.loads(out)
    assert data["choices"][0]["message"]["content"] == "(fake provider) You said: Hi json"
    assert data["choices"][0]["finish_reason"] == "stop"
    if fmt == "anthropic":
        assert data["id"].startswith("msg_")
    code, out, _ = run(["chat", "--fake", "--fake-format", fmt, "--no-stream", "Hi"])
    assert code == 0 and out == "(fake provider) You said: Hi\n"
    sent = cli_fakes[1].requests[0]
    if fmt == "gemini":
        assert sent.path == "/v1beta/models/fake-model:generateContent"
    else:
        assert sent.path == "/v1/messages" and "stream" not in sent.json


def test_chat_fake_format_with_a_model_is_priced(cli_fakes: List[_RecordingFake]) -> None:
    code, out, err = run(["chat", "--fake", "--fake-format", "anthropic", "-m", "claude-sonnet-4-5", "-v", "Hello"])
    assert code == 0
    assert "You said: Hello" in out
    assert "cost=$" in err, err
    assert cli_fakes[0].requests[0].json["model"] == "claude-sonnet-4-5"


def test_chat_fake_format_errors() -> None:
    code, _, err = run(["chat", "--fake-format", "anthropic", "Hello"])
    assert code == 2 and "--fake-format only applies with --fake" in err
    assert cli.main(["chat", "--fake", "--fake-format", "cohere", "Hi"], out=io.StringIO(), err=io.StringIO()) == 2


def test_chat_reads_the_prompt_from_stdin() -> None:
    code, out, _ = run(["chat", "--fake"], stdin="a prompt from stdin\n")
    assert code == 0
    assert "You said: a prompt from stdin" in out


def test_chat_dash_reads_stdin_too() -> None:
    code, out, _ = run(["chat", "--fake", "-"], stdin="dash prompt")
    assert code == 0
    assert "You said: dash prompt" in out


def test_chat_no_stream_prints_the_message() -> None:
    code, out, _ = run(["chat", "--fake", "--no-stream", "Hi"])
    assert code == 0
    assert out.strip() == "(fake provider) You said: Hi"


def test_chat_json_prints_the_full_response() -> None:
    code, out, _ = run(["chat", "--fake", "--json", "Hi json"])
    assert code == 0
    data = json.loads(out)
    assert data["object"] == "chat.completion"
    assert data["choices"][0]["message"]["content"].endswith("You said: Hi json")
    assert data["choices"][0]["finish_reason"] == "stop"
    assert data["usage"]["total_tokens"] >= 2


@pytest.mark.parametrize("mode", [[], ["--no-stream"]])
def test_chat_verbose_prints_usage_and_cost_on_stderr(mode: List[str]) -> None:
    # --fake with -m gpt-4o sends "openai/gpt-4o" to the fake server, so the registry prices it.
    code, out, err = run(["chat", "--fake", "-m", "gpt-4o", "-v"] + mode + ["Hello"])
    assert code == 0
    assert "You said: Hello" in out and "usage:" not in out
    line = err.strip()
    assert line.startswith("usage: prompt=") and "completion=" in line
    assert "cost=$" in line, line


def test_chat_verbose_unknown_price() -> None:
    code, _, err = run(["chat", "--fake", "-v", "Hello"])
    assert code == 0
    assert "usage: prompt=" in err and "cost=unknown" in err


def test_chat_with_system_temperature_and_max_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    with FakeProvider() as fake:
        fake.add_reply("configured")
        code, out, _ = run(
            ["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "--system", "be brief",
             "--temperature", "0.25", "--max-tokens", "7", "--no-stream", "question"]
        )
        body = fake.requests[-1].json
    assert code == 0 and out.strip() == "configured"
    assert body["messages"][0] == {"role": "system", "content": "be brief"}
    assert body["messages"][1]["content"] == "question"
    assert body["temperature"] == 0.25 and body["max_tokens"] == 7
    assert body.get("stream") in (None, False)


def test_chat_stream_asks_for_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    with FakeProvider(chunk_size=2) as fake:
        fake.add_reply("streamed words")
        code, out, _ = run(["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "q"])
        body = fake.requests[-1].json
    assert code == 0 and out == "streamed words\n"
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("tty", [True, False])
def test_reasoning_is_dimmed_only_on_a_tty(monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    sink = TTY() if tty else io.StringIO()
    with FakeProvider() as fake:
        fake.add_reply("the answer", reasoning="thinking hard")
        code, out, _ = run(["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "q"], out=sink)
    assert code == 0
    assert "thinking hard" in out and "the answer" in out
    assert out.index("thinking hard") < out.index("the answer")
    assert ("\033[2m" in out) is tty
    assert ("\033[0m" in out) is tty


def test_reasoning_no_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    with FakeProvider() as fake:
        fake.add_reply("final", reasoning="pondering")
        code, out, _ = run(["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "--no-stream", "q"])
    assert code == 0
    assert out == "pondering\nfinal\n"


def test_tool_calls_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
    with FakeProvider() as fake:
        fake.add_reply(None, tool_calls=[call])
        code, out, _ = run(["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "--no-stream", "q"])
    assert code == 0
    assert '[tool call] get_weather({"city": "Oslo"})' in out


def test_api_error_is_one_clean_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-1234")
    with FakeProvider() as fake:
        fake.add_error(401, "Incorrect API key provided", error_type="invalid_request_error", code="invalid_api_key")
        code, out, err = run(["chat", "-m", "openai/fake-model", "--api-base", fake.api_base, "Hello"])
    assert code == 1
    assert out.strip() == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: AuthenticationError (provider=openai, status=401)")
    assert "Incorrect API key provided" in lines[0]
    assert "sk-secret-value-1234" not in err


def test_missing_key_is_one_clean_line() -> None:
    code, _, err = run(["chat", "-m", "deepseek/deepseek-chat", "Hello"])
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "AuthenticationError" in err and "DEEPSEEK_API_KEY" in err


@pytest.mark.slow
def test_connection_refused_is_one_clean_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    code, _, err = run(["chat", "-m", "openai/x", "--api-base", "http://127.0.0.1:%d/v1" % closed_port(), "Hello"])
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: APIConnectionError")


def test_usage_errors_exit_2() -> None:
    code, _, err = run(["chat", "Hello"])
    assert code == 2 and "-m/--model is required" in err
    code, _, err = run(["chat", "--fake"], stdin="   \n")
    assert code == 2 and "no prompt" in err
    assert run([])[0] == 2


def test_argparse_errors_return_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["chat", "--no-such-flag"], out=io.StringIO(), err=io.StringIO()) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    assert cli.main(["--help"], out=io.StringIO(), err=io.StringIO()) == 0


class _InterruptingOut(io.StringIO):
    """Raises KeyboardInterrupt at the first write after some text was streamed (a Ctrl-C)."""

    def write(self, text: str) -> int:
        if "You said" in self.getvalue():
            raise KeyboardInterrupt
        return super().write(text)


def test_ctrl_c_in_process_stops_the_stream() -> None:
    out = _InterruptingOut()
    code, _, err = run(["chat", "--fake", "Hello " * 50], out=out)
    assert code == 130
    assert err == "interrupted\n"
    assert "You said" in out.getvalue()


def _read_at_least(proc: "subprocess.Popen[bytes]", count: int, timeout: float) -> bytes:
    """The first ``count`` bytes of the child's stdout (fewer at EOF), waiting at most ``timeout`` s."""
    import selectors

    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    got = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while len(got) < count:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                break
            piece = os.read(fd, count - len(got))
            if not piece:
                break
            got += piece
    return got


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to a child is POSIX-only here")
def test_ctrl_c_in_a_real_process() -> None:
    # The reply takes 100 s to stream: the child cannot finish before the signal, however busy the
    # machine. Readiness is the stream's first bytes on the child's stdout, not a sleep.
    with FakeProvider(chunk_size=1, delay=0.05) as fake:
        fake.add_reply("x" * 2000)
        env = _subprocess_env()
        env["OPENAI_API_KEY"] = "sk-test-cli"
        # A test runner started in the background (CI, `cmd &`) ignores SIGINT, and an ignored signal
        # stays ignored in its children: give the child a terminal's disposition, as a user has.
        # (exec resets a handled signal to SIG_DFL, which Python turns into KeyboardInterrupt.)
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "litellm_lite", "chat", "-m", "openai/fake-model", "--api-base", fake.api_base,
                 "go"],
                cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
        finally:
            signal.signal(signal.SIGINT, previous)
        try:
            first = _read_at_least(proc, 3, timeout=120)
            assert first == b"xxx", "the child did not start streaming: %r" % (proc.stderr.read() if proc.poll() is not None and proc.stderr else b"")
            proc.send_signal(signal.SIGINT)
            rest, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 130, err
    assert err.decode().strip() == "interrupted"
    assert len(first + rest) < 2000  # it stopped before the end


@pytest.mark.slow
def test_python_m_litellm_lite_chat_fake() -> None:
    """The main-job command from README.rst, as a new user types it."""
    proc = subprocess.run(
        [sys.executable, "-m", "litellm_lite", "chat", "--fake", "Hello"],
        cwd=str(ROOT), env=_subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "(fake provider) You said: Hello" in proc.stdout.decode()
    assert b"Traceback" not in proc.stderr


# -- models -------------------------------------------------------------------------------------


def _table_rows(out: str) -> List[List[str]]:
    lines = out.strip().splitlines()
    assert lines[0].split()[:2] == ["model", "provider"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    return [line.split() for line in lines[2:]]


def test_models_by_provider() -> None:
    code, out, _ = run(["models", "--provider", "anthropic"])
    assert code == 0
    rows = _table_rows(out)
    assert len(rows) > 3
    assert {row[1] for row in rows} == {"anthropic"}
    assert any(row[0] == "claude-sonnet-4-5" for row in rows)


def test_models_row_content_matches_the_registry() -> None:
    from litellm_lite.registry import get_model_info

    code, out, _ = run(["models", "--search", "claude-sonnet-4-5", "--provider", "anthropic"])
    assert code == 0
    row = next(r for r in _table_rows(out) if r[0] == "claude-sonnet-4-5")
    info = get_model_info("claude-sonnet-4-5")
    assert row[2] == "{:,}".format(info["max_input_tokens"])
    assert float(row[3]) == pytest.approx(info["input_cost_per_token"] * 1e6)
    assert float(row[4]) == pytest.approx(info["output_cost_per_token"] * 1e6)
    assert ("tools" in row[5]) is bool(info["supports_function_calling"])


def test_models_by_feature_and_search() -> None:
    code, out, _ = run(["models", "--feature", "reasoning", "--search", "gemini flash"])
    assert code == 0
    rows = _table_rows(out)
    assert rows
    for row in rows:
        assert "gemini" in row[0] and "flash" in row[0]
        assert "reasoning" in row[5]


def test_models_embeddings_feature() -> None:
    code, out, _ = run(["models", "--feature", "embeddings", "--provider", "openai"])
    assert code == 0
    rows = _table_rows(out)
    assert rows and all("embedding" in row[5] for row in rows)


def test_models_json_and_limit() -> None:
    code, out, err = run(["models", "--provider", "openai", "--limit", "2", "--json"])
    assert code == 0
    data = json.loads(out)
    assert len(data) == 2
    assert {"model", "provider", "max_input_tokens", "input_cost_per_million", "features"} <= set(data[0])
    code, out, err = run(["models", "--provider", "openai", "--limit", "2"])
    assert len(_table_rows(out)) == 2
    assert "2 of" in err


def test_models_no_match_and_bad_feature() -> None:
    code, out, err = run(["models", "--search", "no-such-model-anywhere-xyz"])
    assert code == 1 and out == "" and "no model matches" in err
    code, out, err = run(["models", "--feature", "teleportation"])
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "unknown feature" in err


# -- cost ---------------------------------------------------------------------------------------


def test_cost_matches_cost_per_token() -> None:
    from litellm_lite.cost import cost_per_token

    code, out, _ = run(["cost", "-m", "claude-sonnet-4-5", "--input", "3000", "--output", "200", "--cached", "1000"])
    assert code == 0
    p, c = cost_per_token("claude-sonnet-4-5", prompt_tokens=3000, completion_tokens=200, cache_read_input_tokens=1000)
    assert "total:       $%.6f" % (p + c) in out
    assert "$%.6f" % p in out and "$%.6f" % c in out
    assert "1,000 cache reads" in out


def test_cost_json() -> None:
    code, out, _ = run(["cost", "-m", "gpt-4o", "--input", "1000000", "--output", "0", "--json"])
    assert code == 0
    data = json.loads(out)
    from litellm_lite.registry import get_model_info

    assert data["total_cost"] == pytest.approx(get_model_info("gpt-4o")["input_cost_per_token"] * 1e6)
    assert data["prompt_tokens"] == 1000000 and data["completion_tokens"] == 0


def test_cost_errors() -> None:
    code, out, err = run(["cost", "-m", "no-such-model-xyz", "--input", "1", "--output", "1"])
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "NotFoundError" in err
    code, _, err = run(["cost", "-m", "gpt-4o", "--input", "-1", "--output", "1"])
    assert code == 1 and "must not be negative" in err
    code, _, err = run(["cost", "-m", "gpt-4o", "--input", "10", "--output", "1", "--cached", "11"])
    assert code == 1 and "cannot exceed" in err
    assert cli.main(["cost", "--input", "1"], out=io.StringIO(), err=io.StringIO()) == 2  # -m missing


# -- providers ----------------------------------------------------------------------------------


def test_providers_table_never_prints_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-very-secret-deepseek")
    code, out, err = run(["providers"])
    assert code == 0
    assert "sk-very-secret-deepseek" not in out + err
    lines = {line.split()[0]: line for line in out.strip().splitlines()[2:]}
    from litellm_lite.providers import PROVIDERS

    assert set(lines) == {name + "/" for name in PROVIDERS}
    assert "DEEPSEEK_API_KEY" in lines["deepseek/"] and "DEEPSEEK_API_BASE" in lines["deepseek/"]
    assert lines["deepseek/"].endswith("yes (DEEPSEEK_API_KEY)")
    assert lines["groq/"].endswith("no")
    assert lines["lm_studio/"].endswith("not needed")


def test_providers_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-secret")
    code, out, _ = run(["providers", "--json"])
    assert code == 0 and "AIza-secret" not in out
    rows = {row["provider"]: row for row in json.loads(out)}
    assert rows["gemini"]["key_set"] == "yes (GOOGLE_API_KEY)"
    assert rows["gemini"]["prefix"] == "gemini/"
    assert rows["anthropic"]["key_env"] == "ANTHROPIC_API_KEY"
    assert rows["bedrock"]["key_set"].startswith("no")


def test_extra_commands_are_registered_once() -> None:
    from litellm_lite import cli_commands

    cli._load_extra_commands()
    cli._load_extra_commands()
    for fn in (cli_commands.add_models_command, cli_commands.add_cost_command, cli_commands.add_providers_command):
        assert cli._EXTRA_COMMANDS.count(fn) == 1


def test_format_table_aligns() -> None:
    from litellm_lite.cli_commands import format_table

    text = format_table(["a", "num"], [["long-name", "1"], ["x", "123"]], right=(1,))
    lines = text.splitlines()
    assert lines[0] == "a          num"
    assert lines[2] == "long-name    1"
    assert lines[3] == "x          123"


@pytest.mark.slow
def test_subprocess_models_runs_offline() -> None:
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "litellm_lite", "models", "--provider", "deepseek"],
        cwd=str(ROOT), env=_subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "deepseek-chat" in proc.stdout.decode()
    assert time.monotonic() - start < 30


@pytest.mark.slow
@pytest.mark.parametrize("argv_prompt", [b"\xff", b"caf\xe9 latin-1", b"ok \xed\xa0\x80 surrogate bytes"])
def test_prompt_that_is_not_utf8_is_a_one_line_error(argv_prompt: bytes) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "litellm_lite", "chat", "--fake", argv_prompt],
        cwd=str(ROOT), env=_subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert "not valid UTF-8" in err and proc.stdout == b""


def test_system_prompt_that_is_not_utf8_is_refused_in_process() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["chat", "--fake", "--system", "sys \udcff", "hello"], out=out, err=err, stdin=io.StringIO())
    assert code == 2 and "the system prompt is not valid UTF-8 (byte 0xff at character 4)" in err.getvalue()
    assert out.getvalue() == ""
