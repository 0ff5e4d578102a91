"""AWS credentials and region for Bedrock, without boto3.

Resolution order (first hit wins):

* region: ``aws_region_name=``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the ``region`` of the
  profile in the shared config file (``AWS_CONFIG_FILE`` or ``~/.aws/config``), the region in an
  ``https://bedrock-runtime.<region>.amazonaws.com`` api_base;
* credentials:

  1. ``aws_access_key_id=`` + ``aws_secret_access_key=`` (+ ``aws_session_token=``) -> SigV4;
  2. ``aws_profile_name=``: that profile of the shared credentials file -> SigV4;
  3. a Bedrock API key: ``api_key=`` or ``AWS_BEARER_TOKEN_BEDROCK`` -> ``Authorization: Bearer``;
  4. ``AWS_ACCESS_KEY_ID`` + ``AWS_SECRET_ACCESS_KEY`` (+ ``AWS_SESSION_TOKEN``) -> SigV4;
  5. the shared credentials file (``AWS_SHARED_CREDENTIALS_FILE`` or ``~/.aws/credentials``),
     profile ``AWS_PROFILE`` or ``default``; then the same profile in the config file -> SigV4.

Nothing found -> :class:`AuthenticationError` naming what to set, before any request is sent.
This module is run by ``auth.fetch_credentials`` in the send step of each attempt (it may read
files; ``config.resolve_config`` and the adapters never do).
"""

from __future__ import annotations

import configparser
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from ..exceptions import AuthenticationError, BadRequestError, register_secret

__all__ = ["AwsCredentials", "resolve_aws_credentials", "AWS_KWARGS"]

#: Keyword arguments of completion() consumed here.
AWS_KWARGS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_region_name",
    "aws_profile_name",
    "aws_bedrock_runtime_endpoint",
)

_ENDPOINT_RE = re.compile(r"^https?://bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com", re.I)


@dataclass(frozen=True)
class AwsCredentials:
    """Resolved AWS authentication: SigV4 keys, or a Bedrock API key (``bearer_token``).

    ``repr()`` shows the access key id's last 4 characters and never a secret.
    """

    region: str
    access_key_id: Optional[str] = None
    secret_access_key: Optional[str] = None
    session_token: Optional[str] = None
    bearer_token: Optional[str] = None
    source: str = ""

    @property
    def is_bearer(self) -> bool:
        return self.bearer_token is not None

    def __repr__(self) -> str:
        if self.bearer_token is not None:
            what = "bearer_token='***'"
        else:
            key = self.access_key_id or ""
            what = "access_key_id='...%s', secret_access_key='***'%s" % (
                key[-4:],
                ", session_token='***'" if self.session_token else "",
            )
        return "AwsCredentials(region=%r, %s, source=%r)" % (self.region, what, self.source)

    __str__ = __repr__


