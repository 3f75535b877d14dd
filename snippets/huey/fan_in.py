"""Fan-out / fan-in: `group([...])` enqueues tasks in parallel; `group([...]).then(callback)` makes a
`chord` (new in 3.0): when every member has finished, the callback runs once with the list of their
results, in member order. `task.map(iterable)` is the quick fan-out without a join.

Proves: fan_in. Four squares run on two workers, the chord callback sums them; map() returns all results.
"""

from __future__ import annotations

import os

from huey import RedisHuey, group

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-chord", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)


# --8<-- [start:example]
@huey.task()
def square(n: int) -> int:
    return n * n


@huey.task()
def total(values: list[int]) -> tuple[list[int], int]:
    return values, sum(values)


def run():
    chord = group([square.s(n) for n in range(1, 5)]).then(total)
    return huey.enqueue(chord)  # ChordResult: .results (members), .get() (callback)


# --8<-- [end:example]


if __name__ == "__main__":
    import fan_in as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        with start_worker("fan_in", workers=2):
            result = app.run()
            values, joined = result.get(blocking=True, timeout=15)
            mapped = app.square.map(range(5)).get(blocking=True, timeout=15)
        assert values == [1, 4, 9, 16] and joined == 30, (values, joined)
        assert mapped == [0, 1, 4, 9, 16], mapped
        print(
            f"OBSERVED: group([square(1..4)]).then(total) -> callback got {values}, returned {joined}; "
            f"square.map(range(5)) -> {mapped}"
        )
    finally:
        purge(huey)
