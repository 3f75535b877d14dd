"""Results: stored by taskiq-redis's RedisAsyncResultBackend, awaited by polling.

Proves: the core broker keeps no results (DummyResultBackend); with RedisAsyncResultBackend
``await task.wait_result()`` polls every 0.2 s until the worker stored the value; the stored key
has NO expiry by default (TTL -1), it is pickled (PickleSerializer is the backend's default),
reading it does not delete it, ``keep_results=False`` makes a read delete it, and
``result_ex_time`` gives it a TTL.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
from taskiq import AsyncBroker
from taskiq.result_backends.dummy import DummyResultBackend
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-results"
PREFIX = f"taskiq-{NS}-results"


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


# --8<-- [start:example]
# Results need a backend from taskiq-redis; keep the defaults except a key prefix.
broker = make_broker().with_result_backend(RedisAsyncResultBackend(REDIS_URL, prefix_str=PREFIX))


@broker.task
async def add(a: int, b: int) -> int:
    return a + b


async def demo() -> tuple[int, float]:
    await broker.startup()
    task = await add.kiq(2, 3)
    t0 = time.monotonic()
    result = await task.wait_result(timeout=10)  # polls is_result_ready every 0.2 s
    waited = time.monotonic() - t0
    assert not result.is_err
    again = await task.get_result()  # a second read still works: reading does not delete
    assert again.return_value == 5
    await broker.shutdown()
    return result.return_value, waited


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    store = redis.Redis.from_url(REDIS_URL)
    assert isinstance(make_broker().result_backend, DummyResultBackend), "core default should store nothing"
    backend = broker.result_backend
    assert backend.keep_results is True and backend.result_ex_time is None and backend.result_px_time is None
    try:
        with start_worker("results:broker") as worker:
            value, waited = asyncio.run(demo())
            stop_s = worker.stop()
        keys = [k.decode() for k in store.scan_iter(f"{PREFIX}:*")]
        assert value == 5 and len(keys) == 1, (value, keys)
        ttl = store.ttl(keys[0])
        raw = store.get(keys[0])
        assert ttl == -1, f"result key should not expire by default, TTL={ttl}"
        assert raw is not None and raw[:1] == b"\x80", f"expected a pickle (0x80 header), got {raw[:20]!r}"

        # keep_results=False: GETDEL on read. result_ex_time: a TTL on the key.
        async def options() -> tuple[bool, int]:
            from taskiq import TaskiqResult

            b = RedisAsyncResultBackend(REDIS_URL, prefix_str=PREFIX, keep_results=False, result_ex_time=60)
            await b.set_result("x", TaskiqResult(is_err=False, return_value=1, execution_time=0.0))
            ttl_opt = store.ttl(f"{PREFIX}:x")
            await b.get_result("x")
            gone = not store.exists(f"{PREFIX}:x")
            await b.shutdown()
            return gone, ttl_opt

        gone, ttl_opt = asyncio.run(options())
        assert gone and 55 <= ttl_opt <= 60, (gone, ttl_opt)
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    print(
        f"OBSERVED: wait_result returned 5 after {waited:.2f} s; result key TTL -1 (never expires), "
        f"pickled (starts 0x80), still there after 2 reads; keep_results=False deleted it on read; "
        f"result_ex_time=60 gave TTL {ttl_opt} s; worker SIGTERM stop took {stop_s:.1f} s"
    )
