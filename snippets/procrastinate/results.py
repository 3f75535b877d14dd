"""Procrastinate keeps no return values: a job row records status, not result, and it is kept forever.

Proves: a task's return value is only written to the worker's log ("Result: ..."); the
``procrastinate_jobs`` table has no result column and there is no blocking get, only
``job_manager.get_job_status(id)``. With the default ``delete_jobs="never"`` the finished job row
stays (no expiry); a worker started with ``--delete-jobs=successful`` deletes it on success.
"""

from __future__ import annotations

import os
import re
import time

import procrastinate
import psycopg
from procrastinate.worker import Worker

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE, QUEUE_DELETE = f"{NS}-results", f"{NS}-results-del"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="answer")
def answer() -> dict[str, int]:
    return {"answer": 42}  # logged by the worker, not stored anywhere


def wait_until_done(job_id: int, timeout: float = 15) -> procrastinate.jobs.Status:
    """The only 'result' API: poll the job's status (no blocking get, no return value)."""
    deadline = time.monotonic() + timeout
    while (status := app.job_manager.get_job_status(job_id)).value in ("todo", "doing"):
        assert time.monotonic() < deadline, "job did not finish"
        time.sleep(0.1)
    return status


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


if __name__ == "__main__":
    from _worker import start_worker

    with app.open():
        prepare_database()
        with psycopg.connect(DB_URL) as conn:
            columns = [
                r[0]
                for r in conn.execute(
                    "select column_name from information_schema.columns where table_name = 'procrastinate_jobs'"
                )
            ]
        with (
            start_worker("results.app", queues=[QUEUE]) as keeper,
            start_worker("results.app", queues=[QUEUE_DELETE], extra_args=["--delete-jobs=successful"]),
        ):
            kept_id = answer.configure(queue=QUEUE).defer()
            status = wait_until_done(kept_id)
            deleted_id = answer.configure(queue=QUEUE_DELETE).defer()
            time.sleep(0.2)
            deadline = time.monotonic() + 15
            while app.job_manager.list_jobs(id=deleted_id) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)  # does the kept row expire? (nothing should remove it)
            log = "".join(keeper.lines)
        kept = app.job_manager.list_jobs(id=kept_id)
        deleted = app.job_manager.list_jobs(id=deleted_id)

    assert status.value == "succeeded", status
    assert not any("result" in c for c in columns), f"unexpected result column: {columns}"
    assert "Result: {'answer': 42}" in log, "the return value should appear in the worker log"
    assert Worker(app).delete_jobs.value == "never", "default delete_jobs should be 'never'"
    assert len(kept) == 1 and kept[0].status == "succeeded", "default worker should keep the finished job row"
    assert deleted == [], "--delete-jobs=successful should delete the job row"
    print(
        f"OBSERVED: job {kept_id} succeeded; its return value {{'answer': 42}} appears only in the worker log "
        f"(procrastinate_jobs columns: {', '.join(sorted(columns))}); no blocking get, only get_job_status; "
        "the finished row is kept by default (delete_jobs=never) and deleted with --delete-jobs=successful"
    )
