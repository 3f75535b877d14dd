"""Dramatiq messages are JSON on the wire by default; the encoder can be swapped.

Proves: the raw message stored in the broker (Redis hash ``<ns>:<queue>.msgs`` / RabbitMQ message
body) is JSON produced by the default JSONEncoder, and a real worker runs it; ``dramatiq.set_encoder``
switches the format (PickleEncoder shown, encoded locally).
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

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-serializer"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
DONE = f"{NS}:serializer:done"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def greet(name: str, tags: list[str]) -> None:
    store.rpush(DONE, f"hello {name} {tags}")


print(type(dramatiq.get_encoder()).__name__)  # JSONEncoder: the default
# To change the wire format for every message: dramatiq.set_encoder(dramatiq.PickleEncoder())
# (pickle lets anyone who can write to the broker run code in your workers).
# --8<-- [end:example]


def raw_message() -> bytes:
    """Read the stored message straight from the broker, without Dramatiq's decoder."""
    if isinstance(broker, RedisBroker):
        raw = broker.client.hvals(f"{broker.namespace}:{QUEUE}.msgs")
        assert len(raw) == 1, raw
        return raw[0]
    channel = broker.channel
    method, _props, body = channel.basic_get(QUEUE, auto_ack=False)
    assert method is not None, "no message in the RabbitMQ queue"
    channel.basic_nack(method.delivery_tag, requeue=True)  # put it back for the worker
    return body


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        assert isinstance(dramatiq.get_encoder(), dramatiq.JSONEncoder)
        greet.send("Ada", ["x", "y"])  # no worker yet: the message waits in the broker
        raw = raw_message()
        decoded = json.loads(raw)  # plain JSON, readable by any language
        with start_worker("serializer", queues=[QUEUE]):
            deadline = time.monotonic() + 10
            while not store.llen(DONE) and time.monotonic() < deadline:
                time.sleep(0.1)
        done = store.lrange(DONE, 0, -1)
        # The switch: the same message through PickleEncoder (local only, nothing sent).
        dramatiq.set_encoder(dramatiq.PickleEncoder())
        pickled = greet.message("Ada", ["x", "y"]).encode()
        dramatiq.set_encoder(dramatiq.JSONEncoder())
    finally:
        cleanup()

    assert decoded["actor_name"] == "greet" and decoded["args"] == ["Ada", ["x", "y"]], decoded
    assert done == [b"hello Ada ['x', 'y']"], done
    assert pickled[:1] == b"\x80", pickled[:10]
    print(
        f"OBSERVED: raw message in {type(broker).__name__} is JSON: {raw[:110].decode()}...; "
        f"worker ran it; with PickleEncoder the bytes start {pickled[:2]!r}"
    )
