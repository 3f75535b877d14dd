"""Delayed jobs: ``schedule_in`` / ``schedule_at``; the worker picks them up at its next poll.

Proves: a job deferred with ``schedule_in={"seconds": 1}`` is not started before 1 s. A worker with
``--fetch-job-polling-interval=0.2`` starts it about 1 s after the defer; a worker with the default
interval (``FETCH_JOB_POLLING_INTERVAL`` = 5 s) starts it later, on its next poll (scheduled jobs send
no wake-up notification when they become due), so a delay can overshoot by up to 5 s by default.
"""

from __future__ import annotations

import os
import re
import time

import procrastinate
import psycopg
from procrastinate.worker import FETCH_JOB_POLLING_INTERVAL

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE_FAST, QUEUE_DEFAULT = f"{NS}-delay-fast", f"{NS}-delay-default"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="remind")
def remind(text: str) -> None:
    print(text)


def schedule(queue: str) -> int:
    # or .configure(schedule_at=<aware datetime>)
    return remind.configure(queue=queue, schedule_in={"seconds": 1}).defer(text="tea is ready")


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def delay(job_id: int) -> float | None:
    """Seconds between the defer and the start, from Procrastinate's event log."""
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select extract(epoch from (max(at) filter (where type = 'started') - "
            "min(at) filter (where type = 'deferred')))::float8 from procrastinate_events where job_id = %s",
            (job_id,),
        ).fetchone()[0]


if __name__ == "__main__":
    from _worker import start_worker

    assert FETCH_JOB_POLLING_INTERVAL == 5.0, FETCH_JOB_POLLING_INTERVAL
    with app.open():
        prepare_database()
        with (
            start_worker("delayed.app", queues=[QUEUE_FAST], polling_interval=0.2),
            start_worker("delayed.app", queues=[QUEUE_DEFAULT], polling_interval=None),
        ):
            fast, default = schedule(QUEUE_FAST), schedule(QUEUE_DEFAULT)
            deadline = time.monotonic() + 15
            while (delay(fast) is None or delay(default) is None) and time.monotonic() < deadline:
                time.sleep(0.1)
        fast_delay, default_delay = delay(fast), delay(default)

    assert fast_delay is not None and 0.95 <= fast_delay <= 2.5, f"polling 0.2 s: started after {fast_delay} s"
    # the default worker only looks again at its next 5 s poll: the 1 s delay overshoots by seconds
    assert default_delay is not None and 3.0 <= default_delay <= 7.5, f"default polling: {default_delay} s"
    print(
        f"OBSERVED: schedule_in 1 s: started after {fast_delay:.2f} s with "
        f"--fetch-job-polling-interval=0.2, after {default_delay:.2f} s with the default 5 s polling interval"
    )
