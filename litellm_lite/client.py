"""Client objects: one provider configured once, configuration that is not module-global.

::

    from litellm_lite import Client, ProviderConfig

    deepseek = Client(ProviderConfig("deepseek", api_key="sk-...", timeout_seconds=30, max_retries=3,
                                     extra_params={"reasoning_effort": "medium"}))
    r = deepseek.completion(model="deepseek-chat", messages=[{"role": "user", "content": "Hi"}])

A :class:`Client` serves one provider. Every call it makes passes the provider, key, base URL,
timeout, retries, headers and callbacks of its :class:`ProviderConfig` as explicit keyword
arguments, with ``use_module_settings=False``: after it is built a client reads no module setting
(``litellm_lite.api_key``, ``api_base``, ``num_retries``, ``request_timeout``, ``drop_params``...)
and fires no module-level callback (``litellm_lite.callbacks``, ``success_callback``,
``failure_callback``) unless built with ``use_module_callbacks=True``. Its own ``callbacks=[...]``
always fire. Two clients with different keys never see each other's settings, from any number of
threads. A client is immutable once built, and pickles (with its callbacks, when they pickle).

Caching is the exception, as a LiteLLM user expects: ``litellm_lite.cache`` applies to a client's
calls (``cache="module"``, the default, read at each call) unless the client is given its own
(``cache=Cache(...)``, used instead of the module's) or ``cache=None`` (its calls are never cached).
Per call, ``caching=False`` and ``cache={"no-cache": True, ...}`` work as everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping  # isinstance on it is much cheaper than on typing.Mapping
from dataclasses import replace

from .config_errors import ConfigError
from .provider_config import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Capabilities, ProviderConfig, capabilities_of
from .resolve import canonical_provider

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Literal, Optional, Union, overload

    from .budget import Budget
    from .caching import Cache
    from .endpoint_types import (
        ImageResponse,
        ModerationResponse,
        SpeechResponse,
        TextCompletionResponse,
        TranscriptionResponse,
    )
    from .rerank_wire import RerankResponse
    from .responses_api import ResponsesAPIResponse, ResponsesStream
    from .router_health import HealthStatus
    from .streaming import CustomStreamWrapper, TextCompletionStreamWrapper
    from .types import EmbeddingResponse, ModelResponse

    _Messages = Optional[List[Dict[str, Any]]]
else:  # typing.overload's run-time behaviour, without importing typing (as in main.py)

    def overload(func: Any) -> Any:
        return func

__all__ = ["ProviderConfig", "Client", "Capabilities", "ROAD_CONTROLS"]

# Control keywords added to every call a Client makes: module-level settings and callbacks do not apply.
ROAD_CONTROLS: Dict[str, Any] = {"use_module_settings": False}
_CACHE_KWARG = "litellm_cache"  # call_guard.CACHE_KWARG: the client's cache choice, on every call

class Client:
    """One provider, configured once: ``completion``, ``embedding``, the other endpoints, and helpers.

    ``Client(ProviderConfig(...))``, ``Client("deepseek", api_key=..., timeout_seconds=30)`` or
    ``Client.from_env("deepseek")``. The configuration is validated when the client is built
    (:class:`ConfigError` lists every problem).
    """

    def __init__(self, config: "ProviderConfig | str", **fields_: Any) -> None:
        if isinstance(config, str):
            config = ProviderConfig(config, **fields_)
        elif fields_:
            config = replace(config, **fields_)
        if not isinstance(config, ProviderConfig):
            raise ConfigError("Client needs a ProviderConfig or a provider name")
        config = replace(config, provider=canonical_provider(config.provider) if isinstance(config.provider, str) else config.provider)
        config.validate()
        self.config = replace(
            config, headers=dict(config.headers), extra_params=dict(config.extra_params), callbacks=list(config.callbacks)
        )
        self.provider: str = config.provider
        self._base = self._base_kwargs(config)

    @classmethod
    def from_env(cls, provider: str, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> "Client":
        """A client configured from the provider's environment variables (see ProviderConfig.from_env)."""
        return cls(ProviderConfig.from_env(provider, environ, **overrides))

    @staticmethod
    def _base_kwargs(config: ProviderConfig) -> Dict[str, Any]:
        from .providers import get_spec

        spec = get_spec(config.provider)
        assert spec is not None
        base: Dict[str, Any] = {
            "custom_llm_provider": config.provider,
            "timeout": float(config.timeout_seconds) if config.timeout_seconds is not None else DEFAULT_TIMEOUT,
            "num_retries": config.max_retries if config.max_retries is not None else DEFAULT_RETRIES,
            "drop_params": False,
            "ssl_verify": True if config.ssl_verify is None else config.ssl_verify,
        }
        api_base = config.api_base or spec.api_base
        if api_base:
            base["api_base"] = api_base.strip()
        if config.api_key is not None:
            base["api_key"] = config.api_key
        if config.api_version is not None:
            base["api_version"] = config.api_version
        if config.headers:
            base["extra_headers"] = dict(config.headers)
        if config.callbacks:
            base["callbacks"] = list(config.callbacks)
        if config.use_module_callbacks:
            base["use_module_callbacks"] = True
        base.update(ROAD_CONTROLS)
        base[_CACHE_KWARG] = config.cache
        from .budget import owned_budgets

        budgets = owned_budgets(config.max_budget, config.budget_duration, "client:%s" % config.provider)
        if budgets:
            base["litellm_budgets"] = budgets
        return base

    def __repr__(self) -> str:
        return "Client(provider=%r, api_base=%r, api_key=%s)" % (
            self.provider,
            self._base.get("api_base"),
            "***" if self.config.api_key else None,
        )

    @property
    def cache(self) -> Optional[Cache]:
        """The Cache this client's calls use now (``litellm_lite.cache`` unless it has its own), or None."""
        from .caching import chosen_cache

        return chosen_cache(self.config.cache)

    @property
    def budgets(self) -> List[Budget]:
        """The client's own budget (``max_budget``), as a list of budget.Budget (empty when unset)."""
        return list(self._base.get("litellm_budgets") or ())

    def __getstate__(self) -> Dict[str, Any]:
        return {"config": self.config}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.config = state["config"]
        self.provider = self.config.provider
        self._base = self._base_kwargs(self.config)

    # -- plumbing ---------------------------------------------------------------------------
    def call_kwargs(self, model: Optional[str], kwargs: Mapping[str, Any], extra: bool = False) -> Dict[str, Any]:
        """The keyword arguments a call to ``model`` gets: the client's settings, then the call's own."""
        chosen = model or self.config.default_model
        if not chosen:
            raise ConfigError("no model given and no default_model configured for provider %r" % self.provider)
        call = dict(self._base)
        if extra:
            call.update(self.config.extra_params)
        headers = dict(call.get("extra_headers") or {})
        for key, value in kwargs.items():
            if key == "extra_headers" and isinstance(value, Mapping):
                headers.update(value)
            elif key == "callbacks" and isinstance(value, (list, tuple)):
                call["callbacks"] = list(call.get("callbacks") or []) + list(value)  # the client's, then the call's
            else:
                call[key] = value
        if headers:
            call["extra_headers"] = headers
        call["model"] = chosen
        return call

    # -- endpoints --------------------------------------------------------------------------
    # Each returns what the module function it calls returns (``stream=True`` overloads included),
    # so a type checker sees ``ModelResponse``, ``CustomStreamWrapper``... for a client's calls too.
    @overload
    def completion(
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> ModelResponse: ...

    @overload
    def completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: Literal[True], **kwargs: Any
    ) -> CustomStreamWrapper: ...

    @overload
    def completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: bool, **kwargs: Any
    ) -> Union[ModelResponse, CustomStreamWrapper]: ...

    def completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, messages: _Messages = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[ModelResponse, CustomStreamWrapper]:
        """:func:`litellm_lite.completion` with this client's configuration (and its extra_params)."""
        from .main import completion

        kwargs["messages"] = messages
        return completion(stream=stream, **self.call_kwargs(model, kwargs, extra=True))

    def embedding(self, model: Optional[str] = None, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
        """:func:`litellm_lite.embedding` with this client's configuration."""
        from .main import embedding

        kwargs["input"] = input
        return embedding(**self.call_kwargs(model, kwargs))

    def image_generation(self, prompt: str, model: Optional[str] = None, **kwargs: Any) -> ImageResponse:
        """:func:`litellm_lite.image_generation` with this client's configuration."""
        from .endpoints import image_generation

        kwargs["prompt"] = prompt
        return image_generation(**self.call_kwargs(model, kwargs))

    def transcription(self, model: Optional[str] = None, file: Any = None, **kwargs: Any) -> TranscriptionResponse:
        """:func:`litellm_lite.transcription` with this client's configuration."""
        from .endpoints import transcription

        kwargs["file"] = file
        return transcription(**self.call_kwargs(model, kwargs))

    def speech(
        self, model: Optional[str] = None, input: Any = None, voice: Any = None, **kwargs: Any
    ) -> SpeechResponse:
        """:func:`litellm_lite.speech` with this client's configuration."""
        from .endpoints import speech

        kwargs.update(input=input, voice=voice)
        return speech(**self.call_kwargs(model, kwargs))

    def moderation(self, input: Any, model: Optional[str] = None, **kwargs: Any) -> ModerationResponse:
        """:func:`litellm_lite.moderation` with this client's configuration."""
        from .endpoints import moderation

        kwargs["input"] = input
        return moderation(**self.call_kwargs(model, kwargs))

    @overload
    def text_completion(
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> TextCompletionResponse: ...

    @overload
    def text_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: Literal[True], **kwargs: Any
    ) -> TextCompletionStreamWrapper: ...

    @overload
    def text_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: bool, **kwargs: Any
    ) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]: ...

    def text_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, prompt: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
        """:func:`litellm_lite.text_completion` with this client's configuration."""
        from .endpoints import text_completion

        kwargs["prompt"] = prompt
        return text_completion(stream=stream, **self.call_kwargs(model, kwargs))

    def rerank(
        self, model: Optional[str] = None, query: Any = None, documents: Any = None, **kwargs: Any
    ) -> RerankResponse:
        """:func:`litellm_lite.rerank` with this client's configuration."""
        from .rerank_api import rerank

        kwargs.update(query=query, documents=documents)
        return rerank(**self.call_kwargs(model, kwargs))

    @overload
    def responses(
        self, model: Optional[str] = ..., input: Any = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> ResponsesAPIResponse: ...
    @overload
    def responses(  # noqa: F811
        self, model: Optional[str] = ..., input: Any = ..., *, stream: Literal[True], **kwargs: Any
    ) -> ResponsesStream: ...
    @overload
    def responses(  # noqa: F811
        self, model: Optional[str] = ..., input: Any = ..., *, stream: bool, **kwargs: Any
    ) -> Union[ResponsesAPIResponse, ResponsesStream]: ...

    def responses(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, input: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[ResponsesAPIResponse, ResponsesStream]:
        """:func:`litellm_lite.responses` with this client's configuration (extra_params are chat's: not sent)."""
        from .responses_api.api import responses

        return responses(stream=stream, **self.call_kwargs(model, dict(kwargs, input=input)))

    @overload
    async def acompletion(
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> ModelResponse: ...

    @overload
    async def acompletion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: Literal[True], **kwargs: Any
    ) -> CustomStreamWrapper: ...

    @overload
    async def acompletion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., messages: _Messages = ..., *, stream: bool, **kwargs: Any
    ) -> Union[ModelResponse, CustomStreamWrapper]: ...

    async def acompletion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, messages: _Messages = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[ModelResponse, CustomStreamWrapper]:
        """:meth:`completion` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.completion, model, messages, stream=stream, **kwargs)

    async def aembedding(self, model: Optional[str] = None, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
        """:meth:`embedding` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.embedding, model, input, **kwargs)

    async def aimage_generation(self, prompt: str, model: Optional[str] = None, **kwargs: Any) -> ImageResponse:
        """:meth:`image_generation` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.image_generation, prompt, model, **kwargs)

    async def atranscription(
        self, model: Optional[str] = None, file: Any = None, **kwargs: Any
    ) -> TranscriptionResponse:
        """:meth:`transcription` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.transcription, model, file, **kwargs)

    async def aspeech(
        self, model: Optional[str] = None, input: Any = None, voice: Any = None, **kwargs: Any
    ) -> SpeechResponse:
        """:meth:`speech` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.speech, model, input, voice, **kwargs)

    async def amoderation(self, input: Any, model: Optional[str] = None, **kwargs: Any) -> ModerationResponse:
        """:meth:`moderation` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.moderation, input, model, **kwargs)

    async def arerank(
        self, model: Optional[str] = None, query: Any = None, documents: Any = None, **kwargs: Any
    ) -> RerankResponse:
        """:meth:`rerank` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.rerank, model, query, documents, **kwargs)

    @overload
    async def aresponses(
        self, model: Optional[str] = ..., input: Any = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> ResponsesAPIResponse: ...
    @overload
    async def aresponses(  # noqa: F811
        self, model: Optional[str] = ..., input: Any = ..., *, stream: Literal[True], **kwargs: Any
    ) -> ResponsesStream: ...
    @overload
    async def aresponses(  # noqa: F811
        self, model: Optional[str] = ..., input: Any = ..., *, stream: bool, **kwargs: Any
    ) -> Union[ResponsesAPIResponse, ResponsesStream]: ...

    async def aresponses(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, input: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[ResponsesAPIResponse, ResponsesStream]:
        """:meth:`responses` run in the event loop's default executor (iterate a stream with ``async for``)."""
        from .async_api import run_in_executor

        return await run_in_executor(self.responses, model, input, stream=stream, **kwargs)

    @overload
    async def atext_completion(
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: Literal[False] = ..., **kwargs: Any
    ) -> TextCompletionResponse: ...

    @overload
    async def atext_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: Literal[True], **kwargs: Any
    ) -> TextCompletionStreamWrapper: ...

    @overload
    async def atext_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = ..., prompt: Any = ..., *, stream: bool, **kwargs: Any
    ) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]: ...

    async def atext_completion(  # noqa: F811 - overload (run-time stand-in)
        self, model: Optional[str] = None, prompt: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
        """:meth:`text_completion` run in the event loop's default executor."""
        from .async_api import run_in_executor

        return await run_in_executor(self.text_completion, model, prompt, stream=stream, **kwargs)

    # -- helpers ----------------------------------------------------------------------------
    def health_check(self, model: Optional[str] = None, *, mode: Optional[str] = None, **kwargs: Any) -> HealthStatus:
        """A 1-token call (``mode="embedding"``: a 1-input embedding) -> :class:`HealthStatus`; never raises."""
        from .router import HealthStatus, health_check

        chosen = model or self.config.default_model or self._first_model(mode)
        if chosen is None:
            return HealthStatus(healthy=False, latency_ms=0.0, error="no model to check: give model=...", model="")
        call = self.call_kwargs(chosen, kwargs)
        call["num_retries"] = kwargs.get("num_retries", 0)
        call["caching"] = False  # a check must reach the provider, never be answered from a cache
        call.pop("model")
        return health_check(chosen, mode=mode, **call)

    def _first_model(self, mode: Optional[str]) -> Optional[str]:
        wanted = "embedding" if mode == "embedding" else "chat"
        for name, info in self.model_info().items():
            if info.get("mode") == wanted:
                return name
        return None

    def calculate_cost(
        self,
        response: Any = None,
        *,
        model: Optional[str] = None,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
    ) -> float:
        """USD cost of ``response`` (priced from its usage), or of token counts for ``model``."""
        from .cost import completion_cost, cost_per_token

        if response is not None:
            return completion_cost(completion_response=response, model=model, custom_llm_provider=self.provider)
        chosen = model or self.config.default_model
        if not chosen:
            raise ConfigError("calculate_cost needs a response or a model")
        prompt, completion = cost_per_token(chosen, prompt_tokens, completion_tokens, custom_llm_provider=self.provider)
        return prompt + completion

    @property
    def capabilities(self) -> Capabilities:
        """Endpoints and features this provider serves (from its spec and adapter)."""
        return capabilities_of(self.provider)

    def model_info(self) -> Dict[str, Dict[str, Any]]:
        """Registry rows of this provider's models, by model name (without the provider prefix)."""
        from . import registry

        family = registry.price_family(self.provider)
        rows: Dict[str, Dict[str, Any]] = {}
        for key, entry in registry.model_cost.items():
            if registry.price_family(entry.get("litellm_provider")) != family:
                continue
            prefix = self.provider + "/"
            rows[key[len(prefix):] if key.startswith(prefix) else key] = dict(entry)
        return rows

    def models(self, live: bool = False) -> List[str]:
        """Sorted names of this provider's models in the registry (bundled prices and register_model);
        ``live=True``: the provider's own models endpoint first, then the registry's others
        (``models_api.list_models`` with this client's key, base and headers)."""
        if live:
            from .models_api import list_models

            return list_models(self.provider, api_key=self._base.get("api_key"), api_base=self._base.get("api_base"),
                               extra_headers=self.config.headers or None)
        return sorted(self.model_info())
