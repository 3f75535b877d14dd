"""One Procrastinate worker runs several jobs at once: async tasks on its event loop, sync tasks in threads.

Proves: a worker started with ``--concurrency=3`` (default 1) runs three ``async def`` tasks
(awaited on the worker's own event loop, in its main thread) and three plain ``def`` tasks (each in
a worker thread, via asgiref's ``sync_to_async``) at the same time: all three of each kind overlap.
With the default concurrency of 1 the same jobs run one after another.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time

import procrastinate
import psycopg
from procrastinate.worker import WORKER_CONCURRENCY

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE, QUEUE_SERIAL = f"{NS}-conc", f"{NS}-conc-serial"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


def record(label: str, started: float, ended: float, on_loop: bool) -> None:
    """Write down when a task ran and where (a small table of our own, keyed by namespace)."""
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute(
            "insert into wq_runs values (%s, %s, %s, %s, %s, %s)",
            (NS, label, threading.current_thread().name, on_loop, started, ended),
        )


# --8<-- [start:example]
@app.task(name="io_async")
async def io_async(label: str) -> None:
    started = time.time()
    await asyncio.sleep(1)  # yields the loop: other jobs run meanwhile
    await asyncio.to_thread(record, label, started, time.time(), True)


@app.task(name="io_sync")
def io_sync(label: str) -> None:
    started = time.time()
    time.sleep(1)  # blocks only this worker thread
    record(label, started, time.time(), False)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables (if missing) and our observation table."""
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
        conn.execute(
            "create table if not exists wq_runs (ns text, label text, thread text, on_loop bool, "
            "started float8, ended float8)"
        )
    if not exists:
        app.schema_manager.apply_schema()


def runs(prefix: str) -> list[tuple[str, str, bool, float, float]]:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select label, thread, on_loop, started, ended from wq_runs where ns = %s "
            "and label like %s order by started",
            (NS, prefix + "%"),
        ).fetchall()


def overlapping(rows: list[tuple[str, str, bool, float, float]]) -> bool:
    """True if every run started before the first one ended."""
    return max(r[3] for r in rows) < min(r[4] for r in rows)


if __name__ == "__main__":
    from _worker import start_worker

    assert WORKER_CONCURRENCY == 1, WORKER_CONCURRENCY
    try:
        with app.open():
            prepare_database()
            with (
                start_worker("concurrency.app", queues=[QUEUE], concurrency=3),
                start_worker("concurrency.app", queues=[QUEUE_SERIAL]),
            ):  # default concurrency
                for i in range(3):
                    io_async.configure(queue=QUEUE).defer(label=f"async-{i}")
                t0 = time.monotonic()
                while len(runs("async-")) < 3 and time.monotonic() - t0 < 15:
                    time.sleep(0.1)
                for i in range(3):
                    io_sync.configure(queue=QUEUE).defer(label=f"sync-{i}")
                for i in range(3):
                    io_sync.configure(queue=QUEUE_SERIAL).defer(label=f"serial-{i}")
                t0 = time.monotonic()
                while (len(runs("sync-")) < 3 or len(runs("serial-")) < 3) and time.monotonic() - t0 < 20:
                    time.sleep(0.1)
        async_runs, sync_runs, serial_runs = runs("async-"), runs("sync-"), runs("serial-")
    finally:
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            conn.execute("delete from wq_runs where ns = %s", (NS,))

    assert len(async_runs) == 3 and len(sync_runs) == 3 and len(serial_runs) == 3, (async_runs, sync_runs, serial_runs)
    assert overlapping(async_runs), f"async tasks did not overlap: {async_runs}"
    assert all(r[2] for r in async_runs), "async tasks should be awaited on the worker's event loop"
    assert overlapping(sync_runs), f"sync tasks did not overlap: {sync_runs}"
    sync_threads = {r[1] for r in sync_runs}
    assert len(sync_threads) == 3 and "MainThread" not in sync_threads, f"sync tasks should use threads: {sync_threads}"
    assert not overlapping(serial_runs), "with the default concurrency=1 the jobs should not overlap"
    span = lambda rows: max(r[4] for r in rows) - min(r[3] for r in rows)  # noqa: E731
    print(
        f"OBSERVED: --concurrency=3: 3 async def tasks (1 s sleeps) overlapped on the event loop, span "
        f"{span(async_runs):.2f} s; 3 sync tasks ran in 3 threads at once, span {span(sync_runs):.2f} s; "
        f"default concurrency=1 ran 3 sync tasks one after another, span {span(serial_runs):.2f} s"
    )
