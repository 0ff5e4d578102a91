"""Cache keys: sha256 of the canonical JSON of everything that changes a call's answer.

What goes in:

* the call type (``acompletion`` counts as ``completion``: sync and async share entries), the
  resolved provider and model, the messages / input / prompt, and every other keyword except those
  listed below (so a provider-specific parameter such as ``top_k`` or ``safety_settings`` is in);
* the ``api_base`` (a different server may answer differently), reduced to scheme, host, port and
  path: its user-info and query string are dropped since they may carry credentials;
* the *names* (not values) of ``extra_headers`` / ``headers`` that do not look like credentials;
* an optional cache namespace.

What stays out: secrets (any keyword or nested field whose name looks like a key, token,
password, secret or credential; header values), and keywords that do not change the answer:
``stream``, ``stream_options``, timeouts, retries, ``metadata``, ``user``, ``tags``, callbacks, the
cache controls themselves, fallbacks and the other LiteLLM control keywords in :data:`NON_ANSWER_KEYS`.

A value that has no stable JSON form (an open file, an arbitrary object) makes the call
uncacheable: :func:`cache_key` returns None rather than a key that could collide or drift
between processes. ``bytes`` are included by their sha256.
"""

from __future__ import annotations

from collections import abc as _abc  # isinstance: several times faster than typing.Mapping's
import functools
import hashlib
import json
import json.encoder
import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

__all__ = ["cache_key", "canonical_call_type", "NON_ANSWER_KEYS", "is_secret_name", "embedding_input_keys"]

#: Keywords that never change the answer, so never part of a key.
NON_ANSWER_KEYS = frozenset(
    {
        "stream", "stream_options", "timeout", "request_timeout", "stream_timeout", "num_retries",
        "max_retries", "retry_policy", "metadata", "user", "tags", "callbacks", "success_callback",
        "failure_callback", "logger_fn", "cache", "caching", "no-cache", "no-store", "ttl", "s-maxage",
        "fallbacks", "context_window_fallback_dict", "context_window_fallbacks", "content_policy_fallbacks",
        "litellm_call_id", "litellm_logging_obj", "litellm_metadata", "proxy_server_request", "ssl_verify",
        "client", "max_parallel_requests", "drop_params", "additional_drop_params", "input_cost_per_token",
        "output_cost_per_token", "base_model", "verbose", "model_list", "litellm_trace_id", "budget",
        "max_budget", "prompt_cache_key", "safety_identifier", "service_tier", "store",
    }
)
# Fields handled explicitly (never through the generic path).
_EXPLICIT = frozenset({"model", "custom_llm_provider", "api_base", "base_url", "extra_headers", "headers"})
_SECRET = re.compile(r"(?i)(api[_-]?key|secret|password|passwd|credential|auth|bearer|cookie|(?:^|_)token$|_key$|^key$)")
# The conversation and tool schemas: user content, kept whole (a tool may well have a "password" property).
_CONTENT = frozenset({"messages", "input", "prompt", "tools", "functions", "response_format", "documents", "query", "system", "instructions"})
# Names the secret pattern would catch that are ordinary answer-changing parameters.
_NOT_SECRET = frozenset({"top_k", "logit_bias"})
_CALL_TYPES = {
    "acompletion": "completion", "aembedding": "embedding", "atext_completion": "text_completion",
    "aimage_generation": "image_generation", "atranscription": "transcription", "aspeech": "speech",
    "amoderation": "moderation", "arerank": "rerank", "aresponses": "responses",
}


class Uncacheable(ValueError):
    """A value with no stable JSON form."""


def canonical_call_type(call_type: str) -> str:
    """``acompletion`` -> ``completion`` and so on: async forms share the sync form's entries."""
    return _CALL_TYPES.get(call_type, call_type)


@functools.lru_cache(maxsize=1024)  # a call has few distinct keyword names: the regex runs once per name
def is_secret_name(name: str) -> bool:
    """True for a keyword or field name that may hold a credential."""
    return name not in _NOT_SECRET and bool(_SECRET.search(name))


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


@functools.lru_cache(maxsize=64)
def _clean_base(api_base: Optional[str]) -> Optional[str]:
    if not api_base:
        return None
    from urllib.parse import urlsplit  # urllib.parse is light (no socket/ssl)

    try:
        parts = urlsplit(str(api_base))
        host = parts.hostname or ""
        port = ":%d" % parts.port if parts.port else ""
    except ValueError:
        return None
    return "%s://%s%s%s" % (parts.scheme.lower(), host.lower(), port, parts.path.rstrip("/"))


