"""AWS SageMaker endpoints (TGI and OpenAI-chat containers) over loopback: SigV4, bodies, event streams."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite import _http
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    UnsupportedParamsError,
)
from litellm_lite.providers.aws_auth import AwsCredentials
from litellm_lite.providers.base import ChatRequest, ProviderSpec, WireResponse
from litellm_lite.providers.sagemaker import (
    PayloadDecoder,
    SagemakerChatAdapter,
    SagemakerTGIAdapter,
    runtime_base,
    tgi_prompt,
)
from tests.server import LoopbackServer, Reply
from tests.transport.test_eventstream import frame

TGI = SagemakerTGIAdapter()
CHAT = SagemakerChatAdapter()
CREDS = AwsCredentials(region="us-west-2", access_key_id="AKIDEXAMPLE", secret_access_key="secret-example")
ENDPOINT = "my-endpoint"


def _config(base: str, provider: str = "sagemaker", creds: Optional[AwsCredentials] = CREDS,
            **options: Any) -> CallConfig:
    return CallConfig(provider=provider, model=ENDPOINT, spec=ProviderSpec(name=provider, adapter=provider),
                      api_base=base, credentials=creds, options=dict(options), timeout=10)


def _send(wire: Any) -> WireResponse:
    with _http.send(wire, timeout=10, provider="sagemaker") as resp:
        return WireResponse(resp.status, resp.headers, resp.read())


def _payload_part(data: bytes) -> bytes:
    return frame([(":event-type", 7, "PayloadPart"), (":content-type", 7, "application/octet-stream"),
                  (":message-type", 7, "event")], data)


def _frames(raw: bytes, sizes: List[int]) -> bytes:
    """``raw`` cut into PayloadPart frames of the given sizes (cycled), anywhere, even inside a character."""
    out = []
    pos = 0
    i = 0
    while pos < len(raw):
        size = sizes[i % len(sizes)]
        out.append(_payload_part(raw[pos:pos + size]))
        pos += size
        i += 1
    return b"".join(out)


def _cuts(total: int, sizes: List[int]) -> List[Any]:
    out, pos, i = [], 0, 0
    while pos < total:
        out.append((pos, sizes[i % len(sizes)]))
        pos += sizes[i % len(sizes)]
        i += 1
    return out


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _run_stream(adapter: Any, request: ChatRequest, config: CallConfig, body: bytes, split: int) -> List[Any]:
    decoder = adapter.stream_decoder()
    assert isinstance(decoder, PayloadDecoder)
    state = adapter.new_stream_state(request, config)
    chunks = []
    for i in range(0, len(body), split):
        for event in decoder.feed(body[i:i + split]):
            chunks.extend(adapter.parse_event(event, state))
    decoder.flush()
    chunks.extend(adapter.finish_stream(state))
    chunks.append(state)
    return chunks


def test_tgi_invocation_signed(server: LoopbackServer) -> None:
    server.add(Reply.json([{"generated_text": " Paris.", "details": {"finish_reason": "eos_token",
                                                                    "generated_tokens": 3}}]))
    config = _config(server.url)
    request = ChatRequest(model=ENDPOINT, messages=[{"role": "system", "content": "Be brief."},
                                                    {"role": "user", "content": "Capital of France?"}],
                          params={"max_tokens": 16, "temperature": 0, "stop": "\n"})
    wire = TGI.sign(TGI.prepare(request, config), config)
    got = TGI.parse(_send(wire), request, config)
    seen = server.requests[0]
    assert seen.path == "/endpoints/my-endpoint/invocations"
    auth = seen.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") and "/us-west-2/sagemaker/aws4_request" in auth
    assert "x-amz-date" in seen.headers
    assert seen.json() == {"inputs": "Be brief. Capital of France?",
                           "parameters": {"details": True, "return_full_text": False, "max_new_tokens": 16,
                                          "temperature": 0.01, "stop": ["\n"]},
                           "stream": False}
    assert got.choices[0].message.content == " Paris." and got.choices[0].finish_reason == "stop"
    assert got.usage is not None and got.usage.completion_tokens == 3


TGI_LINES = [
    {"token": {"id": 1, "text": "Grüß", "logprob": -0.1, "special": False}, "generated_text": None, "details": None},
    {"token": {"id": 2, "text": " Gott", "logprob": -0.2, "special": False}, "generated_text": None, "details": None},
    {"token": {"id": 3, "text": "</s>", "logprob": 0, "special": True}, "generated_text": "Grüß Gott",
     "details": {"finish_reason": "length", "generated_tokens": 3, "seed": None}},
]


@pytest.mark.parametrize("split", [1, 5, 1 << 16])
def test_tgi_stream_split_inside_characters(server: LoopbackServer, split: int) -> None:
    raw = b"".join(b"data:" + json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n\n" for line in TGI_LINES)
    body = _frames(raw, [7, 3, 11])
    parts = [raw[i:i + n] for i, n in _cuts(len(raw), [7, 3, 11])]
    assert any(not _utf8(p) for p in parts)  # some frame ends inside a character
    server.add(Reply(chunks=[body], headers={"content-type": "application/vnd.amazon.eventstream"}, chunked=True))
    config = _config(server.url)
    request = ChatRequest(model=ENDPOINT, messages=[{"role": "user", "content": "hi"}], stream=True)
    wire = TGI.sign(TGI.prepare(request, config), config)
    assert wire.headers["accept"] == "application/vnd.amazon.eventstream"
    received = _send(wire).body
    assert server.requests[0].path == "/endpoints/my-endpoint/invocations-response-stream"
    assert server.requests[0].json()["stream"] is True
    *chunks, state = _run_stream(TGI, request, config, received, split)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Grüß Gott"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "length"
    assert state.usage is not None and state.usage.completion_tokens == 3


def test_tgi_stream_json_lines_without_data_prefix() -> None:
    raw = b"".join(json.dumps(line).encode() + b"\n" for line in TGI_LINES)
    request = ChatRequest(model=ENDPOINT, messages=[], stream=True)
    *chunks, _ = _run_stream(TGI, request, _config("http://x"), _frames(raw, [64]), 13)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Grüß Gott"


def test_stream_cut_raises() -> None:
    raw = b"data:" + json.dumps(TGI_LINES[0]).encode() + b"\n\n"
    request = ChatRequest(model=ENDPOINT, messages=[], stream=True)
    with pytest.raises(APIConnectionError, match="ended before"):
        _run_stream(TGI, request, _config("http://x"), _frames(raw, [10]), 4)


def test_model_stream_error_frame() -> None:
    err = frame([(":message-type", 7, "exception"), (":exception-type", 7, "ModelStreamError"),
                 (":content-type", 7, "application/json")],
                json.dumps({"Message": "CUDA out of memory", "ErrorCode": "ModelError"}).encode())
    request = ChatRequest(model=ENDPOINT, messages=[], stream=True)
    with pytest.raises(APIError) as info:
        _run_stream(TGI, request, _config("http://x"), err, 9)
    assert info.value.status_code == 424 and "CUDA out of memory" in str(info.value)


CHAT_STREAM = [
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Ça"}, "finish_reason": None}]},
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"content": " va"}, "finish_reason": "stop"}]},
]


def test_chat_container_invoke_and_stream(server: LoopbackServer) -> None:
    server.add(Reply.json({"id": "x", "object": "chat.completion", "created": 1, "model": "m",
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5}}))
    config = _config(server.url, provider="sagemaker_chat", inference_component_name="ic-1")
    request = ChatRequest(model=ENDPOINT, messages=[{"role": "user", "content": "hi"}],
                          params={"max_tokens": 5, "tools": [{"type": "function", "function": {"name": "f"}}]})
    got = CHAT.parse(_send(CHAT.sign(CHAT.prepare(request, config), config)), request, config)
    seen = server.requests[0]
    assert seen.headers["x-amzn-sagemaker-inference-component"] == "ic-1"
    assert seen.json() == {"model": ENDPOINT, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5,
                           "tools": [{"type": "function", "function": {"name": "f"}}]}
    assert got.choices[0].message.content == "ok" and got.usage is not None and got.usage.total_tokens == 5

    raw = b"".join(b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in CHAT_STREAM)
    raw += b"data: [DONE]\n\n"
    stream_request = ChatRequest(model=ENDPOINT, messages=[{"role": "user", "content": "hi"}], stream=True)
    assert json.loads(CHAT.prepare(stream_request, config).body)["stream"] is True
    *chunks, state = _run_stream(CHAT, stream_request, config, _frames(raw, [5, 17]), 1)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Ça va"
    assert state.done


def test_error_response_maps(server: LoopbackServer) -> None:
    server.add(Reply.json({"message": "Endpoint my-endpoint of account 1 not found."}, status=400,
                          headers={"content-type": "application/json", "x-amzn-errortype": "ValidationError"}))
    config = _config(server.url)
    request = ChatRequest(model=ENDPOINT, messages=[{"role": "user", "content": "hi"}])
    response = _send(TGI.sign(TGI.prepare(request, config), config))
    err = TGI.parse_error(response, config)
    assert isinstance(err, BadRequestError) and "not found" in str(err)
    model_err = TGI.parse_error(WireResponse(424, {}, json.dumps(
        {"Message": "Received client error (400) from primary", "OriginalStatusCode": 400}).encode()), config)
    assert "Received client error" in str(model_err) and model_err.status_code == 424


def test_urls_regions_and_credentials() -> None:
    request = ChatRequest(model="a/b", messages=[])
    wire = TGI.prepare(request, _config("https://bedrock-runtime.us-west-2.amazonaws.com"))
    assert wire.url == runtime_base("us-west-2") + "/endpoints/a%2Fb/invocations"
    with pytest.raises(BadRequestError, match="AWS_REGION"):
        TGI.prepare(request, _config("", creds=None))
    assert TGI.prepare(request, _config("", creds=None, region="eu-west-1")).url.startswith(
        "https://runtime.sagemaker.eu-west-1.amazonaws.com/")
    with pytest.raises(AuthenticationError):
        TGI.sign(wire, _config("", creds=None, region="eu-west-1"))
    bearer = AwsCredentials(region="us-east-1", bearer_token="tok-123456")
    assert TGI.sign(wire, _config("", creds=bearer)).headers["authorization"] == "Bearer tok-123456"


def test_tgi_rejects_unknown_params() -> None:
    with pytest.raises(UnsupportedParamsError):
        TGI.prepare(ChatRequest(model=ENDPOINT, messages=[], params={"tools": []}), _config("http://x"))
    dropped = CallConfig(provider="sagemaker", model=ENDPOINT, spec=ProviderSpec(name="sagemaker"),
                         api_base="http://x", credentials=CREDS, drop_params=True)
    body = json.loads(TGI.prepare(ChatRequest(model=ENDPOINT, messages=[], params={"tools": []}), dropped).body)
    assert "tools" not in body["parameters"]


@pytest.mark.parametrize("body", [b"[]", b'{"x": 1}', b"nope", b'[{"generated_text": 3}]'])
def test_tgi_hostile_bodies(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        TGI.parse(WireResponse(200, {}, body), ChatRequest(model=ENDPOINT, messages=[]), _config("http://x"))


def test_prompt_joins_texts() -> None:
    msgs: List[Dict[str, Any]] = [{"role": "user", "content": [{"type": "text", "text": "a"}]},
                                  {"role": "assistant", "content": "b"}]
    assert tgi_prompt(msgs) == "a b"
