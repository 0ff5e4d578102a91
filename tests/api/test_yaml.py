"""The built-in YAML subset reader against PyYAML as an oracle (LiteLLM reads its config.yaml with PyYAML)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import examples  # noqa: E402

from litellm_lite._yaml import ambiguous, loads  # noqa: E402
from litellm_lite.config_errors import YAMLError  # noqa: E402
from litellm_lite.exceptions import BadRequestError  # noqa: E402

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "litellm_configs").glob("*.yaml"))


def test_samples_present() -> None:
    assert len(SAMPLES) >= 6


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_litellm_sample_configs_read_as_pyyaml_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert loads(text) == yaml.safe_load(text)


def test_underscored_numbers_read_as_pyyaml() -> None:
    assert loads("tpm: 20_000\nx: 1_0.5\n") == {"tpm": 20000, "x": 10.5}


# -- generated documents ------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x85\u2028\u2029"),
    max_size=30,
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | _TEXT
)
_KEYS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x85\u2028\u2029"),
    min_size=1,
    max_size=20,
)
_DATA = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=12,
)


def _has_ambiguous_string(value: Any) -> bool:
    if isinstance(value, str):
        return ambiguous(value)
    if isinstance(value, list):
        return any(_has_ambiguous_string(v) for v in value)
    if isinstance(value, dict):
        return any(_has_ambiguous_string(k) or _has_ambiguous_string(v) for k, v in value.items())
    return False


def _check(document: str) -> None:
    expected = yaml.safe_load(document)
    try:
        got = loads(document)
    except YAMLError as exc:
        # PyYAML writes a string plain when YAML 1.1 reads it as a string; we refuse the few that
        # YAML 1.2 reads otherwise, with a clear error.
        assert "read differently" in str(exc), (document, str(exc))
        assert _has_ambiguous_string(expected), document
        return
    assert got == expected, document


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DATA)
def test_block_style_documents_match_pyyaml(data: Any) -> None:
    _check(yaml.safe_dump(data, default_flow_style=False, width=10**6, allow_unicode=False))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DATA)
def test_unicode_documents_match_pyyaml(data: Any) -> None:
    _check(yaml.safe_dump(data, default_flow_style=False, width=10**6, allow_unicode=True, indent=4))


# Every white-space character str.strip() knows, plus YAML's indicators: the reader must strip only
# space and tab.
_UNICODE_SPACES = [c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\n\r\x85\u2028\u2029"]
_TRICKY = st.text(alphabet=st.sampled_from(_UNICODE_SPACES + list("0123abc.-_:#'\"[]{}~ \t!&*|>?,%@`e+xo")), max_size=8)
_TRICKY_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(_TRICKY.filter(bool), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_TRICKY_DATA, st.booleans(), st.sampled_from([2, 4]))
def test_unicode_white_space_and_indicators_match_pyyaml(data: Any, allow_unicode: bool, indent: int) -> None:
    _check(yaml.safe_dump(data, default_flow_style=False, width=10**6, allow_unicode=allow_unicode, indent=indent))


_MULTILINE = st.text(alphabet="ab \n-#:", min_size=1, max_size=30)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["|", ">"])
@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["k", "key", "x"]), _MULTILINE, min_size=1) | st.lists(_MULTILINE, min_size=1))
def test_block_scalars_match_pyyaml(style: str, data: Any) -> None:
    class Dumper(yaml.SafeDumper):
        pass

    def represent(dumper: Any, value: str) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style if "\n" in value else None)

    Dumper.add_representer(str, represent)
    _check(yaml.dump(data, Dumper=Dumper, default_flow_style=False, width=10**6))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a: |\n  x\n  y\n", {"a": "x\ny\n"}),
        ("a: |-\n  x\n\n", {"a": "x"}),
        ("a: |+\n  x\n\nb: 1\n", {"a": "x\n\n", "b": 1}),
        ("a: >\n  one\n  two\n\n  three\n", {"a": "one two\nthree\n"}),
        ("a: >\n  one\n    indented\n  two\n", {"a": "one\n  indented\ntwo\n"}),
        ("a: |2\n    lead\n", {"a": "  lead\n"}),
        ("- |\n  # not a comment\n- b\n", ["# not a comment\n", "b"]),
        ("a: {b: [1, 'two', \"3\"], c: {}}\n", {"a": {"b": [1, "two", "3"], "c": {}}}),
        ("a: [x: 1]\n", {"a": [{"x": 1}]}),
        ("a: 0x1F\nb: .inf\nc: -.INF\nd: ~\ne: Null\nf: TRUE\n", {"a": 31, "b": math.inf, "c": -math.inf, "d": None, "e": None, "f": True}),
        ("'quoted key': 'it''s'\n\"k2\": \"tab\\there\"\n", {"quoted key": "it's", "k2": "tab\there"}),
        ("url: http://host:8080/x#frag # comment\n", {"url": "http://host:8080/x#frag"}),
        ("---\na: 1\n", {"a": 1}),
        ("a: 1\n...\n", {"a": 1}),
        ("", None),
        ("# only a comment\n", None),
        ("a:\n  - 1\n  -\n    - 2\n", {"a": [1, [2]]}),
        ("a:\r\n  b: c\r\n", {"a": {"b": "c"}}),
        ("\ufeffa: 1\n", {"a": 1}),
        # YAML's white space is space and tab only: NO-BREAK SPACE and friends are content.
        ("a: 0\xa0\n", {"a": "0\xa0"}),
        ("0\xa0\n...\n", "0\xa0"),
        ("\xa0\n...\n", "\xa0"),
        ("- \xa0\n", ["\xa0"]),
        ("k\xa0: x\u3000\n", {"k\xa0": "x\u3000"}),
        ("a: 1\u2003\nb: true\xa0\nc: ~\u2009\n", {"a": "1\u2003", "b": "true\xa0", "c": "~\u2009"}),
        ("a: [x\xa0, \u3000]\n", {"a": ["x\xa0", "\u3000"]}),
        ("a: |\n  \xa0\n  x\n", {"a": "\xa0\nx\n"}),
        # '-' not followed by white space does not start a sequence entry.
        ("-#: 1\n", {"-#": 1}),
        ("- -#\n", ["-#"]),
        # A lone CR is a line break.
        ("a: x\rb: 2\r", {"a": "x", "b": 2}),
    ],
)
def test_examples(text: str, expected: Any) -> None:
    assert loads(text) == expected
    assert loads(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text,line,column,words",
    [
        ("a: &x 1\n", 1, 4, "anchors"),
        ("a: *x\n", 1, 4, "aliases"),
        ("a: !!str 1\n", 1, 4, "tags"),
        ("a: 1\na: 2\n", 2, 1, "duplicate key"),
        ("a:\n\t- 1\n", 2, 1, "tab"),
        ("a: [1,\n  2]\n", 1, 7, "multi-line flow"),
        ("a: 1\n---\nb: 2\n", 2, 1, "one YAML document"),
        ("a: 1\n...\nb: 2\n", 2, 1, "one YAML document"),
        ("%YAML 1.2\n---\na: 1\n", 1, 1, "directives"),
        ("a: b: c\n", 1, 4, "': '"),
        ("a: 1\n  b: 2\n", 2, 3, "indentation"),
        ("a: 'x\n  y'\n", 1, 4, "multi-line quoted"),
        ("a: yes\n", 1, 4, "read differently"),
        ("a: off\n", 1, 4, "read differently"),
        ("a: 0777\n", 1, 4, "read differently"),
        ("a: 1e3\n", 1, 4, "read differently"),
        ("a: 2024-05-01\n", 1, 4, "read differently"),
        ("a: 1:30\n", 1, 4, "read differently"),
        ("? complex\n: key\n", 1, 1, "complex keys"),
        ("a: \"bad \\q escape\"\n", 1, 9, "unknown escape"),
        ("a: 1\n- 2\n", 2, 1, "key: value"),
        ("a: {b: 1, b: 2}\n", 1, 11, "duplicate key"),
        ("a: \"x\" y\n", 1, 7, "unexpected text"),
        ("a: @x\n", 1, 4, "cannot start"),
        ("a: |x\n  y\n", 1, 4, "block scalar header"),
        ("- a\n  - b\n", 2, 3, "indentation"),
        ("k: 1\n\xa0\n", 2, 1, "key: value"),
        ("a: x\x0b\n", 1, 5, "U+000B is not allowed"),
        ("a: 'x\x1c'\n", 1, 6, "U+001C is not allowed"),
        ("a: x\x7f\n", 1, 5, "U+007F is not allowed"),
        ("a: x\u2028b\n", 1, 5, "line break for YAML 1.1"),
        ("# note\x85a: 1\n", 1, 7, "line break for YAML 1.1"),
        ("a: 'x\u2029'\n", 1, 6, "line break for YAML 1.1"),
        ("-\tx\n", 1, 1, "tab after '-'"),
        ("a: [?\tx]\n", 1, 5, "tab after '?'"),
    ],
)
def test_outside_the_subset_is_an_error_with_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(YAMLError) as info:
        loads(text, source="conf.yaml")
    err = info.value
    assert isinstance(err, BadRequestError)
    assert (err.line, err.column) == (line, column), str(err)
    assert words in str(err)
    assert "conf.yaml" in str(err)


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 5000 + "]" * 5000 + "\n", "".join("  " * i + "- \n" for i in range(3000)) + "  " * 3000 + "x\n",
     "".join("  " * i + "k%d:\n" % i for i in range(3000))],
)
def test_deep_nesting_is_our_error(text: str) -> None:
    with pytest.raises(YAMLError, match="levels deep"):
        loads(text)


def test_nesting_within_the_limit() -> None:
    assert loads("a: " + "[" * 90 + "]" * 90 + "\n")["a"] is not None


def test_ambiguous_helper() -> None:
    assert ambiguous("on") and ambiguous("0o17") and ambiguous("1.5e3") and ambiguous("2001-12-14")
    assert not ambiguous("1.5e+3") and not ambiguous("20_000") and not ambiguous("online")
