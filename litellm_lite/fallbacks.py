"""``completion(..., fallbacks=[...], context_window_fallback_dict={...})``: try other models in order.

::

    completion(model="openai/gpt-4o", messages=msgs,
               fallbacks=["anthropic/claude-3-5-haiku-latest",
                          {"model": "openai/gpt-4o", "api_base": "https://backup.example/v1", "api_key": "..."}],
               context_window_fallback_dict={"openai/gpt-4o-mini": "openai/gpt-4o"})

Order: the original call; on a ContextWindowExceededError, the bigger model that
``context_window_fallback_dict`` maps the failing model to (followed as a chain, each model once);
then every entry of ``fallbacks`` in order. A fallback entry is a model name (a string) or a
dict of keyword overrides (``model``, ``api_base``, ``api_key``, ``temperature``, ...). A fallback
inherits the original call's keyword arguments unless its dict overrides them, except that keys
stay with their provider: a fallback to *another* provider never inherits the original call's
``api_key``, ``api_base``/``base_url``, ``api_version`` or credential keywords (AWS, Vertex,
Azure AD); it uses its own (from its dict) or its provider's variables. A same-provider fallback
inherits them (give the dict ``"api_base": None`` to use the provider's default endpoint).

Which errors fall back (LiteLLM's choice): every error of ours except bad requests, i.e.
RateLimitError, 5xx (InternalServerError and subclasses), APIConnectionError / Timeout,
AuthenticationError, PermissionDeniedError, NotFoundError (a fallback may use another key,
endpoint or model) and ContextWindowExceededError. BadRequestError and its other subclasses
(UnsupportedParamsError, ContentPolicyViolationError) and UnprocessableEntityError are the
request's fault and are raised at once; so are BudgetExceededError (a budget applies to every
model) and any exception that is not ours. A non-falling-back
error from a fallback also ends the chain.

When every attempt failed, the exception raised has the class of the last error (chained to it
with ``from``), a message naming each model tried and its error class, ``.attempts`` (one line per
HTTP attempt, in the style of :class:`litellm_lite.retry.Retry`, prefixed with the model: retries
of one model are listed too) and ``.fallback_errors``: ``[(model, exception), ...]`` per model tried.

Streams: an error while the stream is being opened (HTTP status, connection) falls back; once
``completion`` returned the stream, chunks belong to the caller and an error while reading them
is raised from the iteration, never retried elsewhere.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .budget import BudgetExceededError
from .exceptions import (
    APIError,
    BadRequestError,
    ContextWindowExceededError,
    LiteLLMError,
    UnprocessableEntityError,
)

__all__ = ["completion_with_fallbacks", "should_fall_back", "attempts_error", "attempt_lines", "FallbackEntry"]

logger = logging.getLogger("litellm_lite")

FallbackEntry = Union[str, Mapping[str, Any]]


def should_fall_back(error: BaseException) -> bool:
    """True when another model/deployment may succeed where this one failed."""
    if not isinstance(error, LiteLLMError) or isinstance(error, BudgetExceededError):  # budgets apply to every model
        return False
    if isinstance(error, ContextWindowExceededError):
        return True
    if isinstance(error, (BadRequestError, UnprocessableEntityError)):
        return False
    return True


def _one_line(error: BaseException) -> str:
    name = type(error).__name__
    status = getattr(error, "status_code", None)
    message = str(getattr(error, "message", None) or error).replace("\n", " ")
    if len(message) > 120:
        message = message[:117] + "..."
    if status is not None and isinstance(error, APIError):
        return "%s %s: %s" % (name, status, message)
    return "%s: %s" % (name, message)


def attempt_lines(label: str, error: BaseException) -> List[str]:
    """``error.attempts`` lines (set by the retry policy) prefixed with ``label``; one line if none."""
    lines = getattr(error, "attempts", None)
    if isinstance(lines, list) and lines and all(isinstance(line, str) for line in lines):
        return ["%s: %s" % (label, line) for line in lines]
    return ["%s: %s" % (label, _one_line(error))]


def attempts_error(failures: Sequence[Tuple[str, BaseException]], what: str = "fallback") -> BaseException:
    """The exception to raise after every ``(model, error)`` failed: the last error's class, each named."""
    last_model, last = failures[-1]
    summary = "; ".join("%s (%s)" % (model, type(err).__name__) for model, err in failures)
    message = "all %d %s attempts failed: %s. Last error: %s" % (
        len(failures),
        what,
        summary,
        getattr(last, "message", None) or str(last),
    )
    lines: List[str] = []
    for model, err in failures:
        lines.extend(attempt_lines(model, err))
    error: BaseException
    if not isinstance(last, APIError):
        error = APIError(None, message, "", str(last_model), attempts=lines)
    else:
        cls: Any = type(last)
        kwargs: Dict[str, Any] = dict(
            headers=last.headers, body=last.body, code=last.code, error_type=last.type, attempts=lines
        )
        try:
            if cls is APIError:
                error = APIError(last.status_code, message, last.llm_provider, last.model, **kwargs)
            else:
                error = cls(message, last.llm_provider, last.model, status_code=last.status_code, **kwargs)
        except TypeError:  # a subclass with another signature: fall back to the base class
            error = APIError(last.status_code, message, last.llm_provider, last.model, **kwargs)
    setattr(error, "fallback_errors", list(failures))  # noqa: B010
    return error


