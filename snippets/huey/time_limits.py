"""Time limits: `@huey.task(timeout=N)` (new in 3.0) is enforced only by some worker types: process
workers get SIGALRM (setitimer) and greenlets a gevent.Timeout, so the task is interrupted with
TaskTimeout. Thread workers (the default) cannot be interrupted: the task runs to the end, and can
only check its own deadline cooperatively (context=True, task.check_timeout() / task.time_remaining).
No timeout by default (Task.default_timeout is None).

Proves: time_limits. A 4 s task with timeout=1: interrupted after ~1 s with -k process, finishes after
4 s with -k thread; a cooperative task stops itself.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey
from huey.api import Task
from huey.exceptions import TaskException

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-timeout", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
@huey.task(timeout=1)
def slow(tag: str) -> str:
    for _ in range(40):
        time.sleep(0.1)
    return f"{tag} finished"


@huey.task(timeout=1, context=True)
def polite(task: Task) -> str:
    steps = 0
    while steps < 40:
        task.check_timeout()  # raises TaskTimeout once the deadline passed
        time.sleep(0.1)
        steps += 1
    return "finished"


# --8<-- [end:example]


def outcome(handle) -> str:
    try:
        return handle.get(blocking=True, timeout=15)
    except TaskException as exc:
        return f"error: {exc}"


if __name__ == "__main__":
    import time_limits as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        assert Task.default_timeout is None, "no time limit by default"
        with start_worker("time_limits", worker_type="process"):
            t0 = time.monotonic()
            in_process = outcome(app.slow("process"))
            process_secs = time.monotonic() - t0
        with start_worker("time_limits", worker_type="thread"):
            t0 = time.monotonic()
            in_thread = outcome(app.slow("thread"))
            thread_secs = time.monotonic() - t0
            cooperative = outcome(app.polite())

        assert "TaskTimeout" in in_process, f"process worker should interrupt: {in_process}"
        assert process_secs < 3.0, f"interrupted after {process_secs:.2f} s, expected ~1 s"
        assert in_thread == "thread finished", f"thread worker cannot interrupt: {in_thread}"
        assert thread_secs >= 3.5, f"thread task ran {thread_secs:.2f} s, expected the full ~4 s"
        assert "TaskTimeout" in cooperative, cooperative
        print(
            f"OBSERVED: timeout=1 on a 4 s task: -k process -> {in_process} after {process_secs:.2f} s; "
            f"-k thread -> {in_thread!r} after {thread_secs:.2f} s; task.check_timeout() -> {cooperative}"
        )
    finally:
        purge(huey)
