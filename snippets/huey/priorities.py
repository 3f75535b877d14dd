"""Priorities: with PriorityRedisHuey the queue is a Redis sorted set and a higher `priority=` runs first
(ties keep FIFO order). The default RedisHuey keeps a plain list and raises NotImplementedError when a
priority is given. Sqlite, Postgres, File and Memory storages support priorities as well.

Proves: priorities. Three low (priority=1) then two high (priority=10) tasks are queued while no
consumer runs; one consumer with one worker then runs the high ones first.
"""

from __future__ import annotations

import os

from huey import PriorityRedisHuey, RedisHuey

NS = os.environ.get("WQ_NAMESPACE", "demo")
URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = PriorityRedisHuey(f"{NS}-prio", url=URL, clean_name=False)
plain = RedisHuey(f"{NS}-prio-plain", url=URL, clean_name=False)
ORDER = f"{huey.name}:order"


# --8<-- [start:example]
@huey.task()
def work(name: str) -> None:
    huey.storage.conn.rpush(ORDER, name)


@huey.task(priority=10)  # a default priority for every call of this task
def urgent(name: str) -> None:
    huey.storage.conn.rpush(ORDER, name)


def send() -> None:
    for i in range(3):
        work(f"low-{i}", priority=1)  # per call
    urgent("high-0")
    work("high-1", priority=10)


# --8<-- [end:example]


@plain.task()
def plain_work() -> None:
    pass


if __name__ == "__main__":
    import time

    import priorities as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        try:
            plain_work(priority=10)
            raise AssertionError("RedisHuey should reject priorities")
        except NotImplementedError as exc:
            plain_error = str(exc)

        app.send()  # no consumer yet: all five wait in the sorted set
        assert huey.storage.conn.type(huey.storage.queue_key) == b"zset"
        with start_worker("priorities", workers=1):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and huey.storage.conn.llen(ORDER) < 5:
                time.sleep(0.1)
        order = [x.decode() for x in huey.storage.conn.lrange(ORDER, 0, -1)]
        assert order == ["high-0", "high-1", "low-0", "low-1", "low-2"], order
        print(
            f"OBSERVED: PriorityRedisHuey, 1 worker: order {order}; RedisHuey with priority= -> "
            f"NotImplementedError({plain_error!r})"
        )
    finally:
        purge(huey), purge(plain)
