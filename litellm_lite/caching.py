"""Response caching with LiteLLM's names: ``litellm_lite.cache = Cache(...)``.

::

    import litellm_lite as litellm
    from litellm_lite.caching import Cache

    litellm.cache = Cache()                                   # in memory, LRU, 1000 entries
    litellm.cache = Cache(type="local", ttl=600, max_size=500)
    litellm.cache = Cache(type="disk", disk_cache_dir="/tmp/llm-cache")
    litellm.cache = Cache(type="custom", backend=MyBackend()) # get / set(ttl) / delete

Per call: ``caching=False`` skips the cache, ``caching=True`` opts in when the cache was built with
``mode="default_off"``; ``cache={"no-cache": True}`` does not read (but stores the fresh answer),
``{"no-store": True}`` does not store, ``{"ttl": 60}`` stores for 60 s, ``{"s-maxage": 600}`` only
accepts an entry stored in the last 600 s, ``{"namespace": "x"}`` keeps separate entries.

A hit sends nothing, returns the stored answer rebuilt as its type (``ModelResponse``,
``EmbeddingResponse``, ...) with ``_hidden_params["cache_hit"] = True`` and a cost of 0 (the road
replays it as chunks for a streamed call). How a key is made: :mod:`litellm_lite.cache_key`.

The orchestrator calls :func:`before_call` (or :func:`before_embedding`) before sending and the
returned lookup's ``store`` / ``merge`` after (``call_guard``, as the road's hooks).
"""

from __future__ import annotations

from collections import abc as _abc  # isinstance: several times faster than typing.Mapping's
import logging
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

from ._package import package, package_setting
from .cache_backends import CacheBackend, Clock, DiskCache, InMemoryCache
from .cache_key import cache_key, canonical_call_type, embedding_input_keys
from .exceptions import BadRequestError
from ._records import detach, rebuild, record_kind

__all__ = [
    "Cache", "CacheBackend", "InMemoryCache", "DiskCache", "CacheLookup", "EmbeddingLookup",
    "enable_cache", "disable_cache", "update_cache", "before_call", "validate_controls", "before_embedding", "active_cache",
    "chosen_cache", "MODULE_CACHE", "DEFAULT_CALL_TYPES", "WireBody",
]

logger = logging.getLogger("litellm_lite")

#: The call types a Cache serves unless told otherwise (async forms are included by their sync name).
DEFAULT_CALL_TYPES = (
    "completion", "acompletion", "embedding", "aembedding", "text_completion", "atext_completion",
    "transcription", "atranscription", "moderation", "amoderation", "rerank", "arerank", "responses",
    "aresponses", "image_generation", "aimage_generation",
)
_LOCAL_TYPES = ("local", "memory", "in-memory", "in_memory")
_SERVER_TYPES = ("redis", "redis-semantic", "qdrant-semantic", "s3", "gcs", "azure-blob", "valkey-semantic")
_CONTROL_KEYS = frozenset({"no-cache", "no-store", "ttl", "s-maxage", "namespace", "use-cache"})


def _type_name(value: Any) -> str:
    return str(getattr(value, "value", value)).lower()  # LiteLLMCacheType.LOCAL -> "local"


