"""Request bodies built by ``completion()`` validated against the providers' published OpenAPI specs.

Every matrix cell calls the public ``litellm_lite.completion()`` against a loopback server that
answers with a minimal valid response in the provider's own format (or a stream), takes the body
the SDK actually put on the wire and validates it with jsonschema against the request schema of
the spec in ``../shared/specs`` (see SOURCES.md there for the quirks handled below):

- OpenAI (``openai-openapi.yaml``): ``CreateChatCompletionRequest``. ``nullable`` (OpenAPI 3.0
  style, 23 places without ``type`` in this copy) is rewritten into ``anyOf [..., {"type": "null"}]``.
  The chat-request message, content-part, tool and response-format objects are closed
  (OpenAI rejects unknown keys there). OpenAI-compatible rows (deepseek, groq, xai, ...) are
  checked against the same schema.
- Anthropic (``anthropic-openapi.json``): ``CreateMessageParams``, or ``BetaCreateMessageParams``
  for requests that carry ``output_format`` (sent with an ``anthropic-beta`` header).
- Gemini (``gemini-openapi.json``): ``GenerateContentRequest`` minus ``model`` in ``required``
  (the model is in the URL). Google rejects unknown proto fields, so every object schema of this
  spec is closed (``additionalProperties: false``).
- Mistral (``mistral-openapi.json``): ``ChatCompletionRequest``.

The top level of every request schema is closed with ``unevaluatedProperties: false`` (it sees
through ``allOf``/``$ref``), so a misspelt or foreign parameter fails. Negative tests prove each
validator rejects deliberately wrong bodies. Where the spec and an adapter disagree the cell is
``xfail(strict=True)`` with the difference in its reason: the adapter is not changed here.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from jsonschema.validators import validator_for  # noqa: E402
from referencing import Registry, Resource  # noqa: E402
from referencing.jsonschema import DRAFT202012  # noqa: E402

import litellm_lite  # noqa: E402
from litellm_lite.exceptions import UnsupportedParamsError  # noqa: E402
from litellm_lite.providers import PROVIDERS  # noqa: E402
from litellm_lite.providers.openai_compatible import OPENAI_COMPATIBLE_SPECS  # noqa: E402
from tests.conftest import SPECS, load_spec  # noqa: E402
from tests.server import LoopbackServer, RecordedRequest, Reply  # noqa: E402

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# spec key -> (file, request schema name)
SPEC_FILES = {
    "openai": "openai-openapi.yaml",
    "anthropic": "anthropic-openapi.json",
    "gemini": "gemini-openapi.json",
    "mistral": "mistral-openapi.json",
}
REQUEST_SCHEMAS = {
    "openai": "CreateChatCompletionRequest",
    "anthropic": "CreateMessageParams",
    "anthropic-beta": "BetaCreateMessageParams",
    "gemini": "GenerateContentRequest",
    "mistral": "ChatCompletionRequest",
}


# ---------------------------------------------------------------------------------------------
# Loading the specs (once per run) into validators


def _require_specs() -> None:
    if not SPECS.is_dir():
        pytest.skip("../shared/specs is not present next to this checkout (plain clone): spec tests skipped")
    for name in SPEC_FILES.values():
        if not (SPECS / name).is_file():
            pytest.skip("../shared/specs/%s is missing: spec tests skipped" % name)


def _rewrite_nullable(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` -> ``anyOf: [<schema>, {"type": "null"}]`` (JSON Schema)."""
    if isinstance(node, list):
        return [_rewrite_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rewrite_nullable(value) for key, value in node.items()}
    flag = out.get("nullable")
    if isinstance(flag, bool):  # a property *named* "nullable" has a schema (dict) as its value
        del out["nullable"]
        if flag:
            return {"anyOf": [out, {"type": "null"}]}
    return out


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


