"""Results: a task's return value is stored in Redis, `.get()` blocks for it, and it expires after 1 day.

Proves: the result backend and blocking get work on this broker; the default `result_expires` is one day
(read from the app and from the TTL of the stored key); reading a result does not delete it, `forget()` does.
"""

import os
from datetime import timedelta

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-results"

# --8<-- [start:example]
app = Celery("results", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},  # Redis broker keys carry the namespace
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def add(x: int, y: int) -> int:
    return x + y


if __name__ == "__main__":
    from _worker import start_worker

    with start_worker("results", queues=[QUEUE]):
        result = add.delay(2, 3)
        value = result.get(timeout=20)  # blocks until the worker has stored the return value
        # --8<-- [end:example]
        assert value == 5, value
        assert result.state == "SUCCESS", result.state

        # Defaults: result_expires is one day, and the Redis key gets that TTL.
        assert app.conf.result_expires == timedelta(days=1), app.conf.result_expires
        r = redis.Redis.from_url(REDIS_URL)
        key = f"{NS}:celery-task-meta-{result.id}"
        raw = r.get(key)
        assert raw is not None, f"no result key {key}"
        ttl = r.ttl(key)
        assert 86_000 <= ttl <= 86_400, f"TTL {ttl}"
        assert raw.startswith(b"{"), raw[:40]  # JSON, the default result_serializer

        # A second read still works: reading does not delete the result.
        assert add.AsyncResult(result.id).get(timeout=5) == 5
        assert r.exists(key) == 1, "result was deleted by reading it"
        result.forget()  # explicit delete
        assert r.exists(key) == 0, "forget() did not delete the key"

    print(
        f"OBSERVED: get() returned {value}; result key TTL {ttl} s (default result_expires "
        f"{app.conf.result_expires}); still present after 2 reads; forget() deleted it"
    )
