"""Cancel: `await job.abort()` cancels a queued job before it starts and cancels a running one
(asyncio CancelledError inside the job), but only on workers started with `allow_abort_jobs=True`
(default False). Abort requests go to the shared sorted set `arq:abort`; a worker without the flag ignores
them and the job runs to completion.

Proves: cancel. With allow_abort_jobs=True: a job deferred by 30 s is aborted before it runs, a running
30 s job is stopped within a second; with the default worker the abort times out and the job finishes.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import inspect
import os

from arq import Worker, create_pool
from arq.connections import ArqRedis, RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
EVENTS = f"{NS}:events"


# --8<-- [start:example]
async def export(ctx: dict, seconds: float) -> str:
    await ctx["redis"].rpush(EVENTS, f"{ctx['job_id']} started")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        await ctx["redis"].rpush(EVENTS, f"{ctx['job_id']} cancelled")
        raise
    return "exported"


class WorkerSettings:
    functions = [export]
    allow_abort_jobs = True  # default False: abort() would be ignored
    queue_name = f"arq:{NS}:cancel"
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


class DefaultWorkerSettings:
    functions = [export]
    queue_name = f"arq:{NS}:cancel-default"
    redis_settings = REDIS
    poll_delay = 0.05


async def abort_both(redis: ArqRedis) -> tuple[bool, bool]:
    queued = await redis.enqueue_job("export", 30, _job_id=f"{NS}-queued", _defer_by=30)
    running = await redis.enqueue_job("export", 30, _job_id=f"{NS}-running")
    while f"{NS}-running started".encode() not in await redis.lrange(EVENTS, 0, -1):
        await asyncio.sleep(0.05)
    return (await queued.abort(timeout=10, poll_delay=0.05), await running.abort(timeout=10, poll_delay=0.05))


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=WorkerSettings.queue_name)
    with start_worker("cancel.WorkerSettings"):
        t0 = asyncio.get_running_loop().time()
        queued_aborted, running_aborted = await asyncio.wait_for(abort_both(redis), 20)
        took = asyncio.get_running_loop().time() - t0
    plain = await create_pool(REDIS, default_queue_name=DefaultWorkerSettings.queue_name)
    with start_worker("cancel.DefaultWorkerSettings"):
        job = await plain.enqueue_job("export", 1.5, _job_id=f"{NS}-ignored")
        try:
            ignored = await job.abort(timeout=0.8, poll_delay=0.05)
        except TimeoutError:
            ignored = "timeout"
        finished = await job.result(timeout=10, poll_delay=0.05)
    events = [e.decode() for e in await redis.lrange(EVENTS, 0, -1)]
    await redis.aclose()
    await plain.aclose()
    return dict(
        queued=queued_aborted, running=running_aborted, took=took, ignored=ignored, finished=finished, events=events
    )


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        assert inspect.signature(Worker).parameters["allow_abort_jobs"].default is False
        r = asyncio.run(main())
        assert r["queued"] is True, "the deferred job should be aborted before it starts"
        assert r["running"] is True, "the running job should be aborted"
        assert f"{NS}-queued started" not in r["events"], r["events"]
        assert f"{NS}-running cancelled" in r["events"], r["events"]
        assert r["ignored"] == "timeout" and r["finished"] == "exported", r
        print(
            f"OBSERVED: allow_abort_jobs=True: queued job aborted before start, running job cancelled "
            f"(CancelledError in the job), both within {r['took']:.2f} s; default worker ignored abort() "
            f"and the job returned {r['finished']!r}"
        )
    finally:
        purge()
