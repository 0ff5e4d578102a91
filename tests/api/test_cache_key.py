"""cache_key.py: what a key covers (every answer-changing parameter) and what it never holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from litellm_lite.cache_key import NON_ANSWER_KEYS, cache_key, canonical_call_type, embedding_input_keys, is_secret_name
from litellm_lite.types import Message

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "Hi"}]
BASE: Dict[str, Any] = {"model": "gpt-4o-mini", "messages": MESSAGES, "temperature": 0.2}


def key(**overrides: Any) -> Any:
    kwargs = dict(BASE)
    api_base = overrides.pop("api_base", "https://api.example.com/v1")
    provider = overrides.pop("provider", "openai")
    kwargs.update(overrides)
    return cache_key("completion", kwargs, provider=provider, model="gpt-4o-mini", api_base=api_base)


def test_key_is_sha256_hex_and_deterministic() -> None:
    k = key()
    assert isinstance(k, str) and len(k) == 64 and int(k, 16) >= 0
    assert key() == k
    # dict order never matters
    assert cache_key("completion", dict(reversed(list(BASE.items()))), provider="openai", model="gpt-4o-mini",
                     api_base="https://api.example.com/v1") == k


@pytest.mark.parametrize(
    "name,value",
    [
        ("api_key", "sk-secret-1234567890"),
        ("aws_secret_access_key", "abc/def"),
        ("aws_session_token", "tok"),
        ("vertex_credentials", '{"private_key": "x"}'),
        ("azure_ad_token", "eyJ..."),
        ("client_secret", "s"),
        ("timeout", 5),
        ("request_timeout", 99),
        ("num_retries", 7),
        ("max_retries", 3),
        ("metadata", {"run": 1}),
        ("user", "alice"),
        ("tags", ["eval"]),
        ("stream", True),
        ("stream_options", {"include_usage": True}),
        ("callbacks", ["x"]),
        ("cache", {"ttl": 5}),
        ("caching", True),
        ("fallbacks", ["other"]),
    ],
)
def test_key_excludes_secrets_and_non_answer_keywords(name: str, value: Any) -> None:
    assert key(**{name: value}) == key()


def test_header_values_never_count_only_harmless_names() -> None:
    one = key(extra_headers={"Authorization": "Bearer a", "anthropic-beta": "x"})
    two = key(extra_headers={"Authorization": "Bearer b", "anthropic-beta": "y"})
    assert one == two
    assert key(extra_headers={"anthropic-beta": "x"}) != key()  # the name changes what is asked
    assert key(extra_headers={"Authorization": "Bearer a", "x-api-key": "k"}) == key()


def test_api_base_counts_but_not_its_credentials() -> None:
    assert key(api_base="https://other.example.com/v1") != key()
    assert key(api_base="https://api.example.com:8443/v1") != key()
    assert key(api_base="https://user:pw@api.example.com/v1/") == key()
    assert key(api_base="https://API.example.com/v1?key=AIzaSECRET") == key()


@pytest.mark.parametrize(
    "name,value",
    [
        ("temperature", 0.3),
        ("top_p", 0.9),
        ("top_k", 40),
        ("max_tokens", 100),
        ("max_completion_tokens", 100),
        ("seed", 7),
        ("n", 2),
        ("stop", ["\n"]),
        ("logit_bias", {"50256": -100}),
        ("presence_penalty", 0.5),
        ("frequency_penalty", 0.5),
        ("response_format", {"type": "json_object"}),
        ("tools", [{"type": "function", "function": {"name": "f", "parameters": {}}}]),
        ("tool_choice", "required"),
        ("reasoning_effort", "high"),
        ("extra_body", {"safety_settings": [1]}),
        ("safety_settings", [{"category": "x"}]),
        ("messages", [{"role": "user", "content": "Hello"}]),
        ("mock_response", "canned"),
        ("api_version", "2024-10-21"),
    ],
)
def test_key_includes_every_answer_changing_parameter(name: str, value: Any) -> None:
    assert key(**{name: value}) != key()


def test_provider_model_and_call_type_count() -> None:
    assert key(provider="anthropic") != key()
    assert cache_key("completion", BASE, provider="openai", model="gpt-4o") != cache_key("completion", BASE, provider="openai", model="gpt-4o-mini")
    assert cache_key("text_completion", BASE, provider="openai", model="m") != cache_key("completion", BASE, provider="openai", model="m")
    assert cache_key("acompletion", BASE, provider="openai", model="m") == cache_key("completion", BASE, provider="openai", model="m")
    assert canonical_call_type("aembedding") == "embedding"


def test_namespace_separates_entries() -> None:
    plain = cache_key("completion", BASE, provider="p", model="m")
    assert cache_key("completion", BASE, provider="p", model="m", namespace="a") != plain
    assert cache_key("completion", BASE, provider="p", model="m", namespace="a") != cache_key("completion", BASE, provider="p", model="m", namespace="b")


def test_secret_looking_fields_inside_config_dicts_are_dropped_but_content_is_kept() -> None:
    assert key(extra_body={"top_k": 3, "api_key": "x"}) == key(extra_body={"top_k": 3, "api_key": "y"})
    tool = {"type": "function", "function": {"name": "login", "parameters": {"properties": {"password": {"type": "string"}}}}}
    other = {"type": "function", "function": {"name": "login", "parameters": {"properties": {"username": {"type": "string"}}}}}
    assert key(tools=[tool]) != key(tools=[other])


def test_typed_messages_bytes_and_sets_have_stable_forms() -> None:
    typed = key(messages=[Message(role="user", content="Hi")])
    assert typed == key(messages=[Message(role="user", content="Hi").to_dict()])
    assert key(file=b"abc") != key(file=b"abd")
    assert key(stop={"b", "a"}) == key(stop={"a", "b"})
    assert key(temperature=float("nan")) == key(temperature=float("nan"))


def test_a_value_without_a_stable_form_makes_the_call_uncacheable() -> None:
    assert key(file=open(__file__, "rb")) is None  # noqa: SIM115
    assert key(logger=object()) is None
    nested: Any = []
    cur = nested
    for _ in range(100):
        cur.append([])
        cur = cur[0]
    assert key(deep=nested) is None


@pytest.mark.slow
def test_key_is_stable_across_processes() -> None:
    code = (
        "from litellm_lite.cache_key import cache_key\n"
        "print(cache_key('completion', %r, provider='openai', model='gpt-4o-mini', api_base='https://api.example.com/v1'))" % (BASE,)
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT), capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout.strip()
    assert out == key()


def test_secret_name_rule() -> None:
    for name in ("api_key", "x-api-key", "AWS_SECRET_ACCESS_KEY", "password", "token", "access_token", "authorization", "private_key"):
        assert is_secret_name(name), name
    for name in ("max_tokens", "top_k", "logit_bias", "temperature", "messages", "tokens_limit", "max_completion_tokens"):
        assert not is_secret_name(name), name
    assert "metadata" in NON_ANSWER_KEYS


def test_embedding_keys_one_per_input_independent_of_the_batch() -> None:
    kwargs = {"model": "text-embedding-3-small", "input": ["a", "b"], "dimensions": 256, "api_key": "sk-x"}
    ab = embedding_input_keys(kwargs, ["a", "b"], provider="openai", model="text-embedding-3-small")
    ba = embedding_input_keys(kwargs, ["b", "a"], provider="openai", model="text-embedding-3-small")
    assert ab == list(reversed(ba)) and ab[0] != ab[1]
    other = embedding_input_keys(dict(kwargs, dimensions=512), ["a"], provider="openai", model="text-embedding-3-small")
    assert other[0] != ab[0]
    no_key = embedding_input_keys(dict(kwargs, api_key="sk-other"), ["a"], provider="openai", model="text-embedding-3-small")
    assert no_key[0] == ab[0]
    assert embedding_input_keys(kwargs, [object()])[0] is None
    assert embedding_input_keys(dict(kwargs, weird=object()), ["a", "b"]) == [None, None]


def test_key_material_never_contains_the_secret() -> None:
    from litellm_lite import cache_key as module

    material = module._material("completion", dict(BASE, api_key="sk-TOPSECRET", extra_headers={"Authorization": "Bearer TOPSECRET"}),
                                "openai", "m", "https://u:TOPSECRET@h/v1?key=TOPSECRET")
    assert "TOPSECRET" not in json.dumps(material)


def test_keys_are_unchanged_from_earlier_versions() -> None:
    """Disk caches outlive upgrades: these keys were made by the first released key scheme."""
    call = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi \u00e9\u4e16"}], "temperature": 0.2,
            "tools": [{"type": "function", "function": {"name": "f"}}], "top_k": 3, "api_key": "sk-x",
            "extra_headers": {"X-Trace": "1", "Authorization": "Bearer z"}}
    assert cache_key("completion", call, provider="openai", model="gpt-4o-mini", api_base="https://u:p@api.example.com/v1?key=1") == (
        "027d7321d968371a8020e4d9e87eb0c36d91c857b0771dd43718bb3e8c0f103e"
    )
    assert cache_key("completion", call, provider="openai", model="gpt-4o-mini", api_base="https://api.example.com/v1", namespace="ns") == (
        "a41e8b2c8cdb0c4999d329710ac41958f224dc810ce8d564b11972af53207281"
    )
    assert embedding_input_keys({"input": ["a"], "dimensions": 8}, ["a"], provider="openai", model="text-embedding-3-small") == [
        "5e727e702c4d36169ad0d124362d6b346a057604433fd037c8f9436097dda3f8"
    ]


def test_circular_content_is_uncacheable_not_an_error() -> None:
    loop: Any = [{"role": "user", "content": "Hi"}]
    loop.append(loop)
    assert key(messages=loop) is None
    shared = {"type": "string"}
    assert key(tools=[shared, shared]) == key(tools=[{"type": "string"}, {"type": "string"}])  # repeated, not circular
    nan = key(temperature=float("nan"))
    assert nan is not None and nan == key(temperature=float("nan")) and nan != key()
