"""Redelivery with `task_acks_late=True`: a task whose worker is killed (kill -9) mid-task runs again.

Proves: with late acknowledgement the message stays unacknowledged while the task runs; after SIGKILL of
the whole worker a fresh worker runs it again. RabbitMQ redelivers as soon as the dead connection closes.
Redis only restores an unacknowledged message after the transport's `visibility_timeout` (default 3600 s,
read here from kombu); the demo shortens it to 3 s and sweeps every second so it finishes quickly.
"""

import os
import time

import redis
from celery import Celery
from kombu.transport.redis import Channel as RedisChannel

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-redelivery-late"
r = redis.Redis.from_url(REDIS_URL)

# --8<-- [start:example]
app = Celery("redelivery_acks_late", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=True,  # acknowledge after the task has run (at-least-once)
    worker_prefetch_multiplier=1,
    broker_transport_options={
        "global_keyprefix": f"{NS}:",
        # Redis only (ignored on RabbitMQ): demo values; the default visibility_timeout is 3600 s.
        "visibility_timeout": 3,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        # A worker killed during a restore sweep leaves its sweep lock behind for this long
        # (default 300 s), blocking restores by other workers; keep it short for the demo.
        "unacked_mutex_expire": 2,
    },
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def long_job(key: str) -> str:
    if r.incr(key) == 1:  # count the runs
        time.sleep(60)  # first run: long enough to be killed in the middle
    return "done"


# --8<-- [end:example]


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


if __name__ == "__main__":
    from _worker import start_worker

    assert RedisChannel.visibility_timeout == 3600, RedisChannel.visibility_timeout
    key = f"{NS}:runs"
    try:
        with start_worker("redelivery_acks_late", queues=[QUEUE]) as worker:
            result = long_job.delay(key)
            assert wait_for(lambda: r.get(key) == b"1", 15), "task never started"
            killed_at = time.monotonic()
            worker.kill()  # kill -9 the main process and its pool child mid-task
        with start_worker("redelivery_acks_late", queues=[QUEUE]):
            assert result.get(timeout=30) == "done"
            after = time.monotonic() - killed_at
        runs = int(r.get(key))
    finally:
        r.delete(key)
    assert runs == 2, f"task ran {runs} times"
    transport = app.connection_for_read().transport_cls
    print(
        f"OBSERVED: kill -9 mid-task; with task_acks_late=True the task ran again on a fresh worker "
        f"({runs} runs, finished {after:.1f} s after the kill, broker {transport}; "
        f"Redis visibility_timeout default {RedisChannel.visibility_timeout} s, demo 3 s)"
    )
