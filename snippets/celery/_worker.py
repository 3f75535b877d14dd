"""Start a real ``celery worker`` for a snippet, and always stop it again.

Copy this file next to a snippet. Usage::

    with start_worker("retries", queues=[QUEUE]) as worker:
        ...            # the worker is consuming QUEUE here
        worker.kill()  # optional: SIGKILL the worker and its pool children

The worker runs as ``python -m celery -A <module> worker`` in the snippet's directory with the
current environment; its log is echoed to stderr prefixed with ``[worker] ``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _descendants(pid: int) -> list[int]:
    """All child processes of ``pid``, recursively (read from /proc; Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Worker:
    """A running ``celery worker`` subprocess."""

    def __init__(self, proc: subprocess.Popen[str], nodename: str) -> None:
        self.proc = proc
        self.nodename = nodename  # e.g. "demo-1a2b3c@host": use it as control `destination`
        self.ready = threading.Event()
        self.lines: list[str] = []

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            sys.stderr.write(f"[worker] {line}")
            if " ready." in line:
                self.ready.set()

    def kill(self) -> None:
        """SIGKILL the worker's main process and every child (a crash, no clean-up)."""
        pids = [self.proc.pid, *_descendants(self.proc.pid)]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)

    def stop(self, grace: float = 8.0) -> int:
        """SIGTERM (Celery's warm shutdown), then SIGKILL whatever is left after ``grace`` s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None or _descendants(self.proc.pid):
            self.kill()
        return self.proc.returncode


@contextmanager
def start_worker(
    module: str,
    *,
    queues: Sequence[str],
    pool: str = "prefork",
    concurrency: int = 1,
    args: Sequence[str] = (),
    ready_timeout: float = 60.0,
) -> Iterator[Worker]:
    """Run ``celery -A <module> worker`` consuming ``queues`` until the block ends.

    ``module`` is the snippet's module name (its Celery app is found as ``module.app``),
    ``args`` are extra CLI flags (e.g. ``["-B"]``). Mingle and gossip are off so it starts fast.
    """
    namespace = os.environ.get("WQ_NAMESPACE", "demo")
    nodename = f"{namespace}-{uuid.uuid4().hex[:6]}@{os.uname().nodename}"
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        module,
        "worker",
        "--queues",
        ",".join(queues),
        "--pool",
        pool,
        "--concurrency",
        str(concurrency),
        "--hostname",
        nodename,
        "--without-mingle",
        "--without-gossip",
        "--loglevel",
        "INFO",
        *args,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd,
        cwd=HERE,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    worker = Worker(proc, nodename)
    threading.Thread(target=worker._pump, daemon=True).start()
    try:
        deadline = time.monotonic() + ready_timeout
        while not worker.ready.wait(0.05):
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited early with code {proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"celery worker not ready after {ready_timeout} s")
        yield worker
    finally:
        worker.stop()
