"""async def tasks: every arq job function is a coroutine `async def f(ctx, ...)` awaited on the worker's event
loop, with shared async resources set up once in `on_startup` and passed in `ctx`. Plain `def` functions are
refused when the worker is built.

Proves: asyncio. An async job awaits an aiohttp-style client created at startup (here: the worker's own async
Redis connection and a small async helper object); registering a plain function raises RuntimeError.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import os

from arq import create_pool, func
from arq.connections import RedisSettings

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"arq:{NS}:asyncio"


# --8<-- [start:example]
class Client:  # stands in for an aiohttp.ClientSession or a database pool
    async def get(self, path: str) -> str:
        await asyncio.sleep(0.1)
        return f"GET {path} -> 200"


async def startup(ctx: dict) -> None:
    ctx["client"] = Client()  # created once per worker, shared by all jobs


async def fetch_page(ctx: dict, path: str) -> str:
    response = await ctx["client"].get(path)
    await ctx["redis"].incr(f"{NS}:pages")  # ctx["redis"] is the worker's async Redis (ArqRedis)
    return f"{response} on try {ctx['job_try']} in {asyncio.current_task().get_name()!r}"


def not_a_coroutine(ctx: dict) -> None:
    pass


class WorkerSettings:
    functions = [fetch_page]
    on_startup = startup
    queue_name = QUEUE
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


# --8<-- [end:example]


async def main() -> tuple[str, int]:
    redis = await create_pool(REDIS, default_queue_name=QUEUE)
    with start_worker("asyncio_tasks.WorkerSettings"):
        job = await redis.enqueue_job("fetch_page", "/docs", _job_id=f"{NS}-page")
        result = await job.result(timeout=10, poll_delay=0.05)
    pages = int(await redis.get(f"{NS}:pages"))
    await redis.aclose()
    return result, pages


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        try:
            func(not_a_coroutine)  # what the worker does with each entry of `functions`
            refused = ""
        except RuntimeError as exc:
            refused = str(exc)
        result, pages = asyncio.run(main())
        assert "is not a coroutine function" in refused, refused
        assert result.startswith("GET /docs -> 200 on try 1 in 'Task-"), result
        assert pages == 1, pages
        print(
            f"OBSERVED: async job returned {result!r}; a plain def is refused "
            f"(RuntimeError: ... is not a coroutine function)"
        )
    finally:
        purge()
