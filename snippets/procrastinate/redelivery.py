"""kill -9 a worker mid-task: the job stays ``doing`` (a stalled job) until something retries it.

Proves: Procrastinate marks a job ``succeeded``/``failed`` only after the task ran, so a SIGKILLed
worker loses nothing, but nothing re-runs the job by itself either: a fresh worker with default
settings leaves it ``doing`` (we watch for 3 s). ``job_manager.get_stalled_jobs()`` finds jobs of
workers whose heartbeat (sent every 10 s) is older than 30 s by default; with
``seconds_since_heartbeat=1`` it finds ours at once, ``retry_job`` puts it back to ``todo`` and the
fresh worker runs it to completion. The documented fix is a periodic task doing exactly this.
"""

from __future__ import annotations

import asyncio
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
QUEUE = f"{NS}-redelivery"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="long_task", queue=QUEUE)
def long_task() -> None:
    time.sleep(2)


async def retry_stalled_jobs(seconds_since_heartbeat: float = 30) -> list[int]:
    """What the docs suggest to run periodically (e.g. @app.periodic(cron="*/10 * * * *"))."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat)
    for job in stalled:
        await app.job_manager.retry_job(job)  # doing -> todo, attempts + 1
    return [job.id for job in stalled]


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def starts(job_id: int) -> int:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select count(*) from procrastinate_events where job_id = %s and type = 'started'", (job_id,)
        ).fetchone()[0]


def status(job_id: int) -> str:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute("select status::text from procrastinate_jobs where id = %s", (job_id,)).fetchone()[0]


def wait_status(job_id: int, wanted: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while (s := status(job_id)) != wanted and time.monotonic() < deadline:
        time.sleep(0.05)
    return s


async def retry_now() -> tuple[list[int], list[int]]:
    async with app.open_async():
        default = await retry_stalled_jobs()  # heartbeat only ~1 s old: not stalled yet for the default
        await asyncio.sleep(1.5)
        # (1 s is shorter than the 10 s heartbeat interval: fine for a demo, not for production)
        return default, await retry_stalled_jobs(seconds_since_heartbeat=1)


if __name__ == "__main__":
    from _worker import start_worker

    defaults = inspect.signature(Worker).parameters
    assert defaults["update_heartbeat_interval"].default == 10.0
    assert defaults["stalled_worker_timeout"].default == 30.0
    assert inspect.signature(app.job_manager.get_stalled_jobs).parameters["seconds_since_heartbeat"].default == 30

    with app.open():
        prepare_database()
        job_id = long_task.defer()
        with start_worker("redelivery.app", queues=[QUEUE]) as first:
            assert wait_status(job_id, "doing", 15) == "doing", "job never started"
            time.sleep(0.3)
            first.kill()  # SIGKILL mid-task
        with start_worker("redelivery.app", queues=[QUEUE]):  # a fresh worker, default settings
            time.sleep(3)
            after_default = status(job_id), starts(job_id)
            found_default, found_short = asyncio.run(retry_now())
            final = wait_status(job_id, "succeeded", 15)
        total_starts = starts(job_id)

    assert after_default == ("doing", 1), f"expected the job to stay doing, not re-run: {after_default}"
    assert found_default == [], "get_stalled_jobs() with the 30 s default should not find it yet"
    assert found_short == [job_id], found_short
    assert final == "succeeded" and total_starts == 2, (final, total_starts)
    print(
        f"OBSERVED: after kill -9 mid-task the job stayed 'doing' and a fresh default worker did not re-run it "
        f"in 3 s; get_stalled_jobs() (30 s heartbeat default) found nothing yet, "
        f"get_stalled_jobs(seconds_since_heartbeat=1) found it, retry_job re-queued it and it ran again -> {final}"
    )
