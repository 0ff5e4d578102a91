"""GenerateContentResponse -> OpenAI responses and stream chunks.

Text parts -> content, ``thought: true`` parts -> reasoning_content, ``functionCall`` parts ->
tool_calls (a call's ``thoughtSignature`` rides along in its id). A stream delivers one
GenerateContentResponse per event and ends properly with a ``finishReason`` (or a prompt block).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Set, Tuple

from ...exceptions import APIConnectionError
from ...types import Choices, Delta, Message, ModelResponse, ModelResponseStream, PromptTokensDetails, Usage
from ..base import ChatRequest, StreamState, WireResponse, delta_tool_call, load_json, map_finish_reason, tool_call, \
    usage_from_counts
from .errors import payload_error
from .messages import THOUGHT_SIGNATURE_SEPARATOR

if TYPE_CHECKING:  # pragma: no cover
    from ...config import CallConfig

__all__ = ["gemini_usage", "embedding_floats", "parse_response", "GeminiStreamState", "stream_item"]

_CANDIDATE_EXTRAS = (("safetyRatings", "safety_ratings"), ("citationMetadata", "citation_metadata"),
                     ("groundingMetadata", "grounding_metadata"), ("finishMessage", "finish_message"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def embedding_floats(values: List[Any], index: int, provider: str, model: str) -> List[float]:
    """An embedding's ``values`` as floats; APIConnectionError when one is not a number."""
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise APIConnectionError("embedding %d has a value that is not a number" % index, provider, model) from None


def _modality_details(details: Any, usage: Usage) -> None:
    """Per-modality prompt token counts (``promptTokensDetails``) into ``usage``."""
    if not isinstance(details, list):
        return
    by_modality: Dict[str, int] = {}
    for item in details:
        if isinstance(item, dict):
            modality = str(item.get("modality") or "").upper()
            by_modality[modality] = by_modality.get(modality, 0) + _int(item.get("tokenCount"))
    if by_modality:
        ptd = usage.prompt_tokens_details or PromptTokensDetails()
        ptd.text_tokens = by_modality.get("TEXT", 0) + by_modality.get("DOCUMENT", 0) or None
        ptd.image_tokens = by_modality.get("IMAGE") or None
        ptd.audio_tokens = by_modality.get("AUDIO") or None
        usage.prompt_tokens_details = ptd


def gemini_usage(meta: Any) -> Optional[Usage]:
    """OpenAI usage from ``usageMetadata`` (absent counts are 0: protobuf JSON omits zeros).

    As in LiteLLM, completion_tokens = candidatesTokenCount + thoughtsTokenCount unless the
    candidates count already includes the thoughts (prompt + candidates == total).
    """
    if not isinstance(meta, dict):
        return None
    prompt = _int(meta.get("promptTokenCount"))
    candidates = _int(meta.get("candidatesTokenCount"))
    thoughts = meta.get("thoughtsTokenCount")
    reasoning = _int(thoughts) if thoughts is not None else None
    total = _int(meta.get("totalTokenCount"))
    completion = candidates
    if reasoning and prompt + candidates != total:
        completion += reasoning
    cached = meta.get("cachedContentTokenCount")
    usage = usage_from_counts(
        prompt,
        completion,
        cached_tokens=_int(cached) if cached is not None else None,
        reasoning_tokens=reasoning,
        total_tokens=total or prompt + completion,
    )
    _modality_details(meta.get("promptTokensDetails"), usage)
    return usage


def _new_call_id(signature: Optional[str]) -> str:
    call_id = "call_" + uuid.uuid4().hex[:24]
    if signature:
        call_id += THOUGHT_SIGNATURE_SEPARATOR + signature
    return call_id


