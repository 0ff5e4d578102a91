from __future__ import annotations

import pytest

import litellm_lite as litellm
from litellm_lite.exceptions import BadRequestError
from litellm_lite.providers import PROVIDERS
from litellm_lite.resolve import split_model


@pytest.mark.parametrize(
    "name,provider,model",
    [
        ("openai/gpt-4o-mini", "openai", "gpt-4o-mini"),
        ("deepseek/deepseek-reasoner", "deepseek", "deepseek-reasoner"),
        ("openrouter/anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"),
        ("groq/openai/gpt-oss-120b", "groq", "openai/gpt-oss-120b"),
        ("together/meta-llama/Llama-3-8b", "together_ai", "meta-llama/Llama-3-8b"),
        ("bedrock/converse/us.amazon.nova-micro-v1:0", "bedrock", "converse/us.amazon.nova-micro-v1:0"),
        ("gpt-4o", "openai", "gpt-4o"),
        ("deepseek-chat", "deepseek", "deepseek-chat"),
        ("claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet-20241022"),
    ],
)
def test_split_model(name: str, provider: str, model: str) -> None:
    assert split_model(name) == (provider, model)


def test_custom_llm_provider_wins_and_strips_its_prefix() -> None:
    assert split_model("my-model", "hosted_vllm") == ("hosted_vllm", "my-model")
    assert split_model("mistral/mistral-small", "mistral") == ("mistral", "mistral-small")
    with pytest.raises(BadRequestError):
        split_model("x", "no_such_provider")


@pytest.mark.parametrize("name", ["", "   ", "totally-unknown-model", "nosuchprefix/model"])
def test_unknown_models_get_a_clear_error(name: str) -> None:
    with pytest.raises(BadRequestError) as info:
        split_model(name)
    assert "provider" in str(info.value).lower() or "model" in str(info.value).lower()


def test_get_llm_provider_matches_litellm_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-deepseek-test-key")
    model, provider, key, base = litellm.get_llm_provider("deepseek/deepseek-chat")
    assert (model, provider, key, base) == ("deepseek-chat", "deepseek", "sk-deepseek-test-key", "https://api.deepseek.com")
    monkeypatch.setenv("GROQ_API_BASE", "http://127.0.0.1:1/openai/v1")
    assert litellm.get_llm_provider("groq/llama")[3] == "http://127.0.0.1:1/openai/v1"
    assert litellm.get_llm_provider("groq/llama", api_base="http://x", api_key="k")[2:] == ("k", "http://x")


def test_every_provider_row_is_reachable_by_prefix() -> None:
    for name in PROVIDERS:
        assert split_model(name + "/some-model") == (name, "some-model")
