"""Failed-job handling: Huey has no failed-task queue. When a task has failed for good its message is
dropped; what remains is an Error record in the result store (error repr, traceback, retries, task id),
which `result.get()` raises as TaskException, and which a normal read deletes (RedisHuey results are
read-once). Requeueing is manual: `result.reschedule()` enqueues the same call again from the caller's
Result handle (or re-enqueue from an on_error / SIGNAL_ERROR handler you write).

Proves: dead_letter. A task with retries=1 fails twice; queue and schedule are empty, the Error record
is in the results hash, and reschedule() runs it again successfully.
"""

from __future__ import annotations

import os
import time

from huey import RedisHuey
from huey.exceptions import TaskException

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
# store_intermediate_errors=False: get() waits for the final outcome, not the first failed attempt.
huey = RedisHuey(
    f"{NS}-failed",
    url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"),
    clean_name=False,
    store_intermediate_errors=False,
)
ATTEMPTS = f"{huey.name}:attempts"


# --8<-- [start:example]
@huey.task(retries=1)
def charge(order: int) -> str:
    attempt = huey.storage.conn.incr(ATTEMPTS)
    if attempt <= 2:  # the first call and its retry fail
        raise ConnectionError("payment gateway down")
    return f"order {order} charged on attempt {attempt}"


def fail_then_requeue() -> tuple[dict, str]:
    result = charge(7)
    try:
        result.get(blocking=True, timeout=10)
    except TaskException as exc:
        error = exc.metadata  # {'error': ..., 'traceback': ..., 'retries': 0, 'task_id': ...}
    again = result.reschedule()  # manual requeue: same function and arguments, new task id
    return error, again.get(blocking=True, timeout=10)


# --8<-- [end:example]


if __name__ == "__main__":
    import dead_letter as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        with start_worker("dead_letter"):
            first = app.charge(1)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not huey.storage.conn.hexists(huey.storage.result_key, first.id):
                time.sleep(0.05)
            time.sleep(0.3)
            stored = huey.all_results()  # peek at the result store without consuming
            pending, scheduled = huey.pending_count(), huey.scheduled_count()
            try:
                first.get()
                raise AssertionError("expected TaskException")
            except TaskException as exc:
                record = exc.metadata
            huey.storage.conn.set(ATTEMPTS, 0)
            error, value = app.fail_then_requeue()

        assert first.id in stored and pending == 0 and scheduled == 0, (list(stored), pending, scheduled)
        assert "ConnectionError" in record["error"] and record["retries"] == 0, record
        assert "Traceback" in record["traceback"], record["traceback"][:80]
        assert not huey.storage.conn.hexists(huey.storage.result_key, first.id), "the error record is read-once"
        assert "ConnectionError" in error["error"] and value == "order 7 charged on attempt 3", (error, value)
        print(
            f"OBSERVED: retries=1 -> 2 failed attempts, message dropped (queue {pending}, schedule {scheduled}); "
            f"Error record in results hash ({record['error']}), deleted on read; reschedule() -> {value!r}"
        )
    finally:
        purge(huey)
