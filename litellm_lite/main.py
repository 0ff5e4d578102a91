"""``completion()`` and ``embedding()``: argument checks and mock responses, then the road (``_call.py``)."""

from __future__ import annotations

from . import _call
from ._call import send_with_retries
from .exceptions import BadRequestError
from .params import validate_messages
from .providers.base import Adapter
from .types import Choices, Message, ModelResponse, Usage

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Literal, Optional, Union, cast, overload

    from .streaming import CustomStreamWrapper
    from .types import EmbeddingResponse
else:  # typing's run-time behaviour of these two, without importing typing on the call path

    def overload(func: Any) -> Any:
        return func

    def cast(_type: Any, value: Any) -> Any:
        return value

__all__ = ["completion", "embedding", "send_with_retries"]


def _mock_completion(
    model: str, messages: List[Dict[str, Any]], mock_response: Any, stream: bool
) -> Union[ModelResponse, CustomStreamWrapper]:
    if isinstance(mock_response, BaseException):
        raise mock_response
    if isinstance(mock_response, ModelResponse):
        if not stream:
            return mock_response
        from .streaming import response_to_chunks  # a given response, streamed: replayed as its chunks

        given_cost = mock_response._hidden_params.get("response_cost")
        return _mock_stream(response_to_chunks(mock_response), mock_response.model or model, given_cost)
    text = str(mock_response)
    prompt_chars = sum(len(str(m.get("content") or "")) for m in messages)
    usage = Usage(prompt_tokens=max(1, prompt_chars // 4), completion_tokens=max(1, len(text) // 4))
    response = ModelResponse(model=model, choices=[Choices(message=Message(content=text))], usage=usage)
    cost = _mock_cost(response, model)
    if stream:
        from .streaming import mock_stream_chunks  # loaded by the first stream

        return _mock_stream(mock_stream_chunks(text, model), model, cost)
    response._hidden_params["custom_llm_provider"] = "mock"
    response._hidden_params["response_cost"] = cost
    return response


def _mock_stream(chunks: List[Any], model: str, cost: Optional[float]) -> CustomStreamWrapper:
    from .streaming import CustomStreamWrapper  # loaded by the first stream

    wrapper = CustomStreamWrapper(None, _NullAdapter(), None, model=model, provider="mock", chunks=chunks)  # type: ignore[arg-type]
    wrapper._hidden_params["response_cost"] = cost
    return wrapper


def _mock_cost(response: ModelResponse, model: str) -> Optional[float]:
    """A mock response priced like a real one: the registry's prices for ``model`` on the estimated usage."""
    from .cost import response_cost
    from .registry import provider_for_bare_model

    provider = model.split("/", 1)[0] if "/" in model else provider_for_bare_model(model)
    return response_cost(response, model, provider)


def _mock_embedding(model: str, inputs: List[Any], mock_response: Any) -> EmbeddingResponse:
    if isinstance(mock_response, BaseException):
        raise mock_response
    from .types import EmbeddingData, EmbeddingResponse

    vector = list(mock_response) if isinstance(mock_response, list) else [0.0, 0.0, 0.0]
    return EmbeddingResponse(
        data=[EmbeddingData(embedding=list(vector), index=i) for i in range(len(inputs))],
        model=model,
        usage=Usage(prompt_tokens=len(inputs)),
    )


class _NullAdapter(Adapter):
    """Adapter for streams that are already decoded (mock responses)."""

    stream_format = "sse"


@overload
def completion(
    model: str,
    messages: Optional[List[Dict[str, Any]]] = ...,
    *,
    stream: Literal[False] = ...,
    api_base: Optional[str] = ...,
    base_url: Optional[str] = ...,
    api_key: Optional[str] = ...,
    api_version: Optional[str] = ...,
    timeout: Optional[float] = ...,
    num_retries: Optional[int] = ...,
    extra_headers: Optional[Dict[str, str]] = ...,
    drop_params: Optional[bool] = ...,
    mock_response: Any = ...,
    custom_llm_provider: Optional[str] = ...,
    metadata: Optional[Dict[str, Any]] = ...,
    **kwargs: Any,
) -> ModelResponse: ...


@overload
def completion(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str,
    messages: Optional[List[Dict[str, Any]]] = ...,
    *,
    stream: Literal[True],
    api_base: Optional[str] = ...,
    base_url: Optional[str] = ...,
    api_key: Optional[str] = ...,
    api_version: Optional[str] = ...,
    timeout: Optional[float] = ...,
    num_retries: Optional[int] = ...,
    extra_headers: Optional[Dict[str, str]] = ...,
    drop_params: Optional[bool] = ...,
    mock_response: Any = ...,
    custom_llm_provider: Optional[str] = ...,
    metadata: Optional[Dict[str, Any]] = ...,
    **kwargs: Any,
) -> CustomStreamWrapper: ...


@overload
def completion(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str,
    messages: Optional[List[Dict[str, Any]]] = ...,
    *,
    stream: bool,
    api_base: Optional[str] = ...,
    base_url: Optional[str] = ...,
    api_key: Optional[str] = ...,
    api_version: Optional[str] = ...,
    timeout: Optional[float] = ...,
    num_retries: Optional[int] = ...,
    extra_headers: Optional[Dict[str, str]] = ...,
    drop_params: Optional[bool] = ...,
    mock_response: Any = ...,
    custom_llm_provider: Optional[str] = ...,
    metadata: Optional[Dict[str, Any]] = ...,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]: ...


def completion(  # noqa: F811 - overload (main's run-time stand-in for typing.overload)
    model: str,
    messages: Optional[List[Dict[str, Any]]] = None,
    *,
    stream: bool = False,
    api_base: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    extra_headers: Optional[Dict[str, str]] = None,
    drop_params: Optional[bool] = None,
    mock_response: Any = None,
    custom_llm_provider: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """Call any provider's chat model in OpenAI's format; returns ModelResponse or a CustomStreamWrapper.

    OpenAI parameters (temperature, top_p, n, stop, max_tokens, max_completion_tokens, seed,
    presence_penalty, frequency_penalty, logit_bias, logprobs, top_logprobs, user, tools,
    tool_choice, parallel_tool_calls, response_format, stream_options, reasoning_effort) are
    keyword arguments; other keyword arguments are provider-specific and sent in the body.
    """
    if messages is None:
        messages = kwargs.pop("input", None)
    fallbacks = kwargs.pop("fallbacks", None)
    context_window_fallback_dict = kwargs.pop("context_window_fallback_dict", None)
    if fallbacks or context_window_fallback_dict:
        from .fallbacks import completion_with_fallbacks

        return cast("Union[ModelResponse, CustomStreamWrapper]", completion_with_fallbacks(
            completion,
            dict(
                model=model, messages=messages, stream=stream, api_base=api_base, base_url=base_url, api_key=api_key,
                api_version=api_version, timeout=timeout, num_retries=num_retries, extra_headers=extra_headers,
                drop_params=drop_params, mock_response=mock_response, custom_llm_provider=custom_llm_provider,
                metadata=metadata, **kwargs,
            ),
            fallbacks=list(fallbacks or []),
            context_window_fallback_dict=dict(context_window_fallback_dict or {}),
        ))
    if not isinstance(stream, bool):
        raise BadRequestError("stream must be True or False", "", str(model))
    clean_messages = validate_messages(messages, str(model))
    if mock_response is not None:
        from .mock_calls import observe_mock  # loaded by the first mock call

        mocked = observe_mock("chat", model, lambda: _mock_completion(str(model), clean_messages, mock_response, stream),
                              dict(kwargs, metadata=metadata), inputs=clean_messages, stream=stream)
        return cast("Union[ModelResponse, CustomStreamWrapper]", mocked)

    for name, value in (
        ("api_base", api_base or base_url), ("api_key", api_key), ("api_version", api_version), ("timeout", timeout),
        ("num_retries", num_retries), ("extra_headers", extra_headers), ("drop_params", drop_params),
        ("metadata", metadata),
    ):
        if value is not None:
            kwargs[name] = value
    return cast("Union[ModelResponse, CustomStreamWrapper]", _call.run(
        "chat", model, kwargs, inputs=clean_messages, stream=stream, custom_llm_provider=custom_llm_provider,
        call_info={"messages": clean_messages},
    ))


def embedding(
    model: str,
    input: Any = None,
    *,
    dimensions: Optional[int] = None,
    encoding_format: Optional[str] = None,
    input_type: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    extra_headers: Optional[Dict[str, str]] = None,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    user: Optional[str] = None,
    **kwargs: Any,
) -> EmbeddingResponse:
    """Embed text(s): returns EmbeddingResponse with ``data[i].embedding`` vectors."""
    if isinstance(input, str):
        inputs: List[Any] = [input]
    elif isinstance(input, list) and input:
        inputs = list(input)
    else:
        raise BadRequestError("input must be a string or a non-empty list", "", str(model))
    if mock_response is not None:
        from .mock_calls import observe_mock

        return observe_mock("embedding", model, lambda: _mock_embedding(str(model), inputs, mock_response), kwargs)  # type: ignore[no-any-return]
    params = {"dimensions": dimensions, "encoding_format": encoding_format, "input_type": input_type, "user": user}
    for name, value in (
        ("api_base", api_base), ("api_key", api_key), ("api_version", api_version), ("timeout", timeout),
        ("num_retries", num_retries), ("extra_headers", extra_headers),
    ):
        if value is not None:
            kwargs[name] = value
    return _call.run(  # type: ignore[no-any-return]
        "embedding", model, kwargs, params=params, inputs=inputs, custom_llm_provider=custom_llm_provider,
        call_info={"input": inputs},
    )
