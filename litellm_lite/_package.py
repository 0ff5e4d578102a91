"""The package module itself, where users set module-level settings (``litellm_lite.cache = ...``,
``litellm_lite.enable_metrics = True``): read at call time, under whatever name it is vendored."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

__all__ = ["package", "package_setting"]

_NAME = __package__ or "litellm_lite"


def package() -> Any:
    """The package module (None only while it is being torn down)."""
    return sys.modules.get(_NAME)


def package_setting(name: str) -> Any:
    """``litellm_lite.<name>``, or None when it is not set."""
    return getattr(sys.modules.get(_NAME), name, None)
