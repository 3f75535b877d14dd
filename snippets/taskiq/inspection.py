"""Inspection, unique jobs and cancel: what taskiq offers for queued tasks (no worker needed).

Proves: taskiq's broker and task handle have no API to list or count queued/running tasks, to
cancel/revoke one, or to deduplicate: three kiq() calls with the SAME task id (with_task_id) queue
three messages. Counting and removing queued messages means going to the broker directly:
LLEN/LREM on the Redis list, a passive queue declare / purge on RabbitMQ.
"""

from __future__ import annotations

import asyncio
import os
import re

import aio_pika
import redis
from taskiq import AsyncBroker, AsyncTaskiqTask
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-inspection"
RABBIT = BROKER_URL.startswith("amqp")


def make_broker() -> AsyncBroker:
    """RabbitMQ (taskiq-aio-pika) for amqp:// URLs, else a Redis list (taskiq-redis)."""
    if RABBIT:
        return AioPikaBroker(
            BROKER_URL,
            exchange=Exchange(name=QUEUE),
            task_queues=[Queue(name=QUEUE)],
            dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
        )
    return ListQueueBroker(BROKER_URL, queue_name=QUEUE)


broker = make_broker()


@broker.task
async def report(n: int) -> int:
    return n


# --8<-- [start:example]
async def count_queued() -> int:
    """No taskiq API: ask the broker itself."""
    if RABBIT:
        conn = await aio_pika.connect(BROKER_URL)
        q = await (await conn.channel()).declare_queue(QUEUE, passive=True)
        n = q.declaration_result.message_count or 0
        await conn.close()
        return n
    return redis.Redis.from_url(BROKER_URL).llen(QUEUE)


async def purge() -> None:
    """The only "cancel" for queued tasks: delete the messages from the broker."""
    if RABBIT:
        conn = await aio_pika.connect(BROKER_URL)
        q = await (await conn.channel()).declare_queue(QUEUE, passive=True)
        await q.purge()
        await conn.close()
    else:
        redis.Redis.from_url(BROKER_URL).delete(QUEUE)


async def demo() -> tuple[int, int]:
    await broker.startup()
    for _ in range(3):  # same id three times: not deduplicated
        await report.kicker().with_task_id("report-2024").kiq(1)
    await asyncio.sleep(0.3)
    queued = await count_queued()
    await purge()
    await broker.shutdown()
    return queued, await count_queued()


# --8<-- [end:example]


if __name__ == "__main__":
    names = {n for cls in (type(broker), AsyncTaskiqTask, type(report)) for n in dir(cls)}
    for missing in ("cancel", "revoke", "abort", "purge", "inspect", "queue_length", "get_queued"):
        assert missing not in names, f"unexpected API {missing}"
    try:
        queued, after = asyncio.run(demo())
    finally:
        if not RABBIT:
            redis.Redis.from_url(BROKER_URL).delete(QUEUE)
    assert queued == 3 and after == 0, (queued, after)
    print(
        f"OBSERVED: no cancel/revoke/inspect API on broker or task handle; 3 kiq() with the same task_id "
        f"queued {queued} messages (no dedup), counted and purged via the {'RabbitMQ queue' if RABBIT else 'Redis list'} directly"
    )
