"""Periodic tasks: a ``schedule`` label read by the separate ``taskiq scheduler`` process.

Proves: a task labelled schedule=[{"interval": 1}] (cron strings are minute-granular, so the demo
uses the 1 s interval form, the minimum) is sent by ``taskiq scheduler periodic:scheduler``
(TaskiqScheduler + LabelScheduleSource) and a worker runs it at least 3 times about 1 s apart.
Without the scheduler process nothing runs.
"""

from __future__ import annotations

import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker, TaskiqScheduler
from taskiq.schedule_sources import LabelScheduleSource
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-periodic"
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


broker = make_broker()

# --8<-- [start:example]
scheduler = TaskiqScheduler(broker, sources=[LabelScheduleSource(broker)])


@broker.task(schedule=[{"interval": 1}])  # or {"cron": "*/5 * * * *"}
async def heartbeat() -> None:
    await astore.rpush(f"{NS}:periodic", time.time())


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_scheduler, start_worker

    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("periodic:broker"):
            time.sleep(1.5)
            assert store.llen(f"{NS}:periodic") == 0, "ran without a scheduler?"
            with start_scheduler("periodic:scheduler"):
                deadline = time.monotonic() + 12
                while store.llen(f"{NS}:periodic") < 3 and time.monotonic() < deadline:
                    time.sleep(0.1)
        stamps = [float(x) for x in store.lrange(f"{NS}:periodic", 0, -1)]
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert len(stamps) >= 3, f"expected >= 3 runs, got {len(stamps)}"
    gaps = [b - a for a, b in zip(stamps, stamps[1:])][:3]
    assert all(0.5 <= g <= 2.5 for g in gaps), gaps
    print(
        f"OBSERVED: interval=1 schedule via taskiq scheduler: {len(stamps)} runs, gaps "
        f"{', '.join(f'{g:.2f} s' for g in gaps)}; 0 runs before the scheduler started"
    )
