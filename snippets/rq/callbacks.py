"""Callbacks: per job, RQ runs `on_success`, `on_failure` and `on_stopped` callbacks in the worker
(`Callback(func, timeout=...)`, default timeout 60 s). Success callbacks get (job, connection, result);
failure callbacks get (job, connection, type, value, traceback).

Proves: callbacks. One job succeeds and one fails; each callback runs once with the right arguments.
"""

from __future__ import annotations

import os

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Callback, Queue  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-callbacks", connection=redis)
EVENTS = f"{os.environ['RQ_KEY_PREFIX']}:demo:events"


# --8<-- [start:example]
def divide(a: int, b: int) -> float:
    return a / b


def on_ok(job, connection, result) -> None:
    connection.rpush(EVENTS, f"success {job.args} -> {result}")


def on_error(job, connection, exc_type, exc_value, tb) -> None:
    connection.rpush(EVENTS, f"failure {job.args} -> {exc_type.__name__}")


def send():
    from callbacks import divide, on_error, on_ok  # import by module name, as the worker will

    ok = queue.enqueue(divide, 6, 3, on_success=Callback(on_ok), on_failure=Callback(on_error))
    bad = queue.enqueue(divide, 1, 0, on_success=Callback(on_ok), on_failure=Callback(on_error, timeout=10))
    return ok, bad


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        ok, bad = send()
        with start_worker("callbacks", queues=[queue.name], burst=True, ready=None) as worker:
            worker.proc.wait(timeout=20)  # --burst: exits once the queue is empty
        events = [e.decode() for e in redis.lrange(EVENTS, 0, -1)]
        expected = ["success (6, 3) -> 2.0", "failure (1, 0) -> ZeroDivisionError"]
        assert events == expected, f"callbacks recorded {events}, expected {expected}"
        assert ok.success_callback_timeout == 60 and bad.failure_callback_timeout == 10
        print(f"OBSERVED: {events[0]!r}; {events[1]!r} (default callback timeout 60 s)")
    finally:
        purge_keys(redis)
