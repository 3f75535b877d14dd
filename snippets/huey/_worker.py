"""Start a real Huey consumer (`huey_consumer module.huey`) for a snippet, and stop it again.

Copy this file next to a snippet. `start_worker("retries")` runs Huey's own consumer command as a
subprocess of the current interpreter (`python -m huey.bin.huey_consumer retries.huey -w 1 -k thread`,
the same code as the `huey_consumer` script) in the snippet's folder with the current environment,
waits until it logs that it is ready, echoes its log to stderr prefixed "[worker] ", and on exit stops
it: SIGINT first (Huey's graceful signal: finish the task in hand), SIGKILL after a grace period, so
no process is left behind. `purge()` deletes the Redis keys of one Huey instance.
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

# Logged by the consumer's main process right before it starts the scheduler and worker threads.
READY = "The following commands are available"


class WorkerProcess:
    """A running `huey_consumer`: its log lines, readiness, signals and kill switch."""

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
        with self._changed:  # EOF: the consumer closed its output (it exited)
            self._eof = True
            self._changed.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Block until `text` appeared in `count` log lines (TimeoutError, or RuntimeError if it exits)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(text in line for line in self.lines) < count:
                if self._eof:
                    raise RuntimeError(f"consumer exited ({self.proc.wait()}) before logging {text!r}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"consumer did not log {text!r} within {timeout} s")
                self._changed.wait(min(left, 0.5))

    def descendants(self) -> list[int]:
        """PIDs of every process below the consumer (the workers of `-k process`)."""
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
        """SIGKILL the consumer and all its children at once (a crash: `kill -9`, OOM killer)."""
        for pid in [self.pid, *self.descendants()]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def send(self, signum: int) -> None:
        """Send a signal to the consumer's main process (SIGINT graceful, SIGTERM immediate by default)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)

    def stop(self, grace: float = 5.0) -> None:
        """Graceful shutdown (SIGINT); after `grace` seconds SIGKILL whatever still runs."""
        leftovers = self.descendants() if self.proc.poll() is None else []
        self.send(signal.SIGINT)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        for pid in leftovers:  # a forked worker that outlived its parent
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def start_worker(
    module_or_app: str,
    *,
    queues: Sequence[str] = (),
    workers: int = 1,
    worker_type: str = "thread",
    args: Sequence[str] = (),
    ready: str | None = READY,
    timeout: float = 20.0,
    grace: float = 5.0,
) -> Iterator[WorkerProcess]:
    """Run `huey_consumer <module_or_app>` and yield it once it is ready.

    module_or_app: "retries" (means "retries.huey") or a dotted path to a Huey instance. A Huey
    instance is exactly one queue, so `queues` is accepted for a uniform signature and ignored.
    workers / worker_type: the consumer's -w and -k (thread is Huey's default, also process, greenlet).
    args: extra consumer flags, e.g. ["-g", "TERM"]. ready: log text meaning ready (None: don't wait).
    """
    del queues  # one Huey instance == one queue
    target = module_or_app if "." in module_or_app else f"{module_or_app}.huey"
    argv = [sys.executable, "-m", "huey.bin.huey_consumer", target, "-w", str(workers), "-k", worker_type, *args]
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
            worker.wait_for(ready, timeout=timeout)
            time.sleep(0.3)  # the worker threads / processes start right after this line
        yield worker
    finally:
        worker.stop(grace)


def purge(huey) -> int:  # huey: huey.RedisHuey (any Redis-backed Huey instance)
    """Delete every Redis key of this Huey instance: its queue, schedule, results, counters and locks."""
    conn = huey.storage.conn
    if len(huey.name) < 6:
        raise RuntimeError(f"refusing to purge keys of a short, possibly shared name {huey.name!r}")
    keys = list(conn.scan_iter(match=f"*{huey.name}*", count=500))
    if keys:
        conn.delete(*keys)
    return len(keys)
