"""Tests of litellm_lite._sse: line splitting at the byte level and SSE event decoding."""

from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litellm_lite._sse import LineSplitter, SSEDecoder, iter_sse
from litellm_lite.exceptions import APIConnectionError
from litellm_lite.providers.base import StreamEvent

Triple = Tuple[str, Optional[str], Optional[str]]


def simple(events: Sequence[StreamEvent]) -> List[Triple]:
    return [(e.data, e.event, e.id) for e in events]


def decode_all(body: bytes, flush: bool = True) -> List[StreamEvent]:
    decoder = SSEDecoder()
    events = decoder.feed(body)
    if flush:
        events += decoder.flush()
    return events


def decode_pieces(pieces: Sequence[bytes]) -> List[StreamEvent]:
    decoder = SSEDecoder()
    events: List[StreamEvent] = []
    for piece in pieces:
        events += decoder.feed(piece)
    return events + decoder.flush()


def split_at(body: bytes, cuts: Sequence[int]) -> List[bytes]:
    points = sorted(set(c for c in cuts if 0 <= c <= len(body)))
    pieces = []
    last = 0
    for p in points:
        pieces.append(body[last:p])
        last = p
    pieces.append(body[last:])
    return pieces


def bytewise(body: bytes) -> List[bytes]:
    return [body[i : i + 1] for i in range(len(body))]


# --------------------------------------------------------------------------------------------
# The WHATWG specification's examples


def test_spec_stock_ticker_multiline_data() -> None:
    body = b"data: YHOO\ndata: +2\ndata: 10\n\n"
    assert simple(decode_all(body)) == [("YHOO\n+2\n10", None, None)]


def test_spec_comment_ids_and_spaces() -> None:
    body = (
        b": test stream\n"
        b"\n"
        b"data: first event\n"
        b"id: 1\n"
        b"\n"
        b"data:second event\n"
        b"id\n"
        b"\n"
        b"data:  third event\n"
    )
    decoder = SSEDecoder()
    events = decoder.feed(body)
    # Per the specification the third block is not dispatched (no blank line after it) ...
    assert simple(events) == [("first event", None, "1"), ("second event", None, None)]
    # ... our flush() at EOF keeps it; only the first space after the colon is stripped.
    assert simple(decoder.flush()) == [(" third event", None, None)]


def test_spec_empty_data_lines() -> None:
    body = b"data\n\ndata\ndata\n\ndata:"
    decoder = SSEDecoder()
    assert [e.data for e in decoder.feed(body)] == ["", "\n"]
    assert [e.data for e in decoder.flush()] == [""]


def test_spec_data_with_and_without_space_are_equal() -> None:
    body = b"data:test\n\ndata: test\n\n"
    assert [e.data for e in decode_all(body)] == ["test", "test"]


def test_spec_event_types() -> None:
    body = b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n"
    assert simple(decode_all(body)) == [
        ("73857293", "add", None),
        ("2153", "remove", None),
        ("113411", "add", None),
    ]


def test_blink_event_stream_fixture() -> None:
    # The classic browser conformance stream (field names with a trailing space, unknown
    # fields, CRLF and CR endings, id persistence, retry).
    body = (
        b": a comment (ignored)\n"
        b"this line will be ignored since there is no field and the line itself is not a field\n"
        b"field: an unknown field that will be ignored\n"
        b":another commment\n"
        b"\n"
        b"data : this line will be ignored since there is a space after data\n"
        b"\n"
        b"data\n"
        b"data:\n"
        b"data\n"
        b": dispatch event with two newlines\n"
        b"\n"
        b"data: simple\n"
        b"\n"
        b"data: spanning\n"
        b"data:multiple\n"
        b"data\n"
        b"data: lines\n"
        b"data\n"
        b"\n"
        b"id: 1\n"
        b"data: id is 1\n"
        b"\n"
        b"data: id is still 1\n"
        b"\n"
        b"id\n"
        b"data: no id\n"
        b"\n"
        b"event: open\n"
        b'data: a message event with the name "open"\n'
        b"\n"
        b"da"
        b'ta: a message event with the name "message"\n'
        b"\n"
        b"data: a line ending with crlf\r\n"
        b"data: a line with a : (colon)\n"
        b"data: a line ending with cr\r"
        b"\n"
        b"retry: 10000\n"
        b": reconnection time set to 10 seconds\n"
        b"\n"
        b"retry: one thousand\n"
        b": ignored invalid reconnection time value\n"
        b"\n"
    )
    expected = [
        ("\n\n", None, None),
        ("simple", None, None),
        ("spanning\nmultiple\n\nlines\n", None, None),
        ("id is 1", None, "1"),
        ("id is still 1", None, "1"),
        ("no id", None, None),
        ('a message event with the name "open"', "open", None),
        ('a message event with the name "message"', None, None),
        ("a line ending with crlf\na line with a : (colon)\na line ending with cr", None, None),
    ]
    decoder = SSEDecoder()
    assert simple(decoder.feed(body) + decoder.flush()) == expected
    assert decoder.retry == 10000
    assert simple(decode_pieces(bytewise(body))) == expected


