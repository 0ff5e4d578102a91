"""Cohere v2 adapter: request translation, recorded responses, streams, errors, embeddings."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional, Tuple

import pytest

from litellm_lite._sse import SSEDecoder
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse, map_finish_reason
from litellm_lite.providers.cohere import CohereAdapter
from tests.conftest import load_cassettes, require_shared
import litellm_lite  # noqa: E402
from tests.server import LoopbackServer, Reply  # noqa: E402
import dataclasses

ADAPTER = CohereAdapter()
CASSETTES = load_cassettes("cohere__")


def _config(**kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(
        provider="cohere", model="command-r", spec=PROVIDERS["cohere"], api_key="co-test-key", api_base="https://api.cohere.com"
    )
    base.update(kw)
    return CallConfig(**base)


def _prepare(messages: Optional[List[Dict[str, Any]]] = None, stream: bool = False, config: Optional[CallConfig] = None,
             extra_body: Optional[Dict[str, Any]] = None, **params: Any) -> Tuple[str, Dict[str, str], Dict[str, Any]]:
    req = ChatRequest(
        model="command-r",
        messages=messages or [{"role": "user", "content": "hi"}],
        params=params,
        stream=stream,
        extra_body=extra_body or {},
    )
    wire = ADAPTER.prepare(req, config or _config())
    return wire.url, wire.headers, json.loads(wire.body)


# ---------------------------------------------------------------------------------------------
# Request translation


def test_url_headers_and_minimal_body() -> None:
    url, headers, body = _prepare()
    assert url == "https://api.cohere.com/v2/chat"
    assert headers["authorization"] == "Bearer co-test-key"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert body == {"model": "command-r", "messages": [{"role": "user", "content": "hi"}], "stream": False}


@pytest.mark.parametrize("base", ["https://x.test", "https://x.test/", "https://x.test/v2", "https://x.test/v2/chat"])
def test_url_accepts_base_with_or_without_path(base: str) -> None:
    url, _, _ = _prepare(config=_config(api_base=base))
    assert url == "https://x.test/v2/chat"


def test_stream_flag_accept_header_and_extra_headers() -> None:
    _, headers, body = _prepare(stream=True, config=_config(extra_headers={"X-Client-Name": "t"}))
    assert body["stream"] is True
    assert headers["accept"] == "text/event-stream"
    assert headers["X-Client-Name"] == "t"


def test_messages_every_role() -> None:
    messages: List[Dict[str, Any]] = [
        {"role": "system", "content": "be brief"},
        {"role": "developer", "content": [{"type": "text", "text": "dev"}]},
        {"role": "user", "content": [
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
        ]},
        {"role": "assistant", "content": None, "tool_plan": "I will look it up.", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "get", "arguments": '{"a": 1}'}},
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "result text"},
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "doc"}]},
        {"role": "assistant", "content": "done"},
    ]
    _, _, body = _prepare(messages)
    assert body["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "system", "content": "dev"},
        {"role": "user", "content": [
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
        ]},
        {"role": "assistant", "tool_plan": "I will look it up.", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "get", "arguments": '{"a": 1}'}},
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "result text"},
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "document", "document": {"data": "doc"}}]},
        {"role": "assistant", "content": "done"},
    ]


def test_tool_plan_from_provider_specific_fields_and_dict_arguments() -> None:
    msg = {"role": "assistant", "content": "", "provider_specific_fields": {"tool_plan": "plan"},
           "tool_calls": [{"id": "x", "type": "function", "function": {"name": "f", "arguments": {"k": "v"}}}]}
    _, _, body = _prepare([{"role": "user", "content": "q"}, msg])
    out = body["messages"][1]
    assert out["tool_plan"] == "plan"
    assert json.loads(out["tool_calls"][0]["function"]["arguments"]) == {"k": "v"}


def test_assistant_thinking_blocks_sent_back_as_thinking_content() -> None:
    msg = {"role": "assistant", "content": "answer", "thinking_blocks": [{"type": "thinking", "thinking": "hmm"}]}
    _, _, body = _prepare([{"role": "user", "content": "q"}, msg])
    assert body["messages"][1]["content"] == [{"type": "thinking", "thinking": "hmm"}, {"type": "text", "text": "answer"}]


def test_unsupported_content_part_rejected() -> None:
    with pytest.raises(BadRequestError):
        _prepare([{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "x", "format": "wav"}}]}])


def test_sampling_params_renamed() -> None:
    _, _, body = _prepare(temperature=0.2, top_p=0.9, max_tokens=50, stop="END", seed=7,
                          frequency_penalty=0.1, presence_penalty=0.3, n=1, stream_options={"include_usage": True})
    assert body["temperature"] == 0.2
    assert body["p"] == 0.9
    assert "top_p" not in body
    assert body["max_tokens"] == 50
    assert body["stop_sequences"] == ["END"]
    assert body["seed"] == 7
    assert body["frequency_penalty"] == 0.1
    assert body["presence_penalty"] == 0.3
    assert "n" not in body and "stream_options" not in body


def test_max_completion_tokens_and_stop_list() -> None:
    _, _, body = _prepare(max_completion_tokens=9, stop=["a", "b"])
    assert body["max_tokens"] == 9
    assert body["stop_sequences"] == ["a", "b"]


def test_extra_body_passes_through() -> None:
    _, _, body = _prepare(extra_body={"k": 5, "safety_mode": "STRICT"})
    assert body["k"] == 5
    assert body["safety_mode"] == "STRICT"


@pytest.mark.parametrize("name,value", [("logit_bias", {"1": 2}), ("user", "u"), ("n", 2), ("top_logprobs", 2),
                                        ("parallel_tool_calls", False), ("tool_choice", "bogus")])
def test_unsupported_params_raise_or_drop(name: str, value: Any) -> None:
    with pytest.raises(UnsupportedParamsError):
        _prepare(**{name: value})
    _, _, body = _prepare(config=_config(drop_params=True), **{name: value})
    assert name not in body and "tool_choice" not in body


TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {
        "type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}},
    {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}}},
]


def test_tools_keep_openai_function_shape() -> None:
    _, _, body = _prepare(tools=TOOLS)
    assert body["tools"] == TOOLS
    assert "tool_choice" not in body


@pytest.mark.parametrize("choice,expected", [("auto", None), ("none", "NONE"), ("required", "REQUIRED"), ("any", "REQUIRED")])
def test_tool_choice_strings(choice: str, expected: Optional[str]) -> None:
    _, _, body = _prepare(tools=TOOLS, tool_choice=choice)
    assert body.get("tool_choice") == expected


def test_named_tool_choice_restricts_tools() -> None:
    _, _, body = _prepare(tools=TOOLS, tool_choice={"type": "function", "function": {"name": "get_time"}})
    assert body["tool_choice"] == "REQUIRED"
    assert [t["function"]["name"] for t in body["tools"]] == ["get_time"]
    with pytest.raises(BadRequestError):
        _prepare(tools=TOOLS, tool_choice={"type": "function", "function": {"name": "missing"}})


def test_response_format_json_modes() -> None:
    _, _, body = _prepare(response_format={"type": "json_object"})
    assert body["response_format"] == {"type": "json_object"}
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    _, _, body = _prepare(response_format={"type": "json_schema", "json_schema": {"name": "X", "schema": schema}})
    assert body["response_format"] == {"type": "json_object", "json_schema": schema}
    _, _, body = _prepare(response_format={"type": "text"})
    assert "response_format" not in body


@pytest.mark.parametrize("effort,expected", [
    ("low", {"type": "enabled", "token_budget": 1024}),
    ("medium", {"type": "enabled", "token_budget": 2048}),
    ("high", {"type": "enabled", "token_budget": 4096}),
    ("none", {"type": "disabled"}),
    ("default", None),
])
def test_reasoning_effort_to_thinking(effort: str, expected: Optional[Dict[str, Any]]) -> None:
    _, _, body = _prepare(reasoning_effort=effort)
    assert body.get("thinking") == expected


def test_anthropic_style_thinking_param() -> None:
    _, _, body = _prepare(thinking={"type": "enabled", "budget_tokens": 3000})
    assert body["thinking"] == {"type": "enabled", "token_budget": 3000}
    _, _, body = _prepare(thinking={"type": "disabled"})
    assert body["thinking"] == {"type": "disabled"}


# ---------------------------------------------------------------------------------------------
# Non-streaming responses


def _parse(payload: Any, status: int = 200) -> Any:
    req = ChatRequest(model="command-r", messages=[{"role": "user", "content": "hi"}])
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return ADAPTER.parse(WireResponse(status, {"content-type": "application/json"}, body), req, _config())


def test_parse_text_thinking_tool_plan_and_usage() -> None:
    resp = _parse({
        "id": "r1",
        "finish_reason": "TOOL_CALL",
        "message": {
            "role": "assistant",
            "content": [{"type": "thinking", "thinking": "let me see"}, {"type": "text", "text": "ok"}],
            "tool_plan": "plan",
            "tool_calls": [{"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{\"x\":1}"}}],
        },
        "usage": {"billed_units": {"input_tokens": 3, "output_tokens": 4}, "tokens": {"input_tokens": 30, "output_tokens": 40}},
    })
    msg = resp.choices[0].message
    assert resp.id == "r1"
    assert msg.content == "ok"
    assert msg.reasoning_content == "let me see"
    assert msg.thinking_blocks == [{"type": "thinking", "thinking": "let me see"}]
    assert msg.provider_specific_fields == {"tool_plan": "plan"}
    assert msg.tool_calls[0].id == "t1" and json.loads(msg.tool_calls[0].function.arguments) == {"x": 1}
    assert resp.choices[0].finish_reason == "tool_calls"
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens, resp.usage.total_tokens) == (30, 40, 70)
    assert resp._hidden_params["billed_units"] == {"input_tokens": 3, "output_tokens": 4}


@pytest.mark.parametrize("raw,mapped", [("COMPLETE", "stop"), ("STOP_SEQUENCE", "stop"), ("MAX_TOKENS", "length"),
                                        ("TOOL_CALL", "tool_calls")])
def test_finish_reasons(raw: str, mapped: str) -> None:
    resp = _parse({"finish_reason": raw, "message": {"role": "assistant", "content": [{"type": "text", "text": "x"}]}})
    assert resp.choices[0].finish_reason == mapped


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"id": "x"}', b'{"message": "nope"}'])
def test_garbage_bodies_raise_our_error(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        _parse(body)


def test_odd_shapes_do_not_leak_keyerror() -> None:
    resp = _parse({"message": {"content": [None, 5, {"type": "text"}], "tool_calls": [None, {"function": None}]},
                   "usage": {"tokens": "x"}})
    assert resp.choices[0].message.content is None
    assert resp.choices[0].message.tool_calls[0].function.name == ""


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("status,body,cls", [
    (404, {"id": "x", "message": "model 'nope' not found"}, NotFoundError),
    (429, {"message": "trial key rate limit"}, RateLimitError),
    (400, {"message": "too many tokens: total number of tokens in the prompt cannot exceed 4081"}, ContextWindowExceededError),
    (500, {"message": "internal"}, InternalServerError),
])
def test_error_bodies(status: int, body: Dict[str, Any], cls: type) -> None:
    err = ADAPTER.parse_error(WireResponse(status, {}, json.dumps(body).encode()), _config())
    assert isinstance(err, cls)
    assert err.status_code == status
    assert body["message"] in err.message


# ---------------------------------------------------------------------------------------------
# Streaming


def _events(raw: bytes, step: Optional[int] = None) -> List[StreamEvent]:
    dec = SSEDecoder()
    out: List[StreamEvent] = []
    if step is None:
        out.extend(dec.feed(raw))
    else:
        for i in range(0, len(raw), step):
            out.extend(dec.feed(raw[i:i + step]))
    out.extend(dec.flush())
    return out


def _run_stream(raw: bytes, step: Optional[int] = None) -> Dict[str, Any]:
    req = ChatRequest(model="command-r", messages=[{"role": "user", "content": "hi"}], stream=True)
    state = ADAPTER.new_stream_state(req, _config())
    chunks = []
    for ev in _events(raw, step):
        chunks.extend(ADAPTER.parse_event(ev, state))
    chunks.extend(ADAPTER.finish_stream(state))
    return _accumulate(chunks)


def _accumulate(chunks: List[Any]) -> Dict[str, Any]:
    content: Optional[str] = None
    reasoning: Optional[str] = None
    calls: Dict[int, Dict[str, Any]] = {}
    finish = usage = None
    extras: Dict[str, Any] = {}
    ids = set()
    for ch in chunks:
        ids.add(ch.id)
        if ch.usage is not None:
            usage = ch.usage
        for choice in ch.choices:
            d = choice.delta
            if d.content is not None:
                content = (content or "") + d.content
            if d.reasoning_content is not None:
                reasoning = (reasoning or "") + d.reasoning_content
            for tc in d.tool_calls or []:
                slot = calls.setdefault(tc.index, {"id": None, "name": None, "arguments": ""})
                if tc.id:
                    slot["id"] = tc.id
                if tc.function.name:
                    slot["name"] = tc.function.name
                slot["arguments"] += tc.function.arguments or ""
            if d.provider_specific_fields:
                extras.update(d.provider_specific_fields)
            if choice.finish_reason:
                finish = choice.finish_reason
    return {"content": content, "reasoning": reasoning, "tool_calls": [calls[i] for i in sorted(calls)],
            "finish_reason": finish, "usage": usage, "extras": extras, "ids": ids, "chunks": chunks}


def _sse(*events: Dict[str, Any]) -> bytes:
    return b"".join(b"event: %s\ndata: %s\n\n" % (e["type"].encode(), json.dumps(e).encode()) for e in events)


def test_stream_thinking_text_and_end() -> None:
    raw = _sse(
        {"type": "message-start", "id": "m1", "delta": {"message": {"role": "assistant"}}},
        {"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "thinking", "thinking": ""}}}},
        {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"thinking": "hm"}}}},
        {"type": "content-end", "index": 0},
        {"type": "content-start", "index": 1, "delta": {"message": {"content": {"type": "text", "text": ""}}}},
        {"type": "content-delta", "index": 1, "delta": {"message": {"content": {"text": "Hi"}}}},
        {"type": "citation-start", "index": 0, "delta": {"message": {"citations": {"start": 0, "end": 2}}}},
        {"type": "citation-end", "index": 0},
        {"type": "content-end", "index": 1},
        {"type": "message-end", "delta": {"finish_reason": "MAX_TOKENS",
                                          "usage": {"tokens": {"input_tokens": 5, "output_tokens": 6}}}},
    )
    out = _run_stream(raw)
    assert out["content"] == "Hi"
    assert out["reasoning"] == "hm"
    assert out["finish_reason"] == "length"
    assert (out["usage"].prompt_tokens, out["usage"].completion_tokens) == (5, 6)
    assert out["extras"]["citations"] == [{"start": 0, "end": 2}]
    assert out["ids"] == {"m1"}
    assert out["chunks"][0].choices[0].delta.role == "assistant"


def test_stream_cut_before_message_end_raises() -> None:
    raw = _sse({"type": "message-start", "id": "m1", "delta": {"message": {"role": "assistant"}}},
               {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "Hi"}}}})
    with pytest.raises(APIConnectionError):
        _run_stream(raw)


def test_stream_error_in_message_end_raises() -> None:
    raw = _sse({"type": "message-end", "delta": {"finish_reason": "ERROR", "error": "model overloaded"}})
    with pytest.raises(InternalServerError):
        _run_stream(raw)


def test_stream_garbage_event_raises_connection_error() -> None:
    req = ChatRequest(model="command-r", messages=[], stream=True)
    state = ADAPTER.new_stream_state(req, _config())
    with pytest.raises(APIConnectionError):
        ADAPTER.parse_event(StreamEvent(data="{not json"), state)


# ---------------------------------------------------------------------------------------------
# Recordings (../shared/cassettes/cohere__*.json)


def _cassette(name: str) -> Dict[str, Any]:
    require_shared()
    for c in CASSETTES:
        if c["_file"] == name:
            return c
    pytest.skip("recording %s not present" % name)
    raise AssertionError  # unreachable


def _response_bytes(c: Dict[str, Any]) -> bytes:
    r = c["response"]
    if "body_base64" in r:
        return base64.b64decode(r["body_base64"])
    return str(r["body_text"]).encode("utf-8")


def _openai_messages(recorded: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The OpenAI-format messages a caller would pass to produce the recorded Cohere messages."""
    out = []
    for m in recorded:
        if m["role"] == "assistant" and isinstance(m.get("content"), list):
            text = "".join(p.get("text", "") for p in m["content"] if p["type"] == "text")
            blocks = [{"type": "thinking", "thinking": p["thinking"]} for p in m["content"] if p["type"] == "thinking"]
            out.append({"role": "assistant", "content": text, "thinking_blocks": blocks})
        else:
            out.append(dict(m))
    return out


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


