"""Canvas: chains, groups, chords (fan-in) and success/error callbacks, with asserted results.

Proves: chain(add(1, 2), add(3), mul(10)) == 60 (each result is passed to the next task);
group of 5 parallel adds returns all results; chord(group, tsum) passes all results to one callback;
`link=` runs a callback with the return value, `link_error=` runs an errback when a task fails.
"""

import os
import time

import redis
from celery import Celery, chain, chord, group

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-canvas"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("canvas", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def add(x: int, y: int) -> int:
    return x + y


@app.task
def mul(x: int, y: int) -> int:
    return x * y


@app.task
def tsum(numbers: list[int]) -> int:
    return sum(numbers)


@app.task
def divide(x: int, y: int) -> float:
    return x / y


@app.task
def on_success(value: int, key: str) -> None:  # gets the parent's return value first
    r.rpush(key, f"success:{value}")


@app.task
def on_error(request, exc: Exception, traceback: str, key: str) -> None:  # errback signature
    r.rpush(key, f"error:{type(exc).__name__}")


def run_examples(key: str) -> tuple[int, list[int], int]:
    pipeline = chain(add.s(1, 2), add.s(3), mul.s(10))  # ((1 + 2) + 3) * 10
    parallel = group(add.s(i, i) for i in range(5))
    fan_in = chord((add.s(i, i) for i in range(5)), tsum.s())
    add.apply_async((20, 22), link=on_success.s(key))
    divide.apply_async((1, 0), link_error=on_error.s(key))
    return (
        pipeline.apply_async().get(timeout=20),
        parallel.apply_async().get(timeout=20),
        fan_in.apply_async().get(timeout=20),
    )


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    key = f"{NS}:callbacks"
    try:
        with start_worker("canvas", queues=[QUEUE], concurrency=2):
            chained, grouped, chorded = run_examples(key)
            deadline = time.monotonic() + 10
            while r.llen(key) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        callbacks = sorted(x.decode() for x in r.lrange(key, 0, -1))
    finally:
        r.delete(key)
    assert chained == 60, chained
    assert grouped == [0, 2, 4, 6, 8], grouped
    assert chorded == 20, chorded
    assert callbacks == ["error:ZeroDivisionError", "success:42"], callbacks
    print(
        f"OBSERVED: chain -> {chained}; group -> {grouped}; chord(group, tsum) -> {chorded}; "
        f"callbacks ran: {', '.join(callbacks)}"
    )
