"""async def tasks: Celery 5.7 does not await coroutine tasks; wrap them with asyncio.run() yourself.

Proves: a task declared with `async def` is called like a plain function, so the worker gets a coroutine
object back that never runs (its side effect does not happen) and the result cannot be stored (the call
fails with EncodeError). The same code wrapped in `asyncio.run()` inside a normal task works.
"""

import asyncio
import os

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-asyncio"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("asyncio_tasks", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
async def fetch(key: str) -> int:
    await asyncio.sleep(0.1)
    return r.incr(key)  # side effect we can observe


@app.task
async def native(key: str) -> int:  # NOT awaited by the worker
    return await fetch(key)


@app.task
def wrapped(key: str) -> int:  # the working pattern: run the coroutine yourself
    return asyncio.run(fetch(key))


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    key = f"{NS}:async-runs"
    try:
        with start_worker("asyncio_tasks", queues=[QUEUE]):
            native_result = native.delay(key)
            try:
                native_result.get(timeout=20)
                native_error = "none"
            except Exception as exc:  # the coroutine object is not JSON serializable
                native_error = type(exc).__name__
            runs_after_native = int(r.get(key) or 0)
            wrapped_value = wrapped.delay(key).get(timeout=20)
    finally:
        r.delete(key)
    assert native_result.state == "FAILURE", native_result.state
    assert runs_after_native == 0, "the coroutine body ran"
    assert wrapped_value == 1, wrapped_value
    print(
        f"OBSERVED: async def task -> state {native_result.state} ({native_error}), coroutine body "
        f"ran {runs_after_native}x; asyncio.run() wrapper returned {wrapped_value}"
    )
