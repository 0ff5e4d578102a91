"""Credential resolvers: which keyword arguments each owns, and running one in the send step.

Each auth style that needs more than one API key (``aws``, ``google``, ``azure``, ``ibm_iam``) has a resolver
function (``resolver(config, kwargs, environ)``) that may read credential files, exchange tokens
or call a token provider. ``config.resolve_config`` only records the keywords a resolver owns
(pure, no I/O); :func:`fetch_credentials` runs the resolver, once per attempt, inside the retry
loop of the road (``_call.py``), so its I/O is retried, timed and visible to hooks and logs.

The keywords every resolver owns (:data:`CREDENTIAL_KWARGS`) are never sent to any provider.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, FrozenSet, Mapping

    from .config import CallConfig

__all__ = [
    "CREDENTIAL_RESOLVERS",
    "CREDENTIAL_KWARGS",
    "ALL_CREDENTIAL_KWARGS",
    "needs_credentials",
    "fetch_credentials",
    "resolve_and_fetch",
]

# auth style -> "module:function" (relative to this package); imported only when that style is used.
CREDENTIAL_RESOLVERS: Dict[str, str] = {
    "aws": ".providers.aws_auth:resolve_aws_credentials",
    "google": ".providers.google_auth:resolve_google_credentials",
    "azure": ".providers.azure:resolve_azure_credentials",
    "ibm_iam": ".providers.ibm_auth:resolve_ibm_credentials",
}

# auth style -> the keyword arguments its resolver owns (tests check these match the resolver modules).
CREDENTIAL_KWARGS: Dict[str, FrozenSet[str]] = {
    "aws": frozenset(
        {
            "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name",
            "aws_profile_name", "aws_bedrock_runtime_endpoint", "aws_web_identity_token", "aws_role_name",
            "aws_session_name", "aws_sts_endpoint", "aws_external_id",
        }
    ),
    "google": frozenset(
        {
            "vertex_project", "vertex_ai_project", "vertex_location", "vertex_ai_location", "vertex_credentials",
            "vertex_ai_credentials", "vertex_access_token", "vertex_ai_access_token",
        }
    ),
    "azure": frozenset(
        {"azure_ad_token", "azure_ad_token_provider", "api_type", "azure_username", "azure_password", "tenant_id",
         "client_id", "client_secret", "azure_scope"}
    ),
    "ibm_iam": frozenset({"token", "iam_url"}),
}

ALL_CREDENTIAL_KWARGS: FrozenSet[str] = frozenset().union(*CREDENTIAL_KWARGS.values())

_loaded: Dict[str, Callable[..., None]] = {}


def needs_credentials(config: "CallConfig") -> bool:
    """True when the provider's auth style has a resolver to run before sending."""
    return config.spec.auth in CREDENTIAL_RESOLVERS


def _resolver(style: str) -> Callable[..., None]:
    fn = _loaded.get(style)
    if fn is None:
        import importlib

        module_name, _, name = CREDENTIAL_RESOLVERS[style].partition(":")
        fn = _loaded[style] = getattr(importlib.import_module(module_name, __package__), name)
    return fn


def fetch_credentials(config: "CallConfig", environ: "Mapping[str, str] | None" = None) -> None:
    """Run the resolver of ``config.spec.auth`` (credential files, token exchange): fills
    ``config.credentials``, ``config.options`` and, when empty, ``config.api_base``.

    Raises AuthenticationError / BadRequestError naming what to set when nothing is found.
    """
    style = config.spec.auth
    if style not in CREDENTIAL_RESOLVERS:
        return
    env: Mapping[str, Any] = config.environ if environ is None and config.environ is not None else (environ or os.environ)
    _resolver(style)(config, dict(config.credential_kwargs), env)
    config.check_complete()


def resolve_and_fetch(spec: Any, model: str, kwargs: Dict[str, Any], environ: "Mapping[str, str] | None" = None) -> "CallConfig":
    """``config.resolve_config`` then :func:`fetch_credentials`: a CallConfig ready for an adapter.

    What one attempt of the road does before preparing a request; for tools and tests.
    """
    from .config import resolve_config

    config = resolve_config(spec, model, kwargs, environ)
    fetch_credentials(config)
    return config
