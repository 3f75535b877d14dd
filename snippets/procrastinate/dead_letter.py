"""A job that failed for good stays in the jobs table as ``failed``; it can be listed and retried.

Proves: after its last attempt a job keeps ``status='failed'`` (nothing is dropped, no separate
dead-letter queue); ``job_manager.list_jobs(status="failed")`` finds it, and
``job_manager.retry_job_by_id(id, retry_at=now)`` (also ``procrastinate shell retry <id>``) puts it
back to ``todo``: a worker runs it again and, with the bug fixed, it succeeds.
"""

from __future__ import annotations

import datetime
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
QUEUE = f"{NS}-dead-letter"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="charge", queue=QUEUE, retry=1)  # one retry, then failed for good
def charge(order: int) -> None:
    if not os.path.exists(f"/tmp/{NS}-fixed"):  # fails until the "bug" is fixed
        raise RuntimeError("payment service down")


def requeue_failed() -> list[int]:
    failed = app.job_manager.list_jobs(queue=QUEUE, status="failed")
    now = datetime.datetime.now(datetime.UTC)
    for job in failed:
        app.job_manager.retry_job_by_id(job.id, retry_at=now)  # failed -> todo
    return [job.id for job in failed]


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def wait_status(job_id: int, wanted: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while (s := app.job_manager.get_job_status(job_id).value) != wanted and time.monotonic() < deadline:
        time.sleep(0.05)
    return s


if __name__ == "__main__":
    from _worker import start_worker

    marker = f"/tmp/{NS}-fixed"
    try:
        with app.open():
            prepare_database()
            with start_worker("dead_letter.app", queues=[QUEUE]):
                job_id = charge.defer(order=7)
                first = wait_status(job_id, "failed")
                time.sleep(0.5)
                kept = app.job_manager.list_jobs(id=job_id)[0]
                open(marker, "w").close()  # "fix the bug"
                requeued = requeue_failed()
                final = wait_status(job_id, "succeeded")
            attempts = app.job_manager.list_jobs(id=job_id)[0].attempts
        with psycopg.connect(DB_URL) as conn:
            runs = conn.execute(
                "select count(*) from procrastinate_events where job_id = %s and type = 'started'", (job_id,)
            ).fetchone()[0]
    finally:
        if os.path.exists(marker):
            os.remove(marker)

    assert first == "failed" and kept.status == "failed" and kept.attempts == 2, (first, kept)
    assert requeued == [job_id], requeued
    # Note: re-queueing a failed job counts one more attempt (attempts=4 after 3 runs).
    assert final == "succeeded" and runs == 3, (final, runs)
    print(
        f"OBSERVED: job {job_id} failed after 2 attempts and stayed in procrastinate_jobs as failed "
        f"(args {kept.task_kwargs}); list_jobs(status='failed') found it, retry_job_by_id re-queued it and "
        f"the 3rd run {final} (attempts counter: {attempts})"
    )
