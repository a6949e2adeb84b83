"""Restart decisions against the real Argus: STOP by attribution, RESTART defaulted after the wait, the restart
budget spent, and run() restarting as Argus decides."""

from __future__ import annotations

import time
from typing import Any, List

import pytest

from argus import Reporter, RunStatus, Verdict
from argus_service import ArgusService, free_port, wait_until
from helpers import jobs


def reporter(argus: ArgusService, batch_id: str, spool_dir: str, **options: Any) -> Reporter:
    return Reporter(source_project="tests", experiment_type="decisions", n_total=4, batch_id=batch_id,
                    url=argus.url, spool_dir=spool_dir, **options)


def fail(r: Reporter, job_id: str) -> int:
    with pytest.raises(MemoryError):
        with r.job(job_id) as job:
            raise MemoryError("CUDA out of memory")
    return job.attempt


def test_stop_by_attribution(argus: ArgusService, batch_id: str, spool_dir: str) -> None:
    with reporter(argus, batch_id, spool_dir) as r:
        attempt = fail(r, "solar/tcn")
        argus.post("/api/events", {"type": "attribution", "batch_id": batch_id, "job_id": "solar/tcn",
                                   "attempt": attempt, "verdict": "STOP", "source": "oom-classifier",
                                   "reason": "d_model does not fit in memory"})
        decision = r.decide("solar/tcn", attempt, wait=10)
    assert decision.verdict is Verdict.STOP and not decision.restart
    assert not decision.defaulted
    assert "oom-classifier" in decision.reason and "d_model does not fit" in decision.reason
    assert decision.attempt == 1 and decision.restart_budget == 4


def test_restart_defaulted_after_the_wait(argus: ArgusService, batch_id: str, spool_dir: str) -> None:
    with reporter(argus, batch_id, spool_dir) as r:
        r.completed_jobs()                                       # Argus knows the batch: it answers, not a 404
        attempt = fail(r, "wind/gru")
        started = time.monotonic()
        decision = r.decide("wind/gru", attempt, wait=1.0)
        waited = time.monotonic() - started
    assert decision.verdict is Verdict.RESTART and decision.defaulted
    assert "no attribution" in decision.reason
    assert 0.5 <= waited < 2.5


def test_restart_defaulted_when_argus_is_unreachable(batch_id: str, spool_dir: str) -> None:
    with Reporter(source_project="tests", experiment_type="decisions", n_total=1, batch_id=batch_id,
                  url="http://127.0.0.1:%d" % free_port(), spool_dir=spool_dir, close_timeout=0) as r:
        started = time.monotonic()
        decision = r.decide("a", 1, wait=0.5)
        assert time.monotonic() - started < 2
    assert decision.verdict is Verdict.RESTART and decision.defaulted and "cannot reach Argus" in decision.reason


def test_run_stops_when_the_restart_budget_is_spent(argus: ArgusService, batch_id: str, spool_dir: str) -> None:
    calls: List[int] = []

    def always_fails(job: Any) -> None:
        calls.append(job.attempt)
        raise MemoryError("CUDA out of memory")

    with reporter(argus, batch_id, spool_dir, max_restarts=1) as r:
        r.completed_jobs()
        result = r.run("dam/tft", always_fails, decision_wait=0.5)
    assert calls == [1, 2]
    assert result.status is RunStatus.STOPPED and result.attempt == 2
    assert result.decision is not None and result.decision.verdict is Verdict.STOP
    assert not result.decision.defaulted
    assert "restart budget spent" in result.decision.reason
    assert isinstance(result.error, MemoryError)


def test_run_restarts_until_done(argus: ArgusService, batch_id: str, spool_dir: str) -> None:
    def flaky(job: Any) -> str:
        if job.attempt == 1:
            raise ConnectionError("NCCL timeout")
        job.progress(1, loss=0.3)
        return "trained"

    with reporter(argus, batch_id, spool_dir, max_restarts=2) as r:
        result = r.run("solar/tft", flaky, decision_wait=0.5, model="tft")
    assert result.status is RunStatus.DONE and result.attempt == 2 and result.value == "trained"
    job = wait_until(lambda: jobs(argus, batch_id).get("solar/tft", {}).get("status") == "done"
                     and jobs(argus, batch_id)["solar/tft"], 30, "solar/tft done in Argus")
    assert job["attempt"] == 2 and job["params"] == {"model": "tft"}
