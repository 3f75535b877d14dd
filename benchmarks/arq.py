"""arq benchmark driver: run by `whichqueue bench` with the arq env's python (see benchmarks/_harness.py).

arq is asyncio-only: one worker process (`arq benchmarks.arq.WorkerSettings`, started through
snippets/arq/_worker.py) runs up to `max_jobs` jobs at once on one event loop; max_jobs is set to the plan's
concurrency (arq's default is 10). The tasks are `async def` and the I/O-bound one awaits `asyncio.sleep`,
as arq's own docs tell readers to write them (a blocking `time.sleep` would stall every slot of the loop).

Options from data/bench.yaml: `poll_delay` (s, arq default 0.5: how long an idle worker waits before looking
at the queue again) and `job_timeout` (s, default 300: a job's time limit, and, + 10 s, the life of the
in-progress key that keeps a crashed worker's job from running again elsewhere).

arq keeps a job in its queue until the job has finished, so it is at-least-once by default; after `kill -9`
the job runs again once its in-progress key expires (job_timeout + 10 s). `recover()` waits for that expiry
when it falls within the run's phase timeout, and never fast-forwards it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import redis
import redis.asyncio
from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, get_kwargs

from benchmarks import _harness as h

BROKER_URL = os.environ.get("BROKER_URL", h.REDIS_URL)
QUEUE = f"arq:{h.NS}:bench"  # arq derives the health-check key from it, so that key carries the namespace
OPTIONS: dict[str, Any] = json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))
# The worker is a separate `arq` process that reads no request: the adapter hands it the concurrency here.
MAX_JOBS_ENV = "WQBENCH_ARQ_MAX_JOBS"


async def _count(ctx: dict[str, Any], tag: str) -> None:
    """`_harness.record` without blocking the event loop: the same list entry, through an async client."""
    await ctx["counter"].rpush(*h.counter_entry(tag))


async def noop(ctx: dict[str, Any], tag: str) -> None:
    await _count(ctx, tag)


async def sleep(ctx: dict[str, Any], tag: str, ms: float) -> None:
    if entry := h.start_entry(tag):
        await ctx["counter"].rpush(*entry)
    await asyncio.sleep(ms / 1000)
    await _count(ctx, tag)


async def startup(ctx: dict[str, Any]) -> None:
    """Open the counter's client; then silence arq's two INFO lines per job.

    By now the worker has logged `redis_version=...`, the line the start helper waits for; from here on,
    per-job log lines would cost the worker (and the pipe it writes to) more than a no-op job.
    """
    ctx["counter"] = redis.asyncio.Redis.from_url(h.REDIS_URL)
    logging.getLogger("arq.worker").setLevel(logging.WARNING)


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["counter"].aclose()


def settings_class(max_jobs: int) -> type:
    """The WorkerSettings class a reader would write; arq reads only its own __dict__ (no inheritance)."""
    attrs: dict[str, Any] = {
        "functions": [noop, sleep],
        "queue_name": QUEUE,
        "redis_settings": RedisSettings.from_dsn(BROKER_URL),
        "max_jobs": max_jobs,
        "on_startup": startup,
        "on_shutdown": shutdown,
    }
    for key in ("poll_delay", "job_timeout"):
        if key in OPTIONS:
            attrs[key] = float(OPTIONS[key])
    return type("WorkerSettings", (), attrs)


# In the worker process the adapter has set the concurrency; in the driver process this class is unused
# (describe() builds its own), so arq's default of 10 there is harmless.
WorkerSettings = settings_class(int(os.environ.get(MAX_JOBS_ENV, "10")))


class ArqAdapter:
    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = __import__("arq").VERSION
        self.helper = h.load_worker_module("arq")
        self.max_jobs = int(req["concurrency"])
        os.environ[MAX_JOBS_ENV] = str(self.max_jobs)  # inherited by the worker started below
        # arq's producer API is async: one private loop runs every enqueue, so the harness stays synchronous.
        self.loop = asyncio.new_event_loop()
        self.pool: ArqRedis = self.loop.run_until_complete(
            create_pool(RedisSettings.from_dsn(BROKER_URL), default_queue_name=QUEUE)
        )
        self.sync = redis.Redis.from_url(BROKER_URL)  # reads in-progress keys for recover()
        atexit.register(self._close)

    def _close(self) -> None:
        self.loop.run_until_complete(self.pool.aclose())
        self.loop.close()
        self.sync.close()

    def _job_id(self, tag: str) -> str:
        # arq's default id is a uuid4; carrying the namespace lets the orchestrator delete every job,
        # in-progress, retry and result key of the run. Tags are unique, so arq's id de-duplication never bites.
        return f"{h.NS}-{tag}"

    def send_noop(self, tag: str) -> None:
        self.loop.run_until_complete(self.pool.enqueue_job("noop", tag, _job_id=self._job_id(tag)))

    def send_sleep(self, tag: str, ms: float) -> None:
        self.loop.run_until_complete(self.pool.enqueue_job("sleep", tag, ms, _job_id=self._job_id(tag)))

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        # Ready once arq logs `redis_version=`: connected, on_startup next, then the first poll.
        with self.helper.start_worker("benchmarks.arq.WorkerSettings") as worker:
            yield worker

    def recover(self) -> None:
        """Wait, in real time, until the killed worker's in-progress keys have expired.

        The fresh worker skips a queued job while its `arq:in-progress:<id>` key lives (job_timeout + 10 s
        from the job's start) and picks it up on its next poll after that; without this wait the harness's
        settle window (a few seconds without progress) would end first. With arq's default (310 s) the
        keys outlive the phase timeout: no wait, so a job killed mid-run counts as not completed (one killed
        after it counted itself but before arq removed it from the queue runs again later, unseen).
        """
        keys = list(self.sync.scan_iter(match=f"{in_progress_key_prefix}{h.NS}-*", count=500))
        ttls = [t for t in (self.sync.pttl(k) for k in keys) if t > 0]
        wait_s = max(ttls, default=0) / 1000
        waits = 0 < wait_s < float(self.req.get("phase_timeout", 60))
        # On stderr (the run's log): whether the kill caught jobs mid-run, which the counts alone don't show.
        print(f"recover: {len(ttls)} in-progress key(s), {wait_s:.1f} s left at most, wait: {waits}", file=sys.stderr)
        if waits:
            time.sleep(wait_s)

    def _effective(self) -> Worker:
        # A Worker built from the settings class, never run: arq's own defaults and derived values read back.
        # handle_signals=False: it must not install SIGTERM/SIGINT handlers in this driver process.
        asyncio.set_event_loop(self.loop)
        return Worker(**get_kwargs(settings_class(self.max_jobs)), handle_signals=False)

    def describe(self) -> dict[str, Any]:
        w = self._effective()
        defaults = inspect.signature(Worker).parameters
        return {
            "worker": "arq benchmarks.arq.WorkerSettings: 1 process, 1 asyncio event loop",
            "max_jobs": w.max_jobs,
            "max_jobs_default": defaults["max_jobs"].default,
            "poll_delay_s": w.poll_delay_s,
            "job_timeout_s": w.job_timeout_s,
            "in_progress_timeout_s": w.in_progress_timeout_s,
            "max_tries": w.max_tries,
            "keep_result_s": w.keep_result_s,
            "job_completion_wait_s": w._job_completion_wait,
            "queue_read_limit": w.queue_read_limit,
            "acks": "job removed from the queue only after it finishes (at-least-once)",
            "redelivery_after_crash": f"when the in-progress key expires ({w.in_progress_timeout_s:g} s), in real time",
            "tasks": "async def; the I/O task awaits asyncio.sleep",
        }


if __name__ == "__main__":
    sys.exit(h.main(ArqAdapter))
