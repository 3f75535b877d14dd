"""Per-task success and failure callbacks: the ``on_success`` / ``on_failure`` options.

Proves: ``on_success`` sends the callback actor the message (as a dict) and the task's result;
``on_failure`` sends it the message and ``{"type", "message"}`` of the exception, and it fires on
EVERY failed attempt (twice for a task with max_retries=1), not only on the final failure.
``on_retry_exhausted`` is the hook for the final failure only.
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
QUEUE = f"q-{NS}-callbacks"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
LOG = f"{NS}:callbacks:log"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def charged(message: dict, result: int) -> None:
    store.rpush(LOG, json.dumps(["success", message["args"], result]))


@dramatiq.actor(queue_name=QUEUE)
def charge_failed(message: dict, error: dict) -> None:
    store.rpush(LOG, json.dumps(["failure", message["args"], error]))


@dramatiq.actor(queue_name=QUEUE)
def given_up(message: dict, info: dict) -> None:
    store.rpush(LOG, json.dumps(["exhausted", message["args"], info]))


@dramatiq.actor(queue_name=QUEUE, max_retries=1, min_backoff=100)
def charge(amount: int) -> int:
    if amount < 0:
        raise ValueError("negative amount")
    return amount * 100


def send_both() -> None:
    options = {"on_success": charged, "on_failure": charge_failed, "on_retry_exhausted": "given_up"}
    charge.send_with_options(args=(5,), **options)
    charge.send_with_options(args=(-1,), **options)


# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("callbacks", queues=[QUEUE], threads=2, env={"dramatiq_worker_timeout": "100"}):
            send_both()
            deadline = time.monotonic() + 10
            while store.llen(LOG) < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)
        log = [json.loads(x) for x in store.lrange(LOG, 0, -1)]
    finally:
        cleanup()

    kinds = sorted(entry[0] for entry in log)
    assert kinds == ["exhausted", "failure", "failure", "success"], log
    assert ["success", [5], 500] in log, log
    failure = next(e for e in log if e[0] == "failure")
    assert failure[1] == [-1] and failure[2] == {"type": "ValueError", "message": "negative amount"}, failure
    exhausted = next(e for e in log if e[0] == "exhausted")
    assert exhausted[2] == {"retries": 1, "max_retries": 1}, exhausted
    print(
        f"OBSERVED: on_success got result 500; on_failure fired 2x (each failed attempt) with "
        f"{failure[2]}; on_retry_exhausted fired once with {exhausted[2]}"
    )
