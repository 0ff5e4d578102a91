"""The AWS event-stream decoder: framing, header types, CRCs, splits, corruption, limits."""

from __future__ import annotations

import base64
import json
import struct
import uuid
import zlib
from datetime import datetime, timezone
from typing import Any, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litellm_lite._eventstream import EventStreamDecoder, decode_headers
from litellm_lite.exceptions import APIConnectionError
from litellm_lite.providers.base import StreamEvent
from tests.conftest import CASSETTES

# ----------------------------------------------------------------------------------------------
# A small encoder, written for the tests from the format description.


def _header(name: str, kind: int, value: Any = None) -> bytes:
    raw = name.encode("utf-8")
    out = bytes([len(raw)]) + raw + bytes([kind])
    if kind in (0, 1):
        return out
    if kind == 2:
        return out + struct.pack(">b", value)
    if kind == 3:
        return out + struct.pack(">h", value)
    if kind == 4:
        return out + struct.pack(">i", value)
    if kind in (5, 8):
        return out + struct.pack(">q", value)
    if kind == 6:
        return out + struct.pack(">H", len(value)) + value
    if kind == 7:
        data = value.encode("utf-8")
        return out + struct.pack(">H", len(data)) + data
    if kind == 9:
        return out + value
    raise AssertionError(kind)


def frame(headers: List[Tuple[str, int, Any]], payload: bytes) -> bytes:
    block = b"".join(_header(*h) for h in headers)
    total = 12 + len(block) + len(payload) + 4
    prelude = struct.pack(">II", total, len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + block + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def event(event_type: str, payload: Any) -> bytes:
    return frame(
        [(":event-type", 7, event_type), (":content-type", 7, "application/json"), (":message-type", 7, "event")],
        json.dumps(payload).encode("utf-8"),
    )


STREAM = b"".join(
    [
        event("messageStart", {"role": "assistant"}),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Héllo \u2028 wörld"}}),
        event("contentBlockStop", {"contentBlockIndex": 0}),
        frame([(":message-type", 7, "event"), (":event-type", 7, "ping")], b""),
        event("messageStop", {"stopReason": "end_turn"}),
        event("metadata", {"usage": {"inputTokens": 3, "outputTokens": 4}}),
    ]
)


def decode_all(pieces: List[bytes]) -> List[StreamEvent]:
    decoder = EventStreamDecoder()
    out: List[StreamEvent] = []
    for piece in pieces:
        out.extend(decoder.feed(piece))
    out.extend(decoder.flush())
    return out


# ----------------------------------------------------------------------------------------------


def test_whole_stream_decodes_in_order() -> None:
    events = decode_all([STREAM])
    assert [e.event for e in events] == [
        "messageStart", "contentBlockDelta", "contentBlockStop", "ping", "messageStop", "metadata"
    ]
    assert json.loads(events[1].data)["delta"]["text"] == "Héllo \u2028 wörld"
    assert events[0].headers == {
        ":event-type": "messageStart", ":content-type": "application/json", ":message-type": "event"
    }
    assert events[3].data == ""


def test_every_header_type() -> None:
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    ts = 1440938160123
    data = frame(
        [
            ("t", 0), ("f", 1), ("b", 2, -5), ("s", 3, -300), ("i", 4, 70000), ("l", 5, -(2 ** 40)),
            ("bytes", 6, b"\x00\xff"), ("str", 7, "ünï"), ("ts", 8, ts), ("id", 9, uid.bytes),
            (":event-type", 7, "x"),
        ],
        b"{}",
    )
    (ev,) = decode_all([data])
    assert ev.headers == {
        "t": True, "f": False, "b": -5, "s": -300, "i": 70000, "l": -(2 ** 40), "bytes": b"\x00\xff",
        "str": "ünï", "ts": datetime(2015, 8, 30, 12, 36, 0, 123000, tzinfo=timezone.utc), "id": uid,
        ":event-type": "x",
    }


def test_exception_and_error_messages_name_their_type() -> None:
    exc = frame(
        [(":exception-type", 7, "throttlingException"), (":content-type", 7, "application/json"),
         (":message-type", 7, "exception")],
        b'{"message":"slow down"}',
    )
    err = frame([(":message-type", 7, "error"), (":error-code", 7, "InternalFailure"), (":error-message", 7, "x")], b"")
    events = decode_all([exc, err])
    assert [e.event for e in events] == ["throttlingException", "InternalFailure"]
    assert events[0].headers is not None and events[0].headers[":message-type"] == "exception"


def test_byte_at_a_time() -> None:
    expected = decode_all([STREAM])
    assert decode_all([STREAM[i : i + 1] for i in range(len(STREAM))]) == expected


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_any_split_gives_the_same_events(cuts: List[int]) -> None:
    points = [0] + sorted(cuts) + [len(STREAM)]
    pieces = [STREAM[a:b] for a, b in zip(points, points[1:])]
    assert decode_all(pieces) == decode_all([STREAM])


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_single_byte_corruption_raises(data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(STREAM) - 1))
    flip = data.draw(st.integers(min_value=1, max_value=255))
    damaged = bytearray(STREAM)
    damaged[position] ^= flip
    with pytest.raises(APIConnectionError):
        decode_all([bytes(damaged)])


