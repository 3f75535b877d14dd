"""Results: store a task's return value, block until it is ready, and see how long it is kept.

Proves: with the Results middleware and a RedisBackend the caller blocks on
``message.get_result(block=True)``; the stored key expires after the default result_ttl
(10 minutes, read from the middleware and from the key's PTTL); reading a result does not delete it.
"""

from __future__ import annotations

import os
import re

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.results import Results
from dramatiq.results.backends import RedisBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-results"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
# --8<-- [start:example]
# Results are opt-in: add the middleware with a backend, then set store_results per actor.
# use_namespace_prefix_keys (new in 2.2) makes keys readable: "<namespace>:<queue>:<actor>:<id>".
backend = RedisBackend(url=REDIS_URL, namespace=f"results-{NS}", use_namespace_prefix_keys=True)
results = Results(backend=backend)  # result_ttl not given: the default applies
broker.add_middleware(results)
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE, store_results=True)
def add(x: int, y: int) -> int:
    return x + y


# In the caller:
#   message = add.send(2, 3)
#   message.get_result(block=True, timeout=10_000)  -> 5 (waits with BRPOPLPUSH, no polling)
# --8<-- [end:example]


def cleanup() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for c in {client, getattr(broker, "client", client)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    client = redis.Redis.from_url(REDIS_URL)
    cleanup()
    try:
        with start_worker("results", queues=[QUEUE]):
            message = add.send(2, 3)
            value = message.get_result(block=True, timeout=10_000)
            key = backend.build_message_key(message)
            ttl_ms = client.pttl(key)
            again = message.get_result()  # a second, non-blocking read
            still_there = client.exists(key)
    finally:
        cleanup()

    assert value == 5, value
    assert results.result_ttl == 600_000, results.result_ttl
    assert 590_000 <= ttl_ms <= 600_000, f"PTTL of {key} = {ttl_ms} ms"
    assert again == 5 and still_there == 1, "reading a result must not delete it"
    print(
        f"OBSERVED: get_result(block=True) -> {value} on {type(broker).__name__}; stored key {key} has PTTL "
        f"{ttl_ms / 1000:.0f} s (default result_ttl={results.result_ttl} ms); still present after 2 reads"
    )
