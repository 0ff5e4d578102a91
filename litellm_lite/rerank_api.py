"""``rerank()`` / ``arerank()``: LiteLLM's rerank functions, as argument checks plus the road.

::

    response = rerank(model="cohere/rerank-v3.5", query="capital of France?",
                      documents=["Paris is the capital of France.", "Berlin is in Germany."], top_n=1)
    response.results[0].index, response.results[0].relevance_score, response.meta["billed_units"]

Every provider whose row declares the ``rerank`` endpoint serves it (``python -m litellm_lite
providers``); the body and answer formats are in ``rerank_wire.py``, the cost in ``cost.rerank_cost``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union, cast

from . import _call
from .exceptions import BadRequestError
from .rerank_wire import RerankRequest, RerankResponse, RerankResult

__all__ = ["rerank", "arerank"]


def _mock(mock_response: Any, request: RerankRequest) -> RerankResponse:
    if isinstance(mock_response, BaseException):
        raise mock_response
    if isinstance(mock_response, RerankResponse):
        result = mock_response
    else:
        count = min(request.top_n or len(request.documents), len(request.documents))
        result = RerankResponse(
            results=[RerankResult(index=i, relevance_score=round(1.0 - i / (count + 1), 6)) for i in range(count)],
            meta={"billed_units": {"search_units": 1}},
        )
    result._hidden_params.update({"custom_llm_provider": "mock", "model": request.model, "response_cost": 0.0,
                                  "litellm_call_id": _call.new_call_id()})
    return result


def rerank(
    model: str,
    query: str,
    documents: List[Union[str, Dict[str, Any]]],
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    rank_fields: Optional[List[str]] = None,
    return_documents: Optional[bool] = True,
    max_chunks_per_doc: Optional[int] = None,
    max_tokens_per_doc: Optional[int] = None,
    **kwargs: Any,
) -> RerankResponse:
    """Rank ``documents`` by relevance to ``query``: results best first, each with the document's
    ``index`` in ``documents``, its ``relevance_score`` and (``return_documents``) its text.

    ``api_version="v1"`` calls Cohere's v1 endpoint; on Bedrock ``api_version="invoke"`` calls a
    Cohere rerank model through InvokeModel instead of the Agent Runtime. The cost is in
    ``response._hidden_params["response_cost"]``.
    """
    if not isinstance(model, str) or not model:
        raise BadRequestError("rerank: model must be a string such as 'cohere/rerank-v3.5'")
    request = RerankRequest(model=model, query=query, documents=documents, top_n=top_n, rank_fields=rank_fields,
                            return_documents=return_documents, max_chunks_per_doc=max_chunks_per_doc,
                            max_tokens_per_doc=max_tokens_per_doc)
    mock_response = kwargs.pop("mock_response", None)
    if mock_response is not None:
        return _mock(mock_response, request)
    params: Dict[str, Any] = {
        "query": query,
        "documents": list(documents),
        "top_n": top_n,
        "rank_fields": rank_fields,
        "return_documents": return_documents,
        "max_chunks_per_doc": max_chunks_per_doc,
        "max_tokens_per_doc": max_tokens_per_doc,
    }
    info: Dict[str, Any] = {"input": query}
    return cast(RerankResponse, _call.run("rerank", model, kwargs, params=params,
                                          custom_llm_provider=custom_llm_provider, call_info=info))


async def arerank(
    model: str,
    query: str,
    documents: List[Union[str, Dict[str, Any]]],
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    rank_fields: Optional[List[str]] = None,
    return_documents: Optional[bool] = True,
    max_chunks_per_doc: Optional[int] = None,
    max_tokens_per_doc: Optional[int] = None,
    **kwargs: Any,
) -> RerankResponse:
    """:func:`rerank` in the running loop's default executor."""
    from .async_api import run_in_executor

    return await run_in_executor(
        rerank, model, query, documents, custom_llm_provider, top_n, rank_fields, return_documents,
        max_chunks_per_doc, max_tokens_per_doc, **kwargs,
    )
