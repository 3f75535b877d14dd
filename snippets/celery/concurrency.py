"""Concurrency: one worker runs tasks in parallel with processes (prefork, default) or threads.

Proves: two 1-second tasks overlap in time under `--pool prefork -c 2` and under `--pool threads -c 2`,
and run one after the other under `--pool solo`. (gevent and eventlet pools also exist but need those
packages installed; they are not part of this environment.) The default concurrency is the number of CPUs.
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-concurrency"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("concurrency", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def io_bound() -> tuple[float, float]:
    start = time.time()
    time.sleep(1)
    return start, time.time()


# Run with: celery -A concurrency worker --pool prefork|threads|solo|gevent|eventlet --concurrency 2
# --8<-- [end:example]


def overlap(pool: str) -> float:
    from _worker import start_worker

    with start_worker("concurrency", queues=[QUEUE], pool=pool, concurrency=2):
        (s1, e1), (s2, e2) = [res.get(timeout=20) for res in [io_bound.delay(), io_bound.delay()]]
    return min(e1, e2) - max(s1, s2)  # > 0: they ran at the same time


if __name__ == "__main__":
    assert app.conf.worker_pool == "prefork" and app.conf.worker_concurrency is None  # None = CPUs
    results = {pool: overlap(pool) for pool in ("prefork", "threads", "solo")}
    assert results["prefork"] > 0.5 and results["threads"] > 0.5, results
    assert results["solo"] <= 0.05, results
    print("OBSERVED: overlap of two 1 s tasks: " + ", ".join(f"{p} {o:+.2f} s" for p, o in results.items()))
