"""Graceful shutdown: on SIGTERM the worker finishes the task in hand, then exits.

Proves: a 2-second task is running when the worker gets SIGTERM (Celery's "warm shutdown"); the task
completes (state SUCCESS) and only then the worker exits with code 0. By default there is no time limit
on that wait (`worker_soft_shutdown_timeout` = 0 only matters for cold shutdown).
"""

import os
import signal
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-shutdown"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("shutdown", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def report(key: str) -> str:
    r.set(key, "started")
    time.sleep(2)  # still running when SIGTERM arrives
    return "report done"


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    key = f"{NS}:started"
    try:
        with start_worker("shutdown", queues=[QUEUE]) as worker:
            result = report.delay(key)
            deadline = time.monotonic() + 10
            while not r.exists(key) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert r.exists(key), "task never started"
            t0 = time.monotonic()
            worker.proc.send_signal(signal.SIGTERM)  # what `docker stop` / systemd send
            exit_code = worker.proc.wait(timeout=20)
            exited_after = time.monotonic() - t0
        value = result.get(timeout=5)
    finally:
        r.delete(key)
    assert value == "report done" and result.state == "SUCCESS", result.state
    assert exit_code == 0, exit_code
    assert exited_after >= 1.0, f"worker exited after {exited_after:.2f} s: it did not wait"
    print(
        f"OBSERVED: SIGTERM mid-task: task finished ({result.state}), worker exited with code "
        f"{exit_code} {exited_after:.2f} s after the signal"
    )
