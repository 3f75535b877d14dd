"""kill -9 a worker mid-task, with each broker's default taskiq broker class.

Proves (default settings, default ack_type when_saved = ack after the result is saved):
- RabbitMQ (AioPikaBroker): the message is unacked while the task runs, so after SIGKILL of the
  whole worker a fresh worker runs the task again and completes it (at-least-once);
- Redis (ListQueueBroker): BRPOP removed the message when the worker took it; nothing can be
  acked, so after SIGKILL the task is lost: the list is empty and a fresh worker never runs it.
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
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-redelivery"
RABBIT = BROKER_URL.startswith("amqp")
astore = aioredis.from_url(REDIS_URL)
STARTS, DONE = f"{NS}:redelivery:starts", f"{NS}:redelivery:done"

# --8<-- [start:example]
if RABBIT:
    broker: AsyncBroker = AioPikaBroker(
        BROKER_URL,
        exchange=Exchange(name=QUEUE),
        task_queues=[Queue(name=QUEUE)],
        dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
    )
else:
    broker = ListQueueBroker(BROKER_URL, queue_name=QUEUE)  # LPUSH / BRPOP, no acks


@broker.task
async def long_task() -> None:
    await astore.rpush(STARTS, os.getpid())
    await asyncio.sleep(3)
    await astore.rpush(DONE, os.getpid())


# --8<-- [end:example]


async def send() -> None:
    await broker.startup()
    await long_task.kiq()
    await broker.shutdown()


def wait_for(store: redis.Redis, key: str, count: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while store.llen(key) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.llen(key)


if __name__ == "__main__":
    from _worker import start_worker

    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("redelivery:broker") as first:
            asyncio.run(send())
            assert wait_for(store, STARTS, 1, 10) == 1, "task never started"
            time.sleep(0.3)
            first.kill()  # SIGKILL main process + worker process, mid-task
        assert store.llen(DONE) == 0, "task finished before the kill"
        if RABBIT:
            with start_worker("redelivery:broker"):
                t0 = time.monotonic()
                starts = wait_for(store, STARTS, 2, 10)
                rerun = time.monotonic() - t0
                done = wait_for(store, DONE, 1, 10)
            assert starts == 2 and done == 1, f"starts={starts} done={done}"
            print(
                f"OBSERVED: RabbitMQ: after kill -9 mid-task a fresh default worker re-ran the task "
                f"{rerun:.1f} s after it was ready and completed it"
            )
        else:
            left = store.llen(QUEUE)
            with start_worker("redelivery:broker") as second:
                starts = wait_for(store, STARTS, 2, 4)
                second.kill()  # idle worker, empty list: nothing to lose
            assert left == 0, f"list should be empty, has {left}"
            assert starts == 1, f"ListQueueBroker cannot redeliver, yet the task started {starts} times"
            print(
                "OBSERVED: Redis ListQueueBroker: after kill -9 mid-task the list was empty and a fresh "
                "worker did not run the task in 4 s: the task was lost (at-most-once)"
            )
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
