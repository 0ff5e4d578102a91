"""The endpoints beyond chat: images, audio (transcription and speech), moderation, legacy completions.

Every function follows the chat road (``resolve`` -> ``config`` -> request -> ``send_with_retries``
-> parse) and reuses its pieces: provider rows, credentials, retries, error mapping by the
adapter's ``parse_error``, callbacks and registry prices. These endpoints exist only in OpenAI's
wire format, so the provider's adapter must be the OpenAI one (or Azure's); which providers serve
which endpoint is data (:data:`ENDPOINT_PROVIDERS`), and so is the URL path
(:data:`ENDPOINT_PATHS`, :data:`PATH_OVERRIDES`). A provider that does not serve an endpoint gets a
``BadRequestError`` before anything is sent.

=====================  ===========================  =============================================
function               path                         returns
=====================  ===========================  =============================================
image_generation()     ``/images/generations``      :class:`~.endpoint_types.ImageResponse`
transcription()        ``/audio/transcriptions``    :class:`~.endpoint_types.TranscriptionResponse`
speech()               ``/audio/speech``            :class:`SpeechResponse` (body read lazily)
moderation()           ``/moderations``             :class:`~.endpoint_types.ModerationResponse`
text_completion()      ``/completions``             :class:`~.endpoint_types.TextCompletionResponse`
                                                    or :class:`TextCompletionStreamWrapper`
=====================  ===========================  =============================================

The transcription request is ``multipart/form-data``, built here by :func:`encode_multipart`.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
    cast,
)

from .config import CallConfig, resolve_config
from .endpoint_types import (
    ImageObject,
    ImageResponse,
    ImageUsage,
    ModerationResponse,
    ModerationResult,
    TextChoices,
    TextCompletionResponse,
    TranscriptionResponse,
)
from .exceptions import APIConnectionError, BadRequestError, LiteLLMError
from .params import CONFIG_KWARGS, IGNORED_KWARGS
from .providers import get_adapter, get_spec
from .providers.base import StreamEvent, StreamState, WireRequest, join_url, load_json
from .resolve import split_model
from .types import Usage

if TYPE_CHECKING:  # pragma: no cover
    from ._http import HTTPResponse
    from .providers.openai import OpenAIAdapter

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
    "ENDPOINT_PATHS",
    "ENDPOINT_PROVIDERS",
    "PATH_OVERRIDES",
    "supports_endpoint",
]

logger = logging.getLogger("litellm_lite")

# endpoint name -> path below the provider's api_base (OpenAI's routes).
ENDPOINT_PATHS: Dict[str, str] = {
    "image_generation": "/images/generations",
    "transcription": "/audio/transcriptions",
    "speech": "/audio/speech",
    "moderation": "/moderations",
    "text_completion": "/completions",
}

# (provider, endpoint) -> path, where a provider serves an endpoint somewhere else.
PATH_OVERRIDES: Dict[Tuple[str, str], str] = {
    ("deepseek", "text_completion"): "/beta/completions",  # DeepSeek's FIM / prefix completion (beta)
}

# endpoint -> built-in providers that serve it in OpenAI's format. Providers added at run time with
# register_provider() on the OpenAI adapter (private gateways) are assumed to serve all of them.
ENDPOINT_PROVIDERS: Dict[str, FrozenSet[str]] = {
    "image_generation": frozenset({"openai", "azure", "together_ai", "deepinfra", "xai"}),
    "transcription": frozenset({"openai", "azure", "groq", "together_ai", "deepinfra", "hosted_vllm"}),
    "speech": frozenset({"openai", "azure", "groq", "together_ai"}),
    "moderation": frozenset({"openai", "mistral"}),
    "text_completion": frozenset(
        {
            "openai", "azure", "together_ai", "fireworks_ai", "deepinfra", "hosted_vllm", "lm_studio",
            "openrouter", "nvidia_nim", "deepseek", "xai",
        }
    ),
}

# Default model when the caller names none (LiteLLM's defaults).
_DEFAULT_MODELS: Dict[str, str] = {"image_generation": "openai/dall-e-2", "moderation": "openai/omni-moderation-latest"}

_OPENAI_ADAPTERS = frozenset({"openai", "azure"})


def _builtin_provider_names() -> FrozenSet[str]:
    from .providers.native import NATIVE_SPECS
    from .providers.openai_compatible import OPENAI_COMPATIBLE_SPECS

    return frozenset(spec.name for spec in OPENAI_COMPATIBLE_SPECS + NATIVE_SPECS)


def supports_endpoint(provider: str, endpoint: str) -> bool:
    """True when ``provider`` serves ``endpoint`` (one of :data:`ENDPOINT_PATHS`)."""
    spec = get_spec(provider)
    if spec is None or endpoint not in ENDPOINT_PATHS or spec.adapter not in _OPENAI_ADAPTERS:
        return False
    if provider in ENDPOINT_PROVIDERS.get(endpoint, frozenset()):
        return True
    return spec.adapter == "openai" and provider not in _builtin_provider_names()


# ---------------------------------------------------------------------------------------------
# Shared plumbing


class _Call(NamedTuple):
    endpoint: str
    provider: str
    model: str
    config: CallConfig
    adapter: "OpenAIAdapter"
    extra_body: Dict[str, Any]


def _join(base: str, path: str) -> str:
    """``base`` + ``path`` where a leading part of ``path`` may already end ``base`` (``.../beta``)."""
    trimmed = base.split("?", 1)[0].rstrip("/")
    segments = [s for s in path.split("/") if s]
    for k in range(len(segments) - 1, 0, -1):
        if trimmed.endswith("/" + "/".join(segments[:k])):
            return trimmed + "/" + "/".join(segments[k:])
    return join_url(base, path)


def _url(call_provider: str, config: CallConfig, model: str, endpoint: str) -> str:
    path = PATH_OVERRIDES.get((call_provider, endpoint)) or ENDPOINT_PATHS[endpoint]
    builder = _URL_BUILDERS.get(config.spec.adapter)
    if builder is not None:
        return builder(config, model, path)
    return _join(config.api_base, path)


def _azure_endpoint_url(config: CallConfig, model: str, path: str) -> str:
    from .providers.azure import azure_url

    return azure_url(config.api_base, model, path, config.api_version)


# adapter name -> URL builder for providers whose URLs are not ``api_base + path``.
_URL_BUILDERS: Dict[str, Callable[[CallConfig, str, str], str]] = {"azure": _azure_endpoint_url}


def _prepare_call(
    endpoint: str,
    model: Optional[str],
    custom_llm_provider: Optional[str],
    kwargs: Dict[str, Any],
) -> _Call:
    """Resolve the provider, check that it serves ``endpoint``, and build the CallConfig.

    ``kwargs`` holds the caller's remaining keyword arguments: configuration ones are consumed,
    LiteLLM bookkeeping ones dropped, and the rest become body fields (``extra_body``).
    """
    if model is None:
        model = _DEFAULT_MODELS.get(endpoint)
        if model is None:
            raise BadRequestError("%s needs a model, e.g. model='openai/...'" % endpoint)
    provider, model_id = split_model(model, custom_llm_provider)
    spec = get_spec(provider)
    if spec is None:  # pragma: no cover - split_model only returns known providers
        raise BadRequestError("unknown provider %r" % provider, provider, model_id)
    if not supports_endpoint(provider, endpoint):
        served = sorted(ENDPOINT_PROVIDERS.get(endpoint, frozenset()))
        raise BadRequestError(
            "provider %r does not serve %s (%s); providers that do: %s"
            % (provider, endpoint, ENDPOINT_PATHS.get(endpoint, "?"), ", ".join(served)),
            provider,
            model_id,
        )
    config_kwargs: Dict[str, Any] = {}
    provider_kwargs: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in IGNORED_KWARGS:
            continue
        if key in CONFIG_KWARGS:
            if value is not None:
                config_kwargs[key] = value
        else:
            provider_kwargs[key] = value
    config_kwargs.update(provider_kwargs)
    config = resolve_config(spec, model_id, config_kwargs)
    extra_body = {k: v for k, v in config_kwargs.items() if k in provider_kwargs and v is not None}
    nested = extra_body.pop("extra_body", None)
    if isinstance(nested, dict):
        extra_body.update(nested)
    # supports_endpoint() above admitted only the _OPENAI_ADAPTERS names ("openai", "azure"), which
    # get_adapter() serves with OpenAIAdapter or its subclass AzureAdapter.
    adapter = cast("OpenAIAdapter", get_adapter(spec.adapter))
    return _Call(endpoint, provider, model_id, config, adapter, extra_body)


def _json_wire(call: _Call, body: Dict[str, Any], accept: str = "application/json") -> WireRequest:
    headers = call.adapter.headers(call.config)
    headers["Accept"] = accept
    return WireRequest(
        url=_url(call.provider, call.config, call.model, call.endpoint),
        headers=headers,
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
    )


def _hooks() -> Any:
    from . import observability

    return observability


def _call_info(call: _Call, request: Dict[str, Any], metadata: Any, stream: bool = False) -> Dict[str, Any]:
    return {
        "call_type": call.endpoint,
        "model": call.model,
        "provider": call.provider,
        "messages": [],
        "input": request.get("prompt", request.get("input")),
        "stream": stream,
        "api_base": call.config.api_base,
        "metadata": metadata,
        "optional_params": {k: v for k, v in request.items() if k not in ("prompt", "input", "model", "file")},
    }


def _send(call: _Call, wire: WireRequest, info: Dict[str, Any]) -> Tuple["HTTPResponse", Any, float]:
    """Send with retries, reporting pre-call and failure to the callbacks; returns (response, hooks, start)."""
    from .main import send_with_retries

    hooks = _hooks()
    start = time.time()
    if hooks is not None:
        hooks.pre_call(info)
    try:
        return send_with_retries(call.adapter, wire, call.config), hooks, start
    except LiteLLMError as exc:
        if hooks is not None:
            hooks.failure(info, exc, start, time.time())
        raise


def _finish(call: _Call, result: Any, response: "HTTPResponse", hooks: Any, info: Dict[str, Any], start: float,
            cost: Optional[float]) -> None:
    result._hidden_params.update(
        {
            "custom_llm_provider": call.provider,
            "api_base": call.config.api_base,
            "model": call.model,
            "response_cost": cost,
        }
    )
    result._response_headers = dict(response.headers)
    if hooks is not None:
        hooks.success(info, result, start, time.time())


def _read_json(call: _Call, response: "HTTPResponse", hooks: Any, info: Dict[str, Any], start: float) -> Dict[str, Any]:
    """The 2xx body as a JSON object; an ``{"error": ...}`` body or garbage raises our exception."""
    try:
        payload = load_json(response.read(), call.provider, call.model)
        if not isinstance(payload, dict):
            raise APIConnectionError("unexpected %s response body: %r" % (call.endpoint, str(payload)[:200]), call.provider, call.model)
        call.adapter._raise_body_error(payload, call.config)
        return payload
    except LiteLLMError as exc:
        if hooks is not None:
            hooks.failure(info, exc, start, time.time())
        raise


def _mock_error(mock_response: Any) -> None:
    if isinstance(mock_response, BaseException):
        raise mock_response


def _check(condition: bool, message: str, model: Any = "") -> None:
    if not condition:
        raise BadRequestError(message, "", str(model or ""))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _put(body: Dict[str, Any], **values: Any) -> None:
    for key, value in values.items():
        if value is not None:
            body[key] = value


def _str_or_none(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _int_of(mapping: Mapping[str, Any], key: str) -> int:
    """``mapping[key]`` when it is an int (not a bool), else 0."""
    value = mapping.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict_of(mapping: Mapping[str, Any], key: str) -> Dict[str, Any]:
    value = mapping.get(key)
    return dict(value) if isinstance(value, dict) else {}


def _registry_row(model: str, provider: str) -> Optional[Mapping[str, Any]]:
    try:
        from .registry import lookup
    except ImportError:  # pragma: no cover
        return None
    spec = lookup(model, provider)
    return spec.raw if spec is not None else None


def _price(row: Optional[Mapping[str, Any]], key: str) -> Optional[float]:
    if row is None:
        return None
    value = row.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# ---------------------------------------------------------------------------------------------
# Images


def _image_cost(
    model: str, provider: str, size: Optional[str], quality: Optional[str], count: int, usage: Optional[ImageUsage]
) -> Optional[float]:
    """Price of ``count`` images: per image, per pixel, or per token (GPT image models) from the registry."""
    try:
        size_text = size if isinstance(size, str) and size != "auto" else "1024x1024"
        size_key = size_text.replace("x", "-x-")
        names = ["%s/%s/%s" % (q, size_key, model) for q in ([quality] if quality else []) + ["standard"]]
        names += ["%s/%s" % (size_key, model)]
        for name in names:
            row = _registry_row(name, provider)
            if row is None:
                continue
            per_image = _price(row, "input_cost_per_image")
            if per_image is not None:
                return per_image * count
            per_pixel = _price(row, "input_cost_per_pixel")
            if per_pixel is not None:
                width, _, height = size_text.partition("x")
                return per_pixel * int(width) * int(height) * count
        row = _registry_row(model, provider)
        if row is not None and usage is not None:
            output_price = _price(row, "output_cost_per_image_token")
            if output_price is None:
                output_price = _price(row, "output_cost_per_token") or 0.0
            image_in = _int_of(usage.input_tokens_details or {}, "image_tokens")
            text_in = max(0, usage.input_tokens - image_in)
            image_in_price = _price(row, "input_cost_per_image_token")
            text_in_price = _price(row, "input_cost_per_token") or 0.0
            return (
                text_in * text_in_price
                + image_in * (text_in_price if image_in_price is None else image_in_price)
                + usage.output_tokens * output_price
            )
    except (ValueError, TypeError) as exc:
        logger.debug("image cost for %s failed: %s", model, exc)
    return None


def _image_usage(raw: Any) -> Optional[ImageUsage]:
    if not isinstance(raw, dict):
        return None
    details = raw.get("input_tokens_details")
    return ImageUsage(
        input_tokens=_int_of(raw, "input_tokens"),
        output_tokens=_int_of(raw, "output_tokens"),
        total_tokens=_int_of(raw, "total_tokens"),
        input_tokens_details=dict(details) if isinstance(details, dict) else None,
    )


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
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
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
        _mock_error(mock_response)
        if isinstance(mock_response, ImageResponse):
            return mock_response
        mocked = ImageResponse(data=[ImageObject(url=str(mock_response)) for _ in range(n or 1)])
        mocked._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})
        return mocked
    call = _prepare_call("image_generation", model, custom_llm_provider, kwargs)
    body: Dict[str, Any] = {"prompt": prompt, "model": call.model}
    _put(body, n=n, quality=quality, response_format=response_format, size=size, style=style, user=user)
    body.update(call.extra_body)
    if call.config.spec.adapter == "azure" and call.config.api_version not in ("v1", "latest", "preview"):
        body.pop("model", None)  # the deployment in the URL names the model
    info = _call_info(call, body, metadata)
    response, hooks, start = _send(call, _json_wire(call, body), info)
    payload = _read_json(call, response, hooks, info, start)
    images = []
    for item in payload.get("data") or []:
        if isinstance(item, dict):
            images.append(
                ImageObject(
                    url=_str_or_none(item.get("url")),
                    b64_json=_str_or_none(item.get("b64_json")),
                    revised_prompt=_str_or_none(item.get("revised_prompt")),
                )
            )
    result = ImageResponse(
        data=images,
        usage=_image_usage(payload.get("usage")),
        background=_str_or_none(payload.get("background")),
        output_format=_str_or_none(payload.get("output_format")),
        quality=_str_or_none(payload.get("quality")),
        size=_str_or_none(payload.get("size")),
    )
    if _is_int(payload.get("created")):
        result.created = payload["created"]
    cost = _image_cost(call.model, call.provider, result.size or size, result.quality or quality, len(images), result.usage)
    _finish(call, result, response, hooks, info, start, cost)
    return result


# ---------------------------------------------------------------------------------------------
# multipart/form-data


class FilePart(NamedTuple):
    filename: str
    content_type: str
    data: bytes


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


def _quote_header_value(value: str) -> str:
    """A quoted-string for Content-Disposition (HTML's rule: percent-encode ``"``, CR and LF)."""
    return value.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def encode_multipart(
    fields: Sequence[Tuple[str, Any]],
    files: Sequence[Tuple[str, FilePart]],
    boundary: Optional[str] = None,
) -> Tuple[bytes, str]:
    """``(body, content_type)`` of a multipart/form-data body.

    A list value becomes one ``name[]`` field per item (the form OpenAI's servers read); ``None``
    values are left out. The boundary is random and never occurs in the content.
    """
    parts: List[bytes] = []
    for name, value in fields:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            key = name if name.endswith("[]") else name + "[]"
            for item in value:
                parts.append(_field_bytes(key, _form_value(item)))
        else:
            parts.append(_field_bytes(name, _form_value(value)))
    for name, part in files:
        head = 'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n' % (
            _quote_header_value(name),
            _quote_header_value(part.filename),
            part.content_type.replace("\r", "").replace("\n", ""),
        )
        parts.append(head.encode("utf-8") + part.data)
    while True:
        chosen = boundary or "litellm-lite-" + uuid.uuid4().hex
        marker = ("--" + chosen).encode("ascii")
        if not any(marker in p for p in parts):
            break
        if boundary is not None:
            raise BadRequestError("the multipart boundary occurs in the content")
    separator = marker + b"\r\n"
    body = b"".join(separator + p + b"\r\n" for p in parts) + marker + b"--\r\n"
    return body, "multipart/form-data; boundary=" + chosen


def _field_bytes(name: str, value: str) -> bytes:
    return ('Content-Disposition: form-data; name="%s"\r\n\r\n' % _quote_header_value(name)).encode("utf-8") + value.encode(
        "utf-8"
    )


# ---------------------------------------------------------------------------------------------
# Audio: transcription


def _number_or_none(value: Any) -> Optional[float]:
    return float(value) if _is_number(value) else None


def _transcription_cost(model: str, provider: str, result: TranscriptionResponse) -> Optional[float]:
    row = _registry_row(model, provider)
    if row is None:
        return None
    seconds = result.duration
    usage = result.usage or {}
    if seconds is None and usage.get("type") == "duration":
        seconds = _number_or_none(usage.get("seconds"))
    per_second = _price(row, "input_cost_per_second")
    if seconds is not None and per_second is not None:
        return seconds * per_second
    if usage.get("type") == "tokens" or "input_tokens" in usage:
        input_tokens = _int_of(usage, "input_tokens")
        output_tokens = _int_of(usage, "output_tokens")
        audio_price = _price(row, "input_cost_per_audio_token")
        input_price = audio_price if audio_price is not None else (_price(row, "input_cost_per_token") or 0.0)
        return input_tokens * input_price + output_tokens * (_price(row, "output_cost_per_token") or 0.0)
    return None


def transcription(
    model: str,
    file: Any,
    language: Optional[str] = None,
    prompt: Optional[str] = None,
    response_format: Optional[str] = None,
    temperature: Optional[float] = None,
    *,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> TranscriptionResponse:
    """Speech to text (``/audio/transcriptions``: OpenAI, Groq, Azure...), sent as multipart/form-data.

    ``file`` is a path, bytes, a ``(filename, bytes[, content_type])`` tuple or a binary file
    object. Other keyword arguments (``timestamp_granularities``, ``include``...) become form
    fields. With ``response_format`` ``text``/``srt``/``vtt`` the body is returned in ``text``.
    """
    _check(temperature is None or _is_number(temperature), "temperature must be a number", model)
    if mock_response is not None:
        _mock_error(mock_response)
        if isinstance(mock_response, TranscriptionResponse):
            return mock_response
        result = TranscriptionResponse(text=str(mock_response))
        result._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})
        return result
    call = _prepare_call("transcription", model, custom_llm_provider, kwargs)
    upload = file_part(file, call.model)
    fields: List[Tuple[str, Any]] = [
        ("model", call.model),
        ("language", language),
        ("prompt", prompt),
        ("response_format", response_format),
        ("temperature", temperature),
    ]
    fields.extend(sorted(call.extra_body.items()))
    body, content_type = encode_multipart(fields, [("file", upload)])
    headers = call.adapter.headers(call.config)
    headers["Content-Type"] = content_type
    headers["Accept"] = "application/json"
    wire = WireRequest(url=_url(call.provider, call.config, call.model, call.endpoint), headers=headers, body=body)
    request_info = {k: v for k, v in fields if v is not None}
    request_info["file"] = upload.filename
    info = _call_info(call, request_info, metadata)
    response, hooks, start = _send(call, wire, info)
    if response_format in ("text", "srt", "vtt"):
        try:
            text = response.read().decode("utf-8", "replace")
        except LiteLLMError as exc:
            if hooks is not None:
                hooks.failure(info, exc, start, time.time())
            raise
        result = TranscriptionResponse(text=text)
    else:
        payload = _read_json(call, response, hooks, info, start)
        usage = payload.get("usage")
        result = TranscriptionResponse(
            text=_str_or_none(payload.get("text")) or "",
            task=_str_or_none(payload.get("task")),
            language=_str_or_none(payload.get("language")),
            duration=_number_or_none(payload.get("duration")),
            words=payload.get("words") if isinstance(payload.get("words"), list) else None,
            segments=payload.get("segments") if isinstance(payload.get("segments"), list) else None,
            logprobs=payload.get("logprobs") if isinstance(payload.get("logprobs"), list) else None,
            usage=dict(usage) if isinstance(usage, dict) else None,
        )
    _finish(call, result, response, hooks, info, start, _transcription_cost(call.model, call.provider, result))
    return result