class Cache:
    """Where responses are kept, and for which call types (``supported_call_types``).

    ``type="local"``: in-memory LRU (``max_size`` entries, default 1000). ``type="disk"``: JSON files
    in ``disk_cache_dir`` (``max_size`` entries, default 10000; ``max_bytes`` optional).
    ``type="custom"`` (or just ``backend=...``): any object with ``get``/``set(key, value, ttl)``/``delete``.
    ``ttl`` is the default lifetime in seconds (None: until evicted). ``mode="default_off"`` caches
    only calls that pass ``caching=True`` or ``cache={"use-cache": True}``. ``clock`` replaces
    ``time.time`` (tests).
    """

    def __init__(
        self,
        type: Any = "local",
        *,
        ttl: Optional[float] = None,
        default_in_memory_ttl: Optional[float] = None,
        max_size: Optional[int] = None,
        disk_cache_dir: Optional[str] = None,
        max_bytes: Optional[int] = None,
        backend: Optional[CacheBackend] = None,
        supported_call_types: Optional[Iterable[str]] = None,
        mode: str = "default_on",
        namespace: Optional[str] = None,
        clock: Optional[Clock] = None,
        **unsupported: Any,
    ) -> None:
        kind = "custom" if backend is not None else _type_name(type)
        if unsupported:
            raise BadRequestError("Cache(): unsupported argument(s) %s" % ", ".join(sorted(unsupported)))
        if mode not in ("default_on", "default_off"):
            raise BadRequestError("Cache(mode=...) must be 'default_on' or 'default_off', got %r" % (mode,))
        self.ttl = ttl if ttl is not None else default_in_memory_ttl
        self.clock: Clock = clock or time.time
        self.backend: CacheBackend = self._backend(kind, backend, max_size, disk_cache_dir, max_bytes)
        self.type = kind
        self.mode = mode
        self.namespace = namespace
        types = DEFAULT_CALL_TYPES if supported_call_types is None else tuple(supported_call_types)
        self.supported_call_types = list(types)
        self._served = frozenset(canonical_call_type(str(t)) for t in types)

    def _backend(
        self, kind: str, backend: Optional[CacheBackend], max_size: Optional[int], directory: Optional[str], max_bytes: Optional[int]
    ) -> CacheBackend:
        if kind == "custom":
            if backend is None or not all(callable(getattr(backend, name, None)) for name in ("get", "set", "delete")):
                raise BadRequestError("Cache(type='custom') needs backend=<an object with get, set(key, value, ttl) and delete>")
            return backend
        if kind in _LOCAL_TYPES:
            return InMemoryCache(max_size=max_size or 1000, default_ttl=self.ttl, clock=self.clock)
        if kind == "disk":
            return DiskCache(directory, max_entries=max_size or 10000, max_bytes=max_bytes, default_ttl=self.ttl, clock=self.clock)
        if kind in _SERVER_TYPES:
            raise BadRequestError(
                "Cache(type=%r) needs a server client that litellm_lite does not ship; wrap your client in an "
                "object with get/set/delete and pass Cache(type='custom', backend=...)" % (kind,)
            )
        raise BadRequestError("Cache(type=%r): use 'local', 'disk' or 'custom'" % (kind,))

    # -- the backend interface, passed through -------------------------------------------------

    def get(self, key: str) -> Optional[Any]:
        return self.backend.get(key)

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        self.backend.set(key, value, ttl if ttl is not None else self.ttl)

    def delete(self, key: str) -> None:
        self.backend.delete(key)

    def clear(self) -> None:
        """Drop every entry (when the backend supports ``clear()``)."""
        clear = getattr(self.backend, "clear", None)
        if not callable(clear):
            raise BadRequestError("this cache backend has no clear()")
        clear()

    def serves(self, call_type: str) -> bool:
        return canonical_call_type(call_type) in self._served

    # -- LiteLLM's helpers ---------------------------------------------------------------------

    def get_cache_key(
        self, *, call_type: str = "completion", custom_llm_provider: str = "", api_base: Optional[str] = None, **kwargs: Any
    ) -> Optional[str]:
        """The key a call with these keywords would use (None when it cannot be cached)."""
        controls = kwargs.get("cache") if isinstance(kwargs.get("cache"), Mapping) else {}
        namespace = (controls or {}).get("namespace") or self.namespace
        return cache_key(
            call_type, kwargs, provider=custom_llm_provider, model=str(kwargs.get("model") or ""), api_base=api_base, namespace=namespace
        )

    def add_cache(self, result: Any, **kwargs: Any) -> None:
        """Store ``result`` under the key of the call described by ``kwargs``."""
        key = self.get_cache_key(**kwargs)
        if key is not None:
            _store_entry(self, key, result, kwargs.get("ttl"))

    def get_cache(self, **kwargs: Any) -> Optional[Any]:
        """The cached answer of the call described by ``kwargs``, rebuilt, or None."""
        key = self.get_cache_key(**kwargs)
        return _load_entry(self, key, None) if key is not None else None

    def __repr__(self) -> str:
        return "Cache(type=%r, ttl=%r, supported_call_types=%r)" % (self.type, self.ttl, self.supported_call_types)


