"""kill -9 a worker mid-task: the unacknowledged message comes back and runs again.

Proves: a message stays unacknowledged while its task runs (at-least-once). After SIGKILL of the
whole worker (main and worker process) a fresh worker with DEFAULT settings:
- RabbitMQ: gets the message again at once (the dead connection's unacked message is requeued);
- Redis: does not get it within 3 s: it waits in the dead worker's ack set until that worker has
  missed heartbeats for ``heartbeat_timeout`` (default 60 s) and a random maintenance pass
  (``maintenance_chance`` 1000 per million commands) moves it back. A worker with those two
  settings shortened (1 s, every command) then re-runs it.
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
QUEUE = f"q-{NS}-redelivery"
store = redis.Redis.from_url(REDIS_URL)
STARTS, DONE = f"{NS}:redelivery:starts", f"{NS}:redelivery:done"

# --8<-- [start:example]
if BROKER_URL.startswith("amqp"):
    broker: dramatiq.Broker = RabbitmqBroker(url=BROKER_URL)
else:
    # Redis: the demo's last worker sets DEMO_FAST_REDELIVERY=1 to shorten the two settings that
    # decide how soon a dead worker's messages are requeued; without it the defaults apply.
    fast = os.environ.get("DEMO_FAST_REDELIVERY") == "1"
    broker = RedisBroker(
        url=BROKER_URL,
        namespace=f"dramatiq-{NS}",
        **({"heartbeat_timeout": 1_000, "maintenance_chance": 1_000_000} if fast else {}),
    )
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE)
def long_task() -> None:
    store.rpush(STARTS, os.getpid())
    time.sleep(2)
    store.rpush(DONE, os.getpid())


# --8<-- [end:example]


def wait_for(key: str, count: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while store.llen(key) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.llen(key)


def cleanup() -> None:
    for c in {store, getattr(broker, "client", store)}:
        for key in c.scan_iter(f"*{NS}*"):
            c.delete(key)


if __name__ == "__main__":
    from _worker import start_worker

    cleanup()
    try:
        message = long_task.send()
        with start_worker("redelivery", queues=[QUEUE]) as first:
            assert wait_for(STARTS, 1, 10) == 1, "task never started"
            time.sleep(0.3)
            first.kill()  # SIGKILL main process + worker process, mid-task
        assert store.llen(DONE) == 0, "task finished before the kill"

        if isinstance(broker, RabbitmqBroker):
            time.sleep(0.5)
            ready = broker.get_queue_message_counts(QUEUE)[0]
            assert ready == 1, f"the unacked message should be back in the queue, ready={ready}"
            with start_worker("redelivery", queues=[QUEUE]):  # default settings
                t0 = time.monotonic()
                starts = wait_for(STARTS, 2, 10)
                rerun_after = time.monotonic() - t0
                done = wait_for(DONE, 1, 10)
            assert starts == 2 and done == 1, f"starts={starts} done={done}"
            print(
                f"OBSERVED: RabbitMQ: after kill -9 mid-task the message was ready again at once (ready={ready}); "
                f"a fresh default worker re-ran it {rerun_after:.1f} s after it was ready and completed it"
            )
        else:
            assert broker.heartbeat_timeout == 60_000 and broker.maintenance_chance == 1_000, "defaults changed?"
            dead_acks = [k for k in broker.client.scan_iter(f"{broker.namespace}:__acks__.*.{QUEUE}")]
            in_hash = broker.client.hlen(f"{broker.namespace}:{QUEUE}.msgs")
            assert len(dead_acks) == 1 and in_hash == 1, "message should be kept, unacked, by the dead worker"
            with start_worker("redelivery", queues=[QUEUE]):  # default settings
                starts_default = wait_for(STARTS, 2, 3)
            assert starts_default == 1, "unexpected early redelivery with default settings"
            with start_worker("redelivery", queues=[QUEUE], env={"DEMO_FAST_REDELIVERY": "1"}):
                t0 = time.monotonic()
                starts = wait_for(STARTS, 2, 10)
                rerun_after = time.monotonic() - t0
                done = wait_for(DONE, 1, 10)
            assert starts == 2 and done == 1, f"starts={starts} done={done}"
            print(
                "OBSERVED: Redis: after kill -9 mid-task the message stayed unacked in the dead worker's ack set; "
                "a default worker (heartbeat_timeout=60000 ms, maintenance_chance=1000/1e6) did not re-run it "
                f"in 3 s; with heartbeat_timeout=1000, maintenance every command it re-ran after {rerun_after:.1f} s "
                "and completed"
            )
    finally:
        cleanup()
