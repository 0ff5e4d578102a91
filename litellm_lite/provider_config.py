"""Per-provider configuration: :class:`ProviderConfig` (validated, ``from_env``) and :class:`Capabilities`.

A :class:`~litellm_lite.client.Client` is built from a ProviderConfig; ``load_config`` builds them
from configuration files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from dataclasses import dataclass, field, fields

from .config_errors import ConfigError
from .resolve import canonical_provider

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

__all__ = ["ProviderConfig", "Capabilities", "capabilities_of", "DEFAULT_TIMEOUT", "DEFAULT_RETRIES"]

_LOGGER_METHODS = ("log_pre_api_call", "log_success_event", "log_failure_event", "log_stream_event")

DEFAULT_TIMEOUT = 600.0
DEFAULT_RETRIES = 2
_RESERVED_EXTRA = frozenset(
    {"model", "messages", "api_key", "api_base", "base_url", "timeout", "num_retries", "max_retries",
     "custom_llm_provider", "extra_headers", "headers", "stream", "input", "callbacks", "use_module_settings",
     "use_module_callbacks", "litellm_cache"}
)
_URL = re.compile(r"https?://[^/\s?#]+[^\s]*$", re.IGNORECASE)
_CREDENTIAL_AUTH = frozenset({"aws", "google", "azure"})


@dataclass
class ProviderConfig:
    """How to reach one provider: key, base URL, timeout, retries, headers and extra body parameters.

    ``None`` fields fall back to the provider's spec (its default ``api_base``) and to litellm_lite's
    defaults (600 s, 2 retries) when a :class:`Client` is built. ``callbacks`` are logger objects
    (:class:`~litellm_lite.observability.CustomLogger`) fired for every call of the client;
    ``use_module_callbacks=True`` also fires the module-level callback lists for it. ``repr()``
    never shows the key.
    """

    provider: str
    api_key: Optional[str] = None
    api_base: Optional[str] = None
    api_version: Optional[str] = None
    timeout_seconds: Optional[float] = None
    max_retries: Optional[int] = None
    headers: Dict[str, str] = field(default_factory=dict)
    extra_params: Dict[str, Any] = field(default_factory=dict)
    default_model: Optional[str] = None
    ssl_verify: Any = None
    callbacks: List[Any] = field(default_factory=list)
    use_module_callbacks: bool = False
    max_budget: Optional[float] = None  # USD for this client's calls (BudgetExceededError once reached)
    budget_duration: Optional[str] = None  # "daily", "30d"...: the budget restarts every duration
    cache: Any = "module"  # "module": litellm_lite.cache; a caching.Cache: its own; None: no caching

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "api_key" and value is not None:
                value = "***"
            parts.append("%s=%r" % (f.name, value))
        return "ProviderConfig(%s)" % ", ".join(parts)

    @classmethod
    def from_env(cls, provider: str, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> "ProviderConfig":
        """The provider's configuration from its environment variables (``DEEPSEEK_API_KEY``...)."""
        from .providers import get_spec
        from .providers.base import first_env

        env: Mapping[str, str] = os.environ if environ is None else environ
        name = canonical_provider(provider)
        spec = get_spec(name)
        values: Dict[str, Any] = {}
        if spec is not None:
            values["api_key"] = first_env(spec.api_key_env, env)
            values["api_base"] = first_env(spec.api_base_env, env)
            values["api_version"] = first_env(spec.api_version_env, env)
        values.update(overrides)
        return cls(name, **values)

    def problems(self) -> List[str]:
        """Every problem of this configuration (empty when it is usable); nothing is sent."""
        from .providers import get_spec

        found: List[str] = []
        name = self.provider if isinstance(self.provider, str) else ""
        spec = get_spec(canonical_provider(name)) if name else None
        if spec is None:
            from .providers import PROVIDERS

            found.append("unknown provider %r; known providers: %s" % (self.provider, ", ".join(sorted(PROVIDERS))))
        if self.api_key is not None and (not isinstance(self.api_key, str) or not self.api_key.strip()):
            found.append("api_key must be a non-empty string")
        elif spec is not None and spec.key_required and spec.auth not in _CREDENTIAL_AUTH and not self.api_key:
            found.append(
                "missing API key for %s: set %s or give api_key" % (spec.name, " or ".join(spec.api_key_env) or "api_key")
            )
        found += self._base_problems(spec)
        found += self._number_problems()
        found += self._mapping_problems()
        from .budget import budget_problems

        return found + budget_problems(self.max_budget, self.budget_duration) + self._cache_problems()

    def _cache_problems(self) -> List[str]:
        if self.cache is None or (isinstance(self.cache, str) and self.cache == "module"):
            return []
        from .caching import Cache  # only when a cache was given: caching stays unloaded otherwise

        if isinstance(self.cache, Cache):
            return []
        return ["cache must be 'module' (litellm_lite.cache), None (no caching) or a Cache, got %r" % (self.cache,)]

    def _base_problems(self, spec: Any) -> List[str]:
        if self.api_base is None:
            if spec is not None and not spec.api_base and spec.auth not in ("aws", "google"):  # those derive it
                return ["no api_base for %s: set %s or give api_base" % (spec.name, " or ".join(spec.api_base_env) or "api_base")]
            return []
        if not isinstance(self.api_base, str) or not _URL.match(self.api_base.strip()):
            shown = self.api_base.split("?")[0][:100] if isinstance(self.api_base, str) else self.api_base
            return ["api_base must be an http:// or https:// URL with a host, got %r" % (shown,)]
        return []

    def _number_problems(self) -> List[str]:
        found: List[str] = []
        t = self.timeout_seconds
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not t > 0 or t == float("inf")):
            found.append("timeout_seconds must be a positive number of seconds, got %r" % (t,))
        r = self.max_retries
        if r is not None and (isinstance(r, bool) or not isinstance(r, int) or r < 0):
            found.append("max_retries must be a non-negative integer, got %r" % (r,))
        if self.default_model is not None and (not isinstance(self.default_model, str) or not self.default_model):
            found.append("default_model must be a non-empty string")
        if not isinstance(self.use_module_callbacks, bool):
            found.append("use_module_callbacks must be true or false, got %r" % (self.use_module_callbacks,))
        return found

    def _mapping_problems(self) -> List[str]:
        found: List[str] = []
        if not isinstance(self.headers, Mapping):
            found.append("headers must be a mapping of header names to values")
        else:
            for key, value in self.headers.items():
                if not isinstance(key, str) or not isinstance(value, str):
                    found.append("header %r: names and values must be strings" % (key,))
                elif not key.strip() or ":" in key or any(c in key + value for c in "\r\n\0"):
                    found.append("header %r: CR, LF, NUL or ':' not allowed" % (key,))
        if not isinstance(self.extra_params, Mapping):
            found.append("extra_params must be a mapping")
        else:
            reserved = sorted(str(k) for k in self.extra_params if k in _RESERVED_EXTRA)
            if reserved:
                found.append("extra_params cannot set %s (use the matching field)" % ", ".join(reserved))
        if not isinstance(self.callbacks, (list, tuple)):
            found.append("callbacks must be a list of logger objects (CustomLogger)")
        else:
            for cb in self.callbacks:
                if not any(callable(getattr(cb, name, None)) for name in _LOGGER_METHODS):
                    found.append("callback %s has none of the logger methods (%s)" % (type(cb).__name__, ", ".join(_LOGGER_METHODS)))
        return found

    def validate(self) -> "ProviderConfig":
        """Raise :class:`ConfigError` listing every problem at once; return ``self`` when there is none."""
        found = self.problems()
        if found:
            raise ConfigError("invalid configuration for provider %r: %s" % (self.provider, "; ".join(found)))
        return self


@dataclass(frozen=True)
class Capabilities:
    """What a provider serves with litellm_lite today (endpoints and wire-level features)."""

    provider: str
    adapter: str
    endpoints: Tuple[str, ...]
    streaming: bool
    auth: str

    def supports(self, endpoint: str) -> bool:
        return endpoint in self.endpoints


def capabilities_of(provider: str) -> Capabilities:
    """The :class:`Capabilities` of a registered provider."""
    from .providers import get_spec

    spec = get_spec(provider)
    assert spec is not None
    public = {"chat": "completion"}  # endpoint name on the spec -> the function that calls it
    served: List[str] = [public.get(name, name) for name, _ in spec.endpoints]
    return Capabilities(provider=provider, adapter=spec.adapter, endpoints=tuple(served), streaming=True, auth=spec.auth)
