"""Rate limiting with Dramatiq's built-in rate limiters (Redis-backed, shared by all workers).

Proves: 6 tasks sent at once to a worker with 4 threads, each guarded by
``WindowRateLimiter(limit=2, window=1)``, run at most 2 per second; the ones over the limit raise
``RateLimitExceeded`` and are retried by the Retries middleware until a slot is free.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.rate_limits import WindowRateLimiter
from dramatiq.rate_limits.backends import RedisBackend as RateLimitBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-ratelimit"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
RUNS = f"{NS}:ratelimit:runs"

# --8<-- [start:example]
limiter = WindowRateLimiter(RateLimitBackend(url=REDIS_URL), f"{NS}:call-api", limit=2, window=1)


# RateLimitExceeded is an ordinary exception: the task is retried after a short backoff.
@dramatiq.actor(queue_name=QUEUE, max_retries=100, min_backoff=100, max_backoff=500)
def call_api(n: int) -> None:
    with limiter.acquire():  # raises RateLimitExceeded when 2 calls already ran this second
        store.rpush(RUNS, time.time())


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("rate_limits", queues=[QUEUE], threads=4, env={"dramatiq_worker_timeout": "100"}):
            for n in range(6):
                call_api.send(n)
            deadline = time.monotonic() + 15
            while store.llen(RUNS) < 6 and time.monotonic() < deadline:
                time.sleep(0.1)
        runs = sorted(float(x) for x in store.lrange(RUNS, 0, -1))
    finally:
        cleanup()

    assert len(runs) == 6, f"only {len(runs)} of 6 tasks ran"
    per_second = Counter(int(t) for t in runs)  # the limiter's windows are whole wall-clock seconds
    assert max(per_second.values()) <= 2, f"more than 2 runs in one second: {per_second}"
    span = runs[-1] - runs[0]
    assert span >= 1.0, f"6 runs at 2/s cannot fit in {span:.2f} s"
    print(
        f"OBSERVED: 6 tasks, limit 2/s: runs per second {sorted(per_second.values(), reverse=True)}, "
        f"spread over {span:.2f} s"
    )
