"""images, audio (transcription, speech), moderation, legacy completions and embeddings, over 127.0.0.1."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import json
import struct
import tracemalloc
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litellm_lite
from litellm_lite import endpoints
from litellm_lite.endpoint_types import ImageResponse, TextCompletionResponse, TranscriptionResponse
from litellm_lite import _call
from litellm_lite.providers.base import ENDPOINT_NAMES, openai_endpoints
from litellm_lite.endpoints import (
    SpeechResponse,
    TextCompletionStreamWrapper,
    encode_multipart,
    file_part,
    image_generation,
    moderation,
    speech,
    supports_endpoint,
    text_completion,
    transcription,
)
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ProviderSpec
from litellm_lite.testing_endpoints import handle_endpoint, parse_multipart, speech_bytes, stream_completions
from tests.conftest import CASSETTES, SHARED, examples, load_spec
from tests.server import LoopbackServer, RecordedRequest, Reply
from litellm_lite.endpoint_types import ModerationResponse, ModerationResult

SPEC_FILE = SHARED / "specs" / "openai-openapi.yaml"
KEY = "sk-test-endpoints-123456"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(64))


# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _module_server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def server(_module_server: LoopbackServer) -> Iterator[LoopbackServer]:
    """One loopback server for the module, reset per test."""
    _module_server.reset()
    yield _module_server


def _drop_nullable(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` -> JSON-Schema null alternative (the spec mixes both styles)."""
    if isinstance(node, list):
        return [_drop_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _drop_nullable(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif kind is None:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def openai_schemas() -> Dict[str, Any]:
    if not SPEC_FILE.is_file():
        pytest.skip("../shared/specs/openai-openapi.yaml is absent: request bodies not validated against the spec")
    spec = load_spec(SPEC_FILE.name)  # parsed once per session (tests/conftest.py)
    return {"components": {"schemas": _drop_nullable(spec["components"]["schemas"])}}


def _validate(schemas: Dict[str, Any], name: str, instance: Any) -> None:
    import jsonschema

    schema = dict(schemas)
    schema["$ref"] = "#/components/schemas/" + name
    jsonschema.Draft202012Validator(schema).validate(instance)


def _base(server: LoopbackServer) -> Dict[str, Any]:
    return {"api_base": server.url + "/v1", "api_key": KEY}


def _email_form(request: RecordedRequest) -> Dict[str, Tuple[Optional[str], str, bytes]]:
    """The multipart body parsed by the standard library's email parser: name -> (filename, type, bytes)."""
    head = ("Content-Type: %s\r\nMIME-Version: 1.0\r\n\r\n" % request.headers["content-type"]).encode("ascii")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart()
    out: Dict[str, Tuple[Optional[str], str, bytes]] = {}
    for part in message.iter_parts():
        assert part.get_content_disposition() == "form-data"
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        key = name if name not in out else name + "#%d" % len(out)
        out[key] = (part.get_filename(), part.get_content_type(), payload)
    return out


def _completion_body(**overrides: Any) -> Dict[str, Any]:
    body = {
        "id": "cmpl-123",
        "object": "text_completion",
        "created": 1700000000,
        "model": "gpt-3.5-turbo-instruct",
        "choices": [{"text": "\n\nThis is a test.", "index": 0, "logprobs": None, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }
    body.update(overrides)
    return body


# -- provider table ----------------------------------------------------------------------------


def test_endpoint_table_and_unsupported_providers_fail_before_sending(server: LoopbackServer) -> None:
    assert supports_endpoint("openai", "text_completion") and supports_endpoint("groq", "transcription")
    assert not supports_endpoint("groq", "text_completion")
    assert not supports_endpoint("anthropic", "image_generation")
    assert not supports_endpoint("openai", "no_such_endpoint")
    with pytest.raises(BadRequestError, match="does not serve image_generation"):
        image_generation("a cat", model="anthropic/claude-3-5-haiku", **_base(server))
    with pytest.raises(BadRequestError, match="needs a provider that serves text completions"):
        text_completion(model="groq/llama-3.1-8b-instant", prompt=[1, 2, 3], **_base(server))  # text goes via chat
    with pytest.raises(BadRequestError, match="does not serve moderation"):
        moderation("hi", model="cohere/embed-v4", **_base(server))
    with pytest.raises(BadRequestError):
        speech(model="gemini/gemini-2.5-flash", input="hi", voice="alloy", **_base(server))
    assert server.requests == []


def test_registered_openai_gateway_serves_the_endpoints_it_declares(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    every = openai_endpoints(*(e for e in ENDPOINT_NAMES if e not in ("rerank", "responses")))
    monkeypatch.setitem(
        PROVIDERS, "my_gateway", ProviderSpec(name="my_gateway", api_base=server.url + "/gw", key_required=False, endpoints=every)
    )
    assert all(supports_endpoint("my_gateway", e) for e, _ in every)
    monkeypatch.setitem(PROVIDERS, "chat_only", ProviderSpec(name="chat_only", api_base=server.url, key_required=False,
                                                             endpoints=openai_endpoints("chat")))
    with pytest.raises(BadRequestError, match="needs a provider that serves text completions"):
        text_completion(model="chat_only/m", prompt=[[1, 2]])  # a text prompt goes through chat there
    server.add(Reply.json(_completion_body()))
    text_completion(model="my_gateway/base-model", prompt="x")
    assert server.requests[-1].path == "/gw/completions"
    assert "authorization" not in server.requests[-1].headers


def _planned_url(endpoint: str, model: str, kwargs: Dict[str, Any], **extra: Any) -> str:
    planned = _call.plan(endpoint, model, dict(kwargs), params={"prompt": "x"}, **extra)
    assert planned.wires is not None
    return planned.wires[0].url


def test_default_urls_groq_transcription_and_deepseek_completions() -> None:
    upload = [("file", endpoints.file_part(b"RIFF0000WAVE"))]
    assert _planned_url("transcription", "groq/whisper-large-v3", {"api_key": "k"}, files=upload) == (
        "https://api.groq.com/openai/v1/audio/transcriptions"
    )
    assert _planned_url("text_completion", "deepseek/deepseek-chat", {"api_key": "k"}) == "https://api.deepseek.com/beta/completions"
    assert _planned_url(
        "text_completion", "deepseek/deepseek-chat", {"api_key": "k", "api_base": "https://api.deepseek.com/beta"}
    ) == "https://api.deepseek.com/beta/completions"
    planned = _call.plan("image_generation", "openai/dall-e-2", {"api_key": "k"}, params={"prompt": "x"})
    assert (planned.provider, planned.model) == ("openai", "dall-e-2")


def test_missing_key_names_the_variable(server: LoopbackServer) -> None:
    with pytest.raises(AuthenticationError, match="OPENAI_API_KEY"):
        moderation("hello", api_base=server.url)
    assert server.requests == []


# -- images ------------------------------------------------------------------------------------


def test_image_generation_request_response_and_spec(server: LoopbackServer, openai_schemas: Dict[str, Any]) -> None:
    server.add(
        Reply.json(
            {
                "created": 1713833628,
                "data": [{"url": "https://img.example/1.png", "revised_prompt": "A cute sea otter, detailed"}],
            }
        )
    )
    r = image_generation(
        "A cute baby sea otter",
        model="openai/dall-e-3",
        n=1,
        size="1024x1792",
        quality="hd",
        response_format="url",
        style="natural",
        user="user-1",
        extra_headers={"X-Trace": "t1"},
        **_base(server),
    )
    req = server.requests[-1]
    assert (req.method, req.path) == ("POST", "/v1/images/generations")
    assert req.headers["authorization"] == "Bearer " + KEY
    assert req.headers["content-type"] == "application/json"
    assert req.headers["x-trace"] == "t1"
    body = req.json()
    assert body == {
        "prompt": "A cute baby sea otter",
        "model": "dall-e-3",
        "n": 1,
        "size": "1024x1792",
        "quality": "hd",
        "response_format": "url",
        "style": "natural",
        "user": "user-1",
    }
    _validate(openai_schemas, "CreateImageRequest", body)
    assert isinstance(r, ImageResponse)
    assert r.created == 1713833628
    assert r.data[0].url == "https://img.example/1.png" and r.data[0].b64_json is None
    assert r["data"][0]["revised_prompt"] == "A cute sea otter, detailed"
    assert r.to_dict()["data"][0]["url"] == "https://img.example/1.png"
    assert json.loads(r.json())["created"] == 1713833628
    assert r._hidden_params["custom_llm_provider"] == "openai"


def test_image_generation_gpt_image_usage_b64_and_cost(server: LoopbackServer) -> None:
    png = base64.b64encode(b"\x89PNG fake").decode()
    server.add(
        Reply.json(
            {
                "created": 1,
                "data": [{"b64_json": png}, {"b64_json": png}],
                "quality": "low",
                "size": "1024x1024",
                "usage": {"input_tokens": 10, "output_tokens": 544, "total_tokens": 554, "input_tokens_details": {"text_tokens": 10, "image_tokens": 0}},
            }
        )
    )
    r = image_generation("otter", model="openai/gpt-image-1", n=2, quality="low", size="1024x1024", background="transparent", **_base(server))
    body = server.requests[-1].json()
    assert body["background"] == "transparent" and body["n"] == 2
    assert [d.b64_json for d in r.data] == [png, png]
    assert r.usage is not None and (r.usage.input_tokens, r.usage.output_tokens, r.usage.total_tokens) == (10, 544, 554)
    assert r.usage.input_tokens_details == {"text_tokens": 10, "image_tokens": 0}
    # low/1024-x-1024/gpt-image-1 costs 0.011 per image in the bundled registry.
    assert r._hidden_params["response_cost"] == pytest.approx(0.022)


def test_image_generation_azure_deployment_url_and_pixel_cost(server: LoopbackServer) -> None:
    server.add(Reply.json({"created": 2, "data": [{"url": "https://x/1.png"}]}))
    r = image_generation(
        "otter", model="azure/dall-e-3", size="1024x1024", quality="hd", api_base=server.url, api_key="azure-key-123456",
        api_version="2024-10-21",
    )
    req = server.requests[-1]
    assert req.path == "/openai/deployments/dall-e-3/images/generations"
    assert req.query == "api-version=2024-10-21"
    assert req.headers["api-key"] == "azure-key-123456" and "authorization" not in req.headers
    assert "model" not in req.json()
    assert r._hidden_params["response_cost"] == pytest.approx(8.39233e-08 * 1024 * 1024)


@pytest.mark.parametrize(
    "kwargs",
    [{"prompt": ""}, {"prompt": None}, {"prompt": "ok", "n": 0}, {"prompt": "ok", "n": True}],
)
def test_image_generation_rejects_bad_input(server: LoopbackServer, kwargs: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        image_generation(model="openai/dall-e-2", **kwargs, **_base(server))
    assert server.requests == []


def test_image_generation_error_body_in_200_and_garbage(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "Your request was rejected by the safety system", "code": 400}}))
    with pytest.raises(BadRequestError, match="safety system"):
        image_generation("x", model="openai/dall-e-2", **_base(server))
    server.add(Reply(body=b"<html>oops</html>"))
    with pytest.raises(APIConnectionError):
        image_generation("x", model="openai/dall-e-2", **_base(server))


# -- errors and retries --------------------------------------------------------------------------


def test_error_statuses_are_mapped(server: LoopbackServer) -> None:
    server.add(Reply.json({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}, status=401))
    with pytest.raises(AuthenticationError, match="Incorrect API key") as info:
        moderation("hello", model="openai/omni-moderation-latest", num_retries=0, **_base(server))
    assert info.value.status_code == 401 and info.value.llm_provider == "openai"
    server.add(Reply.json({"error": {"message": "The model `nope` does not exist"}}, status=404))
    with pytest.raises(NotFoundError, match="does not exist"):
        text_completion(model="openai/nope", prompt="x", num_retries=0, **_base(server))
    assert len(server.requests) == 2  # 4xx other than 429 are not retried


def test_429_is_retried_then_succeeds(server: LoopbackServer) -> None:
    limited = Reply.json({"error": {"message": "Rate limit reached", "type": "requests"}}, status=429)
    limited.headers["retry-after"] = "0"
    server.add(limited)
    server.add(Reply.json(_completion_body()))
    r = text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="x", num_retries=2, **_base(server))
    assert r.choices[0].text == "\n\nThis is a test."
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body


def test_429_without_retries_raises_rate_limit(server: LoopbackServer) -> None:
    limited = Reply.json({"error": {"message": "Rate limit reached"}}, status=429)
    limited.headers["retry-after"] = "0"
    server.add(limited)
    with pytest.raises(RateLimitError):
        speech(model="openai/tts-1", input="hi", voice="alloy", num_retries=0, **_base(server))
    assert len(server.requests) == 1


def test_multipart_body_is_resent_identically_on_retry(server: LoopbackServer) -> None:
    limited = Reply.json({"error": {"message": "slow down"}}, status=429)
    limited.headers["retry-after"] = "0"
    server.add(limited)
    server.add(Reply.json({"text": "ok"}))
    r = transcription(model="openai/whisper-1", file=("a.wav", WAV), num_retries=1, **_base(server))
    assert r.text == "ok"
    assert len(server.requests) == 2 and server.requests[0].body == server.requests[1].body


def test_callbacks_see_endpoint_calls(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    successes: List[Tuple[Dict[str, Any], Any]] = []
    failures: List[Tuple[Dict[str, Any], Any]] = []
    monkeypatch.setattr(litellm_lite, "success_callback", [lambda kw, resp, start, end: successes.append((kw, resp))], raising=False)
    monkeypatch.setattr(litellm_lite, "failure_callback", [lambda kw, exc, start, end: failures.append((kw, exc))], raising=False)
    server.add(Reply.json({"created": 1, "data": [{"url": "u"}]}))
    image_generation("otter", model="openai/dall-e-2", **_base(server))
    assert successes[-1][0]["call_type"] == "image_generation" and successes[-1][0]["model"] == "dall-e-2"
    assert isinstance(successes[-1][1], ImageResponse)
    server.add(_stream_reply({"model": "gpt-3.5-turbo-instruct", "prompt": "hi"}))
    stream = text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="hi", stream=True, **_base(server))
    assert successes[-1][0]["call_type"] == "image_generation"  # nothing reported before the stream ends
    list(stream)
    assert successes[-1][0]["call_type"] == "text_completion" and successes[-1][0]["stream"] is True
    assert successes[-1][1].choices[0].text == " echo: hi"
    server.add(Reply.json({"error": {"message": "bad key"}}, status=401))
    with pytest.raises(AuthenticationError):
        moderation("x", **_base(server))
    assert failures[-1][0]["call_type"] == "moderation" and isinstance(failures[-1][1], AuthenticationError)


# -- transcription ---------------------------------------------------------------------------------


def test_transcription_multipart_fields_and_spec(server: LoopbackServer, tmp_path: Path, openai_schemas: Dict[str, Any]) -> None:
    audio = tmp_path / "meeting.mp3"
    audio.write_bytes(b"ID3\x04" + bytes(range(256)) * 8)
    server.add(Reply.json({"text": "Hello world.", "usage": {"type": "tokens", "input_tokens": 14, "output_tokens": 3, "total_tokens": 17}}))
    r = transcription(
        model="openai/gpt-4o-transcribe",
        file=audio,
        language="en",
        prompt="A meeting",
        response_format="json",
        temperature=0.2,
        timestamp_granularities=["word", "segment"],
        **_base(server),
    )
    req = server.requests[-1]
    assert req.path == "/v1/audio/transcriptions"
    assert req.headers["authorization"] == "Bearer " + KEY
    assert req.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert int(req.headers["content-length"]) == len(req.body)
    form = _email_form(req)
    assert form["file"] == ("meeting.mp3", "audio/mpeg", audio.read_bytes())
    assert form["model"][2] == b"gpt-4o-transcribe"
    assert form["language"][2] == b"en"
    assert form["prompt"][2] == b"A meeting"
    assert form["response_format"][2] == b"json"
    assert form["temperature"][2] == b"0.2"
    # Our own parser agrees with the email parser.
    ours = parse_multipart(req.body, req.headers["content-type"])
    assert ours["file"] == ("meeting.mp3", "audio/mpeg", audio.read_bytes())
    assert json.loads(str(ours["timestamp_granularities[]"])) == ["word", "segment"]
    fields: Dict[str, Any] = {k: v for k, v in ours.items() if isinstance(v, str) and not k.endswith("[]")}
    fields["temperature"] = float(fields["temperature"])
    fields["timestamp_granularities"] = ["word", "segment"]
    fields["file"] = "<binary>"
    _validate(openai_schemas, "CreateTranscriptionRequest", fields)
    assert isinstance(r, TranscriptionResponse) and r.text == "Hello world."
    assert r.usage == {"type": "tokens", "input_tokens": 14, "output_tokens": 3, "total_tokens": 17}
    # gpt-4o-transcribe: 2.5e-06 per audio input token, 1e-05 per output token.
    assert r._hidden_params["response_cost"] == pytest.approx(14 * 2.5e-06 + 3 * 1e-05)


@pytest.mark.parametrize(
    "make_file, filename, content_type",
    [
        (lambda p: WAV, "audio.wav", "audio/wav"),
        (lambda p: bytearray(b"fLaC" + bytes(20)), "audio.flac", "audio/flac"),
        (lambda p: ("clip.webm", b"\x1a\x45\xdf\xa3data"), "clip.webm", "audio/webm"),
        (lambda p: ("x.bin", b"raw", "audio/ogg"), "x.bin", "audio/ogg"),
        (lambda p: io.BytesIO(b"OggS" + bytes(10)), "audio.ogg", "audio/ogg"),
        (lambda p: open(p, "rb"), "named.m4a", "audio/mp4"),
        (lambda p: b"no magic here", "file", "application/octet-stream"),
    ],
)
def test_file_inputs(tmp_path: Path, make_file: Any, filename: str, content_type: str) -> None:
    path = tmp_path / "named.m4a"
    path.write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(8))
    file = make_file(path)
    try:
        part = file_part(file)
    finally:
        if hasattr(file, "close"):
            file.close()
    assert (part.filename, part.content_type) == (filename, content_type)
    assert len(part.data) > 0


def test_bad_file_inputs(tmp_path: Path) -> None:
    with pytest.raises(BadRequestError, match="could not read file"):
        file_part(tmp_path / "missing.wav")
    text_file = tmp_path / "t.txt"
    text_file.write_text("hello")
    with text_file.open("r") as handle, pytest.raises(BadRequestError, match="binary mode"):
        file_part(handle)
    with pytest.raises(BadRequestError):
        file_part(12345)
    with pytest.raises(BadRequestError):
        file_part(("a", "b", "c", "d"))


def test_transcription_groq_verbose_json_and_duration_cost(server: LoopbackServer) -> None:
    server.add(
        Reply.json(
            {"task": "transcribe", "language": "english", "duration": 10.0, "text": "Hi.", "segments": [{"id": 0, "text": "Hi."}],
             "x_groq": {"id": "req_1"}}
        )
    )
    r = transcription(
        model="groq/whisper-large-v3", file=("a.wav", WAV), response_format="verbose_json", api_base=server.url + "/openai/v1", api_key=KEY
    )
    assert server.requests[-1].path == "/openai/v1/audio/transcriptions"
    assert (r.language, r.duration, r.text, r.task) == ("english", 10.0, "Hi.", "transcribe")
    assert r.segments == [{"id": 0, "text": "Hi."}]
    assert r._hidden_params["response_cost"] == pytest.approx(10 * 3.083e-05)


def test_transcription_text_format_and_azure(server: LoopbackServer) -> None:
    server.add(Reply(headers={"content-type": "text/plain"}, body=b"1\n00:00:00,000 --> 00:00:01,000\nHi\n"))
    r = transcription(
        model="azure/whisper", file=("a.wav", WAV), response_format="srt", api_base=server.url, api_key="azure-key-123456",
        api_version="2024-06-01",
    )
    req = server.requests[-1]
    assert req.path == "/openai/deployments/whisper/audio/transcriptions" and req.query == "api-version=2024-06-01"
    assert req.headers["api-key"] == "azure-key-123456"
    assert r.text.startswith("1\n00:00:00,000")
    assert _email_form(req)["response_format"][2] == b"srt"


def test_transcription_mock_response() -> None:
    r = transcription(model="openai/whisper-1", file=b"x", mock_response="mocked words")
    assert r.text == "mocked words"
    with pytest.raises(RateLimitError):
        transcription(model="openai/whisper-1", file=b"x", mock_response=RateLimitError("slow", "openai", "whisper-1"))


_field_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True).filter(lambda k: k != "file"), _field_text, max_size=5
    ),
    data=st.binary(max_size=300),
    # '%' is left out: a literal "%22" cannot be told from an escaped quote (HTML's encoding is lossy).
    filename=st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="%"), min_size=1, max_size=20),
)
def test_multipart_round_trips_through_email_parser(values: Dict[str, str], data: bytes, filename: str) -> None:
    body, content_type = encode_multipart(sorted(values.items()), [("file", endpoints.FilePart(filename, "audio/wav", data))])
    request = RecordedRequest("POST", "/", "", {"content-type": content_type}, body)
    form = _email_form(request)
    assert form["file"][2] == data and form["file"][1] == "audio/wav"
    for name, value in values.items():
        assert form[name][2] == value.encode("utf-8")
    ours = parse_multipart(body, content_type)
    assert ours["file"] == (filename, "audio/wav", data)
    assert {k: v for k, v in ours.items() if k != "file"} == values


