"""Voyage AI and Jina AI embeddings: request bodies and response parsing.

Both answer in OpenAI's embeddings shape (``{"data": [{"embedding", "index"}], "model", "usage"}``,
vectors as JSON lists or, with ``encoding_format: "base64"``, base64 of little-endian float32), so
each becomes an OpenAI-format row. What differs is small and lives here:

- Voyage names OpenAI's ``dimensions`` ``output_dimension``, takes ``input_type`` (query | document),
  ``truncation`` and ``output_dtype``, and reports only ``usage.total_tokens`` (all of it input).
- Jina takes ``dimensions`` as is, plus ``task``, ``late_chunking`` and ``embedding_type``.
- Errors: Voyage answers ``{"detail": "..."}`` (no ``error`` object); the shared error mapper reads it.

Pure translation: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ..exceptions import APIConnectionError, APIError, BadRequestError
from ..types import EmbeddingData, EmbeddingResponse, Usage
from .base import WireResponse, error_from_body, json_object, token_count

__all__ = [
    "VOYAGE_PARAMS",
    "JINA_PARAMS",
    "embedding_body",
    "parse_embedding_response",
]

# OpenAI name -> vendor name, for the parameters each vendor takes.
VOYAGE_PARAMS: Mapping[str, str] = {
    "dimensions": "output_dimension",
    "encoding_format": "encoding_format",
    "input_type": "input_type",
    "truncation": "truncation",
    "output_dtype": "output_dtype",
}
JINA_PARAMS: Mapping[str, str] = {
    "dimensions": "dimensions",
    "encoding_format": "embedding_type",
    "task": "task",
    "late_chunking": "late_chunking",
    "embedding_type": "embedding_type",
    "normalized": "normalized",
}
_PARAMS = {"voyage": VOYAGE_PARAMS, "jina_ai": JINA_PARAMS}
_ENCODINGS = {"voyage": ("base64",), "jina_ai": ("float", "base64", "binary", "ubinary")}


def embedding_body(provider: str, model: str, inputs: Sequence[Any], params: Mapping[str, Any]) -> Dict[str, Any]:
    """The JSON body for ``provider`` ("voyage" or "jina_ai"); unknown parameters raise BadRequestError."""
    names = _PARAMS.get(provider)
    if names is None:
        raise BadRequestError("no embeddings translation for provider %r" % provider, provider, model)
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, (list, tuple)) or not inputs or not all(isinstance(i, str) for i in inputs):
        raise BadRequestError("input must be a string or a non-empty list of strings", provider, model)
    body: Dict[str, Any] = {"model": model, "input": list(inputs)}
    for name, value in params.items():
        if value is None:
            continue
        wire = names.get(name)
        if wire is None:
            raise BadRequestError("%s embeddings do not take parameter %r" % (provider, name), provider, model)
        if name == "encoding_format" and value not in _ENCODINGS[provider]:
            if value == "float":
                continue  # the default answer is floats already
            raise BadRequestError("%s: encoding_format must be one of %s" % (provider, ", ".join(_ENCODINGS[provider])),
                                  provider, model)
        if name == "dimensions" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise BadRequestError("dimensions must be a positive integer", provider, model)
        body[wire] = value
    return body


def _vector(raw: Any, pos: int, provider: str, model: str) -> List[float]:
    if isinstance(raw, str):
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise APIConnectionError("embedding %d is not valid base64" % pos, provider, model) from None
        if len(data) % 4:
            raise APIConnectionError("embedding %d: base64 length is not a whole number of float32" % pos,
                                     provider, model)
        return list(struct.unpack("<%df" % (len(data) // 4), data))
    if isinstance(raw, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
        return [float(v) for v in raw]
    raise APIConnectionError("embedding %d is not a list of numbers or base64" % pos, provider, model)


def _usage(raw: Any) -> Optional[Usage]:
    usage = json_object(raw)
    if not usage:
        return None
    total = token_count(usage.get("total_tokens"))
    prompt = token_count(usage.get("prompt_tokens"))
    if prompt is None:
        prompt = total  # Voyage reports only the total, which is all input
    return Usage(prompt_tokens=prompt or 0, completion_tokens=0, total_tokens=total or prompt or 0)


def parse_embedding_response(provider: str, response: WireResponse, model: str = "") -> EmbeddingResponse:
    """An EmbeddingResponse from a 2xx body; any other status raises our APIError subclass."""
    if not 200 <= response.status < 300:
        err: APIError = error_from_body(response, provider, model)
        raise err
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise APIConnectionError("invalid JSON in embeddings response", provider, model) from exc
    items = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise APIConnectionError("embeddings response has no 'data' list", provider, model)
    data = []
    for pos, item in enumerate(items):
        if not isinstance(item, dict):
            raise APIConnectionError("embedding %d is not an object" % pos, provider, model)
        index = item.get("index")
        data.append(EmbeddingData(embedding=_vector(item.get("embedding"), pos, provider, model),
                                  index=index if isinstance(index, int) and not isinstance(index, bool) else pos))
    result = EmbeddingResponse(data=data, model=payload.get("model") if isinstance(payload.get("model"), str) else model,
                               usage=_usage(payload.get("usage")))
    result._hidden_params["custom_llm_provider"] = provider
    result._response_headers = dict(response.headers)
    return result
