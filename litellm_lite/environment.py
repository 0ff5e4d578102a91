"""Is this machine set up for a model? ``validate_environment`` and ``check_valid_key`` (LiteLLM's names)."""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Mapping, Optional

from .exceptions import LiteLLMError

__all__ = ["validate_environment", "check_valid_key"]

logger = logging.getLogger("litellm_lite")


# Auth styles whose base URL is built from the credential chain (region, project), not configured.
_BASE_FROM_CREDENTIALS = frozenset({"aws", "google"})


def _missing_for(spec: Any, api_key: Optional[str], api_base: Optional[str], env: Mapping[str, str]) -> List[str]:
    """The variables a call to ``spec`` still needs: the first name of each unmet group."""
    missing: List[str] = []
    chain_set = any(env.get(name) for name in spec.credential_env)
    key_set = bool(api_key) or any(env.get(name) for name in spec.api_key_env)
    if spec.key_required and spec.api_key_env and not key_set and not chain_set:
        missing.append(spec.api_key_env[0])
    elif not spec.key_required and not spec.api_key_env and spec.credential_env and not (chain_set or api_key):
        missing.append(spec.credential_env[0])
    base_set = bool(api_base) or any(env.get(name) for name in spec.api_base_env)
    if not spec.api_base and spec.api_base_env and spec.auth not in _BASE_FROM_CREDENTIALS and not base_set:
        missing.append(spec.api_base_env[0])
    return missing


def validate_environment(
    model: Optional[str] = None,
    api_key: Optional[str] = None,
    api_base: Optional[str] = None,
    api_version: Optional[str] = None,
) -> Dict[str, Any]:
    """``{"keys_in_environment": bool, "missing_keys": [...]}`` for ``model`` (LiteLLM's shape).

    ``missing_keys`` names the variables to set (the first name when several are accepted). An
    ``api_key``/``api_base`` given here counts as set. An unknown model gives
    ``{"keys_in_environment": False, "missing_keys": []}``, as in LiteLLM. Reads the environment
    only: nothing is sent.
    """
    from .exceptions import BadRequestError
    from .providers import get_spec
    from .resolve import split_model

    if model is None:
        return {"keys_in_environment": False, "missing_keys": []}
    try:
        provider, _ = split_model(model)
    except BadRequestError:
        return {"keys_in_environment": False, "missing_keys": []}
    spec = get_spec(provider)
    if spec is None:  # pragma: no cover - split_model only returns known providers
        return {"keys_in_environment": False, "missing_keys": []}
    missing = _missing_for(spec, api_key, api_base, os.environ)
    return {"keys_in_environment": not missing, "missing_keys": missing}


def check_valid_key(model: str, api_key: Optional[str], **kwargs: Any) -> bool:
    """True when a tiny completion with ``api_key`` succeeds (LiteLLM's ``check_valid_key``).

    Sends one short request (``max_tokens=10``, no retries). False for any error of ours (a bad
    key, but also an unreachable server: the reason is logged at INFO); other keyword arguments
    (``api_base``...) go to :func:`completion`.
    """
    from .main import completion

    messages = [{"role": "user", "content": "Hey, how's it going?"}]
    try:
        completion(model=model, messages=messages, api_key=api_key, max_tokens=10, num_retries=0, **kwargs)
    except LiteLLMError as exc:
        logger.info("check_valid_key(%s): %s", model, type(exc).__name__)
        return False
    return True
