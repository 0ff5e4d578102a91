"""_records.py: typed objects rebuilt from their to_dict() form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

import pytest

from litellm_lite._records import rebuild, record_from_dict, record_kind
from litellm_lite.endpoint_types import ModerationResponse, TranscriptionResponse
from litellm_lite.types import EmbeddingData, EmbeddingResponse, Usage


@dataclass
class Leaf:
    name: str = ""


@dataclass
class Tree:
    by_name: Dict[str, Leaf] = field(default_factory=dict)
    leaves: List[Optional[Leaf]] = field(default_factory=list)
    either: Union[str, Leaf, None] = None
    tags: List[str] = field(default_factory=list)
    _private: int = 0


def test_nested_containers_and_unions() -> None:
    tree = record_from_dict(Tree, {"by_name": {"a": {"name": "a"}, "n": None}, "leaves": [{"name": "x"}, None],
                                   "either": {"name": "u"}, "tags": ["t"], "_private": 5, "unknown": 1})
    assert tree.by_name["a"] == Leaf("a") and tree.by_name["n"] is None
    assert tree.leaves == [Leaf("x"), None] and tree.either == Leaf("u") and tree.tags == ["t"]
    assert tree._private == 0  # private fields never come from data
    assert record_from_dict(Tree, {"either": "text", "by_name": "not a dict"}).either == "text"


def test_every_cached_kind_roundtrips() -> None:
    embedding = EmbeddingResponse(data=[EmbeddingData(embedding=[0.5], index=0)], model="m", usage=Usage(prompt_tokens=2))
    back = rebuild(record_kind(embedding) or "", embedding.to_dict())
    assert isinstance(back, EmbeddingResponse) and isinstance(back.data[0], EmbeddingData) and back.usage.prompt_tokens == 2
    for obj in (TranscriptionResponse(text="hi"), ModerationResponse(id="x", model="m")):
        assert rebuild(record_kind(obj) or "", obj.to_dict()).to_dict() == obj.to_dict()


def test_bad_data_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        rebuild("dict", [1])
    with pytest.raises(ValueError):
        rebuild("Nope", {})
    with pytest.raises(ValueError):
        record_from_dict(Tree, [1])
    assert record_kind(object()) is None and record_kind({"a": 1}) == "dict"

    class ModelResponse:  # same name, different class: not storable
        pass

    assert record_kind(ModelResponse()) is None