def test_multipart_boundary_never_inside_content() -> None:
    part = endpoints.FilePart("a.wav", "audio/wav", b"--fixed-boundary inside")
    with pytest.raises(BadRequestError):
        encode_multipart([], [("file", part)], boundary="fixed-boundary")
    body, content_type = encode_multipart([("k", "v")], [("file", part)])
    boundary = content_type.split("boundary=")[1]
    assert body.count(("--" + boundary).encode()) == 3


# -- speech ------------------------------------------------------------------------------------------


def test_speech_request_lazy_body_and_spec(server: LoopbackServer, tmp_path: Path, openai_schemas: Dict[str, Any]) -> None:
    audio = speech_bytes("Hello", "alloy", size=10000)
    server.add(Reply(headers={"content-type": "audio/mpeg"}, body=audio))
    r = speech(model="openai/tts-1", input="Hello", voice="alloy", response_format="mp3", speed=1.25, instructions="calm", **_base(server))
    req = server.requests[-1]
    assert req.path == "/v1/audio/speech" and req.headers["authorization"] == "Bearer " + KEY
    body = req.json()
    assert body == {"model": "tts-1", "input": "Hello", "voice": "alloy", "response_format": "mp3", "speed": 1.25, "instructions": "calm"}
    _validate(openai_schemas, "CreateSpeechRequest", body)
    assert isinstance(r, SpeechResponse) and r.content_type == "audio/mpeg"
    assert r._hidden_params["response_cost"] == pytest.approx(5 * 1.5e-05)
    assert r.content == audio and r.read() == audio  # read once, kept
    assert b"".join(r.iter_bytes(3000)) == audio
    assert [len(c) for c in r.iter_bytes(3000)] == [3000, 3000, 3000, 1000]
    out = tmp_path / "out.mp3"
    r.write_to_file(out)
    assert out.read_bytes() == audio


