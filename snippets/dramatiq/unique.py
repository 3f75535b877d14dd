"""No unique-job option in Dramatiq, but a built-in distributed mutex (ConcurrentRateLimiter).

Proves: sending the same job 3 times queues 3 messages (nothing deduplicates them), and a
``ConcurrentRateLimiter(limit=1)`` lock keyed on the job's argument keeps them from running at the
same time on a worker with 3 threads: the lock holders never overlap and the losers skip the work.
"""

from __future__ import annotations

import json
import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend as RateLimitBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-unique"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
LOG = f"{NS}:unique:log"
locks = RateLimitBackend(url=REDIS_URL)


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def rebuild_report(customer: int) -> None:
    mutex = ConcurrentRateLimiter(locks, f"{NS}:report-{customer}", limit=1)  # a lock across all workers
    with mutex.acquire(raise_on_failure=False) as acquired:
        if not acquired:
            store.rpush(LOG, json.dumps({"skipped": time.time()}))  # someone else is on it
            return
        start = time.time()
        time.sleep(1)
        store.rpush(LOG, json.dumps({"start": start, "end": time.time()}))


# --8<-- [end:example]


def queued() -> int:
    if isinstance(broker, RedisBroker):
        return broker.client.llen(f"{broker.namespace}:{QUEUE}")
    return broker.get_queue_message_counts(QUEUE)[0]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        for _ in range(3):
            rebuild_report.send(42)  # the same job, three times
        deadline = time.monotonic() + 3  # RabbitMQ publishes asynchronously: give it a moment
        while (waiting := queued()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        with start_worker("unique", queues=[QUEUE], threads=3):
            deadline = time.monotonic() + 10
            while store.llen(LOG) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
        log = [json.loads(x) for x in store.lrange(LOG, 0, -1)]
    finally:
        cleanup()

    assert waiting == 3, f"expected 3 queued duplicates (no dedup on enqueue), found {waiting}"
    ran = sorted((e["start"], e["end"]) for e in log if "start" in e)
    skipped = [e for e in log if "skipped" in e]
    assert len(ran) + len(skipped) == 3, log
    assert ran and skipped, f"expected the lock to turn some duplicates away: {log}"
    for (_, end), (start, _) in zip(ran, ran[1:]):
        assert start >= end, "two holders of the lock overlapped"
    print(
        f"OBSERVED: 3 identical sends -> 3 queued messages (no dedup); with ConcurrentRateLimiter(limit=1) "
        f"{len(ran)} ran, {len(skipped)} skipped, no overlap"
    )
