"""Configuration files: the gateway file (``providers:``) and LiteLLM's proxy ``config.yaml``.

::

    import litellm_lite as litellm

    config = litellm.load_config("gateway.yaml")      # .yaml/.yml, .json, .toml (Python 3.11+)
    deepseek = config.client("deepseek")                # a litellm_lite.Client
    r = config.completion(model="deepseek/deepseek-chat", messages=[...])

Two shapes are read (both may share one file):

* ``providers:`` -- one block per provider (``api_key``, ``api_base``, ``api_version``,
  ``timeout_seconds``, ``max_retries``, ``headers``, ``extra_params``, ``default_model``,
  ``ssl_verify``; ``provider:`` when the block's name is not the provider's), each building a
  :class:`~litellm_lite.client.Client`. Fields left out come from the provider's environment
  variables and spec.
* LiteLLM's ``model_list`` (``model_name``, ``litellm_params``, ``model_info``) with
  ``router_settings`` and the Router-related ``litellm_settings``, building a
  :class:`~litellm_lite.router.Router`. ``general_settings``, ``environment_variables`` and the
  proxy's other sections are reported as ignored in one WARNING.

Values may reference the environment: ``${VAR}``, ``${VAR:-default}`` inside any string, and
LiteLLM's ``os.environ/VAR`` as a whole value. Missing variables raise one :class:`ConfigError`
naming all of them (never a value). Unknown keys give one WARNING naming them; a value of the
wrong type names its path (``providers.deepseek.timeout_seconds``).

:meth:`ConfigFile.reload` (or the opt-in polling :meth:`ConfigFile.watch`) reads the file again and
swaps the whole configuration at once; calls already running finish on the configuration they
started with, and a new file that does not load leaves the previous configuration in place (the
error is logged). Reloading changes non-secret settings only: when a provider block (or a
model_list deployment, matched by its id) that was already loaded comes back with another key or
credential, the one loaded before is kept and a WARNING names the block and the field (never a
value); providers and deployments new to the file bring their own keys.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .config_errors import ConfigError
from .exceptions import LiteLLMError

__all__ = ["load_config", "ConfigFile", "read_config_data", "resolve_env"]

logger = logging.getLogger("litellm_lite")

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_PROVIDER_FIELDS: Dict[str, Tuple[type, ...]] = {
    "provider": (str,),
    "api_key": (str,),
    "api_base": (str,),
    "api_version": (str,),
    "timeout_seconds": (int, float),
    "max_retries": (int,),
    "headers": (dict,),
    "extra_params": (dict,),
    "default_model": (str,),
    "ssl_verify": (bool, str),
    "use_module_callbacks": (bool,),
}
# Sections of LiteLLM's proxy config that configure the proxy server, not the SDK.
_PROXY_SECTIONS = (
    "general_settings", "environment_variables", "guardrails", "finetune_settings", "files_settings",
    "mcp_servers", "credential_list", "callback_settings", "assistant_settings", "search_tools",
    "vector_store_registry", "prompts", "pass_through_endpoints",
)
# litellm_settings keys that configure the Router built from the file.
_LITELLM_ROUTER_SETTINGS = {
    "num_retries": "num_retries",
    "request_timeout": "timeout",
    "fallbacks": "fallbacks",
    "context_window_fallbacks": "context_window_fallbacks",
    "content_policy_fallbacks": "content_policy_fallbacks",
    "default_fallbacks": "default_fallbacks",
    "model_alias_map": "model_group_alias",
    "allowed_fails": "allowed_fails",
    "cooldown_time": "cooldown_time",
    "retry_policy": "retry_policy",
    "allowed_fails_policy": "allowed_fails_policy",
}


# -- reading -------------------------------------------------------------------------------------


def read_config_data(path: str) -> Any:
    """The parsed content of ``path`` (JSON, TOML or YAML, chosen by its extension)."""
    lowered = path.lower()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ConfigError("cannot read the configuration file: %s" % exc.strerror, source=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text (byte %d)" % exc.start, source=path) from None
    if lowered.endswith(".json"):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ConfigError("invalid JSON: %s" % exc, source=path) from None
    if lowered.endswith(".toml"):
        try:
            import tomllib  # type: ignore[import-not-found, unused-ignore]  # novermin (guarded: 3.11+)
        except ImportError:
            raise ConfigError("TOML files need Python 3.11 or later (tomllib); use YAML or JSON", source=path) from None
        try:
            return tomllib.loads(text)
        except ValueError as exc:
            raise ConfigError("invalid TOML: %s" % exc, source=path) from None
    if lowered.endswith((".yaml", ".yml")):
        from ._yaml import loads

        return loads(text, source=path)
    raise ConfigError("unknown configuration format: use a .yaml, .yml, .json or .toml file", source=path)


def resolve_env(value: Any, environ: Mapping[str, str], missing: List[str]) -> Any:
    """``value`` with ``${VAR}``, ``${VAR:-default}`` and ``os.environ/VAR`` replaced; names not set go to ``missing``."""
    if isinstance(value, dict):
        return {k: resolve_env(v, environ, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v, environ, missing) for v in value]
    if not isinstance(value, str):
        return value
    if value.startswith("os.environ/"):
        name = value[len("os.environ/"):]
        if name in environ:
            return environ[name]
        if name not in missing:
            missing.append(name)
        return None

    def substitute(match: "re.Match[str]") -> str:
        name, default = match.group(1), match.group(2)
        if environ.get(name):
            return environ[name]
        if default is not None:
            return default
        if name not in missing:
            missing.append(name)
        return ""

    return _ENV_REF.sub(substitute, value)


def _type_name(types: Tuple[type, ...]) -> str:
    names = {bool: "true/false", str: "a string", int: "an integer", float: "a number", dict: "a mapping", list: "a list"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def _check_type(value: Any, types: Tuple[type, ...], path: str, errors: List[str]) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        errors.append("%s must be %s, got %s" % (path, _type_name(types), type(value).__name__))
    return ok


# -- building ------------------------------------------------------------------------------------


@dataclass
class _State:
    """One loaded configuration (never mutated after it is built)."""

    clients: Dict[str, Any] = field(default_factory=dict)
    router: Any = None
    ignored: List[str] = field(default_factory=list)
    data: Dict[str, Any] = field(default_factory=dict)


def _build_clients(blocks: Any, environ: Mapping[str, str], errors: List[str], unknown: List[str]) -> Dict[str, Any]:
    from .client import Client, ProviderConfig

    clients: Dict[str, Any] = {}
    if not _check_type(blocks, (dict,), "providers", errors) or not blocks:
        return clients
    for name, block in blocks.items():
        path = "providers.%s" % name
        if not _check_type(block, (dict,), path, errors):
            continue
        block = block or {}
        values: Dict[str, Any] = {}
        for key, value in block.items():
            if key not in _PROVIDER_FIELDS:
                unknown.append("%s.%s" % (path, key))
            elif _check_type(value, _PROVIDER_FIELDS[key], "%s.%s" % (path, key), errors) and value is not None:
                values[key] = float(value) if key == "timeout_seconds" else value
        provider = str(values.pop("provider", name))
        config = ProviderConfig.from_env(provider, environ, **values)
        problems = config.problems()
        if problems:
            errors.extend("%s: %s" % (path, p) for p in problems)
            continue
        clients[str(name)] = Client(config)
    return clients


def _used_settings(data: Mapping[str, Any], errors: List[str], ignored: List[str]) -> Dict[str, Any]:
    """The parts of the file litellm_lite uses (only these get their environment references resolved)."""
    from .router_parity import ROUTER_KEYWORDS

    used: Dict[str, Any] = {k: data[k] for k in ("providers", "model_list") if k in data}
    for section, known in (("litellm_settings", set(_LITELLM_ROUTER_SETTINGS) | {"drop_params"}),
                           ("router_settings", set(ROUTER_KEYWORDS) - {"model_list"})):
        settings = data.get(section)
        if settings is None or not _check_type(settings, (dict,), section, errors):
            continue
        used[section] = {k: v for k, v in settings.items() if k in known}
        ignored.extend("%s.%s" % (section, k) for k in settings if k not in known)
    return used


def _router_kwargs(data: Mapping[str, Any]) -> Dict[str, Any]:
    kwargs: Dict[str, Any] = {}
    for key, value in (data.get("litellm_settings") or {}).items():
        if key != "drop_params":
            kwargs[_LITELLM_ROUTER_SETTINGS[key]] = value
    kwargs.update(data.get("router_settings") or {})
    return kwargs


def _model_list(data: Mapping[str, Any], errors: List[str]) -> List[Dict[str, Any]]:
    entries = data.get("model_list")
    if not _check_type(entries, (list,), "model_list", errors) or not entries:
        return []
    settings = data.get("litellm_settings") or {}
    drop = settings.get("drop_params") if isinstance(settings, dict) else None
    out: List[Dict[str, Any]] = []
    for i, entry in enumerate(entries):
        path = "model_list[%d]" % i
        if not _check_type(entry, (dict,), path, errors):
            continue
        params = entry.get("litellm_params")
        if not isinstance(params, dict):
            errors.append("%s.litellm_params must be a mapping with a 'model'" % path)
            continue
        if drop is not None and "drop_params" not in params:
            entry = dict(entry, litellm_params=dict(params, drop_params=bool(drop)))
        out.append(entry)
    return out


def _is_secret_param(name: Any) -> bool:
    from .observability import SECRET_KEYS

    return isinstance(name, str) and (
        name in SECRET_KEYS or name.endswith(("_api_key", "_secret", "_secret_key", "_token", "_password", "_credentials"))
    )


def _kept_secrets(old: Mapping[str, Any], new: Mapping[str, Any], changed: List[str], prefix: str = "") -> Dict[str, Any]:
    """``new`` with its secret fields (and credential headers) as in ``old``; their names go to ``changed``."""
    from .exceptions import is_credential_header

    result = dict(new)
    for key in sorted(set(old) | set(new), key=str):
        if _is_secret_param(key) and old.get(key) != new.get(key):
            changed.append(prefix + str(key))
            result.pop(key, None)
            if key in old:
                result[key] = old[key]
    for key in ("headers", "extra_headers"):
        old_headers, new_headers = old.get(key), new.get(key)
        if isinstance(old_headers, Mapping) or isinstance(new_headers, Mapping):
            before = {k: v for k, v in dict(old_headers or {}).items() if is_credential_header(str(k))}
            after = {k: v for k, v in dict(new_headers or {}).items() if is_credential_header(str(k))}
            if before != after:
                changed.append("%s%s" % (prefix, key))
                plain = {k: v for k, v in dict(new_headers or {}).items() if not is_credential_header(str(k))}
                result[key] = dict(plain, **before)
    return result


def _keep_client_secrets(previous: _State, clients: Dict[str, Any], source: str) -> None:
    """Clients of provider blocks loaded before keep the key and credential headers they had."""
    from dataclasses import replace

    from .client import Client

    for name, client in list(clients.items()):
        old = previous.clients.get(name)
        if old is None or old.provider != client.provider:
            continue
        changed: List[str] = []
        fields_ = {k: getattr(client.config, k) for k in ("api_key", "headers")}
        kept = _kept_secrets({k: getattr(old.config, k) for k in fields_}, fields_, changed)
        if changed:
            clients[name] = Client(replace(client.config, **kept))
            _warn_kept(source, "providers.%s" % name, changed)


def _deployment_id(entry: Mapping[str, Any], index: int) -> str:
    params = entry.get("litellm_params") or {}
    info = entry.get("model_info") or (params.get("model_info") if isinstance(params, Mapping) else None) or {}
    found = info.get("id") if isinstance(info, Mapping) else None
    return str(found or "%s-%d" % (entry.get("model_name"), index))


def _keep_deployment_secrets(previous: _State, model_list: List[Dict[str, Any]], source: str) -> List[Dict[str, Any]]:
    """Deployments loaded before (same id) keep the keys and credentials they had."""
    router = previous.router
    if router is None:
        return model_list
    before = {_deployment_id(e, i): e.get("litellm_params") or {} for i, e in enumerate(router.model_list)}
    out: List[Dict[str, Any]] = []
    for index, entry in enumerate(model_list):
        ident = _deployment_id(entry, index)
        old = before.get(ident)
        changed: List[str] = []
        if old is not None:
            params = _kept_secrets(old, entry["litellm_params"], changed, "litellm_params.")
            if changed:
                entry = dict(entry, litellm_params=params)
                _warn_kept(source, "model_list deployment %r (model_name %r)" % (ident, entry.get("model_name")), changed)
        out.append(entry)
    return out


def _warn_kept(source: str, where: str, changed: List[str]) -> None:
    logger.warning(
        "%s: %s: %s changed in the file; reload() does not change keys or credentials, the ones loaded "
        "before are kept (load the file again with load_config() to use new ones)",
        source,
        where,
        ", ".join(changed),
    )


def build_state(
    data: Any, source: str, environ: Optional[Mapping[str, str]] = None, previous: Optional[_State] = None
) -> _State:
    """Check and build one configuration from parsed file data (raises ConfigError listing every problem).

    With ``previous`` (a reload), providers and deployments already loaded keep their keys and credentials.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping (providers:, model_list:, ...)", source=source)
    errors: List[str] = []
    ignored = [str(k) for k in data if k in _PROXY_SECTIONS]
    used = _used_settings(data, errors, ignored)
    missing: List[str] = []
    resolved = resolve_env(used, env, missing)
    if missing:
        raise ConfigError("environment variables not set: %s" % ", ".join(sorted(missing)), source=source)
    sections = ("providers", "model_list", "litellm_settings", "router_settings")
    unknown = [str(k) for k in data if k not in sections and k not in _PROXY_SECTIONS]
    state = _State(data=resolved, ignored=ignored)
    if "providers" in resolved:
        state.clients = _build_clients(resolved["providers"], env, errors, unknown)
    model_list = _model_list(resolved, errors)
    if errors:
        raise ConfigError("; ".join(errors), source=source)
    if previous is not None:
        _keep_client_secrets(previous, state.clients, source)
        model_list = _keep_deployment_secrets(previous, model_list, source)
    if not state.clients and not model_list:
        raise ConfigError("nothing to configure: expected 'providers:' or 'model_list:'", source=source)
    if model_list:
        from .exceptions import BadRequestError
        from .router import Router

        try:
            state.router = Router(model_list=model_list, **_router_kwargs(resolved))
        except ConfigError as exc:
            raise ConfigError(exc.message, source=source) from None
        except BadRequestError as exc:
            raise ConfigError(exc.message, source=source) from None
    if unknown:
        logger.warning("%s: unknown keys ignored: %s", source, ", ".join(unknown))
    if state.ignored:
        logger.warning("%s: proxy-only or unsupported settings ignored: %s", source, ", ".join(state.ignored))
    return state


