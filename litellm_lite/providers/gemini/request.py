"""The ``GenerateContentRequest`` body: contents, ``generationConfig``, tools and ``toolConfig``.

OpenAI parameters go into ``generationConfig``; tools become ``functionDeclarations`` whose JSON
schemas are rewritten into Gemini's ``Schema`` subset, or built-in tools (``googleSearch``...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from .._common import CallContext, copy_params, reject_params
from ..base import ChatRequest
from .messages import convert_messages, is_gemini_3
from .schema import json_schema_for_wire, to_gemini_schema

__all__ = ["build_body", "REASONING_BUDGETS", "UNSUPPORTED_PARAMS", "HARMLESS_VALUES"]

# reasoning_effort -> thinkingBudget (LiteLLM's constants). "minimal" depends on the model.
REASONING_BUDGETS: Dict[str, int] = {"low": 1024, "medium": 2048, "high": 4096, "none": 0, "disable": 0}
_MINIMAL_BUDGETS: Tuple[Tuple[str, int], ...] = (
    ("gemini-2.5-flash-lite", 512),
    ("gemini-2.5-pro", 128),
    ("gemini-2.5-flash", 1),
)
_MINIMAL_BUDGET_DEFAULT = 128

# OpenAI parameters generateContent cannot express; ``store=False`` is harmless and dropped.
_UNSUPPORTED = ("logit_bias", "user", "audio", "prediction", "service_tier", "store", "verbosity")
_HARMLESS = {"store": False}
# What the adapter declares: the above, and parallel_tool_calls (Gemini cannot turn parallel calls off).
UNSUPPORTED_PARAMS = frozenset(_UNSUPPORTED) | {"parallel_tool_calls"}
HARMLESS_VALUES = {"store": (False,), "parallel_tool_calls": (True,)}
_TOOL_ALIASES = {
    "googleSearch": "googleSearch", "google_search": "googleSearch",
    "googleSearchRetrieval": "googleSearchRetrieval", "google_search_retrieval": "googleSearchRetrieval",
    "codeExecution": "codeExecution", "code_execution": "codeExecution",
    "urlContext": "urlContext", "url_context": "urlContext",
    "googleMaps": "googleMaps", "google_maps": "googleMaps",
    "fileSearch": "fileSearch", "file_search": "fileSearch",
    "computerUse": "computerUse", "computer_use": "computerUse",
}
# extra_body keys LiteLLM accepts in snake_case -> (where, wire name)
_EXTRA_GENERATION = {"top_k": "topK", "topK": "topK", "response_mime_type": "responseMimeType",
                     "response_modalities": "responseModalities", "media_resolution": "mediaResolution",
                     "thinking_config": "thinkingConfig", "speech_config": "speechConfig",
                     "image_config": "imageConfig"}
_EXTRA_TOP = {"safety_settings": "safetySettings", "cached_content": "cachedContent",
              "tool_config": "toolConfig", "system_instruction": "systemInstruction"}
# OpenAI parameter -> generationConfig field, copied as they are.
_GENERATION_FIELDS = (("temperature", "temperature"), ("top_p", "topP"), ("n", "candidateCount"), ("seed", "seed"),
                      ("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty"))
_TOOL_CHOICE_MODES = {"auto": "AUTO", "none": "NONE", "required": "ANY", "any": "ANY"}


# ---------------------------------------------------------------------------------------------
# Tools


def _function_declaration(function: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise ctx.bad("tool function needs a name")
    decl: Dict[str, Any] = {"name": name}
    if isinstance(function.get("description"), str):
        decl["description"] = function["description"]
    params = function.get("parameters")
    if isinstance(params, Mapping) and params:
        schema = to_gemini_schema(params, ctx)
        # a no-argument function: Gemini rejects an OBJECT without properties, so omit parameters
        if not (schema.get("type") == "OBJECT" and not schema.get("properties")):
            decl["parameters"] = schema
    return decl


def _builtin_tool(tool: Mapping[str, Any], ctx: CallContext) -> Dict[str, Any]:
    kind = tool.get("type")
    if kind in ("web_search", "web_search_preview"):
        return {"googleSearch": {}}
    body = {k: v for k, v in tool.items() if k != "type"}
    if len(body) == 1 and next(iter(body)) in _TOOL_ALIASES:
        key = next(iter(body))
        return {_TOOL_ALIASES[key]: body[key] if body[key] is not None else {}}
    raise ctx.bad("tool %r is neither a function nor a Gemini built-in tool" % (kind or list(tool)[:1],))


def _convert_tools(params: Dict[str, Any], ctx: CallContext) -> List[Dict[str, Any]]:
    declarations: List[Dict[str, Any]] = []
    builtins: List[Dict[str, Any]] = []
    for tool in params.get("tools") or []:
        if not isinstance(tool, Mapping):
            raise ctx.bad("tools entries must be dicts")
        if isinstance(tool.get("function"), Mapping) and tool.get("type") in (None, "function"):
            declarations.append(_function_declaration(tool["function"], ctx))
        else:
            builtins.append(_builtin_tool(tool, ctx))
    for function in params.get("functions") or []:
        if isinstance(function, Mapping):
            declarations.append(_function_declaration(function, ctx))
    if "web_search_options" in params:
        builtins.append({"googleSearch": {}})
    out: List[Dict[str, Any]] = []
    if declarations:
        out.append({"functionDeclarations": declarations})
    out.extend(builtins)
    return out


def _tool_config(params: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    choice = params.get("tool_choice")
    if choice is None and "function_call" in params:
        legacy = params["function_call"]
        choice = {"type": "function", "function": legacy} if isinstance(legacy, Mapping) else legacy
    if choice is None:
        return None
    mode: Optional[str] = None
    names: Optional[List[str]] = None
    if isinstance(choice, str):
        mode = _TOOL_CHOICE_MODES.get(choice)
    elif isinstance(choice, Mapping):
        function = choice.get("function")
        name = function.get("name") if isinstance(function, Mapping) else choice.get("name")
        if isinstance(name, str) and name:
            mode, names = "ANY", [name]
    if mode is None:
        ctx.reject("gemini supports tool_choice auto, none, required or a named function, got %r" % (choice,))
        return None
    config: Dict[str, Any] = {"mode": mode}
    if names:
        config["allowedFunctionNames"] = names
    return {"functionCallingConfig": config}


# ---------------------------------------------------------------------------------------------
# Reasoning and output format


def _gemini_3_level(effort: str, model: str) -> Optional[Dict[str, Any]]:
    flash = "gemini-3-flash" in model or "gemini-3.1-flash" in model
    low = "MINIMAL" if flash else "LOW"
    levels = {"minimal": low, "low": "LOW", "medium": "MEDIUM" if flash or "gemini-3.1-pro" in model else "HIGH",
              "high": "HIGH", "none": low, "disable": low}
    if effort not in levels:
        return None
    return {"thinkingLevel": levels[effort], "includeThoughts": effort not in ("none", "disable")}


def _effort_config(effort: str, ctx: CallContext) -> Optional[Dict[str, Any]]:
    """``reasoning_effort`` -> thinkingConfig: a level on Gemini 3, a token budget before it."""
    model = ctx.wire_model.lower()
    config: Optional[Dict[str, Any]] = None
    if is_gemini_3(model):
        config = _gemini_3_level(effort, model)
    elif effort == "minimal":
        budget = next((b for prefix, b in _MINIMAL_BUDGETS if prefix in model), _MINIMAL_BUDGET_DEFAULT)
        config = {"thinkingBudget": budget, "includeThoughts": True}
    elif effort in REASONING_BUDGETS:
        budget = REASONING_BUDGETS[effort]
        config = {"thinkingBudget": budget, "includeThoughts": budget > 0}
    if config is None:
        ctx.reject("gemini does not support reasoning_effort=%r" % (effort,))
    return config


def _thinking_dict(thinking: Mapping[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    """An Anthropic-style ``thinking`` dict -> thinkingConfig."""
    enabled = thinking.get("type") == "enabled"
    budget_tokens: Any = thinking.get("budget_tokens")
    config: Dict[str, Any] = {}
    if is_gemini_3(ctx.wire_model):
        config["includeThoughts"] = bool(enabled and budget_tokens != 0)
        return config
    if enabled and budget_tokens != 0:
        config["includeThoughts"] = True
    if isinstance(budget_tokens, int) and not isinstance(budget_tokens, bool):
        config["thinkingBudget"] = budget_tokens
    elif not enabled:
        config["thinkingBudget"] = 0
    return config or None


def _thinking_config(params: Dict[str, Any], ctx: CallContext) -> Optional[Dict[str, Any]]:
    effort = params.get("reasoning_effort")
    if isinstance(effort, Mapping):
        effort = effort.get("effort")
    if isinstance(effort, str) and effort != "default":
        return _effort_config(effort, ctx)
    thinking = params.get("thinking")
    if isinstance(thinking, Mapping):
        return _thinking_dict(thinking, ctx)
    return None


def _response_format(fmt: Any, generation: Dict[str, Any], ctx: CallContext) -> None:
    if not isinstance(fmt, Mapping):
        return
    kind = fmt.get("type")
    schema: Any = None
    if kind == "json_object":
        generation["responseMimeType"] = "application/json"
        schema = fmt.get("response_schema")
    elif kind == "json_schema":
        generation["responseMimeType"] = "application/json"
        spec = fmt.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if isinstance(schema, Mapping) and schema:
        if re.search(r"gemini-1\.", ctx.wire_model):  # only 2.0+ take responseJsonSchema
            generation["responseSchema"] = to_gemini_schema(schema, ctx)
        else:
            generation["responseJsonSchema"] = json_schema_for_wire(schema)


def _generation_config(params: Dict[str, Any], ctx: CallContext) -> Dict[str, Any]:
    generation: Dict[str, Any] = {}
    copy_params(params, _GENERATION_FIELDS[:2], generation)
    max_tokens = params.get("max_completion_tokens", params.get("max_tokens"))
    if max_tokens is not None:
        generation["maxOutputTokens"] = max_tokens
    stop = params.get("stop")
    if isinstance(stop, str):
        generation["stopSequences"] = [stop]
    elif isinstance(stop, list) and stop:
        generation["stopSequences"] = list(stop)
    copy_params(params, _GENERATION_FIELDS[2:], generation)
    if params.get("logprobs"):
        generation["responseLogprobs"] = True
    if "top_logprobs" in params:
        generation["logprobs"] = params["top_logprobs"]
        generation["responseLogprobs"] = True
    if isinstance(params.get("modalities"), list):
        generation["responseModalities"] = [str(m).upper() for m in params["modalities"]]
    _response_format(params.get("response_format"), generation, ctx)
    thinking = _thinking_config(params, ctx)
    if thinking is not None:
        generation["thinkingConfig"] = thinking
    return generation


def _add_tools(params: Dict[str, Any], body: Dict[str, Any], ctx: CallContext) -> None:
    tools = _convert_tools(params, ctx)
    if tools:
        body["tools"] = tools
        declared = sum(len(t.get("functionDeclarations", [])) for t in tools)
        if params.get("parallel_tool_calls") is False and declared > 1:
            ctx.reject("gemini cannot disable parallel tool calls when several tools are given")
    tool_config = _tool_config(params, ctx)
    if tool_config is not None:
        body["toolConfig"] = tool_config


def _merge_extra_body(extra: Mapping[str, Any], body: Dict[str, Any], generation: Dict[str, Any]) -> None:
    for key, value in extra.items():
        if key in ("generationConfig", "generation_config") and isinstance(value, Mapping):
            generation.update(value)
        elif key in _EXTRA_GENERATION:
            generation[_EXTRA_GENERATION[key]] = value
        else:
            body[_EXTRA_TOP.get(key, key)] = value


def build_body(request: ChatRequest, ctx: CallContext) -> Dict[str, Any]:
    """The GenerateContentRequest body for ``request``."""
    params = dict(request.params)
    reject_params(params, _UNSUPPORTED, ctx, _HARMLESS)
    contents, system = convert_messages(request.messages, ctx)
    if not contents:
        raise ctx.bad("Gemini needs at least one user, assistant or tool message besides the system prompt")
    body: Dict[str, Any] = {"contents": contents}
    if system is not None:
        body["systemInstruction"] = system
    generation = _generation_config(params, ctx)
    _add_tools(params, body, ctx)
    _merge_extra_body(request.extra_body, body, generation)
    if generation:
        body["generationConfig"] = generation
    return body
