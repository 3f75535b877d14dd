"""Unique jobs: `enqueue(..., job_id=..., unique=True)` refuses a second job with the same id while
the first one still exists (raises DuplicateJobError); the id is free again once the job is deleted.
A "lock" against running twice at the same time is a RateLimit with concurrency=1.

Proves: unique. The duplicate enqueue is rejected (also after the first run, while its result is
kept), the original job runs exactly once, and after `job.delete()` the id can be used again.
"""

from __future__ import annotations

import os

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.exceptions import DuplicateJobError  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-unique", connection=redis)
RUNS = f"{os.environ['RQ_KEY_PREFIX']}:demo:runs"


# --8<-- [start:example]
def send_welcome_email(user_id: int) -> None:
    redis.incr(RUNS)


def enqueue_once(user_id: int) -> bool:
    from unique import send_welcome_email  # import by module name, as the worker will

    try:
        queue.enqueue(send_welcome_email, user_id, job_id=f"welcome-{user_id}", unique=True)
        return True
    except DuplicateJobError:  # a job with this id already exists
        return False


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        from rq.job import Job

        first, second = enqueue_once(42), enqueue_once(42)
        assert (first, second) == (True, False), (first, second)
        assert queue.count == 1, f"{queue.count} jobs queued"
        with start_worker("unique", queues=[queue.name], burst=True, ready=None) as worker:
            worker.proc.wait(timeout=20)
        assert int(redis.get(RUNS)) == 1
        after_run = enqueue_once(42)  # finished job still exists (result kept 500 s) -> still a duplicate
        assert after_run is False
        Job.fetch("welcome-42", connection=redis).delete()
        after_delete = enqueue_once(42)
        assert after_delete is True
        print(
            "OBSERVED: 2nd enqueue with the same job_id raised DuplicateJobError (1 queued, ran once); "
            "still rejected after the run while the job is kept; accepted again after job.delete()"
        )
    finally:
        purge_keys(redis)