CHAT_FILES = [c["_file"] for c in CASSETTES if c["request"]["path"] == "/v2/chat" and c["response"]["status"] == 200]


def test_recordings_are_present_and_all_covered() -> None:
    require_shared()
    names = {c["_file"] for c in CASSETTES}
    assert len(names) == 8
    covered = set(CHAT_FILES) | {"cohere__embeddings.json", "cohere__error_404.json"}
    assert names == covered


def _expected_usage_check(usage: Any, expected: Dict[str, Any]) -> None:
    assert usage is not None
    assert usage.prompt_tokens == expected["input_tokens"]
    assert usage.completion_tokens == expected["output_tokens"]
    assert usage.total_tokens == expected["input_tokens"] + expected["output_tokens"]


@pytest.mark.parametrize("name", CHAT_FILES)
def test_recorded_request_matches_what_we_build(name: str) -> None:
    c = _cassette(name)
    rec = c["request"]["body"]
    params: Dict[str, Any] = {}
    if "tools" in rec:
        params["tools"] = rec["tools"]
    req = ChatRequest(model=rec["model"], messages=_openai_messages(rec["messages"]), params=params, stream=rec["stream"])
    wire = ADAPTER.prepare(req, _config(api_base="https://" + c["request"]["host"]))
    assert wire.url == "https://%s%s" % (c["request"]["host"], c["request"]["path"])
    body = json.loads(wire.body)
    assert body["model"] == rec["model"]
    assert body["stream"] is rec["stream"]
    assert _strip_none(body["messages"]) == _strip_none(rec["messages"])
    assert body.get("tools") == rec.get("tools")


