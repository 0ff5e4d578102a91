"""``responses()`` / ``aresponses()``: OpenAI's Responses API for every provider, on the one road.

* Native where the provider row declares ``("responses", path)`` in its ``endpoints`` (OpenAI,
  Azure OpenAI, OpenRouter, vLLM): the road sends ``POST {api_base}{path}`` through the row's
  OpenAI-format adapter (``prepare_endpoint`` / ``parse_endpoint`` / ``endpoint_stream``).
* Bridged everywhere else (Anthropic, Gemini, Vertex AI, Bedrock, Cohere, Ollama, compatible rows
  without ``/responses``): the request becomes a chat-completions call (:mod:`.bridge`), sent by
  ``completion()`` on the same road, and the answer (or its stream) becomes the same Responses
  objects and events. ``previous_response_id`` is resolved in the in-process store
  (:mod:`.store`) and never sent.

Retries, timeouts, callbacks, the call id and ``_hidden_params["response_cost"]`` are the road's,
as for chat; ``fallbacks=[...]`` tries other models (each native or bridged on its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, cast

if TYPE_CHECKING:  # pragma: no cover
    from typing import Literal, Union, overload

    from ..types import ModelResponse
else:
    from ..main import overload  # typing.overload's run-time stand-in

from .. import _call
from ..exceptions import BadRequestError
from ..providers import get_spec
from ..resolve import split_model
from .bridge import from_chat, remember, to_chat
from .bridge_stream import ChatStreamToResponses
from .request import RESPONSES_PARAMS, ResponsesRequest, build_request
from .store import ResponseStore, default_store
from .streams import BridgedResponsesStream, ResponsesStream
from .types import ResponsesAPIResponse

__all__ = ["responses", "aresponses", "is_native"]


def is_native(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when ``model``'s provider serves ``/responses`` itself (no chat bridge)."""
    provider, _ = split_model(model, custom_llm_provider)
    spec = get_spec(provider)
    return spec is not None and spec.serves("responses")


# What a type checker sees: the typed Response, or a ResponsesStream with ``stream=True``.
@overload
def responses(
    model: str, input: Any, *, stream: Optional[Literal[False]] = ...,
    instructions: Optional[str] = ..., tools: Optional[Any] = ..., tool_choice: Optional[Any] = ...,
    previous_response_id: Optional[str] = ..., reasoning: Optional[Dict[str, Any]] = ...,
    text: Optional[Dict[str, Any]] = ..., max_output_tokens: Optional[int] = ..., temperature: Optional[float] = ...,
    top_p: Optional[float] = ..., store: Optional[bool] = ..., metadata: Optional[Dict[str, str]] = ...,
    include: Optional[Any] = ..., parallel_tool_calls: Optional[bool] = ..., truncation: Optional[str] = ...,
    user: Optional[str] = ..., extra_body: Optional[Dict[str, Any]] = ..., custom_llm_provider: Optional[str] = ...,
    mock_response: Any = ..., **kwargs: Any,
) -> ResponsesAPIResponse: ...


@overload
def responses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str, input: Any, *, stream: Literal[True],
    instructions: Optional[str] = ..., tools: Optional[Any] = ..., tool_choice: Optional[Any] = ...,
    previous_response_id: Optional[str] = ..., reasoning: Optional[Dict[str, Any]] = ...,
    text: Optional[Dict[str, Any]] = ..., max_output_tokens: Optional[int] = ..., temperature: Optional[float] = ...,
    top_p: Optional[float] = ..., store: Optional[bool] = ..., metadata: Optional[Dict[str, str]] = ...,
    include: Optional[Any] = ..., parallel_tool_calls: Optional[bool] = ..., truncation: Optional[str] = ...,
    user: Optional[str] = ..., extra_body: Optional[Dict[str, Any]] = ..., custom_llm_provider: Optional[str] = ...,
    mock_response: Any = ..., **kwargs: Any,
) -> ResponsesStream: ...


