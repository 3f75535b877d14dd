"""async def tasks: RQ accepts a coroutine function as a job; the work horse runs it to completion
with `asyncio.run()` (one event loop per job, one job at a time per worker).

Proves: asyncio. An `async def` task that awaits asyncio.sleep and asyncio.gather returns its value
through a real worker; inside it an event loop is running.
"""

from __future__ import annotations

import asyncio
import os

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-async", connection=redis)


# --8<-- [start:example]
async def fetch(n: int) -> int:
    await asyncio.sleep(0.1)
    return n * 10


async def fetch_all(count: int) -> dict:
    loop = asyncio.get_running_loop()  # raises if there is no running loop
    values = await asyncio.gather(*(fetch(n) for n in range(count)))
    return {"values": values, "loop": type(loop).__name__}


def send():
    from async_tasks import fetch_all  # import by module name, as the worker will

    return queue.enqueue(fetch_all, 3)  # no wrapper needed: the worker awaits the coroutine


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker("async_tasks", queues=[queue.name]):
            result = send().latest_result(timeout=10)
        assert result is not None and result.type == result.Type.SUCCESSFUL, result
        value = result.return_value
        assert value["values"] == [0, 10, 20], value
        print(f"OBSERVED: async def task returned {value['values']} from a running {value['loop']}")
    finally:
        purge_keys(redis)
