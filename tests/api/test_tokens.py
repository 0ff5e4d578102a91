"""token_counter: the tokenizer-free estimate, the optional tiktoken path, and the benchmark."""

from __future__ import annotations

import importlib.util
import io
import sys
import types
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CASSETTES
from tests.conftest import examples

from litellm_lite import tokens
from litellm_lite.exceptions import BadRequestError
from litellm_lite.tokens import estimate_text_tokens, token_counter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the estimate path, whether or not tiktoken happens to be installed."""
    monkeypatch.setitem(sys.modules, "tiktoken", None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 0),
        ("hello", 1),
        ("Hello, world!", 4),  # Hello , world !
        ("internationalization", 3),  # 20 letters / 6
        ("123456", 2),  # digits: one token per 3
        ("1234567", 3),
        ('{"a":', 3),  # {"  a  ":  -> symbol runs count one token per 2 characters
        ("日本語", 3),  # wide-script characters: one each
        ("café", 2),  # non-ASCII word: one per 3 characters
        ("snake_case", 3),
    ],
)
def test_estimate_text(text: str, expected: int) -> None:
    assert estimate_text_tokens(text) == expected


@settings(max_examples=examples(60), deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_estimate_is_additive_over_whitespace(a: str, b: str) -> None:
    assert estimate_text_tokens(a + " " + b) == estimate_text_tokens(a) + estimate_text_tokens(b)
    assert estimate_text_tokens(a) >= 0


def test_messages_add_chat_overhead() -> None:
    text = "What is the capital of France?"
    one = [{"role": "user", "content": text}]
    expected = tokens.TOKENS_PER_MESSAGE + estimate_text_tokens("user") + estimate_text_tokens(text) + tokens.REPLY_PRIMING_TOKENS
    assert token_counter(model="gpt-4o", messages=one) == expected
    two = one + [{"role": "assistant", "content": "Paris", "name": "bot"}]
    extra = tokens.TOKENS_PER_MESSAGE + estimate_text_tokens("assistant") + 1 + (1 + tokens.TOKENS_PER_NAME)
    assert token_counter(messages=two) == expected + extra
    assert token_counter(messages=one, count_response_tokens=True) == expected - tokens.REPLY_PRIMING_TOKENS


def test_parts_tool_calls_and_tools() -> None:
    parts = [{"role": "user", "content": [
        {"type": "text", "text": "describe"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]}]
    base = tokens.TOKENS_PER_MESSAGE + 1 + 1 + tokens.REPLY_PRIMING_TOKENS
    assert token_counter(messages=parts) == base + tokens.IMAGE_TOKENS
    call = [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]}]
    with_call = token_counter(messages=call)
    assert with_call == (tokens.TOKENS_PER_MESSAGE + estimate_text_tokens("assistant") + estimate_text_tokens("get_weather")
                         + estimate_text_tokens('{"city": "Paris"}') + tokens.REPLY_PRIMING_TOKENS)
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    assert token_counter(messages=call, tools=tools) > with_call


def test_text_and_errors() -> None:
    assert token_counter(text="hello world") == 2
    assert token_counter(model="claude-sonnet-4-5", text="") == 0
    with pytest.raises(BadRequestError):
        token_counter(model="gpt-4o")
    with pytest.raises(BadRequestError):
        token_counter(messages="hi")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError):
        token_counter(messages=["hi"])  # type: ignore[list-item]
    with pytest.raises(BadRequestError):
        token_counter(text=5)  # type: ignore[arg-type]


def test_uses_tiktoken_when_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: List[str] = []

    class FakeEncoding:
        def encode(self, text: str, disallowed_special: Any = ()) -> List[int]:
            return [ord(c) for c in text]  # one "token" per character

    fake = types.ModuleType("tiktoken")

    def encoding_for_model(name: str) -> FakeEncoding:
        seen.append(name)
        if name != "gpt-4o":
            raise KeyError(name)
        return FakeEncoding()

    def get_encoding(name: str) -> FakeEncoding:
        seen.append("base:" + name)
        return FakeEncoding()

    fake.encoding_for_model = encoding_for_model  # type: ignore[attr-defined]
    fake.get_encoding = get_encoding  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", fake)
    assert token_counter(model="openai/gpt-4o", text="abcdefgh") == 8
    assert token_counter(model="claude-sonnet-4-5", text="abc") == 3
    assert seen == ["gpt-4o", "claude-sonnet-4-5", "base:cl100k_base"]


def test_falls_back_when_tiktoken_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = types.ModuleType("tiktoken")

    def fail(name: str) -> Any:
        raise OSError("no network to fetch the encoding")

    broken.encoding_for_model = fail  # type: ignore[attr-defined]
    broken.get_encoding = fail  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", broken)
    assert token_counter(model="gpt-4o", text="hello world") == 2


def test_benchmark_against_recorded_usage() -> None:
    if not CASSETTES.is_dir():
        pytest.skip("../shared/cassettes not found (the recordings live next to the repository)")
    spec = importlib.util.spec_from_file_location("token_estimate", ROOT / "benchmarks" / "token_estimate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with redirect_stdout(out):
        assert module.main(["token_estimate.py", str(CASSETTES)]) == 0
    report = out.getvalue()
    assert "provider" in report.splitlines()[0]
    summary = [line for line in report.splitlines() if line.startswith("recordings:")][0]
    count = int(summary.split()[1])
    ours = float(summary.split("MAPE estimate:")[1].split("%")[0])
    floor = float(summary.split("MAPE chars/4 floor:")[1].split("%")[0])
    assert count >= 20
    assert ours < floor  # the estimate beats the naive chars/4 floor on real usage figures
    assert ours < 80.0
