"""Rate limiting: arq has no rate limiter (no per-second/per-minute option on jobs, functions or workers). The only
throttle is `max_jobs` (default 10), the number of jobs one worker process runs at the same time.

Proves: rate_limiting. The public signatures of Worker, func and enqueue_job have no rate option; with
max_jobs=2, six 0.5 s jobs never run more than two at a time (so ~1.5 s in total) - a concurrency cap per
worker, not a rate. poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time

from arq import Worker, create_pool, func
from arq.connections import ArqRedis, RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:rate-limit"


# --8<-- [start:example]
async def call_api(ctx: dict, i: int) -> tuple[float, float]:
    start = time.time()
    await asyncio.sleep(0.5)
    return start, time.time()


class WorkerSettings:
    functions = [call_api]
    max_jobs = 2  # at most 2 jobs at once in this worker (default 10); there is no "N per second" setting
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> list[tuple[float, float]]:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    jobs = [await redis.enqueue_job("call_api", i, _job_id=f"{NS}-api-{i}") for i in range(6)]
    with start_worker("rate_limit.WorkerSettings"):
        spans = [tuple(await j.result(timeout=20, poll_delay=0.05)) for j in jobs]
    await redis.aclose()
    return spans


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        options = {
            *inspect.signature(Worker).parameters,
            *inspect.signature(func).parameters,
            *inspect.signature(ArqRedis.enqueue_job).parameters,
        }
        assert not [o for o in options if "rate" in o or "throttl" in o], sorted(options)
        spans = asyncio.run(main())
        most = max(sum(s <= t < e for s, e in spans) for t, _ in spans)
        wall = max(e for _, e in spans) - min(s for s, _ in spans)
        assert most == 2, f"expected at most 2 jobs at once, saw {most}"
        assert wall >= 1.45, f"6 jobs x 0.5 s with 2 at a time should take ~1.5 s, took {wall:.2f} s"
        print(
            f"OBSERVED: no rate option in Worker/func/enqueue_job; max_jobs=2 ran 6 jobs at most {most} at a time "
            f"in {wall:.2f} s"
        )
    finally:
        purge()
