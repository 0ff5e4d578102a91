"""Call configuration: precedence (kwargs > module settings > environment > spec) and input checks."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from litellm_lite.exceptions import AuthenticationError

import litellm_lite as litellm
from litellm_lite.config import resolve_config
from litellm_lite.exceptions import BadRequestError
from litellm_lite.providers import get_spec

SPEC = get_spec("openai")


def _config(**kwargs: Any) -> Any:
    base: Dict[str, Any] = {"api_key": "sk-test-abcdef", "api_base": "http://127.0.0.1:1"}
    base.update(kwargs)
    return resolve_config(SPEC, "gpt-4o", base, environ={})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": "soon"},
        {"timeout": 0},
        {"timeout": -1},
        {"num_retries": -1},
        {"num_retries": 1.5},
        {"num_retries": True},
        {"extra_headers": ["X: y"]},
        {"extra_headers": {"X": 5}},
        {"extra_headers": {"": "v"}},
        {"extra_headers": {"A:B": "v"}},
        {"extra_headers": {"X": "a\nb"}},
        {"headers": {"X": "a\0b"}},
        {"api_base": "file:///etc/passwd"},
    ],
)
def test_bad_configuration_is_refused(kwargs: Dict[str, Any]) -> None:
    with pytest.raises(BadRequestError):
        _config(**kwargs)


def test_precedence_kwargs_settings_environment_spec() -> None:
    env = {"OPENAI_API_KEY": "sk-env-abcdef", "OPENAI_API_BASE": "http://127.0.0.1:2"}
    config = resolve_config(SPEC, "gpt-4o", {}, environ=env)  # type: ignore[arg-type]
    assert config.api_key == "sk-env-abcdef" and config.api_base == "http://127.0.0.1:2"
    assert config.timeout == 600.0 and config.num_retries == 2
    litellm.num_retries = 5
    litellm.request_timeout = 7
    litellm.api_key = "sk-module-abcdef"
    try:
        config = resolve_config(SPEC, "gpt-4o", {}, environ=env)  # type: ignore[arg-type]
        # The provider's own variable wins over the generic module-level key.
        assert (config.num_retries, config.timeout, config.api_key) == (5, 7.0, "sk-env-abcdef")
        config = resolve_config(SPEC, "gpt-4o", {}, environ={})  # type: ignore[arg-type]
        assert config.api_key == "sk-module-abcdef"
        with pytest.raises(AuthenticationError):  # the module-level key is not read
            resolve_config(SPEC, "gpt-4o", {}, environ={}, use_module_settings=False)  # type: ignore[arg-type]
        config = resolve_config(SPEC, "gpt-4o", {"api_key": "sk-a"}, environ={}, use_module_settings=False)  # type: ignore[arg-type]
        assert (config.num_retries, config.timeout, config.api_key) == (2, 600.0, "sk-a")
        config = resolve_config(SPEC, "gpt-4o", {"num_retries": 0, "timeout": 3, "api_key": "sk-arg-abcdef"}, environ=env)  # type: ignore[arg-type]
        assert (config.num_retries, config.timeout, config.api_key) == (0, 3.0, "sk-arg-abcdef")
    finally:
        litellm.num_retries = None
        litellm.request_timeout = 600.0
        litellm.api_key = None
    config = resolve_config(SPEC, "gpt-4o", {"api_key": "sk-arg-abcdef"}, environ={})  # type: ignore[arg-type]
    assert config.api_base == "https://api.openai.com/v1"


def test_litellm_aliases_for_timeout_and_retries() -> None:
    config = _config(request_timeout=9, max_retries=4, base_url="http://127.0.0.1:3")
    assert (config.timeout, config.num_retries) == (9.0, 4)


def test_repr_hides_the_key() -> None:
    text = repr(_config())
    assert "sk-test-abcdef" not in text and "api_key='***'" in text and "spec='openai'" in text


def test_a_provider_without_default_base_needs_one() -> None:
    with pytest.raises(BadRequestError) as info:
        resolve_config(get_spec("hosted_vllm"), "m", {}, environ={})  # type: ignore[arg-type]
    assert "HOSTED_VLLM_API_BASE" in str(info.value)
