"""Unique jobs: Celery has no built-in de-duplication; a repeated task id still runs twice.

Proves: sending the same task twice with the same custom `task_id` does not stop the second copy:
both run. A lock you write yourself (Redis SET NX with an expiry) is the usual pattern; it makes the
second copy skip the work while the first holds the lock.
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-unique"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("unique", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def rebuild(key: str) -> None:
    r.incr(key)  # counts runs
    time.sleep(0.5)


@app.task
def rebuild_locked(key: str, lock: str) -> str:
    # Your own lock: only one copy may hold it; the expiry protects against crashed workers.
    if not r.set(lock, "1", nx=True, ex=60):
        return "skipped"
    try:
        r.incr(key)
        time.sleep(0.5)
        return "ran"
    finally:
        r.delete(lock)


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    plain_key, locked_key, lock = f"{NS}:plain", f"{NS}:locked", f"{NS}:lock"
    try:
        with start_worker("unique", queues=[QUEUE], concurrency=2):
            same_id = f"{NS}-rebuild-report"
            a = rebuild.apply_async((plain_key,), task_id=same_id)
            b = rebuild.apply_async((plain_key,), task_id=same_id)  # accepted, not rejected
            locked = [rebuild_locked.delay(locked_key, lock) for _ in range(2)]
            outcomes = sorted(res.get(timeout=20) for res in locked)
            a.get(timeout=20)
            deadline = time.monotonic() + 5
            while int(r.get(plain_key) or 0) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            plain_runs = int(r.get(plain_key) or 0)
            locked_runs = int(r.get(locked_key) or 0)
    finally:
        r.delete(plain_key, locked_key, lock)
    assert plain_runs == 2, f"same task_id ran {plain_runs}x"
    assert outcomes == ["ran", "skipped"] and locked_runs == 1, (outcomes, locked_runs)
    print(
        f"OBSERVED: two sends with the same task_id ran {plain_runs}x (no de-duplication); "
        f"with a hand-written Redis lock: {', '.join(outcomes)}"
    )
