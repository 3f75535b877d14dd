"""Rate limiting: `huey.rate_limit(name, limit, per)` (new in 3.0) is a fixed-window counter in the
storage: at most `limit` runs per `per`-second window, shared by every worker. A task over the limit
raises RateLimitExceeded and (retry=True, the default) is rescheduled for the start of the next window,
without using up its retries.

Proves: rate_limiting. Five calls with limit=2 per 2 s on one worker: never more than 2 runs in one
window (as recorded by the limiter itself), and all five run, spread over three windows.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from huey import RedisHuey

NS = os.environ.get("WQ_NAMESPACE", "demo")
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-rate", url=os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"), clean_name=False)
RUNS = f"{huey.name}:runs"


# --8<-- [start:example]
partner_api = huey.rate_limit("partner-api", limit=2, per=2)  # at most 2 calls per 2-second window


@huey.task()
@partner_api
def call_partner(i: int) -> None:
    window = huey.get(partner_api._window_key, peek=True)  # the window the limiter just counted in
    huey.storage.conn.rpush(RUNS, f"{time.time()} {window}")


# --8<-- [end:example]


if __name__ == "__main__":
    import rate_limit as app  # the consumer imports tasks by module name; use the same objects
    from _worker import purge, start_worker

    try:
        with start_worker("rate_limit"):
            for i in range(5):
                app.call_partner(i)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and huey.storage.conn.llen(RUNS) < 5:
                time.sleep(0.1)
            time.sleep(0.5)

        entries = [x.decode().split() for x in huey.storage.conn.lrange(RUNS, 0, -1)]
        runs = [float(t) for t, _ in entries]
        per_window = Counter(int(w) for _, w in entries)  # Huey's windows: int(now) // per
        assert len(runs) == 5, f"all 5 calls should run eventually, got {len(runs)}"
        assert max(per_window.values()) <= 2, f"more than 2 runs in a window: {dict(per_window)}"
        assert len(per_window) >= 3, f"5 runs at 2 per window need 3 windows: {dict(per_window)}"
        spread = max(runs) - min(runs)
        print(
            f"OBSERVED: 5 calls, limit=2 per 2 s: runs per window {sorted(per_window.values(), reverse=True)}, "
            f"spread over {spread:.2f} s; over-limit calls rescheduled to the next window"
        )
    finally:
        purge(huey)
