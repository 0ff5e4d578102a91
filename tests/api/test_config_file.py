"""load_config: the design's gateway file and LiteLLM's config.yaml, env references, reload and watch."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

import litellm_lite
from litellm_lite import Router, load_config
from litellm_lite.client import Client
from litellm_lite.config_errors import ConfigError, YAMLError
from litellm_lite.config_file import ConfigFile
from litellm_lite.testing import FakeProvider

MSG = [{"role": "user", "content": "Hi"}]
SAMPLES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "litellm_configs").glob("*.yaml"))

# The gateway file of the design, as the issue gives it.
GATEWAY = """\
providers:
  deepseek:
    api_key: "${DEEPSEEK_API_KEY}"
    api_base: "https://api.deepseek.com"
    timeout_seconds: 30
    max_retries: 3
    extra_params:
      reasoning_effort: "medium"
"""


def _write(tmp_path: Path, text: str, name: str = "config.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_designs_gateway_file_loads_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-deepseek-secret")
    config = load_config(_write(tmp_path, GATEWAY))
    client = config.client("deepseek")
    assert isinstance(client, Client)
    assert client.config.api_key == "sk-deepseek-secret"
    assert client.config.api_base == "https://api.deepseek.com"
    assert client.config.timeout_seconds == 30.0 and client.config.max_retries == 3
    assert client.config.extra_params == {"reasoning_effort": "medium"}
    assert config.router is None
    assert "sk-deepseek-secret" not in repr(config) + repr(client)


def test_the_gateway_provider_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeProvider) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-deepseek-secret")
    monkeypatch.setenv("DEEPSEEK_API_BASE", fake.api_base)
    text = GATEWAY.replace('"https://api.deepseek.com"', '"${DEEPSEEK_API_BASE:-https://api.deepseek.com}"')
    config = load_config(_write(tmp_path, text))
    r = config.completion(model="deepseek/deepseek-chat", messages=MSG)
    assert r.choices[0].message.content == "Hi"
    req = fake.requests[-1]
    assert req.headers["authorization"] == "Bearer sk-deepseek-secret"
    assert req.json["reasoning_effort"] == "medium" and req.json["model"] == "deepseek-chat"
    r2 = config.client("deepseek").completion(model="deepseek-chat", messages=MSG)
    assert r2.choices[0].message.content == "Hi"


def test_missing_variables_are_one_error_naming_all_and_no_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESENT_VAR", "value-that-must-not-leak")
    text = """\
providers:
  openai:
    api_key: "${MISSING_ONE}"
    api_base: "https://x.example/${PRESENT_VAR}"
    headers:
      X-A: os.environ/MISSING_TWO
model_list:
  - model_name: m
    litellm_params:
      model: openai/m
      api_key: os.environ/MISSING_THREE
"""
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    message = str(info.value)
    assert "MISSING_ONE, MISSING_THREE, MISSING_TWO" in message
    assert "value-that-must-not-leak" not in message


def test_defaults_and_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_KEY", "sk-from-env-1234")
    text = """\
providers:
  openai:
    api_key: os.environ/MY_KEY
    api_base: "${NOT_SET_BASE:-https://gateway.example/v1}"
    timeout_seconds: 12
