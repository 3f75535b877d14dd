"""Periodic jobs are built in: ``@app.periodic(cron=...)``, deferred by every running worker.

Proves: a task registered with a six-field cron ``"* * * * * *"`` (every second; the 6th field is
seconds) is deferred and run by a plain ``procrastinate worker`` (no separate scheduler process),
at least 3 times about 1 s apart, each run receiving its scheduled ``timestamp``. Only one job is
deferred per tick even if several workers run (a unique row in ``procrastinate_periodic_defers``).
"""

from __future__ import annotations

import os
import re
import time

import procrastinate
import psycopg

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-periodic"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.periodic(cron="* * * * * *")  # every second; standard 5-field cron works too
@app.task(name="tick", queue=QUEUE)
def tick(timestamp: int) -> None:  # the scheduled time, as a Unix timestamp
    print("tick for", timestamp)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def runs() -> list[tuple[int, float]]:
    """(scheduled timestamp, start time) of each finished tick."""
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select (j.args->>'timestamp')::bigint, extract(epoch from e.at)::float8 from procrastinate_jobs j "
            "join procrastinate_events e on e.job_id = j.id and e.type = 'started' "
            "where j.queue_name = %s and j.status = 'succeeded' order by 1",
            (QUEUE,),
        ).fetchall()


if __name__ == "__main__":
    from _worker import start_worker

    with app.open():
        prepare_database()
        with start_worker("periodic.app", queues=[QUEUE]), start_worker("periodic.app", queues=[QUEUE]):
            deadline = time.monotonic() + 15
            while len(runs()) < 3 and time.monotonic() < deadline:
                time.sleep(0.2)
        done = runs()
        with psycopg.connect(DB_URL) as conn:
            dupes = conn.execute(
                "select count(*) - count(distinct args->>'timestamp') from procrastinate_jobs where queue_name = %s",
                (QUEUE,),
            ).fetchone()[0]

    assert len(done) >= 3, f"expected at least 3 runs, got {done}"
    stamps = [s for s, _ in done]
    assert all(b - a == 1 for a, b in zip(stamps, stamps[1:])), f"ticks should be 1 s apart: {stamps}"
    lags = [start - s for s, start in done]
    assert all(-0.1 <= lag <= 3 for lag in lags), f"runs should start soon after their tick: {lags}"
    assert dupes == 0, "two workers deferred the same tick twice"
    print(
        f"OBSERVED: cron '* * * * * *' with 2 workers running: {len(done)} runs for consecutive timestamps "
        f"{stamps[0]}..{stamps[-1]} (1 s apart), started {min(lags):.2f}-{max(lags):.2f} s after their tick; "
        "no tick deferred twice"
    )
