"""Library-agnostic half of every benchmark driver: the protocol, the task counter, the workloads, RSS.

A driver (`benchmarks/<queue>.py`) defines two tasks that call `record(tag)` and an adapter object with
`send_noop`, `send_sleep`, `worker`, `describe` (and optionally `recover`); `main(adapter)` does the rest.

Protocol (documented in src/whichqueue/bench/__init__.py): the request is one JSON object on stdin, the
answer one line `WQBENCH {json}` on stdout. Environment: BROKER_URL, REDIS_URL, WQ_NAMESPACE.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

PROTOCOL = 2
NS = os.environ.get("WQ_NAMESPACE", "wqbench-local")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PHASES = ("w", "e", "l", "i", "r")  # warm-up, enqueue/drain, latency, I/O, reliability
STARTED_KEY = f"{NS}:bench:started"
ENQUEUE_BATCH = 100  # the enqueue is timed per batch of this many sends; the rate is the median batch's
ROOT = Path(__file__).resolve().parents[1]

_client: Any = None
_client_pid = 0


def _redis() -> Any:
    """One Redis client per process: forked pool children must not share their parent's socket."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        import redis

        _client, _client_pid = redis.Redis.from_url(REDIS_URL), os.getpid()
    return _client


def done_key(phase: str) -> str:
    # One list per phase: waiting for a phase is then one LLEN, not a read of every entry so far, which
    # would cost the machine (and so the workers being measured) more as the lists grow.
    return f"{NS}:bench:done:{phase}"


def counter_entry(tag: str) -> tuple[str, str]:
    """(list key, entry) that records one execution of the task `tag` ("<phase>:<index>") finishing now."""
    return done_key(tag.split(":", 1)[0]), f"{tag}|{time.time():.6f}"


def start_entry(tag: str) -> tuple[str, str] | None:
    """(list key, entry) marking that the reliability task `tag` has started; None for the other phases.

    The crash experiment kills the worker while tasks are running, which it can only know from these marks.
    The timed phases skip them: one more Redis round trip per task would be part of their figures.
    """
    return (STARTED_KEY, tag) if tag.startswith("r:") else None


def started(tag: str) -> None:
    """Called by every sleeping benchmark task before it sleeps (see `start_entry`)."""
    if entry := start_entry(tag):
        _redis().rpush(*entry)


def record(tag: str) -> None:
    """Called by every benchmark task when it finishes: one list entry per execution (duplicates show)."""
    _redis().rpush(*counter_entry(tag))


def load_worker_module(queue: str) -> Any:
    """snippets/<queue>/_worker.py, the verifier's own start/stop helper, imported by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_wq_worker_{queue}", ROOT / "snippets" / queue / "_worker.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Worker(Protocol):
    pid: int

    def kill(self) -> None: ...


class Adapter(Protocol):
    version: str

    def send_noop(self, tag: str) -> None: ...

    def send_sleep(self, tag: str, ms: float) -> None: ...

    def worker(self) -> contextlib.AbstractContextManager[Worker]: ...

    def describe(self) -> dict[str, Any]: ...


# --- observation -------------------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                kids = [int(c) for c in (task / "children").read_text().split()]
                found += kids
                todo += kids
    return found


def _kb(path: Path, field: str) -> int:
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    return 0


class MemorySampler:
    """Peak RSS and PSS (kB) summed over a worker's process tree, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss_kb = self.peak_pss_kb = self.max_processes = 0
        self._stop, self._paused = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """No sampling inside: one sample of a five-process tree costs about 3 ms of CPU (measured), which
        the latency phase would count as the library's."""
        self._paused.set()
        try:
            yield
        finally:
            self._paused.clear()

    def sample(self) -> None:
        pids = [self.pid, *descendants(self.pid)]
        rss = sum(_kb(Path(f"/proc/{p}/status"), "VmRSS:") for p in pids)
        pss = sum(_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids)
        self.peak_rss_kb, self.peak_pss_kb = max(self.peak_rss_kb, rss), max(self.peak_pss_kb, pss)
        self.max_processes = max(self.max_processes, len(pids))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if not self._paused.is_set():
                self.sample()

    def __enter__(self) -> MemorySampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def entries() -> list[tuple[str, int, float]]:
    """(phase, index, finished_at) of every task execution recorded so far."""
    out = []
    for phase in PHASES:
        for raw in _redis().lrange(done_key(phase), 0, -1):
            tag, ts = raw.decode().rsplit("|", 1)
            _, index = tag.split(":")
            out.append((phase, int(index), float(ts)))
    return out


def count(phase: str) -> int:
    return int(_redis().llen(done_key(phase)))


def wait_for(phase: str, expected: int, timeout: float, settle: float = 0.0) -> None:
    """Until `expected` executions of `phase` are recorded, `timeout` passes, or nothing moves for `settle` s."""
    deadline, last, last_change = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        done = count(phase)
        if done >= expected:
            return
        if done != last:
            last, last_change = done, time.monotonic()
        elif settle and time.monotonic() - last_change > settle:
            return
        time.sleep(0.02)


def tally(found: list[tuple[str, int, float]], phase: str, expected: int) -> dict[str, int]:
    """Expected, unique completed, executions, lost and duplicated tasks of one phase."""
    runs = Counter(i for p, i, _ in found if p == phase)
    unique = sum(1 for i in runs if 0 <= i < expected)
    return {
        "expected": expected,
        "unique": unique,
        "executions": sum(runs.values()),
        "lost": expected - unique,
        "duplicated": sum(1 for n in runs.values() if n > 1),
    }


# --- workloads ---------------------------------------------------------------------------------------


