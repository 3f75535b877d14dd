"""Chains: arq has no chain/pipeline primitive (no dependencies, no link callbacks). A job that should be followed
by another enqueues it itself through `ctx["redis"]`, passing its result along; the caller follows the ids.

Proves: chains. download -> parse -> store, each step enqueued by the previous one with a predictable id; the
caller waits for the last step and checks the value flowed through all three.
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
QUEUE = f"arq:{NS}:chains"


# --8<-- [start:example]
async def download(ctx: dict, url: str) -> str:
    body = f"<html>{url}</html>"
    await ctx["redis"].enqueue_job("parse", body, _job_id=f"{ctx['job_id']}:parse")  # next step, by hand
    return body


async def parse(ctx: dict, body: str) -> int:
    size = len(body)
    await ctx["redis"].enqueue_job("store", size, _job_id=f"{ctx['job_id']}:store")
    return size


async def store(ctx: dict, size: int) -> str:
    return f"stored {size} bytes"


class WorkerSettings:
    functions = [download, parse, store]
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


async def run_chain(redis, url: str) -> str:
    first = await redis.enqueue_job("download", url, _job_id=f"{NS}-page")
    last = Job(f"{first.job_id}:parse:store", redis, _queue_name=QUEUE)
    while await last.status() == "not_found":  # the last step does not exist until its parent runs
        await asyncio.sleep(0.05)
    return await last.result(timeout=10, poll_delay=0.05)


# --8<-- [end:example]


async def main() -> tuple[str, int]:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("chains.WorkerSettings"):
        final = await asyncio.wait_for(run_chain(redis, "example.org"), 20)
        middle = await Job(f"{NS}-page:parse", redis, _queue_name=QUEUE).result(timeout=5)
    await redis.aclose()
    return final, middle


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        final, middle = asyncio.run(main())
        assert middle == len("<html>example.org</html>"), middle
        assert final == f"stored {middle} bytes", final
        print(
            f"OBSERVED: download -> parse -> store chained by enqueueing from inside each job: parse={middle}, "
            f"store={final!r}"
        )
    finally:
        purge()
