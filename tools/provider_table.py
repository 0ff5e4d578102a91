#!/usr/bin/env python3
"""Print README.rst's provider table from ``litellm_lite.providers.PROVIDERS`` (reST simple table).

Columns: model prefix, key variable(s), base-URL variable(s), and what litellm_lite translates for
the provider's wire format: chat, stream, tools (absent when the row marks ``tools`` unsupported),
reasoning, vision, embeddings (the adapter implements ``prepare_embedding``). Whether a given
*model* can use tools or images is in the model registry (``python -m litellm_lite models``).

``tests/test_readme.py`` checks that README.rst holds exactly this table; after adding a provider
row, run ``python tools/provider_table.py`` and paste its output into README.rst.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litellm_lite.cli_commands import provider_rows  # noqa: E402
from litellm_lite.providers import PROVIDERS, get_adapter  # noqa: E402
from litellm_lite.providers.base import Adapter  # noqa: E402


def table() -> str:
    headers = ["prefix", "key variable(s)", "base URL variable(s)", "chat", "stream", "tools", "reasoning", "vision",
               "embeddings"]
    rows: List[List[str]] = []
    for info in provider_rows(environ={}):
        spec = PROVIDERS[info["provider"]]
        adapter = get_adapter(spec.adapter)
        embeddings = type(adapter).prepare_embedding is not Adapter.prepare_embedding
        rows.append([
            info["prefix"],
            " ".join(info["key_env"].split()) if info["key_env"] != "-" else "(none)",
            " ".join(info["base_env"].split()) if info["base_env"] != "-" else "(none)",
            "yes",
            "yes",
            "-" if "tools" in spec.unsupported_params else "yes",
            "yes",
            "yes",
            "yes" if embeddings else "-",
        ])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), rule]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(rule)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table())
