"""The endpoints beyond chat: images, audio (transcription and speech), moderation, legacy completions.

Each function checks its own arguments, then travels the one road (``_call.run``): provider rows,
credentials, retries, error mapping, callbacks and prices are shared with ``completion()``. Which
providers serve which endpoint, and at which path, is data on each ProviderSpec (``endpoints``);
the wire translation is the adapter's (``prepare_endpoint`` / ``parse_endpoint``). A provider that
does not serve an endpoint gets a ``BadRequestError`` before anything is sent.

=====================  =============================================================
function               returns
=====================  =============================================================
image_generation()     :class:`~.endpoint_types.ImageResponse`
transcription()        :class:`~.endpoint_types.TranscriptionResponse`
speech()               :class:`~.endpoint_types.SpeechResponse` (body read lazily)
moderation()           :class:`~.endpoint_types.ModerationResponse`
text_completion()      :class:`~.endpoint_types.TextCompletionResponse`
                       or :class:`~.streaming.TextCompletionStreamWrapper`
=====================  =============================================================
"""

from __future__ import annotations

import os
from typing import IO, Any, Dict, List, Literal, Optional, Tuple, TypeVar, Union, cast, overload

from . import _call
from .endpoint_types import (
    ImageObject,
    ImageResponse,
    ModerationResponse,
    ModerationResult,
    SpeechResponse,
    TextChoices,
    TextCompletionResponse,
    TranscriptionResponse,
)
from .exceptions import BadRequestError
from .mock_calls import observe_mock
from .providers import get_spec
from .providers.multipart import FilePart, encode_multipart
from .streaming import TextCompletionStreamWrapper
from .types import Usage

__all__ = [
    "image_generation",
    "transcription",
    "speech",
    "moderation",
    "text_completion",
    "SpeechResponse",
    "TextCompletionStreamWrapper",
    "encode_multipart",
    "file_part",
    "FilePart",
    "guess_content_type",
    "supports_endpoint",
]

# Default model when the caller names none (LiteLLM's defaults).
_DEFAULT_MODELS: Dict[str, str] = {"image_generation": "openai/dall-e-2", "moderation": "openai/omni-moderation-latest"}


def supports_endpoint(provider: str, endpoint: str) -> bool:
    """True when ``provider``'s row declares ``endpoint`` (``image_generation``, ``speech``...)."""
    spec = get_spec(provider)
    return spec is not None and spec.serves(endpoint)


def _check(condition: bool, message: str, model: Any = "") -> None:
    if not condition:
        raise BadRequestError(message, "", str(model or ""))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mock_error(mock_response: Any, endpoint: str, model: Any, kwargs: Dict[str, Any]) -> None:
    """Raise a mocked error (an exception instance), observed as a failed call."""
    if isinstance(mock_response, BaseException):

        def fail() -> Any:
            raise mock_response

        observe_mock(endpoint, model, fail, kwargs)


_R = TypeVar("_R")


def _mocked(result: _R, model: Any, endpoint: str, kwargs: Dict[str, Any]) -> _R:
    """A mocked result, observed as a successful call."""
    result._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})  # type: ignore[attr-defined]
    return cast(_R, observe_mock(endpoint, model, lambda: result, kwargs))


def _road(endpoint: str, model: Optional[str], kwargs: Dict[str, Any], params: Dict[str, Any], **extra: Any) -> Any:
    if model is None:
        model = _DEFAULT_MODELS.get(endpoint)
        if model is None:
            raise BadRequestError("%s needs a model, e.g. model='openai/...'" % endpoint)
    custom = kwargs.pop("custom_llm_provider", None)
    info: Dict[str, Any] = {"input": params.get("prompt", params.get("input"))}
    return _call.run(endpoint, model, kwargs, params=params, custom_llm_provider=custom, call_info=info, **extra)


# ---------------------------------------------------------------------------------------------
# Images


