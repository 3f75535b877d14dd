"""Cancel a waiting job, and abort running ones (async: cancelled; sync: cooperative).

Proves: ``cancel_job_by_id`` on a ``todo`` job marks it ``cancelled`` and no worker ever runs it;
``cancel_job_by_id(id, abort=True)`` on a running ``async def`` job cancels its asyncio task (status
``aborted``, within about a second thanks to LISTEN/NOTIFY); a running sync job only stops if it
checks ``context.should_abort()`` and raises ``JobAborted``.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import procrastinate
import psycopg
from procrastinate import JobContext
from procrastinate.exceptions import JobAborted

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-cancel"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="slow_async", queue=QUEUE)
async def slow_async() -> None:
    await asyncio.sleep(30)  # cancelled by the worker when an abort is requested


@app.task(name="slow_sync", queue=QUEUE, pass_context=True)
def slow_sync(context: JobContext) -> None:
    for _ in range(300):
        if context.should_abort():  # sync tasks must check by themselves
            raise JobAborted("stopping on request")
        time.sleep(0.1)


def cancel_and_abort(waiting_id: int, running_ids: list[int]) -> None:
    app.job_manager.cancel_job_by_id(waiting_id)  # todo -> cancelled
    for job_id in running_ids:
        app.job_manager.cancel_job_by_id(job_id, abort=True)  # doing -> abort requested


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def status(job_id: int) -> str:
    return app.job_manager.get_job_status(job_id).value


def wait_for(job_ids: list[int], wanted: set[str], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not all(status(j) in wanted for j in job_ids):
        assert time.monotonic() < deadline, f"statuses {[status(j) for j in job_ids]}, wanted {wanted}"
        time.sleep(0.05)


if __name__ == "__main__":
    from _worker import start_worker

    with app.open():
        prepare_database()
        waiting = slow_async.defer()
        app.job_manager.cancel_job_by_id(waiting)  # cancelled before any worker exists
        with start_worker("cancel.app", queues=[QUEUE], concurrency=2):
            running = [slow_async.defer(), slow_sync.defer()]
            wait_for(running, {"doing"})
            time.sleep(0.3)
            t0 = time.monotonic()
            cancel_and_abort(waiting, running)
            wait_for(running, {"aborted", "failed", "succeeded"})
            took = time.monotonic() - t0
        statuses = [status(j) for j in [waiting, *running]]
        with psycopg.connect(DB_URL) as conn:
            started = conn.execute(
                "select count(*) from procrastinate_events where job_id = %s and type = 'started'", (waiting,)
            ).fetchone()[0]

    assert statuses == ["cancelled", "aborted", "aborted"], statuses
    assert started == 0, "the cancelled job should never have started"
    assert took < 5, f"abort took {took:.1f} s"
    print(
        f"OBSERVED: waiting job -> cancelled, never started; running async job -> aborted (asyncio task "
        f"cancelled), running sync job -> aborted (it polled should_abort); both within {took:.2f} s of the request"
    )
