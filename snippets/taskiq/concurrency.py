"""Concurrency models: asyncio tasks, a thread pool for sync tasks, a process pool, N processes.

Proves (each with a real worker): 4 ``async def`` tasks sleeping 1 s overlap on ONE worker
process's event loop (--max-async-tasks, default 100); 4 plain ``def`` tasks overlap in the
worker's thread pool; with ``--use-process-pool`` sync tasks run in other processes; and
``--workers 2`` (default 2) starts two worker processes that share the queue.
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
QUEUE = f"taskiq-{NS}-concurrency"
astore = aioredis.from_url(REDIS_URL)
store = redis.Redis.from_url(REDIS_URL)


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
async def async_sleep(tag: str) -> None:  # awaited on the worker's event loop
    start = time.time()
    await asyncio.sleep(1)
    await astore.rpush(f"{NS}:{tag}", f"{os.getpid()} {start} {time.time()}")


@broker.task
def sync_sleep(tag: str) -> None:  # run in the worker's thread pool (or --use-process-pool)
    start = time.time()
    time.sleep(1)
    redis.Redis.from_url(REDIS_URL).rpush(f"{NS}:{tag}", f"{os.getpid()} {start} {time.time()}")


# --8<-- [end:example]


async def send(task: object, tag: str, n: int = 4) -> None:
    await broker.startup()
    for _ in range(n):
        await task.kiq(tag)  # type: ignore[attr-defined]
    await broker.shutdown()


def collect(tag: str, n: int = 4) -> tuple[set[int], float]:
    """Worker pids and the span from first start to last end."""
    deadline = time.monotonic() + 15
    while store.llen(f"{NS}:{tag}") < n and time.monotonic() < deadline:
        time.sleep(0.05)
    rows = [x.decode().split() for x in store.lrange(f"{NS}:{tag}", 0, -1)]
    assert len(rows) == n, f"{tag}: {len(rows)} of {n} tasks ran"
    return {int(r[0]) for r in rows}, max(float(r[2]) for r in rows) - min(float(r[1]) for r in rows)


if __name__ == "__main__":
    from _worker import start_worker

    out = []
    try:
        with start_worker("concurrency:broker", workers=1) as w:
            asyncio.run(send(async_sleep, "async"))
            pids, span = collect("async")
            assert len(pids) == 1 and span < 2.5, f"async: pids {pids}, span {span:.2f}"
            out.append(f"4 async tasks x 1 s on 1 process in {span:.2f} s")
            asyncio.run(send(sync_sleep, "threads"))
            pids, span = collect("threads")
            assert pids == {w.pids()[1]} and span < 2.5, f"threads: pids {pids}, span {span:.2f}"
            out.append(f"4 sync tasks in its thread pool in {span:.2f} s")
        with start_worker(
            "concurrency:broker", workers=1, extra_args=["--use-process-pool", "--max-process-pool-processes", "2"]
        ) as w:
            worker_pid = w.pids()[1]
            asyncio.run(send(sync_sleep, "procpool"))
            pids, span = collect("procpool")
            assert worker_pid not in pids and len(pids) == 2 and span < 3.5, f"procpool: {pids}, {span:.2f}"
            out.append(f"--use-process-pool: 4 sync tasks in 2 pool processes in {span:.2f} s")
        with start_worker("concurrency:broker", workers=2, max_async_tasks=1) as w:
            asyncio.run(send(async_sleep, "procs", n=2))
            pids, span = collect("procs", n=2)
            assert len(w.pids()) >= 3, f"expected a main process + 2 worker processes: {w.pids()}"
            if BROKER_URL.startswith("amqp"):
                # AioPikaBroker's qos=10 lets one process prefetch both messages; it then runs them
                # one by one (--max-async-tasks 1), so spreading is not guaranteed on RabbitMQ.
                out.append(
                    f"--workers 2: 2 worker processes started; RabbitMQ qos=10 prefetch sent the 2 tasks "
                    f"to {len(pids)} of them ({span:.2f} s)"
                )
            else:
                assert len(pids) == 2 and span < 1.9, f"procs: pids {pids}, span {span:.2f}"
                out.append(f"--workers 2 --max-async-tasks 1: 2 tasks in 2 processes in {span:.2f} s")
    finally:
        for key in store.scan_iter(f"*{NS}*"):
            store.delete(key)
    print("OBSERVED: " + "; ".join(out))
