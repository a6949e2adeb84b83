"""An asyncio evaluation loop that checkpoints each item in Argus as soon as it completes: a crash loses at most
the items in flight, and a relaunch evaluates only the rest.

    ARGUS_URL=http://127.0.0.1:8080 python examples/eval_asyncio.py --items 200

The model call is blocking (as most are), so it runs in a thread (``asyncio.to_thread``); so does ``done()``, which
returns only once the result is safe. ``asyncio.as_completed`` hands back each item the moment it finishes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any, Callable, Dict, List, Mapping, Tuple

from argus import Reporter, derive_batch_id

Item = Mapping[str, Any]


async def evaluate(r: Reporter, items: List[Item], score: Callable[[Item], float],
                   concurrency: int = 16) -> Dict[str, float]:
    """Scores the items of ``items`` that are not done yet; returns the scores of this run."""
    todo: List[Item] = await asyncio.to_thread(lambda: r.remaining(items))  # waits for Argus to see this launch
    limit = asyncio.Semaphore(concurrency)

    async def one(item: Item) -> Tuple[str, float]:
        async with limit:
            with r.job(item["id"], task=item["task"]) as j:       # an exception or a cancel reports job_failed
                value = await asyncio.to_thread(score, item)      # the blocking model call
                await asyncio.to_thread(j.done, score=value)      # the checkpoint: durable before we go on
            return item["id"], value

    tasks = [asyncio.create_task(one(item)) for item in todo]
    scores: Dict[str, float] = {}
    try:
        for finished in asyncio.as_completed(tasks):
            item_id, value = await finished
            scores[item_id] = value
    finally:
        for task in tasks:                                      # on a crash: report the items in flight as failed
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return scores


def model_score(item: Item) -> float:
    """Stands in for a model call: 5 to 20 ms, a deterministic score."""
    rng = random.Random(item["id"])
    time.sleep(rng.uniform(0.005, 0.02))
    return rng.random()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--experiment", default="mmlu-v2")
    args = parser.parse_args()
    items: List[Item] = [{"id": "q%04d" % i, "task": "mmlu"} for i in range(args.items)]
    batch_id = derive_batch_id("llm-evals", args.experiment)
    with Reporter(source_project="llm-evals", experiment_type="eval", n_total=len(items), batch_id=batch_id) as r:
        scores = asyncio.run(evaluate(r, items, model_score))
    print("scored %d items in this run; batch %s" % (len(scores), batch_id))


if __name__ == "__main__":
    main()
