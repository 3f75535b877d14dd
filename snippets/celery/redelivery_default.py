"""Redelivery with DEFAULT settings: a task whose worker is killed (kill -9) mid-task is lost.

Proves: Celery acknowledges a message when the worker *receives* it (task_acks_late=False by default),
so after SIGKILL of the whole worker (main process and pool child) a fresh worker never runs the task
again, on Redis and on RabbitMQ: at-most-once by default.
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-redelivery-default"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("redelivery_default", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
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

    assert app.conf.task_acks_late is False  # the default
    key = f"{NS}:runs"
    try:
        with start_worker("redelivery_default", queues=[QUEUE]) as worker:
            long_job.delay(key)
            assert wait_for(lambda: r.get(key) == b"1", 15), "task never started"
            worker.kill()  # kill -9 the main process and its pool child mid-task
        with start_worker("redelivery_default", queues=[QUEUE]):
            redelivered = wait_for(lambda: int(r.get(key)) > 1, 4)  # give it a fair chance
        runs = int(r.get(key))
    finally:
        r.delete(key)
    assert not redelivered and runs == 1, f"task ran {runs} times"
    print(
        f"OBSERVED: kill -9 mid-task, fresh worker waited 4 s: task ran {runs}x in total "
        f"(lost; task_acks_late={app.conf.task_acks_late})"
    )
