"""Command line: ``python -m litellm_lite chat ...`` (argparse is imported only here)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, TextIO

__all__ = ["main"]

_DIM = "\033[2m"
_RESET = "\033[0m"


def _build_parser() -> Any:
    import argparse

    parser = argparse.ArgumentParser(prog="litellm-lite", description="Call any LLM provider from the command line.")
    sub = parser.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="send a prompt and stream the answer")
    chat.add_argument("prompt", nargs="?", help="the prompt (read from stdin when omitted)")
    chat.add_argument("-m", "--model", help="provider/model, e.g. deepseek/deepseek-chat")
    chat.add_argument("--system", help="system prompt")
    chat.add_argument("--temperature", type=float)
    chat.add_argument("--max-tokens", type=int)
    chat.add_argument("--api-base", help="override the provider's base URL")
    chat.add_argument("--no-stream", action="store_true", help="wait for the whole answer")
    chat.add_argument("--json", action="store_true", help="print the full response object as JSON")
    chat.add_argument("--fake", action="store_true", help="use the built-in loopback fake provider (no key needed)")
    chat.add_argument(
        "--fake-format",
        choices=_FAKE_FORMATS,
        help="with --fake: the wire format the fake provider speaks, through that provider's adapter "
        "(default: openai)",
    )
    chat.add_argument("-v", "--verbose", action="store_true", help="usage and cost on stderr")
    for extra in _EXTRA_COMMANDS:
        extra(sub)
    return parser


# The wire formats of ``--fake-format`` (litellm_lite.testing.FORMATS, repeated to keep testing unimported).
_FAKE_FORMATS = ("openai", "anthropic", "gemini")

# Further sub-commands register themselves here: fn(subparsers) adding a parser with set_defaults(run=...).
_EXTRA_COMMANDS: List[Any] = []


class _UsageError(Exception):
    """A command-line mistake: printed as one line, exit status 2."""


def _check_text(text: str, what: str) -> None:
    """Refuse text that is not valid UTF-8 (undecodable argv/stdin bytes arrive as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        code = ord(bad)
        shown = "byte 0x%02x" % (code - 0xDC00) if 0xDC80 <= code <= 0xDCFF else "U+%04X" % code
        raise _UsageError(
            "%s is not valid UTF-8 (%s at character %d); pass UTF-8 text" % (what, shown, exc.start)
        ) from None


def _messages(args: Any, stdin: TextIO) -> List[Dict[str, Any]]:
    prompt = args.prompt
    if prompt is None or prompt == "-":
        prompt = stdin.read()
    if not prompt or not prompt.strip():
        raise _UsageError("no prompt given (pass it as an argument or on stdin)")
    _check_text(prompt, "the prompt")
    if args.system:
        _check_text(args.system, "the system prompt")
    messages: List[Dict[str, Any]] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    return messages


def _run_chat(args: Any, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from .main import completion

    if args.fake_format and not args.fake:
        raise _UsageError("--fake-format only applies with --fake")
    if not args.fake and not args.model:
        raise _UsageError("-m/--model is required (or use --fake)")
    messages = _messages(args, stdin)
    kwargs: Dict[str, Any] = {}
    if args.temperature is not None:
        kwargs["temperature"] = args.temperature
    if args.max_tokens is not None:
        kwargs["max_tokens"] = args.max_tokens
    fake = None
    if args.fake:
        from .testing import FakeProvider

        fmt = args.fake_format or "openai"
        fake = FakeProvider(chunk_size=3, echo_prefix="(fake provider) You said: ").start()
        kwargs.update(fake.kwargs(fmt))
        if args.model:
            kwargs["model"] = fmt + "/" + args.model.split("/")[-1]
    else:
        kwargs["model"] = args.model
        if args.api_base:
            kwargs["api_base"] = args.api_base
    try:
        if args.no_stream or args.json:
            response = completion(messages=messages, **kwargs)
            if args.json:
                out.write(json.dumps(response.to_dict(), indent=2) + "\n")
            else:
                _print_message(response, out)
            final = response
        else:
            final = _stream(completion(messages=messages, stream=True, stream_options={"include_usage": True}, **kwargs), out)
        if args.verbose and final is not None:
            _print_usage(final, err, str(kwargs.get("model", "")))
    finally:
        if fake is not None:
            fake.stop()
    return 0


def _print_message(response: Any, out: TextIO) -> None:
    message = response.choices[0].message if response.choices else None
    if message is None:
        return
    if message.reasoning_content:
        out.write(_dim(message.reasoning_content, out) + "\n")
    if message.content:
        out.write(message.content)
    for call in message.tool_calls or []:
        out.write("\n[tool call] %s(%s)" % (call.function.name, call.function.arguments))
    out.write("\n")


def _dim(text: str, out: TextIO) -> str:
    return _DIM + text + _RESET if getattr(out, "isatty", lambda: False)() else text


def _stream(stream: Any, out: TextIO) -> Any:
    in_reasoning = False
    tty = getattr(out, "isatty", lambda: False)()
    try:
        for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.reasoning_content:
                if not in_reasoning and tty:
                    out.write(_DIM)
                in_reasoning = True
                out.write(delta.reasoning_content)
            if delta.content:
                if in_reasoning:
                    out.write((_RESET if tty else "") + "\n")
                    in_reasoning = False
                out.write(delta.content)
            out.flush()
    except KeyboardInterrupt:
        stream.close()
        out.write((_RESET if tty and in_reasoning else "") + "\n")
        raise
    out.write((_RESET if tty and in_reasoning else "") + "\n")
    built = stream.get_final_response()
    return built


def _print_usage(response: Any, err: TextIO, model: str = "") -> None:
    usage = getattr(response, "usage", None)
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if cost is None and usage is not None:
        # A stream's get_final_response() is rebuilt from the chunks: price it here.
        from .cost import response_cost

        cost = response_cost(response, model or getattr(response, "model", None), None)
    if usage is not None:
        err.write(
            "usage: prompt=%d completion=%d total=%d" % (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens)
        )
        err.write(" cost=$%.6f\n" % cost if cost is not None else " cost=unknown\n")


def main(
    argv: Optional[Sequence[str]] = None,
    out: Optional[TextIO] = None,
    err: Optional[TextIO] = None,
    stdin: Optional[TextIO] = None,
) -> int:
    """Entry point of ``python -m litellm_lite`` and the ``litellm-lite`` script; returns the exit code.

    ``out``/``err``/``stdin`` default to the process's streams at call time.
    """
    from .exceptions import APIError, LiteLLMError

    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    stdin = sys.stdin if stdin is None else stdin
    _load_extra_commands()
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    level = os.environ.get("LITELLM_LITE_LOG", "").strip().upper()
    if level:
        import logging

        logging.basicConfig(level=level if level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") else "DEBUG")
    run = getattr(args, "run", None)
    try:
        if args.command == "chat":
            return _run_chat(args, out, err, stdin)
        if run is not None:
            return int(run(args, out, err))
        parser.print_help(out)
        return 2
    except _UsageError as exc:
        err.write("litellm-lite: %s\n" % exc)
        return 2
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, without a traceback at exit
        real_stdout = sys.__stdout__
        if real_stdout is not None and out is real_stdout:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), real_stdout.fileno())
            except (OSError, ValueError):  # pragma: no cover
                pass
        return 1
    except APIError as exc:
        err.write("error: %s (provider=%s, status=%s): %s\n" % (type(exc).__name__, exc.llm_provider or "-", exc.status_code, exc.message))
        return 1
    except LiteLLMError as exc:
        err.write("error: %s: %s\n" % (type(exc).__name__, exc))
        return 1


def _load_extra_commands() -> None:
    try:
        from . import cli_commands  # noqa: F401 - registers models/cost/providers
    except ImportError:
        pass
