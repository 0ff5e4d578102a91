"""Responses API streams: one decoded SSE event -> typed events, with a state that rebuilds the
final response.

:class:`ResponsesStreamState` accumulates what the events say (items, text, refusal, argument
and summary deltas, the terminal response) so that :meth:`ResponsesStreamState.final_response`
gives the finished :class:`ResponsesAPIResponse` even when a server

* sends a function call's arguments only in ``response.function_call_arguments.done`` (or only in
  ``response.output_item.done``): they are kept;
* sends argument (or text) deltas but an empty ``.done`` value or an empty final item: the
  deltas are used, never dropped;
* ends with a ``response.completed`` whose ``output`` is empty: the output is rebuilt from the
  events.

A stream that ends without a terminal event (``response.completed``, ``response.incomplete`` or
``response.failed``) raises from :func:`finish_stream`: the error of an in-stream ``error``
event, mapped to our exception classes, or :class:`APIConnectionError` for a cut stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from ..exceptions import APIConnectionError, APIError, error_for_status
from ..providers.base import StreamEvent, load_json
from .events import (
    TERMINAL_EVENTS, ContentPartAddedEvent, ErrorEvent, FunctionCallArgumentsDeltaEvent, FunctionCallArgumentsDoneEvent,
    OutputItemAddedEvent, OutputItemDoneEvent, OutputTextDeltaEvent, OutputTextDoneEvent,
    ReasoningSummaryTextDeltaEvent, ReasoningSummaryTextDoneEvent, RefusalDeltaEvent, RefusalDoneEvent,
    ResponseCreatedEvent, ResponseInProgressEvent, ResponsesAPIStreamingResponse, event_from_dict,
)
from .types import (
    OutputItem, ReasoningSummary, ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputRefusal,
    ResponseOutputText, ResponseReasoningItem, ResponsesAPIResponse,
)

__all__ = ["ResponsesStreamState", "parse_event", "finish_stream", "rebuild_response", "error_from_event"]

# status of an error event's ``code`` -> HTTP status, for the exception class.
_ERROR_CODE_STATUS = {
    "rate_limit_exceeded": 429,
    "insufficient_quota": 429,
    "server_error": 500,
    "server_is_overloaded": 503,
    "slow_down": 503,
    "invalid_prompt": 400,
    "context_length_exceeded": 400,
    "invalid_request_error": 400,
    "model_not_found": 404,
    "invalid_api_key": 401,
}

Key = Tuple[str, int]


def _joined(done: Mapping[Any, str], pieces: Mapping[Any, List[str]], key: Any) -> str:
    """The ``.done`` value for ``key`` when it says something, else its deltas joined."""
    return done.get(key) or "".join(pieces.get(key, ()))


def _keys_of(item_id: Optional[str], *maps: Mapping[Key, Any]) -> List[Key]:
    """The (item id, index) keys of ``item_id`` in ``maps``, by index."""
    return sorted({k for found in maps for k in found if k[0] == item_id}, key=lambda k: k[1])


@dataclass
class ResponsesStreamState:
    """Per-stream scratch space: created with the provider and model names, fed every event."""

    provider: str = ""
    model: str = ""
    events: int = 0
    snapshot: Optional[ResponsesAPIResponse] = None
    terminal: Optional[ResponsesAPIResponse] = None
    error: Optional[ErrorEvent] = None
    items: Dict[int, OutputItem] = field(default_factory=dict)
    done_items: Dict[int, OutputItem] = field(default_factory=dict)
    text: Dict[Key, List[str]] = field(default_factory=dict)
    text_done: Dict[Key, str] = field(default_factory=dict)
    refusal: Dict[Key, List[str]] = field(default_factory=dict)
    refusal_done: Dict[Key, str] = field(default_factory=dict)
    arguments: Dict[str, List[str]] = field(default_factory=dict)
    arguments_done: Dict[str, str] = field(default_factory=dict)
    summary: Dict[Key, List[str]] = field(default_factory=dict)
    summary_done: Dict[Key, str] = field(default_factory=dict)
    index_of: Dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.terminal is not None

    def add(self, event: ResponsesAPIStreamingResponse) -> None:
        """Record one typed event."""
        self.events += 1
        kind = event.type
        if isinstance(event, OutputTextDeltaEvent):  # the common case first
            self.text.setdefault((event.item_id, event.content_index), []).append(event.delta)
        elif isinstance(event, FunctionCallArgumentsDeltaEvent):
            self._note_index(event.item_id, event.output_index)
            self.arguments.setdefault(event.item_id, []).append(event.delta)
        elif isinstance(event, ReasoningSummaryTextDeltaEvent):
            self.summary.setdefault((event.item_id, event.summary_index), []).append(event.delta)
        elif isinstance(event, RefusalDeltaEvent):
            self.refusal.setdefault((event.item_id, event.content_index), []).append(event.delta)
        elif isinstance(event, (OutputItemAddedEvent, OutputItemDoneEvent)):
            self._add_item(event)
        elif isinstance(event, (ContentPartAddedEvent, OutputTextDoneEvent, RefusalDoneEvent)):
            self._add_part_event(event)
        elif isinstance(event, FunctionCallArgumentsDoneEvent):
            self._note_index(event.item_id, event.output_index)
            self.arguments_done[event.item_id] = event.arguments
        elif isinstance(event, ReasoningSummaryTextDoneEvent):
            self.summary_done[(event.item_id, event.summary_index)] = event.text
        elif isinstance(event, (ResponseCreatedEvent, ResponseInProgressEvent)):
            self.snapshot = event.response
        elif kind in TERMINAL_EVENTS:
            self.terminal = getattr(event, "response", None) or ResponsesAPIResponse(status=None)
        elif isinstance(event, ErrorEvent):
            self.error = event

    def _note_index(self, item_id: str, output_index: int) -> None:
        if item_id and item_id not in self.index_of:
            self.index_of[item_id] = output_index

    def _add_item(self, event: Union[OutputItemAddedEvent, OutputItemDoneEvent]) -> None:
        item = event.item
        if item is None:
            return
        item_id = getattr(item, "id", None)
        if item_id:
            self._note_index(item_id, event.output_index)
        if isinstance(event, OutputItemDoneEvent):
            self.done_items[event.output_index] = item
        else:
            self.items[event.output_index] = item

    def _add_part_event(self, event: Union[ContentPartAddedEvent, OutputTextDoneEvent, RefusalDoneEvent]) -> None:
        key = (event.item_id, event.content_index)
        if isinstance(event, OutputTextDoneEvent):
            self.text_done[key] = event.text
        elif isinstance(event, RefusalDoneEvent):
            self.refusal_done[key] = event.refusal
        elif isinstance(event.part, ResponseOutputText):
            self.text.setdefault(key, [])
        elif isinstance(event.part, ResponseOutputRefusal):
            self.refusal.setdefault(key, [])

    # -- the final response ------------------------------------------------------------------
    def _arguments_for(self, item_id: str) -> str:
        return _joined(self.arguments_done, self.arguments, item_id)

    def _fill_message(self, item: ResponseOutputMessage) -> None:
        parts: Dict[int, Any] = dict(enumerate(item.content))
        kinds: Tuple[Tuple[Dict[Key, List[str]], Dict[Key, str], Any, str], ...] = (
            (self.text, self.text_done, ResponseOutputText, "text"),
            (self.refusal, self.refusal_done, ResponseOutputRefusal, "refusal"),
        )
        for pieces, done, part_class, attr in kinds:
            for key in _keys_of(item.id, pieces, done):
                value = _joined(done, pieces, key)
                part = parts.get(key[1])
                if not isinstance(part, part_class):
                    parts[key[1]] = part_class(**{attr: value})
                elif not getattr(part, attr):
                    setattr(part, attr, value)
        item.content = [parts[i] for i in sorted(parts)]

    def _fill_reasoning(self, item: ResponseReasoningItem) -> None:
        parts: Dict[int, ReasoningSummary] = dict(enumerate(item.summary))
        for key in _keys_of(item.id, self.summary, self.summary_done):
            text = _joined(self.summary_done, self.summary, key)
            part = parts.get(key[1])
            if part is None:
                parts[key[1]] = ReasoningSummary(text=text)
            elif not part.text:
                part.text = text
        item.summary = [parts[i] for i in sorted(parts)]

    def _fill(self, item: OutputItem) -> OutputItem:
        """Complete an item from the deltas and ``.done`` values seen for its id."""
        if isinstance(item, ResponseFunctionToolCall):
            if not item.arguments and item.id:
                item.arguments = self._arguments_for(item.id)
        elif isinstance(item, ResponseOutputMessage):
            self._fill_message(item)
        elif isinstance(item, ResponseReasoningItem):
            self._fill_reasoning(item)
        return item

    def rebuilt_output(self) -> List[OutputItem]:
        """The output items as the events describe them (done item, else added item, completed)."""
        indexes = sorted(set(self.items) | set(self.done_items))
        out = [self._fill(self.done_items.get(i) or self.items[i]) for i in indexes]
        known = {getattr(item, "id", None) for item in out}
        # Argument deltas for an item never announced by output_item.added: still a function call.
        for item_id in sorted(set(self.arguments) | set(self.arguments_done), key=lambda i: self.index_of.get(i, 0)):
            if item_id not in known:
                out.append(ResponseFunctionToolCall(id=item_id, arguments=self._arguments_for(item_id)))
        return out

    def final_response(self) -> ResponsesAPIResponse:
        """The finished response: the terminal event's object, completed from the events."""
        base = self.terminal or self.snapshot or ResponsesAPIResponse(status="in_progress", model=self.model or None)
        if not base.output:
            base.output = self.rebuilt_output()
        else:
            base.output = [self._fill(item) for item in base.output]
        return base


