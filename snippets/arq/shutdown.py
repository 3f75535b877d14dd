"""Graceful shutdown: on SIGTERM (or SIGINT) an arq worker cancels the jobs in hand at once (CancelledError)
and exits; the job stays in the queue and the next worker runs it again from the start. Only with
`job_completion_wait=N` does the worker stop picking jobs and wait up to N seconds for running ones to finish.

Proves: shutdown. Run 1 (defaults): SIGTERM 0.5 s into a 2 s job -> the job did not finish, it is still queued,
and a fresh worker completes it on try 2. Run 2 (job_completion_wait=10): SIGTERM 0.5 s into the same job ->
the worker waits, the job finishes on try 1, then the worker exits. poll_delay lowered from 0.5 s to 0.05 s.
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
EVENTS = f"{NS}:events"


# --8<-- [start:example]
async def report(ctx: dict, name: str) -> str:
    await ctx["redis"].rpush(EVENTS, f"{name} start try={ctx['job_try']}")
    await asyncio.sleep(2)
    await ctx["redis"].rpush(EVENTS, f"{name} done try={ctx['job_try']}")
    return f"{name} done on try {ctx['job_try']}"


class WorkerSettings:  # default: running jobs are cancelled on SIGTERM (and re-run later)
    functions = [report]
    queue_name = f"arq:{NS}:shutdown"
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


class PatientSettings:  # wait up to 10 s for running jobs after SIGTERM
    functions = [report]
    queue_name = f"arq:{NS}:shutdown-patient"
    redis_settings = REDIS
    poll_delay = 0.05
    job_completion_wait = 10


# --8<-- [end:example]


async def events(redis: ArqRedis) -> list[str]:
    return [e.decode() for e in await redis.lrange(EVENTS, 0, -1)]


async def sigterm_mid_job(redis: ArqRedis, settings: type, name: str) -> float:
    await redis.enqueue_job("report", name, _job_id=f"{NS}-{name}", _queue_name=settings.queue_name)
    with start_worker(f"shutdown.{settings.__name__}") as worker:
        while f"{name} start try=1" not in await events(redis):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        t0 = time.monotonic()
        worker.terminate()  # SIGTERM
        worker.proc.wait(timeout=15)
        return time.monotonic() - t0


async def main() -> dict:
    redis = await create_pool(REDIS)
    r: dict = {}
    r["exit_default"] = await sigterm_mid_job(redis, WorkerSettings, "cancelled")
    r["events_after_term"] = await events(redis)
    r["still_queued"] = await redis.zscore(WorkerSettings.queue_name, f"{NS}-cancelled") is not None
    with start_worker("shutdown.WorkerSettings"):
        r["rerun"] = await Job(f"{NS}-cancelled", redis, WorkerSettings.queue_name).result(timeout=10, poll_delay=0.05)
    r["exit_patient"] = await sigterm_mid_job(redis, PatientSettings, "patient")
    r["patient"] = await Job(f"{NS}-patient", redis, PatientSettings.queue_name).result(timeout=1)
    r["events"] = await events(redis)
    await redis.aclose()
    return r


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        assert inspect.signature(Worker).parameters["job_completion_wait"].default == 0
        r = asyncio.run(main())
        assert r["events_after_term"] == ["cancelled start try=1"], f"job should not finish: {r['events_after_term']}"
        assert r["still_queued"], "a cancelled job stays in the queue"
        assert r["rerun"] == "cancelled done on try 2", r["rerun"]
        assert r["patient"] == "patient done on try 1", r["patient"]
        assert "patient done try=1" in r["events"], r["events"]
        assert 1.0 <= r["exit_patient"] <= 6, f"patient worker exited after {r['exit_patient']:.2f} s"
        print(
            f"OBSERVED: default SIGTERM: worker exited in {r['exit_default']:.2f} s, job cancelled mid-run, kept in "
            f"queue, re-run by the next worker (try 2); job_completion_wait=10: worker waited "
            f"{r['exit_patient']:.2f} s and the job finished on try 1"
        )
    finally:
        purge()
