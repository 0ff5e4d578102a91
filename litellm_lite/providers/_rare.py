"""The base types a plain chat call never uses, built when first asked for: embedding and endpoint
requests, stream events and stream state.

They are part of :mod:`litellm_lite.providers.base` (``from .base import StreamState`` works as
always): that module loads this one on first access.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import types as _types  # stream types are built on first use

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

    from ..types import Delta, ModelResponseStream, Usage

__all__ = ["EmbeddingRequest", "EndpointRequest", "StreamEvent", "StreamState"]


@dataclass
class EmbeddingRequest:
    """What the road hands an adapter for an embedding call: model, inputs and OpenAI parameters."""

    model: str
    input: List[Any]
    params: Dict[str, Any] = field(default_factory=dict)
    extra_body: Dict[str, Any] = field(default_factory=dict)


@dataclass
class EndpointRequest:
    """A validated request for one of the endpoints beyond chat and embeddings.

    ``endpoint`` is its name (``image_generation``, ``transcription``, ``speech``, ``moderation``,
    ``text_completion``...), ``params`` the OpenAI fields the caller set (None values left out),
    ``extra_body`` the provider-specific fields, ``files`` uploads for multipart endpoints.
    """

    endpoint: str
    model: str
    params: Dict[str, Any] = field(default_factory=dict)
    extra_body: Dict[str, Any] = field(default_factory=dict)
    stream: bool = False
    files: List[Tuple[str, Any]] = field(default_factory=list)


@dataclass
class StreamEvent:
    """One decoded stream event: SSE event, NDJSON line, JSON-array element or event-stream frame.

    ``event`` is the SSE ``event:`` field or the event-stream ``:event-type`` header; ``data`` the
    payload text; ``headers`` the event-stream headers (``:message-type`` etc.) when relevant.
    """

    data: str
    event: Optional[str] = None
    id: Optional[str] = None
    headers: Optional[Dict[str, Any]] = None


@dataclass
class StreamState:
    """What one stream's parsing remembers between events (one per call).

    Formats that remember more subclass it with typed fields (``AnthropicStreamState``...).
    """

    model: str
    provider: str
    response_id: Optional[str] = None
    created: Optional[int] = None
    done: bool = False
    usage: Optional[Usage] = None
    finish_reason: Optional[str] = None

    def chunk(
        self,
        delta: Optional[Delta] = None,
        finish_reason: Optional[str] = None,
        usage: Optional[Usage] = None,
        index: int = 0,
        with_choice: bool = True,
    ) -> ModelResponseStream:
        """A chunk carrying this stream's id, created and model."""
        kwargs: Dict[str, Any] = {"model": self.model}
        if self.response_id:
            kwargs["id"] = self.response_id
        if self.created:
            kwargs["created"] = self.created
        chunk = _types.ModelResponseStream(**kwargs)
        if not self.response_id:
            self.response_id = chunk.id
        if not self.created:
            self.created = chunk.created
        if with_choice:
            chunk.choices = [_types.StreamingChoices(index=index, delta=delta or _types.Delta(), finish_reason=finish_reason)]
        chunk.usage = usage
        return chunk
