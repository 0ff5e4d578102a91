"""Secrets under hostile input: nothing is sent, nothing is echoed, the registry stays sane."""

from __future__ import annotations

import io
import json
from typing import Any, Iterator, List

import pytest

import litellm_lite as litellm
from litellm_lite import _http, exceptions
from litellm_lite.config import resolve_config
from litellm_lite.exceptions import APIError, AuthenticationError, BadRequestError, LiteLLMError, redact, register_secret
from litellm_lite.providers import get_spec
from tests.server import LoopbackServer, RecordedRequest, Reply, Step, response
from tests.transport.test_http import wire

USER = [{"role": "user", "content": "hi"}]
OK = {
    "id": "x",
    "object": "chat.completion",
    "model": "gpt-4o",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
}
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" * 4
PEM = "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" % PEM_BODY


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: List[int] = []
    todo: List[BaseException] = [error]
    while todo:
        exc = todo.pop()
        if id(exc) in seen:
            continue
        seen.append(id(exc))
        yield exc
        todo += [e for e in (exc.__cause__, exc.__context__) if e is not None]


def assert_clean(error: BaseException, *secrets: str) -> None:
    """No exception in the chain shows or holds any of ``secrets``."""
    for exc in _chain(error):
        texts = [str(exc), repr(exc)] + [repr(a) for a in exc.args] + [repr(v) for v in vars(exc).values()]
        for secret in secrets:
            assert all(secret not in text for text in texts), (type(exc).__name__, secret)


def _call(server: LoopbackServer, **kw: Any) -> Any:
    kw.setdefault("api_key", "sk-good-key-123456")
    return litellm.completion(model="openai/gpt-4o", messages=USER, api_base=server.url, num_retries=3, **kw)


@pytest.mark.parametrize("bad", [b"sk-bytes-key-123456", 1234567, ["sk-in-a-list-123456"], {"k": "v"}])
def test_api_key_that_is_not_text_is_refused_and_later_calls_work(server: LoopbackServer, bad: Any) -> None:
    server.add(Reply.json(OK))
    before = dict(exceptions._registered_secrets)
    with pytest.raises(AuthenticationError, match="api_key must be a string") as info:
        _call(server, api_key=bad)
    assert server.requests == []
    assert dict(exceptions._registered_secrets) == before
    assert_clean(info.value, "sk-bytes-key", "sk-in-a-list", "1234567")
    assert _call(server).choices[0].message.content == "fine"
    assert redact("key sk-good-key-123456 here") == "key *** here"  # the registry still works


def test_register_secret_refuses_non_text_without_echoing_it() -> None:
    for bad in (b"abcdefgh", 12345678, ["abcdefgh"]):
        with pytest.raises(AuthenticationError) as info:
            register_secret(bad)  # type: ignore[arg-type]
        assert "abcdefgh" not in str(info.value) and "12345678" not in str(info.value)
    register_secret(None)
    register_secret("")
    assert redact("plain text") == "plain text"


@pytest.mark.parametrize(
    "key",
    ["sk-unicode-\u20ac-key-123456", "sk-control-\x01-key-123456", "sk-newline-key-123456\n", "sk-\u2028-separator-123"],
)
def test_key_http_cannot_carry_is_refused_before_sending_and_not_retried(server: LoopbackServer, key: str) -> None:
    server.add(Reply.json(OK))
    with pytest.raises((BadRequestError, AuthenticationError)) as info:
        _call(server, api_key=key)
    assert server.requests == []  # refused before sending, and not retried (num_retries=3)
    assert len(info.value.attempts) <= 1
    assert_clean(info.value, key, key.strip())
    assert "authorization" in str(info.value).lower()  # names the header, not the value


def test_header_value_errors_hold_no_secret_in_the_chain() -> None:
    secret = "tok-\u00ff\u0100-secret-value"
    with pytest.raises(BadRequestError) as info:
        _http.send(wire("http://127.0.0.1:9/", {"X-Api-Token": secret}), timeout=1)
    assert_clean(info.value, secret)
    with pytest.raises(BadRequestError) as info:
        _http.send(wire("ftp://127.0.0.1:9/" + secret), timeout=1)
    assert_clean(info.value, secret)


def test_credential_looking_extra_headers_are_redacted_in_repr_and_errors(server: LoopbackServer) -> None:
    headers = {"X-Custom-Token": "tok-abcdef123456", "My-Auth": "auth-abcdef123456",
               "X-Secret-Thing": "sec-abcdef123456", "X-Trace": "visible-trace"}
    config = resolve_config(get_spec("openai"), "gpt-4o", {"api_key": "sk-cfg-key-123456", "extra_headers": headers})
    text = repr(config)
    for value in ("tok-abcdef123456", "auth-abcdef123456", "sec-abcdef123456", "sk-cfg-key-123456"):
        assert value not in text
    assert "visible-trace" in text
    server.add(Reply.json({"error": {"message": "bad header tok-abcdef123456 auth-abcdef123456"}}, status=400))
    with pytest.raises(BadRequestError) as info:
        _call(server, extra_headers=headers)
    assert "tok-abcdef123456" not in str(info.value) and "auth-abcdef123456" not in str(info.value)
    assert server.requests[0].headers["x-custom-token"] == "tok-abcdef123456"  # sent to its own origin