# --------------------------------------------------------------------------------------------
# Fields


def test_field_without_colon_is_name_with_empty_value() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"event\ndata\n\n")
    assert simple(events) == [("", None, None)]


def test_only_one_leading_space_is_stripped() -> None:
    assert decode_all(b"data:   x  \n\n")[0].data == "  x  "
    assert decode_all(b"event:  spaced\ndata: x\n\n")[0].event == " spaced"


def test_value_may_contain_colons() -> None:
    assert decode_all(b'data: {"a": "b:c"}\n\n')[0].data == '{"a": "b:c"}'


def test_event_type_resets_after_dispatch_and_on_empty_block() -> None:
    body = b"event: one\ndata: 1\n\ndata: 2\n\nevent: lost\n\ndata: 3\n\n"
    assert simple(decode_all(body)) == [("1", "one", None), ("2", None, None), ("3", None, None)]


def test_empty_event_field_means_default_type() -> None:
    assert decode_all(b"event:\ndata: x\n\n")[0].event is None


def test_last_event_type_wins() -> None:
    assert decode_all(b"event: a\nevent: b\ndata: x\n\n")[0].event == "b"


def test_id_persists_and_nul_is_ignored() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 7\ndata: a\n\ndata: b\n\nid: x\x00y\ndata: c\n\nid:\ndata: d\n\n")
    assert simple(events) == [("a", None, "7"), ("b", None, "7"), ("c", None, "7"), ("d", None, None)]
    assert decoder.last_event_id == ""


def test_id_without_data_does_not_dispatch_but_is_kept() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 42\n\n") == []
    assert decoder.last_event_id == "42"
    assert decoder.feed(b"data: later\n\n")[0].id == "42"


