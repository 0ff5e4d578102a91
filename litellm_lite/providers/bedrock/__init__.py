"""Amazon Bedrock Converse / ConverseStream (``bedrock/<modelId>``, ``bedrock/converse/<modelId>``).

Wire format: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html

Request mapping (OpenAI -> Converse):

* ``system``/``developer`` messages -> top-level ``system: [{text}]`` (a ``cache_control`` on a part
  adds a ``cachePoint`` block after it); user/assistant/tool messages -> ``messages`` with content
  blocks: ``text``, ``image`` (data URLs -> base64 ``bytes``, ``s3://`` URLs -> ``s3Location``),
  ``document`` (``file`` parts with a data URL), ``toolUse`` (assistant ``tool_calls``, arguments
  parsed), ``reasoningContent`` (assistant ``thinking_blocks``), ``toolResult`` (tool messages, in
  a user turn). Consecutive turns of the same role are merged, as Converse requires alternation.
* ``tools`` -> ``toolConfig.tools[].toolSpec`` (``inputSchema.json``); ``tool_choice`` auto/required/
  a named function -> ``auto``/``any``/``tool``. When the history holds tool blocks but no tools
  are given, tool specs with an open schema are declared for the names used (Converse refuses
  tool blocks without a ``toolConfig``).
* ``max_completion_tokens``/``max_tokens``, ``temperature``, ``top_p``, ``stop`` -> ``inferenceConfig``.
* ``reasoning_effort`` (minimal/low 1024, medium 2048, high 4096, xhigh 8192 budget tokens) or an Anthropic-style
  ``thinking`` dict -> ``additionalModelRequestFields.thinking`` for Claude models (and ARNs, which
  do not name their model); other models: UnsupportedParamsError.
* ``response_format`` ``json_schema``/``json_object`` -> a forced tool named ``json_tool_call`` whose
  input schema is the requested schema; its input comes back as the message ``content`` (JSON text)
  with finish reason ``stop``. Combined with ``tools`` it cannot be expressed: UnsupportedParamsError.
* ``n`` > 1, ``seed``, ``presence_penalty``, ``frequency_penalty``, ``logit_bias``, ``logprobs``,
  ``top_logprobs``, ``parallel_tool_calls=False``, ``tool_choice="none"`` with tool history:
  UnsupportedParamsError (dropped with ``drop_params=True``). ``user`` and ``stream_options`` are
  ignored (Converse always reports usage).

Authentication (:meth:`BedrockAdapter.sign`): SigV4 for service ``bedrock`` with the credentials
resolved by :mod:`..aws_auth`, or ``Authorization: Bearer`` for a Bedrock API key.

Embeddings: InvokeModel for Amazon Titan and Cohere Embed models (:mod:`.embeddings`).

The package, split along the format's seams: :mod:`.messages` (OpenAI messages -> Converse turns),
:mod:`.request` (the Converse body), :mod:`.response` (responses and ConverseStream events),
:mod:`.embeddings`, :mod:`.errors` (AWS error types -> our exceptions) and :mod:`.adapter`.
"""

from __future__ import annotations

from .adapter import BedrockAdapter
from .embeddings import embedding_family
from .errors import exception_class
from .request import JSON_TOOL_NAME, REASONING_BUDGETS, model_id_of
from .response import BedrockStreamState

__all__ = [
    "BedrockAdapter",
    "BedrockStreamState",
    "JSON_TOOL_NAME",
    "REASONING_BUDGETS",
    "model_id_of",
    "exception_class",
    "embedding_family",
]