"""
    client = load_config(_write(tmp_path, text)).client("openai")
    assert client.config.api_key == "sk-from-env-1234"
    assert client.config.api_base == "https://gateway.example/v1"


def test_fields_left_out_come_from_the_providers_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk-env-123456")
    client = load_config(_write(tmp_path, "providers:\n  groq: {}\n  fast:\n    provider: groq\n    max_retries: 0\n"))
    assert client.client("groq").config.api_key == "gsk-env-123456"
    assert client.client("fast").provider == "groq" and client.client("fast").config.max_retries == 0


def test_unknown_keys_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-123456789")
    text = "providers:\n  openai:\n    timeout: 3\n    colour: blue\nextras: 1\n"
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        load_config(_write(tmp_path, text))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "unknown keys" in r.getMessage()]
    assert len(warnings) == 1
    text_ = warnings[0].getMessage()
    assert "providers.openai.timeout" in text_ and "providers.openai.colour" in text_ and "extras" in text_


@pytest.mark.parametrize(
    "block,path",
    [
        ("timeout_seconds: soon", "providers.deepseek.timeout_seconds"),
        ("max_retries: 1.5", "providers.deepseek.max_retries"),
        ("headers: [a]", "providers.deepseek.headers"),
        ("extra_params: text", "providers.deepseek.extra_params"),
        ("api_key: 12345", "providers.deepseek.api_key"),
        ("timeout_seconds: true", "providers.deepseek.timeout_seconds"),
    ],
)
def test_wrong_types_name_their_path(tmp_path: Path, block: str, path: str) -> None:
    text = "providers:\n  deepseek:\n    api_key: sk-12345678\n    %s\n" % block
    if block.startswith("api_key"):
        text = "providers:\n  deepseek:\n    %s\n" % block
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    assert path in str(info.value)


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = "providers:\n  deepseek:\n    timeout_seconds: -1\n    max_retries: x\n  nope: {}\n"
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    message = str(info.value)
    assert "providers.deepseek.max_retries" in message
    assert "DEEPSEEK_API_KEY" in message and "timeout_seconds" in message
    assert "providers.nope: unknown provider" in message


def test_json_and_toml(tmp_path: Path, fake: FakeProvider) -> None:
    json_path = _write(
        tmp_path,
        '{"providers": {"openai": {"api_key": "k-1234567", "api_base": "%s", "default_model": "fake-model"}}}' % fake.api_base,
        "c.json",
    )
    assert load_config(json_path).client("openai").completion(messages=MSG).choices[0].message.content == "Hi"
    toml_text = '[providers.openai]\napi_key = "k-1234567"\napi_base = "%s"\ntimeout_seconds = 5\n' % fake.api_base
    toml_path = _write(tmp_path, toml_text, "c.toml")
    if sys.version_info >= (3, 11):
        assert load_config(toml_path).client("openai").config.timeout_seconds == 5.0
    else:  # pragma: no cover - depends on the interpreter
        with pytest.raises(ConfigError, match="3.11"):
            load_config(toml_path)


@pytest.mark.parametrize(
    "name,text,words",
    [
        ("c.ini", "x", "unknown configuration format"),
        ("c.json", "{bad", "invalid JSON"),
        ("c.toml", "= 1", "invalid TOML"),
        ("c.yaml", "- a\n- b\n", "top level must be a mapping"),
        ("c.yaml", "general_settings: {}\n", "nothing to configure"),
        ("c.yaml", "providers: [a]\n", "providers must be a mapping"),
        ("c.yaml", "model_list: {a: 1}\n", "model_list must be a list"),
        ("c.yaml", "model_list:\n  - model_name: x\n", "litellm_params"),
        ("c.yaml", "model_list:\n  - model_name: x\n    litellm_params: {}\n", "litellm_params"),
    ],
)
def test_bad_files_are_our_errors(tmp_path: Path, name: str, text: str, words: str) -> None:
    if name.endswith(".toml") and sys.version_info < (3, 11):  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text, name))
    assert words in str(info.value)


def test_unreadable_and_undecodable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(str(tmp_path / "absent.yaml"))
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(str(path))


def test_yaml_errors_carry_file_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "providers:\n  openai:\n    api_key: &a x\n")
    with pytest.raises(YAMLError) as info:
        load_config(path)
    assert (info.value.line, info.value.column) == (3, 14)
    assert path in str(info.value)


# -- LiteLLM's config.yaml -----------------------------------------------------------------------

_SAMPLE_ENV = (
    "AZURE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROQ_API_KEY", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "REDIS_PASSWORD",
)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_litellm_sample_configs_load_unchanged(
    path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in _SAMPLE_ENV:
        monkeypatch.setenv(name, "sample-secret-" + name.lower())
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        config = load_config(str(path))
    assert isinstance(config.router, Router)
    assert config.router.model_names
    for record in caplog.records:
        assert "sample-secret" not in record.getMessage()
    text = path.read_text()
    if "general_settings" in text:
        ignored = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage() and "proxy-only" in r.getMessage()]
        assert len(ignored) == 1 and "general_settings" in ignored[0]


def test_litellm_settings_and_router_settings_reach_the_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_API_KEY", "sample-azure-1234")
    monkeypatch.setenv("REDIS_PASSWORD", "redis-pw-1234")
    config = load_config(str(Path(__file__).resolve().parents[1] / "fixtures" / "litellm_configs" / "config_schema.yaml"))
    router = config.router
    assert router.routing_strategy == "latency-based-routing"
    assert router.num_retries == 3 and router.timeout == 30 and router.cooldown_time == 60.0
    assert router.fallbacks == {"gpt-4": ["gpt-3.5-turbo", "claude-2"]}
    assert "router_settings.redis_host" in config.ignored
    assert "litellm_settings.success_callback" in config.ignored
    assert router.model_list[0]["litellm_params"]["api_key"] == "sample-azure-1234"
    assert router.model_list[0]["litellm_params"]["drop_params"] is True


def test_a_litellm_config_answers_with_its_environment_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeProvider
) -> None:
    monkeypatch.setenv("FOO_KEY", "sk-foo-123456")
    monkeypatch.setenv("FOO_BASE", fake.api_base)
    text = """\
