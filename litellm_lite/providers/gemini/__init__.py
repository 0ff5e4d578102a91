"""Google Gemini ``generateContent`` (AI Studio, ``gemini/...``) <-> OpenAI chat completions.

A package split along the format's seams:

- :mod:`.schema`: JSON schema -> Gemini's ``Schema`` subset (``$ref`` inlined, unknown keywords dropped);
- :mod:`.messages`: OpenAI messages -> ``contents`` and ``systemInstruction``;
- :mod:`.request`: the ``GenerateContentRequest`` body (``generationConfig``, tools, ``toolConfig``);
- :mod:`.response`: responses and stream events -> OpenAI results and chunks, usage;
- :mod:`.errors`: Google error payloads -> our exceptions;
- :mod:`.adapter`: :class:`GeminiAdapter` (``alt=sse`` streams) and :class:`GeminiJSONArrayAdapter`
  (the JSON-array stream, chosen with ``gemini_stream_format="json_array"``).

A tool call's ``thoughtSignature`` rides along in its id as ``call_<hex>__thought__<signature>``
(LiteLLM's convention) and is sent back with the call on the next turn, which Gemini 3 requires.
"""

from __future__ import annotations

from .adapter import GeminiAdapter, GeminiJSONArrayAdapter
from .messages import DUMMY_THOUGHT_SIGNATURE, THOUGHT_SIGNATURE_SEPARATOR
from .request import REASONING_BUDGETS, build_body
from .response import GeminiStreamState, embedding_floats, gemini_usage
from .schema import to_gemini_schema

__all__ = [
    "GeminiAdapter",
    "GeminiJSONArrayAdapter",
    "GeminiStreamState",
    "to_gemini_schema",
    "gemini_usage",
    "embedding_floats",
    "build_body",
    "THOUGHT_SIGNATURE_SEPARATOR",
    "DUMMY_THOUGHT_SIGNATURE",
    "REASONING_BUDGETS",
]
