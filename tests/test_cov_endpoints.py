"""Endpoints beyond chat: rarer inputs, odd bodies, costs, and the lazy speech / text-stream objects."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from litellm_lite.endpoint_types import ImageResponse, ModerationResponse, ModerationResult, TranscriptionResponse
from litellm_lite.endpoints import (
    SpeechResponse,
    TextCompletionStreamWrapper,
    encode_multipart,
    file_part,
    image_generation,
    moderation,
    speech,
    text_completion,
    transcription,
)
from litellm_lite.exceptions import APIConnectionError, BadRequestError
from tests.server import LoopbackServer, Reply

KEY = "sk-cov-endpoints-123456"


@pytest.fixture(scope="module")
def _srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def server(_srv: LoopbackServer) -> Iterator[LoopbackServer]:
    with _srv.lock:
        _srv.requests.clear()
        _srv._queue.clear()
        _srv._last = None
    _srv.handler = None
    yield _srv


def base(server: LoopbackServer) -> Dict[str, Any]:
    return {"api_base": server.url + "/v1", "api_key": KEY, "num_retries": 0}


# ---------------------------------------------------------------------------------------------
# shared plumbing


def test_endpoints_without_a_default_model_need_one() -> None:
    with pytest.raises(BadRequestError, match="transcription needs a model"):
        transcription(model=None, file=b"RIFF....WAVE")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="speech needs a model"):
        speech(model=None, input="hi", voice="alloy")  # type: ignore[arg-type]


def test_bookkeeping_kwargs_are_dropped_and_extra_body_is_merged(server: LoopbackServer) -> None:
    server.add(Reply.json({"results": [{"flagged": False, "categories": {}}]}))
    moderation("text", model="openai/omni-moderation-latest", litellm_call_id="abc", caching=True,
               extra_body={"custom_field": 1}, **base(server))
    sent = server.requests[-1].json()
    assert sent == {"input": "text", "model": "omni-moderation-latest", "custom_field": 1}


def test_non_object_json_body_is_a_connection_error(server: LoopbackServer) -> None:
    server.add(Reply.json([1, 2, 3]))
    with pytest.raises(APIConnectionError, match="unexpected image_generation response body"):
        image_generation("a cat", model="openai/dall-e-2", **base(server))


# ---------------------------------------------------------------------------------------------
# images


def test_gpt_image_cost_from_token_prices(server: LoopbackServer) -> None:
    server.add(Reply.json({"created": 1, "data": [{"b64_json": "AAAA"}],
                           "usage": {"input_tokens": 10, "output_tokens": 100, "total_tokens": 110,
                                     "input_tokens_details": {"text_tokens": 8, "image_tokens": 2}}}))
    result = image_generation("otter", model="openai/gpt-image-1", **base(server))
    # no per-image row for the default size/quality: token prices of gpt-image-1
    # (text in 5e-6, image in 1e-5, image out 4e-5 per token)
    assert result._hidden_params["response_cost"] == pytest.approx(8 * 5e-6 + 2 * 1e-5 + 100 * 4e-5)


def test_image_cost_unknown_model_is_none(server: LoopbackServer) -> None:
    server.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}, "junk"]}))
    result = image_generation("otter", model="openai/my-private-image-model", **base(server))
    assert len(result.data) == 1  # the non-object item is skipped
    assert result._hidden_params["response_cost"] is None


def test_image_cost_from_registered_prices(server: LoopbackServer) -> None:
    from litellm_lite.registry import register_model

    register_model({
        "cov-endpoints-image-model": {"litellm_provider": "openai", "mode": "image_generation",
                                      "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
        "standard/7-x-q/cov-endpoints-image-model": {"litellm_provider": "openai", "mode": "image_generation",
                                                    "input_cost_per_pixel": 1e-9},
    })
    usage = {"input_tokens": 10, "output_tokens": 100, "total_tokens": 110,
             "input_tokens_details": {"image_tokens": 4}}
    server.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}], "usage": usage}))
    result = image_generation("otter", model="openai/cov-endpoints-image-model", **base(server))
    # no image-token prices: image input at the text price, output at the output token price
    assert result._hidden_params["response_cost"] == pytest.approx(10 * 1e-6 + 100 * 2e-6)
    # a per-pixel row for a size that is not WIDTHxHEIGHT numbers: cost unknown, the call still succeeds
    server.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}]}))
    odd = image_generation("otter", model="openai/cov-endpoints-image-model", size="7xq", **base(server))
    assert odd._hidden_params["response_cost"] is None and len(odd.data) == 1


def test_image_mock_response_object_is_returned_as_is() -> None:
    mocked = ImageResponse(data=[])
    assert image_generation("otter", model="openai/dall-e-2", mock_response=mocked) is mocked


# ---------------------------------------------------------------------------------------------
# files and multipart


@pytest.mark.parametrize("data,name,content_type", [
    (b"\x1a\x45\xdf\xa3" + b"\0" * 12, "audio.webm", "audio/webm"),
    (b"\0\0\0\x20ftypM4A " + b"\0" * 8, "audio.m4a", "audio/mp4"),
    (b"ID3\x04" + b"\0" * 12, "audio.mp3", "audio/mpeg"),
    (b"\xff\xfb\x90\x00" + b"\0" * 12, "audio.mp3", "audio/mpeg"),
    (b"plain bytes", "file", "application/octet-stream"),
])
def test_audio_containers_are_sniffed_from_bytes(data: bytes, name: str, content_type: str) -> None:
    part = file_part(data)
    assert (part.filename, part.content_type) == (name, content_type)


def test_unknown_extension_falls_back_to_sniffing() -> None:
    part = file_part(("recording.bin", b"OggS" + b"\0" * 12))
    assert part.filename == "recording.bin" and part.content_type == "audio/ogg"


def test_file_inputs_that_are_rejected() -> None:
    class Broken:
        def read(self) -> bytes:
            raise OSError("device gone")

    with pytest.raises(BadRequestError, match="could not read file: device gone"):
        file_part(Broken())
    with pytest.raises(BadRequestError, match="content type in a file tuple must be a string"):
        file_part(("a.wav", b"RIFF", 5))
    with pytest.raises(BadRequestError, match="binary mode"):
        file_part(io.StringIO("text"))


def test_form_values_of_every_kind() -> None:
    body, ctype = encode_multipart([("flag", True), ("off", False), ("obj", {"a": 1}), ("skip", None),
                                    ("tags", ["x", "y"])], [], boundary="BOUNDARY")
    text = body.decode()
    assert 'name="flag"\r\n\r\ntrue\r\n' in text and 'name="off"\r\n\r\nfalse\r\n' in text
    assert 'name="obj"\r\n\r\n{"a": 1}\r\n' in text
    assert 'name="skip"' not in text
    assert text.count('name="tags[]"') == 2
    assert ctype == "multipart/form-data; boundary=BOUNDARY"


# ---------------------------------------------------------------------------------------------
# transcription


def test_transcription_text_format_cut_body_raises(server: LoopbackServer) -> None:
    server.add(Reply(status=200, headers={"content-type": "text/plain", "content-length": "100"},
                     body=b"partial transcript", cut_after=10))
    with pytest.raises(APIConnectionError):
        transcription("openai/whisper-1", b"RIFF....WAVE", response_format="text", **base(server))


def test_transcription_cost_is_none_for_an_unknown_model(server: LoopbackServer) -> None:
    server.add(Reply.json({"text": "hello", "duration": 3.0}))
    result = transcription("openai/my-asr", ("a.wav", b"RIFF....WAVE"), **base(server))
    assert result.text == "hello" and result._hidden_params["response_cost"] is None


def test_transcription_mock_object_is_returned_as_is() -> None:
    mocked = TranscriptionResponse(text="mocked")
    assert transcription("openai/whisper-1", b"x", mock_response=mocked) is mocked


# ---------------------------------------------------------------------------------------------
# speech


def _speech(server: LoopbackServer, data: bytes, model: str = "openai/tts-1") -> SpeechResponse:
    server.add(Reply(status=200, headers={"content-type": "audio/mpeg"}, body=data))
    return speech(model, "hello", "alloy", **base(server))


def test_speech_accessors_and_unknown_price(server: LoopbackServer) -> None:
    result = _speech(server, b"ID3 audio bytes", model="openai/my-tts")
    assert result.response_headers["content-type"] == "audio/mpeg"
    assert result.text == "ID3 audio bytes"
    assert result._hidden_params["response_cost"] is None
    assert repr(result) == "<SpeechResponse audio/mpeg (read)>"


def test_speech_iteration_rules(server: LoopbackServer) -> None:
    result = _speech(server, b"0123456789")
    with pytest.raises(BadRequestError, match="chunk_size must be a positive integer"):
        list(result.iter_bytes(0))
    assert b"".join(result.iter_bytes()) == b"0123456789"
    with pytest.raises(BadRequestError, match="already streamed"):
        list(result.iter_bytes())
    with pytest.raises(BadRequestError, match="already streamed"):
        _ = result.content


def test_speech_without_a_response_and_close(server: LoopbackServer) -> None:
    empty = SpeechResponse(None)
    assert list(empty.iter_bytes()) == []
    result = _speech(server, b"x" * 1000)
    result.close()
    assert result._response is None
    assert result.content == b""  # nothing left to read after close


def test_speech_close_errors_are_swallowed_by_the_finaliser() -> None:
    class Exploding:
        headers: Dict[str, str] = {}

        def close(self) -> None:
            raise RuntimeError("close failed")

    response = SpeechResponse(Exploding())  # type: ignore[arg-type]
    response.__del__()  # must not raise
    response._response = None


# ---------------------------------------------------------------------------------------------
# moderation


def test_moderation_mock_object_and_non_object_results(server: LoopbackServer) -> None:
    mocked = ModerationResponse(model="m", results=[ModerationResult(flagged=True)])
    assert moderation("x", mock_response=mocked) is mocked
    server.add(Reply.json({"id": "modr-1", "results": ["junk", {"flagged": True, "categories": {"hate": True}}]}))
    result = moderation("x", model="openai/omni-moderation-latest", **base(server))
    assert len(result.results) == 1 and result.results[0].flagged is True


# ---------------------------------------------------------------------------------------------
# legacy text completions


def _sse(*events: Any) -> Reply:
    body = b"".join(b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n" for e in events)
    return Reply(status=200, headers={"content-type": "text/event-stream"}, body=body)


def _chunk(text: str, finish: Any = None) -> Dict[str, Any]:
    return {"id": "cmpl-1", "created": 1, "model": "m",
            "choices": ["junk", {"text": text, "index": 0, "finish_reason": finish}]}


def test_text_stream_skips_blank_and_non_object_events_and_stops_at_done(server: LoopbackServer) -> None:
    server.add(_sse(_chunk("Hel"), b"   ", b"[1, 2]", _chunk("lo", "stop"), b"[DONE]", _chunk("never")))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "Say hello", stream=True, **base(server))
    texts = [c.choices[0].text for c in stream]
    assert texts == ["Hel", "lo"]
    final = stream.get_final_response()
    assert final.choices[0].text == "Hello" and final.choices[0].finish_reason == "stop"
    assert list(stream) == []  # finished: iterating again yields nothing (and completes only once)


def test_text_stream_drains_a_long_tail_after_done(server: LoopbackServer) -> None:
    tail = b": keep-alive comment padding\n\n" * 4000  # read in several pieces after [DONE]
    server.add(Reply(status=200, headers={"content-type": "text/event-stream"},
                     chunks=[b"data: " + json.dumps(_chunk("x", "stop")).encode() + b"\n\ndata: [DONE]\n\n", tail]))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "x", stream=True, **base(server))
    assert [c.choices[0].text for c in stream] == ["x"]


def test_text_stream_connection_cut_after_done_is_not_an_error(server: LoopbackServer) -> None:
    events = b"data: " + json.dumps(_chunk("y", "stop")).encode() + b"\n\ndata: [DONE]\n\n"
    server.add(Reply(status=200, headers={"content-type": "text/event-stream"},
                     chunks=[events, b": trailing bytes that never fully arrive\n\n"], cut_after=len(events) + 5))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "x", stream=True, **base(server))
    assert [c.choices[0].text for c in stream] == ["y"]
    assert stream.get_final_response().choices[0].finish_reason == "stop"


def test_text_stream_finaliser_swallows_close_errors() -> None:
    class Exploding:
        headers: Dict[str, str] = {}

        def close(self) -> None:
            raise RuntimeError("close failed")

    from litellm_lite.providers.base import StreamState
    from litellm_lite.providers.openai import OpenAIAdapter
    from litellm_lite.providers.openai_endpoints import TextCompletionStream

    state = StreamState(model="m", provider="openai")
    wrapper = TextCompletionStreamWrapper(Exploding(), TextCompletionStream(OpenAIAdapter()), state, model="m", provider="openai")  # type: ignore[arg-type]
    wrapper.__del__()  # must not raise
    assert wrapper._closed


def test_text_completion_choices_skip_non_objects(server: LoopbackServer) -> None:
    server.add(Reply.json({"id": "cmpl-2", "created": 5, "model": "m",
                           "choices": ["junk", {"text": "ok", "index": 3, "finish_reason": "stop"}]}))
    result = text_completion("openai/gpt-3.5-turbo-instruct", "x", **base(server))
    assert [(c.index, c.text) for c in result.choices] == [(3, "ok")]


def test_stream_to_file_and_write_to_file(server: LoopbackServer, tmp_path: Path) -> None:
    result = _speech(server, b"abcdef")
    result.write_to_file(tmp_path / "a.mp3")
    result.stream_to_file(tmp_path / "b.mp3", chunk_size=4)  # from the kept content
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes() == b"abcdef"