def test_every_position_of_one_frame_is_covered_by_a_crc() -> None:
    one = event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "hi"}})
    for position in range(len(one)):
        damaged = bytearray(one)
        damaged[position] ^= 0x01
        with pytest.raises(APIConnectionError):
            decode_all([bytes(damaged)])


@pytest.mark.parametrize("cut", [1, 11, 12, 20, len(STREAM) - 1])
def test_truncated_stream_raises_at_flush(cut: int) -> None:
    decoder = EventStreamDecoder()
    decoder.feed(STREAM[:cut])
    with pytest.raises(APIConnectionError, match="ended inside a message"):
        decoder.flush()


def test_empty_stream_is_fine() -> None:
    assert decode_all([b"", b""]) == []


def _with_prelude(total: int, header_len: int) -> bytes:
    prelude = struct.pack(">II", total, header_len)
    return prelude + struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)


@pytest.mark.parametrize(
    "total, header_len",
    [(15, 0), (0, 0), (16 * 1024 * 1024 + 1, 0), (0xFFFFFFFF, 0), (100, 85)],
)
def test_impossible_lengths_raise_before_buffering(total: int, header_len: int) -> None:
    # A valid prelude CRC over an impossible length: rejected from the 12 prelude bytes alone.
    with pytest.raises(APIConnectionError):
        EventStreamDecoder().feed(_with_prelude(total, header_len))


def test_custom_size_limit() -> None:
    with pytest.raises(APIConnectionError, match="impossible message length"):
        EventStreamDecoder(max_message_bytes=64).feed(STREAM)


def _resealed(headers_block: bytes, payload: bytes) -> bytes:
    total = 12 + len(headers_block) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers_block))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + headers_block + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@pytest.mark.parametrize(
    "block",
    [
        b"\x05ab",  # name runs past the block
        b"\x00",  # empty name
        b"\x01a\x0b",  # unknown type 11
        b"\x01a\x07\x00\x09abc",  # string longer than the block
        b"\x01a\x04\x00\x00",  # int32 cut short
        b"\x01a\x09" + b"\x00" * 15,  # uuid cut short
        b"\x01a\x07\x00\x02\xff\xfe",  # string that is not UTF-8
    ],
)
def test_malformed_headers_with_valid_crcs_raise(block: bytes) -> None:
    with pytest.raises(APIConnectionError):
        decode_all([_resealed(block, b"{}")])
    with pytest.raises(APIConnectionError):
        decode_headers(block)


def test_payload_that_is_not_utf8_raises() -> None:
    with pytest.raises(APIConnectionError, match="UTF-8"):
        decode_all([_resealed(_header(":event-type", 7, "x"), b"\xff\xfe")])


def test_recorded_bedrock_streams_decode_with_valid_crcs() -> None:
    files = sorted(CASSETTES.glob("bedrock__*.json")) if CASSETTES.is_dir() else []
    streams = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    streams = [s for s in streams if "body_base64" in s["response"]]
    if not streams:
        pytest.skip("../shared/cassettes is not present next to this checkout: recorded streams skipped")
    for recording in streams:
        raw = base64.b64decode(recording["response"]["body_base64"])
        whole = decode_all([raw])
        assert whole[0].event == "messageStart"
        assert whole[-1].event == "metadata"
        assert all(e.headers and e.headers[":message-type"] == "event" for e in whole)
        # 7-byte pieces cut through every prelude, header block and CRC.
        assert decode_all([raw[i : i + 7] for i in range(0, len(raw), 7)]) == whole
