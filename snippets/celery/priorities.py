"""Priorities: a high-priority task queued last runs first, but the numbers mean opposite things per broker.

Proves: with three normal tasks (priority 5) queued before one urgent task while no worker runs, a worker
with concurrency 1 (prefetch 1) starts the urgent one first. RabbitMQ needs the queue declared with
`x-max-priority` and treats 9 as most urgent; the Redis transport emulates priorities with one list per
step (default steps 0, 3, 6, 9) and serves 0 first, so "urgent" is priority=0 there.
"""

import os
import time

import redis
from celery import Celery
from kombu import Queue

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-priorities"
r = redis.Redis.from_url(REDIS_URL)

# --8<-- [start:example]
app = Celery("priorities", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    # RabbitMQ only honours priorities on a queue declared with x-max-priority.
    task_queues=[Queue(QUEUE, routing_key=QUEUE, max_priority=10)],
    task_default_queue=QUEUE,
    task_acks_late=True,
    worker_prefetch_multiplier=1,  # do not grab several messages ahead of their priority
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)
URGENT = 0 if BROKER_URL.startswith("redis") else 9  # Redis: 0 is served first; AMQP: 9 is


@app.task
def record(label: str, key: str) -> None:
    r.rpush(key, label)
    time.sleep(0.1)


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    key = f"{NS}:order"
    try:
        app.connection_for_write().default_channel  # connect before publishing
        # --8<-- [start:send]
        # No worker is running yet: three normal tasks, then one urgent task.
        for i in range(3):
            record.apply_async((f"normal{i}", key), priority=5)
        last = record.apply_async(("urgent", key), priority=URGENT)
        # --8<-- [end:send]
        with start_worker("priorities", queues=[QUEUE], concurrency=1):
            deadline = time.monotonic() + 15
            while r.llen(key) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
        order = [x.decode() for x in r.lrange(key, 0, -1)]
    finally:
        r.delete(key)
    assert len(order) == 4, order
    assert order[0] == "urgent", f"urgent task did not overtake: {order}"
    print(
        f"OBSERVED: queued normal0-2 (priority 5) then urgent (priority {URGENT}); execution order {', '.join(order)}"
    )