def _clean(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _home(environ: Mapping[str, str]) -> str:
    return environ.get("HOME") or environ.get("USERPROFILE") or os.path.expanduser("~")


def _read_ini(path: str) -> Optional[configparser.RawConfigParser]:
    if not path or not os.path.isfile(path):
        return None
    parser = configparser.RawConfigParser()
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise AuthenticationError(
            "cannot read AWS file %s: %s" % (path, type(exc).__name__), "bedrock"
        ) from exc
    return parser


def _section(parser: Optional[configparser.RawConfigParser], profile: str, config_file: bool) -> Dict[str, str]:
    """A profile's keys: ``[name]`` in the credentials file, ``[profile name]`` (or ``[default]``) in config."""
    if parser is None:
        return {}
    names = [profile]
    if config_file and profile != "default":
        names = ["profile " + profile, profile]
    for name in names:
        if parser.has_section(name):
            return {k.lower(): v.strip() for k, v in parser.items(name)}
    return {}


def _files(environ: Mapping[str, str]) -> Tuple[str, str]:
    home = _home(environ)
    creds = environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.join(home, ".aws", "credentials")
    config = environ.get("AWS_CONFIG_FILE") or os.path.join(home, ".aws", "config")
    return os.path.expanduser(creds), os.path.expanduser(config)


def _keys_from(section: Dict[str, str]) -> Optional[Tuple[str, str, Optional[str]]]:
    key = _clean(section.get("aws_access_key_id"))
    secret = _clean(section.get("aws_secret_access_key"))
    if key and secret:
        return key, secret, _clean(section.get("aws_session_token"))
    return None


_Keys = Tuple[str, str, Optional[str]]
_Ini = Callable[[str], Optional[configparser.RawConfigParser]]


def _apply_endpoint(config: Any, endpoint: Optional[str], environ: Mapping[str, str], provider: str, model: str) -> None:
    if not endpoint:
        return
    lowered = endpoint.lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        raise BadRequestError("aws_bedrock_runtime_endpoint must be an http:// or https:// URL", provider, model)
    # An explicit argument beats AWS_BEDROCK_RUNTIME_ENDPOINT, but not api_base=.
    if not config.api_base or config.api_base == _clean(environ.get("AWS_BEDROCK_RUNTIME_ENDPOINT")):
        config.api_base = endpoint


def _find_region(
    config: Any, args: Dict[str, Optional[str]], environ: Mapping[str, str], ini: _Ini, config_path: str, profile: str
) -> Optional[str]:
    region = args["aws_region_name"] or _clean(environ.get("AWS_REGION")) or _clean(environ.get("AWS_DEFAULT_REGION"))
    if not region:
        region = _clean(_section(ini(config_path), profile, True).get("region"))
    if not region and config.api_base:
        match = _ENDPOINT_RE.match(config.api_base)
        if match:
            region = match.group(1).lower()
    return region


def _profile_keys(ini: _Ini, creds_path: str, config_path: str, profile: str) -> Optional[_Keys]:
    return _keys_from(_section(ini(creds_path), profile, False)) or _keys_from(
        _section(ini(config_path), profile, True)
    )


def _find_keys(
    config: Any,
    args: Dict[str, Optional[str]],
    environ: Mapping[str, str],
    ini: _Ini,
    paths: Tuple[str, str],
    profile: str,
    where: Tuple[str, str],
) -> Tuple[Optional[_Keys], Optional[str], str]:
    """(keys, bearer token, source) in LiteLLM's order: arguments, a named profile, a Bedrock API key,
    the environment, the default profile."""
    provider, model = where
    creds_path, config_path = paths
    arg_key, arg_secret = args["aws_access_key_id"], args["aws_secret_access_key"]
    if arg_key or arg_secret:
        if not (arg_key and arg_secret):
            raise AuthenticationError(
                "pass both aws_access_key_id and aws_secret_access_key (only one was given)", provider, model
            )
        return (arg_key, arg_secret, args["aws_session_token"]), None, "arguments"
    profile_arg = args["aws_profile_name"]
    if profile_arg:
        keys = _profile_keys(ini, creds_path, config_path, profile_arg)
        if keys is None:
            raise AuthenticationError(
                "AWS profile %r has no aws_access_key_id/aws_secret_access_key in %s or %s"
                % (profile_arg, creds_path, config_path),
                provider,
                model,
            )
        return keys, None, "profile:" + profile_arg
    bearer = _clean(getattr(config, "api_key", None)) or _clean(environ.get("AWS_BEARER_TOKEN_BEDROCK"))
    if bearer:
        return None, bearer, "bearer"
    env_key = _clean(environ.get("AWS_ACCESS_KEY_ID"))
    env_secret = _clean(environ.get("AWS_SECRET_ACCESS_KEY"))
    if env_key and env_secret:
        return (env_key, env_secret, _clean(environ.get("AWS_SESSION_TOKEN"))), None, "environment"
    keys = _profile_keys(ini, creds_path, config_path, profile)
    return keys, None, ("profile:" + profile if keys is not None else "")


def resolve_aws_credentials(config: Any, kwargs: Dict[str, Any], environ: Mapping[str, str]) -> None:
    """Fill ``config.credentials`` (:class:`AwsCredentials`), ``config.options["region"]`` and
    ``config.api_base`` (when empty); pops the ``aws_*`` keyword arguments from ``kwargs``."""
    provider = getattr(config, "provider", "bedrock") or "bedrock"
    model = getattr(config, "model", "") or ""
    args = {name: _clean(kwargs.pop(name, None)) for name in AWS_KWARGS}
    assume = [name for name in ("aws_role_name", "aws_web_identity_token") if kwargs.get(name)]
    if assume:
        raise AuthenticationError(
            "%s (STS AssumeRole / web identity) is not supported by litellm_lite: pass aws_access_key_id/"
            "aws_secret_access_key (and aws_session_token), a profile, or a Bedrock API key" % " and ".join(assume),
            provider,
            model,
        )
    _apply_endpoint(config, args["aws_bedrock_runtime_endpoint"], environ, provider, model)

    creds_path, config_path = _files(environ)
    profile = args["aws_profile_name"] or _clean(environ.get("AWS_PROFILE")) or "default"
    cache: Dict[str, Optional[configparser.RawConfigParser]] = {}

    def ini(path: str) -> Optional[configparser.RawConfigParser]:
        if path not in cache:
            cache[path] = _read_ini(path)
        return cache[path]

    region = _find_region(config, args, environ, ini, config_path, profile)
    keys, bearer, source = _find_keys(config, args, environ, ini, (creds_path, config_path), profile, (provider, model))

    if keys is None and bearer is None:
        raise AuthenticationError(
            "no AWS credentials for Bedrock: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
            "AWS_SESSION_TOKEN for temporary credentials), pass aws_access_key_id=/aws_secret_access_key=, "
            "use a profile in ~/.aws/credentials (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE), or set a "
            "Bedrock API key in AWS_BEARER_TOKEN_BEDROCK",
            provider,
            model,
        )
    if not region:
        raise BadRequestError(
            "no AWS region for Bedrock: pass aws_region_name=... or set AWS_REGION or AWS_DEFAULT_REGION",
            provider,
            model,
        )

    if keys is not None:
        register_secret(keys[1])
        register_secret(keys[2])
        credentials = AwsCredentials(
            region=region, access_key_id=keys[0], secret_access_key=keys[1], session_token=keys[2], source=source
        )
    else:
        register_secret(bearer)
        credentials = AwsCredentials(region=region, bearer_token=bearer, source=source)

    config.credentials = credentials
    config.options["region"] = region
    if not config.api_base:
        config.api_base = "https://bedrock-runtime.%s.amazonaws.com" % region
