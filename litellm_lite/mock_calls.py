"""``mock_response`` calls, observed like sent ones.

Nothing is sent, but callbacks, metrics, spans and log records see the call as they see any other:
it gets its ``litellm_call_id`` (on the result or the mocked error), ``pre_call``, then ``success``
(a stream: once read to its end) or ``failure``. The public functions build the mocked result;
:func:`observe_mock` does the rest.
"""

from __future__ import annotations

import time

from . import observability
from .correlation import check_call_id, new_call_id

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, Optional

__all__ = ["observe_mock"]


def _info(endpoint: str, model: str, control: Dict[str, Any], call_id: str, inputs: Any, stream: bool) -> Dict[str, Any]:
    return {
        "call_type": "completion" if endpoint == "chat" else endpoint,
        "model": model,
        "provider": "mock",
        "stream": stream,
        "api_base": None,
        "metadata": control.get("metadata"),
        "litellm_call_id": call_id,
        "optional_params": {},
        "messages": inputs if endpoint == "chat" else [],
        "_use_module_settings": control.get("use_module_settings", True) is not False,
        "_callbacks": control.get("callbacks"),
    }


def observe_mock(
    endpoint: str,
    model: Any,
    answer: Callable[[], Any],
    kwargs: Optional[Dict[str, Any]] = None,
    *,
    inputs: Any = None,
    stream: bool = False,
) -> Any:
    """Run ``answer()`` (it builds the mocked result, or raises the mocked error) as one observed call.

    ``kwargs`` are the call's other keywords (``metadata``, ``callbacks``, ``use_module_settings``,
    ``litellm_call_id``); ``inputs`` the chat messages.
    """
    from .streaming import CustomStreamWrapper

    control = kwargs if kwargs is not None else {}
    given = control.get("litellm_call_id")
    call_id = new_call_id() if given is None else check_call_id(given, str(model))
    info = _info(endpoint, str(model), control, call_id, inputs, stream)
    start = time.time()
    observability.pre_call(info)
    try:
        result = answer()
    except Exception as exc:  # the mocked error (an instance the caller gave)
        observability.failure(info, exc, start, time.time())
        raise
    result._hidden_params.setdefault("custom_llm_provider", "mock")
    result._hidden_params["litellm_call_id"] = call_id
    if not isinstance(result, CustomStreamWrapper):
        observability.success(info, result, start, time.time())
        return result

    def on_complete(built: Any) -> None:
        built._hidden_params.update({"custom_llm_provider": "mock", "litellm_call_id": call_id})
        observability.success(info, built, start, time.time())

    result._on_complete = on_complete
    result._on_chunk = observability.chunk_hook(info, start)
    result._on_close = observability.close_hook(info, start)
    return result