@pytest.mark.parametrize("name", CHAT_FILES)
def test_recorded_response_gives_expected_result(name: str) -> None:
    c = _cassette(name)
    exp = c["expected"]
    raw = _response_bytes(c)
    if c["request"]["body"].get("stream"):
        whole = _run_stream(raw)
        split = _run_stream(raw, step=7)
        assert [ch.to_dict() for ch in split["chunks"]] != [] and split["content"] == whole["content"]
        content, reasoning, finish, usage = whole["content"], whole["reasoning"], whole["finish_reason"], whole["usage"]
        calls = [(t["name"], json.loads(t["arguments"])) for t in whole["tool_calls"]]
        assert all(t["id"] for t in whole["tool_calls"])
        tool_plan = whole["extras"].get("tool_plan")
        assert split["tool_calls"] == whole["tool_calls"] and split["usage"] == whole["usage"]
    else:
        req = ChatRequest(model=c["request"]["body"]["model"], messages=[])
        resp = ADAPTER.parse(WireResponse(200, c["response"]["headers"], raw), req, _config())
        msg = resp.choices[0].message
        content, reasoning, finish, usage = msg.content, msg.reasoning_content, resp.choices[0].finish_reason, resp.usage
        calls = [(t.function.name, json.loads(t.function.arguments)) for t in msg.tool_calls or []]
        tool_plan = (msg.provider_specific_fields or {}).get("tool_plan")
        assert resp._hidden_params["billed_units"] == {
            "input_tokens": exp["usage"]["billed_input_tokens"], "output_tokens": exp["usage"]["billed_output_tokens"]}
    assert content == exp["content"]
    assert reasoning == exp["reasoning"]
    assert calls == [(t["name"], t["arguments"]) for t in exp["tool_calls"]]
    assert finish == map_finish_reason(exp["finish_reason"])
    assert tool_plan == exp.get("tool_plan")
    _expected_usage_check(usage, exp["usage"])


