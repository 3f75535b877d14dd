"""Redelivery after a crash: when a worker is killed with SIGKILL mid-job, RQ does not run the job
again by default. The job stays "started" until its heartbeat expires (default 90 s: the 30 s job
monitoring interval + 60 s), then the next registry clean-up (on worker start and every 10 minutes)
marks it failed with AbandonedJobError in the FailedJobRegistry. Only a job enqueued with
`retry=Retry(...)` is requeued and runs again (at-least-once on request).

Proves: redelivery, acks. Two runs, each: worker starts the job, we SIGKILL the worker and its work
horse, a fresh worker starts. The heartbeat expiry is read from Redis (~90 s); instead of waiting it
out we run the same clean-up the worker runs, with a timestamp 120 s ahead.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, Retry  # noqa: E402
from rq.defaults import DEFAULT_JOB_MONITORING_INTERVAL  # noqa: E402
from rq.job import Job, JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-redelivery", connection=redis)
RUNS = f"{os.environ['RQ_KEY_PREFIX']}:demo:runs"


# --8<-- [start:example]
def import_file(name: str) -> str:
    attempt = redis.hincrby(RUNS, name, 1)
    if attempt == 1:
        time.sleep(60)  # the first attempt is still running when the worker dies
    return f"{name} imported on attempt {attempt}"


def send(name: str, retry: Retry | None = None) -> Job:
    from redelivery import import_file  # import by module name, as the worker will

    return queue.enqueue(import_file, name, retry=retry)  # default: no retry


# --8<-- [end:example]


def crash_mid_job(job: Job) -> float:
    """Start a worker, wait until `job` runs, SIGKILL the worker and its horse; return heartbeat expiry."""
    with start_worker("redelivery", queues=[queue.name]) as worker:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and job.get_status() != JobStatus.STARTED:
            time.sleep(0.05)
        time.sleep(0.3)
        entries = redis.zrange(queue.started_job_registry.key, 0, -1, withscores=True)  # "job_id:execution_id"
        (expires_at,) = [score for member, score in entries if member.decode().startswith(job.id)]
        worker.kill()
    return expires_at - time.time()


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        plain = send("plain.csv")
        expiry_plain = crash_mid_job(plain)
        retried = send("retried.csv", retry=Retry(max=3))
        expiry_retried = crash_mid_job(retried)

        with start_worker("redelivery", queues=[queue.name]):
            time.sleep(1.5)  # a fresh worker starts and cleans registries: nothing expired yet
            assert plain.get_status() == JobStatus.STARTED and retried.get_status() == JobStatus.STARTED
            # Fast-forward past the heartbeat expiry: the same clean-up the worker runs periodically.
            queue.started_job_registry.cleanup(timestamp=time.time() + 120)
            result = retried.latest_result(timeout=10)

        runs = {k.decode(): int(v) for k, v in redis.hgetall(RUNS).items()}
        assert 80 <= expiry_plain <= 91 and 80 <= expiry_retried <= 91, (expiry_plain, expiry_retried)
        assert DEFAULT_JOB_MONITORING_INTERVAL == 30
        assert plain.get_status() == JobStatus.FAILED and plain.id in queue.failed_job_registry
        assert "AbandonedJobError" in plain.latest_result().exc_string, plain.latest_result().exc_string
        assert runs["plain.csv"] == 1, f"default job ran {runs['plain.csv']} times"
        assert result is not None and result.return_value == "retried.csv imported on attempt 2", result
        assert runs["retried.csv"] == 2
        print(
            f"OBSERVED: after kill -9 the job stayed 'started' (heartbeat expiry {expiry_plain:.0f} s); then "
            f"default job -> FailedJobRegistry (AbandonedJobError), ran 1x; job with Retry(max=3) ran again "
            f"on the fresh worker ({runs['retried.csv']} attempts)"
        )
    finally:
        purge_keys(redis)
