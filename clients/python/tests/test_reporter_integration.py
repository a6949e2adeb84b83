"""The Reporter against the real Argus: what a batch publishes, failures, the batch_done rule, resume with the
attempts Argus knows, and 4xx answers raised with the service's reason."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from argus import ArgusRequestError, Reporter
from argus_service import ArgusService
from helpers import batch_when, history_with, jobs, query


def open_reporter(argus: ArgusService, batch_id: str, spool_dir: str, n_total: int,
                  published: List[Dict[str, Any]], **options: Any) -> Reporter:
    return Reporter(source_project="tests", experiment_type="integration", n_total=n_total, batch_id=batch_id,
                    url=argus.url, spool_dir=spool_dir, on_event=published.append, **options)


def test_a_batch_publishes_starts_progress_outcomes_and_batch_done(argus: ArgusService, batch_id: str,
                                                                   spool_dir: str) -> None:
    published: List[Dict[str, Any]] = []
    with open_reporter(argus, batch_id, spool_dir, 3, published, labels={"team": "ml"}, max_restarts=1) as r:
        with r.job("dam/lstm", model="lstm", dataset="dam", lr=0.01) as job:
            job.progress(1, loss=0.9)
            job.progress(2, loss=0.5, acc=float("nan"))
            job.done(result={"mae": 0.12}, output_uri="s3://runs/dam-lstm", mae=0.12)
        with pytest.raises(MemoryError):
            with r.job("solar/tcn") as job:
                raise MemoryError("CUDA out of memory")
        with r.job("wind/gru"):
            pass                                                  # no outcome: Unreported
    view = batch_when(argus, batch_id, "failed")
    assert view["labels"] == {"team": "ml"} and view["max_restarts"] == 1 and view["n_total"] == 3
    assert view["job_counts"] == {"pending": 0, "running": 0, "done": 1, "failed": 2}
    found = jobs(argus, batch_id)
    assert found["dam/lstm"]["params"] == {"model": "lstm", "dataset": "dam", "lr": "0.01"}
    assert found["dam/lstm"]["metrics"] == {"mae": 0.12}
    assert found["dam/lstm"]["result"] == '{"mae": 0.12}' and found["dam/lstm"]["output_uri"] == "s3://runs/dam-lstm"
    assert found["dam/lstm"]["progress_metrics"] == {"loss": 0.5}
    assert found["solar/tcn"]["last_error"] == {"error_type": "MemoryError", "message": "CUDA out of memory"}
    assert found["wind/gru"]["last_error"]["error_type"] == "Unreported"
    events = history_with(argus, batch_id, [e["event_id"] for e in published])
    assert [e["event_id"] for e in events if e["type"] != "heartbeat"] == [
        e["event_id"] for e in published if e["type"] != "heartbeat"]
    assert [e["effect"] for e in events] == ["APPLIED"] * len(events)
    assert published[-1]["type"] == "batch_done" and published[-1]["status"] == "failed"


def test_no_batch_done_while_jobs_are_left_and_done_once_all_are(argus: ArgusService, batch_id: str,
                                                                 spool_dir: str) -> None:
    published: List[Dict[str, Any]] = []
    with open_reporter(argus, batch_id, spool_dir, 2, published) as r:
        with r.job("a") as job:
            job.done(mae=1.0)
    assert "batch_done" not in [e["type"] for e in published]
    with pytest.raises(RuntimeError, match="boom"):
        with open_reporter(argus, batch_id, spool_dir, 2, published) as r:
            assert r.remaining(["a", "b"]) == ["b"]
            raise RuntimeError("boom")                           # a crash: nothing final, still resumable
    with open_reporter(argus, batch_id, spool_dir, 2, published) as r:
        assert r.completed_jobs() == {"a"}
        with r.job("b") as job:
            job.done(mae=2.0)
    assert [e["status"] for e in published if e["type"] == "batch_done"] == ["done"]
    assert batch_when(argus, batch_id, "done")["resume_count"] == 2


def test_a_resumed_job_continues_at_argus_attempt_plus_one(argus: ArgusService, batch_id: str,
                                                           spool_dir: str) -> None:
    published: List[Dict[str, Any]] = []
    with pytest.raises(RuntimeError, match="crash"):
        with open_reporter(argus, batch_id, spool_dir, 1, published) as r:
            r.job("a")                                            # started, then the launcher crashes
            raise RuntimeError("crash")
    with open_reporter(argus, batch_id, spool_dir, 1, published) as again:
        assert again.remaining(["a"]) == ["a"]
        with again.job("a") as job:
            assert job.attempt == 2
            job.done()
        with again.job("a") as job:                                # this process's count goes on
            assert job.attempt == 3
            job.done()
    assert batch_when(argus, batch_id, "done")
    assert jobs(argus, batch_id)["a"]["attempt"] == 2              # the start of a done job is only recorded


def test_jobs_run_in_parallel_threads(argus: ArgusService, batch_id: str, spool_dir: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    published: List[Dict[str, Any]] = []
    with open_reporter(argus, batch_id, spool_dir, 40, published) as r:
        def work(i: int) -> None:
            with r.job("job-%02d" % i) as job:
                for step in range(5):
                    job.progress(step, loss=1.0 / (step + 1))
                job.done(mae=float(i))
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(40)))
    view = batch_when(argus, batch_id, "done")
    assert view["job_counts"]["done"] == 40


def test_a_4xx_carries_the_services_reason(argus: ArgusService) -> None:
    with pytest.raises(ArgusRequestError, match="status must be one of") as raised:
        query(argus).jobs("any-batch", status="sleeping")
    assert raised.value.status == 400 and raised.value.error == "bad_request"
