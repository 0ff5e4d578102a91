#!/usr/bin/env python3
"""Refresh ``litellm_lite/model_prices_and_context_window.json`` from a LiteLLM-format price file.

Usage::

    python tools/update_prices.py path/to/model_prices_and_context_window.json [-o OUTPUT]
    python tools/update_prices.py path/to/model_prices_and_context_window.json --add-mode rerank
    python tools/update_prices.py --index-only

The input is any file in LiteLLM's schema (one object per model key, each with
``litellm_provider`` and ``mode``), for instance the ``model_prices_and_context_window_backup.json``
shipped inside the ``litellm`` wheel on PyPI. Only the data is used.

What the script keeps:

- entries whose ``litellm_provider`` is one of :data:`PROVIDERS` (the providers litellm_lite talks
  to) and whose ``mode`` is one of :data:`MODES`; a mode listed in :data:`MODE_PROVIDERS` is kept
  only for the providers that serve that endpoint (rerank rows of Cohere, Azure AI, Jina, Together,
  Voyage and Bedrock, not Vertex AI's or NVIDIA's);
- alias entries (``{"alias_of": "target"}``) whose target is kept: they are written out in full
  (a copy of the target plus ``"alias_of"``), so every entry carries ``litellm_provider`` and ``mode``.

What it drops: ``sample_spec``, entries without a provider/mode, and the purely documentary keys
in :data:`DROPPED_KEYS` (source URLs and comments), which keeps the bundled file small.

The output is sorted by key, one model per line, with compact separators, and the index beside it
(``model_prices_index.txt``: each key's provider and byte range, so that pricing one model does not
parse the whole file) is rewritten to match. ``--index-only`` rewrites just the index of the bundled
file (after editing it by hand). ``--add-mode MODE`` (repeatable) leaves the bundled file's
entries as they are and adds only the source's entries of that mode whose keys it lacks, so a new
kind of row arrives without moving any existing price. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

PROVIDERS = frozenset(
    {
        "openai",
        "text-completion-openai",
        "azure",
        "anthropic",
        "gemini",
        "vertex_ai",
        "vertex_ai-language-models",
        "vertex_ai-anthropic_models",
        "vertex_ai-embedding-models",
        "bedrock",
        "bedrock_converse",
        "cohere",
        "cohere_chat",
        "ollama",
        "deepseek",
        "groq",
        "mistral",
        "together_ai",
        "fireworks_ai",
        "fireworks_ai-embedding-models",
        "openrouter",
        "perplexity",
        "xai",
        "cerebras",
        "deepinfra",
        "nvidia_nim",
        "moonshot",
        "dashscope",
        "sambanova",
        "lm_studio",
        "hosted_vllm",
        "azure_ai",
        "jina_ai",
        "voyage",
    }
)

MODES = frozenset(
    {
        "chat",
        "embedding",
        "completion",
        "image_generation",
        "audio_transcription",
        "audio_speech",
        "moderation",
        "rerank",
    }
)

# The ``litellm_provider`` values of the rerank rows litellm_lite can call (its rows declaring the
# rerank endpoint); other vendors' rerank rows (vertex_ai, nvidia_nim, fireworks_ai) price nothing here.
RERANK_PROVIDERS = frozenset({"cohere", "azure_ai", "jina_ai", "together_ai", "voyage", "bedrock"})

# Modes kept only for some providers.
MODE_PROVIDERS = {"rerank": RERANK_PROVIDERS}

# Documentation-only keys: never read by litellm_lite, and a large share of the file's bytes.
DROPPED_KEYS = frozenset({"source", "deprecation_source", "metadata", "comment"})

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "litellm_lite" / "model_prices_and_context_window.json"
INDEX_NAME = "model_prices_index.txt"


def write_index(json_path: Path) -> Path:
    """Rewrite the index beside ``json_path`` from its bytes; returns the index path."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from litellm_lite._price_index import build_index

    index_path = json_path.with_name(INDEX_NAME)
    index_path.write_text(build_index(json_path.read_bytes()), encoding="utf-8")
    return index_path


