"""The ``rerank`` endpoint on the road: the row's rerank path and auth, the provider's body format.

Any adapter whose row declares ``("rerank", path)`` serves rerank through these two functions
(``Adapter.prepare_endpoint`` / ``parse_endpoint`` call them). The body and answer formats live in
``rerank_wire.py`` (:data:`~litellm_lite.rerank_wire.FORMATS`), chosen by the provider's name; a row without a
format of its own (Xinference, a LiteLLM proxy, rows added later) speaks Cohere's v1 shape, which
is what those servers take. ``api_version="v1"`` picks Cohere's v1 endpoint, and on Bedrock
``api_version="invoke"`` calls a Cohere rerank model through InvokeModel instead of the Agent
Runtime's ``/rerank``. Pure translation: no I/O.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict
from urllib.parse import quote

from ..exceptions import BadRequestError
from .base import EndpointRequest, WireRequest, WireResponse, join_url

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig
    from ..rerank_wire import RerankFormat, RerankRequest, RerankResponse

__all__ = ["RERANK_FIELDS", "rerank_format_for", "prepare_rerank", "parse_rerank"]

#: The rerank arguments the public function passes as the request's params.
RERANK_FIELDS = ("query", "documents", "top_n", "rank_fields", "return_documents", "max_chunks_per_doc",
                 "max_tokens_per_doc")
# The formats whose path is their own, not the row's (a variant of the row's endpoint).
_OWN_PATH = frozenset({"cohere_v1", "bedrock_invoke"})


def _format_name(config: "CallConfig") -> str:
    from ..rerank_wire import FORMATS

    spec = config.spec
    name = spec.name if spec.name in FORMATS else spec.family
    return name if name in FORMATS else "cohere_v1"


def rerank_format_for(config: "CallConfig") -> "RerankFormat":
    """The rerank wire format of this call (provider name, or its price family, and api_version)."""
    from ..rerank_wire import rerank_format

    return rerank_format(_format_name(config), config.api_version)


def _rerank_request(request: EndpointRequest) -> "RerankRequest":
    from ..rerank_wire import RerankRequest

    fields: Dict[str, Any] = {name: request.params.get(name) for name in RERANK_FIELDS}
    return RerankRequest(model=request.model, extra_body=dict(request.extra_body), **fields)


def _base(fmt: "RerankFormat", config: "CallConfig") -> str:
    base = config.api_base
    if fmt.name == "bedrock" and "://bedrock-runtime." in base:
        # The AWS resolver fills the runtime URL; rerank lives on the Agent Runtime host.
        base = base.replace("://bedrock-runtime.", "://bedrock-agent-runtime.", 1)
    if not base:
        raise BadRequestError(
            "rerank: %s needs an API base: pass api_base or set %s"
            % (config.provider, " or ".join(config.spec.api_base_env) or "api_base"),
            config.provider,
            config.model,
        )
    return base


def _auth_headers(config: "CallConfig") -> Dict[str, str]:
    style = config.spec.auth
    key = config.api_key
    if not key or style in ("none", "aws", "google", "azure"):
        return {}
    if style in ("api-key", "x-api-key"):
        return {style: key}
    return {"authorization": "Bearer " + key}


def prepare_rerank(request: EndpointRequest, config: "CallConfig") -> WireRequest:
    """The HTTP request of a rerank call (Bedrock's is signed afterwards by the adapter's ``sign``)."""
    from ..rerank_wire import bedrock_body

    fmt = rerank_format_for(config)
    rerank_request = _rerank_request(request)
    rerank_request.check(config.provider)
    if fmt.name == "bedrock":
        body = bedrock_body(rerank_request, str(config.options.get("region") or "us-east-1"))
    else:
        body = fmt.build(rerank_request)
        body.update(rerank_request.extra_body)
    # A variant chosen by api_version (Cohere v1, Bedrock InvokeModel) has its own path; else the row's.
    variant = fmt.name in _OWN_PATH and fmt.name != _format_name(config)
    path = fmt.path if variant else (config.spec.path("rerank") or fmt.path)
    if "{model}" in path:
        path = path.replace("{model}", quote(request.model, safe=""))
    headers = {"content-type": "application/json", "accept": "application/json"}
    headers.update(_auth_headers(config))
    headers.update(dict(config.spec.headers))
    headers.update(config.extra_headers)
    return WireRequest(url=join_url(_base(fmt, config), path), headers=headers,
                       body=json.dumps(body, ensure_ascii=False).encode("utf-8"))


def parse_rerank(response: WireResponse, request: EndpointRequest, config: "CallConfig") -> "RerankResponse":
    """LiteLLM's RerankResponse from a 2xx answer."""
    from ..rerank_wire import parse_rerank_response

    fmt = rerank_format_for(config)
    return parse_rerank_response(fmt.name, response, _rerank_request(request), model=config.model)
