"""The Responses API on providers without it: a Responses request -> a chat-completions call, and
the chat answer -> a :class:`ResponsesAPIResponse`.

Input items become OpenAI chat messages:

* ``instructions`` -> a leading ``system`` message (``developer`` messages become ``system`` too);
* ``message`` items: ``input_text`` / ``output_text`` / ``refusal`` parts -> text, ``input_image``
  (``image_url``) -> ``image_url`` parts, ``input_file`` (``file_data`` / ``file_id``) -> ``file``
  parts, ``input_audio`` -> ``input_audio`` parts; all-text content is sent as one string;
* ``function_call`` -> an assistant message with ``tool_calls`` (consecutive calls, and a text
  message just before them, share one assistant message); ``function_call_output`` -> a ``tool``
  message with the same ``tool_call_id``;
* ``reasoning`` items are skipped: their summary is not an input for other providers and their
  ``encrypted_content`` only OpenAI can read;
* ``item_reference``, hosted tool calls and image ids (``file_id`` images) need OpenAI's own
  storage and raise :class:`BadRequestError`.

Parameters: function tools (flat ``{type, name, description, parameters, strict}``) -> chat tools,
``tool_choice`` -> chat's form, ``reasoning.effort`` -> ``reasoning_effort``, ``text.format``
``json_schema`` / ``json_object`` -> ``response_format``, ``max_output_tokens`` -> ``max_tokens``,
``temperature``, ``top_p``, ``parallel_tool_calls``, ``user``, ``top_logprobs`` as they are.
``store``, ``metadata``, ``include``, ``truncation``, ``service_tier``, ``prompt_cache_*``,
``safety_identifier``, ``max_tool_calls``, ``stream_options`` and ``reasoning.summary`` /
``text.verbosity`` have no chat equivalent and are not sent (``metadata`` and ``store`` still
apply here: echoed on the response, and ``store=False`` keeps it out of the in-process store).
Hosted tools, ``background``, ``prompt``, ``conversation``, ``context_management`` and
``moderation`` raise :class:`UnsupportedParamsError` (dropped with ``drop_params=True``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..exceptions import BadRequestError, UnsupportedParamsError
from ..types import ModelResponse
from .request import ResponsesRequest
from .store import ResponseStore, StoredTurn
from .types import (
    IncompleteDetails, OutputItem, ReasoningSummary, ResponseAPIUsage, ResponseFunctionToolCall, ResponseOutputMessage,
    ResponseOutputRefusal, ResponseOutputText, ResponseReasoningItem, ResponsesAPIResponse, new_item_id,
    new_response_id,
)

__all__ = [
    "ChatCall",
    "to_chat",
    "input_to_messages",
    "tools_to_chat",
    "tool_choice_to_chat",
    "from_chat",
    "response_skeleton",
    "output_to_messages",
    "remember",
    "status_for",
]

_PASSED = ("temperature", "top_p", "parallel_tool_calls", "user")
_UNSUPPORTED = ("background", "prompt", "conversation", "context_management", "moderation")
_TEXT_PARTS = ("input_text", "output_text", "text")


@dataclass
class ChatCall:
    """What the chat road needs: ``messages`` (system + history + this turn) and chat ``params``;
    ``turn_messages`` is this call's own input (kept in the store for later turns)."""

    messages: List[Dict[str, Any]]
    params: Dict[str, Any] = field(default_factory=dict)
    turn_messages: List[Dict[str, Any]] = field(default_factory=list)


def _bad(message: str, model: str) -> BadRequestError:
    return BadRequestError(message, "", model)


def _part(part: Dict[str, Any], where: str, model: str) -> Dict[str, Any]:
    kind = part.get("type")
    if kind in _TEXT_PARTS:
        return {"type": "text", "text": str(part.get("text") or "")}
    if kind == "refusal":
        return {"type": "text", "text": str(part.get("refusal") or "")}
    if kind == "input_image":
        url = part.get("image_url")
        if not isinstance(url, str):
            raise _bad("%s: input_image needs an image_url (a URL or data URL); file_id images are OpenAI-only" % where, model)
        image: Dict[str, Any] = {"url": url}
        if isinstance(part.get("detail"), str):
            image["detail"] = part["detail"]
        return {"type": "image_url", "image_url": image}
    if kind == "input_file":
        file = {k: part[k] for k in ("file_data", "file_id", "filename") if isinstance(part.get(k), str)}
        if "file_data" not in file and "file_id" not in file:
            raise _bad("%s: input_file needs file_data or file_id (file_url is OpenAI-only)" % where, model)
        return {"type": "file", "file": file}
    if kind == "input_audio":
        return {"type": "input_audio", "input_audio": part.get("input_audio")}
    raise _bad("%s: content part type %r cannot be sent through chat completions" % (where, kind), model)


