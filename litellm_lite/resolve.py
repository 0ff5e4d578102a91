"""Model names -> (model id on the wire, provider): ``provider/model`` prefixes and bare registry names."""

from __future__ import annotations

import os
import sys
from typing import Optional, Tuple

from .exceptions import BadRequestError
from .providers import PROVIDERS

__all__ = ["get_llm_provider", "split_model", "PROVIDER_ALIASES"]

# Other spellings LiteLLM users write for the same provider.
PROVIDER_ALIASES = {
    "together": "together_ai",
    "togetherai": "together_ai",
    "fireworks": "fireworks_ai",
    "nvidia": "nvidia_nim",
    "vertex_ai_beta": "vertex_ai",
    "vertexai": "vertex_ai",
    "google": "gemini",
    "google_ai_studio": "gemini",
    "azure_openai": "azure",
    "bedrock_converse": "bedrock",
    "vllm": "hosted_vllm",
    "text-completion-openai": "openai",
}


def _canonical(provider: str) -> str:
    return PROVIDER_ALIASES.get(provider, provider)


def _bare_provider(model: str) -> Optional[str]:
    try:
        from .registry import provider_for_bare_model
    except ImportError:  # pragma: no cover - registry always ships
        return None
    try:
        return provider_for_bare_model(model)
    except Exception:  # noqa: BLE001 - a broken registry file must not break routing
        return None


def _aliased(model: str) -> str:
    """``litellm_lite.model_alias_map[model]`` when the user mapped this name (as LiteLLM's model_alias_map)."""
    package = sys.modules.get(__package__ or "")
    table = getattr(package, "model_alias_map", None)
    if isinstance(table, dict) and table:
        target = table.get(model)
        if isinstance(target, str) and target.strip():
            return target.strip()
    return model


def split_model(model: str, custom_llm_provider: Optional[str] = None) -> Tuple[str, str]:
    """(provider, model id) for a model name; raises BadRequestError when no provider fits."""
    if not isinstance(model, str) or not model.strip():
        raise BadRequestError("model must be a non-empty string such as 'openai/gpt-4o-mini'")
    model = _aliased(model.strip())
    if custom_llm_provider:
        provider = _canonical(custom_llm_provider)
        if provider not in PROVIDERS:
            raise BadRequestError(
                "unknown custom_llm_provider %r; known providers: %s" % (custom_llm_provider, ", ".join(sorted(PROVIDERS))),
                custom_llm_provider,
                model,
            )
        prefix = custom_llm_provider + "/"
        if model.startswith(prefix):
            model = model[len(prefix):]
        elif model.startswith(provider + "/"):
            model = model[len(provider) + 1:]
        return provider, model
    if "/" in model:
        prefix, rest = model.split("/", 1)
        provider = _canonical(prefix)
        if provider in PROVIDERS and rest:
            return provider, rest
    found = _bare_provider(model)
    if found and found in PROVIDERS:
        return found, model
    raise BadRequestError(
        "LLM provider not provided for model %r. Pass it as 'provider/model' (e.g. 'openai/%s') or set "
        "custom_llm_provider. Known providers: %s" % (model, model, ", ".join(sorted(PROVIDERS))),
        "",
        model,
    )


def get_llm_provider(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
) -> Tuple[str, str, Optional[str], Optional[str]]:
    """LiteLLM's ``get_llm_provider``: ``(model, provider, dynamic_api_key, api_base)``."""
    provider, model_id = split_model(model, custom_llm_provider)
    spec = PROVIDERS[provider]
    key = api_key
    if key is None:
        for name in spec.api_key_env:
            if os.environ.get(name):
                key = os.environ[name]
                break
    base = api_base
    if base is None:
        for name in spec.api_base_env:
            if os.environ.get(name):
                base = os.environ[name]
                break
        else:
            base = spec.api_base or None
    return model_id, provider, key, base
