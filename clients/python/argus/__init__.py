"""Argus: remembers where long benchmark, training and evaluation runs were.

>>> from argus import Reporter, derive_batch_id
>>> batch_id = derive_batch_id("my-bench", "dam_forecast")
>>> with Reporter(source_project="my-bench", experiment_type="forecast", n_total=120,
...               resume_from=batch_id) as r:
...     for job in r.remaining(plan):
...         with r.job(job.id, model=job.model) as j:
...             j.done(mae=0.12)

Standard library only; README.md has every option.
"""

from __future__ import annotations

from .batch_ids import derive_batch_id
from .decision import Decision, RunResult, RunStatus, Verdict
from .errors import (ArgusError, ArgusRequestError, ArgusUnavailableError, RejectedEventError,
                     ReporterClosedError, SpoolError, SpoolFullError, SpoolLockedError)
from .job import JobScope
from .reporter import Reporter

__version__ = "0.1.0"

__all__ = [
    "ArgusError",
    "ArgusRequestError",
    "ArgusUnavailableError",
    "Decision",
    "JobScope",
    "RejectedEventError",
    "Reporter",
    "ReporterClosedError",
    "RunResult",
    "RunStatus",
    "SpoolError",
    "SpoolFullError",
    "SpoolLockedError",
    "Verdict",
    "derive_batch_id",
    "__version__",
]
