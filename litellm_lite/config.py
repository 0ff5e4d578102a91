"""Call configuration: keyword arguments > module settings > environment > provider spec.

:class:`CallConfig` is what an adapter sees: everything resolved, no environment lookups left.
Its ``repr()`` never shows a secret.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field, fields
from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping

from ._package import package, package_setting
from .exceptions import AuthenticationError, BadRequestError, is_credential_header, register_secret
from .providers.base import ProviderSpec, first_env

__all__ = ["CallConfig", "settings", "resolve_config", "CREDENTIAL_RESOLVERS", "Settings"]

_SECRET_FIELDS = frozenset({"api_key", "credentials", "credential_kwargs"})


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


def setting(name: str) -> Any:
    """A module-level setting: ``litellm_lite.<name>`` when the user set it, else ``settings.<name>``."""
    value = package_setting(name)
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
    # Keywords owned by the provider's credential resolver, run in the send step (never sent).
    credential_kwargs: Dict[str, Any] = field(default_factory=dict)
    # The environment the config was resolved against (None: os.environ at send time).
    environ: Optional[Mapping[str, str]] = None

    def check_complete(self) -> None:
        """Raise when no api_base, or no key for a provider that needs one, was found."""
        spec = self.spec
        if not self.api_base:
            raise BadRequestError(
                "no api_base for provider %r: pass api_base=... or set %s"
                % (spec.name, " or ".join(spec.api_base_env) or "api_base"),
                spec.name,
                self.model,
            )
        if spec.key_required and not self.api_key and self.credentials is None:
            raise AuthenticationError(
                "missing API key for %s: set %s or pass api_key=..."
                % (spec.name, " or ".join(spec.api_key_env) or "api_key"),
                spec.name,
                self.model,
            )

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "environ":
                continue
            if f.name in _SECRET_FIELDS and value:
                value = "***"
            elif f.name == "extra_headers" and isinstance(value, Mapping):
                value = {k: "***" if is_credential_header(str(k)) else v for k, v in value.items()}
            if f.name == "spec":
                value = value.name
            parts.append("%s=%r" % (f.name, value))
        return "CallConfig(%s)" % ", ".join(parts)


def _call_timeout(value: Any, provider: str, model: str) -> Optional[float]:
    """``call_timeout``: a positive finite number of seconds, or None (no whole-call bound)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise BadRequestError(
            "call_timeout must be a positive, finite number of seconds, got %r" % (value,), provider, model
        )
    return float(value)


