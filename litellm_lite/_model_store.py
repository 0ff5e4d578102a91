"""Where the registry's entries come from: the bundled price map, the user's map, ``register_model``.

Three layers, merged key by key (a later layer's fields win): the bundled
``model_prices_and_context_window.json``, the file named by ``LITELLM_LITE_MODEL_COST_MAP`` (a
local path, never a URL), and the entries given to ``register_model`` at run time.

The bundled map is read lazily, and only as much as needed: resolving or pricing a model reads the
small index shipped beside it (:mod:`._price_index`) and parses that model's entry alone. Whatever
needs every entry (iterating ``model_cost``, ``get_models_with_feature``) parses the whole file,
once. The index is never required: when it is missing, does not match the JSON, or the package
is zipped, the whole file is parsed instead, as before. Everything is read through the package
loader's directory or :func:`pkgutil.get_data`, so it works vendored under any name.
"""

from __future__ import annotations

import json
import os
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time

from ._log import logger
from ._price_index import DATA_FILE, INDEX_FILE, PriceIndex, StaleIndexError, file_range_reader, on_disk, parse_index
from .exceptions import BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Mapping, Optional, Union

__all__ = ["COST_MAP_ENV", "find_key", "provider_of", "entry", "all_keys", "load_all", "register", "reset", "is_loaded"]


COST_MAP_ENV = "LITELLM_LITE_MODEL_COST_MAP"

_lock = _thread.RLock()
_ready = False  # the index (if usable) and the user's map were read
_full = False  # every bundled entry is in _entries
_load_count = 0  # how many times the whole bundled map was parsed (tests check it stays at 1)
_index: Optional[PriceIndex] = None
_reader: Any = None  # read_range(offset, length) over the bundled JSON
_entries: Dict[str, Dict[str, Any]] = {}  # merged entries read so far (all of them once _full)
_overlay: Dict[str, Dict[str, Any]] = {}  # the user's map and register_model fields, by key
_overlay_lower: Dict[str, str] = {}
_full_lower: Dict[str, str] = {}


# -- reading the package's files ---------------------------------------------------------------


def _package_dir() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def _read_resource(name: str = DATA_FILE) -> Optional[bytes]:
    import pkgutil  # only when the whole map is parsed (a zipped package, or a stale index)

    package = __package__ or __name__.rpartition(".")[0]
    data = pkgutil.get_data(package, name)
    if data is None:
        # A package without a loader that reads data (e.g. a namespace package): ask the loader
        # of this very module, which knows the directory or zip archive it came from.
        loader = globals().get("__loader__")
        get_data = getattr(loader, "get_data", None)
        if get_data is not None:
            data = get_data(os.path.join(os.path.dirname(__file__), name))
    return data


def _read_bundled() -> Dict[str, Dict[str, Any]]:
    """The whole bundled map (works zipped and vendored)."""
    try:
        data = _read_resource()
    except OSError as exc:
        logger.error("litellm_lite: cannot read the bundled %s: %s", DATA_FILE, exc)
        return {}
    if data is None:
        logger.error("litellm_lite: the package loader cannot read %s", DATA_FILE)
        return {}
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        logger.error("litellm_lite: the bundled %s is not valid JSON: %s", DATA_FILE, exc)
        return {}
    return valid_entries(parsed, DATA_FILE)


def _open_index() -> None:
    """Use the shipped index when both files are plain files on disk; else stay on full parses."""
    global _index, _reader
    directory = _package_dir()
    data_path = on_disk(directory, DATA_FILE)
    index_path = on_disk(directory, INDEX_FILE)
    if data_path is None or index_path is None:
        return
    try:
        with open(index_path, "r", encoding="utf-8") as handle:
            _index = parse_index(handle.read())
        _reader = file_range_reader(data_path)
    except (OSError, UnicodeDecodeError, StaleIndexError) as exc:
        logger.warning("litellm_lite: price index unusable (%s); parsing the whole price map instead", exc)
        _index = None


def valid_entries(parsed: Any, origin: str) -> Dict[str, Dict[str, Any]]:
    """The entries of a parsed price map (``sample_spec`` and blank keys skipped); BadRequestError if malformed."""
    if not isinstance(parsed, dict):
        raise BadRequestError("%s: expected a JSON object mapping model names to entries" % origin)
    out: Dict[str, Dict[str, Any]] = {}
    for key, value in parsed.items():
        if key == "sample_spec" or not isinstance(key, str) or not key.strip():
            continue
        if not isinstance(value, dict):
            raise BadRequestError("%s: the entry for %r must be a JSON object" % (origin, key))
        out[key] = dict(value)
    return out


def _looks_like_url(value: str) -> bool:
    lowered = value.strip().lower()
    return "://" in lowered or lowered.startswith("www.")


