"""DATA ONLY: one row per vendor that speaks OpenAI's chat-completions wire format.

Quirk flags understood by the OpenAI adapter (``providers/openai.py``):

- ``openai_reasoning_models``: o1/o3/o4/gpt-5 models take ``max_completion_tokens`` (not
  ``max_tokens``) and no sampling parameters (temperature, top_p, penalties, logprobs).
- ``tool_choice_required_is_any``: ``tool_choice="required"`` is sent as ``"any"`` (Mistral).
- ``no_stream_options``: the server rejects ``stream_options``; it is left out.
(The reasoning text is read from ``reasoning_content`` or ``reasoning``, whichever a server sends.)

``endpoints`` lists what each vendor serves in OpenAI's format (``openai_endpoints(...)``).
"""

from __future__ import annotations

from typing import List

from .base import ProviderSpec, Quirk, openai_endpoints

_LOGPROB_PARAMS = frozenset({"logprobs", "top_logprobs", "logit_bias"})

OPENAI_COMPATIBLE_SPECS: List[ProviderSpec] = [
    ProviderSpec(
        name="openai",
        endpoints=openai_endpoints(
            "chat", "embedding", "image_generation", "transcription", "speech", "moderation", "text_completion", "responses"
        ),
        aliases=("text-completion-openai",),
        api_base="https://api.openai.com/v1",
        api_key_env=("OPENAI_API_KEY",),
        api_base_env=("OPENAI_API_BASE", "OPENAI_BASE_URL"),
        quirks=frozenset({Quirk.OPENAI_REASONING_MODELS}),
        docs="https://platform.openai.com/docs/api-reference/chat",
    ),
    ProviderSpec(
        name="deepseek",
        endpoints=openai_endpoints("chat", text_completion="/beta/completions"),
        api_base="https://api.deepseek.com",
        api_key_env=("DEEPSEEK_API_KEY",),
        api_base_env=("DEEPSEEK_API_BASE",),
        unsupported_params=frozenset({"n", "logit_bias", "seed"}),
        docs="https://api-docs.deepseek.com/api/create-chat-completion",
    ),
    ProviderSpec(
        name="groq",
        endpoints=openai_endpoints("chat", "transcription", "speech"),
        api_base="https://api.groq.com/openai/v1",
        api_key_env=("GROQ_API_KEY",),
        api_base_env=("GROQ_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS,
        docs="https://console.groq.com/docs/api-reference",
    ),
    ProviderSpec(
        name="mistral",
        endpoints=openai_endpoints("chat", "embedding", "moderation"),
        api_base="https://api.mistral.ai/v1",
        api_key_env=("MISTRAL_API_KEY",),
        api_base_env=("MISTRAL_API_BASE",),
        param_renames=(("seed", "random_seed"),),
        # Mistral's schema is closed: no user, no reasoning_effort (magistral reasons by itself).
        unsupported_params=_LOGPROB_PARAMS | {"user", "reasoning_effort"},
        # Usage always arrives on the last chunk; stream_options is not in the schema.
        quirks=frozenset({Quirk.TOOL_CHOICE_REQUIRED_IS_ANY, Quirk.NO_STREAM_OPTIONS}),
        docs="https://docs.mistral.ai/api/",
    ),
    ProviderSpec(
        name="together_ai",
        endpoints=openai_endpoints("chat", "embedding", "image_generation", "transcription", "speech", "text_completion"),
        aliases=("together", "togetherai"),
        api_base="https://api.together.xyz/v1",
        api_key_env=("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"),
        api_base_env=("TOGETHERAI_API_BASE", "TOGETHER_AI_API_BASE"),
        docs="https://docs.together.ai/reference/chat-completions-1",
    ),
    ProviderSpec(
        name="fireworks_ai",
        endpoints=openai_endpoints("chat", "embedding", "text_completion"),
        aliases=("fireworks",),
        api_base="https://api.fireworks.ai/inference/v1",
        api_key_env=("FIREWORKS_API_KEY", "FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY"),
        api_base_env=("FIREWORKS_API_BASE", "FIREWORKS_AI_API_BASE"),
        docs="https://docs.fireworks.ai/api-reference/post-chatcompletions",
    ),
    ProviderSpec(
        name="openrouter",
        endpoints=openai_endpoints("chat", "text_completion", "responses"),  # /api/v1/responses (beta)
        api_base="https://openrouter.ai/api/v1",
        api_key_env=("OPENROUTER_API_KEY", "OR_API_KEY"),
        api_base_env=("OPENROUTER_API_BASE",),
                docs="https://openrouter.ai/docs/api-reference/chat-completion",
    ),
    ProviderSpec(
        name="perplexity",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.perplexity.ai",
        api_key_env=("PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"),
        api_base_env=("PERPLEXITY_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"n", "tools", "tool_choice", "parallel_tool_calls", "seed"},
        docs="https://docs.perplexity.ai/api-reference/chat-completions-post",
    ),
    ProviderSpec(
        name="xai",
        endpoints=openai_endpoints("chat", "image_generation", "text_completion"),
        api_base="https://api.x.ai/v1",
        api_key_env=("XAI_API_KEY",),
        api_base_env=("XAI_API_BASE",),
        unsupported_params=frozenset({"logit_bias"}),
        docs="https://docs.x.ai/docs/api-reference",
    ),
    ProviderSpec(
        name="cerebras",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.cerebras.ai/v1",
        api_key_env=("CEREBRAS_API_KEY",),
        api_base_env=("CEREBRAS_API_BASE",),
        unsupported_params=frozenset({"logit_bias", "n", "presence_penalty", "frequency_penalty"}),
        docs="https://inference-docs.cerebras.ai/api-reference/chat-completions",
    ),
    ProviderSpec(
        name="deepinfra",
        endpoints=openai_endpoints("chat", "embedding", "image_generation", "transcription", "text_completion"),
        api_base="https://api.deepinfra.com/v1/openai",
        api_key_env=("DEEPINFRA_API_KEY",),
        api_base_env=("DEEPINFRA_API_BASE",),
        docs="https://deepinfra.com/docs/openai_api",
    ),
    ProviderSpec(
        name="nvidia_nim",
        endpoints=openai_endpoints("chat", "embedding", "text_completion"),
        aliases=("nvidia",),
        api_base="https://integrate.api.nvidia.com/v1",
        api_key_env=("NVIDIA_NIM_API_KEY",),
        api_base_env=("NVIDIA_NIM_API_BASE",),
        docs="https://docs.api.nvidia.com/nim/reference/",
    ),
    ProviderSpec(
        name="moonshot",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.moonshot.ai/v1",
        api_key_env=("MOONSHOT_API_KEY",),
        api_base_env=("MOONSHOT_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS,
        docs="https://platform.moonshot.ai/docs/api/chat",
    ),
    ProviderSpec(
        name="dashscope",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        api_key_env=("DASHSCOPE_API_KEY",),
        api_base_env=("DASHSCOPE_API_BASE",),
        docs="https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope",
    ),
    ProviderSpec(
        name="sambanova",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.sambanova.ai/v1",
        api_key_env=("SAMBANOVA_API_KEY",),
        api_base_env=("SAMBANOVA_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"n", "presence_penalty", "frequency_penalty"},
        docs="https://docs.sambanova.ai/cloud/api-reference",
    ),
    ProviderSpec(
        name="lm_studio",
        endpoints=openai_endpoints("chat", "embedding", "text_completion"),
        api_base="http://localhost:1234/v1",
        api_key_env=("LM_STUDIO_API_KEY",),
        api_base_env=("LM_STUDIO_API_BASE",),
        key_required=False,
        docs="https://lmstudio.ai/docs/app/api/endpoints/openai",
    ),
    ProviderSpec(
        name="hosted_vllm",
        endpoints=openai_endpoints("chat", "embedding", "transcription", "text_completion", "responses"),
        aliases=("vllm",),
        api_base="",
        api_key_env=("HOSTED_VLLM_API_KEY",),
        api_base_env=("HOSTED_VLLM_API_BASE",),
        key_required=False,
        docs="https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html",
    ),
]
