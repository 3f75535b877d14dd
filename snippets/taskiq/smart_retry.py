"""SmartRetryMiddleware: delayed retries, and what its "exponential" backoff really computes.

Proves: defaults read at run time (default_delay=5 s, use_delay_exponent=False, max 60 s, no jitter,
opt-in per task). Its backoff is delay_n = min(previous_delay * n, 60): with default_delay=5 that is
5, 10, 30, 60 s (computed by the middleware's own make_delay). The delay travels as a ``delay``
label that the broker must honour: RabbitMQ (taskiq-aio-pika) does with a ``delay_queue``, so we
measure the gaps (0.5, 1.0, 3.0 s with default_delay=0.5); the Redis ListQueueBroker ignores the
label, so the retries run at once unless you pass a schedule_source and run the scheduler.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker, SmartRetryMiddleware, TaskiqMessage
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-smart"
RABBIT = BROKER_URL.startswith("amqp")
astore = aioredis.from_url(REDIS_URL)

# --8<-- [start:example]
if RABBIT:
    # A delay queue (per-message TTL + dead-letter back to the task queue) makes `delay` work.
    base: AsyncBroker = AioPikaBroker(
        BROKER_URL,
        exchange=Exchange(name=QUEUE),
        task_queues=[Queue(name=QUEUE)],
        delay_queue=Queue(name=f"{QUEUE}.delay"),
        dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
    )
else:
    base = ListQueueBroker(BROKER_URL, queue_name=QUEUE)  # has no notion of delay

# Shortened for the demo: 0.5 s instead of the 5 s default; "exponent" switched on.
broker = base.with_middlewares(SmartRetryMiddleware(default_delay=0.5, use_delay_exponent=True))


@broker.task(retry_on_error=True, max_retries=4)  # 4 attempts in total
async def flaky() -> None:
    await astore.rpush(f"{NS}:smart", time.time())
    raise RuntimeError("boom")


# --8<-- [end:example]


def default_schedule() -> list[float]:
    """Delays the default middleware (with use_delay_exponent) computes, using its own code."""
    mw = SmartRetryMiddleware(use_delay_exponent=True)
    labels: dict[str, object] = {}
    delays = []
    for n in range(1, 5):
        msg = TaskiqMessage(task_id="x", task_name="t", labels=labels, args=[], kwargs={})
        delay = mw.make_delay(msg, n)
        delays.append(delay)
        labels = {"delay": delay}  # the retry carries its delay label into the next failure
    return delays


async def send() -> None:
    await broker.startup()
    await flaky.kiq()
    await broker.shutdown()


if __name__ == "__main__":
    from _worker import start_worker

    d = SmartRetryMiddleware()
    assert (
        d.default_retry_count,
        d.default_retry_label,
        d.default_delay,
        d.use_delay_exponent,
        d.max_delay_exponent,
        d.use_jitter,
    ) == (3, False, 5, False, 60, False), vars(d)
    schedule = default_schedule()
    assert schedule == [5.0, 10.0, 30.0, 60.0], schedule
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("smart_retry:broker"):
            asyncio.run(send())
            deadline = time.monotonic() + 15
            while store.llen(f"{NS}:smart") < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
        stamps = [float(x) for x in store.lrange(f"{NS}:smart", 0, -1)]
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert len(stamps) == 4, f"max_retries=4 means 4 attempts, got {len(stamps)}"
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    shown = ", ".join(f"{g:.2f} s" for g in gaps)
    if RABBIT:
        for want, gap in zip([0.5, 1.0, 3.0], gaps):
            assert want * 0.8 <= gap <= want + 1.5, f"gaps {gaps}, expected ~0.5, 1.0, 3.0 s"
        print(
            f"OBSERVED: RabbitMQ with delay_queue: 4 attempts, gaps {shown} (0.5 x 1, x2, x3); "
            f"defaults default_delay=5 s, exponent off; with exponent on the default schedule is {schedule} s"
        )
    else:
        assert all(g < 0.45 for g in gaps), f"Redis list broker should ignore delay, gaps {gaps}"
        print(
            f"OBSERVED: Redis ListQueueBroker: 4 attempts, gaps {shown}: the 0.5/1.0/3.0 s delays were "
            f"ignored (no delay support without a schedule_source); default schedule with exponent on: {schedule} s"
        )
