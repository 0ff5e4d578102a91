"""Gemini adapter: schema rewriting corners, media parts, legacy params, odd payloads and streams."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional

import pytest

from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    BadRequestError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.base import ChatRequest, EmbeddingRequest, StreamEvent, WireResponse
from litellm_lite.providers.gemini import (
    THOUGHT_SIGNATURE_SEPARATOR,
    GeminiAdapter,
    GeminiJSONArrayAdapter,
    to_gemini_schema,
)

ADAPTER = GeminiAdapter()
MODEL = "gemini-2.5-flash"
USER = [{"role": "user", "content": "hi"}]


def cfg(drop: bool = False, model: str = MODEL, **options: Any) -> CallConfig:
    config = CallConfig(provider="gemini", model=model, spec=PROVIDERS["gemini"], api_key="AIza-test",
                        api_base="https://generativelanguage.googleapis.com", drop_params=drop)
    config.options.update(options)
    return config


def body(messages: Optional[List[Dict[str, Any]]] = None, model: str = MODEL, drop: bool = False,
         **params: Any) -> Dict[str, Any]:
    request = ChatRequest(model=model, messages=messages or USER, params=params)
    return json.loads(ADAPTER.prepare(request, cfg(drop=drop, model=model)).body)  # type: ignore[no-any-return]


def user(content: Any) -> List[Dict[str, Any]]:
    return [{"role": "user", "content": content}]


# ---------------------------------------------------------------------------------------------
# to_gemini_schema


def test_unresolvable_ref_without_context_raises_bad_request() -> None:
    with pytest.raises(BadRequestError, match="unresolvable"):
        to_gemini_schema({"$ref": "https://example.com/other.json"})


def test_too_deep_schema_raises_with_and_without_context() -> None:
    schema: Dict[str, Any] = {"type": "string"}
    for _ in range(70):
        schema = {"type": "array", "items": schema}
    with pytest.raises(BadRequestError, match="nested too deeply"):
        to_gemini_schema(schema)
    tool = [{"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {"a": schema}}}}]
    with pytest.raises(BadRequestError, match="nested too deeply") as info:
        body(tools=tool)
    assert info.value.llm_provider == "gemini"


def test_allof_skips_non_objects_and_boolean_property_schemas_become_strings() -> None:
    out = to_gemini_schema({"allOf": ["junk", {"properties": {"a": True}, "required": ["a"]}]})
    assert out == {"type": "OBJECT", "properties": {"a": {"type": "STRING"}}, "required": ["a"]}


def test_several_types_become_any_of_with_nullable() -> None:
    out = to_gemini_schema({"type": ["string", "integer", "null"], "description": "d", "title": "t"})
    assert [alt["type"] for alt in out["anyOf"]] == ["STRING", "INTEGER"]
    assert out["nullable"] is True and out["description"] == "d" and out["title"] == "t"
    assert "type" not in out


def test_untyped_schemas_get_their_type_from_keywords() -> None:
    assert to_gemini_schema({"items": {"type": "integer"}}) == {"type": "ARRAY", "items": {"type": "INTEGER"}}
    assert to_gemini_schema({"enum": [1, 2]}) == {"type": "STRING", "enum": ["1", "2"]}


def test_enum_with_null_and_mixed_values() -> None:
    assert to_gemini_schema({"type": "string", "enum": ["a", None]}) == {"type": "STRING", "enum": ["a"],
                                                                           "nullable": True}
    assert to_gemini_schema({"type": "string", "enum": ["a", 1]}) == {"type": "STRING", "enum": ["a", "1"]}
    # numeric enum on a numeric type cannot be expressed: dropped, the type stays
    assert to_gemini_schema({"type": "integer", "enum": [1, 2]}) == {"type": "INTEGER"}


def test_string_enum_next_to_any_of_types_the_schema_as_string() -> None:
    out = to_gemini_schema({"anyOf": [{"type": "string"}, {"type": "integer"}], "enum": ["x"]})
    assert out["enum"] == ["x"] and out["type"] == "STRING"
    assert out["anyOf"] == [{"type": "STRING"}, {"type": "INTEGER"}]


def test_int64_strings_ordering_default_example_and_required_pruning() -> None:
    out = to_gemini_schema({"type": "object", "properties": {"s": {"type": "string", "maxLength": "10",
                                                                    "minLength": "x", "default": "d",
                                                                    "example": "e"}},
                            "propertyOrdering": ["s"], "required": ["missing"]})
    assert out == {"type": "OBJECT", "properties": {"s": {"type": "STRING", "maxLength": "10", "default": "d",
                                                          "example": "e"}},
                   "propertyOrdering": ["s"]}


# ---------------------------------------------------------------------------------------------
# media and content parts


PNG = base64.b64encode(b"\x89PNG....").decode()


def test_file_parts_in_all_forms() -> None:
    sent = body(user([
        {"type": "file", "file": {"file_data": "data:application/octet-stream;base64," + PNG, "format": "image/png"}},
        {"type": "file", "file": {"file_data": PNG}},
        {"type": "file", "file": {"file_id": "gs://bucket/doc.pdf"}},
        {"type": "file", "file": {"url": "https://x/y", "format": "video/mp4"}},
    ]))
    parts = sent["contents"][0]["parts"]
    assert parts[0] == {"inlineData": {"mimeType": "image/png", "data": PNG}}
    assert parts[1] == {"inlineData": {"mimeType": "application/pdf", "data": PNG}}
    assert parts[2] == {"fileData": {"fileUri": "gs://bucket/doc.pdf", "mimeType": "application/pdf"}}
    assert parts[3] == {"fileData": {"fileUri": "https://x/y", "mimeType": "video/mp4"}}


@pytest.mark.parametrize("part,needle", [
    ({"type": "image_url", "image_url": {"url": ""}}, "needs a url"),
    ({"type": "image_url", "image_url": {"url": "data:image/png;base64"}}, "malformed data URL in image_url"),
    ({"type": "input_audio", "input_audio": {"format": "wav"}}, "input_audio part needs"),
    ({"type": "file", "file": "x"}, "needs a 'file' object"),
    ({"type": "file", "file": {"file_data": "data:nocomma"}}, "malformed data URL in file.file_data"),
    ({"type": "file", "file": {"filename": "a.pdf"}}, "file_data (a data URL) or file_id"),
    ({"type": "video_url", "video_url": "x"}, "not supported by Gemini"),
    (7, "must be dicts"),
])
def test_bad_parts(part: Any, needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        body(user([part]))


def test_string_parts_refusals_and_thinking_parts() -> None:
    sent = body(user(["a", "", {"type": "refusal", "refusal": "r"}, {"type": "thinking", "thinking": "x"},
                      {"type": "refusal", "refusal": ""}]))
    assert sent["contents"][0]["parts"] == [{"text": "a"}, {"text": "r"}]


def test_content_must_be_str_or_list() -> None:
    with pytest.raises(BadRequestError, match="string or a list"):
        body(user(3))


# ---------------------------------------------------------------------------------------------
# messages


def test_assistant_with_nothing_is_skipped_and_dict_arguments_and_legacy_function_call() -> None:
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": None},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}],
         "function_call": {"name": "legacy", "arguments": '{"y": 2}'}},
    ]
    sent = body(messages)
    assert [c["role"] for c in sent["contents"]] == ["user", "model"]
    assert sent["contents"][1]["parts"] == [{"functionCall": {"name": "f", "args": {"x": 1}}},
                                            {"functionCall": {"name": "legacy", "args": {"y": 2}}}]


@pytest.mark.parametrize("messages,needle", [
    ([{"role": "user", "content": "q"}, {"role": "assistant", "tool_calls": ["x"]}], "must be dicts"),
    ([{"role": "user", "content": "q"}, {"role": "assistant", "tool_calls": [{"id": "c", "function": {}}]}],
     "without function.name"),
    ([{"role": "critic", "content": "x"}], "unsupported message role"),
])
def test_bad_messages(messages: Any, needle: str) -> None:
    with pytest.raises(BadRequestError, match=needle):
        body(messages)


# ---------------------------------------------------------------------------------------------
# tools, tool_choice, thinking, modalities


def test_bad_tools() -> None:
    with pytest.raises(BadRequestError, match="tools entries must be dicts"):
        body(tools=["f"])
    with pytest.raises(BadRequestError, match="neither a function nor a Gemini built-in"):
        body(tools=[{"type": "mystery", "config": 1}])
    with pytest.raises(BadRequestError, match="needs a name"):
        body(tools=[{"type": "function", "function": {"description": "x"}}])


def test_legacy_functions_and_function_call_and_web_search_options() -> None:
    sent = body(functions=[{"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}},
                           "junk"],
                function_call={"name": "f"}, web_search_options={})
    assert sent["tools"][0]["functionDeclarations"][0]["name"] == "f"
    assert sent["tools"][1] == {"googleSearch": {}}
    assert sent["toolConfig"] == {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}}


def test_legacy_function_call_string_maps_to_mode() -> None:
    sent = body(functions=[{"name": "f"}], function_call="none")
    assert sent["toolConfig"] == {"functionCallingConfig": {"mode": "NONE"}}


def test_unknown_tool_choice_is_rejected_or_dropped() -> None:
    tools = [{"type": "function", "function": {"name": "f"}}]
    with pytest.raises(UnsupportedParamsError, match="tool_choice"):
        body(tools=tools, tool_choice="sometimes")
    assert "toolConfig" not in body(tools=tools, tool_choice="sometimes", drop=True)


def test_reasoning_effort_given_as_dict() -> None:
    sent = body(reasoning_effort={"effort": "low"})
    assert sent["generationConfig"]["thinkingConfig"] == {"thinkingBudget": 1024, "includeThoughts": True}


@pytest.mark.parametrize("thinking,expected", [
    ({"type": "enabled", "budget_tokens": 2048}, {"includeThoughts": True}),
    ({"type": "disabled"}, {"includeThoughts": False}),
])
def test_thinking_param_on_gemini_3_only_toggles_thoughts(thinking: Dict[str, Any], expected: Any) -> None:
    sent = body(model="gemini-3-pro-preview", thinking=thinking)
    assert sent["generationConfig"]["thinkingConfig"] == expected


def test_modalities_are_upper_cased() -> None:
    assert body(modalities=["text", "image"])["generationConfig"]["responseModalities"] == ["TEXT", "IMAGE"]


def test_for_call_rejects_unknown_stream_format_and_json_array_keeps_itself() -> None:
    with pytest.raises(BadRequestError, match="gemini_stream_format"):
        ADAPTER.for_call(cfg(gemini_stream_format="ndjson"))
    array = GeminiJSONArrayAdapter()
    assert array.for_call(cfg(gemini_stream_format="sse")) is array
    assert isinstance(ADAPTER.for_call(cfg(gemini_stream_format="json_array")), GeminiJSONArrayAdapter)


# ---------------------------------------------------------------------------------------------
# responses


def _parse(payload: Any) -> Any:
    return ADAPTER.parse(WireResponse(200, {}, json.dumps(payload).encode()),
                         ChatRequest(model=MODEL, messages=USER), cfg())


def test_single_element_array_response_is_unwrapped() -> None:
    resp = _parse([{"candidates": [{"content": {"parts": [{"text": "hey"}]}, "finishReason": "STOP"}]}])
    assert resp.choices[0].message.content == "hey"


def test_error_payload_inside_a_200_is_raised_with_its_code() -> None:
    with pytest.raises(RateLimitError):
        _parse({"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}})


def test_error_payload_as_plain_string_uses_the_message() -> None:
    with pytest.raises(Exception) as info:
        _parse({"error": "backend exploded"})
    assert "backend exploded" in str(info.value)
    assert getattr(info.value, "status_code", None) == 500


def test_call_id_with_signature_and_code_execution_parts() -> None:
    resp = _parse({"candidates": [{"content": {"parts": [
        {"executableCode": {"language": "PYTHON", "code": "print(1)"}},
        {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1\n"}},
        {"functionCall": {"id": "fc_1", "name": "f", "args": {}}, "thoughtSignature": "SIG"},
    ]}, "finishReason": "STOP"}]})
    message = resp.choices[0].message
    assert message.content == "```python\nprint(1)\n```\n```\n1\n\n```\n"
    assert message.tool_calls[0].id == "fc_1" + THOUGHT_SIGNATURE_SEPARATOR + "SIG"
    assert resp.choices[0].finish_reason == "tool_calls"


def test_logprobs_skip_malformed_chosen_candidates() -> None:
    resp = _parse({"candidates": [{"content": {"parts": [{"text": "a"}]}, "finishReason": "STOP",
                                   "logprobsResult": {"chosenCandidates": ["junk", {"token": "a",
                                                                                    "logProbability": -0.1}],
                                                      "topCandidates": []}}]})
    assert resp.choices[0].logprobs == {"content": [{"token": "a", "logprob": -0.1, "bytes": None,
                                                     "top_logprobs": []}]}


def test_embedding_item_without_values_is_a_connection_error() -> None:
    request = EmbeddingRequest(model="text-embedding-004", input=["a", "b"])
    payload = {"embeddings": [{"values": [0.1]}, {"value": [0.2]}]}
    with pytest.raises(APIConnectionError, match="embedding 1 has no values"):
        ADAPTER.parse_embedding(WireResponse(200, {}, json.dumps(payload).encode()), request, cfg())


# ---------------------------------------------------------------------------------------------
# streams


def test_stream_skips_non_object_candidates_and_empty_repeats() -> None:
    request = ChatRequest(model=MODEL, messages=USER, stream=True)
    state = ADAPTER.new_stream_state(request, cfg())
    first = ADAPTER.parse_event(StreamEvent(data=json.dumps(
        {"candidates": ["junk", {"index": 0, "content": {"parts": [{"text": "a"}]}}]})), state)
    assert [c.choices[0].delta.content for c in first] == ["a"]
    # the same candidate again with nothing new: no chunk at all
    empty = ADAPTER.parse_event(StreamEvent(data=json.dumps({"candidates": [{"index": 0, "content": {}}]})), state)
    assert empty == []
    last = ADAPTER.parse_event(StreamEvent(data=json.dumps(
        {"candidates": [{"index": 0, "content": {"parts": [{"text": "b"}]}, "finishReason": "MAX_TOKENS"}]})), state)
    assert last[0].choices[0].finish_reason == "length"
    assert state.done