def _content(content: Any, role: str, where: str, model: str) -> Any:
    if isinstance(content, str):
        return content
    parts = [_part(p, "%s.content[%d]" % (where, i), model) for i, p in enumerate(content)]
    if role != "user" or all(p["type"] == "text" for p in parts):
        return "".join(p.get("text", "") for p in parts)
    return parts


def _tool_call(item: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "id": item["call_id"],
        "type": "function",
        "function": {"name": item["name"], "arguments": item["arguments"]},
    }


def _tool_output(item: Dict[str, Any], where: str, model: str) -> str:
    output = item["output"]
    if isinstance(output, str):
        return output
    texts = []
    for i, part in enumerate(output):
        if not isinstance(part, dict) or part.get("type") not in _TEXT_PARTS:
            raise _bad("%s.output[%d]: only text parts can be sent back to this provider" % (where, i), model)
        texts.append(str(part.get("text") or ""))
    return "".join(texts)


def input_to_messages(items: Any, model: str = "") -> List[Dict[str, Any]]:
    """Validated input (a string or item dicts, see :func:`build_request`) -> chat messages."""
    if isinstance(items, str):
        return [{"role": "user", "content": items}]
    messages: List[Dict[str, Any]] = []
    open_assistant: Optional[Dict[str, Any]] = None  # the assistant message tool calls join
    for pos, item in enumerate(items):
        where = "input[%d]" % pos
        kind = item.get("type") or ("message" if "role" in item else None)
        if kind == "message":
            role = "system" if item["role"] == "developer" else item["role"]
            message = {"role": role, "content": _content(item["content"], role, where, model)}
            messages.append(message)
            open_assistant = message if role == "assistant" else None
        elif kind == "function_call":
            if open_assistant is None:
                open_assistant = {"role": "assistant", "content": None}
                messages.append(open_assistant)
            open_assistant.setdefault("tool_calls", []).append(_tool_call(item))
        elif kind == "function_call_output":
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": _tool_output(item, where, model)})
            open_assistant = None
        elif kind == "reasoning":
            continue
        else:
            raise _bad(
                "%s: %r items need OpenAI's own storage and cannot be sent through chat completions" % (where, kind),
                model,
            )
    return messages


def _unsupported(name: str, drop: bool, model: str) -> None:
    if not drop:
        raise UnsupportedParamsError(
            "%s is not available when the Responses API is bridged through chat completions; "
            "pass drop_params=True to drop it" % name,
            "",
            model,
        )


def tools_to_chat(tools: List[Dict[str, Any]], drop_params: bool = False, model: str = "") -> List[Dict[str, Any]]:
    """Flat Responses function tools -> chat tools; hosted tools raise (or are dropped)."""
    out = []
    for tool in tools:
        if tool.get("type") != "function":
            _unsupported("the %r tool" % tool.get("type"), drop_params, model)
            continue
        function = {k: tool[k] for k in ("name", "description", "parameters", "strict") if tool.get(k) is not None}
        out.append({"type": "function", "function": function})
    return out


def tool_choice_to_chat(choice: Any) -> Any:
    """``{"type": "function", "name": n}`` -> chat's nested form; ``allowed_tools`` -> its mode."""
    if isinstance(choice, str):
        return choice
    if choice.get("type") == "function":
        return {"type": "function", "function": {"name": choice.get("name")}}
    if choice.get("type") == "allowed_tools":
        return choice.get("mode") or "auto"
    return "auto"


