"""A user's type checker sees the real public API: mypy on a small program that imports the package.

Each ``reveal_type`` line of the program carries the type mypy must reveal; the test fails on any
other type (``Any`` included) and on any mypy error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = textwrap.dedent(
    '''
    import litellm_lite
    import litellm_lite as litellm

    msgs = [{"role": "user", "content": "hi"}]
    flag = bool(len(msgs))
    reveal_type(litellm_lite.completion(model="m", messages=msgs))  # expect: litellm_lite.types.ModelResponse
    reveal_type(litellm_lite.completion(model="m", messages=msgs, stream=False))  # expect: litellm_lite.types.ModelResponse
    stream = litellm.completion(model="m", messages=msgs, stream=True)
    reveal_type(stream)  # expect: litellm_lite.streaming.CustomStreamWrapper
    reveal_type(litellm.completion("m", msgs, stream=flag))  # expect: litellm_lite.types.ModelResponse | litellm_lite.streaming.CustomStreamWrapper
    reveal_type(litellm_lite.embedding(model="e", input="x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
    reveal_type(litellm_lite.text_completion(model="m", prompt="p"))  # expect: litellm_lite.endpoint_types.TextCompletionResponse
    reveal_type(litellm_lite.text_completion(model="m", prompt="p", stream=True))  # expect: litellm_lite.streaming.TextCompletionStreamWrapper
    reveal_type(litellm_lite.text_completion("m", "p", None, None, True))  # expect: litellm_lite.streaming.TextCompletionStreamWrapper
    reveal_type(litellm_lite.image_generation(prompt="p", model="dall-e-3"))  # expect: litellm_lite.endpoint_types.ImageResponse
    reveal_type(litellm_lite.moderation(input="x"))  # expect: litellm_lite.endpoint_types.ModerationResponse
    reveal_type(litellm_lite.speech(model="tts-1", input="x", voice="alloy"))  # expect: litellm_lite.endpoint_types.SpeechResponse
    reveal_type(litellm_lite.transcription(model="whisper-1", file=b"x"))  # expect: litellm_lite.endpoint_types.TranscriptionResponse
    reveal_type(litellm_lite.responses(model="gpt-4.1", input="hi"))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
    reveal_type(litellm_lite.responses("gpt-4.1", "hi", stream=False))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
    events = litellm_lite.responses(model="gpt-4.1", input="hi", stream=True)
    reveal_type(events)  # expect: litellm_lite.responses_api.streams.ResponsesStream
    reveal_type(litellm.responses("gpt-4.1", "hi", stream=flag))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse | litellm_lite.responses_api.streams.ResponsesStream
    reveal_type(next(events).type)  # expect: str
    reveal_type(events.get_final_response())  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
    reveal_type(events.response.output_text)  # expect: str
    with litellm_lite.responses(model="gpt-4.1", input="hi", stream=True) as opened:
        reveal_type(opened)  # expect: litellm_lite.responses_api.streams.ResponsesStream
    named: litellm_lite.ResponsesStream = events


    async def main() -> None:
        reveal_type(await litellm_lite.acompletion(model="m", messages=msgs))  # expect: litellm_lite.types.ModelResponse
        reveal_type(await litellm_lite.acompletion(model="m", messages=msgs, stream=True))  # expect: litellm_lite.streaming.CustomStreamWrapper
        reveal_type(await litellm_lite.aembedding(model="e", input="x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
        reveal_type(await litellm_lite.aresponses(model="gpt-4.1", input="hi"))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
        astream = await litellm_lite.aresponses(model="gpt-4.1", input="hi", stream=True)
        reveal_type(astream)  # expect: litellm_lite.responses_api.streams.ResponsesStream
        reveal_type(await litellm_lite.aresponses("gpt-4.1", "hi", stream=flag))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse | litellm_lite.responses_api.streams.ResponsesStream
        async for event in astream:
            reveal_type(event.type)  # expect: str


    router = litellm_lite.Router(model_list=[])
    reveal_type(router.completion("m", msgs))  # expect: litellm_lite.types.ModelResponse
    reveal_type(router.completion("m", msgs, stream=True))  # expect: litellm_lite.streaming.CustomStreamWrapper
    reveal_type(router.completion("m", msgs, stream=flag))  # expect: litellm_lite.types.ModelResponse | litellm_lite.streaming.CustomStreamWrapper
    reveal_type(router.embedding("e", "x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
    reveal_type(router.health_check())  # expect: dict[str, list[litellm_lite.router_health.HealthStatus]]

    client = litellm_lite.Client("openai", api_key="k")
    reveal_type(client.completion("m", msgs))  # expect: litellm_lite.types.ModelResponse
    reveal_type(client.completion(model="m", messages=msgs, stream=False))  # expect: litellm_lite.types.ModelResponse
    reveal_type(client.completion("m", msgs, stream=True))  # expect: litellm_lite.streaming.CustomStreamWrapper
    reveal_type(client.completion("m", msgs, stream=flag))  # expect: litellm_lite.types.ModelResponse | litellm_lite.streaming.CustomStreamWrapper
    reveal_type(client.embedding("e", "x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
    reveal_type(client.image_generation("p", "dall-e-3"))  # expect: litellm_lite.endpoint_types.ImageResponse
    reveal_type(client.transcription("whisper-1", b"x"))  # expect: litellm_lite.endpoint_types.TranscriptionResponse
    reveal_type(client.speech("tts-1", "x", "alloy"))  # expect: litellm_lite.endpoint_types.SpeechResponse
    reveal_type(client.moderation("x"))  # expect: litellm_lite.endpoint_types.ModerationResponse
    reveal_type(client.text_completion("m", "p"))  # expect: litellm_lite.endpoint_types.TextCompletionResponse
    reveal_type(client.text_completion("m", "p", stream=True))  # expect: litellm_lite.streaming.TextCompletionStreamWrapper
    reveal_type(client.text_completion("m", "p", stream=flag))  # expect: litellm_lite.endpoint_types.TextCompletionResponse | litellm_lite.streaming.TextCompletionStreamWrapper
    reveal_type(client.rerank("rerank-v3.5", "q", ["a"]))  # expect: litellm_lite.rerank_wire.RerankResponse
    reveal_type(client.responses("gpt-4.1", "hi"))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
    reveal_type(client.responses(model="gpt-4.1", input="hi", stream=False))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
    reveal_type(client.responses("gpt-4.1", "hi", stream=True))  # expect: litellm_lite.responses_api.streams.ResponsesStream
    reveal_type(client.responses(input="hi", stream=flag))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse | litellm_lite.responses_api.streams.ResponsesStream
    reveal_type(client.health_check("m"))  # expect: litellm_lite.router_health.HealthStatus
    reveal_type(client.calculate_cost(model="m", prompt_tokens=1))  # expect: float
    reveal_type(client.models())  # expect: list[str]
    reveal_type(client.model_info())  # expect: dict[str, dict[str, Any]]
    reveal_type(client.capabilities)  # expect: litellm_lite.provider_config.Capabilities
    reveal_type(client.cache)  # expect: litellm_lite.caching.Cache | None
    reveal_type(client.budgets)  # expect: list[litellm_lite.budget.Budget]
    reveal_type(litellm_lite.Client.from_env("openai"))  # expect: litellm_lite.client.Client


    async def calls() -> None:
        reveal_type(await router.acompletion("m", msgs))  # expect: litellm_lite.types.ModelResponse
        reveal_type(await router.acompletion("m", msgs, stream=True))  # expect: litellm_lite.streaming.CustomStreamWrapper
        reveal_type(await router.aembedding("e", "x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
        reveal_type(await client.acompletion("m", msgs))  # expect: litellm_lite.types.ModelResponse
        reveal_type(await client.acompletion("m", msgs, stream=True))  # expect: litellm_lite.streaming.CustomStreamWrapper
        reveal_type(await client.acompletion("m", msgs, stream=flag))  # expect: litellm_lite.types.ModelResponse | litellm_lite.streaming.CustomStreamWrapper
        reveal_type(await client.aembedding("e", "x"))  # expect: litellm_lite.types._stream.EmbeddingResponse
        reveal_type(await client.aimage_generation("p"))  # expect: litellm_lite.endpoint_types.ImageResponse
        reveal_type(await client.atranscription("whisper-1", b"x"))  # expect: litellm_lite.endpoint_types.TranscriptionResponse
        reveal_type(await client.aspeech("tts-1", "x", "alloy"))  # expect: litellm_lite.endpoint_types.SpeechResponse
        reveal_type(await client.amoderation("x"))  # expect: litellm_lite.endpoint_types.ModerationResponse
        reveal_type(await client.atext_completion("m", "p"))  # expect: litellm_lite.endpoint_types.TextCompletionResponse
        reveal_type(await client.atext_completion("m", "p", stream=True))  # expect: litellm_lite.streaming.TextCompletionStreamWrapper
        reveal_type(await client.arerank("rerank-v3.5", "q", ["a"]))  # expect: litellm_lite.rerank_wire.RerankResponse
        reveal_type(await client.aresponses("gpt-4.1", "hi"))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse
        reveal_type(await client.aresponses("gpt-4.1", "hi", stream=True))  # expect: litellm_lite.responses_api.streams.ResponsesStream
        reveal_type(await client.aresponses(input="hi", stream=flag))  # expect: litellm_lite.responses_api.types.ResponsesAPIResponse | litellm_lite.responses_api.streams.ResponsesStream

    reveal_type(litellm_lite.completion_cost(completion_response=None))  # expect: float
    reveal_type(litellm_lite.ModelResponse().choices[0].message.content)  # expect: str | None
    '''
)


def _normalized(revealed: str) -> str:
    """mypy 1.x writes ``Union[A, B]`` and ``Optional[A]`` where mypy 2 writes ``A | B``."""
    m = re.fullmatch(r"Union\[(.*)\]", revealed)
    if m:
        return " | ".join(part.strip() for part in m.group(1).split(","))
    m = re.fullmatch(r"Optional\[(.*)\]", revealed)
    if m:
        return m.group(1) + " | None"
    return revealed.replace("builtins.", "")


def _expected(program: str) -> Dict[int, str]:
    out = {}
    for number, line in enumerate(program.splitlines(), 1):
        if "# expect: " in line:
            out[number] = line.split("# expect: ", 1)[1].strip()
    return out


@pytest.mark.slow
def test_reveal_types_of_the_public_api(tmp_path: Path) -> None:
    program = tmp_path / "user_program.py"
    program.write_text(PROGRAM, encoding="utf-8")
    env = dict(os.environ, MYPYPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
         str(program)],
        cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600,
    )
    revealed: Dict[int, str] = {}
    errors = []
    for line in proc.stdout.splitlines():
        m = re.match(r".*user_program\.py:(\d+): note: Revealed type is \"(.*)\"$", line)
        if m:
            revealed[int(m.group(1))] = _normalized(m.group(2))
        elif ": error:" in line:
            errors.append(line)
    assert not errors, "\n".join(errors)
    expected = _expected(PROGRAM)
    assert len(expected) >= 50
    wrong = {n: (want, revealed.get(n)) for n, want in expected.items() if revealed.get(n) != want}
    assert not wrong, "line: (expected, revealed) %r\n%s" % (wrong, proc.stdout + proc.stderr)
