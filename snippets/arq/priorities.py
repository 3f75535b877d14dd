"""Priorities: arq has no priority option. A queue is a Redis sorted set scored by the time a job may run
(enqueue time, or the defer time), and a worker reads exactly one queue (`queue_name`), so jobs run in that
order. An urgent job can only go to another queue served by its own worker.

Proves: priorities. Two "low" jobs and then an "urgent" one are queued while no worker runs; one worker with
max_jobs=1 runs them in enqueue order. enqueue_job has no priority argument.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import inspect
import os

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:priorities"
ORDER = f"{NS}:order"


# --8<-- [start:example]
async def work(ctx: dict, label: str) -> None:
    await ctx["redis"].rpush(ORDER, label)


class WorkerSettings:
    functions = [work]
    max_jobs = 1  # one job at a time, so the order is visible
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def send(redis: ArqRedis) -> None:
    for label in ("low-1", "low-2", "urgent"):  # queued in this order, no worker running yet
        await redis.enqueue_job("work", label, _job_id=f"{NS}-{label}")
        await asyncio.sleep(0.01)  # distinct millisecond scores


# --8<-- [end:example]


async def main() -> tuple[list[str], list[float]]:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    await send(redis)
    scores = [s for _, s in await redis.zrange(QUEUE, 0, -1, withscores=True)]
    with start_worker("priorities.WorkerSettings"):
        for _ in range(200):
            if await redis.llen(ORDER) == 3:
                break
            await asyncio.sleep(0.05)
    order = [x.decode() for x in await redis.lrange(ORDER, 0, -1)]
    await redis.aclose()
    return order, scores


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        params = inspect.signature(ArqRedis.enqueue_job).parameters
        assert not [p for p in params if "prior" in p], list(params)
        order, scores = asyncio.run(main())
        assert scores == sorted(scores), scores
        assert order == ["low-1", "low-2", "urgent"], order
        print(f"OBSERVED: execution order {order} (queue = sorted set by enqueue time; no priority argument)")
    finally:
        purge()
