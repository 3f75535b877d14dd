"""Delayed jobs: enqueue_job(..., _defer_by=seconds or timedelta) or `_defer_until=datetime` stores the job in the
queue with a future score; any normal worker starts it once that time has passed (no extra process). Precision is
the worker's poll_delay (default 0.5 s; 0.05 s here to keep the demo fast).

Proves: delayed. A job deferred by 1 s and one deferred until now + 2 s start ~1 s and ~2 s after they were
enqueued; before that their status is "deferred".
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta

from arq import create_pool
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:delayed"


# --8<-- [start:example]
async def remind(ctx: dict, who: str) -> float:
    return time.time()  # when the job actually started


class WorkerSettings:
    functions = [remind]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def send(redis) -> tuple:
    sent = time.time()
    by = await redis.enqueue_job("remind", "ada", _defer_by=timedelta(seconds=1), _job_id=f"{NS}-by")
    until = await redis.enqueue_job(
        "remind", "grace", _job_id=f"{NS}-until", _defer_until=datetime.now(UTC) + timedelta(seconds=2)
    )
    return sent, by, until


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("delayed.WorkerSettings"):
        sent, by, until = await send(redis)
        statuses = (await by.status(), await until.status())
        ran_by = await by.result(timeout=10, poll_delay=0.05)
        ran_until = await until.result(timeout=10, poll_delay=0.05)
    await redis.aclose()
    return dict(statuses=statuses, by=ran_by - sent, until=ran_until - sent)


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        assert r["statuses"] == ("deferred", "deferred"), r["statuses"]
        assert 0.8 <= r["by"] <= 2.5, f"_defer_by=1 s ran after {r['by']:.2f} s"
        assert 1.8 <= r["until"] <= 3.5, f"_defer_until=+2 s ran after {r['until']:.2f} s"
        print(
            f"OBSERVED: status 'deferred'; _defer_by=1 s started after {r['by']:.2f} s, "
            f"_defer_until=now+2 s after {r['until']:.2f} s (plain worker, poll_delay 0.05 s)"
        )
    finally:
        purge()
