"""Bedrock embeddings over InvokeModel: Titan (text v1/v2, multimodal) and Cohere Embed.

End to end through ``litellm_lite.embedding()`` and the loopback server, with every request's SigV4
signature recomputed by the independent verifier of tests/providers/test_bedrock.py.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

import litellm_lite
from litellm_lite.config import CallConfig
from litellm_lite.exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnsupportedParamsError,
)
from litellm_lite.providers import PROVIDERS
from litellm_lite.providers.aws_auth import AwsCredentials
from litellm_lite.providers.base import EmbeddingRequest, WireResponse
from litellm_lite.providers.bedrock import BedrockAdapter, embedding_family
from tests.server import LoopbackServer, Reply
from tests.providers.test_bedrock import verify_sigv4

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
KW: Dict[str, Any] = dict(
    aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_region_name="us-east-1", num_retries=0
)
TITAN_V2 = "amazon.titan-embed-text-v2:0"
TITAN_V1 = "amazon.titan-embed-text-v1"
TITAN_IMAGE = "amazon.titan-embed-image-v1"
COHERE_V3 = "cohere.embed-english-v3"
COHERE_V4 = "us.cohere.embed-v4:0"
ADAPTER = BedrockAdapter()


def embed(server: LoopbackServer, model: str, input: Any = "hi", **kw: Any) -> Any:
    merged = dict(KW)
    merged.update(kw)
    return litellm_lite.embedding(model="bedrock/" + model, input=input, api_base=server.url, **merged)


def cfg(model: str, drop_params: bool = False) -> CallConfig:
    creds = AwsCredentials(region="us-east-1", access_key_id=AKID, secret_access_key=SECRET, source="test")
    return CallConfig(provider="bedrock", model=model, spec=PROVIDERS["bedrock"],
                      api_base="https://bedrock-runtime.us-east-1.amazonaws.com", credentials=creds,
                      drop_params=drop_params)


def body_of(model: str, inputs: List[Any], drop_params: bool = False,
            extra_body: Optional[Dict[str, Any]] = None, **params: Any) -> Dict[str, Any]:
    request = EmbeddingRequest(model=model, input=inputs, params=params, extra_body=extra_body or {})
    wire = ADAPTER.prepare_embedding(request, cfg(model, drop_params))
    return json.loads(wire.body.decode("utf-8"))  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# End to end: path, body, signature, parsed result


def test_titan_v2_signed_request_and_response(server: LoopbackServer) -> None:
    server.add(Reply.json({"embedding": [0.25, -0.5, 1.0], "inputTextTokenCount": 2,
                           "embeddingsByType": {"float": [0.25, -0.5, 1.0]}}))
    result = embed(server, TITAN_V2, "hi", dimensions=256, normalize=False, aws_session_token="tok-emb-1")
    assert [d.embedding for d in result.data] == [[0.25, -0.5, 1.0]]
    assert result.data[0].index == 0 and result.data[0].object == "embedding"
    assert result.object == "list" and result.model == TITAN_V2
    assert result.usage.prompt_tokens == 2 and result.usage.total_tokens == 2
    assert result._hidden_params["response_cost"] == pytest.approx(2 * 2e-08)
    (received,) = server.requests
    assert received.method == "POST"
    assert received.path == "/model/amazon.titan-embed-text-v2%3A0/invoke"
    assert received.json() == {"inputText": "hi", "dimensions": 256, "normalize": False}
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-amz-security-token"] == "tok-emb-1"
    info = verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)
    assert info["service"] == "bedrock" and info["region"] == "us-east-1" and info["akid"] == AKID
    assert "\n/model/amazon.titan-embed-text-v2%253A0/invoke\n" in info["canonical"]


def test_titan_v1_list_of_one_and_token_count_header(server: LoopbackServer) -> None:
    server.add(Reply.json({"embedding": [1, 2, 3]},
                          headers={"content-type": "application/json", "X-Amzn-Bedrock-Input-Token-Count": "7"}))
    result = embed(server, TITAN_V1, ["only one"])
    assert result.data[0].embedding == [1, 2, 3]
    assert result.usage.prompt_tokens == 7
    (received,) = server.requests
    assert received.path == "/model/amazon.titan-embed-text-v1/invoke"
    assert received.json() == {"inputText": "only one"}
    verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)


def test_cohere_v3_list_of_texts(server: LoopbackServer) -> None:
    server.add(Reply.json({"id": "abc", "texts": ["a", "b"], "embeddings": [[0.1, 0.2], [0.3, 0.4]],
                           "response_type": "embeddings_floats"},
                          headers={"content-type": "application/json", "x-amzn-bedrock-input-token-count": "4"}))
    result = embed(server, COHERE_V3, ["a", "b"])
    assert [d.embedding for d in result.data] == [[0.1, 0.2], [0.3, 0.4]]
    assert [d.index for d in result.data] == [0, 1]
    assert result.usage.prompt_tokens == 4
    (received,) = server.requests
    assert received.path == "/model/cohere.embed-english-v3/invoke"
    assert received.json() == {"texts": ["a", "b"], "input_type": "search_document"}
    verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)


def test_cohere_v4_by_type_response_input_type_and_dimensions(server: LoopbackServer) -> None:
    server.add(Reply.json({"id": "x", "texts": ["q"], "response_type": "embeddings_by_type",
                           "embeddings": {"float": [[0.5, 0.5]], "int8": [[3, 4]]}}))
    result = embed(server, COHERE_V4, "q", input_type="search_query", dimensions=512, truncate="RIGHT")
    assert result.data[0].embedding == [0.5, 0.5]
    assert result.usage.prompt_tokens == 0  # no count reported anywhere
    (received,) = server.requests
    assert received.path == "/model/us.cohere.embed-v4%3A0/invoke"
    assert received.json() == {"texts": ["q"], "input_type": "search_query", "output_dimension": 512,
                               "truncate": "RIGHT"}
    verify_sigv4(received.method, received.path, received.query, received.headers, received.body, SECRET)


def test_bearer_key_is_sent_instead_of_sigv4(server: LoopbackServer) -> None:
    server.add(Reply.json({"embedding": [0.0, 1.0], "inputTextTokenCount": 1}))
    result = litellm_lite.embedding(model="bedrock/" + TITAN_V2, input="x", api_base=server.url,
                                    api_key="bedrock-key-123", aws_region_name="us-west-2", num_retries=0)
    assert result.data[0].embedding == [0.0, 1.0]
    (received,) = server.requests
    assert received.headers["authorization"] == "Bearer bedrock-key-123"
    assert "x-amz-date" not in received.headers


# ---------------------------------------------------------------------------------------------
# Rejected before sending


def test_titan_with_several_inputs_sends_one_signed_request_each(server: LoopbackServer) -> None:
    server.handler = lambda req: Reply.json({"embedding": [float(len(req.json()["inputText"]))], "inputTextTokenCount": 2})
    result = embed(server, TITAN_V2, ["a", "bb", "ccc"])
    assert [d.embedding for d in result.data] == [[1.0], [2.0], [3.0]]
    assert [d.index for d in result.data] == [0, 1, 2]
    assert result.usage.prompt_tokens == 6
    assert [r.json()["inputText"] for r in server.requests] == ["a", "bb", "ccc"]
    for r in server.requests:
        assert verify_sigv4(r.method, r.path, r.query, r.headers, r.body, SECRET)["service"] == "bedrock"


def test_titan_adapter_refuses_a_multi_input_request_it_did_not_split() -> None:
    with pytest.raises(BadRequestError, match="one text per request"):
        body_of(TITAN_V2, ["a", "b"])


def test_a_bad_input_in_a_split_titan_call_sends_nothing(server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError):
        embed(server, TITAN_V2, ["a", 5])
    assert server.requests == []


@pytest.mark.parametrize("model", ["meta.llama3-8b-instruct-v1:0", "amazon.nova-micro-v1:0",
                                   "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"])
def test_unknown_embedding_family_sends_nothing(server: LoopbackServer, model: str) -> None:
    with pytest.raises(BadRequestError, match="is neither"):
        embed(server, model)
    assert server.requests == []


def test_non_text_inputs_and_bad_dimensions_send_nothing(server: LoopbackServer) -> None:
    with pytest.raises(BadRequestError, match=r"input\[1\]"):
        embed(server, COHERE_V3, ["ok", [1, 2, 3]])
    with pytest.raises(BadRequestError, match="dimensions"):
        embed(server, TITAN_V2, "x", dimensions=0)
    with pytest.raises(BadRequestError, match="empty"):
        embed(server, "invoke/")
    assert server.requests == []


@pytest.mark.parametrize(
    "model, params, dropped",
    [
        (TITAN_V1, {"dimensions": 256}, {"inputText": "x"}),
        (COHERE_V3, {"dimensions": 256}, {"texts": ["x"], "input_type": "search_document"}),
        (TITAN_V2, {"input_type": "search_query"}, {"inputText": "x"}),
        (TITAN_V2, {"encoding_format": "int8"}, {"inputText": "x"}),
    ],
)
def test_unsupported_params_raise_or_drop(model: str, params: Dict[str, Any], dropped: Dict[str, Any]) -> None:
    with pytest.raises(UnsupportedParamsError, match="drop_params"):
        body_of(model, ["x"], **params)
    assert body_of(model, ["x"], drop_params=True, **params) == dropped


def test_unsupported_param_through_embedding_sends_nothing(server: LoopbackServer) -> None:
    with pytest.raises(UnsupportedParamsError):
        embed(server, TITAN_V1, "x", dimensions=256)
    assert server.requests == []
    server.add(Reply.json({"embedding": [1.0], "inputTextTokenCount": 1}))
    embed(server, TITAN_V1, "x", dimensions=256, drop_params=True)
    assert server.requests[0].json() == {"inputText": "x"}


# ---------------------------------------------------------------------------------------------
# Request bodies (adapter level)


def test_float_and_base64_encoding_are_accepted() -> None:
    assert body_of(TITAN_V2, ["x"], encoding_format="float") == {"inputText": "x"}
    assert body_of(COHERE_V3, ["x"], encoding_format="base64") == {"texts": ["x"], "input_type": "search_document"}


def test_titan_multimodal_text_image_and_dimensions() -> None:
    assert body_of(TITAN_IMAGE, ["a cat"], dimensions=384) == {
        "inputText": "a cat", "embeddingConfig": {"outputEmbeddingLength": 384}}
    assert body_of(TITAN_IMAGE, ["data:image/png;base64,iVBORw0KGgo="]) == {"inputImage": "iVBORw0KGgo="}
    # Titan Text has no image field: a data URL is just text there.
    assert body_of(TITAN_V2, ["data:image/png;base64,AAAA"]) == {"inputText": "data:image/png;base64,AAAA"}


def test_invoke_prefix_user_and_extra_headers() -> None:
    request = EmbeddingRequest(model="invoke/" + COHERE_V3, input=["x"], params={"user": "u1"})
    config = cfg(COHERE_V3)
    config.extra_headers = {"X-Trace": "t"}
    wire = ADAPTER.prepare_embedding(request, config)
    assert wire.url == "https://bedrock-runtime.us-east-1.amazonaws.com/model/cohere.embed-english-v3/invoke"
    assert json.loads(wire.body) == {"texts": ["x"], "input_type": "search_document"}
    assert wire.headers["X-Trace"] == "t" and wire.headers["accept"] == "application/json"
    signed = ADAPTER.sign(wire, config)
    assert "x-trace" in signed.headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")


@pytest.mark.parametrize(
    "model, family",
    [
        (TITAN_V1, "titan_v1"), ("amazon.titan-embed-g1-text-02", "titan_v1"), (TITAN_V2, "titan_v2"),
        (TITAN_IMAGE, "titan_image"), (COHERE_V3, "cohere"), ("cohere.embed-multilingual-v3", "cohere"),
        ("global.cohere.embed-v4:0", "cohere"),
        ("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0", "titan_v2"),
        ("anthropic.claude-3-haiku-20240307-v1:0", None), ("cohere.command-r-v1:0", None),
    ],
)
def test_embedding_family(model: str, family: Optional[str]) -> None:
    assert embedding_family(model) == family


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "status, errtype, cls",
    [
        (400, "ValidationException", BadRequestError),
        (403, "AccessDeniedException", PermissionDeniedError),
        (404, "ResourceNotFoundException", NotFoundError),
        (429, "ThrottlingException", RateLimitError),
        (500, "InternalServerException", InternalServerError),
    ],
)
def test_bedrock_error_bodies_are_mapped(server: LoopbackServer, status: int, errtype: str, cls: type) -> None:
    server.add(Reply(status=status, headers={"content-type": "application/json", "x-amzn-errortype": errtype + ":http://internal"},
                     body=json.dumps({"message": "went wrong: " + errtype}).encode()))
    with pytest.raises(cls, match="went wrong: " + errtype) as info:
        embed(server, TITAN_V2)
    assert info.value.status_code == status
    assert len(server.requests) == 1


def test_expired_token_is_an_authentication_error(server: LoopbackServer) -> None:
    server.add(Reply(status=403, headers={"content-type": "application/json"},
                     body=b'{"__type": "ExpiredTokenException", "message": "The security token included in the request is expired"}'))
    with pytest.raises(AuthenticationError, match="expired"):
        embed(server, COHERE_V3, ["a"])


@pytest.mark.parametrize(
    "model, body",
    [
        (TITAN_V2, b"not json at all"),
        (TITAN_V2, b"[1, 2]"),
        (TITAN_V2, b'{"embedding": "abc"}'),
        (TITAN_V2, b'{"embedding": [1, "x"]}'),
        (TITAN_V2, b"{}"),
        (COHERE_V3, b'{"embeddings": {"float": "nope"}}'),
        (COHERE_V3, b'{"embeddings": [[0.1], null]}'),
        (COHERE_V3, b'{"id": "x"}'),
        (COHERE_V3, b'{"embeddings": [[0.1], [0.2], [0.3]]}'),  # three vectors for two inputs
        (COHERE_V3, b'{"embeddings": {}}'),
    ],
)
def test_garbage_bodies_raise_api_connection_error(server: LoopbackServer, model: str, body: bytes) -> None:
    server.add(Reply(body=body))
    with pytest.raises(APIConnectionError):
        embed(server, model, ["a", "b"] if model == COHERE_V3 else "a")


def test_titan_message_without_embedding_is_a_server_error() -> None:
    request = EmbeddingRequest(model=TITAN_IMAGE, input=["x"])
    response = WireResponse(200, {"content-type": "application/json"}, b'{"message": "image too large"}')
    with pytest.raises(InternalServerError, match="image too large"):
        ADAPTER.parse_embedding(response, request, cfg(TITAN_IMAGE))


def test_cohere_by_type_without_float_uses_the_type_returned() -> None:
    request = EmbeddingRequest(model=COHERE_V3, input=["x"], extra_body={"embedding_types": ["int8"]})
    response = WireResponse(200, {}, b'{"embeddings": {"int8": [[1, -2, 3]]}}')
    result = ADAPTER.parse_embedding(response, request, cfg(COHERE_V3))
    assert result.data[0].embedding == [1, -2, 3]
