"""Unique jobs: enqueue_job(..., _job_id=...) refuses (returns None) a job whose id is already queued, running or
still has a stored result (kept for keep_result, default 3600 s). The check runs in a Redis transaction (WATCH), so
simultaneous enqueues cannot both win. While a job runs, its `arq:in-progress:<id>` key stops any other worker
from starting the same id.

Proves: unique. Five concurrent enqueues of one id -> one job; a second enqueue while it waits -> None; after it
finished (result kept) -> None; for a function with keep_result=0 the id is free again right after it finished.
Two workers share the queue and the job runs once. poll_delay lowered from 0.5 s to 0.05 s.
"""

from __future__ import annotations

import asyncio
import os

from arq import create_pool, func
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:unique"


# --8<-- [start:example]
async def backup(ctx: dict, db: str) -> str:
    await ctx["redis"].incr(f"{NS}:runs:{ctx['job_id']}")
    await asyncio.sleep(0.5)
    return f"{db} backed up"


async def ping(ctx: dict) -> str:
    return "pong"


class WorkerSettings:
    functions = [backup, func(ping, keep_result=0)]  # ping keeps no result: its id frees up at once
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def demo(redis) -> dict:
    job_id = f"{NS}-backup-customers"
    racing = await asyncio.gather(*[redis.enqueue_job("backup", "customers", _job_id=job_id) for _ in range(5)])
    while_queued = await redis.enqueue_job("backup", "customers", _job_id=job_id)
    result = await racing[[j is not None for j in racing].index(True)].result(timeout=15, poll_delay=0.05)
    after_finish = await redis.enqueue_job("backup", "customers", _job_id=job_id)  # result still stored

    first_ping = await redis.enqueue_job("ping", _job_id=f"{NS}-ping")
    await asyncio.sleep(1.5)  # let it run; it stores no result
    second_ping = await redis.enqueue_job("ping", _job_id=f"{NS}-ping")
    return dict(
        racing=racing,
        while_queued=while_queued,
        result=result,
        after_finish=after_finish,
        first_ping=first_ping,
        second_ping=second_ping,
        runs=int(await redis.get(f"{NS}:runs:{job_id}")),
    )


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("unique.WorkerSettings"), start_worker("unique.WorkerSettings"):  # two workers, one queue
        r = await demo(redis)
    await redis.aclose()
    return r


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        accepted = sum(j is not None for j in r["racing"])
        assert accepted == 1, f"5 concurrent enqueues of one id: {accepted} accepted"
        assert r["while_queued"] is None and r["after_finish"] is None, r
        assert r["result"] == "customers backed up" and r["runs"] == 1, r
        assert r["first_ping"] is not None and r["second_ping"] is not None, "keep_result=0 frees the id"
        print(
            f"OBSERVED: 5 concurrent enqueues of one _job_id -> {accepted} job; again while queued -> None; "
            f"after it finished (result kept) -> None; ran {r['runs']}x on 2 workers; with keep_result=0 "
            f"the id could be reused after the run"
        )
    finally:
        purge()
