"""Priorities: RQ has no per-job priority levels. Within one queue, `at_front=True` puts an urgent job
ahead of everything already queued; across queues, a worker drains the queues in the order given
(`rq worker high default`).

Proves: priorities. With no worker running we queue three normal jobs, then an urgent one with
at_front=True and one on a `high` queue; one worker (one job at a time) then runs them in the order
high, urgent, normal-1, normal-2, normal-3.
"""

from __future__ import annotations

import os

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
ORDER = f"{os.environ['RQ_KEY_PREFIX']}:demo:order"


# --8<-- [start:example]
def record(name: str) -> None:
    redis.rpush(ORDER, name)


high = Queue(f"{NS}-high", connection=redis)
default = Queue(f"{NS}-default", connection=redis)


def send() -> None:
    from priorities import record  # import by module name, as the worker will

    for i in (1, 2, 3):
        default.enqueue(record, f"normal-{i}")
    default.enqueue(record, "urgent", at_front=True)  # jumps the line within the queue
    high.enqueue(record, "high")  # separate queue, listed first by the worker


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        send()
        # queues in priority order; --burst: run what is queued, then exit
        with start_worker("priorities", queues=[high.name, default.name], burst=True, ready=None) as worker:
            worker.proc.wait(timeout=20)
        order = [x.decode() for x in redis.lrange(ORDER, 0, -1)]
        expected = ["high", "urgent", "normal-1", "normal-2", "normal-3"]
        assert order == expected, f"execution order {order}, expected {expected}"
        print(f"OBSERVED: execution order {', '.join(order)} (one worker, queues high then default)")
    finally:
        purge_keys(redis)
