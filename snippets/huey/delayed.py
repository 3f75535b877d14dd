"""Delayed / ETA tasks: `task.schedule(args, delay=seconds)` or `eta=datetime` puts the task in the
schedule (a Redis sorted set scored by due time) once a worker has taken it off the queue and seen that it
is not due yet; the consumer's own scheduler thread (no extra process)
checks it every second (-s/--scheduler-interval, default 1) and enqueues due tasks.

Proves: delayed. A 2 s delay and an eta 3 s ahead, measured from enqueue to execution; while waiting
they are visible with huey.scheduled_count().
"""

from __future__ import annotations

import datetime
import os
import time

from huey import RedisHuey
from huey.consumer_options import ConsumerConfig

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-delayed", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
@huey.task()
def remind() -> float:
    return time.time()  # when it actually ran


def send() -> tuple:
    in_two = remind.schedule(delay=2)
    at_eta = remind.schedule(eta=datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3))
    return in_two, at_eta


# --8<-- [end:example]


if __name__ == "__main__":
    import delayed as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        assert ConsumerConfig().scheduler_interval == 1
        with start_worker("delayed"):
            sent = time.time()
            in_two, at_eta = app.send()
            # Both go through the queue first: a worker thread pops each one, sees its ETA and moves it to
            # the schedule, so poll for that (the 2 s task is due long after).
            waiting = huey.scheduled_count()
            while waiting < 2 and time.time() - sent < 1.5:
                time.sleep(0.05)
                waiting = huey.scheduled_count()
            delay = in_two.get(blocking=True, timeout=10) - sent
            eta = at_eta.get(blocking=True, timeout=10) - sent
        assert waiting == 2, f"both should wait in the schedule, saw {waiting}"
        assert 1.8 <= delay <= 4.0, f"delay=2 ran after {delay:.2f} s"
        assert 2.5 <= eta <= 5.0, f"eta +3 s ran after {eta:.2f} s"
        print(
            f"OBSERVED: schedule(delay=2) ran after {delay:.2f} s, schedule(eta=now+3 s) after {eta:.2f} s; "
            f"{waiting} tasks in the schedule while waiting"
        )
    finally:
        purge(huey)
