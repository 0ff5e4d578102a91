"""Every recording in ../shared/cassettes served from 127.0.0.1 and read through the public API.

The recorded response bytes are replayed as they were received; the result must equal the
recording's ``expected`` block (content, reasoning, tool calls, finish reason mapped to OpenAI's
values, usage), and error recordings must raise the class that matches the recorded status.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote

import pytest

import litellm_lite as litellm
from litellm_lite import exceptions as exc
from litellm_lite.providers import ADAPTERS, PROVIDERS
from litellm_lite.providers.base import map_finish_reason
from tests.conftest import load_cassettes, require_shared
from tests.server import LoopbackServer, Reply

CASSETTES = load_cassettes()
AWS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "aws_region_name": "us-east-1"}

# Errors whose class is decided by the provider's error code rather than the bare status.
CLASS_OVERRIDES = {
    "gemini__error_400_invalid_key.json": exc.AuthenticationError,
    "gemini__error_400_invalid_key_stream.json": exc.AuthenticationError,
}


def _adapter_available(adapter: str) -> bool:
    import importlib

    module = ADAPTERS[adapter].split(":")[0]
    try:
        importlib.import_module(module, "litellm_lite.providers")
    except ImportError:
        return False
    return True


def _call_plan(case: Dict[str, Any], base: str) -> Tuple[str, Dict[str, Any]]:
    """(provider, completion kwargs) that make the SDK send this recording's request."""
    req = case["request"]
    body = req["body"] if isinstance(req["body"], dict) else {}
    path = req["path"]
    provider = {"together": "together_ai", "cohere": "cohere_chat"}.get(case["provider"], case["provider"])
    stream = bool(body.get("stream")) or "converse-stream" in path or "streamGenerateContent" in path
    kwargs: Dict[str, Any] = {"api_key": "test-key", "stream": stream, "num_retries": 0}
    is_openai_wire = path.endswith("/chat/completions") or (path.endswith("/embeddings") and not path.startswith("/api/"))
    if case["provider"] == "ollama" and not is_openai_wire:
        provider = "ollama" if path.endswith("/generate") else "ollama_chat"
    if case["provider"] in ("gemini", "ollama") and is_openai_wire:
        provider = "openai"
    if is_openai_wire:
        prefix = path.rsplit("/chat/completions", 1)[0] if path.endswith("/chat/completions") else path.rsplit("/embeddings", 1)[0]
        kwargs["api_base"] = base + prefix
        model = body.get("model", "m")
        if path.endswith("/chat/completions"):
            kwargs["messages"] = body.get("messages")
            for key, value in body.items():
                if key not in ("model", "messages", "stream"):
                    kwargs[key] = value
    else:
        kwargs["api_base"] = base
        kwargs["messages"] = [{"role": "user", "content": "hi"}]
        if provider == "gemini":
            model = re.search(r"/models/([^:]+):", path).group(1)  # type: ignore[union-attr]
            if stream and "alt=sse" not in req["query"]:
                kwargs["gemini_stream_format"] = "json_array"
        elif provider == "bedrock":
            model = unquote(path.split("/model/", 1)[1].rsplit("/", 1)[0])
            kwargs.update(AWS)
            kwargs.pop("api_key")
        else:
            model = body.get("model", "m")
    kwargs["model"] = provider + "/" + model
    return provider, kwargs


