"""Redelivery after a crash: Huey is at-most-once. A Redis worker takes the message off the list with
BRPOP before it runs the task; nothing acknowledges it and nothing keeps a copy. When the consumer is
killed with SIGKILL mid-task the task is gone: a fresh consumer never runs it again, and there is no
setting that changes this (SIGNAL_INTERRUPTED only fires on a clean SIGTERM/SIGINT shutdown).

Proves: redelivery, acks. Thread and process consumers are each SIGKILLed (main process and children)
while the task runs; a fresh consumer starts; the task ran once and the queue and schedule are empty.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-redeliver", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
RUNS = f"{huey.name}:runs"


# --8<-- [start:example]
@huey.task(retries=3)  # retries only cover exceptions, not a dead consumer
def import_file(name: str) -> str:
    attempt = huey.storage.conn.hincrby(RUNS, name, 1)
    if attempt == 1:
        time.sleep(60)  # the first attempt is still running when the consumer dies
    return f"{name} imported on attempt {attempt}"


# --8<-- [end:example]


def crash_mid_task(name: str, worker_type: str) -> int:
    """Start a consumer, wait until the task runs, SIGKILL it; return the queue length seen mid-task."""
    with start_worker("redelivery", worker_type=worker_type) as worker:
        app.import_file(name)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not huey.storage.conn.hget(RUNS, name):
            time.sleep(0.05)
        queued_while_running = huey.pending_count()  # BRPOP already removed the message
        worker.kill()
    return queued_while_running


if __name__ == "__main__":
    import redelivery as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        mid_thread = crash_mid_task("thread.csv", "thread")
        mid_process = crash_mid_task("process.csv", "process")
        with start_worker("redelivery"):
            time.sleep(3)  # a fresh consumer: would it pick anything up?
        runs = {k.decode(): int(v) for k, v in huey.storage.conn.hgetall(RUNS).items()}
        assert mid_thread == 0 and mid_process == 0, "the message leaves Redis as soon as a worker takes it"
        assert runs == {"thread.csv": 1, "process.csv": 1}, f"expected one run each, got {runs}"
        assert huey.pending_count() == 0 and huey.scheduled_count() == 0, "nothing left to redeliver"
        print(
            f"OBSERVED: kill -9 mid-task (thread and process consumers): queue length while running 0, "
            f"fresh consumer for 3 s -> runs {runs}; task lost (at-most-once)"
        )
    finally:
        purge(huey)
