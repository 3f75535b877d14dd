"""Count and list queued, running, finished and failed jobs: ``job_manager.list_*`` and the shell.

Proves: with 2 jobs waiting, 1 running, 1 succeeded and 1 failed in one queue,
``job_manager.list_queues(queue=...)`` returns exactly those counts per status,
``list_jobs(status="doing")`` returns the running job (with the id of the worker running it),
``list_tasks()`` counts per task, and ``procrastinate shell list_queues`` prints the same line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import procrastinate
import psycopg

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-inspection"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


@app.task(name="step", queue=QUEUE)
def step(kind: str) -> None:
    if kind == "fail":
        raise RuntimeError("boom")
    if kind == "slow":
        time.sleep(30)  # still running while we look


# --8<-- [start:example]
def snapshot() -> tuple[dict, list, list]:
    counts = app.job_manager.list_queues(queue=QUEUE)[0]  # todo/doing/succeeded/failed/...
    running = app.job_manager.list_jobs(queue=QUEUE, status="doing")
    per_task = app.job_manager.list_tasks(queue=QUEUE)
    return counts, running, per_task


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
        with start_worker("inspection.app", queues=[QUEUE], grace=2):
            ok, bad = step.defer(kind="ok"), step.defer(kind="fail")
            slow = step.defer(kind="slow")
            deadline = time.monotonic() + 15
            while app.job_manager.list_jobs(id=slow)[0].status != "doing" and time.monotonic() < deadline:
                time.sleep(0.1)
            waiting = [step.defer(kind="ok"), step.defer(kind="ok")]  # concurrency 1: these wait
            time.sleep(0.3)
            counts, running, per_task = snapshot()
            shell = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "procrastinate",
                    "--app=inspection.app",
                    "shell",
                    "list_queues",
                    f"queue={QUEUE}",
                ],
                capture_output=True,
                text=True,
                timeout=30,
            )

    expected = {
        "name": QUEUE,
        "jobs_count": 5,
        "todo": 2,
        "doing": 1,
        "succeeded": 1,
        "failed": 1,
        "cancelled": 0,
        "aborted": 0,
    }
    assert counts == expected, counts
    assert [j.id for j in running] == [slow] and running[0].worker_id is not None, running
    assert per_task[0]["name"] == "step" and per_task[0]["jobs_count"] == 5, per_task
    line = f"{QUEUE}: 5 jobs (todo: 2, doing: 1, succeeded: 1, failed: 1, cancelled: 0, aborted: 0)"
    assert line in shell.stdout, shell.stdout + shell.stderr
    print(
        f"OBSERVED: list_queues -> todo 2, doing 1, succeeded 1, failed 1; list_jobs(status='doing') -> job {slow} "
        f"on worker {running[0].worker_id}; list_tasks -> step: 5 jobs; shell printed {line!r}"
    )