def _response_reply(case: Dict[str, Any]) -> Reply:
    resp = case["response"]
    headers = dict(resp.get("headers") or {})
    headers = {k: v for k, v in headers.items() if v}
    if "content-type" not in headers and resp.get("headers_inferred"):
        headers["content-type"] = resp["headers_inferred"].get("content-type", "application/json")
    body = base64.b64decode(resp["body_base64"]) if "body_base64" in resp else resp["body_text"].encode("utf-8")
    # Write in several pieces so every decoder sees reads that split the body.
    size = max(1, len(body) // 7)
    pieces = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    return Reply(status=resp["status"], headers=headers or {"content-type": "application/json"}, chunks=pieces, chunked=True)


def _ids(cases: List[Dict[str, Any]]) -> List[str]:
    return [c["_file"] for c in cases]


CHAT = [c for c in CASSETTES if not c["expected"].get("embeddings") and not c["request"]["path"].endswith(("/embed", "/embeddings", "batchEmbedContents"))]
EMBED = [c for c in CASSETTES if c not in CHAT]


def test_replay_corpus_present() -> None:
    require_shared()
    assert len(CASSETTES) >= 100


def _skip_if_unavailable(provider: str) -> None:
    spec = PROVIDERS[provider]
    if not _adapter_available(spec.adapter):
        pytest.skip("adapter %r for provider %r has not landed yet" % (spec.adapter, provider))


def _expected_usage_ok(provider: str, usage: Any, expected: Optional[Dict[str, Any]]) -> None:
    if expected is None:
        return
    assert usage is not None, "response has no usage"
    prompt = expected["input_tokens"] + (expected.get("cache_read_input_tokens") or 0) + (expected.get("cache_creation_input_tokens") or 0)
    assert usage.prompt_tokens == prompt
    completion = expected["output_tokens"] or 0
    if provider in ("gemini", "vertex_ai"):
        completion += expected.get("reasoning_tokens") or 0  # thoughts count as completion tokens
    assert usage.completion_tokens == completion
    if expected.get("total_tokens"):
        assert usage.total_tokens == expected["total_tokens"]
    if expected.get("reasoning_tokens") and provider not in ("gemini",):
        details = usage.completion_tokens_details
        if details is not None and details.reasoning_tokens is not None:
            assert details.reasoning_tokens == expected["reasoning_tokens"]


@pytest.mark.parametrize("case", CHAT, ids=_ids(CHAT))
def test_replay_chat(case: Dict[str, Any]) -> None:
    require_shared()
    with LoopbackServer() as server:
        provider, kwargs = _call_plan(case, server.url)
        _skip_if_unavailable(provider)
        server.add(_response_reply(case))
        expected = case["expected"]
        if expected.get("error") is not None:
            _check_error(case, kwargs)
            return
        result = litellm.completion(**kwargs)
        if kwargs["stream"]:
            chunks = list(result)
            result = litellm.stream_chunk_builder(chunks)
        _check_result(provider, case, result)
        assert server.requests[0].method == case["request"]["method"]
        assert server.requests[0].path == unquote(case["request"]["path"]) or server.requests[0].path == case["request"]["path"]


def _check_result(provider: str, case: Dict[str, Any], result: Any) -> None:
    expected = case["expected"]
    msg = result.choices[0].message
    if expected["content"] is None:
        assert not msg.content
    else:
        assert (msg.content or "") == expected["content"]
    if expected["reasoning"] is None:
        assert not msg.reasoning_content
    else:
        assert msg.reasoning_content == expected["reasoning"]
    calls = msg.tool_calls or []
    assert [c.function.name for c in calls] == [t["name"] for t in expected["tool_calls"]]
    assert [json.loads(c.function.arguments or "{}") for c in calls] == [t["arguments"] for t in expected["tool_calls"]]
    mapped = map_finish_reason(expected["finish_reason"])
    allowed = {mapped, "tool_calls"} if expected["tool_calls"] else {mapped}
    assert result.choices[0].finish_reason in allowed
    _expected_usage_ok(provider, result.usage, expected["usage"])


def _check_error(case: Dict[str, Any], kwargs: Dict[str, Any]) -> None:
    status = case["response"]["status"]
    if status == 200:
        expected_cls: type = exc.APIError
    else:
        expected_cls = CLASS_OVERRIDES.get(case["_file"]) or type(exc.error_for_status(status, "x"))
    message = case["expected"]["error"].get("message") if isinstance(case["expected"]["error"], dict) else None
    with pytest.raises(exc.APIError) as info:
        result = litellm.completion(**kwargs)
        if kwargs["stream"]:
            list(result)
    assert isinstance(info.value, expected_cls), (type(info.value), expected_cls)
    if status != 200:
        assert info.value.status_code == status
    if message:
        assert message.split("\n")[0][:60] in str(info.value)


@pytest.mark.parametrize("case", EMBED, ids=_ids(EMBED))
def test_replay_embeddings(case: Dict[str, Any]) -> None:
    require_shared()
    with LoopbackServer() as server:
        provider, kwargs = _call_plan(case, server.url)
        _skip_if_unavailable(provider)
        body = case["request"]["body"]
        server.add(_response_reply(case))
        texts = body.get("input") or body.get("texts") or body.get("prompt") or [r.get("content", {}).get("parts", [{}])[0].get("text", "") for r in body.get("requests", [])]
        call = {k: v for k, v in kwargs.items() if k not in ("messages", "stream")}
        if body.get("encoding_format"):
            call["encoding_format"] = body["encoding_format"]
        dims = body.get("dimensions") or (body.get("requests") or [{}])[0].get("outputDimensionality")
        if dims:
            call["dimensions"] = dims
        if case["expected"].get("error") is not None:
            with pytest.raises(exc.APIError) as info:
                litellm.embedding(input=texts, **call)
            assert info.value.status_code == case["response"]["status"]
            return
        result = litellm.embedding(input=texts, **call)
        emb = case["expected"]["embeddings"]
        assert len(result.data) == emb["count"]
        assert len(result.data[0].embedding) == emb["dimensions"]
        assert result.data[0].embedding[:3] == pytest.approx(emb["first_values"], abs=1e-6)
