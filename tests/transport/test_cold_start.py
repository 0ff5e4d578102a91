"""Cold start: what the first call loads and builds (no timings here: see benchmarks/cold_start.py).

A fresh interpreter makes one plain-http call and reports which modules it loaded and whether any
TLS context or call-path regular expression was built; the TLS context itself is built once, on the
first https call, and reused.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import litellm_lite as litellm
from litellm_lite import _netconf
from litellm_lite._lazyre import LazyPattern
from litellm_lite._price_index import HEADER, parse_index
from litellm_lite.exceptions import APIConnectionError, redact
from tests.server import LoopbackServer, Reply

ROOT = Path(__file__).resolve().parents[2]
USER = [{"role": "user", "content": "hi"}]
OK = {
    "id": "c1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}

_CHILD = """
import json, ssl, sys
built = []
real = ssl.create_default_context
def counting(*args, **kwargs):
    built.append(1)
    return real(*args, **kwargs)
ssl.create_default_context = counting
import litellm_lite
from litellm_lite import exceptions, correlation
from litellm_lite.providers import _common
lazy = [p for p, _, _ in exceptions._SECRET_PATTERNS] + [correlation._TRACEPARENT, _common._DATA_URL]
for _ in range(2):
    r = litellm_lite.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                api_base=%r, api_key="sk-cold-start-test")
print(json.dumps({"content": r.choices[0].message.content, "tls_contexts": len(built),
                  "compiled": [p.pattern for p in lazy if p._compiled is not None],
                  "modules": sorted(sys.modules)}))
