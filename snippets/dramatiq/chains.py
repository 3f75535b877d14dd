"""Pipelines: run B with the result of A (and C with B's), declared up front.

Proves: ``pipeline([...])`` (or ``a.message(..) | b.message(..)``) passes each step's return value
as the last argument of the next step; ``pipe_ignore=True`` runs a step without it; the final
result is read with ``pipe.get_result(block=True)`` from the Redis result backend.
"""

from __future__ import annotations

import os
import re

import dramatiq
import redis
from dramatiq import pipeline
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.results import Results
from dramatiq.results.backends import RedisBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-chains"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
backend = RedisBackend(url=REDIS_URL, namespace=f"results-{NS}", use_namespace_prefix_keys=True)
broker.add_middleware(Results(backend=backend))
dramatiq.set_broker(broker)


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE, store_results=True)
def fetch(url: str) -> str:
    return f"<html>{url}</html>"


@dramatiq.actor(queue_name=QUEUE, store_results=True)
def count_chars(page: str) -> int:  # receives fetch's result
    return len(page)


@dramatiq.actor(queue_name=QUEUE, store_results=True)
def label(prefix: str, n: int) -> str:  # receives count_chars's result as the last argument
    return f"{prefix}{n}"


def build() -> pipeline:
    # Same as: fetch.message("example.org") | count_chars.message() | label.message("chars=")
    return pipeline([fetch.message("example.org"), count_chars.message(), label.message("chars=")])


# pipe = build().run(); pipe.get_result(block=True) -> "chars=24"
# --8<-- [end:example]


def cleanup() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for c in {client, getattr(broker, "client", client)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("chains", queues=[QUEUE], threads=2):
            pipe = build().run()
            final = pipe.get_result(block=True, timeout=10_000)
            steps = list(pipe.get_results(block=True, timeout=10_000))  # a generator: consume it now
            # pipe_ignore: the second step does not receive the first one's result.
            ignored = (fetch.message("x") | label.message_with_options(args=("solo", 7), pipe_ignore=True)).run()
            solo = ignored.get_result(block=True, timeout=10_000)
    finally:
        cleanup()

    assert list(steps) == ["<html>example.org</html>", 24, "chars=24"], steps
    assert final == "chars=24", final
    assert solo == "solo7", solo
    print(
        f"OBSERVED: pipeline fetch | count_chars | label -> step results {list(steps)}; "
        f"with pipe_ignore=True the next step ran without the previous result -> {solo!r}"
    )
