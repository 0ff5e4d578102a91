"""Model registry: context windows, prices and capabilities, in LiteLLM's schema and names.

The data is ``model_prices_and_context_window.json``, bundled inside the package (refreshed with
``tools/update_prices.py`` from a LiteLLM-format file). :mod:`._model_store` reads it lazily and
only as far as needed: importing this module opens no file, resolving or pricing a model reads the
shipped index and that model's entry, and only what needs every entry parses the whole file (once,
under a lock). It works from a zip file or when the package is vendored under another name.

``LITELLM_LITE_MODEL_COST_MAP=/path/to/map.json`` (a local path, never a URL) adds entries to the
bundled map or overrides fields of existing ones, key by key; it is read at that first load.
:func:`register_model` does the same at run time.

Keys are the ones LiteLLM uses: bare names for some providers (``gpt-4o``,
``claude-sonnet-4-5``, ``deepseek-chat``, Bedrock ids such as ``anthropic.claude-...``), and
``provider/model`` for others (``gemini/gemini-2.5-flash``, ``mistral/mistral-large-latest``).
:func:`lookup` and :func:`get_model_info` accept either form, with or without a provider.
"""

from __future__ import annotations

import enum
import os
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time
import types
from dataclasses import dataclass, field

from ._log import logger
from . import _model_store as _store
from .exceptions import BadRequestError, LiteLLMError, NotFoundError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

    _ViewBase = Mapping[str, Mapping[str, Any]]
else:
    from collections.abc import Mapping  # isinstance checks; subscripted at run time only from Python 3.9

    _ViewBase = Mapping

__all__ = [
    "whole_number",
    "price_family",
    "ModelSpec",
    "ModelFeature",
    "ModelNotFoundError",
    "model_cost",
    "get_model_info",
    "get_max_tokens",
    "register_model",
    "get_models_with_feature",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_tool_choice",
    "supports_vision",
    "supports_reasoning",
    "supports_response_schema",
    "supports_prompt_caching",
    "supports_pdf_input",
    "supports_system_messages",
    "supports_web_search",
    "supports_audio_input",
    "supports_audio_output",
    "provider_for_bare_model",
    "lookup",
    "normalize_provider",
    "COST_MAP_ENV",
]


COST_MAP_ENV = _store.COST_MAP_ENV

# -- state (filled on first use) -------------------------------------------------------------

_lock = _thread.RLock()
_spec_cache: Dict[str, "ModelSpec"] = {}
# (model, provider) -> registry key or None: lookups happen on every call (cost, default max_tokens).
_lookup_cache: Dict[Tuple[str, Optional[str]], Optional[str]] = {}


# -- provider names ----------------------------------------------------------------------------

_PROVIDER_RENAMES = {
    "text-completion-openai": "openai",
    "bedrock_converse": "bedrock",
    "fireworks_ai-embedding-models": "fireworks_ai",
}


def normalize_provider(litellm_provider: Optional[str]) -> Optional[str]:
    """Map a ``litellm_provider`` value of the price file to litellm_lite's provider name.

    ``text-completion-openai`` -> ``openai``, ``vertex_ai-*`` -> ``vertex_ai``,
    ``bedrock_converse`` -> ``bedrock``; other names are returned unchanged.
    """
    if not litellm_provider:
        return None
    if litellm_provider.startswith("vertex_ai"):
        return "vertex_ai"
    return _PROVIDER_RENAMES.get(litellm_provider, litellm_provider)


def price_family(provider: Optional[str]) -> Optional[str]:
    """The price family of a provider: its row's ``price_family`` (cohere_chat -> cohere), else itself."""
    name = normalize_provider(provider)
    if name is None:
        return None
    from .providers import PROVIDERS

    spec = PROVIDERS.get(name)
    return spec.family if spec is not None else name


