"""SIGTERM: the worker lets the running task finish, gives prefetched messages back, then exits.

Proves: SIGTERM sent 0.5 s into a 3 s task: the task completes, the second (prefetched, not
started) message is returned to the queue rather than lost, and the worker exits. The default
grace period, ``--worker-shutdown-timeout``, is 600000 ms (10 min), read from Dramatiq's CLI parser.
"""

from __future__ import annotations

import os
import re
import time

import dramatiq
import redis
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.cli import make_argument_parser

NS = re.sub(r"[^A-Za-z0-9_.-]", "-", os.environ.get("WQ_NAMESPACE", "demo"))
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"q-{NS}-shutdown"


def make_broker() -> dramatiq.Broker:
    """RabbitMQ for amqp:// URLs, else Redis with every key under the run's namespace."""
    if BROKER_URL.startswith("amqp"):
        return RabbitmqBroker(url=BROKER_URL)
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{NS}")


broker = make_broker()
dramatiq.set_broker(broker)
store = redis.Redis.from_url(REDIS_URL)
LOG = f"{NS}:shutdown:log"


# --8<-- [start:example]
@dramatiq.actor(queue_name=QUEUE)
def export(n: int) -> None:
    store.rpush(LOG, f"start {n}")
    time.sleep(3)
    store.rpush(LOG, f"done {n}")


# How long a stopping worker waits for running tasks (ms); set with --worker-shutdown-timeout.
grace_ms = make_argument_parser().parse_args(["any_module"]).worker_shutdown_timeout  # 600000
# --8<-- [end:example]


def queued() -> int:
    if isinstance(broker, RedisBroker):
        return broker.client.llen(f"{broker.namespace}:{QUEUE}")
    return broker.get_queue_message_counts(QUEUE)[0]


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        export.send(1)
        export.send(2)  # prefetched by the worker (prefetch = 2 x threads) but not started
        with start_worker("shutdown", queues=[QUEUE], threads=1, grace=15) as worker:
            deadline = time.monotonic() + 10
            while not store.llen(LOG) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
            sent = time.monotonic()
            worker.terminate()  # SIGTERM, as systemd / Kubernetes / docker stop send
            code = worker.proc.wait(timeout=15)
            exited_after = time.monotonic() - sent
        log = [x.decode() for x in store.lrange(LOG, 0, -1)]
        time.sleep(0.3)
        back_in_queue = queued()
    finally:
        cleanup()

    assert grace_ms == 600_000, grace_ms
    assert log == ["start 1", "done 1"], f"the running task should finish, the other not start: {log}"
    assert back_in_queue == 1, f"the prefetched message should be back in the queue, found {back_in_queue}"
    assert code == 0, f"worker exit code {code}"
    print(
        f"OBSERVED: SIGTERM 0.5 s into a 3 s task: task finished ({log}), worker exited (code {code}) "
        f"after {exited_after:.1f} s, prefetched message returned to the queue; default grace {grace_ms} ms"
    )
