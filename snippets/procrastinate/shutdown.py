"""SIGTERM mid-task: the worker stops fetching, waits for the running job to finish, then exits.

Proves: with the default ``shutdown_graceful_timeout=None`` (wait as long as it takes) a worker that
gets SIGTERM while a 3 s job runs lets the job finish (status ``succeeded``), does not start the
job queued behind it (still ``todo``), and exits with code 0 after the job ended.
"""

from __future__ import annotations

import inspect
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
QUEUE = f"{NS}-shutdown"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="export", queue=QUEUE)
def export(n: int) -> None:
    time.sleep(3)  # still running when SIGTERM arrives


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def status(job_id: int) -> str:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute("select status::text from procrastinate_jobs where id = %s", (job_id,)).fetchone()[0]


if __name__ == "__main__":
    from _worker import start_worker

    assert inspect.signature(Worker).parameters["shutdown_graceful_timeout"].default is None
    with app.open():
        prepare_database()
        with start_worker("shutdown.app", queues=[QUEUE], grace=15) as worker:
            running, queued = export.defer(n=1), export.defer(n=2)
            deadline = time.monotonic() + 15
            while status(running) != "doing" and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
            t0 = time.monotonic()
            worker.terminate()  # SIGTERM
            code = worker.proc.wait(timeout=15)
            exited_after = time.monotonic() - t0

    assert code == 0, f"worker exit code {code}"
    assert status(running) == "succeeded", f"running job: {status(running)}"
    assert status(queued) == "todo", f"queued job should not have started: {status(queued)}"
    assert 1.5 <= exited_after <= 6, f"worker exited {exited_after:.2f} s after SIGTERM"
    print(
        f"OBSERVED: SIGTERM 0.5 s into a 3 s job: the job finished (succeeded), the queued job stayed todo, "
        f"the worker exited with code 0 after {exited_after:.2f} s (shutdown_graceful_timeout=None: no limit)"
    )
