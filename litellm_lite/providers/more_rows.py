"""Researched facts for the next provider rows: DATA ONLY (no imports, no code, read by nothing yet).

One dict per vendor, for the wiring step that turns each into a ``ProviderSpec`` row once the spec's
schema is final. Keys:

- ``name`` (LiteLLM's prefix), ``aliases`` (other prefixes LiteLLM accepts)
- ``api_base`` (default base URL; "" when the user must give one), ``url_template`` (templated rows:
  the base URL with ``{placeholders}`` and where each comes from, else "")
- ``api_key_env`` / ``api_base_env`` (LiteLLM's variable names, first wins)
- ``auth`` (bearer | api-key | none | ...), ``key_required``
- ``endpoints`` (endpoint name -> path under the base: chat, embedding, image_generation, transcription,
  speech, moderation, text_completion, rerank, responses)
- ``unsupported_params`` (OpenAI parameters the vendor rejects or LiteLLM does not forward)
- ``headers`` (static headers), ``quirks`` (free-text names of behaviour that needs code)
- ``docs`` (the API reference: the page read when ``confirmed``, else where to check), ``confirmed`` (True
  only when the vendor's own reference was read for path and auth) and ``note`` (what is unconfirmed, or
  worth knowing)

Sources: the vendor references named in ``docs``; LiteLLM's provider configs (BerriAI/litellm,
``litellm/llms/<vendor>/``, ``get_llm_provider_logic.py``, ``main.py``) for prefixes, variable names
and parameter lists.
"""

from __future__ import annotations

from typing import Any, Dict, List

__all__ = ["ROWS", "TEMPLATED_ROWS", "ALL_ROWS", "NATIVE_ROWS"]

_CHAT = {"chat": "/chat/completions"}
_CHAT_EMB = {"chat": "/chat/completions", "embedding": "/embeddings"}

