"""Chains and callbacks: `task.s(...)` makes a signature; `.then(next_task, *args)` runs the next task
with the previous return value appended to its arguments (a pipeline), and `.error(handler)` runs a
handler task with the exception when a step fails. Both are declared up front, per call, and run by the
consumer. Global hooks exist too: @huey.post_execute(), @huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR, ...).

Proves: chains, callbacks. A 3-step pipeline returns every step's result; a failing step stops the rest
of the pipeline and its error handler receives the exception.
"""

from __future__ import annotations

import os

from huey import RedisHuey
from huey.exceptions import TaskException

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-pipe", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
LOG = f"{huey.name}:log"


# --8<-- [start:example]
@huey.task()
def add(a: int, b: int) -> int:
    return a + b


@huey.task()
def divide(a: int, b: int) -> float:
    return a / b


@huey.task()
def on_success(value: int) -> None:
    huey.storage.conn.rpush(LOG, f"success: {value}")


@huey.task()
def on_failure(exc: Exception) -> None:
    huey.storage.conn.rpush(LOG, f"failure: {exc!r}")


def run():
    # (1 + 2) -> + 3 -> + 4, then a success callback with 10
    chain = add.s(1, 2).then(add, 3).then(add, 4).then(on_success)
    results = huey.enqueue(chain)  # one Result per step
    # 10 / 0 fails: the error handler runs, later steps never do
    broken = divide.s(10, 0).error(on_failure).then(add, 1)
    return results, huey.enqueue(broken)


# --8<-- [end:example]


if __name__ == "__main__":
    import time

    import pipelines as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        with start_worker("pipelines"):
            results, broken = app.run()
            values = [r.get(blocking=True, timeout=10) for r in list(results)[:3]]
            try:
                broken[0].get(blocking=True, timeout=10)
                raise AssertionError("divide(10, 0) should fail")
            except TaskException as exc:
                error = str(exc)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and huey.storage.conn.llen(LOG) < 2:
                time.sleep(0.1)
        log = sorted(x.decode() for x in huey.storage.conn.lrange(LOG, 0, -1))
        assert values == [3, 6, 10], values
        assert "ZeroDivisionError" in error, error
        assert log == ["failure: ZeroDivisionError('division by zero')", "success: 10"], log
        assert huey.pending_count() == 0 and huey.scheduled_count() == 0
        print(
            f"OBSERVED: add(1,2).then(add,3).then(add,4) -> {values}; success callback got 10; "
            f"divide(10,0).error(handler) -> handler got ZeroDivisionError, next step skipped"
        )
    finally:
        purge(huey)
