"""Response objects in LiteLLM's (and OpenAI's) shape.

Plain dataclasses that also answer item access (``r["choices"][0]["message"]["content"]``),
``get()``, ``to_dict()``, ``model_dump()`` and ``json()``.
"""

from __future__ import annotations

import json as _json
import os
import time
from dataclasses import dataclass, field, fields

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterator, List, Optional
    from dataclasses import Field
    from typing import ClassVar

    from ._stream import (
        ChatCompletionDeltaToolCall,
        Delta,
        EmbeddingData,
        EmbeddingResponse,
        ModelResponseStream,
        StreamingChoices,
    )
    from ._tools import ChatCompletionMessageToolCall, CompletionTokensDetails, Function, PromptTokensDetails

__all__ = [
    "Function",
    "ChatCompletionMessageToolCall",
    "ChatCompletionDeltaToolCall",
    "Message",
    "Delta",
    "Choices",
    "StreamingChoices",
    "PromptTokensDetails",
    "CompletionTokensDetails",
    "Usage",
    "ModelResponse",
    "ModelResponseStream",
    "EmbeddingData",
    "EmbeddingResponse",
    "new_id",
]


def new_id(prefix: str = "chatcmpl-") -> str:
    """A fresh response id for providers that do not send one."""
    return prefix + os.urandom(12).hex()  # the 24 hex digits uuid4().hex[:24] gave, without importing uuid


def plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: dict-style access and serialisation for the dataclasses below.

    Fields whose name starts with ``_`` are private (``_hidden_params``) and never serialised.
    """

    if TYPE_CHECKING:  # pragma: no cover
        # Every subclass is a @dataclass (which sets this); declared so fields(cls) type-checks.
        __dataclass_fields__: ClassVar[Dict[str, Field[Any]]]
        # Per-class caches written by _field_names() and _public_fields().
        _names_cache: ClassVar["frozenset[str]"]
        _fields_cache: ClassVar["tuple[str, ...]"]

    def __getitem__(self, key: str) -> Any:
        if isinstance(key, str) and not key.startswith("_") and key in self._field_names():
            return getattr(self, key)
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self._field_names():
            raise KeyError(key)
        setattr(self, key, value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._field_names() and getattr(self, key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        if isinstance(key, str) and key in self._field_names():
            value = getattr(self, key)
            return default if value is None else value
        return default

    def keys(self) -> List[str]:
        return list(self.to_dict().keys())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    @classmethod
    def _field_names(cls) -> "frozenset[str]":
        names: "Optional[frozenset[str]]" = cls.__dict__.get("_names_cache")
        if names is None:
            names = frozenset(cls._public_fields())
            cls._names_cache = names
        return names

    @classmethod
    def _public_fields(cls) -> "tuple[str, ...]":
        """The serialised field names, in declaration order (computed once per class)."""
        names: "Optional[tuple[str, ...]]" = cls.__dict__.get("_fields_cache")
        if names is None:
            names = tuple(f.name for f in fields(cls) if not f.name.startswith("_"))
            cls._fields_cache = names
        return names

    def to_dict(self, exclude_none: bool = False) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for name in self._public_fields():
            value = getattr(self, name)
            if exclude_none and value is None:
                continue
            out[name] = plain(value)
        return out

    def model_dump(self, exclude_none: bool = False, **_: Any) -> Dict[str, Any]:
        return self.to_dict(exclude_none=exclude_none)

    def dict(self) -> Dict[str, Any]:
        return self.to_dict()

    def json(self, **kwargs: Any) -> str:
        return _json.dumps(self.to_dict(), **kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        return self.json(**kwargs)


@dataclass
class Message(Record):
    """The assistant's message of a chat completion choice."""

    content: Optional[str] = None
    role: str = "assistant"
    tool_calls: Optional[List[ChatCompletionMessageToolCall]] = None
    function_call: Optional[Function] = None
    reasoning_content: Optional[str] = None
    thinking_blocks: Optional[List[Dict[str, Any]]] = None
    refusal: Optional[str] = None
    provider_specific_fields: Optional[Dict[str, Any]] = None


@dataclass
class Choices(Record):
    """One choice of a chat completion: the message and why generation stopped."""

    finish_reason: Optional[str] = "stop"
    index: int = 0
    message: Message = field(default_factory=Message)
    logprobs: Optional[Any] = None


@dataclass
class Usage(Record):
    """Token counts. ``prompt_tokens`` includes cached and cache-write tokens; details say how many."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    completion_tokens_details: Optional[CompletionTokensDetails] = None
    cache_read_input_tokens: Optional[int] = None
    cache_creation_input_tokens: Optional[int] = None

    def __post_init__(self) -> None:
        if not self.total_tokens:
            self.total_tokens = (self.prompt_tokens or 0) + (self.completion_tokens or 0)


@dataclass
class ModelResponse(Record):
    """A complete chat completion (``object == "chat.completion"``)."""

    id: str = field(default_factory=new_id)
    created: int = field(default_factory=lambda: int(time.time()))
    model: Optional[str] = None
    object: str = "chat.completion"
    choices: List[Choices] = field(default_factory=list)
    usage: Optional[Usage] = None
    system_fingerprint: Optional[str] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


# Built on first use (a plain chat answer needs none of them): name -> the submodule that builds it.
_LAZY_TYPES = {
    "ChatCompletionDeltaToolCall": "_stream", "Delta": "_stream", "StreamingChoices": "_stream",
    "ModelResponseStream": "_stream", "EmbeddingData": "_stream", "EmbeddingResponse": "_stream",
    "Function": "_tools", "ChatCompletionMessageToolCall": "_tools", "PromptTokensDetails": "_tools",
    "CompletionTokensDetails": "_tools",
}


def __getattr__(name: str) -> Any:
    """The stream, embedding, tool-call and token-detail types, and ``types.utils`` (LiteLLM's path for
    these types), loaded on first use."""
    import importlib

    where = _LAZY_TYPES.get(name)
    if where is not None:
        value = getattr(importlib.import_module("." + where, __name__), name)
        globals()[name] = value
        return value
    if name == "utils":
        return importlib.import_module(".utils", __name__)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
