"""Ollama native adapters (/api/chat, /api/generate, /api/embed): requests, recordings, NDJSON streams."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

import pytest

from litellm_lite._framing import NDJSONDecoder
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse, map_finish_reason
from litellm_lite.providers.ollama import OllamaChatAdapter, OllamaGenerateAdapter
from tests.conftest import load_cassettes, require_shared
import litellm_lite  # noqa: E402
from tests.server import LoopbackServer, Reply  # noqa: E402

CHAT = OllamaChatAdapter()
GEN = OllamaGenerateAdapter()
CASSETTES = [c for c in load_cassettes("ollama__") if c["_file"] != "ollama__openai_compat_structured_output.json"]


def _config(provider: str = "ollama_chat", **kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider=provider, model="llama3", spec=PROVIDERS[provider], api_key=None,
                                api_base="http://localhost:11434")
    base.update(kw)
    return CallConfig(**base)


def _prepare(messages: Optional[List[Dict[str, Any]]] = None, stream: bool = False, adapter: Any = CHAT,
             config: Optional[CallConfig] = None, extra_body: Optional[Dict[str, Any]] = None, model: str = "llama3",
             **params: Any) -> Tuple[str, Dict[str, str], Dict[str, Any]]:
    req = ChatRequest(model=model, messages=messages or [{"role": "user", "content": "hi"}], params=params,
                      stream=stream, extra_body=extra_body or {})
    cfg = config or _config("ollama" if adapter is GEN else "ollama_chat")
    wire = adapter.prepare(req, cfg)
    return wire.url, wire.headers, json.loads(wire.body)


# ---------------------------------------------------------------------------------------------
# /api/chat requests


def test_chat_minimal_request_sends_stream_false_explicitly() -> None:
    url, headers, body = _prepare()
    assert url == "http://localhost:11434/api/chat"
    assert "authorization" not in headers
    assert headers["accept"] == "application/json"
    assert body == {"model": "llama3", "messages": [{"role": "user", "content": "hi"}], "stream": False}


def test_stream_true_key_and_extra_headers() -> None:
    _, headers, body = _prepare(stream=True, config=_config(api_key="ollama-cloud-key", extra_headers={"X-T": "1"}))
    assert body["stream"] is True
    assert headers["accept"] == "application/x-ndjson"
    assert headers["authorization"] == "Bearer ollama-cloud-key"
    assert headers["X-T"] == "1"


@pytest.mark.parametrize("base", ["http://h:1", "http://h:1/", "http://h:1/api/chat", "http://h:1/api/generate"])
def test_url_from_various_bases(base: str) -> None:
    url, _, _ = _prepare(config=_config(api_base=base))
    assert url == "http://h:1/api/chat"


def test_messages_images_tools_and_tool_results() -> None:
    messages: List[Dict[str, Any]] = [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": [
            {"type": "text", "text": "what is "},
            {"type": "text", "text": "this?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            {"type": "image_url", "image_url": "QUJD"},
        ]},
        {"role": "assistant", "content": None, "reasoning_content": "thought", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
        ]},
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "unknown", "content": [{"type": "text", "text": "x"}]},
    ]
    _, _, body = _prepare(messages)
    assert body["messages"] == [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "what is this?", "images": ["iVBORw0KGgo=", "QUJD"]},
        {"role": "assistant", "content": "", "thinking": "thought", "tool_calls": [
            {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}, "id": "call_1"}]},
        {"role": "tool", "content": "sunny", "tool_name": "get_weather"},
        {"role": "tool", "content": "x"},
    ]


def test_remote_image_url_and_bad_arguments_rejected() -> None:
    with pytest.raises(BadRequestError):
        _prepare([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}])
    bad = {"role": "assistant", "content": "", "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{broken"}}]}
    with pytest.raises(BadRequestError):
        _prepare([{"role": "user", "content": "q"}, bad])


def test_options_from_params() -> None:
    _, _, body = _prepare(temperature=0.5, top_p=0.8, max_tokens=64, stop="###", seed=3, frequency_penalty=0.2,
                          presence_penalty=0.1, stream_options={"include_usage": True})
    assert body["options"] == {"temperature": 0.5, "top_p": 0.8, "num_predict": 64, "stop": ["###"], "seed": 3,
                               "frequency_penalty": 0.2, "presence_penalty": 0.1}
    assert "temperature" not in body and "max_tokens" not in body and "stream_options" not in body


def test_extra_body_options_merge_and_keep_alive_passthrough() -> None:
    _, _, body = _prepare(temperature=0.1, extra_body={"options": {"num_ctx": 8192}, "keep_alive": "5m"})
    assert body["options"] == {"temperature": 0.1, "num_ctx": 8192}
    assert body["keep_alive"] == "5m"


def test_format_json_and_schema() -> None:
    _, _, body = _prepare(response_format={"type": "json_object"})
    assert body["format"] == "json"
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    _, _, body = _prepare(response_format={"type": "json_schema", "json_schema": {"name": "C", "schema": schema}})
    assert body["format"] == schema
    _, _, body = _prepare(response_format={"type": "text"})
    assert "format" not in body


@pytest.mark.parametrize("model,effort,expected", [
    ("qwen3", "low", True), ("qwen3", "high", True), ("qwen3", "none", False), ("qwen3", "default", None),
    ("gpt-oss:20b", "medium", "medium"), ("gpt-oss:20b", "xhigh", "high"),
])
def test_think_from_reasoning_effort(model: str, effort: str, expected: Any) -> None:
    _, _, body = _prepare(model=model, reasoning_effort=effort)
    assert body.get("think") == expected


def test_think_from_thinking_param() -> None:
    assert _prepare(thinking={"type": "enabled", "budget_tokens": 100})[2]["think"] is True
    assert _prepare(thinking={"type": "disabled"})[2]["think"] is False


TOOLS = [{"type": "function", "function": {"name": "get_current_weather", "description": "Weather",
                                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]


def test_tools_passed_and_tool_choice_none_drops_them() -> None:
    assert _prepare(tools=TOOLS)[2]["tools"] == TOOLS
    assert _prepare(tools=TOOLS, tool_choice="auto")[2]["tools"] == TOOLS
    assert "tools" not in _prepare(tools=TOOLS, tool_choice="none")[2]


@pytest.mark.parametrize("name,value", [("tool_choice", "required"), ("n", 3), ("logprobs", True), ("user", "u"),
                                        ("logit_bias", {"1": 1}), ("parallel_tool_calls", False)])
def test_unsupported_params(name: str, value: Any) -> None:
    with pytest.raises(UnsupportedParamsError):
        _prepare(tools=TOOLS, **{name: value})
    _, _, body = _prepare(config=_config(drop_params=True), tools=TOOLS, **{name: value})
    assert name not in body and name not in body.get("options", {})


# ---------------------------------------------------------------------------------------------
# /api/generate requests


def test_generate_single_user_turn_is_the_prompt() -> None:
    url, _, body = _prepare(adapter=GEN, messages=[
        {"role": "system", "content": "be nice"},
        {"role": "user", "content": [{"type": "text", "text": "describe"},
                                     {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/AA=="}}]},
    ], max_tokens=5)
    assert url == "http://localhost:11434/api/generate"
    assert body == {"model": "llama3", "prompt": "describe", "system": "be nice", "images": ["/9j/AA=="],
                    "options": {"num_predict": 5}, "stream": False}


def test_generate_multi_turn_flattened_with_open_assistant_turn() -> None:
    _, _, body = _prepare(adapter=GEN, messages=[
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "again"},
    ], stream=True)
    assert body["prompt"] == "### User:\nhi\n\n### Assistant:\nhello\n\n### User:\nagain\n\n### Assistant:\n"
    assert "system" not in body
    assert body["stream"] is True


def test_generate_rejects_tools() -> None:
    with pytest.raises(UnsupportedParamsError):
        _prepare(adapter=GEN, tools=TOOLS)


# ---------------------------------------------------------------------------------------------
# Responses


def _parse(payload: Any, adapter: Any = CHAT) -> Any:
    req = ChatRequest(model="llama3", messages=[{"role": "user", "content": "hi"}])
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return adapter.parse(WireResponse(200, {}, body), req, _config())


def test_parse_chat_with_thinking_and_tool_calls() -> None:
    resp = _parse({"model": "qwen3", "message": {"role": "assistant", "content": "", "thinking": "hmm", "tool_calls": [
        {"function": {"name": "f", "arguments": {"a": [1, 2]}}},
        {"id": "call_x", "function": {"name": "g", "arguments": {}}},
    ]}, "done": True, "done_reason": "stop", "prompt_eval_count": 10, "eval_count": 2})
    msg = resp.choices[0].message
    assert msg.content == ""
    assert msg.reasoning_content == "hmm"
    assert [t.function.name for t in msg.tool_calls] == ["f", "g"]
    assert json.loads(msg.tool_calls[0].function.arguments) == {"a": [1, 2]}
    assert msg.tool_calls[0].id.startswith("call_") and len(msg.tool_calls[0].id) > 8
    assert msg.tool_calls[1].id == "call_x"
    assert resp.choices[0].finish_reason == "tool_calls"
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens, resp.usage.total_tokens) == (10, 2, 12)


@pytest.mark.parametrize("reason,mapped", [("stop", "stop"), ("length", "length"), ("load", "stop"), (None, "stop")])
def test_done_reason_mapping(reason: Optional[str], mapped: str) -> None:
    resp = _parse({"message": {"role": "assistant", "content": "x"}, "done": True, "done_reason": reason})
    assert resp.choices[0].finish_reason == mapped
    assert resp.usage is None


def test_parse_generate_response() -> None:
    resp = _parse({"response": "text", "thinking": "t", "done": True, "done_reason": "length",
                   "prompt_eval_count": 1, "eval_count": 9}, adapter=GEN)
    assert resp.choices[0].message.content == "text"
    assert resp.choices[0].message.reasoning_content == "t"
    assert resp.choices[0].finish_reason == "length"
    assert resp.usage.completion_tokens == 9


@pytest.mark.parametrize("body", [b"nope", b"[]", b'{"done": true}'])
def test_garbage_raises_connection_error(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        _parse(body)


def test_error_in_200_body_raises() -> None:
    with pytest.raises(InternalServerError):
        _parse({"error": "something broke"})


@pytest.mark.parametrize("status,body,cls", [
    (404, {"error": "model 'nope' not found"}, NotFoundError),
    (400, {"error": "registry.ollama.ai/library/llama2 does not support tools"}, BadRequestError),
    (500, {"error": "llama runner process has terminated"}, InternalServerError),
])
def test_error_bodies(status: int, body: Dict[str, Any], cls: type) -> None:
    err = CHAT.parse_error(WireResponse(status, {}, json.dumps(body).encode()), _config())
    assert isinstance(err, cls)
    assert err.status_code == status
    assert body["error"] in err.message
    assert ("ollama pull" in err.message) == (status == 404)


# ---------------------------------------------------------------------------------------------
# NDJSON streams


def _run(raw: bytes, adapter: Any = CHAT, step: Optional[int] = None) -> Dict[str, Any]:
    dec = NDJSONDecoder()
    events: List[StreamEvent] = []
    pieces = [raw] if step is None else [raw[i:i + step] for i in range(0, len(raw), step)]
    for piece in pieces:
        events.extend(dec.feed(piece))
    events.extend(dec.flush())
    req = ChatRequest(model="llama3", messages=[], stream=True)
    state = adapter.new_stream_state(req, _config())
    chunks = []
    for ev in events:
        chunks.extend(adapter.parse_event(ev, state))
    chunks.extend(adapter.finish_stream(state))
    content = reasoning = None
    calls: Dict[int, Dict[str, Any]] = {}
    finish = usage = None
    for ch in chunks:
        usage = ch.usage or usage
        for choice in ch.choices:
            d = choice.delta
            if d.content is not None:
                content = (content or "") + d.content
            if d.reasoning_content is not None:
                reasoning = (reasoning or "") + d.reasoning_content
            for tc in d.tool_calls or []:
                slot = calls.setdefault(tc.index, {"id": tc.id, "name": tc.function.name, "arguments": ""})
                slot["arguments"] += tc.function.arguments
            finish = choice.finish_reason or finish
    return {"content": content, "reasoning": reasoning, "tool_calls": [calls[i] for i in sorted(calls)],
            "finish_reason": finish, "usage": usage, "chunks": chunks}


def _ndjson(*lines: Dict[str, Any]) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def test_stream_thinking_tool_calls_and_final_line() -> None:
    raw = _ndjson(
        {"message": {"role": "assistant", "content": "", "thinking": "let me"}, "done": False},
        {"message": {"role": "assistant", "content": "", "thinking": " think"}, "done": False},
        {"message": {"role": "assistant", "content": "", "tool_calls": [
            {"function": {"name": "a", "arguments": {"x": 1}}}]}, "done": False},
        {"message": {"role": "assistant", "content": "", "tool_calls": [
            {"function": {"name": "b", "arguments": {}}}]}, "done": False},
        {"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
         "prompt_eval_count": 7, "eval_count": 3},
    )
    out = _run(raw)
    assert out["reasoning"] == "let me think"
    assert out["content"] is None
    assert [(t["name"], json.loads(t["arguments"])) for t in out["tool_calls"]] == [("a", {"x": 1}), ("b", {})]
    assert all(t["id"] for t in out["tool_calls"])
    assert out["finish_reason"] == "tool_calls"
    assert (out["usage"].prompt_tokens, out["usage"].completion_tokens) == (7, 3)
    assert out["chunks"][0].choices[0].delta.role == "assistant"
    assert len({ch.id for ch in out["chunks"]}) == 1


def test_stream_without_done_line_raises() -> None:
    raw = _ndjson({"message": {"role": "assistant", "content": "Hi"}, "done": False})
    with pytest.raises(APIConnectionError):
        _run(raw)


def test_stream_error_line_raises() -> None:
    raw = _ndjson({"message": {"role": "assistant", "content": "Hi"}, "done": False}, {"error": "out of memory"})
    with pytest.raises(InternalServerError):
        _run(raw)


def test_stream_garbage_line_raises() -> None:
    with pytest.raises(APIConnectionError):
        _run(b'{"message": {"content": "a"}, "done": false}\n{half\n')


# ---------------------------------------------------------------------------------------------
# Recordings


def _cassette(name: str) -> Dict[str, Any]:
    require_shared()
    for c in CASSETTES:
        if c["_file"] == name:
            return c
    pytest.skip("recording %s not present" % name)
    raise AssertionError


def _openai_messages(recorded: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    out = []
    for m in recorded:
        m = dict(m)
        if m.get("tool_calls"):
            m["tool_calls"] = [{"type": "function", "function": {"name": t["function"]["name"],
                                                                  "arguments": json.dumps(t["function"]["arguments"])}}
                               for t in m["tool_calls"]]
        out.append(m)
    return out


RESPONSE_FILES = [c["_file"] for c in CASSETTES if c["response"]["status"] == 200 and "embed" not in c["request"]["path"]]


def test_all_recordings_covered() -> None:
    require_shared()
    names = {c["_file"] for c in CASSETTES}
    assert names == set(RESPONSE_FILES) | {"ollama__error_404.json", "ollama__embeddings.json"}
    assert len(RESPONSE_FILES) == 7


@pytest.mark.parametrize("name", RESPONSE_FILES + ["ollama__error_404.json"])
def test_recorded_request_matches_what_we_build(name: str) -> None:
    c = _cassette(name)
    rec = c["request"]["body"]
    generate = c["request"]["path"] == "/api/generate"
    params: Dict[str, Any] = {}
    for key, value in (rec.get("options") or {}).items():
        params[key] = value
    if rec.get("tools"):
        params["tools"] = rec["tools"]
    messages = [{"role": "user", "content": rec["prompt"]}] if generate else _openai_messages(rec["messages"])
    req = ChatRequest(model=rec["model"], messages=messages, params=params, stream=rec["stream"])
    adapter = GEN if generate else CHAT
    wire = adapter.prepare(req, _config("ollama" if generate else "ollama_chat", api_base="http://" + c["request"]["host"]))
    assert wire.url == "http://%s%s" % (c["request"]["host"], c["request"]["path"])
    body = json.loads(wire.body)
    assert body["model"] == rec["model"]
    assert body["stream"] is rec["stream"]
    assert body.get("options", {}) == (rec.get("options") or {})
    assert body.get("tools") == (rec.get("tools") or None)
    if generate:
        assert body["prompt"] == rec["prompt"]
    else:
        assert body["messages"] == rec["messages"]


@pytest.mark.parametrize("name", RESPONSE_FILES)
def test_recorded_response_gives_expected_result(name: str) -> None:
    c = _cassette(name)
    exp = c["expected"]
    adapter = GEN if c["request"]["path"] == "/api/generate" else CHAT
    raw = c["response"]["body_text"].encode("utf-8")
    if c["request"]["body"].get("stream"):
        out = _run(raw, adapter)
        split = _run(raw, adapter, step=5)
        assert (split["content"], split["finish_reason"], split["usage"]) == (out["content"], out["finish_reason"], out["usage"])
        content, reasoning, finish, usage = out["content"], out["reasoning"], out["finish_reason"], out["usage"]
        calls = [(t["name"], json.loads(t["arguments"])) for t in out["tool_calls"]]
    else:
        req = ChatRequest(model=c["request"]["body"]["model"], messages=[])
        resp = adapter.parse(WireResponse(200, {}, raw), req, _config())
        msg = resp.choices[0].message
        content, reasoning, finish, usage = msg.content, msg.reasoning_content, resp.choices[0].finish_reason, resp.usage
        calls = [(t.function.name, json.loads(t.function.arguments)) for t in msg.tool_calls or []]
    assert content == exp["content"]
    assert reasoning == exp["reasoning"]
    assert calls == [(t["name"], t["arguments"]) for t in exp["tool_calls"]]
    expected_finish = map_finish_reason(exp["finish_reason"])
    if calls and expected_finish == "stop":
        expected_finish = "tool_calls"  # Ollama says "stop" even when it called tools
    assert finish == expected_finish
    assert (usage.prompt_tokens, usage.completion_tokens) == (exp["usage"]["input_tokens"], exp["usage"]["output_tokens"])


def test_recorded_error_404() -> None:
    c = _cassette("ollama__error_404.json")
    headers = c["response"]["headers"] or c["response"].get("headers_inferred", {})
    err = CHAT.parse_error(WireResponse(404, headers, c["response"]["body_text"].encode()), _config(model="nonexistent-model:latest"))
    assert isinstance(err, NotFoundError)
    assert err.status_code == 404
    assert c["expected"]["error"] in err.message


# ---------------------------------------------------------------------------------------------
# Embeddings


def test_embedding_request() -> None:
    req = EmbeddingRequest(model="all-minilm", input=["a", "b"], params={"dimensions": 64}, extra_body={"keep_alive": "1m"})
    wire = CHAT.prepare_embedding(req, _config())
    assert wire.url == "http://localhost:11434/api/embed"
    assert json.loads(wire.body) == {"model": "all-minilm", "input": ["a", "b"], "dimensions": 64, "keep_alive": "1m"}
    assert GEN.prepare_embedding(req, _config("ollama")).url == wire.url
    with pytest.raises(BadRequestError):
        CHAT.prepare_embedding(EmbeddingRequest(model="m", input=[[1]]), _config())


def test_parse_embed_response() -> None:
    body = json.dumps({"model": "m", "embeddings": [[0.1, 0.2], [0.3, 0.4]], "prompt_eval_count": 4}).encode()
    resp = CHAT.parse_embedding(WireResponse(200, {}, body), EmbeddingRequest(model="m", input=["a", "b"]), _config())
    assert [d.embedding for d in resp.data] == [[0.1, 0.2], [0.3, 0.4]]
    assert [d.index for d in resp.data] == [0, 1]
    assert resp.usage is not None and resp.usage.prompt_tokens == 4
    with pytest.raises(APIConnectionError):
        CHAT.parse_embedding(WireResponse(200, {}, b'{"embeddings": 5}'), EmbeddingRequest(model="m", input=["a"]), _config())


def test_recorded_legacy_embeddings_response() -> None:
    c = _cassette("ollama__embeddings.json")
    req = EmbeddingRequest(model=c["request"]["body"]["model"], input=[c["request"]["body"]["prompt"]])
    resp = CHAT.parse_embedding(WireResponse(200, {}, c["response"]["body_text"].encode()), req, _config())
    exp = c["expected"]["embeddings"]
    assert len(resp.data) == exp["count"]
    assert len(resp.data[0].embedding) == exp["dimensions"]
    assert [round(v, 6) for v in resp.data[0].embedding[:3]] == exp["first_values"]


# ---------------------------------------------------------------------------------------------
# End to end over loopback (litellm_lite.completion / embedding)





def _reply(c: Dict[str, Any], piece: Optional[int] = None) -> Reply:
    raw = c["response"]["body_text"].encode("utf-8")
    headers = dict(c["response"]["headers"] or c["response"].get("headers_inferred") or {})
    if piece:
        return Reply(status=c["response"]["status"], headers=headers,
                     chunks=[raw[i:i + piece] for i in range(0, len(raw), piece)], chunked=True)
    return Reply(status=c["response"]["status"], headers=headers, body=raw)


def _with_ids(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Give recorded id-less tool calls/results the ids completion()'s validation requires."""
    pending: List[str] = []
    out = []
    for m in messages:
        m = dict(m)
        if m.get("tool_calls"):
            m["tool_calls"] = [dict(t, id=t.get("id") or "call_%d" % i) for i, t in enumerate(m["tool_calls"])]
            pending.extend(t["id"] for t in m["tool_calls"])
        if m["role"] == "tool" and not m.get("tool_call_id"):
            m["tool_call_id"] = pending.pop(0) if pending else "call_x"
        out.append(m)
    return out