class ConfigFile:
    """A loaded configuration file: its clients (``providers:``) and Router (``model_list:``), reloadable."""

    def __init__(self, path: "str | os.PathLike[str]", environ: Optional[Mapping[str, str]] = None) -> None:
        self.path = os.fspath(path)
        self._environ = environ
        self._lock = threading.Lock()
        self._watcher: Optional[threading.Thread] = None
        self._stop = threading.Event()
        self._stamp = self._file_stamp()
        self._state = build_state(read_config_data(self.path), self.path, environ)

    def __repr__(self) -> str:
        state = self._state
        return "ConfigFile(%r, clients=%s, router=%s)" % (self.path, sorted(state.clients), state.router is not None)

    def __getstate__(self) -> Dict[str, Any]:
        return {"path": self.path, "environ": None if self._environ is None else dict(self._environ), "state": self._state}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.path = state["path"]
        self._environ = state["environ"]
        self._lock = threading.Lock()
        self._watcher = None
        self._stop = threading.Event()
        self._stamp = self._file_stamp()
        self._state = state["state"]

    # -- what the file configures --------------------------------------------------------------
    @property
    def clients(self) -> Dict[str, Any]:
        """Name -> Client for each ``providers:`` block (a copy; the current configuration)."""
        return dict(self._state.clients)

    @property
    def router(self) -> Any:
        """The Router built from ``model_list`` (None when the file has none)."""
        return self._state.router

    @property
    def ignored(self) -> List[str]:
        """Sections and settings of the file that litellm_lite does not use."""
        return list(self._state.ignored)

    def client(self, name: str) -> Any:
        """The Client of the ``providers.<name>`` block."""
        found = self._state.clients.get(name)
        if found is None:
            raise ConfigError("no provider %r in this file; configured: %s" % (name, ", ".join(sorted(self._state.clients)) or "none"), source=self.path)
        return found

    def _target(self, model: str) -> Tuple[Any, str]:
        """(Client or Router, model to pass) for a ``provider/model`` name or a model_list alias."""
        state = self._state  # read once: a reload during the call does not affect it
        if state.router is not None and state.router.serves(model):
            return state.router, model
        name, _, rest = model.partition("/")
        if rest and name in state.clients:
            return state.clients[name], rest
        raise ConfigError("no provider or model_list entry for model %r" % model, source=self.path)

    def completion(self, model: str, messages: Optional[List[Dict[str, Any]]] = None, **kwargs: Any) -> Any:
        """completion() through the Router (a model_list alias) or the client of ``<provider>/...``."""
        target, name = self._target(model)
        return target.completion(name, messages, **kwargs)

    def embedding(self, model: str, input: Any = None, **kwargs: Any) -> Any:
        target, name = self._target(model)
        return target.embedding(name, input, **kwargs)

    async def acompletion(self, model: str, messages: Optional[List[Dict[str, Any]]] = None, **kwargs: Any) -> Any:
        target, name = self._target(model)
        return await target.acompletion(name, messages, **kwargs)

    async def aembedding(self, model: str, input: Any = None, **kwargs: Any) -> Any:
        target, name = self._target(model)
        return await target.aembedding(name, input, **kwargs)

    # -- reloading -----------------------------------------------------------------------------
    def _file_stamp(self) -> Optional[Tuple[int, int]]:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def reload(self) -> bool:
        """Read the file again and swap the configuration; False (previous one kept, error logged) if it fails."""
        with self._lock:
            stamp = self._file_stamp()
            try:
                state = build_state(read_config_data(self.path), self.path, self._environ, previous=self._state)
            except LiteLLMError as exc:
                logger.error("configuration not reloaded, keeping the previous one: %s", exc)
                self._stamp = stamp
                return False
            self._state = state
            self._stamp = stamp
            logger.info("%s: configuration reloaded", self.path)
            return True

    def watch(self, interval: float = 2.0) -> None:
        """Reload whenever the file's modification time or size changes (a daemon thread polling)."""
        if not isinstance(interval, (int, float)) or isinstance(interval, bool) or interval <= 0:
            raise ConfigError("watch interval must be a positive number of seconds")
        with self._lock:
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._stop.clear()
            self._watcher = threading.Thread(
                target=self._poll, args=(float(interval),), name="litellm_lite-config-watch", daemon=True
            )
            self._watcher.start()

    def stop_watching(self, timeout: Optional[float] = 5.0) -> None:
        """Stop the watch thread (and wait for it up to ``timeout`` seconds)."""
        self._stop.set()
        watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout)
        self._watcher = None

    @property
    def watching(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    def _poll(self, interval: float) -> None:
        while not self._stop.wait(interval):
            if self._file_stamp() != self._stamp:
                self.reload()


def load_config(path: "str | os.PathLike[str]", environ: Optional[Mapping[str, str]] = None) -> ConfigFile:
    """Load a gateway file (``providers:``) and/or a LiteLLM ``config.yaml`` (see the module doc)."""
    return ConfigFile(path, environ)
