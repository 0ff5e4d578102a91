"""Anthropic Messages API (``POST /v1/messages``) <-> OpenAI chat completions.

Split along the format's seams: :mod:`.messages` (OpenAI messages -> ``system`` and turns of
content blocks), :mod:`.request` (the body: parameters, tools, thinking, JSON mode and its beta
headers), :mod:`.response` (responses and SSE events -> OpenAI results and chunks) and
:mod:`.adapter` (:class:`AnthropicAdapter`).

``response_format`` with a JSON schema uses Anthropic's structured outputs (``output_format``,
beta header ``structured-outputs-2025-11-13``) on the models that have them, and otherwise a
forced tool named ``json_tool_call`` whose arguments are returned as the message content.
"""

from __future__ import annotations

from .adapter import ANTHROPIC_VERSION, AnthropicAdapter
from .request import JSON_TOOL_NAME, REASONING_BUDGETS, STRUCTURED_OUTPUTS_BETA, build_body
from .response import AnthropicStreamState

__all__ = [
    "AnthropicAdapter",
    "AnthropicStreamState",
    "ANTHROPIC_VERSION",
    "JSON_TOOL_NAME",
    "REASONING_BUDGETS",
    "STRUCTURED_OUTPUTS_BETA",
    "build_body",
]
