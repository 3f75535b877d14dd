"""Delayed jobs: `queue.enqueue_in(timedelta)` / `queue.enqueue_at(datetime)` put a job in the
ScheduledJobRegistry; a worker started with `--with-scheduler` (or `rq worker-pool`) moves it to the
queue when it is due. A plain `rq worker` never runs scheduled jobs.

Proves: delayed. A job scheduled 2 s ahead is not run by a worker without the scheduler, and runs
~2 s after enqueueing on a worker with `--with-scheduler` (due times are whole seconds and the
scheduler polls every second, so expect +-1 s).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-delayed", connection=redis)


# --8<-- [start:example]
def ping() -> float:
    return time.time()  # when it actually ran


def send():
    from delayed import ping  # import by module name, as the worker will

    return queue.enqueue_in(timedelta(seconds=2), ping)  # or queue.enqueue_at(datetime, ping)


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        sent = time.time()
        job = send()
        assert job.get_status() == JobStatus.SCHEDULED and job.id in queue.scheduled_job_registry

        # A plain worker (no scheduler) that lives past the due time does not run it.
        with start_worker("delayed", queues=[queue.name]):
            time.sleep(max(0.0, sent + 3.0 - time.time()))
            assert job.get_status() == JobStatus.SCHEDULED, "ran without a scheduler?"

        # A worker with the scheduler: schedule 2 s ahead again and measure when it runs.
        job.delete()
        with start_worker("delayed", queues=[queue.name], with_scheduler=True):
            sent = time.time()
            job = send()
            result = job.latest_result(timeout=10)
        assert result is not None, "delayed job did not run"
        delay = result.return_value - sent
        # due times are whole seconds and the scheduler polls every second: 2 s +-1 s, plus a margin
        assert 0.9 <= delay <= 4.0, f"ran {delay:.2f} s after enqueue_in(2 s)"
        print(
            f"OBSERVED: enqueue_in(2 s) ran after {delay:.2f} s with --with-scheduler; "
            f"not run at all by a worker without it (still scheduled after 3 s)"
        )
    finally:
        purge_keys(redis)
