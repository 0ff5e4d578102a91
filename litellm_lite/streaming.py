"""Streaming: decoders by name, CustomStreamWrapper, and stream_chunk_builder."""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Dict, Iterable, Iterator, List, Optional, TypeVar

from .exceptions import APIConnectionError, LiteLLMError
from .types import (
    ChatCompletionMessageToolCall,
    Choices,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    Usage,
)

if TYPE_CHECKING:  # pragma: no cover
    from .providers.base import Adapter, StreamEvent, StreamState

__all__ = [
    "CustomStreamWrapper",
    "TextCompletionStreamWrapper",
    "stream_chunk_builder",
    "make_decoder",
    "ResponseBuilder",
    "TextResponseBuilder",
]

logger = logging.getLogger("litellm_lite")
T = TypeVar("T")

_DECODERS = {
    "sse": ("._sse", "SSEDecoder"),
    "ndjson": ("._framing", "NDJSONDecoder"),
    "json_array": ("._framing", "JSONArrayDecoder"),
    "eventstream": ("._eventstream", "EventStreamDecoder"),
}


def make_decoder(stream_format: str) -> Any:
    """A fresh incremental decoder (``feed(bytes) -> events``, ``flush() -> events``) for a format."""
    import importlib

    module_name, cls_name = _DECODERS[stream_format]
    module = importlib.import_module(module_name, __package__)
    return getattr(module, cls_name)()


class ResponseBuilder:
    """Accumulates stream chunks into one ModelResponse without keeping the chunks themselves."""

    def __init__(self) -> None:
        self.id: Optional[str] = None
        self.created: Optional[int] = None
        self.model: Optional[str] = None
        self.system_fingerprint: Optional[str] = None
        self.usage: Optional[Usage] = None
        self._choices: Dict[int, Dict[str, Any]] = {}

    def add(self, chunk: ModelResponseStream) -> None:
        if self.id is None:
            self.id, self.created, self.model = chunk.id, chunk.created, chunk.model
        if chunk.system_fingerprint and not self.system_fingerprint:
            self.system_fingerprint = chunk.system_fingerprint
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices:
            self._add_choice(choice)

    def _add_choice(self, choice: Any) -> None:
        slot = self._choices.setdefault(
            choice.index,
            {"content": [], "reasoning": [], "tools": {}, "finish": None, "role": None, "thinking": [], "refusal": [], "extra": {}},
        )
        delta = choice.delta
        if delta.role and not slot["role"]:
            slot["role"] = delta.role
        if delta.content:
            _append(slot["content"], delta.content)
        elif delta.content == "" and not slot["content"]:
            slot["content"].append("")
        if delta.reasoning_content:
            _append(slot["reasoning"], delta.reasoning_content)
        if delta.refusal:
            slot["refusal"].append(delta.refusal)
        if delta.thinking_blocks:
            slot["thinking"].extend(delta.thinking_blocks)
        if delta.provider_specific_fields:
            slot["extra"].update(delta.provider_specific_fields)
        for call in delta.tool_calls or []:
            entry = slot["tools"].setdefault(call.index, {"id": None, "name": None, "args": [], "type": "function"})
            if call.id:
                entry["id"] = call.id
            if call.function.name:
                entry["name"] = call.function.name
            if call.function.arguments:
                entry["args"].append(call.function.arguments)
        if choice.finish_reason:
            slot["finish"] = choice.finish_reason

    def build(self) -> ModelResponse:
        choices = []
        for index in sorted(self._choices):
            slot = self._choices[index]
            tool_calls = None
            if slot["tools"]:
                tool_calls = [
                    ChatCompletionMessageToolCall(
                        id=entry["id"] or "",
                        type=entry["type"],
                        function=Function(name=entry["name"], arguments="".join(entry["args"])),
                    )
                    for _, entry in sorted(slot["tools"].items())
                ]
            content = "".join(slot["content"]) if slot["content"] else None
            message = Message(
                content=content,
                role=slot["role"] or "assistant",
                tool_calls=tool_calls,
                reasoning_content="".join(slot["reasoning"]) if slot["reasoning"] else None,
                thinking_blocks=_merge_thinking(slot["thinking"]) if slot["thinking"] else None,
                refusal="".join(slot["refusal"]) if slot["refusal"] else None,
                provider_specific_fields=dict(slot["extra"]) or None,
            )
            finish = slot["finish"] or ("tool_calls" if tool_calls else "stop")
            choices.append(Choices(finish_reason=finish, index=index, message=message))
        kwargs: Dict[str, Any] = {}
        if self.id:
            kwargs["id"] = self.id
        if self.created:
            kwargs["created"] = self.created
        return ModelResponse(
            model=self.model, choices=choices, usage=self.usage, system_fingerprint=self.system_fingerprint, **kwargs
        )


