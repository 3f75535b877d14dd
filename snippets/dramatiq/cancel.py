"""Dramatiq has no cancel/revoke API; a queued message can be skipped with a small middleware.

Proves: neither ``Message`` nor the broker offers a way to cancel one task (only ``flush`` of a
whole queue); a 6-line middleware that raises ``SkipMessage`` for ids in a Redis set cancels a
queued task: of two queued tasks, the cancelled one never runs, the other does.
(The third-party ``dramatiq-abort`` package adds abort of queued and running tasks.)
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Middleware, SkipMessage

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-cancel"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
store = redis.Redis.from_url(REDIS_URL)
RAN = f"{NS}:cancel:ran"
CANCELLED = f"{NS}:cancel:ids"


# --8<-- [start:example]
class Cancellable(Middleware):
    """Skip any message whose id was put in the CANCELLED set before a worker picked it up."""

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
        if store.sismember(CANCELLED, message.message_id):
            raise SkipMessage()  # acked without running the actor


broker.add_middleware(Cancellable())
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE)
def send_email(to: str) -> None:
    store.rpush(RAN, to)


def cancel(message: dramatiq.Message) -> None:
    store.sadd(CANCELLED, message.message_id)


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    # What the library itself offers: no per-task cancel anywhere.
    for obj in (dramatiq.Message, type(broker), dramatiq.Actor):
        for name in ("cancel", "revoke", "abort"):
            assert not hasattr(obj, name), f"{obj.__name__}.{name} exists"

    cleanup()
    try:
        keep = send_email.send("keep@example.com")
        drop = send_email.send("drop@example.com")
        cancel(drop)  # before any worker runs
        with start_worker("cancel", queues=[QUEUE]):
            deadline = time.monotonic() + 10
            while not store.llen(RAN) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)  # time for the cancelled one to (not) run
        ran = [x.decode() for x in store.lrange(RAN, 0, -1)]
    finally:
        cleanup()

    assert ran == ["keep@example.com"], ran
    print(
        "OBSERVED: no cancel/revoke/abort on Message, Actor or broker; with a SkipMessage middleware "
        f"the cancelled queued task was skipped, the other ran: {ran}"
    )
