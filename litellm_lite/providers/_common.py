"""Shapes every wire-format adapter shares, each written once.

- :func:`load_json` / :func:`event_object` / :func:`response_object`: JSON from the wire, never a
  bare JSONDecodeError.
- :class:`CallContext`: the per-call facts a request builder needs to raise well-formed errors.
- :func:`reject_param` / :func:`reject_params` / :meth:`CallContext.reject`: raise (or, with
  ``drop_params``, skip) what a format cannot express.
- :func:`payload_error`: an error payload (``{"error": {...}}`` and its cousins) -> our exception.
- :func:`stream_cut`: the error for a stream that ended before its end marker.
- :func:`parse_data_url` / :class:`DataURL`: ``data:`` URLs taken apart.
- :class:`ToolIndex` and :func:`block_key`: provider content-block index -> OpenAI tool-call index.
- :func:`add_turn`: append a turn, merging it into the previous one of the same role.
- :class:`TurnConverter`: OpenAI messages -> a format's system blocks and merged turns, by role.
- :func:`json_headers` / :func:`set_header`: request headers with the caller's overrides.
- :func:`copy_params` / :func:`copy_limits`: OpenAI parameters copied under the format's names.
- :class:`ReplyParts`: a response's texts, reasoning and tool calls, and the message they make.
- :func:`as_int`: a token count from a payload, 0 when it is not a number.
- :func:`merge_extra_body`: provider keyword arguments merged into a request body.
- :func:`allowed_to_body`: ``allowed_openai_params`` a format cannot express, moved to those keywords.
- :func:`parse_arguments`: tool-call ``arguments`` (a JSON string) -> an object.
- :func:`json_format`: OpenAI's ``response_format`` -> (JSON wanted, its schema) for JSON-mode formats.
"""

from __future__ import annotations

import base64
import json
import re
from abc import ABC, abstractmethod
from collections import namedtuple
from collections.abc import Mapping

from urllib.parse import unquote_to_bytes

from .._lazyre import LazyPattern
from ..exceptions import APIConnectionError, APIError, BadRequestError, UnsupportedParamsError, error_for_status
from ..params import ALLOWED_PARAMS_OPTION
from ..types import Message

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Tuple

    from ..config import CallConfig
    from ..types import ChatCompletionMessageToolCall
    from .base import ChatRequest, StreamState

__all__ = [
    "load_json",
    "event_object",
    "response_object",
    "copy_limits",
    "CallContext",
    "reject_param",
    "reject_params",
    "payload_error",
    "stream_cut",
    "DataURL",
    "parse_data_url",
    "ToolIndex",
    "block_key",
    "add_turn",
    "TurnConverter",
    "json_headers",
    "set_header",
    "as_int",
    "copy_params",
    "ReplyParts",
    "merge_extra_body",
    "allowed_to_body",
    "parse_arguments",
    "json_format",
]

_NO_HARMLESS: Mapping[str, Any] = {}


def load_json(data: Any, provider: str = "", model: str = "", what: str = "response") -> Any:
    """Parse JSON from bytes/str, raising our APIConnectionError (never JSONDecodeError)."""
    try:
        if isinstance(data, (bytes, bytearray)):
            data = bytes(data).decode("utf-8")
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        snippet = data[:200] if isinstance(data, str) else repr(data[:200])
        raise APIConnectionError(
            "invalid JSON in %s from provider: %s" % (what, snippet), provider, model
        ) from exc


def response_object(response: Any, config: "CallConfig", what: str) -> Dict[str, Any]:
    """A response body's JSON object; APIConnectionError("unexpected ``what``") for another value."""
    payload = load_json(response.body, config.provider, config.model)
    if not isinstance(payload, dict):
        raise APIConnectionError("unexpected %s" % what, config.provider, config.model)
    return payload


def event_object(text: str, state: "StreamState", vendor: str, what: str = "event") -> Dict[str, Any]:
    """One stream event's JSON object; APIConnectionError for bad JSON or another kind of value."""
    payload = load_json(text, state.provider, state.model, what="stream " + what)
    if not isinstance(payload, dict):
        raise APIConnectionError(
            "unexpected %s stream %s (not a JSON object): %.200s" % (vendor, what, text), state.provider, state.model
        )
    return payload


class CallContext:
    """Per-call facts the translation helpers need: who to blame in an error, and drop_params."""

    def __init__(self, config: "CallConfig", wire_model: str = "", model: Optional[str] = None) -> None:
        self.provider = config.provider
        self.model = model or config.model or wire_model
        self.wire_model = wire_model or config.model
        self.drop = config.drop_params

    def bad(self, message: str) -> BadRequestError:
        return BadRequestError(message, self.provider, self.model)

    def unsupported(self, message: str) -> UnsupportedParamsError:
        return UnsupportedParamsError(message + "; pass drop_params=True to drop it", self.provider, self.model)

    def reject(self, message: str) -> None:
        """Raise :meth:`unsupported` unless the caller asked to drop what cannot be sent."""
        if not self.drop:
            raise self.unsupported(message)


