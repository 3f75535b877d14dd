"""Serializer: arq stores each job as one Redis string (`arq:job:<id>`) made with `pickle.dumps` by default, and
the result (`arq:result:<id>`) the same way. Pickle means anyone who can write to that Redis can make the
worker run code. `job_serializer` / `job_deserializer` (on both the pool and the worker) switch the format,
e.g. to JSON or msgpack.

Proves: serializer. Reads the raw bytes of a queued job with default settings (a pickle stream, 0x80 protocol
marker) and with a JSON serializer on both sides, then lets both workers run them.
poll_delay is lowered from 0.5 s to 0.05 s to keep the demo fast.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle

from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job

NS = os.environ.get("WQ_NAMESPACE", "demo")
REDIS = RedisSettings.from_dsn(os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))


# --8<-- [start:example]
async def greet(ctx: dict, name: str) -> str:
    return f"hello {name}"


def to_json(data: dict) -> bytes:
    return json.dumps(data).encode()


class WorkerSettings:  # default: pickle
    functions = [greet]
    queue_name = f"arq:{NS}:pickle"
    redis_settings = REDIS
    poll_delay = 0.05  # default 0.5 s; lowered for a fast demo


class JsonWorkerSettings:  # the worker must use the same (de)serializer as the client
    functions = [greet]
    queue_name = f"arq:{NS}:json"
    redis_settings = REDIS
    poll_delay = 0.05
    job_serializer = to_json
    job_deserializer = json.loads


async def main() -> dict:
    default = await create_pool(REDIS, default_queue_name=WorkerSettings.queue_name)
    as_json = await create_pool(
        REDIS, default_queue_name=JsonWorkerSettings.queue_name, job_serializer=to_json, job_deserializer=json.loads
    )
    await default.enqueue_job("greet", "Ada", _job_id=f"{NS}-pickled")
    await as_json.enqueue_job("greet", "Grace", _job_id=f"{NS}-json")
    raw_pickle = await default.get(f"arq:job:{NS}-pickled")  # the stored job, as bytes
    raw_json = await default.get(f"arq:job:{NS}-json")
    # --8<-- [end:example]
    with start_worker("serializer.WorkerSettings"), start_worker("serializer.JsonWorkerSettings"):
        r1 = await Job(f"{NS}-pickled", default, WorkerSettings.queue_name).result(timeout=10, poll_delay=0.05)
        r2 = await Job(f"{NS}-json", as_json, JsonWorkerSettings.queue_name, json.loads).result(
            timeout=10, poll_delay=0.05
        )
    raw_result = await default.get(f"arq:result:{NS}-json")
    await default.aclose()
    await as_json.aclose()
    return dict(raw_pickle=raw_pickle, raw_json=raw_json, r1=r1, r2=r2, raw_result=raw_result)


if __name__ == "__main__":
    from _worker import purge, start_worker

    try:
        r = asyncio.run(main())
        raw = r["raw_pickle"]
        assert raw[:1] == b"\x80", f"expected a pickle stream (0x80 PROTO opcode), got {raw[:20]!r}"
        decoded = pickle.loads(raw)
        assert decoded["f"] == "greet" and tuple(decoded["a"]) == ("Ada",), decoded
        assert r["raw_json"].startswith(b'{"t": null, "f": "greet", "a": ["Grace"]'), r["raw_json"][:60]
        assert json.loads(r["raw_result"])["r"] == "hello Grace", r["raw_result"][:80]
        assert r["r1"] == "hello Ada" and r["r2"] == "hello Grace", r
        print(
            f"OBSERVED: default job bytes start {raw[:2]!r} (pickle protocol {raw[1]}), keys {sorted(decoded)}; "
            f"with job_serializer JSON: {r['raw_json'][:42].decode()}...; both ran"
        )
    finally:
        purge()