model_list:
  - model_name: gpt
    litellm_params:
      model: openai/fake-model
      api_key: os.environ/FOO_KEY
      api_base: os.environ/FOO_BASE
litellm_settings:
  num_retries: 0
"""
    path = _write(tmp_path, text)
    config = load_config(path)
    r = config.completion(model="gpt", messages=MSG)
    assert r.choices[0].message.content == "Hi"
    assert fake.requests[-1].headers["authorization"] == "Bearer sk-foo-123456"
    assert Router.from_config(path).completion(model="gpt", messages=MSG).choices[0].message.content == "Hi"
    with pytest.raises(ConfigError, match="no provider or model_list"):
        config.completion(model="unknown-model", messages=MSG)


def test_router_from_config_needs_a_model_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-1234567")
    with pytest.raises(ConfigError, match="model_list"):
        Router.from_config(_write(tmp_path, GATEWAY))


def test_invalid_router_settings_are_config_errors(tmp_path: Path) -> None:
    text = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, api_key: k}\nrouter_settings:\n  routing_strategy: nope\n"
    with pytest.raises(ConfigError, match="routing_strategy"):
        load_config(_write(tmp_path, text))


# -- reload and watch ----------------------------------------------------------------------------


def _gateway(base: str, timeout: int = 30) -> str:
    return "providers:\n  openai:\n    api_key: k-1234567\n    api_base: %s\n    timeout_seconds: %d\n    default_model: fake-model\n" % (base, timeout)


def test_reload_swaps_and_a_bad_file_keeps_the_old(tmp_path: Path, fake: FakeProvider, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, _gateway(fake.api_base, 30))
    config = load_config(path)
    old = config.client("openai")
    _write(tmp_path, _gateway(fake.api_base, 10))
    assert config.reload() is True
    assert config.client("openai").config.timeout_seconds == 10.0
    assert old.config.timeout_seconds == 30.0  # objects already handed out are unchanged
    _write(tmp_path, "providers:\n  openai:\n    timeout_seconds: -5\n    api_key: k-1234567\n")
    with caplog.at_level(logging.ERROR, logger="litellm_lite"):
        assert config.reload() is False
    assert config.client("openai").config.timeout_seconds == 10.0
    assert any("keeping the previous" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    _write(tmp_path, "providers: [\n")
    assert config.reload() is False
    assert config.client("openai").completion(messages=MSG).choices[0].message.content == "Hi"


def test_in_flight_calls_finish_on_the_old_configuration(tmp_path: Path) -> None:
    with FakeProvider(delay=0.05, chunk_size=1) as slow, FakeProvider(echo_prefix="new:") as new:
        path = _write(tmp_path, _gateway(slow.api_base))
        config = load_config(path)
        result = {}

        def call() -> None:
            stream = config.completion(model="openai/fake-model", messages=[{"role": "user", "content": "abcdefgh"}], stream=True)
            result["text"] = "".join(c.choices[0].delta.content or "" for c in stream)

        worker = threading.Thread(target=call)
        worker.start()
        deadline = time.monotonic() + 10
        while not slow.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        _write(tmp_path, _gateway(new.api_base))
        assert config.reload()
        after = config.completion(model="openai/fake-model", messages=MSG)
        worker.join(30)
        assert result["text"] == "abcdefgh"
        assert after.choices[0].message.content == "new:Hi"
        assert len(slow.requests) == 1 and len(new.requests) == 1


def test_watch_reloads_on_change_and_stops(tmp_path: Path, fake: FakeProvider) -> None:
    path = _write(tmp_path, _gateway(fake.api_base, 30))
    config = load_config(path)
    config.watch(interval=0.02)
    try:
        assert config.watching
        assert config._watcher is not None and config._watcher.daemon
        config.watch(interval=0.02)  # a second call keeps the one thread
        time.sleep(0.05)
        _write(tmp_path, _gateway(fake.api_base, 7) + "# changed size\n")
        deadline = time.monotonic() + 10
        while config.client("openai").config.timeout_seconds != 7.0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert config.client("openai").config.timeout_seconds == 7.0
    finally:
        config.stop_watching()
    assert not config.watching
    with pytest.raises(ConfigError):
        config.watch(interval=0)


def test_config_file_pickles(tmp_path: Path, fake: FakeProvider) -> None:
    config = load_config(_write(tmp_path, _gateway(fake.api_base)))
    copy = pickle.loads(pickle.dumps(config))
    assert isinstance(copy, ConfigFile)
    assert copy.client("openai").completion(messages=MSG).choices[0].message.content == "Hi"
    with pytest.raises(ConfigError, match="no provider 'x'"):
        copy.client("x")


def test_async_dispatch(tmp_path: Path, fake: FakeProvider) -> None:
    import asyncio

    config = load_config(_write(tmp_path, _gateway(fake.api_base)))

    async def run() -> None:
        r = await config.acompletion(model="openai/fake-model", messages=MSG)
        e = await config.aembedding(model="openai/text-embedding-3-small", input=["x"])
        assert r.choices[0].message.content == "Hi" and len(e.data) == 1

    asyncio.run(run())
    assert config.embedding(model="openai/text-embedding-3-small", input=["y"]).data


def test_nothing_loads_at_import() -> None:
    import subprocess

    code = (
        "import sys, litellm_lite\n"
        "bad = [m for m in ('litellm_lite.config_file', 'litellm_lite._yaml', 'litellm_lite.client', "
        "'litellm_lite.router_parity') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(Path(__file__).parents[2]),
                         env=dict(os.environ), check=True)
    assert out.stdout.strip() == "[]"
    assert shutil.which(sys.executable) or True
    assert litellm_lite.load_config is load_config


# -- reload changes non-secret settings only ----------------------------------------------------


def test_reload_keeps_a_changed_provider_key_and_warns_without_the_value(
    tmp_path: Path, fake: FakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        "providers:\n  openai:\n    api_key: ${OPENAI_KEY_FOR_TEST}\n    api_base: %s\n    timeout_seconds: %d\n"
        "    default_model: fake-model\n    headers:\n      X-Tenant: %s\n      X-Api-Token: %s\n"
    )
    environ = {"OPENAI_KEY_FOR_TEST": "sk-old-aaaaaaaa"}
    path = _write(tmp_path, text % (fake.api_base, 30, "t1", "tok-old-1111"))
    config = load_config(path, environ=environ)
    environ["OPENAI_KEY_FOR_TEST"] = "sk-new-bbbbbbbb"
    _write(tmp_path, text % (fake.api_base, 10, "t2", "tok-new-2222"))
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        assert config.reload() is True
    client = config.client("openai")
    assert client.config.timeout_seconds == 10.0  # non-secret settings change
    assert client.config.api_key == "sk-old-aaaaaaaa"  # the key does not
    assert client.config.headers == {"X-Tenant": "t2", "X-Api-Token": "tok-old-1111"}
    client.completion(messages=MSG)
    assert fake.requests[-1].headers["authorization"] == "Bearer sk-old-aaaaaaaa"
    assert fake.requests[-1].headers["x-tenant"] == "t2" and fake.requests[-1].headers["x-api-token"] == "tok-old-1111"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("providers.openai" in w and "api_key" in w and "headers" in w for w in warnings), warnings
    assert not any(secret in w for w in warnings for secret in ("sk-old", "sk-new", "tok-old", "tok-new"))
    # The file back on the keys in use: no warning.
    environ["OPENAI_KEY_FOR_TEST"] = "sk-old-aaaaaaaa"
    _write(tmp_path, text % (fake.api_base, 20, "t3", "tok-old-1111"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="litellm_lite"):
        assert config.reload() is True
    assert not [r for r in caplog.records if "reload() does not change" in r.getMessage()]
    assert config.client("openai").config.api_key == "sk-old-aaaaaaaa"
    assert config.client("openai").config.timeout_seconds == 20.0


def test_a_provider_added_by_a_reload_brings_its_own_key(tmp_path: Path, fake: FakeProvider) -> None:
    path = _write(tmp_path, _gateway(fake.api_base))
    config = load_config(path)
    _write(tmp_path, _gateway(fake.api_base) + "  groq:\n    api_key: gsk-added-123456\n    api_base: %s\n" % fake.api_base)
    assert config.reload() is True
    assert config.client("groq").config.api_key == "gsk-added-123456"
    assert config.client("openai").config.api_key == "k-1234567"


_ROUTER_FILE = """\
model_list:
  - model_name: chat
    litellm_params:
      model: openai/fake-model
      api_base: {base}
      api_key: {key}
    model_info:
      id: first
    rpm: {rpm}
