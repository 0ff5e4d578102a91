"""The response types only tool calls and token breakdowns use, built when first asked for.

They are part of :mod:`litellm_lite.types` (``from litellm_lite.types import Function`` works as
always): that module loads this one on first access, so a plain chat answer never builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Optional

__all__ = ["Function", "ChatCompletionMessageToolCall", "PromptTokensDetails", "CompletionTokensDetails"]


@dataclass
class Function(Record):
    """A function call: ``name`` and ``arguments`` as a JSON string."""

    name: Optional[str] = None
    arguments: str = ""


@dataclass
class ChatCompletionMessageToolCall(Record):
    """A tool call the model asked for: an ``id``, ``type`` ``"function"`` and the function call."""

    id: str = ""
    type: str = "function"
    function: Function = field(default_factory=Function)


@dataclass
class PromptTokensDetails(Record):
    """How the prompt tokens break down (cached, audio, text, image, cache-write)."""

    cached_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    image_tokens: Optional[int] = None
    cache_creation_tokens: Optional[int] = None


@dataclass
class CompletionTokensDetails(Record):
    """How the completion tokens break down (reasoning, audio, predictions, text)."""

    reasoning_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    accepted_prediction_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
