"""Delayed tasks: `countdown=` / `eta=` run a task later, without any extra process.

Proves: a task sent with countdown=1.5 starts ~1.5 s after it was sent, and one with an absolute `eta`
at its time. The worker receives the message at once and holds it in memory until it is due.
"""

import os
import time
from datetime import UTC, datetime, timedelta

from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-delayed"

app = Celery("delayed", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def started_at() -> float:
    return time.time()


if __name__ == "__main__":
    from _worker import start_worker

    with start_worker("delayed", queues=[QUEUE]):
        # --8<-- [start:example]
        sent = time.time()
        later = started_at.apply_async(countdown=1.5)  # seconds from now
        at = started_at.apply_async(eta=datetime.now(UTC) + timedelta(seconds=2.5))
        # --8<-- [end:example]
        delay_countdown = later.get(timeout=30) - sent
        delay_eta = at.get(timeout=30) - sent
    # Never early; the upper bounds are generous because a busy machine delays the start.
    assert 1.4 <= delay_countdown <= 9, delay_countdown
    assert 2.4 <= delay_eta <= 10, delay_eta
    print(
        f"OBSERVED: countdown=1.5 started after {delay_countdown:.2f} s; eta=now+2.5 s started after {delay_eta:.2f} s"
    )
