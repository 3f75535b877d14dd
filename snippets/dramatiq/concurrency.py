"""One Dramatiq worker runs tasks in several OS processes, each with several threads.

Proves: ``dramatiq module --processes 2 --threads 2`` runs 8 one-second tasks 4 at a time:
up to 4 overlap, they come from 2 different process ids with 2 threads each, and all finish in
about 2 s instead of the 8 s they would need one by one. (Green threads need ``dramatiq-gevent`` and the
``gevent`` extra, not installed here; asyncio is shown in asyncio_tasks.py.)
"""

from __future__ import annotations

import json
import os
import re
import threading
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-concurrency"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
RUNS = f"{NS}:concurrency:runs"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def slow(n: int) -> None:
    start = time.time()
    time.sleep(1)  # stands in for I/O; threads release the GIL while waiting
    store.rpush(
        RUNS,
        json.dumps({"n": n, "pid": os.getpid(), "thread": threading.get_ident(), "start": start, "end": time.time()}),
    )


# Start the worker with 2 processes x 2 threads:
#   python -m dramatiq concurrency --processes 2 --threads 2
# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        # Queue the work first so that both processes find it when they start.
        # 8 tasks: each process prefetches threads * 2 = 4 messages, so both get work.
        for n in range(8):
            slow.send(n)
        with start_worker("concurrency", queues=[QUEUE], processes=2, threads=2):
            deadline = time.monotonic() + 15
            while store.llen(RUNS) < 8 and time.monotonic() < deadline:
                time.sleep(0.1)
        runs = [json.loads(x) for x in store.lrange(RUNS, 0, -1)]
    finally:
        cleanup()

    assert len(runs) == 8, runs
    pids = {r["pid"] for r in runs}
    threads = {(r["pid"], r["thread"]) for r in runs}
    # Most tasks running at the same moment: sweep over start (+1) and end (-1) events.
    events = sorted([(r["start"], 1) for r in runs] + [(r["end"], -1) for r in runs])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    span = max(r["end"] for r in runs) - min(r["start"] for r in runs)
    assert len(pids) == 2, f"expected 2 worker processes, saw {pids}"
    assert len(threads) == 4, f"expected 4 distinct (process, thread) pairs, saw {threads}"
    assert peak == 4, f"expected 4 tasks at once, peak was {peak}"
    assert span < 4.0, f"8 x 1 s tasks took {span:.2f} s: not concurrent"
    print(
        f"OBSERVED: 8 x 1 s tasks finished in {span:.2f} s, up to {peak} at once, "
        f"in {len(pids)} processes x 2 threads ({len(threads)} threads in all)"
    )