def _key_prefixes(provider: str) -> Tuple[str, ...]:
    """Key prefixes a provider's rows are stored under: its name, then its row's ``registry_prefixes``."""
    from .providers import PROVIDERS

    spec = PROVIDERS.get(normalize_provider(provider) or provider)
    return (provider,) + (spec.registry_prefixes if spec is not None else ())
_BEDROCK_ROUTES = ("converse/", "invoke/", "converse_like/")
_BEDROCK_GEO_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.", "us-gov.")


# -- data classes ------------------------------------------------------------------------------


class ModelFeature(enum.Enum):
    """Capabilities a model may have (see :func:`get_models_with_feature`)."""

    ReasoningMode = "supports_reasoning"
    FunctionCalling = "supports_function_calling"
    ParallelFunctionCalling = "supports_parallel_function_calling"
    ToolChoice = "supports_tool_choice"
    StreamingSupport = "streaming"
    SystemMessages = "supports_system_messages"
    Vision = "supports_vision"
    JsonSchema = "supports_response_schema"
    PromptCaching = "supports_prompt_caching"
    PdfInput = "supports_pdf_input"
    WebSearch = "supports_web_search"
    AudioInput = "supports_audio_input"
    AudioOutput = "supports_audio_output"
    Embeddings = "embeddings"


