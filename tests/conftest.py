"""Shared fixtures: loopback server, cassette loader, environment isolation."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
import types
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
from hypothesis import settings

import litellm_lite

from tests.server import LoopbackServer

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASSETTES = SHARED / "cassettes"
SPECS = SHARED / "specs"

_ISOLATED_SUFFIXES = ("_API_KEY", "_API_BASE", "_BASE_URL", "_API_VERSION")
_ISOLATED_NAMES = (
    "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
    "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_SHARED_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS",
    "VERTEXAI_PROJECT", "VERTEXAI_LOCATION", "LITELLM_LITE_MODEL_COST_MAP", "LITELLM_LITE_LOG", "AZURE_AD_TOKEN",
)


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real key, proxy or AWS profile from the machine it runs on."""
    for name in list(os.environ):
        if name.endswith(_ISOLATED_SUFFIXES) or name in _ISOLATED_NAMES:
            monkeypatch.delenv(name, raising=False)


# -- process-wide state, reset around every test ---------------------------------------------------

# The settings block of litellm_lite/__init__.py (api_key, num_retries, callbacks, model_alias_map...):
# every plain attribute the package has at import, before any lazy name was loaded.
_SETTINGS = tuple(
    name for name, value in vars(litellm_lite).items()
    if not name.startswith("_") and name not in litellm_lite.__all__ and name not in ("annotations", "TYPE_CHECKING")
    and not callable(value) and not isinstance(value, types.ModuleType)
)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value


def _put_back(obj: Any, saved: Any) -> Any:
    """Refill a list or dict in place (modules keep references to it); other values as they were."""
    if isinstance(obj, list):
        obj[:] = saved
    elif isinstance(obj, dict):
        obj.clear()
        obj.update(saved)
    return obj


def _loaded(name: str) -> Any:
    """A package module if something already imported it (the fixture imports nothing)."""
    return sys.modules.get("litellm_lite." + name)


def _snapshot() -> List[Tuple[Callable[[], None], ...]]:
    """Undo actions for the process-wide state as it is now (cheap: no copies of big tables)."""
    undo: List[Tuple[Callable[[], None], ...]] = []
    for name in _SETTINGS:
        obj = getattr(litellm_lite, name, None)
        saved = _copy(obj)
        undo.append((lambda n=name, o=obj, v=saved: setattr(litellm_lite, n, _put_back(o, v)),))
    call = _loaded("_call")
    if call is not None:
        for hooks in (call.PRE_SEND, call.PER_ATTEMPT, call.POST_FINISH):
            undo.append((lambda h=hooks, v=list(hooks): _put_back(h, v),))
    providers = _loaded("providers")
    if providers is not None:
        table = providers.PROVIDERS
        rows = dict(table)

        def providers_back(t: Dict[str, Any] = table, v: Dict[str, Any] = rows) -> None:
            if t.keys() != v.keys() or any(t[k] is not v[k] for k in v):
                _put_back(t, v)
                from litellm_lite.params import reset_claimed

                reset_claimed()

        undo.append((providers_back,))
    exceptions = _loaded("exceptions")
    if exceptions is not None:
        secrets = exceptions._registered_secrets
        kept = list(secrets)

        def secrets_back(d: Any = secrets, v: List[str] = kept) -> None:
            if len(d) != len(v) or list(d) != v:
                with exceptions._secrets_lock:
                    d.clear()
                    d.update((k, None) for k in v)

        undo.append((secrets_back,))
    tracing = _loaded("tracing")
    if tracing is not None:
        undo.append((lambda t=tracing, v=tracing._otel: setattr(t, "_otel", v),))
    return undo


def _reset_caches() -> None:
    """Forget what a test left in the token caches, the metrics, the budget ledger (spend and
    user/tag budgets) and the model registry; the response cache is the ``cache`` setting."""
    for module, clear in (("providers.google_auth", "clear_token_cache"), ("providers.ibm_auth", "clear_iam_cache")):
        loaded = _loaded(module)
        if loaded is not None and len(loaded._tokens):
            getattr(loaded, clear)()
    metrics = _loaded("metrics")
    if metrics is not None and metrics._series:
        metrics.reset_metrics()
    budget = _loaded("budget")
    if budget is not None:
        ledger = budget._ledger
        if ledger.calls or ledger.total or ledger.users or ledger.tags or ledger.window is not None or ledger.clock is not time.time:
            warned = set(ledger.warned)
            budget.reset_spend(budgets=True, clock=time.time)
            # "No known price" is warned once per model per process, as in production. (Kept also
            # because that warning, logged from a POST_FINISH hook, carries no call id: README's
            # Observability example relies on it having been given already.)
            ledger.warned.update(warned)
    store = _loaded("_model_store")
    if store is not None and store._overlay:  # register_model() or a user's map: back to the bundled one
        _loaded("registry")._reset()