def test_speech_iter_bytes_exact_chunks_and_single_pass(server: LoopbackServer) -> None:
    audio = speech_bytes("abc", "nova", size=200000)
    server.add(Reply(headers={"content-type": "audio/wav"}, chunks=[audio[i : i + 7000] for i in range(0, len(audio), 7000)], chunked=True))
    with speech(model="openai/tts-1-hd", input="abc", voice={"id": "voice_123"}, **_base(server)) as r:
        pieces = list(r.iter_bytes(chunk_size=32768))
        assert b"".join(pieces) == audio
        assert all(len(p) == 32768 for p in pieces[:-1])
        with pytest.raises(BadRequestError, match="already streamed"):
            _ = r.content
    assert server.requests[-1].json()["voice"] == {"id": "voice_123"}


def test_speech_stream_to_file_in_constant_memory(server: LoopbackServer, tmp_path: Path) -> None:
    size = 5 * 1024 * 1024
    block = bytes(range(256)) * 256  # 64 KiB
    pieces = [block] * (size // len(block))
    server.add(Reply(headers={"content-type": "audio/mpeg"}, chunks=pieces))
    r = speech(model="openai/tts-1", input="long text", voice="alloy", **_base(server))
    out = tmp_path / "big.mp3"
    tracemalloc.start()
    try:
        r.stream_to_file(out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.stat().st_size == size
    assert peak < 1024 * 1024, "peak %d bytes while streaming a %d-byte body" % (peak, size)
    with out.open("rb") as handle:
        assert handle.read(len(block)) == block


def test_speech_connection_cut_mid_body_raises(server: LoopbackServer, tmp_path: Path) -> None:
    server.add(Reply(headers={"content-type": "audio/mpeg"}, body=b"x" * 100000, cut_after=30000))
    r = speech(model="openai/tts-1", input="hi", voice="alloy", **_base(server))
    with pytest.raises(APIConnectionError):
        r.stream_to_file(tmp_path / "cut.mp3")


def test_speech_input_validation_and_mock(server: LoopbackServer) -> None:
    for bad in ({"input": "", "voice": "alloy"}, {"input": "hi", "voice": ""}, {"input": "hi", "voice": "alloy", "speed": "fast"}):
        with pytest.raises(BadRequestError):
            speech(model="openai/tts-1", **bad, **_base(server))  # type: ignore[arg-type]
    assert server.requests == []
    r = speech(model="openai/tts-1", input="hi", voice="alloy", mock_response=b"RIFFfake")
    assert r.content == b"RIFFfake" and list(r.iter_bytes(3)) == [b"RIF", b"Ffa", b"ke"]


# -- moderation ---------------------------------------------------------------------------------------


def test_moderation_request_response_and_spec(server: LoopbackServer, openai_schemas: Dict[str, Any]) -> None:
    server.add(
        Reply.json(
            {
                "id": "modr-1",
                "model": "omni-moderation-2024-09-26",
                "results": [
                    {"flagged": True, "categories": {"violence": True, "hate": False}, "category_scores": {"violence": 0.9, "hate": 0.01},
                     "category_applied_input_types": {"violence": ["text"]}},
                    {"flagged": False, "categories": {"violence": False}, "category_scores": {"violence": 0.0}},
                ],
            }
        )
    )
    r = moderation(["I will hurt you", "hello"], **_base(server))
    body = server.requests[-1].json()
    assert server.requests[-1].path == "/v1/moderations"
    assert body == {"input": ["I will hurt you", "hello"], "model": "omni-moderation-latest"}
    _validate(openai_schemas, "CreateModerationRequest", body)
    assert r.id == "modr-1" and r.model == "omni-moderation-2024-09-26"
    assert [x.flagged for x in r.results] == [True, False]
    assert r.results[0].categories["violence"] is True and r["results"][0]["category_scores"]["violence"] == 0.9
    assert r.results[0].category_applied_input_types == {"violence": ["text"]}
    assert r._hidden_params["response_cost"] == 0.0


def test_moderation_mistral_flagged_computed(server: LoopbackServer) -> None:
    server.add(
        Reply.json({"id": "m1", "model": "mistral-moderation-latest",
                    "results": [{"categories": {"pii": True, "law": False}, "category_scores": {"pii": 0.8, "law": 0.0}},
                                {"categories": {"pii": False}, "category_scores": {"pii": 0.0}}]})
    )
    r = moderation("my card is 1234", model="mistral/mistral-moderation-latest", **_base(server))
    assert server.requests[-1].json() == {"input": "my card is 1234", "model": "mistral-moderation-latest"}
    assert [x.flagged for x in r.results] == [True, False]


def test_moderation_rejects_empty_input(server: LoopbackServer) -> None:
    for bad in ([], None, 3):
        with pytest.raises(BadRequestError):
            moderation(bad, **_base(server))
    assert server.requests == []


# -- text completion --------------------------------------------------------------------------------


def test_text_completion_request_response_cost_and_spec(server: LoopbackServer, openai_schemas: Dict[str, Any]) -> None:
    logprobs = {"tokens": ["\n", "This"], "token_logprobs": [-0.1, -0.2], "top_logprobs": None, "text_offset": [0, 1]}
    server.add(Reply.json(_completion_body(choices=[{"text": "\nThis", "index": 0, "logprobs": logprobs, "finish_reason": "length"}])))
    r = text_completion(
        model="openai/gpt-3.5-turbo-instruct",
        prompt="Say this is a test",
        max_tokens=7,
        temperature=0,
        echo=False,
        suffix="END",
        logprobs=2,
        n=1,
        stop=["\n\n"],
        top_p=0.9,
        seed=7,
        **_base(server),
    )
    req = server.requests[-1]
    assert req.path == "/v1/completions" and req.headers["accept"] == "application/json"
    body = req.json()
    assert body == {
        "model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "max_tokens": 7, "temperature": 0, "echo": False,
        "suffix": "END", "logprobs": 2, "n": 1, "stop": ["\n\n"], "top_p": 0.9, "seed": 7,
    }
    _validate(openai_schemas, "CreateCompletionRequest", body)
    assert isinstance(r, TextCompletionResponse)
    assert (r.id, r.object, r.created, r.model) == ("cmpl-123", "text_completion", 1700000000, "gpt-3.5-turbo-instruct")
    assert r.choices[0].text == "\nThis" and r.choices[0].finish_reason == "length"
    assert r.choices[0].logprobs == logprobs and r["choices"][0]["index"] == 0
    assert r.usage is not None and (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (5, 7, 12)
    assert r._hidden_params["response_cost"] == pytest.approx(5 * 1.5e-06 + 7 * 2e-06)


@pytest.mark.parametrize("prompt", ["", ["a", "b"], [1, 2, 3], [[1, 2], [3]]])
def test_text_completion_prompt_forms(server: LoopbackServer, prompt: Any, openai_schemas: Dict[str, Any]) -> None:
    server.add(Reply.json(_completion_body()))
    text_completion(model="openai/davinci-002", prompt=prompt, **_base(server))
    body = server.requests[-1].json()
    assert body["prompt"] == prompt
    _validate(openai_schemas, "CreateCompletionRequest", body)


@pytest.mark.parametrize("prompt", [None, [], [{"a": 1}], ["a", 1], [[]]])
def test_text_completion_rejects_bad_prompts(server: LoopbackServer, prompt: Any) -> None:
    with pytest.raises(BadRequestError):
        text_completion(model="openai/davinci-002", prompt=prompt, **_base(server))
    assert server.requests == []


def _stream_reply(body: Dict[str, Any], **kw: Any) -> Reply:
    return Reply(headers={"content-type": "text/event-stream"}, chunks=stream_completions(body), chunked=True, **kw)


def test_text_completion_stream(server: LoopbackServer, openai_schemas: Dict[str, Any]) -> None:
    request = {"model": "gpt-3.5-turbo-instruct", "prompt": "Tell me", "stream": True, "stream_options": {"include_usage": True}}
    server.add(_stream_reply(request))
    stream = text_completion(
        model="openai/gpt-3.5-turbo-instruct", prompt="Tell me", stream=True, stream_options={"include_usage": True}, **_base(server)
    )
    assert isinstance(stream, TextCompletionStreamWrapper)
    chunks = list(stream)
    req = server.requests[-1]
    assert req.headers["accept"] == "text/event-stream"
    assert req.json() == request
    _validate(openai_schemas, "CreateCompletionRequest", req.json())
    assert all(isinstance(c, TextCompletionResponse) and c.object == "text_completion" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    text = "".join(ch.text for c in chunks for ch in c.choices)
    assert text == " echo: Tell me"
    assert [ch.finish_reason for c in chunks for ch in c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == 1
    final = stream.get_final_response()
    assert final.choices[0].text == " echo: Tell me" and final.choices[0].finish_reason == "stop"
    assert final.usage is not None and final.usage.total_tokens == chunks[-1].usage.total_tokens


def test_text_completion_stream_cut_connection_raises(server: LoopbackServer) -> None:
    events = stream_completions({"model": "m", "prompt": "a fairly long prompt to stream"})
    cut = sum(len(e) for e in events[:3]) + 10
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=events, chunked=True, cut_after=cut))
    stream = text_completion(model="openai/m", prompt="a fairly long prompt to stream", stream=True, **_base(server))
    received: List[TextCompletionResponse] = []
    with pytest.raises(APIConnectionError):
        for chunk in stream:
            received.append(chunk)
    assert 1 <= len(received) <= 3


def test_text_completion_stream_clean_eof_without_done_raises(server: LoopbackServer) -> None:
    events = stream_completions({"model": "m", "prompt": "hello there"})
    # The server ends the body properly, but before the finish chunk and [DONE].
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=events[:2], chunked=True))
    with pytest.raises(APIConnectionError, match="end marker"):
        list(text_completion(model="openai/m", prompt="hello there", stream=True, **_base(server)))


def test_text_completion_stream_in_stream_error(server: LoopbackServer) -> None:
    events = stream_completions({"model": "m", "prompt": "hi"})[:1]
    events.append(b'data: {"error": {"message": "Rate limit exceeded mid-stream", "type": "rate_limit_error", "code": 429}}\n\n')
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=events, chunked=True))
    stream = text_completion(model="openai/m", prompt="hi", stream=True, **_base(server))
    first = next(stream)
    assert first.choices[0].text
    with pytest.raises(RateLimitError, match="mid-stream"):
        next(stream)


