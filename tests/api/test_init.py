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


def _type_checking_names() -> dict:
    """name -> (module, attribute) imported under ``if TYPE_CHECKING:`` in the package's __init__.py."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(litellm.__file__).read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.module == "typing" and stmt.level == 0:
                    continue  # the settings' annotations (typing is not imported at run time)
                assert isinstance(stmt, ast.ImportFrom) and stmt.level == 1
                for alias in stmt.names:
                    found[alias.asname or alias.name] = (stmt.module, alias.name)
    return found


def test_type_checkers_see_every_public_name_from_its_real_module() -> None:
    assert _type_checking_names() == {**litellm._LAZY, **litellm._OPTIONAL}


def test_alias_submodules_are_attributes() -> None:
    assert litellm.utils.get_model_info is litellm.get_model_info
    assert litellm.types.utils.ModelResponse is litellm.ModelResponse
    assert litellm.integrations.custom_logger.CustomLogger is litellm.CustomLogger
