"""A task that runs past its time limit is interrupted by the worker.

Proves: the default TimeLimit middleware allows 10 minutes (read at run time); an actor with
``time_limit=1000`` (ms) that would run 6 s gets ``TimeLimitExceeded`` raised inside it after about
1 s (the checker wakes once a second), and the failed message goes to the dead-letter queue.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import TimeLimit, TimeLimitExceeded

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-timelimit"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
LOG = f"{NS}:timelimit:log"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE, time_limit=1_000, max_retries=0)  # 1 s instead of the default 10 min
def long_job() -> None:
    start = time.monotonic()
    try:
        for _ in range(60):  # 6 s of work in small steps (a single long C call cannot be interrupted)
            time.sleep(0.1)
        store.rpush(LOG, "finished")
    except TimeLimitExceeded:
        store.rpush(LOG, f"interrupted after {time.monotonic() - start:.2f}")
        raise  # let Dramatiq fail the message


default_limit = next(m for m in broker.middleware if isinstance(m, TimeLimit)).time_limit  # 600000 ms
# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        with start_worker("time_limits", queues=[QUEUE]):
            long_job.send()
            deadline = time.monotonic() + 12
            while not store.llen(LOG) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)  # let the worker dead-letter the message
        log = [x.decode() for x in store.lrange(LOG, 0, -1)]
        if isinstance(broker, RedisBroker):
            dead = broker.client.zcard(f"{broker.namespace}:{QUEUE}.XQ")
        else:
            dead = broker.get_queue_message_counts(QUEUE)[2]
    finally:
        cleanup()

    assert default_limit == 600_000, default_limit
    assert len(log) == 1 and log[0].startswith("interrupted"), log
    took = float(log[0].split()[-1])
    assert 0.9 <= took <= 3.5, f"interrupted after {took:.2f} s, expected ~1-2 s"
    assert dead == 1, f"expected the failed message in the dead-letter queue, found {dead}"
    print(
        f"OBSERVED: time_limit=1000 ms task interrupted by TimeLimitExceeded after {took:.2f} s "
        f"(of 6 s); message dead-lettered; default time_limit={default_limit} ms (10 min)"
    )
