"""Delayed tasks: no ``countdown`` on kiq(); a schedule source + the scheduler process, or RabbitMQ.

Proves, measuring a 2 s delay:
- Redis: ``schedule_by_time(source, now + 2 s)`` stores the schedule in a ListRedisScheduleSource
  (taskiq-redis); a SEPARATE ``taskiq scheduler`` process sends it when due. The scheduler
  re-reads sources every 60 s by default (read from its CLI defaults), so we run it with
  ``--update-interval 1``; otherwise a new schedule can wait up to a minute.
- RabbitMQ: taskiq-aio-pika honours a ``delay`` label (seconds) when the broker has a
  ``delay_queue`` (per-message TTL, dead-lettered back); no extra process.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from datetime import UTC, datetime, timedelta

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker, TaskiqScheduler
from taskiq.cli.scheduler.args import SchedulerArgs
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker, ListRedisScheduleSource

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-delayed"
RABBIT = BROKER_URL.startswith("amqp")
astore = aioredis.from_url(REDIS_URL)

# --8<-- [start:example]
if RABBIT:
    broker: AsyncBroker = AioPikaBroker(
        BROKER_URL,
        exchange=Exchange(name=QUEUE),
        task_queues=[Queue(name=QUEUE)],
        delay_queue=Queue(name=f"{QUEUE}.delay"),
        dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
    )
else:
    broker = ListQueueBroker(BROKER_URL, queue_name=QUEUE)
source = ListRedisScheduleSource(REDIS_URL, prefix=f"taskiq-{NS}-schedule")
scheduler = TaskiqScheduler(broker, sources=[source])  # run by: taskiq scheduler delayed:scheduler


@broker.task
async def remind(sent_at: float) -> None:
    await astore.set(f"{NS}:delayed:ran", time.time() - sent_at)


async def send_later() -> None:
    await broker.startup()
    if RABBIT:
        await remind.kicker().with_labels(delay=2).kiq(time.time())
    else:
        await remind.schedule_by_time(source, datetime.now(UTC) + timedelta(seconds=2), time.time())
    await broker.shutdown()


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_scheduler, start_worker

    assert SchedulerArgs(scheduler="x", modules=[]).update_interval is None  # None -> 60 s in run_scheduler
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("delayed:broker"):
            if RABBIT:
                asyncio.run(send_later())
                wait_until = time.monotonic() + 10
            else:
                with start_scheduler("delayed:scheduler", update_interval=1):
                    asyncio.run(send_later())
                    wait_until = time.monotonic() + 10
                    while not store.exists(f"{NS}:delayed:ran") and time.monotonic() < wait_until:
                        time.sleep(0.05)
            while not store.exists(f"{NS}:delayed:ran") and time.monotonic() < wait_until:
                time.sleep(0.05)
        delay = float(store.get(f"{NS}:delayed:ran") or -1)
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert 1.7 <= delay <= 8.0, f"asked for 2 s, ran after {delay:.2f} s"
    how = "delay=2 label + delay_queue" if RABBIT else "schedule_by_time(+2 s) + taskiq scheduler --update-interval 1"
    print(f"OBSERVED: {'RabbitMQ' if RABBIT else 'Redis'}: {how}: ran {delay:.2f} s after sending")