def test_text_completion_stream_close_early(server: LoopbackServer) -> None:
    server.add(_stream_reply({"model": "m", "prompt": "x" * 200}))
    with text_completion(model="openai/m", prompt="x" * 200, stream=True, **_base(server)) as stream:
        assert next(stream).choices[0].text
    with pytest.raises(StopIteration):
        next(stream)


def test_text_completion_stream_async_iteration(server: LoopbackServer) -> None:
    import asyncio

    server.add(_stream_reply({"model": "m", "prompt": "async"}))
    stream = text_completion(model="openai/m", prompt="async", stream=True, **_base(server))

    async def collect() -> str:
        return "".join([ch.text async for c in stream for ch in c.choices])

    assert asyncio.run(collect()) == " echo: async"


def test_text_completion_mock_response() -> None:
    r = text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="x", mock_response="mocked!")
    assert r.choices[0].text == "mocked!" and r.choices[0].finish_reason == "stop"
    chunks = list(text_completion(model="openai/gpt-3.5-turbo-instruct", prompt="x", stream=True, mock_response="mocked!"))
    assert "".join(c.choices[0].text for c in chunks) == "mocked!"
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_mock_responses_never_touch_the_network() -> None:
    img = image_generation("x", model="openai/dall-e-2", n=2, mock_response="https://mock/img.png")
    assert [d.url for d in img.data] == ["https://mock/img.png"] * 2
    mod = moderation(["a", "b"], model="openai/omni-moderation-latest", mock_response=True)
    assert [r.flagged for r in mod.results] == [True, True]
    ready = TextCompletionResponse(model="m")
    assert text_completion(model="openai/m", prompt="x", mock_response=ready) is ready
    with pytest.raises(BadRequestError, match="mocked failure"):
        image_generation("x", model="openai/dall-e-2", mock_response=BadRequestError("mocked failure", "openai", "dall-e-2"))


