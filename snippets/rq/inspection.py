"""Inspection: RQ's API counts and lists jobs per state: the queue itself (queued), and one registry
per state (StartedJobRegistry, FailedJobRegistry, ScheduledJobRegistry, DeferredJobRegistry,
FinishedJobRegistry, CanceledJobRegistry); `Worker.all()` lists workers and what they are running.
`rq info` prints the same on the command line.

Proves: inspection. With one job running, one failed, one queued, one scheduled and one deferred,
every count and id list matches, and the worker reports the job it is running.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, Worker  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-inspect", connection=redis)


# --8<-- [start:example]
def snapshot(queue: Queue) -> dict:
    return {
        "queued": queue.count,
        "started": queue.started_job_registry.count,
        "failed": queue.failed_job_registry.count,
        "scheduled": queue.scheduled_job_registry.count,
        "deferred": queue.deferred_job_registry.count,
        "finished": queue.finished_job_registry.count,
        "workers": {w.name: w.get_current_job_id() for w in Worker.all(queue=queue)},
    }


# --8<-- [end:example]


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def fail() -> None:
    raise ValueError("nope")


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        from inspection import fail, sleep

        failing = queue.enqueue(fail)
        running = queue.enqueue(sleep, 3)
        waiting = queue.enqueue(sleep, 0)
        later = queue.enqueue_in(timedelta(hours=1), sleep, 0)
        blocked = queue.enqueue(sleep, 0, depends_on=later)
        with start_worker("inspection", queues=[queue.name]):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and running.get_status() != JobStatus.STARTED:
                time.sleep(0.05)
            snap = snapshot(queue)
            ids = {
                "queued": queue.job_ids,
                "started": queue.started_job_registry.get_job_ids(),
                "failed": queue.failed_job_registry.get_job_ids(),
                "scheduled": queue.scheduled_job_registry.get_job_ids(),
                "deferred": queue.deferred_job_registry.get_job_ids(),
            }
            time.sleep(0.2)
            worker_name = next(iter(snap["workers"]))
            queue_workers = Worker.count(queue=queue)
            # stop the long job so the worker can exit promptly
            from rq.command import send_stop_job_command

            send_stop_job_command(redis, running.id)
        expected = {"queued": 1, "started": 1, "failed": 1, "scheduled": 1, "deferred": 1, "finished": 0}
        got = {k: v for k, v in snap.items() if k != "workers"}
        assert got == expected, f"counts {got}, expected {expected}"
        assert ids == {
            "queued": [waiting.id],
            "started": [running.id],
            "failed": [failing.id],
            "scheduled": [later.id],
            "deferred": [blocked.id],
        }, ids
        assert snap["workers"] == {worker_name: running.id} and queue_workers == 1, snap["workers"]
        print(f"OBSERVED: counts {got}; Worker.all() -> 1 worker running {running.id[:8]}")
    finally:
        purge_keys(redis)
