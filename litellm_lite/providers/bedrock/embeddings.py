"""Bedrock embeddings over InvokeModel (``POST /model/{modelId}/invoke``): Amazon Titan and Cohere Embed.

The family is read from the model id (a leading ``invoke/`` is accepted and stripped):

* Amazon Titan Text Embeddings (``amazon.titan-embed-text-v1``, ``amazon.titan-embed-g1-text-02``,
  ``amazon.titan-embed-text-v2:0``): body ``{"inputText": text}``; v2 adds ``dimensions``. One text
  per request: :func:`split_embedding` splits a list into one request per text.
* Amazon Titan Multimodal Embeddings G1 (``amazon.titan-embed-image-v1``): ``inputText`` (or
  ``inputImage`` for a ``data:image/...;base64,`` input), ``dimensions`` ->
  ``embeddingConfig.outputEmbeddingLength``; one input per request as well.
* Cohere Embed (``cohere.embed-english-v3``, ``cohere.embed-multilingual-v3``, ``cohere.embed-v4:0``,
  region-prefixed profiles such as ``us.cohere.embed-v4:0``): ``{"texts": [...], "input_type":
  input_type or "search_document"}``; ``dimensions`` -> ``output_dimension`` (v4 and later only).
  The response's ``embeddings`` may be a list of vectors or a by-type object (``{"float": [...]}``).

``encoding_format`` ``float``/``base64`` is accepted and vectors always come back as lists of floats;
``input_type`` on Titan, ``dimensions`` where the model has no such setting and other encodings
raise UnsupportedParamsError (dropped with ``drop_params=True``); ``user`` is ignored. Extra
keyword arguments are merged into the body. Usage: ``inputTextTokenCount`` (Titan) or the
``X-Amzn-Bedrock-Input-Token-Count`` response header.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional
from urllib.parse import quote

from ...exceptions import APIConnectionError, InternalServerError
from ...registry import whole_number
from ...types import EmbeddingData, EmbeddingResponse
from .._common import CallContext, merge_extra_body
from ..base import EmbeddingRequest, WireRequest, WireResponse, load_json, usage_from_counts

if TYPE_CHECKING:  # pragma: no cover
    from ...config import CallConfig

__all__ = ["embedding_family", "split_embedding", "prepare_embedding", "parse_embedding"]

_COHERE_EMBED_VERSION = re.compile(r"cohere\.embed-v(\d+)")
_IMAGE_DATA_URL = re.compile(r"^data:image/[A-Za-z0-9.+-]+;base64,(.*)$", re.S)
_TOKEN_COUNT_HEADER = "x-amzn-bedrock-input-token-count"
_FAMILIES = (
    ("cohere.embed", "cohere"),
    ("amazon.titan-embed-image", "titan_image"),
    ("amazon.titan-embed-text-v2", "titan_v2"),
    ("amazon.titan-embed-text", "titan_v1"),
    ("amazon.titan-embed-g1-text", "titan_v1"),
)


def embedding_family(model_id: str) -> Optional[str]:
    """``"titan_v1"``, ``"titan_v2"``, ``"titan_image"`` or ``"cohere"`` for a Bedrock embedding
    model id (region prefixes and ARNs naming the model are fine); None when unknown."""
    lowered = model_id.lower()
    return next((family for marker, family in _FAMILIES if marker in lowered), None)


def _model_id(model: str) -> str:
    return model[len("invoke/") :] if model.startswith("invoke/") else model


def _cohere_has_dimensions(model_id: str) -> bool:
    match = _COHERE_EMBED_VERSION.search(model_id.lower())
    return match is not None and int(match.group(1)) >= 4


def _count(value: Any) -> Optional[int]:
    """A token count from a header or body: a whole number, or a short string of ASCII digits."""
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii() and len(value) < 20:
        return int(value.strip())  # ASCII digits only: "²".isdigit() is True but int("²") fails
    return whole_number(value)


def _is_vector(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
    )


def split_embedding(request: EmbeddingRequest) -> List[EmbeddingRequest]:
    """Titan's InvokeModel takes one text per request: one request per input (Cohere takes a list)."""
    family = embedding_family(_model_id(request.model))
    if family is None or family == "cohere" or len(request.input) <= 1:
        return [request]
    return [
        EmbeddingRequest(model=request.model, input=[item], params=request.params, extra_body=request.extra_body)
        for item in request.input
    ]


def _texts(request: EmbeddingRequest, ctx: CallContext) -> List[str]:
    texts: List[str] = []
    for position, item in enumerate(request.input):
        if not isinstance(item, str):
            raise ctx.bad("bedrock embeddings take text inputs; input[%d] is a %s" % (position, type(item).__name__))
        texts.append(item)
    return texts


def _reject(ctx: CallContext, model_id: str, name: str, why: str) -> None:
    ctx.reject("bedrock embeddings with %r do not support %s %s" % (model_id, name, why))


def _cohere_body(texts: List[str], params: Dict[str, Any], model_id: str, ctx: CallContext) -> Dict[str, Any]:
    body: Dict[str, Any] = {"texts": texts, "input_type": params.get("input_type") or "search_document"}
    dimensions = params.get("dimensions")
    if dimensions is not None:
        if _cohere_has_dimensions(model_id):
            body["output_dimension"] = dimensions
        else:
            _reject(ctx, model_id, "dimensions", "(Cohere Embed v4 and later only)")
    return body


