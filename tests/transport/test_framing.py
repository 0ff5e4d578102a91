"""Tests of litellm_lite._framing: NDJSON lines and streamed JSON arrays."""

from __future__ import annotations

import json
from typing import Any, List, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litellm_lite._framing import JSONArrayDecoder, NDJSONDecoder
from litellm_lite.exceptions import APIConnectionError
from litellm_lite.providers.base import StreamEvent


def split_at(body: bytes, cuts: Sequence[int]) -> List[bytes]:
    points = sorted(set(c % (len(body) + 1) for c in cuts))
    pieces = []
    last = 0
    for p in points:
        pieces.append(body[last:p])
        last = p
    pieces.append(body[last:])
    return pieces


def bytewise(body: bytes) -> List[bytes]:
    return [body[i : i + 1] for i in range(len(body))]


def ndjson(pieces: Sequence[bytes]) -> List[str]:
    decoder = NDJSONDecoder()
    events: List[StreamEvent] = []
    for piece in pieces:
        events += decoder.feed(piece)
    events += decoder.flush()
    return [e.data for e in events]


def jarray(pieces: Sequence[bytes]) -> List[str]:
    decoder = JSONArrayDecoder()
    events: List[StreamEvent] = []
    for piece in pieces:
        events += decoder.feed(piece)
    events += decoder.flush()
    assert all(e.event is None and e.id is None for e in events)
    return [e.data for e in events]


# --------------------------------------------------------------------------------------------
# NDJSON


def test_ndjson_lines() -> None:
    body = b'{"a": 1}\n{"b": 2}\r\n{"c": 3}\r{"d": 4}\n'
    assert ndjson([body]) == ['{"a": 1}', '{"b": 2}', '{"c": 3}', '{"d": 4}']
    assert ndjson(bytewise(body)) == ['{"a": 1}', '{"b": 2}', '{"c": 3}', '{"d": 4}']


def test_ndjson_blank_lines_skipped() -> None:
    assert ndjson([b"\n\n{}\r\n\r\n  \n\t\n[]\n\n"]) == ["{}", "[]"]


def test_ndjson_flush_emits_final_line_without_newline() -> None:
    decoder = NDJSONDecoder()
    assert [e.data for e in decoder.feed(b'{"x": 1}\n{"done": tr')] == ['{"x": 1}']
    assert decoder.feed(b"ue}") == []
    assert [e.data for e in decoder.flush()] == ['{"done": true}']
    assert decoder.flush() == []


def test_ndjson_event_emitted_before_flush() -> None:
    decoder = NDJSONDecoder()
    assert [e.data for e in decoder.feed(b'{"a": 1}\r')] == ['{"a": 1}']
    assert decoder.feed(b"\n") == []  # the LF ends the CRLF, not another line


def test_ndjson_unicode_separators_and_split_characters() -> None:
    line = '{"t": "\u00e9\u20ac\U0001f600 a\u2028b\u2029c\u0085"}'
    body = (line + "\n").encode("utf-8")
    for cut in range(len(body) + 1):
        assert ndjson([body[:cut], body[cut:]]) == [line], cut
    assert ndjson(bytewise(body)) == [line]


def test_ndjson_bom_dropped() -> None:
    assert ndjson([b"\xef", b"\xbb\xbf{}\n{}"]) == ["{}", "{}"]


def test_ndjson_long_line_guard() -> None:
    decoder = NDJSONDecoder(max_line_bytes=10)
    with pytest.raises(APIConnectionError, match="NDJSON line too long"):
        decoder.feed(b"x" * 11)
    decoder = NDJSONDecoder(max_line_bytes=10)
    assert [e.data for e in decoder.feed(b"y" * 10 + b"\n")] == ["y" * 10]


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(
        alphabet=st.one_of(
            st.characters(blacklist_categories=("Cs",)),
            st.sampled_from(['"', "\\", "\u2028", "\u2029", "\u0085", "\r", "\n", "{", "}", "[", "]", ","]),
        ),
        max_size=12,
    ),
)
_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=6), children, max_size=4),
    ),
    max_leaves=12,
)
_ws = st.text(alphabet=" \t\r\n", max_size=3)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(_json, max_size=6),
    ensure_ascii=st.booleans(),
    eols=st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=7, max_size=7),
    cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=10),
)
def test_ndjson_property(values: List[Any], ensure_ascii: bool, eols: List[bytes], cuts: List[int]) -> None:
    body = b"".join(
        json.dumps(v, ensure_ascii=ensure_ascii).encode("utf-8") + eols[i] for i, v in enumerate(values)
    )
    whole = ndjson([body])
    assert [json.loads(t) for t in whole] == values
    assert ndjson(split_at(body, cuts)) == whole


