"""Response objects of the non-chat endpoints, in LiteLLM's (and OpenAI's) shape.

Dataclasses with attribute *and* item access (``r.data[0].url == r["data"][0]["url"]``),
``get()``, ``to_dict()``/``model_dump()`` and ``json()``, like the chat types in ``types.py``.
The speech endpoint returns :class:`litellm_lite.endpoints.SpeechResponse` instead (a binary
body read lazily), which lives next to the code that owns its connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .types import Usage, _Record, new_id

__all__ = [
    "ImageObject",
    "ImageUsage",
    "ImageResponse",
    "TranscriptionResponse",
    "ModerationResult",
    "ModerationResponse",
    "TextChoices",
    "TextCompletionResponse",
]


def _now() -> int:
    return int(time.time())


@dataclass
class ImageObject(_Record):
    """One generated image: a temporary ``url`` or the image itself as ``b64_json``."""

    url: Optional[str] = None
    b64_json: Optional[str] = None
    revised_prompt: Optional[str] = None


@dataclass
class ImageUsage(_Record):
    """Token usage reported by the GPT image models (dall-e models report none)."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: Optional[Dict[str, Any]] = None


@dataclass
class ImageResponse(_Record):
    created: int = field(default_factory=_now)
    data: List[ImageObject] = field(default_factory=list)
    usage: Optional[ImageUsage] = None
    background: Optional[str] = None
    output_format: Optional[str] = None
    quality: Optional[str] = None
    size: Optional[str] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class TranscriptionResponse(_Record):
    """A transcription. ``text`` always; ``language``, ``duration``, ``words`` and ``segments``
    with ``response_format="verbose_json"``; ``usage`` as the provider reported it."""

    text: str = ""
    task: Optional[str] = None
    language: Optional[str] = None
    duration: Optional[float] = None
    words: Optional[List[Dict[str, Any]]] = None
    segments: Optional[List[Dict[str, Any]]] = None
    logprobs: Optional[List[Dict[str, Any]]] = None
    usage: Optional[Dict[str, Any]] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ModerationResult(_Record):
    flagged: bool = False
    categories: Dict[str, Any] = field(default_factory=dict)
    category_scores: Dict[str, Any] = field(default_factory=dict)
    category_applied_input_types: Optional[Dict[str, Any]] = None


@dataclass
class ModerationResponse(_Record):
    id: str = field(default_factory=lambda: new_id("modr-"))
    model: Optional[str] = None
    results: List[ModerationResult] = field(default_factory=list)
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class TextChoices(_Record):
    text: str = ""
    index: int = 0
    logprobs: Optional[Dict[str, Any]] = None
    finish_reason: Optional[str] = None


@dataclass
class TextCompletionResponse(_Record):
    """A legacy ``/completions`` response; stream chunks have the same shape."""

    id: str = field(default_factory=lambda: new_id("cmpl-"))
    object: str = "text_completion"
    created: int = field(default_factory=_now)
    model: Optional[str] = None
    choices: List[TextChoices] = field(default_factory=list)
    usage: Optional[Usage] = None
    system_fingerprint: Optional[str] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)
