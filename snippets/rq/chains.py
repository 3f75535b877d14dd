"""Chains: RQ has no chain primitive that passes results along. You declare the order with
`depends_on=`: job B is deferred until job A has finished, and B reads A's result itself
(`get_current_job().dependency.return_value()`).

Proves: chains. fetch -> parse -> store, declared up front with depends_on; each step uses the
previous step's result and the steps run in order; a dependent waits in the DeferredJobRegistry.
"""

from __future__ import annotations

import os

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue, get_current_job  # noqa: E402
from rq.job import JobStatus  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
queue = Queue(f"{NS}-chains", connection=redis)


# --8<-- [start:example]
def previous_result():
    return get_current_job().dependency.return_value()  # the job this one depends on


def fetch(url: str) -> str:
    return f"<html>{url}</html>"


def parse() -> int:
    return len(previous_result())


def store() -> str:
    return f"stored {previous_result()}"


def send():
    from chains import fetch, parse, store  # import by module name, as the worker will

    a = queue.enqueue(fetch, "example.org")
    b = queue.enqueue(parse, depends_on=a)  # deferred until a has finished
    c = queue.enqueue(store, depends_on=b)
    return a, b, c


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        a, b, c = send()
        assert b.get_status() == JobStatus.DEFERRED and b.id in queue.deferred_job_registry
        with start_worker("chains", queues=[queue.name]):
            result = c.latest_result(timeout=10)
        assert result is not None, "last step did not run"
        assert a.return_value() == "<html>example.org</html>" and b.return_value() == 24, b.return_value()
        assert result.return_value == "stored 24", result.return_value
        a.refresh(), b.refresh(), c.refresh()
        assert a.ended_at <= b.started_at and b.ended_at <= c.started_at, "steps overlapped"
        print(
            f"OBSERVED: fetch -> parse -> store via depends_on gave {result.return_value!r}; "
            f"parse was deferred until fetch finished"
        )
    finally:
        purge_keys(redis)