# ---------------------------------------------------------------------------------------------
# Audio: speech


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


def speech(
    model: str,
    input: str,
    voice: Any,
    response_format: Optional[str] = None,
    speed: Optional[float] = None,
    *,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> SpeechResponse:
    """Text to speech (``/audio/speech``); the audio is read lazily from the returned object."""
    _check(isinstance(input, str) and input != "", "input must be a non-empty string", model)
    _check(isinstance(voice, (str, dict)) and bool(voice), "voice must be a voice name or a {'id': ...} object", model)
    _check(speed is None or _is_number(speed), "speed must be a number", model)
    if mock_response is not None:
        _mock_error(mock_response)
        data = mock_response if isinstance(mock_response, bytes) else str(mock_response).encode("utf-8")
        result = SpeechResponse(content=data, headers={"content-type": "application/octet-stream"}, model=str(model))
        result._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})
        return result
    call = _prepare_call("speech", model, custom_llm_provider, kwargs)
    body: Dict[str, Any] = {"model": call.model, "input": input, "voice": voice}
    _put(body, response_format=response_format, speed=speed)
    body.update(call.extra_body)
    info = _call_info(call, body, metadata)
    response, hooks, start = _send(call, _json_wire(call, body, accept="*/*"), info)
    result = SpeechResponse(response, provider=call.provider, model=call.model)
    row = _registry_row(call.model, call.provider)
    per_char = _price(row, "input_cost_per_character")
    result._hidden_params.update(
        {
            "custom_llm_provider": call.provider,
            "api_base": call.config.api_base,
            "model": call.model,
            "response_cost": per_char * len(input) if per_char is not None else None,
        }
    )
    if hooks is not None:
        hooks.success(info, result, start, time.time())
    return result


