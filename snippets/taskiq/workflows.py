"""Chains, fan-in, callbacks and failed tasks with core taskiq (taskiq-pipelines is an add-on).

Proves: core taskiq has no chain/group API; an ``async def`` task can kiq() other tasks and await
their results, which gives a chain (A -> B) and a fan-in (gather 3, then sum) in your own code.
Callbacks are global only: a middleware's post_execute / on_error saw every success and failure.
A task that fails for good is acknowledged and dropped: only its error result remains (no
failed-task queue; on RabbitMQ the declared dead-letter queue stays empty).
"""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

import aio_pika
import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker, TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-workflows"
RABBIT = BROKER_URL.startswith("amqp")
astore = aioredis.from_url(REDIS_URL)


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


# --8<-- [start:example]
class Callbacks(TaskiqMiddleware):
    """Global success/failure hooks (there is no per-task on_success= option)."""

    async def post_execute(self, message: TaskiqMessage, result: TaskiqResult[Any]) -> None:
        if not result.is_err:
            await astore.rpush(f"{NS}:ok", message.task_name)

    async def on_error(self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException) -> None:
        await astore.rpush(f"{NS}:failed", f"{message.task_name}: {exception!r}")


broker = (
    make_broker()
    .with_result_backend(RedisAsyncResultBackend(REDIS_URL, prefix_str=QUEUE))
    .with_middlewares(Callbacks())
)


@broker.task
async def double(x: int) -> int:
    return 2 * x


@broker.task
async def total(values: list[int]) -> int:
    return sum(values)


@broker.task
async def workflow(x: int) -> int:
    step = await (await double.kiq(x)).wait_result(timeout=10)  # chain: A ...
    parts = [await double.kiq(step.return_value + i) for i in range(3)]  # fan out
    results = await asyncio.gather(*(p.wait_result(timeout=10) for p in parts))  # fan in
    final = await (await total.kiq([r.return_value for r in results])).wait_result(timeout=10)  # ... -> B
    return final.return_value


@broker.task
async def broken() -> None:
    raise ValueError("bad input")


# --8<-- [end:example]


async def demo() -> tuple[int, bool, str]:
    await broker.startup()
    value = (await (await workflow.kiq(5)).wait_result(timeout=20)).return_value
    failed = await (await broken.kiq()).wait_result(timeout=10)
    await broker.shutdown()
    return value, failed.is_err, repr(failed.error)


async def dead_letter_count() -> int:
    conn = await aio_pika.connect(BROKER_URL)
    q = await (await conn.channel()).declare_queue(f"{QUEUE}.dead_letter", passive=True)
    n = q.declaration_result.message_count or 0
    await conn.close()
    return n


if __name__ == "__main__":
    from _worker import start_worker

    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("workflows:broker"):
            value, is_err, err = asyncio.run(demo())
        ok = [x.decode() for x in store.lrange(f"{NS}:ok", 0, -1)]
        failed = [x.decode() for x in store.lrange(f"{NS}:failed", 0, -1)]
        dlq = asyncio.run(dead_letter_count()) if RABBIT else None
        queued = 0 if RABBIT else store.llen(QUEUE)
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    # double(5)=10; double(10), double(11), double(12) = 20, 22, 24; total = 66
    assert value == 66, value
    assert is_err and "bad input" in err, err
    assert ok.count("workflows:double") == 4 and "workflows:total" in ok, ok
    assert len(failed) == 1 and "broken" in failed[0], failed
    assert queued == 0 and dlq in (None, 0), (queued, dlq)
    print(
        f"OBSERVED: hand-written chain + gather fan-in returned {value}; middleware callbacks saw "
        f"{len(ok)} successes and {failed}; the failed task left only an error result "
        f"({'dead-letter queue empty' if RABBIT else 'nothing left in the Redis list'})"
    )
