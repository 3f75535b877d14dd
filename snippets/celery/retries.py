"""Retries: a failing Celery task is NOT retried unless you ask; with `autoretry_for` it is, with backoff.

Proves: (1) a task that raises runs exactly once by default (state FAILURE); (2) the defaults a retry
uses are max_retries=3 and default_retry_delay=180 s (read from the task at run time); (3) with
`autoretry_for` + `retry_backoff=True` (jitter off, max_retries=2 to keep the demo short) the task runs
3 times with gaps of ~1 s and ~2 s (exponential backoff: 1, 2, 4 ... s, capped by retry_backoff_max=600).
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-retries"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("retries", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def plain(key: str) -> None:
    r.rpush(key, time.time())  # record each attempt
    raise ValueError("boom")  # no retry options: this fails once and for all


@app.task(autoretry_for=(ValueError,), retry_backoff=True, retry_jitter=False, max_retries=2)
def flaky(key: str) -> None:
    r.rpush(key, time.time())
    raise ValueError("boom")  # retried after 1 s, then 2 s, then given up


# --8<-- [end:example]


def attempts(key: str) -> list[float]:
    return [float(t) for t in r.lrange(key, 0, -1)]


if __name__ == "__main__":
    from _worker import start_worker

    # Defaults of every task (used by self.retry() and autoretry_for when not overridden).
    assert plain.max_retries == 3 and plain.default_retry_delay == 180, (plain.max_retries, plain.default_retry_delay)

    plain_key, flaky_key = f"{NS}:attempts:plain", f"{NS}:attempts:flaky"
    try:
        with start_worker("retries", queues=[QUEUE]):
            p, f = plain.delay(plain_key), flaky.delay(flaky_key)
            for res in (p, f):
                try:
                    res.get(timeout=30)
                except ValueError:
                    pass
            time.sleep(0.5)  # nothing else may arrive
            plain_runs, flaky_runs = attempts(plain_key), attempts(flaky_key)
    finally:
        r.delete(plain_key, flaky_key)

    assert p.state == "FAILURE" and len(plain_runs) == 1, (p.state, plain_runs)
    assert f.state == "FAILURE" and len(flaky_runs) == 3, (f.state, flaky_runs)
    gaps = [b - a for a, b in zip(flaky_runs, flaky_runs[1:])]
    assert 0.8 <= gaps[0] <= 2.5 and 1.6 <= gaps[1] <= 3.5, gaps
    print(
        f"OBSERVED: plain task ran {len(plain_runs)}x (no retry by default); autoretry_for ran "
        f"{len(flaky_runs)}x with gaps {gaps[0]:.2f} s, {gaps[1]:.2f} s; defaults max_retries="
        f"{plain.max_retries}, default_retry_delay={plain.default_retry_delay} s"
    )