@overload
def responses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str, input: Any, *, stream: Optional[bool],
    instructions: Optional[str] = ..., tools: Optional[Any] = ..., tool_choice: Optional[Any] = ...,
    previous_response_id: Optional[str] = ..., reasoning: Optional[Dict[str, Any]] = ...,
    text: Optional[Dict[str, Any]] = ..., max_output_tokens: Optional[int] = ..., temperature: Optional[float] = ...,
    top_p: Optional[float] = ..., store: Optional[bool] = ..., metadata: Optional[Dict[str, str]] = ...,
    include: Optional[Any] = ..., parallel_tool_calls: Optional[bool] = ..., truncation: Optional[str] = ...,
    user: Optional[str] = ..., extra_body: Optional[Dict[str, Any]] = ..., custom_llm_provider: Optional[str] = ...,
    mock_response: Any = ..., **kwargs: Any,
) -> Union[ResponsesAPIResponse, ResponsesStream]: ...


def responses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str,
    input: Any,
    *,
    instructions: Optional[str] = None,
    tools: Optional[Any] = None,
    tool_choice: Optional[Any] = None,
    previous_response_id: Optional[str] = None,
    reasoning: Optional[Dict[str, Any]] = None,
    text: Optional[Dict[str, Any]] = None,
    max_output_tokens: Optional[int] = None,
    temperature: Optional[float] = None,
    top_p: Optional[float] = None,
    store: Optional[bool] = None,
    metadata: Optional[Dict[str, str]] = None,
    stream: Optional[bool] = False,
    include: Optional[Any] = None,
    parallel_tool_calls: Optional[bool] = None,
    truncation: Optional[str] = None,
    user: Optional[str] = None,
    extra_body: Optional[Dict[str, Any]] = None,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    **kwargs: Any,
) -> Union[ResponsesAPIResponse, ResponsesStream]:
    """Create a model response (``POST /v1/responses``) with any provider.

    ``input`` is a string or a list of input items (messages, earlier output items,
    ``function_call_output`` items). Returns a :class:`ResponsesAPIResponse`, or with
    ``stream=True`` an iterator of typed events (``response.created`` ...
    ``response.completed``) whose ``get_final_response()`` is the finished response. Other
    Responses parameters (``background``, ``service_tier``, ``prompt_cache_key``...) are keyword
    arguments too; ``api_key``, ``api_base``, ``api_version``, ``timeout``, ``num_retries``,
    ``extra_headers``, ``drop_params`` and ``callbacks`` configure the call as for ``completion()``.
    ``metadata`` is the Responses body field (sent natively; kept on the bridged response);
    ``litellm_metadata`` is what callbacks see. (LiteLLM's positional order is ``(input, model)``:
    pass both by keyword for code that runs with either package.)
    """
    fallbacks = kwargs.pop("fallbacks", None)
    window = kwargs.pop("context_window_fallback_dict", None)
    named = dict(
        instructions=instructions, tools=tools, tool_choice=tool_choice, previous_response_id=previous_response_id,
        reasoning=reasoning, text=text, max_output_tokens=max_output_tokens, temperature=temperature, top_p=top_p,
        store=store, metadata=metadata, stream=stream, include=include, parallel_tool_calls=parallel_tool_calls,
        truncation=truncation, user=user,
    )
    if fallbacks or window:
        from ..fallbacks import completion_with_fallbacks

        call = dict(model=model, input=input, extra_body=extra_body, custom_llm_provider=custom_llm_provider,
                    mock_response=mock_response, **named, **kwargs)
        result = completion_with_fallbacks(
            responses, call, fallbacks=list(fallbacks or []), context_window_fallback_dict=dict(window or {})
        )
        return cast("Union[ResponsesAPIResponse, ResponsesStream]", result)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise BadRequestError("stream must be True or False", "", str(model))
    params = {k: v for k, v in named.items() if v is not None}
    for name in [k for k in kwargs if k in RESPONSES_PARAMS]:
        params[name] = kwargs.pop(name)
    request = build_request(model, input, params, extra_body)
    if mock_response is not None or not is_native(model, custom_llm_provider):
        return _bridged(model, request, stream, kwargs, custom_llm_provider, mock_response, default_store())
    return _native(model, request, stream, kwargs, custom_llm_provider)


