"""Concurrency: one consumer runs `-w N` workers of one kind, chosen with `-k`: thread (the default,
with a single worker), process (forked, not on Windows) or greenlet (needs gevent, which is not a
dependency of huey). No asyncio worker.

Proves: concurrency. Three 1 s tasks overlap with `-w 3 -k thread` (one process, three threads) and with
`-w 3 -k process` (three PIDs). The defaults are read from huey.consumer_options. Greenlets need gevent;
without it the consumer refuses to start.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey
from huey.consumer_options import ConsumerConfig

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-conc", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
@huey.task()
def slow(i: int) -> tuple[float, float, int, str]:
    import threading

    start = time.time()
    time.sleep(1)
    return start, time.time(), os.getpid(), threading.current_thread().name


# shell: huey_consumer concurrency.huey -w 3 -k thread    (or -k process, -k greenlet)
# --8<-- [end:example]


def run_three(worker_type: str) -> list[tuple[float, float, int, str]]:
    with start_worker("concurrency", workers=3, worker_type=worker_type):
        handles = [app.slow(i) for i in range(3)]
        return [tuple(h.get(blocking=True, timeout=15)) for h in handles]


def overlap(runs: list[tuple[float, float, int, str]]) -> float:
    """Seconds during which all three tasks were running at the same time."""
    return min(end for _, end, _, _ in runs) - max(start for start, _, _, _ in runs)


if __name__ == "__main__":
    import concurrency as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        defaults = ConsumerConfig()
        assert (defaults.workers, defaults.worker_type) == (1, "thread"), defaults

        threads = run_three("thread")
        assert len({pid for _, _, pid, _ in threads}) == 1, "thread workers share one process"
        assert len({name for *_, name in threads}) == 3, threads
        assert overlap(threads) > 0.3, f"thread tasks did not overlap: {overlap(threads):.2f}"

        procs = run_three("process")
        assert len({pid for _, _, pid, _ in procs}) == 3, "process workers are three forked PIDs"
        assert overlap(procs) > 0.3, f"process tasks did not overlap: {overlap(procs):.2f}"

        try:
            import gevent  # noqa: F401

            greenlet = "gevent installed"
        except ImportError:
            try:
                huey.create_consumer(workers=3, worker_type="greenlet")
                raise AssertionError("greenlet workers should need gevent")
            except ImportError as exc:
                greenlet = f"greenlet without gevent: ImportError({exc})"
        print(
            f"OBSERVED: default -w 1 -k thread; -k thread -w 3: 3 tasks overlapped {overlap(threads):.2f} s in "
            f"1 process; -k process -w 3: overlapped {overlap(procs):.2f} s in 3 PIDs; {greenlet}"
        )
    finally:
        purge(huey)