@pytest.mark.parametrize("name", RESPONSE_FILES)
def test_e2e_replay(server: LoopbackServer, name: str) -> None:
    c = _cassette(name)
    rec = c["request"]["body"]
    exp = c["expected"]
    generate = c["request"]["path"] == "/api/generate"
    stream = bool(rec.get("stream"))
    server.add(_reply(c, piece=13 if stream else None))
    kwargs: Dict[str, Any] = dict(rec.get("options") or {})
    if rec.get("tools"):
        kwargs["tools"] = rec["tools"]
    messages = [{"role": "user", "content": rec["prompt"]}] if generate else _with_ids(_openai_messages(rec["messages"]))
    result = litellm_lite.completion(model=("ollama/" if generate else "ollama_chat/") + rec["model"],
                                     messages=messages, api_base=server.url, stream=stream, **kwargs)
    resp = litellm_lite.stream_chunk_builder(list(result)) if stream else result
    msg = resp.choices[0].message
    assert (msg.content or "") == (exp["content"] or "")
    assert msg.reasoning_content == exp["reasoning"]
    assert [(t.function.name, json.loads(t.function.arguments)) for t in msg.tool_calls or []] == [
        (t["name"], t["arguments"]) for t in exp["tool_calls"]]
    assert resp.usage.prompt_tokens == exp["usage"]["input_tokens"]
    assert resp.usage.completion_tokens == exp["usage"]["output_tokens"]
    sent = server.requests[0]
    assert sent.path == c["request"]["path"]
    assert sent.json()["stream"] is stream
    assert "authorization" not in sent.headers


