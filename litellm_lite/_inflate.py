"""Bounded gzip / deflate decoding of response bodies.

:class:`Inflater` never produces more than :data:`CHUNK` bytes per call: input it could not
inflate yet stays pending (``pending``) until the caller asks again, so a small compressed body
cannot balloon in one step. It also refuses a body that inflates more than
:data:`MAX_INFLATION_RATIO` times its compressed size once past :data:`RATIO_FREE_BYTES` of
output: JSON compresses 5 to 20 times; a gzip bomb (1 GiB of zeros in 1 MiB) about a thousand.
"""

from __future__ import annotations

import zlib

__all__ = ["Inflater", "LimitExceeded", "CHUNK", "MAX_INFLATION_RATIO", "RATIO_FREE_BYTES"]

#: Largest piece of output per call.
CHUNK = 256 * 1024
#: Output/input ratio beyond which a compressed body is refused (past RATIO_FREE_BYTES).
MAX_INFLATION_RATIO = 200
#: Output below this size is never refused for its ratio.
RATIO_FREE_BYTES = 8 * 1024 * 1024


class LimitExceeded(Exception):
    """A response exceeded one of the transport's size limits (the message names the limit)."""


class Inflater:
    """Incremental gzip (concatenated members too) or deflate (zlib-wrapped or raw) decoder."""

    __slots__ = ("_gzip", "_obj", "_started", "_tail", "bytes_in", "bytes_out")

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding != "deflate"
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)
        self._started = False
        self._tail = b""
        self.bytes_in = 0
        self.bytes_out = 0

    @property
    def pending(self) -> bool:
        """Input is waiting to be inflated: call ``feed(b"")`` before reading more."""
        return bool(self._tail)

    def feed(self, data: bytes) -> bytes:
        """Inflate ``data`` after whatever is pending; at most CHUNK bytes come out."""
        if self._tail:
            data = self._tail + data if data else self._tail
            self._tail = b""
        if not data:
            return b""
        if not self._started:
            self._started = True
            if not self._gzip:
                try:
                    return self._account(self._inflate(data))
                except zlib.error:  # deflate without the zlib wrapper, as some servers send
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._account(self._inflate(data))

    def _inflate(self, data: bytes) -> bytes:
        obj = self._obj
        out = obj.decompress(data, CHUNK)
        self._tail = obj.unconsumed_tail
        rest = obj.unused_data if obj.eof else b""
        # the ratio counts the compressed bytes actually consumed, not those merely received
        self.bytes_in += len(data) - len(self._tail) - len(rest)
        if self._gzip and rest:  # another gzip member follows
            self._tail = rest + self._tail
            self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        return out

    def _account(self, out: bytes) -> bytes:
        self.bytes_out += len(out)
        if self.bytes_out > RATIO_FREE_BYTES and self.bytes_out > MAX_INFLATION_RATIO * max(1, self.bytes_in):
            raise LimitExceeded(
                "compressed response body inflates more than %d times its size (MAX_INFLATION_RATIO): "
                "refused as a decompression bomb" % MAX_INFLATION_RATIO
            )
        return out

    def flush(self) -> bytes:
        """End of input: the last bytes; zlib.error if the compressed body was cut short."""
        out = b""
        while self._tail:
            out += self.feed(b"")
        out += self._obj.flush()
        if self._started and not self._obj.eof:
            raise zlib.error("compressed body ends before its end marker")
        return self._account(out)