def reject_param(name: str, config: "CallConfig", detail: str = "") -> None:
    """Raise UnsupportedParamsError for ``name`` unless the caller asked to drop such params."""
    CallContext(config).reject("%s does not support parameter %r%s" % (config.provider, name, detail))


def reject_params(
    params: Mapping[str, Any], names: Iterable[str], ctx: CallContext, harmless: Mapping[str, Any] = _NO_HARMLESS
) -> None:
    """Reject each of ``names`` set in ``params``, except values listed as ``harmless``."""
    for name in names:
        if name not in params:
            continue
        if name in harmless and params[name] == harmless[name]:
            continue
        ctx.reject("%s does not support parameter %r" % (ctx.provider, name))


def _payload_status(explicit: Any, code: Any, fallback: int) -> int:
    """The payload's own ``status_code``, else its numeric ``code``, when an HTTP error status."""
    for value in (explicit, code):
        if isinstance(value, int) and 400 <= value < 600:
            return value
    return fallback


def payload_error(
    payload: Any,
    provider: str,
    model: str,
    *,
    status: Optional[int] = None,
    statuses: Optional[Mapping[str, int]] = None,
    default_type: Optional[str] = None,
    prefix: str = "",
    body: Optional[str] = None,
    headers: Optional[Mapping[str, str]] = None,
    guess: Optional[Callable[[Any, Any], int]] = None,
) -> APIError:
    """Our exception for an error payload inside a response or a stream.

    The status is ``status`` when it is an HTTP error, else the payload's own ``status_code`` or
    numeric ``code``, else ``statuses[type]``, else ``guess(type, code)``, else 500.
    """
    err = payload.get("error") if isinstance(payload, dict) else None
    fields: Mapping[str, Any] = err if isinstance(err, dict) else {}
    message: Any = fields.get("message") if isinstance(err, dict) else err
    code: Any = fields.get("code")
    etype: Any = fields.get("type") or default_type
    explicit: Any = fields.get("status_code")
    if not message:
        message = etype if default_type is not None else err
    metadata = fields.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("raw"), str):  # OpenRouter: the upstream's words
        message = "%s: %s" % (message, metadata["raw"])
    if status is None or status < 400:
        status = _payload_status(explicit, code, 0)
        if not status:
            mapped = (statuses or {}).get(str(etype))
            status = mapped if mapped is not None else guess(etype, code) if guess is not None else 500
    return error_for_status(
        status,
        prefix + str(message),
        provider,
        model,
        headers=dict(headers) if headers is not None else None,
        body=body if body is not None else json.dumps(payload),
        code=str(code) if code is not None else None,
        error_type=etype if isinstance(etype, str) else None,
    )


def stream_cut(state: "StreamState", vendor: str, marker: str) -> APIConnectionError:
    """The error for a stream that ended before ``marker`` (the format's end-of-stream sign)."""
    what = "%s stream" % vendor if vendor else "stream"
    return APIConnectionError(
        "%s ended before %s (connection cut?)" % (what, marker), state.provider, state.model
    )


_DATA_URL = LazyPattern(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.DOTALL)


if TYPE_CHECKING:  # pragma: no cover

    class _DataURLFields(NamedTuple):
        media_type: str
        params: Tuple[str, ...]
        payload: str

else:  # the same tuple without importing typing at run time
    _DataURLFields = namedtuple("DataURL", ("media_type", "params", "payload"))


class DataURL(_DataURLFields):
    """A ``data:`` URL taken apart: media type as written, lower-cased ``;params``, raw payload."""

    __slots__ = ()

    @property
    def is_base64(self) -> bool:
        return "base64" in self.params

    def base64(self) -> str:
        """The payload as base64 text (whitespace removed, or percent-decoded and encoded)."""
        if self.is_base64:
            return "".join(self.payload.split())
        return base64.b64encode(unquote_to_bytes(self.payload)).decode("ascii")


def parse_data_url(url: str) -> Optional[DataURL]:
    """The parts of a ``data:[<media type>][;param]*,<payload>`` URL, or None for anything else."""
    match = _DATA_URL.match(url)
    if match is None:
        return None
    params = tuple(p.strip().lower() for p in match.group(2).split(";") if p.strip())
    return DataURL(match.group(1), params, match.group(3))


