"""Priorities: real per-message priority on RabbitMQ (``max_priority``); only in-worker reordering on Redis.

Proves: 6 low-priority messages, then 1 urgent one, are queued while no worker runs; then one
worker with 1 thread starts. On RabbitMQ (queues declared with ``max_priority``, message sent with
``broker_priority``) the urgent task runs first. On Redis the queue is a FIFO list: the worker
prefetches 2 messages, so the urgent one cannot run first; the actor ``priority`` option only
reorders messages already prefetched by the worker.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-priorities"
store = redis.Redis.from_url(REDIS_URL)
ORDER = f"{NS}:priorities:order"

# --8<-- [start:example]
if BROKER_URL.startswith("amqp"):
    # x-max-priority on the queue; without it RabbitMQ ignores message priorities.
    broker: dramatiq.Broker = RabbitmqBroker(url=BROKER_URL, max_priority=10)
else:
    broker = RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE, priority=100)  # actor priority: lower number = more urgent
def bulk(n: int) -> None:
    store.rpush(ORDER, f"bulk{n}")
    time.sleep(0.2)


@dramatiq.actor(queue_name=QUEUE, priority=0)
def urgent() -> None:
    store.rpush(ORDER, "URGENT")
    time.sleep(0.2)


def enqueue_backlog() -> None:
    for n in range(6):
        bulk.send(n)
    # broker_priority: RabbitMQ message priority (higher number = more urgent); Redis ignores it.
    urgent.send_with_options(broker_priority=9)


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        enqueue_backlog()
        time.sleep(0.5)  # let RabbitMQ store them (publishes are asynchronous)
        with start_worker("priorities", queues=[QUEUE], threads=1):
            deadline = time.monotonic() + 15
            while store.llen(ORDER) < 7 and time.monotonic() < deadline:
                time.sleep(0.1)
        order = [x.decode() for x in store.lrange(ORDER, 0, -1)]
    finally:
        cleanup()

    assert sorted(order) == sorted([f"bulk{n}" for n in range(6)] + ["URGENT"]), order
    position = order.index("URGENT") + 1
    if isinstance(broker, RabbitmqBroker):
        assert position == 1, f"RabbitMQ priority queue should run URGENT first: {order}"
    else:
        assert position > 1, f"Redis has no broker-side priority, URGENT cannot run first: {order}"
    print(
        f"OBSERVED: {type(broker).__name__}: urgent task queued last ran at position {position} of 7: {' '.join(order)}"
    )
