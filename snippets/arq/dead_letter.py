"""Failed-job handling: arq has no failed-job queue. A job that fails for good is removed from the queue and its
definition deleted; what remains is its result key `arq:result:<id>` (success=False, the exception, function,
args), kept for `keep_result` (default 3600 s). You can list such results (`all_job_results()`, or SCAN `arq:result:*`), but requeueing means enqueueing a new
job yourself from the stored function and arguments (the old id stays blocked while its result exists).

Proves: dead_letter. A job fails, is gone from the queue, its stored result says success False;
enqueueing the same id again is refused; re-enqueueing its function/args under a new id succeeds.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import os

from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:dead-letter"


# --8<-- [start:example]
async def charge(ctx: dict, order: str) -> str:
    if await ctx["redis"].incr(f"{NS}:charge:{order}") == 1:
        raise ConnectionError("payment provider down")  # first run fails for good (no Retry)
    return f"{order} charged"


class WorkerSettings:
    functions = [charge]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def requeue_failed(redis) -> list:
    """Re-enqueue every failed job of this namespace under a new id."""
    jobs = []
    async for key in redis.scan_iter(match=f"arq:result:{NS}-*"):  # redis.all_job_results() reads the whole db
        res = await Job(key.decode().removeprefix("arq:result:"), redis).result_info()
        if res and not res.success and res.queue_name == QUEUE:
            jobs.append(await redis.enqueue_job(res.function, *res.args, _job_id=f"{res.job_id}-retry", **res.kwargs))
    return jobs


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("dead_letter.WorkerSettings"):
        job = await redis.enqueue_job("charge", "order-42", _job_id=f"{NS}-order-42")
        try:
            await job.result(timeout=10, poll_delay=0.05)
        except ConnectionError as exc:
            error = exc
        failed = [await job.result_info()]
        in_queue = await redis.zscore(QUEUE, job.job_id)
        job_key = await redis.exists(f"arq:job:{job.job_id}")
        ttl = await redis.pttl(f"arq:result:{job.job_id}") / 1000
        same_id = await redis.enqueue_job("charge", "order-42", _job_id=job.job_id)
        (retry,) = await requeue_failed(redis)
        retried = await retry.result(timeout=10, poll_delay=0.05)
    await redis.aclose()
    return dict(
        error=error, failed=failed, in_queue=in_queue, job_key=job_key, ttl=ttl, same_id=same_id, retried=retried
    )


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        assert isinstance(r["error"], ConnectionError), r["error"]
        assert len(r["failed"]) == 1 and r["failed"][0].success is False, r["failed"]
        assert isinstance(r["failed"][0].result, ConnectionError) and r["failed"][0].args == ("order-42",)
        assert r["in_queue"] is None and r["job_key"] == 0, "a failed job leaves the queue"
        assert 3590 <= r["ttl"] <= 3600, r["ttl"]
        assert r["same_id"] is None, "the old id is refused while its result exists"
        assert r["retried"] == "order-42 charged", r["retried"]
        print(
            f"OBSERVED: failed job left the queue; its result (success=False, {r['error']!r}, args) is kept "
            f"{r['ttl']:.0f} s; same id refused (enqueue_job -> None); re-enqueued under a new id -> {r['retried']!r}"
        )
    finally:
        purge()
