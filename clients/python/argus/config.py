"""Settings: an explicit argument wins, then the environment, then the default (README, "Options")."""

from __future__ import annotations

import os
from typing import Mapping, Optional

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_SPOOL_DIR = ".argus-spool"
DEFAULT_DONE_TIMEOUT = 10.0
DEFAULT_CLOSE_TIMEOUT = 30.0
DEFAULT_QUERY_TIMEOUT = 30.0
DEFAULT_HEARTBEAT_INTERVAL = 30.0
DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024


def url(explicit: Optional[str], env: Optional[Mapping[str, str]] = None) -> str:
    """``url=``, else ``ARGUS_URL``, else ``ARGUS_QUERY_URL`` (the Java SDK's name), else the local default."""
    environment = os.environ if env is None else env
    return explicit or environment.get("ARGUS_URL") or environment.get("ARGUS_QUERY_URL") or DEFAULT_URL


def token(explicit: Optional[str], env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    environment = os.environ if env is None else env
    return explicit or environment.get("ARGUS_API_TOKEN") or None


def spool_dir(explicit: Optional[str], env: Optional[Mapping[str, str]] = None) -> str:
    environment = os.environ if env is None else env
    return explicit or environment.get("ARGUS_SPOOL_DIR") or DEFAULT_SPOOL_DIR


def seconds(explicit: Optional[float], variable: str, default: float,
            env: Optional[Mapping[str, str]] = None) -> float:
    """A duration in seconds: ``explicit``, else the variable (in milliseconds, like the Java SDK's), else the
    default."""
    if explicit is not None:
        value = float(explicit)
    else:
        raw = (os.environ if env is None else env).get(variable)
        value = default if raw is None or not raw.strip() else _number(variable, raw) / 1000.0
    if value < 0:
        raise ValueError("%s must be >= 0, got %r" % (variable, value))
    return value


def integer(explicit: Optional[int], variable: str, default: int, env: Optional[Mapping[str, str]] = None) -> int:
    if explicit is not None:
        return int(explicit)
    raw = (os.environ if env is None else env).get(variable)
    return default if raw is None or not raw.strip() else int(_number(variable, raw))


def _number(variable: str, raw: str) -> float:
    try:
        return float(raw.strip())
    except ValueError:
        raise ValueError("%s must be a number, got %r" % (variable, raw)) from None
