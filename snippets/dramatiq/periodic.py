"""Dramatiq has no scheduler: periodic jobs need an add-on, or an actor that re-enqueues itself.

Proves: the installed package has no scheduler/cron module; the core-only workaround, an actor that
sends itself again with ``delay=`` after each run, runs every ~0.5 s (3 runs observed). For cron
expressions use an add-on (periodiq, dramatiq-crontab for Django, or APScheduler calling ``.send()``).
"""

from __future__ import annotations

import importlib.util
import os
import pkgutil
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-periodic"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
RUNS, STOP = f"{NS}:periodic:runs", f"{NS}:periodic:stop"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def heartbeat(every_ms: int) -> None:
    store.rpush(RUNS, time.time())
    if not store.exists(STOP):  # re-arm: the next run in every_ms (at-least-once, may drift)
        heartbeat.send_with_options(args=(every_ms,), delay=every_ms)


# Kick it off once (e.g. at deploy time): heartbeat.send(500)
# --8<-- [end:example]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    modules = {m.name for m in pkgutil.iter_modules(dramatiq.__path__)}
    assert not modules & {"scheduler", "schedule", "cron", "beat", "periodic"}, modules
    assert importlib.util.find_spec("periodiq") is None  # the add-on is not part of dramatiq

    cleanup()
    try:
        # dramatiq_worker_timeout=100: poll idle queues every 100 ms so a 0.5 s interval is visible.
        with start_worker("periodic", queues=[QUEUE], env={"dramatiq_worker_timeout": "100"}):
            heartbeat.send(500)
            deadline = time.monotonic() + 10
            while store.llen(RUNS) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            store.set(STOP, 1)
            time.sleep(0.8)  # let a pending re-arm run once more, then stop
        runs = sorted(float(x) for x in store.lrange(RUNS, 0, -1))
    finally:
        cleanup()

    assert len(runs) >= 3, runs
    gaps = [b - a for a, b in zip(runs, runs[1:])][:2]
    assert all(0.45 <= g <= 1.6 for g in gaps), f"gaps {gaps}"
    print(
        f"OBSERVED: no scheduler module in dramatiq {dramatiq.__version__}; self-re-enqueueing actor ran "
        f"{len(runs)} times, gaps {', '.join(f'{g:.2f} s' for g in gaps)} (interval 0.5 s)"
    )
