"""LiteLLM's ``litellm.types.utils`` path: the response types (ModelResponse, Usage, ...)."""

from __future__ import annotations

from . import (
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetails,
    Delta,
    EmbeddingData,
    EmbeddingResponse,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    PromptTokensDetails,
    StreamingChoices,
    Usage,
)

__all__ = [
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetails",
    "Delta",
    "EmbeddingData",
    "EmbeddingResponse",
    "Function",
    "Message",
    "ModelResponse",
    "ModelResponseStream",
    "PromptTokensDetails",
    "StreamingChoices",
    "Usage",
]
