"""``async def`` actors run natively on the worker's event loop (AsyncIO middleware).

Proves: an ``async def`` actor is awaited by the worker: it runs inside a running event loop on
Dramatiq's event-loop thread (not the worker thread), can ``await``, and its return value is stored.
Three 1 s coroutines sent to a worker with 3 threads share that one loop and overlap.
The AsyncIO middleware is not in the default middleware list: add it yourself.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO, default_middleware
from dramatiq.results import Results
from dramatiq.results.backends import RedisBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-asyncio"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
backend = RedisBackend(url=REDIS_URL, namespace=f"results-{NS}", use_namespace_prefix_keys=True)
broker.add_middleware(Results(backend=backend))
# --8<-- [start:example]
broker.add_middleware(AsyncIO())  # starts one event-loop thread per worker process
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE, store_results=True)
async def fetch(n: int) -> dict:
    start = time.time()
    await asyncio.sleep(1)  # any awaitable: aiohttp, asyncpg, ...
    return {
        "n": n,
        "loop_thread": threading.current_thread().name,
        "loop_running": asyncio.get_running_loop().is_running(),
        "start": start,
        "end": time.time(),
    }


# --8<-- [end:example]


def cleanup() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for c in {client, getattr(broker, "client", client)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    assert AsyncIO not in default_middleware, "AsyncIO is opt-in"
    cleanup()
    try:
        with start_worker("asyncio_tasks", queues=[QUEUE], threads=3):
            messages = [fetch.send(n) for n in range(3)]
            out = [m.get_result(block=True, timeout=15_000) for m in messages]
    finally:
        cleanup()

    assert [o["n"] for o in out] == [0, 1, 2], out
    assert all(o["loop_running"] for o in out), out
    loop_threads = {o["loop_thread"] for o in out}
    assert len(loop_threads) == 1, f"all coroutines should share one loop thread: {loop_threads}"
    overlap = min(o["end"] for o in out) - max(o["start"] for o in out)
    assert overlap > 0, f"the coroutines did not overlap ({overlap:.2f} s)"
    print(
        f"OBSERVED: 3 async def actors awaited on event-loop thread {loop_threads.pop()!r}, "
        f"overlapping {overlap:.2f} s; results returned via get_result"
    )
