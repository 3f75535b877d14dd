"""Failed tasks: Celery keeps no failed-task queue; the failure is a FAILURE record in the result backend.

Proves: when a task fails for good its message is acknowledged and gone from the broker queue; what remains
is the result record (state FAILURE, the exception and traceback, kept for result_expires = 1 day). With
`result_extended=True` that record also holds the task name and arguments, so you can requeue it by hand
with `app.send_task(...)`, which then succeeds. There is no built-in list of failed tasks or requeue command.
"""

import os
import time

import redis
from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-dead-letter"
r = redis.Redis.from_url(REDIS_URL)

# --8<-- [start:example]
app = Celery("dead_letter", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    result_extended=True,  # store name, args and kwargs with the result (off by default)
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def charge(order_id: int, flag_key: str) -> str:
    if not r.exists(flag_key):  # fails until the "payment service" is back
        raise ConnectionError("payment service down")
    return f"charged {order_id}"


def requeue(task_id: str):
    """Send a failed task again, with the name and arguments stored in its result."""
    failed = app.AsyncResult(task_id)
    assert failed.state == "FAILURE"
    return app.send_task(failed.name, args=failed.args, kwargs=failed.kwargs, queue=failed.queue)


# --8<-- [end:example]


def queue_length() -> int:
    with app.connection_for_read() as conn:
        # Re-declaring the queue (same options as Celery's) returns its current message count.
        return app.amqp.queues[QUEUE].bind(conn.default_channel).queue_declare().message_count


if __name__ == "__main__":
    from _worker import start_worker

    flag = f"{NS}:service-up"
    try:
        with start_worker("dead_letter", queues=[QUEUE]):
            first = charge.delay(42, flag)
            try:
                first.get(timeout=20)
            except ConnectionError:
                pass
            time.sleep(0.3)
            left_in_queue = queue_length()
            stored = app.AsyncResult(first.id)
            state, exc, has_tb = stored.state, repr(stored.result), bool(stored.traceback)
            name, args = stored.name, stored.args
            r.set(flag, 1)  # the service is back: requeue by hand
            retried = requeue(first.id)
            value = retried.get(timeout=20)
    finally:
        r.delete(flag)
    assert state == "FAILURE" and "payment service down" in exc and has_tb, (state, exc)
    assert left_in_queue == 0, f"{left_in_queue} messages left in the broker queue"
    assert name == "dead_letter.charge" and args == [42, flag], (name, args)
    assert value == "charged 42", value
    print(
        f"OBSERVED: failed task: state {state}, {exc}, traceback stored, broker queue holds "
        f"{left_in_queue} messages; requeued from stored name/args -> '{value}'"
    )