def test_credential_looking_extra_headers_are_dropped_on_cross_origin_redirect() -> None:
    with LoopbackServer(lambda req: [response(200, b"landed")]) as other:
        def redirect(req: RecordedRequest) -> List[Step]:
            if req.target == "/here":
                return [response(200, b"same")]
            if req.target == "/start":
                return [response(307, headers=[("Location", "/here")])]
            return [response(307, headers=[("Location", other.url + "/away")])]

        headers = {"Content-Type": "application/json", "X-Custom-Token": "t-123456789", "My-Auth": "a-123456789",
                   "X-Service-Key": "k-123456789", "X-Trace": "kept"}
        with LoopbackServer(redirect) as srv:
            resp = _http.send(wire(srv.url + "/start", headers), timeout=5)
            assert resp.read() == b"same"
            assert srv.requests[1].headers["x-custom-token"] == "t-123456789"  # same origin: kept
            resp = _http.send(wire(srv.url + "/elsewhere", headers), timeout=5)
            assert resp.read() == b"landed"
        got = other.requests[0].headers
        assert "x-custom-token" not in got and "my-auth" not in got and "x-service-key" not in got
        assert got["x-trace"] == "kept"


def test_pem_private_keys_are_redacted_everywhere() -> None:
    assert PEM_BODY[:20] not in redact("key: " + PEM)
    escaped = json.dumps({"private_key": PEM})  # as inside a service-account JSON file
    assert PEM_BODY[:20] not in redact(escaped)
    cut = "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY  # truncated in a log line
    assert PEM_BODY[:20] not in redact(cut)
    err = APIError(500, "failed with " + PEM)
    assert PEM_BODY[:20] not in str(err) and PEM_BODY[:20] not in repr(err)
    assert "-----BEGIN CERTIFICATE-----" in redact("-----BEGIN CERTIFICATE-----\nMIIabc\n")  # not a secret


def _service_account() -> dict:
    return {"type": "service_account", "project_id": "p", "client_email": "a@p.iam.gserviceaccount.com",
            "private_key_id": "kid", "private_key": PEM, "token_uri": "http://127.0.0.1:9/token"}


@pytest.mark.parametrize(
    "value",
    [
        "\ufeff" + json.dumps(_service_account()),  # with a BOM
        json.dumps([_service_account()]),  # inside a list
        json.dumps(_service_account())[:-5],  # malformed (cut)
        " " + json.dumps(_service_account()).replace('"type"', "type"),  # malformed (bare key)
        [_service_account()],  # a Python list
    ],
)
def test_google_credentials_are_never_echoed(value: Any) -> None:
    with pytest.raises(LiteLLMError) as info:
        litellm.completion(model="vertex_ai/gemini-1.5-pro", messages=USER, vertex_credentials=value,
                           vertex_project="p", num_retries=0)
    assert_clean(info.value, PEM_BODY[:20], PEM_BODY[-20:])


def test_google_credentials_file_with_a_bom_is_read(tmp_path: Any) -> None:
    from litellm_lite.providers.google_auth import _load_credentials

    path = tmp_path / "sa.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_service_account()).encode())
    assert _load_credentials(str(path), "x")["client_email"] == "a@p.iam.gserviceaccount.com"
    with pytest.raises(AuthenticationError) as info:
        _load_credentials(str(tmp_path / "missing.json"), "x")
    assert "missing.json" in str(info.value)


def test_cli_never_echoes_google_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from litellm_lite.cli import main

    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "\ufeff" + json.dumps([_service_account()]))
    monkeypatch.setenv("VERTEXAI_PROJECT", "p")
    out, err = io.StringIO(), io.StringIO()
    code = main(["chat", "-m", "vertex_ai/gemini-1.5-pro", "--no-stream", "hi"], out=out, err=err, stdin=io.StringIO())
    assert code != 0
    text = out.getvalue() + err.getvalue()
    assert PEM_BODY[:20] not in text and "a@p.iam" not in text and "Traceback" not in text


@pytest.mark.slow
def test_secret_registry_stays_bounded_and_keeps_the_newest() -> None:
    for n in range(5000):
        register_secret("bulk-secret-%06d-xyz" % n)
    assert len(exceptions._registered_secrets) <= exceptions.MAX_REGISTERED_SECRETS
    assert redact("with bulk-secret-004999-xyz inside") == "with *** inside"
    register_secret("sk-good-key-123456")  # re-registering moves it to the newest end
    assert list(exceptions._registered_secrets)[-1] == "sk-good-key-123456"
