"""ensure_json_safe: every value that strict JSON cannot carry is a BadRequestError naming its path."""

from __future__ import annotations

import collections
import decimal
import enum
import json
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litellm_lite._jsonsafe import MAX_DEPTH, ensure_json_safe
from litellm_lite.exceptions import BadRequestError


class Color(enum.IntEnum):
    RED = 1


def typical_request() -> List[Dict[str, Any]]:
    messages: List[Dict[str, Any]] = [{"role": "system", "content": "You are terse."}]
    for n in range(8):
        messages.append({"role": "user" if n % 2 == 0 else "assistant", "content": "message number %d, caf\u00e9" % n})
    messages.append({"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
    ]})
    return messages


def test_ordinary_values_pass() -> None:
    ensure_json_safe(typical_request(), "messages")
    ensure_json_safe({"a": [1, 2.5, True, None, "x", (1, 2)], "b": {"c": -0.0}}, "params")
    ensure_json_safe(collections.OrderedDict(a=Color.RED), "params")  # subclasses json.dumps accepts
    ensure_json_safe("\U0001F600 emoji and \u2028 separators", "prompt")
    nested: Any = "leaf"
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    ensure_json_safe(nested, "deep")  # at the limit: fine


@pytest.mark.parametrize(
    "value,path,needle",
    [
        ([{"role": "user", "content": float("nan")}], "messages[0].content", "nan"),
        ([{"role": "user", "content": [{"type": "text", "text": "ok"}, {"x": float("inf")}]}],
         "messages[0].content[1].x", "inf"),
        ({"temperature": -float("inf")}, "messages.temperature", "-inf"),
        ([{"content": "fine \ud800 broken"}], "messages[0].content", "lone surrogate (U+D800 at index 5)"),
        ([{"content": b"bytes"}], "messages[0].content", "bytes"),
        ([{"content": {1, 2}}], "messages[0].content", "set"),
        ([{"content": decimal.Decimal("1.5")}], "messages[0].content", "Decimal"),
        ([{"content": object()}], "messages[0].content", "object"),
        ([{1: "int key"}], "messages[0]", "dict key of type int"),
        ([{("a",): "tuple key"}], "messages[0]", "dict key of type tuple"),
        ([{"bad\udc80key": 1}], "messages[0].bad\\udc80key", "a key with a lone surrogate"),
    ],
)
def test_bad_values_name_their_path(value: Any, path: str, needle: str) -> None:
    with pytest.raises(BadRequestError) as info:
        ensure_json_safe(value, "messages", "openai", "gpt-4o")
    message = info.value.message
    assert message.startswith(path + " contains"), message
    assert needle in message
    assert info.value.llm_provider == "openai" and info.value.model == "gpt-4o"


def test_absurd_nesting_and_cycles_are_refused_quickly() -> None:
    nested: Any = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    with pytest.raises(BadRequestError, match="nesting deeper than %d" % MAX_DEPTH) as info:
        ensure_json_safe(nested, "tools")
    assert "..." in info.value.message and len(info.value.message) < 200
    cycle: Dict[str, Any] = {}
    cycle["self"] = cycle
    with pytest.raises(BadRequestError, match="nesting"):
        ensure_json_safe(cycle, "params")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(json_values)
def test_agrees_with_strict_json(value: Any) -> None:
    try:
        json.dumps(value, allow_nan=False).encode("utf-8")
        strict_ok = True
    except (ValueError, UnicodeEncodeError):
        strict_ok = False
    try:
        ensure_json_safe(value, "v")
        ours = True
    except BadRequestError:
        ours = False
    assert ours == strict_ok
