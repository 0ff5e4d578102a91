"""The Router's LiteLLM-parity settings, kept apart from its core (picking, limits, cooldowns).

* ``os.environ/VAR`` values in ``model_list`` are read from the environment when the Router is
  built (one error names every variable that is not set).
* ``enable_pre_call_checks``: deployments whose context window (``model_info.max_input_tokens``,
  else the registry's) is smaller than the request's messages are skipped; when none fits,
  ``ContextWindowExceededError`` is raised (so ``context_window_fallbacks`` apply).
* ``enable_tag_filtering``: a request's ``tags`` (or ``metadata["tags"]``) pick the deployments
  whose ``litellm_params.tags`` share one; untagged requests, or tags nothing matches, go to the
  deployments tagged ``default`` (untagged requests go anywhere when no deployment is ``default``).
* ``order`` in ``litellm_params``: among available deployments only the lowest ``order`` tier is used.
* ``retry_policy`` / ``allowed_fails_policy``: per exception class (``RateLimitErrorRetries``,
  ``TimeoutErrorAllowedFails``... as LiteLLM's ``RetryPolicy`` / ``AllowedFailsPolicy``).
* ``default_fallbacks`` (aliases tried when an alias has no fallbacks of its own) and
  ``content_policy_fallbacks`` (on ``ContentPolicyViolationError``).
* ``model_group_alias`` (and ``litellm_lite.model_alias_map``): a requested name mapped to a model_name.
* Wildcard model names (``"anthropic/*"``, ``"*"``) whose ``litellm_params.model`` ends in ``*``.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type

from ._package import package_setting
from .config_errors import ConfigError
from .exceptions import (
    AuthenticationError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    LiteLLMError,
    RateLimitError,
    Timeout,
)

if TYPE_CHECKING:  # pragma: no cover
    from .router import Router

__all__ = ["ROUTER_KEYWORDS", "Policies", "policies_from", "resolve_model_list"]

logger = logging.getLogger("litellm_lite")

# Error class of each LiteLLM policy field prefix, most specific first.
_POLICY_CLASSES: Tuple[Tuple[str, Type[BaseException]], ...] = (
    ("ContentPolicyViolationError", ContentPolicyViolationError),
    ("BadRequestError", BadRequestError),
    ("AuthenticationError", AuthenticationError),
    ("TimeoutError", Timeout),
    ("RateLimitError", RateLimitError),
    ("InternalServerError", InternalServerError),
)
_PARITY_KEYWORDS = (
    "enable_pre_call_checks", "enable_tag_filtering", "retry_policy", "allowed_fails_policy", "default_fallbacks",
    "content_policy_fallbacks", "model_group_alias",
)
#: Every keyword Router() understands.
ROUTER_KEYWORDS = frozenset(
    ("model_list", "routing_strategy", "num_retries", "fallbacks", "context_window_fallbacks", "allowed_fails",
     "cooldown_time", "timeout", "seed") + _PARITY_KEYWORDS
)


def _policy_table(value: Any, suffix: str, what: str) -> Dict[str, int]:
    """``{ErrorClassPrefix: count}`` from a dict or an object with LiteLLM's field names."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        value = {k: getattr(value, k) for k in dir(value) if k.endswith(suffix) and not k.startswith("_")}
    table: Dict[str, int] = {}
    known = [prefix + suffix for prefix, _ in _POLICY_CLASSES]
    for key, count in value.items():
        if count is None:
            continue
        if key not in known:
            raise ConfigError("%s: unknown field %r; use %s" % (what, key, ", ".join(known)))
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ConfigError("%s.%s must be a non-negative integer" % (what, key))
        table[key[: -len(suffix)]] = count
    return table


def _count_for(table: Mapping[str, int], error: BaseException) -> Optional[int]:
    for prefix, cls in _POLICY_CLASSES:
        if prefix in table and isinstance(error, cls):
            return table[prefix]
    return None


def _alias_list(value: Any, what: str) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError("%s must be a list of model names" % what)