@overload
async def aresponses(
    model: str, input: Any, *, stream: Optional[Literal[False]] = ..., **kwargs: Any
) -> ResponsesAPIResponse: ...


@overload
async def aresponses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str, input: Any, *, stream: Literal[True], **kwargs: Any
) -> ResponsesStream: ...


@overload
async def aresponses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str, input: Any, *, stream: Optional[bool], **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesStream]: ...


async def aresponses(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str, input: Any, *, stream: Optional[bool] = False, **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesStream]:
    """Async :func:`responses` (the same keyword arguments): the call run in the loop's default
    executor (iterate a stream with ``async for``)."""
    from ..async_api import run_in_executor

    return await run_in_executor(responses, model, input, stream=stream, **kwargs)


def _native(
    model: str, request: ResponsesRequest, stream: bool, kwargs: Dict[str, Any], custom_llm_provider: Optional[str]
) -> Union[ResponsesAPIResponse, ResponsesStream]:
    params: Dict[str, Any] = {k: v for k, v in request.params.items() if k != "stream"}
    params["input"] = request.input
    if request.extra_body:
        kwargs["extra_body"] = request.extra_body
    plan = _call.plan(
        "responses", model, kwargs, params=params, stream=stream, custom_llm_provider=custom_llm_provider,
        call_info={"input": request.input},
    )
    plan.call_info["metadata"] = plan.split.control.get("litellm_metadata") or request.params.get("metadata")
    return cast("Union[ResponsesAPIResponse, ResponsesStream]", _call.send(plan))  # the stream: ResponsesStreamWrapper


def _bridged(
    model: str,
    request: ResponsesRequest,
    stream: bool,
    kwargs: Dict[str, Any],
    custom_llm_provider: Optional[str],
    mock_response: Any,
    store: ResponseStore,
) -> Union[ResponsesAPIResponse, BridgedResponsesStream]:
    from ..main import completion

    drop = kwargs.get("drop_params")
    call = to_chat(request, store, drop_params=bool(drop) if drop is not None else _module_drop_params())
    chat_kwargs = dict(kwargs)
    chat_kwargs.update((k, v) for k, v in call.params.items() if k != "stream")
    chat_kwargs.setdefault("litellm_call_type", "responses")  # what callbacks see: the call the user made
    metadata = chat_kwargs.pop("litellm_metadata", None) or request.params.get("metadata")
    if metadata is not None:
        chat_kwargs["metadata"] = metadata  # a control keyword on chat: callbacks see it, never sent
    result = completion(
        model, call.messages, stream=stream, custom_llm_provider=custom_llm_provider, mock_response=mock_response,
        **chat_kwargs,
    )
    if not stream:
        response = from_chat(cast("ModelResponse", result), request)  # stream=False: never the wrapper
        remember(store, response, call)
        return response
    model_id = getattr(result, "model", "") or request.model

    def on_complete(response: ResponsesAPIResponse) -> None:
        if response._hidden_params.get("response_cost") is None:
            from ..cost import endpoint_cost

            provider = response._hidden_params.get("custom_llm_provider")
            response._hidden_params["response_cost"] = endpoint_cost("responses", response, model_id, provider, request)
        remember(store, response, call)

    converter = ChatStreamToResponses(request)
    converter.response.model = model_id
    return BridgedResponsesStream(result, converter, on_complete)


def _module_drop_params() -> bool:
    import sys

    package = sys.modules.get(__name__.rsplit(".", 2)[0])
    return bool(getattr(package, "drop_params", False))
