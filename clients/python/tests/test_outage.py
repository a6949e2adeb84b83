"""Argus is stopped while jobs finish: every done() returns through the spool, and after Argus is back nothing is
lost and the history holds the events in the order they were published."""

from __future__ import annotations

import time
from typing import Any, Dict, List

from argus import Reporter
from argus_service import ArgusService
from helpers import batch_when, first_occurrences, history_with, jobs


def run_job(r: Reporter, job_id: str) -> float:
    """One job: start, two checkpoints, done; returns how long done() took."""
    with r.job(job_id, model="m") as job:
        job.progress(1, loss=0.8)
        job.progress(2, loss=0.4)
        started = time.monotonic()
        job.done(mae=0.1, result={"job": job_id})
        return time.monotonic() - started


def test_done_returns_through_the_spool_while_argus_is_down(argus: ArgusService, batch_id: str,
                                                             spool_dir: str) -> None:
    published: List[Dict[str, Any]] = []
    plan = ["job-%02d" % i for i in range(12)]
    with Reporter(source_project="tests", experiment_type="outage", n_total=len(plan), batch_id=batch_id,
                  url=argus.url, spool_dir=spool_dir, on_event=published.append, done_timeout=5) as r:
        assert r.remaining(plan) == plan
        for job_id in plan[:4]:
            run_job(r, job_id)
        assert r.flush(10)

        argus.stop()
        try:
            waits = [run_job(r, job_id) for job_id in plan[4:]]
            assert max(waits) < 5.0, "a done() waited %.1f s" % max(waits)
            assert r.undelivered() >= 8 * 4
        finally:
            argus.start()
        assert r.flush(60), "%d events still undelivered after Argus came back" % r.undelivered()

    assert batch_when(argus, batch_id, "done")["job_counts"]["done"] == 12
    assert {job["status"] for job in jobs(argus, batch_id).values()} == {"done"}
    expected = [e["event_id"] for e in published]
    events = history_with(argus, batch_id, expected)
    assert first_occurrences([e["event_id"] for e in events]) == expected