def _group_aliases(value: Any) -> Dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError("model_group_alias must be a mapping of requested name -> model_name")
    out: Dict[str, str] = {}
    for key, target in value.items():
        if isinstance(target, Mapping):
            target = target.get("model")
        if not isinstance(key, str) or not isinstance(target, str) or not target:
            raise ConfigError("model_group_alias[%r] must name a model_name" % (key,))
        out[key] = target
    return out


@dataclass(frozen=True)
class Policies:
    """The parity settings of one Router."""

    pre_call_checks: bool = False
    tag_filtering: bool = False
    retry_policy: Dict[str, int] = field(default_factory=dict)
    allowed_fails_policy: Dict[str, int] = field(default_factory=dict)
    default_fallbacks: List[str] = field(default_factory=list)
    content_policy_fallbacks: Dict[str, List[str]] = field(default_factory=dict)
    group_alias: Dict[str, str] = field(default_factory=dict)
    # deployment id -> (tags, order, max_input_tokens)
    deployments: Dict[str, Tuple[Tuple[str, ...], Optional[int], Optional[int]]] = field(default_factory=dict)


def policies_from(ignored: Dict[str, Any], fallback_table: Any) -> Policies:
    """Take the parity keywords out of ``ignored`` (the Router's **kwargs); warn about the rest."""
    values = {k: ignored.pop(k) for k in _PARITY_KEYWORDS if k in ignored}
    if ignored:
        logger.warning("Router: unsupported arguments ignored: %s", ", ".join(sorted(ignored)))
    return Policies(
        pre_call_checks=bool(values.get("enable_pre_call_checks")),
        tag_filtering=bool(values.get("enable_tag_filtering")),
        retry_policy=_policy_table(values.get("retry_policy"), "Retries", "retry_policy"),
        allowed_fails_policy=_policy_table(values.get("allowed_fails_policy"), "AllowedFails", "allowed_fails_policy"),
        default_fallbacks=_alias_list(values.get("default_fallbacks"), "default_fallbacks"),
        content_policy_fallbacks=fallback_table(values.get("content_policy_fallbacks"), "content_policy_fallbacks"),
        group_alias=_group_aliases(values.get("model_group_alias")),
    )


def describe_deployments(policies: Policies, model_list: Sequence[Mapping[str, Any]], ids: Sequence[str]) -> None:
    """Record each deployment's tags, order and context window (by deployment id)."""
    for entry, dep_id in zip(model_list, ids):
        params = entry.get("litellm_params") or {}
        info = entry.get("model_info") or {}
        tags = params.get("tags") or entry.get("tags") or ()
        if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
            raise ConfigError("model_list %r: tags must be a list of strings" % entry.get("model_name"))
        order = params.get("order", entry.get("order"))
        if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order < 0):
            raise ConfigError("model_list %r: order must be a non-negative integer" % entry.get("model_name"))
        window = info.get("max_input_tokens") if isinstance(info, Mapping) else None
        policies.deployments[dep_id] = (tuple(tags), order, window if isinstance(window, int) else None)


# -- os.environ/ in model_list -------------------------------------------------------------------


def resolve_model_list(model_list: Sequence[Mapping[str, Any]], environ: Optional[Mapping[str, str]] = None) -> List[Dict[str, Any]]:
    """``model_list`` with ``os.environ/VAR`` values in ``litellm_params`` read from the environment."""
    from .config_file import resolve_env

    env: Mapping[str, str] = os.environ if environ is None else environ
    missing: List[str] = []
    out: List[Dict[str, Any]] = []
    for entry in model_list:
        if isinstance(entry, Mapping) and isinstance(entry.get("litellm_params"), Mapping):
            params = {k: (resolve_env(v, env, missing) if isinstance(v, str) and v.startswith("os.environ/") else v)
                      for k, v in entry["litellm_params"].items()}
            entry = dict(entry, litellm_params=params)
        out.append(dict(entry) if isinstance(entry, Mapping) else entry)
    if missing:
        raise ConfigError("model_list: environment variables not set: %s" % ", ".join(sorted(missing)))
    return out


# -- names ---------------------------------------------------------------------------------------


