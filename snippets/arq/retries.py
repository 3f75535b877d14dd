"""Retries: arq does not retry a job that raises an ordinary exception (it fails once and its result records
the error). A job is retried only when it raises `arq.Retry` (optionally `Retry(defer=seconds)`), up to
`max_tries` attempts in total (worker default 5; per function with `func(..., max_tries=N)`); then it fails
with "max N retries exceeded". There is no automatic backoff: the job chooses each delay, e.g. from
ctx["job_try"].

Proves: retries. Three jobs: `flaky` raises ValueError (1 attempt); `always_retry` raises Retry() with the
default max_tries (5 attempts); `backoff` raises Retry(defer=0.5 * job_try) with max_tries=4 (4 attempts,
gaps ~0.5, 1.0, 1.5 s). poll_delay is lowered from 0.5 s to 0.05 s to keep the delays precise and the demo fast.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time

from arq import Retry, Worker, create_pool, func
from arq.connections import RedisSettings
from arq.worker import JobExecutionFailed

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:retries"
ATTEMPTS = f"{NS}:attempts"  # our own bookkeeping: one timestamp per attempt


# --8<-- [start:example]
async def flaky(ctx: dict) -> None:
    await ctx["redis"].rpush(f"{ATTEMPTS}:flaky", time.time())
    raise ValueError("an ordinary exception is not retried")


async def always_retry(ctx: dict) -> None:
    await ctx["redis"].rpush(f"{ATTEMPTS}:always_retry", time.time())
    raise Retry()  # run again at once, until the worker's max_tries (default 5) is used up


async def backoff(ctx: dict) -> None:
    await ctx["redis"].rpush(f"{ATTEMPTS}:backoff", time.time())
    raise Retry(defer=0.5 * ctx["job_try"])  # the job picks its own (growing) delay


class WorkerSettings:  # run with: arq retries.WorkerSettings
    functions = [flaky, always_retry, func(backoff, max_tries=4)]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    jobs = {
        name: await redis.enqueue_job(name, _job_id=f"{NS}-{name}") for name in ("flaky", "always_retry", "backoff")
    }
    outcomes = {}
    for name, job in jobs.items():
        try:
            await job.result(timeout=15, poll_delay=0.05)
        except Exception as exc:
            outcomes[name] = exc
    attempts = {name: [float(t) for t in await redis.lrange(f"{ATTEMPTS}:{name}", 0, -1)] for name in jobs}
    await redis.aclose()
    return {"outcomes": outcomes, "attempts": attempts}


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        defaults = inspect.signature(Worker).parameters
        with start_worker("retries.WorkerSettings"):
            r = asyncio.run(main())
        out, att = r["outcomes"], r["attempts"]
        assert defaults["max_tries"].default == 5 and defaults["retry_jobs"].default is True
        assert len(att["flaky"]) == 1, f"ValueError: expected 1 attempt, got {len(att['flaky'])}"
        assert isinstance(out["flaky"], ValueError), out["flaky"]
        assert len(att["always_retry"]) == 5, (
            f"Retry(): expected 5 attempts (default max_tries), got {len(att['always_retry'])}"
        )
        assert out["always_retry"] == JobExecutionFailed("max 5 retries exceeded"), out["always_retry"]
        assert len(att["backoff"]) == 4, f"max_tries=4: expected 4 attempts, got {len(att['backoff'])}"
        gaps = [b - a for a, b in zip(att["backoff"], att["backoff"][1:])]
        for expected, gap in zip((0.5, 1.0, 1.5), gaps):
            assert expected * 0.8 <= gap <= expected + 1.0, f"gap {gap:.2f} s, expected ~{expected} s"
        print(
            f"OBSERVED: ValueError 1 attempt (no retry); Retry() {len(att['always_retry'])} attempts then "
            f"'max 5 retries exceeded' (default max_tries {defaults['max_tries'].default}); "
            f"Retry(defer=0.5*job_try) 4 attempts, gaps " + ", ".join(f"{g:.2f} s" for g in gaps)
        )
    finally:
        purge()
