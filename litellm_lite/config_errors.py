"""Errors of configuration files and provider configurations (a :class:`BadRequestError`: nothing is sent)."""

from __future__ import annotations

from .exceptions import BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Optional

__all__ = ["ConfigError", "YAMLError"]


class ConfigError(BadRequestError):
    """A configuration file or provider configuration is invalid; ``source`` names the file when known."""

    def __init__(self, message: str, *, source: Optional[str] = None) -> None:
        text = "%s: %s" % (source, message) if source else message
        super().__init__(text, "", "")
        self.source = source


class YAMLError(ConfigError):
    """A YAML document outside the subset litellm_lite reads, or malformed; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int, *, source: Optional[str] = None) -> None:
        super().__init__("line %d, column %d: %s" % (line, column, message), source=source)
        self.line = line
        self.column = column
        self.problem = message
