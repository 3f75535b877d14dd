"""Periodic jobs: `cron(coroutine, second=..., minute=..., hour=..., ...)` in the worker's `cron_jobs` makes every
worker enqueue the job at matching times (sets of values, not cron strings). With unique=True (the default) each
run gets the id `<name>:<timestamp>`, so several workers still run it once per tick. Cron jobs default to
keep_result=0 and max_tries=1.

Proves: periodic. A job scheduled for every second, with two workers running, runs once per second (>= 3 runs,
~1 s apart, no duplicates). poll_delay lowered from 0.5 s to 0.05 s.
"""

from __future__ import annotations

import asyncio
import os
import time

from arq import cron
from arq.connections import RedisSettings, create_pool

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
TICKS = f"{NS}:ticks"


# --8<-- [start:example]
async def heartbeat(ctx: dict) -> None:
    await ctx["redis"].rpush(TICKS, f"{time.time()} {ctx['job_id']}")


class WorkerSettings:
    cron_jobs = [cron(heartbeat, name=f"{NS}-heartbeat", second=set(range(60)))]  # every second
    queue_name = f"arq:{NS}:periodic"
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> list[tuple[float, str]]:
    redis = await create_pool(REDIS)
    with start_worker("periodic.WorkerSettings"), start_worker("periodic.WorkerSettings"):
        await redis.delete(TICKS)  # count only while both workers run
        await asyncio.sleep(4)
    ticks = [x.decode().split(" ", 1) for x in await redis.lrange(TICKS, 0, -1)]
    await redis.aclose()
    return [(float(t), job_id) for t, job_id in ticks]


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        ticks = asyncio.run(main())
        times = [t for t, _ in ticks]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(ticks) >= 3, f"expected >= 3 runs in 4 s, got {len(ticks)}"
        assert len({j for _, j in ticks}) == len(ticks), f"duplicate runs: {ticks}"
        assert all(0.5 <= g <= 1.6 for g in gaps), f"gaps {gaps}"
        print(
            f"OBSERVED: {len(ticks)} runs in 4 s with 2 workers, gaps "
            + ", ".join(f"{g:.2f} s" for g in gaps)
            + f"; one run per tick (ids like {ticks[0][1].rsplit(':', 1)[0]}:<ms>)"
        )
    finally:
        purge()
