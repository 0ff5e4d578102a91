"""multipart/form-data bodies (OpenAI's audio uploads): :class:`FilePart` and :func:`encode_multipart`."""

from __future__ import annotations

import json
import uuid
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from ..exceptions import BadRequestError

__all__ = ["FilePart", "encode_multipart"]


class FilePart(NamedTuple):
    """One uploaded file: its name, content type and bytes."""

    filename: str
    content_type: str
    data: bytes


def _quote_header_value(value: str) -> str:
    """A quoted-string for Content-Disposition (HTML's rule: percent-encode ``"``, CR and LF)."""
    return value.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _field_bytes(name: str, value: str) -> bytes:
    head = 'Content-Disposition: form-data; name="%s"\r\n\r\n' % _quote_header_value(name)
    return head.encode("utf-8") + value.encode("utf-8")


def encode_multipart(
    fields: Sequence[Tuple[str, Any]],
    files: Sequence[Tuple[str, FilePart]],
    boundary: Optional[str] = None,
) -> Tuple[bytes, str]:
    """``(body, content_type)`` of a multipart/form-data body.

    A list value becomes one ``name[]`` field per item (the form OpenAI's servers read); ``None``
    values are left out. The boundary is random and never occurs in the content.
    """
    parts: List[bytes] = []
    for name, value in fields:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            key = name if name.endswith("[]") else name + "[]"
            for item in value:
                parts.append(_field_bytes(key, _form_value(item)))
        else:
            parts.append(_field_bytes(name, _form_value(value)))
    for name, part in files:
        head = 'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n' % (
            _quote_header_value(name),
            _quote_header_value(part.filename),
            part.content_type.replace("\r", "").replace("\n", ""),
        )
        parts.append(head.encode("utf-8") + part.data)
    while True:
        chosen = boundary or "litellm-lite-" + uuid.uuid4().hex
        marker = ("--" + chosen).encode("ascii")
        if not any(marker in p for p in parts):
            break
        if boundary is not None:
            raise BadRequestError("the multipart boundary occurs in the content")
    separator = marker + b"\r\n"
    body = b"".join(separator + p + b"\r\n" for p in parts) + marker + b"--\r\n"
    return body, "multipart/form-data; boundary=" + chosen