def resolve_alias(router: "Router", name: str) -> str:
    """The model_name a requested name maps to (model_group_alias, then litellm_lite.model_alias_map)."""
    policies: Policies = router._policies
    if name in router._by_alias:
        return name
    target = policies.group_alias.get(name)
    if target is None:
        table = package_setting("model_alias_map")
        if isinstance(table, Mapping) and isinstance(table.get(name), str):
            target = table[name]
    return target if target else name


def wildcard_deployments(router: "Router", name: str) -> List[Any]:
    """Deployments whose model_name is a pattern (``"anthropic/*"``) matching ``name``, most specific first."""
    patterns = [alias for alias in router._by_alias if "*" in alias and fnmatch.fnmatchcase(name, alias)]
    patterns.sort(key=len, reverse=True)
    return list(router._by_alias[patterns[0]]) if patterns else []


def serves(router: "Router", name: str) -> bool:
    """True when ``name`` is a model_name, an alias or matches a wildcard model_name of ``router``."""
    resolved = resolve_alias(router, name)
    return resolved in router._by_alias or bool(wildcard_deployments(router, resolved))


def wildcard_model(deployment: Any, requested: str) -> str:
    """The model to call: a ``.../*`` deployment model gets the part of ``requested`` its pattern matched."""
    model: str = deployment.model
    if not model.endswith("*") or "*" not in deployment.alias:
        return model
    head = deployment.alias.split("*", 1)[0]
    rest = requested[len(head):] if requested.startswith(head) else requested
    return model[:-1] + rest


# -- picking -------------------------------------------------------------------------------------


def _request_tags(request: Mapping[str, Any]) -> List[str]:
    tags = request.get("tags")
    if tags is None and isinstance(request.get("metadata"), Mapping):
        tags = request["metadata"].get("tags")
    if isinstance(tags, str):
        return [tags]
    return [t for t in (tags or []) if isinstance(t, str)]


def _by_tags(policies: Policies, alias: str, deployments: List[Any], request: Mapping[str, Any]) -> List[Any]:
    wanted = set(_request_tags(request))
    tags = {d.id: set(policies.deployments.get(d.id, ((), None, None))[0]) for d in deployments}
    defaults = [d for d in deployments if "default" in tags[d.id]]
    if wanted:
        matching = [d for d in deployments if tags[d.id] & wanted] or defaults
        if not matching:
            raise BadRequestError(
                "no deployment of %r has the tags %s (and none is tagged 'default')" % (alias, sorted(wanted)), "router", alias
            )
        return matching
    return defaults or deployments


def _fits(policies: Policies, deployments: List[Any], request: Mapping[str, Any], alias: str) -> List[Any]:
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return deployments
    from .registry import get_model_info
    from .tokens import token_counter

    counts: Dict[str, int] = {}
    kept: List[Any] = []
    for d in deployments:
        window = policies.deployments.get(d.id, ((), None, None))[2]
        if window is None:
            try:
                window = get_model_info(d.model).get("max_input_tokens")
            except LiteLLMError:
                window = None
        if not isinstance(window, int) or window <= 0:
            kept.append(d)
            continue
        if d.model not in counts:
            counts[d.model] = token_counter(model=d.model, messages=messages)
        if counts[d.model] <= window:
            kept.append(d)
    if not kept:
        raise ContextWindowExceededError(
            "the messages (%d tokens) do not fit the context window of any deployment of %r" % (max(counts.values()), alias),
            "router",
            alias,
        )
    return kept


def eligible(router: "Router", alias: str, deployments: List[Any], request: Optional[Mapping[str, Any]]) -> List[Any]:
    """The deployments of ``alias`` this request may use (tags, then context window)."""
    policies: Policies = router._policies
    if request is None:
        return deployments
    if policies.tag_filtering:
        deployments = _by_tags(policies, alias, deployments, request)
    if policies.pre_call_checks:
        deployments = _fits(policies, deployments, request, alias)
    return deployments


def lowest_order(router: "Router", available: List[Any]) -> List[Any]:
    """Only the available deployments of the lowest ``order`` (those without one come last)."""
    table = router._policies.deployments
    orders = [table.get(d.id, ((), None, None))[1] for d in available]
    if all(o is None for o in orders):
        return available
    best = min(o for o in orders if o is not None)
    return [d for d, o in zip(available, orders) if o == best]


