"""DATA ONLY: provider rows for the providers with a wire format of their own."""

from __future__ import annotations

from dataclasses import replace

from .base import ProviderSpec, Quirk, openai_endpoints

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import List

# Rows that serve again, with a few fields changed, under a second prefix below.
_COHERE = ProviderSpec(
    name="cohere",
    adapter="cohere",
    api_base="https://api.cohere.com",
    api_key_env=("COHERE_API_KEY", "CO_API_KEY"),
    api_base_env=("COHERE_API_BASE",),
    endpoints=(("chat", "/v2/chat"), ("embedding", "/v2/embed"), ("rerank", "/v2/rerank")),
    models_api=("cohere", "/v1/models"),
    docs="https://docs.cohere.com/v2/reference/chat",
)
_OLLAMA = ProviderSpec(
    name="ollama",
    adapter="ollama_generate",
    api_base="http://localhost:11434",
    api_key_env=("OLLAMA_API_KEY",),
    api_base_env=("OLLAMA_API_BASE",),
    key_required=False,
    endpoints=(("chat", "/api/generate"), ("embedding", "/api/embed")),
    models_api=("ollama", "/api/tags"),
    docs="https://github.com/ollama/ollama/blob/main/docs/api.md",
)
# Hugging Face TGI containers behind a SageMaker endpoint (the model is the endpoint name).
_SAGEMAKER = ProviderSpec(
    name="sagemaker",
    adapter="sagemaker",
    auth="aws",
    key_required=False,
    credential_env=("AWS_ACCESS_KEY_ID", "AWS_PROFILE"),
    endpoints=(("chat", "/endpoints/{model}/invocations"),),
    call_options=frozenset({"inference_component_name"}),
    docs="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html",
)
NATIVE_SPECS: List[ProviderSpec] = [
    ProviderSpec(
        name="anthropic",
        adapter="anthropic",
        api_base="https://api.anthropic.com",
        api_key_env=("ANTHROPIC_API_KEY",),
        api_base_env=("ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"),
        auth="x-api-key",
        endpoints=(("chat", "/v1/messages"),),
        models_api=("anthropic", "/v1/models"),
        docs="https://docs.anthropic.com/en/api/messages",
    ),
    ProviderSpec(
        name="gemini",
        adapter="gemini",
        api_base="https://generativelanguage.googleapis.com",
        api_key_env=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        api_base_env=("GEMINI_API_BASE",),
        auth="x-goog-api-key",
        endpoints=(("chat", "/v1beta/models"), ("embedding", "/v1beta/models")),
        aliases=("google", "google_ai_studio"),
        call_options=frozenset({"gemini_stream_format"}),
        models_api=("gemini", "/v1beta/models"),
        docs="https://ai.google.dev/api/generate-content",
    ),
    ProviderSpec(
        name="vertex_ai",
        aliases=("vertex_ai_beta", "vertexai"),
        credential_env=("GOOGLE_APPLICATION_CREDENTIALS", "VERTEXAI_ACCESS_TOKEN"),
        adapter="vertex_ai",
        api_base_env=("VERTEXAI_API_BASE",),
        key_required=False,
        auth="google",
        docs="https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference",
    ),
    replace(_COHERE, name="cohere_chat", price_family="cohere", registry_prefixes=("cohere",)),
    _COHERE,
    replace(
        _OLLAMA,
        name="ollama_chat",
        price_family="ollama",
        registry_prefixes=("ollama",),
        adapter="ollama_chat",
        endpoints=(("chat", "/api/chat"), ("embedding", "/api/embed")),
    ),
    _OLLAMA,
    ProviderSpec(
        name="azure",
        aliases=("azure_openai",),
        credential_env=("AZURE_AD_TOKEN",),
        endpoints=openai_endpoints(
            "chat", "embedding", "image_generation", "transcription", "speech", "text_completion", "responses"
        ),
        adapter="azure",
        api_base="",
        api_key_env=("AZURE_API_KEY", "AZURE_OPENAI_API_KEY"),
        api_base_env=("AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"),
        api_version_env=("AZURE_API_VERSION", "OPENAI_API_VERSION"),
        default_api_version="2024-10-21",
        auth="azure",
        quirks=frozenset({Quirk.OPENAI_REASONING_MODELS}),
        docs="https://learn.microsoft.com/azure/ai-services/openai/reference",
    ),
    ProviderSpec(
        name="bedrock",
        aliases=("bedrock_converse",),
        credential_env=("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK"),
        adapter="bedrock",
        # Converse for chat; bedrock/invoke/<model> and the models Converse does not serve as chat
        # (cohere.command*, ai21.j2*) go to InvokeModel (providers/bedrock_invoke.py).
        endpoints=(("chat", "/model/{model}/converse"), ("embedding", "/model/{model}/invoke"), ("rerank", "/rerank")),
        api_base_env=("AWS_BEDROCK_RUNTIME_ENDPOINT",),
        key_required=False,
        auth="aws",
        docs="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html",
    ),
    ProviderSpec(
        # IBM watsonx.ai chat; the API key is exchanged for an IAM token in the send step (auth.py).
        name="watsonx",
        adapter="watsonx",
        api_key_env=("WATSONX_APIKEY", "WATSONX_API_KEY"),
        api_base_env=("WATSONX_URL", "WATSONX_API_BASE"),
        api_version_env=("WATSONX_API_VERSION",),
        auth="ibm_iam",
        credential_env=("WATSONX_TOKEN",),
        endpoints=(("chat", "/ml/v1/text/chat"),),
        call_options=frozenset({"project_id", "space_id"}),
        options_env=(("project_id", ("WATSONX_PROJECT_ID",)), ("space_id", ("WATSONX_DEPLOYMENT_SPACE_ID",))),
        docs="https://docs.litellm.ai/docs/providers/watsonx",
    ),
    _SAGEMAKER,
    # Containers serving OpenAI's chat format (TGI/LMI/vLLM Messages API) behind a SageMaker endpoint.
    replace(
        _SAGEMAKER,
        name="sagemaker_chat",
        adapter="sagemaker_chat",
        price_family="sagemaker",
        docs="https://docs.litellm.ai/docs/providers/aws_sagemaker",
    ),
]
