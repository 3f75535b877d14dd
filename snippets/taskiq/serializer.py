"""taskiq messages are JSON by default: read the raw message straight from the broker.

Proves: with the default JSONSerializer the bytes a broker holds are plain JSON (task_id,
task_name, labels, args, kwargs); no worker runs, so the message is still queued. On Redis we
LRANGE the list, on RabbitMQ we basic_get the message (and requeue it). ``broker.with_serializer``
switches format (e.g. PickleSerializer, or msgpack/cbor/orjson through extras).
"""

from __future__ import annotations

import asyncio
import json
import os
import re

import aio_pika
import redis
from taskiq import AsyncBroker
from taskiq.serializers import JSONSerializer
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue
from taskiq_redis import ListQueueBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"taskiq-{NS}-serializer"


def make_broker() -> AsyncBroker:
    """RabbitMQ (taskiq-aio-pika) for amqp:// URLs, else a Redis list (taskiq-redis)."""
    if BROKER_URL.startswith("amqp"):
        return AioPikaBroker(
            BROKER_URL,
            exchange=Exchange(name=QUEUE),
            task_queues=[Queue(name=QUEUE)],
            dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
        )
    return ListQueueBroker(BROKER_URL, queue_name=QUEUE)


# --8<-- [start:example]
broker = make_broker()  # default serializer; broker.with_serializer(...) would change it


@broker.task(task_name="greet")
async def greet(name: str, punctuation: str = "!") -> str:
    return f"hello {name}{punctuation}"


async def send_and_peek() -> bytes:
    await broker.startup()
    await greet.kiq("ada", punctuation="?")  # no worker is running: the message stays queued
    await broker.shutdown()
    if BROKER_URL.startswith("amqp"):
        conn = await aio_pika.connect(BROKER_URL)
        channel = await conn.channel()
        queue = await channel.get_queue(QUEUE)
        message = await queue.get(timeout=5)
        body = message.body
        await message.nack(requeue=True)
        await conn.close()
        return body
    return redis.Redis.from_url(BROKER_URL).lrange(QUEUE, 0, -1)[0]


# --8<-- [end:example]


if __name__ == "__main__":
    assert isinstance(broker.serializer, JSONSerializer), type(broker.serializer)
    try:
        raw = asyncio.run(send_and_peek())
    finally:
        if not BROKER_URL.startswith("amqp"):
            redis.Redis.from_url(BROKER_URL).delete(QUEUE)
    doc = json.loads(raw)  # plain JSON, nothing pickled
    assert doc["task_name"] == "greet" and doc["args"] == ["ada"] and doc["kwargs"] == {"punctuation": "?"}, doc
    assert set(doc) >= {"task_id", "task_name", "labels", "args", "kwargs"}, doc
    where = "RabbitMQ message body" if BROKER_URL.startswith("amqp") else "Redis list item"
    print(f"OBSERVED: default serializer {type(broker.serializer).__name__}; raw {where} is JSON: {raw.decode()[:120]}")
