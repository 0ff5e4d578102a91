"""Azure OpenAI: OpenAI's chat-completions format behind Azure's deployment URLs and auth.

Reference: https://learn.microsoft.com/azure/ai-services/openai/reference

- URL: ``{api_base}/openai/deployments/{deployment}/chat/completions?api-version={api_version}``
  (and ``/embeddings``); with ``api_version`` ``"v1"``/``"latest"`` (or ``"preview"``) the newer
  ``{api_base}/openai/v1/chat/completions`` route is used, the deployment going in ``model``.
- Auth: the ``api-key`` header, or ``Authorization: Bearer <Microsoft Entra ID token>`` when an
  ``azure_ad_token`` (or ``AZURE_AD_TOKEN``) is given; the token then wins over a key.
- Content filtering: a 400 whose code is ``content_filter`` (or whose inner error is a
  ``ResponsibleAIPolicyViolation``) is a :class:`ContentPolicyViolationError`; a completion cut by
  the output filter keeps ``finish_reason == "content_filter"``; the first stream chunk, which
  carries only ``prompt_filter_results`` and no choices, produces no chunk.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Mapping, Optional
from urllib.parse import quote

from ..exceptions import APIError, AuthenticationError, ContentPolicyViolationError, register_secret
from ..types import ModelResponseStream
from .base import ChatRequest, Quirk, EmbeddingRequest, StreamEvent, StreamState, WireRequest, WireResponse, load_json
from .openai import OpenAIAdapter

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig
    from .base import ProviderSpec

__all__ = ["AzureAdapter", "resolve_azure_credentials", "azure_url", "azure_auth_headers", "is_content_filter_error"]

V1_VERSIONS = frozenset({"v1", "latest", "preview"})


def _base(api_base: str) -> str:
    """The resource endpoint: anything from ``/openai`` on is dropped (users paste full URLs)."""
    base = api_base.split("?", 1)[0].rstrip("/")
    cut = base.find("/openai/")
    if cut >= 0:
        base = base[:cut]
    elif base.endswith("/openai"):
        base = base[: -len("/openai")]
    return base


def azure_url(api_base: str, deployment: str, path: str, api_version: Optional[str]) -> str:
    """The Azure OpenAI URL for one deployment and operation (``path`` is ``/chat/completions`` ...)."""
    base = _base(api_base)
    path = "/" + path.lstrip("/")
    if api_version in V1_VERSIONS:
        url = "%s/openai/v1%s" % (base, path)
        return url + "?api-version=preview" if api_version == "preview" else url
    url = "%s/openai/deployments/%s%s" % (base, quote(deployment, safe=""), path)
    if api_version:
        url += "?api-version=" + quote(api_version, safe="")
    return url


def azure_auth_headers(config: "CallConfig") -> Dict[str, str]:
    """``Authorization: Bearer`` for an Entra ID token, else ``api-key``."""
    token = config.credentials.get("azure_ad_token") if isinstance(config.credentials, dict) else None
    if token:
        return {"Authorization": "Bearer %s" % token}
    if config.api_key:
        return {"api-key": config.api_key}
    return {}


def resolve_azure_credentials(config: "CallConfig", kwargs: Dict[str, Any], environ: Mapping[str, str]) -> None:
    """CREDENTIAL_RESOLVERS["azure"]: take ``azure_ad_token`` (or a token provider) from kwargs/env.

    Pops ``azure_ad_token``, ``azure_ad_token_provider`` and ``api_type`` from ``kwargs``. With a
    token, ``config.credentials = {"azure_ad_token": token}`` and no API key is needed; with
    neither a key nor a token, raises AuthenticationError naming the variables to set.
    """
    token = kwargs.pop("azure_ad_token", None)
    provider = kwargs.pop("azure_ad_token_provider", None)
    kwargs.pop("api_type", None)
    if not token and callable(provider):
        token = provider()
    if not token:
        token = environ.get("AZURE_AD_TOKEN") or None
    if token is not None and not isinstance(token, str):
        raise AuthenticationError("azure_ad_token must be a string", config.provider, config.model)
    if token:
        register_secret(token)
        config.credentials = {"azure_ad_token": token}
        return
    if not config.api_key:
        raise AuthenticationError(
            "missing credentials for azure: set AZURE_API_KEY (or AZURE_OPENAI_API_KEY), pass api_key=..., "
            "or give a Microsoft Entra ID token with azure_ad_token=... / AZURE_AD_TOKEN",
            config.provider,
            config.model,
        )


def is_content_filter_error(payload: Any) -> bool:
    """True for Azure's content-management rejections (``code: content_filter`` and friends)."""
    if not isinstance(payload, dict):
        return False
    err = payload.get("error")
    if not isinstance(err, dict):
        return False
    codes = [err.get("code")]
    inner = err.get("innererror")
    if isinstance(inner, dict):
        codes.append(inner.get("code"))
    return any(str(c) in ("content_filter", "ResponsibleAIPolicyViolation") for c in codes if c)


