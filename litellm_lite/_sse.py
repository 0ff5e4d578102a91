"""Server-sent events: a byte-level line splitter and an SSE event decoder.

The decoder follows the WHATWG "event stream interpretation" rules:

* lines end at CR, LF or CRLF, found in the raw bytes (``bytes.splitlines`` breaks only at those
  ASCII boundaries, unlike ``str.splitlines`` which would also break at U+2028, U+2029, U+0085
  and other characters that may legally appear inside JSON strings);
* a CR that ends one ``feed()`` ends its line at once; an LF at the start of the next feed is then
  taken as the second half of that CRLF and skipped;
* bytes of an unterminated line are kept until its line break arrives, and each complete line is
  decoded from UTF-8 (``errors="replace"``) only then. CR and LF never occur inside a multi-byte
  UTF-8 sequence, so this is exactly what an incremental decoder over the whole stream gives,
  while a character split across feeds always comes out whole;
* one UTF-8 BOM at the very start of the stream is dropped;
* ``:comment`` lines are ignored; ``event``, ``data``, ``id`` (unless it contains NUL) and
  ``retry`` (ASCII digits only) are understood, other fields ignored; a line without a colon is
  a field name with an empty value; one space after the colon is stripped;
* a blank line dispatches the pending event when at least one ``data`` line was seen, and resets
  the event type. The last event id persists across events, as the specification says.

Our one deliberate difference: at end of input :meth:`SSEDecoder.flush` processes a final
unterminated line and dispatches a pending event instead of discarding it, so a stream whose
server forgot the final blank line loses nothing.

An event without an ``event:`` field (or with an empty one) has ``StreamEvent.event = None``
(the specification calls that type "message").
"""

from __future__ import annotations

from typing import Iterable, Iterator, List, Optional

from .exceptions import APIConnectionError
from .providers.base import StreamEvent

__all__ = ["MAX_LINE_BYTES", "MAX_EVENT_BYTES", "LineSplitter", "SSEDecoder", "iter_sse"]

#: Longest line (in bytes, without its line break) kept while waiting for its end.
MAX_LINE_BYTES = 16 * 1024 * 1024
#: Largest event (all its ``data:`` lines together) kept while waiting for its blank line; the
#: same bound applies to one NDJSON line and one element of a streamed JSON array.
MAX_EVENT_BYTES = 16 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"
_CR = 0x0D
_LF = 0x0A


class LineSplitter:
    """Split a byte stream into lines at CR, LF and CRLF, across arbitrary feed boundaries.

    :meth:`feed` returns the complete lines (as bytes, without their line breaks) found so far;
    :meth:`flush` returns the last unterminated line, if any. A leading UTF-8 BOM is removed
    from the first line. A partial line growing beyond ``max_line_bytes`` raises
    :class:`APIConnectionError`.
    """

    __slots__ = ("_buf", "_skip_lf", "_first", "max_line_bytes", "what")

    def __init__(self, max_line_bytes: int = MAX_LINE_BYTES, what: str = "stream") -> None:
        self._buf = bytearray()
        self._skip_lf = False
        self._first = True
        self.max_line_bytes = max_line_bytes
        self.what = what

    def _too_long(self, size: int) -> APIConnectionError:
        return APIConnectionError(
            "%s line too long: %d bytes without a line break (limit MAX_LINE_BYTES=%d)"
            % (self.what, size, self.max_line_bytes)
        )

    def feed(self, data: bytes) -> List[bytes]:
        if not data:
            return []
        if not isinstance(data, bytes):
            data = bytes(data)
        if self._skip_lf:
            self._skip_lf = False
            if data[0] == _LF:
                data = data[1:]
                if not data:
                    return []
        buf = self._buf
        if data.find(b"\n") < 0 and data.find(b"\r") < 0:
            # No line break: just accumulate (amortised O(n) for a long line in many pieces).
            buf += data
            if len(buf) > self.max_line_bytes:
                raise self._too_long(len(buf))
            return []
        joined = bool(buf)
        if joined:
            buf += data
            data = bytes(buf)
            del buf[:]
        lines = data.splitlines()
        if joined and lines and len(lines[0]) > self.max_line_bytes:  # the kept part plus its end
            raise self._too_long(len(lines[0]))
        last = data[-1]
        if last == _CR:
            self._skip_lf = True
        elif last != _LF:
            tail = lines.pop()
            if len(tail) > self.max_line_bytes:
                raise self._too_long(len(tail))
            buf += tail
        if self._first and lines:
            self._first = False
            if lines[0].startswith(_BOM):
                lines[0] = lines[0][3:]
        return lines

    def flush(self) -> List[bytes]:
        """The final unterminated line (if any); the splitter is then ready for a new stream."""
        buf = self._buf
        tail = bytes(buf)
        del buf[:]
        self._skip_lf = False
        first = self._first
        self._first = True
        if first and tail.startswith(_BOM):
            tail = tail[3:]
        return [tail] if tail else []


