"""AWS Signature Version 4 against AWS's published test-suite vectors (aws-sig-v4-test-suite).

Every vector: credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, region us-east-1,
service "service", time 20150830T123600Z. The raw request paths of the suite (``/ሴ``,
``/example space/``) are given here in their on-the-wire percent-encoded form and signed with
``double_encode=False`` (decode once, encode once), which is what the suite's canonical requests show.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any, List, Optional, Tuple

import pytest

from litellm_lite._sigv4 import (
    canonical_query,
    canonical_request,
    canonical_uri,
    sign_request,
    signing_key,
    string_to_sign,
)

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = datetime(2015, 8, 30, 12, 36, 0, tzinfo=timezone.utc)
HOST = "https://example.amazonaws.com"
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
STS_TOKEN = (
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YU"
    "uwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8Y"
    "QcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR"
    "/oLxBA=="
)

# (name, method, path+query, headers, body, session token, signed headers, signature)
VECTORS: List[Tuple[str, str, str, Any, bytes, Optional[str], str, str]] = [
    ("get-vanilla", "GET", "/", None, b"", None, "host;x-amz-date",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ("get-vanilla-query", "GET", "/", None, b"", None, "host;x-amz-date",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ("get-vanilla-empty-query-key", "GET", "/?Param1=value1", None, b"", None, "host;x-amz-date",
     "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
    ("get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", None, b"", None, "host;x-amz-date",
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ("get-vanilla-query-order-key", "GET", "/?Param1=value2&Param1=Value1", None, b"", None, "host;x-amz-date",
     "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
    ("get-vanilla-query-order-value", "GET", "/?Param1=value2&Param1=value1", None, b"", None, "host;x-amz-date",
     "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
    ("get-vanilla-query-unreserved", "GET",
     "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
     "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
     None, b"", None, "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
    ("get-vanilla-query-order-encoded", "GET", "/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1", None, b"", None,
     "host;x-amz-date", "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
    ("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", None, b"", None,
     "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
    ("get-utf8", "GET", "/%E1%88%B4", None, b"", None, "host;x-amz-date",
     "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
    ("get-space", "GET", "/example%20space/", None, b"", None, "host;x-amz-date",
     "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
    ("get-slashes-unnormalized", "GET", "//example//", None, b"", None, "host;x-amz-date",
     "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"),
    ("get-header-key-duplicate", "GET", "/",
     [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")], b"", None,
     "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
    ("get-header-value-order", "GET", "/",
     [("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2")],
     b"", None, "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
    ("get-header-value-trim", "GET", "/", {"My-Header1": " value1", "My-Header2": ' "a   b   c"'}, b"", None,
     "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
    ("post-vanilla", "POST", "/", None, b"", None, "host;x-amz-date",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ("post-vanilla-query", "POST", "/?Param1=value1", None, b"", None, "host;x-amz-date",
     "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
    ("post-header-key-case", "POST", "/", None, b"", None, "host;x-amz-date",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ("post-header-key-sort", "POST", "/", {"My-Header1": "value1"}, b"", None, "host;my-header1;x-amz-date",
     "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
    ("post-header-value-case", "POST", "/", {"My-Header1": "VALUE1"}, b"", None, "host;my-header1;x-amz-date",
     "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
    ("post-x-www-form-urlencoded", "POST", "/",
     {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "13"}, b"Param1=value1", None,
     "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ("post-sts-header-before", "POST", "/", None, b"", STS_TOKEN, "host;x-amz-date;x-amz-security-token",
     "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
]


def _sign(method: str, target: str, headers: Any, body: bytes, token: Optional[str] = None, **kw: Any) -> Any:
    kw.setdefault("double_encode", False)
    return sign_request(
        method, HOST + target, headers, body, access_key=AKID, secret_key=SECRET, session_token=token,
        region="us-east-1", service="service", now=WHEN, **kw
    )


@pytest.mark.parametrize("vector", VECTORS, ids=[v[0] for v in VECTORS])
def test_published_vectors(vector: Tuple[str, str, str, Any, bytes, Optional[str], str, str]) -> None:
    _name, method, target, headers, body, token, signed, signature = vector
    added = _sign(method, target, headers, body, token)
    assert added["x-amz-date"] == "20150830T123600Z"
    assert added["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=%s, Signature=%s" % (signed, signature)
    )
    if token:
        assert added["x-amz-security-token"] == token
    else:
        assert "x-amz-security-token" not in added


def test_vectors_without_percent_sign_agree_under_double_encoding() -> None:
    # get-vanilla, the query vectors and the header vectors have nothing to encode twice.
    for name, method, target, headers, body, token, _signed, signature in VECTORS:
        if "%" in target.split("?")[0]:
            continue
        added = _sign(method, target, headers, body, token, double_encode=True)
        assert added["authorization"].endswith("Signature=" + signature), name


def test_get_vanilla_canonical_request_and_string_to_sign() -> None:
    canonical, signed = canonical_request(
        "GET", HOST + "/", [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")], EMPTY_SHA
    )
    assert canonical == (
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_SHA
    )
    assert signed == "host;x-amz-date"
    sts = string_to_sign(canonical, "20150830T123600Z", "20150830/us-east-1/service/aws4_request")
    assert sts == (
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
    )


def test_header_key_duplicate_canonical_request() -> None:
    canonical, _ = canonical_request(
        "GET",
        HOST + "/",
        [("Host", "example.amazonaws.com"), ("My-Header1", "value2"), ("My-Header1", "value2"),
         ("My-Header1", "value1"), ("X-Amz-Date", "20150830T123600Z")],
        EMPTY_SHA,
    )
    assert "\nmy-header1:value2,value2,value1\n" in canonical
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"
    )


def test_signing_key_matches_the_documented_example() -> None:
    # AWS documentation, "examples of how to derive a signing key": 20120215 / us-east-1 / iam.
    key = signing_key(SECRET, "20120215", "us-east-1", "iam")
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_canonical_uri_double_encodes_each_segment_for_non_s3_services() -> None:
    assert canonical_uri("/model/us.amazon.nova-micro-v1%3A0/converse") == "/model/us.amazon.nova-micro-v1%253A0/converse"
    assert canonical_uri("/model/us.amazon.nova-micro-v1%3A0/converse", double_encode=False) == (
        "/model/us.amazon.nova-micro-v1%3A0/converse"
    )
    arn = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.x/converse-stream"
    assert canonical_uri(arn) == (
        "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123%253Ainference-profile%252Fus.x/converse-stream"
    )
    assert canonical_uri("") == "/"
    assert canonical_uri("/") == "/"
    assert canonical_uri("//a//") == "//a//"


def test_canonical_query_sorts_and_encodes() -> None:
    assert canonical_query("") == ""
    assert canonical_query("b=2&a=x%20y&a=1") == "a=1&a=x%20y&b=2"
    assert canonical_query("flag") == "flag="
    assert canonical_query("k=a+b") == "k=a%2Bb"  # '+' is a literal plus in SigV4, not a space


def test_bedrock_request_canonical_form_is_double_encoded() -> None:
    url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse"
    canonical, signed = canonical_request(
        "POST", url, [("content-type", "application/json"), ("host", "bedrock-runtime.us-east-1.amazonaws.com")],
        EMPTY_SHA,
    )
    assert canonical.split("\n")[1] == "/model/us.amazon.nova-micro-v1%253A0/converse"
    assert signed == "content-type;host"


def test_host_port_and_unsigned_headers() -> None:
    added = sign_request(
        "POST", "http://127.0.0.1:8123/x", {"User-Agent": "ua", "Content-Length": "2", "Accept": "*/*"}, b"{}",
        access_key=AKID, secret_key=SECRET, region="eu-west-1", service="bedrock", now=WHEN,
    )
    assert "SignedHeaders=accept;host;x-amz-date," in added["authorization"]
    assert "/20150830/eu-west-1/bedrock/aws4_request" in added["authorization"]
    # Default ports are left out of the host, as HTTP clients send it.
    a = _sign("GET", "/", None, b"")
    b = sign_request("GET", "https://example.amazonaws.com:443/", None, b"", access_key=AKID, secret_key=SECRET,
                     region="us-east-1", service="service", now=WHEN)
    assert a["authorization"] == b["authorization"]


def test_previous_signature_headers_are_ignored_and_time_matters() -> None:
    first = _sign("GET", "/", {"Authorization": "old", "X-Amz-Date": "19990101T000000Z"}, b"")
    assert first["authorization"].endswith("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    later = sign_request("GET", HOST + "/", None, b"", access_key=AKID, secret_key=SECRET, region="us-east-1",
                         service="service", now=WHEN + timedelta(seconds=1))
    assert later["x-amz-date"] == "20150830T123601Z"
    assert later["authorization"] != first["authorization"]


def test_naive_and_offset_datetimes_are_utc() -> None:
    naive = sign_request("GET", HOST + "/", None, b"", access_key=AKID, secret_key=SECRET, region="us-east-1",
                         service="service", now=datetime(2015, 8, 30, 12, 36, 0))
    offset = sign_request("GET", HOST + "/", None, b"", access_key=AKID, secret_key=SECRET, region="us-east-1",
                          service="service", now=datetime(2015, 8, 30, 14, 36, 0, tzinfo=timezone(timedelta(hours=2))))
    assert naive == offset
    assert naive["authorization"].endswith("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")


def test_content_sha256_header_is_signed_when_asked() -> None:
    added = _sign("POST", "/", None, b"Param1=value1", add_content_sha256=True)
    assert added["x-amz-content-sha256"] == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
    assert "SignedHeaders=host;x-amz-content-sha256;x-amz-date," in added["authorization"]


def test_secret_never_appears_in_the_output() -> None:
    added = _sign("POST", "/", {"a": "b"}, b"x", STS_TOKEN)
    assert all(SECRET not in value for value in added.values())