def steady_window(finished: list[float], trim: float = 0.1) -> tuple[int, float]:
    """(tasks, seconds) between the completions at `trim` and `1 - trim` of the run, in completion order.

    The worker's ramp-up (forking, prefetching, the first connection) and the last stragglers are left
    out, so the rate is the steady one and one slow start does not swing it.
    """
    ordered = sorted(finished)
    if len(ordered) < 2:
        return 0, 0.0
    first, last = int(trim * (len(ordered) - 1)), round((1 - trim) * (len(ordered) - 1))
    return last - first, ordered[last] - ordered[first]


def throughput(adapter: Adapter, req: dict[str, Any]) -> dict[str, Any]:
    """Enqueue rate, drain rate, latency under a fixed arrival rate, I/O-bound rate, peak memory."""
    n, warm = int(req["n"]), int(req["warmup"])
    timeout = float(req.get("phase_timeout", 60))
    marks = {"begin": time.monotonic()}
    for i in range(warm):  # producer warm-up: connections, declarations, code paths (not timed)
        adapter.send_noop(f"w:{i}")
    batches: list[float] = []
    for start in range(0, n, ENQUEUE_BATCH):
        started = time.perf_counter()
        for i in range(start, min(n, start + ENQUEUE_BATCH)):
            adapter.send_noop(f"e:{i}")
        batches.append(time.perf_counter() - started)

    marks["enqueued"] = time.monotonic()
    with adapter.worker() as worker, MemorySampler(worker.pid) as memory:
        marks["worker_ready"] = time.monotonic()
        wait_for("e", n, timeout)
        marks["drained"] = time.monotonic()
        drain_tasks, drain_s = steady_window([ts for p, _, ts in entries() if p in "we"])

        ln, rate = int(req["latency_n"]), float(req["latency_rate"])
        sent: dict[int, float] = {}
        with memory.paused():
            t0 = time.perf_counter()
            for i in range(ln):  # a fixed arrival schedule, well below saturation
                delay = t0 + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                sent[i] = time.time()
                adapter.send_noop(f"l:{i}")
            wait_for("l", ln, timeout)
        marks["latency_done"] = time.monotonic()

        io_n, sleep_ms = int(req["io_n"]), float(req["io_sleep_ms"])
        io_started = time.time()
        for i in range(io_n):
            adapter.send_sleep(f"i:{i}", sleep_ms)
        wait_for("i", io_n, timeout)
        time.sleep(0.2)  # a late duplicate would land now
        memory.sample()
        marks["io_done"] = time.monotonic()
        worker.kill()
    marks["worker_stopped"] = time.monotonic()
    found = entries()
    done_l = {i: ts for p, i, ts in found if p == "l"}
    latencies = [round((done_l[i] - sent[i]) * 1000, 3) for i in sorted(done_l) if i in sent]
    io_done = [ts for p, _, ts in found if p == "i"]
    io_s = (max(io_done) - io_started) if io_done else 0.0
    return {
        "timings": {
            "enqueue_batch": ENQUEUE_BATCH,
            "enqueue_batches_s": [round(x, 6) for x in batches],
            "drain_tasks": drain_tasks,
            "drain_s": drain_s,
            "io_s": io_s,
        },
        "latencies_ms": latencies,
        "memory": {"peak_rss_kb": memory.peak_rss_kb, "peak_pss_kb": memory.peak_pss_kb},
        "processes": memory.max_processes,
        "phase_s": {k: round(v - marks["begin"], 2) for k, v in marks.items() if k != "begin"},
        "counts": {
            "warmup": tally(found, "w", warm),
            "drain": tally(found, "e", n),
            "latency": tally(found, "l", ln),
            "io": tally(found, "i", io_n),
        },
    }


def reliability(adapter: Adapter, req: dict[str, Any]) -> dict[str, Any]:
    """kill -9 the worker tree half a task after `kill_at` of the tasks are done; a fresh worker takes over."""
    n, sleep_ms = int(req["reliability_n"]), float(req["reliability_sleep_ms"])
    settle, timeout = float(req["settle_s"]), float(req.get("phase_timeout", 60))
    for i in range(n):
        adapter.send_sleep(f"r:{i}", sleep_ms)
    with adapter.worker() as worker:
        deadline = time.monotonic() + timeout
        while count("r") < n * float(req["kill_at"]) and time.monotonic() < deadline:
            time.sleep(0.005)
        # Then wait until a task is running: a worker that takes tasks in batches (arq polls every 0.5 s by
        # default) sits idle between them, and a kill then would cost nothing.
        while _redis().llen(STARTED_KEY) <= count("r") and time.monotonic() < deadline:
            time.sleep(0.001)
        worker.kill()
        killed_at = count("r")
    recover: Callable[[], None] | None = getattr(adapter, "recover", None)
    with adapter.worker():
        if recover:
            recover()
        wait_for("r", n, timeout, settle=settle)
        time.sleep(0.5)
    return {"counts": {"reliability": tally(entries(), "r", n)}, "killed_at": killed_at}


def main(adapter_factory: Callable[[dict[str, Any]], Adapter]) -> None:
    """Read the request, run the workload, print the one answer line; tidy the counter key."""
    req = json.loads(sys.stdin.read() or "{}")
    adapter = adapter_factory(req)
    answer: dict[str, Any] = {"protocol": PROTOCOL, "version": adapter.version, "settings": adapter.describe()}
    try:
        answer |= (reliability if req.get("workload") == "reliability" else throughput)(adapter, req)
    finally:
        _redis().delete(STARTED_KEY, *(done_key(phase) for phase in PHASES))
    print("WQBENCH " + json.dumps(answer), flush=True)
