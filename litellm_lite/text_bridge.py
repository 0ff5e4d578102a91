"""``text_completion()`` on providers without ``/completions`` (Anthropic, Gemini, Bedrock...).

As LiteLLM does, the prompt becomes one user message sent through ``completion()`` (the one road:
retries, callbacks, cost), and the chat answer becomes a
:class:`~litellm_lite.endpoint_types.TextCompletionResponse`; a stream becomes a
:class:`~litellm_lite.streaming.TextCompletionStreamWrapper` of text chunks. A list of prompt
strings makes one chat call per prompt, their choices numbered in order (not streamed).

``echo``, ``suffix``, ``logprobs`` and ``best_of`` have no chat equivalent: they raise
:class:`UnsupportedParamsError` unless ``drop_params=True``. Prompts given as token ids need a
provider that serves ``/completions``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .endpoint_types import TextChoices, TextCompletionResponse
from .exceptions import BadRequestError, UnsupportedParamsError
from .streaming import TextCompletionStreamWrapper
from .types import ModelResponseStream, Usage

__all__ = ["text_completion_via_chat", "ChatTextStream", "serves_text_completion"]

_NO_CHAT_EQUIVALENT = ("echo", "suffix", "logprobs", "best_of")


def serves_text_completion(model: Any, custom_llm_provider: Optional[str]) -> bool:
    """True when the model's provider row serves ``/completions`` itself."""
    from .providers import get_spec
    from .resolve import split_model

    provider, _ = split_model(model, custom_llm_provider)
    spec = get_spec(provider)
    return spec is not None and spec.serves("text_completion")


def _prompts(prompt: Any, model: str) -> List[str]:
    if isinstance(prompt, str):
        return [prompt]
    if isinstance(prompt, list) and prompt and all(isinstance(p, str) for p in prompt):
        return list(prompt)
    raise BadRequestError(
        "a prompt of token ids needs a provider that serves text completions; send text to %s" % model, "", model
    )


def _chat_params(params: Dict[str, Any], kwargs: Dict[str, Any], model: str) -> Dict[str, Any]:
    drop = bool(kwargs.get("drop_params"))
    out = {k: v for k, v in params.items() if v is not None and k != "prompt"}
    for name in _NO_CHAT_EQUIVALENT:
        value = out.pop(name, None)
        if value is None or value is False or drop:
            continue
        raise UnsupportedParamsError(
            "%s is not available when text_completion() goes through chat completions (model %s); "
            "pass drop_params=True to drop it" % (name, model),
            "",
            model,
        )
    return out


def text_completion_via_chat(model: str, params: Dict[str, Any], stream: bool, kwargs: Dict[str, Any]) -> Any:
    """The legacy completion of ``params["prompt"]`` answered by ``model``'s chat endpoint."""
    from .main import completion

    prompts = _prompts(params.get("prompt"), str(model))
    call = dict(kwargs)
    call.update(_chat_params(params, kwargs, str(model)))
    if stream:
        if len(prompts) != 1:
            raise BadRequestError("a streamed text completion takes one prompt, got %d" % len(prompts), "", str(model))
        chat_stream = completion(model, [{"role": "user", "content": prompts[0]}], stream=True, **call)
        return ChatTextStream(chat_stream)
    results = [completion(model, [{"role": "user", "content": text}], **call) for text in prompts]
    return _merged(results)


def _merged(results: List[Any]) -> TextCompletionResponse:
    first = results[0]
    choices: List[TextChoices] = []
    usage = Usage()
    costs: List[Any] = []
    for result in results:
        for choice in result.choices:
            text = choice.message.content if isinstance(choice.message.content, str) else ""
            choices.append(TextChoices(text=text, index=len(choices), finish_reason=choice.finish_reason))
        if result.usage is not None:
            usage.prompt_tokens += result.usage.prompt_tokens or 0
            usage.completion_tokens += result.usage.completion_tokens or 0
            usage.total_tokens += result.usage.total_tokens or 0
        costs.append(result._hidden_params.get("response_cost"))
    merged = TextCompletionResponse(id=first.id, created=first.created, model=first.model, choices=choices, usage=usage)
    merged._hidden_params = dict(first._hidden_params)
    merged._hidden_params["response_cost"] = None if None in costs else sum(costs)
    merged._response_headers = dict(first._response_headers)
    return merged


def text_chunk(chunk: ModelResponseStream) -> Optional[TextCompletionResponse]:
    """One chat stream chunk as a text-completion chunk (None when it carries nothing)."""
    choices = [
        TextChoices(text=choice.delta.content or "", index=choice.index, finish_reason=choice.finish_reason)
        for choice in chunk.choices
    ]
    if not choices and chunk.usage is None:
        return None
    result = TextCompletionResponse(id=chunk.id, created=chunk.created, model=chunk.model, choices=choices)
    result.usage = chunk.usage
    return result


class _ChatChunks:
    """Stand-in adapter of :class:`ChatTextStream` (its chunks are decoded by the chat stream)."""

    stream_format = "sse"


class ChatTextStream(TextCompletionStreamWrapper):
    """Text-completion chunks read from a chat-completions stream (same connection handling: a cut
    stream raises from the iteration, ``close()`` drops the connection)."""

    def __init__(self, chat_stream: Any) -> None:
        super().__init__(
            None, _ChatChunks(), None, model=chat_stream.model, provider=chat_stream.custom_llm_provider,  # type: ignore[arg-type]
        )
        self._chat = chat_stream
        self._eof = False
        self._hidden_params.update(chat_stream._hidden_params)
        self.response_headers = dict(chat_stream.response_headers)

    def _fill(self) -> None:
        try:
            chunk = next(self._chat)
        except StopIteration:
            self._eof = True
            return
        converted = text_chunk(chunk)
        if converted is not None:
            self._pending.append(converted)  # type: ignore[arg-type]  # the text wrapper carries text chunks

    def close(self) -> None:
        super().close()
        self._chat.close()
