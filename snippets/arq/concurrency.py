"""Concurrency: an arq worker is one process with one asyncio event loop; it runs up to `max_jobs` (default 10)
jobs at once as asyncio tasks. There are no process or thread pools: blocking code in a job stalls every other
job in that worker, unless the job hands it to an executor (`loop.run_in_executor`). Scale out by running
more worker processes.

Proves: concurrency (and asyncio). Five `await asyncio.sleep(1)` jobs overlap in one worker; three jobs that
call time.sleep() directly run one after another; three that push time.sleep() to a thread pool overlap again.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time

from arq import Worker, create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.jobs import Job

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:concurrency"


# --8<-- [start:example]
async def fetch(ctx: dict, i: int) -> tuple[float, float]:
    start = time.time()
    await asyncio.sleep(1)  # non-blocking: the event loop runs other jobs meanwhile
    return start, time.time()


async def blocking(ctx: dict, i: int) -> tuple[float, float]:
    start = time.time()
    time.sleep(0.5)  # blocks the whole worker: no other job can run now
    return start, time.time()


async def offloaded(ctx: dict, i: int) -> tuple[float, float]:
    start = time.time()
    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.5)  # default thread pool
    return start, time.time()


class WorkerSettings:  # one process, one event loop, up to max_jobs=10 jobs at a time (default)
    functions = [fetch, blocking, offloaded]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


def max_overlap(spans: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda p: (p[0], p[1]))
    now = best = 0
    for _, step in points:
        now += step
        best = max(best, now)
    return best


async def run_batch(redis: ArqRedis, name: str, n: int) -> list[tuple[float, float]]:
    jobs = [await redis.enqueue_job(name, i, _job_id=f"{NS}-{name}-{i}") for i in range(n)]
    return [tuple(await job.result(timeout=20, poll_delay=0.05)) for job in jobs if isinstance(job, Job)]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("concurrency.WorkerSettings"):
        out = {name: await run_batch(redis, name, n) for name, n in (("fetch", 5), ("blocking", 3), ("offloaded", 3))}
    await redis.aclose()
    return out


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        assert inspect.signature(Worker).parameters["max_jobs"].default == 10
        spans = asyncio.run(main())
        overlap = {name: max_overlap(s) for name, s in spans.items()}
        wall = {name: max(e for _, e in s) - min(st for st, _ in s) for name, s in spans.items()}
        assert overlap["fetch"] == 5 and wall["fetch"] < 2.5, (overlap, wall)
        assert overlap["blocking"] == 1 and wall["blocking"] >= 1.45, (overlap, wall)
        assert overlap["offloaded"] == 3 and wall["offloaded"] < 1.4, (overlap, wall)
        print(
            f"OBSERVED: 5 asyncio jobs overlapped (max {overlap['fetch']} at once, {wall['fetch']:.2f} s); "
            f"3 time.sleep jobs ran one at a time ({wall['blocking']:.2f} s); 3 run_in_executor jobs overlapped "
            f"({overlap['offloaded']} at once, {wall['offloaded']:.2f} s); default max_jobs 10"
        )
    finally:
        purge()
