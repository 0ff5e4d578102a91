"""Extra ``python -m litellm_lite`` sub-commands: ``models``, ``cost`` and ``providers``.

All three work offline: ``models`` and ``cost`` read the bundled model registry, ``providers``
reads the provider table and the environment (it says whether a key variable is set, never its
value). :mod:`litellm_lite.cli` imports this module and calls every function in
``cli._EXTRA_COMMANDS`` with argparse's sub-parsers object.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, TextIO, Tuple

from . import cli

__all__ = ["add_models_command", "add_cost_command", "add_providers_command", "format_table"]

# Short feature names shown by ``models`` (and accepted by ``models --feature``), in display order.
_FEATURES: Tuple[Tuple[str, str], ...] = (
    ("tools", "supports_function_calling"),
    ("vision", "supports_vision"),
    ("reasoning", "supports_reasoning"),
    ("json_schema", "supports_response_schema"),
    ("caching", "supports_prompt_caching"),
    ("pdf", "supports_pdf_input"),
    ("web_search", "supports_web_search"),
    ("audio_in", "supports_audio_input"),
    ("audio_out", "supports_audio_output"),
)



def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain-text table: columns padded to their widest cell, ``right`` column indexes right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            parts.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def _per_million(value: Optional[float]) -> str:
    if value is None:
        return "-"
    scaled = value * 1_000_000
    text = ("%.4f" % scaled).rstrip("0").rstrip(".")
    return text if text else "0"


def _count(value: Optional[int]) -> str:
    return "-" if value is None else "{:,}".format(value)


def _feature_key(name: str) -> str:
    """The registry flag for a feature name as typed on the command line."""
    from .exceptions import BadRequestError

    wanted = name.strip().lower().replace("-", "_")
    for short, key in _FEATURES:
        if wanted in (short, key, key.replace("supports_", "")):
            return key
    if wanted in ("embedding", "embeddings"):
        return "embeddings"
    if wanted in ("function_calling", "functions"):
        return "supports_function_calling"
    choices = ", ".join([short for short, _ in _FEATURES] + ["embeddings"])
    raise BadRequestError("unknown feature %r; use one of: %s" % (name, choices))


def _features_of(spec: Any) -> str:
    names = [short for short, key in _FEATURES if spec.raw.get(key) is True]
    if spec.mode and spec.mode != "chat":
        names.insert(0, spec.mode)
    return ",".join(names) or "-"


# -- models ------------------------------------------------------------------------------------


def _select_models(provider: Optional[str], feature: Optional[str], search: Optional[str]) -> List[Any]:
    from .registry import ModelSpec, model_cost, price_family

    want_family = price_family(provider.strip().lower()) if provider else None
    feature_key = _feature_key(feature) if feature else None
    words = search.lower().split() if search else []
    selected = []
    for key in sorted(model_cost):
        lowered = key.lower()
        if words and not all(word in lowered for word in words):
            continue
        spec = ModelSpec.from_entry(key, model_cost[key])
        if want_family is not None and price_family(spec.provider) != want_family:
            continue
        if feature_key == "embeddings":
            if spec.mode != "embedding":
                continue
        elif feature_key is not None and spec.raw.get(feature_key) is not True:
            continue
        selected.append(spec)
    return selected


def _run_models(args: Any, out: TextIO, err: TextIO) -> int:
    specs = _select_models(args.provider, args.feature, args.search)
    if not specs:
        err.write("litellm-lite: no model matches these filters\n")
        return 1
    shown = specs[: args.limit] if args.limit else specs
    if args.json:
        rows_json = [
            {
                "model": s.name,
                "provider": s.provider,
                "mode": s.mode,
                "max_input_tokens": s.max_input_tokens,
                "max_output_tokens": s.max_output_tokens,
                "input_cost_per_million": None if s.input_cost_per_token is None else s.input_cost_per_token * 1e6,
                "output_cost_per_million": None if s.output_cost_per_token is None else s.output_cost_per_token * 1e6,
                "features": [short for short, key in _FEATURES if s.raw.get(key) is True],
            }
            for s in shown
        ]
        out.write(json.dumps(rows_json, indent=2) + "\n")
        return 0
    rows = [
        [
            s.name,
            s.provider or "-",
            _count(s.max_input_tokens),
            _per_million(s.input_cost_per_token),
            _per_million(s.output_cost_per_token),
            _features_of(s),
        ]
        for s in shown
    ]
    out.write(format_table(["model", "provider", "context", "$/1M in", "$/1M out", "features"], rows, right=(2, 3, 4)))
    if len(shown) < len(specs):
        err.write("(%d of %d models shown; raise --limit to see more)\n" % (len(shown), len(specs)))
    return 0


def add_models_command(sub: Any) -> None:
    parser = sub.add_parser(
        "models",
        help="list models from the bundled registry (offline)",
        description="Models with context window, prices per million tokens and features, from the bundled registry.",
    )
    parser.add_argument("--provider", help="only this provider (e.g. anthropic, gemini, deepseek)")
    parser.add_argument(
        "--feature",
        help="only models with this feature: %s, embeddings" % ", ".join(short for short, _ in _FEATURES),
    )
    parser.add_argument("--search", help="only models whose name contains every word of TEXT", metavar="TEXT")
    parser.add_argument("--limit", type=int, default=0, help="show at most N rows (default: all)", metavar="N")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.set_defaults(run=_run_models)


# -- cost --------------------------------------------------------------------------------------


def _usd(value: float) -> str:
    return "$%.6f" % value


def _run_cost(args: Any, out: TextIO, err: TextIO) -> int:
    from .cost import cost_per_token
    from .exceptions import BadRequestError
    from .registry import get_model_spec

    for name in ("input", "output", "cached", "cache_write", "reasoning"):
        if getattr(args, name) < 0:
            raise BadRequestError("--%s must not be negative" % name.replace("_", "-"))
    if args.cached + args.cache_write > args.input:
        raise BadRequestError("--cached and --cache-write are part of --input: they cannot exceed it")
    if args.reasoning > args.output:
        raise BadRequestError("--reasoning is part of --output: it cannot exceed it")
    spec = get_model_spec(args.model)
    prompt_cost, completion_cost = cost_per_token(
        args.model,
        prompt_tokens=args.input,
        completion_tokens=args.output,
        cache_read_input_tokens=args.cached,
        cache_creation_input_tokens=args.cache_write,
        reasoning_tokens=args.reasoning,
    )
    if args.json:
        result = {
            "model": spec.name,
            "provider": spec.provider,
            "prompt_tokens": args.input,
            "completion_tokens": args.output,
            "cache_read_input_tokens": args.cached,
            "cache_creation_input_tokens": args.cache_write,
            "reasoning_tokens": args.reasoning,
            "prompt_cost": prompt_cost,
            "completion_cost": completion_cost,
            "total_cost": prompt_cost + completion_cost,
        }
        out.write(json.dumps(result, indent=2) + "\n")
        return 0
    if not spec.has_token_prices:
        err.write("litellm-lite: note: %s has no per-token prices in the registry\n" % spec.name)
    out.write("model:       %s (%s)\n" % (spec.name, spec.provider or "-"))
    tokens = "input:       %s tokens" % _count(args.input)
    if args.cached or args.cache_write:
        tokens += " (%s cache reads, %s cache writes)" % (_count(args.cached), _count(args.cache_write))
    out.write(tokens + "  %s\n" % _usd(prompt_cost))
    tokens = "output:      %s tokens" % _count(args.output)
    if args.reasoning:
        tokens += " (%s reasoning)" % _count(args.reasoning)
    out.write(tokens + "  %s\n" % _usd(completion_cost))
    out.write("total:       %s\n" % _usd(prompt_cost + completion_cost))
    return 0


def add_cost_command(sub: Any) -> None:
    parser = sub.add_parser(
        "cost",
        help="price a call from token counts (offline)",
        description="Cost in USD of a call with these token counts, from the bundled registry's prices.",
    )
    parser.add_argument("-m", "--model", required=True, help="model name, e.g. claude-sonnet-4-5 or gemini/gemini-2.5-flash")
    parser.add_argument("--input", type=int, required=True, metavar="N", help="prompt tokens (including cached ones)")
    parser.add_argument("--output", type=int, required=True, metavar="N", help="completion tokens (including reasoning)")
    parser.add_argument("--cached", type=int, default=0, metavar="N", help="prompt tokens read from the cache")
    parser.add_argument("--cache-write", type=int, default=0, metavar="N", help="prompt tokens written to the cache")
    parser.add_argument("--reasoning", type=int, default=0, metavar="N", help="completion tokens spent reasoning")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=_run_cost)


# -- providers ---------------------------------------------------------------------------------


def _key_status(spec: Any, environ: Mapping[str, str]) -> str:
    """Which credential variable is set (its name, never its value), or why none is needed."""
    names = tuple(spec.api_key_env) + tuple(spec.credential_env)
    for name in names:
        if environ.get(name):
            return "yes (%s)" % name
    if not spec.key_required and not spec.credential_env:
        return "not needed"
    if spec.auth == "aws":
        return "no (AWS credentials / profile)"
    if spec.auth == "google":
        return "no (gcloud ADC / service account)"
    return "no"


def provider_rows(environ: Optional[Mapping[str, str]] = None) -> List[Dict[str, str]]:
    """One dict per provider: name, prefix, adapter, key_env, base_env, key_set."""
    from .providers import PROVIDERS

    env: Mapping[str, str] = os.environ if environ is None else environ
    rows = []
    for name in sorted(PROVIDERS):
        spec = PROVIDERS[name]
        key_env = list(spec.api_key_env) + list(spec.credential_env)
        rows.append(
            {
                "provider": name,
                "prefix": name + "/",
                "adapter": spec.adapter,
                "key_env": " ".join(key_env) or "-",
                "base_env": " ".join(spec.api_base_env) or "-",
                "key_set": _key_status(spec, env),
            }
        )
    return rows


def _run_providers(args: Any, out: TextIO, err: TextIO) -> int:
    rows = provider_rows()
    if args.json:
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    table = [[r["prefix"], r["adapter"], r["key_env"], r["base_env"], r["key_set"]] for r in rows]
    out.write(format_table(["prefix", "wire format", "key variable(s)", "base URL variable(s)", "key set"], table))
    return 0


def add_providers_command(sub: Any) -> None:
    parser = sub.add_parser(
        "providers",
        help="list providers, their variables and whether a key is set here",
        description="Each provider's model prefix, key and base-URL variables, and whether a key is set "
        "in this environment (the key itself is never printed).",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.set_defaults(run=_run_providers)


_COMMANDS: Tuple[Callable[[Any], None], ...] = (add_models_command, add_cost_command, add_providers_command)
for _command in _COMMANDS:
    if _command not in cli._EXTRA_COMMANDS:
        cli._EXTRA_COMMANDS.append(_command)
