"""What the OAuth-style credential resolvers share: a form POST to a token endpoint through the
package transport, and a per-key cache of the tokens it returns (Google service accounts and
gcloud files, IBM Cloud IAM)."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

from .base import WireRequest

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, Hashable, Mapping, Optional, Tuple

__all__ = ["post_form", "TokenCache"]


def post_form(
    url: str,
    form: Mapping[str, str],
    *,
    timeout: float,
    ssl_verify: Any,
    provider: str,
    deadline: Optional[float] = None,
) -> Tuple[int, bytes]:
    """POST ``form`` (URL-encoded) and return (status, body) for any HTTP status. ``deadline``: the
    call's ``call_timeout`` instant (``time.monotonic()``), which bounds the exchange like the call."""
    from .._http import send  # imported on first use: keeps urllib out of import time

    headers = {"content-type": "application/x-www-form-urlencoded", "accept": "application/json"}
    wire = WireRequest(url=url, headers=headers, body=urlencode(form).encode("ascii"))
    response = send(wire, timeout=timeout, ssl_verify=ssl_verify, provider=provider, model="", deadline=deadline)
    try:
        return int(response.status), response.read()
    finally:
        response.close()


class TokenCache:
    """Tokens by key, handed out until ``refresh_margin`` seconds before they expire. Callers that
    ask for the same key at once share one exchange (a lock per key); other keys do not wait."""

    def __init__(self, refresh_margin: float = 300.0) -> None:
        self.refresh_margin = refresh_margin
        self._lock = threading.Lock()
        self._entries: Dict[Hashable, Tuple[str, float]] = {}  # key -> (token, expiry on ``clock``)
        self._key_locks: Dict[Hashable, threading.Lock] = {}

    def get(
        self, key: Hashable, fetch: Callable[[], Tuple[str, float]], clock: Callable[[], float] = time.monotonic
    ) -> str:
        """The cached token for ``key``, or ``fetch()`` -> (token, lifetime seconds), kept."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._entries.get(key)
            if hit is not None and clock() < hit[1] - self.refresh_margin:
                return hit[0]
            token, lifetime = fetch()
            with self._lock:
                self._entries[key] = (token, clock() + lifetime)
            return token

    def clear(self) -> None:
        """Forget every token."""
        with self._lock:
            self._entries.clear()
            self._key_locks.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
