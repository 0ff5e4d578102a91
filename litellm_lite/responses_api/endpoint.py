"""The native Responses endpoint as the road drives it: the adapter methods of ``responses``.

The OpenAI-format adapters (``providers/openai_endpoints.py``) hand ``responses`` calls here:

* :func:`prepare` turns the road's :class:`~litellm_lite.providers.base.EndpointRequest` (its
  ``params`` carry ``input`` and the checked Responses parameters) into the wire request for the
  path the provider row declares (``("responses", path)`` in ``ProviderSpec.endpoints``);
* :func:`parse` gives the :class:`~.types.ResponsesAPIResponse` of a 2xx answer;
* :class:`NativeResponsesStream` is the stream adapter (typed events, a typed state, cut streams
  raise) and names its wrapper, :class:`~.streams.ResponsesStreamWrapper`; a whole JSON Response
  that answered the stream request is replayed as its events (:meth:`NativeResponsesStream.replay`).

Pure translation: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List

from ..exceptions import APIError, NotFoundError
from ..providers.base import Adapter, EndpointRequest, StreamEvent, WireRequest, WireResponse
from .events import ResponsesAPIStreamingResponse
from .native import NativeResponses
from .replay import replay_events
from .request import ResponsesRequest
from .stream import ResponsesStreamState, finish_stream, parse_event
from .types import ResponsesAPIResponse

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = ["prepare", "parse", "responses_request", "NativeResponsesStream", "as_not_found"]

_NATIVE = NativeResponses()


def responses_request(request: EndpointRequest) -> ResponsesRequest:
    """The Responses request an endpoint request stands for (``input`` travels in its params)."""
    params: Dict[str, Any] = dict(request.params)
    input_ = params.pop("input", "")
    if request.stream:
        params["stream"] = True
    else:
        params.pop("stream", None)
    return ResponsesRequest(model=request.model, input=input_, params=params, extra_body=dict(request.extra_body))


def prepare(request: EndpointRequest, config: "CallConfig", path: str) -> WireRequest:
    """``POST {api_base}{path}`` (Azure: its v1 route or ``/openai/responses?api-version=``)."""
    return _NATIVE.prepare(responses_request(request), config, path)


def parse(response: WireResponse, request: EndpointRequest, config: "CallConfig") -> ResponsesAPIResponse:
    """The typed response of a 2xx answer (a 200 that carries only an ``error`` raises it)."""
    return _NATIVE.parse(response, responses_request(request), config)


def as_not_found(error: APIError) -> APIError:
    """A 400 ``model_not_found`` (how the Responses API answers an unknown model) as NotFoundError."""
    if error.code != "model_not_found" or isinstance(error, NotFoundError):
        return error
    return NotFoundError(
        error.message,
        error.llm_provider,
        error.model,
        status_code=error.status_code,
        headers=error.headers,
        body=error.body,
        code=error.code,
        error_type=error.type,
    )


class NativeResponsesStream(Adapter):
    """Stream adapter of ``POST /responses`` with ``stream: true``: SSE -> typed events."""

    stream_format = "sse"

    @property
    def stream_wrapper(self) -> Any:
        from .streams import ResponsesStreamWrapper

        return ResponsesStreamWrapper

    def new_stream_state(self, request: Any, config: "CallConfig") -> ResponsesStreamState:  # type: ignore[override]
        return ResponsesStreamState(provider=config.provider, model=request.model)

    def parse_event(self, event: StreamEvent, state: Any) -> List[ResponsesAPIStreamingResponse]:  # type: ignore[override]
        return parse_event(event, state)

    def finish_stream(self, state: Any) -> List[ResponsesAPIStreamingResponse]:  # type: ignore[override]
        return finish_stream(state)

    def replay(self, response: ResponsesAPIResponse, state: ResponsesStreamState) -> List[ResponsesAPIStreamingResponse]:
        """The events of a whole Response object that answered the stream request (recorded in ``state``)."""
        return replay_events(response, state)
