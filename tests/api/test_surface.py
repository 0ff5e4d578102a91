"""LiteLLM's everyday helpers: encode/decode, batch over models, retries, key and environment checks,
and the module paths LiteLLM's documentation imports from."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import types
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite.testing import FakeProvider
from tests.server import LoopbackServer

MESSAGES = [{"role": "user", "content": "Hi"}]


# -- encode / decode -------------------------------------------------------------------------


class _CharTokenizer:
    """A test tokenizer: one id per character (its code point)."""

    def encode(self, text: str) -> List[int]:
        return [ord(c) for c in text]

    def decode(self, ids: List[int]) -> str:
        return "".join(chr(i) for i in ids)


def test_encode_decode_with_a_custom_tokenizer_round_trips() -> None:
    ids = litellm.encode(model="any", text="héllo", custom_tokenizer=_CharTokenizer())
    assert ids == [104, 233, 108, 108, 111]
    assert litellm.decode(model="any", tokens=ids, custom_tokenizer={"tokenizer": _CharTokenizer()}) == "héllo"


def test_encode_without_tiktoken_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tiktoken", None)  # import tiktoken now raises ImportError
    with pytest.raises(litellm.BadRequestError, match="tiktoken"):
        litellm.encode(model="gpt-4o", text="hello")
    with pytest.raises(litellm.BadRequestError, match="tiktoken"):
        litellm.decode(model="gpt-4o", tokens=[1, 2])


def test_encode_uses_tiktoken_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiktoken path: the model's encoding, special tokens allowed as text."""
    seen: Dict[str, Any] = {}

    class Encoding:
        def encode(self, text: str, disallowed_special: Any = None) -> List[int]:
            seen["disallowed_special"] = disallowed_special
            return [len(w) for w in text.split()]

        def decode(self, ids: List[int]) -> str:
            return "|".join(str(i) for i in ids)

    fake = types.ModuleType("tiktoken")

    def encoding_for_model(name: str) -> Encoding:
        seen["model"] = name
        return Encoding()

    fake.encoding_for_model = encoding_for_model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", fake)
    assert litellm.encode(model="openai/gpt-4o", text="ab cde") == [2, 3]
    assert seen == {"model": "gpt-4o", "disallowed_special": ()}
    assert litellm.decode(model="gpt-4o", tokens=[2, 3]) == "2|3"


@pytest.mark.parametrize("bad", [b"bytes", None, 12, ["a"]])
def test_encode_rejects_non_text(bad: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="text must be a string"):
        litellm.encode(model="x", text=bad, custom_tokenizer=_CharTokenizer())


@pytest.mark.parametrize("bad", ["123", [1, -2], [1.5], [True], None, {1: 2}])
def test_decode_rejects_bad_ids(bad: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="non-negative integers"):
        litellm.decode(model="x", tokens=bad, custom_tokenizer=_CharTokenizer())


def test_custom_tokenizer_must_have_both_methods() -> None:
    with pytest.raises(litellm.BadRequestError, match="encode\\(\\) and decode\\(\\)"):
        litellm.encode(model="x", text="a", custom_tokenizer=object())


def test_decode_unknown_id_is_our_error() -> None:
    class Small(_CharTokenizer):
        def decode(self, ids: List[int]) -> str:
            return "".join({1: "a"}[i] for i in ids)

    with pytest.raises(litellm.BadRequestError, match="vocabulary"):
        litellm.decode(model="x", tokens=[1, 7], custom_tokenizer=Small())


# -- batch over models -----------------------------------------------------------------------


def test_batch_completion_models_returns_the_first_answer_without_waiting_for_the_rest() -> None:
    """One deployment never answers: the other's answer is returned at once."""
    with LoopbackServer(lambda req: ["hang"]) as silent, FakeProvider() as fast:
        fast.add_reply("fast")
        started = time.monotonic()
        result = litellm.batch_completion_models(
            deployments=[
                {"model": "openai/never", "api_base": silent.url + "/v1", "api_key": "k", "timeout": 20,
                 "num_retries": 0},
                {"model": "openai/a", "api_base": fast.api_base, "api_key": "k"},
            ],
            messages=MESSAGES,
        )
        assert result.choices[0].message.content == "fast"
        assert time.monotonic() - started < 10  # not the silent server's 20 s timeout