def _append(pieces: List[str], text: str) -> None:
    """Append a text piece, joining the pieces now and then so memory follows the text, not the chunk count."""
    pieces.append(text)
    if len(pieces) >= 256:
        pieces[:] = ["".join(pieces)]


def _merge_thinking(blocks: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Thinking-block fragments (text and signature deltas) merged into whole blocks."""
    merged: List[Dict[str, Any]] = []
    for block in blocks:
        if merged and block.get("type") == merged[-1].get("type") == "thinking" and not merged[-1].get("signature"):
            last = merged[-1]
            last["thinking"] = last.get("thinking", "") + block.get("thinking", "")
            if block.get("signature"):
                last["signature"] = block["signature"]
        else:
            merged.append(dict(block))
    return merged


def stream_chunk_builder(
    chunks: Iterable[Any], messages: Optional[List[Dict[str, Any]]] = None
) -> Optional[ModelResponse]:
    """Rebuild a full ModelResponse from stream chunks (content, reasoning, tool calls, usage).

    When no chunk carried usage and ``messages`` are given, usage is estimated with the token counter.
    """
    builder = ResponseBuilder()
    count = 0
    for chunk in chunks:
        if isinstance(chunk, dict):
            chunk = _chunk_from_dict(chunk)
        builder.add(chunk)
        count += 1
    if count == 0:
        return None
    response = builder.build()
    if response.usage is None and messages is not None:
        response.usage = _estimate_usage(response, messages)
    return response


def _estimate_usage(response: ModelResponse, messages: List[Dict[str, Any]]) -> Optional[Usage]:
    try:
        from .tokens import token_counter
    except ImportError:  # pragma: no cover - tokens.py ships with the package
        return None
    model = response.model or ""
    text = ""
    if response.choices:
        msg = response.choices[0].message
        text = (msg.content or "") + "".join(c.function.arguments for c in msg.tool_calls or [])
    prompt = int(token_counter(model=model, messages=messages))
    completion = int(token_counter(model=model, text=text)) if text else 0
    return Usage(prompt_tokens=prompt, completion_tokens=completion)


def _chunk_from_dict(data: Dict[str, Any]) -> ModelResponseStream:
    from .types import ChatCompletionDeltaToolCall, Delta, StreamingChoices

    chunk = ModelResponseStream(
        id=data.get("id") or "", created=data.get("created") or 0, model=data.get("model")
    )
    for raw in data.get("choices") or []:
        d = raw.get("delta") or {}
        calls = [
            ChatCompletionDeltaToolCall(
                index=c.get("index", 0),
                id=c.get("id"),
                type=c.get("type"),
                function=Function(name=(c.get("function") or {}).get("name"), arguments=(c.get("function") or {}).get("arguments") or ""),
            )
            for c in d.get("tool_calls") or []
        ]
        chunk.choices.append(
            StreamingChoices(
                finish_reason=raw.get("finish_reason"),
                index=raw.get("index", 0),
                delta=Delta(
                    content=d.get("content"),
                    role=d.get("role"),
                    tool_calls=calls or None,
                    reasoning_content=d.get("reasoning_content"),
                ),
            )
        )
    usage = data.get("usage")
    if isinstance(usage, dict):
        chunk.usage = Usage(
            prompt_tokens=usage.get("prompt_tokens") or 0,
            completion_tokens=usage.get("completion_tokens") or 0,
            total_tokens=usage.get("total_tokens") or 0,
        )
    return chunk


async def aiter_in_executor(iterator: Iterator[T]) -> AsyncIterator[T]:
    """Async iteration over a blocking iterator: each ``next()`` runs in the loop's default executor."""
    import asyncio

    loop = asyncio.get_running_loop()
    sentinel = object()

    def step() -> Any:
        try:
            return next(iterator)
        except StopIteration:
            return sentinel

    while True:
        item = await loop.run_in_executor(None, step)
        if item is sentinel:
            return
        yield item


class CustomStreamWrapper:
    """Iterator of ModelResponseStream chunks over one HTTP response; also a context manager.

    Owns the connection: it is returned to the pool only when the stream was read to its end;
    ``close()`` (or leaving the ``with`` block early) drops it. A connection cut before the stream's
    end raises APIConnectionError from the iteration, never a silent truncation.
    """

    def __init__(
        self,
        response: Any,
        adapter: "Adapter",
        state: "StreamState",
        *,
        model: str,
        provider: str,
        on_complete: Optional[Callable[[ModelResponse], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
        on_chunk: Optional[Callable[[ModelResponseStream], None]] = None,
        chunks: Optional[List[ModelResponseStream]] = None,
    ) -> None:
        self._response = response
        self._adapter = adapter
        self._state = state
        self._decoder = make_decoder(adapter.stream_format) if response is not None else None
        self._pending: "deque[ModelResponseStream]" = deque(chunks or ())
        self._eof = response is None
        self._closed = False
        self._completed = False
        self.model = model
        self.custom_llm_provider = provider
        self.builder = self._new_builder()
        self._on_complete = on_complete
        self._on_error = on_error
        self._on_chunk = on_chunk
        self.response_headers: Dict[str, str] = dict(getattr(response, "headers", {}) or {})
        self._hidden_params: Dict[str, Any] = {"custom_llm_provider": provider, "model": model}

    def _new_builder(self) -> Any:
        """What assembles the chunks into the final response (``add(chunk)``, ``build()``)."""
        return ResponseBuilder()

    def __iter__(self) -> "CustomStreamWrapper":
        return self

    def __next__(self) -> ModelResponseStream:
        while not self._pending:
            if self._eof or self._closed:
                self._complete()
                raise StopIteration
            try:
                self._fill()
            except BaseException as exc:
                self.close()
                if self._on_error is not None and isinstance(exc, Exception):
                    self._on_error(exc)
                raise
        chunk = self._pending.popleft()
        self.builder.add(chunk)
        if self._on_chunk is not None:
            self._on_chunk(chunk)
        return chunk

    def _fill(self) -> None:
        assert self._decoder is not None
        data = self._response.read1(65536)
        if data:
            events = self._decoder.feed(data)
        else:
            events = self._decoder.flush()
            self._eof = True
        self._handle(events)
        if self._state.done and not self._eof:
            # The provider's end marker: stop now, even if the server keeps the body open.
            self._eof = True
            self._end_early()
        elif self._eof:
            self._pending.extend(self._adapter.finish_stream(self._state))
            self._release()

    def _handle(self, events: "List[StreamEvent]") -> None:
        for event in events:
            if self._state.done:
                break
            try:
                self._pending.extend(self._adapter.parse_event(event, self._state))
            except LiteLLMError:
                raise
            except (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError, RecursionError) as exc:
                raise APIConnectionError(
                    "could not parse stream event: %s" % (event.data[:200],), self.custom_llm_provider, self.model
                ) from exc

    def _end_early(self) -> None:
        """After the provider's end marker: keep the connection only when the rest of the body is
        already buffered (``drain_buffered()``, when the transport offers it); otherwise close it."""
        response = self._response
        drain = getattr(response, "drain_buffered", None)
        try:
            if callable(drain) and drain():
                self._closed = True
                return
        except LiteLLMError:
            pass
        self._release()

    def _release(self) -> None:
        if self._response is not None and not self._closed:
            self._response.close()
            self._closed = True

    def _complete(self) -> None:
        if self._completed:
            return
        self._completed = True
        if self._on_complete is not None:
            self._on_complete(self.get_final_response())

    def close(self) -> None:
        """Stop reading; the connection is dropped unless the stream was read to its end.

        A stream closed before its end never completes (no ``on_complete``: nothing is cached or
        reported as a success for an abandoned stream)."""
        if self._pending or not self._eof:
            self._completed = True
        self._pending.clear()
        self._eof = True
        if not self._closed:
            self._closed = True
            if self._response is not None:
                self._response.close()

    def __enter__(self) -> "CustomStreamWrapper":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finaliser
            pass

    # LiteLLM parity: async iteration over the same (blocking) stream, one chunk per await.
    def __aiter__(self) -> AsyncIterator[ModelResponseStream]:
        return aiter_in_executor(self)

    def get_final_response(self) -> Any:
        """The response assembled from the chunks read so far."""
        return self.builder.build()


class TextResponseBuilder:
    """Accumulates text-completion chunks into one TextCompletionResponse."""

    def __init__(self) -> None:
        self._first: Any = None
        self._usage: Optional[Usage] = None
        self._texts: Dict[int, List[str]] = {}
        self._finish: Dict[int, Optional[str]] = {}

    def add(self, chunk: Any) -> None:
        if self._first is None:
            self._first = chunk
        if chunk.usage is not None:
            self._usage = chunk.usage
        for choice in chunk.choices:
            _append(self._texts.setdefault(choice.index, []), choice.text)
            if choice.finish_reason:
                self._finish[choice.index] = choice.finish_reason

    def build(self) -> Any:
        from .endpoint_types import TextChoices, TextCompletionResponse

        first = self._first
        result = TextCompletionResponse(
            model=first.model if first is not None else None,
            choices=[
                TextChoices(text="".join(self._texts[i]), index=i, finish_reason=self._finish.get(i))
                for i in sorted(self._texts)
            ],
            usage=self._usage,
        )
        if first is not None:
            result.id, result.created = first.id, first.created
        return result


class TextCompletionStreamWrapper(CustomStreamWrapper):
    """The stream of a streamed ``text_completion()``: TextCompletionResponse chunks.

    The same wrapper as chat streams (same decoder, end marker and connection handling); only the
    assembled response differs (``get_final_response()`` is a TextCompletionResponse).
    """

    def _new_builder(self) -> Any:
        return TextResponseBuilder()

    def get_final_response(self) -> Any:
        result = self.builder.build()
        if result.model is None:
            result.model = self.model
        return result


def response_to_chunks(response: ModelResponse) -> List[ModelResponseStream]:
    """A complete response as stream chunks: one per choice, then a usage-only chunk.

    For servers that answer a stream request with one plain JSON body.
    """
    from .types import ChatCompletionDeltaToolCall, Delta, StreamingChoices

    chunks = []
    for choice in response.choices:
        msg = choice.message
        calls = [
            ChatCompletionDeltaToolCall(index=i, id=c.id, type=c.type, function=Function(name=c.function.name, arguments=c.function.arguments))
            for i, c in enumerate(msg.tool_calls or [])
        ]
        delta = Delta(
            content=msg.content,
            role=msg.role,
            tool_calls=calls or None,
            reasoning_content=msg.reasoning_content,
            thinking_blocks=msg.thinking_blocks,
            refusal=msg.refusal,
            provider_specific_fields=msg.provider_specific_fields,
        )
        chunks.append(
            ModelResponseStream(
                id=response.id,
                created=response.created,
                model=response.model,
                choices=[StreamingChoices(finish_reason=choice.finish_reason, index=choice.index, delta=delta)],
            )
        )
    if response.usage is not None:
        chunks.append(ModelResponseStream(id=response.id, created=response.created, model=response.model, usage=response.usage))
    return chunks


def mock_stream_chunks(text: str, model: str, chunk_size: int = 4) -> List[ModelResponseStream]:
    """Chunks for ``mock_response`` streams: the text cut into small deltas, then a stop chunk."""
    from .providers.base import StreamState
    from .types import Delta

    state = StreamState(model=model, provider="mock")
    chunks = [state.chunk(Delta(role="assistant", content=""))]
    for start in range(0, len(text), chunk_size):
        chunks.append(state.chunk(Delta(content=text[start : start + chunk_size])))
    chunks.append(state.chunk(Delta(), finish_reason="stop"))
    return chunks
