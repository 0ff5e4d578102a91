"""Stream framings other than SSE: newline-delimited JSON and a streamed JSON array.

* :class:`NDJSONDecoder` (Ollama): every non-blank line is one event whose ``data`` is the line.
  Lines end at CR, LF or CRLF found in the raw bytes (see :mod:`._sse`).
* :class:`JSONArrayDecoder` (Gemini ``streamGenerateContent`` without ``alt=sse``): the body is
  one JSON array ``[{...},\\r\\n{...}]`` arriving in arbitrary pieces. Each top-level element is
  emitted as soon as its last byte arrives. The scanner keeps its string/escape state and
  nesting depth between feeds and jumps between interesting bytes with compiled regular
  expressions, so every byte is looked at once. Bytes are scanned, not text: the structural
  characters are ASCII and never occur inside a multi-byte UTF-8 sequence, and an element is
  decoded only when complete.

Both raise :class:`APIConnectionError` for garbage or a truncated stream, never ``ValueError``.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from ._sse import MAX_EVENT_BYTES, LineSplitter
from .exceptions import APIConnectionError
from .providers.base import StreamEvent

__all__ = ["NDJSONDecoder", "JSONArrayDecoder"]


class NDJSONDecoder:
    """``feed(bytes) -> [StreamEvent]``: one event per non-blank line; ``flush()`` at EOF."""

    __slots__ = ("_lines",)

    def __init__(self, max_line_bytes: int = MAX_EVENT_BYTES) -> None:
        self._lines = LineSplitter(max_line_bytes, "NDJSON")

    @staticmethod
    def _events(lines: List[bytes]) -> List[StreamEvent]:
        return [StreamEvent(data=line.decode("utf-8", "replace")) for line in lines if line.strip()]

    def feed(self, data: bytes) -> List[StreamEvent]:
        lines = self._lines.feed(data)
        return self._events(lines) if lines else []

    def flush(self) -> List[StreamEvent]:
        """The last line even without a trailing newline."""
        return self._events(self._lines.flush())


# Scanner stages.
_BEFORE = 0  # nothing but whitespace (and a BOM) seen: expecting "["
_FIRST = 1  # after "[": expecting a value or "]"
_VALUE = 2  # after ",": expecting a value
_AFTER = 3  # after a value: expecting "," or "]"
_INSIDE = 4  # inside an element
_DONE = 5  # after the closing "]": only whitespace may follow

_NON_WS = re.compile(rb"[^ \t\r\n]")
# Inside an element: skip everything up to the next bracket or the opening quote of a string
# that is not complete yet; complete strings (escapes included) are skipped whole. Written in
# the "unrolled loop" form, so a failing match never backtracks more than linearly.
_ELEMENT_SKIP = re.compile(rb'[^"{}\[\]]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"{}\[\]]*)*', re.DOTALL)
# Inside a string: skip to its closing quote (or to a backslash that is the last byte so far).
_STRING_SKIP = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_SCALAR_END = re.compile(rb"[^A-Za-z0-9+\-.]")
_SCALAR_START = frozenset(b"-0123456789tfn")
_BOM = b"\xef\xbb\xbf"


class JSONArrayDecoder:
    """Emit one :class:`StreamEvent` per top-level element of a streamed JSON array.

    ``data`` is the element's JSON text, exactly as received. The elements themselves are only
    delimited here (strings, escapes and nesting tracked), not validated: the adapter parses
    them. The structure around them is checked strictly (``[``, values separated by single
    commas, ``]``, whitespace), and anything else raises :class:`APIConnectionError`.
    """

    __slots__ = (
        "_buf",
        "_pos",
        "_stage",
        "_start",
        "_depth",
        "_in_string",
        "_scalar",
        "_fresh",
        "max_element_bytes",
    )

    def __init__(self, max_element_bytes: int = MAX_EVENT_BYTES) -> None:
        self.max_element_bytes = max_element_bytes
        self._reset()

    def _reset(self) -> None:
        self._buf = bytearray()
        self._pos = 0  # scan position in _buf
        self._stage = _BEFORE
        self._start = 0  # offset in _buf of the current element's first byte
        self._depth = 0
        self._in_string = False
        self._scalar = False
        self._fresh = True  # nothing consumed yet

    def _garbage(self, at: int, expected: str) -> APIConnectionError:
        snippet = bytes(self._buf[at : at + 40]).decode("utf-8", "replace")
        return APIConnectionError(
            "malformed JSON array stream: expected %s, got %r" % (expected, snippet)
        )

    def _emit(self, end: int, events: List[StreamEvent]) -> None:
        text = bytes(self._buf[self._start : end]).decode("utf-8", "replace")
        events.append(StreamEvent(data=text))
        self._stage = _AFTER

    def _inside(self, buf: bytearray, pos: int, n: int, events: List[StreamEvent]) -> Tuple[int, bool]:
        """Scan the current element from ``pos`` to its end: (new position, False when more bytes
        are needed)."""
        while True:
            if self._in_string:
                p = _STRING_SKIP.match(buf, pos).end()  # type: ignore[union-attr]
                if p >= n or buf[p] == 0x5C:  # string (or its escape pair) not complete yet
                    return p, False
                self._in_string = False  # buf[p] is the closing quote
                pos = p + 1
                if self._depth == 0:  # a top-level string element
                    self._emit(pos, events)
                    return pos, True
                continue
            if self._scalar:
                m = _SCALAR_END.search(buf, pos)
                if m is None:
                    return n, False
                self._scalar = False
                self._emit(m.start(), events)
                return m.start(), True
            p = _ELEMENT_SKIP.match(buf, pos).end()  # type: ignore[union-attr]
            if p >= n:
                return n, False
            c = buf[p]
            pos = p + 1
            if c == 0x22:  # the opening quote of a string not complete yet
                self._in_string = True
            elif c == 0x7B or c == 0x5B:  # '{' '['
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth == 0:
                    self._emit(pos, events)
                    return pos, True

    def _outside(self, p: int) -> None:
        """Handle the non-blank byte at ``p`` between elements."""
        stage = self._stage
        c = self._buf[p]
        if stage == _FIRST or stage == _VALUE:
            if c == 0x5D and stage == _FIRST:  # ']' : empty array
                self._stage = _DONE
                return
            self._start_element(p, c, stage)
        elif stage == _AFTER:
            if c == 0x2C:  # ','
                self._stage = _VALUE
            elif c == 0x5D:
                self._stage = _DONE
            else:
                raise self._garbage(p, "',' or ']'")
        elif stage == _BEFORE:
            if c == 0x5B:
                self._stage = _FIRST
            else:
                raise self._garbage(p, "'['")
        else:  # _DONE
            raise self._garbage(p, "nothing after the closing ']'")

    def _start_element(self, p: int, c: int, stage: int) -> None:
        self._start = p
        self._stage = _INSIDE
        if c == 0x7B or c == 0x5B:
            self._depth = 1
        elif c == 0x22:
            self._depth = 0
            self._in_string = True
        elif c in _SCALAR_START:
            self._depth = 0
            self._scalar = True
        else:
            self._stage = stage
            raise self._garbage(p, "a JSON value")

    def feed(self, data: bytes) -> List[StreamEvent]:
        events: List[StreamEvent] = []
        if not data:
            return events
        buf = self._buf
        buf += data
        n = len(buf)
        pos = self._pos
        if self._fresh:  # one UTF-8 BOM may open the body
            if n < 3 and _BOM.startswith(bytes(buf)):
                return events  # wait for the rest of what may be a BOM
            self._fresh = False
            if buf.startswith(_BOM):
                pos = 3
        while pos < n:
            if self._stage == _INSIDE:
                pos, complete = self._inside(buf, pos, n, events)
                if not complete:
                    break
                continue
            m = _NON_WS.search(buf, pos)
            if m is None:
                pos = n
                break
            pos = m.start() + 1
            self._outside(m.start())
        # Drop what is consumed; keep the current element's bytes.
        keep = self._start if self._stage == _INSIDE else pos
        if keep:
            del buf[:keep]
            pos -= keep
            self._start -= keep
        self._pos = pos
        if self._stage == _INSIDE and len(buf) > self.max_element_bytes:
            raise APIConnectionError(
                "JSON array element too long: more than %d bytes (limit MAX_EVENT_BYTES=%d)"
                % (self.max_element_bytes, self.max_element_bytes)
            )
        return events

    def flush(self) -> List[StreamEvent]:
        """Check the array was closed; raise :class:`APIConnectionError` if it was cut short."""
        stage = self._stage
        complete = stage == _DONE
        self._reset()
        if not complete:
            if stage == _INSIDE:
                what = "inside an element"
            elif stage == _BEFORE:
                what = "before the JSON array began"
            else:
                what = "before the JSON array was closed"
            raise APIConnectionError("stream ended %s" % what)
        return []