# -- the fake provider's routes, end to end ----------------------------------------------------------


@pytest.fixture
def fake(server: LoopbackServer) -> Iterator[LoopbackServer]:
    def handler(req: RecordedRequest) -> Reply:
        answer = handle_endpoint(req.path, req.body, req.headers)
        if answer is None:
            return Reply.json({"error": {"message": "no route"}}, status=404)
        status, headers, body = answer
        headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        return Reply(status=status, headers=headers, body=body)

    server.handler = handler
    yield server


def test_fake_routes_serve_every_endpoint(fake: LoopbackServer) -> None:
    base = _base(fake)
    img = image_generation("a red fox", model="openai/dall-e-3", **base)
    assert img.data[0].url and img.data[0].url.endswith(".png") and img.data[0].revised_prompt
    img = image_generation("a red fox", model="openai/dall-e-2", n=3, response_format="b64_json", **base)
    assert len(img.data) == 3 and base64.b64decode(img.data[0].b64_json or "").startswith(b"\x89PNG")
    tr = transcription(model="openai/whisper-1", file=("talk.wav", WAV), prompt="ctx", **base)
    assert tr.text == "fake transcript of talk.wav (audio/wav, %d bytes) prompted with: ctx" % len(WAV)
    tr = transcription(model="openai/whisper-1", file=WAV, response_format="verbose_json", language="fr", **base)
    assert tr.language == "fr" and tr.duration is not None and tr.segments
    tr = transcription(model="openai/whisper-1", file=WAV, response_format="text", **base)
    assert tr.text.startswith("fake transcript of audio.wav")
    sp = speech(model="openai/tts-1", input="Hello", voice="alloy", response_format="wav", **base)
    assert sp.content == speech_bytes("Hello", "alloy") and sp.content_type == "audio/wav"
    mod = moderation(["I will kill it", "nice day"], **base)
    assert [r.flagged for r in mod.results] == [True, False] and mod.results[0].categories["violence"] is True
    tc = text_completion(model="openai/m", prompt=["a", "b"], n=2, **base)
    assert [c.text for c in tc.choices] == [" echo: a", " echo 1: a", " echo: b", " echo 1: b"]
    tc = text_completion(model="openai/m", prompt="abcdefghijklmnop", max_tokens=2, **base)
    assert tc.choices[0].finish_reason == "length" and len(tc.choices[0].text) == 8
    chunks = list(text_completion(model="openai/m", prompt="streamed", stream=True, **base))
    assert "".join(ch.text for c in chunks for ch in c.choices) == " echo: streamed"