def test_batch_completion_models_skips_failures_and_takes_the_answer() -> None:
    with FakeProvider() as bad, FakeProvider() as good:
        bad.add_error(401, "bad key")
        good.add_reply("from the good one")
        result = litellm.batch_completion_models(
            deployments=[
                {"model": "openai/a", "api_base": bad.api_base, "api_key": "k", "num_retries": 0},
                {"model": "openai/b", "api_base": good.api_base, "api_key": "k", "num_retries": 0},
            ],
            messages=MESSAGES,
        )
        assert result.choices[0].message.content == "from the good one"


def test_batch_completion_models_raises_every_error_when_all_fail() -> None:
    with FakeProvider() as one, FakeProvider() as two:
        one.add_error(401, "bad key one")
        two.add_error(404, "no such model")
        with pytest.raises(litellm.APIError) as info:
            litellm.batch_completion_models(
                deployments=[
                    {"model": "openai/a", "api_base": one.api_base, "api_key": "k"},
                    {"model": "openai/b", "api_base": two.api_base, "api_key": "k"},
                ],
                messages=MESSAGES,
                num_retries=0,
            )
        message = str(info.value)
        assert "openai/a" in message and "openai/b" in message
        assert len(info.value.fallback_errors) == 2  # type: ignore[attr-defined]


def test_batch_completion_models_with_models_list_and_mock() -> None:
    result = litellm.batch_completion_models(models="openai/a, openai/b", messages=MESSAGES, mock_response="hey")
    assert result.choices[0].message.content == "hey"


def test_batch_completion_models_all_responses_in_model_order() -> None:
    with FakeProvider() as fake:
        fake.add_error(400, "bad request")
        results = litellm.batch_completion_models_all_responses(
            models=["openai/a"], messages=MESSAGES, api_base=fake.api_base, api_key="k", num_retries=0
        )
    assert len(results) == 1 and isinstance(results[0], litellm.BadRequestError)
    both = litellm.batch_completion_models_all_responses(models=["m/one", "m/two"], messages=MESSAGES, mock_response="x")
    assert [r.choices[0].message.content for r in both] == ["x", "x"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "needs models"),
        ({"models": []}, "non-empty list"),
        ({"models": [1]}, "non-empty list"),
        ({"deployments": [{"api_base": "x"}]}, "each with a 'model'"),
        ({"models": ["a"], "deployments": [{"model": "a"}]}, "not both"),
    ],
)
def test_batch_completion_models_bad_arguments(kwargs: Dict[str, Any], match: str) -> None:
    with pytest.raises(litellm.BadRequestError, match=match):
        litellm.batch_completion_models(messages=MESSAGES, **kwargs)
    with pytest.raises(litellm.BadRequestError, match=match):
        litellm.batch_completion_models_all_responses(messages=MESSAGES, **kwargs)


def test_batch_completion_models_takes_keywords_only() -> None:
    with pytest.raises(litellm.BadRequestError, match="keyword"):
        litellm.batch_completion_models("openai/a", MESSAGES)


# -- completion_with_retries -----------------------------------------------------------------


def test_completion_with_retries_retries_transient_errors() -> None:
    with FakeProvider() as fake:
        fake.add_error(503, "busy", headers={"retry-after": "0"}, times=2)
        fake.add_reply("third time lucky")
        result = litellm.completion_with_retries(messages=MESSAGES, num_retries=3, **fake.kwargs())
        assert result.choices[0].message.content == "third time lucky"
        assert len(fake.requests) == 3


def test_completion_with_retries_stops_after_num_retries_attempts() -> None:
    with FakeProvider() as fake:
        fake.add_error(503, "busy", headers={"retry-after": "0"}, times=5)
        with pytest.raises(litellm.ServiceUnavailableError):
            litellm.completion_with_retries(messages=MESSAGES, num_retries=2, **fake.kwargs())
        assert len(fake.requests) == 2


def test_completion_with_retries_does_not_retry_a_bad_request() -> None:
    with FakeProvider() as fake:
        fake.add_error(400, "nope", times=3)
        with pytest.raises(litellm.BadRequestError):
            litellm.completion_with_retries(messages=MESSAGES, retry_strategy="exponential_backoff_retry", **fake.kwargs())
        assert len(fake.requests) == 1


@pytest.mark.parametrize("kwargs", [{"num_retries": 0}, {"num_retries": True}, {"retry_strategy": "sometimes"},
                                    {"original_function": 5}])
def test_completion_with_retries_bad_arguments(kwargs: Dict[str, Any]) -> None:
    with pytest.raises(litellm.BadRequestError):
        litellm.completion_with_retries(model="openai/x", messages=MESSAGES, **kwargs)


