"""Start and stop a real taskiq worker (``python -m taskiq worker``) for a snippet.

Copy this file next to a snippet. ``start_worker("retries:broker")`` runs
``sys.executable -m taskiq worker retries:broker --workers 1`` in this folder with the
current environment, waits until every worker process logs "Listening started.",
echoes the worker's log to stderr prefixed "[worker] ", and on exit stops it
(SIGTERM, then SIGKILL) so nothing is left behind. ``start_scheduler`` does the same
for ``python -m taskiq scheduler``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _descendants(pid: int) -> list[int]:
    """All child processes of ``pid``, recursively (Linux /proc, else ``pgrep -P``)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        parent = stack.pop()
        children: list[int] = []
        task_dir = Path(f"/proc/{parent}/task")
        if task_dir.is_dir():
            for task in task_dir.iterdir():
                try:
                    children += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    pass
        else:  # pragma: no cover - macOS and friends
            out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout
            children = [int(c) for c in out.split()]
        found += children
        stack += children
    return found


class WorkerProcess:
    """A running taskiq CLI process (the main process plus its worker processes)."""

    def __init__(self, proc: subprocess.Popen[str], ready_line: str) -> None:
        self.proc = proc
        self.ready_line = ready_line
        self.lines: list[str] = []
        self._ready = 0
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            sys.stderr.write("[worker] " + line)
            with self._cond:
                self.lines.append(line)
                self._ready += self.ready_line in line
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_ready(self, count: int, timeout: float) -> None:
        """Block until ``count`` processes logged the ready line."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._ready < count:
                left = deadline - time.monotonic()
                if self.proc.poll() is not None or left <= 0:
                    tail = "".join(self.lines[-20:])
                    raise RuntimeError(f"taskiq not ready (exit code {self.proc.poll()}):\n{tail}")
                self._cond.wait(min(left, 0.2))

    def pids(self) -> list[int]:
        """The main process id followed by every descendant's id."""
        return [self.proc.pid, *_descendants(self.proc.pid)]

    def kill(self) -> None:
        """SIGKILL the main process and all its children at once (simulates a crash)."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)
        self._reader.join(timeout=2)

    def terminate(self) -> None:
        """SIGTERM to the main process: taskiq's graceful shutdown (it SIGINTs its workers)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, grace: float = 8.0) -> float:
        """Graceful stop; SIGKILL whatever is still alive after ``grace`` s. Returns seconds taken."""
        started = time.monotonic()
        children = _descendants(self.proc.pid) if self.proc.poll() is None else []
        self.terminate()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            children += _descendants(self.proc.pid)
            self.proc.kill()
            self.proc.wait(timeout=10)
        for pid in children:  # worker processes orphaned by a killed main process
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reader.join(timeout=2)
        return time.monotonic() - started


def _launch(cmd: list[str], env: Mapping[str, str] | None, ready_line: str) -> WorkerProcess:
    proc = subprocess.Popen(
        cmd,
        cwd=HERE,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    return WorkerProcess(proc, ready_line)


@contextmanager
def start_worker(
    broker: str,
    *,
    queues: Sequence[str] = (),
    workers: int = 1,
    max_async_tasks: int | None = None,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    ready_timeout: float = 40.0,
    grace: float = 8.0,
) -> Iterator[WorkerProcess]:
    """Run ``python -m taskiq worker <module:broker>`` until the ``with`` block ends.

    taskiq has no ``--queues`` flag: the queue is part of the broker object, so ``queues`` is
    only informative here. ``max_async_tasks`` caps concurrent tasks per process (default 100).
    """
    cmd = [sys.executable, "-m", "taskiq", "worker", broker, "--workers", str(workers), *extra_args]
    if max_async_tasks is not None:
        cmd += ["--max-async-tasks", str(max_async_tasks)]
    worker = _launch(cmd, env, "Listening started.")
    try:
        worker.wait_ready(workers, ready_timeout)
        yield worker
    finally:
        if worker.proc.poll() is None:
            worker.stop(grace)


@contextmanager
def start_scheduler(
    scheduler: str,
    *,
    update_interval: int | None = None,
    env: Mapping[str, str] | None = None,
    ready_timeout: float = 40.0,
) -> Iterator[WorkerProcess]:
    """Run ``python -m taskiq scheduler <module:scheduler>`` (a separate process) until the block ends."""
    cmd = [sys.executable, "-m", "taskiq", "scheduler", scheduler]
    if update_interval is not None:
        cmd += ["--update-interval", str(update_interval)]
    sched = _launch(cmd, env, "Startup completed.")
    try:
        sched.wait_ready(1, ready_timeout)
        yield sched
    finally:
        if sched.proc.poll() is None:
            sched.stop(5.0)