def test_e2e_stream_without_final_line_raises(server: LoopbackServer) -> None:
    c = _cassette("ollama__chat_stream.json")
    lines = c["response"]["body_text"].encode("utf-8").splitlines(keepends=True)
    server.add(Reply(headers={"content-type": "application/x-ndjson"}, chunks=lines[:-1], chunked=True))
    stream = litellm_lite.completion(model="ollama_chat/llama3", messages=[{"role": "user", "content": "x"}],
                                     api_base=server.url, stream=True)
    got: List[Any] = []
    with pytest.raises(APIConnectionError):
        for chunk in stream:
            got.append(chunk)
    assert got  # the lines before the cut were delivered


def test_e2e_404_model_not_found(server: LoopbackServer) -> None:
    c = _cassette("ollama__error_404.json")
    server.add(_reply(c))
    with pytest.raises(NotFoundError) as info:
        litellm_lite.completion(model="ollama_chat/nonexistent-model:latest", messages=[{"role": "user", "content": "x"}],
                                api_base=server.url, num_retries=0)
    assert info.value.status_code == 404
    assert "ollama pull" in str(info.value)


def test_e2e_env_base_and_embedding(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", server.url)
    server.add(Reply.json({"model": "all-minilm", "embeddings": [[0.25, 0.5]], "prompt_eval_count": 3}))
    resp = litellm_lite.embedding(model="ollama/all-minilm", input="hello")
    assert resp.data[0].embedding == [0.25, 0.5]
    assert resp.usage.prompt_tokens == 3
    assert server.requests[0].path == "/api/embed"
    assert server.requests[0].json() == {"model": "all-minilm", "input": ["hello"]}


# -- more cases (formerly test_cov_ollama.py: Ollama adapters: uncommon message shapes, parameter errors, od




CHAT_2 = OllamaChatAdapter()
GEN_2 = OllamaGenerateAdapter()
USER = [{"role": "user", "content": "hi"}]


def cfg(provider: str = "ollama_chat", **kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider=provider, model="llama3", spec=PROVIDERS[provider], api_key=None,
                                api_base="http://localhost:11434")
    base.update(kw)
    return CallConfig(**base)


def body(messages: Optional[List[Dict[str, Any]]] = None, adapter: Any = CHAT_2, drop: bool = False,
         **params: Any) -> Dict[str, Any]:
    request = ChatRequest(model="llama3", messages=messages or USER, params=params)
    provider = "ollama" if adapter is GEN_2 else "ollama_chat"
    return json.loads(adapter.prepare(request, cfg(provider, drop_params=drop)).body)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# messages


def test_chat_odd_content_and_tool_calls() -> None:
    messages = [
        {"role": "user", "content": 12},
        {"role": "user", "content": [7, {"type": "text", "text": "look"},
                                     {"type": "image_url", "image_url": "QUJD"}]},
        {"role": "assistant", "content": None, "tool_calls": [
            "junk",
            {"id": "c1", "function": {"name": "f", "arguments": {"a": 1}}},
            {"id": "c2", "function": {"name": "g", "arguments": ""}},
            {"id": "c3", "function": {"name": "h", "arguments": "[1]"}},
        ]},
    ]
    sent = body(messages)["messages"]
    assert sent[0] == {"role": "user", "content": "12"}
    assert sent[1] == {"role": "user", "content": "look", "images": ["QUJD"]}  # bare base64 passes as is
    assert [c["function"]["arguments"] for c in sent[2]["tool_calls"]] == [{"a": 1}, {}, {"value": [1]}]


@pytest.mark.parametrize("messages,needle", [
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,"}}]}],
     "malformed data URL"),
    ([{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}], "only text and image_url"),
    ([{"role": "critic", "content": "x"}], "unsupported message role"),
])
@pytest.mark.parametrize("adapter", [CHAT_2, GEN_2])
def test_bad_messages(messages: Any, needle: str, adapter: Any) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body(messages, adapter=adapter)


