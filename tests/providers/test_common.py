"""providers/_common.py: the shapes every adapter shares, and the size gate of tools/check.sh."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS, get_adapter
from litellm_lite.providers._common import (
    CallContext,
    ReplyParts,
    ToolIndex,
    add_turn,
    as_int,
    block_key,
    copy_params,
    event_object,
    json_headers,
    merge_extra_body,
    parse_arguments,
    parse_data_url,
    payload_error,
    reject_param,
    reject_params,
    stream_cut,
)
from litellm_lite.providers.base import ChatRequest, ProviderSpec, StreamState
from litellm_lite.providers.base import reject_param as reject_param_from_base
from litellm_lite.types import ChatCompletionMessageToolCall, Function

ROOT = Path(__file__).resolve().parents[2]


def cfg(drop: bool = False, **kwargs: Any) -> CallConfig:
    spec = kwargs.pop("spec", PROVIDERS["cohere"])
    return CallConfig(provider=spec.name, model="m-1", spec=spec, api_key="k", api_base="http://x",
                      drop_params=drop, **kwargs)


# -- data URLs -------------------------------------------------------------------------------------


def test_data_url_base64_payload_loses_whitespace_and_keeps_its_media_type() -> None:
    parsed = parse_data_url("data:Image/PNG;Base64,aGVs\nbG8=  ")
    assert parsed is not None
    assert parsed.media_type == "Image/PNG"
    assert parsed.params == ("base64",)
    assert parsed.is_base64
    assert parsed.base64() == "aGVsbG8="


def test_data_url_without_base64_is_percent_decoded_then_encoded() -> None:
    parsed = parse_data_url("data:text/plain;charset=utf-8,h%C3%A9llo,world")
    assert parsed is not None
    assert not parsed.is_base64
    assert parsed.params == ("charset=utf-8",)
    assert parsed.payload == "h%C3%A9llo,world"  # only the first comma separates
    import base64

    assert base64.b64decode(parsed.base64()).decode("utf-8") == "héllo,world"


@pytest.mark.parametrize("url", ["http://x/a.png", "data:image/png;base64", "", "data"])
def test_not_a_data_url(url: str) -> None:
    assert parse_data_url(url) is None


# -- tool-call indexes and block keys ---------------------------------------------------------


def test_tool_index_numbers_blocks_in_order_of_first_sight() -> None:
    tools = ToolIndex()
    assert not tools
    assert tools.start(3) == 0
    assert tools.start("b") == 1
    assert tools.get(3) == 0 and tools.get(9) is None
    assert tools.index(9) == 2  # a fragment without its start gets a call of its own
    assert tools.index(3) == 0
    assert tools.start(3) == 3  # a restarted block is a new call
    assert tools and tools.count == 4


def test_block_key_turns_garbage_into_a_hashable_key() -> None:
    assert block_key({"index": 2}, "index") == 2
    assert block_key({}, "index", 0) == 0
    assert block_key({}, "contentBlockIndex") is None
    key = block_key({"index": [1, {"a": 2}]}, "index")
    assert key == repr([1, {"a": 2}])
    assert {key: 1}[key] == 1


# -- turns, headers, parameters ---------------------------------------------------------------


def test_add_turn_merges_same_role_and_skips_empty() -> None:
    turns: List[Dict[str, Any]] = []
    add_turn(turns, "user", [{"text": "a"}])
    add_turn(turns, "user", [{"text": "b"}])
    add_turn(turns, "model", [], key="content")
    add_turn(turns, "assistant", [{"text": "c"}])
    assert turns == [{"role": "user", "content": [{"text": "a"}, {"text": "b"}]},
                     {"role": "assistant", "content": [{"text": "c"}]}]
    add_turn(turns, "user", [], keep_empty=True)
    assert turns[-1] == {"role": "user", "content": []}
    parts: List[Dict[str, Any]] = []
    first = [{"text": "x"}]
    add_turn(parts, "user", first, key="parts")
    first.append({"text": "not shared"})
    assert parts == [{"role": "user", "parts": [{"text": "x"}]}]


def test_json_headers_let_the_caller_override_whatever_the_case() -> None:
    spec = ProviderSpec(name="acme", headers=(("X-Team", "a"), ("Accept", "text/plain")))
    config = cfg(spec=spec, extra_headers={"Content-Type": "application/x-custom", "x-team": "b"})
    headers = json_headers(config, "application/json", {"authorization": "Bearer k"})
    assert headers == {"Content-Type": "application/x-custom", "authorization": "Bearer k",
                       "Accept": "text/plain", "x-team": "b"}
    assert json_headers(cfg()) == {"content-type": "application/json"}


def test_reject_params_raise_unless_dropped_or_harmless() -> None:
    ctx = CallContext(cfg())
    with pytest.raises(UnsupportedParamsError, match="'seed'.*drop_params=True"):
        reject_params({"seed": 1}, ("seed",), ctx)
    reject_params({"store": False}, ("store",), ctx, {"store": False})
    with pytest.raises(UnsupportedParamsError, match="'store'"):
        reject_params({"store": True}, ("store",), ctx, {"store": False})
    reject_params({"seed": 1}, ("seed",), CallContext(cfg(drop=True)))
    with pytest.raises(UnsupportedParamsError, match="cohere does not support parameter 'user' here"):
        reject_param("user", cfg(), " here")
    assert reject_param_from_base is reject_param
    reject_param("user", cfg(drop=True))


def test_call_context_names_the_call() -> None:
    ctx = CallContext(cfg(), wire_model="wire-id")
    assert (ctx.provider, ctx.model, ctx.wire_model, ctx.drop) == ("cohere", "m-1", "wire-id", False)
    err = ctx.bad("nope")
    assert isinstance(err, BadRequestError) and err.llm_provider == "cohere" and err.model == "m-1"
    assert CallContext(cfg(), model="other").model == "other"


def test_copy_params_and_merge_extra_body() -> None:
    out: Dict[str, Any] = {}
    copy_params({"top_p": 0.5, "seed": None}, (("top_p", "topP"), ("seed", "seed"), ("n", "candidateCount")), out)
    assert out == {"topP": 0.5, "seed": None}
    body: Dict[str, Any] = {"inferenceConfig": {"maxTokens": 5}, "a": 1}
    merge_extra_body(body, {"inferenceConfig": {"topK": 3}, "a": {"b": 2}, "c": [1]})
    assert body == {"inferenceConfig": {"maxTokens": 5, "topK": 3}, "a": {"b": 2}, "c": [1]}
    merge_extra_body(body, None)
    assert body["c"] == [1]


@pytest.mark.parametrize("value, expected", [(3, 3), ("7", 7), (2.9, 2), (None, 0), ("x", 0), (float("inf"), 0),
                                             ([1], 0)])
def test_as_int(value: Any, expected: int) -> None:
    assert as_int(value) == expected


def test_parse_arguments() -> None:
    ctx = CallContext(cfg())
    assert parse_arguments({"a": 1}, ctx) == {"a": 1}
    assert parse_arguments(None, ctx) == {} and parse_arguments("  ", ctx) == {}
    assert parse_arguments('{"a": [1]}', ctx) == {"a": [1]}
    assert parse_arguments("[1]", ctx) == [1]
    assert parse_arguments([1], ctx) == [1]
    with pytest.raises(BadRequestError, match="'fn' has arguments that are not JSON"):
        parse_arguments("{oops", ctx, "fn")
    with pytest.raises(BadRequestError):
        parse_arguments("[" * 100000, ctx)


# -- errors and streams -----------------------------------------------------------------------


def test_payload_error_status_message_and_type() -> None:
    err = payload_error({"error": {"message": "slow down", "type": "rate_limit_error"}}, "p", "m",
                        statuses={"rate_limit_error": 429})
    assert isinstance(err, RateLimitError) and err.status_code == 429 and "slow down" in err.message
    err = payload_error({"error": {"message": "x", "code": 401}}, "p", "m")
    assert isinstance(err, AuthenticationError)
    err = payload_error({"error": {"message": "x", "code": 401, "status_code": 429}}, "p", "m")
    assert isinstance(err, RateLimitError)
    err = payload_error({"error": {"message": "x", "code": 401}}, "p", "m", status=429)
    assert isinstance(err, RateLimitError)
    err = payload_error({"error": "boom"}, "p", "m", prefix="Vendor error: ")
    assert isinstance(err, InternalServerError) and "Vendor error: boom" in err.message
    err = payload_error({"error": {}}, "p", "m", default_type="api_error")
    assert "api_error" in err.message and err.status_code == 500
    err = payload_error({"error": {"message": "upstream", "metadata": {"raw": "the real cause"}}}, "p", "m")
    assert "upstream: the real cause" in err.message
    assert '"upstream"' in (err.body or "")


def test_stream_cut_and_event_object() -> None:
    state = StreamState(model="m", provider="p")
    err = stream_cut(state, "Acme", "its end event")
    assert isinstance(err, APIConnectionError)
    assert "Acme stream ended before its end event (connection cut?)" in err.message
    assert "stream ended before x" in stream_cut(state, "", "x").message
    assert event_object('{"a": 1}', state, "Acme") == {"a": 1}
    with pytest.raises(APIConnectionError, match="unexpected Acme stream line"):
        event_object("[1, 2]", state, "Acme", "line")
    with pytest.raises(APIConnectionError):
        event_object("{not json", state, "Acme")


def test_reply_parts_build_the_assistant_message() -> None:
    parts = ReplyParts()
    assert parts.text() is None
    empty = parts.message(None)
    assert empty.content is None and empty.tool_calls is None and empty.reasoning_content is None
    parts.texts += ["a", "b"]
    parts.reasoning.append("why")
    parts.thinking_blocks.append({"type": "thinking", "thinking": "why"})
    parts.calls.append(ChatCompletionMessageToolCall(id="c", type="function", function=Function(name="f", arguments="{}")))
    message = parts.message(parts.text())
    assert message.content == "ab" and message.reasoning_content == "why"
    assert message.tool_calls is not None and message.tool_calls[0].function.name == "f"
    assert message.thinking_blocks == [{"type": "thinking", "thinking": "why"}]


# -- typed stream states ----------------------------------------------------------------------


def test_stream_state_has_no_untyped_scratch_space() -> None:
    assert "scratch" not in {f.name for f in dataclasses.fields(StreamState)}


@pytest.mark.parametrize("adapter, provider, cls", [
    ("anthropic", "anthropic", "AnthropicStreamState"),
    ("gemini", "gemini", "GeminiStreamState"),
    ("vertex_ai", "vertex_ai", "GeminiStreamState"),
    ("bedrock", "bedrock", "BedrockStreamState"),
    ("cohere", "cohere", "CohereStreamState"),
    ("ollama_chat", "ollama_chat", "OllamaStreamState"),
    ("ollama_generate", "ollama", "OllamaStreamState"),
])
def test_each_format_keeps_a_typed_stream_state(adapter: str, provider: str, cls: str) -> None:
    config = cfg(spec=PROVIDERS[provider])
    state = get_adapter(adapter).new_stream_state(ChatRequest(model="m", messages=[], stream=True), config)
    assert type(state).__name__ == cls
    assert isinstance(state, StreamState) and dataclasses.is_dataclass(state)
    assert len(dataclasses.fields(state)) > len(dataclasses.fields(StreamState))


# -- the size gate -----------------------------------------------------------------------------


def _gate(package: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, str(ROOT / "tools" / "size_gate.py"), str(package), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # runs tools/size_gate.py (radon) in a process; tools/check.sh runs it too
def test_size_gate_lists_every_offender_and_fails(tmp_path: Path) -> None:
    pytest.importorskip("radon")
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    branches = "".join("    if x == %d:\n        return %d\n" % (i, i) for i in range(25))
    (package / "complex.py").write_text("def tangled(x):\n%s    return -1\n\n\nclass K:\n    def m(self, x):\n%s"
                                        "        return 0\n" % (branches, textwrap.indent(branches, "    ")))
    (package / "sub" / "long.py").write_text("x = 1\n" * 651)
    (package / "fine.py").write_text("def f(x):\n    return x\n")
    result = _gate(package)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "pkg/complex.py:1 tangled: complexity 26 (limit 20)" in lines
    assert any(line.startswith("pkg/complex.py:") and " K.m: complexity 26" in line for line in lines)
    assert "pkg/sub/long.py: 651 lines (limit 650)" in lines
    assert not any("fine.py" in line for line in lines)
    assert lines[-1] == "size_gate: 3 offender(s)"
    assert _gate(package, "--max-lines", "700", "--max-complexity", "30").returncode == 0


@pytest.mark.slow  # runs tools/size_gate.py (radon) in a process; tools/check.sh runs it too
def test_the_provider_adapters_pass_the_size_gate() -> None:
    """Wire formats stay small: every adapter module under 650 lines, every function under
    complexity 20 (the credential resolvers of aws_auth/google_auth are being reworked elsewhere)."""
    pytest.importorskip("radon")
    result = _gate(ROOT / "litellm_lite" / "providers")
    offenders = [line for line in result.stdout.splitlines()
                 if not line.startswith("size_gate:") and "resolve_aws_credentials" not in line
                 and "resolve_google_credentials" not in line]
    assert offenders == []
