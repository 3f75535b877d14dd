"""Start and stop a real Dramatiq worker (``python -m dramatiq``) for a snippet.

Copy this file next to a snippet. ``start_worker("retries", queues=[...])`` runs
``sys.executable -m dramatiq retries --processes 1 --threads 1 --queues ...`` in
this folder with the current environment, waits until every worker process logs
"Worker process is ready for action.", echoes the worker's log to stderr prefixed
"[worker] ", and on exit stops it (SIGTERM, then SIGKILL) so nothing is left behind.
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

READY_LINE = "Worker process is ready for action."
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
    """A running ``dramatiq`` CLI process (the main process plus its worker processes)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
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
                self._ready += READY_LINE in line
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_ready(self, processes: int, timeout: float) -> None:
        """Block until ``processes`` worker processes said they are ready."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._ready < processes:
                left = deadline - time.monotonic()
                if self.proc.poll() is not None or left <= 0:
                    tail = "".join(self.lines[-20:])
                    raise RuntimeError(f"dramatiq worker not ready (exit code {self.proc.poll()}):\n{tail}")
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

    def terminate(self) -> None:
        """Send SIGTERM to the main process: Dramatiq's graceful shutdown."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, grace: float = 5.0) -> None:
        """Graceful stop; SIGKILL whatever is still alive after ``grace`` seconds."""
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


@contextmanager
def start_worker(
    module: str,
    *,
    queues: Sequence[str],
    processes: int = 1,
    threads: int = 1,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    ready_timeout: float = 30.0,
    grace: float = 5.0,
) -> Iterator[WorkerProcess]:
    """Run ``python -m dramatiq <module>`` on ``queues`` until the ``with`` block ends.

    ``env`` adds variables to the current environment, e.g. ``{"dramatiq_worker_timeout": "100"}``
    (how often, in ms, idle consumers poll; Dramatiq's default is 1000).
    """
    cmd = [
        sys.executable,
        "-m",
        "dramatiq",
        module,
        "--processes",
        str(processes),
        "--threads",
        str(threads),
        "--queues",
        *queues,
        *extra_args,
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=HERE,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    worker = WorkerProcess(proc)
    try:
        worker.wait_ready(processes, ready_timeout)
        yield worker
    finally:
        worker.stop(grace)