def test_generate_flattens_tool_calls_and_results() -> None:
    messages = [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": "checking", "tool_calls": [
            "junk", {"id": "c1", "function": {"name": "weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "rain"},
    ]
    prompt = body(messages, adapter=GEN_2)["prompt"]
    expected_call = json.dumps({"name": "weather", "arguments": "{\"city\": \"Oslo\"}"})
    assert prompt == ("### User:\nweather?\n\n### Assistant:\nchecking\n" + expected_call + "\n\n"
                      "### Tool result:\nrain\n\n### Assistant:\n")


# ---------------------------------------------------------------------------------------------
# parameters


def test_unknown_reasoning_effort() -> None:
    with pytest.raises(UnsupportedParamsError, match="reasoning_effort"):
        body(reasoning_effort="turbo")
    assert "think" not in body(reasoning_effort="turbo", drop=True)


@pytest.mark.parametrize("fmt", ["json", {"type": "regex", "regex": "a+"}])
def test_unexpressible_response_formats(fmt: Any) -> None:
    with pytest.raises(UnsupportedParamsError, match="response_format"):
        body(response_format=fmt)
    assert "format" not in body(response_format=fmt, drop=True)


# ---------------------------------------------------------------------------------------------
# responses and streams


def _parse_2(payload: Any) -> Any:
    return CHAT_2.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                      ChatRequest(model="llama3", messages=USER), cfg())


def test_response_with_odd_tool_calls_and_garbage_counts() -> None:
    resp = _parse_2({"message": {"role": "assistant", "content": "",
                               "tool_calls": ["junk", {"function": {"name": "f", "arguments": "{\"a\":1}"}}]},
                   "done": True, "prompt_eval_count": "n/a", "eval_count": 5})
    calls = resp.choices[0].message.tool_calls
    assert len(calls) == 1 and calls[0].function.arguments == "{\"a\":1}" and calls[0].id.startswith("call_")
    assert resp.choices[0].finish_reason == "tool_calls"
    assert resp.usage.prompt_tokens == 0 and resp.usage.completion_tokens == 5


def test_stream_blank_and_non_object_lines() -> None:
    state = CHAT_2.new_stream_state(ChatRequest(model="llama3", messages=USER, stream=True), cfg())
    assert CHAT_2.parse_event(StreamEvent(data="  "), state) == []
    with pytest.raises(APIConnectionError, match="unexpected Ollama stream line"):
        CHAT_2.parse_event(StreamEvent(data="\"text\""), state)


# ---------------------------------------------------------------------------------------------
# embeddings


def test_embedding_params_rejected_or_dropped() -> None:
    for params, needle in (({"encoding_format": "base64"}, "encoding_format"), ({"user": "u"}, "'user'")):
        request = EmbeddingRequest(model="nomic-embed-text", input=["a"], params=params)
        with pytest.raises(UnsupportedParamsError, match=needle):
            CHAT_2.prepare_embedding(request, cfg())
        sent = json.loads(CHAT_2.prepare_embedding(request, cfg(drop_params=True)).body)
        assert sent == {"model": "nomic-embed-text", "input": ["a"]}


@pytest.mark.parametrize("payload,needle", [
    ([[0.1]], "unexpected Ollama embed response"),
    ({"embeddings": [[0.1], "x"]}, "vector 1 is not a list"),
])
def test_embedding_response_garbage(payload: Any, needle: str) -> None:
    request = EmbeddingRequest(model="nomic-embed-text", input=["a", "b"])
    with pytest.raises(APIConnectionError, match=needle):
        CHAT_2.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()), request, cfg())
