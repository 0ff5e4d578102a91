"""Pure-Python RS256 signer, checked byte for byte against the ``cryptography`` package."""

from __future__ import annotations

import base64
from typing import Any, Dict, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litellm_lite._rsa import (
    KeyFormatError,
    RSAPrivateKey,
    load_private_key,
    pem_to_der,
    sign_rs256,
)

crypto = pytest.importorskip("cryptography", reason="cryptography (test-only reference implementation) not installed")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402 - after pytest.importorskip("cryptography")
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402 - after pytest.importorskip("cryptography")

_KEYS: Dict[int, Any] = {}


def _key(bits: int) -> Any:
    if bits not in _KEYS:
        _KEYS[bits] = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return _KEYS[bits]


def _pem(key: Any, fmt: Any = serialization.PrivateFormat.PKCS8) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode("ascii")


def _reference(key: Any, message: bytes) -> bytes:
    return key.sign(message, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[no-any-return]


@pytest.mark.slow
@pytest.mark.parametrize("bits", [1024, 2048, 3072])
@pytest.mark.parametrize("message", [b"", b"abc", b"header.payload" * 500])
def test_signature_matches_reference(bits: int, message: bytes) -> None:
    key = _key(bits)
    ours = sign_rs256(load_private_key(_pem(key)), message)
    assert len(ours) == bits // 8
    assert ours == _reference(key, message)
    key.public_key().verify(ours, message, padding.PKCS1v15(), hashes.SHA256())  # raises if invalid


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_random_messages(message: bytes) -> None:
    key = _key(2048)
    assert sign_rs256(load_private_key(_pem(key)), message) == _reference(key, message)


def test_key_numbers_and_formats_agree() -> None:
    key = _key(2048)
    numbers = key.private_numbers()
    ours = load_private_key(_pem(key))
    assert (ours.n, ours.e, ours.d, ours.p, ours.q) == (
        numbers.public_numbers.n, numbers.public_numbers.e, numbers.d, numbers.p, numbers.q)
    assert (ours.dp, ours.dq, ours.qinv) == (numbers.dmp1, numbers.dmq1, numbers.iqmp)
    pkcs1 = load_private_key(_pem(key, serialization.PrivateFormat.TraditionalOpenSSL))
    assert pkcs1 == ours
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert load_private_key(der) == ours
    assert load_private_key(_pem(key).encode("ascii")) == ours
    assert "d=" not in repr(ours) and str(numbers.d) not in repr(ours)


def test_google_style_escaped_pem_in_json() -> None:
    """Service-account files carry the PEM with \\n escapes; after json.loads it must parse."""
    import json

    key = _key(2048)
    info = json.loads(json.dumps({"private_key": _pem(key)}))
    assert sign_rs256(load_private_key(info["private_key"]), b"m") == _reference(key, b"m")


def _der_of(pem: str) -> Tuple[str, bytes]:
    return pem_to_der(pem)


@pytest.mark.parametrize(
    "bad",
    [
        "not a key",
        "-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
        "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
        ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAA=\n"
         "-----END RSA PRIVATE KEY-----\n"),
        b"\xff\xfe\x00",
    ],
)
def test_malformed_keys(bad: Any) -> None:
    with pytest.raises(KeyFormatError):
        load_private_key(bad)


def test_truncated_and_non_rsa_keys() -> None:
    _, der = _der_of(_pem(_key(1024)))
    truncated = base64.b64encode(der[: len(der) // 2]).decode()
    with pytest.raises(KeyFormatError):
        load_private_key("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" % truncated)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(KeyFormatError, match="not an RSA key"):
        load_private_key(_pem(ec_key))
    assert issubclass(KeyFormatError, ValueError)


def test_inconsistent_crt_numbers_are_caught() -> None:
    good = load_private_key(_pem(_key(1024)))
    broken = RSAPrivateKey(n=good.n, e=good.e, d=good.d, p=good.p, q=good.q, dp=good.dp + 2, dq=good.dq,
                           qinv=good.qinv)
    with pytest.raises(KeyFormatError, match="self-check"):
        sign_rs256(broken, b"x")
