"""Per-task time limit: the ``timeout`` label. It interrupts async tasks; sync tasks keep running.

Proves: an ``async def`` task labelled timeout=0.5 that sleeps 3 s is cancelled after 0.5 s (its
result is an error and its last line never runs). A plain ``def`` task with the same label gets an
error result after 0.5 s too, but its thread is not stopped: it still finishes 1.5 s later
(taskiq logs "Timeouts for sync tasks don't work in python well."). No default limit exists.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-timelimits"
astore = aioredis.from_url(REDIS_URL)


def make_broker() -> AsyncBroker:
    """RabbitMQ (taskiq-aio-pika) for amqp:// URLs, else a Redis list (taskiq-redis)."""
    if BROKER_URL.startswith("amqp"):
        return AioPikaBroker(
            BROKER_URL,
            exchange=Exchange(name=QUEUE),
            task_queues=[Queue(name=QUEUE)],
            dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
        )
    return ListQueueBroker(BROKER_URL, queue_name=QUEUE)


broker = make_broker().with_result_backend(RedisAsyncResultBackend(REDIS_URL, prefix_str=QUEUE))


# --8<-- [start:example]
@broker.task(timeout=0.5)  # seconds
async def async_too_long() -> None:
    await asyncio.sleep(3)
    await astore.set(f"{NS}:async-finished", 1)  # never reached


@broker.task(timeout=0.5)
def sync_too_long() -> None:
    time.sleep(1.5)  # a thread cannot be interrupted: this line completes anyway
    redis.Redis.from_url(REDIS_URL).set(f"{NS}:sync-finished", 1)


async def demo() -> tuple[str, str, float]:
    await broker.startup()
    t0 = time.monotonic()
    a = await (await async_too_long.kiq()).wait_result(timeout=10, check_interval=0.05)
    elapsed = time.monotonic() - t0
    s = await (await sync_too_long.kiq()).wait_result(timeout=10, check_interval=0.05)
    await broker.shutdown()
    return repr(a.error), repr(s.error), elapsed


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("time_limits:broker"):
            a_err, s_err, elapsed = asyncio.run(demo())
            time.sleep(2.0)  # give the sync thread time to finish
        async_finished = store.exists(f"{NS}:async-finished")
        sync_finished = store.exists(f"{NS}:sync-finished")
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert "Timeout" in a_err and "Timeout" in s_err, (a_err, s_err)
    assert elapsed < 2.5, f"async task result took {elapsed:.2f} s (limit 0.5 s)"
    assert not async_finished, "async task ran past its limit"
    assert sync_finished, "expected the sync task's thread to keep running"
    print(
        f"OBSERVED: async task with timeout=0.5 failed with {a_err} after {elapsed:.2f} s and never finished; "
        f"sync task got {s_err} but its thread still ran to the end"
    )
