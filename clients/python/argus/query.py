"""The reads of the Argus HTTP API the SDK and the command line make (docs/api.md): batch views, jobs, restart
decisions and the event history. A 503 or an unreachable service is retried until the call's deadline; a 404 is
``None``; another 4xx raises :class:`ArgusRequestError` with the service's reason.
"""

from __future__ import annotations

import datetime as _dt
import time
import urllib.parse
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional

from . import events
from .errors import ArgusUnavailableError
from .httpclient import HttpClient, quote_segment

JsonObject = Dict[str, Any]
POLL_INTERVAL = 0.1
# The service's longest wait for an attribution (GET .../decision?wait_ms=).
MAX_DECISION_WAIT = 30.0


class QueryClient:
    def __init__(self, client: HttpClient, timeout: float = 30.0) -> None:
        self.http = client
        self.timeout = timeout

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def batch(self, batch_id: str, *, deadline: Optional[float] = None) -> Optional[JsonObject]:
        """The batch view; None when Argus does not know the batch."""
        return self.http.get_json(_batch_path(batch_id), deadline=self._deadline(deadline))

    def batches(self, *, status: Optional[str] = None, project: Optional[str] = None,
                limit: Optional[int] = None) -> Iterator[JsonObject]:
        """Every batch, newest first, page after page."""
        cursor: Optional[str] = None
        while True:
            page = self.http.get_json("/api/batches" + _query(status=status, project=project, limit=limit,
                                                              cursor=cursor), deadline=self._deadline(None))
            if page is None:
                return
            yield from page.get("batches") or []
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def jobs(self, batch_id: str, *, status: Optional[str] = None,
             deadline: Optional[float] = None) -> Optional[List[JsonObject]]:
        """The batch's jobs (``job_id``, ``status``, ``attempt``, ...); None when Argus does not know the batch."""
        return self.http.get_json(_batch_path(batch_id) + "/jobs" + _query(status=status),
                                  deadline=self._deadline(deadline))

    def job(self, batch_id: str, job_id: str) -> Optional[JsonObject]:
        """One job with its failures, decisions and history; None when unknown."""
        return self.http.get_json(_batch_path(batch_id) + "/jobs/" + quote_segment(job_id),
                                  deadline=self._deadline(None))

    def decision(self, batch_id: str, job_id: str, attempt: int, wait: float) -> Optional[JsonObject]:
        """RESTART or STOP for a failed attempt; Argus itself waits for an attribution up to ``wait`` less a margin
        (a fifth, 0.1 to 1 s), so that its answer arrives within ``wait``. None when the batch is unknown."""
        wait = max(wait, 0.001)
        margin = min(1.0, max(0.1, wait / 5))
        server_wait = min(MAX_DECISION_WAIT, max(0.0, wait - margin))
        path = "%s/jobs/%s/decision%s" % (_batch_path(batch_id), quote_segment(job_id),
                                          _query(attempt=attempt, wait_ms=int(server_wait * 1000)))
        return self.http.get_json(path, deadline=time.monotonic() + wait, timeout=wait)

    def events(self, batch_id: str, *, page_size: int = 1000) -> Iterator[JsonObject]:
        """The batch's event history, oldest first, every page (``event_id``, ``type``, ``effect``, ...)."""
        cursor: Optional[str] = None
        while True:
            page = self.http.get_json(_batch_path(batch_id) + "/events" + _query(limit=page_size, cursor=cursor),
                                      deadline=self._deadline(None))
            if page is None:
                return
            yield from page.get("events") or []
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def wait_for_launch(self, batch_id: str, launch_ts: _dt.datetime, *, undelivered: Callable[[], int],
                        timeout: Optional[float] = None) -> List[JsonObject]:
        """The batch's jobs, read once Argus shows this launch's own batch_start (as the batch's ``start_time``,
        ``last_resumed_at`` or ``last_ignored_relaunch_at``).

        A batch's events share one partition, in order, so once that start is folded, so is everything published
        before it, including the last ``job_done`` of a process killed a moment earlier. Reading earlier could run
        a done job twice.

        :raises ArgusUnavailableError: when that does not happen within ``timeout``
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            view = self._until(deadline, lambda d: self.batch(batch_id, deadline=d), batch_id, limit, undelivered)
            if sees_launch(view, launch_ts):
                break
            if time.monotonic() + POLL_INTERVAL >= deadline:
                raise _not_folded(self.base_url, batch_id, limit, undelivered())
            time.sleep(POLL_INTERVAL)
        jobs = self._until(deadline, lambda d: self.jobs(batch_id, deadline=d), batch_id, limit, undelivered)
        if not isinstance(jobs, list):
            raise ArgusUnavailableError("Argus at %s lists no jobs for batch %s although it knows the batch"
                                        % (self.base_url, batch_id))
        return [job for job in jobs if isinstance(job, dict)]

    def _until(self, deadline: float, read: Callable[[float], Any], batch_id: str, limit: float,
               undelivered: Callable[[], int]) -> Any:
        try:
            return read(deadline)
        except ArgusUnavailableError as e:
            if time.monotonic() < deadline:
                raise
            raise _not_folded(self.base_url, batch_id, limit, undelivered(), e) from e

    def _deadline(self, deadline: Optional[float]) -> float:
        return deadline if deadline is not None else time.monotonic() + self.timeout


def sees_launch(view: Optional[Mapping[str, Any]], launch_ts: _dt.datetime) -> bool:
    """True once the batch view shows this launch: as its first start, a resume, or an ignored relaunch."""
    if not view:
        return False
    return any(events.parse_ts(view.get(field)) == launch_ts
               for field in ("start_time", "last_resumed_at", "last_ignored_relaunch_at"))


def _not_folded(base_url: str, batch_id: str, limit: float, waiting: int,
                cause: Optional[Exception] = None) -> ArgusUnavailableError:
    message = "Argus at %s has not folded this launch's batch_start of %s within %.0f s" % (base_url, batch_id, limit)
    if waiting > 0:
        message += "; %d events of this Reporter are not delivered yet (is Argus reachable?)" % waiting
    else:
        message += "; is its fold running and caught up?"
    if cause is not None:
        message += " Last problem: %s" % cause
    return ArgusUnavailableError(message)


def _batch_path(batch_id: str) -> str:
    return "/api/batches/" + quote_segment(batch_id)


def _query(**params: Any) -> str:
    present = [(k, str(v)) for k, v in params.items() if v is not None]
    return "?" + urllib.parse.urlencode(present) if present else ""
