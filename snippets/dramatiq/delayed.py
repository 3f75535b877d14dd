"""Delayed tasks: ``send_with_options(delay=...)`` runs a task no earlier than the delay.

Proves: a task sent with ``delay=1500`` (ms) to a running worker starts 1.5-4 s later (measured; idle queues are polled about once a second by default),
while a task sent without delay at the same moment runs at once. No extra scheduler process:
the worker itself holds delayed messages (delay queue ``<queue>.DQ``) until their eta.
"""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-delayed"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
RUNS = f"{NS}:delayed:runs"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def remind(label: str) -> None:
    store.hset(RUNS, label, time.time())


def schedule() -> float:
    sent = time.time()
    remind.send_with_options(args=("later",), delay=1500)  # ms; a timedelta works too
    remind.send("now")
    return sent


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("delayed", queues=[QUEUE]):
            sent = schedule()
            remind.send_with_options(args=("td",), delay=timedelta(seconds=1))
            deadline = time.monotonic() + 10
            while store.hlen(RUNS) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
        runs = {k.decode(): float(v) - sent for k, v in store.hgetall(RUNS).items()}
    finally:
        cleanup()

    assert set(runs) == {"now", "later", "td"}, runs
    assert runs["now"] < 1.0, f"undelayed task took {runs['now']:.2f} s"
    assert 1.5 <= runs["later"] <= 4.0, f"delay=1500 ms task ran after {runs['later']:.2f} s"
    assert 1.0 <= runs["td"] <= 3.5, f"delay=timedelta(seconds=1) task ran after {runs['td']:.2f} s"
    print(
        f"OBSERVED: delay=1500 ms task ran {runs['later']:.2f} s after send, delay=timedelta(1 s) after "
        f"{runs['td']:.2f} s, undelayed one after {runs['now']:.2f} s"
    )
