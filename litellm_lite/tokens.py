"""Token counting (LiteLLM's ``token_counter``).

When the optional ``tiktoken`` package is importable (it is never required, and it is imported
only inside :func:`token_counter`), text is encoded with the model's OpenAI encoding
(``o200k_base`` for gpt-4o / o-series / gpt-4.1 / gpt-5 models, ``cl100k_base`` otherwise):
exact for OpenAI models, a close approximation for the others.

Without it, the count is an estimate computed from the text alone:

- ASCII words count ``len / 6`` tokens rounded half up, at least 1 (common words are one
  token, long rare words split); digit runs one token per 3 digits; runs of other symbols one
  token per 2 characters; letters of CJK and other wide scripts one token each (other non-ASCII
  words: one per 3 characters);
- like OpenAI's chat format, each message adds 3 tokens (plus 1 for a ``name``) and the reply
  is primed with 3 more; an image part counts 85 tokens (OpenAI's low-detail figure), an audio or
  file part 100; tool definitions count as their JSON text.

``benchmarks/token_estimate.py`` measures the estimate against the ``usage`` that providers
reported in the recordings under ``../shared/cassettes``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from .exceptions import BadRequestError

__all__ = ["token_counter", "estimate_text_tokens", "encode", "decode"]

logger = logging.getLogger("litellm_lite")

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3
IMAGE_TOKENS = 85
OTHER_MEDIA_TOKENS = 100

_PIECES = re.compile(r"[^\W\d_]+|\d+|[^\w\s]+|_+")
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "gpt-oss")


def estimate_text_tokens(text: str) -> int:
    """The tokenizer-free estimate of the number of tokens in ``text`` (see the module docstring)."""
    total = 0
    for piece in _PIECES.findall(text):
        first = piece[0]
        if first.isdigit():
            total += math.ceil(len(piece) / 3)
        elif first.isalpha():
            if piece.isascii():
                total += max(1, (len(piece) + 3) // 6)
            else:
                wide = sum(1 for ch in piece if ord(ch) >= 0x2E80)
                total += wide + math.ceil((len(piece) - wide) / 3)
        else:
            total += math.ceil(len(piece) / 2)
    return total


def _tiktoken_encoding(model: str) -> Any:
    """The model's tiktoken encoding, or None when tiktoken is missing or cannot load it."""
    try:
        import tiktoken  # type: ignore[import-not-found]  # optional, never required
    except Exception:
        return None
    name = model.rsplit("/", 1)[-1].lower()
    try:
        try:
            return tiktoken.encoding_for_model(name)
        except KeyError:
            base = "o200k_base" if name.startswith(_O200K_PREFIXES) else "cl100k_base"
            return tiktoken.get_encoding(base)
    except Exception as exc:  # e.g. the encoding file cannot be fetched offline
        logger.debug("litellm_lite: tiktoken unavailable for %r (%s)", model, exc)
        return None


def _tiktoken_counter(model: str) -> Optional[Callable[[str], int]]:
    """An exact counter from tiktoken, or None when tiktoken is missing or cannot load."""
    encoding = _tiktoken_encoding(model)
    if encoding is None:
        return None

    def count(text: str) -> int:
        return len(encoding.encode(text, disallowed_special=()))

    return count


def _content_tokens(content: Any, count: Callable[[str], int]) -> int:
    if content is None:
        return 0
    if isinstance(content, str):
        return count(content)
    if isinstance(content, Sequence) and not isinstance(content, (bytes, bytearray)):
        total = 0
        for part in content:
            if isinstance(part, str):
                total += count(part)
            elif isinstance(part, Mapping):
                kind = part.get("type")
                if kind == "text" or (kind is None and isinstance(part.get("text"), str)):
                    text = part.get("text")
                    total += count(text) if isinstance(text, str) else 0
                elif kind in ("image_url", "image"):
                    total += IMAGE_TOKENS
                else:
                    total += OTHER_MEDIA_TOKENS
        return total
    return count(json.dumps(content, default=str, ensure_ascii=False))


def _message_tokens(message: Mapping[str, Any], count: Callable[[str], int]) -> int:
    total = TOKENS_PER_MESSAGE
    role = message.get("role")
    if isinstance(role, str):
        total += count(role)
    total += _content_tokens(message.get("content"), count)
    name = message.get("name")
    if isinstance(name, str) and name:
        total += count(name) + TOKENS_PER_NAME
    tool_calls = message.get("tool_calls")
    if isinstance(tool_calls, list):
        for call in tool_calls:
            function = call.get("function") if isinstance(call, Mapping) else None
            if isinstance(function, Mapping):
                for key in ("name", "arguments"):
                    value = function.get(key)
                    if isinstance(value, str):
                        total += count(value)
                    elif value is not None:
                        total += count(json.dumps(value, default=str, ensure_ascii=False))
    function_call = message.get("function_call")
    if isinstance(function_call, Mapping):
        total += count(json.dumps(function_call, default=str, ensure_ascii=False))
    return total


