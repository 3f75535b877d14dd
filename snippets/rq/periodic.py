"""Periodic jobs: RQ's cron scheduler is a separate process, `rq cron <config module>`; the config
registers functions with `rq.cron.register(func, queue_name, interval=seconds)` or
`cron="*/5 * * * *"`. It only enqueues: ordinary workers run the jobs.

Proves: periodic. This file is its own cron config (interval=1 s); with `rq cron periodic` and one
`rq worker` running, the job runs at least twice, about a second apart.
"""

from __future__ import annotations

import os
import time

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import cron  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
QUEUE = f"{NS}-periodic"
TICKS = f"{os.environ['RQ_KEY_PREFIX']}:demo:ticks"


# --8<-- [start:example]
def tick() -> None:
    redis.rpush(TICKS, time.time())


# Read by `rq cron periodic` (this module is the config); interval in seconds, or cron="0 * * * *".
cron.register(tick, QUEUE, interval=1)
# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        with start_worker("periodic", queues=[QUEUE]):
            with start_worker("periodic", command="cron", ready="starting..."):
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and redis.llen(TICKS) < 3:
                    time.sleep(0.1)
        runs = [float(t) for t in redis.lrange(TICKS, 0, -1)]
        gaps = [b - a for a, b in zip(runs, runs[1:])]
        assert len(runs) >= 2, f"only {len(runs)} run(s)"
        assert all(0.5 <= g <= 2.5 for g in gaps), f"gaps {gaps}"
        print(f"OBSERVED: {len(runs)} runs of an interval=1 cron job, gaps " + ", ".join(f"{g:.2f} s" for g in gaps))
    finally:
        purge_keys(redis)
