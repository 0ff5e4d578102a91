"""The Responses API objects in LiteLLM's (and OpenAI's) shape.

Dataclasses with attribute and item access, ``get()``, ``to_dict()``, ``model_dump()`` and
``json()`` like :mod:`litellm_lite.types`. Fields a provider sends that are not modelled here are
kept in ``_extra`` and serialised back by ``to_dict()``, so an output item passed back as input
on the next turn loses nothing (``encrypted_content``, ``status``, new fields).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Type, TypeVar, Union

from ..types import CompletionTokensDetails, PromptTokensDetails, Usage, plain, Record

__all__ = [
    "InputTokensDetails",
    "OutputTokensDetails",
    "ResponseAPIUsage",
    "IncompleteDetails",
    "ResponseError",
    "ResponseOutputText",
    "ResponseOutputRefusal",
    "ResponseOutputMessage",
    "ResponseFunctionToolCall",
    "ReasoningSummary",
    "ResponseReasoningItem",
    "GenericResponseOutputItem",
    "OutputItem",
    "ResponsesAPIResponse",
    "output_item_from_dict",
    "content_part_from_dict",
    "response_from_dict",
    "usage_from_dict",
    "new_response_id",
    "new_item_id",
]

T = TypeVar("T", bound="OpenRecord")


def new_response_id() -> str:
    """A fresh Responses id (``resp_`` + 32 hex digits) for responses built here."""
    return "resp_" + uuid.uuid4().hex


def new_item_id(prefix: str) -> str:
    """A fresh output item id: ``msg_``, ``fc_``, ``rs_`` + 32 hex digits."""
    return prefix + "_" + uuid.uuid4().hex


def _str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _int(value: Any) -> Optional[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return int(value)
    return None


def text_value(value: Any) -> str:
    """A text fragment from the wire: strings as they are, None as "", anything else as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


class OpenRecord(Record):
    """A record that keeps unknown wire fields in ``_extra`` and writes them back in ``to_dict()``."""

    _extra: Dict[str, Any]
    # Fields left out of to_dict() while None (the wire omits them rather than sending null).
    _omit_none: ClassVar[Tuple[str, ...]] = ()

    def __getitem__(self, key: str) -> Any:
        if isinstance(key, str) and key in self._extra and key not in self._field_names():
            return self._extra[key]
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or (isinstance(key, str) and self._extra.get(key) is not None)

    def get(self, key: str, default: Any = None) -> Any:
        if isinstance(key, str) and key not in self._field_names() and key in self._extra:
            value = self._extra[key]
            return default if value is None else value
        return super().get(key, default)

    def to_dict(self, exclude_none: bool = False) -> Dict[str, Any]:
        out = super().to_dict(exclude_none=exclude_none)
        for key in self._omit_none:
            if out.get(key, 0) is None:
                del out[key]
        for key, value in self._extra.items():
            if key not in out and not (exclude_none and value is None):
                out[key] = plain(value)
        return out

    @classmethod
    def from_wire(cls: Type[T], data: Dict[str, Any], **converted: Any) -> T:
        """Known fields from ``data`` (``converted`` overrides them), the rest into ``_extra``."""
        names = cls._field_names()
        kwargs: Dict[str, Any] = {}
        extra: Dict[str, Any] = {}
        for key, value in data.items():
            if key in names:
                kwargs[key] = value
            elif isinstance(key, str):
                extra[key] = value
        kwargs.update(converted)
        kwargs["_extra"] = extra
        return cls(**kwargs)


# -- usage ---------------------------------------------------------------------------------------


