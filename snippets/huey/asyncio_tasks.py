"""async def tasks: Huey 3.5 refuses them. Decorating a coroutine function with @huey.task() raises
ConfigurationError ("huey does not support async functions. Wrap the coroutine with asyncio.run() in a
regular function."). The workaround is a normal task that calls asyncio.run(); on the caller's side
huey.contrib.asyncio.aget_result() awaits a result from inside an event loop.

Proves: asyncio. The decorator error is asserted; the asyncio.run() wrapper runs on a real consumer and
its result is awaited with aget_result().
"""

from __future__ import annotations

import asyncio
import os

from huey import RedisHuey
from huey.contrib.asyncio import aget_result
from huey.exceptions import ConfigurationError

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-async", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
async def fetch(n: int) -> int:
    await asyncio.sleep(0.1)
    return n * 2


try:
    huey.task()(fetch)  # an async def task
    ASYNC_REJECTED = ""
except ConfigurationError as exc:
    ASYNC_REJECTED = str(exc)


@huey.task()
def fetch_task(n: int) -> int:
    return asyncio.run(fetch(n))  # run the coroutine in a fresh event loop on the worker


async def caller() -> int:
    return await aget_result(fetch_task(21), timeout=10)  # await the result without blocking the loop


# --8<-- [end:example]


if __name__ == "__main__":
    import asyncio_tasks as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        assert "does not support async functions" in app.ASYNC_REJECTED, app.ASYNC_REJECTED
        with start_worker("asyncio_tasks"):
            value = asyncio.run(app.caller())
        assert value == 42, value
        print(
            f"OBSERVED: @huey.task() on async def -> ConfigurationError({app.ASYNC_REJECTED!r}); "
            f"asyncio.run() wrapper task returned {value}, awaited with aget_result()"
        )
    finally:
        purge(huey)