def _plain(value: Any, depth: int = 0, filter_secrets: bool = True) -> Any:
    """JSON-ready form of ``value``; nested secret-looking fields dropped when ``filter_secrets``."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if depth > 64:
        raise Uncacheable("nested too deeply")
    if kind is dict and not filter_secrets:
        return {str(k): _plain(v, depth + 1, False) for k, v in value.items()}
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        return value
    if isinstance(value, _abc.Mapping):
        out = {}
        for key, item in value.items():
            name = str(key)
            if filter_secrets and is_secret_name(name):
                continue
            out[name] = _plain(item, depth + 1, filter_secrets)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1, filter_secrets) for item in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__bytes_sha256__": hashlib.sha256(bytes(value)).hexdigest()}
    return _plain(_other(value, depth, filter_secrets), depth + 1, filter_secrets)


def _other(value: Any, depth: int, filter_secrets: bool) -> Any:
    """Plain data for values JSON has no form for: sets, typed records, pydantic classes."""
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_plain(item, depth + 1, filter_secrets), sort_keys=True) for item in value)
    to_dict = getattr(value, "to_dict", None) or getattr(value, "model_dump", None)
    if callable(to_dict):
        return to_dict()
    schema = getattr(value, "model_json_schema", None)
    if isinstance(value, type) and callable(schema):
        return schema()  # a pydantic class given as response_format
    raise Uncacheable("no stable form for %s" % (type(value).__name__,))


def _header_names(headers: Any) -> List[str]:
    if not isinstance(headers, _abc.Mapping):
        return []
    return sorted({str(name).lower() for name in headers if not is_secret_name(str(name))})


def _material(
    call_type: str, kwargs: Mapping[str, Any], provider: str, model: str, api_base: Optional[str], raw_content: bool = False
) -> Dict[str, Any]:
    """The key's JSON-ready material. ``raw_content``: the conversation and tool schemas are taken as
    they are (valid when they are plain JSON data; :func:`_digest` then serialises them directly)."""
    params: Dict[str, Any] = {}
    for name, value in kwargs.items():
        if name in NON_ANSWER_KEYS or name in _EXPLICIT or is_secret_name(name) or value is None:
            continue
        if name in _CONTENT:
            params[name] = value if raw_content else _plain(value, 0, False)
        else:
            params[name] = _plain(value, 0, True)
    headers = _header_names(kwargs.get("extra_headers")) + _header_names(kwargs.get("headers"))
    if headers:
        params["__header_names__"] = sorted(set(headers))
    return {
        "call_type": canonical_call_type(call_type),
        "provider": provider or "",
        "model": model or "",
        "api_base": _clean_base(_text(api_base if api_base is not None else kwargs.get("api_base") or kwargs.get("base_url"))),
        "params": params,
    }


def _make_encode() -> Callable[[Any], str]:
    """The canonical JSON text of a value: sorted keys, no spaces, NaN refused.

    Built once: ``json.dumps()`` with options builds an encoder on every call, and so does
    ``JSONEncoder.encode`` (its C part); the C part is made here once when this Python has it, and
    checked against ``JSONEncoder`` on a sample. No circular check: a cycle ends in RecursionError.
    """
    encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - Pythons without the C accelerator
        return encoder.encode
    sample = {"b": [1, 2.5, None, True, "\u00e9\"\n"], "a": {"z": "", "y": -1}}
    try:
        c_encode = make(None, encoder.default, json.encoder.encode_basestring, None, ":", ",", True, False, False)

        def encode(value: Any) -> str:
            return "".join(c_encode(value, 0))

        if encode(sample) == encoder.encode(sample):
            return encode
    except Exception:  # noqa: BLE001 - pragma: no cover - another signature: the plain encoder
        pass
    return encoder.encode  # pragma: no cover


_encode = _make_encode()


def _digest(material: Dict[str, Any], namespace: Optional[str]) -> str:
    if namespace:
        material = dict(material, namespace=namespace)
    return hashlib.sha256(_encode(material).encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(
    call_type: str,
    kwargs: Mapping[str, Any],
    *,
    provider: str = "",
    model: str = "",
    api_base: Optional[str] = None,
    namespace: Optional[str] = None,
) -> Optional[str]:
    """The hex sha256 key of a call, or None when a value has no stable form (the call is not cached).

    ``kwargs`` are the call's keywords as the user passed them (control keywords and secrets are
    filtered here); ``provider``/``model``/``api_base`` are the resolved ones.
    """
    try:
        try:  # the common case: the content is plain JSON data already (no walk needed)
            return _digest(_material(call_type, kwargs, provider, model, api_base, raw_content=True), namespace)
        except (TypeError, ValueError, RecursionError):
            return _digest(_material(call_type, kwargs, provider, model, api_base), namespace)
    except Uncacheable:
        return None


def embedding_input_keys(
    kwargs: Mapping[str, Any],
    inputs: Iterable[Any],
    *,
    provider: str = "",
    model: str = "",
    api_base: Optional[str] = None,
    namespace: Optional[str] = None,
) -> List[Optional[str]]:
    """One key per embedding input: the call's other parameters plus that single input."""
    base = {name: value for name, value in kwargs.items() if name != "input"}
    try:
        material = _material("embedding", base, provider, model, api_base)
    except Uncacheable:
        return [None for _ in inputs]
    keys: List[Optional[str]] = []
    for item in inputs:
        try:
            one = dict(material, params=dict(material["params"], input=_plain(item, 0, False)))
            keys.append(_digest(one, namespace))
        except Uncacheable:
            keys.append(None)
    return keys
