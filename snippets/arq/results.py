"""Results: the worker stores every job's outcome in Redis (`arq:result:<job_id>`), and `await job.result(timeout=...)`
waits for it. By default a result is kept for 3600 s (`keep_result`), failures included; reading it does not
delete it (it simply expires).

Proves: result_backend, result_expiry, brokers (Redis: the queue is a sorted set, results are plain keys).
The worker's poll_delay is lowered from 0.5 s to 0.05 s only to keep the demo fast; keep_result is left at
its default and read back from the key's TTL.
"""

from __future__ import annotations

import asyncio
import inspect
import os

from arq import Worker, create_pool
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:results"  # the namespace keeps parallel runs apart


# --8<-- [start:example]
async def add(ctx: dict, a: int, b: int) -> int:
    return a + b


async def divide(ctx: dict, a: int, b: int) -> float:
    return a / b


class WorkerSettings:  # run with: arq results.WorkerSettings
    functions = [add, divide]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    job = await redis.enqueue_job("add", 2, 3, _job_id=f"{NS}-add")
    value = await job.result(timeout=10, poll_delay=0.05)  # blocks (polls Redis) until the worker is done
    again = await job.result(timeout=1)  # a second read: the result is still there

    failing = await redis.enqueue_job("divide", 1, 0, _job_id=f"{NS}-divide")
    try:
        await failing.result(timeout=10, poll_delay=0.05)  # re-raises the job's exception
        error = None
    except ZeroDivisionError as exc:
        error = exc
    info = await failing.result_info()  # success flag, result/exception, timings
    ttl_ok = await redis.pttl(f"arq:result:{job.job_id}") / 1000
    ttl_failed = await redis.pttl(f"arq:result:{failing.job_id}") / 1000
    status = await job.status()
    job_key_left = await redis.exists(f"arq:job:{job.job_id}")
    await redis.aclose()
    return dict(
        value=value,
        again=again,
        error=error,
        info=info,
        ttl_ok=ttl_ok,
        ttl_failed=ttl_failed,
        status=status,
        job_key_left=job_key_left,
    )


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        default_keep = inspect.signature(Worker).parameters["keep_result"].default
        with start_worker("results.WorkerSettings"):
            r = asyncio.run(main())
        assert default_keep == 3600, default_keep
        assert r["value"] == 5 and r["again"] == 5, r
        assert isinstance(r["error"], ZeroDivisionError), r["error"]
        assert r["info"] is not None and r["info"].success is False, r["info"]
        assert 3590 <= r["ttl_ok"] <= 3600, f"result TTL {r['ttl_ok']} s, expected ~3600 s"
        assert 3590 <= r["ttl_failed"] <= 3600, f"failed-result TTL {r['ttl_failed']} s"
        assert r["status"] == "complete", r["status"]
        assert r["job_key_left"] == 0, "the job definition key is deleted once the job finished"
        print(
            f"OBSERVED: job.result() -> {r['value']} (read twice, still stored); failure re-raised "
            f"ZeroDivisionError; result TTL {r['ttl_ok']:.0f} s (keep_result default {default_keep} s), "
            f"failed result TTL {r['ttl_failed']:.0f} s"
        )
    finally:
        purge()
