"""The native rows on the road: SageMaker (TGI and OpenAI-message containers) and Bedrock InvokeModel
routing, through completion() against loopback servers: paths, SigV4, streams byte by byte, errors."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import BadRequestError, NotFoundError, RateLimitError, ServiceUnavailableError
from litellm_lite.providers import PROVIDERS, get_adapter
from litellm_lite.providers.bedrock_invoke import uses_invoke
from tests.server import LoopbackServer, Reply
from tests.transport.test_eventstream import event, frame

AWS = {"aws_region_name": "us-west-2", "aws_access_key_id": "AKIATESTKEY00000001", "aws_secret_access_key": "s3cret",
       "num_retries": 0}
MSGS = [{"role": "user", "content": "Hi?"}]
EVENTSTREAM = {"content-type": "application/vnd.amazon.eventstream"}


def _payload_part(data: bytes) -> bytes:
    return frame([(":event-type", 7, "PayloadPart"), (":content-type", 7, "application/octet-stream"),
                  (":message-type", 7, "event")], data)


def _bytes_reply(body: bytes, split: int) -> Reply:
    return Reply(headers=EVENTSTREAM, chunks=[body[i:i + split] for i in range(0, len(body), split)])


def test_rows_are_registered() -> None:
    for name, adapter in (("watsonx", "watsonx"), ("sagemaker", "sagemaker"), ("sagemaker_chat", "sagemaker_chat")):
        assert PROVIDERS[name].adapter == adapter
        get_adapter(adapter)  # importable
    assert get_adapter("sagemaker").stream_decoder() is not None
    assert get_adapter("openai").stream_decoder() is None


def test_sagemaker_tgi_invoke_signed(server: LoopbackServer) -> None:
    server.add(Reply.json([{"generated_text": " Paris.", "details": {"finish_reason": "eos_token",
                                                                     "generated_tokens": 3}}]))
    got = litellm.completion(model="sagemaker/my-endpoint", messages=MSGS, max_tokens=10, api_base=server.url,
                             inference_component_name="ic-1", **AWS)
    seen = server.requests[0]
    assert seen.path == "/endpoints/my-endpoint/invocations"
    assert "/us-west-2/sagemaker/aws4_request" in seen.headers["authorization"]
    assert seen.headers["x-amzn-sagemaker-inference-component"] == "ic-1"
    assert seen.json()["parameters"]["max_new_tokens"] == 10 and "inference_component_name" not in seen.json()
    assert got.choices[0].message.content == " Paris."
    assert got.usage is not None and got.usage.completion_tokens == 3


@pytest.mark.parametrize("split", [1, 7, 1 << 16])
def test_sagemaker_tgi_stream_byte_by_byte(server: LoopbackServer, split: int) -> None:
    lines = [{"token": {"text": "Grüß", "special": False}},
             {"token": {"text": " Gott", "special": False}},
             {"token": {"text": "</s>", "special": True}, "generated_text": "Grüß Gott",
              "details": {"finish_reason": "length", "generated_tokens": 2}}]
    raw = b"".join(b"data:" + json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n\n" for line in lines)
    # PayloadPart frames cut every 3 bytes: inside "ü" and "ß" (the adapter's own decoder keeps the bytes).
    body = b"".join(_payload_part(raw[i:i + 3]) for i in range(0, len(raw), 3))
    server.add(_bytes_reply(body, split))
    stream = litellm.completion(model="sagemaker/ep", messages=MSGS, stream=True, api_base=server.url, **AWS)
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Grüß Gott"
    assert server.requests[0].path == "/endpoints/ep/invocations-response-stream"
    assert any(c.choices and c.choices[0].finish_reason == "length" for c in chunks)


def test_sagemaker_chat_stream_and_error(server: LoopbackServer) -> None:
    events = [{"id": "1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}}]},
              {"id": "1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
    raw = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"
    server.add(_bytes_reply(_payload_part(raw[:10]) + _payload_part(raw[10:]), 5))
    stream = litellm.completion(model="sagemaker_chat/ep", messages=MSGS, stream=True, api_base=server.url, **AWS)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "Hi"
    assert json.loads(server.requests[0].body)["messages"] == MSGS
    server.add(Reply.json({"message": "Endpoint ep of account 1 not found."}, status=404))
    with pytest.raises(NotFoundError, match="not found"):
        litellm.completion(model="sagemaker_chat/ep", messages=MSGS, api_base=server.url, **AWS)


def test_sagemaker_stream_error_frame(server: LoopbackServer) -> None:
    error = frame([(":exception-type", 7, "ModelStreamError"), (":content-type", 7, "application/json"),
                   (":message-type", 7, "exception")], json.dumps({"Message": "container crashed"}).encode())
    server.add(Reply(headers=EVENTSTREAM, chunks=[error]))
    stream = litellm.completion(model="sagemaker/ep", messages=MSGS, stream=True, api_base=server.url, **AWS)
    with pytest.raises(litellm.APIError, match="container crashed"):
        list(stream)


def test_invoke_routing_rule() -> None:
    assert uses_invoke("invoke/anthropic.claude-v2")
    assert uses_invoke("cohere.command-text-v14") and uses_invoke("us.cohere.command-light-text-v14")
    assert uses_invoke("ai21.j2-ultra-v1")
    assert not uses_invoke("cohere.command-r-plus-v1:0")  # Converse serves Command R
    assert not uses_invoke("anthropic.claude-3-haiku-20240307-v1:0")


def test_bedrock_invoke_prefix_goes_to_invokemodel(server: LoopbackServer) -> None:
    server.add(Reply.json({"generation": "Hello", "stop_reason": "stop", "prompt_token_count": 5,
                           "generation_token_count": 2}))
    got = litellm.completion(model="bedrock/invoke/meta.llama3-8b-instruct-v1:0", messages=MSGS, api_base=server.url,
                             **AWS)
    assert server.requests[0].path == "/model/meta.llama3-8b-instruct-v1%3A0/invoke"
    assert "/us-west-2/bedrock/aws4_request" in server.requests[0].headers["authorization"]
    assert got.choices[0].message.content == "Hello"


def _chunk(payload: Dict[str, Any]) -> bytes:
    return event("chunk", {"bytes": base64.b64encode(json.dumps(payload).encode()).decode()})


@pytest.mark.parametrize("split", [1, 29])
def test_bedrock_cohere_command_streams_through_invoke(server: LoopbackServer, split: int) -> None:
    body = _chunk({"text": "Hel", "is_finished": False}) + _chunk({"text": "lo", "is_finished": False}) + _chunk(
        {"is_finished": True, "finish_reason": "COMPLETE", "amazon-bedrock-invocationMetrics":
         {"inputTokenCount": 4, "outputTokenCount": 2}})
    server.add(_bytes_reply(body, split))
    stream = litellm.completion(model="bedrock/cohere.command-text-v14", messages=MSGS, stream=True,
                                api_base=server.url, **AWS)
    chunks: List[Any] = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello"
    assert server.requests[0].path == "/model/cohere.command-text-v14/invoke-with-response-stream"


def test_bedrock_invoke_errors_map(server: LoopbackServer) -> None:
    server.add(Reply.json({"message": "Too many requests"}, status=429,
                          headers={"x-amzn-errortype": "ThrottlingException"}))
    with pytest.raises(RateLimitError):
        litellm.completion(model="bedrock/ai21.j2-mid-v1", messages=MSGS, api_base=server.url, **AWS)
    with pytest.raises(BadRequestError, match="does not stream"):
        litellm.completion(model="bedrock/ai21.j2-mid-v1", messages=MSGS, stream=True, api_base=server.url, **AWS)
    assert len(server.requests) == 1
    server.add(Reply.json({"message": "busy"}, status=503))
    with pytest.raises(ServiceUnavailableError):
        litellm.completion(model="bedrock/invoke/mistral.mistral-7b-instruct-v0:2", messages=MSGS,
                           api_base=server.url, **AWS)
