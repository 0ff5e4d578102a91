"""A reader for the block subset of YAML that configuration files use.

Supported: block mappings and sequences (``key:`` followed by ``- item`` at the same indentation,
compact ``- key: value`` and ``- - item``), plain, single- and double-quoted scalars on one line,
``|`` and ``>`` block scalars (chomping ``-``/``+``, indentation digit), one-line flow collections
(``[a, b]``, ``{a: 1}``, nested), comments and one leading ``---``.

Plain scalars are typed as YAML 1.2's core schema and PyYAML (which LiteLLM uses) agree: null,
true/false, decimal and hex integers (``20_000`` is 20000, as PyYAML reads it), floats with a dot
(``.inf``, ``.nan``). Where the two schemas disagree (``yes``/``no``/``on``/``off``, ``0777``,
``0o17``, ``0b101``, ``1e3``, ``1:30``, unquoted dates) the reader refuses the scalar and asks for
quotes. Anything else outside the subset (anchors, aliases, tags, directives, several documents,
tabs for indentation, duplicate keys, multi-line plain or quoted scalars, multi-line flow
collections) raises :class:`~litellm_lite.config_errors.YAMLError` with its line and column.

White space is YAML's (space and tab), never Python's wider ``str.strip()`` set: a NO-BREAK SPACE
after ``0`` leaves the string ``"0\xa0"``. Lines break on CR LF, CR and LF. Characters PyYAML refuses
(C0/C1 controls, DEL, lone surrogates) and NEL/LS/PS (line breaks for YAML 1.1, not for 1.2) are
refused wherever they appear; written as escapes in double quotes they are fine.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from .config_errors import YAMLError

__all__ = ["loads", "ambiguous"]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)$")
_HEX = re.compile(r"0x[0-9a-fA-F_]+$")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+][0-9]+)?$")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)$")
# Plain scalars that YAML 1.1 (PyYAML) and 1.2 read differently, or that PyYAML reads as non-strings.
_AMBIGUOUS = re.compile(
    r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|=|<<"
    r"|[-+]?0[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0[ob][0-9a-fA-F_]+|[-+]0x[0-9a-fA-F_]+"
    r"|[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][0-9]+"
    r"|[-+]?[0-9][0-9_]*[eE][-+][0-9]+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?)$"
)
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_PLAIN_FORBIDDEN_START = "[]{},#|>'\"%@`"
# YAML's white space is the space and the tab only (str.strip() would also take NO-BREAK SPACE, U+3000...).
_WHITE = " \t"
# YAML's line breaks: CR LF, CR, LF.
_BREAK = re.compile(r"\r\n|\r|\n")
# PyYAML (YAML 1.1) also breaks lines on NEL, LS and PS; YAML 1.2 does not: refused.
_UNICODE_BREAKS = "\x85\u2028\u2029"
# What PyYAML refuses as "special characters", plus the three breaks above.
_NON_PRINTABLE = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_DEPTH = 100


def ambiguous(text: str) -> bool:
    """True when ``text`` written as a plain scalar is read differently by YAML 1.1 and YAML 1.2."""
    return bool(_AMBIGUOUS.match(text))


class _Line:
    """One line with content: ``text`` starts at column ``col`` (0-based) of line ``number`` (1-based)."""

    __slots__ = ("number", "indent", "text", "col")

    def __init__(self, number: int, indent: int, text: str, col: int) -> None:
        self.number = number
        self.indent = indent
        self.text = text
        self.col = col


def _strip_comment(text: str, start: int = 0) -> str:
    """``text`` without a trailing `` # comment`` that starts at or after ``start``."""
    i = text.find("#", start)
    while i != -1:
        if i == 0 or text[i - 1] in " \t":
            return text[:i].rstrip(_WHITE)
        i = text.find("#", i + 1)
    return text.rstrip(_WHITE)