def test_recorded_error_404() -> None:
    c = _cassette("cohere__error_404.json")
    err = ADAPTER.parse_error(WireResponse(404, c["response"]["headers"], _response_bytes(c)), _config(model="nonexistent"))
    assert isinstance(err, NotFoundError)
    assert err.status_code == 404
    assert err.message == c["expected"]["error"]["message"]


# ---------------------------------------------------------------------------------------------
# Embeddings


def test_embedding_request_shape() -> None:
    req = EmbeddingRequest(model="embed-v4.0", input=["a", "b"], params={"dimensions": 256},
                           extra_body={"input_type": "search_query", "truncate": "NONE"})
    wire = ADAPTER.prepare_embedding(req, _config())
    assert wire.url == "https://api.cohere.com/v2/embed"
    assert wire.headers["authorization"] == "Bearer co-test-key"
    assert json.loads(wire.body) == {"model": "embed-v4.0", "texts": ["a", "b"], "input_type": "search_query",
                                     "embedding_types": ["float"], "output_dimension": 256, "truncate": "NONE"}
    default = json.loads(ADAPTER.prepare_embedding(EmbeddingRequest(model="m", input=["x"]), _config()).body)
    assert default["input_type"] == "search_document"
    with pytest.raises(BadRequestError):
        ADAPTER.prepare_embedding(EmbeddingRequest(model="m", input=[[1, 2]]), _config())
    with pytest.raises(UnsupportedParamsError):
        ADAPTER.prepare_embedding(EmbeddingRequest(model="m", input=["x"], params={"encoding_format": "base64"}), _config())


