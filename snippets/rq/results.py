"""Results: RQ stores a job's return value in Redis, the caller can block until it is ready, and by
default the result expires after 500 s; reading it does not delete it.

Proves: result_backend (built in, blocking `job.latest_result(timeout=...)`), result_expiry (default
result TTL read from the stored keys) and that Redis is the broker (the only one RQ supports).
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time. Putting the namespace in it keeps
# every key of this run (jobs, results, registries, workers) apart from other runs on the same Redis.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.defaults import DEFAULT_RESULT_TTL  # noqa: E402
from rq.results import Result  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))


# --8<-- [start:example]
def add(x: int, y: int) -> int:
    time.sleep(0.5)  # long enough that the caller really has to wait
    return x + y


queue = Queue(f"{NS}-results", connection=redis)


def enqueue_and_wait() -> tuple[int, float]:
    from results import add  # workers import tasks by module name, so never enqueue a __main__ function

    job = queue.enqueue(add, 2, 3)  # no result_ttl given: the worker's default applies
    started = time.monotonic()
    result = job.latest_result(timeout=10)  # blocks (Redis XREAD) until the worker stores a result
    waited = time.monotonic() - started
    assert result is not None and result.type == Result.Type.SUCCESSFUL, result
    return result.return_value, waited


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker("results", queues=[queue.name]):
            value, waited = enqueue_and_wait()
            assert value == 5, f"expected 5, got {value!r}"
            assert waited >= 0.4, f"latest_result() returned after {waited:.2f} s, before the job could finish"
            assert queue.count == 0, "queue should be empty after the job ran"

        # Find the finished job and read the TTLs RQ put on its keys.
        from rq.job import Job

        (job_id,) = queue.finished_job_registry.get_job_ids()
        job = Job.fetch(job_id, connection=redis)
        job_ttl = redis.ttl(job.key)
        result_ttl = redis.ttl(Result.get_key(job.id))
        assert DEFAULT_RESULT_TTL == 500, DEFAULT_RESULT_TTL
        assert 480 <= job_ttl <= 500, f"job hash TTL {job_ttl} s, expected ~{DEFAULT_RESULT_TTL} s"
        assert 480 <= result_ttl <= 500, f"result stream TTL {result_ttl} s, expected ~{DEFAULT_RESULT_TTL} s"

        # Reading the result twice: it is still there (reads never delete).
        first, second = job.return_value(), Job.fetch(job_id, connection=redis).return_value()
        assert first == second == 5 and redis.exists(Result.get_key(job.id)), "reading deleted the result"
        print(
            f"OBSERVED: result 5 after a blocking wait of {waited:.2f} s; job and result keys expire in "
            f"{job_ttl} s / {result_ttl} s (default result_ttl {DEFAULT_RESULT_TTL} s); still readable after 2 reads"
        )
    finally:
        purge_keys(redis)
