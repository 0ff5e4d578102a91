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

from .base import ProviderSpec, Quirk, openai_endpoints

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import List

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
        endpoints=openai_endpoints(
            "chat", "embedding", "image_generation", "transcription", "speech", "text_completion", "rerank"
        ),
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
    # -- Rows researched for LiteLLM's prefixes (docs: the vendor page the facts were checked
    # against, or where to check; the unconfirmed ones are listed in README's provider notes).
    ProviderSpec(
        name="nebius",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="https://api.tokenfactory.nebius.com/v1",
        api_key_env=("NEBIUS_API_KEY",),
        api_base_env=("NEBIUS_API_BASE",),
        docs="https://docs.tokenfactory.nebius.com/api-reference/introduction",
    ),
    ProviderSpec(
        name="minimax",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.minimax.io/v1",
        api_key_env=("MINIMAX_API_KEY",),
        api_base_env=("MINIMAX_API_BASE",),
        docs="https://platform.minimaxi.com/docs/api-reference/responses-create",
    ),
    ProviderSpec(
        # The router's OpenAI surface; "org/model:provider" picks the serving provider.
        name="huggingface",
        endpoints=openai_endpoints("chat"),
        api_base="https://router.huggingface.co/v1",
        api_key_env=("HF_TOKEN", "HUGGINGFACE_API_KEY"),
        api_base_env=("HF_API_BASE", "HUGGINGFACE_API_BASE"),
        docs="https://huggingface.co/docs/inference-providers/providers/nscale",
    ),
    ProviderSpec(
        name="volcengine",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="https://ark.cn-beijing.volces.com/api/v3",
        api_key_env=("VOLCENGINE_API_KEY", "ARK_API_KEY"),
        api_base_env=("VOLCENGINE_API_BASE",),
        docs="https://www.volcengine.com/docs/82379",
    ),
    ProviderSpec(
        name="zai",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.z.ai/api/paas/v4",
        api_key_env=("ZAI_API_KEY",),
        api_base_env=("ZAI_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"frequency_penalty", "presence_penalty", "n", "seed"},
        docs="https://docs.z.ai/guides/develop/http/introduction",
    ),
    ProviderSpec(
        name="meta_llama",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.llama.com/compat/v1",
        api_key_env=("LLAMA_API_KEY",),
        api_base_env=("LLAMA_API_BASE",),
        docs="https://llama.developer.meta.com/docs/features/compatibility",
    ),
    ProviderSpec(
        name="featherless_ai",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.featherless.ai/v1",
        api_key_env=("FEATHERLESS_API_KEY",),
        api_base_env=("FEATHERLESS_API_BASE",),
        unsupported_params=frozenset({"logprobs", "top_logprobs", "seed", "user", "parallel_tool_calls"}),
        docs="https://featherless.ai/docs",
    ),
    ProviderSpec(
        # GitHub Models: a PAT with the models scope; model ids are "publisher/name".
        name="github",
        endpoints=openai_endpoints("chat"),
        api_base="https://models.github.ai/inference",
        api_key_env=("GITHUB_API_KEY",),
        api_base_env=("GITHUB_API_BASE",),
        docs="https://docs.github.com/en/github-models/quickstart",
    ),
    ProviderSpec(
        name="llamafile",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="http://127.0.0.1:8080/v1",
        api_key_env=("LLAMAFILE_API_KEY",),
        api_base_env=("LLAMAFILE_API_BASE",),
        key_required=False,
        docs="https://github.com/Mozilla-Ocho/llamafile",
    ),
    ProviderSpec(
        name="novita",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.novita.ai/v3/openai",
        api_key_env=("NOVITA_API_KEY",),
        docs="https://novita.ai/docs/guides/llm-api",
    ),
    ProviderSpec(
        name="baseten",
        endpoints=openai_endpoints("chat"),
        api_base="https://inference.baseten.co/v1",
        api_key_env=("BASETEN_API_KEY",),
        unsupported_params=_LOGPROB_PARAMS | {"n", "parallel_tool_calls"},
        docs="https://docs.baseten.co/quickstart",
    ),
    ProviderSpec(
        name="wandb",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="https://api.inference.wandb.ai/v1",
        api_key_env=("WANDB_API_KEY",),
        api_base_env=("WANDB_API_BASE",),
        docs="https://docs.wandb.ai/inference/api-reference",
    ),
    ProviderSpec(
        name="lambda_ai",
        endpoints=openai_endpoints("chat", "text_completion"),
        api_base="https://api.lambda.ai/v1",
        api_key_env=("LAMBDA_API_KEY",),
        api_base_env=("LAMBDA_API_BASE",),
        docs="https://docs.lambda.ai/public-cloud/lambda-inference-api",
    ),
    ProviderSpec(
        name="hyperbolic",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.hyperbolic.xyz/v1",
        api_key_env=("HYPERBOLIC_API_KEY",),
        api_base_env=("HYPERBOLIC_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"parallel_tool_calls"},
        docs="https://docs.hyperbolic.xyz/docs/rest-api",
    ),
    ProviderSpec(
        name="nscale",
        endpoints=openai_endpoints("chat", "image_generation"),
        api_base="https://inference.api.nscale.com/v1",
        api_key_env=("NSCALE_API_KEY",),
        api_base_env=("NSCALE_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"tools", "tool_choice", "parallel_tool_calls", "response_format",
                                              "stop", "seed", "presence_penalty", "frequency_penalty", "user"},
        docs="https://docs.nscale.com/api-reference",
    ),
    ProviderSpec(
        name="ovhcloud",
        endpoints=openai_endpoints("chat", "embedding", "transcription"),
        api_base="https://oai.endpoints.kepler.ai.cloud.ovh.net/v1",
        api_key_env=("OVHCLOUD_API_KEY",),
        api_base_env=("OVHCLOUD_API_BASE",),
        docs="https://endpoints.ai.cloud.ovh.net/",
    ),
    ProviderSpec(
        name="aiml",
        endpoints=openai_endpoints("chat", "image_generation"),
        api_base="https://api.aimlapi.com/v1",
        api_key_env=("AIML_API_KEY",),
        api_base_env=("AIML_API_BASE",),
        docs="https://docs.aimlapi.com/",
    ),
    ProviderSpec(
        # LiteLLM routes ai21/<jamba model> to its OpenAI-shaped chat.
        name="ai21_chat",
        aliases=("ai21",),
        endpoints=openai_endpoints("chat"),
        api_base="https://api.ai21.com/studio/v1",
        api_key_env=("AI21_API_KEY",),
        api_base_env=("AI21_API_BASE",),
        unsupported_params=_LOGPROB_PARAMS | {"presence_penalty", "frequency_penalty"},
        docs="https://docs.ai21.com/reference",
    ),
    ProviderSpec(
        name="friendliai",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.friendli.ai/serverless/v1",
        api_key_env=("FRIENDLIAI_API_KEY", "FRIENDLI_TOKEN"),
        api_base_env=("FRIENDLI_API_BASE",),
        docs="https://friendli.ai/docs",
    ),
    ProviderSpec(
        name="galadriel",
        endpoints=openai_endpoints("chat"),
        api_base="https://api.galadriel.com/v1",
        api_key_env=("GALADRIEL_API_KEY",),
        api_base_env=("GALADRIEL_API_BASE",),
        docs="https://docs.galadriel.com/",
    ),
    ProviderSpec(
        # DataRobot's LLM gateway: its chat path ends in a slash.
        name="datarobot",
        endpoints=(("chat", "/chat/completions/"),),
        api_base="https://app.datarobot.com/api/v2/genai/llmgw",
        api_key_env=("DATAROBOT_API_TOKEN",),
        api_base_env=("DATAROBOT_ENDPOINT",),
        docs="https://docs.datarobot.com/",
    ),
    ProviderSpec(
        name="vercel_ai_gateway",
        endpoints=openai_endpoints("chat", "embedding"),
        api_base="https://ai-gateway.vercel.sh/v1",
        api_key_env=("VERCEL_AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"),
        api_base_env=("VERCEL_AI_GATEWAY_API_BASE",),
        docs="https://vercel.com/docs/ai-gateway",
    ),
    ProviderSpec(
        # A LiteLLM proxy serves every OpenAI route and Cohere-shaped /rerank; no default base.
        name="litellm_proxy",
        endpoints=openai_endpoints("chat", "embedding", "image_generation", "transcription", "speech", "moderation",
                                   "text_completion", "rerank"),
        api_key_env=("LITELLM_PROXY_API_KEY",),
        api_base_env=("LITELLM_PROXY_API_BASE",),
        key_required=False,
        docs="https://docs.litellm.ai/docs/providers/litellm_proxy",
    ),
    ProviderSpec(
        name="xinference",
        endpoints=openai_endpoints("chat", "embedding", "image_generation", "rerank"),
        api_base="http://127.0.0.1:9997/v1",
        api_key_env=("XINFERENCE_API_KEY",),
        api_base_env=("XINFERENCE_API_BASE",),
        key_required=False,
        docs="https://inference.readthedocs.io/en/latest/user_guide/client_api.html",
    ),
    ProviderSpec(
        # Self-hosted embeddings and rerank server (no chat); INFINITY_API_BASE is required.
        name="infinity",
        endpoints=openai_endpoints("embedding", "rerank"),
        api_key_env=("INFINITY_API_KEY",),
        api_base_env=("INFINITY_API_BASE",),
        key_required=False,
        docs="https://michaelfeil.eu/infinity/latest/",
    ),
    ProviderSpec(
        # Embeddings in OpenAI's shape (dimensions named output_dimension; usage has total_tokens only),
        # rerank with top_k and results under "data" (rerank_wire.py); errors are {"detail": ...}.
        name="voyage",
        endpoints=openai_endpoints("embedding", "rerank"),
        api_base="https://api.voyageai.com/v1",
        api_key_env=("VOYAGE_API_KEY",),
        api_base_env=("VOYAGE_API_BASE",),
        param_renames=(("dimensions", "output_dimension"),),
        unsupported_params=frozenset({"user"}),
        docs="https://docs.voyageai.com/reference/embeddings-api",
    ),
    ProviderSpec(
        name="jina_ai",
        endpoints=openai_endpoints("embedding", "rerank"),
        api_base="https://api.jina.ai/v1",
        api_key_env=("JINA_AI_API_KEY",),
        api_base_env=("JINA_AI_API_BASE",),
        param_renames=(("encoding_format", "embedding_type"),),
        unsupported_params=frozenset({"user"}),
        docs="https://jina.ai/embeddings/",
    ),
    # -- Templated rows: the base depends on the caller (resource, workspace, account, region).
    ProviderSpec(
        # Azure AI Foundry (serverless / resource endpoints); Cohere-shaped rerank at /v1/rerank.
        name="azure_ai",
        endpoints=openai_endpoints("chat", "embedding", "image_generation", rerank="/v1/rerank"),
        api_key_env=("AZURE_AI_API_KEY",),
        api_base_env=("AZURE_AI_API_BASE",),
        models_api=("", ""),
        docs="https://learn.microsoft.com/en-us/azure/ai-foundry/",
    ),
    ProviderSpec(
        # The model is the serving endpoint's name.
        name="databricks",
        endpoints=openai_endpoints("chat", "embedding"),
        api_key_env=("DATABRICKS_API_KEY",),
        api_base_env=("DATABRICKS_API_BASE",),
        models_api=("", ""),
        docs="https://docs.databricks.com/machine-learning/model-serving/score-foundation-models.html",
    ),
    ProviderSpec(
        # Workers AI's OpenAI-compatible endpoints (model ids start with @cf/).
        name="cloudflare",
        endpoints=openai_endpoints("chat", "embedding"),
        api_key_env=("CLOUDFLARE_API_KEY",),
        api_base_env=("CLOUDFLARE_API_BASE",),
        call_options=frozenset({"cloudflare_account_id"}),
        options_env=(("cloudflare_account_id", ("CLOUDFLARE_ACCOUNT_ID",)),),
        api_base_template="https://api.cloudflare.com/client/v4/accounts/{cloudflare_account_id}/ai/v1",
        models_api=("", ""),
        docs="https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility",
    ),
    ProviderSpec(
        # Cortex Chat Completions API: a programmatic access token (or JWT) as the bearer key.
        name="snowflake",
        endpoints=openai_endpoints("chat"),
        api_key_env=("SNOWFLAKE_JWT",),
        api_base_env=("SNOWFLAKE_API_BASE",),
        call_options=frozenset({"snowflake_account_id"}),
        options_env=(("snowflake_account_id", ("SNOWFLAKE_ACCOUNT_ID",)),),
        api_base_template="https://{snowflake_account_id}.snowflakecomputing.com/api/v2/cortex/v1",
        models_api=("", ""),
        docs="https://docs.snowflake.com/user-guide/snowflake-cortex/open_ai_sdk",
    ),
    ProviderSpec(
        # OCI Generative AI's OpenAI-compatible mode with a Generative AI API key.
        name="oci",
        endpoints=openai_endpoints("chat"),
        api_key_env=("OCI_API_KEY",),
        api_base_env=("OCI_API_BASE",),
        call_options=frozenset({"oci_region"}),
        options_env=(("oci_region", ("OCI_REGION",)),),
        api_base_template="https://inference.generativeai.{oci_region}.oci.oraclecloud.com/openai/v1",
        models_api=("", ""),
        docs="https://docs.oracle.com/en-us/iaas/Content/generative-ai/openai-compatible-api.htm",
    ),
]
