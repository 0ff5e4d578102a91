"""budget.py and budget_manager.py: budgets stop calls before they start; spend totals; BudgetManager file."""

from __future__ import annotations

import json
import logging
import pickle
import threading
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

import litellm_lite as litellm
from litellm_lite import budget
from litellm_lite.budget import Budget, BudgetExceededError, check_budget, parse_duration, record_spend, reset_spend, set_budget, spend
from litellm_lite.budget_manager import BudgetManager
from litellm_lite.exceptions import BadRequestError, LiteLLMError
from litellm_lite.types import Choices, Message, ModelResponse, Usage


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock()
    monkeypatch.setattr(litellm, "max_budget", None)
    monkeypatch.setattr(litellm, "budget_duration", None)
    reset_spend(budgets=True, clock=clock)
    yield clock
    reset_spend(budgets=True, clock=__import__("time").time)


def priced(cost: Optional[float], *, hit: bool = False, model: str = "gpt-4o-mini") -> ModelResponse:
    response = ModelResponse(model=model, choices=[Choices(message=Message(content="x"))], usage=Usage(prompt_tokens=10, completion_tokens=5))
    response._hidden_params["response_cost"] = cost
    if hit:
        response._hidden_params["cache_hit"] = True
    return response


class FakeSender:
    """Stands in for the orchestrator: check before, record after."""

    def __init__(self, cost: float) -> None:
        self.cost = cost
        self.sent = 0

    def call(self, **scope: Any) -> None:
        check_budget(**scope)
        self.sent += 1
        record_spend(priced(self.cost), provider="openai", model="gpt-4o-mini", **scope)


# -- durations --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,seconds",
    [(None, None), ("daily", 86400), ("weekly", 604800), ("monthly", 2592000), ("yearly", 31536000), ("30s", 30), ("15m", 900),
     ("1h", 3600), ("30d", 2592000), ("2w", 1209600), ("1mo", 2592000), (" 1.5h ", 5400), (90, 90)],
)
def test_parse_duration(value: Any, seconds: Optional[float]) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("bad", ["fortnightly", "0d", "-1h", "1x", 0, -5, True, [1], float("inf")])
def test_bad_duration_is_our_error(bad: Any) -> None:
    with pytest.raises(BadRequestError):
        parse_duration(bad)


# -- the error ----------------------------------------------------------------------------------------


def test_budget_exceeded_error_shape() -> None:
    err = BudgetExceededError(5.5, 5.0)
    assert isinstance(err, LiteLLMError)
    assert err.current_cost == 5.5 and err.max_budget == 5.0 and err.scope == "global"
    assert "5.500000" in str(err) and "5.000000" in str(err)
    back = pickle.loads(pickle.dumps(BudgetExceededError(1.0, 0.5, scope="user:bob")))
    assert back.scope == "user:bob" and back.current_cost == 1.0
    assert litellm.BudgetExceededError is BudgetExceededError


# -- global budget --------------------------------------------------------------------------------------


def test_global_budget_stops_a_loop_before_the_call_past_the_limit() -> None:
    litellm.max_budget = 1.0
    sender = FakeSender(cost=0.3)
    with pytest.raises(BudgetExceededError) as info:
        for _ in range(100):
            sender.call()
    assert sender.sent == 4  # 0.9 < 1.0 lets the 4th run; 1.2 >= 1.0 stops the 5th before it starts
    assert info.value.current_cost == pytest.approx(1.2) and info.value.max_budget == 1.0
    assert litellm._current_cost == pytest.approx(1.2)


def test_projected_cost_stops_the_call_that_would_cross() -> None:
    litellm.max_budget = 1.0
    sent = 0
    with pytest.raises(BudgetExceededError):
        for _ in range(100):
            check_budget(projected=0.3)
            sent += 1
            record_spend(cost=0.3, provider="openai", model="m")
    assert sent == 3 and budget.current_cost() == pytest.approx(0.9)


