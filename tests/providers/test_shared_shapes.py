"""The adapter shapes written once and shared (issue 13, item 2): each helper, and that the adapters
that used to carry their own copy still behave as before."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any, Dict, List

import pytest

from litellm_lite._eventstream import EventStreamDecoder
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    RateLimitError,
    ServiceUnavailableError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS, get_adapter
from litellm_lite.providers._common import CallContext, copy_limits, json_format, payload_error, response_object
from litellm_lite.providers.anthropic.messages import convert_messages as anthropic_messages
from litellm_lite.providers.aws_auth import AwsCredentials
from litellm_lite.providers.aws_sign import aws_region, sign_aws
from litellm_lite.providers.base import (
    ChatRequest,
    EmbeddingRequest,
    StreamState,
    WireRequest,
    WireResponse,
    first_env,
)
from litellm_lite.providers.bedrock.messages import convert_messages as bedrock_messages
from litellm_lite.providers.embed_common import reject_float_only, response_list, text_inputs, vectors_response
from litellm_lite.providers.gemini.messages import convert_messages as gemini_messages
from litellm_lite.providers.native import NATIVE_SPECS
from litellm_lite.providers.sagemaker import PayloadDecoder
from litellm_lite.responses_api.events import (
    ContentPartDoneEvent,
    OutputTextDeltaEvent,
    RefusalDeltaEvent,
    ResponseCompletedEvent,
    ResponseFailedEvent,
)


def cfg(provider: str = "cohere", drop: bool = False, **kwargs: Any) -> CallConfig:
    spec = PROVIDERS[provider]
    return CallConfig(provider=spec.name, model="m-1", spec=spec, api_key="k", api_base="http://x",
                      drop_params=drop, **kwargs)


def reply(body: Any) -> WireResponse:
    return WireResponse(status=200, headers={}, body=json.dumps(body).encode("utf-8"))


# -- provider rows ---------------------------------------------------------------------------------


def test_rows_made_with_replace_differ_from_their_twin_only_where_they_say() -> None:
    rows = {spec.name: spec for spec in NATIVE_SPECS}
    assert rows["cohere_chat"].api_key_env == rows["cohere"].api_key_env == ("COHERE_API_KEY", "CO_API_KEY")
    assert (rows["cohere_chat"].price_family, rows["cohere"].price_family) == ("cohere", None)
    assert rows["ollama_chat"].adapter == "ollama_chat" and rows["ollama"].adapter == "ollama_generate"
    assert rows["ollama_chat"].chat_path == "/api/chat" and rows["ollama"].chat_path == "/api/generate"
    assert rows["sagemaker_chat"].call_options == rows["sagemaker"].call_options
    assert rows["sagemaker_chat"].docs != rows["sagemaker"].docs


# -- payload_error: the status guess ---------------------------------------------------------------


def test_payload_error_guess_runs_only_when_the_payload_names_no_status() -> None:
    seen: List[Any] = []

    def guess(etype: Any, code: Any) -> int:
        seen.append((etype, code))
        return 429

    err = payload_error({"error": {"message": "slow down", "type": "rate_thing", "code": "x"}}, "p", "m", guess=guess)
    assert isinstance(err, RateLimitError) and seen == [("rate_thing", "x")]
    explicit = payload_error({"error": {"message": "busy", "code": 503}}, "p", "m", guess=guess)
    assert isinstance(explicit, ServiceUnavailableError)
    mapped = payload_error({"error": {"message": "m", "type": "t"}}, "p", "m", statuses={"t": 503}, guess=guess)
    assert isinstance(mapped, ServiceUnavailableError) and len(seen) == 1


def test_openai_stream_error_keeps_its_type_based_status() -> None:
    adapter = get_adapter("openai")
    state = StreamState(model="m", provider="openai")
    event = type("E", (), {"data": json.dumps({"error": {"message": "quota gone", "type": "insufficient_quota"}}),
                           "event": None})()
    with pytest.raises(RateLimitError, match="quota gone"):
        adapter.parse_event(event, state)


# -- response_format, limits, response objects -----------------------------------------------------


@pytest.mark.parametrize(
    "value, keys, expected",
    [
        (None, ("schema",), (False, None)),
        ({"type": "text"}, ("schema",), (False, None)),
        ({"type": "json_object"}, ("schema",), (True, None)),
        ({"type": "json_object", "schema": {"a": 1}}, ("schema",), (True, {"a": 1})),
        ({"type": "json_object", "schema": {}}, ("schema",), (True, {})),
        ({"type": "json_object", "schema": {}, "json_schema": {"b": 2}}, ("schema", "json_schema"), (True, {"b": 2})),
        ({"type": "json_schema", "json_schema": {"schema": {"c": 3}}}, ("schema",), (True, {"c": 3})),
        ({"type": "json_schema", "json_schema": "nope"}, ("schema",), (True, None)),
    ],
)
def test_json_format_reads_both_openai_spellings(value: Any, keys: Any, expected: Any) -> None:
    if value is None:
        value = {}
    assert json_format(value, cfg(), keys) == expected


def test_json_format_refuses_other_shapes_unless_dropping() -> None:
    with pytest.raises(UnsupportedParamsError, match="of type 'grammar'"):
        json_format({"type": "grammar"}, cfg())
    with pytest.raises(UnsupportedParamsError, match="of this shape"):
        json_format("json", cfg())
    assert json_format({"type": "grammar"}, cfg(drop=True)) == (False, None)


def test_cohere_and_ollama_bodies_from_the_shared_helpers() -> None:
    params = {"max_tokens": 5, "stop": "END", "response_format": {"type": "json_object"}}
    cohere = json.loads(get_adapter("cohere").prepare(
        ChatRequest(model="command-r", messages=[{"role": "user", "content": "hi"}], params=params), cfg()).body)
    assert (cohere["max_tokens"], cohere["stop_sequences"], cohere["response_format"]) == (
        5, ["END"], {"type": "json_object"})
    ollama = json.loads(get_adapter("ollama_chat").prepare(
        ChatRequest(model="llama3", messages=[{"role": "user", "content": "hi"}], params=params),
        cfg("ollama_chat")).body)
    assert (ollama["options"]["num_predict"], ollama["options"]["stop"], ollama["format"]) == (5, ["END"], "json")


def test_copy_limits_prefers_max_completion_tokens_and_lists_a_stop_string() -> None:
    out: Dict[str, Any] = {}
    copy_limits({"max_tokens": 9, "max_completion_tokens": 3, "stop": ("a", "b")}, out, "limit", "stops")
    assert out == {"limit": 3, "stops": ["a", "b"]}
    empty: Dict[str, Any] = {}
    copy_limits({}, empty, "limit", "stops")
    assert empty == {}


def test_response_object_refuses_a_list() -> None:
    assert response_object(reply({"a": 1}), cfg(), "X response") == {"a": 1}
    with pytest.raises(APIConnectionError, match="unexpected X response"):
        response_object(reply([1]), cfg(), "X response")


# -- embeddings ------------------------------------------------------------------------------------


def test_text_inputs_refuse_token_arrays_before_sending() -> None:
    request = EmbeddingRequest(model="e", input=["a", [1, 2]])
    with pytest.raises(BadRequestError, match="Vendor embeddings take text inputs only; got list"):
        text_inputs(request, cfg(), "Vendor")
    assert text_inputs(EmbeddingRequest(model="e", input=["a", "b"]), cfg(), "Vendor") == ["a", "b"]


def test_float_only_refuses_base64_and_user() -> None:
    with pytest.raises(UnsupportedParamsError, match="encoding_format"):
        reject_float_only(EmbeddingRequest(model="e", input=["a"], params={"encoding_format": "base64"}), cfg())
    with pytest.raises(UnsupportedParamsError, match="'user'"):
        reject_float_only(EmbeddingRequest(model="e", input=["a"], params={"user": "u"}), cfg())
    reject_float_only(EmbeddingRequest(model="e", input=["a"], params={"encoding_format": "float"}), cfg())


def test_response_list_and_vectors_response() -> None:
    assert response_list(reply({"items": [1]}), cfg(), "items", "V embeddings") == [1]
    with pytest.raises(APIConnectionError, match="V embeddings response has no 'items' list"):
        response_list(reply({"items": {}}), cfg(), "items", "V embeddings")
    request = EmbeddingRequest(model="e", input=["a", "b"])
    out = vectors_response([[0.5], [1.5]], request, cfg(), "V", 7)
    assert [d.embedding for d in out.data] == [[0.5], [1.5]] and out.usage.prompt_tokens == 7
    with pytest.raises(APIConnectionError, match="V embed response: vector 1 is not a list"):
        vectors_response([[0.5], "x"], request, cfg(), "V", 0)


# -- message converters ----------------------------------------------------------------------------


@pytest.mark.parametrize("convert", [anthropic_messages, bedrock_messages, gemini_messages])
def test_every_turn_converter_refuses_a_message_that_is_not_an_object(convert: Any) -> None:
    with pytest.raises(BadRequestError, match="each message must be an object"):
        convert(["hello"], CallContext(cfg()))


@pytest.mark.parametrize("convert", [anthropic_messages, bedrock_messages, gemini_messages])
def test_every_turn_converter_refuses_an_unknown_role(convert: Any) -> None:
    with pytest.raises(BadRequestError, match="unsupported message role 'narrator'"):
        convert([{"role": "narrator", "content": "x"}], CallContext(cfg()))


def test_turn_converters_merge_same_role_turns_under_their_format_names() -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "a"},
        {"role": "user", "content": "b"},
        {"role": "assistant", "content": "c"},
    ]
    system, turns = bedrock_messages(messages, CallContext(cfg()))
    assert system == [{"text": "be brief"}]
    assert [(t["role"], t["content"]) for t in turns] == [("user", [{"text": "a"}, {"text": "b"}]),
                                                          ("assistant", [{"text": "c"}])]
    contents, instruction = gemini_messages(messages, CallContext(cfg()))
    assert instruction == {"parts": [{"text": "be brief"}]}
    assert [(t["role"], len(t["parts"])) for t in contents] == [("user", 2), ("model", 1)]


# -- AWS signing -----------------------------------------------------------------------------------


def _wire() -> WireRequest:
    return WireRequest(url="https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse",
                       headers={"content-type": "application/json", "Authorization": "stale"}, body=b"{}")


def test_sign_aws_signs_for_the_service_and_drops_stale_signatures() -> None:
    creds = AwsCredentials(region="eu-west-2", access_key_id="AKIDEXAMPLE", secret_access_key="secret", source="t")
    config = cfg("bedrock", credentials=creds)
    signed = sign_aws(_wire(), config, "sagemaker", "none")
    assert "Authorization" not in signed.headers
    assert "/eu-west-2/sagemaker/aws4_request" in signed.headers["authorization"]
    assert aws_region(config) == "eu-west-2"


def test_sign_aws_uses_a_bearer_token_when_there_is_one() -> None:
    creds = AwsCredentials(region="us-east-1", bearer_token="tok", source="t")
    signed = sign_aws(_wire(), cfg("bedrock", credentials=creds), "bedrock", "none")
    assert signed.headers["authorization"] == "Bearer tok" and "x-amz-date" not in signed.headers


@pytest.mark.parametrize("adapter", ["bedrock", "bedrock_invoke", "sagemaker"])
def test_aws_adapters_without_usable_credentials_raise_our_error(adapter: str) -> None:
    for creds in (None, AwsCredentials(region="us-east-1", source="empty")):
        with pytest.raises(AuthenticationError, match="no AWS credentials resolved"):
            get_adapter(adapter).sign(_wire(), cfg("bedrock", credentials=creds))


# -- event-stream payload text ---------------------------------------------------------------------


def _frame(payload: bytes) -> bytes:
    name = b":event-type"
    value = b"PayloadPart"
    headers = bytes([len(name)]) + name + b"\x07" + struct.pack(">H", len(value)) + value
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    head = prelude + struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF) + headers + payload
    return head + struct.pack(">I", zlib.crc32(head) & 0xFFFFFFFF)


def test_payload_decoder_keeps_split_utf8_and_the_plain_decoder_refuses_it() -> None:
    cut = "é".encode("utf-8")[:1]
    (event,) = PayloadDecoder().feed(_frame(b"ab" + cut))
    assert event.data.encode("utf-8", "surrogateescape") == b"ab" + cut and event.event == "PayloadPart"
    with pytest.raises(APIConnectionError, match="payload is not UTF-8"):
        EventStreamDecoder().feed(_frame(b"ab" + cut))


# -- environment and Responses events --------------------------------------------------------------


def test_first_env_skips_unset_and_empty_variables() -> None:
    assert first_env(("A", "B", "C"), {"A": "", "B": "b", "C": "c"}) == "b"
    assert first_env(("A",), {}) is None


def test_event_families_keep_their_own_types_and_field_order() -> None:
    assert list(ContentPartDoneEvent().to_dict()) == ["type", "item_id", "output_index", "content_index", "part"]
    assert list(OutputTextDeltaEvent(delta="x", sequence_number=3).to_dict()) == [
        "type", "item_id", "output_index", "content_index", "delta", "sequence_number"]
    assert RefusalDeltaEvent().type == "response.refusal.delta"
    assert not isinstance(RefusalDeltaEvent(), OutputTextDeltaEvent)
    assert not isinstance(ResponseFailedEvent(), ResponseCompletedEvent)
    assert ResponseCompletedEvent()._hidden_params == {}
