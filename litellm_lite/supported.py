"""Which OpenAI parameters a provider takes: :func:`get_supported_openai_params`, and the road's check.

One declaration per wire format (``Adapter.unsupported_openai_params`` and the model-dependent
``Adapter.unsupported_chat_params``), plus the provider row's ``unsupported_params``, answers both
questions: the road refuses (or, with ``drop_params``, drops) what it names before ``prepare``
(:func:`enforce`), and :func:`get_supported_openai_params` lists everything else. The two cannot
drift: they read the same sets, and tests check every row against what ``prepare`` accepts.
"""

from __future__ import annotations

from .exceptions import BadRequestError, UnsupportedParamsError
from .params import ALLOWED_PARAMS_OPTION, OPENAI_CHAT_PARAMS

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterable, List, Optional

    from .config import CallConfig
    from .providers.base import Adapter

__all__ = ["get_supported_openai_params", "enforce"]

_REQUEST_TYPES = ("chat_completion", "embeddings", "transcription")


def enforce(
    adapter: "Adapter", params: Dict[str, Any], config: "CallConfig", model: str, allowed: Iterable[str] = ()
) -> Dict[str, Any]:
    """``params`` without the parameters ``adapter`` refuses for ``model``: raises
    UnsupportedParamsError for the first one set, or drops them all with ``drop_params``.

    A refused parameter at one of its harmless values (``n=1``) passes unchanged; names in
    ``allowed`` (``allowed_openai_params``) always pass, and are recorded in ``config.options``
    (``params.ALLOWED_PARAMS_OPTION``): a native format sends those it has no field for as top-level
    body fields under their OpenAI names (``Adapter.with_allowed_params``).
    """
    if allowed:
        config.options[ALLOWED_PARAMS_OPTION] = frozenset(allowed)
    if not params:
        return params
    refused = adapter.unsupported_chat_params(model, config.spec)
    harmless = adapter.harmless_values(model)
    out = params
    for name in [name for name in params if name in refused and name not in allowed]:
        if params[name] in harmless.get(name, ()):
            continue
        if not config.drop_params:
            raise UnsupportedParamsError(
                "%s does not support parameter %r for model %r; pass drop_params=True to drop it, "
                "or allowed_openai_params=[%r] to send it anyway"
                % (config.provider, name, model, name),
                config.provider,
                model,
            )
        if out is params:
            out = dict(params)
        del out[name]
    return out


def get_supported_openai_params(
    model: str, custom_llm_provider: Optional[str] = None, request_type: str = "chat_completion"
) -> Optional[List[str]]:
    """The OpenAI parameters ``model`` accepts on its provider (LiteLLM's function and return shape).

    For ``request_type="chat_completion"``: every OpenAI chat parameter the provider's wire format
    and row do not refuse for this model, plus ``stream``. A parameter listed here may still refuse
    some values (``n=2`` where only one choice is returned is refused: ``n`` is then not listed).
    Returns None when no provider fits the model, when the provider serves no chat, or for the
    other request types (``embeddings``, ``transcription``), whose parameters are checked per model.
    """
    if request_type not in _REQUEST_TYPES:
        raise BadRequestError(
            "request_type must be one of %s, got %r" % (", ".join(_REQUEST_TYPES), request_type), "", str(model)
        )
    from .resolve import split_model

    try:
        provider, model_id = split_model(model, custom_llm_provider)
    except BadRequestError:
        return None
    if request_type != "chat_completion":
        return None
    from .config import CallConfig
    from .providers import get_adapter, get_spec

    spec = get_spec(provider)
    if spec is None or not spec.serves("chat"):
        return None
    # The adapter variant depends on the model only (no key or base is needed to pick it).
    config = CallConfig(provider=provider, model=model_id, spec=spec, api_base=spec.api_base)
    adapter = get_adapter(spec.adapter).for_call(config)
    refused = adapter.unsupported_chat_params(model_id, spec)
    return ["stream"] + [name for name in OPENAI_CHAT_PARAMS if name not in refused]
