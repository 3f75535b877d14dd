"""Groups: run tasks in parallel, then one completion callback once all of them succeeded.

Proves: ``group([...]).add_completion_callback(msg).run()`` (needs the GroupCallbacks middleware and a
rate-limiter backend for its barrier) runs 4 tasks in parallel and the callback exactly once, after
the last one; the callback gets no results by itself, so it is handed the children's messages and
reads their results from the result backend. The caller can also wait with ``g.get_results(block=True)``.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq import group
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import GroupCallbacks
from dramatiq.rate_limits.backends import RedisBackend as RateLimitBackend
from dramatiq.results import Results
from dramatiq.results.backends import RedisBackend

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-fanin"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


class NamespacedBarriers(RateLimitBackend):
    """Group barrier keys are random UUIDs; prefix them so this run's keys carry its namespace."""

    def add(self, key, value, ttl):  # type: ignore[no-untyped-def]
        return super().add(f"{NS}:{key}", value, ttl)

    def decr(self, key, amount, minimum, ttl):  # type: ignore[no-untyped-def]
        return super().decr(f"{NS}:{key}", amount, minimum, ttl)

    def wait(self, key, timeout):  # type: ignore[no-untyped-def]
        return super().wait(f"{NS}:{key}", timeout)

    def wait_notify(self, key, ttl):  # type: ignore[no-untyped-def]
        return super().wait_notify(f"{NS}:{key}", ttl)


broker = make_broker()
store = redis.Redis.from_url(REDIS_URL)
CALLBACK = f"{NS}:fanin:callback"

# --8<-- [start:example]
results = RedisBackend(url=REDIS_URL, namespace=f"results-{NS}", use_namespace_prefix_keys=True)
broker.add_middleware(Results(backend=results))
broker.add_middleware(GroupCallbacks(NamespacedBarriers(url=REDIS_URL)))  # a plain RedisBackend works too
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE, store_results=True)
def square(n: int) -> int:
    time.sleep(0.5)
    return n * n


@dramatiq.actor(queue_name=QUEUE)
def total(children: list[dict]) -> None:
    # Runs once, after every child succeeded; fetch their results from the backend.
    values = [dramatiq.Message(**c).get_result(backend=results) for c in children]
    store.rpush(CALLBACK, f"{time.time()} {sum(values)}")


def fan_out_and_in() -> group:
    children = [square.message(n) for n in range(1, 5)]
    g = group(children)
    g.add_completion_callback(total.message([c.asdict() for c in children]))
    return g.run()


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("fan_in", queues=[QUEUE], threads=4):
            t0 = time.time()
            g = fan_out_and_in()
            squares = list(g.get_results(block=True, timeout=10_000))
            all_done = time.time()
            deadline = time.monotonic() + 10
            while not store.llen(CALLBACK) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # a second callback would show up here
        calls = [x.decode().split() for x in store.lrange(CALLBACK, 0, -1)]
    finally:
        cleanup()

    assert squares == [1, 4, 9, 16], squares
    assert all_done - t0 < 1.8, f"4 x 0.5 s tasks on 4 threads took {all_done - t0:.2f} s: not parallel"
    assert len(calls) == 1, f"callback ran {len(calls)} times"
    called_at, value = float(calls[0][0]), int(calls[0][1])
    assert value == 30, value
    assert called_at >= all_done - 0.2, "callback ran before the group finished"
    print(
        f"OBSERVED: group of 4 ran in parallel ({all_done - t0:.2f} s for 4 x 0.5 s), results {squares}; "
        f"completion callback ran once, after the group, and summed the results from the backend: {value}"
    )
