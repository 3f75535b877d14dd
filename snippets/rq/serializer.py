"""Serializer: RQ's default job serializer is pickle (the job payload stored in Redis is a
zlib-compressed pickle); JSON is available per queue/worker with `serializer="json"`.

Proves: serializer. We read the raw `data` field of the job hash straight from Redis for a job on a
default queue and for one on a JSON queue, decompress it and look at the bytes.
"""

from __future__ import annotations

import json
import os
import pickle
import zlib

NS = os.environ.get("WQ_NAMESPACE", "demo")
# RQ 3.0 reads its key prefix from the environment at import time: the namespace keeps runs apart.
os.environ.setdefault("RQ_KEY_PREFIX", f"rq-{NS}")

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402
from rq.serializers import DefaultSerializer, resolve_serializer  # noqa: E402

redis = Redis.from_url(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))


# --8<-- [start:example]
def greet(name: str) -> str:
    return f"hello {name}"


default_queue = Queue(f"{NS}-pickled", connection=redis)  # no serializer given: pickle
json_queue = Queue(f"{NS}-json", connection=redis, serializer="json")  # opt in to JSON
# A worker must use the same serializer as the queue: `rq worker --serializer json <queue>`
# --8<-- [end:example]


def raw_payload(job_key: str) -> bytes:
    """The job's `data` field as stored in Redis, zlib-decompressed."""
    return zlib.decompress(redis.hget(job_key, "data"))


if __name__ == "__main__":
    from _worker import purge_keys, start_worker

    try:
        from serializer import greet  # import by module name, as the worker will

        assert resolve_serializer(None) is DefaultSerializer and DefaultSerializer.loads is pickle.loads
        pickled = default_queue.enqueue(greet, "pickle")
        as_json = json_queue.enqueue(greet, "json")

        raw_default, raw_json = raw_payload(pickled.key), raw_payload(as_json.key)
        assert raw_default[:1] == b"\x80", f"default payload is not a pickle: {raw_default[:20]!r}"
        assert pickle.loads(raw_default)[0] == "serializer.greet"
        decoded = json.loads(raw_json)  # plain JSON: [func name, instance, args, kwargs]
        assert decoded == ["serializer.greet", None, ["json"], {}], decoded

        # Both round-trip through real workers, each with its queue's serializer.
        with start_worker("serializer", queues=[default_queue.name], burst=True, ready=None) as w1:
            w1.proc.wait(timeout=20)
        with start_worker(
            "serializer", queues=[json_queue.name], burst=True, ready=None, args=["--serializer", "json"]
        ) as w2:
            w2.proc.wait(timeout=20)
        assert pickled.latest_result().return_value == "hello pickle"
        assert as_json.latest_result().return_value == "hello json"
        print(
            f"OBSERVED: default payload starts {raw_default[:2]!r} (pickle protocol {raw_default[1]}); "
            f"serializer='json' payload is {raw_json.decode()}"
        )
    finally:
        purge_keys(redis)
