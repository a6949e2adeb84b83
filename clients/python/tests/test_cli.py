"""python -m argus: status, jobs, remaining and derive, as tables and as JSON."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any, List, Tuple

import pytest

from argus import Reporter
from argus.cli import main
from argus_service import ArgusService, free_port
from helpers import batch_when

PACKAGE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def cli(*args: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def finished_batch(argus: ArgusService, tmp_path_factory: pytest.TempPathFactory) -> str:
    batch_id = "py-cli-" + os.urandom(6).hex()
    with Reporter(source_project="tests", experiment_type="cli", n_total=3, batch_id=batch_id, url=argus.url,
                  spool_dir=str(tmp_path_factory.mktemp("spool"))) as r:
        with r.job("dam/lstm") as job:
            job.progress(5, loss=0.25)
            job.done(mae=0.125)
        with pytest.raises(MemoryError):
            with r.job("solar/tcn"):
                raise MemoryError("CUDA out of memory")
    batch_when(argus, batch_id, "failed")
    return batch_id


def test_status(argus: ArgusService, finished_batch: str) -> None:
    code, out, _ = cli("status", finished_batch, "--url", argus.url)
    assert code == 0
    assert "status          failed" in out and "1 done, 0 running, 1 failed, 1 pending of 3" in out
    code, out, _ = cli("status", finished_batch, "--url", argus.url, "--json")
    assert code == 0 and json.loads(out)["job_counts"]["done"] == 1


def test_jobs(argus: ArgusService, finished_batch: str) -> None:
    code, out, err = cli("jobs", finished_batch, "--url", argus.url)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["JOB", "STATUS", "ATTEMPT", "STEP", "FINISHED", "METRICS", "/", "ERROR"]
    assert lines[1].startswith("dam/lstm") and "mae=0.125" in lines[1]
    assert "MemoryError: CUDA out of memory" in lines[2] and err == "2 jobs\n"
    code, out, _ = cli("jobs", finished_batch, "--url", argus.url, "--status", "done", "--json")
    assert [job["job_id"] for job in json.loads(out)] == ["dam/lstm"]


def test_remaining(argus: ArgusService, finished_batch: str, tmp_path: Any) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("# the grid\ndam/lstm\nsolar/tcn\nwind/gru\n")
    code, out, err = cli("remaining", finished_batch, str(plan), "--url", argus.url)
    assert code == 0 and out.splitlines() == ["solar/tcn", "wind/gru"] and "2 of 3 planned jobs left" in err
    plan.write_text(json.dumps([{"id": "dam/lstm"}, {"job_id": "wind/gru"}]))
    code, out, _ = cli("remaining", finished_batch, str(plan), "--url", argus.url, "--json")
    assert json.loads(out)["remaining"] == ["wind/gru"]


def test_unknown_batch_and_unreachable_argus(argus: ArgusService) -> None:
    code, _, err = cli("status", "no-such-batch", "--url", argus.url)
    assert code == 1 and "does not know batch no-such-batch" in err
    code, _, err = cli("jobs", "b", "--url", "http://127.0.0.1:%d" % free_port(), "--timeout", "0.3")
    assert code == 3 and "cannot reach Argus" in err


def test_derive_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "argus", "derive", "forecasting", "grid-v3", "--git-sha", "no-git"],
                          env=dict(os.environ, PYTHONPATH=PACKAGE_ROOT), stdout=subprocess.PIPE, timeout=60)
    assert done.returncode == 0 and done.stdout.decode() == "bench-23e2cd41f5e76235\n"
    code, out, _ = cli("derive", "vision", "resnet-sweep", "--git-sha", "0123456789abcdef0123456789abcdef01234567",
                       "--prefix", "train", "--json")
    assert json.loads(out)["batch_id"] == "train-9e8f8f5baaaccdb4"


def test_usage_errors_exit_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["jobs"])
    assert exited.value.code == 2
    lines: List[str] = capsys.readouterr().err.splitlines()
    assert any("BATCH" in line for line in lines)
