"""Retries: Huey does not retry by default (Task.default_retries = 0). With `retries=N` a failing task
runs again; `retry_delay` waits between attempts and `retry_backoff` (new in 3.3) multiplies the delay
after each retry. Delayed retries go through the consumer's scheduler, which wakes once a second
(scheduler_interval=1), so each delay lands up to ~1 s late.

Proves: retries. Default: 1 attempt. retries=2 without delay: 3 attempts back to back.
retries=2, retry_delay=1, retry_backoff=2: 3 attempts, ~1 s then ~2 s apart.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-retries", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
ATTEMPTS = f"{huey.name}:attempts"  # our own bookkeeping key, named after the Huey instance


# --8<-- [start:example]
@huey.task()  # default: retries=0
def plain(tag: str) -> None:
    huey.storage.conn.rpush(f"{ATTEMPTS}:{tag}", time.time())  # record each attempt
    raise RuntimeError("boom")


@huey.task(retries=2)  # retried at once, no delay
def quick(tag: str) -> None:
    huey.storage.conn.rpush(f"{ATTEMPTS}:{tag}", time.time())
    raise RuntimeError("boom")


@huey.task(retries=2, retry_delay=1, retry_backoff=2)  # waits 1 s, then 2 s
def backoff(tag: str) -> None:
    huey.storage.conn.rpush(f"{ATTEMPTS}:{tag}", time.time())
    raise RuntimeError("boom")


# --8<-- [end:example]


def attempts(tag: str) -> list[float]:
    return [float(t) for t in huey.storage.conn.lrange(f"{ATTEMPTS}:{tag}", 0, -1)]


if __name__ == "__main__":
    import retries as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        # The effective defaults, read from the task classes Huey built.
        base = app.plain.task_class
        assert (base.default_retries, base.default_retry_delay, base.default_retry_backoff) == (0, 0, 0)

        with start_worker("retries"):
            app.plain("plain"), app.quick("quick"), app.backoff("backoff")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and len(attempts("backoff")) < 3:
                time.sleep(0.1)
            time.sleep(1.5)  # would a 4th attempt come? (it must not)

        plain_runs, quick_runs, runs = attempts("plain"), attempts("quick"), attempts("backoff")
        assert len(plain_runs) == 1, f"default: expected 1 attempt, got {len(plain_runs)}"
        assert len(quick_runs) == 3, f"retries=2: expected 3 attempts, got {len(quick_runs)}"
        quick_gaps = [b - a for a, b in zip(quick_runs, quick_runs[1:])]
        assert max(quick_gaps) < 0.8, f"retries without delay should requeue at once: {quick_gaps}"
        assert len(runs) == 3, f"retries=2 with backoff: expected 3 attempts, got {len(runs)}"
        gaps = [b - a for a, b in zip(runs, runs[1:])]
        # the scheduler ticks once a second: each delay may run up to ~1 s late (plus a busy machine)
        assert 0.8 <= gaps[0] <= 2.6, f"first retry after {gaps[0]:.2f} s, expected ~1 s"
        assert 1.8 <= gaps[1] <= 3.6, f"second retry after {gaps[1]:.2f} s, expected ~2 s (1 s x backoff 2)"
        print(
            f"OBSERVED: default retries=0 -> 1 attempt; retries=2 -> 3 attempts, gaps "
            f"{', '.join(f'{g:.2f}' for g in quick_gaps)} s; retries=2, retry_delay=1, retry_backoff=2 -> "
            f"3 attempts, gaps {gaps[0]:.2f} s, {gaps[1]:.2f} s"
        )
    finally:
        purge(huey)
