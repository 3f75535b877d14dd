"""Inspection: a Huey instance can count and list what is queued (pending_count(), pending()) and
scheduled (scheduled_count(), scheduled()), and peek at stored results (result_count(), all_results());
failed tasks show up only as Error values among the results. There is no API for tasks that are running
right now (huey.contrib.stats records that, with peewee and a database).

Proves: inspection. A consumer moves a task due in an hour into the schedule; with the consumer stopped,
three queued tasks, the scheduled one and two stored results (one failed) are counted and listed.
"""

from __future__ import annotations

import os

from huey import RedisHuey
from huey.utils import Error

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-inspect", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
@huey.task()
def resize(image: str) -> str:
    return image


def snapshot() -> dict:
    return {
        "pending": huey.pending_count(),
        "pending_args": [t.args for t in huey.pending()],  # Task objects, next to run first
        "scheduled": huey.scheduled_count(),
        "scheduled_eta": [t.eta for t in huey.scheduled()],
        "results": huey.result_count(),
        "failed": [k for k, v in huey.all_results().items() if isinstance(huey.serializer.deserialize(v), Error)],
    }


# --8<-- [end:example]


if __name__ == "__main__":
    import time

    import inspection as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        # schedule() enqueues first; a consumer's worker then parks the not-yet-due task in the schedule.
        app.resize.schedule(("later.png",), delay=3600)
        with start_worker("inspection"):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and huey.scheduled_count() < 1:
                time.sleep(0.1)
        for name in ("a.png", "b.png", "c.png"):  # no consumer now: these stay queued
            app.resize(name)
        huey.put_result("done-task", "ok")  # stand-ins for what a consumer would store
        huey.put_result(
            "failed-task", Error({"error": "boom", "retries": 0, "traceback": "", "task_id": "failed-task"})
        )
        snap = app.snapshot()  # the registry that knows "inspection.resize"
        assert snap["pending"] == 3 and snap["pending_args"] == [("a.png",), ("b.png",), ("c.png",)], snap
        assert snap["scheduled"] == 1 and len(snap["scheduled_eta"]) == 1, snap
        assert snap["results"] == 2 and snap["failed"] == ["failed-task"], snap
        assert not hasattr(huey, "running"), "no running-task API"
        print(
            f"OBSERVED: pending {snap['pending']} {snap['pending_args']}, scheduled {snap['scheduled']}, "
            f"results {snap['results']} (failed: {snap['failed']}); no API for running tasks"
        )
    finally:
        purge(huey)
