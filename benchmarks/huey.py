"""Huey benchmark driver: run by `whichqueue bench` with the Huey env's python (see benchmarks/_harness.py).

One `huey_consumer benchmarks.huey.huey -w <concurrency> -k <worker_type>` per worker, started through
snippets/huey/_worker.py. Options from data/bench.yaml: `worker_type` ("thread", Huey's default kind, or
"process"). Huey has no at-least-once mode: a worker BRPOPs the message before running it and nothing
acknowledges it, so a task running when the consumer is killed is lost (snippets/huey/redelivery.py).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from huey import RedisHuey
from huey.consumer_options import ConsumerConfig

from benchmarks import _harness as h

BROKER_URL = os.environ.get("BROKER_URL", h.REDIS_URL)
OPTIONS: dict[str, Any] = json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))

# clean_name=False: Huey would strip the namespace's dashes otherwise; every Redis key (huey.redis.<name>,
# huey.schedule.<name>, huey.results.<name>...) then carries the namespace verbatim and is swept with it.
huey = RedisHuey(f"{h.NS}-bench", url=BROKER_URL, clean_name=False)


class _NoPerTaskInfo(logging.Filter):
    """Drop the INFO lines the `huey` logger writes for every task ("Executing ...", "... executed in").

    Two log lines per task, piped through the worker helper, would cost more than a no-op task. A filter on
    the `huey` logger only sees records logged on it directly, so the consumer's own start-up lines (logged
    on `huey.consumer`, which the helper waits for) and every warning or error still come through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO


logging.getLogger("huey").addFilter(_NoPerTaskInfo())


@huey.task()
def noop(tag: str) -> None:
    h.record(tag)


@huey.task()
def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    time.sleep(ms / 1000)
    h.record(tag)


class HueyAdapter:
    """Producer and consumer control for one driver invocation (the protocol of benchmarks/_harness.py)."""

    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = __import__("huey").__version__
        self.helper = h.load_worker_module("huey")
        self.worker_type = str(OPTIONS.get("worker_type", "thread"))
        self.workers = int(req["concurrency"])
        # Huey registers a task as "<module>.<function>": run with `-m`, this file is `__main__`, while the
        # consumer imports `benchmarks.huey`. Enqueue through the module the consumer knows, as the snippets do.
        self.tasks = importlib.import_module("benchmarks.huey")
        # The counter key is deleted by the harness; the queue, schedule and result keys are Huey's own.
        atexit.register(self.helper.purge, self.tasks.huey)

    def send_noop(self, tag: str) -> None:
        self.tasks.noop(tag)

    def send_sleep(self, tag: str, ms: float) -> None:
        self.tasks.sleep(tag, ms)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        # The helper waits for the consumer's start-up log and 0.3 s more for its worker threads / processes.
        with self.helper.start_worker(
            "benchmarks.huey.huey", workers=self.workers, worker_type=self.worker_type
        ) as worker:
            yield worker

    def describe(self) -> dict[str, Any]:
        """The effective settings, read back from the Huey instance and the consumer's own option defaults."""
        config = ConsumerConfig(workers=self.workers, worker_type=self.worker_type)
        config.validate()
        storage = self.tasks.huey.storage
        return {
            "command": f"huey_consumer benchmarks.huey.huey -w {config.workers} -k {config.worker_type}",
            "storage": type(storage).__name__,
            "workers": config.workers,
            "worker_type": config.worker_type,
            "blocking_dequeue": storage.blocking,  # BRPOP: no polling delay between tasks
            "read_timeout_s": storage.read_timeout,
            "results": self.tasks.huey.results,
            "store_none": self.tasks.huey.store_none,  # the tasks return None: no result keys are written
            "serializer": "pickle" + (" (gzip)" if self.tasks.huey.serializer.comp else ""),
            "graceful_signal": config.graceful_signal,
            "acks": "none: popped (BRPOP) before it runs, lost if the consumer dies (at-most-once)",
            "at_least_once_option": None,
        }


if __name__ == "__main__":
    sys.exit(h.main(HueyAdapter))