# ---------------------------------------------------------------------------------------------
# Moderation


def moderation(
    input: Any,
    model: Optional[str] = None,
    *,
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> ModerationResponse:
    """Classify text (or OpenAI's multi-modal inputs) for harmful content (``/moderations``).

    Without ``model`` OpenAI's ``omni-moderation-latest`` is used. Providers that send no
    ``flagged`` (Mistral) get it computed from the categories.
    """
    valid = isinstance(input, str) or (isinstance(input, list) and bool(input))
    _check(valid, "input must be a string or a non-empty list", model)
    if mock_response is not None:
        _mock_error(mock_response)
        if isinstance(mock_response, ModerationResponse):
            return mock_response
        # Any other value: one result per input, flagged when the value is truthy.
        count = 1 if isinstance(input, str) else len(input)
        mocked = ModerationResponse(model=model, results=[ModerationResult(flagged=bool(mock_response)) for _ in range(count)])
        mocked._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})
        return mocked
    call = _prepare_call("moderation", model, custom_llm_provider, kwargs)
    body: Dict[str, Any] = {"input": input, "model": call.model}
    body.update(call.extra_body)
    info = _call_info(call, body, metadata)
    response, hooks, start = _send(call, _json_wire(call, body), info)
    payload = _read_json(call, response, hooks, info, start)
    results = []
    for raw in payload.get("results") or []:
        if not isinstance(raw, dict):
            continue
        categories = _dict_of(raw, "categories")
        flagged = raw.get("flagged")
        if not isinstance(flagged, bool):
            flagged = any(v is True for v in categories.values())
        applied = raw.get("category_applied_input_types")
        results.append(
            ModerationResult(
                flagged=flagged,
                categories=categories,
                category_scores=_dict_of(raw, "category_scores"),
                category_applied_input_types=dict(applied) if isinstance(applied, dict) else None,
            )
        )
    result = ModerationResponse(model=_str_or_none(payload.get("model")) or call.model, results=results)
    if isinstance(payload.get("id"), str):
        result.id = payload["id"]
    row = _registry_row(call.model, call.provider)
    cost = 0.0 if row is not None and _price(row, "input_cost_per_token") == 0.0 else None
    _finish(call, result, response, hooks, info, start, cost)
    return result


