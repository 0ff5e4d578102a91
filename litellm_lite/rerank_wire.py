"""Rerank: LiteLLM's request/response types and the per-provider wire translation.

One :class:`RerankRequest` (the caller's arguments, checked) becomes one provider body through the
format named for the provider (:data:`FORMATS`); the provider's JSON comes back as a
:class:`RerankResponse` in LiteLLM's (Cohere's) shape::

    {"id": "...", "results": [{"index": 2, "relevance_score": 0.93, "document": {"text": "..."}}],
     "meta": {"billed_units": {"search_units": 1, "total_tokens": 120}, "tokens": {"input_tokens": 120}}}

Formats: Cohere v2 (``/v2/rerank``) and v1 (``/v1/rerank``, also Azure AI Foundry), Jina, Voyage
(``top_k``, results under ``data``), Together, Infinity (``/rerank``) and Bedrock Agent Runtime
(``/rerank``, Cohere and Amazon rerank models; or InvokeModel for Cohere rerank, ``api_version="invoke"``).
Everything here is pure: no sockets, no environment.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union
from urllib.parse import quote

from .exceptions import APIConnectionError, BadRequestError
from .providers.base import WireRequest, WireResponse, error_from_body, join_url, json_object, token_count
from .types import Record

__all__ = [
    "RerankRequest",
    "RerankResult",
    "RerankResponse",
    "RerankFormat",
    "FORMATS",
    "rerank_format",
    "build_rerank_request",
    "parse_rerank_response",
    "bedrock_model_arn",
]

Document = Union[str, Dict[str, Any]]


@dataclass
class RerankResult(Record):
    """One ranked document: its position in the request, its score, and its text when asked for."""

    index: int = 0
    relevance_score: float = 0.0
    document: Optional[Dict[str, Any]] = None

    def to_dict(self, exclude_none: bool = False) -> Dict[str, Any]:
        out: Dict[str, Any] = {"index": self.index, "relevance_score": self.relevance_score}
        if self.document is not None:
            out["document"] = dict(self.document)
        return out


@dataclass
class RerankResponse(Record):
    """LiteLLM's RerankResponse: ``id``, ``results`` (best first, as the provider ranked) and ``meta``."""

    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    results: List[RerankResult] = field(default_factory=list)
    meta: Dict[str, Any] = field(default_factory=dict)
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class RerankRequest:
    """A checked rerank call. ``model`` is the id sent on the wire (provider prefix stripped)."""

    model: str
    query: str
    documents: List[Document]
    top_n: Optional[int] = None
    rank_fields: Optional[List[str]] = None
    return_documents: Optional[bool] = None
    max_chunks_per_doc: Optional[int] = None
    max_tokens_per_doc: Optional[int] = None
    extra_body: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.check()

    def check(self, provider: str = "") -> None:
        """Raise BadRequestError for arguments no provider accepts."""

        def bad(message: str) -> BadRequestError:
            return BadRequestError("rerank: " + message, provider, self.model if isinstance(self.model, str) else "")

        if not isinstance(self.model, str) or not self.model:
            raise bad("model must be a non-empty string")
        if not isinstance(self.query, str) or not self.query:
            raise bad("query must be a non-empty string")
        if not isinstance(self.documents, list) or not self.documents:
            raise bad("documents must be a non-empty list of strings or objects")
        for pos, doc in enumerate(self.documents):
            if not isinstance(doc, (str, dict)):
                raise bad("documents[%d] must be a string or an object, got %s" % (pos, type(doc).__name__))
        for name in ("top_n", "max_chunks_per_doc", "max_tokens_per_doc"):
            if not _positive_or_none(getattr(self, name)):
                raise bad("%s must be a positive integer, got %r" % (name, getattr(self, name)))
        if self.return_documents is not None and not isinstance(self.return_documents, bool):
            raise bad("return_documents must be True or False")
        if self.rank_fields is not None and (
            not isinstance(self.rank_fields, list) or not all(isinstance(f, str) for f in self.rank_fields)
        ):
            raise bad("rank_fields must be a list of strings")
        if not isinstance(self.extra_body, dict):
            raise bad("extra_body must be a dict")


