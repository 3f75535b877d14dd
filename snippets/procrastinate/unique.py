"""Procrastinate has two built-in locks: ``queueing_lock`` (one waiting job) and ``lock`` (one running job).

Proves: deferring a second job with the same ``queueing_lock`` while the first still waits raises
``AlreadyEnqueued``; once the first job has run, the
same queueing lock can be used again. Three jobs sharing a ``lock`` on a worker with concurrency 4
run strictly one after another, in order, while jobs without a lock overlap.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-unique"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="sync_account", queue=QUEUE)
async def sync_account(account: int, n: int) -> None:
    await asyncio.sleep(0.5)


def enqueue_twice() -> tuple[int, int | None]:
    first = sync_account.configure(queueing_lock="account-7").defer(account=7, n=0)
    try:
        second = sync_account.configure(queueing_lock="account-7").defer(account=7, n=1)
    except AlreadyEnqueued:  # one job with this queueing lock is already waiting
        second = None
    return first, second


def enqueue_locked() -> None:
    for n in range(3):  # same lock: never run at the same time, run in creation order
        sync_account.configure(lock="account-8").defer(account=8, n=n)
    for n in range(3):  # no lock: free to overlap
        sync_account.defer(account=9, n=n)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def spans(account: int) -> list[tuple[int, float, float]]:
    """(n, started, finished) per job, from Procrastinate's event log."""
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select (j.args->>'n')::int, extract(epoch from min(e.at) filter (where e.type = 'started'))::float8, "
            "extract(epoch from min(e.at) filter (where e.type = 'succeeded'))::float8 from procrastinate_jobs j "
            "join procrastinate_events e on e.job_id = j.id where (j.args->>'account')::int = %s "
            "group by j.id having count(*) filter (where e.type = 'succeeded') = 1 order by 2",
            (account,),
        ).fetchall()


if __name__ == "__main__":
    from _worker import start_worker

    with app.open():
        prepare_database()
        first, second = enqueue_twice()
        enqueue_locked()  # all waiting before the worker starts
        with start_worker("unique.app", queues=[QUEUE], concurrency=4):
            deadline = time.monotonic() + 15
            while len(spans(7)) < 1 and time.monotonic() < deadline:
                time.sleep(0.1)
            third = sync_account.configure(queueing_lock="account-7").defer(account=7, n=4)  # free again
            while (len(spans(8)) < 3 or len(spans(9)) < 3 or len(spans(7)) < 2) and time.monotonic() < deadline + 10:
                time.sleep(0.1)
        locked, free = spans(8), spans(9)

    assert second is None, "a second job with the same queueing_lock should raise AlreadyEnqueued"
    assert third != first, "after the first job ran, the queueing lock should be free again"
    assert [n for n, _, _ in locked] == [0, 1, 2], f"locked jobs out of order: {locked}"
    for (_, _, end), (_, start, _) in zip(locked, locked[1:]):
        assert start >= end - 0.01, f"jobs with the same lock overlapped: {locked}"
    # (account 7 and the locked job hold 2 of the 4 slots, so at least two unlocked jobs share the others)
    assert free[1][1] < free[0][2], f"unlocked jobs should overlap: {free}"
    gaps = ", ".join(f"{b[1] - a[2]:+.2f} s" for a, b in zip(locked, locked[1:]))
    print(
        "OBSERVED: 2nd defer with queueing_lock='account-7' raised AlreadyEnqueued while the 1st waited; after "
        f"it ran the lock was free again (job {third}); 3 jobs with lock='account-8' ran one at a time in order on "
        f"a concurrency-4 worker (next start minus previous end: {gaps}); jobs without a lock overlapped"
    )
