"""Graceful shutdown: on SIGTERM an RQ worker stops taking new jobs, lets the job in hand finish (no
time limit other than the job's own timeout), then exits. A second SIGTERM/SIGINT is a cold shutdown.

Proves: shutdown. SIGTERM arrives 0.5 s into a 2 s task; the task completes, the next queued job
stays on the queue for the next worker, and the worker exits only after the task ended.
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
queue = Queue(f"{NS}-shutdown", connection=redis)


# --8<-- [start:example]
def report(seconds: float) -> float:
    time.sleep(seconds)
    return time.time()  # when the task really finished


def send():
    from shutdown import report  # import by module name, as the worker will

    return queue.enqueue(report, 2), queue.enqueue(report, 0)


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker("shutdown", queues=[queue.name]) as worker:
            in_hand, waiting = send()
            while in_hand.get_status() != JobStatus.STARTED:
                time.sleep(0.05)
            time.sleep(0.5)
            worker.terminate()  # SIGTERM to the worker's main process, like `docker stop` / systemd
            sent = time.time()
            worker.proc.wait(timeout=15)
            exited = time.time()

        assert in_hand.get_status() == JobStatus.FINISHED, f"task in hand: {in_hand.get_status()}"
        finished = in_hand.latest_result().return_value
        assert finished > sent + 1.0, "task finished before SIGTERM?"
        assert exited >= finished, "worker exited before the task finished"
        assert worker.proc.returncode == 0, worker.proc.returncode
        assert waiting.get_status() == JobStatus.QUEUED and waiting.id in queue.job_ids, "queued job was lost"
        print(
            f"OBSERVED: SIGTERM {finished - sent:.2f} s before the 2 s task ended; task finished, worker exited "
            f"{exited - finished:.2f} s later with code 0; next job still queued"
        )
    finally:
        purge_keys(redis)
