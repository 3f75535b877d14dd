"""Cancel: `result.revoke()` marks a queued (or scheduled) task so the consumer skips it when it is
dequeued; `restore()` undoes it. `task.revoke()` revokes every call of a task (optionally until a time).
A task that is already running is not stopped: the revoke flag is only checked before execution.

Proves: cancel. A revoked queued task never runs (SIGNAL_REVOKED); a task revoked while running still
finishes.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey, signals

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-cancel", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
RAN = f"{huey.name}:ran"


@huey.signal(signals.SIGNAL_REVOKED)
def on_revoked(signal: str, task) -> None:
    huey.storage.conn.rpush(f"{huey.name}:revoked", task.args[0])


# --8<-- [start:example]
@huey.task()
def report(name: str, seconds: float = 0) -> str:
    huey.storage.conn.rpush(f"{RAN}:started", name)
    time.sleep(seconds)
    huey.storage.conn.rpush(f"{RAN}:finished", name)
    return name


def cancel_queued() -> None:
    unwanted = report("unwanted")
    unwanted.revoke()  # before any consumer picked it up
    report("wanted")


# --8<-- [end:example]


if __name__ == "__main__":
    import cancel as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    conn = huey.storage.conn
    try:
        app.cancel_queued()
        with start_worker("cancel"):
            running = app.report("running", 2)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and b"running" not in conn.lrange(f"{RAN}:started", 0, -1):
                time.sleep(0.05)
            running.revoke()  # too late: it is already executing
            value = running.get(blocking=True, timeout=10)

        started = [x.decode() for x in conn.lrange(f"{RAN}:started", 0, -1)]
        finished = [x.decode() for x in conn.lrange(f"{RAN}:finished", 0, -1)]
        revoked = [x.decode() for x in conn.lrange(f"{huey.name}:revoked", 0, -1)]
        assert "unwanted" not in started and revoked == ["unwanted"], (started, revoked)
        assert "wanted" in finished, finished
        assert value == "running" and "running" in finished, "revoking a running task does not stop it"
        print(
            f"OBSERVED: revoked queued task skipped (SIGNAL_REVOKED, never started); ran {started}; "
            f"task revoked mid-run still finished -> {value!r}"
        )
    finally:
        purge(huey)