class _Parts:
    """What a candidate's ``content.parts`` say: texts, thoughts, calls, thinking blocks, signatures."""

    def __init__(self, parts: Any) -> None:
        self.texts: List[str] = []
        self.thoughts: List[str] = []
        self.calls: List[Tuple[str, str, str]] = []  # (id, name, arguments JSON)
        self.blocks: List[Dict[str, Any]] = []
        self.signatures: List[str] = []
        for part in parts if isinstance(parts, list) else ():
            if isinstance(part, dict):
                self._add(part)

    def _add(self, part: Mapping[str, Any]) -> None:
        signature = part.get("thoughtSignature") if isinstance(part.get("thoughtSignature"), str) else None
        if signature:
            self.signatures.append(signature)
        call = part.get("functionCall")
        text = part.get("text")
        if isinstance(call, dict):
            self._add_call(call, signature)
        elif isinstance(text, str):
            self._add_text(text, part.get("thought") is True, signature)
        elif isinstance(part.get("executableCode"), dict):
            code = part["executableCode"]
            language = str(code.get("language") or "").lower().replace("language_unspecified", "")
            self.texts.append("```%s\n%s\n```\n" % (language, code.get("code") or ""))
        elif isinstance(part.get("codeExecutionResult"), dict):
            self.texts.append("```\n%s\n```\n" % (part["codeExecutionResult"].get("output") or ""))

    def _add_call(self, call: Mapping[str, Any], signature: Optional[str]) -> None:
        args = call.get("args") if isinstance(call.get("args"), dict) else {}
        call_id = call.get("id") if isinstance(call.get("id"), str) and call.get("id") else None
        if call_id is None:
            call_id = _new_call_id(signature)
        elif signature:
            call_id += THOUGHT_SIGNATURE_SEPARATOR + signature
        self.calls.append((call_id, str(call.get("name") or ""), json.dumps(args, ensure_ascii=False)))

    def _add_text(self, text: str, thought: bool, signature: Optional[str]) -> None:
        if thought:
            self.thoughts.append(text)
            block: Dict[str, Any] = {"type": "thinking", "thinking": text}
            if signature:
                block["signature"] = signature
            self.blocks.append(block)
        elif text:
            self.texts.append(text)