# ---------------------------------------------------------------------------------------------
# Legacy text completions


def _text_choices(raw_choices: Any) -> List[TextChoices]:
    choices = []
    for pos, raw in enumerate(raw_choices if isinstance(raw_choices, list) else []):
        if not isinstance(raw, dict):
            continue
        text = raw.get("text")
        logprobs = raw.get("logprobs")
        choices.append(
            TextChoices(
                text=text if isinstance(text, str) else "",
                index=raw["index"] if _is_int(raw.get("index")) else pos,
                logprobs=dict(logprobs) if isinstance(logprobs, dict) else None,
                finish_reason=_str_or_none(raw.get("finish_reason")),
            )
        )
    return choices


def _text_completion_from(payload: Dict[str, Any], model: str) -> TextCompletionResponse:
    from .providers.openai import parse_usage

    result = TextCompletionResponse(
        model=_str_or_none(payload.get("model")) or model,
        choices=_text_choices(payload.get("choices")),
        usage=parse_usage(payload.get("usage")),
        system_fingerprint=_str_or_none(payload.get("system_fingerprint")),
    )
    if isinstance(payload.get("id"), str):
        result.id = payload["id"]
    if _is_int(payload.get("created")):
        result.created = payload["created"]
    return result


def _response_cost(result: Any, model: str, provider: str) -> Optional[float]:
    from .cost import response_cost

    return response_cost(result, model, provider)


