"""A finished Responses object as the events its stream would have had.

:func:`response_events` turns a response object (a dict, as the wire carries it) into the event
sequence OpenAI streams for the same answer::

    response.created, response.in_progress            (the response, in_progress, no output)
    per output item: response.output_item.added, then
        reasoning: per summary part: reasoning_summary_part.added, reasoning_summary_text.delta ...,
            reasoning_summary_text.done, reasoning_summary_part.done
        message: per content part: content_part.added, output_text.delta ... / refusal.delta ...,
            output_text.done / refusal.done, content_part.done
        function_call: function_call_arguments.delta ..., function_call_arguments.done
    response.output_item.done, and at the end response.completed (.incomplete / .failed by status)

numbered from 0 (``sequence_number``). The fake provider streams its answers with it, and the road
replays a whole JSON body that answered a stream request with it (:func:`replay_events`: typed
events, recorded in the stream state as if they had arrived).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .events import ResponsesAPIStreamingResponse, event_from_dict

if TYPE_CHECKING:  # pragma: no cover
    from .stream import ResponsesStreamState
    from .types import ResponsesAPIResponse

__all__ = ["response_events", "replay_events"]

Event = Dict[str, Any]
_TERMINAL = {"incomplete": "response.incomplete", "failed": "response.failed"}


def _pieces(text: str, size: Optional[int]) -> List[str]:
    if not text or not size:
        return [text]
    return [text[i : i + size] for i in range(0, len(text), size)]


def _summary_events(item: Event, index: int, size: Optional[int]) -> List[Event]:
    events: List[Event] = []
    for number, part in enumerate(item.get("summary") or []):
        text = str(part.get("text") or "") if isinstance(part, dict) else ""
        where = {"item_id": item.get("id"), "output_index": index, "summary_index": number}
        events.append(dict(where, type="response.reasoning_summary_part.added", part={"type": "summary_text", "text": ""}))
        events.extend(dict(where, type="response.reasoning_summary_text.delta", delta=p) for p in _pieces(text, size))
        events.append(dict(where, type="response.reasoning_summary_text.done", text=text))
        events.append(dict(where, type="response.reasoning_summary_part.done", part={"type": "summary_text", "text": text}))
    return events


def _content_events(item: Event, index: int, size: Optional[int]) -> List[Event]:
    events: List[Event] = []
    for number, part in enumerate(item.get("content") or []):
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        where = {"item_id": item.get("id"), "output_index": index, "content_index": number}
        if kind == "output_text":
            text = str(part.get("text") or "")
            empty: Event = dict(part, text="", annotations=[])
            events.append(dict(where, type="response.content_part.added", part=empty))
            events.extend(dict(where, type="response.output_text.delta", delta=p, logprobs=[]) for p in _pieces(text, size))
            events.append(dict(where, type="response.output_text.done", text=text, logprobs=[]))
        elif kind == "refusal":
            text = str(part.get("refusal") or "")
            events.append(dict(where, type="response.content_part.added", part=dict(part, refusal="")))
            events.extend(dict(where, type="response.refusal.delta", delta=p) for p in _pieces(text, size))
            events.append(dict(where, type="response.refusal.done", refusal=text))
        else:
            events.append(dict(where, type="response.content_part.added", part=part))
        events.append(dict(where, type="response.content_part.done", part=part))
    return events


def _item_events(item: Event, index: int, size: Optional[int]) -> List[Event]:
    """The events that stream one finished output item."""
    kind = item.get("type")
    added: Event = dict(item)
    inner: List[Event] = []
    if kind == "reasoning":
        added["summary"] = []
        inner = _summary_events(item, index, size)
    elif kind == "message":
        added.update(status="in_progress", content=[])
        inner = _content_events(item, index, size)
    elif kind == "function_call":
        arguments = str(item.get("arguments") or "")
        added.update(status="in_progress", arguments="")
        where = {"item_id": item.get("id"), "output_index": index}
        inner = [dict(where, type="response.function_call_arguments.delta", delta=p) for p in _pieces(arguments, size)]
        inner.append(dict(where, type="response.function_call_arguments.done", arguments=arguments))
    return (
        [{"type": "response.output_item.added", "output_index": index, "item": added}]
        + inner
        + [{"type": "response.output_item.done", "output_index": index, "item": item}]
    )


def response_events(response: Event, chunk_size: Optional[int] = None) -> List[Event]:
    """The events (plain dicts) of a stream that ends with ``response``; text and arguments come in
    ``chunk_size`` pieces (one delta each without it)."""
    start = dict(response, status="in_progress", output=[], usage=None, incomplete_details=None)
    events: List[Event] = [
        {"type": "response.created", "response": start},
        {"type": "response.in_progress", "response": dict(start)},
    ]
    for index, item in enumerate(response.get("output") or []):
        if isinstance(item, dict):
            events.extend(_item_events(item, index, chunk_size))
    events.append({"type": _TERMINAL.get(str(response.get("status")), "response.completed"), "response": response})
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return events


def replay_events(response: "ResponsesAPIResponse", state: "ResponsesStreamState") -> List[ResponsesAPIStreamingResponse]:
    """The typed events of a stream that ends with ``response``, recorded in ``state`` (for a whole
    JSON body that answered a stream request)."""
    events = [event_from_dict(event) for event in response_events(response.to_dict())]
    for event in events:
        state.add(event)
    return events
