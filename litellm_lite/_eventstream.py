"""Decoder for AWS's binary event-stream framing (``application/vnd.amazon.eventstream``).

One message on the wire (all integers big-endian)::

    total length   uint32   whole message, these 4 bytes and the final CRC included
    headers length uint32
    prelude CRC    uint32   CRC32 of the 8 bytes above
    headers        headers-length bytes: name length (uint8), name (UTF-8), type (uint8), value
    payload        total - headers - 16 bytes
    message CRC    uint32   CRC32 of everything before it

Header value types: 0 true, 1 false (no value bytes), 2 byte (int8), 3 short (int16), 4 integer
(int32), 5 long (int64), 6 byte array (uint16 length + bytes), 7 string (uint16 length + UTF-8),
8 timestamp (int64 milliseconds since the epoch), 9 UUID (16 bytes).

The prelude CRC is checked as soon as 12 bytes are there, before its length is trusted; the
message CRC before anything in the message is used. Every inconsistency (bad CRC, impossible
length, unknown header type, header running past its block, payload that is not UTF-8, a partial
message at end of input) raises :class:`APIConnectionError`: a damaged stream never yields text.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

from .exceptions import APIConnectionError
from .providers.base import StreamEvent

__all__ = ["EventStreamDecoder", "MAX_MESSAGE_BYTES", "decode_headers"]

#: Largest message accepted (AWS's own limit is 16 MiB per message).
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

_PRELUDE = 12
_MIN_MESSAGE = 16
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_FIXED = {2: (1, ">b"), 3: (2, ">h"), 4: (4, ">i"), 5: (8, ">q")}


def _broken(why: str) -> APIConnectionError:
    return APIConnectionError("corrupted AWS event stream: " + why, "bedrock")


def decode_headers(block: bytes) -> Dict[str, Any]:
    """Decode an event-stream header block into ``{name: value}``."""
    headers: Dict[str, Any] = {}
    pos = 0
    end = len(block)
    while pos < end:
        name_len = block[pos]
        pos += 1
        if name_len == 0 or pos + name_len + 1 > end:
            raise _broken("header name runs past the header block")
        try:
            name = block[pos : pos + name_len].decode("utf-8")
        except UnicodeDecodeError:
            raise _broken("header name is not UTF-8") from None
        pos += name_len
        kind = block[pos]
        pos += 1
        value: Any
        if kind == 0:
            value = True
        elif kind == 1:
            value = False
        elif kind in _FIXED:
            size, fmt = _FIXED[kind]
            if pos + size > end:
                raise _broken("header %r value runs past the header block" % name)
            value = struct.unpack(fmt, block[pos : pos + size])[0]
            pos += size
        elif kind in (6, 7):
            if pos + 2 > end:
                raise _broken("header %r length runs past the header block" % name)
            size = struct.unpack(">H", block[pos : pos + 2])[0]
            pos += 2
            if pos + size > end:
                raise _broken("header %r value runs past the header block" % name)
            raw = bytes(block[pos : pos + size])
            pos += size
            if kind == 6:
                value = raw
            else:
                try:
                    value = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise _broken("header %r is not UTF-8" % name) from None
        elif kind == 8:
            if pos + 8 > end:
                raise _broken("header %r value runs past the header block" % name)
            millis = struct.unpack(">q", block[pos : pos + 8])[0]
            pos += 8
            try:
                value = _EPOCH + timedelta(milliseconds=millis)
            except OverflowError:
                raise _broken("header %r timestamp out of range" % name) from None
        elif kind == 9:
            if pos + 16 > end:
                raise _broken("header %r value runs past the header block" % name)
            value = uuid.UUID(bytes=bytes(block[pos : pos + 16]))
            pos += 16
        else:
            raise _broken("unknown header value type %d" % kind)
        headers[name] = value
    return headers


class EventStreamDecoder:
    """Incremental decoder: ``feed(bytes) -> [StreamEvent]`` as messages complete, then ``flush()``.

    Each event has ``headers`` (all decoded headers, ``:message-type`` included), ``event`` (the
    ``:event-type`` header, or ``:exception-type`` / ``:error-code`` for exception and error
    messages) and ``data`` (the payload as text).
    """

    __slots__ = ("_buf", "_pos", "_checked", "max_message_bytes")
    #: How payload bytes become ``data`` text: "strict" (not UTF-8 -> error) or "surrogateescape".
    text_errors = "strict"

    def __init__(self, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self._buf = bytearray()
        self._pos = 0  # start of the first unconsumed message in _buf
        self._checked = False  # prelude of the message at _pos already verified
        self.max_message_bytes = max_message_bytes

    def feed(self, data: bytes) -> List[StreamEvent]:
        if data:
            self._buf += data
        events: List[StreamEvent] = []
        buf = self._buf
        while True:
            available = len(buf) - self._pos
            if available < _PRELUDE:
                break
            start = self._pos
            total, header_len, prelude_crc = struct.unpack_from(">III", buf, start)
            if not self._checked:
                if zlib.crc32(bytes(buf[start : start + 8])) & 0xFFFFFFFF != prelude_crc:
                    raise _broken("prelude CRC mismatch")
                if total < _MIN_MESSAGE or total > self.max_message_bytes:
                    raise _broken("impossible message length %d" % total)
                if header_len > total - _MIN_MESSAGE:
                    raise _broken("headers length %d does not fit message length %d" % (header_len, total))
                self._checked = True
            if available < total:
                break
            message = bytes(buf[start : start + total])
            self._pos = start + total
            self._checked = False
            events.append(self._decode(message, header_len))
        if self._pos:
            del buf[: self._pos]
            self._pos = 0
        return events

    def flush(self) -> List[StreamEvent]:
        """End of input: raise if a partial message is left over."""
        left = len(self._buf) - self._pos
        if left:
            raise _broken("stream ended inside a message (%d bytes left over)" % left)
        return []

    def _decode(self, message: bytes, header_len: int) -> StreamEvent:
        body_end = len(message) - 4
        (message_crc,) = struct.unpack_from(">I", message, body_end)
        if zlib.crc32(message[:body_end]) & 0xFFFFFFFF != message_crc:
            raise _broken("message CRC mismatch")
        headers = decode_headers(message[_PRELUDE : _PRELUDE + header_len])
        try:
            data = message[_PRELUDE + header_len : body_end].decode("utf-8", self.text_errors)
        except UnicodeDecodeError:
            raise _broken("payload is not UTF-8") from None
        kind = headers.get(":message-type")
        if kind == "exception":
            name = headers.get(":exception-type")
        elif kind == "error":
            name = headers.get(":error-code")
        else:
            name = headers.get(":event-type")
        return StreamEvent(data=data, event=str(name) if name is not None else None, headers=headers)