@dataclass
class InputTokensDetails(OpenRecord):
    cached_tokens: Optional[int] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class OutputTokensDetails(OpenRecord):
    reasoning_tokens: Optional[int] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseAPIUsage(OpenRecord):
    """Token counts: ``input_tokens`` includes cached tokens, ``output_tokens`` reasoning tokens."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: Optional[InputTokensDetails] = None
    output_tokens_details: Optional[OutputTokensDetails] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.total_tokens:
            self.total_tokens = (self.input_tokens or 0) + (self.output_tokens or 0)

    @property
    def cached_tokens(self) -> Optional[int]:
        return self.input_tokens_details.cached_tokens if self.input_tokens_details else None

    @property
    def reasoning_tokens(self) -> Optional[int]:
        return self.output_tokens_details.reasoning_tokens if self.output_tokens_details else None

    def to_chat_usage(self) -> Usage:
        """The same counts as a chat :class:`~litellm_lite.types.Usage` (for cost and callbacks)."""
        usage = Usage(
            prompt_tokens=self.input_tokens or 0,
            completion_tokens=self.output_tokens or 0,
            total_tokens=self.total_tokens or 0,
        )
        if self.cached_tokens is not None:
            usage.prompt_tokens_details = PromptTokensDetails(cached_tokens=self.cached_tokens)
            usage.cache_read_input_tokens = self.cached_tokens
        if self.reasoning_tokens is not None:
            usage.completion_tokens_details = CompletionTokensDetails(reasoning_tokens=self.reasoning_tokens)
        return usage

    @classmethod
    def from_chat_usage(cls, usage: Optional[Usage]) -> Optional["ResponseAPIUsage"]:
        """A chat Usage (prompt/completion tokens) as Responses usage; None stays None."""
        if usage is None:
            return None
        out = cls(
            input_tokens=usage.prompt_tokens or 0,
            output_tokens=usage.completion_tokens or 0,
            total_tokens=usage.total_tokens or 0,
        )
        cached = usage.prompt_tokens_details.cached_tokens if usage.prompt_tokens_details else None
        if cached is None:
            cached = usage.cache_read_input_tokens
        out.input_tokens_details = InputTokensDetails(cached_tokens=cached or 0)
        reasoning = usage.completion_tokens_details.reasoning_tokens if usage.completion_tokens_details else None
        out.output_tokens_details = OutputTokensDetails(reasoning_tokens=reasoning or 0)
        return out


def usage_from_dict(raw: Any) -> Optional[ResponseAPIUsage]:
    """A wire ``usage`` object -> ResponseAPIUsage; None for anything that is not an object."""
    if not isinstance(raw, dict):
        return None
    itd = raw.get("input_tokens_details")
    otd = raw.get("output_tokens_details")
    return ResponseAPIUsage.from_wire(
        raw,
        input_tokens=_int(raw.get("input_tokens")) or 0,
        output_tokens=_int(raw.get("output_tokens")) or 0,
        total_tokens=_int(raw.get("total_tokens")) or 0,
        input_tokens_details=(
            InputTokensDetails.from_wire(itd, cached_tokens=_int(itd.get("cached_tokens")))
            if isinstance(itd, dict)
            else None
        ),
        output_tokens_details=(
            OutputTokensDetails.from_wire(otd, reasoning_tokens=_int(otd.get("reasoning_tokens")))
            if isinstance(otd, dict)
            else None
        ),
    )


@dataclass
class IncompleteDetails(OpenRecord):
    """Why a response stopped early: ``max_output_tokens`` or ``content_filter``."""

    reason: Optional[str] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseError(OpenRecord):
    """The ``error`` of a failed response (``status == "failed"``)."""

    code: Optional[str] = None
    message: str = ""
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# -- output items ----------------------------------------------------------------------------------


@dataclass
class ResponseOutputText(OpenRecord):
    type: str = "output_text"
    text: str = ""
    annotations: List[Any] = field(default_factory=list)
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseOutputRefusal(OpenRecord):
    type: str = "refusal"
    refusal: str = ""
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


ContentPart = Union[ResponseOutputText, ResponseOutputRefusal, Dict[str, Any]]


@dataclass
class ResponseOutputMessage(OpenRecord):
    """An assistant message: ``content`` holds ``output_text`` and ``refusal`` parts."""

    type: str = "message"
    id: str = ""
    role: str = "assistant"
    status: Optional[str] = "completed"
    content: List[ContentPart] = field(default_factory=list)
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseFunctionToolCall(OpenRecord):
    """A function call: ``arguments`` is a JSON string; answer it with a ``function_call_output``
    input item carrying the same ``call_id``."""

    _omit_none = ("id", "status")

    type: str = "function_call"
    id: Optional[str] = None
    call_id: str = ""
    name: str = ""
    arguments: str = ""
    status: Optional[str] = "completed"
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ReasoningSummary(OpenRecord):
    type: str = "summary_text"
    text: str = ""
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ResponseReasoningItem(OpenRecord):
    """A reasoning item: ``summary`` parts (when asked for) and ``encrypted_content`` (when
    ``include=["reasoning.encrypted_content"]``)."""

    _omit_none = ("status", "encrypted_content")

    type: str = "reasoning"
    id: str = ""
    summary: List[ReasoningSummary] = field(default_factory=list)
    encrypted_content: Optional[str] = None
    status: Optional[str] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def summary_text(self) -> str:
        """The summary parts joined by a blank line."""
        return "\n\n".join(part.text for part in self.summary)


@dataclass
class GenericResponseOutputItem(OpenRecord):
    """An output item of a type not modelled here (web_search_call, mcp_call...): all fields kept."""

    _omit_none = ("id",)

    type: str = ""
    id: Optional[str] = None
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


OutputItem = Union[ResponseOutputMessage, ResponseFunctionToolCall, ResponseReasoningItem, GenericResponseOutputItem]


def content_part_from_dict(raw: Any) -> ContentPart:
    """A message content part: ``output_text`` and ``refusal`` typed, others kept as dicts."""
    if not isinstance(raw, dict):
        return {"type": "unknown", "value": raw}
    kind = raw.get("type")
    if kind == "output_text":
        annotations = raw.get("annotations")
        return ResponseOutputText.from_wire(
            raw, text=text_value(raw.get("text")), annotations=annotations if isinstance(annotations, list) else []
        )
    if kind == "refusal":
        return ResponseOutputRefusal.from_wire(raw, refusal=text_value(raw.get("refusal")))
    return dict(raw)


def output_item_from_dict(raw: Any) -> OutputItem:
    """One wire output item -> its typed record (unknown types as :class:`GenericResponseOutputItem`)."""
    if not isinstance(raw, dict):
        return GenericResponseOutputItem(type="unknown", _extra={"value": raw})
    kind = raw.get("type")
    if kind == "message":
        content = raw.get("content")
        return ResponseOutputMessage.from_wire(
            raw,
            id=text_value(raw.get("id")),
            role=_str(raw.get("role")) or "assistant",
            content=[content_part_from_dict(p) for p in content] if isinstance(content, list) else [],
        )
    if kind == "function_call":
        return ResponseFunctionToolCall.from_wire(
            raw,
            id=_str(raw.get("id")),
            call_id=text_value(raw.get("call_id")),
            name=text_value(raw.get("name")),
            arguments=text_value(raw.get("arguments")),
        )
    if kind == "reasoning":
        summary = raw.get("summary")
        parts = [
            ReasoningSummary.from_wire(p, text=text_value(p.get("text")))
            for p in (summary if isinstance(summary, list) else [])
            if isinstance(p, dict)
        ]
        return ResponseReasoningItem.from_wire(
            raw, id=text_value(raw.get("id")), summary=parts, encrypted_content=_str(raw.get("encrypted_content"))
        )
    return GenericResponseOutputItem.from_wire(raw, type=text_value(kind), id=_str(raw.get("id")))


# -- the response ----------------------------------------------------------------------------------


@dataclass
class ResponsesAPIResponse(OpenRecord):
    """A Responses API response (``object == "response"``).

    ``output_text`` joins the text of every ``output_text`` part; ``_hidden_params`` carries
    what LiteLLM puts there (``response_cost``, the provider, the call id).
    """

    id: str = field(default_factory=new_response_id)
    object: str = "response"
    created_at: int = field(default_factory=lambda: int(time.time()))
    status: Optional[str] = "completed"
    model: Optional[str] = None
    output: List[OutputItem] = field(default_factory=list)
    usage: Optional[ResponseAPIUsage] = None
    error: Optional[ResponseError] = None
    incomplete_details: Optional[IncompleteDetails] = None
    instructions: Optional[Any] = None
    metadata: Optional[Dict[str, Any]] = None
    parallel_tool_calls: Optional[bool] = None
    previous_response_id: Optional[str] = None
    reasoning: Optional[Dict[str, Any]] = None
    temperature: Optional[float] = None
    text: Optional[Dict[str, Any]] = None
    tool_choice: Optional[Any] = None
    tools: List[Any] = field(default_factory=list)
    top_p: Optional[float] = None
    max_output_tokens: Optional[int] = None
    truncation: Optional[str] = None
    user: Optional[str] = None
    store: Optional[bool] = None
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _extra: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def output_text(self) -> str:
        """The text of every ``output_text`` part of every message item, in order."""
        return "".join(
            part.text
            for item in self.output
            if isinstance(item, ResponseOutputMessage)
            for part in item.content
            if isinstance(part, ResponseOutputText)
        )

    @property
    def refusal(self) -> Optional[str]:
        """The joined ``refusal`` parts, or None when the model did not refuse."""
        parts = [
            part.refusal
            for item in self.output
            if isinstance(item, ResponseOutputMessage)
            for part in item.content
            if isinstance(part, ResponseOutputRefusal)
        ]
        return "".join(parts) if parts else None

    @property
    def function_calls(self) -> List[ResponseFunctionToolCall]:
        """The ``function_call`` output items, in order."""
        return [item for item in self.output if isinstance(item, ResponseFunctionToolCall)]

    def __getitem__(self, key: str) -> Any:
        if key == "output_text":
            return self.output_text
        return super().__getitem__(key)


def response_from_dict(raw: Dict[str, Any]) -> ResponsesAPIResponse:
    """A wire response object (dict) -> ResponsesAPIResponse; odd field types never raise."""
    output = raw.get("output")
    error = raw.get("error")
    incomplete = raw.get("incomplete_details")
    tools = raw.get("tools")
    metadata = raw.get("metadata")
    created = _int(raw.get("created_at"))
    return ResponsesAPIResponse.from_wire(
        raw,
        id=text_value(raw.get("id")),
        object=_str(raw.get("object")) or "response",
        created_at=created if created is not None else int(time.time()),
        status=_str(raw.get("status")),
        model=_str(raw.get("model")),
        output=[output_item_from_dict(item) for item in output] if isinstance(output, list) else [],
        usage=usage_from_dict(raw.get("usage")),
        error=(
            ResponseError.from_wire(error, code=_str(error.get("code")), message=text_value(error.get("message")))
            if isinstance(error, dict)
            else None
        ),
        incomplete_details=(
            IncompleteDetails.from_wire(incomplete, reason=_str(incomplete.get("reason")))
            if isinstance(incomplete, dict)
            else None
        ),
        tools=tools if isinstance(tools, list) else [],
        metadata=metadata if isinstance(metadata, dict) else None,
    )