# -- module switches (LiteLLM's enable_cache / update_cache / disable_cache) ----------------------


#: "Use ``litellm_lite.cache``": what a Client's ``cache=`` is unless it is given a Cache or None.
MODULE_CACHE = "module"


def active_cache() -> Optional[Cache]:
    """``litellm_lite.cache`` when it is a Cache, else None."""
    cache = package_setting("cache")
    if cache is None:
        return None
    if not isinstance(cache, Cache):
        raise BadRequestError("litellm_lite.cache must be a Cache (from litellm_lite.caching import Cache), got %s" % type(cache).__name__)
    return cache


def chosen_cache(choice: Any = MODULE_CACHE) -> Optional[Cache]:
    """The cache a call uses: ``"module"`` -> ``litellm_lite.cache``; a Cache -> itself; None or
    False -> none. Anything else is a BadRequestError."""
    if isinstance(choice, str) and choice == MODULE_CACHE:
        return active_cache()
    if choice is None or choice is False:
        return None
    if not isinstance(choice, Cache):
        raise BadRequestError("cache must be %r, None or a Cache (from litellm_lite.caching import Cache), got %r" % (MODULE_CACHE, choice))
    return choice


def enable_cache(type: Any = "local", supported_call_types: Optional[Iterable[str]] = None, **kwargs: Any) -> Cache:
    """Turn caching on: ``litellm_lite.cache = Cache(type, ...)`` unless a cache is already set."""
    current = active_cache()
    if current is not None:
        return current
    return update_cache(type, supported_call_types, **kwargs)


def update_cache(type: Any = "local", supported_call_types: Optional[Iterable[str]] = None, **kwargs: Any) -> Cache:
    """Replace ``litellm_lite.cache`` with a new ``Cache(type, ...)``."""
    cache = Cache(type, supported_call_types=supported_call_types, **kwargs)
    package().cache = cache
    return cache


def disable_cache() -> None:
    """Turn caching off (``litellm_lite.cache = None``)."""
    package().cache = None


# -- entries ---------------------------------------------------------------------------------


def _store_entry(cache: Cache, key: str, result: Any, ttl: Optional[float], body: Optional[bytes] = None) -> bool:
    """Keep ``result``: a backend that keeps objects gets the provider's reply ``body`` it was parsed
    from when there is one (nothing copied), else the object itself; others get plain JSON data."""
    kind = record_kind(result)
    if kind is None:
        logger.debug("litellm_lite: not caching a %s", type(result).__name__)
        return False
    if not getattr(cache.backend, "keeps_objects", False):
        entry = {"kind": kind, "data": dict(result) if kind == "dict" else result.to_dict()}
    elif type(body) is bytes:
        entry = {"kind": _WIRE, "body": body}
    else:  # it keeps its own copy: no serialising
        entry = {"kind": kind, "object": result}
    entry["stored_at"] = cache.clock()
    try:
        cache.set(key, entry, ttl)
    except BadRequestError:
        raise
    except Exception as exc:  # noqa: BLE001 - a failing (custom) backend must never fail the call
        logger.warning("litellm_lite: cache store failed (%s: %s)", type(exc).__name__, exc)
        return False
    return True


