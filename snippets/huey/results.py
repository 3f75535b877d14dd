"""Results: the consumer stores a task's return value and `result.get(blocking=True, timeout=...)` waits
for it. With RedisHuey (the default class) results live in one Redis hash with NO expiry, and a normal
read DELETES the result (read-once): a second read returns None unless you pass `preserve=True`.
RedisExpireHuey stores each result as its own key with a TTL (expire_time, 86400 s by default) and
never deletes on read.

Proves: result_backend, result_expiry, brokers (Redis storage).
"""

from __future__ import annotations

import os

from huey import RedisExpireHuey, RedisHuey

NS = os.environ.get("WQ_NAMESPACE", "demo")
URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-results", url=URL, clean_name=False)
expiring = RedisExpireHuey(f"{NS}-results-exp", url=URL, clean_name=False)  # expire_time=86400 default


# --8<-- [start:example]
@huey.task()
def add(a: int, b: int) -> int:
    return a + b


@expiring.task()
def multiply(a: int, b: int) -> int:
    return a * b


# --8<-- [end:example]


if __name__ == "__main__":
    from _worker import purge, start_worker

    import results as app  # the consumer imports tasks by module name; use the same objects

    conn = huey.storage.conn
    try:
        with start_worker("results.huey"), start_worker("results.expiring"):
            # --8<-- [start:get]
            res = app.add(2, 3)
            value = res.get(blocking=True, timeout=10)  # blocks until the consumer stored it
            # --8<-- [end:get]
            kept = app.add(4, 5)
            kept_value = kept.get(blocking=True, timeout=10, preserve=True)  # read without deleting
            exp = app.multiply(6, 7)
            exp_value = exp.get(blocking=True, timeout=10)

        assert value == 5 and kept_value == 9 and exp_value == 42, (value, kept_value, exp_value)
        store = huey.storage.result_key  # "huey.results.<name>": one hash for all results
        assert conn.type(store) == b"hash", conn.type(store)
        assert conn.ttl(store) == -1, f"default store should never expire, TTL {conn.ttl(store)}"
        assert not conn.hexists(store, res.id), "a normal read should have deleted the result"
        res.reset()  # drop the value cached on the handle, ask Redis again
        assert res.get() is None, "second read of a consumed result should be None"
        assert conn.hexists(store, kept.id) and huey.result(kept.id) == 9, "preserve=True keeps it"
        assert not conn.hexists(store, kept.id), "...until a normal read pops it"

        key = expiring.storage.result_key(exp.id)  # "huey.r.<name>.<task id>": a plain key with a TTL
        ttl = conn.ttl(key)
        assert 86000 <= ttl <= 86400, f"RedisExpireHuey TTL {ttl}, expected ~86400 s"
        exp.reset()
        assert exp.get() == 42 and conn.exists(key), "RedisExpireHuey reads do not delete"
        print(
            f"OBSERVED: add(2, 3) -> {value} via get(blocking=True); RedisHuey hash TTL -1 (never expires), "
            f"read-once (2nd read None; preserve=True keeps it); RedisExpireHuey key TTL {ttl} s, kept after read"
        )
    finally:
        purge(huey), purge(expiring)