def test_fake_routes_reject_bad_requests() -> None:
    answer = handle_endpoint("/v1/audio/transcriptions", *_form_without_file())
    assert answer is not None and answer[0] == 400
    assert json.loads(answer[2])["error"]["message"] == "file is required"
    assert handle_endpoint("/v1/chat/completions", b"{}", {}) is None
    assert handle_endpoint("/v1/unknown", b"{}", {}) is None
    answer = handle_endpoint("/v1/moderations", b"not json", {})
    assert answer is not None and answer[0] == 400
    bad_format = json.dumps({"input": "x", "voice": "a", "response_format": "midi"}).encode()
    answer = handle_endpoint("/v1/audio/speech", bad_format, {})
    assert answer is not None and answer[0] == 400


def _form_without_file() -> Tuple[bytes, Dict[str, str]]:
    body, content_type = encode_multipart([("model", "whisper-1")], [])
    return body, {"Content-Type": content_type}


# -- embeddings (OpenAI family) ------------------------------------------------------------------------


def test_embedding_base64_is_decoded(server: LoopbackServer) -> None:
    vectors = [[0.25, -1.5, 3.0], [1.0, 0.0, -0.125]]
    data = [
        {"object": "embedding", "index": i, "embedding": base64.b64encode(struct.pack("<3f", *v)).decode()} for i, v in enumerate(vectors)
    ]
    server.add(Reply.json({"object": "list", "data": data, "model": "text-embedding-3-small", "usage": {"prompt_tokens": 4, "total_tokens": 4}}))
    r = litellm_lite.embedding(model="openai/text-embedding-3-small", input=["a", "b"], encoding_format="base64", dimensions=3, **_base(server))
    req = server.requests[-1]
    assert req.path == "/v1/embeddings"
    assert req.json() == {"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "base64", "dimensions": 3}
    assert [d.embedding for d in r.data] == vectors
    assert [d.index for d in r.data] == [0, 1]
    assert r.usage is not None and r.usage.prompt_tokens == 4
    # text-embedding-3-small is priced per input token in the registry.
    assert r._hidden_params["response_cost"] == pytest.approx(4 * 2e-08)


def _embedding_cassettes() -> List[Path]:
    if not CASSETTES.is_dir():
        return []
    return sorted(CASSETTES.glob("openai__embeddings*.json")) + sorted(CASSETTES.glob("mistral__embeddings*.json"))


@pytest.mark.parametrize("path", _embedding_cassettes() or [None], ids=lambda p: p.name if p else "absent")
def test_embedding_recordings_replay(server: LoopbackServer, path: Optional[Path]) -> None:
    if path is None:
        pytest.skip("../shared/cassettes is not present next to this checkout: embedding recordings not replayed")
    rec = json.loads(path.read_text(encoding="utf-8"))
    response = rec["response"]
    headers = dict(response.get("headers") or {})
    if "content-type" not in headers and response.get("headers_inferred"):
        headers.update(response["headers_inferred"])
    server.add(Reply(status=response["status"], headers=headers, body=response["body_text"].encode("utf-8")))
    recorded = rec["request"]["body"]
    r = litellm_lite.embedding(
        model="%s/%s" % (rec["provider"], recorded["model"]),
        input=recorded["input"],
        encoding_format=recorded.get("encoding_format"),
        api_base=server.url + "/v1",
        api_key=KEY,
    )
    req = server.requests[-1]
    assert req.path == rec["request"]["path"]
    sent = req.json()
    expected_body = {k: v for k, v in recorded.items() if v is not None}
    assert {k: (v[0] if k == "input" and isinstance(v, list) and len(v) == 1 else v) for k, v in sent.items()} == expected_body
    expected = rec["expected"]["embeddings"]
    assert len(r.data) == expected["count"]
    assert len(r.data[0].embedding) == expected["dimensions"]
    assert [round(x, 6) for x in r.data[0].embedding[:3]] == pytest.approx(expected["first_values"], abs=1e-6)
    assert r.usage is not None and r.usage.prompt_tokens == rec["expected"]["usage"]["input_tokens"]


# -- more cases (formerly test_cov_endpoints.py: Endpoints beyond chat: rarer inputs, odd bodies, costs, and




KEY_2 = "sk-cov-endpoints-123456"


@pytest.fixture(scope="module")
def _srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def server_2(_srv: LoopbackServer) -> Iterator[LoopbackServer]:
    _srv.reset()
    yield _srv


def base(server_2: LoopbackServer) -> Dict[str, Any]:
    return {"api_base": server_2.url + "/v1", "api_key": KEY_2, "num_retries": 0}


# ---------------------------------------------------------------------------------------------
# shared plumbing


def test_endpoints_without_a_default_model_need_one() -> None:
    with pytest.raises(BadRequestError, match="transcription needs a model"):
        transcription(model=None, file=b"RIFF....WAVE")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="speech needs a model"):
        speech(model=None, input="hi", voice="alloy")  # type: ignore[arg-type]


