"""Cancel: a queued RQ job can be cancelled before it runs (`job.cancel()`), and a running one can be
stopped (`send_stop_job_command`), which kills its work horse.

Proves: cancel. The cancelled job never runs and sits in the CanceledJobRegistry; the running job is
killed mid-task, gets status STOPPED and lands in the FailedJobRegistry.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.command import send_stop_job_command  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-cancel", connection=redis)
LOG = f"{os.environ['RQ_KEY_PREFIX']}:demo:log"


# --8<-- [start:example]
def work(name: str, seconds: float) -> str:
    redis.rpush(LOG, f"start {name}")
    time.sleep(seconds)
    redis.rpush(LOG, f"end {name}")
    return name


def cancel_queued_and_stop_running():
    from cancel import work  # import by module name, as the worker will

    running = queue.enqueue(work, "long", 10)
    queued = queue.enqueue(work, "queued", 0)
    queued.cancel()  # before any worker picks it up
    return running, queued


def stop(running) -> None:
    send_stop_job_command(redis, running.id)  # pub/sub message to the worker that runs it


# --8<-- [end:example]


def wait_status(job, statuses, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and job.get_status() not in statuses:
        time.sleep(0.05)


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        running, queued = cancel_queued_and_stop_running()
        assert queued.get_status() == JobStatus.CANCELED and queued.id not in queue.job_ids
        with start_worker("cancel", queues=[queue.name]):
            wait_status(running, [JobStatus.STARTED])
            time.sleep(0.5)  # let it get into time.sleep()
            t0 = time.monotonic()
            stop(running)
            wait_status(running, [JobStatus.STOPPED, JobStatus.FAILED, JobStatus.FINISHED])
            stopped_after = time.monotonic() - t0
            time.sleep(0.5)  # give a wrongly-kept 'queued' job the chance to run

        log = [x.decode() for x in redis.lrange(LOG, 0, -1)]
        assert running.get_status() == JobStatus.STOPPED, running.get_status()
        assert log == ["start long"], f"expected only the long job to start and never end, got {log}"
        assert queued.id in queue.canceled_job_registry, "cancelled job not in CanceledJobRegistry"
        assert running.id in queue.failed_job_registry, "stopped job not in FailedJobRegistry"
        assert stopped_after < 3, f"stop took {stopped_after:.2f} s"
        print(
            f"OBSERVED: queued job cancelled (never ran, in CanceledJobRegistry); running 10 s job stopped "
            f"{stopped_after:.2f} s after send_stop_job_command (status stopped, in FailedJobRegistry)"
        )
    finally:
        purge_keys(redis)
