"""Rate limiting: RQ 3.0 has concurrency limits, not time-based rates. `RateLimit(key, concurrency=N)`
lets at most N jobs sharing the key be queued or running at once, across all workers and queues; the
others wait with status `rate_limited`. There is no "N per second/minute" option.

Proves: rate_limiting. Four 1 s jobs with RateLimit(concurrency=2) on a pool of 4 workers: two are
queued and two held back at enqueue time, and at most two ever run at the same time.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, RateLimit  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-ratelimit", connection=redis)


# --8<-- [start:example]
def report(n: int) -> tuple[float, float]:
    start = time.time()
    time.sleep(1)
    return start, time.time()


reports = RateLimit(key=f"{NS}-reports", concurrency=2)  # at most 2 queued or running at once


def send():
    from rate_limit import report  # import by module name, as the worker will

    return [queue.enqueue(report, n, rate_limit=reports) for n in range(4)]


# --8<-- [end:example]


def max_parallel(spans: list[tuple[float, float]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    running = peak = 0
    for _, delta in events:
        running += delta
        peak = max(peak, running)
    return peak


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker(
            "rate_limit", queues=[queue.name], command="worker-pool", args=["-n", "4"], ready_count=4, timeout=25
        ):
            jobs = send()
            statuses = [job.get_status().value for job in jobs]
            spans = [job.latest_result(timeout=20).return_value for job in jobs]
        assert statuses.count(JobStatus.QUEUED.value) == 2, statuses
        assert statuses.count("rate_limited") == 2, statuses
        peak = max_parallel(spans)
        wall = max(e for _, e in spans) - min(s for s, _ in spans)
        assert peak == 2, f"{peak} jobs ran at once, limit is 2"
        assert wall >= 1.9, f"4 x 1 s jobs at concurrency 2 took only {wall:.2f} s"
        print(
            f"OBSERVED: statuses at enqueue {statuses}; at most {peak} ran at once on 4 workers; "
            f"4 x 1 s jobs took {wall:.2f} s"
        )
    finally:
        purge_keys(redis)
