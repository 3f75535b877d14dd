"""Success / failure hooks: no on_success/on_failure options, but per-task middleware (since 3.9).

Proves: ``@app.task(task_middleware=[...])`` wraps each run of that task: the middleware sees the
return value on success and the exception on failure, so it can act as a callback. It runs for
every attempt (here: 2 attempts with ``retry=1``) and in the task's own thread (sync tasks).
Worker-wide hooks exist too (``task_middleware=`` / ``worker_middleware=`` on the worker).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import Any

import procrastinate
import psycopg
from procrastinate import JobContext

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-callbacks"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


def note(job_id: int, outcome: str) -> None:
    """Write down what the callback saw (a small table of our own, keyed by namespace)."""
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute("insert into wq_callbacks values (%s, %s, %s)", (NS, job_id, outcome))


# --8<-- [start:example]
def outcome_hook(call_next: Callable[[], Any], context: JobContext, worker: Any) -> Any:
    """A sync task middleware: runs around each attempt of the task it is attached to."""
    try:
        result = call_next()
    except Exception as exc:
        note(context.job.id, f"failure: {exc!r} (attempt {context.job.attempts + 1})")  # on_failure
        raise
    note(context.job.id, f"success: {result!r}")  # on_success
    return result


@app.task(name="divide", queue=QUEUE, retry=1, task_middleware=[outcome_hook])
def divide(a: int, b: int) -> float:
    return a / b


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables (if missing) and our observation table."""
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
        conn.execute("create table if not exists wq_callbacks (ns text, job_id bigint, outcome text)")
    if not exists:
        app.schema_manager.apply_schema()


def outcomes(job_id: int) -> list[str]:
    with psycopg.connect(DB_URL) as conn:
        return [
            r[0]
            for r in conn.execute(
                "select outcome from wq_callbacks where ns = %s and job_id = %s order by ctid", (NS, job_id)
            )
        ]


if __name__ == "__main__":
    from _worker import start_worker

    try:
        with app.open():
            prepare_database()
            with start_worker("callbacks.app", queues=[QUEUE]):
                good, bad = divide.defer(a=1, b=4), divide.defer(a=1, b=0)
                deadline = time.monotonic() + 15
                while (len(outcomes(good)) < 1 or len(outcomes(bad)) < 2) and time.monotonic() < deadline:
                    time.sleep(0.1)
                time.sleep(0.3)
            good_seen, bad_seen = outcomes(good), outcomes(bad)
    finally:
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            conn.execute("delete from wq_callbacks where ns = %s", (NS,))

    assert good_seen == ["success: 0.25"], good_seen
    assert len(bad_seen) == 2 and all(s.startswith("failure: ZeroDivisionError") for s in bad_seen), bad_seen
    print(
        f"OBSERVED: per-task middleware saw {good_seen[0]!r} for divide(1, 4) and, for divide(1, 0) with retry=1, "
        f"{bad_seen[0]!r} then {bad_seen[1]!r}"
    )