# --------------------------------------------------------------------------------------------
# JSON array


GEMINI_STYLE = (
    b'[{\n  "candidates": [{"content": {"parts": [{"text": "Hel"}], "role": "model"}}]\n}\n'
    b',\r\n{\n  "candidates": [{"content": {"parts": [{"text": "lo}]\\"{["}]}, "finishReason": "STOP"}],\n'
    b'  "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2}\n}\n]'
)


def test_json_array_gemini_style() -> None:
    elements = jarray([GEMINI_STYLE])
    assert len(elements) == 2
    assert json.loads(elements[0])["candidates"][0]["content"]["parts"][0]["text"] == "Hel"
    second = json.loads(elements[1])
    assert second["candidates"][0]["content"]["parts"][0]["text"] == 'lo}]"{['
    assert second["usageMetadata"]["candidatesTokenCount"] == 2
    assert jarray(bytewise(GEMINI_STYLE)) == elements


def test_json_array_element_emitted_as_soon_as_complete() -> None:
    decoder = JSONArrayDecoder()
    assert decoder.feed(b'[{"a": "x"') == []
    assert [e.data for e in decoder.feed(b'}')] == ['{"a": "x"}']
    assert decoder.feed(b",") == []
    assert [e.data for e in decoder.feed(b'{"b": [1, {"c": 2}]}, {"d"')] == ['{"b": [1, {"c": 2}]}']
    assert [e.data for e in decoder.feed(b": 3}]")] == ['{"d": 3}']
    assert decoder.flush() == []


def test_json_array_empty() -> None:
    assert jarray([b"[]"]) == []
    assert jarray([b" \r\n[ \n ] \r\n"]) == []
    assert jarray(bytewise(b"[\r\n]")) == []


def test_json_array_scalar_and_nested_elements() -> None:
    body = b'[1, -2.5e+3, true, false, null, "s\\"]", [1, [2]], {"k": {"n": []}}, "\\\\"]'
    assert jarray([body]) == ["1", "-2.5e+3", "true", "false", "null", '"s\\"]"', "[1, [2]]", '{"k": {"n": []}}', '"\\\\"']
    assert jarray(bytewise(body)) == jarray([body])


def test_json_array_escape_split_across_feeds() -> None:
    body = b'[{"a": "q\\"}\\\\"}, "\\""]'
    expected = ['{"a": "q\\"}\\\\"}', '"\\""']
    for cut in range(len(body) + 1):
        assert jarray([body[:cut], body[cut:]]) == expected, cut
    assert [json.loads(e) for e in expected] == [{"a": 'q"}\\'}, '"']


@pytest.mark.parametrize("char", ["\u00e9", "\u20ac", "\U0001f600", "\u2028"])
def test_json_array_multibyte_split_at_every_offset(char: str) -> None:
    value = [{"text": char * 3}, char]
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    for cut in range(len(body) + 1):
        assert [json.loads(e) for e in jarray([body[:cut], body[cut:]])] == value, cut


def test_json_array_bom_tolerated() -> None:
    assert jarray([b"\xef\xbb\xbf[1]"]) == ["1"]
    assert jarray([b"\xef", b"\xbb", b"\xbf[2]"]) == ["2"]


def test_json_array_whitespace_after_close() -> None:
    decoder = JSONArrayDecoder()
    assert [e.data for e in decoder.feed(b"[1]")] == ["1"]
    assert decoder.feed(b" \r\n\t") == []
    assert decoder.flush() == []


def test_json_array_scalar_needs_delimiter() -> None:
    decoder = JSONArrayDecoder()
    assert decoder.feed(b"[12") == []  # "12" may continue
    assert [e.data for e in decoder.feed(b"3")] == []
    assert [e.data for e in decoder.feed(b"]")] == ["123"]


@pytest.mark.parametrize(
    "body",
    [
        b"x[1]",
        b"{}",
        b"[1]x",
        b"[1] [2]",
        b"[1 2]",
        b"[{} {}]",
        b"[,1]",
        b"[1,,2]",
        b"[1,]",
        b"[:]",
        b"[{}x]",
        b'["a" "b"]',
        b"[1}",
        b"[1]]",
        b"\xef\xbb[]",
    ],
)
def test_json_array_garbage_raises(body: bytes) -> None:
    with pytest.raises(APIConnectionError):
        jarray([body])
    with pytest.raises(APIConnectionError):
        jarray(bytewise(body))


