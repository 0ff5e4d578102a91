"""LiteLLM's ``litellm.utils`` path: every public name of the package, loaded on first use.

``from litellm_lite.utils import supports_prompt_caching, get_model_info, token_counter`` works as
``from litellm.utils import ...`` does; the names are the package's own (one object, two paths).
"""

from __future__ import annotations

import importlib
from typing import Any, List

_PACKAGE = __name__.rpartition(".")[0]


def __getattr__(name: str) -> Any:
    package = importlib.import_module(_PACKAGE)
    if name.startswith("_") or name not in package.__all__:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    return getattr(package, name)


def __dir__() -> List[str]:
    return sorted(importlib.import_module(_PACKAGE).__all__)
