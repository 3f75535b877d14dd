"""Start a real arq worker (`python -m arq module.WorkerSettings`) for a snippet, and stop it again.

Copy this file next to a snippet. `start_worker()` runs arq's own command line as a subprocess of the
current interpreter in the snippet's folder with the current environment, waits until the worker has
connected to Redis (it logs `redis_version=...` right before it starts polling), echoes its log to stderr
prefixed "[worker] ", and on exit stops it: SIGTERM first (arq cancels running jobs and leaves them in
the queue), SIGKILL after a grace period, so no process is left behind. `purge()` deletes one run's keys.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

READY = "redis_version="  # logged by Worker.main() once connected, just before the first poll


class WorkerProcess:
    """A running `arq` worker: its log lines, readiness and kill switch."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._eof = False
        threading.Thread(target=self._pump, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            sys.stderr.write(f"[worker] {line}")
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:  # EOF: the worker closed its output (it exited)
            self._eof = True
            self._changed.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Block until `text` has appeared in `count` log lines (TimeoutError, or RuntimeError if it exits)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(text in line for line in self.lines) < count:
                if self._eof:
                    raise RuntimeError(f"worker exited ({self.proc.wait()}) before logging {text!r}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"worker did not log {text!r} within {timeout} s")
                self._changed.wait(min(left, 0.5))

    def descendants(self) -> list[int]:
        """PIDs of every process below the worker (arq itself forks none; executors you add might)."""
        out = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True).stdout
        children: dict[int, list[int]] = {}
        for line in out.splitlines():
            if line.strip():
                pid, ppid = map(int, line.split())
                children.setdefault(ppid, []).append(pid)
        found, todo = [], [self.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def kill(self) -> None:
        """SIGKILL the worker and all its children at once (simulates a crash, e.g. `kill -9` / OOM)."""
        for pid in [self.pid, *self.descendants()]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def terminate(self) -> None:
        """Send SIGTERM: arq cancels the jobs in hand (they stay queued) and exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM; after `grace` seconds SIGKILL whatever is still running."""
        leftovers = self.descendants() if self.proc.poll() is None else []
        self.terminate()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        for pid in leftovers:  # e.g. a process-pool child that outlived the worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def start_worker(
    module_or_app: str,
    *,
    queues: Sequence[str] = (),
    args: Sequence[str] = (),
    ready: str | None = READY,
    timeout: float = 20.0,
    grace: float = 5.0,
) -> Iterator[WorkerProcess]:
    """Run `arq <module_or_app>` (e.g. "retries.WorkerSettings") and yield it once it is polling.

    arq has no queue option on its command line: a worker reads the one queue named by `queue_name` in
    its settings class, so `queues` is accepted only for a uniform signature. `args` are extra CLI flags
    (e.g. ["--burst"]); `ready`: log text that means ready (None: don't wait).
    """
    del queues  # the settings class names the queue
    argv = [sys.executable, "-m", "arq", module_or_app, *args]
    proc = subprocess.Popen(
        argv,
        cwd=Path(__file__).resolve().parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # arq logs to stderr
        text=True,
    )
    worker = WorkerProcess(proc)
    try:
        if ready:
            worker.wait_for(ready, timeout=timeout)
        yield worker
    finally:
        worker.stop(grace)


def purge(url: str | None = None, namespace: str | None = None) -> int:
    """Delete this run's keys: every key containing the namespace, and its ids in the shared `arq:abort` set."""
    from redis import Redis

    ns = namespace or os.environ.get("WQ_NAMESPACE", "demo")
    redis = Redis.from_url(url or os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0"))
    try:
        keys = list(redis.scan_iter(match=f"*{ns}*", count=500))
        if keys:
            redis.delete(*keys)
        ours = [m for m in redis.zrange("arq:abort", 0, -1) if ns.encode() in m]
        if ours:
            redis.zrem("arq:abort", *ours)
        return len(keys)
    finally:
        redis.close()