def test_budget_duration_resets_the_global_window(_fresh: Clock) -> None:
    litellm.max_budget = 1.0
    litellm.budget_duration = "1h"
    record_spend(cost=1.0, provider="p", model="m")
    with pytest.raises(BudgetExceededError):
        check_budget()
    _fresh.now += 3600
    check_budget()  # a new window
    assert budget.current_cost() == 0.0
    assert spend()["total"] == 1.0  # totals are never reset by windows


def test_spend_before_a_budget_is_set_counts() -> None:
    record_spend(cost=2.0, provider="p", model="m")
    litellm.max_budget = 1.5
    with pytest.raises(BudgetExceededError):
        check_budget()


def test_bad_max_budget_is_our_error() -> None:
    litellm.max_budget = "5"
    with pytest.raises(BadRequestError):
        check_budget()


# -- user / tag / client budgets ------------------------------------------------------------------------


def test_user_budget_only_stops_that_user() -> None:
    set_budget(0.5, user="alice")
    sender = FakeSender(cost=0.25)
    sender.call(user="alice")
    sender.call(user="alice")
    with pytest.raises(BudgetExceededError) as info:
        sender.call(user="alice")
    assert info.value.scope == "user:alice"
    sender.call(user="bob")
    sender.call()
    assert sender.sent == 4
    assert budget.get_budget(user="alice").spent == pytest.approx(0.5)


def test_tag_budget_with_daily_duration(_fresh: Clock) -> None:
    set_budget(1.0, tag="eval", duration="daily")
    record_spend(cost=1.0, provider="p", model="m", tags=["eval", "nightly"])
    with pytest.raises(BudgetExceededError) as info:
        check_budget(tags=["nightly", "eval"])
    assert info.value.scope == "tag:eval"
    check_budget(tags="nightly")
    _fresh.now += 86400
    check_budget(tags=["eval"])
    budget.remove_budget(tag="eval")
    assert budget.get_budget(tag="eval") is None


def test_client_budget_object(_fresh: Clock) -> None:
    router_budget = Budget(1.0, duration="1h", name="router:main", clock=_fresh)
    record_spend(cost=0.6, provider="p", model="m", budgets=[router_budget])
    check_budget(budgets=[router_budget])
    record_spend(cost=0.6, provider="p", model="m", budgets=[router_budget])
    with pytest.raises(BudgetExceededError) as info:
        check_budget(budgets=[router_budget])
    assert info.value.scope == "router:main"
    assert router_budget.remaining == 0.0 and router_budget.resets_at == _fresh.now + 3600
    _fresh.now += 7300  # two windows later
    assert router_budget.spent == 0.0 and router_budget.resets_at == 1_000_000.0 + 3 * 3600
    router_budget.record(0.2)
    router_budget.reset()
    assert router_budget.spent == 0.0
    assert "router:main" in repr(router_budget)


def test_set_budget_needs_one_scope() -> None:
    with pytest.raises(BadRequestError):
        set_budget(1.0)
    with pytest.raises(BadRequestError):
        set_budget(1.0, user="a", tag="b")
    with pytest.raises(BadRequestError):
        set_budget(-1.0, user="a")


# -- spend totals -----------------------------------------------------------------------------------------


def test_spend_totals_by_provider_model_user_tag() -> None:
    record_spend(priced(0.5), provider="openai", model="gpt-4o-mini", user="alice", tags=["a", "b"])
    record_spend(priced(0.25), provider="anthropic", model="claude", user="bob", tags=["a"])
    record_spend(priced(0.0, hit=True), provider="openai", model="gpt-4o-mini", user="alice")
    totals = spend()
    assert totals["total"] == pytest.approx(0.75)
    assert totals["by_provider"] == {"openai": 0.5, "anthropic": 0.25}
    assert totals["by_model"] == {"gpt-4o-mini": 0.5, "claude": 0.25}
    assert totals["by_user"] == {"alice": 0.5, "bob": 0.25}
    assert totals["by_tag"] == {"a": 0.75, "b": 0.5}
    assert totals["calls"] == 3 and totals["cache_hits"] == 1 and totals["unpriced_calls"] == 0
    assert litellm.spend() == totals


