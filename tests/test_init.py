"""The package's top level: lazy names, __all__, settings."""

from __future__ import annotations

import importlib

import pytest

import litellm_lite as litellm


def test_all_matches_the_lazy_tables() -> None:
    assert litellm.__all__ == sorted(set(litellm._LAZY) | set(litellm._OPTIONAL) | {"__version__"})


@pytest.mark.parametrize("name", sorted(set(litellm._LAZY) | set(litellm._OPTIONAL)))
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(litellm, name)
    assert value is not None
    assert name in dir(litellm)


def test_unknown_attribute_is_attribute_error() -> None:
    with pytest.raises(AttributeError):
        litellm.no_such_thing  # noqa: B018


def test_version_is_a_string() -> None:
    assert isinstance(litellm.__version__, str) and litellm.__version__.count(".") == 2


def test_model_cost_is_a_live_view() -> None:
    view = litellm.model_cost
    assert "gpt-4o" in view
    assert view["gpt-4o"]["litellm_provider"] == "openai"
    assert importlib.import_module("litellm_lite.registry").model_cost is view
