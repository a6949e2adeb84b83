"""One attempt of one job, from its job_start (published when the scope opens) to its job_done or job_failed."""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Optional, Tuple, Type, Union

from . import events
from .errors import ArgusError
from .ledger import DONE, FAILED, RUNNING

if TYPE_CHECKING:  # pragma: no cover
    from .reporter import Reporter

UNREPORTED = "Unreported"
_LOG = logging.getLogger("argus")


class JobScope:
    """Returned by :meth:`argus.Reporter.job`; use it as a context manager.

    An exception leaving the block reports ``job_failed`` with the exception's type and message, then goes on. A
    block that ends without ``done()`` or ``failed()`` reports a failure of type ``Unreported``, so Argus never
    believes a job still runs. Thread-safe.
    """

    def __init__(self, reporter: "Reporter", job_id: str, attempt: int) -> None:
        self._reporter = reporter
        self._job_id = job_id
        self._attempt = attempt
        self._state = RUNNING
        self._lock = threading.Lock()

    @property
    def job_id(self) -> str:
        return self._job_id

    @property
    def attempt(self) -> int:
        """1 for the first run of the job, then one more per restart (continuing Argus's count on a resume)."""
        return self._attempt

    @property
    def status(self) -> str:
        """``running``, ``done`` or ``failed``."""
        with self._lock:
            return self._state

    @property
    def finished(self) -> bool:
        """Whether done or failed has been reported."""
        return self.status != RUNNING

    def progress(self, step: int, **metrics: float) -> None:
        """A checkpoint: sent in the background, never blocks (Argus keeps the highest step of the attempt)."""
        if isinstance(step, bool) or not isinstance(step, int):
            raise TypeError("step must be an int, got %r" % (step,))
        values = events.metrics(metrics)
        with self._lock:
            self._ensure_running("progress")
        self._reporter._publish(self._reporter._events.event(
            "job_progress", job_id=self._job_id, attempt=self._attempt, step=step, metrics=values))

    def done(self, result: Any = None, output_uri: Optional[str] = None, **metrics: float) -> None:
        """Reports the attempt done. Returns once its job_done is acknowledged by Argus or written and ``fsync``ed
        to the local spool, so a crash right after this call cannot lose the result.

        :param result: a JSON-serialisable object kept with the job (a str must already be JSON)
        :param output_uri: where the job wrote its output
        :param metrics: final metrics, names to numbers (NaN and infinities are left out)
        :raises SpoolError: when Argus did not take the event and the spool cannot either (full, disk error)
        """
        values = events.metrics(metrics)
        document = events.result_json(result)
        if output_uri is not None and not isinstance(output_uri, str):
            raise TypeError("output_uri must be a str, got %r" % (output_uri,))
        with self._lock:
            self._ensure_running("done")
            event = self._reporter._events.event("job_done", job_id=self._job_id, attempt=self._attempt,
                                                 metrics=values, result=document, output_uri=output_uri)
            # The state changes only once the event is safe: after a SpoolError the job can still fail.
            refused = self._reporter._publish_durably(event)
            self._state = DONE
        self._reporter._finished(self._job_id, DONE)
        if refused is not None:
            raise refused

    def failed(self, exc_or_type: Union[BaseException, Type[BaseException], str], message: Optional[str] = None,
               rank: Optional[int] = None) -> None:
        """Reports the failure of this attempt (sent in the background).

        :param exc_or_type: an exception (its type and message are reported), an exception class, or a type name
        :param message: the message; by default the exception's
        :param rank: the reporting process of a multi-process job (``>= 0``)
        """
        error_type, text = _describe(exc_or_type, message)
        if rank is not None and (isinstance(rank, bool) or not isinstance(rank, int) or rank < 0):
            raise ValueError("rank must be an int >= 0, got %r" % (rank,))
        with self._lock:
            self._ensure_running("failed")
            self._publish_failure(error_type, text, rank)

    def __enter__(self) -> "JobScope":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        with self._lock:
            if self._state != RUNNING:
                return
            if exc is not None:
                error_type, text = _describe(exc, None)
            else:
                _LOG.warning("Job %s attempt %d closed without done() or failed(); reporting it failed",
                             self._job_id, self._attempt)
                error_type, text = UNREPORTED, ("the job's scope closed without done() or failed(): the cause is "
                                                "not known to Argus")
            try:
                self._publish_failure(error_type, text, None)
            except ArgusError as e:
                # Never hide the block's own exception behind one about reporting it.
                _LOG.error("Job %s attempt %d: its failure was not reported: %s", self._job_id, self._attempt, e)

    def __repr__(self) -> str:
        return "JobScope(%r, attempt=%d, %s)" % (self._job_id, self._attempt, self.status)

    def _publish_failure(self, error_type: str, message: str, rank: Optional[int]) -> None:
        self._reporter._publish(self._reporter._events.event(
            "job_failed", job_id=self._job_id, attempt=self._attempt, rank=rank, error_type=error_type,
            message=message))
        self._state = FAILED
        self._reporter._finished(self._job_id, FAILED)

    def _ensure_running(self, call: str) -> None:
        if self._state != RUNNING:
            raise RuntimeError("%s() on job %s attempt %d, which is already %s"
                               % (call, self._job_id, self._attempt, self._state))


def _describe(exc_or_type: Union[BaseException, Type[BaseException], str],
              message: Optional[str]) -> Tuple[str, str]:
    if isinstance(exc_or_type, BaseException):
        text = message if message is not None else (str(exc_or_type) or repr(exc_or_type))
        return events.error_type_of(exc_or_type), events.message_text(text)
    if isinstance(exc_or_type, type) and issubclass(exc_or_type, BaseException):
        cls = exc_or_type
        module = cls.__module__
        name = cls.__qualname__ if module in ("builtins", "__main__") else module + "." + cls.__qualname__
        return name, events.message_text(message)
    if isinstance(exc_or_type, str) and exc_or_type.strip():
        return exc_or_type, events.message_text(message)
    raise TypeError("failed() takes an exception, an exception class or a non-empty type name, got %r"
                    % (exc_or_type,))
