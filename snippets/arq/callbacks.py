"""Callbacks: arq has no per-job success/failure callbacks. The worker-wide hooks `on_job_start`, `on_job_end` and
`after_job_end` (coroutines taking ctx with job_id, job_try...) run around every job; success or failure is not
passed in, but `after_job_end` runs after the result is stored, so it can read it.

Proves: callbacks. For one succeeding and one failing job, on_job_start and after_job_end run, and after_job_end
tells them apart by reading the stored result. poll_delay is lowered from 0.5 s to 0.05 s.
"""

from __future__ import annotations

import asyncio
import os

from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:callbacks"
EVENTS = f"{NS}:events"


# --8<-- [start:example]
async def send_mail(ctx: dict, to: str) -> str:
    if "@" not in to:
        raise ValueError(f"bad address {to!r}")
    return f"sent to {to}"


async def job_started(ctx: dict) -> None:
    await ctx["redis"].rpush(EVENTS, f"start {ctx['job_id']}")


async def job_finished(ctx: dict) -> None:  # global hook: runs after every job, result already stored
    info = await Job(ctx["job_id"], ctx["redis"]).result_info()
    outcome = "success" if info and info.success else f"failure {info.result!r}" if info else "no result"
    await ctx["redis"].rpush(EVENTS, f"end {ctx['job_id']} {outcome}")


class WorkerSettings:
    functions = [send_mail]
    on_job_start = job_started
    after_job_end = job_finished
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> list[str]:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("callbacks.WorkerSettings"):
        await redis.enqueue_job("send_mail", "ada@example.org", _job_id=f"{NS}-ok")
        await redis.enqueue_job("send_mail", "nobody", _job_id=f"{NS}-bad")
        for _ in range(200):
            if await redis.llen(EVENTS) >= 4:
                break
            await asyncio.sleep(0.05)
    events = sorted(e.decode() for e in await redis.lrange(EVENTS, 0, -1))
    await redis.aclose()
    return events


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        events = asyncio.run(main())
        assert events == [
            f"end {NS}-bad failure ValueError(\"bad address 'nobody'\")",
            f"end {NS}-ok success",
            f"start {NS}-bad",
            f"start {NS}-ok",
        ], events
        print(
            f"OBSERVED: worker-wide hooks ran for both jobs: {events[1].split(' ', 2)[2]} / {events[0].split(' ', 2)[2]} "
            f"(after_job_end read the stored result; no per-job callback exists)"
        )
    finally:
        purge()
