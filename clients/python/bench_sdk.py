"""Measures the SDK against a local Argus: done() latency and the progress() rate. Prints numbers, asserts
nothing (it is not a test).

    python3 clients/python/bench_sdk.py                        # starts query-service/target/argus.jar itself
    python3 clients/python/bench_sdk.py --url http://127.0.0.1:8080 --done 500 --progress 100000

- done(): one job at a time, each ``job()`` then ``done()``; the time of ``done()`` alone (it returns once Argus
  answered 200, which it does once Kafka acknowledged the event).
- progress(): calls in a tight loop; the enqueue rate (calls per second of the loop) and the delivered rate
  (events per second from the first call until Argus acknowledged the last).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from typing import List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "tests"))

from argus import Reporter  # noqa: E402
from argus_service import DEFAULT_JAR, ArgusService  # noqa: E402


def percentile(values: List[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))]


def measure_done(url: str, spool: str, count: int) -> List[float]:
    batch_id = "bench-sdk-done-" + uuid.uuid4().hex[:8]
    latencies: List[float] = []
    with Reporter(source_project="bench", experiment_type="sdk-done", n_total=count, batch_id=batch_id, url=url,
                  spool_dir=spool, git_sha="no-git") as r:
        for warm in range(20):
            with r.job("warm-%d" % warm) as job:
                job.done(mae=0.1)
        for i in range(count):
            with r.job("job-%05d" % i) as job:
                started = time.perf_counter()
                job.done(mae=0.1, result={"i": i})
                latencies.append(time.perf_counter() - started)
    return latencies


def measure_progress(url: str, spool: str, count: int) -> Tuple[float, float, float]:
    batch_id = "bench-sdk-progress-" + uuid.uuid4().hex[:8]
    with Reporter(source_project="bench", experiment_type="sdk-progress", n_total=1, batch_id=batch_id, url=url,
                  spool_dir=spool, git_sha="no-git") as r:
        assert r.flush(30)
        with r.job("train") as job:
            started = time.perf_counter()
            for step in range(count):
                job.progress(step, loss=1.0 / (step + 1), lr=0.001)
            enqueued = time.perf_counter() - started
            if not r.flush(300):
                raise SystemExit("progress events not delivered within 300 s")
            delivered = time.perf_counter() - started
            job.done()
    return count / enqueued, count / delivered, enqueued / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running Argus (default: start query-service/target/argus.jar)")
    parser.add_argument("--done", type=int, default=500, help="sequential done() calls (default 500)")
    parser.add_argument("--progress", type=int, default=100000, help="progress() calls (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="argus-bench-sdk-")
    service: Optional[ArgusService] = None
    url = args.url
    if url is None:
        service = ArgusService(os.environ.get("ARGUS_JAR", DEFAULT_JAR), work)
        service.start()
        url = service.url
    try:
        print("Argus at %s; Python %s; %d cores" % (url, sys.version.split()[0], os.cpu_count() or 0))
        for run in range(1, args.runs + 1):
            latencies = measure_done(url, os.path.join(work, "spool-done-%d" % run), args.done)
            print("run %d: done() x %d: p50 %.2f ms, p99 %.2f ms, mean %.2f ms, max %.2f ms" % (
                run, len(latencies), 1000 * statistics.median(latencies), 1000 * percentile(latencies, 99),
                1000 * statistics.mean(latencies), 1000 * max(latencies)))
            enqueue, delivered, per_call = measure_progress(url, os.path.join(work, "spool-progress-%d" % run),
                                                            args.progress)
            print("run %d: progress() x %d: %.0f calls/s enqueued (%.1f us per call), %.0f events/s delivered" % (
                run, args.progress, enqueue, per_call, delivered))
    finally:
        if service is not None:
            service.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