def _keep(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    provider, mode = entry.get("litellm_provider"), entry.get("mode")
    if provider not in PROVIDERS or mode not in MODES:
        return False
    only = MODE_PROVIDERS.get(mode)
    return only is None or provider in only


def _clean(entry: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in DROPPED_KEYS}


def trim(source: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Return the entries of ``source`` that litellm_lite bundles (see the module docstring)."""
    out: Dict[str, Dict[str, Any]] = {}
    for key, entry in source.items():
        if key == "sample_spec":
            continue
        if _keep(entry):
            out[key] = _clean(entry)
    for key, entry in source.items():
        if key in out or not isinstance(entry, dict) or "alias_of" not in entry:
            continue
        target_key = entry.get("alias_of")
        target = _resolve_alias(source, target_key)
        if target is not None and _keep(target):
            merged = _clean(target)
            merged.update({k: v for k, v in _clean(entry).items() if k != "alias_of"})
            merged["alias_of"] = target_key
            out[key] = merged
    return out


def _resolve_alias(source: Dict[str, Any], key: Any, depth: int = 0) -> Optional[Dict[str, Any]]:
    if not isinstance(key, str) or depth > 5:
        return None
    entry = source.get(key)
    if not isinstance(entry, dict):
        return None
    if "litellm_provider" not in entry and "alias_of" in entry:
        return _resolve_alias(source, entry["alias_of"], depth + 1)
    return entry


def add_modes(
    existing: Dict[str, Dict[str, Any]], trimmed: Dict[str, Dict[str, Any]], modes: List[str]
) -> Dict[str, Dict[str, Any]]:
    """``existing`` plus the ``trimmed`` entries of ``modes`` whose keys it lacks (nothing else changes)."""
    merged = dict(existing)
    for key, entry in trimmed.items():
        if key not in merged and entry.get("mode") in modes:
            merged[key] = entry
    return merged


def dumps(entries: Dict[str, Dict[str, Any]]) -> str:
    """Sorted JSON text, one model per line."""
    lines: List[str] = []
    for key in sorted(entries):
        body = json.dumps(entries[key], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        lines.append("%s:%s" % (json.dumps(key, ensure_ascii=False), body))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _read_map(path: Path) -> Optional[Dict[str, Any]]:
    """A price file's top-level object, or None (the reason printed to stderr)."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        print("cannot read %s: %s" % (path, exc), file=sys.stderr)
        return None
    if not isinstance(data, dict):
        print("%s: expected a JSON object of model entries" % path, file=sys.stderr)
        return None
    return data


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("source", type=Path, nargs="?", help="a LiteLLM-format model_prices_and_context_window.json")
    parser.add_argument("--index-only", action="store_true", help="only rewrite the index of OUTPUT")
    parser.add_argument(
        "--add-mode",
        action="append",
        choices=sorted(MODES),
        metavar="MODE",
        help="keep OUTPUT's entries unchanged and add only the source's entries of MODE that it lacks "
        "(repeatable; one of %s)" % ", ".join(sorted(MODES)),
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="where to write (default: %(default)s)"
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.index_only:
        print("wrote %s" % write_index(args.output))
        return 0
    if args.source is None:
        parser.error("a source file is needed (or --index-only)")
    source = _read_map(args.source)
    if source is None:
        return 1
    entries = trim(source)
    if args.add_mode:
        existing = _read_map(args.output)
        if existing is None:
            return 1
        before = len(existing)
        entries = add_modes(existing, entries, args.add_mode)
        print("added %d %s entries" % (len(entries) - before, "/".join(sorted(set(args.add_mode)))))
    text = dumps(entries)
    json.loads(text)  # the output must round-trip
    args.output.write_text(text, encoding="utf-8")
    write_index(args.output)
    providers = sorted({e["litellm_provider"] for e in entries.values()})
    print(
        "wrote %d entries (%d bytes) for %d providers to %s"
        % (len(entries), len(text.encode("utf-8")), len(providers), args.output)
    )
    missing = sorted(PROVIDERS - set(providers))
    if missing:
        print("providers with no entries in the source: %s" % ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
