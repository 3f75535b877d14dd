"""Inspection: `redis.queued_jobs(queue_name=...)` lists the jobs waiting in a queue (function, args, try, score),
`job.status()` / `job.info()` / `job.result_info()` describe one job, and `redis.all_job_results()` lists every
stored result (it runs KEYS over the whole Redis db). There is no API listing running jobs or counting failed
ones; running jobs are visible only as `arq:in-progress:<id>` keys. Each worker writes a health line
(`<queue>:health-check`: j_complete, j_failed, j_retried, j_ongoing, queued) every health_check_interval
(default 3600 s), read by `arq --check`.

Proves: inspection. Three queued jobs are listed; with a worker (max_jobs=1) one is in progress (status and its
in-progress key), the health-check key shows counters. poll_delay is lowered from 0.5 s to 0.05 s.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:inspection"


# --8<-- [start:example]
async def resize(ctx: dict, image: str) -> str:
    await asyncio.sleep(1.5)
    return f"{image} resized"


class WorkerSettings:
    functions = [resize]
    max_jobs = 1
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def snapshot(redis) -> dict:
    queued = await redis.queued_jobs(queue_name=QUEUE)  # JobDef: function, args, job_try, score, job_id
    statuses = {j.job_id: await Job(j.job_id, redis, _queue_name=QUEUE).status() for j in queued}
    running = [k.decode() async for k in redis.scan_iter(match=f"arq:in-progress:{NS}-*")]
    health = await redis.get(f"{QUEUE}:health-check")  # written by the worker
    return {"queued": queued, "statuses": statuses, "running": running, "health": health}


# --8<-- [end:example]


async def main() -> dict:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    for name in ("a.png", "b.png", "c.png"):
        await redis.enqueue_job("resize", name, _job_id=f"{NS}-{name}")
    before = await snapshot(redis)
    with start_worker("inspection.WorkerSettings"):
        while not await redis.exists(f"arq:in-progress:{NS}-a.png"):
            await asyncio.sleep(0.05)
        during = await snapshot(redis)
        check = subprocess.run(
            [sys.executable, "-m", "arq", "--check", "inspection.WorkerSettings"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    await redis.aclose()
    return {"before": before, "during": during, "check": check.returncode}


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        before, during = r["before"], r["during"]
        assert [(j.function, j.args) for j in before["queued"]] == [
            ("resize", ("a.png",)),
            ("resize", ("b.png",)),
            ("resize", ("c.png",)),
        ], before["queued"]
        assert set(before["statuses"].values()) == {"queued"}, before["statuses"]
        assert during["statuses"][f"{NS}-a.png"] == "in_progress", during["statuses"]
        assert during["statuses"][f"{NS}-b.png"] == "queued", during["statuses"]
        assert during["running"] == [f"arq:in-progress:{NS}-a.png"], during["running"]
        assert during["health"] and b"j_complete=0" in during["health"] and b"queued=3" in during["health"], during[
            "health"
        ]
        assert r["check"] == 0, f"arq --check exit code {r['check']}"
        print(
            f"OBSERVED: queued_jobs() listed 3 jobs; during the run statuses "
            f"{sorted(s.value for s in set(during['statuses'].values()))}, 1 in-progress key; health key "
            f"{during['health'].decode().split(' ', 2)[2]!r}; arq --check exit 0"
        )
    finally:
        purge()
