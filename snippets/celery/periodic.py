"""Periodic tasks: celery beat sends a task on a schedule (intervals, crontab, solar events).

Proves: with a 1-second interval entry in `beat_schedule`, a worker started with `-B` (beat embedded;
in production run one separate `celery beat` process) runs the task at least twice, ~1 s apart.
Crontab entries use the same mechanism (`crontab(minute="*/15")`).
"""

import os
import tempfile
import time

import redis
from celery import Celery
from celery.schedules import crontab

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-periodic"
r = redis.Redis.from_url(REDIS_URL)
KEY = f"{NS}:ticks"

app = Celery("periodic", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


# --8<-- [start:example]
@app.task
def tick() -> None:
    r.rpush(KEY, time.time())


app.conf.beat_schedule = {
    "every-second": {"task": "periodic.tick", "schedule": 1.0},  # seconds (or a timedelta)
    "quarter-hourly": {"task": "periodic.tick", "schedule": crontab(minute="*/15")},
}
# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import start_worker

    try:
        with tempfile.TemporaryDirectory() as tmp:
            beat_args = ["--beat", "--schedule", os.path.join(tmp, "beat-schedule")]
            with start_worker("periodic", queues=[QUEUE], args=beat_args):
                deadline = time.monotonic() + 15
                while r.llen(KEY) < 3 and time.monotonic() < deadline:
                    time.sleep(0.1)
        ticks = sorted(float(t) for t in r.lrange(KEY, 0, -1))
    finally:
        r.delete(KEY)
        with app.connection_for_write() as conn:  # drop ticks beat sent after the worker stopped
            app.amqp.queues[QUEUE].bind(conn.default_channel).purge()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) >= 3, f"only {len(ticks)} runs"
    assert all(0.5 <= g <= 2.5 for g in gaps[:2]), gaps
    print(f"OBSERVED: 1 s interval schedule ran {len(ticks)}x, gaps " + ", ".join(f"{g:.2f}" for g in gaps) + " s")
