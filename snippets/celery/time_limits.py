"""Time limits: the prefork pool stops a task that runs too long; the threads pool does not.

Proves: `soft_time_limit=1` raises SoftTimeLimitExceeded inside a 10 s task after ~1 s (it can clean up);
`time_limit=1` kills the pool process after ~1 s and the result is TimeLimitExceeded (the worker replaces
the child). Under `--pool threads` the same hard limit is not enforced: the task runs to the end.
No limit applies by default (task_time_limit / task_soft_time_limit are None).
"""

import os
import time

import redis
from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-time-limits"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("time_limits", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task(soft_time_limit=1)
def polite(seconds: float) -> float:
    started = time.monotonic()
    try:
        time.sleep(seconds)
        raise AssertionError("the soft limit did not interrupt the task")
    except SoftTimeLimitExceeded:
        return time.monotonic() - started  # raised inside the task; clean up here


@app.task(time_limit=1)
def stubborn(seconds: float, key: str) -> str:
    r.set(key, time.time())  # when it started
    time.sleep(seconds)  # the pool process is killed when the hard limit expires
    return "finished"


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    assert app.conf.task_time_limit is None and app.conf.task_soft_time_limit is None
    key = f"{NS}:stubborn-started"
    try:
        with start_worker("time_limits", queues=[QUEUE], concurrency=2):  # prefork (the default)
            soft, hard = polite.delay(10), stubborn.delay(10, key)
            soft_s = soft.get(timeout=30)  # seconds the task ran before SoftTimeLimitExceeded
            try:
                hard.get(timeout=30)
                raise AssertionError("hard time limit was not enforced")
            except TimeLimitExceeded:
                # from the task's start to the stored failure (includes killing the process)
                hard_s = hard.date_done.timestamp() - float(r.get(key))
        assert 0.9 <= soft_s <= 4, soft_s
        assert 0.9 <= hard_s <= 6, hard_s  # far below the 10 s the task wanted

        with start_worker("time_limits", queues=[QUEUE], pool="threads", concurrency=2):
            threaded = stubborn.delay(2, key).get(timeout=30)  # 2 s task, 1 s hard limit
    finally:
        r.delete(key)
    assert threaded == "finished", threaded
    print(
        f"OBSERVED: prefork: soft limit interrupted the task after {soft_s:.2f} s, hard limit "
        f"-> TimeLimitExceeded {hard_s:.2f} s after start (10 s task); threads pool: 2 s task "
        f"with time_limit=1 returned '{threaded}' (not enforced)"
    )
