"""The exceptions the SDK raises. Every one derives from :class:`ArgusError`."""

from __future__ import annotations

import json
from typing import Any, List, Mapping, Optional, Tuple


class ArgusError(Exception):
    """Base class of every error raised by the argus package."""


class ArgusUnavailableError(ArgusError):
    """Argus did not answer in time (down, unreachable, starting, or its fold lags behind).

    Raised only by calls that cannot answer without the service (``completed_jobs``, ``remaining``, the CLI);
    reporting never raises it: events go to the spool instead. ``retry_after`` is the server's ``Retry-After`` (in
    seconds) when its last answer was a 503 that named one.
    """

    def __init__(self, message: str, retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ArgusRequestError(ArgusError):
    """Argus refused a request with a 4xx status. Never retried: the same request would be refused again.

    ``status`` is the HTTP status, ``error`` the service's error code (``bad_request``, ``invalid_events``,
    ``unauthorized``, ...), ``detail`` its explanation and ``errors`` the per-event problems of an
    ``invalid_events`` answer (each with ``index``, ``field``, ``reason``).
    """

    def __init__(self, method: str, url: str, status: int, body: bytes,
                 note: Optional[str] = None) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.body = body.decode("utf-8", "replace")
        self.error, self.detail, self.errors = _read_error_body(self.body)
        reason = self.detail or self.body.strip()[:500] or "(no body)"
        if self.errors:
            reason += "; " + "; ".join(_describe(e) for e in self.errors[:10])
        code = "" if self.error is None else " " + self.error
        message = "%s %s answered %d%s: %s" % (method, url, status, code, reason)
        if note:
            message += " (" + note + ")"
        super().__init__(message)


class RejectedEventError(ArgusRequestError):
    """Argus refused one event for good (400 ``invalid_events`` or 413): it is dropped, not spooled."""


class SpoolError(ArgusError):
    """The local spool cannot be opened or written."""


class SpoolFullError(SpoolError):
    """An event would take the spool past its cap (``spool_max_bytes`` / ``ARGUS_SPOOL_MAX_BYTES``)."""


class SpoolLockedError(SpoolError):
    """Another process (or another Reporter in this one) owns the spool directory."""


class ReporterClosedError(ArgusError):
    """A call on a Reporter (or one of its job scopes) after the Reporter was closed."""


def _read_error_body(body: str) -> Tuple[Optional[str], Optional[str], List[Mapping[str, Any]]]:
    """The ``error`` code, ``detail`` and ``errors`` of an Argus error answer (``{"error": ..., "detail": ...}``)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None, None, []
    if not isinstance(parsed, dict):
        return None, None, []
    code = parsed.get("error")
    detail = parsed.get("detail")
    errors = parsed.get("errors")
    return (code if isinstance(code, str) else None, detail if isinstance(detail, str) else None,
            [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [])


def _describe(problem: Mapping[str, Any]) -> str:
    return "event %s field %s: %s" % (problem.get("index"), problem.get("field") or "-", problem.get("reason"))