def test_cache_hits_cost_zero_even_when_a_cost_is_present() -> None:
    response = priced(3.0, hit=True)
    assert record_spend(response, provider="p", model="m") == 0.0
    assert record_spend(cost=2.0, cache_hit=True, provider="p", model="m") == 0.0
    assert spend()["total"] == 0.0


def test_unpriced_model_warns_once_and_is_counted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="litellm_lite")
    for _ in range(3):
        assert record_spend(priced(None, model="my-local-llm"), provider="ollama", model="my-local-llm") is None
    record_spend(priced(None, model="other"), provider="ollama", model="other")
    warnings = [r for r in caplog.records if "no known price" in r.getMessage()]
    assert len(warnings) == 2 and "ollama/my-local-llm" in warnings[0].getMessage()
    totals = spend()
    assert totals["unpriced_calls"] == 4 and totals["unpriced_models"] == {"ollama/my-local-llm": 3, "ollama/other": 1}
    assert totals["total"] == 0.0 and totals["calls"] == 4
    assert record_spend(object(), provider="p", model="m") is None  # no hidden params at all: unpriced


def test_the_unpriced_warning_of_a_call_carries_its_call_id(caplog: pytest.LogCaptureFixture) -> None:
    from litellm_lite.testing import FakeProvider

    reset_spend()  # forget which models were warned about
    caplog.set_level(logging.WARNING, logger="litellm_lite")
    with FakeProvider(model="my-unpriced-model") as fake:
        result = litellm.completion(messages=[{"role": "user", "content": "hi"}], **fake.kwargs())
    (warning,) = [r for r in caplog.records if "no known price" in r.getMessage()]
    assert getattr(warning, "litellm_call_id", None) == result._hidden_params["litellm_call_id"]


def test_record_rejects_a_bad_cost() -> None:
    with pytest.raises(BadRequestError):
        record_spend(cost=-1.0)


def test_threads_lose_no_spend() -> None:
    litellm.max_budget = 10_000.0
    user_budget = set_budget(10_000.0, user="u")

    def work() -> None:
        for _ in range(500):
            check_budget(user="u")
            record_spend(cost=0.01, provider="p", model="m", user="u", tags=["t"])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert spend()["total"] == pytest.approx(40.0)
    assert spend()["by_tag"]["t"] == pytest.approx(40.0)
    assert user_budget.spent == pytest.approx(40.0) and budget.current_cost() == pytest.approx(40.0)


# -- BudgetManager ----------------------------------------------------------------------------------------


def test_budget_manager_flow_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "user_cost.json"
    manager = BudgetManager(project_name="demo", path=str(path))
    assert not manager.is_valid_user("alice")
    assert manager.create_budget(total_budget=10, user="alice") == {"status": "success"}
    assert manager.is_valid_user("alice") and manager.get_users() == ["alice"]
    with pytest.raises(BadRequestError):
        manager.create_budget(total_budget=5, user="alice")
    result = manager.update_cost(user="alice", completion_obj=priced(0.75))
    assert result["current_cost"] == 0.75 and result["model_cost"] == {"gpt-4o-mini": 0.75}
    manager.update_cost(user="alice", completion_obj=priced(5.0, hit=True))
    assert manager.get_current_cost("alice") == 0.75
    assert manager.get_total_budget("alice") == 10.0
    manager.save_data()
    reloaded = BudgetManager(project_name="demo", path=str(path))
    assert reloaded.get_current_cost("alice") == 0.75 and reloaded.get_model_cost("alice") == {"gpt-4o-mini": 0.75}
    assert json.loads(path.read_text())["alice"]["total_budget"] == 10.0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_budget_manager_prices_unpriced_responses_from_the_registry(tmp_path: Path) -> None:
    manager = BudgetManager("demo", path=str(tmp_path / "b.json"))
    manager.create_budget(1.0, "u")
    response = priced(None, model="gpt-4o-mini")
    manager.update_cost(user="u", completion_obj=response)
    assert manager.get_current_cost("u") == pytest.approx(litellm.completion_cost(completion_response=response))
    manager.update_cost(user="u", model="gpt-4o-mini", input_text="hello there", output_text="hi")
    assert manager.get_current_cost("u") > 0


