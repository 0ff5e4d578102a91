"""Provider registry: which spec row a prefix names, and which adapter class serves it.

Adapter modules are imported lazily, on the first call that needs them.
"""

from __future__ import annotations

import importlib
import _thread  # threading.Lock/RLock are _thread's: importing threading would cost start-up time

from .base import Adapter, ProviderSpec
from .native import NATIVE_SPECS
from .openai_compatible import OPENAI_COMPATIBLE_SPECS

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Dict, Optional

__all__ = ["ADAPTERS", "PROVIDERS", "get_spec", "get_adapter", "register_provider", "unregister_provider"]

# adapter name -> "module:Class", relative to this package.
ADAPTERS: Dict[str, str] = {
    "openai": ".openai:OpenAIAdapter",
    "azure": ".azure:AzureAdapter",
    "anthropic": ".anthropic:AnthropicAdapter",
    "gemini": ".gemini:GeminiAdapter",
    "vertex_ai": ".vertex:VertexAdapter",
    "cohere": ".cohere:CohereAdapter",
    "ollama_chat": ".ollama:OllamaChatAdapter",
    "ollama_generate": ".ollama:OllamaGenerateAdapter",
    "bedrock": ".bedrock:BedrockAdapter",
    "bedrock_invoke": ".bedrock_invoke:BedrockInvokeAdapter",
    "watsonx": ".watsonx:WatsonxAdapter",
    "sagemaker": ".sagemaker:SagemakerTGIAdapter",
    "sagemaker_chat": ".sagemaker:SagemakerChatAdapter",
}

PROVIDERS: Dict[str, ProviderSpec] = {}
for _spec in OPENAI_COMPATIBLE_SPECS + NATIVE_SPECS:
    PROVIDERS[_spec.name] = _spec

_instances: Dict[str, Adapter] = {}
_lock = _thread.allocate_lock()


def get_spec(provider: str) -> Optional[ProviderSpec]:
    return PROVIDERS.get(provider)


def register_provider(spec: ProviderSpec) -> None:
    """Add (or replace) a provider row, e.g. a private OpenAI-compatible gateway.

    The row is all it takes: the prefix and its ``aliases`` resolve, the CLI lists it, and it
    serves the ``endpoints`` it declares.
    """
    if spec.adapter not in ADAPTERS:
        raise ValueError("unknown adapter %r" % spec.adapter)
    from .base import ENDPOINT_NAMES

    unknown = [name for name, _ in spec.endpoints if name not in ENDPOINT_NAMES]
    if unknown:
        raise ValueError("unknown endpoint name(s) %s; known: %s" % (", ".join(unknown), ", ".join(ENDPOINT_NAMES)))
    PROVIDERS[spec.name] = spec
    from ..params import reset_claimed

    reset_claimed()


def unregister_provider(name: str) -> None:
    """Remove a provider row added with :func:`register_provider` (no error when absent)."""
    PROVIDERS.pop(name, None)
    from ..params import reset_claimed

    reset_claimed()


def get_adapter(name: str) -> Adapter:
    """The (stateless, shared) adapter instance for an adapter name."""
    adapter = _instances.get(name)
    if adapter is None:
        with _lock:
            adapter = _instances.get(name)
            if adapter is None:
                module_name, _, cls_name = ADAPTERS[name].partition(":")
                module = importlib.import_module(module_name, __name__)
                adapter = getattr(module, cls_name)()
                _instances[name] = adapter
    return adapter
