"""Cache storage: the backend interface, an in-memory LRU with TTL, and a directory of JSON files.

A backend stores JSON-ready values (dicts of plain data) under string keys::

    class MyBackend:                      # any object with these three methods
        def get(self, key): ...           # the stored value, or None (missing or expired)
        def set(self, key, value, ttl=None): ...   # ttl in seconds, None = no expiry
        def delete(self, key): ...

``clear()`` is optional. Backends must be safe to call from several threads. A backend whose
``keeps_objects`` attribute is true (:class:`InMemoryCache`) is given response objects as they are
and must hand back independent copies; the others get plain JSON data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional, Tuple

from typing import Protocol, runtime_checkable

from ._picklable import PicklesWithoutLock
from .exceptions import BadRequestError
from ._records import detach

__all__ = ["CacheBackend", "InMemoryCache", "DiskCache"]

logger = logging.getLogger("litellm_lite")
Clock = Callable[[], float]


@runtime_checkable
class CacheBackend(Protocol):
    """What ``Cache(type="custom", backend=...)`` needs: get / set with a TTL / delete."""

    def get(self, key: str) -> Optional[Any]:
        """The value stored under ``key``, or None when missing or expired."""

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        """Store ``value`` (JSON-ready data) under ``key`` for ``ttl`` seconds (None: no expiry)."""

    def delete(self, key: str) -> None:
        """Forget ``key`` (no error when it is missing)."""


def _check_ttl(ttl: Optional[float]) -> Optional[float]:
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl >= 0:
        raise BadRequestError("ttl must be a number of seconds, got %r" % (ttl,))
    return float(ttl)


class InMemoryCache(PicklesWithoutLock):
    """Thread-safe LRU of at most ``max_size`` entries; each entry may expire after its TTL.

    Values are plain data or response objects; ``set`` keeps a private copy and ``get`` returns a
    fresh one (:func:`~litellm_lite._records.detach`: no JSON round trip), so a caller mutating a
    value it stored or got never alters the cache. ``clock`` (seconds, default ``time.time``) can
    be replaced in tests. Pickles with its entries.
    """

    #: Cache stores response objects here as they are (no to_dict()): copying them is cheaper.
    keeps_objects = True

    def __init__(self, max_size: int = 1000, default_ttl: Optional[float] = None, clock: Optional[Clock] = None) -> None:
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise BadRequestError("max_size must be a positive integer, got %r" % (max_size,))
        self.max_size = max_size
        self.default_ttl = _check_ttl(default_ttl)
        self._clock: Clock = clock or time.time
        self._data: "OrderedDict[str, Tuple[Optional[float], Any]]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Optional[Any]:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            expires_at, value = entry
            if expires_at is not None and self._clock() >= expires_at:
                del self._data[key]
                return None
            self._data.move_to_end(key)
        return detach(value)

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        ttl = _check_ttl(ttl) if ttl is not None else self.default_ttl
        kept = detach(value)
        with self._lock:
            expires_at = self._clock() + ttl if ttl is not None else None
            self._data[key] = (expires_at, kept)
            self._data.move_to_end(key)
            while len(self._data) > self.max_size:
                self._data.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_SUFFIX = ".json"
_TMP_PREFIX = ".tmp-"
_TMP_SUFFIX = ".part"
_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
# ASCII output: a lone surrogate in a value is written escaped and read back as it was.
_ENCODER = json.JSONEncoder(separators=(",", ":"))
_STALE_TMP_SECONDS = 3600.0


_UTIME_FD = os.utime in os.supports_fd


def _touch(target: Any) -> None:
    """Set a file's modification time to now, to the nanosecond: eviction goes by it, and the
    kernel's own "now" (os.utime(path)) is only as fine as its clock tick, which ties fast writes."""
    now = time.time_ns()
    os.utime(target, ns=(now, now))


