"""Procrastinate has no per-task time limit and no rate limiter; both are left to your own code.

Proves: the options of ``@app.task``, ``Task.configure`` and ``Worker`` (read at run time) contain
no time limit and no rate limit (``shutdown_graceful_timeout`` only applies at shutdown,
``stalled_worker_timeout`` to heartbeats). A 2 s job runs to completion untouched, 10 queued jobs
run back-to-back with no throttling, and an ``async def`` task can enforce its own deadline with
``asyncio.timeout`` (the job then fails).
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import time

import procrastinate
import psycopg
from procrastinate import blueprints, tasks, worker

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-limits"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="slow", queue=QUEUE)
def slow() -> None:
    time.sleep(2)  # nothing in Procrastinate interrupts this


@app.task(name="quick", queue=QUEUE)
def quick(n: int) -> None:
    pass  # no rate limit option: queued jobs run as fast as the worker fetches them


@app.task(name="bounded", queue=QUEUE)
async def bounded() -> None:
    async with asyncio.timeout(0.5):  # a deadline written by hand (Python 3.11+)
        await asyncio.sleep(5)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def timings(task: str) -> list[tuple[str, float, float]]:
    """(status, start, end) per job of a task, from Procrastinate's event log."""
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select j.status::text, extract(epoch from min(e.at) filter (where e.type = 'started'))::float8, "
            "extract(epoch from max(e.at) filter (where e.type in ('succeeded', 'failed')))::float8 "
            "from procrastinate_jobs j join procrastinate_events e on e.job_id = j.id "
            "where j.task_name = %s and j.queue_name = %s group by j.id order by j.id",
            (task, QUEUE),
        ).fetchall()


if __name__ == "__main__":
    from _worker import start_worker

    options = [
        *inspect.signature(blueprints.Blueprint.task).parameters,
        *tasks.ConfigureTaskOptions.__annotations__,
        *inspect.signature(worker.Worker).parameters,
    ]
    limit_like = [o for o in options if re.search(r"time|limit|rate|deadline", o)]
    assert limit_like == ["shutdown_graceful_timeout", "stalled_worker_timeout"], limit_like

    with app.open():
        prepare_database()
        slow.defer()
        for n in range(10):
            quick.defer(n=n)
        bounded.defer()
        with start_worker("limits.app", queues=[QUEUE]):
            deadline = time.monotonic() + 20
            while len([t for t in timings("bounded") if t[0] == "failed"]) < 1 and time.monotonic() < deadline:
                time.sleep(0.1)
        slow_runs, quick_runs, bounded_runs = timings("slow"), timings("quick"), timings("bounded")

    ((slow_status, s0, s1),) = slow_runs
    assert slow_status == "succeeded" and s1 - s0 >= 1.9, slow_runs
    assert all(r[0] == "succeeded" for r in quick_runs) and len(quick_runs) == 10, quick_runs
    quick_span = quick_runs[-1][2] - quick_runs[0][1]
    assert quick_span < 3, f"10 quick jobs took {quick_span:.2f} s"
    ((b_status, b0, b1),) = bounded_runs
    assert b_status == "failed" and 0.4 <= b1 - b0 <= 2.5, bounded_runs
    print(
        f"OBSERVED: no time/rate option among task, configure and worker parameters (only "
        f"shutdown_graceful_timeout, stalled_worker_timeout); a 2 s job ran {s1 - s0:.2f} s to success; 10 queued jobs ran in "
        f"{quick_span:.2f} s, unthrottled; a hand-written asyncio.timeout(0.5) failed its job after {b1 - b0:.2f} s"
    )