def test_budget_manager_unknown_model_is_unpriced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="litellm_lite")
    manager = BudgetManager("demo", path=str(tmp_path / "b.json"))
    manager.create_budget(1.0, "u")
    for _ in range(2):
        manager.update_cost(user="u", completion_obj=priced(None, model="no-such-model-xyz"))
    assert manager.get_current_cost("u") == 0.0
    assert manager.user_dict["u"]["unpriced_calls"] == 2
    assert sum("no known price" in r.getMessage() for r in caplog.records) == 1
    with pytest.raises(BadRequestError):
        manager.update_cost(user="u")
    with pytest.raises(BadRequestError):
        manager.update_cost(user="nobody", completion_obj=priced(0.1))


def test_budget_manager_projected_cost(tmp_path: Path) -> None:
    manager = BudgetManager("demo", path=str(tmp_path / "b.json"))
    manager.create_budget(1.0, "u")
    manager.update_cost(user="u", completion_obj=priced(0.5))
    projected = manager.projected_cost("gpt-4o-mini", [{"role": "user", "content": "hello " * 100}], "u")
    assert 0.5 < projected < 0.51


def test_budget_manager_reset_on_duration(tmp_path: Path) -> None:
    clock = Clock()
    manager = BudgetManager("demo", path=str(tmp_path / "b.json"), clock=clock)
    manager.create_budget(1.0, "daily-user", duration="daily")
    manager.create_budget(1.0, "forever")
    for user in ("daily-user", "forever"):
        manager.update_cost(user=user, completion_obj=priced(0.4))
    clock.now += 3600
    manager.reset_on_duration("daily-user")
    assert manager.get_current_cost("daily-user") == 0.4
    clock.now += 86400
    manager.update_budget_all_users()
    assert manager.get_current_cost("daily-user") == 0.0 and manager.get_model_cost("daily-user") == {}
    assert manager.get_current_cost("forever") == 0.4
    assert manager.user_dict["daily-user"]["last_updated_at"] == clock.now
    assert manager.user_dict["daily-user"]["duration"] == 1.0  # days, as LiteLLM stores it
    assert manager.reset_cost("forever")["current_cost"] == 0.0


def test_budget_manager_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(BadRequestError):
        BudgetManager("demo", client_type="hosted", path=str(tmp_path / "x.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(BadRequestError, match="not valid JSON"):
        BudgetManager("demo", path=str(bad))
    bad.write_text("[1, 2]")
    with pytest.raises(BadRequestError):
        BudgetManager("demo", path=str(bad))
    manager = BudgetManager("demo", path=str(tmp_path / "ok.json"))
    with pytest.raises(BadRequestError):
        manager.create_budget(total_budget=-1, user="u")
    with pytest.raises(BadRequestError):
        manager.create_budget(total_budget=1, user="u", duration="sometimes")
    with pytest.raises(BadRequestError):
        manager.get_current_cost("nobody")
    directory = tmp_path / "dir.json"
    directory.mkdir()
    with pytest.raises(BadRequestError):
        BudgetManager("demo", path=str(directory))


def test_budget_manager_save_failure_is_our_error(tmp_path: Path) -> None:
    manager = BudgetManager("demo", path=str(tmp_path / "gone" / "b.json"))
    with pytest.raises(BadRequestError, match="cannot write"):
        manager.create_budget(1.0, "u")


def test_budget_manager_default_file_is_user_cost_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    BudgetManager("demo").create_budget(2.0, "u")
    assert (tmp_path / "user_cost.json").exists()
    assert litellm.BudgetManager is BudgetManager


def test_exports() -> None:
    names: List[str] = ["Budget", "set_budget", "check_budget", "record_spend", "spend", "reset_spend"]
    for name in names:
        assert getattr(litellm, name) is getattr(budget, name)