def block_key(payload: Mapping[str, Any], field: str, default: Any = None) -> Any:
    """A stream event's content-block index as a dict key (garbage becomes its repr)."""
    value = payload.get(field, default)
    return value if value is None or isinstance(value, (int, float, str)) else repr(value)


class ToolIndex:
    """Provider content-block keys -> OpenAI tool-call indexes 0, 1, 2... in order of first sight."""

    def __init__(self) -> None:
        self.by_block: Dict[Any, int] = {}
        self.count = 0

    def start(self, block: Any) -> int:
        """A new tool call for ``block`` (a restarted block gets a fresh index)."""
        index = self.count
        self.count += 1
        self.by_block[block] = index
        return index

    def get(self, block: Any) -> Optional[int]:
        return self.by_block.get(block)

    def index(self, block: Any) -> int:
        """The call ``block`` belongs to; a fragment without its start gets a call of its own."""
        found = self.by_block.get(block)
        return found if found is not None else self.start(block)

    def __bool__(self) -> bool:
        return self.count > 0


def add_turn(
    turns: List[Dict[str, Any]], role: str, blocks: List[Any], key: str = "content", keep_empty: bool = False
) -> None:
    """Append a ``{"role": role, key: blocks}`` turn, or extend the last one when it has ``role``.

    Formats that want alternating turns merge consecutive same-role ones; empty ``blocks`` add
    nothing unless ``keep_empty``.
    """
    if not blocks and not keep_empty:
        return
    if turns and turns[-1]["role"] == role:
        turns[-1][key].extend(blocks)
    else:
        turns.append({"role": role, key: list(blocks)})


class TurnConverter(ABC):
    """OpenAI messages -> a turn-based format's system blocks and turns, one role at a time.

    A format says how each role's message becomes blocks; user and tool-result turns, and
    assistant turns, are merged with their neighbours of the same role (:func:`add_turn`).
    """

    key = "content"  #: the turn's field holding its blocks
    model_role = "assistant"  #: the format's name for the assistant's turns
    tool_roles: Tuple[str, ...] = ("tool",)  #: OpenAI roles that carry a tool result
    keep_empty = False  #: whether a turn with no blocks is still added

    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx
        self.system: List[Dict[str, Any]] = []
        self.turns: List[Dict[str, Any]] = []

    def add_all(self, messages: Iterable[Any]) -> None:
        """Translate each message in order (each must be an object)."""
        for message in messages:
            if not isinstance(message, Mapping):
                raise self.ctx.bad("each message must be an object")
            self.add(message)

    def add(self, message: Mapping[str, Any]) -> None:
        role = message.get("role")
        if role in ("system", "developer"):
            self.system.extend(self.system_blocks(message))
        elif role == "user":
            add_turn(self.turns, "user", self.user_blocks(message), self.key, self.keep_empty)
        elif role == "assistant":
            add_turn(self.turns, self.model_role, self.assistant_blocks(message), self.key, self.keep_empty)
        elif role in self.tool_roles:
            add_turn(self.turns, "user", [self.tool_result(message)], self.key, self.keep_empty)
        else:
            raise self.ctx.bad("unsupported message role %r" % (role,))

    @abstractmethod
    def system_blocks(self, message: Mapping[str, Any]) -> Iterable[Dict[str, Any]]:
        """A system or developer message's blocks."""

    @abstractmethod
    def user_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        """A user message's blocks."""

    @abstractmethod
    def assistant_blocks(self, message: Mapping[str, Any]) -> List[Dict[str, Any]]:
        """An assistant message's blocks (text, reasoning, tool calls)."""

    @abstractmethod
    def tool_result(self, message: Mapping[str, Any]) -> Dict[str, Any]:
        """A tool message as the block that answers its call."""


def set_header(headers: Dict[str, str], name: str, value: str) -> None:
    """Set ``name``, replacing any spelling of it in another case."""
    for key in [k for k in headers if k.lower() == name.lower()]:
        del headers[key]
    headers[name] = value


def json_headers(
    config: "CallConfig", accept: Optional[str] = None, auth: Optional[Mapping[str, str]] = None
) -> Dict[str, str]:
    """JSON request headers: content type, ``accept``, ``auth``, then the provider's static headers
    and the caller's ``extra_headers`` (which replace ours whatever their case)."""
    headers = {"content-type": "application/json"}
    if accept:
        headers["accept"] = accept
    if auth:
        headers.update(auth)
    for name, value in list(config.spec.headers) + list(config.extra_headers.items()):
        set_header(headers, name, value)
    return headers


def as_int(value: Any) -> int:
    """A count from a payload as an int (numbers and numeric strings); 0 for anything else."""
    try:
        return int(value or 0)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity
        return 0


