"""The cache and budget checkpoints of every call, as the road's hooks (``_call.PRE_SEND`` / ``POST_FINISH``).

:func:`pre_send` (before anything is sent):

1. the cache (``litellm_lite.cache``, when it serves the call's type): a hit answers the call with
   zero requests (a stream call replays it as chunks); an embedding batch with some inputs cached is
   narrowed (``_call.narrow``) to the inputs still to send, the answer merged back in input order;
2. on a miss, every budget that applies (``litellm_lite.max_budget``, the ``user``'s, each tag's in
   ``tags=`` or ``metadata["tags"]``, and the ``litellm_budgets`` a Client or Router passes):
   :class:`~litellm_lite.budget.BudgetExceededError` is raised and nothing is sent. A hit is served
   even when a budget is used up: it costs nothing.

:func:`post_finish` (after a call finished; a stream once it was read to its end): stores the answer
and records its spend (``_hidden_params["response_cost"]``; a hit counts 0).

Which cache: ``litellm_lite.cache``, unless the call carries :data:`CACHE_KWARG` (a Client passes
its ``cache=``: ``"module"``, its own Cache, or None for none). With ``use_module_settings=False``
the module cache (unless :data:`CACHE_KWARG` asks for it) and module budgets do not apply (spend is
still counted in ``spend()``). The caching modules are imported only once a cache is set.
"""

from __future__ import annotations

from collections.abc import Mapping  # isinstance: several times faster than typing.Mapping's

from ._package import package
from . import budget as _budget
from .exceptions import BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple

    from ._call import Plan

__all__ = ["pre_send", "post_finish", "CONTROL_KWARGS", "BUDGETS_KWARG", "CACHE_KWARG"]

#: Keywords read here; params.CONTROL_KWARGS classifies them as control (never sent).
CONTROL_KWARGS = frozenset({"cache", "caching", "tags"})
#: The control keyword a Client or Router passes its budgets in (a list of budget.Budget).
BUDGETS_KWARG = "litellm_budgets"
#: The control keyword a Client passes its cache choice in: "module", a caching.Cache, or None (none).
CACHE_KWARG = "litellm_cache"
_MODULE = "module"  # caching.MODULE_CACHE (not imported here: caching loads only once a cache is used)
# Config keywords that may change an answer, so part of the cache key (secrets never are).
_KEYED_CONFIG = ("api_version", "extra_headers")


def _call_type(p: "Plan") -> str:
    return "completion" if p.endpoint == "chat" else p.endpoint


def _scope(p: "Plan") -> Tuple[Optional[str], List[str]]:
    """The call's user and tags (``tags=`` or ``metadata["tags"]``)."""
    control = p.split.control
    user = p.split.openai.get("user", p.split.body.get("user"))
    tags = control.get("tags")
    metadata = control.get("metadata")
    if tags is None and isinstance(metadata, Mapping):
        tags = metadata.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    if tags is not None and not isinstance(tags, (list, tuple)):
        raise BadRequestError("tags must be a list of strings, got %s" % type(tags).__name__, p.provider, p.model)
    return (str(user) if user is not None else None), [str(tag) for tag in tags or ()]


def _budgets(p: "Plan") -> List[_budget.Budget]:
    given = p.split.control.get(BUDGETS_KWARG) or ()
    if isinstance(given, _budget.Budget):
        given = [given]
    if not all(isinstance(b, _budget.Budget) for b in given):
        raise BadRequestError("%s must be a list of budget.Budget" % BUDGETS_KWARG, p.provider, p.model)
    return list(given)


def _key_material(p: "Plan") -> Dict[str, Any]:
    """What a cache key is made of: the request's inputs and parameters, and the cache controls."""
    split = p.split
    material: Dict[str, Any] = {k: v for k, v in split.openai.items() if not k.startswith("_")}
    material.update(split.body)
    for name in _KEYED_CONFIG:
        if split.config.get(name) is not None:
            material[name] = split.config[name]
    for name in ("cache", "caching"):
        if name in split.control:
            material[name] = split.control[name]
    request = p.request
    if p.endpoint == "chat":
        material["messages"] = request.messages
    elif p.endpoint == "embedding":
        material["input"] = request.input
    elif getattr(request, "files", None):
        material["files"] = request.files
    return material


