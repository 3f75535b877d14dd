"""Priorities are real in Procrastinate: a higher ``priority`` job queued last runs first.

Proves: with no worker running we defer three jobs with the default priority 0, then one with
``priority=10``; a single worker with concurrency 1 then runs the urgent job first and the others
in creation order (the fetch query orders by priority DESC, then id).
"""

from __future__ import annotations

import os
import re
import time

import procrastinate
import psycopg
from procrastinate.jobs import DEFAULT_PRIORITY

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-priorities"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="work", queue=QUEUE)
def work(label: str) -> None:
    print(label)


def enqueue_all() -> None:
    for i in range(3):
        work.defer(label=f"low-{i}")  # priority 0 (the default)
    work.configure(priority=10).defer(label="urgent")  # higher runs first


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def execution_order() -> list[str]:
    """Labels in the order the worker started them (Procrastinate's own event log)."""
    with psycopg.connect(DB_URL) as conn:
        return [
            r[0]
            for r in conn.execute(
                "select j.args->>'label' from procrastinate_events e join procrastinate_jobs j on j.id = e.job_id "
                "where e.type = 'started' and j.queue_name = %s order by e.id",
                (QUEUE,),
            )
        ]


if __name__ == "__main__":
    from _worker import start_worker

    assert DEFAULT_PRIORITY == 0
    with app.open():
        prepare_database()
        enqueue_all()  # no worker yet: all four wait in the queue
        with start_worker("priorities.app", queues=[QUEUE], concurrency=1):
            deadline = time.monotonic() + 15
            while len(execution_order()) < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
    order = execution_order()
    assert order == ["urgent", "low-0", "low-1", "low-2"], order
    print(
        f"OBSERVED: deferred low-0, low-1, low-2 (priority 0) then urgent (priority 10); "
        f"one worker (concurrency 1) ran {', '.join(order)}"
    )
