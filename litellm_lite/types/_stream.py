"""The response types only streams and embeddings use, built when first asked for.

They are part of :mod:`litellm_lite.types` (``from litellm_lite.types import Delta`` works as
always): that module loads this one on first access, so a plain chat call never builds them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import Function, Usage, Record, new_id

__all__ = [
    "ChatCompletionDeltaToolCall",
    "Delta",
    "StreamingChoices",
    "ModelResponseStream",
    "EmbeddingData",
    "EmbeddingResponse",
]


@dataclass
class ChatCompletionDeltaToolCall(Record):
    """A fragment of a tool call inside a stream chunk; fragments with the same ``index`` add up."""

    index: int = 0
    id: Optional[str] = None
    type: Optional[str] = None
    function: Function = field(default_factory=Function)


@dataclass
class Delta(Record):
    """The part of the assistant's message that one stream chunk carries."""

    content: Optional[str] = None
    role: Optional[str] = None
    tool_calls: Optional[List[ChatCompletionDeltaToolCall]] = None
    function_call: Optional[Function] = None
    reasoning_content: Optional[str] = None
    thinking_blocks: Optional[List[Dict[str, Any]]] = None
    refusal: Optional[str] = None
    provider_specific_fields: Optional[Dict[str, Any]] = None


@dataclass
class StreamingChoices(Record):
    """One choice of a stream chunk: the delta and, on the last chunk, why generation stopped."""

    finish_reason: Optional[str] = None
    index: int = 0
    delta: Delta = field(default_factory=Delta)
    logprobs: Optional[Any] = None


@dataclass
class ModelResponseStream(Record):
    """One chunk of a streamed chat completion (``object == "chat.completion.chunk"``)."""

    id: str = field(default_factory=new_id)
    created: int = field(default_factory=lambda: int(time.time()))
    model: Optional[str] = None
    object: str = "chat.completion.chunk"
    choices: List[StreamingChoices] = field(default_factory=list)
    usage: Optional[Usage] = None
    system_fingerprint: Optional[str] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class EmbeddingData(Record):
    """One embedding vector and the position of its input."""

    embedding: List[float] = field(default_factory=list)
    index: int = 0
    object: str = "embedding"


@dataclass
class EmbeddingResponse(Record):
    """The result of ``embedding()``: one EmbeddingData per input, the model and usage."""

    data: List[EmbeddingData] = field(default_factory=list)
    model: Optional[str] = None
    object: str = "list"
    usage: Optional[Usage] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)
