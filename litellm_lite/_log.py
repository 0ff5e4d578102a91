"""The package's logger, ``logging.getLogger("litellm_lite")``, with ``logging`` imported on first need.

``logging`` (with ``traceback``, ``string``, ``weakref``...) costs several milliseconds at start-up,
and a plain call logs nothing: :data:`logger` stands in for the real logger. While ``logging`` is
not imported by anyone, nobody can have configured it, so every logger sits at the default level
(WARNING): DEBUG and INFO records are dropped unseen, exactly as the real logger would drop them,
and a WARNING or above imports ``logging`` and goes through the real logger. Once ``logging`` is
imported (by the application, or by :func:`real`), every call goes to the real logger.

The real logger gets the shared call-id filter (``correlation.install_filter``) when it is first
taken from here.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import logging
    from typing import Any, Optional

__all__ = ["logger", "real", "DEBUG", "INFO", "WARNING", "NAME"]

NAME = "litellm_lite"
DEBUG = 10  # logging.DEBUG, INFO, WARNING: fixed by the logging module's documentation
INFO = 20
WARNING = 30

_real: "Optional[logging.Logger]" = None


def real() -> "logging.Logger":
    """The real ``litellm_lite`` logger (imports ``logging``; installs the call-id filter once)."""
    global _real
    found = _real
    if found is None:
        import logging

        from .correlation import install_filter

        found = logging.getLogger(NAME)
        install_filter(found)
        _real = found
    return found


def _live() -> "Optional[logging.Logger]":
    """The real logger when ``logging`` is loaded (by anyone), else None."""
    if _real is not None:
        return _real
    return real() if "logging" in sys.modules else None


class LazyLogger:
    """Stands in for the ``litellm_lite`` logger (see the module docstring)."""

    __slots__ = ()

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - logging.Logger's name
        found = _live()
        return found.isEnabledFor(level) if found is not None else level >= WARNING

    def debug(self, msg: object, *args: object, **kwargs: "Any") -> None:
        found = _live()
        if found is not None:
            found.debug(msg, *args, stacklevel=2, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: "Any") -> None:
        found = _live()
        if found is not None:
            found.info(msg, *args, stacklevel=2, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: "Any") -> None:
        real().warning(msg, *args, stacklevel=2, **kwargs)

    def error(self, msg: object, *args: object, **kwargs: "Any") -> None:
        real().error(msg, *args, stacklevel=2, **kwargs)

    def exception(self, msg: object, *args: object, **kwargs: "Any") -> None:
        real().exception(msg, *args, stacklevel=2, **kwargs)

    def __getattr__(self, name: str) -> "Any":
        return getattr(real(), name)  # handlers, level, addHandler, setLevel... of the real logger


logger = LazyLogger()
