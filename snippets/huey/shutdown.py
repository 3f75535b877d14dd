"""Graceful shutdown: the consumer treats SIGINT as graceful (workers finish the task in hand, no time
limit unless -t/--shutdown-timeout) and SIGTERM as IMMEDIATE: running tasks are interrupted, emit
SIGNAL_INTERRUPTED and are not re-queued. `-g TERM` (--graceful-signal TERM) swaps the two, which is
what supervisors that stop with SIGTERM (systemd, Docker, Kubernetes) need.

Proves: shutdown. A 2 s task gets the signal 0.5 s in: default SIGTERM -> not finished, SIGNAL_INTERRUPTED;
SIGINT -> finished; -g TERM + SIGTERM -> finished.
"""

from __future__ import annotations

import os
import signal
import time

from huey import RedisHuey, signals

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-shutdown", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
LOG = f"{huey.name}:log"


# --8<-- [start:example]
@huey.task()
def export(tag: str) -> None:
    huey.storage.conn.rpush(LOG, f"{tag}:started")
    time.sleep(2)
    huey.storage.conn.rpush(LOG, f"{tag}:finished")


@huey.signal(signals.SIGNAL_INTERRUPTED)
def interrupted(signal_name: str, task) -> None:
    # The documented hook for re-enqueueing, e.g. huey.enqueue(task); here we only record it.
    huey.storage.conn.rpush(LOG, f"{task.args[0]}:interrupted")


# shell: huey_consumer shutdown.huey -g TERM    (make SIGTERM graceful, e.g. under systemd / Docker)
# --8<-- [end:example]


def stop_mid_task(tag: str, signum: int, args: tuple[str, ...] = ()) -> float:
    with start_worker("shutdown", args=args) as worker:
        app.export(tag)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and f"{tag}:started".encode() not in huey.storage.conn.lrange(LOG, 0, -1):
            time.sleep(0.05)
        time.sleep(0.5)
        t0 = time.monotonic()
        worker.send(signum)
        worker.proc.wait(timeout=10)
        return time.monotonic() - t0


if __name__ == "__main__":
    import shutdown as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        term_exit = stop_mid_task("term", signal.SIGTERM)
        int_exit = stop_mid_task("int", signal.SIGINT)
        g_exit = stop_mid_task("g-term", signal.SIGTERM, ("-g", "TERM"))
        log = [x.decode() for x in huey.storage.conn.lrange(LOG, 0, -1)]
        assert "term:finished" not in log and "term:interrupted" in log, log
        assert "int:finished" in log and "int:interrupted" not in log, log
        assert "g-term:finished" in log and "g-term:interrupted" not in log, log
        assert term_exit < 1.2 and int_exit >= 1.0 and g_exit >= 1.0, (term_exit, int_exit, g_exit)
        assert huey.pending_count() == 0, "the interrupted task was not put back"
        print(
            f"OBSERVED: SIGTERM (default) -> exit in {term_exit:.2f} s, task interrupted (SIGNAL_INTERRUPTED), "
            f"lost; SIGINT -> task finished, exit after {int_exit:.2f} s; -g TERM + SIGTERM -> finished, "
            f"exit after {g_exit:.2f} s"
        )
    finally:
        purge(huey)
