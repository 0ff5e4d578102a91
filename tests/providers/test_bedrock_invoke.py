"""Bedrock InvokeModel for models Converse does not serve as chat, over loopback (SigV4, streams)."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List

import pytest

from litellm_lite import _http
from litellm_lite._eventstream import EventStreamDecoder
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import APIConnectionError, BadRequestError, RateLimitError, UnsupportedParamsError
from litellm_lite.providers.aws_auth import AwsCredentials
from litellm_lite.providers.base import ChatRequest, ProviderSpec, WireResponse
from litellm_lite.providers.bedrock_invoke import BedrockInvokeAdapter, invoke_family
from tests.server import LoopbackServer, Reply
from tests.transport.test_eventstream import event, frame

ADAPTER = BedrockInvokeAdapter()
CREDS = AwsCredentials(region="us-east-1", access_key_id="AKIDEXAMPLE", secret_access_key="secret-example")
MSGS: List[Dict[str, Any]] = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}]


def _config(base: str, model: str, **kw: Any) -> CallConfig:
    return CallConfig(provider="bedrock", model=model, spec=ProviderSpec(name="bedrock", adapter="bedrock"),
                      api_base=base, credentials=CREDS, timeout=10, **kw)


def _call(server: LoopbackServer, model: str, reply: Any, stream: bool = False, **params: Any) -> Any:
    server.add(reply)
    config = _config(server.url, model)
    request = ChatRequest(model=model, messages=MSGS, params=params, stream=stream)
    wire = ADAPTER.sign(ADAPTER.prepare(request, config), config)
    with _http.send(wire, timeout=10, provider="bedrock") as resp:
        response = WireResponse(resp.status, resp.headers, resp.read())
    return request, config, response


def test_cohere_command_invoke(server: LoopbackServer) -> None:
    model = "cohere.command-text-v14"
    request, config, response = _call(server, model, Reply.json(
        {"id": "g-1", "generations": [{"id": "x", "text": " Hello.", "finish_reason": "COMPLETE"}], "prompt": "…"}),
        max_tokens=20, top_p=0.5, stop="END")
    seen = server.requests[0]
    assert seen.path == "/model/cohere.command-text-v14/invoke"
    assert "/us-east-1/bedrock/aws4_request" in seen.headers["authorization"]
    assert seen.json() == {"prompt": "Be brief.\n\nUser: Hi?\n\nBot:", "max_tokens": 20, "p": 0.5,
                           "stop_sequences": ["END"]}
    got = ADAPTER.parse(response, request, config)
    assert got.choices[0].message.content == " Hello." and got.choices[0].finish_reason == "stop"
    assert got.id == "g-1"


def test_ai21_j2_invoke_and_no_stream(server: LoopbackServer) -> None:
    model = "ai21.j2-ultra-v1"
    request, config, response = _call(server, model, Reply.json(
        {"id": 1, "prompt": {"text": "p", "tokens": [{}, {}, {}]},
         "completions": [{"data": {"text": " Yes", "tokens": []}, "finishReason": {"reason": "length", "length": 2}}]}),
        max_tokens=2)
    assert server.requests[0].json()["maxTokens"] == 2
    got = ADAPTER.parse(response, request, config)
    assert got.choices[0].finish_reason == "length" and got.usage is not None and got.usage.prompt_tokens == 3
    with pytest.raises(BadRequestError, match="does not stream"):
        ADAPTER.prepare(ChatRequest(model=model, messages=MSGS, stream=True), config)


def test_titan_and_mistral_invoke(server: LoopbackServer) -> None:
    request, config, response = _call(server, "amazon.titan-text-express-v1", Reply.json(
        {"inputTextTokenCount": 7, "results": [{"tokenCount": 2, "outputText": "Hi!", "completionReason": "FINISH"}]}),
        max_tokens=9, temperature=0.1)
    assert server.requests[0].json() == {"inputText": "Be brief.\n\nUser: Hi?\n\nBot:",
                                         "textGenerationConfig": {"maxTokenCount": 9, "temperature": 0.1}}
    got = ADAPTER.parse(response, request, config)
    assert got.choices[0].message.content == "Hi!" and got.usage is not None and got.usage.total_tokens == 9
    request, config, response = _call(server, "mistral.mistral-7b-instruct-v0:2", Reply.json(
        {"outputs": [{"text": "Salut", "stop_reason": "length"}]}))
    assert server.requests[1].json()["prompt"] == "<s>[INST] Be brief.\n\nHi? [/INST]"
    assert ADAPTER.parse(response, request, config).choices[0].finish_reason == "length"


def _chunk(payload: Dict[str, Any]) -> bytes:
    return event("chunk", {"bytes": base64.b64encode(json.dumps(payload).encode()).decode()})


def _stream(model: str, body: bytes, split: int) -> List[Any]:
    config = _config("http://x", model)
    request = ChatRequest(model=model, messages=MSGS, stream=True)
    state = ADAPTER.new_stream_state(request, config)
    decoder = EventStreamDecoder()
    out: List[Any] = []
    for i in range(0, len(body), split):
        for ev in decoder.feed(body[i:i + split]):
            out.extend(ADAPTER.parse_event(ev, state))
    decoder.flush()
    out.extend(ADAPTER.finish_stream(state))
    return out + [state]


@pytest.mark.parametrize("split", [1, 33])
def test_llama3_stream(server: LoopbackServer, split: int) -> None:
    body = b"".join([
        _chunk({"generation": "Hel", "prompt_token_count": 9, "generation_token_count": 1, "stop_reason": None}),
        _chunk({"generation": "lo", "prompt_token_count": None, "generation_token_count": 2, "stop_reason": None}),
        _chunk({"generation": "", "generation_token_count": 2, "stop_reason": "stop",
                "amazon-bedrock-invocationMetrics": {"inputTokenCount": 9, "outputTokenCount": 2}}),
    ])
    model = "meta.llama3-8b-instruct-v1:0"
    request, config, response = _call(server, model, Reply(chunks=[body], chunked=True,
                                                             headers={"content-type": "application/vnd.amazon.eventstream"}),
                                      stream=True)
    seen = server.requests[0]
    assert seen.path == "/model/meta.llama3-8b-instruct-v1%3A0/invoke-with-response-stream"
    assert seen.json()["prompt"] == ("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                                     "<|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|>"
                                     "<|start_header_id|>assistant<|end_header_id|>\n\n")
    *chunks, state = _stream(model, response.body, split)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert state.usage is not None and state.usage.total_tokens == 11


def test_cohere_stream_and_cut() -> None:
    body = _chunk({"text": "Yo", "is_finished": False}) + _chunk({"is_finished": True, "finish_reason": "MAX_TOKENS"})
    *chunks, _ = _stream("cohere.command-light-text-v14", body, 7)
    assert chunks[0].choices[0].delta.content == "Yo" and chunks[-1].choices[0].finish_reason == "length"
    with pytest.raises(APIConnectionError, match="before a stop reason"):
        _stream("cohere.command-light-text-v14", _chunk({"text": "Yo", "is_finished": False}), 5)


def test_stream_exception_and_bad_chunks() -> None:
    exc = frame([(":message-type", 7, "exception"), (":exception-type", 7, "throttlingException")],
                json.dumps({"message": "Too many requests"}).encode())
    with pytest.raises(RateLimitError, match="Too many requests"):
        _stream("meta.llama3-8b-instruct-v1:0", exc, 3)
    with pytest.raises(APIConnectionError):
        _stream("meta.llama3-8b-instruct-v1:0", event("chunk", {"bytes": "!!notbase64"}), 100)


def test_families_params_and_errors() -> None:
    assert invoke_family("us.meta.llama3-2-1b-instruct-v1:0") == "meta.llama"
    assert invoke_family("arn:aws:bedrock:us-east-1::foundation-model/cohere.command-text-v14") == "cohere.command"
    with pytest.raises(BadRequestError, match="no InvokeModel"):
        invoke_family("anthropic.claude-3-haiku")
    config = _config("http://x", "mistral.mistral-7b-instruct-v0:2")
    with pytest.raises(UnsupportedParamsError):
        ADAPTER.prepare(ChatRequest(model=config.model, messages=MSGS, params={"tools": []}), config)
    with pytest.raises(BadRequestError, match="AWS_REGION"):
        ADAPTER.prepare(ChatRequest(model=config.model, messages=MSGS), _config("", config.model))
    with pytest.raises(APIConnectionError):
        ADAPTER.parse(WireResponse(200, {}, b'{"outputs": []}'), ChatRequest(model=config.model, messages=MSGS),
                      config)


def test_llama2_prompt() -> None:
    config = _config("http://x", "meta.llama2-13b-chat-v1")
    body = json.loads(ADAPTER.prepare(ChatRequest(model=config.model, messages=MSGS + [
        {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}]), config).body)
    assert body["prompt"] == "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi? [/INST] Hello </s><s>[INST] Bye [/INST]"
