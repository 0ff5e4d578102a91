"""Chat-completion stream chunks -> the Responses API event sequence (bridged providers).

:class:`ChatStreamToResponses` turns each :class:`~litellm_lite.types.ModelResponseStream` into
the events OpenAI would have sent for the same answer::

    response.created, response.in_progress                           (before the first delta)
    response.output_item.added (reasoning), response.reasoning_summary_part.added,
        response.reasoning_summary_text.delta ..., .done, part .done, output_item.done
    response.output_item.added (message), response.content_part.added,
        response.output_text.delta ... (response.refusal.delta ...), .done, part .done, item .done
    response.output_item.added (function_call), response.function_call_arguments.delta ...
    ... at the end: function_call_arguments.done and output_item.done per call, then
    response.completed (response.incomplete when the answer was cut by max tokens or a filter)

Parallel tool calls interleaved by index each get their own item. ``sequence_number`` counts
from 0. :attr:`ChatStreamToResponses.response` is the final object once :meth:`finish` ran.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional, Tuple

from ..types import ChatCompletionDeltaToolCall, Delta, ModelResponseStream
from .bridge import response_skeleton, status_for
from .events import (
    ContentPartAddedEvent, ContentPartDoneEvent, FunctionCallArgumentsDeltaEvent, FunctionCallArgumentsDoneEvent,
    OutputItemAddedEvent, OutputItemDoneEvent, OutputTextDeltaEvent, OutputTextDoneEvent,
    ReasoningSummaryPartAddedEvent, ReasoningSummaryPartDoneEvent, ReasoningSummaryTextDeltaEvent,
    ReasoningSummaryTextDoneEvent, RefusalDeltaEvent, RefusalDoneEvent, ResponseCompletedEvent, ResponseCreatedEvent,
    ResponseIncompleteEvent, ResponseInProgressEvent, ResponsesAPIStreamingResponse,
)
from .request import ResponsesRequest
from .types import (
    OutputItem, ReasoningSummary, ResponseAPIUsage, ResponseFunctionToolCall, ResponseOutputMessage,
    ResponseOutputRefusal, ResponseOutputText, ResponseReasoningItem, new_item_id,
)

__all__ = ["ChatStreamToResponses"]

Events = List[ResponsesAPIStreamingResponse]


class ChatStreamToResponses:
    """One bridged stream: feed chat chunks, get Responses events; :meth:`finish` at the end."""

    def __init__(self, request: ResponsesRequest, response_id: Optional[str] = None) -> None:
        self.response = response_skeleton(request, request.model, response_id)
        self.sequence = 0
        self.started = False
        self.finished = False
        self.output: List[OutputItem] = []
        self.finish_reason: Optional[str] = None
        self.usage: Optional[ResponseAPIUsage] = None
        self._reasoning: Optional[Tuple[int, ResponseReasoningItem, List[str]]] = None
        self._message: Optional[Tuple[int, ResponseOutputMessage]] = None
        self._part: Optional[Tuple[str, List[str]]] = None  # ("output_text" | "refusal", pieces)
        self._calls: Dict[int, Tuple[int, ResponseFunctionToolCall, List[str]]] = {}
        self._hidden: Dict[str, Any] = {}

    def _stamp(self, event: Any) -> Any:
        event.sequence_number = self.sequence
        self.sequence += 1
        return event

    def _snapshot(self) -> Any:
        snap = copy.copy(self.response)
        snap.output = []
        return snap

    def _start(self, events: Events, chunk: Optional[ModelResponseStream]) -> None:
        self.started = True
        if chunk is not None:
            if chunk.model:
                self.response.model = chunk.model
            self.response.created_at = chunk.created
        events.append(self._stamp(ResponseCreatedEvent(response=self._snapshot())))
        events.append(self._stamp(ResponseInProgressEvent(response=self._snapshot())))

    def _add_item(self, item: OutputItem, events: Events) -> int:
        index = len(self.output)
        self.output.append(item)
        events.append(self._stamp(OutputItemAddedEvent(output_index=index, item=copy.deepcopy(item))))
        return index

    # -- reasoning -----------------------------------------------------------------------------
    def _reasoning_delta(self, text: str, events: Events) -> None:
        self._close_message(events)
        if self._reasoning is None:
            item = ResponseReasoningItem(id=new_item_id("rs"), summary=[])
            index = self._add_item(item, events)
            self._reasoning = (index, item, [])
            events.append(
                self._stamp(ReasoningSummaryPartAddedEvent(item_id=item.id, output_index=index, part=ReasoningSummary()))
            )
        index, item, pieces = self._reasoning
        pieces.append(text)
        events.append(self._stamp(ReasoningSummaryTextDeltaEvent(item_id=item.id, output_index=index, delta=text)))

    def _close_reasoning(self, events: Events) -> None:
        if self._reasoning is None:
            return
        index, item, pieces = self._reasoning
        self._reasoning = None
        text = "".join(pieces)
        item.summary = [ReasoningSummary(text=text)]
        events.append(self._stamp(ReasoningSummaryTextDoneEvent(item_id=item.id, output_index=index, text=text)))
        events.append(
            self._stamp(ReasoningSummaryPartDoneEvent(item_id=item.id, output_index=index, part=ReasoningSummary(text=text)))
        )
        events.append(self._stamp(OutputItemDoneEvent(output_index=index, item=copy.deepcopy(item))))

    # -- message text and refusal --------------------------------------------------------------
    def _text_delta(self, kind: str, text: str, events: Events) -> None:
        self._close_reasoning(events)
        if self._message is None:
            item = ResponseOutputMessage(id=new_item_id("msg"), status="in_progress", content=[])
            self._message = (self._add_item(item, events), item)
        index, item = self._message
        if self._part is not None and self._part[0] != kind:
            self._close_part(events)
        content_index = len(item.content) if self._part is None else len(item.content) - 1
        if self._part is None:
            part: Any = ResponseOutputText() if kind == "output_text" else ResponseOutputRefusal()
            item.content.append(part)
            self._part = (kind, [])
            events.append(
                self._stamp(
                    ContentPartAddedEvent(
                        item_id=item.id, output_index=index, content_index=content_index, part=copy.copy(part)
                    )
                )
            )
        self._part[1].append(text)
        cls: Any = OutputTextDeltaEvent if kind == "output_text" else RefusalDeltaEvent
        events.append(self._stamp(cls(item_id=item.id, output_index=index, content_index=content_index, delta=text)))

    def _close_part(self, events: Events) -> None:
        if self._part is None or self._message is None:
            return
        kind, pieces = self._part
        self._part = None
        index, item = self._message
        content_index = len(item.content) - 1
        text = "".join(pieces)
        part = item.content[content_index]
        where: Dict[str, Any] = {"item_id": item.id, "output_index": index, "content_index": content_index}
        if isinstance(part, ResponseOutputText):
            part.text = text
            events.append(self._stamp(OutputTextDoneEvent(text=text, **where)))
        elif isinstance(part, ResponseOutputRefusal):
            part.refusal = text
            events.append(self._stamp(RefusalDoneEvent(refusal=text, **where)))
        events.append(self._stamp(ContentPartDoneEvent(part=copy.copy(part), **where)))

    def _close_message(self, events: Events) -> None:
        if self._message is None:
            return
        self._close_part(events)
        index, item = self._message
        self._message = None
        item.status = "completed"
        events.append(self._stamp(OutputItemDoneEvent(output_index=index, item=copy.deepcopy(item))))

    # -- tool calls ------------------------------------------------------------------------------
    def _tool_delta(self, call: ChatCompletionDeltaToolCall, events: Events) -> None:
        self._close_reasoning(events)
        self._close_message(events)
        entry = self._calls.get(call.index)
        if entry is None:
            item = ResponseFunctionToolCall(
                id=new_item_id("fc"),
                call_id=call.id or new_item_id("call"),
                name=call.function.name or "",
                arguments="",
                status="in_progress",
            )
            entry = (self._add_item(item, events), item, [])
            self._calls[call.index] = entry
        index, item, pieces = entry
        if call.function.name and not item.name:
            item.name = call.function.name
        if call.function.arguments:
            pieces.append(call.function.arguments)
            events.append(
                self._stamp(
                    FunctionCallArgumentsDeltaEvent(item_id=item.id or "", output_index=index, delta=call.function.arguments)
                )
            )

    def _close_calls(self, events: Events) -> None:
        for index, item, pieces in sorted(self._calls.values(), key=lambda entry: entry[0]):
            item.arguments = "".join(pieces)
            item.status = "completed"
            events.append(
                self._stamp(FunctionCallArgumentsDoneEvent(item_id=item.id or "", output_index=index, arguments=item.arguments))
            )
            events.append(self._stamp(OutputItemDoneEvent(output_index=index, item=copy.deepcopy(item))))
        self._calls = {}

    # -- public ----------------------------------------------------------------------------------
    def feed(self, chunk: ModelResponseStream) -> Events:
        """The events one chat chunk gives (possibly none)."""
        events: Events = []
        if not self.started:
            self._start(events, chunk)
        if chunk._hidden_params:
            self._hidden.update(chunk._hidden_params)
        if chunk.usage is not None:
            self.usage = ResponseAPIUsage.from_chat_usage(chunk.usage)
        for choice in chunk.choices[:1]:
            delta: Delta = choice.delta
            if delta.reasoning_content:
                self._reasoning_delta(delta.reasoning_content, events)
            if delta.content:
                self._text_delta("output_text", delta.content, events)
            if delta.refusal:
                self._text_delta("refusal", delta.refusal, events)
            for call in delta.tool_calls or []:
                self._tool_delta(call, events)
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
        return events

    def finish(self) -> Events:
        """Close every open item and end with ``response.completed`` (or ``.incomplete``)."""
        events: Events = []
        if self.finished:
            return events
        if not self.started:
            self._start(events, None)
        self._close_reasoning(events)
        self._close_message(events)
        self._close_calls(events)
        self.finished = True
        response = self.response
        response.output = self.output
        response.usage = self.usage
        response.status, response.incomplete_details = status_for(self.finish_reason)
        response._hidden_params = dict(self._hidden)
        final: Any = ResponseCompletedEvent if response.status == "completed" else ResponseIncompleteEvent
        events.append(self._stamp(final(response=response)))
        return events