class TextCompletionStreamWrapper:
    """Iterator of :class:`TextCompletionResponse` chunks over one SSE response; a context manager.

    Decoded with the same SSE decoder as chat streams. A connection cut before ``data: [DONE]``
    (or a ``finish_reason``) raises ``APIConnectionError`` from the iteration.
    ``get_final_response()`` assembles the chunks read so far.
    """

    def __init__(
        self,
        response: Optional["HTTPResponse"],
        *,
        model: str,
        provider: str,
        adapter: Optional["OpenAIAdapter"] = None,
        chunks: Optional[List[TextCompletionResponse]] = None,
        on_complete: Optional[Callable[[TextCompletionResponse], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
    ) -> None:
        from ._sse import SSEDecoder

        self._response = response
        self._decoder = SSEDecoder()
        self._adapter = adapter
        self._pending: List[TextCompletionResponse] = list(chunks or [])
        self._eof = response is None
        self._done = False
        self._finished_choice = False
        self._completed = False
        self._on_complete = on_complete
        self._on_error = on_error
        self.model = model
        self.custom_llm_provider = provider
        self.response_headers: Dict[str, str] = dict(getattr(response, "headers", {}) or {})
        self._hidden_params: Dict[str, Any] = {"custom_llm_provider": provider, "model": model}
        self._texts: Dict[int, List[str]] = {}
        self._finish: Dict[int, Optional[str]] = {}
        self._first: Optional[TextCompletionResponse] = None
        self._usage: Optional[Usage] = None

    def __iter__(self) -> "TextCompletionStreamWrapper":
        return self

    def __next__(self) -> TextCompletionResponse:
        while not self._pending:
            if self._eof:
                self._complete()
                raise StopIteration
            try:
                self._fill()
            except BaseException as exc:
                self.close()
                if self._on_error is not None and isinstance(exc, Exception):
                    self._on_error(exc)
                raise
        chunk = self._pending.pop(0)
        self._record(chunk)
        return chunk

    def _fill(self) -> None:
        response = self._response
        if response is None or self._done:
            self._drain()
            self._eof = True
            return
        data = response.read1(65536)
        events = self._decoder.feed(data) if data else self._decoder.flush()
        for event in events:
            if self._done:
                break
            self._handle(event)
        if not data:
            self._eof = True
            self._response = None
            if not self._done and not self._finished_choice:
                raise APIConnectionError(
                    "text completion stream ended before its end marker ([DONE])",
                    self.custom_llm_provider,
                    self.model,
                )

    def _handle(self, event: StreamEvent) -> None:
        text = event.data.strip()
        if not text:
            return
        if text == "[DONE]":
            self._done = True
            return
        payload = load_json(text, self.custom_llm_provider, self.model, what="stream event")
        if not isinstance(payload, dict):
            return
        if payload.get("error"):
            from .providers.openai import OpenAIAdapter

            adapter = self._adapter if self._adapter is not None else OpenAIAdapter()
            adapter._raise_stream_error(payload, StreamState(model=self.model, provider=self.custom_llm_provider))
        chunk = _text_completion_from(payload, self.model)
        if any(c.finish_reason for c in chunk.choices):
            self._finished_choice = True
        self._pending.append(chunk)

    def _drain(self) -> None:
        response = self._response
        self._response = None
        if response is None:
            return
        try:
            for _ in range(64):
                if not response.read1(65536):
                    return
        except LiteLLMError:
            pass
        response.close()

    def _record(self, chunk: TextCompletionResponse) -> None:
        if self._first is None:
            self._first = chunk
        if chunk.usage is not None:
            self._usage = chunk.usage
        for choice in chunk.choices:
            self._texts.setdefault(choice.index, []).append(choice.text)
            if choice.finish_reason:
                self._finish[choice.index] = choice.finish_reason

    def _complete(self) -> None:
        if self._completed:
            return
        self._completed = True
        if self._on_complete is not None:
            self._on_complete(self.get_final_response())

    def get_final_response(self) -> TextCompletionResponse:
        """One response holding the text of every choice read so far, its finish reason and usage."""
        first = self._first
        result = TextCompletionResponse(
            model=first.model if first is not None else self.model,
            choices=[
                TextChoices(text="".join(self._texts[i]), index=i, finish_reason=self._finish.get(i))
                for i in sorted(self._texts)
            ],
            usage=self._usage,
        )
        if first is not None:
            result.id, result.created = first.id, first.created
        return result

    def close(self) -> None:
        """Stop reading; the connection is dropped unless the stream was read to its end."""
        self._eof = True
        response = self._response
        self._response = None
        if response is not None:
            response.close()

    def __enter__(self) -> "TextCompletionStreamWrapper":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    # Async iteration over the same (blocking) stream, each chunk read in the default executor.
    def __aiter__(self) -> AsyncIterator[TextCompletionResponse]:
        from .streaming import aiter_in_executor

        return aiter_in_executor(self)


def _mock_text_completion(text: str, model: str, stream: bool) -> Any:
    if stream:
        chunks = []
        base = TextCompletionResponse(model=model)
        for start in range(0, len(text), 4):
            chunks.append(
                TextCompletionResponse(id=base.id, created=base.created, model=model, choices=[TextChoices(text=text[start : start + 4])])
            )
        chunks.append(
            TextCompletionResponse(id=base.id, created=base.created, model=model, choices=[TextChoices(text="", finish_reason="stop")])
        )
        return TextCompletionStreamWrapper(None, model=model, provider="mock", chunks=chunks)
    result = TextCompletionResponse(
        model=model,
        choices=[TextChoices(text=text, finish_reason="stop")],
        usage=Usage(prompt_tokens=1, completion_tokens=max(1, len(text) // 4)),
    )
    result._hidden_params.update({"custom_llm_provider": "mock", "model": model, "response_cost": 0.0})
    return result


def _valid_prompt(prompt: Any) -> bool:
    if isinstance(prompt, str):
        return True
    if not isinstance(prompt, list) or not prompt:
        return False
    if all(isinstance(p, str) for p in prompt) or all(_is_int(p) for p in prompt):
        return True
    return all(isinstance(p, list) and p and all(_is_int(t) for t in p) for p in prompt)


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
    custom_llm_provider: Optional[str] = None,
    mock_response: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> Any:
    """Legacy completions (``/completions``): a TextCompletionResponse, or a stream of them.

    ``prompt`` is a string, a list of strings, a list of token ids or a list of token-id lists.
    Other OpenAI parameters (``top_p``, ``presence_penalty``, ``frequency_penalty``, ``best_of``,
    ``logit_bias``, ``seed``, ``user``, ``stream_options``) pass through as keyword arguments.
    """
    _check(_valid_prompt(prompt), "prompt must be a string, a list of strings or a list of token ids", model)
    _check(isinstance(stream, bool), "stream must be True or False", model)
    _check(max_tokens is None or (_is_int(max_tokens) and max_tokens >= 0), "max_tokens must be a non-negative integer", model)
    _check(n is None or (_is_int(n) and n >= 1), "n must be a positive integer", model)
    _check(temperature is None or _is_number(temperature), "temperature must be a number", model)
    _check(logprobs is None or (_is_int(logprobs) and logprobs >= 0), "logprobs must be a non-negative integer", model)
    if mock_response is not None:
        _mock_error(mock_response)
        if isinstance(mock_response, TextCompletionResponse) and not stream:
            return mock_response
        return _mock_text_completion(str(mock_response), str(model), stream)
    call = _prepare_call("text_completion", model, custom_llm_provider, kwargs)
    body: Dict[str, Any] = {"model": call.model, "prompt": prompt}
    _put(body, max_tokens=max_tokens, temperature=temperature, echo=echo, suffix=suffix, logprobs=logprobs, n=n, stop=stop)
    if stream:
        body["stream"] = True
    body.update(call.extra_body)
    if not stream:
        body.pop("stream_options", None)
    info = _call_info(call, body, metadata, stream)
    wire = _json_wire(call, body, accept="text/event-stream" if stream else "application/json")
    response, hooks, start = _send(call, wire, info)
    if stream:

        def on_complete(built: TextCompletionResponse) -> None:
            built._hidden_params["response_cost"] = _response_cost(built, call.model, call.provider)
            if hooks is not None:
                hooks.success(info, built, start, time.time())

        def on_error(exc: BaseException) -> None:
            if hooks is not None:
                hooks.failure(info, exc, start, time.time())

        wrapper = TextCompletionStreamWrapper(
            response, model=call.model, provider=call.provider, adapter=call.adapter, on_complete=on_complete, on_error=on_error
        )
        wrapper._hidden_params["api_base"] = call.config.api_base
        return wrapper
    payload = _read_json(call, response, hooks, info, start)
    result = _text_completion_from(payload, call.model)
    _finish(call, result, response, hooks, info, start, _response_cost(result, call.model, call.provider))
    return result


# Kept for type checkers that import it from here.
BinaryFile = Union[str, "os.PathLike[str]", bytes, Tuple[str, bytes], IO[bytes]]
