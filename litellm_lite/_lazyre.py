"""Regular expressions compiled on first use, so that importing a module costs no ``re.compile``."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Iterator, List, Match, Optional, Pattern, Union

__all__ = ["LazyPattern"]

_METHODS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles when first used.

    It answers the ``Pattern`` methods the package uses (``search``, ``match``, ``fullmatch``,
    ``sub``, ``subn``, ``split``, ``findall``, ``finditer``) and ``compiled`` (the real pattern).
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: Optional[Pattern[str]] = None

    @property
    def compiled(self) -> Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
            for name in _METHODS:  # later calls go straight to the compiled pattern's methods
                setattr(self, name, getattr(compiled, name))
        return compiled

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def search(self, string: str, *args: int) -> Optional[Match[str]]:
        return self.compiled.search(string, *args)

    def match(self, string: str, *args: int) -> Optional[Match[str]]:
        return self.compiled.match(string, *args)

    def fullmatch(self, string: str, *args: int) -> Optional[Match[str]]:
        return self.compiled.fullmatch(string, *args)

    def sub(self, repl: Union[str, Callable[[Match[str]], str]], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def subn(self, repl: Union[str, Callable[[Match[str]], str]], string: str, count: int = 0) -> "tuple[str, int]":
        return self.compiled.subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> List[Union[str, Any]]:
        return self.compiled.split(string, maxsplit)

    def findall(self, string: str, *args: int) -> List[Any]:
        return self.compiled.findall(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[Match[str]]:
        return self.compiled.finditer(string, *args)

    def __repr__(self) -> str:
        return "LazyPattern(%r)" % (self._source,)
