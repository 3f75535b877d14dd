"""Start a real RQ process (`rq worker`, `rq worker-pool` or `rq cron`) for a snippet, and stop it again.

Copy this file next to a snippet. `start_worker()` runs RQ's own command line as a subprocess of the
current interpreter (`python -m rq.cli ...`, the same code as the `rq` script) in the snippet's folder
with the current environment, waits until it logs that it is ready, echoes its log to stderr prefixed
"[worker] ", and on exit stops it: SIGTERM first (RQ's warm shutdown), SIGKILL after a grace period,
so no process is left behind. `purge_keys()` deletes the Redis keys of one run.
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

READY = "*** Listening on"  # logged by every `rq worker` once it is registered and listening


class WorkerProcess:
    """A running RQ command: its log lines, readiness and kill switch."""

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
        with self._changed:  # EOF: the process closed its output (it exited)
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
        """PIDs of every process below the worker (RQ puts work horses in their own process group)."""
        out = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True).stdout
        children: dict[int, list[int]] = {}
        pairs = [tuple(map(int, line.split())) for line in out.splitlines() if line.strip()]
        for pid, ppid in pairs:
            children.setdefault(ppid, []).append(pid)
        found, todo = [], [self.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def kill(self) -> None:
        """SIGKILL the worker and all its children at once (simulates a crash, e.g. `kill -9` / OOM)."""
        victims = [self.pid, *self.descendants()]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def terminate(self) -> None:
        """Send SIGTERM to the worker's main process: RQ's warm shutdown (finish the job in hand, then exit)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, grace: float = 5.0) -> None:
        """Warm shutdown; after `grace` seconds SIGKILL whatever is still running."""
        leftovers = self.descendants() if self.proc.poll() is None else []
        self.terminate()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        for pid in leftovers:  # a horse or scheduler that outlived its parent
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def start_worker(
    module_or_app: str,
    *,
    queues: Sequence[str] = (),
    command: str = "worker",
    args: Sequence[str] = (),
    burst: bool = False,
    with_scheduler: bool = False,
    ready: str | None = READY,
    ready_count: int = 1,
    timeout: float = 20.0,
    grace: float = 5.0,
) -> Iterator[WorkerProcess]:
    """Run `rq <command>` for the snippet module `module_or_app` and yield it once it is ready.

    command: "worker" (default), "worker-pool" (pass args=["-n", "3"]) or "cron" (module_or_app is then
    the cron config module). RQ workers import task functions by name from the job, so for workers the
    module only names the process. `ready`: log text that means ready (None: don't wait).
    """
    url = os.environ.get("REDIS_URL") or os.environ.get("BROKER_URL") or "redis://127.0.0.1:6379/0"
    argv = [sys.executable, "-m", "rq.cli", command, "--url", url]
    if command == "worker":
        argv += ["--name", f"{module_or_app}-{os.getpid()}-{time.monotonic_ns() % 10**6}"]
        argv += ["--burst"] if burst else []
        argv += ["--with-scheduler"] if with_scheduler else []
    argv += list(args)
    argv += [module_or_app] if command == "cron" else list(queues)
    proc = subprocess.Popen(
        argv,
        cwd=Path(__file__).resolve().parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = WorkerProcess(proc)
    try:
        if ready:
            worker.wait_for(ready, count=ready_count, timeout=timeout)
            if with_scheduler:  # the scheduler is a forked child that starts after the worker is listening
                worker.wait_for("Scheduler for", timeout=timeout)
        yield worker
    finally:
        worker.stop(grace)


def purge_keys(connection) -> int:  # connection: redis.Redis
    """Delete every Redis key under this run's RQ_KEY_PREFIX (never the shared default prefix `rq`)."""
    prefix = os.environ.get("RQ_KEY_PREFIX", "rq")
    if prefix == "rq":
        raise RuntimeError("refusing to purge the shared 'rq:' keyspace; set RQ_KEY_PREFIX per run")
    keys = list(connection.scan_iter(match=f"{prefix}:*", count=500))
    for start in range(0, len(keys), 500):
        connection.delete(*keys[start : start + 500])
    return len(keys)
