"""The asyncio evaluation of the README (examples/eval_asyncio.py): 200 items, a crash part-way, and a relaunch
that evaluates exactly the items that were not done."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Any, Dict, List, Mapping

import pytest

from argus import Reporter
from argus_service import ArgusService
from helpers import batch_when, jobs

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
from eval_asyncio import evaluate, model_score  # noqa: E402

ITEMS: List[Mapping[str, Any]] = [{"id": "q%04d" % i, "task": "mmlu"} for i in range(200)]


class ModelServerCrashed(Exception):
    pass


def test_a_crashed_evaluation_resumes_with_exactly_the_rest(argus: ArgusService, batch_id: str,
                                                            spool_dir: str) -> None:
    def reporter(published: List[Dict[str, Any]]) -> Reporter:
        return Reporter(source_project="llm-evals", experiment_type="eval", n_total=len(ITEMS), batch_id=batch_id,
                        url=argus.url, spool_dir=spool_dir, on_event=published.append)

    calls = []
    lock = threading.Lock()

    def crashing_score(item: Mapping[str, Any]) -> float:
        with lock:
            calls.append(item["id"])
            if len(calls) == 90:
                raise ModelServerCrashed("the model server went away")
        return model_score(item)

    first: List[Dict[str, Any]] = []
    with pytest.raises(ModelServerCrashed):
        with reporter(first) as r:
            asyncio.run(evaluate(r, ITEMS, crashing_score, concurrency=8))
    done_first = {e["job_id"] for e in first if e["type"] == "job_done"}
    failed_first = {e["job_id"] for e in first if e["type"] == "job_failed"}
    assert 60 <= len(done_first) < 90
    assert failed_first and not failed_first & done_first          # the items in flight, reported failed
    assert "batch_done" not in [e["type"] for e in first]

    second: List[Dict[str, Any]] = []
    scored: List[str] = []

    def score(item: Mapping[str, Any]) -> float:
        with lock:
            scored.append(item["id"])
        return model_score(item)

    with reporter(second) as r:
        results = asyncio.run(evaluate(r, ITEMS, score, concurrency=8))
    rest = {item["id"] for item in ITEMS} - done_first
    assert sorted(scored) == sorted(rest), "the relaunch must evaluate exactly the items not done"
    assert set(results) == rest
    assert [e["status"] for e in second if e["type"] == "batch_done"] == ["done"]
    assert batch_when(argus, batch_id, "done")["job_counts"]["done"] == 200
    assert {job["status"] for job in jobs(argus, batch_id).values()} == {"done"}