def _cache_choice(p: "Plan", module: bool) -> Any:
    """Which cache the call uses: "module", a Client's own (or its None), or None."""
    control = p.split.control
    if CACHE_KWARG in control:
        return control[CACHE_KWARG]
    return _MODULE if module else None


def _cache_applies(p: "Plan", choice: Any) -> bool:
    """True when the cache machinery must look at the call (a cache is set, or cache keywords to check)."""
    if isinstance(choice, str) and choice == _MODULE:
        if getattr(package(), "cache", None) is not None:
            return True
    elif choice is not None and choice is not False:
        return True  # a Client's own cache (caching.chosen_cache checks it is one)
    control = p.split.control
    return "cache" in control or "caching" in control  # validated even without a cache


def _lookup(p: "Plan", choice: Any) -> Any:
    """A hit to answer with, or None (the lookup is kept in ``p.state`` for post_finish)."""
    from . import caching

    material = _key_material(p)
    api_base = p.config.api_base
    if p.endpoint == "embedding":
        found = caching.before_embedding(material, provider=p.provider, model=p.model, api_base=api_base, cache=choice)
        if found.all_hit:
            return found.merge(None)
        p.state["embedding_cache"] = found
        if found.hits:
            from . import _call

            _call.narrow(p, found.missing_inputs, found.merge)
        return None
    if p.stream and p.endpoint != "chat":  # only chat answers replay as chunks
        caching.validate_controls(material)
        caching.chosen_cache(choice)
        return None
    lookup = caching.before_call(_call_type(p), material, provider=p.provider, model=p.model, api_base=api_base, cache=choice)
    if lookup.hit:
        return lookup.response(lambda body: _reparse(p, body))
    if lookup.may_store:
        p.state["cache"] = lookup
    return None


def _reparse(p: "Plan", body: bytes) -> Any:
    """A cached chat answer, parsed again from the provider's body (a fresh object every hit)."""
    from . import _call
    from .providers.base import WireResponse

    return _call.parse_body(p, WireResponse(200, {"content-type": "application/json"}, body), p.request)


# Control keywords that make pre_send look at the call; without them (and with no cache or budget
# set) there is nothing to check, and the user and tags are read once, for post_finish.
_GUARDED = frozenset({"cache", "caching", "tags", "metadata", BUDGETS_KWARG})


def _nothing_to_check(p: "Plan") -> bool:
    settings = package()
    own = p.split.control.get(CACHE_KWARG)  # a Client's choice: "module" or None need nothing more
    return (
        getattr(settings, "cache", None) is None
        and (own is None or own is False or own == _MODULE)
        and getattr(settings, "max_budget", None) is None
        and not _budget.has_scoped_budgets()
        and _GUARDED.isdisjoint(p.split.control)
    )


def pre_send(p: "Plan") -> Any:
    """PRE_SEND: the cached answer, or None after the budget check passed (BudgetExceededError if not)."""
    if _nothing_to_check(p):
        return None
    module = p.split.control.get("use_module_settings", True) is not False
    user, tags = _scope(p)
    budgets = _budgets(p)
    p.state["scope"] = (user, tags, budgets)
    choice = _cache_choice(p, module)
    if _cache_applies(p, choice):
        answer = _lookup(p, choice)
        if answer is not None:
            p.call_info["cache_hit"] = True
            return answer
        if "cache" in p.state or "embedding_cache" in p.state:
            p.call_info["cache_hit"] = False
    _budget.check_budget(user=user, tags=tags, budgets=budgets, module=module)
    return None


def post_finish(p: "Plan", result: Any) -> None:
    """POST_FINISH: store the fresh answer, record the call's spend."""
    lookup = p.state.get("cache")
    if lookup is not None:  # a chat answer is kept as the provider's body: nothing to copy now
        lookup.store(result, body=p.state.get("wire_body") if p.endpoint == "chat" else None)
    embeddings = p.state.get("embedding_cache")
    if embeddings is not None and p.merge is None:
        embeddings.merge(result)  # nothing was cached: keep every vector (the same object comes back)
    scope = p.state.get("scope")
    if scope is None:  # pre_send had nothing to check: no tags, metadata or budgets of its own
        scope = _scope(p) + ([],)
    user, tags, budgets = scope
    _budget.record_spend(result, provider=p.provider, model=p.model, user=user, tags=tags, budgets=budgets)
