"""A 10 x 12 grid (10 datasets x 12 models = 120 jobs) that reports to Argus, and that resumes with the jobs that
are not done when run again after a crash.

    ARGUS_URL=http://127.0.0.1:8080 python examples/grid_launcher.py            # kill it half-way, run it again

Options: ``--experiment NAME`` (default grid-10x12; with the commit it derives the batch id), ``--work-ms MS``
(simulated training per job, default 30). Prints ``start JOB ATTEMPT`` and ``done JOB ATTEMPT`` per job, the
latter once ``done()`` returned (the result is safe from then on).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Iterator, List, NamedTuple, Tuple

from argus import Reporter, derive_batch_id

PROJECT = "argus-examples"
DATASETS = ["dam", "solar", "wind", "traffic", "ett", "weather", "exchange", "ili", "m4", "tourism"]
MODELS = ["lstm", "gru", "tcn", "tft", "nbeats", "nhits", "patchtst", "dlinear", "informer", "autoformer",
          "deepar", "arima"]


class Job(NamedTuple):
    id: str
    dataset: str
    model: str


def plan() -> List[Job]:
    return [Job(dataset + "/" + model, dataset, model) for dataset in DATASETS for model in MODELS]


def train(job: Job, work_seconds: float) -> Iterator[Tuple[int, float]]:
    """Stands in for training: three steps, a falling loss."""
    rng = random.Random(job.id)
    loss = 1.0 + rng.random()
    for step in range(1, 4):
        time.sleep(work_seconds / 3)
        loss *= 0.6
        yield step, loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiment", default="grid-10x12")
    parser.add_argument("--work-ms", type=float, default=30.0)
    args = parser.parse_args()
    jobs = plan()
    batch_id = derive_batch_id(PROJECT, args.experiment)
    with Reporter(source_project=PROJECT, experiment_type="benchmark", n_total=len(jobs), resume_from=batch_id,
                  max_restarts=2, labels={"grid": "10x12"}) as r:
        todo = r.remaining(jobs)                                   # only what is not done yet
        print("batch %s: %d of %d jobs to run" % (batch_id, len(todo), len(jobs)), flush=True)
        for job in todo:
            with r.job(job.id, model=job.model, dataset=job.dataset) as j:
                print("start %s %d" % (job.id, j.attempt), flush=True)
                loss = float("nan")
                for step, loss in train(job, args.work_ms / 1000.0):
                    j.progress(step, loss=loss)
                j.done(mae=loss, result={"mae": loss})               # returns once the event is safe
            print("done %s %d" % (job.id, j.attempt), flush=True)


if __name__ == "__main__":
    main()
