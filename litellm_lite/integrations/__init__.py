"""LiteLLM's ``litellm.integrations`` path: ``custom_logger.CustomLogger``."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """``integrations.custom_logger`` as an attribute, loaded on first use."""
    if name == "custom_logger":
        return importlib.import_module(".custom_logger", __name__)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
