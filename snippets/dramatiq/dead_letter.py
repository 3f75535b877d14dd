"""A task that has failed for good lands in its queue's dead-letter queue (``<queue>.XQ``), kept 7 days.

Proves: after its retries run out, the message is in the dead-letter queue (Redis sorted set +
hash ``<ns>:<queue>.XQ``; RabbitMQ queue ``<queue>.XQ``) with the traceback in its options; we read
it back, re-enqueue it by hand (there is no requeue API) and it then succeeds. Default dead-letter
retention (7 days) is read from the library.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers import rabbitmq as rabbitmq_module
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-deadletter"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
FIXED, OK, TRIES = f"{NS}:deadletter:fixed", f"{NS}:deadletter:ok", f"{NS}:deadletter:tries"


@dramatiq.actor(queue_name=QUEUE, max_retries=1, min_backoff=100)
def import_file(name: str) -> None:
    store.incr(TRIES)
    if not store.exists(FIXED):  # fails until someone fixes the cause
        raise ValueError(f"cannot parse {name}")
    store.rpush(OK, name)


# --8<-- [start:example]
def take_dead_letters() -> list[dramatiq.Message]:
    """Remove and return the dead-lettered messages of QUEUE (no built-in API: read the broker)."""
    if isinstance(broker, RedisBroker):
        xq = f"{broker.namespace}:{QUEUE}.XQ"
        ids = broker.client.zrange(xq, 0, -1)
        raw = broker.client.hmget(f"{xq}.msgs", ids) if ids else []
        if ids:
            broker.client.zrem(xq, *ids)
            broker.client.hdel(f"{xq}.msgs", *ids)
        return [dramatiq.Message.decode(r) for r in raw]
    messages, channel = [], broker.channel
    while True:
        method, _props, body = channel.basic_get(f"{QUEUE}.XQ", auto_ack=True)
        if method is None:
            return messages
        messages.append(dramatiq.Message.decode(body))


# After fixing the cause, put them back on their queue:
#   for message in take_dead_letters():
#       broker.enqueue(message)
# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    if isinstance(broker, RedisBroker):
        dead_ttl = broker.dead_message_ttl
    else:
        dead_ttl = rabbitmq_module.DEAD_MESSAGE_TTL  # x-message-ttl of every .XQ queue
    assert dead_ttl == 7 * 24 * 3600 * 1000, dead_ttl

    cleanup()
    try:
        with start_worker("dead_letter", queues=[QUEUE], env={"dramatiq_worker_timeout": "100"}):
            import_file.send("data.csv")
            deadline, dead = time.monotonic() + 10, []
            while not dead and time.monotonic() < deadline:
                time.sleep(0.3)
                dead = take_dead_letters()
            assert len(dead) == 1, "the failed message never reached the dead-letter queue"
            failed = dead[0]
            tries_before_fix = int(store.get(TRIES))
            store.set(FIXED, 1)
            broker.enqueue(failed)  # requeue by hand
            deadline = time.monotonic() + 10
            while not store.llen(OK) and time.monotonic() < deadline:
                time.sleep(0.1)
        ok = [x.decode() for x in store.lrange(OK, 0, -1)]
    finally:
        cleanup()

    assert tries_before_fix == 2, f"expected first run + 1 retry, got {tries_before_fix} attempts"
    assert failed.options.get("retries") == 1, failed.options  # the stored copy counts the retries made
    assert "ValueError: cannot parse data.csv" in failed.options.get("traceback", ""), failed.options
    assert ok == ["data.csv"], ok
    print(
        f"OBSERVED: {type(broker).__name__}: after {tries_before_fix} failed attempts the message was in {QUEUE}.XQ with its "
        f"traceback; re-enqueued by hand it succeeded; dead letters kept {dead_ttl // 86_400_000} days"
    )
