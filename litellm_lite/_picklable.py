"""Objects that hold a lock and still pickle (a Router, Client, cache or budget sent to a process)."""

from __future__ import annotations

import _thread  # threading.Lock is _thread's: importing threading would cost start-up time

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict

__all__ = ["PicklesWithoutLock"]


class PicklesWithoutLock:
    """Mixin: pickled without its ``_lock`` (a fresh one is made on load). Dicts and lists are
    copied under the lock, so a pickle taken while other threads write is consistent."""

    _lock: Any

    def __getstate__(self) -> Dict[str, Any]:
        with self._lock:
            return {name: value.copy() if isinstance(value, (dict, list)) else value
                    for name, value in self.__dict__.items() if name != "_lock"}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = _thread.allocate_lock()
