"""Typed Responses API stream events, with OpenAI's event names.

Every event has ``type`` and ``sequence_number``; fields not modelled are kept in ``_extra``.
An event type not listed here becomes a :class:`GenericEvent` that keeps every field: never
dropped, never an error. :func:`event_from_dict` builds the right class from a decoded event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Union

from .types import (
    ContentPart,
    OutputItem,
    ReasoningSummary,
    ResponsesAPIResponse,
    OpenRecord,
    content_part_from_dict,
    output_item_from_dict,
    response_from_dict,
    text_value,
)

__all__ = [
    "ResponsesAPIStreamEvents",
    "ResponseCreatedEvent",
    "ResponseInProgressEvent",
    "ResponseCompletedEvent",
    "ResponseIncompleteEvent",
    "ResponseFailedEvent",
    "OutputItemAddedEvent",
    "OutputItemDoneEvent",
    "ContentPartAddedEvent",
    "ContentPartDoneEvent",
    "OutputTextDeltaEvent",
    "OutputTextDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "FunctionCallArgumentsDeltaEvent",
    "FunctionCallArgumentsDoneEvent",
    "ReasoningSummaryPartAddedEvent",
    "ReasoningSummaryPartDoneEvent",
    "ReasoningSummaryTextDeltaEvent",
    "ReasoningSummaryTextDoneEvent",
    "ErrorEvent",
    "GenericEvent",
    "ResponsesAPIStreamingResponse",
    "TERMINAL_EVENTS",
    "event_from_dict",
]


class ResponsesAPIStreamEvents:
    """The event type names (LiteLLM's enum of the same name, as plain strings)."""

    RESPONSE_CREATED = "response.created"
    RESPONSE_IN_PROGRESS = "response.in_progress"
    RESPONSE_COMPLETED = "response.completed"
    RESPONSE_INCOMPLETE = "response.incomplete"
    RESPONSE_FAILED = "response.failed"
    OUTPUT_ITEM_ADDED = "response.output_item.added"
    OUTPUT_ITEM_DONE = "response.output_item.done"
    CONTENT_PART_ADDED = "response.content_part.added"
    CONTENT_PART_DONE = "response.content_part.done"
    OUTPUT_TEXT_DELTA = "response.output_text.delta"
    OUTPUT_TEXT_DONE = "response.output_text.done"
    REFUSAL_DELTA = "response.refusal.delta"
    REFUSAL_DONE = "response.refusal.done"
    FUNCTION_CALL_ARGUMENTS_DELTA = "response.function_call_arguments.delta"
    FUNCTION_CALL_ARGUMENTS_DONE = "response.function_call_arguments.done"
    REASONING_SUMMARY_PART_ADDED = "response.reasoning_summary_part.added"
    REASONING_SUMMARY_PART_DONE = "response.reasoning_summary_part.done"
    REASONING_SUMMARY_TEXT_DELTA = "response.reasoning_summary_text.delta"
    REASONING_SUMMARY_TEXT_DONE = "response.reasoning_summary_text.done"
    ERROR = "error"


E = ResponsesAPIStreamEvents
#: The events that end a stream with a final response object.
TERMINAL_EVENTS = frozenset({E.RESPONSE_COMPLETED, E.RESPONSE_INCOMPLETE, E.RESPONSE_FAILED})


class _Event(OpenRecord):
    """Base of the event records: ``sequence_number`` is left out of ``to_dict()`` when absent."""

    _omit_none = ("sequence_number",)


def _extra() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


# Private bases: a family of events that differ only in ``type`` shares one field list (each
# subclass redeclares ``type`` only, which keeps the field order and so the to_dict() order).


@dataclass
class _ResponseEvent(_Event):
    type: str = ""
    response: ResponsesAPIResponse = field(default_factory=ResponsesAPIResponse)
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class ResponseCreatedEvent(_ResponseEvent):
    type: str = E.RESPONSE_CREATED


@dataclass
class ResponseInProgressEvent(_ResponseEvent):
    type: str = E.RESPONSE_IN_PROGRESS


@dataclass
class ResponseCompletedEvent(_ResponseEvent):
    type: str = E.RESPONSE_COMPLETED
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseIncompleteEvent(_ResponseEvent):
    type: str = E.RESPONSE_INCOMPLETE


@dataclass
class ResponseFailedEvent(_ResponseEvent):
    type: str = E.RESPONSE_FAILED


@dataclass
class _OutputItemEvent(_Event):
    type: str = ""
    output_index: int = 0
    item: Optional[OutputItem] = None
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class OutputItemAddedEvent(_OutputItemEvent):
    type: str = E.OUTPUT_ITEM_ADDED


@dataclass
class OutputItemDoneEvent(_OutputItemEvent):
    type: str = E.OUTPUT_ITEM_DONE


@dataclass
class _ItemEvent(_Event):
    """The leading fields of the events about one output item (subclasses add the rest in order)."""

    type: str = ""
    item_id: str = ""
    output_index: int = 0


@dataclass
class _ContentPartEvent(_ItemEvent):
    content_index: int = 0
    part: Optional[ContentPart] = None
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class ContentPartAddedEvent(_ContentPartEvent):
    type: str = E.CONTENT_PART_ADDED


@dataclass
class ContentPartDoneEvent(_ContentPartEvent):
    type: str = E.CONTENT_PART_DONE


@dataclass
class _ContentDeltaEvent(_ItemEvent):
    content_index: int = 0
    delta: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class OutputTextDeltaEvent(_ContentDeltaEvent):
    type: str = E.OUTPUT_TEXT_DELTA


@dataclass
class OutputTextDoneEvent(_ItemEvent):
    type: str = E.OUTPUT_TEXT_DONE
    content_index: int = 0
    text: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class RefusalDeltaEvent(_ContentDeltaEvent):
    type: str = E.REFUSAL_DELTA


@dataclass
class RefusalDoneEvent(_ItemEvent):
    type: str = E.REFUSAL_DONE
    content_index: int = 0
    refusal: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class FunctionCallArgumentsDeltaEvent(_ItemEvent):
    type: str = E.FUNCTION_CALL_ARGUMENTS_DELTA
    delta: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class FunctionCallArgumentsDoneEvent(_ItemEvent):
    type: str = E.FUNCTION_CALL_ARGUMENTS_DONE
    arguments: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class _SummaryPartEvent(_ItemEvent):
    summary_index: int = 0
    part: Optional[ReasoningSummary] = None
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class ReasoningSummaryPartAddedEvent(_SummaryPartEvent):
    type: str = E.REASONING_SUMMARY_PART_ADDED


@dataclass
class ReasoningSummaryPartDoneEvent(_SummaryPartEvent):
    type: str = E.REASONING_SUMMARY_PART_DONE


@dataclass
class ReasoningSummaryTextDeltaEvent(_ItemEvent):
    type: str = E.REASONING_SUMMARY_TEXT_DELTA
    summary_index: int = 0
    delta: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class ReasoningSummaryTextDoneEvent(_ItemEvent):
    type: str = E.REASONING_SUMMARY_TEXT_DONE
    summary_index: int = 0
    text: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class ErrorEvent(_Event):
    """An in-stream ``error`` event (the stream ends after it)."""

    type: str = E.ERROR
    code: Optional[str] = None
    message: str = ""
    param: Optional[str] = None
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


@dataclass
class GenericEvent(_Event):
    """An event of a type not modelled here (``response.web_search_call.searching``...): every
    field is kept and readable as ``event["field"]``."""

    type: str = ""
    sequence_number: Optional[int] = None
    _extra: Dict[str, Any] = _extra()


ResponsesAPIStreamingResponse = Union[
    ResponseCreatedEvent,
    ResponseInProgressEvent,
    ResponseCompletedEvent,
    ResponseIncompleteEvent,
    ResponseFailedEvent,
    OutputItemAddedEvent,
    OutputItemDoneEvent,
    ContentPartAddedEvent,
    ContentPartDoneEvent,
    OutputTextDeltaEvent,
    OutputTextDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
    FunctionCallArgumentsDeltaEvent,
    FunctionCallArgumentsDoneEvent,
    ReasoningSummaryPartAddedEvent,
    ReasoningSummaryPartDoneEvent,
    ReasoningSummaryTextDeltaEvent,
    ReasoningSummaryTextDoneEvent,
    ErrorEvent,
    GenericEvent,
]


def _index(value: Any) -> int:
    return value if type(value) is int else 0


def _seq(data: Dict[str, Any]) -> Optional[int]:
    value = data.get("sequence_number")
    return value if type(value) is int else None


def _response_event(cls: Any) -> Callable[[Dict[str, Any]], Any]:
    def build(data: Dict[str, Any]) -> Any:
        raw = data.get("response")
        response = response_from_dict(raw if isinstance(raw, dict) else {})
        return cls.from_wire(data, response=response, sequence_number=_seq(data))

    return build


def _item_event(cls: Any) -> Callable[[Dict[str, Any]], Any]:
    def build(data: Dict[str, Any]) -> Any:
        raw = data.get("item")
        return cls.from_wire(
            data,
            output_index=_index(data.get("output_index")),
            item=output_item_from_dict(raw) if raw is not None else None,
            sequence_number=_seq(data),
        )

    return build


def _part_event(cls: Any) -> Callable[[Dict[str, Any]], Any]:
    def build(data: Dict[str, Any]) -> Any:
        raw = data.get("part")
        return cls.from_wire(
            data,
            item_id=text_value(data.get("item_id")),
            output_index=_index(data.get("output_index")),
            content_index=_index(data.get("content_index")),
            part=content_part_from_dict(raw) if raw is not None else None,
            sequence_number=_seq(data),
        )

    return build


def _summary_part_event(cls: Any) -> Callable[[Dict[str, Any]], Any]:
    def build(data: Dict[str, Any]) -> Any:
        raw = data.get("part")
        return cls.from_wire(
            data,
            item_id=text_value(data.get("item_id")),
            output_index=_index(data.get("output_index")),
            summary_index=_index(data.get("summary_index")),
            part=ReasoningSummary.from_wire(raw, text=text_value(raw.get("text"))) if isinstance(raw, dict) else None,
            sequence_number=_seq(data),
        )

    return build


def _text_event(cls: Any, key: str, index_key: Optional[str]) -> Callable[[Dict[str, Any]], Any]:
    """Delta/done events: ``key`` (delta, text, refusal, arguments) always comes out a string.

    The hot path of every stream: the record's attributes are set in one step instead of going
    through the dataclass ``__init__`` and ``from_wire`` (same fields, same result).
    """
    known = frozenset(("type", key, "item_id", "output_index", "sequence_number", index_key))
    new = object.__new__

    def build(data: Dict[str, Any]) -> Any:
        value = data.get(key)
        item_id = data.get("item_id")
        index = data.get("output_index")
        seq = data.get("sequence_number")
        attrs: Dict[str, Any] = {
            "type": "",
            "item_id": item_id if type(item_id) is str else text_value(item_id),
            "output_index": index if type(index) is int else 0,
            key: value if type(value) is str else text_value(value),
            "sequence_number": seq if type(seq) is int else None,
            "_extra": {k: v for k, v in data.items() if k not in known},
        }
        if index_key is not None:
            other = data.get(index_key)
            attrs[index_key] = other if type(other) is int else 0
        event = new(cls)
        event.__dict__ = attrs
        return event

    return build


def _error_event(data: Dict[str, Any]) -> ErrorEvent:
    # Some servers nest the details: {"type": "error", "error": {"code", "message", "param"}}.
    inner = data.get("error")
    source = inner if isinstance(inner, dict) else data
    code = source.get("code")
    param = source.get("param")
    return ErrorEvent.from_wire(
        data,
        code=str(code) if code is not None else None,
        message=text_value(source.get("message")),
        param=param if isinstance(param, str) else None,
        sequence_number=_seq(data),
    )


_BUILDERS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    E.RESPONSE_CREATED: _response_event(ResponseCreatedEvent),
    E.RESPONSE_IN_PROGRESS: _response_event(ResponseInProgressEvent),
    E.RESPONSE_COMPLETED: _response_event(ResponseCompletedEvent),
    E.RESPONSE_INCOMPLETE: _response_event(ResponseIncompleteEvent),
    E.RESPONSE_FAILED: _response_event(ResponseFailedEvent),
    E.OUTPUT_ITEM_ADDED: _item_event(OutputItemAddedEvent),
    E.OUTPUT_ITEM_DONE: _item_event(OutputItemDoneEvent),
    E.CONTENT_PART_ADDED: _part_event(ContentPartAddedEvent),
    E.CONTENT_PART_DONE: _part_event(ContentPartDoneEvent),
    E.OUTPUT_TEXT_DELTA: _text_event(OutputTextDeltaEvent, "delta", "content_index"),
    E.OUTPUT_TEXT_DONE: _text_event(OutputTextDoneEvent, "text", "content_index"),
    E.REFUSAL_DELTA: _text_event(RefusalDeltaEvent, "delta", "content_index"),
    E.REFUSAL_DONE: _text_event(RefusalDoneEvent, "refusal", "content_index"),
    E.FUNCTION_CALL_ARGUMENTS_DELTA: _text_event(FunctionCallArgumentsDeltaEvent, "delta", None),
    E.FUNCTION_CALL_ARGUMENTS_DONE: _text_event(FunctionCallArgumentsDoneEvent, "arguments", None),
    E.REASONING_SUMMARY_PART_ADDED: _summary_part_event(ReasoningSummaryPartAddedEvent),
    E.REASONING_SUMMARY_PART_DONE: _summary_part_event(ReasoningSummaryPartDoneEvent),
    E.REASONING_SUMMARY_TEXT_DELTA: _text_event(ReasoningSummaryTextDeltaEvent, "delta", "summary_index"),
    E.REASONING_SUMMARY_TEXT_DONE: _text_event(ReasoningSummaryTextDoneEvent, "text", "summary_index"),
    E.ERROR: _error_event,
}


def event_from_dict(data: Dict[str, Any], event_name: Optional[str] = None) -> ResponsesAPIStreamingResponse:
    """The typed event for a decoded event object; ``event_name`` (the SSE ``event:`` field) is
    used when the object carries no ``type``. Unknown types give a :class:`GenericEvent`."""
    kind = data.get("type")
    if not isinstance(kind, str):
        kind = event_name or ""
    builder = _BUILDERS.get(kind)
    if builder is None:
        return GenericEvent.from_wire(data, type=kind, sequence_number=_seq(data))
    event: ResponsesAPIStreamingResponse = builder(data)
    event.type = kind
    return event
