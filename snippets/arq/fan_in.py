"""Fan-in: arq has no group/chord. Parallel parts are just several jobs; a join is code you write: the caller (or a
job) awaits all their results with asyncio.gather and then runs the final step. A joining *job* holds a worker
slot while it waits, so it needs max_jobs > 1.

Proves: fan_in. A `report` job enqueues four `count_words` parts, awaits their results and sums them; the parts
ran in parallel on the same worker. poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import os
import time

from arq import create_pool
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:fan-in"


# --8<-- [start:example]
async def count_words(ctx: dict, text: str) -> tuple[int, float]:
    await asyncio.sleep(0.5)
    return len(text.split()), time.time()


async def report(ctx: dict, texts: list[str]) -> dict:
    parts = [
        await ctx["redis"].enqueue_job("count_words", t, _job_id=f"{ctx['job_id']}:part{i}")
        for i, t in enumerate(texts)
    ]
    results = await asyncio.gather(*[p.result(timeout=30, poll_delay=0.05) for p in parts])  # the join
    return {"total": sum(n for n, _ in results), "finished": [t for _, t in results]}


class WorkerSettings:
    functions = [count_words, report]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("fan_in.WorkerSettings"):
        job = await redis.enqueue_job("report", ["a b", "c d e", "f", "g h i j"], _job_id=f"{NS}-report")
        out = await job.result(timeout=20, poll_delay=0.05)
    await redis.aclose()
    return out


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        out = asyncio.run(main())
        spread = max(out["finished"]) - min(out["finished"])
        assert out["total"] == 10, out
        assert spread < 0.4, f"parts should finish together (parallel), spread {spread:.2f} s"
        print(
            f"OBSERVED: 4 parts ran in parallel (finished within {spread:.2f} s); the report job joined "
            f"them with asyncio.gather -> total {out['total']}"
        )
    finally:
        purge()