def strip_routing_keywords(call: Dict[str, Any]) -> None:
    """Remove the request keywords only the Router reads (never sent to a provider)."""
    call.pop("tags", None)


# -- failures, retries, fallbacks ----------------------------------------------------------------


def allowed_fails(router: "Router", error: Optional[BaseException]) -> int:
    """Failures a deployment may have within a minute for this error class before it cools down."""
    found = _count_for(router._policies.allowed_fails_policy, error) if error is not None else None
    return router.allowed_fails if found is None else found


def counts_under_policy(router: "Router", error: BaseException) -> bool:
    """True when allowed_fails_policy names this error's class (so it counts toward a cooldown)."""
    return _count_for(router._policies.allowed_fails_policy, error) is not None


def retries_for(router: "Router", error: BaseException, default: int) -> int:
    """How many retries this error class gets: retry_policy's number, else ``default`` for retryable errors."""
    from .retry import Retry

    found = _count_for(router._policies.retry_policy, error)
    if found is not None:
        return found
    return default if Retry(total=max(default, 0)).is_retryable(error) else 0


def call_with_retry_policy(router: "Router", call_type: str, alias: str, kwargs: Mapping[str, Any], default: int) -> Any:
    """The Router's retry loop when a retry_policy is set: the number of retries depends on the error."""
    from .exceptions import APIError
    from .retry import Retry
    from .router import RouterRateLimitError

    avoid: "set[str]" = set()
    attempt = 0
    while True:
        try:
            return router._call_once(call_type, alias, kwargs, avoid)
        except RouterRateLimitError:
            raise
        except LiteLLMError as error:
            allowed = retries_for(router, error, default)
            if attempt >= allowed:
                raise
            headers = error.headers if isinstance(error, APIError) else None
            wait = Retry(total=max(allowed, 1)).delay(attempt, headers)
            logger.info("Router: retrying %r after %s (attempt %d, retry_policy)", alias, type(error).__name__, attempt + 2)
            if not router._has_alternative(alias, avoid):
                router._sleep(wait)
            attempt += 1


def falls_back(router: "Router", error: BaseException, alias: str) -> bool:
    """True when a content-policy fallback exists for ``alias`` and ``error`` is a content-policy refusal."""
    table = router._policies.content_policy_fallbacks
    return isinstance(error, ContentPolicyViolationError) and bool(table.get(alias) or table.get("*"))


def more_fallbacks(router: "Router", error: BaseException, current: str, first: bool, found: List[str]) -> List[str]:
    """content_policy_fallbacks on a content-policy refusal; default_fallbacks when nothing else applies."""
    policies: Policies = router._policies
    extra: List[str] = []
    if isinstance(error, ContentPolicyViolationError):
        extra += list(policies.content_policy_fallbacks.get(current) or policies.content_policy_fallbacks.get("*") or [])
    elif first and not found:
        extra += [name for name in policies.default_fallbacks if name != current]
    return extra


# -- building Routers ----------------------------------------------------------------------------


def router_from_config(path: str) -> "Router":
    from .config_file import load_config

    from .router import Router

    router = load_config(path).router
    if not isinstance(router, Router):
        raise ConfigError("no model_list in this file (a Router needs one)", source=path)
    return router


def env_model_list(environ: Optional[Mapping[str, str]] = None) -> List[Dict[str, Any]]:
    """One ``"<provider>/*"`` deployment per provider whose API key variable is set."""
    from .providers import PROVIDERS

    env: Mapping[str, str] = os.environ if environ is None else environ
    entries: List[Dict[str, Any]] = []
    for name in sorted(PROVIDERS):
        spec = PROVIDERS[name]
        if not spec.key_required or spec.auth in ("aws", "google", "azure", "none"):
            continue
        var = next((v for v in spec.api_key_env if env.get(v)), None)
        if var is None:
            continue
        params: Dict[str, Any] = {"model": "%s/*" % name, "api_key": env[var]}
        base_var = next((v for v in spec.api_base_env if env.get(v)), None)
        if base_var is not None:
            params["api_base"] = env[base_var]
        entries.append({"model_name": "%s/*" % name, "litellm_params": params, "model_info": {"id": name}})
    return entries