@pytest.mark.parametrize(
    "line, expected",
    [
        (b"retry: 2500", 2500),
        (b"retry:0", 0),
        (b"retry: 12a", None),
        (b"retry: -5", None),
        (b"retry: 1.5", None),
        (b"retry:", None),
        (b"retry", None),
        (b"retry:  10", None),  # the second space is part of the value: not all digits
        ("retry: \u0661\u0662".encode("utf-8"), None),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_retry(line: bytes, expected: Optional[int]) -> None:
    decoder = SSEDecoder()
    assert decoder.feed(line + b"\n\n") == []
    assert decoder.retry == expected


def test_retry_keeps_last_valid_value() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: 100\n\nretry: nope\n\n")
    assert decoder.retry == 100


def test_unknown_fields_and_comments_ignored() -> None:
    body = b": ping\nfoo: bar\ndata: x\n:\nbar\n\n"
    assert simple(decode_all(body)) == [("x", None, None)]


def test_comment_only_stream_yields_nothing() -> None:
    assert decode_all(b": keep-alive\n\n: keep-alive\n\n") == []


def test_field_names_are_case_sensitive() -> None:
    assert decode_all(b"Data: x\nEVENT: y\n\n") == []


# --------------------------------------------------------------------------------------------
# Line endings


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"])
def test_each_line_ending(eol: bytes) -> None:
    body = eol.join([b"event: e", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert simple(decode_all(body, flush=False)) == [("a\nb", "e", None), ("c", None, None)]


def test_mixed_line_endings() -> None:
    body = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
    assert [e.data for e in decode_all(body, flush=False)] == ["a\nb\nc", "d"]


def test_lf_cr_is_two_line_breaks() -> None:
    # "\n\r" is LF then CR: two line endings, so the event is dispatched.
    assert [e.data for e in decode_all(b"data: x\n\r", flush=False)] == ["x"]


def test_cr_at_end_of_feed_then_lf() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r") == []
    # The LF completes the CRLF: it must not count as a blank line.
    assert decoder.feed(b"\n") == []
    assert [e.data for e in decoder.feed(b"\r")] == ["x"]
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"data: y\r\n\r\n")[0].data == "y"
    assert decoder.flush() == []


def test_cr_at_end_of_feed_then_other_byte() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r") == []
    assert [e.data for e in decoder.feed(b"\rdata: y\r")] == ["x"]
    assert [e.data for e in decoder.feed(b"\r")] == ["y"]


def test_cr_then_empty_feed_then_lf() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: x\r")
    assert decoder.feed(b"") == []
    assert decoder.feed(b"\n") == []
    assert [e.data for e in decoder.feed(b"\n")] == ["x"]


def test_event_dispatched_as_soon_as_blank_line_ends_with_cr() -> None:
    # A CR at the end of a feed already ends the line: no need to wait for the next feed.
    decoder = SSEDecoder()
    assert [e.data for e in decoder.feed(b"data: x\r\n\r")] == ["x"]
    assert decoder.feed(b"\n") == []


def test_unicode_line_separators_are_not_line_breaks() -> None:
    payload = '{"text": "a\u2028b\u2029c\u0085d\x0ce\x0bf\x1cg"}'
    body = ("data: %s\n\n" % payload).encode("utf-8")
    assert [e.data for e in decode_all(body)] == [payload]
    assert [e.data for e in decode_pieces(bytewise(body))] == [payload]


# --------------------------------------------------------------------------------------------
# UTF-8


@pytest.mark.parametrize("char", ["\u00e9", "\u20ac", "\U0001f600"])
def test_multibyte_character_split_at_every_offset(char: str) -> None:
    text = "x%sy%s" % (char, char * 3)
    body = ("event: %s\ndata: %s\n\n" % (char, text)).encode("utf-8")
    for cut in range(len(body) + 1):
        events = decode_pieces([body[:cut], body[cut:]])
        assert simple(events) == [(text, char, None)], cut
    assert simple(decode_pieces(bytewise(body))) == [(text, char, None)]


def test_invalid_utf8_is_replaced() -> None:
    events = decode_all(b"data: a\xffb\xe2\x82\ndata: c\n\n")
    assert events[0].data == "a\ufffdb\ufffd\nc"


def test_bom_is_dropped_on_first_line_only() -> None:
    bom = b"\xef\xbb\xbf"
    assert decode_all(bom + b"data: x\n\n")[0].data == "x"
    # A BOM later in the stream is content (here it makes an unknown field name).
    assert [e.data for e in decode_all(bom + b"data: x\n\n" + bom + b"data: y\n\n")] == ["x"]
    # Only one BOM is dropped.
    assert decode_all(bom + bom + b"data: x\n\n") == []
    # The BOM may be split across feeds.
    for cut in range(1, 4):
        assert [e.data for e in decode_pieces([bom[:cut], bom[cut:] + b"data: z\n\n"])] == ["z"]
    # A BOM before a comment line.
    assert [e.data for e in decode_all(bom + b": hi\ndata: w\n\n")] == ["w"]


def test_bom_inside_data_value_is_kept() -> None:
    assert decode_all(b"data: \xef\xbb\xbfx\n\n")[0].data == "\ufeffx"


# --------------------------------------------------------------------------------------------
# flush and iter_sse


def test_flush_dispatches_unterminated_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: done\ndata: last\n") == []
    assert simple(decoder.flush()) == [("last", "done", None)]


def test_flush_processes_unterminated_last_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: par") == [StreamEvent(data="a")]
    assert [e.data for e in decoder.flush()] == ["par"]


def test_flush_without_pending_data() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\nevent: x\n: comment")
    assert decoder.flush() == []


def test_flush_resets_for_reuse() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"event: e\ndata: a\r")
    assert simple(decoder.flush()) == [("a", "e", None)]
    assert decoder.flush() == []
    # A new stream: its BOM is dropped again and the event type was reset.
    assert simple(decoder.feed(b"\xef\xbb\xbfdata: b\n\n")) == [("b", None, None)]
    # After flush a leading LF is a line break of its own, not the end of a CRLF.
    splitter = LineSplitter()
    assert splitter.feed(b"a\r") == [b"a"]
    assert splitter.flush() == []
    assert splitter.feed(b"\nb\n") == [b"", b"b"]


def test_flush_of_empty_decoder() -> None:
    assert SSEDecoder().flush() == []


def test_iter_sse() -> None:
    chunks = [b"data: 1\n", b"\nevent: x\ndata: 2", b"\n\ndata: [DONE]"]
    assert simple(list(iter_sse(chunks))) == [("1", None, None), ("2", "x", None), ("[DONE]", None, None)]
    assert list(iter_sse([])) == []


def test_iter_sse_is_lazy() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"data: 1\n\n"
        raise RuntimeError("not reached before the first event is consumed")

    it = iter_sse(chunks())
    assert next(it).data == "1"
    with pytest.raises(RuntimeError):
        next(it)


def test_accepts_bytearray_and_memoryview() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(bytearray(b"data: a\n\n"))[0].data == "a"  # type: ignore[arg-type]
    assert decoder.feed(memoryview(b"data: b\n\n"))[0].data == "b"  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Long-line guard


def test_long_line_in_one_feed_raises() -> None:
    decoder = SSEDecoder(max_line_bytes=64)
    with pytest.raises(APIConnectionError, match="SSE line too long"):
        decoder.feed(b"data: " + b"x" * 100)


def test_long_line_in_many_feeds_raises() -> None:
    decoder = SSEDecoder(max_line_bytes=64)
    decoder.feed(b"data: ")
    with pytest.raises(APIConnectionError, match="line too long"):
        for _ in range(20):
            decoder.feed(b"xxxxx")


def test_long_tail_after_complete_lines_raises() -> None:
    decoder = SSEDecoder(max_line_bytes=64)
    with pytest.raises(APIConnectionError):
        decoder.feed(b"data: ok\n\n" + b"y" * 65)


def test_line_at_limit_is_fine() -> None:
    decoder = SSEDecoder(max_line_bytes=64)
    line = b"data: " + b"z" * 58
    assert len(line) == 64
    assert decoder.feed(line) == []
    assert decoder.feed(b"\n\n")[0].data == "z" * 58
    # Complete lines longer than the limit arriving whole are not buffered, so not refused.
    assert decoder.feed(b"data: " + b"w" * 200 + b"\n\n")[0].data == "w" * 200


def test_default_limit_is_16_mib() -> None:
    assert LineSplitter().max_line_bytes == 16 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# LineSplitter directly


def test_line_splitter() -> None:
    s = LineSplitter()
    assert s.feed(b"a\rb\nc\r") == [b"a", b"b", b"c"]
    assert s.feed(b"\nd") == []
    assert s.feed(b"\r\n\r\ne") == [b"d", b""]
    assert s.flush() == [b"e"]
    assert s.flush() == []


# --------------------------------------------------------------------------------------------
# Properties

_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), min_size=1, max_size=12
)
_data_line = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
        st.sampled_from(["\u2028", "\u2029", "\u0085", "\ufeff", "\u00e9", "\u20ac", "\U0001f600", ":", " "]),
    ),
    max_size=30,
)
_event = st.tuples(
    st.one_of(st.none(), _names),
    st.lists(_data_line, min_size=1, max_size=4),
    st.one_of(st.none(), st.text(alphabet="0123456789abc", min_size=1, max_size=5)),
)
_eols = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def _streams(draw: st.DrawFn) -> Tuple[bytes, List[Triple]]:
    events = draw(st.lists(_event, max_size=8))
    parts: List[str] = []
    expected: List[Triple] = []
    last_id: Optional[str] = None

    def eol() -> str:
        return draw(_eols)

    if draw(st.booleans()):
        parts.append("\ufeff")
    for name, lines, ident in events:
        if draw(st.booleans()):
            parts.append(":" + draw(_data_line) + eol())
        if name is not None:
            parts.append("event: " + name + eol())
        if ident is not None:
            parts.append("id:" + ident + eol())
            last_id = ident
        for line in lines:
            # "data:" plus an optional space: the value keeps a leading space only when the
            # separator space is present.
            sep = " " if (line.startswith(" ") or draw(st.booleans())) else ""
            parts.append("data:" + sep + line + eol())
        # The blank line: after a CR, a lone LF would merge into a CRLF, so use CR or CRLF.
        parts.append(draw(st.sampled_from(["\r", "\r\n"])) if parts[-1].endswith("\r") else eol())
        expected.append(("\n".join(lines), name, last_id))
    return "".join(parts).encode("utf-8"), expected


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(stream=_streams(), cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12))
def test_property_any_split_gives_same_events(stream: Tuple[bytes, List[Triple]], cuts: List[int]) -> None:
    body, expected = stream
    whole = simple(decode_all(body))
    assert whole == expected
    pieces = split_at(body, [c % (len(body) + 1) for c in cuts])
    assert b"".join(pieces) == body
    assert simple(decode_pieces(pieces)) == expected


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(stream=_streams())
def test_property_bytewise_feeding(stream: Tuple[bytes, List[Triple]]) -> None:
    body, expected = stream
    assert simple(decode_pieces(bytewise(body))) == expected


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=300), cuts=st.lists(st.integers(min_value=0, max_value=300), max_size=8))
def test_property_arbitrary_bytes_split_invariance(body: bytes, cuts: List[int]) -> None:
    # Whatever the bytes (invalid UTF-8, lone CRs, NULs), splitting never changes the result
    # and never raises anything.
    decoder = SSEDecoder()
    whole = simple(decoder.feed(body) + decoder.flush())
    whole_retry = decoder.retry
    decoder = SSEDecoder()
    events: List[StreamEvent] = []
    for piece in split_at(body, cuts):
        events += decoder.feed(piece)
    events += decoder.flush()
    assert simple(events) == whole
    assert decoder.retry == whole_retry


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=200), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_property_line_splitter_matches_reference(body: bytes, cuts: List[int]) -> None:
    splitter = LineSplitter()
    lines: List[bytes] = []
    for piece in split_at(body, cuts):
        lines += splitter.feed(piece)
    lines += splitter.flush()
    reference = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    # bytes.splitlines() breaks at CR, LF and CRLF only: our reference.
    assert lines == reference.splitlines()
