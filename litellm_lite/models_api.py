"""Live model discovery: ``list_models(provider)`` and LiteLLM's ``get_valid_models()``.

One GET of the provider's own models endpoint, in one of five formats:

- ``openai``: ``GET {base}/models`` -> ``{"data": [{"id": ...}]}`` (every OpenAI-format row)
- ``anthropic``: ``GET {base}/v1/models`` (``x-api-key``, ``anthropic-version``), paged by
  ``has_more`` / ``last_id`` -> ``after_id``
- ``gemini``: ``GET {base}/v1beta/models`` (``x-goog-api-key``), paged by ``nextPageToken``;
  names come as ``models/<id>``
- ``ollama``: ``GET {base}/api/tags`` -> ``{"models": [{"name": ...}]}``
- ``cohere``: ``GET {base}/v1/models``, paged by ``next_page_token``

The ids the provider returns come first, in its order, then the registry's models of that provider
that it did not list (sorted). Request building and parsing are pure; :func:`list_models` does the
one I/O, through the package transport, without retries.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

from .exceptions import APIConnectionError, AuthenticationError, BadRequestError
from .providers.base import WireRequest, WireResponse, error_from_body, first_env, join_url

__all__ = [
    "FORMATS",
    "models_format",
    "build_models_request",
    "parse_models_response",
    "registry_models",
    "list_models",
    "get_valid_models",
]

logger = logging.getLogger("litellm_lite")

ANTHROPIC_VERSION = "2023-06-01"
_PAGE_SIZE = 1000
MAX_PAGES = 50

FORMATS = ("openai", "anthropic", "gemini", "ollama", "cohere")
# Each format's usual path below the base (a row's ``models_api`` path wins).
_PATHS = {"openai": "/models", "anthropic": "/v1/models", "gemini": "/v1beta/models", "ollama": "/api/tags",
          "cohere": "/v1/models"}
def models_format(provider: str) -> str:
    """The models-endpoint format of ``provider`` (its row's ``models_api``); BadRequestError when none."""
    from .providers import PROVIDERS

    spec = PROVIDERS.get(provider)
    if spec is None:
        raise BadRequestError("unknown provider %r; known providers: %s" % (provider, ", ".join(sorted(PROVIDERS))),
                              provider)
    fmt = spec.models_endpoint[0]
    if not fmt:
        raise BadRequestError(
            "listing models live is not available for provider %r (its models are those in the registry: "
            "pass live=False)" % provider,
            provider,
        )
    return fmt


def build_models_request(
    fmt: str,
    api_base: str,
    api_key: Optional[str] = None,
    page_token: Optional[str] = None,
    headers: Optional[Mapping[str, str]] = None,
    path: Optional[str] = None,
) -> WireRequest:
    """The GET request for one page of models in format ``fmt`` (``path``: the row's, else the format's)."""
    if fmt not in _PATHS:
        raise BadRequestError("unknown models format %r (one of: %s)" % (fmt, ", ".join(FORMATS)))
    url = join_url(api_base, path or _PATHS[fmt])
    query: Dict[str, str] = {}
    out: Dict[str, str] = {"accept": "application/json"}
    if fmt == "openai":
        if api_key:
            out["authorization"] = "Bearer " + api_key
    elif fmt == "anthropic":
        query["limit"] = str(_PAGE_SIZE)
        if page_token:
            query["after_id"] = page_token
        out["anthropic-version"] = ANTHROPIC_VERSION
        if api_key:
            out["x-api-key"] = api_key
    elif fmt == "gemini":
        query["pageSize"] = str(_PAGE_SIZE)
        if page_token:
            query["pageToken"] = page_token
        if api_key:
            out["x-goog-api-key"] = api_key
    elif fmt == "ollama":
        if api_key:
            out["authorization"] = "Bearer " + api_key
    else:  # cohere
        query["page_size"] = str(_PAGE_SIZE)
        if page_token:
            query["page_token"] = page_token
        if api_key:
            out["authorization"] = "Bearer " + api_key
    for name, value in (headers or {}).items():
        out[name.lower()] = value
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    return WireRequest(url=url, headers=out, body=b"", method="GET")


def _items(payload: Dict[str, Any], key: str) -> List[Any]:
    items = payload.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise APIConnectionError("models response: %r is not a list" % key)
    return items


def _ids(items: List[Any], field: str, strip: str = "") -> List[str]:
    out = []
    for item in items:
        value = item.get(field) if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            out.append(value[len(strip):] if strip and value.startswith(strip) else value)
    return out


def _token(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None


def parse_models_response(fmt: str, response: WireResponse, provider: str = "") -> Tuple[List[str], Optional[str]]:
    """(model ids, next page token) from one page; non-2xx raises our APIError subclass."""
    if not 200 <= response.status < 300:
        raise error_from_body(response, provider, "")
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise APIConnectionError("invalid JSON in models response", provider) from exc
    if not isinstance(payload, dict):
        raise APIConnectionError("models response is not a JSON object", provider)
    try:
        if fmt == "openai":
            return _ids(_items(payload, "data"), "id"), None
        if fmt == "anthropic":
            ids = _ids(_items(payload, "data"), "id")
            more = payload.get("has_more") is True
            return ids, _token(payload.get("last_id")) if more and ids else None
        if fmt == "gemini":
            return _ids(_items(payload, "models"), "name", "models/"), _token(payload.get("nextPageToken"))
        if fmt == "ollama":
            items = _items(payload, "models")
            return _ids(items, "name") or _ids(items, "model"), None
        if fmt == "cohere":
            return _ids(_items(payload, "models"), "name"), _token(payload.get("next_page_token"))
    except APIConnectionError as exc:
        raise APIConnectionError(exc.message, provider) from None
    raise BadRequestError("unknown models format %r (one of: %s)" % (fmt, ", ".join(FORMATS)), provider)


def _bare(key: str, provider: str) -> str:
    prefix = provider + "/"
    return key[len(prefix):] if key.startswith(prefix) else key


def registry_models(provider: str, bare: bool = True) -> List[str]:
    """Sorted registry model keys of ``provider`` (``bare``: without the ``provider/`` prefix)."""
    from .registry import model_cost, normalize_provider

    out = set()
    for key in model_cost:
        entry = model_cost[key]
        if normalize_provider(entry.get("litellm_provider")) == provider:
            out.add(_bare(key, provider) if bare else key)
    return sorted(out)


def list_models(
    provider: str,
    *,
    api_key: Optional[str] = None,
    api_base: Optional[str] = None,
    timeout: float = 30.0,
    live: bool = True,
    merge_registry: bool = True,
    extra_headers: Optional[Mapping[str, str]] = None,
) -> List[str]:
    """Model ids ``provider`` serves: a live GET of its models endpoint merged with the registry.

    ``api_key`` / ``api_base`` default to the provider's variables (e.g. ``OPENAI_API_KEY``);
    ``live=False`` answers from the registry only, without I/O.
    """
    from . import _http
    from .providers import PROVIDERS

    if not isinstance(provider, str) or not provider:
        raise BadRequestError("list_models: provider must be a provider name such as 'openai'")
    known = registry_models(provider) if merge_registry else []
    if not live:
        if provider not in PROVIDERS:
            models_format(provider)  # raises the unknown-provider error
        return known
    fmt = models_format(provider)
    spec = PROVIDERS[provider]
    key = api_key or first_env(spec.api_key_env, os.environ)
    if not key and spec.key_required and spec.api_key_env:
        raise AuthenticationError(
            "list_models: no API key for %s: pass api_key or set %s" % (provider, " or ".join(spec.api_key_env)),
            provider,
        )
    base = api_base or first_env(spec.api_base_env, os.environ) or spec.api_base
    if not base:
        names = " or ".join(spec.api_base_env) or "api_base"
        raise BadRequestError("list_models: %s needs an API base: pass api_base or set %s" % (provider, names),
                              provider)
    ids: List[str] = []
    token: Optional[str] = None
    for _ in range(MAX_PAGES):
        wire = build_models_request(fmt, base, key, token, extra_headers, spec.models_endpoint[1])
        with _http.send(wire, timeout=timeout, provider=provider) as resp:
            page = WireResponse(resp.status, resp.headers, resp.read())
        found, token = parse_models_response(fmt, page, provider)
        ids.extend(found)
        if not token:
            break
    else:
        logger.warning("litellm_lite: list_models(%r) stopped after %d pages", provider, MAX_PAGES)
    seen = set()
    out = []
    for model in ids + known:
        if model not in seen:
            seen.add(model)
            out.append(model)
    return out


def _has_key(spec: Any, environ: Mapping[str, str]) -> bool:
    return bool(first_env(spec.api_key_env, environ)) if spec.api_key_env else False


def get_valid_models(
    check_provider_endpoint: bool = False,
    custom_llm_provider: Optional[str] = None,
    api_key: Optional[str] = None,
    api_base: Optional[str] = None,
) -> List[str]:
    """LiteLLM's ``get_valid_models``: the models you can call with the keys you have.

    Without ``custom_llm_provider``: the registry keys of every provider whose key variable is set.
    With it: that provider's registry keys, or, with ``check_provider_endpoint=True``, its live list
    as ``provider/id`` names (bare ids for ``openai``), falling back to the registry when the
    endpoint cannot be reached.
    """
    from .exceptions import APIError
    from .providers import PROVIDERS

    if custom_llm_provider:
        if custom_llm_provider not in PROVIDERS:
            models_format(custom_llm_provider)  # raises the unknown-provider error
        if check_provider_endpoint:
            try:
                ids = list_models(custom_llm_provider, api_key=api_key, api_base=api_base, merge_registry=False)
            except APIError as exc:
                logger.warning("litellm_lite: get_valid_models: %s endpoint failed (%s); using the registry",
                               custom_llm_provider, type(exc).__name__)
            else:
                if custom_llm_provider == "openai":
                    return ids
                return [custom_llm_provider + "/" + model for model in ids]
        return registry_models(custom_llm_provider, bare=False)
    out: List[str] = []
    for name, spec in sorted(PROVIDERS.items()):
        if _has_key(spec, os.environ):
            out.extend(registry_models(name, bare=False))
    return sorted(set(out))
