"""cache_backends.py: in-memory LRU with TTL, disk cache (atomic, multi-process, bounded, corrupt-safe)."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

from litellm_lite.cache_backends import CacheBackend, DiskCache, InMemoryCache
from litellm_lite.exceptions import BadRequestError

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- in memory ------------------------------------------------------------------------------------


def test_memory_ttl_expiry_with_an_injected_clock() -> None:
    clock = Clock()
    cache = InMemoryCache(clock=clock)
    cache.set("a", {"v": 1}, ttl=10)
    cache.set("b", {"v": 2})  # no ttl: never expires
    clock.now += 9.99
    assert cache.get("a") == {"v": 1}
    clock.now += 0.02
    assert cache.get("a") is None
    assert len(cache) == 1  # the expired entry was dropped on read
    clock.now += 10**9
    assert cache.get("b") == {"v": 2}


def test_memory_default_ttl_applies_when_set_has_none() -> None:
    clock = Clock()
    cache = InMemoryCache(default_ttl=5, clock=clock)
    cache.set("a", 1)
    cache.set("b", 2, ttl=50)
    clock.now += 6
    assert cache.get("a") is None and cache.get("b") == 2


def test_memory_lru_bound_evicts_least_recently_used() -> None:
    cache = InMemoryCache(max_size=3)
    for key in "abc":
        cache.set(key, key)
    assert cache.get("a") == "a"  # a is now the most recent
    cache.set("d", "d")
    assert cache.get("b") is None  # b was the least recently used
    assert [cache.get(k) for k in "acd"] == ["a", "c", "d"]
    for i in range(100):
        cache.set(str(i), i)
    assert len(cache) == 3


def test_memory_returns_copies() -> None:
    cache = InMemoryCache()
    value = {"choices": [{"text": "x"}]}
    cache.set("k", value)
    value["choices"][0]["text"] = "mutated"
    got = cache.get("k")
    got["choices"].append("more")
    assert cache.get("k") == {"choices": [{"text": "x"}]}


def test_memory_delete_and_clear() -> None:
    cache = InMemoryCache()
    cache.set("a", 1)
    cache.set("b", 2)
    cache.delete("a")
    cache.delete("missing")
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0


def test_memory_threads_never_exceed_the_bound() -> None:
    cache = InMemoryCache(max_size=50)
    errors: List[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(500):
                cache.set("%d-%d" % (n, i % 80), {"n": n, "i": i})
                got = cache.get("%d-%d" % (n, (i * 7) % 80))
                assert got is None or got["n"] == n
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(cache) == 50


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_memory_rejects_bad_max_size(bad: Any) -> None:
    with pytest.raises(BadRequestError):
        InMemoryCache(max_size=bad)


@pytest.mark.parametrize("bad", [-1, "10", float("nan"), True])
def test_bad_ttl_is_our_error(bad: Any, tmp_path: Path) -> None:
    with pytest.raises(BadRequestError):
        InMemoryCache().set("k", 1, ttl=bad)
    with pytest.raises(BadRequestError):
        DiskCache(str(tmp_path)).set("k", 1, ttl=bad)


def test_backends_satisfy_the_protocol(tmp_path: Path) -> None:
    assert isinstance(InMemoryCache(), CacheBackend)
    assert isinstance(DiskCache(str(tmp_path)), CacheBackend)
    assert not isinstance(object(), CacheBackend)


# -- disk -----------------------------------------------------------------------------------------


def test_disk_roundtrip_and_ttl(tmp_path: Path) -> None:
    clock = Clock()
    cache = DiskCache(str(tmp_path), clock=clock)
    cache.set("k", {"text": "héllo", "n": [1, 2.5]}, ttl=30)
    assert cache.get("k") == {"text": "héllo", "n": [1, 2.5]}
    files = [p for p in tmp_path.iterdir()]
    assert len(files) == 1 and files[0].suffix == ".json"
    clock.now += 31
    assert cache.get("k") is None
    assert list(tmp_path.iterdir()) == []  # expired entry deleted on read


def test_disk_keys_never_escape_the_directory(tmp_path: Path) -> None:
    inner = tmp_path / "cache"
    cache = DiskCache(str(inner))
    cache.set("../../evil", 1)
    cache.set("a/b", 2)
    assert cache.get("../../evil") == 1 and cache.get("a/b") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
    assert all(len(p.stem) == 64 for p in inner.iterdir())


_WRITER = r"""
import json, sys
from litellm_lite.cache_backends import DiskCache
c = DiskCache(sys.argv[1])
if sys.argv[2] == "set":
    c.set("shared-key", {"from": "child", "data": list(range(5))})
