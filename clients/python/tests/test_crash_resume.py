"""kill -9 of the 10 x 12 grid launcher (examples/grid_launcher.py) after about 40 jobs, then the same command
again: every job ends done, and each job_done event is in the batch's history exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from typing import Dict, List, Tuple

from argus_service import ArgusService
from helpers import batch_when, history, jobs

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")
PACKAGE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def launcher(argus: ArgusService, work_dir: str, experiment: str) -> Tuple[List[str], Dict[str, str]]:
    env = dict(os.environ, ARGUS_URL=argus.url, ARGUS_SPOOL_DIR=os.path.join(work_dir, "spool"),
               PYTHONPATH=PACKAGE_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONUNBUFFERED="1")
    command = [sys.executable, os.path.join(EXAMPLES, "grid_launcher.py"), "--experiment", experiment,
               "--work-ms", "30"]
    return command, env


def test_a_killed_grid_resumes_with_every_job_done_once(argus: ArgusService, tmp_path: "os.PathLike[str]") -> None:
    work_dir = str(tmp_path)
    command, env = launcher(argus, work_dir, "grid-" + uuid.uuid4().hex[:8])

    first = subprocess.Popen(command, cwd=work_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.stdout is not None
    first_lines: List[str] = []
    try:
        while sum(1 for line in first_lines if line.startswith("done ")) < 40:
            line = first.stdout.readline().decode()
            assert line, "the launcher ended early: %s" % first.stderr.read().decode() if first.stderr else ""
            first_lines.append(line.strip())
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        first_lines += first.stdout.read().decode().splitlines()   # what it printed before it died
    finally:
        first.kill()
        first.wait(timeout=30)
        first.stdout.close()
        if first.stderr:
            first.stderr.close()
    assert first.returncode == -signal.SIGKILL
    batch_id = first_lines[0].split()[1].rstrip(":")
    done_first = {line.split()[1] for line in first_lines if line.startswith("done ")}

    second = subprocess.run(command, cwd=work_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=120)
    assert second.returncode == 0, second.stderr.decode()
    second_lines = second.stdout.decode().splitlines()
    to_run = int(second_lines[0].split(": ")[1].split()[0])
    started_second = [line.split() for line in second_lines if line.startswith("start ")]
    assert len(started_second) == to_run <= 120 - len(done_first)
    assert not done_first & {job for _, job, _ in started_second}, "a job done before the kill ran again"

    assert batch_when(argus, batch_id, "done")["job_counts"]["done"] == 120
    found = jobs(argus, batch_id)
    assert len(found) == 120 and {job["status"] for job in found.values()} == {"done"}
    for _, job_id, attempt in started_second:
        assert found[job_id]["attempt"] == int(attempt)
    # Attempt 2 only for the job the kill interrupted (the launcher runs one at a time), if its job_start had
    # reached Argus; every other job ran once.
    resumed = [(job_id, attempt) for _, job_id, attempt in started_second if attempt != "1"]
    assert len(resumed) <= 1 and all(attempt == "2" for _, attempt in resumed), resumed

    events = history(argus, batch_id)
    done_ids = [e["event_id"] for e in events if e["type"] == "job_done"]
    assert len(done_ids) == 120
    assert [n for n in Counter(done_ids).values() if n != 1] == [], "a job_done event id is in the history twice"
    assert {e["effect"] for e in events if e["type"] == "job_done"} == {"APPLIED"}
