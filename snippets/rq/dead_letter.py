"""Failed jobs: a job that fails for good is kept in the queue's FailedJobRegistry (default
failure_ttl: 1 year) with its traceback, and can be requeued (`registry.requeue()`, `job.requeue()`,
or `rq requeue --all` on the command line).

Proves: dead_letter. A job fails, we find it in the registry with its exception text, fix the cause,
requeue it, and the worker runs it successfully.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.defaults import DEFAULT_FAILURE_TTL  # noqa: E402
from rq.job import Job, JobStatus  # noqa: E402
from rq.registry import FailedJobRegistry  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-dlq", connection=redis)
BROKEN = f"{os.environ['RQ_KEY_PREFIX']}:demo:broken"


# --8<-- [start:example]
def charge(order_id: int) -> str:
    if redis.exists(BROKEN):
        raise ConnectionError("payment gateway down")
    return f"charged {order_id}"


def inspect_and_requeue() -> list[str]:
    failed = FailedJobRegistry(queue=queue)
    for job_id in failed.get_job_ids():
        job = Job.fetch(job_id, connection=redis)
        print(job_id, job.func_name, job.latest_result().exc_string.splitlines()[-1])
        failed.requeue(job_id)  # back onto its original queue
    return failed.get_job_ids()


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        from dead_letter import charge  # import by module name, as the worker will

        redis.set(BROKEN, 1)
        with start_worker("dead_letter", queues=[queue.name]):
            job = queue.enqueue(charge, 42)
            result = job.latest_result(timeout=10)
            assert job.get_status() == JobStatus.FAILED, job.get_status()
            assert job.id in queue.failed_job_registry
            assert "payment gateway down" in result.exc_string
            ttl = redis.ttl(job.key)
            expires_in = queue.failed_job_registry.get_expiration_time(job)

            redis.delete(BROKEN)  # fix the cause, then requeue
            left = inspect_and_requeue()
            assert left == [], left
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and job.get_status() != JobStatus.FINISHED:
                time.sleep(0.05)
        assert job.get_status() == JobStatus.FINISHED, job.get_status()
        assert job.latest_result().return_value == "charged 42"
        assert DEFAULT_FAILURE_TTL == 31536000 and ttl > 31_000_000, ttl
        print(
            f"OBSERVED: failed job kept in FailedJobRegistry (key TTL {ttl} s ~ 1 year, "
            f"registry expiry {expires_in:%Y-%m-%d}) with its exception; requeued, then succeeded"
        )
    finally:
        purge_keys(redis)