def test_bookkeeping_kwargs_are_dropped_and_extra_body_is_merged(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json({"results": [{"flagged": False, "categories": {}}]}))
    moderation("text", model="openai/omni-moderation-latest", litellm_call_id="abc", caching=True,
               extra_body={"custom_field": 1}, **base(server_2))
    sent = server_2.requests[-1].json()
    assert sent == {"input": "text", "model": "omni-moderation-latest", "custom_field": 1}


def test_non_object_json_body_is_a_connection_error(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json([1, 2, 3]))
    with pytest.raises(APIConnectionError, match="unexpected image_generation response body"):
        image_generation("a cat", model="openai/dall-e-2", **base(server_2))


# ---------------------------------------------------------------------------------------------
# images


def test_gpt_image_cost_from_token_prices(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json({"created": 1, "data": [{"b64_json": "AAAA"}],
                           "usage": {"input_tokens": 10, "output_tokens": 100, "total_tokens": 110,
                                     "input_tokens_details": {"text_tokens": 8, "image_tokens": 2}}}))
    result = image_generation("otter", model="openai/gpt-image-1", **base(server_2))
    # no per-image row for the default size/quality: token prices of gpt-image-1
    # (text in 5e-6, image in 1e-5, image out 4e-5 per token)
    assert result._hidden_params["response_cost"] == pytest.approx(8 * 5e-6 + 2 * 1e-5 + 100 * 4e-5)


def test_image_cost_unknown_model_is_none(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}, "junk"]}))
    result = image_generation("otter", model="openai/my-private-image-model", **base(server_2))
    assert len(result.data) == 1  # the non-object item is skipped
    assert result._hidden_params["response_cost"] is None