def read_path(path: "Union[str, os.PathLike[str]]", origin: str) -> Dict[str, Dict[str, Any]]:
    """The entries of a user's price-map file (a local path; URLs are refused)."""
    text_path = os.fspath(path)
    if _looks_like_url(text_path):
        raise BadRequestError(
            "%s must be a local file path, not a URL (%r): litellm_lite never downloads a price map; "
            "download it yourself and point %s at the file" % (origin, text_path[:200], COST_MAP_ENV)
        )
    try:
        with open(text_path, "r", encoding="utf-8") as handle:
            parsed = json.load(handle)
    except OSError as exc:
        raise BadRequestError("%s: cannot read %s: %s" % (origin, text_path, exc.strerror or exc)) from exc
    except ValueError as exc:
        raise BadRequestError("%s: %s is not valid JSON: %s" % (origin, text_path, exc)) from exc
    return valid_entries(parsed, text_path)


# -- merging -----------------------------------------------------------------------------------


def _merged(base: Optional[Mapping[str, Any]], key: str, extra: Mapping[str, Any]) -> Dict[str, Any]:
    merged = dict(base or {})
    merged.update(extra)
    if "litellm_provider" not in merged and "/" in key:
        merged["litellm_provider"] = key.split("/", 1)[0]
    merged.setdefault("mode", "chat")
    return merged


def _add_overlay(extra: Mapping[str, Mapping[str, Any]]) -> List[str]:
    """Record ``extra`` over what is known; materialised entries are updated in place."""
    changed: List[str] = []
    for key, fields in extra.items():
        layer = _overlay.setdefault(key, {})
        layer.update(fields)
        _overlay_lower[key.lower()] = key
        if key in _entries or _full:
            _entries[key] = _merged(_entries.get(key), key, fields)
            _full_lower[key.lower()] = key
        changed.append(key)
    return changed


def _ensure_ready() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        _open_index()
        if _index is None:
            _load_full_locked()
        custom = os.environ.get(COST_MAP_ENV, "").strip()
        if custom:
            _add_overlay(read_path(custom, COST_MAP_ENV))
        _ready = True


def _load_full_locked() -> None:
    global _full, _load_count, _entries, _full_lower
    entries = _read_bundled()
    for key, fields in _overlay.items():
        entries[key] = _merged(entries.get(key), key, fields)
    _entries = entries
    _full_lower = {key.lower(): key for key in entries}
    _full = True
    _load_count += 1


def load_all() -> Dict[str, Dict[str, Any]]:
    """Every entry, merged (parses the whole bundled map on first need). Do not mutate."""
    _ensure_ready()
    if not _full:
        with _lock:
            if not _full:
                _load_full_locked()
    return _entries


# -- reading one entry -------------------------------------------------------------------------


def find_key(name: str) -> Optional[str]:
    """The key spelled ``name`` (exactly, else ignoring case), or None."""
    _ensure_ready()
    if _full:
        if name in _entries:
            return name
        return _full_lower.get(name.lower())
    if name in _overlay:
        return name
    assert _index is not None
    found = _index.find(name)
    if found is not None and found == name:
        return found
    return _overlay_lower.get(name.lower()) or found


def entry(key: str) -> Dict[str, Any]:
    """The merged entry of a key that :func:`find_key` returned. Do not mutate."""
    _ensure_ready()
    value = _entries.get(key)
    if value is not None:
        return value
    if _full:
        raise KeyError(key)
    assert _index is not None
    try:
        base = _index.entry(key, _reader)
    except (OSError, StaleIndexError) as exc:
        logger.warning("litellm_lite: price index out of date (%s); parsing the whole price map instead", exc)
        return load_all()[key]
    if base is None and key not in _overlay:
        raise KeyError(key)
    with _lock:
        value = _merged(base, key, _overlay[key]) if key in _overlay else base
        assert value is not None
        _entries[key] = value
    return value


def provider_of(key: str) -> Optional[str]:
    """The ``litellm_provider`` of a known key, without reading its entry when the index knows it."""
    _ensure_ready()
    if _full or key in _overlay or _index is None:
        value = entry(key).get("litellm_provider")
        return value if isinstance(value, str) else None
    return _index.provider(key)


def all_keys() -> List[str]:
    """Every known key (no full parse needed)."""
    _ensure_ready()
    if _full or _index is None:
        return list(_entries)
    keys = _index.keys()
    keys.extend(k for k in _overlay if k not in _index.rows)
    return keys


def register(extra: Mapping[str, Mapping[str, Any]]) -> List[str]:
    """Merge ``extra`` (already validated entries) over what is known; returns the keys changed."""
    _ensure_ready()
    with _lock:
        return _add_overlay(extra)


def is_loaded() -> bool:
    """True once the whole bundled map was parsed."""
    return _full


def load_count() -> int:
    return _load_count


def is_ready() -> bool:
    """True once anything was read (the index, or the whole map)."""
    return _ready


def reset() -> None:
    """Forget everything read (the next use reads again, re-reading the environment). For tests."""
    global _ready, _full, _load_count, _index, _reader, _entries, _overlay, _overlay_lower, _full_lower
    with _lock:
        _ready = _full = False
        _load_count = 0
        _index = _reader = None
        _entries, _overlay, _overlay_lower, _full_lower = {}, {}, {}, {}
