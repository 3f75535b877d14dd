"""Fan-in: RQ runs parallel jobs and a join job with `depends_on=[list of jobs]`; the join is enqueued
only when all of them have finished and collects their results itself (`job.fetch_dependencies()`).
There is no chord primitive that hands the results over. (`Group` only tracks a set of jobs.)

Proves: fan_in. Three 1 s parts on a 3-worker pool run in parallel; the join job runs after all three
and sums their results.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, get_current_job  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-fanin", connection=redis)


# --8<-- [start:example]
def square(n: int) -> int:
    time.sleep(1)
    return n * n


def total() -> int:
    parts = get_current_job().fetch_dependencies()  # every job listed in depends_on
    return sum(part.return_value() for part in parts)


def send():
    from fan_in import square, total  # import by module name, as the worker will

    parts = [queue.enqueue(square, n) for n in (1, 2, 3)]
    join = queue.enqueue(total, depends_on=parts)  # runs once all parts have finished
    return parts, join


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker(
            "fan_in", queues=[queue.name], command="worker-pool", args=["-n", "3"], ready_count=3, timeout=25
        ):
            parts, join = send()
            result = join.latest_result(timeout=15)
        assert result is not None and result.return_value == 14, result
        for part in parts:
            part.refresh()
        join.refresh()
        starts = [p.started_at for p in parts]
        parallel = (max(starts) - min(starts)).total_seconds() < 0.9
        assert parallel, "parts did not run in parallel"
        assert join.started_at >= max(p.ended_at for p in parts), "join ran before all parts finished"
        print(
            f"OBSERVED: 3 parts started within {(max(starts) - min(starts)).total_seconds():.2f} s of each "
            f"other; join (depends_on all) ran after them and returned {result.return_value}"
        )
    finally:
        purge_keys(redis)
