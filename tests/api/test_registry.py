"""Model registry: the bundled price map, lazy loading, lookups, custom maps and capabilities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Dict, List

import pytest

from litellm_lite import registry
from litellm_lite.exceptions import BadRequestError, NotFoundError
from litellm_lite.registry import ModelFeature

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "litellm_lite"
DATA = PACKAGE / "model_prices_and_context_window.json"
MODES = {"chat", "embedding", "completion", "image_generation", "audio_transcription", "audio_speech", "moderation",
         "rerank"}
LIMIT_KEYS = ("max_tokens", "max_input_tokens", "max_output_tokens")


pytestmark = pytest.mark.usefixtures("fresh_registry")


def _run(code: str, env_extra: Dict[str, str] = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:  # type: ignore[assignment]
    env = {k: v for k, v in os.environ.items() if k != registry.COST_MAP_ENV}
    env.update(env_extra or {})
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=str(cwd), env=env, capture_output=True, text=True, timeout=60
    )


# -- the bundled file ---------------------------------------------------------------------------


def test_bundled_file_schema(raw: Dict[str, Dict[str, Any]]) -> None:
    assert "sample_spec" not in raw
    assert len(raw) > 500
    assert DATA.stat().st_size < 1_500_000
    for key, entry in raw.items():
        assert isinstance(entry.get("litellm_provider"), str) and entry["litellm_provider"], key
        assert entry.get("mode") in MODES, key
        for name, value in entry.items():
            if name in LIMIT_KEYS:
                assert isinstance(value, int) and not isinstance(value, bool) and value >= 0, (key, name)
            elif "cost" in name and isinstance(value, (int, float)) and not isinstance(value, bool):
                assert value >= 0, (key, name)
            elif "cost" in name and name.endswith(("_token", "_tokens", "_token_cost")):
                pytest.fail("%s: %s is not a number: %r" % (key, name, value))
            elif name.startswith("supports_"):
                assert isinstance(value, bool), (key, name)


def test_bundled_file_is_sorted_one_entry_per_line() -> None:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    keys = [json.loads("{%s}" % line.rstrip(",")).popitem()[0] for line in lines[1:-1]]
    assert keys == sorted(keys)


def test_bundled_file_covers_our_providers(raw: Dict[str, Dict[str, Any]]) -> None:
    providers = {registry.normalize_provider(e["litellm_provider"]) for e in raw.values()}
    for name in ("openai", "azure", "anthropic", "gemini", "vertex_ai", "bedrock", "cohere", "cohere_chat",
                 "mistral", "groq", "deepseek", "xai", "together_ai", "fireworks_ai", "ollama", "perplexity",
                 "cerebras", "deepinfra", "moonshot", "dashscope", "sambanova"):
        assert name in providers, name
    embedding_providers = {registry.normalize_provider(e["litellm_provider"]) for e in raw.values() if e["mode"] == "embedding"}
    assert {"openai", "gemini", "cohere", "mistral", "vertex_ai"} <= embedding_providers


@pytest.mark.slow
def test_update_prices_tool_trims_and_resolves_aliases(tmp_path: Path) -> None:
    source = {
        "sample_spec": {"litellm_provider": "one of ...", "mode": "chat"},
        "gpt-x": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "source": "https://x"},
        "gpt-x-latest": {"alias_of": "gpt-x"},
        "other/model": {"litellm_provider": "someone_else", "mode": "chat"},
        "gpt-x-realtime": {"litellm_provider": "openai", "mode": "realtime"},
        "vertex-embed": {"litellm_provider": "vertex_ai-embedding-models", "mode": "embedding"},
    }
    src = tmp_path / "prices.json"
    out = tmp_path / "out.json"
    src.write_text(json.dumps(source), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_prices.py"), str(src), "-o", str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(written) == ["gpt-x", "gpt-x-latest", "vertex-embed"]
    assert "source" not in written["gpt-x"]
    assert written["gpt-x-latest"]["alias_of"] == "gpt-x"
    assert written["gpt-x-latest"]["input_cost_per_token"] == 1e-6
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


# -- lazy, once, thread-safe --------------------------------------------------------------------


def test_import_reads_no_file_and_first_use_reads_one_entry() -> None:
    has_init = (PACKAGE / "__init__.py").exists()
    code = """
        import json, sys
        opened = []
        def hook(event, args):
            if event == "open" and args and isinstance(args[0], (str, bytes)):
                path = args[0].decode() if isinstance(args[0], bytes) else args[0]
                if path.endswith((".json", ".txt")):
                    opened.append(path.rsplit("/", 1)[-1])
        sys.addaudithook(hook)
        import litellm_lite.registry as registry
        import litellm_lite.cost, litellm_lite.tokens
        from litellm_lite import _model_store as store
        if %r:
            import litellm_lite
        before = list(opened)
        ready_after_import = store.is_ready()
        repr(registry.model_cost)
        info = registry.get_model_info("gpt-4o")
        one = {"after": sorted(set(opened)), "full_parses": store.load_count()}
        everything = len(registry.model_cost)
        print(json.dumps({"before": before, "ready": ready_after_import, "one": one, "count": everything,
                          "provider": info["litellm_provider"], "full_parses": store.load_count()}))
    """ % (has_init,)
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["before"] == []
    assert result["ready"] is False
    # pricing one model read the index and that model's bytes: no full parse
    assert result["one"] == {"after": ["model_prices_and_context_window.json", "model_prices_index.txt"],
                             "full_parses": 0}
    assert result["provider"] == "openai"
    assert result["count"] > 2000 and result["full_parses"] == 1  # the whole map, once, when asked for


def test_loader_runs_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from litellm_lite import _model_store as store

    calls: List[str] = []
    real_read, real_open = store._read_bundled, store._open_index

    def slow_read() -> Dict[str, Dict[str, Any]]:
        calls.append("full")
        time.sleep(0.05)
        return real_read()

    def slow_open() -> None:
        calls.append("index")
        time.sleep(0.05)
        real_open()

    monkeypatch.setattr(store, "_read_bundled", slow_read)
    monkeypatch.setattr(store, "_open_index", slow_open)
    results: List[Any] = []
    errors: List[BaseException] = []

    def run(job: Any) -> None:
        barrier = threading.Barrier(16)

        def worker() -> None:
            try:
                barrier.wait()
                results.append(job())
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)

    run(lambda: registry.get_model_info("gpt-4o")["input_cost_per_token"])
    assert not errors and calls == ["index"]
    assert len(results) == 16 and len(set(results)) == 1
    results.clear()
    run(lambda: len(registry.model_cost))
    assert not errors and calls == ["index", "full"]
    assert store.load_count() == 1
    assert len(results) == 16 and len(set(results)) == 1


def test_a_stale_index_falls_back_to_the_whole_map(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from litellm_lite import _model_store as store

    real = store._open_index

    def shifted_reader() -> None:
        real()
        read = store._reader
        store._reader = lambda offset, length: read(offset + 1, length)  # as if the JSON was edited

    monkeypatch.setattr(store, "_open_index", shifted_reader)
    with caplog.at_level("WARNING", logger="litellm_lite"):
        info = registry.get_model_info("gpt-4o")
    assert info["litellm_provider"] == "openai" and info["input_cost_per_token"] > 0
    assert store.is_loaded() and store.load_count() == 1
    assert "out of date" in caplog.text


def test_no_index_means_a_whole_map_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    from litellm_lite import _model_store as store

    monkeypatch.setattr(store, "INDEX_FILE", "no-such-index.txt")
    assert registry.get_model_info("claude-sonnet-4-5")["litellm_provider"] == "anthropic"
    assert store.load_count() == 1


@pytest.mark.slow
def test_works_zipped_and_vendored_under_another_name(tmp_path: Path) -> None:
    archive = tmp_path / "vendored.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("thirdparty/__init__.py", "")
        zf.writestr("thirdparty/llm/__init__.py", "")
        for name in ("registry.py", "_model_store.py", "_price_index.py", "_lazyre.py", "_log.py", "exceptions.py", "cost.py", "tokens.py",
                     "types/__init__.py", "model_prices_and_context_window.json", "model_prices_index.txt"):
            zf.write(PACKAGE / name, "thirdparty/llm/" + name)
    code = """
        import sys
        sys.path.insert(0, %r)
        from thirdparty.llm import registry, cost
        assert registry.__file__.startswith(%r)
        print(registry.get_model_info("claude-sonnet-4-5")["litellm_provider"], cost.cost_per_token("gpt-4o", 1000, 0)[0] > 0)
    """ % (str(archive), str(archive))
    env = {k: v for k, v in os.environ.items() if k not in (registry.COST_MAP_ENV, "PYTHONPATH")}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["anthropic", "True"]


# -- custom maps ----------------------------------------------------------------------------------


def test_env_cost_map_extends_and_overrides(tmp_path: Path) -> None:
    custom = tmp_path / "custom.json"
    custom.write_text(json.dumps({
        "my-private-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6,
                             "output_cost_per_token": 2e-6, "max_output_tokens": 1234, "supports_vision": True},
        "gpt-4o": {"input_cost_per_token": 9e-6},
    }), encoding="utf-8")
    code = """
        from litellm_lite import registry
        a = registry.get_model_info("my-private-model")
        b = registry.get_model_info("gpt-4o")
        print(a["max_output_tokens"], registry.supports_vision("my-private-model"), b["input_cost_per_token"],
              b["output_cost_per_token"] > 0, registry.provider_for_bare_model("my-private-model"))
    """
    proc = _run(code, {registry.COST_MAP_ENV: str(custom)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1234", "True", "9e-06", "True", "openai"]


def test_env_cost_map_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    custom = tmp_path / "m.json"
    custom.write_text(json.dumps({"acme/model-1": {"input_cost_per_token": 5e-7}}), encoding="utf-8")
    monkeypatch.setenv(registry.COST_MAP_ENV, str(custom))
    registry._reset()
    info = registry.get_model_info("acme/model-1")
    assert info["litellm_provider"] == "acme"  # inferred from the key's prefix
    assert info["mode"] == "chat"
    assert registry.lookup("model-1", "acme") is not None


@pytest.mark.parametrize("value", ["https://example.com/prices.json", "http://x/y.json", "file:///tmp/x.json"])
def test_env_cost_map_refuses_urls(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(registry.COST_MAP_ENV, value)
    registry._reset()
    with pytest.raises(BadRequestError) as info:
        registry.get_model_info("gpt-4o")
    assert "URL" in str(info.value) and registry.COST_MAP_ENV in str(info.value)
    # the helpers the core calls never raise
    assert registry.lookup("gpt-4o", "openai") is None
    assert registry.provider_for_bare_model("gpt-4o") is None
    assert registry.supports_vision("gpt-4o") is False


def test_env_cost_map_bad_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv(registry.COST_MAP_ENV, str(bad))
    registry._reset()
    with pytest.raises(BadRequestError, match="not valid JSON"):
        registry.get_model_info("gpt-4o")
    monkeypatch.setenv(registry.COST_MAP_ENV, str(tmp_path / "missing.json"))
    registry._reset()
    with pytest.raises(BadRequestError, match="cannot read"):
        registry.get_model_info("gpt-4o")


def test_register_model_dict_merges() -> None:
    before = registry.get_model_info("gpt-4o")
    changed = registry.register_model({
        "gpt-4o": {"input_cost_per_token": 1.0},
        "brand-new-model": {"litellm_provider": "groq", "mode": "chat", "max_output_tokens": 77,
                            "supports_function_calling": True},
    })
    assert sorted(changed) == ["brand-new-model", "gpt-4o"]
    after = registry.get_model_info("gpt-4o")
    assert after["input_cost_per_token"] == 1.0
    assert after["output_cost_per_token"] == before["output_cost_per_token"]  # merged, not replaced
    assert registry.get_max_tokens("brand-new-model") == 77
    assert registry.supports_function_calling("brand-new-model")
    assert registry.lookup("brand-new-model", "groq") is not None
    assert registry.lookup("gpt-4o", "openai").input_cost_per_token == 1.0  # type: ignore[union-attr]
    assert "brand-new-model" in registry.get_models_with_feature(ModelFeature.FunctionCalling, "groq")


def test_register_model_from_path_and_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "extra.json"
    path.write_text(json.dumps({"mistral/my-tune": {"litellm_provider": "mistral", "mode": "chat"}}), encoding="utf-8")
    assert registry.register_model(str(path)) == ["mistral/my-tune"]
    assert registry.get_model_info("my-tune", custom_llm_provider="mistral")["key"] == "mistral/my-tune"
    with pytest.raises(BadRequestError):
        registry.register_model("https://example.com/x.json")
    with pytest.raises(BadRequestError):
        registry.register_model({"x": "not a dict"})  # type: ignore[dict-item]
    with pytest.raises(BadRequestError):
        registry.register_model(42)  # type: ignore[arg-type]


# -- lookups --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, provider, key",
    [
        ("gpt-4o", None, "gpt-4o"),
        ("openai/gpt-4o", None, "gpt-4o"),
        ("gpt-4o", "openai", "gpt-4o"),
        ("GPT-4o", None, "gpt-4o"),
        ("gpt-4o", "azure", "azure/gpt-4o"),
        ("azure/gpt-4o", None, "azure/gpt-4o"),
        ("gemini/gemini-2.5-flash", None, "gemini/gemini-2.5-flash"),
        ("gemini-2.5-flash", "gemini", "gemini/gemini-2.5-flash"),
        ("gemini-2.5-flash", "vertex_ai", "gemini-2.5-flash"),
        ("vertex_ai/gemini-2.5-flash", None, "gemini-2.5-flash"),
        ("claude-sonnet-4-5", None, "claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4-5", None, "claude-sonnet-4-5"),
        ("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0", None, "us.anthropic.claude-sonnet-4-20250514-v1:0"),
        ("bedrock/converse/anthropic.claude-3-5-sonnet-20241022-v2:0", None, "anthropic.claude-3-5-sonnet-20241022-v2:0"),
        ("us.amazon.nova-micro-v1:0", "bedrock", "us.amazon.nova-micro-v1:0"),
        ("deepseek-chat", None, "deepseek-chat"),
        ("deepseek/deepseek-chat", None, "deepseek/deepseek-chat"),
        ("command-r-08-2024", "cohere_chat", "command-r-08-2024"),
        ("cohere/command-r-08-2024", None, "command-r-08-2024"),
        ("ollama_chat/llama3:latest", None, "ollama/llama3"),
        ("mistral/mistral-embed", None, "mistral/mistral-embed"),
        ("groq/openai/gpt-oss-20b", None, "groq/openai/gpt-oss-20b"),
        ("text-embedding-3-small", "openai", "text-embedding-3-small"),
    ],
)
def test_lookup_forms(model: str, provider: Any, key: str) -> None:
    spec = registry.lookup(model, provider)
    assert spec is not None, (model, provider)
    assert spec.name == key
    assert registry.get_model_info(model, custom_llm_provider=provider)["key"] == key


def test_lookup_respects_provider() -> None:
    assert registry.lookup("gpt-4o", "anthropic") is None
    assert registry.lookup("claude-sonnet-4-5", "openai") is None
    assert registry.lookup("hosted_vllm/my-model", None) is None
    assert registry.lookup("", None) is None
    assert registry.lookup(None, None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name, provider",
    [
        ("gpt-4o", "openai"),
        ("babbage-002", "openai"),  # text-completion-openai
        ("deepseek-chat", "deepseek"),
        ("claude-sonnet-4-5", "anthropic"),
        ("claude-3-5-sonnet-20241022", "anthropic"),  # retired snapshot: by name prefix
        ("gemini-2.5-flash", "vertex_ai"),  # vertex_ai-language-models
        ("anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock"),
        ("us.amazon.nova-micro-v1:0", "bedrock"),  # bedrock_converse
        ("command-r-08-2024", "cohere_chat"),
        ("gemini/gemini-2.5-flash", "gemini"),
        ("not-a-model-at-all", None),
        ("", None),
    ],
)
def test_provider_for_bare_model(name: str, provider: Any) -> None:
    assert registry.provider_for_bare_model(name) == provider


def test_model_spec_fields(raw: Dict[str, Dict[str, Any]]) -> None:
    spec = registry.lookup("gemini/gemini-2.5-pro", None)
    assert spec is not None
    entry = raw["gemini/gemini-2.5-pro"]
    assert spec.provider == "gemini" and spec.mode == "chat"
    assert spec.max_input_tokens == entry["max_input_tokens"]
    assert spec.max_tokens == entry["max_output_tokens"]
    assert spec.input_cost_per_token == entry["input_cost_per_token"]
    assert spec.input_cost_per_token_above_200k_tokens == entry["input_cost_per_token_above_200k_tokens"]
    assert spec.output_cost_per_token_above_200k_tokens == entry["output_cost_per_token_above_200k_tokens"]
    assert spec.supports_reasoning is entry.get("supports_reasoning")
    assert spec.deprecation_date == entry.get("deprecation_date")
    assert dict(spec.raw) == entry
    with pytest.raises(TypeError):
        spec.raw["input_cost_per_token"] = 0  # type: ignore[index]


def test_get_model_info_shape(raw: Dict[str, Dict[str, Any]]) -> None:
    info = registry.get_model_info("claude-sonnet-4-5")
    assert info["key"] == "claude-sonnet-4-5"
    assert info["litellm_provider"] == "anthropic"
    assert info["max_tokens"] == raw["claude-sonnet-4-5"]["max_output_tokens"]
    assert info["cache_read_input_token_cost"] == raw["claude-sonnet-4-5"]["cache_read_input_token_cost"]
    assert "supports_audio_output" in info  # standard fields present even when the row omits them
    info["input_cost_per_token"] = 0  # a copy: mutating it changes nothing
    assert registry.get_model_info("claude-sonnet-4-5")["input_cost_per_token"] > 0


def test_model_cost_view(raw: Dict[str, Dict[str, Any]]) -> None:
    from litellm_lite import _model_store as store

    assert "not loaded" in repr(registry.model_cost)
    assert "gpt-4o" in registry.model_cost and "GPT-4O" not in registry.model_cost
    assert store.is_loaded() is False  # membership reads the index only
    assert len(registry.model_cost) == len(raw)
    assert store.is_loaded() is True
    assert registry.model_cost["gpt-4o"]["input_cost_per_token"] == raw["gpt-4o"]["input_cost_per_token"]
    with pytest.raises(TypeError):
        registry.model_cost["gpt-4o"]["input_cost_per_token"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        registry.model_cost["new"] = {}  # type: ignore[index]
    with pytest.raises(KeyError):
        registry.model_cost["no-such-model"]


# -- unknown models -------------------------------------------------------------------------------


def test_unknown_model_error_suggests_close_matches() -> None:
    with pytest.raises(NotFoundError) as info:
        registry.get_model_info("gpt-4oo")
    err = info.value
    assert isinstance(err, registry.ModelNotFoundError)
    assert err.status_code == 404
    assert "gpt-4o" in err.suggestions
    assert "Did you mean" in str(err) and "gpt-4o" in str(err)
    with pytest.raises(NotFoundError) as info2:
        registry.get_model_info("gemini-2.5-flsh", custom_llm_provider="gemini")
    assert "gemini/gemini-2.5-flash" in info2.value.suggestions  # type: ignore[attr-defined]
    assert all(s.startswith("gemini/") or registry.lookup(s, "gemini") for s in info2.value.suggestions)  # type: ignore[attr-defined]


def test_unknown_model_helpers() -> None:
    assert registry.lookup("zzz-unknown", None) is None
    assert registry.lookup("zzz-unknown", "openai") is None
    with pytest.raises(NotFoundError):
        registry.get_max_tokens("zzz-unknown")
    for fn in (registry.supports_function_calling, registry.supports_vision, registry.supports_reasoning,
               registry.supports_response_schema, registry.supports_prompt_caching, registry.supports_pdf_input,
               registry.supports_system_messages, registry.supports_web_search, registry.supports_tool_choice,
               registry.supports_parallel_function_calling):
        assert fn("zzz-unknown") is False
        assert fn("") is False
        assert fn(None) is False  # type: ignore[arg-type]
    with pytest.raises(BadRequestError):
        registry.get_model_info("")


# -- features -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, flag",
    [
        (registry.supports_function_calling, "supports_function_calling"),
        (registry.supports_parallel_function_calling, "supports_parallel_function_calling"),
        (registry.supports_tool_choice, "supports_tool_choice"),
        (registry.supports_vision, "supports_vision"),
        (registry.supports_reasoning, "supports_reasoning"),
        (registry.supports_response_schema, "supports_response_schema"),
        (registry.supports_prompt_caching, "supports_prompt_caching"),
        (registry.supports_pdf_input, "supports_pdf_input"),
        (registry.supports_system_messages, "supports_system_messages"),
        (registry.supports_web_search, "supports_web_search"),
    ],
)
def test_supports_functions_follow_the_json(raw: Dict[str, Dict[str, Any]], fn: Any, flag: str) -> None:
    for model in ("gpt-4o", "claude-sonnet-4-5", "gemini/gemini-2.5-flash", "deepseek-reasoner", "text-embedding-3-small"):
        assert fn(model) is (raw[model].get(flag) is True), (model, flag)
    true_model = next(k for k, v in raw.items() if v.get(flag) is True)
    assert fn(true_model) is True


def test_known_capabilities() -> None:
    assert registry.supports_vision("gpt-4o")
    assert registry.supports_reasoning("claude-sonnet-4-5")
    assert registry.supports_prompt_caching("anthropic/claude-sonnet-4-5")
    assert not registry.supports_function_calling("deepseek-reasoner")
    assert registry.supports_function_calling("deepseek-chat")


def test_get_models_with_feature(raw: Dict[str, Dict[str, Any]]) -> None:
    reasoning = registry.get_models_with_feature(ModelFeature.ReasoningMode, provider="anthropic")
    expected = sorted(k for k, v in raw.items() if v["litellm_provider"] == "anthropic" and v.get("supports_reasoning") is True)
    assert reasoning == expected and reasoning
    embeddings = registry.get_models_with_feature("Embeddings", provider="mistral")
    assert embeddings and all(raw[k]["mode"] == "embedding" for k in embeddings)
    streaming = registry.get_models_with_feature(ModelFeature.StreamingSupport, "openai")
    assert "gpt-4o" in streaming and "text-embedding-3-small" not in streaming
    vision_all = registry.get_models_with_feature("supports_vision")
    assert "gpt-4o" in vision_all and "claude-sonnet-4-5" in vision_all
    assert registry.get_models_with_feature(ModelFeature.JsonSchema, "bedrock")  # bedrock + bedrock_converse
    with pytest.raises(BadRequestError):
        registry.get_models_with_feature("teleportation")


def test_feature_enum_names() -> None:
    names = {m.name for m in ModelFeature}
    assert {"ReasoningMode", "FunctionCalling", "ParallelFunctionCalling", "ToolChoice", "StreamingSupport",
            "SystemMessages", "Vision", "JsonSchema", "PromptCaching", "PdfInput", "WebSearch", "AudioInput",
            "AudioOutput", "Embeddings"} <= names
    spec = registry.lookup("gpt-4o", None)
    assert spec is not None and spec.supports(ModelFeature.Vision) and spec.supports("vision")