def _model_of(kwargs: Mapping[str, Any]) -> str:
    return str(kwargs.get("model") or "")


def _context_chain(model: str, table: Mapping[str, str], tried: "set[str]") -> List[str]:
    """Bigger models for ``model`` from ``table`` (followed as a chain), skipping ones already tried."""
    chain: List[str] = []
    current = model
    seen = set(tried)
    while True:
        bigger = table.get(current)
        if bigger is None and "/" in current:
            bigger = table.get(current.split("/", 1)[1])
        if not bigger or bigger in seen:
            return chain
        chain.append(bigger)
        seen.add(bigger)
        current = bigger


# Keywords that belong to the provider they were given for (never carried to another provider).
_KEY_KWARGS = frozenset({"api_key", "api_base", "base_url", "api_version", "extra_headers", "headers"})


def _provider_of(kwargs: Mapping[str, Any]) -> Optional[str]:
    from .resolve import split_model

    try:
        return split_model(str(kwargs.get("model") or ""), kwargs.get("custom_llm_provider"))[0]
    except LiteLLMError:
        return None


def provider_credentials(kwargs: Mapping[str, Any]) -> "set[str]":
    """The keyword names in ``kwargs`` that are credentials or endpoints of one provider."""
    from .auth import ALL_CREDENTIAL_KWARGS

    return {k for k in kwargs if k in _KEY_KWARGS or k in ALL_CREDENTIAL_KWARGS}


def _entry_kwargs(base: Mapping[str, Any], entry: FallbackEntry) -> Dict[str, Any]:
    call = dict(base)
    if isinstance(entry, Mapping) and "model" in entry or isinstance(entry, str):
        target = {"model": entry if isinstance(entry, str) else entry.get("model"),
                  "custom_llm_provider": entry.get("custom_llm_provider") if isinstance(entry, Mapping) else None}
        if _provider_of(target) != _provider_of(base):
            for key in provider_credentials(base):
                call.pop(key, None)
            call.pop("custom_llm_provider", None)
    if isinstance(entry, str):
        call["model"] = entry
    elif isinstance(entry, Mapping):
        for key, value in entry.items():
            if key in ("fallbacks", "context_window_fallback_dict"):
                continue
            call[key] = value
    else:
        raise BadRequestError(
            "each fallback must be a model name or a dict of overrides, got %s" % type(entry).__name__,
            "",
            _model_of(base),
        )
    if not call.get("model"):
        call["model"] = base.get("model")
    return call


def _checked_entries(fallbacks: Optional[List[FallbackEntry]], call_kwargs: Dict[str, Any]) -> List[FallbackEntry]:
    entries = list(fallbacks or [])
    for entry in entries:
        if not isinstance(entry, (str, Mapping)):
            raise BadRequestError(
                "each fallback must be a model name or a dict of overrides, got %s" % type(entry).__name__,
                "",
                _model_of(call_kwargs),
            )
    return entries


def completion_with_fallbacks(
    completion_fn: Callable[..., Any],
    call_kwargs: Dict[str, Any],
    fallbacks: Optional[List[FallbackEntry]] = None,
    context_window_fallback_dict: Optional[Dict[str, str]] = None,
) -> Any:
    """Call ``completion_fn(**call_kwargs)``; on a falling-back error, try the fallbacks in order."""
    fallbacks = _checked_entries(fallbacks, call_kwargs)
    table = dict(context_window_fallback_dict or {})
    base = {k: v for k, v in call_kwargs.items() if k not in ("fallbacks", "context_window_fallback_dict")}

    # Queue of (kwargs, label) still to try; context-window models are pushed to its front.
    queue: List[Dict[str, Any]] = [base]
    queue.extend(_entry_kwargs(base, e) for e in fallbacks)
    attempts: List[Tuple[str, BaseException]] = []
    tried_models: "set[str]" = set()
    while queue:
        kwargs = queue.pop(0)
        model = _model_of(kwargs)
        tried_models.add(model)
        try:
            result = completion_fn(**kwargs)
        except Exception as exc:  # noqa: BLE001 - classified below; foreign errors re-raised
            if not isinstance(exc, LiteLLMError):
                raise
            attempts.append((model, exc))
            if not should_fall_back(exc):
                if len(attempts) == 1:
                    raise
                raise attempts_error(attempts) from exc
            if isinstance(exc, ContextWindowExceededError) and table:
                bigger = _context_chain(model, table, tried_models)
                if bigger:
                    nxt = dict(kwargs)
                    nxt["model"] = bigger[0]
                    queue.insert(0, nxt)
            if queue:
                logger.info(
                    "%s failed with %s; falling back to %s", model, type(exc).__name__, _model_of(queue[0])
                )
                continue
            if len(attempts) == 1:
                raise
            raise attempts_error(attempts) from exc
        if attempts:
            hidden = getattr(result, "_hidden_params", None)
            if isinstance(hidden, dict):
                hidden["fallback_attempts"] = [{"model": m, "error": type(e).__name__} for m, e in attempts]
        return result
    raise BadRequestError("no model to call", "", _model_of(call_kwargs))  # pragma: no cover - queue never empty