"""


def _child(base: str) -> Dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "LITELLM_LITE_MODEL_COST_MAP" and "PROXY" not in k.upper()}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-c", _CHILD % base], cwd=str(ROOT), env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result: Dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _stdlib_transport_modules() -> List[str]:
    """What ``import http.client, urllib.request, json`` loads in a fresh interpreter of this Python
    (CPython 3.8's urllib.request loads threading through bz2, for instance): not ours to avoid."""
    code = "import sys, json, http.client, urllib.request; print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded: List[str] = json.loads(proc.stdout)
    return loaded


def test_a_plain_http_call_loads_only_what_it_uses(server: LoopbackServer) -> None:
    server.add(Reply.json(OK), Reply.json(OK))
    seen = _child(server.url + "/v1")
    stdlib = set(_stdlib_transport_modules())
    assert seen["content"] == "ok"
    assert seen["tls_contexts"] == 0, "an http:// call must not build a TLS context"
    modules: List[str] = seen["modules"]
    # Loaded only by the calls that need them (not by a chat call): see README "Cold start".
    for name in ("litellm_lite.endpoint_types", "litellm_lite.types._stream", "litellm_lite.streaming", "uuid", "platform",
                 "litellm_lite.responses", "argparse", "logging", "typing",
                 "numbers", "litellm_lite._deadline", "litellm_lite.mock_calls", "litellm_lite.types._tools",
                 "litellm_lite.providers._rare", "litellm_lite.tracing", "threading"):
        if name not in stdlib:
            assert name not in modules, "%s was loaded by a plain chat call" % name
    # Secret patterns run on error messages and log lines, data URLs on images, traceparent on
    # incoming headers: none on a plain successful call.
    assert seen["compiled"] == [], "regular expressions compiled on a call that did not need them"


def test_a_client_call_loads_neither_typing_nor_logging(server: LoopbackServer) -> None:
    server.add(Reply.json(OK))
    code = (
        "import json, sys, litellm_lite\n"
        "c = litellm_lite.Client.from_env('openai', environ={}, api_key='k', api_base=%r)\n"
        "r = c.completion(model='gpt-4o-mini', messages=[{'role': 'user', 'content': 'hi'}])\n"
        "print(json.dumps([r.choices[0].message.content, 'typing' in sys.modules, 'logging' in sys.modules]))\n"
    ) % (server.url + "/v1")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    content, typing_loaded, logging_loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert content == "ok"
    assert "typing" in set(_stdlib_transport_modules()) or not typing_loaded
    assert "logging" in set(_stdlib_transport_modules()) or not logging_loaded


def test_the_tls_context_is_built_once_on_the_first_https_call(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: List[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        ctx = real(*args, **kwargs)
        built.append(ctx)
        return ctx

    monkeypatch.setattr(_netconf, "_tls_cache", {})
    monkeypatch.setattr(ssl, "create_default_context", counting)
    server.add(Reply.json(OK))
    r = litellm.completion(model="openai/gpt-4o-mini", messages=USER, api_base=server.url + "/v1", api_key="k")
    assert r.choices[0].message.content == "ok" and built == []
    https_base = server.url.replace("http://", "https://") + "/v1"  # the plain server fails the handshake
    for _ in range(3):
        with pytest.raises(APIConnectionError):
            litellm.completion(model="openai/gpt-4o-mini", messages=USER, api_base=https_base, api_key="k",
                               num_retries=0)
    assert len(built) == 1, "one TLS context for every https call with the same settings"
    assert list(_netconf._tls_cache.values()) == built


def test_lazy_pattern_compiles_once_and_answers_like_re() -> None:
    pattern = LazyPattern(r"(a+)(b?)", 0)
    assert pattern._compiled is None and pattern.pattern == r"(a+)(b?)"
    match = pattern.search("xaab")
    assert match is not None and match.groups() == ("aa", "b")
    compiled = pattern.compiled
    assert pattern.compiled is compiled
    assert pattern.match("aab") is not None and pattern.match("xa") is None
    assert pattern.fullmatch("aab") is not None and pattern.fullmatch("aabx") is None
    assert pattern.sub(r"<\1>", "aab-a") == "<aa>-<a>"
    assert pattern.subn("", "aab-a") == ("-", 2)
    assert pattern.split("xaay") == ["x", "aa", "", "y"]
    assert pattern.findall("ab-a") == [("a", "b"), ("a", "")]
    assert [m.group(0) for m in pattern.finditer("ab-a")] == ["ab", "a"]
    assert pattern.flags == compiled.flags
    assert "LazyPattern" in repr(pattern)


def test_redaction_still_hides_keys_with_lazy_patterns() -> None:
    text = redact("Authorization: Bearer abcdefghijkl and sk-1234567890abcdef and api_key=zzzzzzzzz")
    assert "abcdefghijkl" not in text and "sk-1234567890abcdef" not in text and "zzzzzzzzz" not in text


def _index(lines: List[str]) -> str:
    return HEADER + "digest\n" + "\n".join(lines) + "\n"


def test_price_index_lookups_do_not_build_the_key_table() -> None:
    index = parse_index(_index(["gpt-x\topenai\t10\t20", "Claude-Y\tanthropic\t40\t5", "", "gpt-x-2\t\t50\t6"]))
    assert index.find("gpt-x") == "gpt-x" and index.find("GPT-X") == "gpt-x"
    assert index.find("claude-y") == "Claude-Y" and index.find("gpt") is None and index.find("x\tgpt-x") is None
    assert index.provider("gpt-x") == "openai" and index.provider("gpt-x-2") is None and index.provider("none") is None
    assert index._rows is None, "single lookups must not parse every line"
    assert index.rows == {"gpt-x": ("openai", 10, 20), "Claude-Y": ("anthropic", 40, 5), "gpt-x-2": ("", 50, 6)}
    assert index.keys() == ["gpt-x", "Claude-Y", "gpt-x-2"]
    assert index.find("GPT-X-2") == "gpt-x-2"  # after the table exists, the table answers


def test_price_index_non_ascii_and_repeated_keys() -> None:
    index = parse_index(_index(["m\u00e9/\u00dc\tp\t1\t2", "dup\ta\t3\t4", "dup\tb\t5\t6"]))
    assert index.find("M\u00c9/\u00fc") == "m\u00e9/\u00dc"  # non-ASCII: folded through the table
    fresh = parse_index(_index(["dup\ta\t3\t4", "dup\tb\t5\t6"]))
    assert fresh.provider("dup") == "b" and fresh.find("DUP") == "dup"  # the last line wins, as in a dict
    assert fresh._rows is None and fresh.rows["dup"] == ("b", 5, 6)


_LOG_CHILD = """
import sys
from litellm_lite._log import logger
logger.debug("dropped %s", 1)
logger.info("dropped %s", 2)
assert "logging" not in sys.modules, "DEBUG/INFO must not import logging"
assert not logger.isEnabledFor(10) and not logger.isEnabledFor(20) and logger.isEnabledFor(30)
logger.warning("shown %s", 3)
import logging
real = logging.getLogger("litellm_lite")
assert any(type(f).__name__ == "CallIdFilter" for f in real.filters), "the call-id filter comes with the real logger"
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(litellm_call_id)s %(message)s")
logger.debug("now %s", 4)
print("done")
"""


def test_the_lazy_logger_drops_what_an_unconfigured_logger_drops_and_logs_the_rest() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LITELLM_LITE_LOG", None)
    proc = subprocess.run([sys.executable, "-c", _LOG_CHILD], cwd=str(ROOT), env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "done"
    assert "dropped" not in proc.stderr
    assert "shown 3" in proc.stderr  # logging's last-resort handler, as for the real unconfigured logger
    assert "DEBUG None now 4" in proc.stderr  # once configured, DEBUG goes through, with the call-id field