def token_counter(
    model: str = "",
    messages: Optional[List[Dict[str, Any]]] = None,
    text: Optional[str] = None,
    tools: Optional[List[Dict[str, Any]]] = None,
    count_response_tokens: bool = False,
) -> int:
    """Number of tokens in ``messages`` (OpenAI chat format) or ``text``.

    Exact for OpenAI models when ``tiktoken`` is importable, otherwise an estimate (see the
    module docstring). With ``messages``, the per-message and reply-priming overhead of the chat
    format is included unless ``count_response_tokens`` is true (counting a reply).
    """
    if messages is None and text is None:
        raise BadRequestError("token_counter needs messages=... or text=...", "", model or "")
    counter = _tiktoken_counter(model or "") or estimate_text_tokens
    if text is not None:
        if not isinstance(text, str):
            raise BadRequestError("token_counter: text must be a string", "", model or "")
        total = counter(text)
    else:
        if not isinstance(messages, list):
            raise BadRequestError("token_counter: messages must be a list of message dicts", "", model or "")
        total = 0
        for message in messages:
            if not isinstance(message, Mapping):
                raise BadRequestError("token_counter: every message must be a dict", "", model or "")
            total += _message_tokens(message, counter)
        if not count_response_tokens:
            total += REPLY_PRIMING_TOKENS
    if tools:
        total += counter(json.dumps(tools, default=str, ensure_ascii=False))
    return total


def _tokenizer(model: str, custom_tokenizer: Any, what: str) -> Any:
    """The object whose ``encode``/``decode`` serve ``model``: the caller's, else tiktoken's."""
    if custom_tokenizer is not None:
        tokenizer = custom_tokenizer.get("tokenizer") if isinstance(custom_tokenizer, Mapping) else custom_tokenizer
        if not callable(getattr(tokenizer, "encode", None)) or not callable(getattr(tokenizer, "decode", None)):
            raise BadRequestError(
                "custom_tokenizer must have encode() and decode() methods (or be {'tokenizer': such an object})",
                "",
                model,
            )
        return tokenizer
    encoding = _tiktoken_encoding(model)
    if encoding is None:
        raise BadRequestError(
            "%s() needs a real tokenizer: install the optional 'tiktoken' package (with its encoding files "
            "available offline) or pass custom_tokenizer=...; token_counter() works without one" % what,
            "",
            model,
        )
    return encoding


def _ids_of(encoded: Any, model: str) -> List[int]:
    ids = getattr(encoded, "ids", encoded)  # Hugging Face tokenizers return an Encoding with .ids
    if not isinstance(ids, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise BadRequestError("the tokenizer returned %s, not a list of token ids" % type(ids).__name__, "", model)
    return list(ids)


def encode(model: str = "", text: str = "", custom_tokenizer: Any = None) -> List[int]:
    """The token ids of ``text`` for ``model`` (LiteLLM's ``encode``).

    Exact with ``tiktoken`` (OpenAI encodings) or with ``custom_tokenizer`` (any object with
    ``encode``/``decode``, e.g. a Hugging Face tokenizer, or ``{"tokenizer": obj}``). Without
    either, raises BadRequestError: ids cannot be approximated (use ``token_counter`` to count).
    """
    if not isinstance(text, str):
        raise BadRequestError("encode: text must be a string", "", str(model))
    tokenizer = _tokenizer(str(model or ""), custom_tokenizer, "encode")
    if custom_tokenizer is None:
        return _ids_of(tokenizer.encode(text, disallowed_special=()), str(model))
    return _ids_of(tokenizer.encode(text), str(model))


def decode(model: str = "", tokens: Optional[Sequence[int]] = None, custom_tokenizer: Any = None) -> str:
    """The text of token ids ``tokens`` for ``model`` (LiteLLM's ``decode``); see :func:`encode`."""
    ids = list(tokens) if isinstance(tokens, (list, tuple)) else None
    if ids is None or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in ids):
        raise BadRequestError("decode: tokens must be a list of non-negative integers", "", str(model))
    tokenizer = _tokenizer(str(model or ""), custom_tokenizer, "decode")
    try:
        text = tokenizer.decode(ids)
    except (KeyError, ValueError, IndexError, OverflowError) as exc:  # an id the vocabulary does not have
        raise BadRequestError("decode: token ids not in the tokenizer's vocabulary (%s)" % exc, "", str(model)) from None
    if not isinstance(text, str):
        raise BadRequestError("the tokenizer's decode returned %s, not text" % type(text).__name__, "", str(model))
    return text