def test_recorded_embeddings() -> None:
    c = _cassette("cohere__embeddings.json")
    rec = c["request"]["body"]
    req = EmbeddingRequest(model=rec["model"], input=rec["texts"], extra_body={"input_type": rec["input_type"], "truncate": "NONE"})
    wire = ADAPTER.prepare_embedding(req, _config())
    assert wire.url.endswith(c["request"]["path"])
    sent = json.loads(wire.body)
    for key in ("model", "texts", "input_type", "embedding_types", "truncate"):
        assert sent[key] == rec[key]
    resp = ADAPTER.parse_embedding(WireResponse(200, {}, _response_bytes(c)), req, _config())
    exp = c["expected"]["embeddings"]
    assert len(resp.data) == exp["count"]
    assert len(resp.data[0].embedding) == exp["dimensions"]
    assert [round(v, 6) for v in resp.data[0].embedding[:3]] == exp["first_values"]
    assert resp.usage is not None and resp.usage.prompt_tokens == c["expected"]["usage"]["input_tokens"]


def test_embedding_garbage_raises() -> None:
    req = EmbeddingRequest(model="m", input=["x"])
    for body in (b"[]", b'{"embeddings": {"float": [1]}}', b'{"nothing": 1}'):
        with pytest.raises(APIConnectionError):
            ADAPTER.parse_embedding(WireResponse(200, {}, body), req, _config())


