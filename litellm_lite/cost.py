"""Cost of a call, from token counts and the prices in the model registry (LiteLLM's names).

Pricing rules (:func:`cost_per_token`):

- ``prompt_tokens`` includes cached tokens. Uncached input = prompt - cache reads - cache writes,
  priced at ``input_cost_per_token``; cache reads at ``cache_read_input_token_cost`` (input price
  when the row has none); cache writes at ``cache_creation_input_token_cost`` (input price when
  the row has none).
- ``reasoning_tokens`` are part of ``completion_tokens``; they are priced at
  ``output_cost_per_reasoning_token`` when the row has it, else at the output price.
- Long-context tiers: when ``prompt_tokens`` exceeds a row's ``*_above_<N>k_tokens`` threshold
  (e.g. ``input_cost_per_token_above_200k_tokens``), the whole call uses that tier's prices (the
  highest threshold exceeded wins; prices the tier does not state fall back to the base ones).
  Rows with a ``tiered_pricing`` list are priced by the range holding ``prompt_tokens``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._log import logger
from ._lazyre import LazyPattern
from .exceptions import BadRequestError
from .registry import ModelSpec, get_model_spec, lookup
from .types import Usage

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "cost_per_token",
    "completion_cost",
    "response_cost",
    "endpoint_cost",
    "rerank_cost",
    "image_cost",
    "transcription_cost",
    "speech_cost",
    "custom_token_cost",
    "Prices",
    "prices_for",
]


_PRICE_KINDS = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
)
_TIER_KEY = LazyPattern(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
    r"cache_creation_input_token_cost|output_cost_per_reasoning_token)_above_(\d+)k_tokens$"
)


def _price(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class Prices:
    """The per-token prices that apply to one call."""

    __slots__ = ("input", "output", "cache_read", "cache_creation", "reasoning", "tier")

    def __init__(self, raw: Mapping[str, Any], tier: Optional[str] = None) -> None:
        self.input = _price(raw.get("input_cost_per_token")) or 0.0
        self.output = _price(raw.get("output_cost_per_token")) or 0.0
        cache_read = _price(raw.get("cache_read_input_token_cost"))
        cache_creation = _price(raw.get("cache_creation_input_token_cost"))
        reasoning = _price(raw.get("output_cost_per_reasoning_token"))
        self.cache_read = self.input if cache_read is None else cache_read
        self.cache_creation = self.input if cache_creation is None else cache_creation
        self.reasoning = self.output if reasoning is None else reasoning
        self.tier = tier

    def __repr__(self) -> str:
        return "Prices(input=%r, output=%r, cache_read=%r, cache_creation=%r, reasoning=%r, tier=%r)" % (
            self.input,
            self.output,
            self.cache_read,
            self.cache_creation,
            self.reasoning,
            self.tier,
        )


# id(spec) -> (spec, base prices, tiers, untiered Prices): a row's price keys are parsed once.
_parsed_rows: Dict[int, Tuple[ModelSpec, Dict[str, Any], Dict[int, Dict[str, Any]], "Prices"]] = {}


def _parsed(spec: ModelSpec) -> Tuple[Dict[str, Any], Dict[int, Dict[str, Any]], "Prices"]:
    cached = _parsed_rows.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1], cached[2], cached[3]
    raw = spec.raw
    base: Dict[str, Any] = {kind: raw.get(kind) for kind in _PRICE_KINDS}
    tiers: Dict[int, Dict[str, Any]] = {}
    for key, value in raw.items():
        match = _TIER_KEY.match(key) if "_above_" in key else None  # most rows have no tiers
        if match and _price(value) is not None:
            tiers.setdefault(int(match.group(2)) * 1000, {})[match.group(1)] = value
    plain = Prices(base)
    if len(_parsed_rows) > 4096:
        _parsed_rows.clear()
    _parsed_rows[id(spec)] = (spec, base, tiers, plain)
    return base, tiers, plain


def prices_for(spec: ModelSpec, prompt_tokens: int) -> Prices:
    """The prices of ``spec`` for a call with ``prompt_tokens`` input tokens (tiers applied)."""
    raw = spec.raw
    base, tiers, plain = _parsed(spec)
    if not tiers and "tiered_pricing" not in raw:
        return plain
    exceeded = [threshold for threshold in tiers if prompt_tokens > threshold]
    if exceeded:
        threshold = max(exceeded)
        merged = dict(base)
        merged.update(tiers[threshold])
        if "output_cost_per_reasoning_token" not in tiers[threshold] and "output_cost_per_token" in tiers[threshold]:
            # A reasoning price equal to the base output price follows the output tier.
            if _price(base.get("output_cost_per_reasoning_token")) == _price(base.get("output_cost_per_token")):
                merged["output_cost_per_reasoning_token"] = None
        return Prices(merged, tier="above_%dk_tokens" % (threshold // 1000))
    ranges = raw.get("tiered_pricing")
    if isinstance(ranges, list) and ranges:
        chosen = _pick_range(ranges, prompt_tokens)
        if chosen is not None:
            merged = dict(base)
            merged.update({k: v for k, v in chosen.items() if k in _PRICE_KINDS})
            bounds = chosen.get("range")
            return Prices(merged, tier="range_%s" % (bounds,))
    return plain


def _pick_range(ranges: List[Any], prompt_tokens: int) -> Optional[Mapping[str, Any]]:
    last: Optional[Mapping[str, Any]] = None
    for item in ranges:
        if not isinstance(item, Mapping):
            continue
        bounds = item.get("range")
        if not isinstance(bounds, list) or len(bounds) != 2:
            continue
        low, high = _price(bounds[0]), _price(bounds[1])
        if low is None or high is None:
            continue
        if low <= prompt_tokens < high:
            return item
        if prompt_tokens >= high:
            last = item
    return last


def _count(value: Any, name: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BadRequestError("%s must be a non-negative number of tokens, got %r" % (name, value))
    return int(value)


def _costs(
    spec: ModelSpec,
    prompt_tokens: int,
    completion_tokens: int,
    cache_read_input_tokens: int,
    cache_creation_input_tokens: int,
    reasoning_tokens: int,
) -> Tuple[float, float]:
    prices = prices_for(spec, prompt_tokens)
    cache_read = min(cache_read_input_tokens, prompt_tokens)
    cache_creation = min(cache_creation_input_tokens, prompt_tokens - cache_read)
    uncached = prompt_tokens - cache_read - cache_creation
    prompt_cost = uncached * prices.input + cache_read * prices.cache_read + cache_creation * prices.cache_creation
    reasoning = min(reasoning_tokens, completion_tokens)
    completion_cost_ = (completion_tokens - reasoning) * prices.output + reasoning * prices.reasoning
    return prompt_cost, completion_cost_


def cost_per_token(
    model: str,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    cache_read_input_tokens: int = 0,
    cache_creation_input_tokens: int = 0,
    reasoning_tokens: int = 0,
    custom_llm_provider: Optional[str] = None,
) -> Tuple[float, float]:
    """``(prompt_cost, completion_cost)`` in USD for the given token counts.

    See the module docstring for how cached, reasoning and long-context tokens are priced.
    Raises ``NotFoundError`` (``ModelNotFoundError``) for models missing from the registry.
    """
    spec = get_model_spec(model, custom_llm_provider)
    return _costs(
        spec,
        _count(prompt_tokens, "prompt_tokens"),
        _count(completion_tokens, "completion_tokens"),
        _count(cache_read_input_tokens, "cache_read_input_tokens"),
        _count(cache_creation_input_tokens, "cache_creation_input_tokens"),
        _count(reasoning_tokens, "reasoning_tokens"),
    )


# -- reading usage from responses ---------------------------------------------------------------


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    value = getattr(obj, name, _MISSING)
    if value is not _MISSING:
        return value
    if isinstance(obj, Mapping):
        return obj.get(name)
    return None


_MISSING = object()


def _int_or_zero(value: Any) -> int:
    if type(value) is int:  # the common case first (bool is not int here)
        return value if value >= 0 else 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return 0
    return int(value)


def _our_usage_counts(usage: Usage) -> Tuple[int, int, int, int, int]:
    """The same counts read straight off our own Usage dataclass (the per-call path)."""
    details = usage.prompt_tokens_details
    cache_read = _int_or_zero(usage.cache_read_input_tokens) or (
        _int_or_zero(details.cached_tokens) if details is not None else 0
    )
    cache_creation = _int_or_zero(usage.cache_creation_input_tokens) or (
        _int_or_zero(details.cache_creation_tokens) if details is not None else 0
    )
    completion_details = usage.completion_tokens_details
    reasoning = _int_or_zero(completion_details.reasoning_tokens) if completion_details is not None else 0
    return (
        _int_or_zero(usage.prompt_tokens),
        _int_or_zero(usage.completion_tokens),
        cache_read,
        cache_creation,
        reasoning,
    )


def _usage_counts(usage: Any) -> Optional[Tuple[int, int, int, int, int]]:
    """(prompt, completion, cache_read, cache_creation, reasoning) from a Usage object or dict."""
    if usage is None:
        return None
    if type(usage) is Usage:
        return _our_usage_counts(usage)
    prompt = _int_or_zero(_get(usage, "prompt_tokens"))
    completion = _int_or_zero(_get(usage, "completion_tokens"))
    if prompt == 0 and completion == 0:
        # Anthropic-style names, in case a raw usage dict is passed.
        prompt = _int_or_zero(_get(usage, "input_tokens"))
        completion = _int_or_zero(_get(usage, "output_tokens"))
    prompt_details = _get(usage, "prompt_tokens_details")
    completion_details = _get(usage, "completion_tokens_details")
    cache_read = _int_or_zero(_get(usage, "cache_read_input_tokens")) or _int_or_zero(
        _get(prompt_details, "cached_tokens")
    )
    cache_creation = _int_or_zero(_get(usage, "cache_creation_input_tokens")) or _int_or_zero(
        _get(prompt_details, "cache_creation_tokens")
    )
    reasoning = _int_or_zero(_get(completion_details, "reasoning_tokens"))
    return prompt, completion, cache_read, cache_creation, reasoning


def _hidden(response: Any) -> Mapping[str, Any]:
    hidden = getattr(response, "_hidden_params", None)
    if hidden is None and isinstance(response, Mapping):
        hidden = response.get("_hidden_params")
    return hidden if isinstance(hidden, Mapping) else {}


def _resolve_spec(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[ModelSpec]:
    hidden = _hidden(response)
    provider = provider or hidden.get("custom_llm_provider") or None
    names = [model, hidden.get("model"), _get(response, "model")]
    for name in names:
        if isinstance(name, str) and name:
            spec = lookup(name, provider)
            if spec is not None:
                return spec
    return None


def completion_cost(
    completion_response: Any = None,
    model: Optional[str] = None,
    messages: Optional[List[Dict[str, Any]]] = None,
    prompt: str = "",
    completion: str = "",
    custom_llm_provider: Optional[str] = None,
) -> float:
    """Total cost in USD of a call (LiteLLM's ``completion_cost``).

    With ``completion_response`` (a ``ModelResponse``, ``EmbeddingResponse`` or their dict form)
    the usage it reports is priced, for ``model`` if given, else the response's model. Without
    one, tokens are counted from ``messages``/``prompt`` and ``completion`` with
    :func:`litellm_lite.tokens.token_counter`. Raises ``NotFoundError`` for unknown models and
    ``BadRequestError`` when there is nothing to price.
    """
    if completion_response is not None:
        spec = _resolve_spec(completion_response, model, custom_llm_provider)
        if spec is None:
            name = model or _hidden(completion_response).get("model") or _get(completion_response, "model")
            if not isinstance(name, str) or not name:
                raise BadRequestError("completion_cost: the response names no model; pass model=...")
            spec = get_model_spec(name, custom_llm_provider)  # raises NotFoundError with suggestions
        counts = _usage_counts(_get(completion_response, "usage"))
        if counts is None:
            raise BadRequestError(
                "completion_cost: the response carries no usage to price", spec.provider or "", spec.name
            )
        prompt_cost, completion_cost_ = _costs(spec, *counts)
        return prompt_cost + completion_cost_
    if not model:
        raise BadRequestError("completion_cost needs completion_response=... or model=...")
    from .tokens import token_counter

    spec = get_model_spec(model, custom_llm_provider)
    if messages:
        prompt_tokens = token_counter(model=model, messages=messages)
    else:
        prompt_tokens = token_counter(model=model, text=prompt or "")
    completion_tokens = token_counter(model=model, text=completion or "") if completion else 0
    prompt_cost, completion_cost_ = _costs(spec, prompt_tokens, completion_tokens, 0, 0, 0)
    return prompt_cost + completion_cost_


def response_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[float]:
    """Cost of a finished response for ``response._hidden_params["response_cost"]``.

    ``None`` when the model is unknown, the row has no token prices, or the response has no
    usage. Never raises.
    """
    try:
        spec = None
        if model:
            spec = lookup(model, provider)
        if spec is None:
            returned = _get(response, "model")
            if isinstance(returned, str) and returned:
                spec = lookup(returned, provider)
        if spec is None or not spec.has_token_prices:
            return None
        counts = _usage_counts(_get(response, "usage"))
        if counts is None:
            return None
        prompt_cost, completion_cost_ = _costs(spec, *counts)
        return prompt_cost + completion_cost_
    except Exception as exc:  # the cost must never break a call
        logger.debug("litellm_lite: could not compute the response cost for %r: %s", model, exc)
        return None


# ---------------------------------------------------------------------------------------------
# Endpoints beyond chat: images, audio seconds, characters, moderation


def _row(model: str, provider: Optional[str]) -> Optional[Mapping[str, Any]]:
    spec = lookup(model, provider)
    return spec.raw if spec is not None else None


def _row_price(row: Optional[Mapping[str, Any]], key: str) -> Optional[float]:
    if row is None:
        return None
    value = row.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _units(value: Any) -> Optional[int]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), -float("inf")):
        return None
    return int(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def rerank_cost(response: Any, model: str, provider: Optional[str] = None) -> Optional[float]:
    """USD for one rerank call: search units x ``input_cost_per_query`` + tokens x ``input_cost_per_token``.

    A response without billed search units counts as one query when the row prices queries (Cohere
    bills one search unit per query of up to 100 documents). None for a model the registry does
    not know (as for a chat model without a row).
    """
    row = _row(model, provider)
    if row is None:
        return None
    meta = _mapping(getattr(response, "meta", None))
    billed = _mapping(meta.get("billed_units"))
    tokens = _mapping(meta.get("tokens"))
    cost = 0.0
    per_query = _row_price(row, "input_cost_per_query")
    if per_query:
        units = _units(billed.get("search_units"))
        cost += per_query * (units if units is not None else 1)
    per_token = _row_price(row, "input_cost_per_token")
    if per_token:
        count = _units(tokens.get("input_tokens"))
        if count is None:
            count = _units(billed.get("total_tokens"))
        cost += per_token * (count or 0)
    return cost


def _int_in(mapping: Any, key: str) -> int:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _image_token_cost(row: Mapping[str, Any], usage: Any) -> float:
    output_price = _row_price(row, "output_cost_per_image_token")
    if output_price is None:
        output_price = _row_price(row, "output_cost_per_token") or 0.0
    image_in = _int_in(usage.input_tokens_details or {}, "image_tokens")
    text_in = max(0, usage.input_tokens - image_in)
    image_in_price = _row_price(row, "input_cost_per_image_token")
    text_in_price = _row_price(row, "input_cost_per_token") or 0.0
    return float(
        text_in * text_in_price
        + image_in * (text_in_price if image_in_price is None else image_in_price)
        + usage.output_tokens * output_price
    )


def image_cost(
    model: str, provider: Optional[str], size: Optional[str], quality: Optional[str], count: int, usage: Any = None
) -> Optional[float]:
    """Price of ``count`` images: per image, per pixel (rows named ``<quality>/<W>-x-<H>/<model>``),
    or per token (GPT image models, from ``usage``). None when the registry has no price."""
    try:
        size_text = size if isinstance(size, str) and size != "auto" else "1024x1024"
        size_key = size_text.replace("x", "-x-")
        names = ["%s/%s/%s" % (q, size_key, model) for q in ([quality] if quality else []) + ["standard"]]
        names.append("%s/%s" % (size_key, model))
        for name in names:
            row = _row(name, provider)
            if row is None:
                continue
            per_image = _row_price(row, "input_cost_per_image")
            if per_image is not None:
                return per_image * count
            per_pixel = _row_price(row, "input_cost_per_pixel")
            if per_pixel is not None:
                width, _, height = size_text.partition("x")
                return per_pixel * int(width) * int(height) * count
        row = _row(model, provider)
        if row is not None and usage is not None:
            return _image_token_cost(row, usage)
    except (ValueError, TypeError) as exc:
        logger.debug("image cost for %s failed: %s", model, exc)
    return None


def transcription_cost(model: str, provider: Optional[str], result: Any) -> Optional[float]:
    """Price of a transcription: per audio second (``duration``) or per audio/text token (``usage``)."""
    row = _row(model, provider)
    if row is None:
        return None
    seconds = _get(result, "duration")
    usage = _get(result, "usage") or {}
    if seconds is None and usage.get("type") == "duration":
        raw = usage.get("seconds")
        seconds = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
    per_second = _row_price(row, "input_cost_per_second")
    if seconds is not None and per_second is not None:
        return float(seconds) * per_second
    if usage.get("type") == "tokens" or "input_tokens" in usage:
        audio_price = _row_price(row, "input_cost_per_audio_token")
        input_price = audio_price if audio_price is not None else (_row_price(row, "input_cost_per_token") or 0.0)
        output_price = _row_price(row, "output_cost_per_token") or 0.0
        return _int_in(usage, "input_tokens") * input_price + _int_in(usage, "output_tokens") * output_price
    return None


def speech_cost(model: str, provider: Optional[str], characters: int) -> Optional[float]:
    """Price of speaking ``characters`` characters (``input_cost_per_character``), or None."""
    per_char = _row_price(_row(model, provider), "input_cost_per_character")
    return per_char * characters if per_char is not None else None


def custom_token_cost(response: Any, input_cost_per_token: Any, output_cost_per_token: Any) -> Optional[float]:
    """Cost from the caller's own prices (``input_cost_per_token=`` / ``output_cost_per_token=``)."""
    counts = _usage_counts(_get(response, "usage"))
    if counts is None:
        return None
    prompt, completion = counts[0], counts[1]
    try:
        return prompt * float(input_cost_per_token or 0.0) + completion * float(output_cost_per_token or 0.0)
    except (TypeError, ValueError):
        return None


def endpoint_cost(endpoint: str, result: Any, model: str, provider: Optional[str], request: Any) -> Optional[float]:
    """Cost of an image, audio or moderation call (``request`` is the EndpointRequest). Never raises."""
    try:
        params = getattr(request, "params", {}) or {}
        if endpoint == "image_generation":
            return image_cost(
                model, provider, _get(result, "size") or params.get("size"), _get(result, "quality") or params.get("quality"),
                len(_get(result, "data") or []), _get(result, "usage"),
            )
        if endpoint == "transcription":
            return transcription_cost(model, provider, result)
        if endpoint == "speech":
            text = params.get("input")
            return speech_cost(model, provider, len(text)) if isinstance(text, str) else None
        if endpoint == "rerank":
            return rerank_cost(result, model, provider)
        if endpoint == "moderation":
            return 0.0 if _row_price(_row(model, provider), "input_cost_per_token") == 0.0 else None
        if endpoint == "responses":  # Responses usage (input/output tokens, details) priced as chat usage
            usage = _get(result, "usage")
            as_chat = getattr(usage, "to_chat_usage", None)
            view = {"usage": as_chat() if callable(as_chat) else usage, "model": _get(result, "model")}
            return response_cost(view, model, provider)
        return response_cost(result, model, provider)
    except Exception as exc:  # noqa: BLE001 - the cost must never break a call
        logger.debug("litellm_lite: no cost for %s %r: %s", endpoint, model, exc)
        return None
