"""Unique jobs and locks: `huey.lock_task(name)` (decorator or context manager) is a mutex in the
storage: while one run holds it, another run of the task fails at once with TaskLockedException
(SIGNAL_LOCKED; retried if the task has retries). Nothing deduplicates the queue itself: enqueueing the
same call twice, even with the same `id=`, queues two messages. A lock `ttl=` on RedisHuey needs
hash-field TTLs (Redis 7.4+); on older Redis acquiring such a lock raises NotImplementedError.
`consumer -f` flushes stale locks left by a crash.

Proves: unique. Two overlapping runs on two workers: one runs, one is locked out. Two calls with the same
id= are both queued.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey
from huey.exceptions import TaskException

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-unique", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
RAN = f"{huey.name}:ran"


# --8<-- [start:example]
@huey.task()
@huey.lock_task("nightly-report")  # only one run at a time, across all workers
def nightly_report(tag: str) -> str:
    huey.storage.conn.rpush(RAN, tag)
    time.sleep(1.5)
    return tag


# --8<-- [end:example]


@huey.task()
def noop() -> None:
    pass


def outcome(handle) -> str:
    try:
        return handle.get(blocking=True, timeout=10)
    except TaskException as exc:
        return f"error: {exc}"


if __name__ == "__main__":
    import unique as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    conn = huey.storage.conn
    try:
        # No queue-level dedup: the same id twice gives two queued messages.
        app.huey.enqueue(app.noop.s(id="same-id"))
        app.huey.enqueue(app.noop.s(id="same-id"))
        duplicates = app.huey.pending_count()
        app.huey.storage.flush_queue()

        with start_worker("unique", workers=2):
            first = app.nightly_report("first")
            time.sleep(0.3)
            second = app.nightly_report("second")
            outcomes = [outcome(first), outcome(second)]

        version = tuple(int(p) for p in conn.info("server")["redis_version"].split(".")[:2])
        try:
            with huey.lock_task("with-ttl", ttl=5):
                ttl_lock = "acquired"
        except NotImplementedError as exc:
            ttl_lock = f"NotImplementedError({exc})"

        ran = [x.decode() for x in conn.lrange(RAN, 0, -1)]
        assert duplicates == 2, f"expected 2 queued messages with the same id, got {duplicates}"
        assert ran == ["first"], f"only the first run should execute, ran {ran}"
        assert outcomes[0] == "first" and "unable to acquire lock nightly-report" in outcomes[1], outcomes
        assert (ttl_lock == "acquired") == (version >= (7, 4)), (version, ttl_lock)
        print(
            f"OBSERVED: same id= enqueued twice -> {duplicates} queued; overlapping runs -> {outcomes}; "
            f"lock_task(ttl=5) on Redis {'.'.join(map(str, version))}: {ttl_lock}"
        )
    finally:
        purge(huey)
