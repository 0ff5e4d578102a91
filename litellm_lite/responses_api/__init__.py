"""The Responses API (``POST /v1/responses``): typed objects, the native wire format, and the
bridge that serves it through chat completions on every other provider.

* :mod:`.types` and :mod:`.events`: :class:`ResponsesAPIResponse`, its output items, usage and
  the typed stream events (OpenAI's names);
* :mod:`.request`: the parameter list and validation (:func:`build_request`);
* :mod:`.native` and :mod:`.stream`: the native format (:class:`NativeResponses`), the stream
  state and :func:`rebuild_response`;
* :mod:`.bridge`, :mod:`.bridge_stream` and :mod:`.store`: input items -> chat messages, chat
  answers and chunks -> Responses objects and events, ``previous_response_id`` within the process;
* :mod:`.api` and :mod:`.streams`: the public :func:`responses` / :func:`aresponses` and the
  stream iterators they return (:class:`ResponsesStream`, the type of both; loaded on first use).

The public functions are ``litellm_lite.responses()`` / ``litellm_lite.aresponses()`` (LiteLLM's
names); this package is named ``responses_api`` so that ``litellm_lite.responses`` stays the function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import (
    TERMINAL_EVENTS, ContentPartAddedEvent, ContentPartDoneEvent, ErrorEvent, FunctionCallArgumentsDeltaEvent,
    FunctionCallArgumentsDoneEvent, GenericEvent, OutputItemAddedEvent, OutputItemDoneEvent, OutputTextDeltaEvent,
    OutputTextDoneEvent, ReasoningSummaryPartAddedEvent, ReasoningSummaryPartDoneEvent, ReasoningSummaryTextDeltaEvent,
    ReasoningSummaryTextDoneEvent, RefusalDeltaEvent, RefusalDoneEvent, ResponseCompletedEvent, ResponseCreatedEvent,
    ResponseFailedEvent, ResponseIncompleteEvent, ResponseInProgressEvent, ResponsesAPIStreamEvents,
    ResponsesAPIStreamingResponse, event_from_dict,
)
from .native import NativeResponses, parse_error, parse_response
from .request import RESPONSES_PARAMS, ResponsesRequest, build_request, request_body
from .stream import ResponsesStreamState, finish_stream, parse_event, rebuild_response
from .types import (
    GenericResponseOutputItem, IncompleteDetails, InputTokensDetails, OutputTokensDetails, ReasoningSummary,
    ResponseAPIUsage, ResponseError, ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputRefusal,
    ResponseOutputText, ResponseReasoningItem, ResponsesAPIResponse, response_from_dict,
)

if TYPE_CHECKING:  # pragma: no cover
    from .api import aresponses as aresponses, is_native as is_native, responses as responses
    from .streams import BridgedResponsesStream as BridgedResponsesStream
    from .streams import ResponsesStream as ResponsesStream
    from .streams import ResponsesStreamWrapper as ResponsesStreamWrapper

__all__ = [
    "BridgedResponsesStream",
    "ResponsesStream",
    "ResponsesStreamWrapper",
    "aresponses",
    "is_native",
    "responses",
    "TERMINAL_EVENTS",
    "ContentPartAddedEvent",
    "ContentPartDoneEvent",
    "ErrorEvent",
    "FunctionCallArgumentsDeltaEvent",
    "FunctionCallArgumentsDoneEvent",
    "GenericEvent",
    "GenericResponseOutputItem",
    "IncompleteDetails",
    "InputTokensDetails",
    "NativeResponses",
    "OutputItemAddedEvent",
    "OutputItemDoneEvent",
    "OutputTextDeltaEvent",
    "OutputTextDoneEvent",
    "OutputTokensDetails",
    "RESPONSES_PARAMS",
    "ReasoningSummary",
    "ReasoningSummaryPartAddedEvent",
    "ReasoningSummaryPartDoneEvent",
    "ReasoningSummaryTextDeltaEvent",
    "ReasoningSummaryTextDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "ResponseAPIUsage",
    "ResponseCompletedEvent",
    "ResponseCreatedEvent",
    "ResponseError",
    "ResponseFailedEvent",
    "ResponseFunctionToolCall",
    "ResponseIncompleteEvent",
    "ResponseInProgressEvent",
    "ResponseOutputMessage",
    "ResponseOutputRefusal",
    "ResponseOutputText",
    "ResponseReasoningItem",
    "ResponsesAPIResponse",
    "ResponsesAPIStreamEvents",
    "ResponsesAPIStreamingResponse",
    "ResponsesRequest",
    "ResponsesStreamState",
    "build_request",
    "event_from_dict",
    "finish_stream",
    "parse_error",
    "parse_event",
    "parse_response",
    "rebuild_response",
    "request_body",
    "response_from_dict",
]

_LATE = {
    "responses": ".api",
    "aresponses": ".api",
    "is_native": ".api",
    "ResponsesStream": ".streams",
    "ResponsesStreamWrapper": ".streams",
    "BridgedResponsesStream": ".streams",
}


def __getattr__(name: str) -> Any:
    target = _LATE.get(name)
    if target is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    import importlib

    return getattr(importlib.import_module(target, __name__), name)