def _load_entry(cache: Cache, key: str, max_age: Optional[float]) -> Optional[Any]:
    try:
        entry = cache.get(key)
    except Exception as exc:  # noqa: BLE001 - a failing (custom) backend is a miss
        logger.warning("litellm_lite: cache read failed (%s: %s)", type(exc).__name__, exc)
        return None
    if entry is None:
        return None
    try:
        if not isinstance(entry, _abc.Mapping):
            raise ValueError("not an entry")
        stored_at = float(entry.get("stored_at") or 0.0)
        if max_age is not None and cache.clock() - stored_at > max_age:
            return None
        if entry["kind"] == _WIRE:  # the provider's body (rebuilt by CacheLookup.response's parse)
            if type(entry["body"]) is not bytes:
                raise ValueError("cached body is not bytes")
            return WireBody(entry["body"])
        if "object" in entry:  # a backend that keeps objects returned a copy of the one stored
            found = entry["object"]
            if record_kind(found) != entry["kind"]:
                raise ValueError("cached object is not a %s" % (entry["kind"],))
            return found
        return rebuild(str(entry["kind"]), entry["data"])
    except (ValueError, TypeError, KeyError) as exc:
        logger.warning("litellm_lite: ignoring an unreadable cache entry (%s)", exc)
        try:
            cache.delete(key)
        except Exception:  # noqa: BLE001
            pass
        return None


def _mark_hit(result: Any, key: str) -> Any:
    hidden = getattr(result, "_hidden_params", None)
    if isinstance(hidden, dict):
        hidden.update({"cache_hit": True, "cache_key": key, "response_cost": 0.0})
    return result


def _controls(kwargs: Mapping[str, Any]) -> Mapping[str, Any]:
    controls = kwargs.get("cache")
    if controls is None:
        return {}
    if not isinstance(controls, _abc.Mapping):
        raise BadRequestError('cache= must be a dict such as {"no-cache": True}, got %s' % type(controls).__name__)
    unknown = set(controls) - _CONTROL_KEYS
    if unknown:
        raise BadRequestError("cache=: unknown control(s) %s; known: %s" % (sorted(unknown), sorted(_CONTROL_KEYS)))
    for name in ("ttl", "s-maxage"):
        value = controls.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0):
            raise BadRequestError("cache[%r] must be a number of seconds >= 0, got %r" % (name, value))
    return controls


def _caching_flag(kwargs: Mapping[str, Any]) -> Optional[bool]:
    flag = kwargs.get("caching")
    if flag is not None and not isinstance(flag, bool):
        raise BadRequestError("caching= must be True or False, got %r" % (flag,))
    return flag


def validate_controls(kwargs: Mapping[str, Any]) -> None:
    """Check a call's ``cache=`` / ``caching=`` keywords (BadRequestError), whether or not a cache is set."""
    _controls(kwargs)
    _caching_flag(kwargs)