def _num(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def whole_number(value: Any) -> Optional[int]:
    """An int, or a float with no fraction, as an int; None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _flag(value: Any) -> Optional[bool]:
    return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class ModelSpec:
    """One row of the price map, typed. ``raw`` holds the whole entry (read-only)."""

    name: str
    provider: Optional[str]
    litellm_provider: Optional[str] = None
    mode: Optional[str] = None
    max_input_tokens: Optional[int] = None
    max_output_tokens: Optional[int] = None
    max_tokens: Optional[int] = None
    input_cost_per_token: Optional[float] = None
    output_cost_per_token: Optional[float] = None
    cache_read_input_token_cost: Optional[float] = None
    cache_creation_input_token_cost: Optional[float] = None
    output_cost_per_reasoning_token: Optional[float] = None
    input_cost_per_token_above_200k_tokens: Optional[float] = None
    output_cost_per_token_above_200k_tokens: Optional[float] = None
    cache_read_input_token_cost_above_200k_tokens: Optional[float] = None
    cache_creation_input_token_cost_above_200k_tokens: Optional[float] = None
    supports_function_calling: Optional[bool] = None
    supports_parallel_function_calling: Optional[bool] = None
    supports_tool_choice: Optional[bool] = None
    supports_vision: Optional[bool] = None
    supports_reasoning: Optional[bool] = None
    supports_response_schema: Optional[bool] = None
    supports_prompt_caching: Optional[bool] = None
    supports_pdf_input: Optional[bool] = None
    supports_system_messages: Optional[bool] = None
    supports_web_search: Optional[bool] = None
    supports_audio_input: Optional[bool] = None
    supports_audio_output: Optional[bool] = None
    supports_native_streaming: Optional[bool] = None
    deprecation_date: Optional[str] = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_entry(cls, name: str, entry: Mapping[str, Any]) -> "ModelSpec":
        lp = entry.get("litellm_provider")
        lp = lp if isinstance(lp, str) else None
        mode = entry.get("mode")
        max_output = whole_number(entry.get("max_output_tokens"))
        max_tokens = whole_number(entry.get("max_tokens"))
        dep = entry.get("deprecation_date")
        return cls(
            name=name,
            provider=normalize_provider(lp),
            litellm_provider=lp,
            mode=mode if isinstance(mode, str) else None,
            max_input_tokens=whole_number(entry.get("max_input_tokens")),
            max_output_tokens=max_output,
            max_tokens=max_tokens if max_tokens is not None else max_output,
            input_cost_per_token=_num(entry.get("input_cost_per_token")),
            output_cost_per_token=_num(entry.get("output_cost_per_token")),
            cache_read_input_token_cost=_num(entry.get("cache_read_input_token_cost")),
            cache_creation_input_token_cost=_num(entry.get("cache_creation_input_token_cost")),
            output_cost_per_reasoning_token=_num(entry.get("output_cost_per_reasoning_token")),
            input_cost_per_token_above_200k_tokens=_num(entry.get("input_cost_per_token_above_200k_tokens")),
            output_cost_per_token_above_200k_tokens=_num(entry.get("output_cost_per_token_above_200k_tokens")),
            cache_read_input_token_cost_above_200k_tokens=_num(
                entry.get("cache_read_input_token_cost_above_200k_tokens")
            ),
            cache_creation_input_token_cost_above_200k_tokens=_num(
                entry.get("cache_creation_input_token_cost_above_200k_tokens")
            ),
            supports_function_calling=_flag(entry.get("supports_function_calling")),
            supports_parallel_function_calling=_flag(entry.get("supports_parallel_function_calling")),
            supports_tool_choice=_flag(entry.get("supports_tool_choice")),
            supports_vision=_flag(entry.get("supports_vision")),
            supports_reasoning=_flag(entry.get("supports_reasoning")),
            supports_response_schema=_flag(entry.get("supports_response_schema")),
            supports_prompt_caching=_flag(entry.get("supports_prompt_caching")),
            supports_pdf_input=_flag(entry.get("supports_pdf_input")),
            supports_system_messages=_flag(entry.get("supports_system_messages")),
            supports_web_search=_flag(entry.get("supports_web_search")),
            supports_audio_input=_flag(entry.get("supports_audio_input")),
            supports_audio_output=_flag(entry.get("supports_audio_output")),
            supports_native_streaming=_flag(entry.get("supports_native_streaming")),
            deprecation_date=dep if isinstance(dep, str) else None,
            raw=types.MappingProxyType(dict(entry)),
        )

    @property
    def has_token_prices(self) -> bool:
        """True when the row prices tokens (some rows price images, seconds or characters only)."""
        return self.input_cost_per_token is not None or self.output_cost_per_token is not None

    def supports(self, feature: Union["ModelFeature", str]) -> bool:
        """Whether the row declares ``feature`` (a :class:`ModelFeature` or its name/value)."""
        feat = _as_feature(feature)
        if feat is ModelFeature.Embeddings:
            return self.mode == "embedding"
        if feat is ModelFeature.StreamingSupport:
            return self.mode in ("chat", "completion") and self.supports_native_streaming is not False
        return self.raw.get(feat.value) is True


class ModelNotFoundError(NotFoundError):
    """The model is not in the registry. ``suggestions`` lists close matches."""

    def __init__(
        self, message: str, llm_provider: str = "", model: str = "", suggestions: Optional[List[str]] = None
    ) -> None:
        super().__init__(message, llm_provider, model)
        self.suggestions: List[str] = list(suggestions or [])


def _as_feature(feature: Union[ModelFeature, str]) -> ModelFeature:
    if isinstance(feature, ModelFeature):
        return feature
    if isinstance(feature, str):
        wanted = feature.strip().lower().replace("-", "_")
        for member in ModelFeature:
            if wanted in (member.name.lower(), member.value, member.value.replace("supports_", "")):
                return member
    names = ", ".join(m.name for m in ModelFeature)
    raise BadRequestError("unknown model feature %r; use one of %s" % (feature, names))


# -- loading (see _model_store: the bundled map, the user's map, register_model) -----------------


def _reset() -> None:
    """Forget the loaded map (the next use reloads it, re-reading the environment). For tests."""
    with _lock:
        _store.reset()
        _spec_cache.clear()
        _lookup_cache.clear()


def register_model(model_cost: "Union[Mapping[str, Mapping[str, Any]], str, os.PathLike[str]]") -> List[str]:
    """Add models or override fields of known ones (LiteLLM's ``register_model``).

    Accepts a mapping ``{"model-key": {"litellm_provider": ..., "input_cost_per_token": ...}}``
    or the path of a JSON file holding one. Fields are merged into an existing entry of the same
    key. Returns the keys that were added or updated.
    """
    if isinstance(model_cost, (str, os.PathLike)):
        extra = _store.read_path(model_cost, "register_model")
    elif isinstance(model_cost, Mapping):
        extra = _store.valid_entries(dict(model_cost), "register_model")
    else:
        raise BadRequestError("register_model expects a dict of model entries or a JSON file path")
    with _lock:
        changed = _store.register(extra)
        for key in changed:
            _spec_cache.pop(key, None)
        _lookup_cache.clear()
    return changed


# -- the read-only view ------------------------------------------------------------------------


class _ModelCostView(_ViewBase):
    """``model_cost``: read-only mapping of model key -> entry; loads the map on first access."""

    def __getitem__(self, key: str) -> Mapping[str, Any]:
        if not isinstance(key, str) or _store.find_key(key) != key:
            raise KeyError(key)
        return types.MappingProxyType(_store.entry(key))

    def __iter__(self) -> Iterator[str]:
        return iter(list(_store.load_all()))

    def __len__(self) -> int:
        return len(_store.load_all())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _store.find_key(key) == key

    def __repr__(self) -> str:
        if not _store.is_loaded():
            return "<model_cost (not loaded yet)>"
        return "<model_cost: %d models>" % len(_store.load_all())


model_cost: Mapping[str, Mapping[str, Any]] = _ModelCostView()


# -- lookup ------------------------------------------------------------------------------------


def _find_key(key: str) -> Optional[str]:
    return _store.find_key(key)


def _candidates(model: str, provider: str) -> List[str]:
    prefixes = _key_prefixes(provider)
    name = model
    for prefix in prefixes:
        if name.startswith(prefix + "/"):
            name = name[len(prefix) + 1 :]
            break
    names = [name]
    fam = price_family(provider)
    if fam == "bedrock":
        for route in _BEDROCK_ROUTES:
            if name.startswith(route):
                name = name[len(route) :]
                names.append(name)
                break
        for geo in _BEDROCK_GEO_PREFIXES:
            if name.startswith(geo):
                names.append(name[len(geo) :])
                break
    elif fam == "ollama" and name.endswith(":latest"):
        names.append(name[: -len(":latest")])
    keys: List[str] = []
    for candidate in names:
        for prefix in prefixes:
            keys.append("%s/%s" % (prefix, candidate))
        keys.append(candidate)
    if model not in keys:
        keys.append(model)
    return keys


def _lookup_key(model: str, provider: Optional[str]) -> Optional[str]:
    model = model.strip()
    if not model:
        return None
    if provider:
        fam = price_family(provider)
        for candidate in _candidates(model, provider):
            key = _find_key(candidate)
            if key is not None and price_family(_store.provider_of(key)) == fam:
                return key
        return None
    key = _find_key(model)
    if key is not None:
        return key
    if "/" in model:
        prefix, rest = model.split("/", 1)
        return _lookup_key(rest, prefix) if rest else None
    return None


def _spec_for(key: str) -> ModelSpec:
    spec = _spec_cache.get(key)
    if spec is None:
        spec = ModelSpec.from_entry(key, _store.entry(key))
        _spec_cache[key] = spec
    return spec


def lookup(model: str, provider: Optional[str]) -> Optional[ModelSpec]:
    """The registry row for ``model`` served by ``provider`` (our provider name), or None.

    ``model`` may be bare (``gpt-4o``) or ``provider/model``. Never raises.
    """
    try:
        if not isinstance(model, str):
            return None
        cache_key = (model, provider or None)
        if cache_key in _lookup_cache:
            key = _lookup_cache[cache_key]
        else:
            key = _lookup_key(model, provider or None)
            if len(_lookup_cache) > 4096:
                _lookup_cache.clear()
            _lookup_cache[cache_key] = key
        return _spec_for(key) if key is not None else None
    except Exception as exc:  # never raise: callers use this on every request
        logger.warning("litellm_lite: model registry lookup failed for %r: %s", model, exc)
        return None


def provider_for_bare_model(name: str) -> Optional[str]:
    """The provider (litellm_lite's name) of a registry key, e.g. ``gpt-4o`` -> ``openai``.

    Returns None for names that are not registry keys. Never raises.
    """
    try:
        if not isinstance(name, str) or not name.strip():
            return None
        key = _find_key(name.strip())
        if key is None:
            return _provider_by_prefix(name.strip().lower())
        return normalize_provider(_store.provider_of(key))
    except Exception as exc:
        logger.warning("litellm_lite: model registry lookup failed for %r: %s", name, exc)
        return None


def _provider_by_prefix(name: str) -> Optional[str]:
    """Provider of a bare name absent from the map (e.g. a retired dated snapshot).

    Drops trailing ``-`` segments one at a time (``claude-3-5-sonnet-20241022`` ->
    ``claude-3-5-sonnet`` -> ``claude-3-5`` -> ``claude``) until some bare keys start with that
    prefix; answers with their provider when at least 80% of them agree, else None.
    """
    if "/" in name:
        return None
    parts = name.split("-")
    while parts:
        prefix = "-".join(parts)
        counts: Dict[str, int] = {}
        for key in _store.all_keys():
            lowered = key.lower()
            if "/" not in lowered and (lowered == prefix or lowered.startswith(prefix + "-")):
                provider = normalize_provider(_store.provider_of(key))
                if provider:
                    counts[provider] = counts.get(provider, 0) + 1
        if counts:
            best = max(counts, key=lambda p: counts[p])
            return best if counts[best] * 5 >= sum(counts.values()) * 4 else None
        parts.pop()
    return None


def _suggest(model: str, provider: Optional[str]) -> List[str]:
    keys = _store.all_keys()
    if provider:
        fam = price_family(provider)
        same = [k for k in keys if price_family(_store.provider_of(k)) == fam]
        keys = same or keys
    import difflib  # only an unknown model's error message needs it

    wanted = model.lower()
    lowered = {k.lower(): k for k in keys}
    found = difflib.get_close_matches(wanted, list(lowered), n=5, cutoff=0.6)
    if not found and "/" in wanted:
        found = difflib.get_close_matches(wanted.split("/", 1)[1], list(lowered), n=5, cutoff=0.6)
    return [lowered[k] for k in found]


_STANDARD_FIELDS = (
    "max_tokens",
    "max_input_tokens",
    "max_output_tokens",
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
    "litellm_provider",
    "mode",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_tool_choice",
    "supports_vision",
    "supports_reasoning",
    "supports_response_schema",
    "supports_prompt_caching",
    "supports_pdf_input",
    "supports_system_messages",
    "supports_web_search",
    "supports_audio_input",
    "supports_audio_output",
    "supports_native_streaming",
    "deprecation_date",
)


def get_model_spec(model: str, custom_llm_provider: Optional[str] = None) -> ModelSpec:
    """Like :func:`get_model_info` but returns the typed :class:`ModelSpec`."""
    if not isinstance(model, str) or not model.strip():
        raise BadRequestError("model must be a non-empty string", custom_llm_provider or "", str(model))
    key = _lookup_key(model, custom_llm_provider or None)
    if key is None:
        suggestions = _suggest(model.strip(), custom_llm_provider)
        hint = (" Did you mean: %s?" % ", ".join(suggestions)) if suggestions else ""
        where = (" (provider %s)" % custom_llm_provider) if custom_llm_provider else ""
        raise ModelNotFoundError(
            "This model isn't mapped yet: %r%s. Add it with litellm_lite.register_model({...}) or a JSON file "
            "named by %s.%s" % (model, where, COST_MAP_ENV, hint),
            custom_llm_provider or "",
            model,
            suggestions=suggestions,
        )
    return _spec_for(key)


def get_model_info(model: str, custom_llm_provider: Optional[str] = None) -> Dict[str, Any]:
    """The registry entry of ``model`` as a dict (LiteLLM's ``get_model_info``).

    The dict holds every field of the entry plus ``key`` (the registry key that matched) and the
    standard fields (``None`` when the entry does not state them). ``max_tokens`` defaults to
    ``max_output_tokens``. Raises :class:`ModelNotFoundError` (a ``NotFoundError``), whose
    message and ``suggestions`` name close matches, for unknown models.
    """
    spec = get_model_spec(model, custom_llm_provider)
    info: Dict[str, Any] = {name: None for name in _STANDARD_FIELDS}
    info.update(spec.raw)
    info["key"] = spec.name
    info["max_tokens"] = spec.max_tokens
    return info


def get_max_tokens(model: str, custom_llm_provider: Optional[str] = None) -> Optional[int]:
    """The model's output-token limit (``max_output_tokens``, else ``max_tokens``).

    Raises :class:`ModelNotFoundError` for unknown models, as LiteLLM does.
    """
    return get_model_spec(model, custom_llm_provider).max_tokens


# -- capabilities ------------------------------------------------------------------------------


def _supports(model: str, custom_llm_provider: Optional[str], feature: ModelFeature) -> bool:
    spec = lookup(model, custom_llm_provider)
    try:
        return spec is not None and spec.supports(feature)
    except LiteLLMError:
        return False


def supports_function_calling(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the registry says the model accepts ``tools``; False for unknown models."""
    return _supports(model, custom_llm_provider, ModelFeature.FunctionCalling)


def supports_parallel_function_calling(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model may return several tool calls in one answer."""
    return _supports(model, custom_llm_provider, ModelFeature.ParallelFunctionCalling)


def supports_tool_choice(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts ``tool_choice``."""
    return _supports(model, custom_llm_provider, ModelFeature.ToolChoice)


def supports_vision(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts images in messages."""
    return _supports(model, custom_llm_provider, ModelFeature.Vision)


def supports_reasoning(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model reasons (``reasoning_effort`` / ``thinking``)."""
    return _supports(model, custom_llm_provider, ModelFeature.ReasoningMode)


def supports_response_schema(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts a JSON schema in ``response_format``."""
    return _supports(model, custom_llm_provider, ModelFeature.JsonSchema)


def supports_prompt_caching(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the provider caches the model's prompts (cached tokens are cheaper)."""
    return _supports(model, custom_llm_provider, ModelFeature.PromptCaching)


def supports_pdf_input(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts PDF files in messages."""
    return _supports(model, custom_llm_provider, ModelFeature.PdfInput)


def supports_system_messages(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts system messages."""
    return _supports(model, custom_llm_provider, ModelFeature.SystemMessages)


def supports_web_search(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model can search the web."""
    return _supports(model, custom_llm_provider, ModelFeature.WebSearch)


def supports_audio_input(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model accepts audio in messages."""
    return _supports(model, custom_llm_provider, ModelFeature.AudioInput)


def supports_audio_output(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """True when the model can answer with audio."""
    return _supports(model, custom_llm_provider, ModelFeature.AudioOutput)


def get_models_with_feature(feature: Union[ModelFeature, str], provider: Optional[str] = None) -> List[str]:
    """Sorted registry keys of the models that have ``feature`` (optionally of one provider)."""
    feat = _as_feature(feature)
    entries = _store.load_all()
    fam = price_family(provider) if provider else None
    out: List[str] = []
    for key in list(entries):
        entry = entries[key]
        if fam is not None and price_family(entry.get("litellm_provider")) != fam:
            continue
        if _spec_for(key).supports(feat):
            out.append(key)
    return sorted(out)
