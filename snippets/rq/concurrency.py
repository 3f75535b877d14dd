"""Concurrency: one RQ worker runs one job at a time, each in a freshly forked "work horse" process.
To run jobs in parallel you start several workers, e.g. `rq worker-pool -n 3` (one process per
worker). There are no thread, green-thread or asyncio pools.

Proves: concurrency. Three 1.5 s jobs on a 3-worker pool run at the same time in 3 different
processes; one plain `rq worker` runs the same three one after another.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-concurrency", connection=redis)


# --8<-- [start:example]
def busy(seconds: float) -> tuple[float, float, int]:
    start = time.time()
    time.sleep(seconds)
    return start, time.time(), os.getpid()


def send(n: int = 3):
    from concurrency import busy  # import by module name, as the worker will

    return [queue.enqueue(busy, 1.5) for _ in range(n)]


# Parallel: `rq worker-pool -n 3 <queue>`; one at a time: `rq worker <queue>`
# --8<-- [end:example]


def run(jobs) -> tuple[float, int, float]:
    spans = [job.latest_result(timeout=20).return_value for job in jobs]
    wall = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    overlap = min(end for _, end, _ in spans) - max(start for start, _, _ in spans)  # > 0: all ran at once
    return wall, len({pid for _, _, pid in spans}), overlap


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        # worker-pool logs "*** Listening on" once per worker it forks
        with start_worker(
            "concurrency", queues=[queue.name], command="worker-pool", args=["-n", "3"], ready_count=3, timeout=25
        ):
            pool_wall, pool_pids, pool_overlap = run(send())
        with start_worker("concurrency", queues=[queue.name]):
            solo_wall, solo_pids, solo_overlap = run(send())

        assert pool_overlap > 0.5, f"pool: jobs did not overlap ({pool_overlap:.2f} s)"
        assert pool_pids == 3 and pool_wall < 3.0, f"pool: {pool_pids} processes, wall {pool_wall:.2f} s"
        assert solo_overlap < 0 and solo_wall >= 4.3, f"single worker: overlap {solo_overlap:.2f} s"
        print(
            f"OBSERVED: worker-pool -n 3 ran 3x1.5 s jobs in {pool_wall:.2f} s in {pool_pids} processes "
            f"(all overlapping {pool_overlap:.2f} s); one rq worker took {solo_wall:.2f} s, one at a time"
        )
    finally:
        purge_keys(redis)
