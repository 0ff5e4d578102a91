"""The bundled price map's index: read one model's entry without parsing the whole file.

``model_prices_index.txt`` (shipped beside ``model_prices_and_context_window.json``, written by
``tools/update_prices.py``, checked by a test to match the JSON byte for byte) has one line per
model key::

    <key> TAB <litellm_provider> TAB <byte offset of the entry's value> TAB <its length>

after a first line ``# litellm_lite price index v1 <sha256 of the JSON file>``. Knowing every key
and its provider is enough to resolve a model name; pricing it then reads and parses that one
entry. The JSON stays the source of truth: an entry whose bytes do not match the index (a file
edited by hand) is reported as stale, and the registry then parses the whole file as before.
"""

from __future__ import annotations

import json
import os
import re

from ._lazyre import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterator, List, Optional, Tuple

__all__ = ["INDEX_FILE", "DATA_FILE", "HEADER", "PriceIndex", "build_index", "parse_index", "StaleIndexError"]

INDEX_FILE = "model_prices_index.txt"
DATA_FILE = "model_prices_and_context_window.json"
HEADER = "# litellm_lite price index v1 "


class StaleIndexError(Exception):
    """The index does not describe the JSON beside it (internal: the registry falls back to a full parse)."""


def _utf8(text: Any) -> Any:
    """Text read through Latin-1 back to what its UTF-8 bytes say (non-text is returned as is)."""
    return text.encode("latin-1").decode("utf-8") if isinstance(text, str) else text


def _entries_with_offsets(data: bytes) -> Iterator[Tuple[str, Any, int, int]]:
    """(key, parsed value, byte offset, byte length) for each top-level entry of a JSON object."""
    # Latin-1 maps each byte to one character, so string positions are byte offsets; non-ASCII
    # text inside values only needs the right structure here, and is decoded as UTF-8 on read.
    text = data.decode("latin-1")
    decoder = json.JSONDecoder()
    ws = " \t\r\n"
    pos = len(text) - len(text.lstrip(ws))
    if text[pos : pos + 1] != "{":
        raise ValueError("the price map must be a JSON object")
    pos += 1
    while True:
        while text[pos] in ws or text[pos] == ",":
            pos += 1
        if text[pos] == "}":
            return
        key, pos = decoder.raw_decode(text, pos)
        while text[pos] in ws:
            pos += 1
        if text[pos] != ":":
            raise ValueError("expected ':' after key %r" % key)
        pos += 1
        while text[pos] in ws:
            pos += 1
        value, end = decoder.raw_decode(text, pos)
        yield _utf8(key), value, pos, end - pos
        pos = end


def build_index(data: bytes) -> str:
    """The index text for the JSON price map ``data`` (see the module docstring)."""
    import hashlib  # only the build step needs it

    lines = [HEADER + hashlib.sha256(data).hexdigest()]
    for key, value, offset, length in _entries_with_offsets(data):
        if key == "sample_spec" or not isinstance(value, dict) or any(c in key for c in "\t\n\r"):
            continue
        provider = _utf8(value.get("litellm_provider"))
        provider_text = provider if isinstance(provider, str) and "\t" not in provider and "\n" not in provider else ""
        lines.append("%s\t%s\t%d\t%d" % (key, provider_text, offset, length))
    return "\n".join(lines) + "\n"


class PriceIndex:
    """Every bundled key with its provider, and where its entry lies in the JSON file.

    One model is looked up by searching the index text (no table is built); ``rows`` (and the
    case-folded table of a non-ASCII index) is built on first need.
    """

    __slots__ = ("_body", "_folded", "_rows", "digest", "_lower")

    def __init__(self, body: str, digest: str) -> None:
        self._body = "\n" + body + ("" if body.endswith("\n") else "\n")  # every line between two newlines
        self._folded: Optional[str] = None
        self._rows: Optional[Dict[str, Tuple[str, int, int]]] = None
        self.digest = digest
        self._lower: Optional[Dict[str, str]] = None

    @property
    def rows(self) -> Dict[str, Tuple[str, int, int]]:
        """key -> (provider or "", byte offset, byte length), for every key."""
        rows = self._rows
        if rows is None:
            rows = {}
            for line in self._body.split("\n"):
                if line:
                    key, provider, offset, length = line.split("\t")
                    rows[key] = (provider, int(offset), int(length))
            self._rows = rows
        return rows

    def _line_at(self, start: int) -> Tuple[str, str, int, int]:
        key, provider, offset, length = self._body[start + 1 : self._body.index("\n", start + 1)].split("\t")
        return key, provider, int(offset), int(length)

    def _row(self, key: str) -> Optional[Tuple[str, int, int]]:
        if self._rows is not None:
            return self._rows.get(key)
        if not key or "\t" in key or "\n" in key:
            return None
        start = self._body.rfind("\n" + key + "\t")  # the last line wins, as in a dict
        return None if start < 0 else self._line_at(start)[1:]

    def find(self, name: str) -> Optional[str]:
        """The key spelled ``name``, exactly or ignoring case."""
        if self._row(name) is not None:
            return name
        if self._lower is None and self._body.isascii():  # lower() keeps positions: search the folded text
            if not name or "\t" in name or "\n" in name:
                return None
            if self._folded is None:
                self._folded = self._body.lower()
            start = self._folded.rfind("\n" + name.lower() + "\t")
            return None if start < 0 else self._line_at(start)[0]
        if self._lower is None:
            self._lower = {key.lower(): key for key in self.rows}
        return self._lower.get(name.lower())

    def keys(self) -> List[str]:
        return list(self.rows)

    def provider(self, key: str) -> Optional[str]:
        row = self._row(key)
        return (row[0] or None) if row is not None else None

    def entry(self, key: str, read_range: Any) -> Optional[Dict[str, Any]]:
        """The parsed entry for ``key`` (None if unknown); ``read_range(offset, length) -> bytes``.

        Raises StaleIndexError when the bytes there are not this key's entry.
        """
        row = self._row(key)
        if row is None:
            return None
        raw = read_range(row[1], row[2])
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise StaleIndexError("entry %r: %s" % (key, exc)) from None
        if not isinstance(value, dict) or (row[0] and value.get("litellm_provider") != row[0]):
            raise StaleIndexError("entry %r does not match the index" % key)
        return value


# A line that is not blank and not ``key TAB provider TAB offset TAB length``.
_BAD_LINE = LazyPattern(r"^(?![^\t\n]+\t[^\t\n]*\t[0-9]+\t[0-9]+$).+$", re.M)


def parse_index(text: str) -> PriceIndex:
    """A :class:`PriceIndex` from the index file's text; raises StaleIndexError when malformed."""
    first, _, body = text.partition("\n")
    if not first.startswith(HEADER):
        raise StaleIndexError("not a litellm_lite price index")
    bad = _BAD_LINE.search(body)
    if bad is not None:
        raise StaleIndexError("malformed index line %r" % bad.group(0)[:80])
    return PriceIndex(body, first[len(HEADER):].strip())


def file_range_reader(path: str) -> Any:
    """``read_range(offset, length)`` over a file on disk (one open per read: no descriptor kept)."""

    def read_range(offset: int, length: int) -> bytes:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)

    return read_range


def on_disk(directory: str, name: str) -> Optional[str]:
    """The path of the package file ``name`` when it is a real file (not inside a zip), else None."""
    path = os.path.join(directory, name)
    return path if os.path.isfile(path) else None