def _max_response_bytes(value: Any, provider: str, model: str) -> int:
    """``max_response_bytes``: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise BadRequestError("max_response_bytes must be a positive integer, got %r" % (value,), provider, model)
    return value


def _check_base(api_base: str, provider: str, model: str) -> str:
    lowered = api_base.strip().lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        raise BadRequestError(
            "api_base must be an http:// or https:// URL, got %r" % api_base.split("?")[0][:100], provider, model
        )
    return api_base.strip()

from .auth import CREDENTIAL_KWARGS, CREDENTIAL_RESOLVERS  # noqa: E402  (the resolver tables live in auth.py)

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Optional, Union


_DEFAULTS = Settings()


def _timeout(value: Any, spec: ProviderSpec, model: str) -> float:
    """A per-read timeout in seconds: a finite positive number (not a bool, not NaN or infinity)."""
    if isinstance(value, bool):
        raise BadRequestError("timeout must be a number of seconds, got %r" % (value,), spec.name, model)
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        raise BadRequestError("timeout must be a number of seconds, got %r" % (value,), spec.name, model) from None
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise BadRequestError("timeout must be a finite number of seconds, got %r" % (value,), spec.name, model)
    if seconds <= 0:
        raise BadRequestError("timeout must be positive, got %r" % (value,), spec.name, model)
    return seconds


def _first_kwarg(kwargs: Dict[str, Any], name: str, alias: str, default: Any) -> Any:
    """``kwargs[name]``, else ``kwargs[alias]``, else ``default``; both names are popped."""
    value = kwargs.pop(name, None)
    other = kwargs.pop(alias, None)
    if value is None:
        value = other
    return default if value is None else value


def _given(value: Any, default: Any) -> Any:
    return default if value is None else value


def _module_settings(use_module_settings: bool) -> Dict[str, Any]:
    """The settings :func:`resolve_config` reads, in one pass: ``litellm_lite.<name>`` when the user
    set it (and module settings apply), else the default."""
    module = package() if use_module_settings else None
    found = vars(module) if module is not None else _NO_SETTINGS
    defaults = settings if use_module_settings else _DEFAULTS
    values = {}
    for name in _SETTING_NAMES:
        value = found.get(name)
        values[name] = getattr(defaults, name) if value is None else value
    return values


_SETTING_NAMES = ("api_key", "api_base", "request_timeout", "num_retries", "drop_params", "ssl_verify", "call_timeout",
                  "max_response_bytes")
_NO_SETTINGS: Dict[str, Any] = {}


def _headers(kwargs: Dict[str, Any], spec: ProviderSpec, model: str) -> Dict[str, str]:
    extra_headers = kwargs.pop("extra_headers", None) or {}
    headers_kw = kwargs.pop("headers", None) or {}
    if not isinstance(extra_headers, Mapping) or not isinstance(headers_kw, Mapping):
        raise BadRequestError("extra_headers must be a mapping of header names to values", spec.name, model)
    merged: Dict[str, str] = {}
    for name, value in list(headers_kw.items()) + list(extra_headers.items()):
        if not isinstance(name, str) or not isinstance(value, str):
            raise BadRequestError("header names and values must be strings: %r" % (name,), spec.name, model)
        if any(c in name + value for c in "\r\n\0") or not name.strip() or ":" in name:
            raise BadRequestError("invalid header %r: CR, LF, NUL or ':' not allowed" % (name,), spec.name, model)
        if is_credential_header(name):
            register_secret(value, "header %r" % name)
        merged[name] = value
    return merged


def _fill_options(config: CallConfig, kwargs: Dict[str, Any], env: Mapping[str, str]) -> None:
    """``config.options`` from the row's ``call_options`` keywords (popped), then its ``options_env``
    variables; then, without a base, the base from its ``api_base_template``."""
    spec = config.spec
    for name in spec.call_options:
        if name in kwargs:
            config.options[name] = kwargs.pop(name)
    for option, names in spec.options_env:
        if config.options.get(option) is None:
            value = first_env(names, env)
            if value is not None:
                config.options[option] = value
    if config.api_base or not spec.api_base_template:
        return
    values: Dict[str, str] = {}
    for option, names in _template_fields(spec):
        value = config.options.get(option)
        if value is None or not str(value).strip() or any(c in str(value) for c in "/?#@ \r\n"):
            raise BadRequestError(
                "%s needs %s: pass %s=... or set %s (or pass api_base=...)"
                % (spec.name, option, option, " or ".join(names) or "api_base"),
                spec.name,
                config.model,
            )
        values[option] = str(value).strip()
    config.api_base = _check_base(spec.api_base_template.format(**values), spec.name, config.model)


def _template_fields(spec: ProviderSpec) -> "list[tuple[str, tuple[str, ...]]]":
    import string

    env_of = dict(spec.options_env)
    return [(name, env_of.get(name, ())) for _, name, _, _ in string.Formatter().parse(spec.api_base_template) if name]


def _num_retries(value: Any, provider: str, model: str) -> int:
    if value is None:
        return 2
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadRequestError("num_retries must be a non-negative integer", provider, model)
    return value


def resolve_config(
    spec: ProviderSpec,
    model: str,
    kwargs: Dict[str, Any],
    environ: Optional[Mapping[str, str]] = None,
    *,
    use_module_settings: bool = True,
) -> CallConfig:
    """Build the CallConfig for ``spec`` from configuration and credential keywords. Pure: no I/O.

    Precedence: keyword argument > the provider's own variables (``ANTHROPIC_API_KEY``...) >
    module-level settings (``litellm_lite.api_key``...; ignored with ``use_module_settings=False``)
    > the spec's defaults. Pops what it consumes from ``kwargs``; the keywords owned by the
    provider's credential resolver are kept in ``config.credential_kwargs`` for
    :func:`litellm_lite.auth.fetch_credentials` (run in the send step). Raises
    AuthenticationError naming the variable to set when a hosted provider has no key.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    module = _module_settings(use_module_settings)
    pop = kwargs.pop
    api_key = pop("api_key", None) or first_env(spec.api_key_env, env) or module["api_key"]
    register_secret(api_key)  # refuses a key that is not text, before anything uses it
    api_base = _first_kwarg(kwargs, "api_base", "base_url", None) or first_env(spec.api_base_env, env) or module["api_base"] or spec.api_base
    api_version = pop("api_version", None) or first_env(spec.api_version_env, env) or spec.default_api_version
    timeout_f = _timeout(_first_kwarg(kwargs, "timeout", "request_timeout", module["request_timeout"]), spec, model)
    num_retries = _num_retries(_first_kwarg(kwargs, "num_retries", "max_retries", module["num_retries"]), spec.name, model)
    merged_headers = _headers(kwargs, spec, model) if "extra_headers" in kwargs or "headers" in kwargs else {}
    drop_params = pop("drop_params", None)
    ssl_verify = pop("ssl_verify", None)
    call_timeout = _call_timeout(_given(pop("call_timeout", None), module["call_timeout"]), spec.name, model)
    max_response_bytes = _max_response_bytes(
        _given(pop("max_response_bytes", None), module["max_response_bytes"]), spec.name, model
    )
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
        drop_params=bool(_given(drop_params, module["drop_params"])),
        ssl_verify=_given(ssl_verify, module["ssl_verify"]),
        call_timeout=call_timeout,
        deadline=time.monotonic() + call_timeout if call_timeout is not None else None,
        max_response_bytes=max_response_bytes,
    )
    _fill_options(config, kwargs, env)
    owned = CREDENTIAL_KWARGS.get(spec.auth)
    if owned is not None:
        config.credential_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in owned}
        config.environ = environ
    register_secret(config.api_key)
    if owned is None:
        config.check_complete()
    return config
