"""The non-chat routes of the fake provider (``litellm_lite.testing.FakeProvider``).

:func:`handle_endpoint` answers ``/images/generations``, ``/audio/transcriptions`` (multipart
body parsed here), ``/audio/speech``, ``/moderations``, ``/completions`` (OpenAI-shaped) and ``/rerank`` (Cohere-shaped)
with deterministic bodies; :func:`stream_completions` gives the SSE events of a streamed
``/completions`` answer, for a server that writes them one by one. Everything here is pure:
bytes in, ``(status, headers, body)`` out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple, Union

__all__ = ["handle_endpoint", "stream_completions", "parse_multipart", "speech_bytes", "FLAG_WORDS"]

Reply = Tuple[int, Dict[str, str], bytes]

#: Words that make the fake moderation endpoint flag an input (category ``violence``/``hate``).
FLAG_WORDS: Dict[str, str] = {"kill": "violence", "murder": "violence", "hate": "hate"}

_CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
    "violence/graphic",
)
_AUDIO_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
# A 1x1 transparent PNG: what the fake image endpoint "draws".
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABh6FO1AAAAABJRU5ErkJggg=="
)


def _json(status: int, obj: Any) -> Reply:
    data = json.dumps(obj).encode("utf-8")
    return status, {"Content-Type": "application/json", "Content-Length": str(len(data))}, data


def _error(status: int, message: str, etype: str = "invalid_request_error") -> Reply:
    return _json(status, {"error": {"message": message, "type": etype, "param": None, "code": None}})


def _load(body: bytes) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(body.decode("utf-8")) if body else {}
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _header(headers: Dict[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


# -- multipart ---------------------------------------------------------------------------------


def _params(header_value: str) -> Tuple[str, Dict[str, str]]:
    """``value; a="b"; c=d`` -> (value, {a: b, c: d}) (quoted strings may contain ``;``)."""
    parts: List[str] = []
    current: List[str] = []
    quoted = False
    for ch in header_value:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    params: Dict[str, str] = {}
    for item in parts[1:]:
        key, _, value = item.strip().partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[key.strip().lower()] = value.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
    return parts[0].strip().lower(), params


def parse_multipart(body: bytes, content_type: str) -> Dict[str, Union[str, Tuple[str, str, bytes]]]:
    """A multipart/form-data body -> {name: text} for fields, {name: (filename, type, bytes)} for files.

    Repeated ``name[]`` fields are joined into a JSON list under ``name[]``. Raises ValueError for
    a malformed body.
    """
    kind, params = _params(content_type)
    boundary = params.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise ValueError("not multipart/form-data with a boundary: %r" % content_type)
    marker = b"--" + boundary.encode("latin-1")
    if not body.startswith(marker):
        raise ValueError("body does not start with the boundary")
    end = body.find(b"\r\n" + marker + b"--")
    if end < 0:
        raise ValueError("no closing boundary")
    out: Dict[str, Union[str, Tuple[str, str, bytes]]] = {}
    lists: Dict[str, List[str]] = {}
    for chunk in body[len(marker) : end].split(b"\r\n" + marker):
        if not chunk.startswith(b"\r\n"):
            raise ValueError("boundary not followed by CRLF")
        head, sep, content = chunk[2:].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("part without a blank line after its headers")
        headers: Dict[str, str] = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition, dparams = _params(headers.get("content-disposition", ""))
        if disposition != "form-data" or "name" not in dparams:
            raise ValueError("part without Content-Disposition: form-data; name=...")
        field = dparams["name"]
        if "filename" in dparams:
            out[field] = (dparams["filename"], headers.get("content-type", "application/octet-stream"), content)
        elif field.endswith("[]"):
            lists.setdefault(field, []).append(content.decode("utf-8"))
        else:
            out[field] = content.decode("utf-8")
    for field, values in lists.items():
        out[field] = json.dumps(values)
    return out


# -- routes --------------------------------------------------------------------------------------


def _digest(*parts: Any) -> bytes:
    return hashlib.sha256("\x00".join(str(p) for p in parts).encode("utf-8")).digest()


def _images(body: Dict[str, Any]) -> Reply:
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        return _error(400, "prompt is required")
    n = 1 if body.get("n") is None else body["n"]  # n=0 is an error, as on the real API
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10:
        return _error(400, "n must be between 1 and 10")
    model = str(body.get("model") or "dall-e-2")
    data = []
    for i in range(n):
        name = _digest(prompt, model, i).hex()[:16]
        item: Dict[str, Any] = {}
        if body.get("response_format") == "b64_json" or model.startswith("gpt-image"):
            item["b64_json"] = base64.b64encode(_PNG).decode("ascii")
        else:
            item["url"] = "https://images.fake.invalid/%s.png" % name
        if model == "dall-e-3":
            item["revised_prompt"] = "A detailed rendering of: " + prompt
        data.append(item)
    reply: Dict[str, Any] = {"created": int(time.time()), "data": data}
    if model.startswith("gpt-image"):
        tokens = max(1, len(prompt) // 4)
        reply["usage"] = {
            "input_tokens": tokens,
            "output_tokens": 272 * n,
            "total_tokens": tokens + 272 * n,
            "input_tokens_details": {"text_tokens": tokens, "image_tokens": 0},
        }
    return _json(200, reply)


def _transcriptions(body: bytes, headers: Dict[str, str]) -> Reply:
    try:
        form = parse_multipart(body, _header(headers, "content-type"))
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(400, "could not parse multipart body: %s" % exc)
    upload = form.get("file")
    if not isinstance(upload, tuple):
        return _error(400, "file is required")
    if not isinstance(form.get("model"), str):
        return _error(400, "model is required")
    filename, content_type, data = upload
    text = "fake transcript of %s (%s, %d bytes)" % (filename, content_type, len(data))
    prompt = form.get("prompt")
    if isinstance(prompt, str) and prompt:
        text += " prompted with: " + prompt
    fmt = form.get("response_format") or "json"
    if fmt in ("text", "srt", "vtt"):
        raw = text.encode("utf-8")
        return 200, {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(raw))}, raw
    duration = round(len(data) / 32000.0, 3)
    if fmt == "verbose_json":
        language = form.get("language") or "english"
        return _json(
            200,
            {
                "task": "transcribe",
                "language": language,
                "duration": duration,
                "text": text,
                "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": duration, "text": text}],
                "usage": {"type": "duration", "seconds": int(duration + 0.999)},
            },
        )
    return _json(200, {"text": text, "usage": {"type": "duration", "seconds": int(duration + 0.999)}})


def speech_bytes(text: str, voice: str, size: Optional[int] = None) -> bytes:
    """The fake audio for ``text`` and ``voice``: deterministic, ``size`` bytes (default 64 per character)."""
    total = size if size is not None else 64 * max(1, len(text))
    seed = _digest(text, voice)
    block = b"".join(hashlib.sha256(seed + bytes([i])).digest() for i in range(32))  # 1 KiB
    repeats, rest = divmod(total, len(block))
    return block * repeats + block[:rest]


def _speech(body: Dict[str, Any]) -> Reply:
    text = body.get("input")
    voice = body.get("voice")
    if not isinstance(text, str) or not text:
        return _error(400, "input is required")
    if isinstance(voice, dict):
        voice = voice.get("id")
    if not isinstance(voice, str) or not voice:
        return _error(400, "voice is required")
    fmt = body.get("response_format") or "mp3"
    if fmt not in _AUDIO_CONTENT_TYPES:
        return _error(400, "unsupported response_format %r" % fmt)
    data = speech_bytes(text, voice)
    return 200, {"Content-Type": _AUDIO_CONTENT_TYPES[fmt], "Content-Length": str(len(data))}, data


def _texts_of(value: Any) -> Optional[List[str]]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not value:
        return None
    texts = []
    for item in value:
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict) and item.get("type") == "text" and isinstance(item.get("text"), str):
            texts.append(item["text"])
        elif isinstance(item, dict) and item.get("type") == "image_url":
            texts.append("")
        else:
            return None
    return texts


def _moderations(body: Dict[str, Any]) -> Reply:
    texts = _texts_of(body.get("input"))
    if texts is None:
        return _error(400, "input must be a string, a list of strings or a list of input objects")
    results = []
    for text in texts:
        lowered = text.lower()
        hits = {category for word, category in FLAG_WORDS.items() if word in lowered}
        results.append(
            {
                "flagged": bool(hits),
                "categories": {c: c in hits for c in _CATEGORIES},
                "category_scores": {c: (0.91 if c in hits else 0.0001) for c in _CATEGORIES},
                "category_applied_input_types": {c: ["text"] for c in _CATEGORIES},
            }
        )
    return _json(
        200,
        {"id": "modr-fake-" + uuid.uuid4().hex[:12], "model": str(body.get("model") or "omni-moderation-latest"), "results": results},
    )


def _prompts_of(prompt: Any) -> Optional[List[str]]:
    """The prompts of a /completions request (token ids joined as text), or None."""
    if isinstance(prompt, list) and prompt and all(isinstance(p, str) for p in prompt):
        return list(prompt)
    if isinstance(prompt, str):
        return [prompt]
    if isinstance(prompt, list) and prompt:
        return [" ".join(str(t) for t in prompt)]
    return None


def _completion_parts(body: Dict[str, Any]) -> Optional[Tuple[List[str], str, int]]:
    """(texts of the choices, finish_reason, prompt tokens) for a /completions request, or None."""
    prompts = _prompts_of(body.get("prompt"))
    if prompts is None:
        return None
    n = 1 if body.get("n") is None else body["n"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        return None
    limit = body.get("max_tokens")
    texts: List[str] = []
    finish = "stop"
    for p in prompts:
        for i in range(n):
            text = " echo: " + p if i == 0 else " echo %d: %s" % (i, p)
            if isinstance(limit, int) and len(text) > 4 * limit:
                text = text[: 4 * limit]
                finish = "length"
            if body.get("echo"):
                text = p + text
            if isinstance(body.get("suffix"), str):
                text += body["suffix"]
            texts.append(text)
    return texts, finish, sum(max(1, len(p) // 4) for p in prompts)


def _completions(body: Dict[str, Any]) -> Reply:
    parts = _completion_parts(body)
    if parts is None:
        return _error(400, "prompt must be a string, a list of strings or token ids; n a positive integer")
    texts, finish, prompt_tokens = parts
    completion_tokens = sum(max(1, len(t) // 4) for t in texts)
    choices = []
    for i, text in enumerate(texts):
        logprobs = None
        if isinstance(body.get("logprobs"), int):
            words = text.split()
            logprobs = {"tokens": words, "token_logprobs": [-0.5] * len(words), "top_logprobs": None, "text_offset": list(range(len(words)))}
        choices.append({"text": text, "index": i, "logprobs": logprobs, "finish_reason": finish})
    return _json(
        200,
        {
            "id": "cmpl-fake-" + _digest(json.dumps(body, sort_keys=True)).hex()[:12],
            "object": "text_completion",
            "created": int(time.time()),
            "model": str(body.get("model") or "fake-model"),
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
        },
    )


def stream_completions(body: Dict[str, Any], piece: int = 4) -> List[bytes]:
    """The SSE events (``data: ...\\n\\n`` each, ``[DONE]`` last) of a streamed /completions answer."""
    parts = _completion_parts(body)
    if parts is None:
        error = {"error": {"message": "invalid prompt", "type": "invalid_request_error"}}
        return [b"data: " + json.dumps(error).encode("utf-8") + b"\n\n"]
    texts, finish, prompt_tokens = parts
    rid = "cmpl-fake-" + uuid.uuid4().hex[:12]
    created = int(time.time())
    model = str(body.get("model") or "fake-model")

    def event(choices: List[Dict[str, Any]], usage: Optional[Dict[str, int]] = None) -> bytes:
        obj: Dict[str, Any] = {"id": rid, "object": "text_completion", "created": created, "model": model, "choices": choices}
        if usage is not None:
            obj["usage"] = usage
        return b"data: " + json.dumps(obj).encode("utf-8") + b"\n\n"

    events = []
    for index, text in enumerate(texts):
        for start in range(0, len(text), piece):
            events.append(event([{"text": text[start : start + piece], "index": index, "logprobs": None, "finish_reason": None}]))
        events.append(event([{"text": "", "index": index, "logprobs": None, "finish_reason": finish}]))
    options = body.get("stream_options")
    if isinstance(options, dict) and options.get("include_usage"):
        completion_tokens = sum(max(1, len(t) // 4) for t in texts)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
        events.append(event([], usage))
    events.append(b"data: [DONE]\n\n")
    return events


def _rerank(body: Dict[str, Any]) -> Reply:
    """Cohere's rerank answer (also under ``data``, Voyage's key): scores are the share of the query's
    words found in each document, best first; ``top_n`` (or Voyage's ``top_k``) keeps the first ones."""
    query, documents = body.get("query"), body.get("documents")
    if not isinstance(query, str) or not query or not isinstance(documents, list) or not documents:
        return _error(400, "rerank needs a non-empty query and documents")
    words = set(query.lower().split())
    scored = []
    for index, doc in enumerate(documents):
        text = doc if isinstance(doc, str) else (doc.get("text") if isinstance(doc, dict) else None)
        if not isinstance(text, str):
            return _error(400, "documents[%d] has no text" % index)
        found = words & set(text.lower().replace(".", " ").replace("?", " ").split())
        scored.append({"index": index, "relevance_score": round(len(found) / max(len(words), 1), 6)})
    scored.sort(key=lambda item: (-item["relevance_score"], item["index"]))
    top = body.get("top_n") or body.get("top_k")
    if isinstance(top, int) and not isinstance(top, bool) and top > 0:
        scored = scored[:top]
    return _json(200, {"id": "rerank-" + _digest(query).hex()[:12], "results": scored, "data": scored,
                       "meta": {"billed_units": {"search_units": 1}}})


def handle_endpoint(path: str, body_bytes: bytes, headers: Dict[str, str]) -> Optional[Reply]:
    """The fake answer for a non-chat route, or None when ``path`` is not one of them.

    A streamed ``/completions`` request gets all its SSE events in one ``text/event-stream``
    body; a server that wants to write them one by one uses :func:`stream_completions`.
    """
    route = path.split("?", 1)[0].rstrip("/")
    if route.endswith("/audio/transcriptions"):
        return _transcriptions(body_bytes, headers)
    json_routes = ("/images/generations", "/audio/speech", "/moderations", "/completions", "/rerank")
    if not route.endswith(json_routes) or route.endswith("/chat/completions"):
        return None
    body = _load(body_bytes)
    if body is None:
        return _error(400, "request body is not a JSON object")
    if route.endswith("/images/generations"):
        return _images(body)
    if route.endswith("/audio/speech"):
        return _speech(body)
    if route.endswith("/moderations"):
        return _moderations(body)
    if route.endswith("/rerank"):
        return _rerank(body)
    if body.get("stream"):
        data = b"".join(stream_completions(body))
        return 200, {"Content-Type": "text/event-stream", "Content-Length": str(len(data))}, data
    return _completions(body)
