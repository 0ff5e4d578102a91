"""LiteLLM's ``BudgetManager``: per-user budgets kept in a JSON file (``user_cost.json``).

::

    from litellm_lite import BudgetManager

    manager = BudgetManager(project_name="demo")
    if not manager.is_valid_user("alice"):
        manager.create_budget(total_budget=10, user="alice", duration="monthly")
    if manager.get_current_cost("alice") <= manager.get_total_budget("alice"):
        response = litellm.completion(...)
        manager.update_cost(completion_obj=response, user="alice")
    manager.save_data()

The file has LiteLLM's layout (``{user: {"total_budget", "current_cost", "model_cost", "duration"
(days), "created_at", "last_updated_at"}}``) and is written atomically (temporary file, then rename),
so a reader never sees half a file. ``create_budget`` saves; after ``update_cost`` call ``save_data()``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

from .budget import call_cost, parse_duration
from .exceptions import BadRequestError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from .budget import Duration

__all__ = ["BudgetManager"]

logger = logging.getLogger("litellm_lite")
_DAY = 86400.0


class BudgetManager:
    """Budgets per user for one project; ``client_type="local"`` only (no hosted service is called).

    ``path`` (ours) chooses the file; LiteLLM's default is ``user_cost.json`` in the working directory.
    """

    def __init__(
        self,
        project_name: str,
        client_type: str = "local",
        api_base: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        *,
        path: Optional[str] = None,
        clock: Optional[Callable[[], float]] = None,
    ) -> None:
        if client_type != "local":
            raise BadRequestError("BudgetManager(client_type=%r): only 'local' is supported (budgets are kept in a local JSON file)" % (client_type,))
        self.project_name = project_name
        self.client_type = client_type
        self.api_base = api_base
        self.path = os.path.abspath(path or "user_cost.json")
        self._clock = clock or time.time
        self._lock = threading.RLock()
        self._warned: "set[str]" = set()
        self.user_dict: Dict[str, Dict[str, Any]] = {}
        self.load_data()

    # -- persistence ---------------------------------------------------------------------------

    def load_data(self) -> None:
        """Read the file (an absent file means no users yet)."""
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            self.user_dict = {}
            return
        except OSError as exc:
            raise BadRequestError("BudgetManager: cannot read %s: %s" % (self.path, exc)) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequestError("BudgetManager: %s is not valid JSON (%s); fix or remove it" % (self.path, exc)) from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise BadRequestError("BudgetManager: %s does not hold {user: {...}} objects" % (self.path,))
        with self._lock:
            self.user_dict = data

    def save_data(self) -> Dict[str, str]:
        """Write the file atomically; returns ``{"status": "success"}`` as LiteLLM does."""
        with self._lock:
            text = json.dumps(self.user_dict, indent=2, sort_keys=True)
        directory = os.path.dirname(self.path) or "."
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(prefix=".user_cost-", suffix=".part", dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except OSError as exc:
            if tmp:
                try:
                    os.remove(tmp)
                except OSError:
                    pass
            raise BadRequestError("BudgetManager: cannot write %s: %s" % (self.path, exc)) from exc
        return {"status": "success"}

    # -- budgets -------------------------------------------------------------------------------

    def _user(self, user: str) -> Dict[str, Any]:
        entry = self.user_dict.get(user)
        if entry is None:
            raise BadRequestError("BudgetManager: no budget for user %r; call create_budget first" % (user,))
        return entry

    def create_budget(
        self, total_budget: float, user: str, duration: Duration = None, created_at: Optional[float] = None
    ) -> Dict[str, str]:
        """Give ``user`` a budget of ``total_budget`` USD, reset every ``duration`` (daily, weekly,
        monthly, yearly or e.g. ``"30d"``); saves the file. Raises when the user already has one."""
        if isinstance(total_budget, bool) or not isinstance(total_budget, (int, float)) or not total_budget >= 0:
            raise BadRequestError("create_budget: total_budget must be a number >= 0, got %r" % (total_budget,))
        seconds = parse_duration(duration)
        with self._lock:
            if user in self.user_dict:
                raise BadRequestError("create_budget: user %r already has a budget" % (user,))
            entry: Dict[str, Any] = {"total_budget": float(total_budget), "current_cost": 0.0, "model_cost": {}}
            if seconds is not None:
                now = float(created_at) if created_at is not None else self._clock()
                entry.update({"duration": seconds / _DAY, "created_at": now, "last_updated_at": now})
            self.user_dict[user] = entry
        return self.save_data()

    def get_total_budget(self, user: str) -> float:
        with self._lock:
            return float(self._user(user)["total_budget"])

    def get_current_cost(self, user: str) -> float:
        with self._lock:
            return float(self._user(user).get("current_cost", 0.0))

    def get_model_cost(self, user: str) -> Dict[str, float]:
        with self._lock:
            return dict(self._user(user).get("model_cost", {}))

    def is_valid_user(self, user: str) -> bool:
        with self._lock:
            return user in self.user_dict

    def get_users(self) -> List[str]:
        with self._lock:
            return list(self.user_dict)

    def projected_cost(self, model: str, messages: List[Dict[str, Any]], user: str) -> float:
        """The user's current cost plus the price of sending ``messages`` to ``model`` (prompt only)."""
        from .cost import cost_per_token
        from .tokens import token_counter

        prompt_tokens = int(token_counter(model=model, messages=messages))
        prompt_cost, _ = cost_per_token(model, prompt_tokens=prompt_tokens, completion_tokens=0)
        return self.get_current_cost(user) + prompt_cost

    def _cost(self, completion_obj: Any, model: Optional[str], input_text: Optional[str], output_text: Optional[str]) -> Optional[float]:
        from .cost import completion_cost

        try:
            if completion_obj is not None:
                cost, hit = call_cost(completion_obj)
                if hit:
                    return 0.0
                return cost if cost is not None else completion_cost(completion_response=completion_obj, model=model)
            if model and input_text is not None and output_text is not None:
                return completion_cost(model=model, prompt=input_text, completion=output_text)
        except NotFoundError:
            return None
        raise BadRequestError("update_cost needs completion_obj=... or model=, input_text= and output_text=")

    def update_cost(
        self,
        user: str,
        completion_obj: Any = None,
        model: Optional[str] = None,
        input_text: Optional[str] = None,
        output_text: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Add the cost of a finished call to ``user``'s spend (per model too); a cache hit adds 0.

        A model with no known price adds nothing, counts in ``"unpriced_calls"`` and logs one warning.
        """
        if completion_obj is not None and model is None:
            model = getattr(completion_obj, "model", None) or (completion_obj.get("model") if isinstance(completion_obj, dict) else None)
        cost = self._cost(completion_obj, model, input_text, output_text)
        name = str(model or "unknown")
        with self._lock:
            entry = self._user(user)
            if cost is None:
                entry["unpriced_calls"] = int(entry.get("unpriced_calls", 0)) + 1
                if name not in self._warned:
                    self._warned.add(name)
                    logger.warning("litellm_lite: BudgetManager: no known price for %s; counted as unpriced", name)
            else:
                entry["current_cost"] = float(entry.get("current_cost", 0.0)) + cost
                costs = entry.setdefault("model_cost", {})
                costs[name] = float(costs.get(name, 0.0)) + cost
            return {"user": user, "current_cost": entry.get("current_cost", 0.0), "model_cost": dict(entry.get("model_cost", {}))}

    def reset_cost(self, user: str) -> Dict[str, Any]:
        with self._lock:
            entry = self._user(user)
            entry.update({"current_cost": 0.0, "model_cost": {}})
            return {"user": user, "current_cost": 0.0, "model_cost": {}}

    def reset_on_duration(self, user: str) -> None:
        """Zero the user's spend when their budget's duration has passed since the last reset."""
        with self._lock:
            entry = self._user(user)
            days = entry.get("duration")
            if not days:
                return
            now = self._clock()
            last = float(entry.get("last_updated_at", entry.get("created_at", now)))
            if now - last >= float(days) * _DAY:
                self.reset_cost(user)
                entry["last_updated_at"] = now

    def update_budget_all_users(self) -> Dict[str, str]:
        """``reset_on_duration`` for every user, then save."""
        for user in self.get_users():
            self.reset_on_duration(user)
        return self.save_data()
