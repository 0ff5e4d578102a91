"""The fake provider's non-chat routes (pure functions): validation answers and the rarer shapes."""

from __future__ import annotations

import json
from typing import Any, Dict, Tuple

import pytest

from litellm_lite.endpoints import FilePart, encode_multipart
from litellm_lite.testing_endpoints import handle_endpoint, parse_multipart, stream_completions

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
