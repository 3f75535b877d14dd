"""taskiq benchmark driver: run by `whichqueue bench` with the taskiq env's python (see benchmarks/_harness.py).

Concurrency: ONE worker process (`taskiq worker --workers 1`) running up to `concurrency` async tasks at once
on its event loop (`--max-async-tasks`), taskiq's own concurrency model; the tasks are `async def`.
Options from data/bench.yaml (Redis only; RabbitMQ always uses AioPikaBroker with its defaults):

* ``redis_broker``: ``"list"`` (default: ListQueueBroker, LPUSH/BRPOP, no acks) or ``"stream"``
  (RedisStreamBroker: consumer group, XACK after the task, XAUTOCLAIM of messages idle > idle_timeout);
* ``idle_timeout_ms``: RedisStreamBroker's idle_timeout (library default 600000 ms).

No result backend (taskiq's default DummyResultBackend): the numbers measure the broker round trip.
Polling: none to lower. BRPOP and XREADGROUP BLOCK return as soon as a message arrives, and AioPikaBroker
consumes by push, so no setting trades latency for idle load here (xread_block only bounds an idle wait).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import taskiq
from taskiq import AsyncBroker
from taskiq.cli.worker.args import WorkerArgs

from benchmarks import _harness as h

BROKER_URL = os.environ.get("BROKER_URL", h.REDIS_URL)
RABBIT = BROKER_URL.startswith("amqp")
OPTIONS: dict[str, Any] = json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))
# Every Redis key (list, stream, autoclaim lock) and RabbitMQ name carries the namespace, so the orchestrator's
# `*<run id>*` clean-up finds them; RabbitMQ names avoid ':' only for readability in the management UI.
QUEUE = "taskiq-" + re.sub(r"[^A-Za-z0-9_.-]", "-", h.NS) + "-bench"
STREAM = OPTIONS.get("redis_broker", "list") == "stream" and not RABBIT


def make_broker() -> AsyncBroker:
    """The broker a reader would build for this setting: the same module serves the driver and the worker."""
    if RABBIT:
        from taskiq_aio_pika import AioPikaBroker, Exchange, Queue

        return AioPikaBroker(
            BROKER_URL,
            exchange=Exchange(name=QUEUE),
            task_queues=[Queue(name=QUEUE)],
            dead_letter_queue=Queue(name=f"{QUEUE}.dead_letter"),
        )
    if STREAM:
        from taskiq_redis import RedisStreamBroker

        extra = {"idle_timeout": int(OPTIONS["idle_timeout_ms"])} if "idle_timeout_ms" in OPTIONS else {}
        return RedisStreamBroker(BROKER_URL, queue_name=QUEUE, consumer_group_name=QUEUE, **extra)
    from taskiq_redis import ListQueueBroker

    return ListQueueBroker(BROKER_URL, queue_name=QUEUE)


broker = make_broker()


class _NoPerTaskLines(logging.Filter):
    """Drop the receiver's one INFO line per task, which would cost the worker more than a no-op task.

    A filter, not --log-level WARNING: the worker helper waits for "Listening started." from the same logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Executing task")


logging.getLogger("taskiq.receiver.receiver").addFilter(_NoPerTaskLines())


# Explicit task names: the driver runs as __main__ and the worker imports benchmarks.taskiq, and taskiq's
# default name ("module:function") would differ between the two.
@broker.task(task_name="wqbench_noop")
async def noop(tag: str) -> None:
    h.record(tag)  # the shared counter is synchronous: one quick Redis RPUSH, as in every driver


@broker.task(task_name="wqbench_sleep")
async def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    await asyncio.sleep(ms / 1000)  # I/O-bound work the async way: the slot's event loop stays free
    h.record(tag)


class TaskiqAdapter:
    """Sends through a long-lived event loop (kiq() is async) and runs `taskiq worker` via the snippet helper."""

    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = _version()
        self.helper = h.load_worker_module("taskiq")
        self.concurrency = int(req["concurrency"])
        self.worker_args = ["--workers", "1", "--max-async-tasks", str(self.concurrency)]
        self.loop = asyncio.new_event_loop()
        # Producer start-up declares what the worker needs before the first send: RabbitMQ's exchange and
        # queue, and the stream's consumer group (created at "$", so it must exist before tasks are queued).
        self.loop.run_until_complete(broker.startup())
        atexit.register(self._close)

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            self.loop.run_until_complete(broker.shutdown())
        self.loop.close()

    def send_noop(self, tag: str) -> None:
        self.loop.run_until_complete(noop.kiq(tag))

    def send_sleep(self, tag: str, ms: float) -> None:
        self.loop.run_until_complete(sleep.kiq(tag, ms))

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        # The helper's graceful stop (SIGTERM) takes ~5 s (--shutdown-timeout); the harness only leaves a
        # worker once its queue is drained, so SIGKILL loses nothing and keeps the runs short.
        with self.helper.start_worker(
            "benchmarks.taskiq:broker", workers=1, max_async_tasks=self.concurrency
        ) as worker:
            worker.pid = worker.proc.pid
            try:
                yield worker
            finally:
                if worker.proc.poll() is None:
                    worker.kill()

    def recover(self) -> None:
        """RedisStreamBroker reclaims a dead consumer's pending messages (XAUTOCLAIM, idle > idle_timeout)
        only right after an XREADGROUP that returned NEW messages; the killed worker had already read every
        task, so a quiet stream never triggers it. Wait out idle_timeout, then send one no-op as steady
        production traffic would (snippets/taskiq/redelivery_stream.py proves this behaviour)."""
        if not STREAM:
            return
        time.sleep(broker.idle_timeout / 1000 + 0.5)  # type: ignore[attr-defined]
        self.send_noop("x:0")  # phase "x" is not counted

    def describe(self) -> dict[str, Any]:
        # The worker's effective options, parsed by taskiq's own CLI parser from the arguments the helper passes.
        args = WorkerArgs.from_cli(["benchmarks.taskiq:broker", *self.worker_args])
        out: dict[str, Any] = {
            "broker_class": type(broker).__name__,
            "worker_processes": args.workers,
            "max_async_tasks": args.max_async_tasks,
            "max_prefetch": args.max_prefetch,
            "ack_type": args.ack_type.value,
            "task_kind": "async def (event loop)",
            "result_backend": type(broker.result_backend).__name__,
            "broker_package": f"taskiq-aio-pika {version('taskiq-aio-pika')}"
            if RABBIT
            else f"taskiq-redis {version('taskiq-redis')}",
        }
        if RABBIT:
            queue = broker._task_queues[0]  # type: ignore[attr-defined]
            out |= {
                "qos_prefetch": broker._qos,
                "queue_type": queue.type.value,
                "acks": "after the task (unacked until then)",
            }  # type: ignore[attr-defined]
        elif STREAM:
            out |= {
                "idle_timeout_ms": broker.idle_timeout,  # type: ignore[attr-defined]
                "xread_block_ms": broker.block,  # type: ignore[attr-defined]
                "xread_count": broker.count,  # type: ignore[attr-defined]
                "acks": "XACK after the task; pending messages reclaimed after idle_timeout on new traffic",
            }
        else:
            out |= {"acks": "none: BRPOP removes the message on receipt (at-most-once)"}
        return out


def _version() -> str:
    return getattr(taskiq, "__version__", None) or version("taskiq")


if __name__ == "__main__":
    sys.exit(h.main(TaskiqAdapter))
