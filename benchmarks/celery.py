"""Celery benchmark driver: run by `whichqueue bench` with the Celery env's python (see benchmarks/_harness.py).

Options from data/bench.yaml: acks_late, prefetch_multiplier, and for the Redis transport visibility_timeout,
unacked_restore_interval and unacked_restore_throttle (kombu's defaults: 3600 s, 10 s and 10).
Results are ignored (no result backend), so the numbers measure the broker round trip, not a backend.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from celery import Celery, signals

from benchmarks import _harness as h

BROKER_URL = os.environ.get("BROKER_URL", h.REDIS_URL)
QUEUE = f"{h.NS}-bench"
# Redis transport: when an unacknowledged message counts as abandoned, and how often kombu looks for them.
REDIS_TRANSPORT_OPTIONS = ("visibility_timeout", "unacked_restore_interval", "unacked_restore_throttle")


def _options() -> dict[str, Any]:
    # The worker process gets the request's options through the environment (it does not read stdin).
    return json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))


def make_app(options: dict[str, Any]) -> Celery:
    app = Celery("wqbench", broker=BROKER_URL)
    transport: dict[str, Any] = {"global_keyprefix": f"{h.NS}:"}  # every Redis key carries the namespace
    transport |= {k: options[k] for k in REDIS_TRANSPORT_OPTIONS if k in options}
    app.conf.update(
        task_default_queue=QUEUE,
        task_ignore_result=True,
        broker_transport_options=transport,
        worker_hijack_root_logger=True,
    )
    if "acks_late" in options:
        app.conf.task_acks_late = bool(options["acks_late"])
    if "prefetch_multiplier" in options:
        app.conf.worker_prefetch_multiplier = int(options["prefetch_multiplier"])
    return app


app = make_app(_options())


@app.task(name="wqbench.noop")
def noop(tag: str) -> None:
    h.record(tag)


@app.task(name="wqbench.sleep")
def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    time.sleep(ms / 1000)
    h.record(tag)


@signals.after_setup_logger.connect
def _quiet(**_: object) -> None:
    # One log line per task would cost the worker (and the driver reading it) more than the task itself.
    for name in ("celery.app.trace", "celery.worker.strategy", "celery.worker.consumer.mingle"):
        logging.getLogger(name).setLevel(logging.WARNING)


class CeleryAdapter:
    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = __import__("celery").__version__
        self.helper = h.load_worker_module("celery")

    def send_noop(self, tag: str) -> None:
        noop.apply_async((tag,), queue=QUEUE)

    def send_sleep(self, tag: str, ms: float) -> None:
        sleep.apply_async((tag, ms), queue=QUEUE)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        with self.helper.start_worker(
            "benchmarks.celery", queues=[QUEUE], pool="prefork", concurrency=int(self.req["concurrency"])
        ) as worker:
            worker.pid = worker.proc.pid
            yield worker

    def describe(self) -> dict[str, Any]:
        conf = app.conf
        return {
            "pool": "prefork",
            "concurrency": int(self.req["concurrency"]),
            "task_acks_late": conf.task_acks_late,
            "worker_prefetch_multiplier": conf.worker_prefetch_multiplier,
            "redis_transport": {k: v for k, v in conf.broker_transport_options.items() if k in REDIS_TRANSPORT_OPTIONS}
            if BROKER_URL.startswith("redis")
            else None,
            "task_ignore_result": conf.task_ignore_result,
        }


if __name__ == "__main__":
    sys.exit(h.main(CeleryAdapter))
