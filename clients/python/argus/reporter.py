"""The Reporter: what a launcher embeds to tell Argus about one batch of jobs (see README.md)."""

from __future__ import annotations

import logging
import os
import re
import shlex
import sys
import threading
from types import TracebackType
from typing import (Any, Callable, Iterable, List, Mapping, Optional, Set, Type, TypeVar)

from . import config, events
from .batch_ids import DEFAULT_PREFIX, derive_batch_id, git_sha_of
from .decision import Decision, RunResult, RunStatus, Verdict
from .delivery import EventPoster
from .errors import (ArgusError, ArgusRequestError, ArgusUnavailableError, ReporterClosedError)
from .heartbeat import Heartbeats
from .httpclient import HttpClient
from .job import JobScope
from .ledger import DONE, JobLedger
from .outbox import Outbox, Outcome
from .query import QueryClient
from .spool import Spool

T = TypeVar("T")
EventHook = Callable[[Mapping[str, Any]], None]

# The backend's restart budget when a batch does not name one (streams-app rule 11).
DEFAULT_MAX_RESTARTS = 3
# The id names the spool directory too: no separators, no "..".
_BATCH_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}\Z")
_LOG = logging.getLogger("argus")


class Reporter:
    """Reports one batch to Argus. A context manager: entering publishes ``batch_start`` (re-sending first what an
    earlier Reporter left in the spool) and starts the heartbeats; a normal exit publishes ``batch_done`` when the
    batch is over (``failed`` if some job's last attempt failed, ``done`` if every planned job is done, else
    nothing); an exception leaves it open to be resumed. Thread-safe: jobs may run in parallel threads.

    Every argument is keyword-only; README.md lists them with their environment variables and defaults.
    """

    def __init__(self, *, source_project: str, experiment_type: str, n_total: int,
                 batch_id: Optional[str] = None, resume_from: Optional[str] = None,
                 batch_prefix: str = DEFAULT_PREFIX, command: Optional[str] = None, git_sha: Optional[str] = None,
                 max_restarts: Optional[int] = None, labels: Optional[Mapping[str, Any]] = None,
                 url: Optional[str] = None, token: Optional[str] = None, spool_dir: Optional[str] = None,
                 done_timeout: Optional[float] = None, close_timeout: Optional[float] = None,
                 query_timeout: Optional[float] = None, heartbeat_interval: Optional[float] = None,
                 spool_max_bytes: Optional[int] = None, on_event: Optional[EventHook] = None) -> None:
        _require_text(source_project, "source_project")
        _require_text(experiment_type, "experiment_type")
        if isinstance(n_total, bool) or not isinstance(n_total, int) or n_total < 0:
            raise ValueError("n_total (the number of planned jobs) must be an int >= 0, got %r" % (n_total,))
        if max_restarts is not None and (isinstance(max_restarts, bool) or not isinstance(max_restarts, int)
                                         or max_restarts < 0):
            raise ValueError("max_restarts must be an int >= 0, got %r" % (max_restarts,))
        self._source_project = source_project
        self._experiment_type = experiment_type
        self._n_total = n_total
        self._max_restarts = max_restarts
        self._labels = events.strings(labels or {}, "labels")
        self._command = command if command is not None else _command_line()
        self._git_sha = git_sha if git_sha is not None else git_sha_of()
        self._batch_id = _resolve_batch_id(batch_id, resume_from, source_project, experiment_type, self._git_sha,
                                           batch_prefix)
        self._url = config.url(url)
        self._token = config.token(token)
        self._spool_root = config.spool_dir(spool_dir)
        self._done_timeout = config.seconds(done_timeout, "ARGUS_DONE_TIMEOUT_MS", config.DEFAULT_DONE_TIMEOUT)
        self._close_timeout = config.seconds(close_timeout, "ARGUS_CLOSE_TIMEOUT_MS", config.DEFAULT_CLOSE_TIMEOUT)
        self._query_timeout = config.seconds(query_timeout, "ARGUS_QUERY_TIMEOUT_MS", config.DEFAULT_QUERY_TIMEOUT)
        self._heartbeat_interval = config.seconds(heartbeat_interval, "ARGUS_HEARTBEAT_INTERVAL_MS",
                                                  config.DEFAULT_HEARTBEAT_INTERVAL)
        self._spool_max_bytes = config.integer(spool_max_bytes, "ARGUS_SPOOL_MAX_BYTES",
                                               config.DEFAULT_SPOOL_MAX_BYTES)
        self._on_event = on_event
        self._http = HttpClient(self._url, self._token)
        self._query = QueryClient(self._http, self._query_timeout)
        self._events = events.EventFactory(self._batch_id, events.producer_name())
        self._ledger = JobLedger()
        self._lock = threading.Lock()
        self._backend_lock = threading.Lock()
        self._backend_unreadable = False
        self._state = "new"
        self._outbox: Optional[Outbox] = None
        self._heartbeats: Optional[Heartbeats] = None
        self._launch_ts = events.now()

    # -- life cycle --------------------------------------------------------------------------------------------

    @property
    def batch_id(self) -> str:
        return self._batch_id

    @property
    def url(self) -> str:
        return self._url

    @property
    def restart_budget(self) -> int:
        """Attempts allowed per job in all, as this Reporter's batch_start declares: ``max_restarts + 1``."""
        return (self._max_restarts if self._max_restarts is not None else DEFAULT_MAX_RESTARTS) + 1

    def open(self) -> "Reporter":
        """Opens the spool (re-sending first what an earlier Reporter left in it), publishes ``batch_start`` (it
        returns once Argus or the spool has it) and starts the heartbeats. ``with Reporter(...)`` calls it."""
        with self._lock:
            if self._state != "new":
                raise RuntimeError("a Reporter opens once; this one is %s" % self._state)
            self._state = "opening"
        try:
            spool = Spool.open(os.path.join(self._spool_root, self._batch_id), self._spool_max_bytes)
        except BaseException:
            self._abandon()
            raise
        self._outbox = Outbox(EventPoster(self._http), spool, self._done_timeout, self._batch_id,
                              on_event=self._on_event)
        start = self._events.event(
            "batch_start", source_project=self._source_project, experiment_type=self._experiment_type,
            n_total=self._n_total, command=self._command, git_sha=self._git_sha, max_restarts=self._max_restarts,
            labels=self._labels)
        self._launch_ts = events.parse_ts(start["ts"]) or self._launch_ts
        try:
            refused = self._publish_durably(start)
        except BaseException:
            self._abandon()
            raise
        if refused is not None:
            self._abandon()
            raise refused
        with self._lock:
            self._state = "open"
        self._heartbeats = Heartbeats(self._heartbeat_interval, self._beat, self._batch_id)
        _LOG.info("Reporting batch %s (%d jobs planned) to %s", self._batch_id, self._n_total, self._url)
        return self

    def close(self) -> None:
        """Publishes ``batch_done`` when the batch is over (``failed`` when some job's last attempt failed,
        ``done`` when every planned job is done, nothing when jobs are left), durably like ``done()``; then tries
        for up to ``close_timeout`` to deliver what is left. The rest stays in the spool for the next Reporter."""
        self._shutdown(final=True)

    def __enter__(self) -> "Reporter":
        return self.open()

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        # On an exception nothing final is published: the batch stays resumable.
        self._shutdown(final=exc is None)

    # -- jobs --------------------------------------------------------------------------------------------------

    def job(self, job_id: str, **params: Any) -> JobScope:
        """Opens a scope for the next attempt of a job and publishes its ``job_start``. The attempt continues this
        process's count for the job, else Argus's (its attempt + 1, read once per Reporter), else 1. Params are
        strings (other values are written with ``str()``)."""
        _require_text(job_id, "job_id")
        values = events.strings(params, "params")
        self._ensure_open()
        attempt = self._ledger.claim_next(job_id)
        if attempt is None:
            known = self._backend_job(job_id)
            if known is not None and known.status == DONE:
                _LOG.warning("Job %s of batch %s is already done; Argus will record this new start as ignored",
                             job_id, self._batch_id)
            attempt = self._ledger.claim_new(job_id, known.attempt + 1 if known is not None else 1)
        self._publish(self._events.event("job_start", job_id=job_id, attempt=attempt, params=values))
        return JobScope(self, job_id, attempt)

    def run(self, job_id: str, fn: Callable[[JobScope], T], *, decision_wait: float = 10.0,
            **params: Any) -> RunResult:
        """Runs ``fn(job)`` until the job is done or Argus says stop: each failed attempt (an exception) is
        reported, then Argus is asked for the restart decision (waiting up to ``decision_wait`` seconds), and a
        RESTART runs the next attempt, never more than the restart budget. A function that returns without
        reporting is done. Exceptions that are not ``Exception`` (KeyboardInterrupt, SystemExit) are reported and
        re-raised, never restarted."""
        while True:
            job = self.job(job_id, **params)
            value: Any = None
            error: Optional[BaseException] = None
            with job:
                try:
                    value = fn(job)
                    if not job.finished:
                        job.done()
                except Exception as e:
                    if not job.finished:
                        job.failed(e)
                    error = e
            if job.status == DONE:
                return RunResult(job_id, RunStatus.DONE, job.attempt, value=value, error=error)
            decision = self.decide(job_id, job.attempt, wait=decision_wait)
            if not decision.restart:
                _LOG.info("Job %s attempt %d failed; stopping it: %s", job_id, job.attempt, decision.reason)
                return RunResult(job_id, RunStatus.STOPPED, job.attempt, decision=decision, error=error)
            if job.attempt >= self.restart_budget:
                spent = Decision(Verdict.STOP, "restart budget spent: attempt %d of %d" % (
                    job.attempt, self.restart_budget), decision.defaulted, job.attempt, self.restart_budget)
                _LOG.info("Job %s attempt %d failed; stopping it: %s", job_id, job.attempt, spent.reason)
                return RunResult(job_id, RunStatus.STOPPED, job.attempt, decision=spent, error=error)
            _LOG.info("Job %s attempt %d failed; restarting it as attempt %d: %s", job_id, job.attempt,
                      job.attempt + 1, decision.reason)

    # -- resume and decisions ----------------------------------------------------------------------------------

    def completed_jobs(self) -> Set[str]:
        """The jobs that are done: those Argus reports done (asked once it has folded this launch's
        ``batch_start``, so nothing published before it is missed) and those done by this Reporter.

        :raises ArgusUnavailableError: when Argus is unreachable or has not folded this launch within
            ``query_timeout``; it never guesses
        """
        self._ensure_open()
        self._read_backend()
        return self._ledger.done()

    def remaining(self, plan: Iterable[T], key: Optional[Callable[[T], str]] = None) -> List[T]:
        """The planned items that are not done, in plan order, each once. An item is a job id, a mapping with
        ``job_id`` or ``id``, an object with a ``job_id`` or ``id`` attribute, or whatever ``key`` maps to a job id.
        See :meth:`completed_jobs`."""
        items = list(plan)
        done = self.completed_jobs()
        seen: Set[str] = set()
        left: List[T] = []
        for item in items:
            job_id = key(item) if key is not None else _job_id_of(item)
            if job_id in done or job_id in seen:
                continue
            seen.add(job_id)
            left.append(item)
        return left

    def decide(self, job_id: str, attempt: int, wait: float = 10.0) -> Decision:
        """Whether a failed attempt may restart. Argus waits for an attribution up to ``wait`` seconds (at most
        30); with no answer in that time (unreachable, slow, batch unknown) the answer is the safe default,
        RESTART, marked ``defaulted`` and logged."""
        _require_text(job_id, "job_id")
        if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
            raise ValueError("attempt must be an int >= 1, got %r" % (attempt,))
        try:
            answer = self._query.decision(self._batch_id, job_id, attempt, max(0.0, float(wait)))
        except ArgusError as e:
            return self._defaulted(job_id, attempt, str(e))
        if not isinstance(answer, dict):
            return self._defaulted(job_id, attempt, "Argus does not know batch %s yet" % self._batch_id)
        try:
            verdict = Verdict(answer.get("decision", "RESTART"))
        except ValueError:
            return self._defaulted(job_id, attempt, "Argus answered an unknown decision %r" % answer.get("decision"))
        budget = answer.get("restart_budget")
        return Decision(verdict, str(answer.get("reason") or ""), bool(answer.get("defaulted")), attempt,
                        budget if isinstance(budget, int) else self.restart_budget)

    # -- delivery ----------------------------------------------------------------------------------------------

    def flush(self, timeout: float = 30.0) -> bool:
        """Waits up to ``timeout`` seconds until everything published so far is acknowledged; True when it is."""
        return self._outbox.flush(timeout) if self._outbox is not None else True

    def undelivered(self) -> int:
        """Events published but not acknowledged yet: queued, in flight, or in the spool."""
        return self._outbox.undelivered() if self._outbox is not None else 0

    def dropped(self) -> int:
        """Background events lost because the spool could not take them (each one is also logged)."""
        return self._outbox.dropped() if self._outbox is not None else 0

    def __repr__(self) -> str:
        return "Reporter(%s, %s, %s)" % (self._batch_id, self._url, self._state)

    # -- for JobScope ------------------------------------------------------------------------------------------

    def _publish(self, event: Mapping[str, Any]) -> None:
        self._require_outbox().publish(event)

    def _publish_durably(self, event: Mapping[str, Any]) -> Optional[ArgusRequestError]:
        """Publishes durably; returns the 4xx that stops all sending when the event went to the spool because of
        it (the event is safe: the caller records it, then raises)."""
        outbox = self._require_outbox()
        outcome = outbox.publish_durably(event)
        return outbox.fatal if outcome is Outcome.SPOOLED else None

    def _finished(self, job_id: str, state: str) -> None:
        self._ledger.finished(job_id, state)

    # -- internals ---------------------------------------------------------------------------------------------

    def _shutdown(self, final: bool) -> None:
        with self._lock:
            if self._state != "open":
                return
            self._state = "closing"
        if self._heartbeats is not None:
            self._heartbeats.close()
        refused: Optional[ArgusRequestError] = None
        try:
            outcome = self._ledger.outcome(self._n_total) if final else None
            if outcome is not None:
                refused = self._publish_durably(self._events.event("batch_done", status=outcome))
            elif final:
                _LOG.info("Batch %s: %d of %d planned jobs done and none failed; leaving it open to be resumed",
                          self._batch_id, len(self._ledger.done()), self._n_total)
        except ArgusError as e:
            _LOG.error("batch_done of %s not published: %s", self._batch_id, e)
        finally:
            self._require_outbox().close(self._close_timeout)
            self._http.close()
            with self._lock:
                self._state = "closed"
        if refused is not None:
            raise refused

    def _abandon(self) -> None:
        """After a failed open: keeps what is in the spool and releases it."""
        with self._lock:
            self._state = "closed"
        if self._outbox is not None:
            self._outbox.close(0.0)
        self._http.close()

    def _beat(self) -> None:
        self._publish(self._events.event("heartbeat"))

    def _backend_job(self, job_id: str) -> Any:
        """Argus's view of a job new to this process, from a snapshot read once; None when Argus does not know the
        job or cannot say. It cannot while this Reporter's events go to the spool (Argus unreachable: waiting for
        it to fold this launch would be in vain) or when the read fails; attempts are then counted from this
        process's count, with a warning. Call remaining() first to resume with Argus's counts."""
        with self._backend_lock:
            if not self._ledger.has_backend() and not self._backend_unreadable:
                try:
                    if self._require_outbox().spooling:
                        raise ArgusUnavailableError("this Reporter's events are waiting in the spool")
                    self._read_backend()
                except ArgusUnavailableError as e:
                    self._backend_unreadable = True
                    _LOG.warning("Cannot read the jobs of batch %s from Argus (%s); numbering attempts from this "
                                 "process's count", self._batch_id, e)
        return self._ledger.backend_job(job_id)

    def _read_backend(self) -> None:
        jobs = self._query.wait_for_launch(self._batch_id, self._launch_ts,
                                           undelivered=self._require_outbox().undelivered)
        self._ledger.set_backend(jobs)

    def _defaulted(self, job_id: str, attempt: int, why: str) -> Decision:
        _LOG.warning("No restart decision for job %s attempt %d of %s (%s); restarting, the safe default", job_id,
                     attempt, self._batch_id, why)
        return Decision(Verdict.RESTART, "no answer: %s; RESTART is the safe default" % why, True, attempt,
                        self.restart_budget)

    def _ensure_open(self) -> None:
        with self._lock:
            state = self._state
        if state != "open":
            if state == "new":
                raise RuntimeError("the Reporter is not open: use it as a context manager or call open()")
            raise ReporterClosedError("the Reporter of batch %s is %s" % (self._batch_id, state))

    def _require_outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("the Reporter is not open: use it as a context manager or call open()")
        return self._outbox


