"""Periodic tasks: `@huey.periodic_task(crontab(...))` runs inside the normal consumer: its scheduler
thread checks periodic tasks once a minute (Scheduler.periodic_task_seconds = 60) and enqueues those
whose crontab matches the current minute, so the finest schedule is once a minute. `-n`
(--no-periodic) turns it off; without a running consumer nothing runs. Any callable taking a datetime
can replace crontab().

Proves: periodic. The default check interval (60 s) is read from the library; for the demo the
consumer's check interval is shortened to 1 s (a class attribute set in the consumer process only) and
the validator accepts every check, so >= 2 runs are observed within seconds.
"""

from __future__ import annotations

import datetime
import os
import sys
import time

from huey import RedisHuey, crontab
from huey.consumer import Scheduler

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-periodic", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
RUNS = f"{huey.name}:runs"
DEFAULT_CHECK_SECONDS = Scheduler.periodic_task_seconds
if "huey.bin.huey_consumer" in sys.modules or "huey_consumer" in sys.argv[0]:
    Scheduler.periodic_task_seconds = 1  # DEMO ONLY: check every second instead of every minute


# --8<-- [start:example]
@huey.periodic_task(crontab(minute="*/15", hour="9-17", day_of_week="1-5"))
def office_hours_sync() -> None:  # every 15 minutes, 9:00-17:45, Monday to Friday
    pass


def every_check(now: datetime.datetime) -> bool:
    return True  # run at every scheduler check (normally: every minute)


@huey.periodic_task(every_check)
def heartbeat() -> None:
    huey.storage.conn.rpush(RUNS, time.time())


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        cron = crontab(minute="*/15", hour="9-17", day_of_week="1-5")
        assert cron(datetime.datetime(2026, 3, 2, 9, 45)) and not cron(datetime.datetime(2026, 3, 2, 9, 50))
        assert not cron(datetime.datetime(2026, 3, 1, 10, 0)), "Sunday is excluded"
        assert DEFAULT_CHECK_SECONDS == 60, DEFAULT_CHECK_SECONDS

        with start_worker("periodic", args=["-n"]):  # --no-periodic: nothing is enqueued
            time.sleep(2.5)
        disabled = huey.storage.conn.llen(RUNS)
        with start_worker("periodic"):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and huey.storage.conn.llen(RUNS) < 3:
                time.sleep(0.1)
        runs = [float(t) for t in huey.storage.conn.lrange(RUNS, 0, -1)]
        gaps = [b - a for a, b in zip(runs, runs[1:])]
        assert disabled == 0, f"-n should disable periodic tasks, saw {disabled} runs"
        assert len(runs) >= 3, f"expected >= 3 runs, got {len(runs)}"
        assert all(0.5 <= g <= 2.5 for g in gaps[:2]), f"runs should be ~1 s apart: {gaps}"
        print(
            f"OBSERVED: default periodic check every {DEFAULT_CHECK_SECONDS} s; demo check every 1 s -> "
            f"{len(runs)} runs, gaps {', '.join(f'{g:.2f}' for g in gaps[:2])} s; with -n: {disabled} runs"
        )
    finally:
        purge(huey)