@pytest.mark.parametrize(
    "body, where",
    [
        (b"", "before the JSON array began"),
        (b"  \n", "before the JSON array began"),
        (b"[", "before the JSON array was closed"),
        (b"[{}", "before the JSON array was closed"),
        (b"[{},", "before the JSON array was closed"),
        (b'[{"a": 1', "inside an element"),
        (b'[{"a": "}', "inside an element"),
        (b'["abc\\', "inside an element"),
        (b"[12", "inside an element"),
        (b"[[1, 2]", "before the JSON array was closed"),
    ],
)
def test_json_array_truncated_raises_on_flush(body: bytes, where: str) -> None:
    decoder = JSONArrayDecoder()
    decoder.feed(body)
    with pytest.raises(APIConnectionError, match=where):
        decoder.flush()


def test_json_array_flush_resets() -> None:
    decoder = JSONArrayDecoder()
    decoder.feed(b"[1")
    with pytest.raises(APIConnectionError):
        decoder.flush()
    assert [e.data for e in decoder.feed(b"[2]")] == ["2"]
    assert decoder.flush() == []


def test_json_array_element_size_guard() -> None:
    decoder = JSONArrayDecoder(max_element_bytes=32)
    decoder.feed(b'[{"a": "')
    with pytest.raises(APIConnectionError, match="too long"):
        decoder.feed(b"x" * 40)
    # Many small elements totalling more than the limit are fine: consumed bytes are dropped.
    decoder = JSONArrayDecoder(max_element_bytes=32)
    events: List[StreamEvent] = []
    for i in range(100):
        events += decoder.feed(b'{"i": %d},' % i if i else b'[{"i": 0},')
    events += decoder.feed(b"{}]")
    decoder.flush()
    assert len(events) == 101


def test_json_array_buffer_does_not_grow_between_elements() -> None:
    decoder = JSONArrayDecoder()
    decoder.feed(b"[")
    for _ in range(200):
        decoder.feed(b'{"k": "v"},\r\n')
    assert len(decoder._buf) < 16  # only unconsumed bytes are kept


@st.composite
def _array_bodies(draw: st.DrawFn) -> Any:
    values = draw(st.lists(_json, max_size=6))
    ensure_ascii = draw(st.booleans())
    out = [draw(_ws), "["]
    for i, value in enumerate(values):
        if i:
            out.append(draw(_ws) + "," + draw(_ws))
        else:
            out.append(draw(_ws))
        indent = draw(st.sampled_from([None, 0, 2]))
        out.append(json.dumps(value, ensure_ascii=ensure_ascii, indent=indent))
    out.append(draw(_ws) + "]" + draw(_ws))
    return values, "".join(out).encode("utf-8")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(case=_array_bodies(), cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=12))
def test_json_array_property(case: Any, cuts: List[int]) -> None:
    values, body = case
    whole = jarray([body])
    assert [json.loads(t) for t in whole] == values
    assert jarray(split_at(body, cuts)) == whole


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(case=_array_bodies())
def test_json_array_property_bytewise(case: Any) -> None:
    values, body = case
    assert [json.loads(t) for t in jarray(bytewise(body))] == values


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=120), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_json_array_arbitrary_bytes_only_raise_our_error(body: bytes, cuts: List[int]) -> None:
    def run(pieces: Sequence[bytes]) -> Any:
        try:
            return jarray(pieces)
        except APIConnectionError:
            return "error"

    assert run(split_at(body, cuts)) == run([body])


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(case=_array_bodies(), cut=st.integers(min_value=0, max_value=5000))
def test_json_array_truncation_always_detected(case: Any, cut: int) -> None:
    _, body = case
    stripped = body.rstrip(b" \t\r\n")
    truncated = stripped[: cut % len(stripped)]  # always drops at least the closing bracket
    with pytest.raises(APIConnectionError):
        jarray([truncated])


def test_json_array_bom_only_at_the_very_start() -> None:
    with pytest.raises(APIConnectionError):
        jarray([b" \xef\xbb\xbf[]"])
    with pytest.raises(APIConnectionError):
        jarray([b" ", b"\xef\xbb\xbf[]"])
