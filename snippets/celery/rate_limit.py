"""Rate limits: `rate_limit="2/s"` spaces the starts of a task ~0.5 s apart on a worker.

Proves: six tasks queued at once, on a worker with 2 processes that could run them together, start about
0.5 s apart (a token bucket per task type in each worker). Limits are per worker, not cluster-wide, and
are off by default (`rate_limit` None).
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-rate-limit"
r = redis.Redis.from_url(REDIS_URL)

app = Celery("rate_limit", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task(rate_limit="2/s")  # also "10/m", "100/h"; change at run time with app.control.rate_limit()
def call_api(key: str) -> None:
    r.rpush(key, time.time())  # record when each run starts


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    assert app.conf.task_default_rate_limit is None
    key = f"{NS}:starts"
    try:
        with start_worker("rate_limit", queues=[QUEUE], concurrency=2):
            results = [call_api.delay(key) for _ in range(6)]
            for res in results:
                res.get(timeout=30)
        starts = sorted(float(t) for t in r.lrange(key, 0, -1))
    finally:
        r.delete(key)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    span = starts[-1] - starts[0]
    assert len(starts) == 6, starts
    assert 1.8 <= span <= 8.0, f"6 starts spread over {span:.2f} s"
    assert min(gaps) >= 0.25, gaps
    print(
        f"OBSERVED: rate_limit='2/s': 6 tasks started over {span:.2f} s, gaps "
        + ", ".join(f"{g:.2f}" for g in gaps)
        + " s"
    )
