"""What a streamed ``responses()`` call returns: a :class:`ResponsesStream` of typed Responses events.

* :class:`ResponsesStream`: the public type of every such stream (what a type checker sees), the
  base of the two below;
* :class:`ResponsesStreamWrapper`: a native stream (OpenAI, Azure, rows serving ``/responses``),
  the road's one stream wrapper reading SSE into typed events with a
  :class:`~.stream.ResponsesStreamState`;
* :class:`BridgedResponsesStream`: a chat-completions stream of any other provider, its chunks
  turned into the same events by :class:`~.bridge_stream.ChatStreamToResponses`.

Both are context managers, iterate synchronously or with ``async for``, raise from the iteration
when the stream is cut (``APIConnectionError``) or carries an error, and give the finished
:class:`~.types.ResponsesAPIResponse` from :meth:`get_final_response` (also ``.response``), with
``_hidden_params["response_cost"]`` and the call id once the stream was read to its end.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from typing import Any, AsyncIterator, Callable, Dict, Optional, TypeVar

from ..streaming import CustomStreamWrapper, aiter_in_executor
from .bridge_stream import ChatStreamToResponses
from .events import ResponsesAPIStreamingResponse
from .types import ResponsesAPIResponse

__all__ = ["ResponsesStream", "ResponsesStreamWrapper", "BridgedResponsesStream"]

_S = TypeVar("_S", bound="ResponsesStream")


class ResponsesStream(ABC):
    """What ``responses(..., stream=True)`` returns, native or bridged: typed events, then the response.

    An iterator of typed events (``response.created`` ... ``response.completed``), also with
    ``async for``, and a context manager that closes the stream. ``get_final_response()`` (also
    ``.response``) is the finished :class:`~.types.ResponsesAPIResponse` once the stream was read
    to its end."""

    model: str
    custom_llm_provider: str
    response_headers: Dict[str, str]
    _hidden_params: Dict[str, Any]

    def __iter__(self: _S) -> _S:
        return self

    @abstractmethod
    def __next__(self) -> ResponsesAPIStreamingResponse:
        """The next typed event; raises from the iteration when the stream is cut or carries an error."""

    @abstractmethod
    def get_final_response(self) -> ResponsesAPIResponse:
        """The response the events read so far describe."""

    @property
    def response(self) -> ResponsesAPIResponse:
        return self.get_final_response()

    @abstractmethod
    def close(self) -> None:
        """Stop reading; the connection is dropped unless the stream was read to its end."""

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __aiter__(self) -> AsyncIterator[ResponsesAPIStreamingResponse]:
        return aiter_in_executor(self)


class _EventsKept:
    """The native wrapper's builder: the stream state already records every event."""

    def add(self, event: Any) -> None:
        return None


class ResponsesStreamWrapper(CustomStreamWrapper, ResponsesStream):
    """Typed events of a native Responses stream (same decoder, end marker and connection handling
    as chat streams; the end marker is ``response.completed`` / ``.incomplete`` / ``.failed``)."""

    # The road's wrapper yields what the adapter parses: here events, not the chat chunks its
    # annotations name; these overrides say so to a type checker.
    def __iter__(self) -> "ResponsesStreamWrapper":
        return self

    def __next__(self) -> ResponsesAPIStreamingResponse:  # type: ignore[override]
        event: ResponsesAPIStreamingResponse = CustomStreamWrapper.__next__(self)  # type: ignore[assignment]
        return event

    def __enter__(self) -> "ResponsesStreamWrapper":
        return self

    def __aiter__(self) -> AsyncIterator[ResponsesAPIStreamingResponse]:  # type: ignore[override]
        return aiter_in_executor(self)

    def _new_builder(self) -> Any:
        return _EventsKept()

    def get_final_response(self) -> ResponsesAPIResponse:
        """The response the events describe (completed from deltas and ``.done`` values)."""
        response: ResponsesAPIResponse = self._state.final_response()  # type: ignore[attr-defined]
        if not response.model:
            response.model = self.model
        for key, value in self._hidden_params.items():
            response._hidden_params.setdefault(key, value)
        return response


class BridgedResponsesStream(ResponsesStream):
    """Typed Responses events from a chat-completions stream (a bridged provider)."""

    def __init__(
        self,
        chat_stream: Any,
        converter: ChatStreamToResponses,
        on_complete: Optional[Callable[[ResponsesAPIResponse], None]] = None,
    ) -> None:
        self._chat = chat_stream
        self._converter = converter
        self._on_complete = on_complete
        self._pending: "deque[ResponsesAPIStreamingResponse]" = deque()
        self._finished = False
        self.model: str = getattr(chat_stream, "model", "") or converter.response.model or ""
        self.custom_llm_provider: str = getattr(chat_stream, "custom_llm_provider", "") or ""
        self._hidden_params: Dict[str, Any] = dict(getattr(chat_stream, "_hidden_params", {}) or {})
        self.response_headers: Dict[str, str] = dict(getattr(chat_stream, "response_headers", {}) or {})

    def __next__(self) -> ResponsesAPIStreamingResponse:
        while not self._pending:
            if self._finished:
                raise StopIteration
            try:
                chunk = next(self._chat)
            except StopIteration:
                self._finish()
                continue
            self._pending.extend(self._converter.feed(chunk))
        return self._pending.popleft()

    def _finish(self) -> None:
        self._pending.extend(self._converter.finish())
        self._finished = True
        response = self._converter.response
        hidden = dict(self._hidden_params)
        hidden.update(getattr(self._chat, "_hidden_params", {}) or {})
        hidden.update(response._hidden_params)
        response._hidden_params = hidden
        response._response_headers = dict(self.response_headers)
        if self._on_complete is not None:
            self._on_complete(response)

    def get_final_response(self) -> ResponsesAPIResponse:
        """The finished response (before the end: what arrived so far, ``status`` in_progress)."""
        return self._converter.response

    def close(self) -> None:
        """Stop reading; the connection is dropped unless the stream was read to its end."""
        self._pending.clear()
        self._finished = True
        close = getattr(self._chat, "close", None)
        if callable(close):
            close()