def _applies(cache: Optional[Cache], call_type: str, kwargs: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    """The call's cache controls when the cache applies to it, else None. Validates the keywords."""
    controls = _controls(kwargs)
    flag = _caching_flag(kwargs)
    if cache is None or flag is False or not cache.serves(call_type):
        return None
    if cache.mode == "default_off" and not (flag is True or controls.get("use-cache") is True):
        return None
    return controls


# -- what the orchestrator calls -------------------------------------------------------------


class CacheLookup:
    """The cache's verdict on one call: a hit to return, or what to do with the fresh answer."""

    def __init__(
        self,
        cache: Optional[Cache] = None,
        key: Optional[str] = None,
        *,
        cached: Any = None,
        store: bool = False,
        ttl: Optional[float] = None,
        model: str = "",
        provider: str = "",
    ) -> None:
        self.cache = cache
        self.key = key
        self._cached = cached
        self._fresh = True  # the first response() hands out the loaded object itself, later ones copies
        self.may_store = store and cache is not None and key is not None
        self.ttl = ttl
        self.model = model
        self.provider = provider

    @property
    def hit(self) -> bool:
        """True when :meth:`response` can answer the call without sending anything."""
        return self._cached is not None

    def response(self, parse: Optional[Callable[[bytes], Any]] = None) -> Any:
        """The cached answer, marked as a hit (a fresh copy on every call after the first).

        An answer kept as the provider's body (``store(result, body=...)``) is rebuilt by
        ``parse(body)``, which the caller must then give."""
        cached = self._cached
        if cached is None or self.key is None:
            raise BadRequestError("CacheLookup.response(): not a cache hit")
        if isinstance(cached, WireBody):
            if parse is None:
                raise BadRequestError("CacheLookup.response(): this answer was kept as a body; pass parse=")
            return _mark_hit(parse(cached.body), self.key)
        result, self._fresh = (cached if self._fresh else detach(cached)), False
        return _mark_hit(result, self.key)

    def store(self, result: Any, body: Optional[bytes] = None) -> bool:
        """Keep a finished (non-streamed) answer; True when it was stored.

        ``body``: the provider's reply ``result`` was parsed from. A backend that keeps objects
        (the in-memory one) then keeps only these bytes: nothing is copied or serialised on a miss."""
        if not self.may_store or self.cache is None or self.key is None:
            return False
        hidden = getattr(result, "_hidden_params", None)
        if isinstance(hidden, dict) and hidden.get("cache_hit"):
            return False
        return _store_entry(self.cache, self.key, result, self.ttl, body)


class WireBody:
    """A cached answer kept as the provider's reply body (bytes), parsed again on each hit."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body


_WIRE = "wire-body"


_OFF = CacheLookup()


def before_call(
    call_type: str,
    kwargs: Mapping[str, Any],
    *,
    provider: str = "",
    model: str = "",
    api_base: Optional[str] = None,
    cache: Any = MODULE_CACHE,
) -> CacheLookup:
    """Look the call up in its cache (validating ``cache=``/``caching=``).

    ``kwargs`` are the call's keywords as given; ``provider``/``model``/``api_base`` the resolved ones;
    ``cache`` which cache (:func:`chosen_cache`: ``litellm_lite.cache`` unless told otherwise).
    Returns a lookup: when ``lookup.hit``, return ``lookup.response()`` and send nothing; otherwise
    send, then ``lookup.store(result)`` (a stream's answer once it was read to its end).
    """
    cache = chosen_cache(cache)
    controls = _applies(cache, call_type, kwargs)
    if cache is None or controls is None:
        return _OFF
    key = cache_key(call_type, kwargs, provider=provider, model=model, api_base=api_base, namespace=controls.get("namespace") or cache.namespace)
    if key is None:
        return _OFF
    cached = None
    if not controls.get("no-cache"):
        cached = _load_entry(cache, key, controls.get("s-maxage"))
    return CacheLookup(
        cache, key, cached=cached, store=not controls.get("no-store"), ttl=controls.get("ttl"), model=model, provider=provider
    )


# -- embeddings: one entry per input -----------------------------------------------------------


def _inputs_of(value: Any) -> List[Any]:
    """The list of separate inputs of an embedding call (a token list is one input)."""
    if isinstance(value, (str, bytes)) or value is None:
        return [value]
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            return [list(value)]
        return list(value)
    return [value]


class EmbeddingLookup:
    """Which inputs of an embedding batch are cached, and the merge of the sent ones back in order."""

    def __init__(self, cache: Optional[Cache], inputs: List[Any], keys: List[Optional[str]], hits: Dict[int, Any], *, store: bool, ttl: Optional[float], model: str) -> None:
        self.cache = cache
        self.inputs = inputs
        self.keys = keys
        self.hits = hits
        self.missing = [i for i in range(len(inputs)) if i not in hits]
        self._store = store and cache is not None
        self.ttl = ttl
        self.model = model

    @property
    def all_hit(self) -> bool:
        """True when every input is cached: answer with :meth:`merge` ``(None)`` and send nothing."""
        return bool(self.inputs) and not self.missing

    @property
    def missing_inputs(self) -> List[Any]:
        """The inputs to send (in their original order)."""
        return [self.inputs[i] for i in self.missing]

    def merge(self, sent: Any = None) -> Any:
        """One EmbeddingResponse in the original input order: cached vectors plus ``sent``'s.

        ``sent`` answers :attr:`missing_inputs` (None when nothing was sent). New vectors are stored.
        """
        from .types import EmbeddingData, EmbeddingResponse, Usage

        if not self.hits and sent is not None:
            self._keep(sent)
            return sent
        sent_data = sorted(getattr(sent, "data", None) or [], key=lambda item: item.index)
        if len(sent_data) != len(self.missing):
            raise BadRequestError("embedding: %d vectors returned for %d inputs" % (len(sent_data), len(self.missing)))
        vectors: Dict[int, Any] = dict(self.hits)
        for position, item in zip(self.missing, sent_data):
            vectors[position] = item.embedding
        self._keep(sent)
        usage = getattr(sent, "usage", None) or Usage()
        result = EmbeddingResponse(
            data=[EmbeddingData(embedding=vectors[i], index=i) for i in range(len(self.inputs))],
            model=getattr(sent, "model", None) or self.model,
            usage=usage,
        )
        if sent is not None:
            result._hidden_params.update(getattr(sent, "_hidden_params", {}) or {})
            result._response_headers.update(getattr(sent, "_response_headers", {}) or {})
        result._hidden_params["cached_inputs"] = len(self.hits)
        if not self.missing:
            result._hidden_params.update({"cache_hit": True, "response_cost": 0.0})
        return result

    def _keep(self, sent: Any) -> None:
        if not self._store or self.cache is None or sent is None:
            return
        for position, item in zip(self.missing, sorted(getattr(sent, "data", None) or [], key=lambda d: d.index)):
            key = self.keys[position]
            if key is not None:
                try:
                    self.cache.set(key, {"kind": "vector", "data": item.embedding, "stored_at": self.cache.clock()}, self.ttl)
                except Exception as exc:  # noqa: BLE001 - a failing backend must never fail the call
                    logger.warning("litellm_lite: cache store failed (%s: %s)", type(exc).__name__, exc)
                    return


def _vector(cache: Cache, key: Optional[str], max_age: Optional[float]) -> Optional[Any]:
    if key is None:
        return None
    try:
        entry = cache.get(key)
    except Exception as exc:  # noqa: BLE001
        logger.warning("litellm_lite: cache read failed (%s: %s)", type(exc).__name__, exc)
        return None
    if not isinstance(entry, _abc.Mapping) or entry.get("kind") != "vector" or not isinstance(entry.get("data"), (list, str)):
        return None
    if max_age is not None and cache.clock() - float(entry.get("stored_at") or 0.0) > max_age:
        return None
    return entry["data"]


def before_embedding(
    kwargs: Mapping[str, Any],
    *,
    provider: str = "",
    model: str = "",
    api_base: Optional[str] = None,
    call_type: str = "embedding",
    cache: Any = MODULE_CACHE,
) -> EmbeddingLookup:
    """Split an embedding call's ``input`` into cached vectors and the inputs still to send
    (``cache``: which cache, as for :func:`before_call`)."""
    inputs = _inputs_of(kwargs.get("input"))
    cache = chosen_cache(cache)
    controls = _applies(cache, call_type, kwargs)
    if cache is None or controls is None:
        return EmbeddingLookup(None, inputs, [None] * len(inputs), {}, store=False, ttl=None, model=model)
    namespace = controls.get("namespace") or cache.namespace
    keys = embedding_input_keys(kwargs, inputs, provider=provider, model=model, api_base=api_base, namespace=namespace)
    hits: Dict[int, Any] = {}
    if not controls.get("no-cache"):
        for position, key in enumerate(keys):
            vector = _vector(cache, key, controls.get("s-maxage"))
            if vector is not None:
                hits[position] = vector
    return EmbeddingLookup(cache, inputs, keys, hits, store=not controls.get("no-store"), ttl=controls.get("ttl"), model=model)
