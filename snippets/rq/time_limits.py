"""Time limits: every RQ job has a timeout (default 180 s, `Queue.DEFAULT_TIMEOUT`); the work horse
is interrupted with SIGALRM when it is exceeded and the job fails with JobTimeoutException.

Proves: time_limits. A job that sleeps 10 s with `job_timeout=1` is stopped after ~1 s; the default
timeout is read from a job enqueued without one.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-limits", connection=redis)
FINISHED = f"{os.environ['RQ_KEY_PREFIX']}:demo:finished"


# --8<-- [start:example]
def slow(seconds: float) -> str:
    time.sleep(seconds)
    redis.set(FINISHED, 1)  # never reached when the limit hits
    return "done"


def send():
    from time_limits import slow  # import by module name, as the worker will

    return queue.enqueue(slow, 10, job_timeout=1)  # per job; also Queue(default_timeout=...)


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        from time_limits import slow

        default_job = queue.enqueue(slow, 0)  # not run: only to read the effective default
        default_timeout = default_job.timeout
        default_job.delete()
        assert default_timeout == Queue.DEFAULT_TIMEOUT == 180, default_timeout

        with start_worker("time_limits", queues=[queue.name]):
            job = send()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and job.get_status() not in (JobStatus.FAILED, JobStatus.FINISHED):
                time.sleep(0.1)

        job.refresh()
        ran = (job.ended_at - job.started_at).total_seconds()
        assert job.get_status() == JobStatus.FAILED, job.get_status()
        assert "JobTimeoutException" in (job.exc_info or ""), job.exc_info
        assert not redis.exists(FINISHED), "the task ran to completion despite the limit"
        assert 0.8 <= ran <= 3.0, f"job ran {ran:.2f} s, expected ~1 s"
        print(
            f"OBSERVED: job_timeout=1 stopped a 10 s task after {ran:.2f} s (JobTimeoutException); "
            f"default timeout {default_timeout} s"
        )
    finally:
        purge_keys(redis)