def image_generation(
    prompt: str,
    model: Optional[str] = None,
    n: Optional[int] = None,
    quality: Optional[str] = None,
    response_format: Optional[str] = None,
    size: Optional[str] = None,
    style: Optional[str] = None,
    user: Optional[str] = None,
    *,
    mock_response: Any = None,
    **kwargs: Any,
) -> ImageResponse:
    """Generate images (OpenAI ``/images/generations`` and compatible); model defaults to ``dall-e-2``.

    Other keyword arguments (``background``, ``output_format``, ``moderation``...) go into the
    body; ``api_key``, ``api_base``, ``api_version``, ``timeout``, ``num_retries`` and
    ``extra_headers`` configure the call as for ``completion()``.
    """
    _check(isinstance(prompt, str) and prompt.strip() != "", "prompt must be a non-empty string", model)
    _check(n is None or (_is_int(n) and n >= 1), "n must be a positive integer", model)
    if mock_response is not None:
        _mock_error(mock_response, "image_generation", model, kwargs)
        if isinstance(mock_response, ImageResponse):
            return mock_response
        return _mocked(ImageResponse(data=[ImageObject(url=str(mock_response)) for _ in range(n or 1)]), model, "image_generation", kwargs)
    params = {"prompt": prompt, "n": n, "quality": quality, "response_format": response_format, "size": size,
              "style": style, "user": user}
    return cast(ImageResponse, _road("image_generation", model, kwargs, params))


# ---------------------------------------------------------------------------------------------
# Uploads


_AUDIO_TYPES: Dict[str, str] = {
    "flac": "audio/flac",
    "mp3": "audio/mpeg",
    "mpga": "audio/mpeg",
    "mpeg": "audio/mpeg",
    "mp4": "audio/mp4",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/opus",
    "wav": "audio/wav",
    "webm": "audio/webm",
    "aac": "audio/aac",
    "pcm": "audio/pcm",
    "json": "application/json",
    "txt": "text/plain",
}