def _titan_body(
    texts: List[str], params: Dict[str, Any], model_id: str, family: str, ctx: CallContext
) -> Dict[str, Any]:
    if len(texts) != 1:
        raise ctx.bad(
            "Amazon Titan embedding models take one text per request (InvokeModel) and this request "
            "has %d inputs: embedding() splits lists with split_embedding()" % len(texts)
        )
    if params.get("input_type") is not None:
        _reject(ctx, model_id, "input_type", "(a Cohere setting)")
    image = _IMAGE_DATA_URL.match(texts[0]) if family == "titan_image" else None
    body: Dict[str, Any] = {"inputImage": image.group(1)} if image else {"inputText": texts[0]}
    dimensions = params.get("dimensions")
    if dimensions is None:
        return body
    if family == "titan_v2":
        body["dimensions"] = dimensions
    elif family == "titan_image":
        body["embeddingConfig"] = {"outputEmbeddingLength": dimensions}
    else:
        _reject(ctx, model_id, "dimensions", "(Titan Text Embeddings v2 only)")
    return body


def prepare_embedding(request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
    """The InvokeModel request for one embedding request."""
    ctx = CallContext(config, model=request.model)
    model_id = _model_id(request.model)
    if not model_id:
        raise ctx.bad("empty Bedrock model id")
    family = embedding_family(model_id)
    if family is None:
        raise ctx.bad(
            "bedrock embeddings support Amazon Titan (amazon.titan-embed-text-v1, "
            "amazon.titan-embed-text-v2:0, amazon.titan-embed-image-v1) and Cohere Embed "
            "(cohere.embed-english-v3, cohere.embed-multilingual-v3, cohere.embed-v4:0) models; "
            "%r is neither" % model_id
        )
    texts = _texts(request, ctx)
    params = request.params
    encoding = params.get("encoding_format")
    if encoding is not None and encoding not in ("float", "base64"):
        _reject(ctx, model_id, "encoding_format=%r" % (encoding,), "(float vectors are returned)")
    dimensions = params.get("dimensions")
    if dimensions is not None and (isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions <= 0):
        raise ctx.bad("dimensions must be a positive integer, got %r" % (dimensions,))
    if family == "cohere":
        body = _cohere_body(texts, params, model_id, ctx)
    else:
        body = _titan_body(texts, params, model_id, family, ctx)
    merge_extra_body(body, request.extra_body)
    headers = {"content-type": "application/json", "accept": "application/json"}
    headers.update(config.extra_headers or {})
    return WireRequest(
        url=config.api_base.rstrip("/") + "/model/%s/invoke" % quote(model_id, safe=""),
        headers=headers,
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
    )


def _cohere_vectors(payload: Dict[str, Any], provider: str, model_id: str) -> List[List[Any]]:
    raw = payload.get("embeddings")
    if isinstance(raw, dict):  # by type: {"float": [[...]], "int8": [[...]], ...}
        chosen = raw.get("float")
        if chosen is None:
            chosen = next((value for value in raw.values() if isinstance(value, list)), None)
        raw = chosen
    if not isinstance(raw, list) or not all(_is_vector(vector) for vector in raw):
        raise APIConnectionError(
            "unexpected Cohere embeddings response from Bedrock: no list of vectors", provider, model_id
        )
    return raw


def _titan_vector(payload: Dict[str, Any], status: int, provider: str, model_id: str) -> List[Any]:
    vector: Any = payload.get("embedding")
    if not _is_vector(vector):
        by_type = payload.get("embeddingsByType")
        vector = by_type.get("float") if isinstance(by_type, dict) else None
    if _is_vector(vector):
        return list(vector)
    message = payload.get("message")
    if isinstance(message, str) and message:
        raise InternalServerError("Bedrock embedding failed: %s" % message, provider, model_id, status_code=status)
    raise APIConnectionError("unexpected Bedrock embeddings response: no embedding vector", provider, model_id)


def parse_embedding(response: WireResponse, request: EmbeddingRequest, config: "CallConfig") -> EmbeddingResponse:
    """An InvokeModel embeddings answer -> EmbeddingResponse (vectors as lists of floats)."""
    provider = config.provider
    model_id = _model_id(request.model)
    payload = load_json(response.body, provider, model_id, "Bedrock embeddings response")
    if not isinstance(payload, dict):
        raise APIConnectionError("unexpected Bedrock embeddings response: not a JSON object", provider, model_id)
    header_count: Optional[int] = None
    for key, value in response.headers.items():
        if key.lower() == _TOKEN_COUNT_HEADER:
            header_count = _count(value)
    prompt_tokens: Optional[int] = header_count
    if embedding_family(model_id) == "cohere":
        vectors = _cohere_vectors(payload, provider, model_id)
    else:
        vectors = [_titan_vector(payload, response.status, provider, model_id)]
        counted = _count(payload.get("inputTextTokenCount"))
        if counted is not None:
            prompt_tokens = counted
    if len(vectors) != len(request.input):
        raise APIConnectionError(
            "Bedrock returned %d embeddings for %d inputs" % (len(vectors), len(request.input)), provider, model_id
        )
    return EmbeddingResponse(
        data=[EmbeddingData(embedding=list(vector), index=i) for i, vector in enumerate(vectors)],
        model=model_id,
        usage=usage_from_counts(prompt_tokens or 0, 0, total_tokens=prompt_tokens or 0),
    )