# ---------------------------------------------------------------------------------------------
# End to end over loopback (litellm_lite.completion / embedding)





def _replay_reply(c: Dict[str, Any], piece: Optional[int] = None) -> Reply:
    raw = _response_bytes(c)
    headers = dict(c["response"]["headers"]) or {"content-type": "application/json"}
    if piece:
        return Reply(status=c["response"]["status"], headers=headers,
                     chunks=[raw[i:i + piece] for i in range(0, len(raw), piece)], chunked=True)
    return Reply(status=c["response"]["status"], headers=headers, body=raw)


@pytest.mark.parametrize("name", CHAT_FILES)
def test_e2e_replay(server: LoopbackServer, name: str) -> None:
    c = _cassette(name)
    rec = c["request"]["body"]
    exp = c["expected"]
    stream = bool(rec.get("stream"))
    server.add(_replay_reply(c, piece=11 if stream else None))
    kwargs: Dict[str, Any] = {}
    if rec.get("tools"):
        kwargs["tools"] = rec["tools"]
    result = litellm_lite.completion(model="cohere/" + rec["model"], messages=_openai_messages(rec["messages"]),
                                     api_base=server.url, api_key="co-test-key", stream=stream, **kwargs)
    if stream:
        chunks = list(result)
        resp = litellm_lite.stream_chunk_builder(chunks)
    else:
        resp = result
    msg = resp.choices[0].message
    assert msg.content == exp["content"]
    assert [(t.function.name, json.loads(t.function.arguments)) for t in msg.tool_calls or []] == [
        (t["name"], t["arguments"]) for t in exp["tool_calls"]]
    assert resp.choices[0].finish_reason == map_finish_reason(exp["finish_reason"])
    assert resp.usage.prompt_tokens == exp["usage"]["input_tokens"]
    assert resp.usage.completion_tokens == exp["usage"]["output_tokens"]
    sent = server.requests[0]
    assert sent.path == c["request"]["path"]
    assert sent.headers["authorization"] == "Bearer co-test-key"
    assert sent.json()["stream"] is stream


