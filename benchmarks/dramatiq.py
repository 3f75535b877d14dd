"""Dramatiq benchmark driver: run by `whichqueue bench` with the Dramatiq env's python (see _harness.py).

Options from data/bench.yaml: processes, threads (their product is the stated concurrency),
heartbeat_timeout_ms and maintenance_chance (Redis broker: how soon a dead worker's messages come back).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import dramatiq

from benchmarks import _harness as h

BROKER_URL = os.environ.get("BROKER_URL", h.REDIS_URL)
QUEUE = f"{h.NS}-bench".replace(":", "-")
OPTIONS: dict[str, Any] = json.loads(os.environ.get("WQBENCH_OPTIONS", "{}"))


def make_broker() -> dramatiq.Broker:
    if BROKER_URL.startswith("amqp"):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=BROKER_URL)
    from dramatiq.brokers.redis import RedisBroker

    extra = {}
    if "heartbeat_timeout_ms" in OPTIONS:
        extra["heartbeat_timeout"] = int(OPTIONS["heartbeat_timeout_ms"])
    if "maintenance_chance" in OPTIONS:
        extra["maintenance_chance"] = int(OPTIONS["maintenance_chance"])
    return RedisBroker(url=BROKER_URL, namespace=f"dramatiq-{h.NS}", **extra)


broker = make_broker()
dramatiq.set_broker(broker)


@dramatiq.actor(actor_name="wqbench_noop", queue_name=QUEUE)
def noop(tag: str) -> None:
    h.record(tag)


@dramatiq.actor(actor_name="wqbench_sleep", queue_name=QUEUE)
def sleep(tag: str, ms: float) -> None:
    h.started(tag)
    time.sleep(ms / 1000)
    h.record(tag)


class DramatiqAdapter:
    def __init__(self, req: dict[str, Any]) -> None:
        self.req = req
        self.version = dramatiq.__version__
        self.helper = h.load_worker_module("dramatiq")
        self.processes = int(OPTIONS.get("processes", 1))
        self.threads = int(OPTIONS.get("threads", req["concurrency"]))

    def send_noop(self, tag: str) -> None:
        noop.send(tag)

    def send_sleep(self, tag: str, ms: float) -> None:
        sleep.send(tag, ms)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Any]:
        # worker_timeout 100 ms: idle consumers poll 10x a second instead of once (Dramatiq's default
        # is 1000 ms), so the latency test does not measure an idle poll.
        with self.helper.start_worker(
            "benchmarks.dramatiq",
            queues=[QUEUE],
            processes=self.processes,
            threads=self.threads,
            env={"dramatiq_worker_timeout": "100"} if OPTIONS.get("fast_poll") else None,
        ) as worker:
            worker.pid = worker.proc.pid
            yield worker

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "processes": self.processes,
            "threads": self.threads,
            "acks": "after the actor returns (at-least-once)",
        }
        if not BROKER_URL.startswith("amqp"):
            out |= {"heartbeat_timeout_ms": broker.heartbeat_timeout, "maintenance_chance": broker.maintenance_chance}
        return out


if __name__ == "__main__":
    sys.exit(h.main(DramatiqAdapter))
