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
resolved by :mod:`.aws_auth`, or ``Authorization: Bearer`` for a Bedrock API key.

Embeddings (:meth:`BedrockAdapter.prepare_embedding`): InvokeModel, ``POST /model/{modelId}/invoke``
(a leading ``invoke/`` in the model name is accepted and stripped). The family is read from the id:

* Amazon Titan Text Embeddings (``amazon.titan-embed-text-v1``, ``amazon.titan-embed-g1-text-02``,
  ``amazon.titan-embed-text-v2:0``): body ``{"inputText": text}``; v2 adds ``dimensions``. InvokeModel
  takes ONE text per request for Titan and the adapter contract is one request per call, so more than
  one input raises BadRequestError before anything is sent (call once per text, or use Cohere).
* Amazon Titan Multimodal Embeddings G1 (``amazon.titan-embed-image-v1``): ``inputText`` (or
  ``inputImage`` for a ``data:image/...;base64,`` input), ``dimensions`` ->
  ``embeddingConfig.outputEmbeddingLength``; one input per request as well.
* Cohere Embed (``cohere.embed-english-v3``, ``cohere.embed-multilingual-v3``, ``cohere.embed-v4:0``,
  region-prefixed profiles such as ``us.cohere.embed-v4:0``): ``{"texts": [...], "input_type":
  input_type or "search_document"}``; ``dimensions`` -> ``output_dimension`` (v4 and later only).
  The response's ``embeddings`` may be a list of vectors or a by-type object (``{"float": [...]}``).

``encoding_format`` ``float``/``base64`` is accepted and vectors always come back as lists of floats
(as the OpenAI path decodes base64); ``input_type`` on Titan, ``dimensions`` where the model has no
such setting and other encodings raise UnsupportedParamsError (dropped with ``drop_params=True``);
``user`` is ignored. Extra keyword arguments (``normalize``, ``truncate``, ``embedding_types``, ...)
are merged into the body. Usage: ``inputTextTokenCount`` (Titan) or the
``X-Amzn-Bedrock-Input-Token-Count`` response header. Any other model id (including ARNs that do
not name their model) raises BadRequestError before sending.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote, unquote_to_bytes