@pytest.fixture(autouse=True)
def _reset_process_state() -> Iterator[None]:
    """Every test starts from the state the previous one found: module settings and callbacks,
    road hooks, registered providers, the secrets registry, OpenTelemetry, token caches, metrics,
    the response cache and budgets, and models added with register_model."""
    undo = _snapshot()
    yield
    for (action,) in undo:
        action()
    _reset_caches()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


def require_shared() -> None:
    if not CASSETTES.is_dir():
        pytest.skip("../shared/cassettes is not present next to this checkout (plain clone): replay tests skipped")


@functools.lru_cache(maxsize=None)
def load_spec(name: str) -> Any:
    """``../shared/specs/<name>`` (YAML or JSON) parsed once per session; callers copy before changing it."""
    path = SPECS / name
    if path.suffix == ".yaml":
        yaml = pytest.importorskip("yaml")
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.loads(path.read_text(encoding="utf-8"))


def load_cassettes(prefix: str = "") -> List[Dict[str, Any]]:
    """All recordings whose file name starts with ``prefix`` (empty when ../shared is absent)."""
    if not CASSETTES.is_dir():
        return []
    out = []
    for path in sorted(CASSETTES.glob(prefix + "*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


# -- the quick lane ---------------------------------------------------------------------------------

# `-m "not slow"` loads the "quick" Hypothesis profile: property tests left in the quick lane try at most
# this many examples there (through examples() below); the full run (CI, README's command) tries all.
settings.register_profile("quick", max_examples=20)
_QUICK: List[bool] = [False]


def pytest_configure(config: Any) -> None:
    if "not slow" in " ".join(str(config.getoption("markexpr", "") or "").split()):
        settings.load_profile("quick")
        _QUICK[0] = True


def examples(n: int) -> int:
    """``n`` Hypothesis examples, or the quick profile's number in the quick lane."""
    return min(n, settings.get_profile("quick").max_examples) if _QUICK[0] else n


def pytest_collection_modifyitems(config: Any, items: List[Any]) -> None:
    """In a plain clone the recording-driven parameter lists are empty: say why they are skipped."""
    if CASSETTES.is_dir():
        return
    reason = "../shared/cassettes is not present next to this checkout (plain clone): recording tests skipped"
    for item in items:
        for mark in item.iter_markers("skip"):
            if "empty parameter set" in str(mark.kwargs.get("reason", "")):
                item.add_marker(pytest.mark.skip(reason=reason), append=False)
                break


class Collector(logging.Handler):
    """Keeps every record the ``litellm_lite`` logger emits during a test (the ``collected`` fixture)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def attempts(self) -> List[str]:
        return [r.getMessage() for r in self.records if " attempt " in r.getMessage()]


@pytest.fixture
def collected() -> Iterator[Collector]:
    """A Collector on the ``litellm_lite`` logger, set to DEBUG for the test."""
    handler = Collector()
    log = logging.getLogger("litellm_lite")
    old = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.setLevel(old)


@pytest.fixture
def fake(request: Any) -> Iterator[Any]:
    """A FakeProvider for the test, answering as the module's ``FAKE_MODEL`` when it sets one
    (modules that need another kind of fake define their own ``fake``)."""
    from litellm_lite.testing import FakeProvider

    with FakeProvider(model=getattr(request.module, "FAKE_MODEL", "fake-model")) as provider:
        yield provider


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The model registry as bundled: no ``LITELLM_LITE_MODEL_COST_MAP``, nothing registered, before
    and after the test."""
    from litellm_lite import registry

    monkeypatch.delenv(registry.COST_MAP_ENV, raising=False)
    registry._reset()
    yield
    registry._reset()


BUNDLED_PRICES = Path(__file__).resolve().parents[1] / "litellm_lite" / "model_prices_and_context_window.json"


@pytest.fixture(scope="module")
def raw() -> Dict[str, Dict[str, Any]]:
    """The bundled price map, parsed (read-only: a test must not change it)."""
    with BUNDLED_PRICES.open(encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]
