"""Whole-call deadlines (``call_timeout``): one watchdog thread that cuts connections at their deadline.

A socket timeout bounds each read; it cannot bound a server that sends one byte a second, nor a
stream that never ends. :func:`watch` registers a connection with an absolute deadline
(``time.monotonic()`` clock); when the deadline passes before :meth:`Watch.cancel`, the watchdog
shuts the connection's socket down, so that the read blocked on it returns at once, and marks
the watch ``fired``. The transport then reports a :class:`~litellm_lite.exceptions.Timeout`.

The thread starts on the first deadline, sleeps until the earliest one, and exits after a minute
without work. Cancelled entries are dropped lazily (and compacted when they are the majority).
"""

from __future__ import annotations

import heapq
import os
import socket
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, List, Optional, Tuple

__all__ = ["Watch", "watch", "remaining"]

_IDLE_EXIT = 60.0


class Watch:
    """One registered deadline; ``fired`` is True once the watchdog cut the connection."""

    __slots__ = ("when", "conn", "fired", "cancelled")

    def __init__(self, when: float, conn: Any) -> None:
        self.when = when
        self.conn = conn
        self.fired = False
        self.cancelled = False

    def cancel(self) -> None:
        """The exchange ended (or its connection went back to the pool): never cut it."""
        with _cond:
            if not self.cancelled:
                self.cancelled = True
                self.conn = None
                _state["cancelled"] += 1


_cond = threading.Condition(threading.Lock())
_heap: List[Tuple[float, int, Watch]] = []
_state = {"seq": 0, "cancelled": 0, "pid": 0}
_thread: List[Optional[threading.Thread]] = [None]


def remaining(deadline: Optional[float]) -> Optional[float]:
    """Seconds left until ``deadline`` (None: no deadline); may be zero or negative."""
    return None if deadline is None else deadline - time.monotonic()


def _cut(conn: Any) -> None:
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    try:  # the plain-socket shutdown: also wakes a TLS read without touching the SSL object
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError, TypeError):
        pass


def _compact() -> None:
    live = [entry for entry in _heap if not entry[2].cancelled]
    heapq.heapify(live)
    _heap[:] = live
    _state["cancelled"] = 0


def _run() -> None:
    while True:
        due: List[Watch] = []
        with _cond:
            while _heap and _heap[0][2].cancelled:
                heapq.heappop(_heap)
                _state["cancelled"] = max(0, _state["cancelled"] - 1)
            if not _heap:
                _cond.wait(_IDLE_EXIT)
                if not _heap:
                    _thread[0] = None
                    return
                continue
            now = time.monotonic()
            while _heap and _heap[0][0] <= now:
                entry = heapq.heappop(_heap)[2]
                if entry.cancelled:
                    _state["cancelled"] = max(0, _state["cancelled"] - 1)
                    continue
                entry.fired = True
                due.append(entry)
            if not due and _heap:
                _cond.wait(_heap[0][0] - now)
        for entry in due:
            _cut(entry.conn)


def watch(deadline: float, conn: Any) -> Watch:
    """Cut ``conn`` (an http.client connection) at ``deadline`` unless cancelled before."""
    entry = Watch(deadline, conn)
    with _cond:
        if _state["pid"] != os.getpid():  # forked: the parent's thread and entries are not ours
            _heap[:] = []
            _state["cancelled"] = 0
            _state["pid"] = os.getpid()
            _thread[0] = None
        _state["seq"] += 1
        heapq.heappush(_heap, (deadline, _state["seq"], entry))
        if _state["cancelled"] > 64 and _state["cancelled"] * 2 > len(_heap):
            _compact()
        if _thread[0] is None:
            thread = threading.Thread(target=_run, name="litellm_lite-deadline", daemon=True)
            _thread[0] = thread
            thread.start()
        elif _heap[0][2] is entry:
            _cond.notify()
    return entry