else:
    print(json.dumps(c.get(sys.argv[3])))
"""


@pytest.mark.slow
def test_disk_persists_across_processes(tmp_path: Path) -> None:
    run = [sys.executable, "-c", _WRITER, str(tmp_path)]
    subprocess.run(run + ["set"], check=True, cwd=str(ROOT))
    assert DiskCache(str(tmp_path)).get("shared-key") == {"from": "child", "data": [0, 1, 2, 3, 4]}
    DiskCache(str(tmp_path)).set("parent-key", {"from": "parent"})
    out = subprocess.run(run + ["get", "parent-key"], check=True, cwd=str(ROOT), capture_output=True, text=True).stdout
    assert json.loads(out) == {"from": "parent"}


def _hammer(directory: str, writer: int, rounds: int, queue: Any) -> None:
    cache = DiskCache(directory, max_entries=1000)
    bad = 0
    for i in range(rounds):
        # Big values so a torn write would be visible as invalid JSON or a mixed payload.
        cache.set("key-%d" % (i % 5), {"writer": writer, "i": i, "pad": [writer] * 2000})
        got = cache.get("key-%d" % ((i + 2) % 5))
        if got is not None and (set(got["pad"]) != {got["writer"]} or len(got["pad"]) != 2000):
            bad += 1
    queue.put(bad)


@pytest.mark.slow
def test_two_processes_share_one_disk_cache_without_torn_reads(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), n, 150, queue)) for n in (1, 2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert results == [0, 0]
    cache = DiskCache(str(tmp_path))
    for k in range(5):
        got = cache.get("key-%d" % k)
        assert got is not None and got["writer"] in (1, 2) and len(got["pad"]) == 2000
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # no temp file left behind
    assert "corrupt" not in caplog.text


def test_corrupt_entry_is_a_miss_then_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = DiskCache(str(tmp_path))
    cache.set("k", {"good": True})
    (path,) = list(tmp_path.iterdir())
    for garbage in (b'{"expires_at": null, "val', b"\xff\xfe\x00", b"[1, 2]", b'{"expires_at": "x", "value": 1}'):
        path.write_bytes(garbage)
        assert cache.get("k") is None
        assert not path.exists()  # the corrupt file was removed
        cache.set("k", {"good": True})
        assert cache.get("k") == {"good": True}
    assert "corrupt disk cache entry" in caplog.text


def test_disk_bounded_by_entries_least_recently_used_first(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path), max_entries=5)
    for i in range(5):
        cache.set("k%d" % i, i)
        os.utime(cache._path("k%d" % i), (1000 + i, 1000 + i))
    assert cache.get("k0") == 0  # refreshes k0's mtime: k1 is now the oldest
    for i in range(5, 12):
        cache.set("k%d" % i, i)
    cache.prune()
    assert len(cache) == 5
    assert cache.get("k1") is None
    assert cache.get("k11") == 11


def test_disk_bounded_by_bytes(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path), max_entries=1000, max_bytes=4000)
    for i in range(20):
        cache.set("k%d" % i, "x" * 900)
    cache.prune()
    total = sum(p.stat().st_size for p in tmp_path.iterdir())
    assert total <= 4000
    assert cache.get("k19") == "x" * 900


def test_disk_prune_removes_abandoned_temp_files(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path))
    stale = tmp_path / ".tmp-crashed.part"
    stale.write_bytes(b"{")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    fresh = tmp_path / ".tmp-writing.part"
    fresh.write_bytes(b"{")
    cache.prune()
    assert not stale.exists() and fresh.exists()
    assert len(cache) == 0  # temp files are never entries


def test_disk_clear_and_delete(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path))
    cache.set("a", 1)
    cache.set("b", 2)
    cache.delete("a")
    cache.delete("never")
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0


def test_disk_rejects_bad_bounds(tmp_path: Path) -> None:
    with pytest.raises(BadRequestError):
        DiskCache(str(tmp_path), max_entries=0)
    with pytest.raises(BadRequestError):
        DiskCache(str(tmp_path), max_bytes=-5)


def test_disk_write_failure_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = DiskCache(str(tmp_path / "c"))
    target = Path(cache._path("k"))
    target.mkdir()  # os.replace onto a directory fails
    cache.set("k", 1)
    assert "could not write a disk cache entry" in caplog.text
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]


def test_disk_fsync_option_writes_the_same(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path), fsync=True)
    cache.set("k", {"a": 1})
    assert cache.get("k") == {"a": 1}


def test_disk_entries_are_plain_json_files(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path))
    cache.set("k", {"a": [1, 2]})
    (path,) = list(tmp_path.iterdir())
    data: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"expires_at": None, "value": {"a": [1, 2]}}


def test_memory_keeps_objects_as_private_copies_and_pickles() -> None:
    import pickle

    from litellm_lite.types import Choices, Message, ModelResponse

    cache = InMemoryCache(max_size=4, default_ttl=60)
    assert cache.keeps_objects is True
    answer = ModelResponse(model="m", choices=[Choices(message=Message(content="kept"))])
    cache.set("k", {"object": answer, "n": [1]})
    answer.choices[0].message.content = "mutated after set"
    got = cache.get("k")
    assert isinstance(got["object"], ModelResponse) and got["object"].choices[0].message.content == "kept"
    got["object"].choices.clear()
    assert cache.get("k")["object"].choices[0].message.content == "kept"
    copy = pickle.loads(pickle.dumps(cache))
    assert copy.get("k")["object"].choices[0].message.content == "kept" and copy.max_size == 4
    copy.set("other", 1)  # its own lock and entries
    assert cache.get("other") is None and len(copy) == 2


def test_disk_round_trips_non_ascii_and_lone_surrogates(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path))
    value = {"text": "caf\u00e9 \u4e16\u754c \U0001f600", "broken": "half \ud800 pair"}
    cache.set("k", value)
    assert cache.get("k") == value
    (path,) = list(tmp_path.iterdir())
    assert path.read_bytes().isascii()  # escaped: never a byte sequence that is not UTF-8


def test_disk_eviction_follows_write_order_even_within_one_clock_tick(tmp_path: Path) -> None:
    cache = DiskCache(str(tmp_path))
    names = ["k%d" % i for i in range(20)]
    for name in names:
        cache.set(name, "x" * 900)  # far faster than the kernel's file-time tick
    stamps = [os.stat(cache._path(name)).st_mtime_ns for name in names]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)  # no ties: eviction order is write order
    assert cache.get("k0") is not None  # a read makes k0 the most recent
    assert os.stat(cache._path("k0")).st_mtime_ns > stamps[-1]
    cache.max_bytes = 4000
    cache.prune()
    assert [name for name in names if os.path.exists(cache._path(name))] == ["k0", "k17", "k18", "k19"]


def test_disk_write_never_touches_a_temp_file_it_did_not_create(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    cache = DiskCache(str(tmp_path))
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)  # every writer picks the same temporary name
    taken = tmp_path / (".tmp-" + "00" * 8 + ".part")
    taken.write_bytes(b"another writer's half-written entry")
    cache.set("k", 1)
    assert "could not write a disk cache entry" in caplog.text and cache.get("k") is None
    assert taken.read_bytes() == b"another writer's half-written entry"
    taken.unlink()
    cache.set("k", 1)
    assert cache.get("k") == 1 and not taken.exists()