def test_completion_with_retries_calls_the_original_function() -> None:
    calls: List[Dict[str, Any]] = []

    def original(**kwargs: Any) -> str:
        calls.append(kwargs)
        return "done"

    assert litellm.completion_with_retries(model="m", original_function=original, num_retries=4) == "done"
    assert calls == [{"model": "m", "num_retries": 3}]


# -- check_valid_key / validate_environment --------------------------------------------------


def test_check_valid_key_true_and_false() -> None:
    with FakeProvider() as fake:
        kwargs = fake.kwargs()
        assert litellm.check_valid_key(model=kwargs["model"], api_key="good", api_base=kwargs["api_base"]) is True
        assert fake.requests[-1].json["max_tokens"] == 10
        assert fake.requests[-1].headers["authorization"] == "Bearer good"
        fake.add_error(401, "invalid key")
        assert litellm.check_valid_key(model=kwargs["model"], api_key="bad", api_base=kwargs["api_base"]) is False
        assert len(fake.requests) == 2  # no retry of the 401


def test_validate_environment_names_the_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert litellm.validate_environment("anthropic/claude-3-5-haiku-latest") == {
        "keys_in_environment": False,
        "missing_keys": ["ANTHROPIC_API_KEY"],
    }
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    assert litellm.validate_environment("anthropic/claude-3-5-haiku-latest") == {
        "keys_in_environment": True,
        "missing_keys": [],
    }


def test_validate_environment_counts_given_key_and_base() -> None:
    assert litellm.validate_environment("deepseek/deepseek-chat", api_key="k")["keys_in_environment"] is True
    missing = litellm.validate_environment("azure/my-deployment")["missing_keys"]
    assert missing == ["AZURE_API_KEY", "AZURE_API_BASE"]
    assert litellm.validate_environment("azure/d", api_key="k", api_base="https://x")["missing_keys"] == []


def test_validate_environment_unknown_or_keyless() -> None:
    assert litellm.validate_environment("no-such-model-anywhere") == {"keys_in_environment": False, "missing_keys": []}
    assert litellm.validate_environment(None) == {"keys_in_environment": False, "missing_keys": []}
    assert litellm.validate_environment("ollama/llama3") == {"keys_in_environment": True, "missing_keys": []}


# -- module paths LiteLLM's documentation imports from ----------------------------------------


def test_alias_module_paths() -> None:
    from litellm_lite.exceptions import RateLimitError
    from litellm_lite.integrations.custom_logger import CustomLogger
    from litellm_lite.types.utils import ModelResponse, Usage
    from litellm_lite.utils import get_model_info, supports_prompt_caching, token_counter

    assert CustomLogger is litellm.CustomLogger
    assert ModelResponse is litellm.ModelResponse and Usage is litellm.Usage
    assert RateLimitError is litellm.RateLimitError
    assert get_model_info is litellm.get_model_info and token_counter is litellm.token_counter
    assert supports_prompt_caching("claude-sonnet-4-5") is True
    assert litellm.utils.encode is litellm.encode
    assert "get_model_info" in dir(litellm.utils)
    with pytest.raises(AttributeError):
        litellm.utils.not_a_name  # noqa: B018
    with pytest.raises(ImportError):
        from litellm_lite.utils import _private  # noqa: F401


@pytest.mark.slow
def test_alias_modules_load_only_when_used() -> None:
    code = textwrap.dedent(
        """
        import sys
        import litellm_lite
        before = [m for m in ("litellm_lite.utils", "litellm_lite.integrations", "litellm_lite.types.utils",
                              "litellm_lite.environment", "litellm_lite.batch") if m in sys.modules]
        litellm_lite.utils.get_model_info  # attribute access loads the alias module
        import litellm_lite.types.utils
        print(before, "litellm_lite.utils" in sys.modules, "litellm_lite.types.utils" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["[]", "True", "True"]


def test_alias_module_is_thread_safe_to_first_use() -> None:
    seen: List[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(litellm.utils.token_counter)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(seen) == 8 and all(f is litellm.token_counter for f in seen)


def test_validate_environment_credential_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    assert litellm.validate_environment("bedrock/anthropic.claude-3-haiku")["missing_keys"] == ["AWS_ACCESS_KEY_ID"]
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert litellm.validate_environment("bedrock/anthropic.claude-3-haiku")["keys_in_environment"] is True
    assert litellm.validate_environment("vertex_ai/gemini-2.5-flash")["missing_keys"] == ["GOOGLE_APPLICATION_CREDENTIALS"]
    monkeypatch.setenv("AZURE_AD_TOKEN", "t")  # an AD token stands in for the key; the base is still needed
    assert litellm.validate_environment("azure/d")["missing_keys"] == ["AZURE_API_BASE"]