def _response_format(text: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    fmt = text.get("format")
    if not isinstance(fmt, dict) or fmt.get("type") == "text":
        return None
    if fmt["type"] == "json_object":
        return {"type": "json_object"}
    schema = {k: fmt[k] for k in ("name", "schema", "strict", "description") if fmt.get(k) is not None}
    return {"type": "json_schema", "json_schema": schema}


def _chat_params(request: ResponsesRequest, drop_params: bool) -> Dict[str, Any]:
    p = request.params
    model = request.model
    params: Dict[str, Any] = {k: p[k] for k in _PASSED if k in p}
    for name in _UNSUPPORTED:
        if name in p:
            _unsupported(name, drop_params, model)
    if p.get("tools"):
        tools = tools_to_chat(p["tools"], drop_params, model)
        if tools:
            params["tools"] = tools
    if "tool_choice" in p and "tools" in params:
        params["tool_choice"] = tool_choice_to_chat(p["tool_choice"])
    effort = (p.get("reasoning") or {}).get("effort")
    if effort is not None:
        params["reasoning_effort"] = effort
    response_format = _response_format(p.get("text") or {})
    if response_format is not None:
        params["response_format"] = response_format
    if "max_output_tokens" in p:
        params["max_tokens"] = p["max_output_tokens"]
    if "top_logprobs" in p:
        params["logprobs"] = True
        params["top_logprobs"] = p["top_logprobs"]
    if request.stream:
        params["stream"] = True
        params["stream_options"] = {"include_usage": True}
    return params


def to_chat(request: ResponsesRequest, store: Optional[ResponseStore] = None, drop_params: bool = False) -> ChatCall:
    """The chat-completions call for a Responses request; ``previous_response_id`` is resolved in
    ``store`` (raises BadRequestError when the id is not kept there, or when no store is given)."""
    params = _chat_params(request, drop_params)
    turn = input_to_messages(request.input, request.model)
    history: List[Dict[str, Any]] = []
    previous = request.params.get("previous_response_id")
    if previous is not None:
        if store is None:
            raise _bad("previous_response_id needs the in-process response store on a bridged provider", request.model)
        history = store.history(previous, request.model)
    messages = list(history)
    instructions = request.params.get("instructions")
    if isinstance(instructions, str) and instructions:
        messages.insert(0, {"role": "system", "content": instructions})
    elif isinstance(instructions, list) and instructions:
        messages[0:0] = input_to_messages(instructions, request.model)
    messages.extend(turn)
    return ChatCall(messages=messages, params=params, turn_messages=turn)


# -- the answer -----------------------------------------------------------------------------------


def status_for(finish_reason: Optional[str]) -> "tuple[str, Optional[IncompleteDetails]]":
    """A chat finish reason -> the Responses ``status`` and ``incomplete_details``."""
    if finish_reason == "length":
        return "incomplete", IncompleteDetails(reason="max_output_tokens")
    if finish_reason == "content_filter":
        return "incomplete", IncompleteDetails(reason="content_filter")
    return "completed", None


def response_skeleton(request: ResponsesRequest, model: Optional[str], response_id: Optional[str] = None) -> ResponsesAPIResponse:
    """A response object echoing the request's settings, as OpenAI's do, with no output yet."""
    p = request.params
    return ResponsesAPIResponse(
        id=response_id or new_response_id(),
        status="in_progress",
        model=model or request.model,
        instructions=p.get("instructions"),
        metadata=dict(p.get("metadata") or {}),
        parallel_tool_calls=p.get("parallel_tool_calls", True),
        previous_response_id=p.get("previous_response_id"),
        reasoning=p.get("reasoning"),
        temperature=p.get("temperature"),
        text=p.get("text") or {"format": {"type": "text"}},
        tool_choice=p.get("tool_choice", "auto"),
        tools=list(p.get("tools") or []),
        top_p=p.get("top_p"),
        max_output_tokens=p.get("max_output_tokens"),
        truncation=p.get("truncation", "disabled"),
        user=p.get("user"),
        store=p.get("store", True),
    )


def _message_item(text: Optional[str], refusal: Optional[str], item_id: Optional[str] = None) -> ResponseOutputMessage:
    content: List[Any] = []
    if text:
        content.append(ResponseOutputText(text=text))
    if refusal:
        content.append(ResponseOutputRefusal(refusal=refusal))
    return ResponseOutputMessage(id=item_id or new_item_id("msg"), content=content)


def from_chat(chat: ModelResponse, request: ResponsesRequest, response_id: Optional[str] = None) -> ResponsesAPIResponse:
    """A chat completion (text, tool calls, reasoning, usage) -> a ResponsesAPIResponse."""
    response = response_skeleton(request, chat.model, response_id)
    response.created_at = chat.created
    choice = chat.choices[0] if chat.choices else None
    output: List[OutputItem] = []
    if choice is not None:
        message = choice.message
        if message.reasoning_content:
            output.append(
                ResponseReasoningItem(id=new_item_id("rs"), summary=[ReasoningSummary(text=message.reasoning_content)])
            )
        if message.content or message.refusal:
            output.append(_message_item(message.content, message.refusal))
        for call in message.tool_calls or []:
            output.append(
                ResponseFunctionToolCall(
                    id=new_item_id("fc"),
                    call_id=call.id or new_item_id("call"),
                    name=call.function.name or "",
                    arguments=call.function.arguments or "",
                )
            )
    response.output = output
    response.status, response.incomplete_details = status_for(choice.finish_reason if choice else None)
    response.usage = ResponseAPIUsage.from_chat_usage(chat.usage)
    response._hidden_params = dict(chat._hidden_params)
    response._response_headers = dict(chat._response_headers)
    return response


def output_to_messages(response: ResponsesAPIResponse) -> List[Dict[str, Any]]:
    """The assistant message a response stands for (kept in the store for the next turn)."""
    message: Dict[str, Any] = {"role": "assistant", "content": response.output_text or None}
    calls = [
        {"id": c.call_id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
        for c in response.function_calls
    ]
    if calls:
        message["tool_calls"] = calls
    elif message["content"] is None:
        message["content"] = ""
    return [message]


def remember(store: ResponseStore, response: ResponsesAPIResponse, call: ChatCall) -> None:
    """Keep a bridged response for later ``previous_response_id`` calls (unless ``store=False``)."""
    if response.store is False:
        return
    store.put(
        response.id,
        StoredTurn(
            previous_id=response.previous_response_id,
            input_messages=json.loads(json.dumps(call.turn_messages)),
            output_messages=output_to_messages(response),
        ),
    )
