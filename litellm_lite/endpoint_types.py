"""Response objects of the non-chat endpoints, in LiteLLM's (and OpenAI's) shape.

Dataclasses with attribute *and* item access (``r.data[0].url == r["data"][0]["url"]``),
``get()``, ``to_dict()``/``model_dump()`` and ``json()``, like the chat types in ``types.py``.
The speech endpoint returns :class:`SpeechResponse` (a binary body read lazily from its connection).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Union

from .exceptions import BadRequestError

from .types import Usage, Record, new_id

__all__ = [
    "ImageObject",
    "ImageUsage",
    "ImageResponse",
    "TranscriptionResponse",
    "ModerationResult",
    "ModerationResponse",
    "TextChoices",
    "TextCompletionResponse",
    "SpeechResponse",
]

if TYPE_CHECKING:  # pragma: no cover
    from ._http import HTTPResponse


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _now() -> int:
    return int(time.time())


@dataclass
class ImageObject(Record):
    """One generated image: a temporary ``url`` or the image itself as ``b64_json``."""

    url: Optional[str] = None
    b64_json: Optional[str] = None
    revised_prompt: Optional[str] = None


@dataclass
class ImageUsage(Record):
    """Token usage reported by the GPT image models (dall-e models report none)."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: Optional[Dict[str, Any]] = None


@dataclass
class ImageResponse(Record):
    """The answer of ``image_generation()``: ``data`` (ImageObject list), ``created``, ``usage``."""

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
class TranscriptionResponse(Record):
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
class ModerationResult(Record):
    """One input's verdict: ``flagged``, ``categories`` and ``category_scores``."""

    flagged: bool = False
    categories: Dict[str, Any] = field(default_factory=dict)
    category_scores: Dict[str, Any] = field(default_factory=dict)
    category_applied_input_types: Optional[Dict[str, Any]] = None


@dataclass
class ModerationResponse(Record):
    """The answer of ``moderation()``: one ModerationResult per input."""

    id: str = field(default_factory=lambda: new_id("modr-"))
    model: Optional[str] = None
    results: List[ModerationResult] = field(default_factory=list)
    _hidden_params: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _response_headers: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class TextChoices(Record):
    """One choice of a legacy completion: ``text``, ``logprobs`` and ``finish_reason``."""

    text: str = ""
    index: int = 0
    logprobs: Optional[Dict[str, Any]] = None
    finish_reason: Optional[str] = None


@dataclass
class TextCompletionResponse(Record):
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


class SpeechResponse:
    """The audio of a ``speech()`` call, read from the connection only when asked for.

    ``content`` reads (and keeps) the whole body; ``iter_bytes()`` and ``stream_to_file()`` pass
    it through in pieces without ever holding all of it. A body can be streamed once; after that
    only ``content`` read before streaming is available. Use as a context manager, or ``close()``
    a response that is not read to its end.
    """

    def __init__(
        self,
        response: Optional["HTTPResponse"] = None,
        *,
        content: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        provider: str = "",
        model: str = "",
    ) -> None:
        self._response = response
        self._content = content
        self._streamed = False
        self._provider = provider
        self._model = model
        source = headers if headers is not None else getattr(response, "headers", None) or {}
        self.headers: Dict[str, str] = {str(k).lower(): str(v) for k, v in dict(source).items()}
        self._hidden_params: Dict[str, Any] = {}

    @property
    def response_headers(self) -> Dict[str, str]:
        return self.headers

    @property
    def content_type(self) -> Optional[str]:
        return self.headers.get("content-type")

    @property
    def content(self) -> bytes:
        """The whole audio body (read on first access, then kept)."""
        if self._content is None:
            if self._streamed:
                raise BadRequestError(
                    "the speech body was already streamed (iter_bytes/stream_to_file); read .content first to keep it",
                    self._provider,
                    self._model,
                )
            response = self._response
            self._content = response.read() if response is not None else b""
            self._response = None
        return self._content

    def read(self) -> bytes:
        return self.content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        """The body in pieces of ``chunk_size`` bytes (the last one shorter), or as they arrive."""
        if chunk_size is not None and (not _is_int(chunk_size) or chunk_size <= 0):
            raise BadRequestError("chunk_size must be a positive integer", self._provider, self._model)
        if self._content is not None:
            data = self._content
            step = chunk_size or 65536
            for start in range(0, len(data), step):
                yield data[start : start + step]
            return
        if self._streamed:
            raise BadRequestError("the speech body was already streamed", self._provider, self._model)
        self._streamed = True
        response = self._response
        if response is None:
            return
        try:
            if chunk_size is None:
                while True:
                    piece = response.read1(65536)
                    if not piece:
                        return
                    yield piece
            pending = bytearray()
            while True:
                piece = response.read1(chunk_size)
                if not piece:
                    break
                pending += piece
                while len(pending) >= chunk_size:
                    yield bytes(pending[:chunk_size])
                    del pending[:chunk_size]
            if pending:
                yield bytes(pending)
        finally:
            response.close()
            self._response = None

    def stream_to_file(self, file: Union[str, "os.PathLike[str]"], chunk_size: Optional[int] = None) -> None:
        """Write the audio to ``file`` as it arrives (constant memory)."""
        with open(os.fspath(file), "wb") as out:
            for piece in self.iter_bytes(chunk_size):
                out.write(piece)

    def write_to_file(self, file: Union[str, "os.PathLike[str]"]) -> None:
        """Write the audio to ``file`` (through ``content``, so the bytes stay available)."""
        with open(os.fspath(file), "wb") as out:
            out.write(self.content)

    def close(self) -> None:
        response = self._response
        self._response = None
        if response is not None:
            response.close()

    def __enter__(self) -> "SpeechResponse":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finaliser
            pass

    def __repr__(self) -> str:
        return "<SpeechResponse %s%s>" % (self.content_type or "?", " (read)" if self._content is not None else "")