router_settings:
  num_retries: 0
"""


def test_reload_keeps_a_deployments_key_and_applies_the_rest(
    tmp_path: Path, fake: FakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeProvider(echo_prefix="moved:") as moved:
        path = _write(tmp_path, _ROUTER_FILE.format(base=fake.api_base, key="sk-dep-old-1111", rpm=100))
        config = load_config(path)
        _write(tmp_path, _ROUTER_FILE.format(base=moved.api_base, key="sk-dep-new-2222", rpm=50))
        with caplog.at_level(logging.WARNING, logger="litellm_lite"):
            assert config.reload() is True
        r = config.completion(model="chat", messages=MSG)
        assert r.choices[0].message.content == "moved:Hi"  # the new api_base applies
        assert moved.requests[-1].headers["authorization"] == "Bearer sk-dep-old-1111"
        assert config.router.get_model_list()[0]["rpm"] == 50
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("'first'" in w and "litellm_params.api_key" in w for w in warnings), warnings
    assert not any("sk-dep" in w for w in warnings)


def test_a_config_file_holding_a_router_pickles(tmp_path: Path, fake: FakeProvider) -> None:
    config = load_config(_write(tmp_path, _ROUTER_FILE.format(base=fake.api_base, key="sk-dep-1111", rpm=100)))
    config.completion(model="chat", messages=MSG)
    copy = pickle.loads(pickle.dumps(config))
    assert isinstance(copy.router, Router) and copy.router is not config.router
    assert copy.completion(model="chat", messages=MSG).choices[0].message.content == "Hi"
    assert fake.requests[-1].headers["authorization"] == "Bearer sk-dep-1111"
    assert [s["requests"] for s in copy.router.deployment_stats()] == [2]
    assert [s["requests"] for s in config.router.deployment_stats()] == [1]
    assert copy.reload() is True  # the copy still knows its file
