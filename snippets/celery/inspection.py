"""Inspection: ask running workers what they are doing, and the broker how many messages wait.

Proves: `app.control.inspect()` lists the active (running), reserved (prefetched) and scheduled (ETA)
tasks of each worker; the number of messages still waiting in a queue comes from the broker (re-declaring
the queue returns its message count). There is no API to list failed tasks: failures live only as result records by task id.
"""

import os
import time

from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-inspection"

app = Celery("inspection", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    worker_prefetch_multiplier=1,  # keep most messages in the broker so the queue has a length
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def slow(seconds: float) -> None:
    time.sleep(seconds)


# --8<-- [start:example]
def snapshot(node: str) -> dict[str, int]:
    inspect = app.control.inspect(destination=[node], timeout=2.0)
    with app.connection_for_read() as conn:
        waiting = app.amqp.queues[QUEUE].bind(conn.default_channel).queue_declare().message_count
    return {
        "active": len((inspect.active() or {}).get(node, [])),  # running now
        "reserved": len((inspect.reserved() or {}).get(node, [])),  # prefetched, not started
        "scheduled": len((inspect.scheduled() or {}).get(node, [])),  # ETA/countdown, waiting
        "waiting_in_broker": waiting,
    }


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    with start_worker("inspection", queues=[QUEUE], concurrency=1) as worker:
        running = slow.delay(30)
        later = slow.apply_async((0,), countdown=60)
        queued = [slow.delay(0) for _ in range(4)]
        # Wait until the worker has picked up its share. The broker's count and the worker's lists are read
        # at different instants, so a message fetched in between shows in both: wait for a snapshot in which
        # the four plain tasks add up (the assertions below still check each number).
        deadline = time.monotonic() + 20

        def settled(seen: dict[str, int]) -> bool:
            picked_up = (seen["active"], seen["scheduled"], seen["reserved"]) == (1, 1, 1)
            return picked_up and seen["reserved"] + seen["waiting_in_broker"] == 4

        seen = snapshot(worker.nodename)
        while time.monotonic() < deadline and not settled(seen):
            time.sleep(0.2)
            seen = snapshot(worker.nodename)
        for res in [running, later, *queued]:
            res.revoke(terminate=True)  # finish quickly
        with app.connection_for_write() as conn:
            app.amqp.queues[QUEUE].bind(conn.default_channel).purge()
    assert seen["active"] == 1, seen
    assert seen["scheduled"] == 1, seen
    assert seen["reserved"] + seen["waiting_in_broker"] == 4, seen
    assert seen["waiting_in_broker"] >= 1, seen
    print("OBSERVED: " + ", ".join(f"{k}={v}" for k, v in seen.items()))