class DiskCache(PicklesWithoutLock):
    """A directory of JSON files (one per key), shared safely by several threads and processes.

    * Writes go to a temporary file in the same directory, then ``os.replace`` it over the entry:
      a reader sees the old entry or the new one, never a partial file.
    * A file that cannot be read as an entry (corrupt, truncated by a crash, foreign) is a miss; it
      is deleted and replaced by the next write.
    * Bounded: at most ``max_entries`` files and, when given, ``max_bytes`` in total. When a write
      takes the directory over a bound, the least recently used entries are deleted (a hit refreshes
      a file's modification time). The directory is scanned every ``max_entries // 20 + 1`` writes of
      this process, so it may briefly exceed a bound by that many entries.
    * Expired entries are deleted when read (until then they count toward the bounds); temporary
      files abandoned by a crashed writer are deleted by the scans once an hour old.
    * Pickles as the same directory and bounds (another process shares its entries).
    """

    def __init__(
        self,
        disk_cache_dir: Optional[str] = None,
        max_entries: int = 10000,
        max_bytes: Optional[int] = None,
        default_ttl: Optional[float] = None,
        clock: Optional[Clock] = None,
        fsync: bool = False,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise BadRequestError("max_entries must be a positive integer, got %r" % (max_entries,))
        if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1):
            raise BadRequestError("max_bytes must be a positive integer, got %r" % (max_bytes,))
        self.directory = os.path.abspath(disk_cache_dir or os.path.join(os.getcwd(), ".litellm_cache"))
        os.makedirs(self.directory, exist_ok=True)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.default_ttl = _check_ttl(default_ttl)
        self.fsync = fsync
        self._clock: Clock = clock or time.time
        self._writes = 0
        self._lock = threading.Lock()

    def _path(self, key: str) -> str:
        name = key if _HEX_KEY.fullmatch(key) else hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.directory, name + _SUFFIX)

    def _drop(self, path: str) -> None:
        try:
            os.remove(path)
        except OSError:
            pass  # already gone (another process), or not ours to remove

    def _read(self, path: str) -> Optional[Dict[str, Any]]:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            entry = None
        if not isinstance(entry, dict) or "value" not in entry or not isinstance(entry.get("expires_at"), (int, float, type(None))):
            logger.warning("litellm_lite: ignoring a corrupt disk cache entry %s", os.path.basename(path))
            self._drop(path)
            return None
        return entry

    def get(self, key: str) -> Optional[Any]:
        path = self._path(key)
        entry = self._read(path)
        if entry is None:
            return None
        expires_at = entry.get("expires_at")
        if expires_at is not None and self._clock() >= expires_at:
            self._drop(path)
            return None
        try:
            _touch(path)
        except OSError:
            pass
        return entry["value"]

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        ttl = _check_ttl(ttl)
        if ttl is None:
            ttl = self.default_ttl
        expires_at = self._clock() + ttl if ttl is not None else None
        data = _ENCODER.encode({"expires_at": expires_at, "value": value}).encode("ascii")
        # A fresh name for the temporary file (O_EXCL: never one another writer has open).
        tmp = os.path.join(self.directory, "%s%s%s" % (_TMP_PREFIX, os.urandom(8).hex(), _TMP_SUFFIX))
        fd = -1
        created = False
        try:
            fd = os.open(tmp, _TMP_FLAGS, 0o600)
            created = True
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if self.fsync:
                os.fsync(fd)
            if _UTIME_FD:
                _touch(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, self._path(key))
            if not _UTIME_FD:
                _touch(self._path(key))
        except OSError as exc:
            if fd >= 0:
                os.close(fd)
            if created:  # never a file of the same name that another writer made
                self._drop(tmp)
            logger.warning("litellm_lite: could not write a disk cache entry: %s", exc)
            return
        with self._lock:
            self._writes += 1
            due = self._writes % (self.max_entries // 20 + 1) == 0
        if due:
            self.prune()

    def delete(self, key: str) -> None:
        self._drop(self._path(key))

    def _entries(self) -> List[Tuple[float, int, str]]:
        entries: List[Tuple[float, int, str]] = []
        now = time.time()
        with os.scandir(self.directory) as scan:
            for item in scan:
                try:
                    stat = item.stat()
                except OSError:
                    continue
                if item.name.startswith(_TMP_PREFIX):
                    if now - stat.st_mtime > _STALE_TMP_SECONDS:
                        self._drop(item.path)
                    continue
                if item.name.endswith(_SUFFIX):
                    entries.append((stat.st_mtime, stat.st_size, item.path))
        return entries

    def prune(self) -> None:
        """Delete expired entries, then the least recently used ones until within the bounds."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        excess = len(entries) - self.max_entries
        for _, size, path in entries:
            over_bytes = self.max_bytes is not None and total > self.max_bytes
            if excess <= 0 and not over_bytes:
                break
            self._drop(path)
            excess -= 1
            total -= size

    def clear(self) -> None:
        for _, _, path in self._entries():
            self._drop(path)

    def __len__(self) -> int:
        return len(self._entries())
