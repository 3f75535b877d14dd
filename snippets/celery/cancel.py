"""Cancel: revoke a queued task so it never runs, and stop a running one with terminate=True.

Proves: `AsyncResult.revoke()` on a task still waiting in the queue makes every worker discard it
(state REVOKED, body never runs); `revoke(terminate=True)` kills the pool process running the task (prefork)
and the result becomes REVOKED within about a second.
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-cancel"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("cancel", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def work(key: str, seconds: float) -> str:
    r.rpush(key, "started")
    time.sleep(seconds)
    return "finished"


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


if __name__ == "__main__":
    from _worker import start_worker

    running_key, queued_key = f"{NS}:running", f"{NS}:queued"
    try:
        with start_worker("cancel", queues=[QUEUE], concurrency=1):
            # --8<-- [start:example]
            running = work.delay(running_key, 30)  # occupies the only pool process
            queued = work.delay(queued_key, 0)  # waits behind it
            assert wait_for(lambda: r.llen(running_key) == 1, 20), "first task never started"

            queued.revoke()  # a queued task: workers will skip it
            t0 = time.monotonic()
            running.revoke(terminate=True)  # a running task: SIGTERM its pool process
            # --8<-- [end:example]
            assert wait_for(lambda: running.state == "REVOKED", 10), running.state
            stopped_after = time.monotonic() - t0
            assert wait_for(lambda: queued.state == "REVOKED", 10), queued.state
            time.sleep(0.5)
            queued_runs = r.llen(queued_key)
    finally:
        r.delete(running_key, queued_key)
    assert queued_runs == 0, "the revoked queued task ran"
    assert stopped_after < 5, stopped_after
    print(
        f"OBSERVED: queued task revoked -> {queued.state}, ran {queued_runs}x; running task "
        f"revoke(terminate=True) -> {running.state} after {stopped_after:.2f} s"
    )
