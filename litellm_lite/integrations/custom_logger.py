"""LiteLLM's ``litellm.integrations.custom_logger`` path: the callback base class."""

from __future__ import annotations

from ..observability import CustomLogger

__all__ = ["CustomLogger"]