class _Reader:
    def __init__(self, text: str, source: Optional[str]) -> None:
        self.source = source
        self.raw = _BREAK.split(text)
        self.lines: List[Optional[_Line]] = []  # None for blank and comment-only lines
        self.pos = 0
        self.marker = -1  # index of the leading '---' line, if any
        self.depth = 0
        if self.raw and self.raw[-1] == "":
            self.raw.pop()  # the text after the last line break is not a line
        for number, raw in enumerate(self.raw, 1):
            self.check_characters(number, raw)
            self.lines.append(self._scan(number, raw))

    def error(self, message: str, line: int, column: int) -> YAMLError:
        return YAMLError(message, line, column, source=self.source)

    def check_characters(self, number: int, raw: str) -> None:
        """Refuse characters PyYAML refuses, and the line breaks YAML 1.1 and 1.2 disagree on."""
        bad = _NON_PRINTABLE.search(raw)
        if bad is None:
            return
        char = bad.group()
        if char in _UNICODE_BREAKS:
            what = "U+%04X is a line break for YAML 1.1 (PyYAML) and not for YAML 1.2" % ord(char)
        else:
            what = "character U+%04X is not allowed in a YAML file" % ord(char)
        message = "%s; write it as \\u%04x inside a double-quoted string" % (what, ord(char))
        raise self.error(message, number, bad.start() + 1)

    def _scan(self, number: int, raw: str) -> Optional[_Line]:
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if not stripped.strip(_WHITE) or stripped.lstrip(" \t").startswith("#"):
            return None
        return _Line(number, indent, stripped, indent)

    # -- navigation ----------------------------------------------------------------------------
    def peek(self) -> Optional[_Line]:
        while self.pos < len(self.lines) and self.lines[self.pos] is None:
            self.pos += 1
        line = self.lines[self.pos] if self.pos < len(self.lines) else None
        if line is not None and line.col == 0 and self.pos != self.marker and re.match(r"(?:---|\.\.\.)(?:[ \t]|$)", line.text):
            if line.text.startswith("...") and all(later is None for later in self.lines[self.pos + 1:]):
                return None  # a document end marker after the only document
            raise self.error("only one YAML document per file is supported", line.number, 1)
        if line is not None and line.text.startswith("\t"):
            raise self.error("tab used for indentation; indent with spaces", line.number, line.col + 1)
        return line

    # -- document ------------------------------------------------------------------------------
    def document(self) -> Any:
        while self.pos < len(self.lines) and self.lines[self.pos] is None:
            self.pos += 1
        self.marker = self.pos
        line = self.peek()
        if line is not None and line.text.startswith("%"):
            raise self.error("directives (%YAML, %TAG) are not supported", line.number, line.col + 1)
        if line is not None and line.indent == 0 and _strip_comment(line.text) == "---":
            self.pos += 1
        elif line is not None and line.indent == 0 and line.text.startswith("--- "):
            raise self.error("put the document's content on the line after '---'", line.number, 5)
        line = self.peek()
        if line is None:
            return None
        value = self.node(line.indent, line.number)
        rest = self.peek()
        if rest is not None:
            raise self.error("unexpected content (check the indentation)", rest.number, rest.col + 1)
        return value

    def node(self, min_indent: int, parent_line: int) -> Any:
        """The block node starting on the next content line (indented at least ``min_indent``)."""
        self.enter(parent_line, min_indent + 1)
        try:
            return self._node(min_indent, parent_line)
        finally:
            self.depth -= 1

    def enter(self, line: int, column: int) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error("nested more than %d levels deep" % _MAX_DEPTH, line, column)

    def _node(self, min_indent: int, parent_line: int) -> Any:
        line = self.peek()
        if line is None or line.indent < min_indent:
            return None
        if line.text == "-" or line.text.startswith("- "):
            return self.sequence(line.indent)
        if line.text == "?" or line.text.startswith("? "):
            raise self.error("complex keys ('? ') are not supported", line.number, line.col + 1)
        if self.key_end(line) is not None:
            return self.mapping(line.indent)
        self.pos += 1
        value = self.inline_value(line, 0, parent_line)
        return value

    # -- collections ---------------------------------------------------------------------------
    def sequence(self, indent: int) -> List[Any]:
        items: List[Any] = []
        while True:
            line = self.peek()
            if line is None or line.indent < indent:
                return items
            if line.indent > indent:
                raise self.error("unexpected indentation", line.number, line.col + 1)
            if not (line.text == "-" or line.text.startswith("- ")):
                return items  # the caller decides whether this line may follow
            rest = line.text[1:]
            spaces = len(rest) - len(rest.lstrip(" "))
            rest = rest.lstrip(" ")
            if not _strip_comment(rest):
                self.pos += 1
                items.append(self.node(indent + 1, line.number))
                continue
            # Compact nested node: read the rest of the line as if it started a line of its own.
            virtual = _Line(line.number, line.indent + 1 + spaces, rest, line.col + 1 + spaces)
            self.lines[self.pos] = virtual
            if rest == "-" or rest.startswith("- ") or self.key_end(virtual) is not None:
                items.append(self.node(virtual.indent, line.number))
            else:
                self.pos += 1
                items.append(self.inline_value(virtual, 0, line.number, block_indent=line.indent))

    def key_end(self, line: _Line) -> Optional[Tuple[Any, int]]:
        """(key, index of the text after ``:``) when ``line`` is a ``key: ...`` line, else None."""
        text = line.text
        if text[0] in "\"'":
            value, end = self.quoted(text, 0, line)
            j = end
            while j < len(text) and text[j] == " ":
                j += 1
            if j < len(text) and text[j] == ":" and (j + 1 == len(text) or text[j + 1] in " \t"):
                return value, j + 1
            return None
        if text[0] in "[{":
            return None
        i = text.find(":")
        while i != -1:
            if i + 1 == len(text) or text[i + 1] in " \t":
                key = text[:i].rstrip(_WHITE)
                if " #" in text[:i] or not key or text[0] in "|>":
                    return None
                if text[0] in "&*!%@`":
                    raise self.error("%r cannot start a key (anchors, aliases, tags and directives are not "
                                     "supported; quote the key)" % text[0], line.number, line.col + 1)
                return self.typed(key, line, 0), i + 1
            i = text.find(":", i + 1)
        return None

    def mapping(self, indent: int) -> Dict[Any, Any]:
        result: Dict[Any, Any] = {}
        while True:
            line = self.peek()
            if line is None or line.indent < indent:
                return result
            if line.indent > indent:
                raise self.error("unexpected indentation", line.number, line.col + 1)
            if line.text.startswith("? "):
                raise self.error("complex keys ('? ') are not supported", line.number, line.col + 1)
            found = self.key_end(line)
            if found is None:
                raise self.error("expected 'key: value' at this indentation", line.number, line.col + 1)
            key, after = found
            if isinstance(key, (list, dict)):
                raise self.error("keys must be scalars", line.number, line.col + 1)
            if key in result:
                raise self.error("duplicate key %r" % (key,), line.number, line.col + 1)
            self.pos += 1
            rest = line.text[after:]
            start = after + len(rest) - len(rest.lstrip(" \t"))
            if not _strip_comment(line.text[start:]):
                nxt = self.peek()
                if nxt is not None and nxt.indent == indent and (nxt.text == "-" or nxt.text.startswith("- ")):
                    result[key] = self.sequence(indent)
                else:
                    result[key] = self.node(indent + 1, line.number)
            else:
                result[key] = self.inline_value(line, start, line.number, block_indent=indent)

    # -- scalars and flow ------------------------------------------------------------------------
    def inline_value(self, line: _Line, start: int, parent_line: int, block_indent: Optional[int] = None) -> Any:
        """The value written on ``line`` from ``start``: scalar, flow collection or block scalar header."""
        text = line.text
        first = text[start]
        col = line.col + start + 1
        if first in "&*!":
            what = {"&": "anchors", "*": "aliases", "!": "tags"}[first]
            raise self.error("%s are not supported" % what, line.number, col)
        if first in "|>":
            return self.block_scalar(line, start, line.indent if block_indent is None else block_indent)
        if first in "[{":
            value, end = self.flow(text, start, line)
        elif first in "\"'":
            value, end = self.quoted(text, start, line)
        else:
            body = _strip_comment(text, start)[start:]
            self.check_plain(body, line, start)
            if ": " in body or body.endswith(":"):
                raise self.error("a plain value cannot contain ': ' (quote it)", line.number, col)
            return self.typed(body, line, start)
        tail = text[end:]
        if tail.strip(_WHITE) and not tail.lstrip(_WHITE).startswith("#"):
            raise self.error("unexpected text after the value", line.number, line.col + end + 1)
        if tail.strip(_WHITE) and tail[:1] not in " \t":
            raise self.error("a comment needs a space before '#'", line.number, line.col + end + 1)
        return value

    def check_plain(self, body: str, line: _Line, start: int) -> None:
        col = line.col + start + 1
        if body[0] in "-?:" and body[1:2] == "\t":
            raise self.error("a tab after %r; write a space there (or quote the value)" % body[0], line.number, col)
        if body[0] in _PLAIN_FORBIDDEN_START or (body[0] in "-?:" and body[1:2] in ("", " ")):
            raise self.error("a plain scalar cannot start with %r (quote it)" % body[0], line.number, col)
        if body.startswith("---") or body.startswith("..."):
            if line.indent == 0 and start == 0:
                raise self.error("only one YAML document per file is supported", line.number, col)

    def typed(self, text: str, line: _Line, start: int) -> Any:
        """A plain scalar typed as both YAML 1.1 (PyYAML) and 1.2 core agree."""
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if _AMBIGUOUS.match(text):
            raise self.error(
                "%r is read differently by YAML 1.1 and 1.2 parsers; quote it (or write true/false, "
                "a plain number)" % text,
                line.number,
                line.col + start + 1,
            )
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _HEX.match(text):
            return int(text[2:].replace("_", ""), 16)
        if _FLOAT.match(text):
            return float(text.replace("_", ""))
        if _INF.match(text):
            return float("-inf") if text.startswith("-") else float("inf")
        if _NAN.match(text):
            return float("nan")
        if text[0] in "&*!":
            raise self.error("anchors, aliases and tags are not supported", line.number, line.col + start + 1)
        return text

    def quoted(self, text: str, start: int, line: _Line) -> Tuple[str, int]:
        """(value, index after the closing quote) of the quoted scalar at ``text[start]``."""
        quote = text[start]
        out: List[str] = []
        i = start + 1
        while i < len(text):
            ch = text[i]
            if ch == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    out.append("'")
                    i += 2
                    continue
                return "".join(out), i + 1
            if ch == "\\" and quote == '"':
                i = self.escape(text, i, line, out)
                continue
            out.append(ch)
            i += 1
        raise self.error(
            "quoted scalar not closed on this line (multi-line quoted scalars are not supported; use | or >)",
            line.number,
            line.col + start + 1,
        )

    def escape(self, text: str, i: int, line: _Line, out: List[str]) -> int:
        code = text[i + 1:i + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            return i + 2
        size = _HEX_ESCAPES.get(code)
        digits = text[i + 2:i + 2 + size] if size else ""
        if size and len(digits) == size and all(c in "0123456789abcdefABCDEF" for c in digits):
            value = int(digits, 16)
            if value > 0x10FFFF:
                raise self.error("escape out of range", line.number, line.col + i + 1)
            out.append(chr(value))
            return i + 2 + size
        raise self.error("unknown escape %r" % ("\\" + code), line.number, line.col + i + 1)

    def flow(self, text: str, i: int, line: _Line) -> Tuple[Any, int]:
        """A one-line flow collection starting at ``text[i]`` ('[' or '{'): (value, index after it)."""
        self.enter(line.number, line.col + i + 1)
        try:
            return self._flow(text, i, line)
        finally:
            self.depth -= 1

    def _flow(self, text: str, i: int, line: _Line) -> Tuple[Any, int]:
        opening = text[i]
        closing = "]" if opening == "[" else "}"
        items: List[Any] = []
        mapping: Dict[Any, Any] = {}
        i += 1
        while True:
            i = self.skip_spaces(text, i, line)
            if text[i] == closing:
                return (items if opening == "[" else mapping), i + 1
            key_at = i
            key, i = self.flow_item(text, i, line)
            i = self.skip_spaces(text, i, line)
            if text[i] == ":":
                i = self.skip_spaces(text, i + 1, line)
                if text[i] in ",]}":
                    value: Any = None
                else:
                    value, i = self.flow_item(text, i, line)
                    i = self.skip_spaces(text, i, line)
                if opening == "[":
                    items.append({key: value})
                elif key in mapping:
                    raise self.error("duplicate key %r" % (key,), line.number, line.col + key_at + 1)
                else:
                    mapping[key] = value
            elif opening == "[":
                items.append(key)
            else:
                mapping[key] = None
            if text[i] == ",":
                i += 1
            elif text[i] != closing:
                raise self.error("expected ',' or %r" % closing, line.number, line.col + i + 1)

    def skip_spaces(self, text: str, i: int, line: _Line) -> int:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or (text[i] == "#" and text[i - 1] in " \t"):
            raise self.error(
                "flow collection not closed on this line (multi-line flow collections are not supported)",
                line.number,
                line.col + i + 1,
            )
        return i

    def flow_item(self, text: str, i: int, line: _Line) -> Tuple[Any, int]:
        ch = text[i]
        if ch in "[{":
            return self.flow(text, i, line)
        if ch in "\"'":
            return self.quoted(text, i, line)
        if ch in "&*!|>@`%,":
            raise self.error("unexpected %r in a flow collection" % ch, line.number, line.col + i + 1)
        j = i
        while j < len(text):
            c = text[j]
            if c in ",[]{}" or (c == ":" and (j + 1 == len(text) or text[j + 1] in " ,[]{}")):
                break
            if c == "#" and text[j - 1] in " \t":
                break
            j += 1
        body = text[i:j].rstrip(_WHITE)
        if body[0] in "-?" and body[1:2] == "\t":
            raise self.error("a tab after %r; write a space there (or quote the value)" % body[0], line.number,
                             line.col + i + 1)
        if body[0] in "-?" and body[1:2] in ("", " "):
            raise self.error("a plain scalar cannot start with %r (quote it)" % body[0], line.number, line.col + i + 1)
        return self.typed(body, line, i), i + len(body)

    def block_scalar(self, line: _Line, start: int, parent_indent: int) -> str:
        """A ``|`` (literal) or ``>`` (folded) block scalar whose header is at ``line.text[start]``."""
        header = _strip_comment(line.text, start)[start:]
        match = re.match(r"([|>])(?:([-+])?([1-9])?|([1-9])([-+]))$", header)
        if match is None:
            raise self.error("bad block scalar header %r" % header, line.number, line.col + start + 1)
        folded = match.group(1) == ">"
        chomp = match.group(2) or match.group(5) or ""
        digit = match.group(3) or match.group(4)
        body: List[str] = []
        indent = parent_indent + int(digit) if digit else None
        first_row = self.pos
        row = first_row
        while row < len(self.raw):
            raw = self.raw[row]
            content = raw.lstrip(" ")
            spaces = len(raw) - len(content)
            if not content.strip(" "):
                if indent is None and self._deeper_blank(row, spaces):
                    raise self.error("leading blank line more indented than the text", row + 1, spaces)
                body.append(raw[indent:] if indent is not None and spaces > indent else "")
                row += 1
                continue
            if indent is None:
                if spaces <= parent_indent:
                    break
                if content.startswith("\t"):
                    raise self.error("tab used for indentation; indent with spaces", row + 1, spaces + 1)
                indent = spaces
            if spaces < indent:
                if spaces > parent_indent:
                    raise self.error("block scalar line less indented than its first line", row + 1, spaces + 1)
                break
            body.append(raw[indent:])
            row += 1
        for skipped in range(first_row, row):
            self.lines[skipped] = None
        self.pos = row
        return _chomp(_fold(body) if folded else _literal(body), body, chomp)

    def _deeper_blank(self, row: int, spaces: int) -> bool:
        """A whitespace-only line before the first text line that is more indented than that text."""
        for later in self.raw[row + 1:]:
            if later.strip(" "):
                return spaces > len(later) - len(later.lstrip(" "))
        return False


def _content_rows(body: List[str]) -> List[str]:
    end = len(body)
    while end and body[end - 1] == "":
        end -= 1
    return body[:end]


def _literal(body: List[str]) -> str:
    return "\n".join(_content_rows(body))


def _fold(body: List[str]) -> str:
    out: List[str] = []
    previous_normal = False
    empties = 0
    started = False
    for row in _content_rows(body):
        if row == "":
            empties += 1
            continue
        more = row[0] in " \t"
        if not started:
            out.append("\n" * empties)
        elif previous_normal and not more:
            out.append("\n" * empties if empties else " ")
        else:
            out.append("\n" * (empties + 1))
        out.append(row)
        started = True
        previous_normal = not more
        empties = 0
    return "".join(out)


def _chomp(text: str, body: List[str], chomp: str) -> str:
    content = _content_rows(body)
    if not content:
        return "\n" * len(body) if chomp == "+" else ""
    if chomp == "-":
        return text
    if chomp == "+":
        return text + "\n" * (len(body) - len(content) + 1)
    return text + "\n"


def loads(text: str, source: Optional[str] = None) -> Any:
    """Parse one YAML document of the supported subset; ``source`` (a file name) goes into error messages."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Reader(text, source).document()
