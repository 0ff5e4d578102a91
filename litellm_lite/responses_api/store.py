"""``previous_response_id`` for bridged providers: a bounded in-memory store of earlier turns.

A provider reached through chat completions has no idea of Responses ids, so the conversation is
kept here, in this process: each bridged response stores its own turn (the input messages of that
call and the assistant messages it produced) and the id of the response it continued. Asking for
``previous_response_id=X`` walks back that chain and sends the whole history as chat messages.

The store holds at most :data:`DEFAULT_MAX_RESPONSES` responses (least recently used dropped
first; reading a chain refreshes every response in it, the asked-for one last). An id that is not here (another process,
evicted, a native OpenAI id, or a response made with ``store=False``) raises
:class:`BadRequestError` naming the limit; no id is ever sent to a provider that does not know it.
``instructions`` are not carried over (as on OpenAI): pass them again on each call.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..exceptions import BadRequestError

__all__ = ["ResponseStore", "StoredTurn", "DEFAULT_MAX_RESPONSES", "default_store"]

#: How many bridged responses one process remembers for ``previous_response_id``.
DEFAULT_MAX_RESPONSES = 1000


@dataclass
class StoredTurn:
    """One bridged response: the messages of its call (without instructions) and its answer."""

    previous_id: Optional[str]
    input_messages: List[Dict[str, Any]] = field(default_factory=list)
    output_messages: List[Dict[str, Any]] = field(default_factory=list)


class ResponseStore:
    """A thread-safe LRU map ``response id -> StoredTurn`` of at most ``max_responses`` entries."""

    def __init__(self, max_responses: int = DEFAULT_MAX_RESPONSES) -> None:
        if not isinstance(max_responses, int) or isinstance(max_responses, bool) or max_responses < 1:
            raise BadRequestError("max_responses must be a positive integer, got %r" % (max_responses,))
        self.max_responses = max_responses
        self._turns: "OrderedDict[str, StoredTurn]" = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._turns)

    def __contains__(self, response_id: object) -> bool:
        return response_id in self._turns

    def put(self, response_id: str, turn: StoredTurn) -> None:
        """Remember one response (evicting the least recently used beyond the limit)."""
        with self._lock:
            self._turns[response_id] = turn
            self._turns.move_to_end(response_id)
            while len(self._turns) > self.max_responses:
                self._turns.popitem(last=False)

    def _missing(self, response_id: str, wanted: str, model: str) -> BadRequestError:
        detail = "" if response_id == wanted else " (it continues %r, which is no longer kept)" % response_id
        return BadRequestError(
            "previous_response_id %r is not known to this process%s: providers reached through chat "
            "completions keep only the last %d responses in memory (litellm_lite.responses_api.store."
            "DEFAULT_MAX_RESPONSES), made in this process with store left on. Send the earlier turns "
            "as input items instead." % (wanted, detail, self.max_responses),
            "",
            model,
        )

    def history(self, response_id: str, model: str = "") -> List[Dict[str, Any]]:
        """The chat messages of the conversation up to and including ``response_id``."""
        chain: List[StoredTurn] = []
        seen = set()
        seen_order: List[str] = []
        with self._lock:
            current: Optional[str] = response_id
            while current is not None and current not in seen:
                seen.add(current)
                seen_order.append(current)
                turn = self._turns.get(current)
                if turn is None:
                    raise self._missing(current, response_id, model)
                chain.append(turn)
                current = turn.previous_id
            for key in reversed(list(seen_order)):
                self._turns.move_to_end(key)
        messages: List[Dict[str, Any]] = []
        for turn in reversed(chain):
            messages.extend(turn.input_messages)
            messages.extend(turn.output_messages)
        # A copy: whatever the chat road does to the messages, the stored turns stay as they were.
        copied: List[Dict[str, Any]] = json.loads(json.dumps(messages))
        return copied

    def clear(self) -> None:
        with self._lock:
            self._turns.clear()


_default: Optional[ResponseStore] = None
_default_lock = threading.Lock()


def default_store() -> ResponseStore:
    """The process-wide store the bridged ``responses()`` calls use (created on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ResponseStore()
    return _default