def _close_objects(schema: Any) -> None:
    """Add ``additionalProperties: false`` to every object schema that lists its properties."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    for key in _SCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            for sub in schema[key].values():
                _close_objects(sub)
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            for sub in schema[key]:
                _close_objects(sub)
    for key in _SCHEMA_ONE:
        _close_objects(schema.get(key))


_OPENAI_CLOSED_PREFIXES = ("ChatCompletionRequest", "ChatCompletionTool", "FunctionObject", "ChatCompletionMessageToolCall",
                           "ChatCompletionNamedToolChoice", "ResponseFormat")


@functools.lru_cache(maxsize=None)
def _document(spec: str) -> Dict[str, Any]:
    doc = _rewrite_nullable(load_spec(SPEC_FILES[spec]))  # a rewritten copy: changed below, never the shared one
    schemas = doc["components"]["schemas"]
    if spec == "openai":
        # OpenAI rejects unknown keys inside messages ("Additional properties are not allowed ...
        # - 'messages.0'"), but the spec leaves these objects open: close the chat-request ones.
        for name, schema in schemas.items():
            if name.startswith(_OPENAI_CLOSED_PREFIXES) and isinstance(schema, dict) and "properties" in schema \
                    and not any(k in schema for k in ("allOf", "anyOf", "oneOf")):
                _close_objects(schema)
    if spec == "gemini":
        request = schemas["GenerateContentRequest"]
        request["required"] = [name for name in request.get("required", []) if name != "model"]
        for schema in schemas.values():
            _close_objects(schema)
    return doc


@functools.lru_cache(maxsize=None)
def _validator(schema_key: str) -> Any:
    spec = schema_key.split("-")[0]
    doc = _document(spec)
    uri = "urn:litellm-lite-spec:%s" % spec
    declared = doc.get("jsonSchemaDialect") or DRAFT_2020_12
    registry: Registry = Registry().with_resource(uri, Resource.from_contents(doc, default_specification=DRAFT202012))
    root = {
        "$schema": declared,
        "$ref": "%s#/components/schemas/%s" % (uri, REQUEST_SCHEMAS[schema_key]),
        "unevaluatedProperties": False,
    }
    cls = validator_for(root, default=jsonschema.Draft202012Validator)
    cls.check_schema(root)
    return cls(root, registry=registry)


def _deepest(error: Any) -> Any:
    """The most specific sub-error of a oneOf/anyOf failure (the longest instance path wins)."""
    best = error
    for sub in error.context or ():
        candidate = _deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path) or best is error:
            best = candidate
    return best


def _errors(schema_key: str, body: Any) -> List[str]:
    validator = _validator(schema_key)
    out = []
    # Root-level "unevaluated properties" errors also fire when a sibling allOf branch failed, so
    # they are listed after the errors that say what actually went wrong.
    errors = sorted(validator.iter_errors(body), key=lambda e: (e.validator == "unevaluatedProperties",
                                                                 [str(p) for p in e.absolute_path]))
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path) or "<root>"
        detail = error.message[:300]
        if error.context:
            leaf = _deepest(error)
            detail += " (deepest: %s: %s)" % ("/".join(str(p) for p in leaf.absolute_path), leaf.message[:300])
        out.append("%s: %s" % (where, detail))
    return out


def assert_valid(schema_key: str, body: Any) -> None:
    errors = _errors(schema_key, body)
    assert not errors, "request body does not match %s (%s):\n%s\nbody: %s" % (
        REQUEST_SCHEMAS[schema_key], schema_key, "\n".join(errors), json.dumps(body)[:2000])


# ---------------------------------------------------------------------------------------------
# Loopback server answering in each provider's format


def _openai_reply(req: RecordedRequest, stream: bool) -> Reply:
    if stream:
        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "m"}
        return Reply.sse([
            dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": "ok"}, "finish_reason": None}]),
            dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]),
            dict(base, choices=[], usage={"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}),
        ])
    return Reply.json({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok", "refusal": None},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    })


def _anthropic_reply(req: RecordedRequest, stream: bool) -> Reply:
    usage = {"input_tokens": 3, "output_tokens": 1}
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "stop_reason": None,
               "stop_sequence": None, "usage": usage}
    if stream:
        events = [
            ("message_start", {"type": "message_start", "message": dict(message, content=[])}),
            ("content_block_start", {"type": "content_block_start", "index": 0,
                                     "content_block": {"type": "text", "text": ""}}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                     "delta": {"type": "text_delta", "text": "ok"}}),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                               "usage": {"output_tokens": 1}}),
            ("message_stop", {"type": "message_stop"}),
        ]
        chunks = [b"event: %s\ndata: %s\n\n" % (name.encode(), json.dumps(data).encode()) for name, data in events]
        return Reply(headers={"content-type": "text/event-stream"}, chunks=chunks, chunked=True)
    text = '{"answer": "ok"}' if "json_tool_call" in req.body.decode("utf-8") else "ok"
    return Reply.json(dict(message, content=[{"type": "text", "text": text}], stop_reason="end_turn"))


def _gemini_reply(req: RecordedRequest, stream: bool) -> Reply:
    payload = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 1, "totalTokenCount": 4},
        "modelVersion": "m",
    }
    if stream:
        return Reply(headers={"content-type": "text/event-stream"}, chunked=True,
                     chunks=[b"data: " + json.dumps(payload).encode() + b"\r\n\r\n"])
    return Reply.json(payload)


def _reply(req: RecordedRequest) -> Reply:
    try:
        body = req.json()
    except ValueError:
        body = {}
    if req.path.endswith("/v1/messages"):
        return _anthropic_reply(req, bool(body.get("stream")))
    if ":generateContent" in req.path or ":streamGenerateContent" in req.path:
        return _gemini_reply(req, ":streamGenerateContent" in req.path)
    return _openai_reply(req, bool(body.get("stream")))


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        srv.handler = _reply
        yield srv


def _send(server: LoopbackServer, model: str, kwargs: Dict[str, Any]) -> RecordedRequest:
    """Call ``completion()`` (reading a stream to its end) and return the request it sent."""
    before = len(server.requests)
    result = litellm_lite.completion(model=model, api_base=server.url, api_key="test-key", num_retries=0,
                                     **copy.deepcopy(kwargs))
    if kwargs.get("stream"):
        chunks = list(result)
        assert chunks, "the stream produced no chunk"
        result = litellm_lite.stream_chunk_builder(chunks)
    assert result.choices[0].message.content, "loopback response was not read back"
    assert len(server.requests) == before + 1, "expected exactly one request"
    sent = server.requests[-1]
    assert sent.method == "POST"
    assert "json" in sent.headers.get("content-type", "")
    return sent


# ---------------------------------------------------------------------------------------------
# The matrix

USER = {"role": "user", "content": "What is the weather in Paris?"}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
            "required": ["city"],
        },
    },
}
PNG_DATA_URL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ANSWER_SCHEMA = {
    "name": "answer",
    "strict": True,
    "schema": {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"],
               "additionalProperties": False},
}


def _image_message(url: str) -> Dict[str, Any]:
    return {"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                                        {"type": "image_url", "image_url": {"url": url}}]}


# case id -> completion() keyword arguments (model, api_base and api_key are added per provider)
CASES: Dict[str, Dict[str, Any]] = {
    "plain": {"messages": [USER]},
    "system_prompt": {"messages": [{"role": "system", "content": "Answer in one word."}, USER]},
    "multi_turn": {"messages": [
        {"role": "user", "content": "Hi, I am Ada."},
        {"role": "assistant", "content": "Hello Ada! How can I help?"},
        {"role": "user", "content": "What is my name?"},
    ]},
    "history_with_reasoning": {"messages": [
        {"role": "user", "content": "Hi, I am Ada."},
        {"role": "assistant", "content": "Hello Ada!", "reasoning_content": "Greet back.",
         "thinking_blocks": [{"type": "thinking", "thinking": "Greet back.", "signature": "c2lnbmF0dXJl"}]},
        {"role": "user", "content": "What is my name?"},
    ]},
    "tools_auto": {"messages": [USER], "tools": [WEATHER_TOOL], "tool_choice": "auto"},
    "tools_required": {"messages": [USER], "tools": [WEATHER_TOOL], "tool_choice": "required"},
    "tools_named": {"messages": [USER], "tools": [WEATHER_TOOL],
                    "tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
    "tool_result_round_trip": {"messages": [
        USER,
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_abc123", "type": "function",
             "function": {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "c"}'}}]},
        {"role": "tool", "tool_call_id": "call_abc123", "content": '{"temperature": 21, "sky": "clear"}'},
    ], "tools": [WEATHER_TOOL]},
    "image_data_url": {"messages": [_image_message(PNG_DATA_URL)]},
    "image_https_url": {"messages": [_image_message("https://example.com/cat.png")]},
    "response_format_json_object": {"messages": [
        {"role": "system", "content": "Reply in JSON."}, USER], "response_format": {"type": "json_object"}},
    "response_format_json_schema": {"messages": [USER],
                                    "response_format": {"type": "json_schema", "json_schema": ANSWER_SCHEMA}},
    "tools_no_parallel": {"messages": [USER], "tools": [WEATHER_TOOL], "tool_choice": "auto",
                          "parallel_tool_calls": False},
    "user": {"messages": [USER], "user": "user-1234"},
    "stop_str": {"messages": [USER], "stop": "\n\n"},
    "stop_list": {"messages": [USER], "stop": ["END", "\n\n"]},
    "max_tokens": {"messages": [USER], "max_tokens": 64},
    "temperature_top_p": {"messages": [USER], "temperature": 0.2, "top_p": 0.9},
    "reasoning_effort": {"messages": [USER], "reasoning_effort": "low"},
    "stream": {"messages": [USER], "stream": True},
    "stream_options": {"messages": [USER], "stream": True, "stream_options": {"include_usage": True}},
}
# Cases where an adapter may refuse a parameter by design (UnsupportedParamsError -> skip).
MAY_BE_UNSUPPORTED = {"reasoning_effort", "reasoning_effort_gemini_3", "max_tokens_reasoning_model", "user", "tools_no_parallel"}


def _case(name: str, **overrides: Any) -> Dict[str, Any]:
    kwargs = copy.deepcopy(CASES[name])
    kwargs.update(overrides)
    return kwargs


MODELS = {
    "openai": "openai/gpt-4o-mini",
    "anthropic": "anthropic/claude-3-5-haiku-20241022",
    "gemini": "gemini/gemini-2.5-flash",
    "mistral": "mistral/mistral-large-latest",
}

# (provider, case id, model, kwargs, schema key, expected path suffix,
#  known spec disagreement: (the one field the spec rejects, reason) or None)
Row = Tuple[str, str, str, Dict[str, Any], str, str, Optional[Tuple[str, str]]]


def _rows() -> List[Row]:
    rows: List[Row] = []
    native_cases = [c for c in CASES if c != "stream_options"]
    # -- OpenAI ----------------------------------------------------------------------------------
    for name in CASES:
        rows.append(("openai", name, MODELS["openai"], _case(name), "openai", "/chat/completions", None))
    rows.append(("openai", "reasoning_effort_o4_mini", "openai/o4-mini", _case("reasoning_effort"), "openai",
                 "/chat/completions", None))
    rows.append(("openai", "max_tokens_reasoning_model", "openai/o4-mini", _case("max_tokens"), "openai",
                 "/chat/completions", None))
    # -- Anthropic -------------------------------------------------------------------------------
    for name in native_cases:
        rows.append(("anthropic", name, MODELS["anthropic"], _case(name), "anthropic", "/v1/messages", None))
    # Claude Sonnet 4.5 has structured outputs: output_format + anthropic-beta -> the beta schema.
    rows.append(("anthropic", "response_format_json_schema_native", "anthropic/claude-sonnet-4-5-20250929",
                 _case("response_format_json_schema"), "anthropic-beta", "/v1/messages", None))
    rows.append(("anthropic", "reasoning_effort_with_tools", "anthropic/claude-sonnet-4-5-20250929",
                 _case("tools_auto", reasoning_effort="medium"), "anthropic", "/v1/messages", None))
    # -- Gemini ----------------------------------------------------------------------------------
    for name in native_cases:
        path = ":streamGenerateContent" if name == "stream" else ":generateContent"
        rows.append(("gemini", name, MODELS["gemini"], _case(name), "gemini", path, None))
    rows.append(("gemini", "reasoning_effort_gemini_3", "gemini/gemini-3-pro-preview", _case("reasoning_effort"),
                 "gemini", ":generateContent", None))
    rows.append(("gemini", "tool_result_round_trip_gemini_3", "gemini/gemini-3-pro-preview",
                 _case("tool_result_round_trip"), "gemini", ":generateContent", None))
    rows.append(("gemini", "response_format_json_schema_gemini_1_5", "gemini/gemini-1.5-flash",
                 _case("response_format_json_schema"), "gemini", ":generateContent", None))
    # -- Mistral ---------------------------------------------------------------------------------
    for name in CASES:
        rows.append(("mistral", name, MODELS["mistral"], _case(name), "mistral", "/chat/completions",
                     MISTRAL_XFAIL.get(name)))
    return rows


# Known disagreements between the spec and what an adapter sends: case -> (field, reason).
# Spec disagreements found by this matrix, fixed in the adapter since (kept for the record):
# mistral stream_options (now dropped: no_stream_options quirk) and reasoning_effort (now unsupported).
MISTRAL_XFAIL: Dict[str, Tuple[str, str]] = {}

ROWS = _rows()


class SpecDisagreement(AssertionError):
    """The body breaks the spec exactly at a known, recorded field (and nowhere else)."""


def _param(row: Row) -> Any:
    provider, case, model, kwargs, schema_key, path, known = row
    marks = []
    if known is not None:
        # raises=SpecDisagreement: any *other* failure in this cell is reported as a real failure.
        marks.append(pytest.mark.xfail(strict=True, raises=SpecDisagreement, reason=known[1]))
    return pytest.param(provider, case, model, kwargs, schema_key, path, known,
                        id="%s-%s" % (provider, case), marks=marks)


@pytest.mark.parametrize("provider,case,model,kwargs,schema_key,path,known", [_param(r) for r in ROWS])
def test_request_matches_spec(loopback: LoopbackServer, provider: str, case: str, model: str,
                              kwargs: Dict[str, Any], schema_key: str, path: str,
                              known: Optional[Tuple[str, str]]) -> None:
    _require_specs()
    try:
        sent = _send(loopback, model, kwargs)
    except UnsupportedParamsError as exc:
        if case in MAY_BE_UNSUPPORTED:
            pytest.skip("%s refuses this by design: %s" % (provider, exc))
        raise
    assert sent.path.endswith(path), sent.path
    body = sent.json()
    assert isinstance(body, dict)
    # The translated body still carries what the matrix cell asked for (the validator alone
    # would accept a body that silently lost the parameter).
    CHECKS[provider](case, kwargs, body, sent)
    if known is None:
        assert_valid(schema_key, body)
        return
    field = known[0]
    errors = _errors(schema_key, body)
    assert all(repr(field) in e or "/%s" % field in e or e.startswith(field) for e in errors), errors
    if errors:
        raise SpecDisagreement("%s: %s" % (known[1], "; ".join(errors)))


# ---------------------------------------------------------------------------------------------
# Per-provider checks that the cell's parameter reached the wire


def _check_openai(case: str, kwargs: Dict[str, Any], body: Dict[str, Any], sent: RecordedRequest) -> None:
    assert body["messages"], body
    for key in ("tool_choice", "response_format", "stop", "temperature", "top_p", "reasoning_effort",
                "stream_options", "parallel_tool_calls", "user"):
        if key in kwargs:
            assert body.get(key) == kwargs[key], key
    if "tools" in kwargs:
        assert body["tools"][0]["function"]["name"] == "get_weather"
    if "max_tokens" in kwargs:
        assert kwargs["max_tokens"] in (body.get("max_tokens"), body.get("max_completion_tokens"))
    assert bool(body.get("stream")) == bool(kwargs.get("stream"))


def _check_mistral(case: str, kwargs: Dict[str, Any], body: Dict[str, Any], sent: RecordedRequest) -> None:
    if kwargs.get("tool_choice") == "required":
        assert body["tool_choice"] in ("any", "required")
        kwargs = {k: v for k, v in kwargs.items() if k != "tool_choice"}
    if "stream_options" in kwargs:
        # Not in Mistral's (closed) schema: dropped; usage arrives on the last chunk anyway.
        assert "stream_options" not in body and body["stream"] is True
        kwargs = {k: v for k, v in kwargs.items() if k != "stream_options"}
    _check_openai(case, kwargs, body, sent)


def _check_anthropic(case: str, kwargs: Dict[str, Any], body: Dict[str, Any], sent: RecordedRequest) -> None:
    assert isinstance(body["max_tokens"], int)
    if case == "system_prompt":
        assert body["system"] == "Answer in one word."
    if "tools" in kwargs:
        assert any(t.get("name") == "get_weather" for t in body["tools"])
    if "tool_choice" in kwargs:
        choice = kwargs["tool_choice"]
        expected = {"auto": "auto", "required": "any"}.get(choice, "") if isinstance(choice, str) else "tool"
        assert body["tool_choice"]["type"] == expected
    if case == "tool_result_round_trip":
        kinds = [b.get("type") for m in body["messages"] if isinstance(m["content"], list) for b in m["content"]]
        assert "tool_use" in kinds and "tool_result" in kinds
    if "stop" in kwargs:
        assert body["stop_sequences"] == ([kwargs["stop"]] if isinstance(kwargs["stop"], str) else kwargs["stop"])
    if "response_format" in kwargs:
        beta = sent.headers.get("anthropic-beta", "")
        if "output_format" in body:
            assert "structured-outputs" in beta
        else:
            assert any(t.get("name") == "json_tool_call" for t in body["tools"])
    if "reasoning_effort" in kwargs:
        assert body["thinking"]["type"] == "enabled"
    if kwargs.get("parallel_tool_calls") is False:
        assert body["tool_choice"]["disable_parallel_tool_use"] is True
    if "user" in kwargs:
        assert body["metadata"] == {"user_id": kwargs["user"]}
    if "max_tokens" in kwargs:
        assert body["max_tokens"] == kwargs["max_tokens"]
    assert bool(body.get("stream")) == bool(kwargs.get("stream"))


def _check_gemini(case: str, kwargs: Dict[str, Any], body: Dict[str, Any], sent: RecordedRequest) -> None:
    assert "model" not in body
    generation = body.get("generationConfig", {})
    if case == "system_prompt":
        assert body["systemInstruction"]["parts"][0]["text"] == "Answer in one word."
    if "tools" in kwargs:
        assert body["tools"][0]["functionDeclarations"][0]["name"] == "get_weather"
    if "tool_choice" in kwargs:
        config = body["toolConfig"]["functionCallingConfig"]
        choice = kwargs["tool_choice"]
        assert config["mode"] == ({"auto": "AUTO", "required": "ANY"}.get(choice, "") if isinstance(choice, str) else "ANY")
        if isinstance(choice, dict):
            assert config["allowedFunctionNames"] == [choice["function"]["name"]]
    if "stop" in kwargs:
        assert generation["stopSequences"] == ([kwargs["stop"]] if isinstance(kwargs["stop"], str) else kwargs["stop"])
    if "max_tokens" in kwargs:
        assert generation["maxOutputTokens"] == kwargs["max_tokens"]
    if "response_format" in kwargs:
        assert generation["responseMimeType"] == "application/json"
    if "reasoning_effort" in kwargs:
        assert generation["thinkingConfig"]
    if kwargs.get("stream"):
        assert "alt=sse" in sent.query


CHECKS: Dict[str, Callable[[str, Dict[str, Any], Dict[str, Any], RecordedRequest], None]] = {
    "openai": _check_openai,
    "anthropic": _check_anthropic,
    "gemini": _check_gemini,
    "mistral": _check_mistral,
}


# ---------------------------------------------------------------------------------------------
# OpenAI-compatible rows: the OpenAI spec is their reference

COMPAT_CASES = ("system_prompt", "tools_auto", "tool_result_round_trip", "response_format_json_object",
                "stop_list", "max_tokens", "stream")
COMPAT_PROVIDERS = [s.name for s in OPENAI_COMPATIBLE_SPECS
                    if s.adapter == "openai" and s.name not in ("openai", "mistral") and s.serves("chat")]


@pytest.mark.parametrize("case", COMPAT_CASES)
@pytest.mark.parametrize("provider", COMPAT_PROVIDERS)
def test_openai_compatible_request_matches_openai_spec(loopback: LoopbackServer, provider: str, case: str) -> None:
    _require_specs()
    kwargs = _case(case)
    try:
        sent = _send(loopback, provider + "/some-model", kwargs)
    except UnsupportedParamsError as exc:
        pytest.skip("%s refuses this by design: %s" % (provider, exc))
    assert sent.path.endswith(PROVIDERS[provider].chat_path)  # datarobot's ends in a slash
    body = sent.json()
    assert_valid("openai", body)
    _check_openai(case, kwargs, body, sent)


def test_compat_rows_present() -> None:
    assert {"deepseek", "groq", "xai"} <= set(COMPAT_PROVIDERS)


# ---------------------------------------------------------------------------------------------
# The validators are strict: known-good bodies pass, deliberately wrong ones fail

GOOD: Dict[str, Dict[str, Any]] = {
    "openai": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 16},
    "anthropic": {"model": "claude-3-5-haiku-20241022", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]},
    "anthropic-beta": {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}],
                       "output_format": {"type": "json_schema", "schema": {"type": "object"}}},
    "gemini": {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "generationConfig": {"maxOutputTokens": 16}},
    "mistral": {"model": "mistral-large-latest", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 16},
}


def _without(key: str) -> Callable[[Dict[str, Any]], None]:
    return lambda body: body.pop(key)


def _setter(path: Tuple[Any, ...], value: Any) -> Callable[[Dict[str, Any]], None]:
    def apply(body: Dict[str, Any]) -> None:
        target: Any = body
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return apply


BAD: List[Tuple[str, str, Callable[[Dict[str, Any]], None]]] = [
    ("openai", "messages_missing", _without("messages")),
    ("openai", "max_tokens_string", _setter(("max_tokens",), "16")),
    ("openai", "unknown_top_level_key", _setter(("max_token",), 16)),
    ("openai", "tool_choice_any", _setter(("tool_choice",), "any")),
    ("openai", "role_model", _setter(("messages", 0, "role"), "model")),
    ("openai", "stop_five_sequences", _setter(("stop",), ["a", "b", "c", "d", "e"])),
    ("openai", "foreign_message_key", _setter(("messages", 0, "thinking_blocks"), [])),
    ("openai", "image_url_not_object", _setter(("messages", 0, "content"), [{"type": "image_url", "image_url": "https://x/y.png"}])),
    ("anthropic", "max_tokens_missing", _without("max_tokens")),
    ("anthropic", "max_tokens_string", _setter(("max_tokens",), "16")),
    ("anthropic", "openai_stop_name", _setter(("stop",), ["END"])),
    ("anthropic", "tool_choice_required", _setter(("tool_choice",), {"type": "required"})),
    ("anthropic", "system_role_in_messages", _setter(("messages", 0, "role"), "system")),
    ("anthropic", "output_format_without_beta", _setter(("output_format",), {"type": "json_schema", "schema": {}})),
    ("anthropic-beta", "output_format_bad_type", _setter(("output_format", "type"), "json_object")),
    ("gemini", "contents_missing", _without("contents")),
    ("gemini", "max_output_tokens_string", _setter(("generationConfig", "maxOutputTokens"), "lots")),
    ("gemini", "snake_case_generation_config", _setter(("generation_config",), {"max_output_tokens": 16})),
    ("gemini", "snake_case_inline_data", _setter(("contents", 0, "parts", 0), {"inline_data": {"data": "AA=="}})),
    ("gemini", "unknown_thinking_level", _setter(("generationConfig", "thinkingConfig"), {"thinkingLevel": "EXTREME"})),
    ("mistral", "messages_missing", _without("messages")),
    ("mistral", "max_tokens_string", _setter(("max_tokens",), "16")),
    ("mistral", "openai_seed_name", _setter(("seed",), 1)),
    ("mistral", "stream_options", _setter(("stream_options",), {"include_usage": True})),
]


@pytest.mark.parametrize("schema_key", sorted(GOOD))
def test_known_good_body_passes(schema_key: str) -> None:
    _require_specs()
    assert_valid(schema_key, GOOD[schema_key])


@pytest.mark.parametrize("schema_key,mutate", [pytest.param(k, m, id="%s-%s" % (k, n)) for k, n, m in BAD])
def test_wrong_body_is_rejected(schema_key: str, mutate: Callable[[Dict[str, Any]], None]) -> None:
    _require_specs()
    body = copy.deepcopy(GOOD[schema_key])
    mutate(body)
    assert _errors(schema_key, body), "validator accepted a deliberately wrong body: %s" % json.dumps(body)


def test_nullable_rewrite() -> None:
    """``nullable`` without ``type`` (StopConfiguration) and with it (max_completion_tokens) accept null."""
    _require_specs()
    body = dict(GOOD["openai"], stop=None, max_completion_tokens=None, prediction=None)
    assert_valid("openai", body)
    assert _errors("openai", dict(GOOD["openai"], stop=7))
    assert _rewrite_nullable({"nullable": True, "oneOf": [{"type": "string"}]}) == {
        "anyOf": [{"oneOf": [{"type": "string"}]}, {"type": "null"}]}
    # A property named "nullable" is left alone.
    assert _rewrite_nullable({"properties": {"nullable": {"type": "boolean"}}}) == {
        "properties": {"nullable": {"type": "boolean"}}}


def test_gemini_model_not_required_but_allowed() -> None:
    _require_specs()
    assert_valid("gemini", dict(GOOD["gemini"], model="models/gemini-2.5-flash"))
    assert "model" not in _document("gemini")["components"]["schemas"]["GenerateContentRequest"]["required"]
