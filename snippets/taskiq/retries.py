"""taskiq retries nothing by itself: add SimpleRetryMiddleware AND opt each task in.

Proves: without a retry middleware a failing task runs once. SimpleRetryMiddleware's defaults,
read at run time, are default_retry_count=3 and default_retry_label=False, so a task without
``retry_on_error=True`` still runs once; with it, ``max_retries=3`` means 3 attempts IN TOTAL
(1 run + 2 retries, the check is ``retries < max_retries``), re-sent at once with no delay.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker, SimpleRetryMiddleware
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-retries"


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


astore = aioredis.from_url(REDIS_URL)  # the tasks write down each attempt here

# --8<-- [start:example]
broker = make_broker().with_middlewares(SimpleRetryMiddleware())  # defaults: count 3, opt-in


@broker.task(retry_on_error=True, max_retries=3)  # opt in; 3 = total attempts
async def flaky() -> None:
    await astore.rpush(f"{NS}:retries:flaky", time.time())
    raise RuntimeError("boom")


@broker.task  # no retry_on_error label: the middleware leaves it alone
async def not_opted_in() -> None:
    await astore.rpush(f"{NS}:retries:plain", time.time())
    raise RuntimeError("boom")


# --8<-- [end:example]


async def send() -> None:
    await broker.startup()
    await flaky.kiq()
    await not_opted_in.kiq()
    await broker.shutdown()


if __name__ == "__main__":
    from _worker import start_worker

    mw = next(m for m in broker.middlewares if isinstance(m, SimpleRetryMiddleware))
    assert mw.default_retry_count == 3 and mw.default_retry_label is False, vars(mw)
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("retries:broker"):
            asyncio.run(send())
            deadline = time.monotonic() + 15
            while store.llen(f"{NS}:retries:flaky") < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.5)  # would a 4th attempt come? (it must not)
        stamps = [float(x) for x in store.lrange(f"{NS}:retries:flaky", 0, -1)]
        plain = store.llen(f"{NS}:retries:plain")
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert plain == 1, f"task without retry_on_error should run once, ran {plain}"
    assert len(stamps) == 3, f"max_retries=3 should mean 3 attempts in total, got {len(stamps)}"
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert all(g < 1.5 for g in gaps), f"SimpleRetryMiddleware has no delay, gaps {gaps}"
    print(
        f"OBSERVED: SimpleRetryMiddleware defaults default_retry_count=3, default_retry_label=False; "
        f"task without retry_on_error ran 1 time; retry_on_error=True, max_retries=3 ran {len(stamps)} "
        f"times in total, gaps {', '.join(f'{g:.2f} s' for g in gaps)} (no backoff)"
    )
