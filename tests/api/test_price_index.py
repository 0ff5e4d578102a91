"""The price index shipped beside the bundled price map: in sync with it, and safe when it is not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from litellm_lite import _price_index as pi

PACKAGE = Path(__file__).resolve().parents[2] / "litellm_lite"
DATA = PACKAGE / pi.DATA_FILE
INDEX = PACKAGE / pi.INDEX_FILE


def test_shipped_index_matches_the_shipped_json() -> None:
    """Regenerate it with tools/update_prices.py --index-only when this fails."""
    assert INDEX.read_text(encoding="utf-8") == pi.build_index(DATA.read_bytes())


def test_every_indexed_entry_reads_back_equal_to_the_full_parse() -> None:
    full: Dict[str, Any] = json.loads(DATA.read_bytes())
    index = pi.parse_index(INDEX.read_text(encoding="utf-8"))
    read = pi.file_range_reader(str(DATA))
    assert set(index.rows) == set(full) - {"sample_spec"}
    for key in index.rows:
        assert index.entry(key, read) == full[key]
        assert index.provider(key) == full[key].get("litellm_provider")


def test_find_is_exact_then_case_insensitive() -> None:
    index = pi.parse_index(INDEX.read_text(encoding="utf-8"))
    assert index.find("gpt-4o") == "gpt-4o"
    assert index.find("GPT-4O") == "gpt-4o"
    assert index.find("no-such-model") is None
    assert index.entry("no-such-model", pi.file_range_reader(str(DATA))) is None


def test_build_handles_any_layout_and_non_ascii() -> None:
    data = json.dumps(
        {"sample_spec": {"x": 1}, "m\u00e9/\u00fc": {"litellm_provider": "p\u00e9", "note": "caf\u00e9 \u2603"},
         "plain": {"litellm_provider": "openai", "mode": "chat"}, "not-an-object": 3},
        ensure_ascii=False, indent=3,
    ).encode("utf-8")
    index = pi.parse_index(pi.build_index(data))
    assert sorted(index.rows) == ["m\u00e9/\u00fc", "plain"]

    def read(offset: int, length: int) -> bytes:
        return data[offset : offset + length]

    assert index.entry("m\u00e9/\u00fc", read) == {"litellm_provider": "p\u00e9", "note": "caf\u00e9 \u2603"}
    assert index.provider("plain") == "openai"


def test_an_edited_json_is_detected_as_stale() -> None:
    data = b'{"a":{"litellm_provider":"openai","x":1},"b":{"litellm_provider":"anthropic"}}'
    index = pi.parse_index(pi.build_index(data))
    shifted = b'{"a":{"litellm_provider":"openai","x":12},"b":{"litellm_provider":"anthropic"}}'
    with pytest.raises(pi.StaleIndexError):
        index.entry("b", lambda o, n: shifted[o : o + n])
    other = b'{"a":{"litellm_provider":"openai","x":1},"b":{"litellm_provider":"gemini!!!"}}'
    with pytest.raises(pi.StaleIndexError, match="does not match"):
        index.entry("b", lambda o, n: other[o : o + n])


@pytest.mark.parametrize("text", ["", "hello\n", pi.HEADER + "x\nkey\tonly-two\n", pi.HEADER + "x\nk\tp\tone\t2\n"])
def test_malformed_index_is_stale(text: str) -> None:
    with pytest.raises(pi.StaleIndexError):
        pi.parse_index(text)


@pytest.mark.parametrize("data", [b"[1, 2]", b'{"a" 1}'])
def test_build_rejects_what_is_not_a_price_map(data: bytes) -> None:
    with pytest.raises(ValueError):
        pi.build_index(data)


@pytest.mark.slow
def test_update_tool_index_only_rewrites_the_index(tmp_path: Path) -> None:
    target = tmp_path / pi.DATA_FILE
    target.write_bytes(b'{\n"m":{"litellm_provider":"openai","mode":"chat"}\n}\n')
    tool = Path(__file__).resolve().parents[2] / "tools" / "update_prices.py"
    proc = subprocess.run([sys.executable, str(tool), "--index-only", "-o", str(target)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    written = (tmp_path / pi.INDEX_FILE).read_text(encoding="utf-8")
    assert written == pi.build_index(target.read_bytes())
    assert "m\topenai\t" in written