def _resolve_batch_id(batch_id: Optional[str], resume_from: Optional[str], project: str, experiment_type: str,
                      git_sha: Optional[str], prefix: str) -> str:
    if batch_id is not None and resume_from is not None and batch_id != resume_from:
        _LOG.warning("Both batch_id %s and resume_from %s are set; using batch_id %s", batch_id, resume_from,
                     batch_id)
    chosen = batch_id if batch_id is not None else resume_from
    if chosen is None:
        chosen = derive_batch_id(project, experiment_type, git_sha, prefix=prefix)
    if not isinstance(chosen, str) or not _BATCH_ID.match(chosen):
        raise ValueError("a batch id is 1 to 200 letters, digits, '.', '_' or '-', not starting with '.', got %r"
                         % (chosen,))
    return chosen


def _command_line() -> str:
    argv = getattr(sys, "orig_argv", None) or [sys.executable] + sys.argv
    return shlex.join(str(a) for a in argv) or "python"


def _job_id_of(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        for name in ("job_id", "id"):
            if isinstance(item.get(name), str):
                return str(item[name])
    for name in ("job_id", "id"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    raise TypeError("cannot tell the job id of plan item %r: give remaining() a key=" % (item,))


def _require_text(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError("%s must be a str, got %s" % (name, type(value).__name__))
    if not value.strip():
        raise ValueError("%s must not be blank" % name)
