"""Start and stop a real Procrastinate worker (``python -m procrastinate worker``) for a snippet.

Copy this file next to a snippet. ``start_worker("retries.app", queues=[...])`` runs
``sys.executable -m procrastinate --app=retries.app --log-level=info worker --queues=...`` in this
folder with the current environment, waits until the worker logs "Starting worker on ...", echoes
its log to stderr prefixed "[worker] ", and on exit stops it (SIGTERM, then SIGKILL after a grace
period) so nothing is left behind. ``kill()`` simulates a crash (SIGKILL, children included).
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

READY_TEXT = "Starting worker on"  # logged at INFO once the worker is registered and polling
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
    """A running ``procrastinate worker`` process (one process: an asyncio loop plus a thread pool)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            sys.stderr.write("[worker] " + line)
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for_log(self, text: str, timeout: float) -> str:
        """Block until a log line containing ``text`` appears; return that line."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if text in line:
                        return line
                left = deadline - time.monotonic()
                if self.proc.poll() is not None or left <= 0:
                    tail = "".join(self.lines[-20:])
                    raise RuntimeError(f"no {text!r} in the worker log (exit code {self.proc.poll()}):\n{tail}")
                self._cond.wait(min(left, 0.2))

    def pids(self) -> list[int]:
        """The worker's process id followed by every descendant's id."""
        return [self.proc.pid, *_descendants(self.proc.pid)]

    def kill(self) -> None:
        """SIGKILL the worker and all its children at once (simulates a crash)."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)

    def terminate(self) -> None:
        """Send SIGTERM: Procrastinate's graceful stop (running jobs are awaited)."""
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
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reader.join(timeout=2)


@contextmanager
def start_worker(
    app: str,
    *,
    queues: Sequence[str],
    concurrency: int = 1,
    polling_interval: float | None = 0.2,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    ready_timeout: float = 20.0,
    grace: float = 5.0,
) -> Iterator[WorkerProcess]:
    """Run ``python -m procrastinate --app=<app> worker`` on ``queues`` until the ``with`` block ends.

    ``app`` is the dotted path of the ``procrastinate.App`` (e.g. ``"retries.app"``).
    ``polling_interval`` sets ``--fetch-job-polling-interval`` (seconds; Procrastinate's default is
    5.0, which matters only for jobs that become due later: new jobs wake the worker via
    LISTEN/NOTIFY). Pass ``None`` to keep the default.
    """
    cmd = [
        sys.executable,
        "-m",
        "procrastinate",
        f"--app={app}",
        "--log-level=info",
        "worker",
        f"--queues={','.join(queues)}",
        f"--concurrency={concurrency}",
    ]
    if polling_interval is not None:
        cmd.append(f"--fetch-job-polling-interval={polling_interval}")
    cmd += list(extra_args)
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
        worker.wait_for_log(READY_TEXT, ready_timeout)
        yield worker
    finally:
        worker.stop(grace)