def test_e2e_env_key_and_reasoning(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    c = _cassette("cohere__reasoning.json")
    monkeypatch.setenv("COHERE_API_KEY", "co-env-key-1")
    server.add(_replay_reply(c))
    resp = litellm_lite.completion(model="cohere_chat/command-a-reasoning-08-2025",
                                   messages=[{"role": "user", "content": "q"}], api_base=server.url,
                                   reasoning_effort="low")
    assert resp.choices[0].message.reasoning_content == c["expected"]["reasoning"]
    assert server.requests[0].headers["authorization"] == "Bearer co-env-key-1"
    assert server.requests[0].json()["thinking"] == {"type": "enabled", "token_budget": 1024}


def test_e2e_stream_cut_mid_way_raises(server: LoopbackServer) -> None:
    c = _cassette("cohere__chat_stream.json")
    raw = _response_bytes(c)
    server.add(Reply(headers={"content-type": "text/event-stream"}, chunks=[raw[:400], raw[400:]], cut_after=600,
                     chunked=False))
    with pytest.raises(APIConnectionError):
        list(litellm_lite.completion(model="cohere/command", messages=[{"role": "user", "content": "x"}],
                                     api_base=server.url, api_key="co-test-key", stream=True))


def test_e2e_embedding_and_404(server: LoopbackServer) -> None:
    ok = _cassette("cohere__embeddings.json")
    missing = _cassette("cohere__error_404.json")
    server.add(_replay_reply(ok), _replay_reply(missing))
    resp = litellm_lite.embedding(model="cohere/embed-v4.0", input=["Hello, world!"], input_type="search_query",
                                  api_base=server.url, api_key="co-test-key")
    assert len(resp.data[0].embedding) == ok["expected"]["embeddings"]["dimensions"]
    sent = server.requests[0].json()
    assert server.requests[0].path == "/v2/embed"
    assert sent["input_type"] == "search_query" and sent["texts"] == ["Hello, world!"]
    with pytest.raises(NotFoundError) as info:
        litellm_lite.embedding(model="cohere/nonexistent", input="Hello, world!", api_base=server.url,
                               api_key="co-test-key", num_retries=0)
    assert info.value.status_code == 404


# -- more cases (formerly test_cov_cohere.py: Cohere v2 adapter: uncommon message shapes, parameter errors,




ADAPTER_2 = CohereAdapter()
USER = [{"role": "user", "content": "hi"}]


def cfg(**kw: Any) -> CallConfig:
    base: Dict[str, Any] = dict(provider="cohere", model="command-r", spec=PROVIDERS["cohere"], api_key="co-k",
                                api_base="https://api.cohere.com")
    base.update(kw)
    return CallConfig(**base)


def body(messages: Optional[List[Dict[str, Any]]] = None, drop: bool = False, **params: Any) -> Dict[str, Any]:
    request = ChatRequest(model="command-r", messages=messages or USER, params=params)
    return json.loads(ADAPTER_2.prepare(request, cfg(drop_params=drop)).body)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# messages


def test_odd_user_and_tool_contents() -> None:
    messages = [
        {"role": "user", "content": ["junk", {"type": "text", "text": "a"}]},
        {"role": "user", "content": 42},
        {"role": "assistant", "content": None, "tool_calls": [
            "junk", {"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}]},
        {"role": "tool", "tool_call_id": "c1", "content": None},
        {"role": "tool", "tool_call_id": "c1", "content": {"ok": True}},
        {"role": "tool", "tool_call_id": "c1", "content": 7},
        {"role": "assistant", "content": None},
    ]
    sent = body(messages)["messages"]
    assert sent[0]["content"] == [{"type": "text", "text": "a"}]  # the non-dict part is skipped
    assert sent[1]["content"] == "42"
    assert sent[2]["tool_calls"] == [{"id": "c1", "type": "function",
                                      "function": {"name": "f", "arguments": '{"x": 1}'}}]
    assert sent[3]["content"] == ""
    assert sent[4]["content"] == [{"type": "document", "document": {"data": '{"ok": true}'}}]
    assert sent[5]["content"] == "7"
    assert sent[6] == {"role": "assistant", "content": ""}


def test_unsupported_role_is_rejected() -> None:
    with pytest.raises(BadRequestError, match="unsupported message role 'function'"):
        body([{"role": "function", "name": "f", "content": "x"}])


# ---------------------------------------------------------------------------------------------
# parameters


def test_unknown_reasoning_effort_is_rejected_or_dropped() -> None:
    with pytest.raises(UnsupportedParamsError, match="reasoning_effort"):
        body(reasoning_effort="extreme")
    assert "thinking" not in body(reasoning_effort="extreme", drop=True)


@pytest.mark.parametrize("fmt", ["json", {"type": "grammar", "grammar": "x"}])
def test_unexpressible_response_formats(fmt: Any) -> None:
    with pytest.raises(UnsupportedParamsError, match="response_format"):
        body(response_format=fmt)
    assert "response_format" not in body(response_format=fmt, drop=True)


def test_json_object_with_schema_and_logprobs() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    sent = body(response_format={"type": "json_object", "schema": schema}, logprobs=True)
    assert sent["response_format"] == {"type": "json_object", "json_schema": schema}
    assert sent["logprobs"] is True


def test_non_dict_tools_are_skipped() -> None:
    sent = body(tools=["junk", {"type": "function", "function": {"name": "f"}}])
    assert sent["tools"] == [{"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {}}}}]


# ---------------------------------------------------------------------------------------------
# responses


def _parse_2(payload: Any) -> Any:
    return ADAPTER_2.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                         ChatRequest(model="command-r", messages=USER), cfg())


def test_string_content_garbage_usage_counts_and_logprobs() -> None:
    resp = _parse_2({"id": "r1", "finish_reason": "COMPLETE",
                   "message": {"role": "assistant", "content": "plain text"},
                   "usage": {"tokens": {"input_tokens": "many", "output_tokens": [1]}},
                   "logprobs": [{"token_ids": [1], "logprobs": [-0.5]}]})
    assert resp.choices[0].message.content == "plain text"
    assert resp.usage.prompt_tokens == 0 and resp.usage.completion_tokens == 0
    assert resp.choices[0].logprobs == [{"token_ids": [1], "logprobs": [-0.5]}]


# ---------------------------------------------------------------------------------------------
# streams


def _run(events: List[Any]) -> List[Any]:
    state = ADAPTER_2.new_stream_state(ChatRequest(model="command-r", messages=USER, stream=True), cfg())
    out: List[Any] = []
    for data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        out.extend(ADAPTER_2.parse_event(StreamEvent(data=text), state))
    return out


def test_blank_events_and_non_objects() -> None:
    assert _run(["", "   "]) == []
    with pytest.raises(APIConnectionError, match="unexpected Cohere stream event"):
        _run(["[1, 2]"])


def test_tool_call_delta_without_start_and_tool_calls_finish() -> None:
    chunks = _run([
        {"type": "tool-call-delta", "index": 3, "delta": {"message": {"tool_calls": {"function": {}}}}},
        {"type": "tool-call-delta", "index": 3,
         "delta": {"message": {"tool_calls": {"function": {"arguments": "{\"a\""}}}}},
        {"type": "message-end", "delta": {"finish_reason": "COMPLETE",
                                          "usage": {"tokens": {"input_tokens": 3, "output_tokens": 4}}}},
    ])
    assert len(chunks) == 2
    call = chunks[0].choices[0].delta.tool_calls[0]
    assert call.index == 0 and call.function.arguments == "{\"a\""
    assert chunks[1].choices[0].finish_reason == "tool_calls"
    assert chunks[1].usage.total_tokens == 7


def test_error_events_raise_mapped_exceptions() -> None:
    with pytest.raises(RateLimitError, match="slow down"):
        _run([{"type": "error", "status_code": 429, "message": "slow down"}])
    with pytest.raises(Exception) as info:
        _run([{"message": "backend failure"}])  # no type at all, but a message
    assert getattr(info.value, "status_code", None) == 500 and "backend failure" in str(info.value)


# ---------------------------------------------------------------------------------------------
# embeddings


def test_embed_url_with_generic_spec_path_and_v2_base() -> None:
    spec = dataclasses.replace(PROVIDERS["cohere"], endpoints=(("chat", "/v2/chat"), ("embedding", "/embeddings")))
    config = cfg(spec=spec, api_base="https://proxy.example/v2/")
    wire = ADAPTER_2.prepare_embedding(EmbeddingRequest(model="embed-v4.0", input=["a"]), config)
    assert wire.url == "https://proxy.example/v2/embed"


def test_embed_user_param_is_unsupported() -> None:
    request = EmbeddingRequest(model="embed-v4.0", input=["a"], params={"user": "u1"})
    with pytest.raises(UnsupportedParamsError, match="'user'"):
        ADAPTER_2.prepare_embedding(request, cfg())
    assert "user" not in json.loads(ADAPTER_2.prepare_embedding(request, cfg(drop_params=True)).body)


@pytest.mark.parametrize("embeddings", [{"int8": [[1, 2]]}, [[1, 2]]])
def test_embed_response_other_shapes(embeddings: Any) -> None:
    request = EmbeddingRequest(model="embed-v4.0", input=["a"])
    resp = ADAPTER_2.parse_embedding(WireResponse(200, {}, json.dumps({"embeddings": embeddings}).encode()),
                                   request, cfg())
    assert resp.data[0].embedding == [1, 2]
    assert resp.usage.prompt_tokens == 0
