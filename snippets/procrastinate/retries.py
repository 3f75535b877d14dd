"""Procrastinate does not retry by default; retries are opted into per task with a RetryStrategy.

Proves: a task that raises with the default ``retry=False`` runs once and ends ``failed``. With
``retry=RetryStrategy(max_attempts=2, exponential_wait=2)`` it runs 3 times (1 + 2 retries) and the
gaps are 2**1 = 2 s then 2**2 = 4 s (``exponential_wait`` is the *base* of the power, in seconds).
Also read at run time: ``retry=True`` means unlimited retries with no delay, ``retry=5`` five
retries with no delay. Attempt times come from Procrastinate's own ``procrastinate_events`` table.
"""

from __future__ import annotations

import datetime
import os
import re
import time

import procrastinate
import psycopg
from procrastinate.jobs import Job
from procrastinate.retry import RetryStrategy, get_retry_strategy

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-retries"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
# Explicit names: the worker imports this file as "retries", the demo runs it as "__main__".
@app.task(name="fails_once", queue=QUEUE)  # default: retry=False -> a failure is final
def fails_once() -> None:
    raise RuntimeError("boom")


# exponential_wait=2: wait 2 ** (attempts + 1) seconds -> 2 s, 4 s, 8 s, ...
@app.task(name="flaky", queue=QUEUE, retry=RetryStrategy(max_attempts=2, exponential_wait=2))
def flaky() -> None:
    raise RuntimeError("boom")


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def events(job_id: int) -> list[tuple[str, datetime.datetime]]:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select type::text, at from procrastinate_events where job_id = %s order by id", (job_id,)
        ).fetchall()


def status(job_id: int) -> tuple[str, int]:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute("select status::text, attempts from procrastinate_jobs where id = %s", (job_id,)).fetchone()


def delays(strategy: RetryStrategy, n: int) -> list[float]:
    """The delay the strategy picks after the 1st, 2nd, ... nth failed attempt."""
    out = []
    for attempts in range(n):
        job = Job(queue=QUEUE, lock=None, queueing_lock=None, task_name="x", attempts=attempts)
        decision = strategy.get_retry_decision(exception=RuntimeError(), job=job)
        if decision is None:
            break
        out.append(round((decision.retry_at - datetime.datetime.now(datetime.UTC)).total_seconds()))
    return out


if __name__ == "__main__":
    from _worker import start_worker

    # Defaults, read from the library.
    assert fails_once.retry_strategy is None, "a task without retry= should have no strategy"
    forever = get_retry_strategy(True)
    assert forever.max_attempts is None and delays(forever, 50) == [0] * 50, "retry=True: unlimited, no delay"
    assert delays(get_retry_strategy(5), 50) == [0] * 5, "retry=5: five retries, no delay"
    assert delays(RetryStrategy(exponential_wait=3), 4) == [3, 9, 27, 81], "exponential_wait is the base"

    with app.open():
        prepare_database()
        with start_worker("retries.app", queues=[QUEUE]):
            once_id = fails_once.defer()
            flaky_id = flaky.defer()
            deadline = time.monotonic() + 20
            while status(flaky_id)[0] != "failed" and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)

    once_status, once_attempts = status(once_id)
    assert (once_status, once_attempts) == ("failed", 1), f"default task: {once_status}, {once_attempts} attempts"
    assert [t for t, _ in events(once_id)].count("started") == 1, "default task ran more than once"

    flaky_status, flaky_attempts = status(flaky_id)
    starts = [at for t, at in events(flaky_id) if t == "started"]
    assert flaky_status == "failed" and flaky_attempts == 3 and len(starts) == 3, (flaky_status, flaky_attempts, starts)
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:])]
    assert 1.9 <= gaps[0] <= 3.5, f"1st retry after {gaps[0]:.2f} s, expected ~2 s"
    assert 3.9 <= gaps[1] <= 5.5, f"2nd retry after {gaps[1]:.2f} s, expected ~4 s"
    print(
        f"OBSERVED: default task (retry=False) ran once and ended failed; RetryStrategy(max_attempts=2, "
        f"exponential_wait=2) ran 3 times, gaps {gaps[0]:.2f} s, {gaps[1]:.2f} s (2**1, 2**2); "
        "retry=True -> unlimited retries with 0 s delay, retry=5 -> 5 retries with 0 s delay"
    )