def copy_params(params: Mapping[str, Any], names: Iterable[Tuple[str, str]], out: Dict[str, Any]) -> None:
    """Copy each OpenAI parameter that is set into ``out`` under the format's name for it."""
    for ours, theirs in names:
        if ours in params:
            out[theirs] = params[ours]


def copy_limits(params: Mapping[str, Any], out: Dict[str, Any], max_tokens: str, stop: str) -> None:
    """``max_completion_tokens`` (else ``max_tokens``) and ``stop`` (a string becomes a one-item
    list) into ``out`` under the format's names, when set."""
    limit = params.get("max_completion_tokens", params.get("max_tokens"))
    if limit is not None:
        out[max_tokens] = limit
    value = params.get("stop")
    if value is not None:
        out[stop] = [value] if isinstance(value, str) else list(value)


class ReplyParts:
    """What a response's content blocks say: texts, reasoning, thinking blocks, tool calls, and
    the forced JSON tool's input (when the format answers ``response_format`` through a tool)."""

    def __init__(self) -> None:
        self.texts: List[str] = []
        self.reasoning: List[str] = []
        self.thinking_blocks: List[Dict[str, Any]] = []
        self.calls: List[ChatCompletionMessageToolCall] = []
        self.json_text: Optional[str] = None

    def text(self) -> Optional[str]:
        return "".join(self.texts) if self.texts else None

    def message(self, content: Optional[str]) -> Message:
        """The assistant message with ``content`` and everything else gathered."""
        return Message(
            content=content,
            role="assistant",
            tool_calls=self.calls or None,
            reasoning_content="".join(self.reasoning) if self.reasoning else None,
            thinking_blocks=self.thinking_blocks or None,
        )


def merge_extra_body(body: Dict[str, Any], extra: Optional[Mapping[str, Any]]) -> None:
    """Merge provider keyword arguments into ``body``; an object merges into an object one level deep."""
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            merged = dict(body[key])
            merged.update(value)
            body[key] = merged
        else:
            body[key] = value


def allowed_to_body(
    request: "ChatRequest",
    config: "CallConfig",
    refused: FrozenSet[str],
    harmless: Mapping[str, Tuple[Any, ...]] = _NO_HARMLESS,
) -> "ChatRequest":
    """``request`` with each parameter in ``refused`` (those the format has no field for) that the
    caller listed in ``allowed_openai_params`` moved from ``params`` to ``extra_body`` under its OpenAI
    name, so it is sent as a top-level body field the way a provider-specific keyword is (an
    ``extra_body`` entry of the same name wins). A value in ``harmless`` asks for nothing and passes
    without the list, so it stays where it was (a listed name never changes a call that worked
    without it). ``request`` itself when nothing moves.
    """
    allowed = config.options.get(ALLOWED_PARAMS_OPTION)
    if not allowed:
        return request
    moved = [
        name for name, value in request.params.items()
        if name in allowed and name in refused and value not in harmless.get(name, ())
    ]
    if not moved:
        return request
    import dataclasses

    extra = {name: request.params[name] for name in moved}
    extra.update(request.extra_body)
    params = {name: value for name, value in request.params.items() if name not in moved}
    return dataclasses.replace(request, params=params, extra_body=extra)


def parse_arguments(raw: Any, ctx: CallContext, name: Any = None) -> Any:
    """Tool-call ``arguments`` -> a JSON value: objects kept, ``None``/blank -> ``{}``, strings parsed.

    BadRequestError when a string is not JSON; the caller checks the value's type.
    """
    if isinstance(raw, dict):
        return raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ctx.bad(
            "tool call %shas arguments that are not JSON (not valid JSON): %.200s" % ("%r " % (name,) if name else "", raw)
        ) from None


def json_format(
    value: Any, config: "CallConfig", object_keys: Tuple[str, ...] = ("schema",)
) -> Tuple[bool, Optional[Dict[str, Any]]]:
    """``response_format`` -> (JSON output wanted, the JSON schema object or None).

    ``{"type": "json_object"}`` takes its schema from the first of ``object_keys`` that holds a
    truthy value (else the last one's); ``json_schema`` from ``json_schema.schema``. Text and unset
    want no JSON; another shape or type is refused (or, with ``drop_params``, dropped).
    """
    if not isinstance(value, dict):
        reject_param("response_format", config, " of this shape")
        return False, None
    rtype = value.get("type")
    if rtype in (None, "text"):
        return False, None
    schema: Any = None
    if rtype == "json_object":
        for key in object_keys:
            schema = value.get(key)
            if schema:
                break
    elif rtype == "json_schema":
        spec = value.get("json_schema") or {}
        schema = spec.get("schema") if isinstance(spec, dict) else None
    else:
        reject_param("response_format", config, " of type %r" % (rtype,))
        return False, None
    return True, schema if isinstance(schema, dict) else None
