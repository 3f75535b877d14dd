"""Dramatiq retries every failing task by itself, with exponential backoff.

Proves: with default settings an actor that raises is retried up to 20 times and the first
retry waits 15-30 s (read from the Retries middleware at run time); with shortened delays
(min_backoff=200 ms) we count the attempts and measure that each gap roughly doubles.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import compute_backoff
from dramatiq.middleware import Retries

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-retries"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)  # where the task writes down each attempt
ATTEMPTS = f"{NS}:retries:attempts"


# --8<-- [start:example]
# No retry code in the task: the default Retries middleware re-enqueues it with a delay.
# Shortened for the demo: 3 retries, first delay 200-400 ms (the default is 15-30 s).
@dramatiq.actor(queue_name=QUEUE, max_retries=3, min_backoff=200)
def flaky() -> None:
    store.rpush(ATTEMPTS, time.time())
    raise RuntimeError("boom")


# Default settings, read from the middleware the broker really uses.
retries = next(m for m in broker.middleware if isinstance(m, Retries))
print(retries.max_retries, retries.min_backoff, retries.max_backoff)  # 20 15000 604800000
# --8<-- [end:example]


def cleanup() -> None:
    for client in {store, getattr(broker, "client", store)}:
        for key in client.scan_iter(f"*{NS}*"):
            client.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    # The defaults, as the worker would use them.
    assert retries.max_retries == 20, retries.max_retries
    assert retries.min_backoff == 15_000, retries.min_backoff
    assert retries.max_backoff == 7 * 24 * 3600 * 1000, retries.max_backoff
    first = [compute_backoff(0, factor=retries.min_backoff, max_backoff=retries.max_backoff)[1] for _ in range(200)]
    assert min(first) >= 15_000 and max(first) <= 30_000, (min(first), max(first))

    cleanup()
    try:
        # dramatiq_worker_timeout=100: idle consumers poll every 100 ms instead of 1 s, so gaps are sharp.
        with start_worker("retries", queues=[QUEUE], env={"dramatiq_worker_timeout": "100"}):
            sent = time.time()
            flaky.send()
            deadline = time.monotonic() + 20
            while store.llen(ATTEMPTS) < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.5)  # would a 5th attempt come? (it must not: max_retries=3)
        stamps = [float(x) for x in store.lrange(ATTEMPTS, 0, -1)]
    finally:
        cleanup()

    assert len(stamps) == 4, f"expected 1 run + 3 retries, got {len(stamps)} attempts"
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    # Backoff n (0-based) is 200 ms * 2**n * uniform(1, 2): 0.2-0.4 s, 0.4-0.8 s, 0.8-1.6 s (+ polling slack).
    for n, gap in enumerate(gaps):
        low, high = 0.2 * 2**n, 0.4 * 2**n
        assert low * 0.9 <= gap <= high + 1.2, f"gap {n + 1} = {gap:.2f} s, expected {low:.1f}-{high:.1f} s"
    assert gaps[2] > gaps[0], f"delays should grow: {gaps}"
    print(
        f"OBSERVED: 4 attempts (1 + max_retries=3), gaps {', '.join(f'{g:.2f} s' for g in gaps)} with min_backoff=200 ms; "
        f"defaults read from Retries: max_retries={retries.max_retries}, first retry "
        f"{min(first) / 1000:.1f}-{max(first) / 1000:.1f} s (min_backoff={retries.min_backoff} ms), max_backoff=7 days"
    )