from .._sigv4 import sign_request
from ..exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
    error_for_status,
    is_context_window_error,
)
from ..types import (
    Choices,
    Delta,
    EmbeddingData,
    EmbeddingResponse,
    Message,
    ModelResponse,
    ModelResponseStream,
    Usage,
)
from .base import (
    Adapter,
    ChatRequest,
    EmbeddingRequest,
    StreamEvent,
    StreamState,
    WireRequest,
    WireResponse,
    delta_tool_call,
    load_json,
    map_finish_reason,
    tool_call,
    usage_from_counts,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..config import CallConfig

__all__ = [
    "BedrockAdapter",
    "JSON_TOOL_NAME",
    "REASONING_BUDGETS",
    "model_id_of",
    "exception_class",
    "embedding_family",
]

JSON_TOOL_NAME = "json_tool_call"
REASONING_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192}
_NO_REASONING = ("none", "disable", "disabled", "default")
_UNSUPPORTED = ("seed", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs")
_IMAGE_FORMATS = {"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "webp": "webp"}
_DOC_FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
_DATA_URL = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.S)

# AWS error/exception type (lower-case) -> our class.
_EXCEPTIONS: Dict[str, Callable[..., APIError]] = {
    "throttlingexception": RateLimitError,
    "servicequotaexceededexception": RateLimitError,
    "toomanyrequestsexception": RateLimitError,
    "validationexception": BadRequestError,
    "accessdeniedexception": PermissionDeniedError,
    "resourcenotfoundexception": NotFoundError,
    "serviceunavailableexception": ServiceUnavailableError,
    "modelnotreadyexception": ServiceUnavailableError,
    "modelstreamerrorexception": InternalServerError,
    "internalserverexception": InternalServerError,
    "modelerrorexception": InternalServerError,
    "modeltimeoutexception": Timeout,
    "unrecognizedclientexception": AuthenticationError,
    "invalidsignatureexception": AuthenticationError,
    "incompletesignatureexception": AuthenticationError,
    "missingauthenticationtokenexception": AuthenticationError,
    "expiredtokenexception": AuthenticationError,
    "invalidclienttokenid": AuthenticationError,
}


def model_id_of(model: str) -> str:
    """The Bedrock model id (or ARN) from what follows ``bedrock/``: ``converse/`` is stripped."""
    if model.startswith("converse/"):
        return model[len("converse/") :]
    return model


_COHERE_EMBED_VERSION = re.compile(r"cohere\.embed-v(\d+)")
_IMAGE_DATA_URL = re.compile(r"^data:image/[A-Za-z0-9.+-]+;base64,(.*)$", re.S)
_TOKEN_COUNT_HEADER = "x-amzn-bedrock-input-token-count"


def embedding_family(model_id: str) -> Optional[str]:
    """``"titan_v1"``, ``"titan_v2"``, ``"titan_image"`` or ``"cohere"`` for a Bedrock embedding
    model id (region prefixes and ARNs naming the model are fine); None when unknown."""
    lowered = model_id.lower()
    if "cohere.embed" in lowered:
        return "cohere"
    if "amazon.titan-embed-image" in lowered:
        return "titan_image"
    if "amazon.titan-embed-text-v2" in lowered:
        return "titan_v2"
    if "amazon.titan-embed-text" in lowered or "amazon.titan-embed-g1-text" in lowered:
        return "titan_v1"
    return None


def _embedding_model_id(model: str) -> str:
    return model[len("invoke/") :] if model.startswith("invoke/") else model


def _cohere_has_dimensions(model_id: str) -> bool:
    match = _COHERE_EMBED_VERSION.search(model_id.lower())
    return match is not None and int(match.group(1)) >= 4


def _count(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii() and len(value) < 20:
        return int(value.strip())  # ASCII digits only: "²".isdigit() is True but int("²") fails
    return None


def _is_vector(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
    )


def _is_claude(model_id: str) -> bool:
    lowered = model_id.lower()
    return "claude" in lowered or "anthropic" in lowered or lowered.startswith("arn:")


def exception_class(error_type: Optional[str]) -> Optional[Callable[..., APIError]]:
    """Our exception class for an AWS error type such as ``ThrottlingException`` (None if unknown)."""
    if not error_type:
        return None
    name = str(error_type).split(":", 1)[0].split("#")[-1].strip().lower()
    return _EXCEPTIONS.get(name)


def _build_error(
    error_type: Optional[str],
    status: Optional[int],
    message: str,
    provider: str,
    model: str,
    headers: Optional[Mapping[str, str]] = None,
    body: Optional[str] = None,
) -> APIError:
    short = str(error_type).split(":", 1)[0] if error_type else None
    cls = exception_class(error_type)
    if cls is None:
        return error_for_status(
            status if status is not None else 500, message, provider, model, headers=headers, body=body, code=short, error_type=short
        )
    if cls is BadRequestError and is_context_window_error(message, short):
        cls = ContextWindowExceededError
    return cls(
        message, provider, model, status_code=status, headers=headers, body=body, code=short, error_type=short
    )


def _block_index(payload: Dict[str, Any]) -> Any:
    """A stream event's ``contentBlockIndex`` as a dict key (garbage becomes its repr)."""
    value = payload.get("contentBlockIndex")
    return value if value is None or isinstance(value, (int, float, str)) else repr(value)


class BedrockAdapter(Adapter):
    """Converse / ConverseStream over HTTPS, signed with SigV4 (or a Bedrock API key)."""

    stream_format = "eventstream"

    # ------------------------------------------------------------------------------------------
    # Request

    def prepare(self, request: ChatRequest, config: "CallConfig") -> WireRequest:
        model_id = model_id_of(request.model)
        if model_id.startswith("invoke/"):
            raise BadRequestError(
                "bedrock/invoke/ models are not supported: use bedrock/<modelId> (the Converse API)",
                config.provider,
                request.model,
            )
        if not model_id:
            raise BadRequestError("empty Bedrock model id", config.provider, request.model)
        body = self.build_body(request, config)
        path = "/model/%s/%s" % (quote(model_id, safe=""), "converse-stream" if request.stream else "converse")
        headers = {
            "content-type": "application/json",
            "accept": "application/vnd.amazon.eventstream" if request.stream else "application/json",
        }
        headers.update(config.extra_headers or {})
        return WireRequest(
            url=config.api_base.rstrip("/") + path,
            headers=headers,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )

    def build_body(self, request: ChatRequest, config: "CallConfig") -> Dict[str, Any]:
        params = dict(request.params)
        provider, model = config.provider, request.model
        model_id = model_id_of(request.model)

        def unsupported(name: str, why: str = "") -> None:
            if config.drop_params:
                return
            raise UnsupportedParamsError(
                "bedrock (Converse) does not support %s%s; pass drop_params=True to drop it"
                % (name, (" " + why) if why else ""),
                provider,
                model,
            )

        for name in _UNSUPPORTED:
            if name in params:
                unsupported(name)
        n = params.get("n")
        if n is not None and n != 1:
            unsupported("n=%r" % (n,), "(one choice per call)")
        if params.get("parallel_tool_calls") is False:
            unsupported("parallel_tool_calls=False")

        system, messages = self._convert_messages(request.messages, provider, model)
        body: Dict[str, Any] = {"messages": messages}
        if system:
            body["system"] = system

        inference: Dict[str, Any] = {}
        max_tokens = params.get("max_completion_tokens", params.get("max_tokens"))
        if max_tokens is not None:
            inference["maxTokens"] = max_tokens
        if "temperature" in params:
            inference["temperature"] = params["temperature"]
        if "top_p" in params:
            inference["topP"] = params["top_p"]
        stop = params.get("stop")
        if stop:
            inference["stopSequences"] = [stop] if isinstance(stop, str) else list(stop)
        if inference:
            body["inferenceConfig"] = inference

        extra_fields: Dict[str, Any] = {}
        thinking = self._thinking(params, model_id)
        if thinking is not None:
            if _is_claude(model_id):
                extra_fields["thinking"] = thinking
            else:
                unsupported("reasoning_effort/thinking", "for model %r (Claude models only)" % model_id)

        tool_config = self._tool_config(params, messages, unsupported, provider, model)
        if tool_config:
            body["toolConfig"] = tool_config
        if extra_fields:
            body["additionalModelRequestFields"] = extra_fields

        for key, value in (request.extra_body or {}).items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                merged = dict(body[key])
                merged.update(value)
                body[key] = merged
            else:
                body[key] = value
        return body

    @staticmethod
    def _thinking(params: Dict[str, Any], model_id: str) -> Optional[Dict[str, Any]]:
        thinking = params.get("thinking")
        if isinstance(thinking, dict):
            if thinking.get("type") == "disabled":
                return None
            return dict(thinking)
        effort = params.get("reasoning_effort")
        if effort is None or str(effort).lower() in _NO_REASONING:
            return None
        budget = REASONING_BUDGETS.get(str(effort).lower())
        if budget is None:
            raise BadRequestError(
                "reasoning_effort must be one of %s, got %r" % (", ".join(sorted(REASONING_BUDGETS)), effort),
                "bedrock",
                model_id,
            )
        return {"type": "enabled", "budget_tokens": budget}

    def _tool_config(
        self,
        params: Dict[str, Any],
        messages: List[Dict[str, Any]],
        unsupported: Callable[..., None],
        provider: str,
        model: str,
    ) -> Optional[Dict[str, Any]]:
        tools = params.get("tools") or []
        choice = params.get("tool_choice")
        specs: List[Dict[str, Any]] = []
        for tool in tools:
            fn = tool.get("function") if isinstance(tool, dict) else None
            if not isinstance(fn, dict) or not fn.get("name"):
                raise BadRequestError("each tool needs function.name", provider, model)
            spec: Dict[str, Any] = {"name": fn["name"]}
            if fn.get("description"):
                spec["description"] = fn["description"]
            schema = fn.get("parameters")
            spec["inputSchema"] = {"json": schema if isinstance(schema, dict) else {"type": "object", "properties": {}}}
            specs.append({"toolSpec": spec})

        tool_choice: Optional[Dict[str, Any]] = None
        if choice == "auto":
            tool_choice = {"auto": {}}
        elif choice == "required":
            tool_choice = {"any": {}}
        elif isinstance(choice, dict):
            name = (choice.get("function") or {}).get("name") if isinstance(choice.get("function"), dict) else None
            if not name:
                raise BadRequestError("tool_choice must name a function: {'type': 'function', 'function': {'name': ...}}", provider, model)
            tool_choice = {"tool": {"name": name}}

        history = self._history_tool_names(messages)
        if choice == "none":
            if history:
                unsupported("tool_choice='none'", "when the conversation holds tool calls")
            else:
                specs = []

        response_format = params.get("response_format")
        rf_type = response_format.get("type") if isinstance(response_format, dict) else None
        if rf_type in ("json_schema", "json_object"):
            if specs:
                unsupported("response_format together with tools")
            else:
                wanted: Dict[str, Any] = {"type": "object"}
                description = "Respond with a JSON object."
                if rf_type == "json_schema":
                    js = response_format.get("json_schema") if isinstance(response_format, dict) else None
                    if isinstance(js, dict) and isinstance(js.get("schema"), dict):
                        wanted = js["schema"]
                    if isinstance(js, dict) and js.get("description"):
                        description = str(js["description"])
                specs = [{"toolSpec": {"name": JSON_TOOL_NAME, "description": description, "inputSchema": {"json": wanted}}}]
                tool_choice = {"tool": {"name": JSON_TOOL_NAME}}
                if history:
                    specs.extend(self._open_specs(history - {JSON_TOOL_NAME}))

        if not specs and history:
            specs = self._open_specs(history)
        if not specs:
            return None
        config: Dict[str, Any] = {"tools": specs}
        if tool_choice is not None and choice != "none":
            config["toolChoice"] = tool_choice
        return config

    @staticmethod
    def _open_specs(names: "set[str]") -> List[Dict[str, Any]]:
        return [
            {"toolSpec": {"name": name, "inputSchema": {"json": {"type": "object", "properties": {}}}}}
            for name in sorted(names)
        ]

    @staticmethod
    def _history_tool_names(messages: List[Dict[str, Any]]) -> "set[str]":
        names = set()
        for message in messages:
            for block in message.get("content", []):
                if "toolUse" in block:
                    names.add(block["toolUse"]["name"])
                elif "toolResult" in block:
                    names.add("")  # a result without its call still needs a toolConfig
        if "" in names:
            names.discard("")
            if not names:
                names.add("tool")
        return names

    # Messages -----------------------------------------------------------------------------------

    def _convert_messages(
        self, messages: List[Dict[str, Any]], provider: str, model: str
    ) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
        system: List[Dict[str, Any]] = []
        turns: List[Dict[str, Any]] = []
        docs = [0]

        def add(role: str, blocks: List[Dict[str, Any]]) -> None:
            if turns and turns[-1]["role"] == role:
                turns[-1]["content"].extend(blocks)
            else:
                turns.append({"role": role, "content": blocks})

        for message in messages:
            role = message.get("role")
            content = message.get("content")
            if role in ("system", "developer"):
                system.extend(self._text_blocks(content))
            elif role == "user":
                add("user", self._user_blocks(content, provider, model, docs))
            elif role == "assistant":
                add("assistant", self._assistant_blocks(message, provider, model))
            elif role == "tool":
                add("user", [self._tool_result(message, provider, model, docs)])
            else:
                raise BadRequestError("unsupported message role %r" % (role,), provider, model)
        for turn in turns:
            if not turn["content"]:
                turn["content"] = [{"text": ""}]
        return system, turns

    @staticmethod
    def _text_blocks(content: Any) -> List[Dict[str, Any]]:
        blocks: List[Dict[str, Any]] = []
        if content is None:
            return blocks
        if isinstance(content, str):
            return [{"text": content}] if content else []
        for part in content if isinstance(content, list) else [content]:
            if isinstance(part, dict) and part.get("type", "text") == "text":
                text = str(part.get("text", ""))
                if text:
                    blocks.append({"text": text})
                if part.get("cache_control"):
                    blocks.append({"cachePoint": {"type": "default"}})
        return blocks

    def _user_blocks(self, content: Any, provider: str, model: str, docs: List[int]) -> List[Dict[str, Any]]:
        if content is None or isinstance(content, str):
            return self._text_blocks(content)
        blocks: List[Dict[str, Any]] = []
        for part in content if isinstance(content, list) else [content]:
            if not isinstance(part, dict):
                raise BadRequestError("message content parts must be objects", provider, model)
            kind = part.get("type", "text")
            if kind == "text":
                blocks.extend(self._text_blocks([part]))
                continue
            if kind == "image_url":
                image = part.get("image_url")
                url = image.get("url") if isinstance(image, dict) else image
                blocks.append(self._image_block(str(url or ""), provider, model))
            elif kind == "file":
                blocks.append(self._document_block(part.get("file") or {}, provider, model, docs))
            else:
                raise BadRequestError("bedrock (Converse) does not accept %r content parts" % kind, provider, model)
            if part.get("cache_control"):
                blocks.append({"cachePoint": {"type": "default"}})
        return blocks

    @staticmethod
    def _data_url(url: str, provider: str, model: str) -> Tuple[str, str]:
        """(media type, base64 data) of a ``data:`` URL."""
        match = _DATA_URL.match(url.strip())
        if not match:
            raise BadRequestError("invalid data URL", provider, model)
        media = match.group(1).strip().lower()
        params = [p.strip().lower() for p in match.group(2).split(";") if p.strip()]
        payload = match.group(3)
        if "base64" in params:
            data = "".join(payload.split())
            try:
                base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise BadRequestError("data URL holds invalid base64", provider, model) from None
        else:
            data = base64.b64encode(unquote_to_bytes(payload)).decode("ascii")
        return media, data

    def _image_block(self, url: str, provider: str, model: str) -> Dict[str, Any]:
        if url.startswith("data:"):
            media, data = self._data_url(url, provider, model)
            fmt = _IMAGE_FORMATS.get(media.split("/")[-1])
            if not media.startswith("image/") or fmt is None:
                raise BadRequestError(
                    "bedrock accepts png, jpeg, gif and webp images, got %r" % media, provider, model
                )
            return {"image": {"format": fmt, "source": {"bytes": data}}}
        if url.startswith("s3://"):
            fmt = _IMAGE_FORMATS.get(url.rsplit(".", 1)[-1].lower())
            if fmt is None:
                raise BadRequestError("cannot tell the image format of %r" % url, provider, model)
            return {"image": {"format": fmt, "source": {"s3Location": {"uri": url}}}}
        raise BadRequestError(
            "bedrock cannot fetch image URLs: pass the image as a data: URL (base64) or an s3:// URI",
            provider,
            model,
        )

    def _document_block(self, file: Any, provider: str, model: str, docs: List[int]) -> Dict[str, Any]:
        if not isinstance(file, dict) or not str(file.get("file_data") or "").startswith("data:"):
            raise BadRequestError("bedrock file parts need file.file_data as a data: URL", provider, model)
        media, data = self._data_url(str(file["file_data"]), provider, model)
        if media.startswith("image/"):
            return self._image_block(str(file["file_data"]), provider, model)
        fmt = _DOC_FORMATS.get(media)
        if fmt is None:
            raise BadRequestError("bedrock does not accept %r documents" % media, provider, model)
        docs[0] += 1
        raw_name = str(file.get("filename") or "").rsplit(".", 1)[0]
        name = re.sub(r"[^A-Za-z0-9 \-()\[\]]", " ", raw_name)
        name = " ".join(name.split())[:200] or "document%d" % docs[0]
        return {"document": {"format": fmt, "name": name, "source": {"bytes": data}}}

    def _assistant_blocks(self, message: Dict[str, Any], provider: str, model: str) -> List[Dict[str, Any]]:
        blocks: List[Dict[str, Any]] = []
        content = message.get("content")
        thinking = list(message.get("thinking_blocks") or [])
        if isinstance(content, list):
            thinking.extend(
                p for p in content if isinstance(p, dict) and p.get("type") in ("thinking", "redacted_thinking")
            )
        for block in thinking:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "thinking" and block.get("thinking"):
                text: Dict[str, Any] = {"text": block["thinking"]}
                if block.get("signature"):
                    text["signature"] = block["signature"]
                blocks.append({"reasoningContent": {"reasoningText": text}})
            elif block.get("type") == "redacted_thinking" and block.get("data"):
                blocks.append({"reasoningContent": {"redactedContent": block["data"]}})
        blocks.extend(self._text_blocks(content))
        for call in message.get("tool_calls") or []:
            fn = call.get("function") if isinstance(call, dict) else None
            if not isinstance(fn, dict) or not fn.get("name"):
                raise BadRequestError("assistant tool_calls need function.name", provider, model)
            arguments = fn.get("arguments")
            if isinstance(arguments, str):
                try:
                    parsed = json.loads(arguments) if arguments.strip() else {}
                except ValueError:
                    raise BadRequestError(
                        "tool call %r has arguments that are not JSON" % fn["name"], provider, model
                    ) from None
            else:
                parsed = arguments if arguments is not None else {}
            blocks.append({"toolUse": {"toolUseId": str(call.get("id") or ""), "name": fn["name"], "input": parsed}})
        return blocks

    def _tool_result(self, message: Dict[str, Any], provider: str, model: str, docs: List[int]) -> Dict[str, Any]:
        content = message.get("content")
        blocks: List[Dict[str, Any]] = []
        if isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "image_url":
                    image = part.get("image_url")
                    url = image.get("url") if isinstance(image, dict) else image
                    blocks.append(self._image_block(str(url or ""), provider, model))
                elif isinstance(part, dict) and part.get("type", "text") == "text":
                    blocks.append({"text": str(part.get("text", ""))})
        else:
            blocks.append({"text": "" if content is None else str(content)})
        return {"toolResult": {"toolUseId": str(message.get("tool_call_id") or ""), "content": blocks or [{"text": ""}]}}

    # ------------------------------------------------------------------------------------------
    # Embeddings (InvokeModel)

    def split_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> List[EmbeddingRequest]:
        """Titan's InvokeModel takes one text per request: one request per input (Cohere takes a list)."""
        family = embedding_family(_embedding_model_id(request.model))
        if family is None or family == "cohere" or len(request.input) <= 1:
            return [request]
        return [
            EmbeddingRequest(model=request.model, input=[item], params=request.params, extra_body=request.extra_body)
            for item in request.input
        ]

    def prepare_embedding(self, request: EmbeddingRequest, config: "CallConfig") -> WireRequest:
        provider, model = config.provider, request.model
        model_id = _embedding_model_id(request.model)
        if not model_id:
            raise BadRequestError("empty Bedrock model id", provider, model)
        family = embedding_family(model_id)
        if family is None:
            raise BadRequestError(
                "bedrock embeddings support Amazon Titan (amazon.titan-embed-text-v1, "
                "amazon.titan-embed-text-v2:0, amazon.titan-embed-image-v1) and Cohere Embed "
                "(cohere.embed-english-v3, cohere.embed-multilingual-v3, cohere.embed-v4:0) models; "
                "%r is neither" % model_id,
                provider,
                model,
            )
        texts: List[str] = []
        for position, item in enumerate(request.input):
            if not isinstance(item, str):
                raise BadRequestError(
                    "bedrock embeddings take text inputs; input[%d] is a %s" % (position, type(item).__name__),
                    provider,
                    model,
                )
            texts.append(item)
        params = request.params

        def unsupported(name: str, why: str) -> None:
            if not config.drop_params:
                raise UnsupportedParamsError(
                    "bedrock embeddings with %r do not support %s %s; pass drop_params=True to drop it"
                    % (model_id, name, why),
                    provider,
                    model,
                )

        encoding = params.get("encoding_format")
        if encoding is not None and encoding not in ("float", "base64"):
            unsupported("encoding_format=%r" % (encoding,), "(float vectors are returned)")
        dimensions = params.get("dimensions")
        if dimensions is not None and (isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions <= 0):
            raise BadRequestError("dimensions must be a positive integer, got %r" % (dimensions,), provider, model)

        body: Dict[str, Any]
        if family == "cohere":
            body = {"texts": texts, "input_type": params.get("input_type") or "search_document"}
            if dimensions is not None:
                if _cohere_has_dimensions(model_id):
                    body["output_dimension"] = dimensions
                else:
                    unsupported("dimensions", "(Cohere Embed v4 and later only)")
        else:
            if len(texts) != 1:
                raise BadRequestError(
                    "Amazon Titan embedding models take one text per request (InvokeModel) and this request "
                    "has %d inputs: embedding() splits lists with split_embedding()" % len(texts),
                    provider,
                    model,
                )
            if params.get("input_type") is not None:
                unsupported("input_type", "(a Cohere setting)")
            text = texts[0]
            image = _IMAGE_DATA_URL.match(text) if family == "titan_image" else None
            body = {"inputImage": image.group(1)} if image else {"inputText": text}
            if dimensions is not None:
                if family == "titan_v2":
                    body["dimensions"] = dimensions
                elif family == "titan_image":
                    body["embeddingConfig"] = {"outputEmbeddingLength": dimensions}
                else:
                    unsupported("dimensions", "(Titan Text Embeddings v2 only)")

        for key, value in (request.extra_body or {}).items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                merged = dict(body[key])
                merged.update(value)
                body[key] = merged
            else:
                body[key] = value
        headers = {"content-type": "application/json", "accept": "application/json"}
        headers.update(config.extra_headers or {})
        return WireRequest(
            url=config.api_base.rstrip("/") + "/model/%s/invoke" % quote(model_id, safe=""),
            headers=headers,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )

    def parse_embedding(
        self, response: WireResponse, request: EmbeddingRequest, config: "CallConfig"
    ) -> EmbeddingResponse:
        provider = config.provider
        model_id = _embedding_model_id(request.model)
        payload = load_json(response.body, provider, model_id, "Bedrock embeddings response")
        if not isinstance(payload, dict):
            raise APIConnectionError("unexpected Bedrock embeddings response: not a JSON object", provider, model_id)
        header_count: Optional[int] = None
        for key, value in response.headers.items():
            if key.lower() == _TOKEN_COUNT_HEADER:
                header_count = _count(value)
        vectors: List[List[Any]]
        prompt_tokens: Optional[int]
        if embedding_family(model_id) == "cohere":
            vectors = self._cohere_vectors(payload, provider, model_id)
            prompt_tokens = header_count
        else:
            vector: Any = payload.get("embedding")
            if not _is_vector(vector):
                by_type = payload.get("embeddingsByType")
                vector = by_type.get("float") if isinstance(by_type, dict) else None
            if not _is_vector(vector):
                message = payload.get("message")
                if isinstance(message, str) and message:
                    raise InternalServerError(
                        "Bedrock embedding failed: %s" % message, provider, model_id, status_code=response.status
                    )
                raise APIConnectionError("unexpected Bedrock embeddings response: no embedding vector", provider, model_id)
            vectors = [vector]
            prompt_tokens = _count(payload.get("inputTextTokenCount"))
            if prompt_tokens is None:
                prompt_tokens = header_count
        if len(vectors) != len(request.input):
            raise APIConnectionError(
                "Bedrock returned %d embeddings for %d inputs" % (len(vectors), len(request.input)), provider, model_id
            )
        return EmbeddingResponse(
            data=[EmbeddingData(embedding=list(vector), index=i) for i, vector in enumerate(vectors)],
            model=model_id,
            usage=usage_from_counts(prompt_tokens or 0, 0, total_tokens=prompt_tokens or 0),
        )

    @staticmethod
    def _cohere_vectors(payload: Dict[str, Any], provider: str, model_id: str) -> List[List[Any]]:
        raw = payload.get("embeddings")
        if isinstance(raw, dict):  # by type: {"float": [[...]], "int8": [[...]], ...}
            chosen = raw.get("float")
            if chosen is None:
                chosen = next((value for value in raw.values() if isinstance(value, list)), None)
            raw = chosen
        if not isinstance(raw, list) or not all(_is_vector(vector) for vector in raw):
            raise APIConnectionError(
                "unexpected Cohere embeddings response from Bedrock: no list of vectors", provider, model_id
            )
        return raw

    # ------------------------------------------------------------------------------------------
    # Authentication

    def sign(self, wire: WireRequest, config: "CallConfig") -> WireRequest:
        creds = config.credentials
        if creds is None:
            raise AuthenticationError(
                "no AWS credentials resolved for Bedrock: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
                "or AWS_BEARER_TOKEN_BEDROCK",
                config.provider,
                config.model,
            )
        drop = {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}
        headers = {k: v for k, v in wire.headers.items() if k.lower() not in drop}
        bearer = getattr(creds, "bearer_token", None)
        if bearer:
            headers["authorization"] = "Bearer " + bearer
        else:
            region = getattr(creds, "region", None) or config.options.get("region")
            headers.update(
                sign_request(
                    wire.method,
                    wire.url,
                    headers,
                    wire.body,
                    access_key=creds.access_key_id,
                    secret_key=creds.secret_access_key,
                    session_token=creds.session_token,
                    region=str(region or ""),
                    service="bedrock",
                    now=datetime.now(timezone.utc),
                )
            )
        return WireRequest(url=wire.url, headers=headers, body=wire.body, method=wire.method)

    # ------------------------------------------------------------------------------------------
    # Responses

    def parse(self, response: WireResponse, request: ChatRequest, config: "CallConfig") -> ModelResponse:
        model_id = model_id_of(request.model)
        payload = load_json(response.body, config.provider, model_id)
        if not isinstance(payload, dict):
            raise APIConnectionError("unexpected Converse response: not a JSON object", config.provider, model_id)
        output = payload.get("output")
        message = output.get("message") if isinstance(output, dict) else None
        if not isinstance(message, dict):
            raise APIConnectionError("unexpected Converse response: no output.message", config.provider, model_id)
        json_mode = self._json_mode(request)
        texts: List[str] = []
        reasoning: List[str] = []
        thinking_blocks: List[Dict[str, Any]] = []
        calls = []
        json_text: Optional[str] = None
        blocks = message.get("content")
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, dict):
                continue
            if isinstance(block.get("text"), str):
                texts.append(block["text"])
            elif isinstance(block.get("reasoningContent"), dict):
                rc = block["reasoningContent"]
                rt = rc.get("reasoningText")
                if isinstance(rt, dict):
                    text = str(rt.get("text") or "")
                    reasoning.append(text)
                    tb: Dict[str, Any] = {"type": "thinking", "thinking": text}
                    if rt.get("signature"):
                        tb["signature"] = rt["signature"]
                    thinking_blocks.append(tb)
                elif rc.get("redactedContent"):
                    thinking_blocks.append({"type": "redacted_thinking", "data": rc["redactedContent"]})
            elif isinstance(block.get("toolUse"), dict):
                use = block["toolUse"]
                name = str(use.get("name") or "")
                if json_mode and name == JSON_TOOL_NAME:
                    json_text = json.dumps(use.get("input") if use.get("input") is not None else {})
                    continue
                calls.append(tool_call(str(use.get("toolUseId") or ""), name, use.get("input")))
        content: Optional[str] = "".join(texts) if texts else None
        stop_reason = payload.get("stopReason")
        finish = map_finish_reason(str(stop_reason)) if stop_reason is not None else "stop"
        if json_text is not None:
            content = json_text if content is None or not content.strip() else content + json_text
            if finish == "tool_calls" and not calls:
                finish = "stop"
        result = ModelResponse(model=model_id)
        result.choices = [
            Choices(
                finish_reason=finish,
                index=0,
                message=Message(
                    content=content,
                    role="assistant",
                    tool_calls=calls or None,
                    reasoning_content="".join(reasoning) if reasoning else None,
                    thinking_blocks=thinking_blocks or None,
                ),
            )
        ]
        result.usage = self._usage(payload.get("usage"))
        return result

    @staticmethod
    def _json_mode(request: ChatRequest) -> bool:
        rf = request.params.get("response_format")
        return isinstance(rf, dict) and rf.get("type") in ("json_schema", "json_object") and not request.params.get("tools")

    @staticmethod
    def _usage(raw: Any) -> Optional[Usage]:
        if not isinstance(raw, dict):
            return None

        def num(key: str) -> Optional[int]:
            value = raw.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None
            if isinstance(value, float) and (value != value or abs(value) == float("inf")):  # NaN, infinity
                return None
            return int(value)

        cache_read = num("cacheReadInputTokens")
        cache_write = num("cacheWriteInputTokens")
        prompt = (num("inputTokens") or 0) + (cache_read or 0) + (cache_write or 0)
        return usage_from_counts(
            prompt, num("outputTokens") or 0, cached_tokens=cache_read, cache_creation_tokens=cache_write
        )

    def parse_error(self, response: WireResponse, config: "CallConfig") -> APIError:
        text = response.text()
        error_type: Optional[str] = None
        for key, value in response.headers.items():
            if key.lower() == "x-amzn-errortype":
                error_type = str(value)
        message: Optional[str] = None
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            payload = None
        if isinstance(payload, dict):
            raw = payload.get("message") or payload.get("Message")
            if raw is not None:
                message = raw if isinstance(raw, str) else json.dumps(raw)
            if not error_type and isinstance(payload.get("__type"), str):
                error_type = payload["__type"]
        if not message:
            message = text.strip()[:500] or "HTTP %d with an empty body" % response.status
        return _build_error(error_type, response.status, message, config.provider, config.model, dict(response.headers), text)

    # Streaming ----------------------------------------------------------------------------------

    def new_stream_state(self, request: ChatRequest, config: "CallConfig") -> StreamState:
        state = StreamState(model=model_id_of(request.model), provider=config.provider)
        state.scratch.update(
            json_mode=self._json_mode(request),
            tools={},  # contentBlockIndex -> tool-call index (or -1 for the JSON tool)
            n_tools=0,
            reasoning={},  # contentBlockIndex -> [text pieces, signature]
            stopped=False,
            role_sent=False,
        )
        return state

    def _emit(self, state: StreamState, delta: Delta) -> ModelResponseStream:
        if not state.scratch.get("role_sent"):
            delta.role = "assistant"
            state.scratch["role_sent"] = True
        return state.chunk(delta=delta)

    def parse_event(self, event: StreamEvent, state: StreamState) -> List[ModelResponseStream]:
        headers = event.headers or {}
        kind = headers.get(":message-type", "event")
        if kind in ("exception", "error"):
            message = event.data
            try:
                payload = json.loads(event.data) if event.data else None
            except (ValueError, RecursionError):
                payload = None
            if isinstance(payload, dict) and (payload.get("message") or payload.get("Message")):
                message = str(payload.get("message") or payload.get("Message"))
            if kind == "error" and headers.get(":error-message"):
                message = str(headers[":error-message"])
            raise _build_error(
                event.event, None, message or "error in Bedrock stream", state.provider, state.model, body=event.data
            )
        name = event.event
        if not name:
            return []
        payload = load_json(event.data or "{}", state.provider, state.model, "Bedrock stream event")
        if not isinstance(payload, dict):
            raise APIConnectionError("unexpected Bedrock stream event %r: not an object" % name, state.provider, state.model)
        scratch = state.scratch
        if name == "messageStart":
            return []
        if name == "contentBlockStart":
            start = payload.get("start")
            use = start.get("toolUse") if isinstance(start, dict) else None
            if not isinstance(use, dict):
                return []
            block = _block_index(payload)
            if scratch.get("json_mode") and use.get("name") == JSON_TOOL_NAME:
                scratch["tools"][block] = -1
                return []
            index = scratch["n_tools"]
            scratch["n_tools"] = index + 1
            scratch["tools"][block] = index
            return [
                self._emit(
                    state,
                    Delta(tool_calls=[delta_tool_call(index, str(use.get("toolUseId") or ""), str(use.get("name") or ""))]),
                )
            ]
        if name == "contentBlockDelta":
            return self._block_delta(payload, state)
        if name == "contentBlockStop":
            block = _block_index(payload)
            pending = scratch["reasoning"].pop(block, None)
            if pending and pending[1]:
                thinking = {"type": "thinking", "thinking": "".join(pending[0]), "signature": pending[1]}
                return [self._emit(state, Delta(thinking_blocks=[thinking]))]
            return []
        if name == "messageStop":
            reason = payload.get("stopReason")
            finish = map_finish_reason(str(reason)) if reason is not None else "stop"
            if finish == "tool_calls" and scratch.get("n_tools", 0) == 0 and scratch.get("json_mode"):
                finish = "stop"
            scratch["stopped"] = True
            state.finish_reason = finish
            return [state.chunk(delta=Delta(), finish_reason=finish)]
        if name == "metadata":
            usage = self._usage(payload.get("usage"))
            state.done = True
            if usage is None:
                return []
            state.usage = usage
            return [state.chunk(usage=usage, with_choice=False)]
        return []

    def _block_delta(self, payload: Dict[str, Any], state: StreamState) -> List[ModelResponseStream]:
        scratch = state.scratch
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return []
        block = _block_index(payload)
        if isinstance(delta.get("text"), str):
            return [self._emit(state, Delta(content=delta["text"]))] if delta["text"] else []
        use = delta.get("toolUse")
        if isinstance(use, dict):
            fragment = use.get("input")
            if not isinstance(fragment, str) or not fragment:
                return []
            index = scratch["tools"].get(block)
            if index == -1:
                return [self._emit(state, Delta(content=fragment))]
            if index is None:  # a delta without its start: give it its own call
                index = scratch["n_tools"]
                scratch["n_tools"] = index + 1
                scratch["tools"][block] = index
            return [self._emit(state, Delta(tool_calls=[delta_tool_call(index, arguments=fragment)]))]
        rc = delta.get("reasoningContent")
        if isinstance(rc, dict):
            pending = scratch["reasoning"].setdefault(block, [[], None])
            if isinstance(rc.get("text"), str) and rc["text"]:
                pending[0].append(rc["text"])
                return [self._emit(state, Delta(reasoning_content=rc["text"]))]
            if isinstance(rc.get("signature"), str):
                pending[1] = rc["signature"]
                return []
            if rc.get("redactedContent"):
                block_data = {"type": "redacted_thinking", "data": rc["redactedContent"]}
                return [self._emit(state, Delta(thinking_blocks=[block_data]))]
        return []

    def finish_stream(self, state: StreamState) -> List[ModelResponseStream]:
        if not state.scratch.get("stopped"):
            raise APIConnectionError(
                "Bedrock stream ended before messageStop (connection cut?)", state.provider, state.model
            )
        return []