def error_from_event(event: ErrorEvent, provider: str = "", model: str = "") -> APIError:
    """The exception an in-stream ``error`` event stands for (class chosen from its ``code``)."""
    status = _ERROR_CODE_STATUS.get(event.code or "", 500)
    message = event.message or "error event in the Responses stream (code %s)" % (event.code,)
    return error_for_status(status, message, provider, model, code=event.code, error_type="error_event")


def parse_event(event: StreamEvent, state: ResponsesStreamState) -> List[ResponsesAPIStreamingResponse]:
    """One decoded SSE event -> the typed events it carries (zero or one), recorded in ``state``.

    A ``[DONE]`` sentinel (sent by some proxies) and an empty ``data`` give nothing; data that is
    not a JSON object raises :class:`APIConnectionError`.
    """
    data = event.data
    if not data or data == "[DONE]":
        return []
    payload = load_json(data, state.provider, state.model, "Responses stream event")
    if not isinstance(payload, dict):
        raise APIConnectionError(
            "Responses stream event is not a JSON object: %s" % data[:200], state.provider, state.model
        )
    typed = event_from_dict(payload, event.event)
    state.add(typed)
    return [typed]


def finish_stream(state: ResponsesStreamState) -> List[ResponsesAPIStreamingResponse]:
    """Called when the byte stream ended: raises unless a terminal event was seen."""
    if state.terminal is not None:
        return []
    if state.error is not None:
        raise error_from_event(state.error, state.provider, state.model)
    raise APIConnectionError(
        "Responses stream ended before response.completed (%d events received): the connection was cut"
        % state.events,
        state.provider,
        state.model,
    )


def rebuild_response(
    events: Iterable[Union[ResponsesAPIStreamingResponse, Dict[str, Any]]], *, partial: bool = False
) -> ResponsesAPIResponse:
    """The final :class:`ResponsesAPIResponse` from a stream's events (typed, or plain dicts).

    Without a terminal event it raises like a cut stream, unless ``partial=True``: then it
    returns what the events gave, with the status of the last snapshot (``in_progress``).
    """
    state = ResponsesStreamState()
    for event in events:
        state.add(event_from_dict(event) if isinstance(event, dict) else event)
    if not partial:
        finish_stream(state)
    return state.final_response()
