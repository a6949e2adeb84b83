"""What one Reporter knows of its batch's jobs: the latest attempt it started of each and how that ended, over the
backend's snapshot (once one was read). It hands out attempt numbers and says how the batch ended. Thread-safe.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set

RUNNING = "running"
DONE = "done"
FAILED = "failed"


class BackendJob:
    __slots__ = ("status", "attempt")

    def __init__(self, status: str, attempt: int) -> None:
        self.status = status
        self.attempt = attempt


class JobLedger:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local: Dict[str, List[Any]] = {}  # job id -> [attempt, state]
        self._backend: Optional[Dict[str, BackendJob]] = None

    def set_backend(self, jobs: Sequence[Mapping[str, Any]]) -> None:
        snapshot: Dict[str, BackendJob] = {}
        for job in jobs:
            job_id = job.get("job_id")
            if isinstance(job_id, str):
                attempt = job.get("attempt")
                snapshot[job_id] = BackendJob(str(job.get("status")), attempt if isinstance(attempt, int) else 0)
        with self._lock:
            self._backend = snapshot

    def has_backend(self) -> bool:
        with self._lock:
            return self._backend is not None

    def backend_job(self, job_id: str) -> Optional[BackendJob]:
        with self._lock:
            return None if self._backend is None else self._backend.get(job_id)

    def claim_next(self, job_id: str) -> Optional[int]:
        """The next attempt of a job this process has run, now claimed; None when it has not run it."""
        with self._lock:
            local = self._local.get(job_id)
            return None if local is None else self._claim(job_id, local[0] + 1)

    def claim_new(self, job_id: str, attempt: int) -> int:
        """Claims ``attempt`` for a job new to this process (or the next one, if it started meanwhile)."""
        with self._lock:
            local = self._local.get(job_id)
            return self._claim(job_id, local[0] + 1 if local is not None else attempt)

    def finished(self, job_id: str, state: str) -> None:
        with self._lock:
            self._local[job_id][1] = state

    def done(self) -> Set[str]:
        """Done in the backend's snapshot or by this process."""
        with self._lock:
            done = {job_id for job_id, job in (self._backend or {}).items() if job.status == DONE}
            done.update(job_id for job_id, (_, state) in self._local.items() if state == DONE)
            return done

    def outcome(self, planned: int) -> Optional[str]:
        """``failed`` when some job's last attempt here failed, ``done`` when the plan is done, else None."""
        if any(state == FAILED for _, state in self._snapshot()):
            return FAILED
        return DONE if len(self.done()) >= planned else None

    def _snapshot(self) -> List[List[Any]]:
        with self._lock:
            return [list(v) for v in self._local.values()]

    def _claim(self, job_id: str, attempt: int) -> int:
        local = self._local.get(job_id)
        if local is not None and local[1] == RUNNING:
            raise RuntimeError("job %s attempt %d is still open: close its scope before starting another attempt"
                               % (job_id, local[0]))
        self._local[job_id] = [attempt, RUNNING]
        return attempt
