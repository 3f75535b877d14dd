"""Priorities: the ``priority`` label is a real RabbitMQ message priority; Redis ignores it.

Proves: with no worker running we queue 5 low-priority tasks then 1 urgent one, then start ONE
worker running one task at a time (--max-async-tasks 1). RabbitMQ (a classic queue declared with
max_priority=10; taskiq-aio-pika's default queue type is quorum): the urgent task runs first.
Redis ListQueueBroker: the label is ignored, the urgent task runs last (FIFO).
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue, QueueType
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-priorities"
RABBIT = BROKER_URL.startswith("amqp")
astore = aioredis.from_url(REDIS_URL)

# --8<-- [start:example]
if RABBIT:
    broker: AsyncBroker = AioPikaBroker(
        BROKER_URL,
        exchange=Exchange(name=QUEUE),
        task_queues=[Queue(name=QUEUE, type=QueueType.CLASSIC, max_priority=10)],
        dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
    )
else:
    broker = ListQueueBroker(BROKER_URL, queue_name=QUEUE)


@broker.task
async def job(name: str) -> None:
    await astore.rpush(f"{NS}:order", name)


async def enqueue() -> None:
    await broker.startup()
    for i in range(5):
        await job.kicker().with_labels(priority=1).kiq(f"low{i}")
    await job.kicker().with_labels(priority=9).kiq("URGENT")  # queued last
    await broker.shutdown()


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    store = redis.Redis.from_url(REDIS_URL)
    try:
        asyncio.run(enqueue())  # RabbitMQ: the client declares the queue too
        with start_worker("priorities:broker", max_async_tasks=1) as w:
            deadline = time.monotonic() + 15
            while store.llen(f"{NS}:order") < 6 and time.monotonic() < deadline:
                time.sleep(0.1)
            w.kill()  # all 6 ran, queue empty: nothing to lose
        order = [x.decode() for x in store.lrange(f"{NS}:order", 0, -1)]
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert len(order) == 6, order
    pos = order.index("URGENT") + 1
    if RABBIT:
        assert pos == 1, f"RabbitMQ should run the urgent task first: {order}"
    else:
        assert pos == 6, f"Redis list should be FIFO: {order}"
    print(
        f"OBSERVED: {'RabbitMQ' if RABBIT else 'Redis'}: urgent task (priority=9) queued last ran {pos} of 6: {order}"
    )
