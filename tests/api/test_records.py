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


# -- detach: independent copies without a to_dict() round trip -----------------------------------------


def test_detach_copies_records_lists_and_dicts_all_the_way_down() -> None:
    from litellm_lite._records import detach
    from litellm_lite.types import ChatCompletionMessageToolCall, Choices, Function, Message, ModelResponse

    call = ChatCompletionMessageToolCall(id="c1", function=Function(name="f", arguments="{}"))
    message = Message(content="hi", tool_calls=[call], thinking_blocks=[{"type": "thinking", "thinking": "x"}],
                      provider_specific_fields={"citations": [["a", 1]]})
    original = ModelResponse(model="m", choices=[Choices(message=message)], usage=Usage(prompt_tokens=3, completion_tokens=1))
    original._hidden_params.update(response_cost=0.5, provider_request_id="req-1")
    original._response_headers["x-request-id"] = "req-1"
    copy = detach(original)
    assert copy == original and type(copy) is ModelResponse and copy.id == original.id
    assert copy._hidden_params == {} and copy._response_headers == {}  # per-call fields start empty
    assert original._hidden_params["response_cost"] == 0.5
    copy.choices[0].message.tool_calls[0].function.arguments = '{"changed": 1}'
    copy.choices[0].message.thinking_blocks[0]["thinking"] = "changed"
    copy.choices[0].message.provider_specific_fields["citations"][0].append("more")
    copy.choices.append(Choices())
    copy.usage.prompt_tokens = 99
    assert original.choices[0].message.tool_calls[0].function.arguments == "{}"
    assert original.choices[0].message.thinking_blocks == [{"type": "thinking", "thinking": "x"}]
    assert original.choices[0].message.provider_specific_fields == {"citations": [["a", 1]]}
    assert len(original.choices) == 1 and original.usage.prompt_tokens == 3


def test_detach_keeps_wire_extras_and_copies_other_values() -> None:
    from litellm_lite._records import detach
    from litellm_lite.responses_api.types import ResponseAPIUsage

    usage = ResponseAPIUsage.from_wire({"input_tokens": 2, "output_tokens": 1, "vendor_field": {"n": [1]}})
    copy = detach(usage)
    assert copy.to_dict() == usage.to_dict() and copy._extra == {"vendor_field": {"n": [1]}}
    copy._extra["vendor_field"]["n"].append(2)
    assert usage._extra == {"vendor_field": {"n": [1]}}
    vector = [0.25] * 8
    assert detach(vector) == vector and detach(vector) is not vector
    flat = (1, "a", None)
    assert detach(flat) is flat  # immutable all the way: shared
    nested = ([1], {"a": {1, 2}})
    again = detach(nested)
    assert again == nested and again[0] is not nested[0] and again[1]["a"] is not nested[1]["a"]
    tree = Tree(by_name={"a": Leaf("a")}, _private=5)
    copied = detach(tree)
    assert copied == tree and copied.by_name["a"] is not tree.by_name["a"] and copied._private == 5


@dataclass
class Slotted:
    __slots__ = ("items",)
    items: List[int]


def test_detach_copies_a_record_without_a_dict_too() -> None:
    from litellm_lite._records import detach

    original = Slotted([1, 2])
    copy = detach(original)
    assert type(copy) is Slotted and copy.items == [1, 2] and copy.items is not original.items
