"""Procrastinate benchmark driver: run by `whichqueue bench` with its env's python (see benchmarks/_harness.py).

Procrastinate runs on PostgreSQL only: BROKER_URL is a fresh database made by the orchestrator for this run
(dropped afterwards), so the driver applies Procrastinate's schema to it first. Tasks are plain `def`
functions, which a worker runs in threads (`--concurrency` slots), like the other drivers' tasks.

Options from data/bench.yaml:

* ``fetch_job_polling_interval`` (s, driver default 0.2; Procrastinate's is 5.0): new jobs wake the worker
  through LISTEN/NOTIFY (left on, the default), so polling is only the fallback for a missed notification.
* ``retry_stalled_jobs`` (bool): run Procrastinate's documented stalled-job recovery after a crash; the
  library never re-runs a job whose worker died on its own (it stays 'doing').
* ``update_heartbeat_interval``, ``stalled_worker_timeout`` (s): the worker's heartbeat period and the age
  after which a worker (and its 'doing' jobs) counts as stalled; also the threshold `recover` uses.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

import procrastinate
import psycopg
from procrastinate.worker import Worker

from benchmarks import _harness as h

DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # a hand run without the orchestrator: the local default server
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
OPTIONS: dict[str, Any] = json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))
# A queue name is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 bytes max): 40 characters at
# most, or the defer fails. The database is already private to this run; the namespace is kept for symmetry.
_name = re.sub(r"[^A-Za-z0-9_-]", "_", f"{h.NS}-bench")
QUEUE = _name if len(_name) <= 40 else "wqbench-" + hashlib.sha1(_name.encode()).hexdigest()[:16]
POLL_S = float(OPTIONS.get("fetch_job_polling_interval", 0.2))

# Heartbeat settings belong to the worker process, which imports this module through --app: worker_defaults
# is how Procrastinate lets an App carry worker options (the CLI has no flag for them).
_worker_defaults: dict[str, Any] = {
    k: float(OPTIONS[k]) for k in ("update_heartbeat_interval", "stalled_worker_timeout") if k in OPTIONS
}
# Run as `-m benchmarks.procrastinate`, this App lives in __main__ and Procrastinate logs a warning about it:
# harmless here, because the tasks carry explicit names and the worker imports benchmarks.procrastinate.app.
app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(conninfo=DB_URL),
    worker_defaults=_worker_defaults,  # type: ignore[arg-type]  # a TypedDict built from JSON
)


@app.task(name="wqbench_noop", queue=QUEUE)
def noop(tag: str) -> None:
    h.record(tag)


@app.task(name="wqbench_sleep", queue=QUEUE)
def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    time.sleep(ms / 1000)
    h.record(tag)


class _NoJobLines(logging.Filter):
    """Drop the worker's two INFO lines per job: at no-op speed, writing and piping them (the helper echoes
    every line) would cost more than the job. The ready line the helper waits for still gets through."""

    PER_JOB = frozenset({"start_job", "job_success", "loaded_job_info"})

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "action", None) not in self.PER_JOB


# Logger filters only see records logged on that very logger: the module logger and the named worker's child.
for _logger in ("procrastinate.worker", "procrastinate.worker.worker"):
    logging.getLogger(_logger).addFilter(_NoJobLines())


class ProcrastinateAdapter:
    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = procrastinate.__version__
        self.helper = h.load_worker_module("procrastinate")
        self.concurrency = int(req["concurrency"])
        self.retry_stalled = bool(OPTIONS.get("retry_stalled_jobs", False))
        # The producer keeps one open (sync) connector for the whole run, as an application would; closed at
        # exit (the harness has no teardown hook), before the orchestrator drops the database.
        app.open()
        atexit.register(app.close)
        self._prepare_database()

    @staticmethod
    def _prepare_database() -> None:
        """Procrastinate's tables, functions and triggers, once: the run's database starts empty."""
        with psycopg.connect(DB_URL) as conn:
            row = conn.execute("select to_regclass('procrastinate_jobs') is not null").fetchone()
        if not (row and row[0]):
            app.schema_manager.apply_schema()

    def send_noop(self, tag: str) -> None:
        noop.defer(tag=tag)  # one INSERT per job; its trigger NOTIFYs the listening worker

    def send_sleep(self, tag: str, ms: float) -> None:
        sleep.defer(tag=tag, ms=ms)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        with self.helper.start_worker(
            "benchmarks.procrastinate.app",
            queues=[QUEUE],
            concurrency=self.concurrency,
            polling_interval=POLL_S,
        ) as worker:
            worker.pid = worker.proc.pid
            yield worker

    def recover(self) -> None:
        """What the documented `retry_stalled_jobs` periodic task does, run here by the driver after the crash.

        With the default setting nothing is done: Procrastinate itself never re-runs a killed worker's jobs.
        Otherwise poll `get_stalled_jobs(seconds_since_heartbeat=stalled_worker_timeout)` until the dead
        worker's heartbeat is that old, and `retry_job` what it finds (doing -> todo). In production this
        runs from `@app.periodic`; polling here measures the same recovery without a cron tick's wait.
        """
        if not self.retry_stalled:
            return
        threshold = float(OPTIONS.get("stalled_worker_timeout", 30.0))
        heartbeat = float(OPTIONS.get("update_heartbeat_interval", 10.0))

        async def run() -> None:
            started = time.monotonic()
            async with app.open_async():
                # The dead worker's last heartbeat is at most `heartbeat` s older than the kill, so its jobs are
                # stalled after threshold + heartbeat s; nothing found by then (+5 s of slack for a loaded
                # machine) means it died between jobs and nothing is stuck.
                while time.monotonic() - started < threshold + heartbeat + 5:
                    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=threshold))
                    for job in stalled:
                        await app.job_manager.retry_job(job)
                    if stalled:  # the dead worker's jobs all share its last heartbeat: one round finds them
                        # To the log only (stderr): which jobs came back and when, for a reader of the tail.
                        ids = sorted(job.id for job in stalled if job.id is not None)
                        print(
                            f"recover: retried stalled jobs {ids} after {time.monotonic() - started:.1f} s",
                            file=sys.stderr,
                            flush=True,
                        )
                        return
                    await asyncio.sleep(0.25)

        asyncio.run(run())

    def describe(self) -> dict[str, Any]:
        # The Worker the CLI would build from these arguments and the App's worker_defaults, read back.
        w = Worker(
            app=app,
            **{
                **app.worker_defaults,
                "queues": [QUEUE],
                "concurrency": self.concurrency,
                "fetch_job_polling_interval": POLL_S,
            },
        )
        return {
            "command": f"procrastinate worker --concurrency={w.concurrency} --fetch-job-polling-interval={POLL_S:g}",
            "concurrency": w.concurrency,
            "execution": "sync tasks in threads of one asyncio worker process",
            "listen_notify": w.listen_notify,
            "fetch_job_polling_interval_s": w.fetch_job_polling_interval,
            "update_heartbeat_interval_s": w.update_heartbeat_interval,
            "stalled_worker_timeout_s": w.stalled_worker_timeout,
            "delete_jobs": str(w.delete_jobs.value),
            "task_retry_strategy": repr(noop.retry_strategy),  # None: a failed job is final (retry=False)
            "stalled_job_retry": f"get_stalled_jobs(seconds_since_heartbeat={w.stalled_worker_timeout:g}) + retry_job"
            if self.retry_stalled
            else None,
        }


if __name__ == "__main__":
    sys.exit(h.main(ProcrastinateAdapter))
