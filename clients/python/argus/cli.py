"""``python -m argus``: a batch's status, its jobs, what is left of a plan, and derived batch ids.

Exit status: 0 when answered, 1 when the batch is unknown, 2 on a usage error, 3 when Argus cannot answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, List, Mapping, Optional, Sequence, TextIO

from . import config
from .batch_ids import DEFAULT_PREFIX, NO_GIT, derive_batch_id, git_sha_of
from .errors import ArgusError, ArgusRequestError
from .httpclient import HttpClient
from .query import QueryClient

EXIT_OK = 0
EXIT_UNKNOWN = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "derive":
            return _derive(args, out)
        client = HttpClient(config.url(args.url), config.token(args.token))
        try:
            query = QueryClient(client, args.timeout)
            if args.command == "status":
                return _status(query, args, out, err)
            if args.command == "jobs":
                return _jobs(query, args, out, err)
            return _remaining(query, args, out, err)
        finally:
            client.close()
    except (ArgusError, OSError, ValueError) as e:
        err.write("argus: %s\n" % e)
        return EXIT_USAGE if isinstance(e, (ValueError, ArgusRequestError, OSError)) else EXIT_UNAVAILABLE


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="Argus, default $ARGUS_URL or %s" % config.DEFAULT_URL)
    common.add_argument("--token", help="bearer token, default $ARGUS_API_TOKEN")
    common.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for Argus (default 30)")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser = argparse.ArgumentParser(prog="python -m argus", description="Ask Argus about batches and jobs.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    status = commands.add_parser("status", parents=[common], help="a batch's status and job counts")
    status.add_argument("batch_id", metavar="BATCH")
    jobs = commands.add_parser("jobs", parents=[common], help="a batch's jobs")
    jobs.add_argument("batch_id", metavar="BATCH")
    jobs.add_argument("--status", choices=("running", "done", "failed"), help="only jobs with this status")
    remaining = commands.add_parser("remaining", parents=[common],
                                    help="the jobs of a plan that are not done (one job id per line of PLAN_FILE, "
                                         "or a JSON array of ids or of objects with job_id or id)")
    remaining.add_argument("batch_id", metavar="BATCH")
    remaining.add_argument("plan_file", metavar="PLAN_FILE", help="the plan; - reads standard input")
    derive = commands.add_parser("derive", parents=[common], help="the batch id of a project's experiment")
    derive.add_argument("project", metavar="PROJECT")
    derive.add_argument("experiment", metavar="EXPERIMENT")
    derive.add_argument("--git-sha", help="the commit (default: git rev-parse HEAD here, no-git without git)")
    derive.add_argument("--prefix", default=DEFAULT_PREFIX, help="the id's prefix (default %s)" % DEFAULT_PREFIX)
    return parser


def _derive(args: argparse.Namespace, out: TextIO) -> int:
    sha = args.git_sha if args.git_sha is not None else (git_sha_of() or NO_GIT)
    batch_id = derive_batch_id(args.project, args.experiment, sha, prefix=args.prefix)
    if args.json:
        _print_json(out, {"batch_id": batch_id, "project": args.project, "experiment": args.experiment,
                          "git_sha": sha, "prefix": args.prefix})
    else:
        out.write(batch_id + "\n")
    return EXIT_OK


def _status(query: QueryClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    view = query.batch(args.batch_id)
    if view is None:
        err.write("argus: Argus at %s does not know batch %s\n" % (query.base_url, args.batch_id))
        return EXIT_UNKNOWN
    if args.json:
        _print_json(out, view)
        return EXIT_OK
    counts = view.get("job_counts") or {}
    progress = view.get("progress")
    rows = [
        ("batch", view.get("batch_id")),
        ("status", str(view.get("status")) + (" (stalled)" if view.get("stalled") else "")
         + (" (stopping: %s)" % view.get("stop_reason") if view.get("stopping") else "")),
        ("project", view.get("source_project")),
        ("experiment", view.get("experiment_type")),
        ("jobs", "%s done, %s running, %s failed, %s pending of %s" % (
            counts.get("done", 0), counts.get("running", 0), counts.get("failed", 0), counts.get("pending", 0),
            view.get("n_total"))),
        ("progress", "-" if progress is None else "%.1f%%" % (100 * float(progress))),
        ("started", view.get("start_time")),
        ("resumed", "%s times, last %s" % (view.get("resume_count"), view.get("last_resumed_at"))
         if view.get("resume_count") else "never"),
        ("finished", view.get("finished_at")),
        ("last event", view.get("last_event_ts")),
        ("last heartbeat", view.get("last_seen")),
        ("git sha", view.get("git_sha")),
        ("command", view.get("command")),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        out.write("%s  %s\n" % (name.ljust(width), "-" if value is None else value))
    return EXIT_OK


def _jobs(query: QueryClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    jobs = query.jobs(args.batch_id, status=args.status)
    if jobs is None:
        err.write("argus: Argus at %s does not know batch %s\n" % (query.base_url, args.batch_id))
        return EXIT_UNKNOWN
    if args.json:
        _print_json(out, jobs)
        return EXIT_OK
    rows = [["JOB", "STATUS", "ATTEMPT", "STEP", "FINISHED", "METRICS / ERROR"]]
    for job in jobs:
        rows.append([str(job.get("job_id")), str(job.get("status")), str(job.get("attempt")),
                     "-" if job.get("step") is None else str(job.get("step")),
                     str(job.get("finished_at") or "-"), _outcome(job)])
    _print_table(out, rows)
    err.write("%d jobs\n" % len(jobs))
    return EXIT_OK


def _remaining(query: QueryClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = _read_plan(args.plan_file)
    jobs = query.jobs(args.batch_id, status="done")
    done = {str(job.get("job_id")) for job in jobs or []}
    left: List[str] = []
    for job_id in plan:
        if job_id not in done and job_id not in left:
            left.append(job_id)
    if args.json:
        _print_json(out, {"batch_id": args.batch_id, "known": jobs is not None, "planned": len(set(plan)),
                          "done": len(set(plan) & done), "remaining": left})
        return EXIT_OK
    for job_id in left:
        out.write(job_id + "\n")
    err.write("%d of %d planned jobs left%s\n" % (len(left), len(set(plan)),
                                                  "" if jobs is not None else " (Argus does not know the batch)"))
    return EXIT_OK


def _read_plan(path: str) -> List[str]:
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    stripped = text.strip()
    if stripped.startswith("["):
        items = json.loads(stripped)
        plan: List[str] = []
        for item in items:
            if isinstance(item, str):
                plan.append(item)
            elif isinstance(item, dict) and isinstance(item.get("job_id", item.get("id")), str):
                plan.append(item.get("job_id", item.get("id")))
            else:
                raise ValueError("plan item %r is neither a job id nor an object with job_id or id" % (item,))
        return plan
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _outcome(job: Mapping[str, Any]) -> str:
    error = job.get("last_error")
    if job.get("status") == "failed" and isinstance(error, dict):
        return "%s: %s" % (error.get("error_type"), _cut(str(error.get("message") or ""), 60))
    metrics = job.get("metrics") or job.get("progress_metrics") or {}
    return " ".join("%s=%s" % (name, _number(value)) for name, value in sorted(metrics.items())) or "-"


def _number(value: Any) -> str:
    return "%.6g" % value if isinstance(value, float) else str(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."


def _print_table(out: TextIO, rows: List[List[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() + "\n")


def _print_json(out: TextIO, value: Any) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def run() -> None:
    sys.exit(main())


