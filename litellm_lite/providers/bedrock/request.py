"""The Converse request body: messages, ``inferenceConfig``, ``toolConfig`` and reasoning.

``tools`` -> ``toolConfig.tools[].toolSpec``; ``tool_choice`` auto/required/a named function ->
``auto``/``any``/``tool``. When the history holds tool blocks but no tools are given, tool specs
with an open schema are declared for the names used (Converse refuses tool blocks without a
``toolConfig``). ``response_format`` with a schema becomes a forced tool named ``json_tool_call``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set

from .._common import CallContext, copy_params, merge_extra_body
from ..base import ChatRequest
from .messages import convert_messages

__all__ = ["build_body", "model_id_of", "is_claude", "JSON_TOOL_NAME", "REASONING_BUDGETS", "UNSUPPORTED_PARAMS",
           "HARMLESS_VALUES"]

JSON_TOOL_NAME = "json_tool_call"
REASONING_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192}
_NO_REASONING = ("none", "disable", "disabled", "default")
_UNSUPPORTED = ("seed", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "user",
                "functions", "function_call", "modalities", "audio", "prediction", "service_tier", "store",
                "web_search_options", "verbosity")
#: What the adapter declares: the above, ``n`` (one choice per call) and ``parallel_tool_calls=False``.
UNSUPPORTED_PARAMS = frozenset(_UNSUPPORTED) | {"n", "parallel_tool_calls"}
HARMLESS_VALUES = {"n": (1,), "parallel_tool_calls": (True,), "logprobs": (False,), "store": (False,),
                   "reasoning_effort": _NO_REASONING}
_OPEN_SCHEMA = {"type": "object", "properties": {}}


def model_id_of(model: str) -> str:
    """The Bedrock model id (or ARN) from what follows ``bedrock/``: ``converse/`` is stripped."""
    if model.startswith("converse/"):
        return model[len("converse/") :]
    return model


def is_claude(model_id: str) -> bool:
    lowered = model_id.lower()
    return "claude" in lowered or "anthropic" in lowered or lowered.startswith("arn:")


def _reject(ctx: CallContext, name: str, why: str = "") -> None:
    ctx.reject("bedrock (Converse) does not support %s%s" % (name, (" " + why) if why else ""))


def _thinking(params: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    thinking = params.get("thinking")
    if isinstance(thinking, dict):
        if thinking.get("type") == "disabled":
            return None
        return dict(thinking)
    effort = params.get("reasoning_effort")
    if effort is None or str(effort).lower() in _NO_REASONING:
        return None
    budget = REASONING_BUDGETS.get(str(effort).lower())
    if budget is None:
        raise ctx.bad("reasoning_effort must be one of %s, got %r" % (", ".join(sorted(REASONING_BUDGETS)), effort))
    return {"type": "enabled", "budget_tokens": budget}


def _inference_config(params: Dict[str, Any]) -> Dict[str, Any]:
    inference: Dict[str, Any] = {}
    max_tokens = params.get("max_completion_tokens", params.get("max_tokens"))
    if max_tokens is not None:
        inference["maxTokens"] = max_tokens
    copy_params(params, (("temperature", "temperature"), ("top_p", "topP")), inference)
    stop = params.get("stop")
    if stop:
        inference["stopSequences"] = [stop] if isinstance(stop, str) else list(stop)
    return inference


# ---------------------------------------------------------------------------------------------
# Tools


def _tool_specs(tools: Any, ctx: CallContext) -> List[Dict[str, Any]]:
    specs: List[Dict[str, Any]] = []
    for tool in tools or []:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict) or not fn.get("name"):
            raise ctx.bad("each tool needs function.name")
        spec: Dict[str, Any] = {"name": fn["name"]}
        if fn.get("description"):
            spec["description"] = fn["description"]
        schema = fn.get("parameters")
        spec["inputSchema"] = {"json": schema if isinstance(schema, dict) else {"type": "object", "properties": {}}}
        specs.append({"toolSpec": spec})
    return specs


def _tool_choice(choice: Any, ctx: CallContext) -> Optional[Dict[str, Any]]:
    if choice == "auto":
        return {"auto": {}}
    if choice == "required":
        return {"any": {}}
    if isinstance(choice, dict):
        function = choice.get("function")
        name = function.get("name") if isinstance(function, dict) else None
        if not name:
            raise ctx.bad("tool_choice must name a function: {'type': 'function', 'function': {'name': ...}}")
        return {"tool": {"name": name}}
    return None


def _open_specs(names: Set[str]) -> List[Dict[str, Any]]:
    return [{"toolSpec": {"name": name, "inputSchema": {"json": dict(_OPEN_SCHEMA)}}} for name in sorted(names)]


def _history_tool_names(messages: List[Dict[str, Any]]) -> Set[str]:
    names = set()
    for message in messages:
        for block in message.get("content", []):
            if "toolUse" in block:
                names.add(block["toolUse"]["name"])
            elif "toolResult" in block:
                names.add("")  # a result without its call still needs a toolConfig
    if "" in names:
        names.discard("")
        if not names:
            names.add("tool")
    return names


def _json_tool(response_format: Dict[str, Any]) -> Dict[str, Any]:
    """The forced tool whose input schema is the requested JSON schema."""
    wanted: Dict[str, Any] = {"type": "object"}
    description = "Respond with a JSON object."
    if response_format.get("type") == "json_schema":
        js = response_format.get("json_schema")
        if isinstance(js, dict) and isinstance(js.get("schema"), dict):
            wanted = js["schema"]
        if isinstance(js, dict) and js.get("description"):
            description = str(js["description"])
    return {"toolSpec": {"name": JSON_TOOL_NAME, "description": description, "inputSchema": {"json": wanted}}}


def _tool_config(params: Dict[str, Any], messages: List[Dict[str, Any]], ctx: CallContext) -> Optional[Dict[str, Any]]:
    choice = params.get("tool_choice")
    specs = _tool_specs(params.get("tools"), ctx)
    tool_choice = _tool_choice(choice, ctx)
    history = _history_tool_names(messages)
    if choice == "none":
        if history:
            _reject(ctx, "tool_choice='none'", "when the conversation holds tool calls")
        else:
            specs = []
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") in ("json_schema", "json_object"):
        if specs:
            _reject(ctx, "response_format together with tools")
        else:
            specs = [_json_tool(response_format)] + (_open_specs(history - {JSON_TOOL_NAME}) if history else [])
            tool_choice = {"tool": {"name": JSON_TOOL_NAME}}
    if not specs and history:
        specs = _open_specs(history)
    if not specs:
        return None
    config: Dict[str, Any] = {"tools": specs}
    if tool_choice is not None and choice != "none":
        config["toolChoice"] = tool_choice
    return config


def build_body(request: ChatRequest, ctx: CallContext) -> Dict[str, Any]:
    """The Converse (or ConverseStream) JSON body for ``request``."""
    params = dict(request.params)
    model_id = model_id_of(request.model)
    for name in _UNSUPPORTED:
        if name in params and params[name] not in HARMLESS_VALUES.get(name, ()):
            _reject(ctx, name)
    n = params.get("n")
    if n is not None and n != 1:
        _reject(ctx, "n=%r" % (n,), "(one choice per call)")
    if params.get("parallel_tool_calls") is False:
        _reject(ctx, "parallel_tool_calls=False")

    system, messages = convert_messages(request.messages, ctx)
    body: Dict[str, Any] = {"messages": messages}
    if system:
        body["system"] = system
    inference = _inference_config(params)
    if inference:
        body["inferenceConfig"] = inference
    thinking = _thinking(params, ctx)
    if thinking is not None and not is_claude(model_id):
        _reject(ctx, "reasoning_effort/thinking", "for model %r (Claude models only)" % model_id)
    tool_config = _tool_config(params, messages, ctx)
    if tool_config:
        body["toolConfig"] = tool_config
    if thinking is not None and is_claude(model_id):
        body["additionalModelRequestFields"] = {"thinking": thinking}
    merge_extra_body(body, request.extra_body)
    return body
