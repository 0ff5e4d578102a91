"""Cost: prices from the bundled JSON applied to token counts, by hand."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from litellm_lite import registry
from litellm_lite.cost import completion_cost, cost_per_token, prices_for, response_cost
from litellm_lite.exceptions import BadRequestError, NotFoundError
from litellm_lite.tokens import token_counter
from litellm_lite.types import (
    Choices,
    CompletionTokensDetails,
    EmbeddingData,
    EmbeddingResponse,
    Message,
    ModelResponse,
    PromptTokensDetails,
    Usage,
)

pytestmark = pytest.mark.usefixtures("fresh_registry")


def test_gpt_4o_with_cached_prompt(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["gpt-4o"]
    prompt, completion = cost_per_token("gpt-4o", prompt_tokens=10_000, completion_tokens=500, cache_read_input_tokens=4_000)
    assert prompt == pytest.approx(6_000 * e["input_cost_per_token"] + 4_000 * e["cache_read_input_token_cost"])
    assert completion == pytest.approx(500 * e["output_cost_per_token"])
    plain = cost_per_token("openai/gpt-4o", prompt_tokens=10_000, completion_tokens=500)
    assert plain[0] == pytest.approx(10_000 * e["input_cost_per_token"])
    assert plain[0] > prompt  # cached tokens are cheaper


def test_claude_with_cache_read_and_write(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["claude-sonnet-4-5"]
    assert e["cache_creation_input_token_cost"] != e["input_cost_per_token"]
    prompt, completion = cost_per_token(
        "claude-sonnet-4-5",
        prompt_tokens=3_000,
        completion_tokens=200,
        cache_read_input_tokens=1_000,
        cache_creation_input_tokens=1_500,
        custom_llm_provider="anthropic",
    )
    expected = 500 * e["input_cost_per_token"] + 1_000 * e["cache_read_input_token_cost"] + 1_500 * e["cache_creation_input_token_cost"]
    assert prompt == pytest.approx(expected)
    assert completion == pytest.approx(200 * e["output_cost_per_token"])


def test_cache_prices_default_to_input_price() -> None:
    registry.register_model({"plain-model": {"litellm_provider": "openai", "mode": "chat",
                                             "input_cost_per_token": 1e-6, "output_cost_per_token": 3e-6}})
    prompt, _ = cost_per_token("plain-model", prompt_tokens=100, cache_read_input_tokens=30, cache_creation_input_tokens=20)
    assert prompt == pytest.approx(100 * 1e-6)
    # more cached tokens than prompt tokens cannot make the cost negative
    prompt, _ = cost_per_token("plain-model", prompt_tokens=10, cache_read_input_tokens=50)
    assert prompt == pytest.approx(10 * 1e-6)


def test_gemini_tier_above_200k(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["gemini/gemini-2.5-pro"]
    below = cost_per_token("gemini/gemini-2.5-pro", prompt_tokens=200_000, completion_tokens=1_000)
    assert below == pytest.approx((200_000 * e["input_cost_per_token"], 1_000 * e["output_cost_per_token"]))
    above = cost_per_token("gemini-2.5-pro", prompt_tokens=250_000, completion_tokens=1_000,
                           cache_read_input_tokens=50_000, custom_llm_provider="gemini")
    assert above[0] == pytest.approx(
        200_000 * e["input_cost_per_token_above_200k_tokens"] + 50_000 * e["cache_read_input_token_cost_above_200k_tokens"]
    )
    assert above[1] == pytest.approx(1_000 * e["output_cost_per_token_above_200k_tokens"])
    spec = registry.lookup("gemini/gemini-2.5-pro", None)
    assert spec is not None and prices_for(spec, 250_000).tier == "above_200k_tokens"


def test_bedrock_tier_with_cache_creation(raw: Dict[str, Dict[str, Any]]) -> None:
    key = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    e = raw[key]
    prompt, _ = cost_per_token("bedrock/" + key, prompt_tokens=300_000, cache_creation_input_tokens=100_000)
    assert prompt == pytest.approx(
        200_000 * e["input_cost_per_token_above_200k_tokens"] + 100_000 * e["cache_creation_input_token_cost_above_200k_tokens"]
    )


def test_reasoning_tokens_have_their_own_price(raw: Dict[str, Dict[str, Any]]) -> None:
    key = "dashscope/qwen-turbo"
    e = raw[key]
    assert e["output_cost_per_reasoning_token"] != e["output_cost_per_token"]
    _, completion = cost_per_token(key, prompt_tokens=10, completion_tokens=1_000, reasoning_tokens=600)
    assert completion == pytest.approx(400 * e["output_cost_per_token"] + 600 * e["output_cost_per_reasoning_token"])
    # without a reasoning price, reasoning tokens cost the output price
    g = raw["gpt-4o"]
    assert "output_cost_per_reasoning_token" not in g
    _, completion = cost_per_token("gpt-4o", completion_tokens=1_000, reasoning_tokens=600)
    assert completion == pytest.approx(1_000 * g["output_cost_per_token"])


def test_tiered_pricing_ranges(raw: Dict[str, Dict[str, Any]]) -> None:
    key = "dashscope/qwen-plus-2025-07-28"
    low, high = raw[key]["tiered_pricing"][0], raw[key]["tiered_pricing"][1]
    small = cost_per_token(key, prompt_tokens=1_000, completion_tokens=100)
    assert small == pytest.approx((1_000 * low["input_cost_per_token"], 100 * low["output_cost_per_token"]))
    big = cost_per_token(key, prompt_tokens=300_000, completion_tokens=100)
    assert big == pytest.approx((300_000 * high["input_cost_per_token"], 100 * high["output_cost_per_token"]))


def test_cost_per_token_errors() -> None:
    with pytest.raises(NotFoundError):
        cost_per_token("zzz-unknown", 10, 10)
    with pytest.raises(BadRequestError):
        cost_per_token("gpt-4o", prompt_tokens=-1)
    with pytest.raises(BadRequestError):
        cost_per_token("gpt-4o", prompt_tokens="10")  # type: ignore[arg-type]


def _response(model: str, usage: Usage) -> ModelResponse:
    return ModelResponse(model=model, choices=[Choices(message=Message(content="hi"))], usage=usage)


def test_completion_cost_from_model_response(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["claude-sonnet-4-5"]
    usage = Usage(prompt_tokens=2_000, completion_tokens=300, cache_read_input_tokens=500, cache_creation_input_tokens=700)
    cost = completion_cost(_response("claude-sonnet-4-5", usage))
    expected = (800 * e["input_cost_per_token"] + 500 * e["cache_read_input_token_cost"]
                + 700 * e["cache_creation_input_token_cost"] + 300 * e["output_cost_per_token"])
    assert cost == pytest.approx(expected)
    assert response_cost(_response("claude-sonnet-4-5", usage), "claude-sonnet-4-5", "anthropic") == pytest.approx(expected)


def test_completion_cost_openai_style_details(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["dashscope/qwen-turbo"]
    usage = Usage(
        prompt_tokens=1_000,
        completion_tokens=500,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=200),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=100),
    )
    cost = completion_cost(_response("qwen-turbo", usage), custom_llm_provider="dashscope")
    cache_price = e.get("cache_read_input_token_cost", e["input_cost_per_token"])
    expected = (800 * e["input_cost_per_token"] + 200 * cache_price + 400 * e["output_cost_per_token"]
                + 100 * e["output_cost_per_reasoning_token"])
    assert cost == pytest.approx(expected)


def test_completion_cost_from_dict_and_embedding(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["gpt-4o"]
    as_dict = {"model": "gpt-4o", "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}
    assert completion_cost(as_dict) == pytest.approx(100 * e["input_cost_per_token"] + 10 * e["output_cost_per_token"])
    emb = EmbeddingResponse(data=[EmbeddingData(embedding=[0.1])], model="text-embedding-3-small",
                            usage=Usage(prompt_tokens=1_000))
    price = raw["text-embedding-3-small"]["input_cost_per_token"]
    assert completion_cost(emb) == pytest.approx(1_000 * price)
    assert completion_cost(emb.to_dict()) == pytest.approx(1_000 * price)
    # an explicit model wins over the response's
    assert completion_cost(as_dict, model="gpt-4o-mini") == pytest.approx(
        100 * raw["gpt-4o-mini"]["input_cost_per_token"] + 10 * raw["gpt-4o-mini"]["output_cost_per_token"]
    )


def test_completion_cost_from_text(raw: Dict[str, Dict[str, Any]]) -> None:
    e = raw["gpt-4o"]
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    cost = completion_cost(model="gpt-4o", messages=messages, completion="Paris.")
    expected = (token_counter(model="gpt-4o", messages=messages) * e["input_cost_per_token"]
                + token_counter(model="gpt-4o", text="Paris.") * e["output_cost_per_token"])
    assert cost == pytest.approx(expected) and cost > 0
    prompt_only = completion_cost(model="gpt-4o", prompt="hello world")
    assert prompt_only == pytest.approx(token_counter(model="gpt-4o", text="hello world") * e["input_cost_per_token"])


def test_completion_cost_errors() -> None:
    with pytest.raises(NotFoundError):
        completion_cost({"model": "zzz-unknown", "usage": {"prompt_tokens": 1}})
    with pytest.raises(BadRequestError):
        completion_cost({"model": "gpt-4o"})  # no usage
    with pytest.raises(BadRequestError):
        completion_cost()
    with pytest.raises(BadRequestError):
        completion_cost({"usage": {"prompt_tokens": 1}})  # no model anywhere


def test_response_cost_never_raises(raw: Dict[str, Dict[str, Any]]) -> None:
    usage = Usage(prompt_tokens=100, completion_tokens=10)
    e = raw["gemini/gemini-2.5-flash"]
    assert response_cost(_response("gemini-2.5-flash", usage), "gemini-2.5-flash", "gemini") == pytest.approx(
        100 * e["input_cost_per_token"] + 10 * e["output_cost_per_token"]
    )
    assert response_cost(_response("x", usage), "zzz-unknown", "openai") is None
    assert response_cost(ModelResponse(model="gpt-4o"), "gpt-4o", "openai") is None  # no usage
    assert response_cost(object(), "gpt-4o", "openai") is None
    assert response_cost(None, None, None) is None
    assert response_cost({"usage": {"prompt_tokens": "garbage"}}, "gpt-4o", "openai") == 0.0
    # rows that price images, not tokens
    assert response_cost(_response("m", usage), "1024-x-1024/50-steps/stability.stable-diffusion-xl-v1", "bedrock") is None
    # the model the provider returned is used when the requested name is unknown
    assert response_cost(_response("gpt-4o", usage), "my-deployment", "openai") is not None


def test_response_cost_with_bad_env_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.COST_MAP_ENV, "https://example.com/map.json")
    registry._reset()
    assert response_cost(_response("gpt-4o", Usage(prompt_tokens=1)), "gpt-4o", "openai") is None
