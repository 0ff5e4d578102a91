"""A stream is decoded by what the server sent: its content type and first byte pick the decoder.

Servers do not always answer a stream request in the form it asked for: Gemini without
``alt=sse`` (and some proxies in front of it) send one JSON array (``application/json``), an
OpenAI-compatible server may send a whole JSON body, and a JSON-array request may be answered
with Server-Sent Events. :func:`sniff_stream` looks at the response before the first chunk is
decoded and names the decoder to use; the adapter's ``parse_event`` is the same for every framing.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

__all__ = ["PeekedResponse", "sniff_stream", "WHOLE_BODY"]

#: :func:`sniff_stream`'s answer for a single JSON document (an error, or a whole response).
WHOLE_BODY = "whole"

# The framings a JSON-speaking format can arrive in; NDJSON and AWS event streams are never swapped.
_SWAPPABLE = frozenset({"sse", "json_array"})
_WHITESPACE = b" \t\r\n"
_PEEK_LIMIT = 65536


class PeekedResponse:
    """An HTTP response with some body bytes already read in front of the rest.

    Offers what the stream wrapper and the road use: ``headers``, ``read1``, ``read``, ``close``
    and ``drain_buffered``.
    """

    def __init__(self, response: Any, head: bytes) -> None:
        self._response = response
        self._head = head
        self.headers: Dict[str, str] = response.headers
        self.status: int = getattr(response, "status", 200)

    def read1(self, n: int = 65536) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        data: bytes = self._response.read1(n)
        return data

    def read(self) -> bytes:
        head, self._head = self._head, b""
        rest: bytes = self._response.read()
        return head + rest

    def drain_buffered(self, *args: Any) -> bool:
        drain = getattr(self._response, "drain_buffered", None)
        return bool(drain(*args)) if callable(drain) else False

    def close(self) -> None:
        self._response.close()

    @property
    def closed(self) -> bool:
        return bool(getattr(self._response, "closed", False))


def _first_byte(response: Any) -> Tuple[bytes, bytes]:
    """(bytes read so far, the first non-whitespace byte or b"" at the end of the body)."""
    head = b""
    while len(head) < _PEEK_LIMIT:
        data = response.read1(65536)
        if not data:
            break
        head += data
        stripped = head.lstrip(_WHITESPACE)
        if stripped:
            return head, stripped[:1]
    return head, b""


def sniff_stream(response: Any, declared: str) -> Tuple[Any, Optional[str]]:
    """(the response to read, the stream format to decode it with) for a stream request.

    The format is None when the adapter's own (``declared``) framing applies, :data:`WHOLE_BODY`
    for one JSON document answering an SSE request (decoded as a whole response or an error), or
    the name of another decoder (``"sse"``, ``"json_array"``) when the content type says so.
    """
    if declared not in _SWAPPABLE:
        return response, None
    content_type = str(response.headers.get("content-type", "")).lower()
    if content_type.startswith("text/event-stream"):
        return response, None if declared == "sse" else "sse"
    if not content_type.startswith("application/json"):
        return response, None
    head, first = _first_byte(response)
    peeked = PeekedResponse(response, head) if head else response
    if first == b"[":
        return peeked, None if declared == "json_array" else "json_array"
    return peeked, WHOLE_BODY if declared == "sse" else None
