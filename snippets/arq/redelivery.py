"""Redelivery after a crash: arq removes a job from its queue (a Redis sorted set) only once it has finished,
and marks a running job with an `arq:in-progress:<id>` key that expires after the worker's longest job timeout
+ 10 s (default job_timeout 300 s -> 310 s). If the worker is killed with SIGKILL mid-job, the job stays queued;
a fresh worker skips it while the in-progress key lives, then runs it again (job_try 2).

Proves: redelivery, acks. Part A (default settings): kill -9 mid-job, read the in-progress TTL (~310 s), see that a
fresh worker does not re-run it yet, then fast-forward the expiry (PEXPIRE) and watch it run again. Part B
(job_timeout=1 s, so the in-progress key lives 11 s): kill -9 and measure how long the job takes to come back
on its own. poll_delay is lowered from 0.5 s to 0.05 s in both.
"""

from __future__ import annotations

import asyncio
import os
import time

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
RUNS = f"{NS}:runs"


# --8<-- [start:example]
async def import_file(ctx: dict, name: str) -> str:
    attempt = await ctx["redis"].hincrby(RUNS, name, 1)
    if attempt == 1:
        await asyncio.sleep(60)  # the first attempt is still running when the worker dies
    return f"{name} imported on attempt {attempt} (job_try={ctx['job_try']})"


class WorkerSettings:  # arq redelivery.WorkerSettings: default job_timeout (300 s)
    functions = [import_file]
    queue_name = f"arq:{NS}:redelivery"
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


class ShortTimeoutSettings:  # job_timeout=1 -> in-progress key lives 1 + 10 s
    functions = [import_file]  # (arq reads the class __dict__: settings are not inherited)
    queue_name = f"arq:{NS}:redelivery-short"
    redis_settings = REDIS
    poll_delay = 0.05
    job_timeout = 1


# --8<-- [end:example]


async def runs(redis: ArqRedis, name: str) -> int:
    return int(await redis.hget(RUNS, name) or 0)


async def crash_mid_job(redis: ArqRedis, settings: str, name: str) -> tuple[float, float]:
    """Start a worker, wait until the job runs, SIGKILL it; return (in-progress TTL, kill time)."""
    queue = WorkerSettings.queue_name if settings == "WorkerSettings" else ShortTimeoutSettings.queue_name
    await redis.enqueue_job("import_file", name, _job_id=f"{NS}-{name}", _queue_name=queue)
    with start_worker(f"redelivery.{settings}") as worker:
        deadline = time.monotonic() + 10
        while await runs(redis, name) < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        ttl = await redis.pttl(f"arq:in-progress:{NS}-{name}") / 1000
        worker.kill()
        return ttl, time.monotonic()


async def main() -> dict:
    redis = await create_pool(REDIS)
    r: dict = {}
    # Part A: default settings.
    r["ttl_default"], _ = await crash_mid_job(redis, "WorkerSettings", "a.csv")
    with start_worker("redelivery.WorkerSettings"):
        await asyncio.sleep(2)  # a fresh worker: the job is queued but still marked in progress
        r["runs_before"] = await runs(redis, "a.csv")
        r["queued_before"] = await redis.zscore(WorkerSettings.queue_name, f"{NS}-a.csv")
        await redis.pexpire(f"arq:in-progress:{NS}-a.csv", 1)  # fast-forward the 310 s
        r["result_a"] = await _result(redis, f"{NS}-a.csv", WorkerSettings.queue_name)
    # Part B: job_timeout=1, nothing fast-forwarded.
    r["ttl_short"], killed_at = await crash_mid_job(redis, "ShortTimeoutSettings", "b.csv")
    with start_worker("redelivery.ShortTimeoutSettings"):
        r["result_b"] = await _result(redis, f"{NS}-b.csv", ShortTimeoutSettings.queue_name, timeout=30)
        r["comeback_b"] = time.monotonic() - killed_at
    r["runs_a"], r["runs_b"] = await runs(redis, "a.csv"), await runs(redis, "b.csv")
    await redis.aclose()
    return r


async def _result(redis: ArqRedis, job_id: str, queue: str, timeout: float = 10) -> str:
    from arq.jobs import Job

    return await Job(job_id, redis, _queue_name=queue).result(timeout=timeout, poll_delay=0.05)


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        assert 300 <= r["ttl_default"] <= 310, f"default in-progress TTL {r['ttl_default']} s, expected ~310 s"
        assert r["runs_before"] == 1 and r["queued_before"] is not None, "job must still be queued, not re-run yet"
        assert r["result_a"] == "a.csv imported on attempt 2 (job_try=2)", r["result_a"]
        assert 9 <= r["ttl_short"] <= 11, f"in-progress TTL with job_timeout=1: {r['ttl_short']} s, expected ~11 s"
        assert r["result_b"] == "b.csv imported on attempt 2 (job_try=2)", r["result_b"]
        assert 8 <= r["comeback_b"] <= 20, f"re-run {r['comeback_b']:.1f} s after the kill, expected ~11 s"
        assert r["runs_a"] == 2 and r["runs_b"] == 2, r
        print(
            f"OBSERVED: after kill -9 the job stayed queued (in-progress key TTL {r['ttl_default']:.0f} s by "
            f"default) and a fresh worker did not run it for 2 s; once that key expired it ran again (job_try=2). "
            f"With job_timeout=1 (TTL {r['ttl_short']:.0f} s) it came back by itself {r['comeback_b']:.1f} s after the kill"
        )
    finally:
        purge()
