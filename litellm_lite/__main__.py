"""``python -m litellm_lite``: see :mod:`litellm_lite.cli`."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
