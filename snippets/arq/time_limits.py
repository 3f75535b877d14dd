"""Time limits: every arq job runs under `asyncio.wait_for(..., timeout)`; the worker default is
`job_timeout=300` s, per function `func(f, timeout=...)`. When it expires the job's coroutine is cancelled at its
current `await` and the job fails with TimeoutError (no retry). Code that blocks without awaiting (time.sleep,
CPU loops) cannot be interrupted: the limit only fires once the loop gets control back.

Proves: time_limits. A job awaiting for 10 s with timeout=1 fails after ~1 s, with TimeoutError, attempted once;
a job that blocks in time.sleep(2) with timeout=1 is not stopped at 1 s. poll_delay lowered from 0.5 s to 0.05 s.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time

from arq import Worker, create_pool, func
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:time-limits"


# --8<-- [start:example]
async def slow_download(ctx: dict) -> str:
    await ctx["redis"].incr(f"{NS}:slow-attempts")
    await asyncio.sleep(10)  # cancelled here when the timeout expires
    return "never"


async def busy_loop(ctx: dict) -> str:
    time.sleep(2)  # blocking: the event loop (and the timeout) waits for it
    return "blocked through the limit"


class WorkerSettings:
    functions = [func(slow_download, timeout=1), func(busy_loop, timeout=1)]  # default job_timeout: 300 s
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("time_limits.WorkerSettings"):
        slow = await redis.enqueue_job("slow_download", _job_id=f"{NS}-slow")
        try:
            await slow.result(timeout=15, poll_delay=0.05)
            slow_error = None
        except BaseException as exc:
            slow_error = exc
        info = await slow.result_info()
        busy = await redis.enqueue_job("busy_loop", _job_id=f"{NS}-busy")
        try:
            busy_out = await busy.result(timeout=15, poll_delay=0.05)
        except BaseException as exc:
            busy_out = exc
        busy_info = await busy.result_info()
    attempts = int(await redis.get(f"{NS}:slow-attempts"))
    await redis.aclose()
    return dict(slow_error=slow_error, info=info, busy_out=busy_out, busy_info=busy_info, attempts=attempts)


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        assert inspect.signature(Worker).parameters["job_timeout"].default == 300
        r = asyncio.run(main())
        ran = (r["info"].finish_time - r["info"].start_time).total_seconds()
        busy_ran = (r["busy_info"].finish_time - r["busy_info"].start_time).total_seconds()
        assert isinstance(r["slow_error"], TimeoutError), repr(r["slow_error"])
        assert r["info"].success is False and 0.9 <= ran <= 2.5, f"stopped after {ran:.2f} s"
        assert r["attempts"] == 1, f"a timed-out job is not retried, got {r['attempts']} attempts"
        assert busy_ran >= 1.9, f"the blocking job was cut at {busy_ran:.2f} s"
        print(
            f"OBSERVED: timeout=1 stopped an awaiting job after {ran:.2f} s ({type(r['slow_error']).__name__}, "
            f"1 attempt; default job_timeout 300 s); a time.sleep(2) job ran {busy_ran:.2f} s and ended with "
            f"{r['busy_out']!r}"
        )
    finally:
        purge()
