#!/usr/bin/env python3
"""Print README.rst's provider table from the ProviderSpec rows and their adapters (reST simple table).

Columns: model prefix, key variable(s), base-URL variable(s), then one column per capability that
differs between rows (a column where every row says the same is left out): the endpoints each row
declares (``ProviderSpec.endpoints``) and ``tools`` (absent when the row marks ``tools``
unsupported or its adapter refuses them). ``chat`` in the completions and responses columns: the
row answers ``text_completion()`` / ``responses()`` through its chat endpoint. Whether a given *model* can use tools or images is in
the model registry (``python -m litellm_lite models``).

``tests/api/test_readme.py`` checks that README.rst holds exactly this table, and
``tests/providers/test_provider_table.py`` calls every "yes" cell against a loopback server; after adding a
provider row, run ``python tools/provider_table.py`` and paste its output into README.rst.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litellm_lite.cli_commands import provider_rows  # noqa: E402
from litellm_lite.providers import PROVIDERS, get_adapter  # noqa: E402
from litellm_lite.providers.base import ProviderSpec  # noqa: E402

# (column title, endpoint name or "tools")
CAPABILITIES: Tuple[Tuple[str, str], ...] = (
    ("chat", "chat"),
    ("tools", "tools"),
    ("embeddings", "embedding"),
    ("images", "image_generation"),
    ("transcription", "transcription"),
    ("speech", "speech"),
    ("moderation", "moderation"),
    ("completions", "text_completion"),
    ("rerank", "rerank"),
    ("responses", "responses"),
)


# Endpoints every row answers: natively where it declares them ("yes"), else through its chat
# endpoint ("chat": text_completion() and responses() translate to and from chat completions).
BRIDGED = frozenset({"text_completion", "responses"})


def cell_text(spec: ProviderSpec, name: str) -> str:
    """``yes`` (served by the row), ``chat`` (served through the row's chat endpoint) or ``-``."""
    if capability(spec, name):
        return "yes"
    return "chat" if name in BRIDGED and spec.serves("chat") else "-"


def capability(spec: ProviderSpec, name: str) -> bool:
    """True when the row serves ``name`` (an endpoint name, or "tools")."""
    if name == "tools":
        return (spec.serves("chat") and "tools" not in spec.unsupported_params
                and bool(getattr(get_adapter(spec.adapter), "tools_ok", True)))
    return spec.serves(name)


def columns(providers: Optional[Dict[str, ProviderSpec]] = None) -> List[Tuple[str, str]]:
    """The capability columns that are not constant over the rows."""
    rows = list((providers or PROVIDERS).values())
    return [(title, name) for title, name in CAPABILITIES if len({capability(s, name) for s in rows}) > 1]


def table(providers: Optional[Dict[str, ProviderSpec]] = None) -> str:
    specs = providers or PROVIDERS
    cols = columns(specs)
    headers = ["prefix", "key variable(s)", "base URL variable(s)"] + [title for title, _ in cols]
    rows: List[List[str]] = []
    for info in provider_rows(environ={}):
        if info["provider"] not in specs:
            continue
        spec = specs[info["provider"]]
        rows.append([
            info["prefix"],
            " ".join(info["key_env"].split()) if info["key_env"] != "-" else "(none)",
            " ".join(info["base_env"].split()) if info["base_env"] != "-" else "(none)",
        ] + [cell_text(spec, name) for _, name in cols])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), rule]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(rule)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table())
