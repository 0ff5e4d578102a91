"""litellm_lite.testing.FakeProvider in each wire format (OpenAI, Anthropic Messages, Gemini), through
``litellm_lite.completion()`` over real loopback HTTP, and the renderers of litellm_lite.testing_formats."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import litellm_lite
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from litellm_lite.testing import FORMATS, FakeProvider
from litellm_lite.testing_formats import (
    anthropic_events,
    gemini_stream_items,
    json_array_frames,
    render_message,
    sse_frames,
)
from typing import Tuple
from litellm_lite.endpoints import FilePart, encode_multipart
from litellm_lite.testing_endpoints import handle_endpoint, parse_multipart, stream_completions

ROOT = Path(__file__).resolve().parents[2]
HI = [{"role": "user", "content": "Hi there"}]
WEATHER = {"id": "call_w1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
TIME = {"id": "call_t2", "type": "function", "function": {"name": "get_time", "arguments": '{"tz": "UTC"}'}}
PATHS = {
    "openai": "/v1/chat/completions",
    "anthropic": "/v1/messages",
    "gemini": "/v1beta/models/fake-model:generateContent",
}


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider(chunk_size=3) as provider:
        yield provider


def complete(fake: FakeProvider, fmt: str, **kw: Any) -> Any:
    kw.setdefault("messages", HI)
    kw.setdefault("num_retries", 0)
    return litellm_lite.completion(**dict(fake.kwargs(fmt), **kw))


def stream(fake: FakeProvider, fmt: str, **kw: Any) -> List[Any]:
    kw.setdefault("stream_options", {"include_usage": True})
    return list(complete(fake, fmt, stream=True, **kw))


def joined(chunks: List[Any], field: str) -> str:
    return "".join(getattr(c.choices[0].delta, field) or "" for c in chunks if c.choices)


# -- kwargs and routing ---------------------------------------------------------------------------


def test_kwargs_per_format(fake: FakeProvider) -> None:
    assert fake.kwargs() == fake.kwargs("openai") == {
        "model": "openai/fake-model", "api_base": fake.url + "/v1", "api_key": "fake-key"}
    assert fake.kwargs(format="anthropic") == {"model": "anthropic/fake-model", "api_base": fake.url, "api_key": "fake-key"}
    assert fake.kwargs("gemini") == {"model": "gemini/fake-model", "api_base": fake.url, "api_key": "fake-key"}
    assert FORMATS == ("openai", "anthropic", "gemini")
    with pytest.raises(BadRequestError, match="unknown fake provider format"):
        fake.kwargs("cohere")


@pytest.mark.parametrize("fmt", FORMATS)
def test_echo_and_request_recording(fake: FakeProvider, fmt: str) -> None:
    fake.echo_prefix = "echo: "
    r = complete(fake, fmt, messages=[{"role": "system", "content": "Be nice."}, {"role": "user", "content": "first"},
                                      {"role": "assistant", "content": "ok"}, {"role": "user", "content": "Hi there"}])
    assert r.choices[0].message.content == "echo: Hi there"
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens > 0
    assert len(fake.requests) == 1
    sent = fake.requests[0]
    assert sent.method == "POST" and sent.path == PATHS[fmt]
    body = sent.json
    if fmt == "openai":
        assert sent.headers["authorization"] == "Bearer fake-key"
        assert body["messages"][-1]["content"] == "Hi there"
    elif fmt == "anthropic":
        assert sent.headers["x-api-key"] == "fake-key"
        assert body["system"] == "Be nice." and body["model"] == "fake-model"
        assert body["messages"][-1] == {"role": "user", "content": "Hi there"}
    else:
        assert sent.headers["x-goog-api-key"] == "fake-key"
        assert body["systemInstruction"]["parts"][0]["text"] == "Be nice."
        assert body["contents"][-1] == {"role": "user", "parts": [{"text": "Hi there"}]}


def test_scripted_replies_are_served_in_order_whatever_the_format(fake: FakeProvider) -> None:
    fake.add_reply("one").add_reply("two").add_reply("three")
    answers = [complete(fake, fmt).choices[0].message.content for fmt in ("gemini", "openai", "anthropic")]
    assert answers == ["one", "two", "three"]
    assert complete(fake, "anthropic").choices[0].message.content == "Hi there"  # queue empty: echo
    assert [r.path.split("?")[0] for r in fake.requests] == [PATHS["gemini"], PATHS["openai"], PATHS["anthropic"],
                                                            PATHS["anthropic"]]


def test_unknown_route_and_bad_json() -> None:
    import http.client

    with FakeProvider() as fake:
        conn = http.client.HTTPConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1]), timeout=5)
        for path, expect in (("/v1/messages", {"type": "error"}), ("/v1beta/models/m:generateContent", {"code": 400})):
            conn.request("POST", path, body=b"{not json", headers={"content-type": "application/json"})
            resp = conn.getresponse()
            data = json.loads(resp.read())
            assert resp.status == 400
            if "type" in expect:
                assert data["type"] == "error" and data["error"]["type"] == "invalid_request_error"
            else:
                assert data["error"]["code"] == 400 and data["error"]["status"] == "INVALID_ARGUMENT"
        conn.request("POST", "/v1/nowhere", body=b"{}")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 404
        conn.close()
        assert len(fake.requests) == 3


# -- plain and streamed answers --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_reply(fake: FakeProvider, fmt: str) -> None:
    fake.add_reply("Bonjour à tous")
    r = complete(fake, fmt)
    message = r.choices[0].message
    assert message.content == "Bonjour à tous" and message.role == "assistant"
    assert message.tool_calls is None and message.reasoning_content is None
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.completion_tokens >= 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_reply_and_chunk_builder(fake: FakeProvider, fmt: str) -> None:
    text = "Hello streaming world, in pieces"
    fake.add_reply(text)
    chunks = stream(fake, fmt)
    content_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content_chunks) >= len(text) // 3  # chunk_size=3: really streamed
    assert chunks[0].choices[0].delta.role == "assistant"
    assert joined(chunks, "content") == text
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert all(c.id == chunks[0].id for c in chunks)
    built = litellm_lite.stream_chunk_builder(chunks)
    assert built.choices[0].message.content == text
    assert built.choices[0].finish_reason == "stop"
    assert built.usage is not None and built.usage.completion_tokens >= 1
    assert built.usage.total_tokens == built.usage.prompt_tokens + built.usage.completion_tokens
    sent = fake.requests[-1]
    if fmt == "anthropic":
        assert sent.json["stream"] is True and sent.path == "/v1/messages"
    elif fmt == "gemini":
        assert sent.path == "/v1beta/models/fake-model:streamGenerateContent?alt=sse"
    else:
        assert sent.json["stream"] is True


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("finish", ["length", "content_filter"])
def test_finish_reason_is_translated_both_ways(fake: FakeProvider, fmt: str, finish: str) -> None:
    fake.add_reply("cut short", finish_reason=finish).add_reply("cut short", finish_reason=finish)
    assert complete(fake, fmt).choices[0].finish_reason == finish
    built = litellm_lite.stream_chunk_builder(stream(fake, fmt))
    assert built.choices[0].finish_reason == finish


@pytest.mark.parametrize("fmt", FORMATS)
def test_reasoning(fake: FakeProvider, fmt: str) -> None:
    fake.add_reply("The answer is 4.", reasoning="2 + 2 is 4, surely.")
    fake.add_reply("The answer is 4.", reasoning="2 + 2 is 4, surely.")
    message = complete(fake, fmt).choices[0].message
    assert message.content == "The answer is 4."
    assert message.reasoning_content == "2 + 2 is 4, surely."
    chunks = stream(fake, fmt)
    assert joined(chunks, "reasoning_content") == "2 + 2 is 4, surely."
    first_reasoning = next(i for i, c in enumerate(chunks) if c.choices and c.choices[0].delta.reasoning_content)
    first_content = next(i for i, c in enumerate(chunks) if c.choices and c.choices[0].delta.content)
    assert first_reasoning < first_content
    built = litellm_lite.stream_chunk_builder(chunks)
    assert built.choices[0].message.reasoning_content == "2 + 2 is 4, surely."
    assert built.choices[0].message.content == "The answer is 4."
    if fmt == "anthropic":
        for blocks in (message.thinking_blocks, built.choices[0].message.thinking_blocks):
            assert blocks and blocks[0]["type"] == "thinking"
            assert blocks[0]["thinking"] == "2 + 2 is 4, surely."
            assert blocks[0]["signature"].startswith("Eq")
    if fmt == "gemini":
        assert built.usage.completion_tokens_details.reasoning_tokens >= 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("streamed", [False, True])
def test_tool_calls(fake: FakeProvider, fmt: str, streamed: bool) -> None:
    fake.add_reply(None, tool_calls=[WEATHER, TIME])
    tools = [{"type": "function", "function": {"name": n, "parameters": {"type": "object", "properties": {}}}}
             for n in ("get_weather", "get_time")]
    if streamed:
        r = litellm_lite.stream_chunk_builder(stream(fake, fmt, tools=tools))
    else:
        r = complete(fake, fmt, tools=tools)
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert [c.function.name for c in calls] == ["get_weather", "get_time"]
    assert [json.loads(c.function.arguments) for c in calls] == [{"city": "Oslo"}, {"tz": "UTC"}]
    assert all(c.type == "function" and c.id for c in calls)
    if fmt != "gemini":  # Gemini's API sends no call ids: the adapter makes them up
        assert [c.id for c in calls] == ["call_w1", "call_t2"]
    assert not choice.message.content


@pytest.mark.parametrize("fmt", ["anthropic", "gemini"])
def test_tool_call_after_text_keeps_both(fake: FakeProvider, fmt: str) -> None:
    fake.add_reply("Let me look.", tool_calls=[WEATHER])
    built = litellm_lite.stream_chunk_builder(stream(fake, fmt))
    assert built.choices[0].message.content == "Let me look."
    assert built.choices[0].message.tool_calls[0].function.name == "get_weather"
    assert built.choices[0].finish_reason == "tool_calls"


# -- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "status,cls",
    [(400, BadRequestError), (401, AuthenticationError), (404, NotFoundError), (429, RateLimitError),
     (500, InternalServerError), (503, ServiceUnavailableError)],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_errors_map_to_exception_classes(fake: FakeProvider, fmt: str, status: int, cls: type, streamed: bool) -> None:
    fake.add_error(status, "scripted failure %d" % status, headers={"x-fake": "1"})
    with pytest.raises(cls) as info:
        if streamed:
            stream(fake, fmt)
        else:
            complete(fake, fmt)
    err = info.value
    assert err.status_code == status
    assert "scripted failure %d" % status in err.message
    payload = json.loads(err.body)
    if fmt == "anthropic":
        assert payload["type"] == "error"
        assert payload["error"]["message"] == "scripted failure %d" % status
        expected = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
                    429: "rate_limit_error", 500: "api_error", 503: "api_error"}[status]
        assert payload["error"]["type"] == expected
    elif fmt == "gemini":
        assert payload["error"]["code"] == status
        assert payload["error"]["status"] == {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 404: "NOT_FOUND",
                                              429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                                              503: "UNAVAILABLE"}[status]
    else:
        assert payload["error"]["type"] == "invalid_request_error"
    assert len(fake.requests) == 1  # num_retries=0


def test_provider_specific_errors(fake: FakeProvider) -> None:
    fake.add_error(529, "Overloaded")
    with pytest.raises(ServiceUnavailableError) as info:
        complete(fake, "anthropic")
    assert json.loads(info.value.body)["error"]["type"] == "overloaded_error"
    fake.add_error(400, "prompt is too long: 250000 tokens > 200000 maximum")
    with pytest.raises(ContextWindowExceededError):
        complete(fake, "anthropic")
    fake.add_error(400, "API key not valid. Please pass a valid API key.")
    with pytest.raises(AuthenticationError):
        complete(fake, "gemini")
    fake.add_error(400, "custom", error_type="FAILED_PRECONDITION")
    with pytest.raises(BadRequestError) as info:
        complete(fake, "gemini")
    assert json.loads(info.value.body)["error"]["status"] == "FAILED_PRECONDITION"
    fake.add_error(400, "custom", error_type="invalid_request_error")  # not a Google status: mapped from 400
    with pytest.raises(BadRequestError) as info:
        complete(fake, "gemini")
    assert json.loads(info.value.body)["error"]["status"] == "INVALID_ARGUMENT"
    fake.add_error(403, "no", error_type="permission_error")
    with pytest.raises(litellm_lite.PermissionDeniedError):
        complete(fake, "anthropic")


def test_errors_are_retried_then_succeed(fake: FakeProvider) -> None:
    fake.add_error(503, "busy", times=2, headers={"retry-after-ms": "1"}).add_reply("finally")
    r = complete(fake, "anthropic", num_retries=2)
    assert r.choices[0].message.content == "finally"
    assert len(fake.requests) == 3


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cut", [1, 3, 6])
def test_cut_stream_raises_connection_error(fake: FakeProvider, fmt: str, cut: int) -> None:
    fake.add_reply("a reply long enough for many chunks", cut_after_chunks=cut)
    seen: List[Any] = []
    with pytest.raises(APIConnectionError):
        for chunk in complete(fake, fmt, stream=True):
            seen.append(chunk)
    assert "a reply long enough for many chunks" != joined(seen, "content")


# -- Gemini's JSON-array stream ------------------------------------------------------------------------


def test_gemini_json_array_stream(fake: FakeProvider) -> None:
    fake.add_reply("array framed answer", reasoning="hmm")
    chunks = stream(fake, "gemini", gemini_stream_format="json_array")
    assert fake.requests[-1].path == "/v1beta/models/fake-model:streamGenerateContent"
    assert joined(chunks, "content") == "array framed answer"
    built = litellm_lite.stream_chunk_builder(chunks)
    assert built.choices[0].message.reasoning_content == "hmm"
    assert built.choices[0].finish_reason == "stop"
    fake.add_reply("array framed answer", cut_after_chunks=2)
    with pytest.raises(APIConnectionError):
        stream(fake, "gemini", gemini_stream_format="json_array")
    fake.add_error(429, "quota")
    with pytest.raises(RateLimitError) as info:
        stream(fake, "gemini", gemini_stream_format="json_array")
    assert json.loads(info.value.body)[0]["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_gemini_embeddings_match_openai_vectors(fake: FakeProvider) -> None:
    base = {k: v for k, v in fake.kwargs("gemini").items() if k != "model"}
    g = litellm_lite.embedding(model="gemini/fake-embed", input=["alpha", "beta"], **base)
    o = litellm_lite.embedding(model="openai/fake-embed", input=["alpha", "beta"], api_base=fake.api_base,
                               api_key="fake-key")
    assert [d.embedding for d in g.data] == [d.embedding for d in o.data]
    assert len(g.data) == 2 and len(g.data[0].embedding) == 8
    assert g.data[0].embedding != g.data[1].embedding
    assert fake.requests[0].path == "/v1beta/models/fake-embed:batchEmbedContents"


# -- the renderers -------------------------------------------------------------------------------------


def test_render_message_round_trips_json_and_sse() -> None:
    content_type, data = render_message("Bonjour", "claude-x", reasoning="pensons")
    assert content_type == "application/json"
    body = json.loads(data)
    assert [b["type"] for b in body["content"]] == ["thinking", "text"]
    assert body["stop_reason"] == "end_turn" and body["id"].startswith("msg_")
    content_type, data = render_message("Bonjour", "claude-x", stream=True, chunk_size=2)
    assert content_type.startswith("text/event-stream")
    names = [line[len("event: "):] for line in data.decode().splitlines() if line.startswith("event: ")]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    assert names.count("content_block_delta") == 4  # "Bonjour" in 2-character pieces


def test_anthropic_events_tool_use_pieces_rebuild_the_arguments() -> None:
    frames = anthropic_events(None, "m", tool_calls=[WEATHER], chunk_size=4)
    events = [json.loads(f.decode().split("data: ", 1)[1]) for f in frames]
    start = next(e for e in events if e["type"] == "content_block_start")
    assert start["content_block"] == {"type": "tool_use", "id": "call_w1", "name": "get_weather", "input": {}}
    partial = "".join(e["delta"]["partial_json"] for e in events if e["type"] == "content_block_delta")
    assert json.loads(partial) == {"city": "Oslo"}
    assert events[-2]["delta"]["stop_reason"] == "tool_use"


def test_gemini_frames_are_valid_json_array_and_sse() -> None:
    items = gemini_stream_items("abcdefg", "gemini-x", reasoning="r", chunk_size=3)
    assert [i["candidates"][0]["content"]["parts"][0].get("thought", False) for i in items] == [True, False, False, False]
    assert "finishReason" in items[-1]["candidates"][0] and "finishReason" not in items[0]["candidates"][0]
    assert items[-1]["usageMetadata"]["thoughtsTokenCount"] == 1
    assert json.loads(b"".join(json_array_frames(items))) == items
    assert json.loads(b"".join(json_array_frames([]))) == []
    frames = sse_frames([(None, {"a": 1}), ("ping", {"b": "é"})])
    assert frames == [b'data: {"a": 1}\n\n', 'event: ping\ndata: {"b": "é"}\n\n'.encode("utf-8")]


# -- the module stays light ----------------------------------------------------------------------------


def _imports(path: Path) -> List[str]:
    names: List[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", ["testing.py", "testing_formats.py", "testing_endpoints.py"])
def test_standard_library_only(name: str) -> None:
    stdlib = getattr(sys, "stdlib_module_names", None)
    if stdlib is None:
        pytest.skip("sys.stdlib_module_names needs Python 3.10+")
    outside = [m for m in _imports(ROOT / "litellm_lite" / name) if m not in stdlib and m != "__future__"]
    assert outside == []


@pytest.mark.slow
def test_import_testing_loads_no_renderer_nor_client() -> None:
    code = ("import sys, litellm_lite.testing; "
            "print(sorted(m for m in sys.modules if m.startswith('litellm_lite') or m == 'urllib.request'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), stdout=subprocess.PIPE, timeout=60,
                         check=True).stdout.decode()
    loaded: Dict[str, bool] = {name: name in out for name in
                               ("litellm_lite.testing_formats", "litellm_lite.testing_endpoints", "litellm_lite.main",
                                "urllib.request")}
    assert not any(loaded.values()), loaded


# -- more cases (formerly test_cov_testing_endpoints.py: The fake provider's non-chat routes (pure functions




CT = "content-type"


def post(path: str, body: Any, headers: Any = None) -> Tuple[int, Dict[str, str], Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = handle_endpoint(path, raw, headers or {"Content-Type": "application/json"})
    assert reply is not None
    status, out_headers, data = reply
    try:
        parsed: Any = json.loads(data)
    except ValueError:
        parsed = data
    return status, out_headers, parsed


def error_message(reply: Tuple[int, Dict[str, str], Any]) -> str:
    status, _, body = reply
    assert status == 400
    return str(body["error"]["message"])


# ---------------------------------------------------------------------------------------------
# multipart parsing


@pytest.mark.parametrize("body,content_type,needle", [
    (b"", "application/json", "not multipart/form-data"),
    (b"", "multipart/form-data", "not multipart/form-data"),  # no boundary
    (b"garbage", "multipart/form-data; boundary=XX", "does not start with the boundary"),
    (b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv", "multipart/form-data; boundary=XX",
     "no closing boundary"),
    (b"--XXjunk\r\n--XX--", "multipart/form-data; boundary=XX", "not followed by CRLF"),
    (b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n--XX--", "multipart/form-data; boundary=XX",
     "without a blank line"),
    (b"--XX\r\nContent-Type: text/plain\r\n\r\nv\r\n--XX--", "multipart/form-data; boundary=XX",
     "without Content-Disposition"),
])
def test_malformed_multipart_bodies(body: bytes, content_type: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_multipart(body, content_type)


def test_transcription_route_reports_parse_errors_and_missing_fields() -> None:
    # no Content-Type header at all
    assert "could not parse multipart body" in error_message(post("/v1/audio/transcriptions", b"x", {"X-Other": "1"}))
    body, ctype = encode_multipart([("model", "whisper-1")], [])
    assert error_message(post("/v1/audio/transcriptions", body, {"Content-Type": ctype})) == "file is required"
    body, ctype = encode_multipart([], [("file", FilePart("a.wav", "audio/wav", b"RIFF"))])
    assert error_message(post("/v1/audio/transcriptions", body, {"Content-Type": ctype})) == "model is required"


def test_transcription_text_format_and_prompt() -> None:
    body, ctype = encode_multipart([("model", "whisper-1"), ("prompt", "names: Ada"), ("response_format", "srt")],
                                   [("file", FilePart("a.wav", "audio/wav", b"RIFF1234"))])
    status, headers, text = post("/v1/audio/transcriptions", body, {"content-type": ctype})
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert text == b"fake transcript of a.wav (audio/wav, 8 bytes) prompted with: names: Ada"


# ---------------------------------------------------------------------------------------------
# JSON routes


def test_non_json_body_and_unknown_routes() -> None:
    assert error_message(post("/v1/moderations", b"[1, 2]")) == "request body is not a JSON object"
    assert handle_endpoint("/v1/chat/completions", b"{}", {}) is None
    assert handle_endpoint("/v1/files", b"{}", {}) is None


@pytest.mark.parametrize("body,needle", [
    ({}, "prompt is required"),
    ({"prompt": "cat", "n": 11}, "n must be between 1 and 10"),
    ({"prompt": "cat", "n": "2"}, "n must be between 1 and 10"),
    ({"prompt": "cat", "n": 0}, "n must be between 1 and 10"),
])
def test_image_validation(body: Dict[str, Any], needle: str) -> None:
    assert error_message(post("/v1/images/generations", body)) == needle


@pytest.mark.parametrize("body,needle", [
    ({"voice": "alloy"}, "input is required"),
    ({"input": "hi", "voice": {"name": "x"}}, "voice is required"),
    ({"input": "hi", "voice": "alloy", "response_format": "ogg"}, "unsupported response_format 'ogg'"),
])
def test_speech_validation(body: Dict[str, Any], needle: str) -> None:
    assert error_message(post("/v1/audio/speech", body)) == needle


def test_speech_voice_object_is_accepted() -> None:
    status, headers, data = post("/v1/audio/speech", {"input": "hi", "voice": {"id": "alloy"}, "response_format": "wav"})
    assert status == 200 and headers["Content-Type"] == "audio/wav" and len(data) == 128


@pytest.mark.parametrize("value", [None, [], [1], [{"type": "audio"}]])
def test_moderation_rejects_bad_input(value: Any) -> None:
    assert error_message(post("/v1/moderations", {"input": value})).startswith("input must be a string")


def test_moderation_input_objects() -> None:
    status, _, body = post("/v1/moderations", {"input": [{"type": "text", "text": "I hate it"},
                                                         {"type": "image_url", "image_url": {"url": "x"}}]})
    assert status == 200
    assert [r["flagged"] for r in body["results"]] == [True, False]
    assert body["results"][0]["categories"]["hate"] is True
    status, _, body = post("/v1/moderations", {"input": "how to kill a process"})
    assert [r["flagged"] for r in body["results"]] == [True]
    assert body["results"][0]["categories"]["violence"] is True


def test_completions_token_prompt_suffix_and_logprobs() -> None:
    status, _, body = post("/v1/completions", {"prompt": [1, 2, 3], "suffix": "!", "logprobs": 1})
    assert status == 200
    choice = body["choices"][0]
    assert choice["text"] == " echo: 1 2 3!"
    assert choice["logprobs"]["tokens"] == ["echo:", "1", "2", "3!"]
    assert choice["logprobs"]["token_logprobs"] == [-0.5] * 4


def test_completions_string_prompt_with_echo() -> None:
    status, _, body = post("/v1/completions", {"prompt": "say", "echo": True})
    assert body["choices"][0]["text"] == "say echo: say"


def test_gpt_image_models_answer_b64_with_token_usage() -> None:
    status, _, body = post("/v1/images/generations", {"prompt": "a red square", "model": "gpt-image-1", "n": 2})
    assert status == 200 and len(body["data"]) == 2
    assert all("b64_json" in item and "url" not in item for item in body["data"])
    assert body["usage"]["output_tokens"] == 544
    assert body["usage"]["total_tokens"] == body["usage"]["input_tokens"] + 544


def test_completions_n_and_max_tokens() -> None:
    status, _, body = post("/v1/completions", {"prompt": "abcdefghij", "n": 2, "max_tokens": 2})
    assert [c["text"] for c in body["choices"]] == [" echo: a", " echo 1:"]
    assert {c["finish_reason"] for c in body["choices"]} == {"length"}


@pytest.mark.parametrize("body", [{"prompt": []}, {"prompt": "x", "n": -1}, {"prompt": "x", "n": 0},
                                  {"prompt": {"a": 1}}])
def test_completions_validation(body: Dict[str, Any]) -> None:
    assert error_message(post("/v1/completions", body)).startswith("prompt must be")


def test_stream_of_an_invalid_request_is_one_error_event() -> None:
    events = stream_completions({"prompt": None})
    assert len(events) == 1
    payload = json.loads(events[0][len(b"data: "):])
    assert payload["error"]["type"] == "invalid_request_error"