def _positive_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1)


def _text_of(doc: Document, rank_fields: Optional[List[str]] = None) -> str:
    """The text a text-only API ranks for ``doc`` (objects: their ``text`` or the rank fields)."""
    if isinstance(doc, str):
        return doc
    if rank_fields:
        return "\n".join("%s: %s" % (name, doc.get(name, "")) for name in rank_fields)
    text = doc.get("text")
    return text if isinstance(text, str) else json.dumps(doc, sort_keys=True)


def _documents_as_text(request: RerankRequest) -> List[str]:
    return [_text_of(doc, request.rank_fields) for doc in request.documents]


def _put(body: Dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        body[name] = value


# ---------------------------------------------------------------------------------------------
# Request bodies


def _body_builder(text_documents: bool, options: Tuple[Tuple[str, str], ...]) -> Callable[[RerankRequest], Dict[str, Any]]:
    """A format's body: model, query and documents (as text only, or as given), then the
    ``(wire name, RerankRequest field)`` options that were set, in that order."""

    def build(request: RerankRequest) -> Dict[str, Any]:
        documents = _documents_as_text(request) if text_documents else list(request.documents)
        body: Dict[str, Any] = {"model": request.model, "query": request.query, "documents": documents}
        for wire_name, field_name in options:
            _put(body, wire_name, getattr(request, field_name))
        return body

    return build


# v2 takes text documents only (no return_documents, rank_fields or max_chunks_per_doc).
_cohere_v2_body = _body_builder(True, (("top_n", "top_n"), ("max_tokens_per_doc", "max_tokens_per_doc")))
_cohere_v1_body = _body_builder(False, (("top_n", "top_n"), ("rank_fields", "rank_fields"),
                                        ("return_documents", "return_documents"),
                                        ("max_chunks_per_doc", "max_chunks_per_doc")))
_jina_body = _body_builder(False, (("top_n", "top_n"), ("return_documents", "return_documents")))
_voyage_body = _body_builder(True, (("top_k", "top_n"), ("return_documents", "return_documents")))
_together_body = _body_builder(False, (("top_n", "top_n"), ("return_documents", "return_documents"),
                                       ("rank_fields", "rank_fields")))
_infinity_body = _body_builder(True, (("top_n", "top_n"), ("return_documents", "return_documents")))


def _bedrock_invoke_body(request: RerankRequest) -> Dict[str, Any]:
    # Cohere rerank through InvokeModel: Cohere's v2 body; Bedrock rejects api_version below 2.
    body = _cohere_v2_body(request)
    body.pop("model", None)
    body["api_version"] = 2
    return body


def bedrock_model_arn(model: str, region: str) -> str:
    """A Bedrock foundation-model ARN for ``model`` (an ARN is kept as given)."""
    if model.startswith("arn:"):
        return model
    return "arn:aws:bedrock:%s::foundation-model/%s" % (region, model)


def bedrock_body(request: RerankRequest, region: str = "us-east-1") -> Dict[str, Any]:
    sources = []
    for doc in request.documents:
        if isinstance(doc, str):
            inline: Dict[str, Any] = {"type": "TEXT", "textDocument": {"text": doc}}
        else:
            inline = {"type": "JSON", "jsonDocument": doc}
        sources.append({"type": "INLINE", "inlineDocumentSource": inline})
    model_config: Dict[str, Any] = {"modelArn": bedrock_model_arn(request.model, region)}
    if request.extra_body:
        model_config["additionalModelRequestFields"] = dict(request.extra_body)
    return {
        "queries": [{"type": "TEXT", "textQuery": {"text": request.query}}],
        "rerankingConfiguration": {
            "type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": {
                "modelConfiguration": model_config,
                "numberOfResults": request.top_n or len(request.documents),
            },
        },
        "sources": sources,
    }


# ---------------------------------------------------------------------------------------------
# Responses


def _document(raw: Any, request: Optional[RerankRequest], index: int) -> Optional[Dict[str, Any]]:
    """The ``document`` of a result: the provider's, else the request's when documents were asked for."""
    if isinstance(raw, dict):
        text = raw.get("text")
        if isinstance(text, str):
            return {"text": text}
        inline = raw.get("textDocument")
        if isinstance(inline, dict) and isinstance(inline.get("text"), str):
            return {"text": inline["text"]}
        return dict(raw)
    if isinstance(raw, str):
        return {"text": raw}
    if request is not None and request.return_documents and 0 <= index < len(request.documents):
        return {"text": _text_of(request.documents[index])}
    return None


def _results(items: Any, score_key: str, request: Optional[RerankRequest], what: str) -> List[RerankResult]:
    if not isinstance(items, list):
        raise APIConnectionError("rerank response has no %r list" % what)
    out = []
    for pos, item in enumerate(items):
        if not isinstance(item, dict):
            raise APIConnectionError("rerank result %d is not an object" % pos)
        index = item.get("index")
        score = item.get(score_key)
        if isinstance(index, bool) or not isinstance(index, int):
            raise APIConnectionError("rerank result %d has no integer 'index'" % pos)
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise APIConnectionError("rerank result %d has no numeric %r" % (pos, score_key))
        out.append(RerankResult(index=index, relevance_score=float(score),
                                document=_document(item.get("document"), request, index)))
    return out


def _meta(billed: Optional[Mapping[str, Any]], usage: Optional[Mapping[str, Any]],
          api_version: Any = None) -> Dict[str, Any]:
    """LiteLLM's ``meta``: billed_units (search_units, total_tokens) and tokens (input/output)."""
    meta: Dict[str, Any] = {}
    if api_version is not None:
        meta["api_version"] = api_version
    billed_units: Dict[str, Any] = {}
    tokens: Dict[str, Any] = {}
    for source in (billed or {}, usage or {}):
        for name in ("search_units", "total_tokens"):
            value = token_count(source.get(name))
            if value is not None and name not in billed_units:
                billed_units[name] = value
        for ours, theirs in (("input_tokens", "input_tokens"), ("output_tokens", "output_tokens"),
                             ("input_tokens", "prompt_tokens"), ("output_tokens", "completion_tokens")):
            value = token_count(source.get(theirs))
            if value is not None and ours not in tokens:
                tokens[ours] = value
    if "input_tokens" not in tokens and "total_tokens" in billed_units and "search_units" not in billed_units:
        tokens["input_tokens"] = billed_units["total_tokens"]  # token-priced APIs report one total
    if billed_units:
        meta["billed_units"] = billed_units
    if tokens:
        meta["tokens"] = tokens
    return meta


def _response_id(payload: Mapping[str, Any]) -> str:
    rid = payload.get("id")
    return rid if isinstance(rid, str) and rid else str(uuid.uuid4())


def _parse_cohere(payload: Dict[str, Any], request: Optional[RerankRequest]) -> RerankResponse:
    meta_in = json_object(payload.get("meta"))
    meta = _meta(json_object(meta_in.get("billed_units")), json_object(meta_in.get("tokens")),
                 meta_in.get("api_version"))
    return RerankResponse(id=_response_id(payload), results=_results(payload.get("results"), "relevance_score",
                                                                     request, "results"), meta=meta)


def _parse_usage_shaped(payload: Dict[str, Any], request: Optional[RerankRequest]) -> RerankResponse:
    """Jina, Together and Infinity: ``results`` plus an OpenAI-like ``usage``."""
    return RerankResponse(id=_response_id(payload), results=_results(payload.get("results"), "relevance_score",
                                                                     request, "results"),
                          meta=_meta(None, json_object(payload.get("usage"))))


def _parse_voyage(payload: Dict[str, Any], request: Optional[RerankRequest]) -> RerankResponse:
    return RerankResponse(id=_response_id(payload), results=_results(payload.get("data"), "relevance_score",
                                                                     request, "data"),
                          meta=_meta(None, json_object(payload.get("usage"))))


def _parse_bedrock(payload: Dict[str, Any], request: Optional[RerankRequest]) -> RerankResponse:
    usage = json_object(payload.get("usage"))
    billed = usage if usage else {"search_units": 1}  # the Agent Runtime API reports no units: one query
    return RerankResponse(id=_response_id(payload), results=_results(payload.get("results"), "relevanceScore",
                                                                     request, "results"),
                          meta=_meta(billed, usage))


# ---------------------------------------------------------------------------------------------
# Formats


@dataclass(frozen=True)
class RerankFormat:
    """One provider's rerank wire format: path under the API base, auth style, body and parser."""

    name: str
    path: str
    build: Callable[[RerankRequest], Dict[str, Any]]
    parse: Callable[[Dict[str, Any], Optional[RerankRequest]], RerankResponse]
    auth: str = "bearer"  # bearer | aws (SigV4, service ``bedrock``) | none
    default_api_base: str = ""
    api_key_env: Tuple[str, ...] = ()
    api_base_env: Tuple[str, ...] = ()
    docs: str = ""


FORMATS: Dict[str, RerankFormat] = {
    "cohere": RerankFormat("cohere", "/v2/rerank", _cohere_v2_body, _parse_cohere,
                           default_api_base="https://api.cohere.com", api_key_env=("COHERE_API_KEY", "CO_API_KEY"),
                           api_base_env=("COHERE_API_BASE",), docs="https://docs.cohere.com/reference/rerank"),
    "cohere_v1": RerankFormat("cohere_v1", "/v1/rerank", _cohere_v1_body, _parse_cohere,
                              default_api_base="https://api.cohere.com",
                              api_key_env=("COHERE_API_KEY", "CO_API_KEY"), api_base_env=("COHERE_API_BASE",),
                              docs="https://docs.cohere.com/v1/reference/rerank"),
    "azure_ai": RerankFormat("azure_ai", "/v1/rerank", _cohere_v1_body, _parse_cohere,
                             api_key_env=("AZURE_AI_API_KEY",), api_base_env=("AZURE_AI_API_BASE",),
                             docs="https://learn.microsoft.com/en-us/azure/ai-foundry/how-to/deploy-models-cohere-rerank"),
    "jina_ai": RerankFormat("jina_ai", "/v1/rerank", _jina_body, _parse_usage_shaped,
                            default_api_base="https://api.jina.ai", api_key_env=("JINA_AI_API_KEY",),
                            api_base_env=("JINA_AI_API_BASE",), docs="https://jina.ai/reranker/"),
    "voyage": RerankFormat("voyage", "/v1/rerank", _voyage_body, _parse_voyage,
                           default_api_base="https://api.voyageai.com", api_key_env=("VOYAGE_API_KEY",),
                           api_base_env=("VOYAGE_API_BASE",), docs="https://docs.voyageai.com/reference/reranker-api"),
    "together_ai": RerankFormat("together_ai", "/v1/rerank", _together_body, _parse_usage_shaped,
                                default_api_base="https://api.together.xyz",
                                api_key_env=("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"),
                                api_base_env=("TOGETHERAI_API_BASE",),
                                docs="https://docs.together.ai/reference/rerank-1"),
    "infinity": RerankFormat("infinity", "/rerank", _infinity_body, _parse_usage_shaped, auth="bearer",
                             api_key_env=("INFINITY_API_KEY",), api_base_env=("INFINITY_API_BASE",),
                             docs="https://michaelfeil.eu/infinity/latest/"),
    "bedrock": RerankFormat("bedrock", "/rerank", bedrock_body, _parse_bedrock, auth="aws",
                            docs="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Rerank.html"),
    "bedrock_invoke": RerankFormat("bedrock_invoke", "/model/{model}/invoke", _bedrock_invoke_body, _parse_cohere,
                                   auth="aws",
                                   docs="https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-cohere-rerank-3-5.html"),
}


def rerank_format(provider: str, api_version: Optional[str] = None) -> RerankFormat:
    """The rerank format of ``provider``; ``api_version="v1"`` picks Cohere's v1 endpoint and
    ``api_version="invoke"`` Bedrock's InvokeModel (Cohere rerank models) instead of the Agent Runtime."""
    if provider == "cohere" and api_version in ("v1", "1"):
        provider = "cohere_v1"
    elif provider == "bedrock" and api_version == "invoke":
        provider = "bedrock_invoke"
    fmt = FORMATS.get(provider)
    if fmt is None:
        raise BadRequestError(
            "rerank is not available for provider %r (served: %s)" % (provider, ", ".join(sorted(FORMATS))), provider
        )
    return fmt


def bedrock_agent_runtime_base(region: str) -> str:
    """The Bedrock Agent Runtime endpoint that serves ``/rerank`` in ``region``."""
    return "https://bedrock-agent-runtime.%s.amazonaws.com" % region


def build_rerank_request(
    provider: str,
    request: RerankRequest,
    api_base: str,
    api_key: Optional[str] = None,
    *,
    headers: Optional[Mapping[str, str]] = None,
    api_version: Optional[str] = None,
    region: str = "us-east-1",
) -> WireRequest:
    """The HTTP request for ``request`` to ``provider`` (Bedrock: unsigned; the send step signs it)."""
    fmt = rerank_format(provider, api_version)
    request.check(provider)
    if not api_base:
        if fmt.name == "bedrock":
            api_base = bedrock_agent_runtime_base(region)
        elif fmt.name == "bedrock_invoke":
            api_base = "https://bedrock-runtime.%s.amazonaws.com" % region
        else:
            api_base = fmt.default_api_base
    if not api_base:
        names = " or ".join(fmt.api_base_env) or "api_base"
        raise BadRequestError("rerank: %s needs an API base: pass api_base or set %s" % (provider, names),
                              provider, request.model)
    body = bedrock_body(request, region) if fmt.name == "bedrock" else fmt.build(request)
    if fmt.name != "bedrock" and request.extra_body:
        body.update(request.extra_body)
    path = fmt.path.replace("{model}", quote(request.model, safe="")) if "{model}" in fmt.path else fmt.path
    out_headers = {"content-type": "application/json", "accept": "application/json"}
    if fmt.auth == "bearer" and api_key:
        out_headers["authorization"] = "Bearer " + api_key
    for name, value in (headers or {}).items():
        out_headers[name.lower()] = value
    return WireRequest(url=join_url(api_base, path), headers=out_headers,
                       body=json.dumps(body).encode("utf-8"))


def parse_rerank_response(
    provider: str,
    response: WireResponse,
    request: Optional[RerankRequest] = None,
    *,
    model: str = "",
    api_version: Optional[str] = None,
) -> RerankResponse:
    """A RerankResponse from a 2xx response; raises our APIError subclass for any other status."""
    fmt = rerank_format(provider, api_version)
    model = model or (request.model if request is not None else "")
    if not 200 <= response.status < 300:
        raise error_from_body(response, provider, model)
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise APIConnectionError("invalid JSON in rerank response: %r" % response.body[:200], provider,
                                 model) from exc
    if not isinstance(payload, dict):
        raise APIConnectionError("rerank response is not a JSON object", provider, model)
    try:
        result = fmt.parse(payload, request)
    except APIConnectionError as exc:
        raise APIConnectionError(exc.message, provider, model) from None
    result._hidden_params.update({"custom_llm_provider": provider, "model": model})
    if isinstance(payload.get("model"), str):
        result._hidden_params["model"] = payload["model"]
    result._response_headers = dict(response.headers)
    return result
