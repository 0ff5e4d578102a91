"""Model names -> (model id on the wire, provider): ``provider/model`` prefixes and bare registry names."""

from __future__ import annotations

import os

from ._package import package_setting
from .exceptions import BadRequestError
from .providers import PROVIDERS

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

    _AliasBase = Mapping[str, str]
else:
    from collections.abc import Mapping as _AliasBase  # subscripted at run time only from Python 3.9

__all__ = ["get_llm_provider", "split_model", "canonical_provider", "PROVIDER_ALIASES"]

class _Aliases(_AliasBase):
    """alias -> provider name, read from every ProviderSpec's ``aliases`` (rows added later included)."""

    def _table(self) -> Dict[str, str]:
        return {alias: spec.name for spec in PROVIDERS.values() for alias in spec.aliases}

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def get(self, key: str, default: Any = None) -> Any:
        for spec in PROVIDERS.values():
            if key in spec.aliases:
                return spec.name
        return default

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


# Other spellings LiteLLM users write for the same provider (each row's ``aliases``).
PROVIDER_ALIASES: Mapping[str, str] = _Aliases()


def canonical_provider(provider: str) -> str:
    """The provider name a row is registered under (aliases resolved)."""
    if provider in PROVIDERS:
        return provider
    return str(PROVIDER_ALIASES.get(provider, provider))


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
    table = package_setting("model_alias_map")
    if isinstance(table, dict) and table:
        target = table.get(model)
        if isinstance(target, str) and target.strip():
            return target.strip()
    return model


# OpenAI's endpoint model families by name prefix, for bare names the price map does not hold
# (``text-moderation-stable``, ``dall-e-3``...): LiteLLM sends them to OpenAI too.
_ENDPOINT_FAMILIES: Dict[str, Tuple[str, ...]] = {
    "moderation": ("text-moderation-", "omni-moderation-"),
    "image_generation": ("dall-e-", "gpt-image-"),
    "transcription": ("whisper-", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"),
    "speech": ("tts-", "gpt-4o-mini-tts"),
    "embedding": ("text-embedding-",),
    "text_completion": ("gpt-3.5-turbo-instruct", "davinci-", "babbage-"),
}


def _endpoint_family(model: str, endpoint: Optional[str]) -> Optional[str]:
    prefixes = _ENDPOINT_FAMILIES.get(endpoint or "")
    if prefixes and "/" not in model and model.lower().startswith(prefixes):
        return "openai"
    return None


def split_model(model: str, custom_llm_provider: Optional[str] = None, endpoint: Optional[str] = None) -> Tuple[str, str]:
    """(provider, model id) for a model name; raises BadRequestError when no provider fits.

    ``endpoint`` (``moderation``, ``image_generation``...) lets OpenAI's bare endpoint model names
    (``text-moderation-stable``, ``dall-e-3``, ``whisper-1``...) resolve even when the price map
    does not list them."""
    if not isinstance(model, str) or not model.strip():
        raise BadRequestError("model must be a non-empty string such as 'openai/gpt-4o-mini'")
    model = _aliased(model.strip())
    if custom_llm_provider:
        provider = canonical_provider(custom_llm_provider)
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
        provider = canonical_provider(prefix)
        if provider in PROVIDERS and rest:
            return provider, rest
    found = _bare_provider(model) or _endpoint_family(model, endpoint)
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