ROWS: List[Dict[str, Any]] = [
    {
        "name": "nebius", "aliases": [],
        "api_base": "https://api.tokenfactory.nebius.com/v1", "url_template": "",
        "api_key_env": ["NEBIUS_API_KEY"], "api_base_env": ["NEBIUS_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://docs.tokenfactory.nebius.com/api-reference/introduction", "confirmed": True,
        "note": "LiteLLM still defaults to https://api.studio.nebius.ai/v1 (AI Studio, renamed Token Factory); "
                "the vendor reference now names api.tokenfactory.nebius.com. Embeddings from LiteLLM's embedding().",
    },
    {
        "name": "minimax", "aliases": [],
        "api_base": "https://api.minimax.io/v1", "url_template": "",
        "api_key_env": ["MINIMAX_API_KEY"], "api_base_env": ["MINIMAX_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "responses": "/responses", "speech": "/t2a_v2"},
        "unsupported_params": [], "headers": {},
        "quirks": ["reasoning_in_think_tags", "china_host_api.minimaxi.com"],
        "docs": "https://platform.minimaxi.com/docs/api-reference/responses-create", "confirmed": False,
        "note": "Bearer auth and /v1/responses read in MiniMax's own reference (China host); the /v1/chat/completions "
                "path and api.minimax.io base come from LiteLLM and a third-party compatibility summary. Speech "
                "(/t2a_v2) is MiniMax's own format, not OpenAI's: needs an adapter.",
    },
    {
        "name": "huggingface", "aliases": ["hf"],
        "api_base": "https://router.huggingface.co/v1", "url_template": "",
        "api_key_env": ["HF_TOKEN", "HUGGINGFACE_API_KEY"], "api_base_env": ["HF_API_BASE", "HUGGINGFACE_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": ["model_suffix_selects_provider"],
        "docs": "https://huggingface.co/docs/inference-providers/providers/nscale", "confirmed": True,
        "note": "Router chat only; a model id may end in ':<provider>' (e.g. 'org/model:together') to pick the "
                "serving provider. LiteLLM's own huggingface/<provider>/<model> form maps to that suffix. "
                "The 'hf' alias is ours, not LiteLLM's.",
    },
    {
        "name": "volcengine", "aliases": [],
        "api_base": "https://ark.cn-beijing.volces.com/api/v3", "url_template": "",
        "api_key_env": ["VOLCENGINE_API_KEY", "ARK_API_KEY"], "api_base_env": ["VOLCENGINE_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": ["model_is_endpoint_id"],
        "docs": "https://www.volcengine.com/docs/82379", "confirmed": False,
        "note": "Base URL and ARK_API_KEY from LiteLLM and third-party SDK docs (cloudwego eino); the vendor's own "
                "reference was not in the searchable corpus. Models are often endpoint ids (ep-...).",
    },
    {
        "name": "zai", "aliases": [],
        "api_base": "https://api.z.ai/api/paas/v4", "url_template": "",
        "api_key_env": ["ZAI_API_KEY"], "api_base_env": ["ZAI_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs",
                               "top_logprobs", "n", "seed"],
        "headers": {}, "quirks": ["flatten_list_content_for_tool_and_assistant", "thinking_param"],
        "docs": "https://docs.z.ai/guides/develop/http/introduction", "confirmed": True,
        "note": "unsupported_params mirrors LiteLLM's supported list (max_tokens, stream, stream_options, "
                "temperature, top_p, stop, tools, tool_choice, thinking). LiteLLM flattens list content of tool "
                "and assistant messages to a string (GLM templates drop list content).",
    },
    {
        "name": "meta_llama", "aliases": [],
        "api_base": "https://api.llama.com/compat/v1", "url_template": "",
        "api_key_env": ["LLAMA_API_KEY"], "api_base_env": ["LLAMA_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://llama.developer.meta.com/docs/features/compatibility", "confirmed": False,
        "note": "Base URL from LiteLLM; a third-party doc (BAML) names https://llama-api.meta.com/compat/v1 instead. "
                "Meta's own page was not in the searchable corpus.",
    },
    {
        "name": "featherless_ai", "aliases": [],
        "api_base": "https://api.featherless.ai/v1", "url_template": "",
        "api_key_env": ["FEATHERLESS_API_KEY"], "api_base_env": ["FEATHERLESS_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": ["logprobs", "top_logprobs", "seed", "user", "parallel_tool_calls"],
        "headers": {}, "quirks": ["tool_choice_auto_or_none_only", "max_completion_tokens_to_max_tokens"],
        "docs": "https://featherless.ai/docs", "confirmed": False,
        "note": "All facts from LiteLLM's FeatherlessAIConfig (its supported list and tool_choice rule); the vendor "
                "reference was not in the searchable corpus.",
    },
    {
        "name": "github", "aliases": [],
        "api_base": "https://models.github.ai/inference", "url_template": "",
        "api_key_env": ["GITHUB_API_KEY"], "api_base_env": ["GITHUB_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": ["model_id_publisher_slash_name"],
        "docs": "https://docs.github.com/en/github-models/quickstart", "confirmed": True,
        "note": "GitHub's reference: POST https://models.github.ai/inference/chat/completions with a PAT as Bearer "
                "(models scope), model ids like 'openai/gpt-4.1'. LiteLLM still defaults to the older "
                "https://models.inference.ai.azure.com.",
    },
    {
        "name": "llamafile", "aliases": [],
        "api_base": "http://127.0.0.1:8080/v1", "url_template": "",
        "api_key_env": ["LLAMAFILE_API_KEY"], "api_base_env": ["LLAMAFILE_API_BASE"],
        "auth": "bearer", "key_required": False, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": ["local_server_no_key"],
        "docs": "https://github.com/Mozilla-Ocho/llamafile", "confirmed": False,
        "note": "From LiteLLM's LlamafileChatConfig (sends a placeholder key when none is set; we send none). "
                "Embeddings path assumed from llamafile's llama.cpp server; not read.",
    },
    {
        "name": "novita", "aliases": [],
        "api_base": "https://api.novita.ai/v3/openai", "url_template": "",
        "api_key_env": ["NOVITA_API_KEY"], "api_base_env": [],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://novita.ai/docs/guides/llm-api", "confirmed": False,
        "note": "Base URL from LiteLLM and several clients; LiteLLM adds an 'X-Novita-Source: litellm' attribution "
                "header (left out here). No LiteLLM base-URL variable found.",
    },
    {
        "name": "baseten", "aliases": [],
        "api_base": "https://inference.baseten.co/v1", "url_template": "",
        "api_key_env": ["BASETEN_API_KEY"], "api_base_env": [],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": ["n", "logit_bias", "logprobs", "top_logprobs", "parallel_tool_calls"],
        "headers": {}, "quirks": ["dedicated_deployment_url_for_8_char_model_id"],
        "docs": "https://docs.baseten.co/quickstart", "confirmed": False,
        "note": "Vendor quickstart confirms OpenAI-SDK use with BASETEN_API_KEY; the inference.baseten.co/v1 base comes "
                "from LiteLLM and third parties. LiteLLM sends an 8-character model id to a dedicated deployment at "
                "https://model-{id}.api.baseten.co/environments/production/sync/v1 (vendor's predict API uses "
                "'Authorization: Api-Key', the OpenAI-compatible sync/v1 path Bearer).",
    },
    {
        "name": "wandb", "aliases": [],
        "api_base": "https://api.inference.wandb.ai/v1", "url_template": "",
        "api_key_env": ["WANDB_API_KEY"], "api_base_env": ["WANDB_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": ["project_header_team_slash_project"],
        "docs": "https://docs.wandb.ai/inference/api-reference", "confirmed": True,
        "note": "Optional team/project attribution ('<team>/<project>', the OpenAI SDK's OpenAI-Project header). "
                "Embeddings from LiteLLM's embedding() branch, not from W&B's reference (chat and models only).",
    },
    {
        "name": "lambda_ai", "aliases": [],
        "api_base": "https://api.lambda.ai/v1", "url_template": "",
        "api_key_env": ["LAMBDA_API_KEY"], "api_base_env": ["LAMBDA_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "text_completion": "/completions"},
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://docs.lambda.ai/public-cloud/lambda-inference-api", "confirmed": True,
        "note": "Lambda's reference says the Inference API has been sunsetted (shut down September 25th); the row "
                "only matters for LiteLLM name compatibility.",
    },
    {
        "name": "hyperbolic", "aliases": [],
        "api_base": "https://api.hyperbolic.xyz/v1", "url_template": "",
        "api_key_env": ["HYPERBOLIC_API_KEY"], "api_base_env": ["HYPERBOLIC_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": ["logit_bias", "logprobs", "top_logprobs", "parallel_tool_calls"],
        "headers": {}, "quirks": [],
        "docs": "https://docs.hyperbolic.xyz/docs/rest-api", "confirmed": False,
        "note": "From LiteLLM's HyperbolicChatConfig (its supported list cites the vendor page) and Rig's client; "
                "the vendor page itself was not in the searchable corpus.",
    },
    {
        "name": "nscale", "aliases": [],
        "api_base": "https://inference.api.nscale.com/v1", "url_template": "",
        "api_key_env": ["NSCALE_API_KEY"], "api_base_env": ["NSCALE_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "image_generation": "/images/generations"},
        "unsupported_params": ["tools", "tool_choice", "response_format", "stop", "seed", "presence_penalty",
                               "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "user"],
        "headers": {}, "quirks": [],
        "docs": "https://docs.nscale.com/api-reference", "confirmed": False,
        "note": "LiteLLM's NscaleConfig forwards only max_tokens, n, temperature, top_p; base URL agrees with a "
                "third-party API catalogue. Image generation from LiteLLM's docs; vendor reference not read.",
    },
    {
        "name": "ovhcloud", "aliases": [],
        "api_base": "https://oai.endpoints.kepler.ai.cloud.ovh.net/v1", "url_template": "",
        "api_key_env": ["OVHCLOUD_API_KEY"], "api_base_env": ["OVHCLOUD_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "embedding": "/embeddings",
                      "transcription": "/audio/transcriptions"},
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://endpoints.ai.cloud.ovh.net/", "confirmed": False,
        "note": "Base URL and variables from LiteLLM's main.py embedding branch; transcription path assumed from "
                "LiteLLM's provider docs; the vendor reference was not read.",
    },
    {
        "name": "aiml", "aliases": [],
        "api_base": "https://api.aimlapi.com/v1", "url_template": "",
        "api_key_env": ["AIML_API_KEY"], "api_base_env": ["AIML_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "image_generation": "/images/generations"},
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://docs.aimlapi.com/", "confirmed": False,
        "note": "From LiteLLM's AIMLChatConfig; image generation from LiteLLM's aiml image config; vendor not read.",
    },
    {
        "name": "ai21_chat", "aliases": ["ai21"],
        "api_base": "https://api.ai21.com/studio/v1", "url_template": "",
        "api_key_env": ["AI21_API_KEY"], "api_base_env": ["AI21_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": ["logit_bias", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty"],
        "headers": {}, "quirks": [],
        "docs": "https://docs.ai21.com/reference", "confirmed": False,
        "note": "LiteLLM routes ai21/<jamba chat model> to provider 'ai21_chat' (OpenAI-shaped /chat/completions); "
                "unsupported list from memory of AI21's Jamba reference, not re-read.",
    },
    {
        "name": "friendliai", "aliases": [],
        "api_base": "https://api.friendli.ai/serverless/v1", "url_template": "",
        "api_key_env": ["FRIENDLIAI_API_KEY", "FRIENDLI_TOKEN"], "api_base_env": ["FRIENDLI_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://friendli.ai/docs", "confirmed": False,
        "note": "From LiteLLM's get_llm_provider (note: base variable FRIENDLI_API_BASE, key FRIENDLIAI_API_KEY).",
    },
    {
        "name": "galadriel", "aliases": [],
        "api_base": "https://api.galadriel.com/v1", "url_template": "",
        "api_key_env": ["GALADRIEL_API_KEY"], "api_base_env": ["GALADRIEL_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT),
        "unsupported_params": [], "headers": {}, "quirks": [],
        "docs": "https://docs.galadriel.com/", "confirmed": False,
        "note": "From LiteLLM's get_llm_provider only; the vendor reference was not found.",
    },
    {
        "name": "datarobot", "aliases": [],
        "api_base": "https://app.datarobot.com/api/v2/genai/llmgw", "url_template": "",
        "api_key_env": ["DATAROBOT_API_TOKEN"], "api_base_env": ["DATAROBOT_ENDPOINT"],
        "auth": "bearer", "key_required": True, "endpoints": {"chat": "/chat/completions/"},
        "unsupported_params": [], "headers": {}, "quirks": ["trailing_slash_on_chat_path"],
        "docs": "https://docs.datarobot.com/", "confirmed": False,
        "note": "LiteLLM's DataRobotConfig appends /api/v2/genai/llmgw/chat/completions/ (trailing slash) to "
                "https://app.datarobot.com. The variable names are DataRobot's SDK convention; LiteLLM's own were "
                "not confirmed.",
    },
    {
        "name": "vercel_ai_gateway", "aliases": [],
        "api_base": "https://ai-gateway.vercel.sh/v1", "url_template": "",
        "api_key_env": ["VERCEL_AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
        "api_base_env": ["VERCEL_AI_GATEWAY_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": ["providerOptions_body_param", "models_list_needs_no_key"],
        "docs": "https://vercel.com/docs/ai-gateway", "confirmed": False,
        "note": "From LiteLLM's VercelAIGatewayConfig (model ids 'provider/model'; 'providerOptions' sent in the "
                "body); the vendor reference was not read. Embeddings assumed from the gateway's OpenAI surface.",
    },
    {
        "name": "litellm_proxy", "aliases": [],
        "api_base": "", "url_template": "",
        "api_key_env": ["LITELLM_PROXY_API_KEY"], "api_base_env": ["LITELLM_PROXY_API_BASE"],
        "auth": "bearer", "key_required": False,
        "endpoints": {"chat": "/chat/completions", "embedding": "/embeddings",
                      "image_generation": "/images/generations", "transcription": "/audio/transcriptions",
                      "speech": "/audio/speech", "moderation": "/moderations", "text_completion": "/completions",
                      "rerank": "/rerank", "responses": "/responses"},
        "unsupported_params": [], "headers": {}, "quirks": ["base_required", "forwards_all_params"],
        "docs": "https://docs.litellm.ai/docs/providers/litellm_proxy", "confirmed": False,
        "note": "A LiteLLM proxy serves the OpenAI routes; /rerank (also /v1/rerank, /v2/rerank) read in the proxy's "
                "route source, the other paths not re-checked one by one. No default base.",
    },
    {
        "name": "xinference", "aliases": [],
        "api_base": "http://127.0.0.1:9997/v1", "url_template": "",
        "api_key_env": ["XINFERENCE_API_KEY"], "api_base_env": ["XINFERENCE_API_BASE"],
        "auth": "bearer", "key_required": False,
        "endpoints": {"chat": "/chat/completions", "embedding": "/embeddings",
                      "image_generation": "/images/generations", "rerank": "/rerank"},
        "unsupported_params": [], "headers": {}, "quirks": ["local_server_no_key"],
        "docs": "https://inference.readthedocs.io/en/latest/user_guide/client_api.html", "confirmed": False,
        "note": "Base URL and variables from LiteLLM's embedding() branch (sends a stub key when none is set); "
                "the rerank path is Xinference's own Cohere-shaped /v1/rerank, not read in its reference.",
    },
    {
        "name": "infinity", "aliases": [],
        "api_base": "", "url_template": "",
        "api_key_env": ["INFINITY_API_KEY"], "api_base_env": ["INFINITY_API_BASE"],
        "auth": "bearer", "key_required": False,
        "endpoints": {"embedding": "/embeddings", "rerank": "/rerank"},
        "unsupported_params": [], "headers": {}, "quirks": ["base_required", "no_chat"],
        "docs": "https://michaelfeil.eu/infinity/latest/", "confirmed": False,
        "note": "Self-hosted embedding/rerank server; LiteLLM needs INFINITY_API_BASE. Paths from LiteLLM's "
                "infinity configs (rerank at /rerank, Cohere-shaped); the vendor reference was not read.",
    },
    {
        "name": "voyage", "aliases": [],
        "api_base": "https://api.voyageai.com/v1", "url_template": "",
        "api_key_env": ["VOYAGE_API_KEY"], "api_base_env": ["VOYAGE_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": {"embedding": "/embeddings", "rerank": "/rerank"},
        "unsupported_params": ["user"], "headers": {},
        "quirks": ["dimensions_sent_as_output_dimension", "usage_total_tokens_only", "rerank_top_k_and_data",
                   "error_body_detail"],
        "docs": "https://docs.voyageai.com/reference/embeddings-api", "confirmed": False,
        "note": "Wire shapes checked against real recorded traffic (../shared/cassettes/rerank), not the reference "
                "page: OpenAI-shaped embeddings (base64 little-endian float32 with encoding_format), usage with "
                "total_tokens only, errors as {'detail': ...}. Body/parse helpers: providers/embedding_vendors.py, "
                "rerank.py.",
    },
    {
        "name": "jina_ai", "aliases": [],
        "api_base": "https://api.jina.ai/v1", "url_template": "",
        "api_key_env": ["JINA_AI_API_KEY"], "api_base_env": ["JINA_AI_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": {"embedding": "/embeddings", "rerank": "/rerank"},
        "unsupported_params": ["user"], "headers": {},
        "quirks": ["encoding_format_sent_as_embedding_type", "task_and_late_chunking_params"],
        "docs": "https://jina.ai/embeddings/", "confirmed": False,
        "note": "From LiteLLM's jina_ai configs and Jina's product pages; no recorded Jina traffic exists (see the "
                "rerank MANIFEST), so the shapes are unverified against the wire.",
    },
]

TEMPLATED_ROWS: List[Dict[str, Any]] = [
    {
        "name": "azure_ai", "aliases": [],
        "api_base": "", "url_template": "{api_base}  (AZURE_AI_API_BASE: the Foundry resource or serverless endpoint)",
        "api_key_env": ["AZURE_AI_API_KEY"], "api_base_env": ["AZURE_AI_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "embedding": "/embeddings", "rerank": "/v1/rerank",
                      "image_generation": "/images/generations"},
        "unsupported_params": [], "headers": {},
        "quirks": ["api_key_header_for_services.ai.azure.com", "base_required", "rerank_is_cohere_v1"],
        "docs": "https://learn.microsoft.com/en-us/azure/ai-foundry/",
        "confirmed": False,
        "note": "From LiteLLM's AzureAIStudioConfig/AzureAIRerankConfig: Bearer by default, 'api-key' header when the "
                "base is a *.services.ai.azure.com resource; rerank at {base}/v1/rerank in Cohere's format. "
                "Microsoft's reference was not re-read here.",
    },
    {
        "name": "databricks", "aliases": [],
        "api_base": "", "url_template": "https://{workspace_host}/serving-endpoints  (DATABRICKS_API_BASE)",
        "api_key_env": ["DATABRICKS_API_KEY"], "api_base_env": ["DATABRICKS_API_BASE"],
        "auth": "bearer", "key_required": True, "endpoints": dict(_CHAT_EMB),
        "unsupported_params": [], "headers": {}, "quirks": ["model_is_serving_endpoint_name", "base_required"],
        "docs": "https://docs.databricks.com/machine-learning/model-serving/score-foundation-models.html",
        "confirmed": True,
        "note": "Databricks documents an OpenAI-compatible surface (OpenAI client, model = serving endpoint name) over "
                "the workspace's /serving-endpoints; the native route is /serving-endpoints/{name}/invocations. "
                "Token is a personal access token (LiteLLM reads DATABRICKS_API_KEY; Databricks' SDKs use "
                "DATABRICKS_TOKEN).",
    },
    {
        "name": "cloudflare", "aliases": [],
        "api_base": "",
        "url_template": "https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/v1  (CLOUDFLARE_ACCOUNT_ID)",
        "api_key_env": ["CLOUDFLARE_API_KEY"], "api_base_env": ["CLOUDFLARE_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "embedding": "/embeddings", "responses": "/responses"},
        "unsupported_params": [], "headers": {}, "quirks": ["account_id_in_url", "model_ids_start_with_@cf"],
        "docs": "https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility", "confirmed": True,
        "note": "Workers AI's OpenAI-compatible endpoints (vendor reference). LiteLLM itself uses the native "
                "/ai/run/{model} route with a different body/response; this row targets the OpenAI one.",
    },
    {
        "name": "snowflake", "aliases": [],
        "api_base": "",
        "url_template": "https://{account_id}.snowflakecomputing.com/api/v2/cortex  (SNOWFLAKE_ACCOUNT_ID)",
        "api_key_env": ["SNOWFLAKE_JWT"], "api_base_env": ["SNOWFLAKE_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/inference:complete", "embedding": "/inference:embed"},
        "unsupported_params": [], "headers": {"X-Snowflake-Authorization-Token-Type": "KEYPAIR_JWT"},
        "quirks": ["token_type_header", "always_streams_sse", "account_id_in_url"],
        "docs": "https://docs.snowflake.com/en/user-guide/snowflake-cortex/cortex-rest-api", "confirmed": False,
        "note": "Snowflake's reference confirms Bearer auth (JWT, OAuth or programmatic access token) and the Cortex "
                "complete endpoint, which answers with SSE events; the token-type header value and the :embed path "
                "come from LiteLLM's snowflake config. Not plain OpenAI: needs the SSE-only branch.",
    },
    {
        "name": "oci", "aliases": [],
        "api_base": "",
        "url_template": "https://inference.generativeai.{region}.oci.oraclecloud.com/openai/v1  (OCI_REGION)",
        "api_key_env": ["OCI_API_KEY"], "api_base_env": ["OCI_API_BASE"],
        "auth": "bearer", "key_required": True,
        "endpoints": {"chat": "/chat/completions", "responses": "/responses"},
        "unsupported_params": [], "headers": {}, "quirks": ["region_in_url"],
        "docs": "https://docs.oracle.com/en-us/iaas/Content/generative-ai/openai-compatible-api.htm",
        "confirmed": False,
        "note": "Oracle's reference confirms the OpenAI-compatible base and OCI Generative AI API keys (or IAM request "
                "signing). LiteLLM's 'oci' provider is the native, signed API (OCI_USER, OCI_FINGERPRINT, "
                "OCI_TENANCY, OCI_REGION, OCI_KEY_FILE, OCI_COMPARTMENT_ID); OCI_API_KEY/OCI_API_BASE are our "
                "proposal, not LiteLLM names, and the Bearer header form for API keys was not confirmed.",
    },
]

ALL_ROWS: List[Dict[str, Any]] = ROWS + TEMPLATED_ROWS

# Rows for the native adapters written alongside (their own wire formats). Extra keys: ``adapter``
# ("module:Class" under providers/, for ADAPTERS) and ``options_env`` (CallConfig.options entry ->
# LiteLLM's variables for it, resolved by the config step; the adapters read only config.options).
NATIVE_ROWS: List[Dict[str, Any]] = [
    {
        "name": "watsonx", "aliases": [], "adapter": ".watsonx:WatsonxAdapter",
        "api_base": "", "api_key_env": ["WATSONX_APIKEY"], "api_base_env": ["WATSONX_URL"],
        "auth": "ibm_iam", "key_required": True,
        "options_env": {"token": ["WATSONX_TOKEN"], "project_id": ["WATSONX_PROJECT_ID"],
                        "space_id": ["WATSONX_DEPLOYMENT_SPACE_ID"], "api_version": ["WATSONX_API_VERSION"],
                        "iam_url": ["WATSONX_IAM_URL"]},
        "endpoints": {"chat": "/ml/v1/text/chat"},
        "docs": "https://docs.litellm.ai/docs/providers/watsonx", "confirmed": False,
        "note": "WATSONX_URL, WATSONX_APIKEY, WATSONX_TOKEN, WATSONX_PROJECT_ID and WATSONX_DEPLOYMENT_SPACE_ID are "
                "LiteLLM's documented names; WATSONX_API_VERSION and WATSONX_IAM_URL are our proposal. "
                "WATSONX_ZENAPIKEY (Cloud Pak 'ZenApiKey' auth) is not handled. Paths from IBM's chat API as "
                "LiteLLM and IBM's SDKs use them; IBM's own reference was not in the corpus. key_required means: "
                "an API key or a token.",
    },
    {
        "name": "sagemaker", "aliases": [], "adapter": ".sagemaker:SagemakerTGIAdapter",
        "api_base": "", "api_key_env": [], "api_base_env": [],
        "auth": "aws", "key_required": False,
        "options_env": {"region": ["AWS_REGION", "AWS_DEFAULT_REGION"], "inference_component_name": []},
        "endpoints": {"chat": "/endpoints/{model}/invocations"},
        "docs": "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html",
        "confirmed": False,
        "note": "Credentials from the AWS resolver (providers/aws_auth.py), which also fills api_base with Bedrock's "
                "URL: the adapter ignores a bedrock-runtime base and uses runtime.sagemaker.<region>.amazonaws.com. "
                "Streams need providers.sagemaker.PayloadDecoder (adapter.stream_decoder()).",
    },
    {
        "name": "sagemaker_chat", "aliases": [], "adapter": ".sagemaker:SagemakerChatAdapter",
        "api_base": "", "api_key_env": [], "api_base_env": [],
        "auth": "aws", "key_required": False,
        "options_env": {"region": ["AWS_REGION", "AWS_DEFAULT_REGION"], "inference_component_name": []},
        "endpoints": {"chat": "/endpoints/{model}/invocations"},
        "docs": "https://docs.litellm.ai/docs/providers/aws_sagemaker", "confirmed": False,
        "note": "OpenAI-format containers (TGI/LMI/vLLM Messages API) behind a SageMaker endpoint; as sagemaker.",
    },
    {
        "name": "bedrock_invoke", "aliases": [], "adapter": ".bedrock_invoke:BedrockInvokeAdapter",
        "api_base": "", "api_key_env": [], "api_base_env": [],
        "auth": "aws", "key_required": False,
        "options_env": {"region": ["AWS_REGION", "AWS_DEFAULT_REGION"]},
        "endpoints": {"chat": "/model/{model}/invoke"},
        "docs": "https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-supported-models-features.html",
        "confirmed": True,
        "note": "Not a LiteLLM prefix: LiteLLM routes 'bedrock/invoke/<model>' and the non-Converse Bedrock models "
                "(cohere.command-*, ai21.j2-*) to InvokeModel; the wiring step should do the same with this "
                "adapter. Body formats: AWS model-parameter pages (Cohere Command read; others from memory).",
    },
]
