"""Call configuration: keyword arguments > module settings > environment > provider spec.

:class:`CallConfig` is what an adapter sees: everything resolved, no environment lookups left.
Its ``repr()`` never shows a secret.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field, fields
from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from typing import Any, Callable, Dict, Optional, Union

from .exceptions import AuthenticationError, BadRequestError, is_credential_header, register_secret
from .providers.base import ProviderSpec

__all__ = ["CallConfig", "settings", "resolve_config", "CREDENTIAL_RESOLVERS", "Settings"]

_SECRET_FIELDS = frozenset({"api_key", "credentials"})


@dataclass
class Settings:
    """Module-level defaults (``litellm_lite.num_retries = 3`` etc. write through to these)."""

    api_key: Optional[str] = None
    api_base: Optional[str] = None
    num_retries: Optional[int] = None
    request_timeout: float = 600.0
    drop_params: bool = False
    ssl_verify: Union[bool, str, None] = None
    max_retry_delay: float = 60.0
    #: Whole-call deadline in seconds (None: none); see CallConfig.call_timeout.
    call_timeout: Optional[float] = None
    #: Largest non-streamed response body accepted, after decompression.
    max_response_bytes: int = 64 * 1024 * 1024


settings = Settings()
_PACKAGE = __package__ or ""


def setting(name: str) -> Any:
    """A module-level setting: ``litellm_lite.<name>`` when the user set it, else ``settings.<name>``."""
    package = sys.modules.get(_PACKAGE)
    value = getattr(package, name, None) if package is not None else None
    if value is None:
        value = getattr(settings, name, None)
    return value


@dataclass
class CallConfig:
    """Resolved configuration for one call to one provider."""

    provider: str
    model: str
    spec: ProviderSpec
    api_key: Optional[str] = None
    api_base: str = ""
    api_version: Optional[str] = None
    timeout: float = 600.0
    num_retries: int = 2
    extra_headers: Dict[str, str] = field(default_factory=dict)
    drop_params: bool = False
    ssl_verify: Union[bool, str, None] = None
    # Provider-specific resolved values (AWS credentials, Vertex project, Azure AD token...).
    credentials: Any = None
    options: Dict[str, Any] = field(default_factory=dict)
    # Whole-call bound in seconds (``call_timeout=``) and the time.monotonic() instant it ends at.
    call_timeout: Optional[float] = None
    deadline: Optional[float] = None
    max_response_bytes: Optional[int] = None

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRET_FIELDS and value is not None:
                value = "***"
            elif f.name == "extra_headers" and isinstance(value, Mapping):
                value = {k: "***" if is_credential_header(str(k)) else v for k, v in value.items()}
            if f.name == "spec":
                value = value.name
            parts.append("%s=%r" % (f.name, value))
        return "CallConfig(%s)" % ", ".join(parts)


def _call_timeout(value: Any, provider: str, model: str) -> Optional[float]:
    """``call_timeout=`` (else the module setting): a positive finite number of seconds, or None."""
    if value is None:
        value = setting("call_timeout")
        if value is None:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise BadRequestError(
            "call_timeout must be a positive, finite number of seconds, got %r" % (value,), provider, model
        )
    return float(value)


def _max_response_bytes(value: Any, provider: str, model: str) -> int:
    """``max_response_bytes=`` (else the module setting): a positive integer."""
    if value is None:
        value = setting("max_response_bytes")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise BadRequestError("max_response_bytes must be a positive integer, got %r" % (value,), provider, model)
    return value


def _first_env(names: "tuple[str, ...]", environ: Mapping[str, str]) -> Optional[str]:
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None


def _check_base(api_base: str, provider: str, model: str) -> str:
    lowered = api_base.strip().lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        raise BadRequestError(
            "api_base must be an http:// or https:// URL, got %r" % api_base.split("?")[0][:100], provider, model
        )
    return api_base.strip()


# auth style -> "module:function" (relative to this package) called as function(config, kwargs, environ)
# to fill config.credentials / config.api_key / config.options; imported only when that style is used.
CREDENTIAL_RESOLVERS: Dict[str, str] = {
    "aws": ".providers.aws_auth:resolve_aws_credentials",
    "google": ".providers.google_auth:resolve_google_credentials",
    "azure": ".providers.azure:resolve_azure_credentials",
}


def _load_resolver(target: str) -> Callable[[CallConfig, Dict[str, Any], Mapping[str, str]], None]:
    import importlib

    module_name, _, func = target.partition(":")
    module = importlib.import_module(module_name, __package__)
    return getattr(module, func)  # type: ignore[no-any-return]


def resolve_config(
    spec: ProviderSpec,
    model: str,
    kwargs: Dict[str, Any],
    environ: Optional[Mapping[str, str]] = None,
) -> CallConfig:
    """Build the CallConfig for ``spec``; pops the config keyword arguments it consumes from ``kwargs``.

    Raises AuthenticationError naming the variable to set when a hosted provider has no key.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    api_key = kwargs.pop("api_key", None) or setting("api_key") or _first_env(spec.api_key_env, env)
    register_secret(api_key)  # refuses a key that is not text, before anything uses it
    api_base = (
        kwargs.pop("api_base", None)
        or kwargs.pop("base_url", None)
        or setting("api_base")
        or _first_env(spec.api_base_env, env)
        or spec.api_base
    )
    kwargs.pop("base_url", None)
    api_version = kwargs.pop("api_version", None) or _first_env(spec.api_version_env, env) or spec.default_api_version
    timeout = kwargs.pop("timeout", None)
    if timeout is None:
        timeout = kwargs.pop("request_timeout", None)
    kwargs.pop("request_timeout", None)
    if timeout is None:
        timeout = setting("request_timeout")
    try:
        timeout_f = float(timeout)
    except (TypeError, ValueError):
        raise BadRequestError("timeout must be a number of seconds, got %r" % (timeout,), spec.name, model) from None
    if timeout_f <= 0:
        raise BadRequestError("timeout must be positive, got %r" % (timeout,), spec.name, model)
    num_retries = kwargs.pop("num_retries", None)
    if num_retries is None:
        num_retries = kwargs.pop("max_retries", None)
    kwargs.pop("max_retries", None)
    if num_retries is None:
        num_retries = setting("num_retries")
        if num_retries is None:
            num_retries = 2
    if not isinstance(num_retries, int) or isinstance(num_retries, bool) or num_retries < 0:
        raise BadRequestError("num_retries must be a non-negative integer", spec.name, model)
    extra_headers = kwargs.pop("extra_headers", None) or {}
    headers_kw = kwargs.pop("headers", None) or {}
    if not isinstance(extra_headers, Mapping) or not isinstance(headers_kw, Mapping):
        raise BadRequestError("extra_headers must be a mapping of header names to values", spec.name, model)
    merged_headers: Dict[str, str] = {}
    for name, value in list(headers_kw.items()) + list(extra_headers.items()):
        if not isinstance(name, str) or not isinstance(value, str):
            raise BadRequestError("header names and values must be strings: %r" % (name,), spec.name, model)
        if any(c in name + value for c in "\r\n\0") or not name.strip() or ":" in name:
            raise BadRequestError("invalid header %r: CR, LF, NUL or ':' not allowed" % (name,), spec.name, model)
        if is_credential_header(name):
            register_secret(value, "header %r" % name)
        merged_headers[name] = value
    drop_params = kwargs.pop("drop_params", None)
    ssl_verify = kwargs.pop("ssl_verify", None)
    call_timeout = _call_timeout(kwargs.pop("call_timeout", None), spec.name, model)
    max_response_bytes = _max_response_bytes(kwargs.pop("max_response_bytes", None), spec.name, model)
    config = CallConfig(
        provider=spec.name,
        model=model,
        spec=spec,
        api_key=api_key,
        api_base=_check_base(api_base, spec.name, model) if api_base else "",
        api_version=api_version,
        timeout=timeout_f,
        num_retries=num_retries,
        extra_headers=merged_headers,
        drop_params=bool(setting("drop_params") if drop_params is None else drop_params),
        ssl_verify=setting("ssl_verify") if ssl_verify is None else ssl_verify,
        call_timeout=call_timeout,
        deadline=time.monotonic() + call_timeout if call_timeout is not None else None,
        max_response_bytes=max_response_bytes,
    )
    for name in spec.call_options:
        if name in kwargs:
            config.options[name] = kwargs.pop(name)
    resolver = CREDENTIAL_RESOLVERS.get(spec.auth)
    if resolver is not None:
        _load_resolver(resolver)(config, kwargs, env)
    if not config.api_base:
        raise BadRequestError(
            "no api_base for provider %r: pass api_base=... or set %s"
            % (spec.name, " or ".join(spec.api_base_env) or "api_base"),
            spec.name,
            model,
        )
    if spec.key_required and not config.api_key and config.credentials is None:
        raise AuthenticationError(
            "missing API key for %s: set %s or pass api_key=..."
            % (spec.name, " or ".join(spec.api_key_env) or "api_key"),
            spec.name,
            model,
        )
    register_secret(config.api_key)
    return config
