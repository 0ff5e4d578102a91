#!/usr/bin/env python3
"""How far is ``token_counter``'s estimate from the input tokens providers actually billed?

Reads every recording in ``../shared/cassettes`` (relative to the repository root) whose request
is a non-streamed chat call with a reported ``usage``, turns the request body (whatever the
provider's wire format) back into OpenAI-style messages and tools, and compares
``litellm_lite.tokens.token_counter(...)`` with ``expected.usage.input_tokens``.

The table shows, per recording: the estimate, a naive floor measured in the same run
(characters of the messages' JSON / 4), the actual count, and estimate/actual. It ends with the
mean absolute percentage error (MAPE) of both. Provider-side overhead (hidden system prompts,
chat templates, image tiling) differs a lot between providers, so short prompts have large
relative errors; the figure to watch is the MAPE over the larger prompts.

Usage: python benchmarks/token_estimate.py [cassette_dir]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litellm_lite.tokens import token_counter  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "cassettes"

Messages = List[Dict[str, Any]]


def _text_blocks(blocks: Any) -> str:
    if isinstance(blocks, str):
        return blocks
    out = []
    for block in blocks or []:
        if isinstance(block, dict) and isinstance(block.get("text"), str):
            out.append(block["text"])
    return "\n".join(out)


def _anthropic(body: Dict[str, Any]) -> Tuple[Messages, Any]:
    messages: Messages = []
    if body.get("system"):
        messages.append({"role": "system", "content": _text_blocks(body["system"])})
    for msg in body.get("messages", []):
        content = msg.get("content")
        if isinstance(content, str):
            messages.append({"role": msg.get("role"), "content": content})
            continue
        parts: List[Dict[str, Any]] = []
        calls = []
        for block in content or []:
            kind = block.get("type")
            if kind == "text":
                parts.append({"type": "text", "text": block.get("text", "")})
            elif kind == "image":
                parts.append({"type": "image_url", "image_url": {"url": "data:"}})
            elif kind == "tool_use":
                calls.append({"function": {"name": block.get("name"), "arguments": json.dumps(block.get("input"))}})
            elif kind == "tool_result":
                result = block.get("content")
                messages.append({"role": "tool", "content": _text_blocks(result) or json.dumps(result)})
        if parts or calls:
            messages.append({"role": msg.get("role"), "content": parts, "tool_calls": calls or None})
    return messages, body.get("tools")


def _gemini(body: Dict[str, Any]) -> Tuple[Messages, Any]:
    messages: Messages = []
    system = body.get("systemInstruction")
    if isinstance(system, dict):
        messages.append({"role": "system", "content": _text_blocks(system.get("parts"))})
    for item in body.get("contents", []):
        parts: List[Dict[str, Any]] = []
        calls = []
        for part in item.get("parts", []):
            if "text" in part:
                parts.append({"type": "text", "text": part["text"]})
            elif "inlineData" in part or "fileData" in part:
                parts.append({"type": "image_url", "image_url": {"url": "data:"}})
            elif "functionCall" in part:
                call = part["functionCall"]
                calls.append({"function": {"name": call.get("name"), "arguments": json.dumps(call.get("args"))}})
            elif "functionResponse" in part:
                parts.append({"type": "text", "text": json.dumps(part["functionResponse"])})
        messages.append({"role": item.get("role", "user"), "content": parts, "tool_calls": calls or None})
    tools = [decl for tool in body.get("tools", []) for decl in tool.get("functionDeclarations", [])]
    return messages, tools or None


def _bedrock(body: Dict[str, Any]) -> Tuple[Messages, Any]:
    messages: Messages = []
    if body.get("system"):
        messages.append({"role": "system", "content": _text_blocks(body["system"])})
    for msg in body.get("messages", []):
        parts: List[Dict[str, Any]] = []
        calls = []
        for block in msg.get("content", []):
            if "text" in block:
                parts.append({"type": "text", "text": block["text"]})
            elif "image" in block:
                parts.append({"type": "image_url", "image_url": {"url": "data:"}})
            elif "toolUse" in block:
                use = block["toolUse"]
                calls.append({"function": {"name": use.get("name"), "arguments": json.dumps(use.get("input"))}})
            elif "toolResult" in block:
                parts.append({"type": "text", "text": json.dumps(block["toolResult"].get("content"))})
        messages.append({"role": msg.get("role"), "content": parts, "tool_calls": calls or None})
    tools = [t.get("toolSpec") for t in (body.get("toolConfig") or {}).get("tools", [])]
    return messages, tools or None


def _openai_like(body: Dict[str, Any]) -> Tuple[Messages, Any]:
    messages: Messages = []
    for msg in body.get("messages", []):
        msg = dict(msg)
        if isinstance(msg.get("content"), list):
            msg["content"] = [
                p if p.get("type") != "text" else {"type": "text", "text": p.get("text", "")}
                for p in msg["content"]
                if isinstance(p, dict)
            ]
        messages.append(msg)
    return messages, body.get("tools")


def _ollama_generate(body: Dict[str, Any]) -> Tuple[Messages, Any]:
    messages: Messages = []
    if body.get("system"):
        messages.append({"role": "system", "content": body["system"]})
    messages.append({"role": "user", "content": body.get("prompt", "")})
    return messages, None


def _response_schema(body: Dict[str, Any]) -> Any:
    """The structured-output schema a request sends, if any (it counts as input too)."""
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") != "text":
        return response_format
    if isinstance(body.get("output_format"), dict):  # Anthropic
        return body["output_format"]
    # Gemini's generationConfig.responseSchema is left out: promptTokenCount does not include it.
    return None


def request_messages(record: Dict[str, Any]) -> Optional[Tuple[Messages, Any]]:
    """(messages, tools) of a recorded non-streamed chat request, or None to skip it."""
    request = record.get("request") or {}
    body = request.get("body")
    path = request.get("path", "")
    usage = (record.get("expected") or {}).get("usage") or {}
    if not isinstance(body, dict) or not usage.get("input_tokens"):
        return None
    if body.get("stream") is True or "stream" in path.lower() or "embed" in path:
        return None
    provider = record.get("provider")
    if provider == "anthropic":
        return _anthropic(body)
    if provider == "bedrock":
        return _bedrock(body)
    if "contents" in body:
        return _gemini(body)
    if path.endswith("/api/generate"):
        return _ollama_generate(body)
    if "messages" in body:
        return _openai_like(body)
    return None


def main(argv: List[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    if not folder.is_dir():
        print("no cassettes at %s" % folder)
        return 1
    rows = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        extracted = request_messages(record)
        if extracted is None:
            continue
        messages, tools = extracted
        actual = int(record["expected"]["usage"]["input_tokens"])
        body = record["request"]["body"]
        model = str(body.get("model", ""))
        estimate = token_counter(model=model, messages=messages, tools=tools)
        schema = _response_schema(body)
        if schema is not None:
            estimate += token_counter(model=model, text=json.dumps(schema))
        naive = len(json.dumps(messages) + (json.dumps(tools) if tools else "") + json.dumps(schema or "")) // 4
        rows.append((record.get("provider", "?"), record.get("case", path.stem), estimate, naive, actual))
    if not rows:
        print("no non-streamed chat recordings with usage found in %s" % folder)
        return 1
    print("%-11s %-32s %8s %8s %8s %7s" % ("provider", "case", "estimate", "chars/4", "actual", "ratio"))
    for provider, case, estimate, naive, actual in rows:
        print("%-11s %-32s %8d %8d %8d %7.2f" % (provider, case[:32], estimate, naive, actual, estimate / actual))

    def mape(index: int, subset: List[Tuple[Any, ...]]) -> float:
        return 100.0 * sum(abs(r[index] - r[4]) / r[4] for r in subset) / len(subset)

    large = [r for r in rows if r[4] >= 100]
    print()
    print(
        "recordings: %d   MAPE estimate: %.1f%%   MAPE chars/4 floor: %.1f%%"
        % (len(rows), mape(2, rows), mape(3, rows))
    )
    if large:
        print(
            "prompts >= 100 tokens: %d   MAPE estimate: %.1f%%   MAPE chars/4 floor: %.1f%%"
            % (len(large), mape(2, large), mape(3, large))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
