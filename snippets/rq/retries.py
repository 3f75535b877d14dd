"""Retries: RQ does not retry by default (a job that raises runs once and goes to the FailedJobRegistry);
with `retry=Retry(max=N, interval=[...])` it runs again after the given delays (seconds).

Proves: retries. A job without Retry is attempted exactly once; a job with Retry(max=2, interval=[1, 4])
is attempted 3 times, ~1 s then ~4 s apart. Delayed retries are put in the ScheduledJobRegistry, so the
worker must run the scheduler (`rq worker --with-scheduler`). Due times are stored in whole seconds and
the scheduler polls once a second, so each delay lands within about +-1 s of the requested one.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, Retry  # noqa: E402
from rq.job import Job, JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-retries", connection=redis)
ATTEMPTS = f"{os.environ['RQ_KEY_PREFIX']}:demo:attempts"  # our own bookkeeping, under the run's prefix


# --8<-- [start:example]
def always_fails(tag: str) -> None:
    redis.rpush(f"{ATTEMPTS}:{tag}", time.time())  # record each attempt
    raise RuntimeError("boom")


def send() -> tuple[Job, Job]:
    from retries import always_fails  # import by module name: the worker does the same

    plain = queue.enqueue(always_fails, "plain")  # default: no retry
    retried = queue.enqueue(always_fails, "retried", retry=Retry(max=2, interval=[1, 4]))
    return plain, retried


# --8<-- [end:example]


def attempts(tag: str) -> list[float]:
    return [float(t) for t in redis.lrange(f"{ATTEMPTS}:{tag}", 0, -1)]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        # The effective default: a job enqueued without `retry=` has no retries left to use.
        probe = Job.create(print, connection=redis)
        assert probe.retries_left is None and probe.retry_intervals is None, "expected no default retries"

        with start_worker("retries", queues=[queue.name], with_scheduler=True):
            plain, retried = send()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and retried.get_status() != JobStatus.FAILED:
                time.sleep(0.1)

        assert plain.get_status() == JobStatus.FAILED, plain.get_status()
        assert retried.get_status() == JobStatus.FAILED, retried.get_status()
        plain_runs, runs = attempts("plain"), attempts("retried")
        assert len(plain_runs) == 1, f"default: expected 1 attempt, got {len(plain_runs)}"
        assert len(runs) == 3, f"Retry(max=2): expected 3 attempts, got {len(runs)}"
        gaps = [b - a for a, b in zip(runs, runs[1:])]
        # whole-second due times + 1 s polling: +-1 s, plus a margin for a busy machine
        assert gaps[0] <= 2.6, f"first retry after {gaps[0]:.2f} s, expected ~1 s"
        assert 2.9 <= gaps[1] <= 5.6, f"second retry after {gaps[1]:.2f} s, expected ~4 s"
        assert retried.id in queue.failed_job_registry, "exhausted job should be in the FailedJobRegistry"
        print(
            f"OBSERVED: default 1 attempt (retries_left=None); Retry(max=2, interval=[1, 4]): "
            f"{len(runs)} attempts, gaps {gaps[0]:.2f} s, {gaps[1]:.2f} s, then FailedJobRegistry"
        )
    finally:
        purge_keys(redis)
