"""RQ benchmark driver: run by `whichqueue bench` with the RQ env's python (see benchmarks/_harness.py).

Concurrency comes from `rq worker-pool -n <concurrency>` (each pool worker forks a work horse per job, RQ's
default). Options from data/bench.yaml: `retry` (enqueue with Retry(max=...): at-least-once after a crash).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from benchmarks import _harness as h

# RQ 3 reads its key prefix from the environment at import time: every key of the run carries the namespace.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{h.NS}")

from redis import Redis
from rq import Queue, Retry, Worker

QUEUE = f"{h.NS}-bench"


def noop(tag: str) -> None:
    h.record(tag)


def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    time.sleep(ms / 1000)
    h.record(tag)


class RQAdapter:
    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.options = req.get("options", {})
        self.version = __import__("rq").__version__
        self.helper = h.load_worker_module("rq")
        self.redis = Redis.from_url(os.environ.get("BROKER_URL", h.REDIS_URL))
        self.queue = Queue(QUEUE, connection=self.redis)
        retries = int(self.options.get("retry", 0))
        self.retry = Retry(max=retries) if retries else None

    def send_noop(self, tag: str) -> None:
        # By dotted name, as a reader's producer would: the worker imports the function itself.
        self.queue.enqueue("benchmarks.rq.noop", tag, retry=self.retry)

    def send_sleep(self, tag: str, ms: float) -> None:
        self.queue.enqueue("benchmarks.rq.sleep", tag, ms, retry=self.retry)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        n = int(self.req["concurrency"])
        before = {w.name for w in Worker.all(connection=self.redis)}
        # WARNING level: RQ logs two lines per job at INFO, which would cost more than a no-op job.
        with self.helper.start_worker(
            "wqbench", queues=[QUEUE], command="worker-pool", args=["-n", str(n), "-l", "WARNING"], ready=None
        ) as worker:
            deadline = time.monotonic() + 20
            while len({w.name for w in Worker.all(queue=self.queue)} - before) < n:
                if time.monotonic() > deadline or worker.proc.poll() is not None:
                    raise RuntimeError("rq worker-pool did not register its workers in 20 s")
                time.sleep(0.02)
            yield worker

    def recover(self) -> None:
        """A killed job stays 'started' until its heartbeat expires (~90 s), then the registry clean-up
        (run by workers every 10 min) fails it and, with Retry, requeues it. Run that clean-up now with
        the clock 120 s ahead instead of waiting (the snippet redelivery.py proves the real timing)."""
        self.queue.started_job_registry.cleanup(timestamp=time.time() + 120)

    def describe(self) -> dict[str, Any]:
        return {
            "command": f"rq worker-pool -n {int(self.req['concurrency'])}",
            "job_execution": "fork per job (default Worker class)",
            "retry": f"Retry(max={self.retry.max})" if self.retry else None,
            "abandoned_job_detection": "heartbeat expiry ~90 s, fast-forwarded by the driver",
        }


if __name__ == "__main__":
    sys.exit(h.main(RQAdapter))