def _reasoning_spec(spec: "ProviderSpec") -> "ProviderSpec":
    """``spec`` with OpenAI's reasoning-model parameter rules (o-series / gpt-5 deployments)."""
    if spec.has(Quirk.OPENAI_REASONING_MODELS):
        return spec
    return dataclasses.replace(spec, quirks=spec.quirks | {Quirk.OPENAI_REASONING_MODELS})


class AzureAdapter(OpenAIAdapter):
    """``azure/<deployment>``: the OpenAI adapter with Azure's URLs, auth and content filtering."""

    def auth_headers(self, config: "CallConfig") -> Dict[str, str]:
        return azure_auth_headers(config)

    def _with_reasoning_quirk(self, config: "CallConfig") -> "CallConfig":
        """Azure serves o-series / gpt-5 deployments: apply OpenAI's reasoning-model param rules."""
        if config.spec.has(Quirk.OPENAI_REASONING_MODELS):
            return config
        patched = copy.copy(config)
        patched.spec = _reasoning_spec(config.spec)
        return patched

    def unsupported_chat_params(self, model: str, spec: "ProviderSpec") -> FrozenSet[str]:
        # The same rules for the road's check (supported.enforce) as for map_params, on any Azure row.
        return super().unsupported_chat_params(model, _reasoning_spec(spec))

    def map_params(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        return super().map_params(request, self._with_reasoning_quirk(config))

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        wire = super().prepare(request, config)
        wire.url = azure_url(config.api_base, request.model, config.spec.chat_path or "/chat/completions", config.api_version)
        return wire

    def endpoint_url(self, config: "CallConfig", model: str, path: str) -> str:
        return azure_url(config.api_base, model, path, config.api_version)

    def model_in_url(self, config: "CallConfig") -> bool:
        return config.api_version not in ("v1", "latest", "preview")

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        wire = super().prepare_embedding(request, config)
        wire.url = azure_url(config.api_base, request.model, config.spec.embeddings_path or "/embeddings", config.api_version)
        return wire

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        err = super().parse_error(response, config)
        if isinstance(err, ContentPolicyViolationError) or response.status != 400:
            return err
        try:
            payload = json.loads(response.text())
        except (ValueError, RecursionError):
            return err
        if is_content_filter_error(payload):
            return ContentPolicyViolationError(
                err.message,
                config.provider,
                config.model,
                status_code=response.status,
                headers=dict(response.headers),
                body=response.text(),
                code=err.code,
                error_type=err.type,
            )
        return err

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        data = event.data.strip() if event.data else ""
        if data.startswith("{") and "filter_results" in data:
            payload = load_json(data, state.provider, state.model, what="stream event")
            if _filter_annotation_only(payload):
                return []
        return super().parse_event(event, state)


def _filter_annotation_only(payload: Any) -> bool:
    """True for chunks that carry nothing but content-filter annotations.

    That is the first chunk (``choices: []`` plus ``prompt_filter_results``) and, with the
    asynchronous filter, chunks whose choices have an empty delta, no finish_reason and only
    ``content_filter_results`` / ``content_filter_offsets``.
    """
    if not isinstance(payload, dict) or payload.get("error") or payload.get("usage") is not None:
        return False
    choices = payload.get("choices")
    if not choices:
        return "prompt_filter_results" in payload
    if not isinstance(choices, list):
        return False
    for choice in choices:
        if not isinstance(choice, dict) or choice.get("finish_reason") is not None:
            return False
        if "content_filter_results" not in choice and "content_filter_offsets" not in choice:
            return False
        delta = choice.get("delta")
        if isinstance(delta, dict) and any(v not in (None, "", []) for v in delta.values()):
            return False
    return True
