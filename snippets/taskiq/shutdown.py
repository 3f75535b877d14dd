"""SIGTERM mid-task: taskiq's worker lets the running task finish before it exits.

Proves: on SIGTERM the main process SIGINTs its worker processes; each stops fetching, waits for
running tasks (``--wait-tasks-timeout``, default None = no limit), then shuts the broker down
(``--shutdown-timeout`` 5 s). A 2 s task that was running when SIGTERM arrived completed and its
result was stored. We also measure how long the stop takes.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import redis
import redis.asyncio as aioredis
from taskiq import AsyncBroker
from taskiq.cli.worker.args import WorkerArgs
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-shutdown"
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
@broker.task
async def slow() -> None:
    await astore.rpush(f"{NS}:shutdown:start", time.time())
    await asyncio.sleep(2)
    await astore.rpush(f"{NS}:shutdown:done", time.time())


# --8<-- [end:example]


async def send() -> None:
    await broker.startup()
    await slow.kiq()
    await broker.shutdown()


if __name__ == "__main__":
    from _worker import start_worker

    defaults = WorkerArgs(broker="x", modules=[])
    assert defaults.wait_tasks_timeout is None and defaults.shutdown_timeout == 5, defaults
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with start_worker("shutdown:broker") as worker:
            asyncio.run(send())
            deadline = time.monotonic() + 10
            while not store.llen(f"{NS}:shutdown:start") and time.monotonic() < deadline:
                time.sleep(0.05)
            sigterm_at = time.time()
            took = worker.stop(grace=20)  # SIGTERM, mid-task
            code = worker.proc.returncode
        done = store.lrange(f"{NS}:shutdown:done", 0, -1)
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    assert done, "the running task did not finish after SIGTERM"
    assert float(done[0]) > sigterm_at, "task finished before SIGTERM: test did not hit mid-task"
    assert code is not None and code >= 0, f"worker was killed, exit code {code}"
    print(
        f"OBSERVED: SIGTERM {float(done[0]) - sigterm_at:.1f} s before the end of a 2 s task: the task "
        f"completed; the worker exited with code {code} {took:.1f} s after SIGTERM "
        f"(defaults wait_tasks_timeout=None, shutdown_timeout=5 s)"
    )
