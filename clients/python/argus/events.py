"""Events as ``POST /api/events`` takes them: one flat JSON object, the envelope (``type``, ``event_id``,
``batch_id``, ``ts``, ``producer``) and the payload's fields side by side (docs/api.md, "Event format").

The event id is chosen here, once: every re-send (from the spool, by this or a later process) carries the same id,
which is what makes the fold apply it once.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
import os
import re
import socket
import threading
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional

Event = Dict[str, Any]

_ISO = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})\Z")
MAX_MESSAGE_CHARS = 4000


class _EventIds:
    """Random (version 4) UUIDs, 256 per ``os.urandom`` call: ids are made on every progress() call. The buffer is
    dropped in a forked child, which must never hand out its parent's ids."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._offset = 0
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._reset)

    def next(self) -> str:
        with self._lock:
            if self._offset >= len(self._buffer):
                self._buffer = os.urandom(16 * 256)
                self._offset = 0
            raw = self._buffer[self._offset:self._offset + 16]
            self._offset += 16
        return str(uuid.UUID(bytes=raw, version=4))

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._offset = 0


_IDS = _EventIds()
_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"), check_circular=False)


def new_event_id() -> str:
    return _IDS.next()


class EventFactory:
    """Wraps payloads into envelopes for one batch."""

    def __init__(self, batch_id: str, producer: str) -> None:
        self.batch_id = batch_id
        self.producer = producer

    def event(self, event_type: str, **fields: Any) -> Event:
        """A new event with a fresh id and the current time; fields that are None are left out."""
        event: Event = {
            "type": event_type,
            "event_id": _IDS.next(),
            "batch_id": self.batch_id,
            "ts": now_ts(),
            "producer": self.producer,
        }
        for name, value in fields.items():
            if value is not None:
                event[name] = value
        return event


def producer_name(launch_id: Optional[str] = None) -> str:
    """``host/pid/launch``: the launch id tells two runs of one process id apart in the history."""
    host = os.environ.get("HOSTNAME") or socket.gethostname() or "unknown-host"
    return "%s/%d/%s" % (host, os.getpid(), launch_id or uuid.uuid4().hex[:8])


def now() -> _dt.datetime:
    """Now in UTC, truncated to milliseconds: the log keeps milliseconds, so what comes back compares equal."""
    t = _dt.datetime.now(_dt.timezone.utc)
    return t.replace(microsecond=t.microsecond - t.microsecond % 1000)


_SECOND: List[Any] = [-1, ""]


def now_ts() -> str:
    """Now as :func:`format_ts` writes it, without building a datetime (the seconds part is cached)."""
    nanos = time.time_ns()
    second, millis = divmod(nanos // 1_000_000, 1000)
    cached = _SECOND
    if cached[0] != second:
        cached = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
        _SECOND[:] = cached
    return "%s.%03dZ" % (cached[1], millis)


def format_ts(t: _dt.datetime) -> str:
    """ISO-8601 UTC with milliseconds: ``2026-11-23T12:46:11.686Z``."""
    t = t.astimezone(_dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def parse_ts(text: object) -> Optional[_dt.datetime]:
    """An ISO-8601 time as the service writes it (``...Z``, 0 to 9 fraction digits); None when it is not one."""
    if not isinstance(text, str):
        return None
    match = _ISO.match(text.strip())
    if not match:
        return None
    base, fraction, zone = match.groups()
    micros = int((fraction or "0").ljust(6, "0")[:6])
    offset = "+00:00" if zone == "Z" else zone
    try:
        parsed = _dt.datetime.fromisoformat(base + offset)
    except ValueError:
        return None
    return parsed.replace(microsecond=micros).astimezone(_dt.timezone.utc)


def metrics(values: Mapping[str, Any], what: str = "metrics") -> Dict[str, float]:
    """Metric names to finite floats. NaN and infinities are left out (JSON has none), as the Java SDK does."""
    out: Dict[str, float] = {}
    for name, value in values.items():
        if not isinstance(name, str) or not name:
            raise ValueError("%s names must be non-empty strings, got %r" % (what, name))
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError("%s value %s must be a number, got %r" % (what, name, value))
        number = float(value)
        if math.isfinite(number):
            out[name] = number
    return out


def strings(values: Mapping[str, Any], what: str) -> Dict[str, str]:
    """A string to string map (job params, batch labels); other values are written with ``str()``."""
    out: Dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(name, str) or not name:
            raise ValueError("%s names must be non-empty strings, got %r" % (what, name))
        if value is None:
            raise ValueError("%s %s must not be None" % (what, name))
        out[name] = value if isinstance(value, str) else str(value)
    return out


def result_json(result: Any) -> Optional[str]:
    """The ``result`` document of a job_done: a str must already be JSON; anything else is serialised."""
    if result is None:
        return None
    if isinstance(result, str):
        try:
            json.loads(result)
        except ValueError as e:
            raise ValueError("result is a str but not JSON (%s); pass the object to have it serialised" % e) from None
        return result
    try:
        return json.dumps(result, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise ValueError("result cannot be written as JSON: %s" % e) from None


def message_text(message: Optional[str]) -> str:
    """A failure message, cut to 4,000 characters like the Java SDK's."""
    text = "" if message is None else str(message)
    return text[:MAX_MESSAGE_CHARS] + "..." if len(text) > MAX_MESSAGE_CHARS else text


def error_type_of(error: BaseException) -> str:
    """The qualified class name of an exception (``ValueError``, ``torch.cuda.OutOfMemoryError``)."""
    cls = type(error)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "__main__") else module + "." + cls.__qualname__


def encode(event: Mapping[str, Any]) -> bytes:
    """One event as one line of NDJSON (ASCII, so no raw newline can hide in it), without the newline."""
    return _ENCODER.encode(event).encode("ascii")
