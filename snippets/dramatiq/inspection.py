"""Counting queued, delayed, running and dead tasks: broker-specific, mostly by reading the broker.

Proves: with 3 queued, 1 delayed and 1 dead-lettered message (and then 1 running), the counts can be
read: on RabbitMQ via ``broker.get_queue_message_counts(queue)`` -> (ready, delayed, dead) (documented
"only meant to be used in tests"; messages a worker holds, running, prefetched or
waiting for their delay, are unacked and not counted); on Redis there is no API, so we read
Dramatiq's keys: list ``<ns>:<queue>``, hash ``<queue>.DQ.msgs``, sorted set ``<queue>.XQ`` and the
per-worker ack sets ``__acks__.*`` (running/prefetched).
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
QUEUE = f"q-{NS}-inspect"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def job(kind: str) -> None:
    if kind == "bad":
        raise ValueError("bad")
    time.sleep(2 if kind == "slow" else 0)


# --8<-- [start:example]
def counts(queue: str) -> dict[str, int]:
    if isinstance(broker, RabbitmqBroker):
        ready, delayed, dead = broker.get_queue_message_counts(queue)
        return {"queued": ready, "delayed": delayed, "dead": dead}
    # Redis: no public API; these are the keys Dramatiq's Lua script maintains.
    r, ns = broker.client, broker.namespace
    return {
        "queued": r.llen(f"{ns}:{queue}"),
        "delayed": r.hlen(f"{ns}:{queue}.DQ.msgs"),
        "dead": r.zcard(f"{ns}:{queue}.XQ"),
        "running": sum(r.scard(k) for k in r.scan_iter(f"{ns}:__acks__.*.{queue}")),
    }


# --8<-- [end:example]


def wait_counts(expected: dict[str, int], timeout: float = 8) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while (seen := counts(QUEUE)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return seen


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    rabbit = isinstance(broker, RabbitmqBroker)
    cleanup()
    try:
        job.send("bad")
        with start_worker("inspection", queues=[QUEUE]):  # runs "bad" -> dead letter, then stops
            after_fail = wait_counts(
                {"queued": 0, "delayed": 0, "dead": 1}
                if rabbit
                else {"queued": 0, "delayed": 0, "dead": 1, "running": 0}
            )
        for kind in ("slow", "ok", "ok"):
            job.send(kind)
        job.send_with_options(args=("ok",), delay=60_000)
        idle = {"queued": 3, "delayed": 1, "dead": 1}
        before = wait_counts(idle if rabbit else {**idle, "running": 0})
        # With a worker busy on "slow" (threads=1): RabbitMQ shows it as unacked, not ready.
        with start_worker("inspection", queues=[QUEUE]):
            time.sleep(0.8)
            busy = counts(QUEUE)
    finally:
        cleanup()

    assert after_fail["dead"] == 1, after_fail
    assert before["queued"] == 3 and before["delayed"] == 1 and before["dead"] == 1, before
    # threads=1 prefetches 2 messages: "slow" (running) and one "ok" leave the ready queue.
    assert busy["queued"] == 1, busy
    if not rabbit:
        assert busy["running"] == 2, busy  # fetched-but-unacked: the running one + 1 prefetched
    print(f"OBSERVED: {type(broker).__name__}: idle counts {before}; with a busy worker {busy}")