class SSEDecoder:
    """Incremental server-sent-events decoder: ``feed(bytes) -> [StreamEvent]``, then ``flush()``.

    ``retry`` holds the last valid ``retry:`` value (milliseconds) and ``last_event_id`` the last
    ``id:`` value; each dispatched event carries the last event id (``None`` when empty).
    """

    __slots__ = ("_lines", "_data", "_size", "_event", "last_event_id", "retry", "max_event_bytes")

    def __init__(self, max_line_bytes: int = MAX_LINE_BYTES, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        self._lines = LineSplitter(max_line_bytes, "SSE")
        self._data: List[bytes] = []
        self._size = 0  # bytes in _data
        self.max_event_bytes = max_event_bytes
        self._event: Optional[str] = None
        self.last_event_id = ""
        self.retry: Optional[int] = None

    def feed(self, data: bytes) -> List[StreamEvent]:
        lines = self._lines.feed(data)
        if not lines:
            return []
        return self._process(lines)

    def flush(self) -> List[StreamEvent]:
        """Process a last unterminated line and dispatch a pending event (end of input)."""
        lines = self._lines.flush()
        events = self._process(lines) if lines else []
        if self._data:
            events.append(self._dispatch())
        self._event = None
        return events

    def _dispatch(self) -> StreamEvent:
        data = self._data
        raw = data[0] if len(data) == 1 else b"\n".join(data)
        del data[:]
        self._size = 0
        event = StreamEvent(
            data=raw.decode("utf-8", "replace"),
            event=self._event or None,
            id=self.last_event_id or None,
        )
        self._event = None
        return event

    def _too_big(self) -> APIConnectionError:
        size = self._size
        del self._data[:]
        self._size = 0
        return APIConnectionError(
            "SSE event too large: more than %d bytes of data before its end (limit MAX_EVENT_BYTES=%d)"
            % (size, self.max_event_bytes)
        )

    def _process(self, lines: List[bytes]) -> List[StreamEvent]:
        events: List[StreamEvent] = []
        data = self._data
        limit = self.max_event_bytes
        for line in lines:
            if not line:
                if data:
                    events.append(self._dispatch())
                else:
                    self._event = None
                continue
            if line.startswith(b"data:"):  # the common case first
                value = line[5:]
                if value[:1] == b" ":
                    value = value[1:]
                data.append(value)
                self._size += len(value) + 1
                if self._size > limit:
                    raise self._too_big()
                continue
            if line[0] == 0x3A:  # ':' comment
                continue
            colon = line.find(b":")
            if colon < 0:
                name = line
                value = b""
            else:
                name = line[:colon]
                value = line[colon + 1 :]
                if value[:1] == b" ":
                    value = value[1:]
            if name == b"data":
                data.append(value)
                self._size += len(value) + 1
                if self._size > limit:
                    raise self._too_big()
            elif name == b"event":
                self._event = value.decode("utf-8", "replace")
            elif name == b"id":
                if b"\x00" not in value:
                    self.last_event_id = value.decode("utf-8", "replace")
            elif name == b"retry":
                if value.isdigit():  # ASCII digits only; False for b""
                    self.retry = int(value)
        return events


def iter_sse(chunks: Iterable[bytes], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[StreamEvent]:
    """Decode an iterable of byte chunks into SSE events (flushing at the end)."""
    decoder = SSEDecoder(max_line_bytes)
    for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event
