"""RSASSA-PKCS1-v1_5 signatures with SHA-256 (RS256), in pure Python.

Just enough to sign a Google service-account JWT without a crypto package:

* :func:`load_private_key` reads a PEM ``PRIVATE KEY`` (PKCS#8, what Google's key files hold) or
  ``RSA PRIVATE KEY`` (PKCS#1) block with a minimal DER reader and returns the key numbers;
* :func:`sign_rs256` builds the EMSA-PKCS1-v1_5 encoding of the SHA-256 digest (RFC 8017
  section 9.2) and exponentiates it with the Chinese remainder theorem, checking the result
  with the public exponent before returning it.

Malformed keys raise :class:`KeyFormatError`; callers turn it into their own error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import List, Tuple, Union

__all__ = ["KeyFormatError", "RSAPrivateKey", "load_private_key", "sign_rs256", "pem_to_der"]

# DER of AlgorithmIdentifier{sha256, NULL} + OCTET STRING header, per RFC 8017 section 9.2 note 1.
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
# OBJECT IDENTIFIER 1.2.840.113549.1.1.1 (rsaEncryption), contents only.
_RSA_ENCRYPTION_OID = bytes.fromhex("2a864886f70d010101")

_TAG_INTEGER = 0x02
_TAG_OCTET_STRING = 0x04
_TAG_NULL = 0x05
_TAG_OID = 0x06
_TAG_SEQUENCE = 0x30

_PEM_RE = re.compile(
    r"-----BEGIN ([A-Z ]+)-----\s*(.*?)\s*-----END \1-----",
    re.DOTALL,
)


class KeyFormatError(ValueError):
    """The private key is not an RSA key in a PEM/DER form this module understands."""


@dataclass(frozen=True)
class RSAPrivateKey:
    """The numbers of an RSA private key (RFC 8017 appendix A.1.2)."""

    n: int
    e: int
    d: int
    p: int
    q: int
    dp: int
    dq: int
    qinv: int

    @property
    def size_bytes(self) -> int:
        return (self.n.bit_length() + 7) // 8

    def __repr__(self) -> str:  # never show the private numbers
        return "RSAPrivateKey(bits=%d)" % self.n.bit_length()


def pem_to_der(pem: str) -> Tuple[str, bytes]:
    """(label, DER bytes) of the first PEM block in ``pem``."""
    match = _PEM_RE.search(pem)
    if match is None:
        raise KeyFormatError("no PEM block (-----BEGIN ...-----) found in the private key")
    label = match.group(1)
    body = "".join(match.group(2).split())
    if ":" in body:
        raise KeyFormatError("encrypted PEM keys (with Proc-Type headers) are not supported")
    try:
        der = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("the PEM block is not valid base64") from exc
    return label, der


def _read_tlv(data: bytes, pos: int) -> Tuple[int, bytes, int]:
    """(tag, contents, next position) of the DER element starting at ``pos``."""
    if pos + 2 > len(data):
        raise KeyFormatError("truncated DER element")
    tag = data[pos]
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise KeyFormatError("unsupported DER length encoding")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise KeyFormatError("DER element runs past the end of the key")
    return tag, data[pos:end], end


def _read_sequence(data: bytes) -> List[Tuple[int, bytes]]:
    """The (tag, contents) children of a DER SEQUENCE that spans ``data`` (trailing bytes ignored)."""
    tag, contents, _ = _read_tlv(data, 0)
    if tag != _TAG_SEQUENCE:
        raise KeyFormatError("expected a DER SEQUENCE, found tag 0x%02x" % tag)
    children = []
    pos = 0
    while pos < len(contents):
        child_tag, child, pos = _read_tlv(contents, pos)
        children.append((child_tag, child))
    return children


def _integer(element: Tuple[int, bytes]) -> int:
    tag, contents = element
    if tag != _TAG_INTEGER or not contents:
        raise KeyFormatError("expected a DER INTEGER")
    return int.from_bytes(contents, "big", signed=True)


def _parse_pkcs1(der: bytes) -> RSAPrivateKey:
    children = _read_sequence(der)
    if len(children) < 9:
        raise KeyFormatError("RSAPrivateKey needs 9 integers, found %d elements" % len(children))
    version, n, e, d, p, q, dp, dq, qinv = (_integer(child) for child in children[:9])
    if version not in (0, 1):
        raise KeyFormatError("unsupported RSAPrivateKey version %d" % version)
    if min(n, e, d, p, q, dp, dq, qinv) <= 0 or p * q != n:
        raise KeyFormatError("inconsistent RSA key numbers")
    return RSAPrivateKey(n=n, e=e, d=d, p=p, q=q, dp=dp, dq=dq, qinv=qinv)


def _parse_pkcs8(der: bytes) -> RSAPrivateKey:
    children = _read_sequence(der)
    if len(children) < 3:
        raise KeyFormatError("PrivateKeyInfo needs version, algorithm and key")
    _integer(children[0])
    alg_tag, alg = children[1]
    if alg_tag != _TAG_SEQUENCE:
        raise KeyFormatError("PrivateKeyInfo algorithm is not a SEQUENCE")
    oid_tag, oid, _ = _read_tlv(alg, 0)
    if oid_tag != _TAG_OID or oid != _RSA_ENCRYPTION_OID:
        raise KeyFormatError("the private key is not an RSA key (only RS256 is supported)")
    key_tag, key = children[2]
    if key_tag != _TAG_OCTET_STRING:
        raise KeyFormatError("PrivateKeyInfo privateKey is not an OCTET STRING")
    return _parse_pkcs1(key)


def load_private_key(key: Union[str, bytes]) -> RSAPrivateKey:
    """Parse a PEM (PKCS#8 ``PRIVATE KEY`` or PKCS#1 ``RSA PRIVATE KEY``) or raw DER RSA key."""
    if isinstance(key, bytes):
        if key[:1] == bytes([_TAG_SEQUENCE]):
            try:
                return _parse_pkcs8(key)
            except KeyFormatError:
                return _parse_pkcs1(key)
        try:
            key = key.decode("ascii")
        except UnicodeDecodeError as exc:
            raise KeyFormatError("the private key is neither PEM text nor DER") from exc
    label, der = pem_to_der(key)
    if label == "PRIVATE KEY":
        return _parse_pkcs8(der)
    if label == "RSA PRIVATE KEY":
        return _parse_pkcs1(der)
    raise KeyFormatError("unsupported PEM block %r (expected PRIVATE KEY)" % label)


def _emsa_pkcs1_v15_sha256(message: bytes, em_len: int) -> bytes:
    t = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    if em_len < len(t) + 11:
        raise KeyFormatError("RSA key too short for a SHA-256 PKCS#1 v1.5 signature")
    return b"\x00\x01" + b"\xff" * (em_len - len(t) - 3) + b"\x00" + t


def sign_rs256(key: RSAPrivateKey, message: bytes) -> bytes:
    """The RSASSA-PKCS1-v1_5 SHA-256 signature of ``message`` (``key.size_bytes`` long)."""
    k = key.size_bytes
    m = int.from_bytes(_emsa_pkcs1_v15_sha256(message, k), "big")
    # CRT: s = m^d mod n computed as two half-size exponentiations.
    s1 = pow(m, key.dp, key.p)
    s2 = pow(m, key.dq, key.q)
    h = (key.qinv * (s1 - s2)) % key.p
    s = s2 + h * key.q
    if pow(s, key.e, key.n) != m:  # guards against a corrupt key (wrong dp/dq/qinv)
        raise KeyFormatError("RSA signature self-check failed: the key's CRT numbers are inconsistent")
    return s.to_bytes(k, "big")