def _sniff_extension(data: bytes) -> Optional[str]:
    """The audio container of ``data`` from its magic bytes, when recognisable."""
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def guess_content_type(filename: str) -> str:
    """Content type for a file name: audio types from a table, then ``mimetypes``, then octet-stream."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in _AUDIO_TYPES:
        return _AUDIO_TYPES[ext]
    import mimetypes

    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def _bytes_of(value: Any, what: str, model: str) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    reader = getattr(value, "read", None)
    if callable(reader):
        try:
            data = reader()
        except OSError as exc:
            raise BadRequestError("could not read %s: %s" % (what, exc), "", model) from exc
        if isinstance(data, str):
            raise BadRequestError("%s must be opened in binary mode ('rb')" % what, "", model)
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
    raise BadRequestError(
        "%s must be a path, bytes, a (filename, bytes) tuple or a binary file object, got %s"
        % (what, type(value).__name__),
        "",
        model,
    )


def file_part(file: Any, model: str = "") -> FilePart:
    """The upload for ``file``: a path, bytes, ``(name, bytes[, content_type])`` or a binary file object."""
    filename: Optional[str] = None
    content_type: Optional[str] = None
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise BadRequestError("could not read file %r: %s" % (str(path), exc.strerror or exc), "", model) from exc
        filename = os.path.basename(str(path))
    elif isinstance(file, tuple):
        if len(file) not in (2, 3) or not isinstance(file[0], (str, type(None))):
            raise BadRequestError("a file tuple is (filename, bytes) or (filename, bytes, content_type)", "", model)
        filename = file[0]
        data = _bytes_of(file[1], "file", model)
        if len(file) == 3:
            if not isinstance(file[2], str):
                raise BadRequestError("the content type in a file tuple must be a string", "", model)
            content_type = file[2]
    else:
        data = _bytes_of(file, "file", model)
        name = getattr(file, "name", None)
        if isinstance(name, (str, os.PathLike)) and not isinstance(file, (bytes, bytearray, memoryview)):
            filename = os.path.basename(os.fspath(name)) or None
    if not filename:
        ext = _sniff_extension(data)
        filename = "audio.%s" % ext if ext else "file"
    if content_type is None:
        content_type = guess_content_type(filename)
        if content_type == "application/octet-stream":
            ext = _sniff_extension(data)
            if ext:
                content_type = _AUDIO_TYPES[ext]
    return FilePart(str(filename), content_type, data)


# ---------------------------------------------------------------------------------------------
# Audio


def transcription(
    model: str,
    file: Any,
    language: Optional[str] = None,
    prompt: Optional[str] = None,
    response_format: Optional[str] = None,
    temperature: Optional[float] = None,
    *,
    mock_response: Any = None,
    **kwargs: Any,
) -> TranscriptionResponse:
    """Speech to text (``/audio/transcriptions``: OpenAI, Groq, Azure...), sent as multipart/form-data.

    ``file`` is a path, bytes, a ``(filename, bytes[, content_type])`` tuple or a binary file
    object. Other keyword arguments (``timestamp_granularities``, ``include``...) become form
    fields. With ``response_format`` ``text``/``srt``/``vtt`` the body is returned in ``text``.
    """
    _check(temperature is None or _is_number(temperature), "temperature must be a number", model)
    if mock_response is not None:
        _mock_error(mock_response, "transcription", model, kwargs)
        if isinstance(mock_response, TranscriptionResponse):
            return mock_response
        return _mocked(TranscriptionResponse(text=str(mock_response)), model, "transcription", kwargs)
    upload = file_part(file, str(model))
    params = {"language": language, "prompt": prompt, "response_format": response_format, "temperature": temperature}
    return cast(TranscriptionResponse, _road("transcription", model, kwargs, params, files=[("file", upload)]))


def speech(
    model: str,
    input: str,
    voice: Any,
    response_format: Optional[str] = None,
    speed: Optional[float] = None,
    *,
    mock_response: Any = None,
    **kwargs: Any,
) -> SpeechResponse:
    """Text to speech (``/audio/speech``); the audio is read lazily from the returned object."""
    _check(isinstance(input, str) and input != "", "input must be a non-empty string", model)
    _check(isinstance(voice, (str, dict)) and bool(voice), "voice must be a voice name or a {'id': ...} object", model)
    _check(speed is None or _is_number(speed), "speed must be a number", model)
    if mock_response is not None:
        _mock_error(mock_response, "speech", model, kwargs)
        data = mock_response if isinstance(mock_response, bytes) else str(mock_response).encode("utf-8")
        return _mocked(SpeechResponse(content=data, headers={"content-type": "application/octet-stream"}, model=str(model)), model, "speech", kwargs)
    params = {"input": input, "voice": voice, "response_format": response_format, "speed": speed}
    return cast(SpeechResponse, _road("speech", model, kwargs, params))


# ---------------------------------------------------------------------------------------------
# Moderation


def moderation(
    input: Any,
    model: Optional[str] = None,
    *,
    mock_response: Any = None,
    **kwargs: Any,
) -> ModerationResponse:
    """Classify text (or OpenAI's multi-modal inputs) for harmful content (``/moderations``).

    Without ``model`` OpenAI's ``omni-moderation-latest`` is used. Providers that send no
    ``flagged`` (Mistral) get it computed from the categories.
    """
    valid = isinstance(input, str) or (isinstance(input, list) and bool(input))
    _check(valid, "input must be a string or a non-empty list", model)
    if mock_response is not None:
        _mock_error(mock_response, "moderation", model, kwargs)
        if isinstance(mock_response, ModerationResponse):
            return mock_response
        # Any other value: one result per input, flagged when the value is truthy.
        count = 1 if isinstance(input, str) else len(input)
        results = [ModerationResult(flagged=bool(mock_response)) for _ in range(count)]
        return _mocked(ModerationResponse(model=model, results=results), model, "moderation", kwargs)
    return cast(ModerationResponse, _road("moderation", model, kwargs, {"input": input}))


# ---------------------------------------------------------------------------------------------
# Legacy text completions


def _mock_text_completion(text: str, model: str, stream: bool, kwargs: Dict[str, Any]) -> Any:
    if stream:
        from .providers.base import StreamState
        from .providers.openai_endpoints import TextCompletionStream
        from .providers.openai import OpenAIAdapter

        base = TextCompletionResponse(model=model)
        chunks: List[Any] = [
            TextCompletionResponse(id=base.id, created=base.created, model=model, choices=[TextChoices(text=text[i : i + 4])])
            for i in range(0, len(text), 4)
        ]
        chunks.append(
            TextCompletionResponse(id=base.id, created=base.created, model=model, choices=[TextChoices(text="", finish_reason="stop")])
        )
        adapter = TextCompletionStream(OpenAIAdapter())
        wrapper = TextCompletionStreamWrapper(None, adapter, StreamState(model=model, provider="mock"), model=model,
                                              provider="mock", chunks=chunks)
        return observe_mock("text_completion", model, lambda: wrapper, kwargs, stream=True)
    result = TextCompletionResponse(
        model=model,
        choices=[TextChoices(text=text, finish_reason="stop")],
        usage=Usage(prompt_tokens=1, completion_tokens=max(1, len(text) // 4)),
    )
    return _mocked(result, model, "text_completion", kwargs)


def _valid_prompt(prompt: Any) -> bool:
    if isinstance(prompt, str):
        return True
    if not isinstance(prompt, list) or not prompt:
        return False
    if all(isinstance(p, str) for p in prompt) or all(_is_int(p) for p in prompt):
        return True
    return all(isinstance(p, list) and p and all(_is_int(t) for t in p) for p in prompt)


@overload
def text_completion(
    model: str,
    prompt: Any = ...,
    max_tokens: Optional[int] = ...,
    temperature: Optional[float] = ...,
    stream: Literal[False] = ...,
    echo: Optional[bool] = ...,
    suffix: Optional[str] = ...,
    logprobs: Optional[int] = ...,
    n: Optional[int] = ...,
    stop: Any = ...,
    *,
    mock_response: Any = ...,
    **kwargs: Any,
) -> TextCompletionResponse: ...


@overload
def text_completion(
    model: str,
    prompt: Any,
    max_tokens: Optional[int],
    temperature: Optional[float],
    stream: Literal[True],
    echo: Optional[bool] = ...,
    suffix: Optional[str] = ...,
    logprobs: Optional[int] = ...,
    n: Optional[int] = ...,
    stop: Any = ...,
    *,
    mock_response: Any = ...,
    **kwargs: Any,
) -> TextCompletionStreamWrapper: ...


@overload
def text_completion(
    model: str,
    prompt: Any = ...,
    max_tokens: Optional[int] = ...,
    temperature: Optional[float] = ...,
    *,
    stream: Literal[True],
    echo: Optional[bool] = ...,
    suffix: Optional[str] = ...,
    logprobs: Optional[int] = ...,
    n: Optional[int] = ...,
    stop: Any = ...,
    mock_response: Any = ...,
    **kwargs: Any,
) -> TextCompletionStreamWrapper: ...


@overload
def text_completion(
    model: str,
    prompt: Any = ...,
    max_tokens: Optional[int] = ...,
    temperature: Optional[float] = ...,
    *,
    stream: bool,
    echo: Optional[bool] = ...,
    suffix: Optional[str] = ...,
    logprobs: Optional[int] = ...,
    n: Optional[int] = ...,
    stop: Any = ...,
    mock_response: Any = ...,
    **kwargs: Any,
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]: ...


def text_completion(
    model: str,
    prompt: Any = None,
    max_tokens: Optional[int] = None,
    temperature: Optional[float] = None,
    stream: bool = False,
    echo: Optional[bool] = None,
    suffix: Optional[str] = None,
    logprobs: Optional[int] = None,
    n: Optional[int] = None,
    stop: Any = None,
    *,
    mock_response: Any = None,
    **kwargs: Any,
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
    """Legacy completions (``/completions``): a TextCompletionResponse, or a stream of them.

    ``prompt`` is a string, a list of strings, a list of token ids or a list of token-id lists.
    Other OpenAI parameters (``top_p``, ``presence_penalty``, ``frequency_penalty``, ``best_of``,
    ``logit_bias``, ``seed``, ``user``, ``stream_options``) pass through as keyword arguments.
    On providers without ``/completions`` (Anthropic, Gemini...) the prompt is sent as one user
    message through chat completions (see :mod:`litellm_lite.text_bridge`).
    """
    _check(_valid_prompt(prompt), "prompt must be a string, a list of strings or a list of token ids", model)
    _check(isinstance(stream, bool), "stream must be True or False", model)
    _check(max_tokens is None or (_is_int(max_tokens) and max_tokens >= 0), "max_tokens must be a non-negative integer", model)
    _check(n is None or (_is_int(n) and n >= 1), "n must be a positive integer", model)
    _check(temperature is None or _is_number(temperature), "temperature must be a number", model)
    _check(logprobs is None or (_is_int(logprobs) and logprobs >= 0), "logprobs must be a non-negative integer", model)
    if mock_response is not None:
        _mock_error(mock_response, "text_completion", model, kwargs)
        if isinstance(mock_response, TextCompletionResponse) and not stream:
            return mock_response
        return cast(Union[TextCompletionResponse, TextCompletionStreamWrapper],
                    _mock_text_completion(str(mock_response), str(model), stream, kwargs))
    params = {"prompt": prompt, "max_tokens": max_tokens, "temperature": temperature, "echo": echo, "suffix": suffix,
              "logprobs": logprobs, "n": n, "stop": stop}
    from .text_bridge import serves_text_completion, text_completion_via_chat

    if model is not None and not serves_text_completion(model, kwargs.get("custom_llm_provider")):
        # chat-only providers, as LiteLLM does
        return cast(Union[TextCompletionResponse, TextCompletionStreamWrapper],
                    text_completion_via_chat(model, params, stream, kwargs))
    return cast(Union[TextCompletionResponse, TextCompletionStreamWrapper],
                _road("text_completion", model, kwargs, params, stream=stream))


# Kept for type checkers that import it from here.
BinaryFile = Union[str, "os.PathLike[str]", bytes, Tuple[str, bytes], IO[bytes]]
