"""The autouse fixture in conftest.py puts every process-wide state back after a test."""

from __future__ import annotations

import litellm_lite
from litellm_lite import _call, registry
from litellm_lite.exceptions import _registered_secrets, register_secret
from litellm_lite.providers import PROVIDERS, register_provider
from litellm_lite.providers.base import ProviderSpec
from tests.conftest import _reset_caches, _snapshot


def test_snapshot_undoes_settings_hooks_providers_secrets_and_models() -> None:
    calls = litellm_lite.callbacks
    before_rows = dict(PROVIDERS)
    before_secrets = list(_registered_secrets)
    before_hooks = list(_call.PRE_SEND)  # the package's own hooks (the cache) stay
    undo = _snapshot()

    litellm_lite.api_key = "sk-isolation-test-key"
    litellm_lite.num_retries = 7
    litellm_lite.callbacks.append(object())
    litellm_lite.model_alias_map["short"] = "openai/gpt-4o"
    _call.PRE_SEND.append(lambda plan: None)
    register_provider(ProviderSpec(name="isolation_vendor", api_base="https://isolation.invalid/v1"))
    register_secret("sk-isolation-secret-123456")
    registry.register_model({"isolation-model": {"litellm_provider": "openai", "input_cost_per_token": 1e-6}})
    assert "isolation-model" in litellm_lite.model_cost

    for (action,) in undo:
        action()
    _reset_caches()

    assert litellm_lite.api_key is None
    assert litellm_lite.num_retries is None
    assert litellm_lite.callbacks is calls and calls == []
    assert litellm_lite.model_alias_map == {}
    assert _call.PRE_SEND == before_hooks
    assert dict(PROVIDERS) == before_rows and "isolation_vendor" not in PROVIDERS
    assert list(_registered_secrets) == before_secrets
    assert "isolation-model" not in litellm_lite.model_cost


def test_budget_ledger_and_cache_setting_are_put_back() -> None:
    from litellm_lite import budget, caching

    undo = _snapshot()
    caching.enable_cache()
    budget.record_spend(cost=0.5, provider="openai", model="gpt-4o-mini")
    assert budget.spend()["total"] > 0 and litellm_lite.cache is not None
    for (action,) in undo:
        action()
    _reset_caches()
    assert litellm_lite.cache is None
    assert budget.spend()["total"] == 0


def test_metrics_and_token_caches_are_emptied() -> None:
    from litellm_lite import metrics
    from litellm_lite.providers import google_auth

    assert google_auth._tokens.get(("isolation",), lambda: ("token", 1e18)) == "token"
    metrics._series[("isolation", "x")] = object()  # type: ignore[assignment]
    _reset_caches()
    assert len(google_auth._tokens) == 0
    assert not metrics._series

