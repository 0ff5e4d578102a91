"""Shapes the native embedding adapters (Cohere, Ollama, Gemini, Vertex AI) share, each written once.

- :func:`text_inputs`: the inputs as strings, BadRequestError for anything else.
- :func:`reject_float_only`: refuse ``encoding_format`` other than float, and ``user``.
- :func:`response_list`: a JSON response's list field, APIConnectionError when it is missing.
- :func:`vectors_response`: plain vectors (lists of numbers) -> an EmbeddingResponse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from ..exceptions import APIConnectionError, BadRequestError
from ..types import EmbeddingData, EmbeddingResponse, Usage
from ._common import load_json, reject_param
from .base import EmbeddingRequest, WireResponse

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["text_inputs", "reject_float_only", "response_list", "vectors_response"]


def text_inputs(request: EmbeddingRequest, config: "CallConfig", vendor: str) -> List[str]:
    """The inputs, each a string; BadRequestError (before anything is sent) for token arrays and the like."""
    for item in request.input:
        if not isinstance(item, str):
            raise BadRequestError(
                "%s embeddings take text inputs only; got %s" % (vendor, type(item).__name__),
                config.provider,
                config.model,
            )
    return list(request.input)


def reject_float_only(request: EmbeddingRequest, config: "CallConfig") -> None:
    """Refuse (or drop) what a float-vectors-only API cannot honour: another encoding, and ``user``."""
    if request.params.get("encoding_format") not in (None, "float"):
        reject_param("encoding_format", config, " other than 'float'")
    if "user" in request.params:
        reject_param("user", config)


def response_list(response: WireResponse, config: "CallConfig", key: str, what: str) -> List[Any]:
    """``response``'s JSON object's ``key`` list; APIConnectionError naming ``what`` otherwise."""
    payload = load_json(response.body, config.provider, config.model)
    items = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise APIConnectionError("%s response has no '%s' list" % (what, key), config.provider, config.model)
    return items


def vectors_response(
    vectors: List[Any], request: EmbeddingRequest, config: "CallConfig", vendor: str, prompt_tokens: int
) -> EmbeddingResponse:
    """An EmbeddingResponse of ``vectors`` in order; each must be a list."""
    out = EmbeddingResponse(model=request.model)
    for i, vec in enumerate(vectors):
        if not isinstance(vec, list):
            raise APIConnectionError(
                "%s embed response: vector %d is not a list" % (vendor, i), config.provider, config.model
            )
        out.data.append(EmbeddingData(embedding=vec, index=i))
    out.usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=0, total_tokens=prompt_tokens)
    return out