def _logprobs(result: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(result, dict) or not isinstance(result.get("chosenCandidates"), list):
        return None
    tops_raw = result.get("topCandidates")
    tops: List[Any] = tops_raw if isinstance(tops_raw, list) else []
    content = []
    for i, chosen in enumerate(result["chosenCandidates"]):
        if not isinstance(chosen, dict):
            continue
        top_list = []
        if i < len(tops) and isinstance(tops[i], dict) and isinstance(tops[i].get("candidates"), list):
            top_list = [{"token": c.get("token"), "logprob": c.get("logProbability"), "bytes": None}
                        for c in tops[i]["candidates"] if isinstance(c, dict)]
        content.append({"token": chosen.get("token"), "logprob": chosen.get("logProbability"), "bytes": None,
                        "top_logprobs": top_list})
    return {"content": content}


def _choice(candidate: Mapping[str, Any], position: int) -> Choices:
    parts = _Parts(_mapping(candidate.get("content")).get("parts"))
    tool_calls = [tool_call(call_id, name, args) for call_id, name, args in parts.calls]
    raw_finish = candidate.get("finishReason")
    if tool_calls:
        finish = "tool_calls"
    elif isinstance(raw_finish, str):
        finish = map_finish_reason(raw_finish) or "stop"
    else:
        finish = "stop"
    extra: Dict[str, Any] = {}
    if parts.signatures:
        extra["thought_signatures"] = parts.signatures
    for key, name in _CANDIDATE_EXTRAS:
        if key in candidate:
            extra[name] = candidate[key]
    message = Message(
        content="".join(parts.texts) if parts.texts else None,
        role="assistant",
        tool_calls=tool_calls or None,
        reasoning_content="".join(parts.thoughts) if parts.thoughts else None,
        thinking_blocks=parts.blocks or None,
        provider_specific_fields=extra or None,
    )
    index = candidate.get("index")
    return Choices(finish_reason=finish, index=index if isinstance(index, int) else position, message=message,
                   logprobs=_logprobs(candidate.get("logprobsResult")))


def _no_candidates(payload: Mapping[str, Any], response: WireResponse, provider: str, model: str) -> Choices:
    """The one choice of a response without candidates: a blocked prompt, or nothing at all."""
    feedback = payload.get("promptFeedback")
    if not isinstance(feedback, dict) and "usageMetadata" not in payload:
        raise APIConnectionError("Gemini response has no candidates and no promptFeedback", provider, model,
                                 body=response.text()[:2000])
    blocked = isinstance(feedback, dict) and feedback.get("blockReason")
    return Choices(finish_reason="content_filter" if blocked else "stop", index=0,
                   message=Message(content=None, role="assistant"))


def parse_response(response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
    """A ``generateContent`` answer (an object, or a one-element array) -> ModelResponse."""
    provider, model = config.provider, config.model
    payload = load_json(response.body, provider, model)
    if isinstance(payload, list) and len(payload) == 1:
        payload = payload[0]
    if not isinstance(payload, dict):
        raise APIConnectionError("Gemini response is not a JSON object", provider, model, body=response.text()[:2000])
    if "error" in payload:
        raise payload_error(payload, provider, model, response.status, response.headers, response.text())
    candidates = payload.get("candidates")
    choices = [_choice(candidate, position)
               for position, candidate in enumerate(candidates if isinstance(candidates, list) else ())
               if isinstance(candidate, dict)]
    if not choices:
        choices.append(_no_candidates(payload, response, provider, model))
    result = ModelResponse(model=request.model, choices=choices, usage=gemini_usage(payload.get("usageMetadata")))
    if isinstance(payload.get("responseId"), str) and payload["responseId"]:
        result.id = payload["responseId"]
    if isinstance(payload.get("modelVersion"), str):
        result._hidden_params["model_version"] = payload["modelVersion"]
    if isinstance(payload.get("promptFeedback"), dict):
        result._hidden_params["prompt_feedback"] = payload["promptFeedback"]
    return result


# ---------------------------------------------------------------------------------------------
# Streams


@dataclass
class GeminiStreamState(StreamState):
    """A Gemini stream: which candidates started, finished and called tools, and pending usage."""

    seen: Set[int] = field(default_factory=set)
    finished: Set[int] = field(default_factory=set)
    with_tools: Set[int] = field(default_factory=set)
    tool_counts: Dict[int, int] = field(default_factory=dict)  # candidate index -> tool calls so far
    usage_pending: bool = False


def _candidate_chunk(candidate: Mapping[str, Any], position: int,
                     state: GeminiStreamState) -> Tuple[Optional[ModelResponseStream], bool]:
    """(the chunk for one streamed candidate or None, whether it carried a finishReason)."""
    raw_index = candidate.get("index")
    index = raw_index if isinstance(raw_index, int) else position
    parts = _Parts(_mapping(candidate.get("content")).get("parts"))
    delta = Delta()
    if index not in state.seen:
        state.seen.add(index)
        delta.role = "assistant"
    if parts.texts:
        delta.content = "".join(parts.texts)
    if parts.thoughts and "".join(parts.thoughts):
        delta.reasoning_content = "".join(parts.thoughts)
    if parts.calls:
        first = state.tool_counts.get(index, 0)
        state.tool_counts[index] = first + len(parts.calls)
        delta.tool_calls = [delta_tool_call(first + i, call_id, name, arguments)
                            for i, (call_id, name, arguments) in enumerate(parts.calls)]
        state.with_tools.add(index)
    finish: Optional[str] = None
    raw_finish = candidate.get("finishReason")
    if isinstance(raw_finish, str) and raw_finish:
        finish = "tool_calls" if index in state.with_tools else (map_finish_reason(raw_finish) or "stop")
        state.finished.add(index)
    if finish is None and delta.role is None and not (delta.content or delta.reasoning_content or parts.calls):
        return None, False
    return state.chunk(delta=delta, finish_reason=finish, index=index), finish is not None


def stream_item(item: Mapping[str, Any], state: GeminiStreamState) -> List[ModelResponseStream]:
    """The chunks of one streamed GenerateContentResponse."""
    if "error" in item:
        raise payload_error(item, state.provider, state.model, None, body=json.dumps(item)[:2000])
    if not state.response_id and isinstance(item.get("responseId"), str) and item["responseId"]:
        state.response_id = item["responseId"]
    usage = gemini_usage(item.get("usageMetadata"))
    if usage is not None:
        state.usage = usage
        state.usage_pending = True
    chunks: List[ModelResponseStream] = []
    ended = False
    candidates = item.get("candidates")
    for position, candidate in enumerate(candidates if isinstance(candidates, list) else ()):
        if isinstance(candidate, dict):
            chunk, finished = _candidate_chunk(candidate, position, state)
            ended = ended or finished
            if chunk is not None:
                chunks.append(chunk)
    feedback = item.get("promptFeedback")
    if not state.seen and isinstance(feedback, dict) and feedback.get("blockReason"):
        state.seen.add(0)
        state.finished.add(0)
        ended = True
        chunks.append(state.chunk(delta=Delta(role="assistant"), finish_reason="content_filter"))
    if ended:
        state.done = bool(state.seen) and state.seen <= state.finished
        if state.usage is not None and chunks:
            chunks[-1].usage = state.usage
            state.usage_pending = False
    return chunks