def test_image_cost_from_registered_prices(server_2: LoopbackServer) -> None:
    from litellm_lite.registry import register_model

    register_model({
        "cov-endpoints-image-model": {"litellm_provider": "openai", "mode": "image_generation",
                                      "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
        "standard/7-x-q/cov-endpoints-image-model": {"litellm_provider": "openai", "mode": "image_generation",
                                                    "input_cost_per_pixel": 1e-9},
    })
    usage = {"input_tokens": 10, "output_tokens": 100, "total_tokens": 110,
             "input_tokens_details": {"image_tokens": 4}}
    server_2.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}], "usage": usage}))
    result = image_generation("otter", model="openai/cov-endpoints-image-model", **base(server_2))
    # no image-token prices: image input at the text price, output at the output token price
    assert result._hidden_params["response_cost"] == pytest.approx(10 * 1e-6 + 100 * 2e-6)
    # a per-pixel row for a size that is not WIDTHxHEIGHT numbers: cost unknown, the call still succeeds
    server_2.add(Reply.json({"created": 1, "data": [{"url": "https://x/1.png"}]}))
    odd = image_generation("otter", model="openai/cov-endpoints-image-model", size="7xq", **base(server_2))
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


def test_transcription_text_format_cut_body_raises(server_2: LoopbackServer) -> None:
    server_2.add(Reply(status=200, headers={"content-type": "text/plain", "content-length": "100"},
                     body=b"partial transcript", cut_after=10))
    with pytest.raises(APIConnectionError):
        transcription("openai/whisper-1", b"RIFF....WAVE", response_format="text", **base(server_2))


def test_transcription_cost_is_none_for_an_unknown_model(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json({"text": "hello", "duration": 3.0}))
    result = transcription("openai/my-asr", ("a.wav", b"RIFF....WAVE"), **base(server_2))
    assert result.text == "hello" and result._hidden_params["response_cost"] is None


def test_transcription_mock_object_is_returned_as_is() -> None:
    mocked = TranscriptionResponse(text="mocked")
    assert transcription("openai/whisper-1", b"x", mock_response=mocked) is mocked


# ---------------------------------------------------------------------------------------------
# speech


def _speech(server_2: LoopbackServer, data: bytes, model: str = "openai/tts-1") -> SpeechResponse:
    server_2.add(Reply(status=200, headers={"content-type": "audio/mpeg"}, body=data))
    return speech(model, "hello", "alloy", **base(server_2))


def test_speech_accessors_and_unknown_price(server_2: LoopbackServer) -> None:
    result = _speech(server_2, b"ID3 audio bytes", model="openai/my-tts")
    assert result.response_headers["content-type"] == "audio/mpeg"
    assert result.text == "ID3 audio bytes"
    assert result._hidden_params["response_cost"] is None
    assert repr(result) == "<SpeechResponse audio/mpeg (read)>"


def test_speech_iteration_rules(server_2: LoopbackServer) -> None:
    result = _speech(server_2, b"0123456789")
    with pytest.raises(BadRequestError, match="chunk_size must be a positive integer"):
        list(result.iter_bytes(0))
    assert b"".join(result.iter_bytes()) == b"0123456789"
    with pytest.raises(BadRequestError, match="already streamed"):
        list(result.iter_bytes())
    with pytest.raises(BadRequestError, match="already streamed"):
        _ = result.content


def test_speech_without_a_response_and_close(server_2: LoopbackServer) -> None:
    empty = SpeechResponse(None)
    assert list(empty.iter_bytes()) == []
    result = _speech(server_2, b"x" * 1000)
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


def test_moderation_mock_object_and_non_object_results(server_2: LoopbackServer) -> None:
    mocked = ModerationResponse(model="m", results=[ModerationResult(flagged=True)])
    assert moderation("x", mock_response=mocked) is mocked
    server_2.add(Reply.json({"id": "modr-1", "results": ["junk", {"flagged": True, "categories": {"hate": True}}]}))
    result = moderation("x", model="openai/omni-moderation-latest", **base(server_2))
    assert len(result.results) == 1 and result.results[0].flagged is True


# ---------------------------------------------------------------------------------------------
# legacy text completions


def _sse(*events: Any) -> Reply:
    body = b"".join(b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n" for e in events)
    return Reply(status=200, headers={"content-type": "text/event-stream"}, body=body)


def _chunk(text: str, finish: Any = None) -> Dict[str, Any]:
    return {"id": "cmpl-1", "created": 1, "model": "m",
            "choices": ["junk", {"text": text, "index": 0, "finish_reason": finish}]}


def test_text_stream_skips_blank_and_non_object_events_and_stops_at_done(server_2: LoopbackServer) -> None:
    server_2.add(_sse(_chunk("Hel"), b"   ", b"[1, 2]", _chunk("lo", "stop"), b"[DONE]", _chunk("never")))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "Say hello", stream=True, **base(server_2))
    texts = [c.choices[0].text for c in stream]
    assert texts == ["Hel", "lo"]
    final = stream.get_final_response()
    assert final.choices[0].text == "Hello" and final.choices[0].finish_reason == "stop"
    assert list(stream) == []  # finished: iterating again yields nothing (and completes only once)


def test_text_stream_drains_a_long_tail_after_done(server_2: LoopbackServer) -> None:
    tail = b": keep-alive comment padding\n\n" * 4000  # read in several pieces after [DONE]
    server_2.add(Reply(status=200, headers={"content-type": "text/event-stream"},
                     chunks=[b"data: " + json.dumps(_chunk("x", "stop")).encode() + b"\n\ndata: [DONE]\n\n", tail]))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "x", stream=True, **base(server_2))
    assert [c.choices[0].text for c in stream] == ["x"]


def test_text_stream_connection_cut_after_done_is_not_an_error(server_2: LoopbackServer) -> None:
    events = b"data: " + json.dumps(_chunk("y", "stop")).encode() + b"\n\ndata: [DONE]\n\n"
    server_2.add(Reply(status=200, headers={"content-type": "text/event-stream"},
                     chunks=[events, b": trailing bytes that never fully arrive\n\n"], cut_after=len(events) + 5))
    stream = text_completion("openai/gpt-3.5-turbo-instruct", "x", stream=True, **base(server_2))
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


def test_text_completion_choices_skip_non_objects(server_2: LoopbackServer) -> None:
    server_2.add(Reply.json({"id": "cmpl-2", "created": 5, "model": "m",
                           "choices": ["junk", {"text": "ok", "index": 3, "finish_reason": "stop"}]}))
    result = text_completion("openai/gpt-3.5-turbo-instruct", "x", **base(server_2))
    assert [(c.index, c.text) for c in result.choices] == [(3, "ok")]


def test_stream_to_file_and_write_to_file(server_2: LoopbackServer, tmp_path: Path) -> None:
    result = _speech(server_2, b"abcdef")
    result.write_to_file(tmp_path / "a.mp3")
    result.stream_to_file(tmp_path / "b.mp3", chunk_size=4)  # from the kept content
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes() == b"abcdef"
