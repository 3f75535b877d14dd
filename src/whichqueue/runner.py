"""Run one snippet as a subprocess in its own process group, with a hard timeout, and classify the outcome.

pass: exit 0. fail: the snippet's own assertion failed. error: anything else (could not run, timed out).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .results import SnippetResult

TAIL_LINES = 40
MAX_LINE = 400
_ASSERTION = re.compile(r"^AssertionError(?::\s*(?P<msg>.*))?$")
_OBSERVED = re.compile(r"^OBSERVED:\s*(?P<text>.+)$")


@dataclass(frozen=True)
class Job:
    """One snippet on one broker."""

    snippet_id: str
    file: Path
    python: Path
    broker: str
    env: dict[str, str]  # BROKER_URL, REDIS_URL, WQ_NAMESPACE...
    namespace: str
    timeout: float


@dataclass
class Running:
    """A started job, so an interrupted run can kill it."""

    job: Job
    proc: subprocess.Popen[bytes]
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    observed: str | None = None
    assertion: str | None = None


def start(job: Job) -> Running:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"))}
    env.update(job.env, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", WQ_NAMESPACE=job.namespace)
    proc = subprocess.Popen(
        [str(job.python), job.file.name],
        cwd=job.file.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a timeout kills the workers it started too
    )
    return Running(job, proc)


def _drain(running: Running) -> None:
    """Read output continuously (a chatty snippet must never block on a full pipe), keep only the tail."""
    assert running.proc.stdout is not None
    for raw in running.proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip()
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE] + " …"
        running.lines.append(line)
        if m := _OBSERVED.match(line):
            running.observed = m["text"]
        elif m := _ASSERTION.match(line):
            running.assertion = m["msg"] or "assertion failed"


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the snippet's whole process group (its workers included)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def sweep(namespace: str) -> list[int]:
    """Kill any process still carrying this job's namespace, even one that left the process group."""
    marker = f"WQ_NAMESPACE={namespace}\0".encode()
    killed = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
        except OSError:
            continue
    return killed


def run(job: Job, registry: dict[str, Running] | None = None) -> SnippetResult:
    """Run a job to completion (or its timeout) and return its result. Never leaves processes behind."""
    started = time.monotonic()
    running = start(job)
    if registry is not None:
        registry[job.namespace] = running
    reader = threading.Thread(target=_drain, args=(running,), daemon=True)
    reader.start()
    timed_out = False
    try:
        running.proc.wait(timeout=job.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        kill_group(running.proc)
        running.proc.wait()
        sweep(job.namespace)
        reader.join(timeout=5)
        if registry is not None:
            registry.pop(job.namespace, None)
    duration = round(time.monotonic() - started, 2)
    return classify(job, running, duration, timed_out)


def classify(job: Job, running: Running, duration: float, timed_out: bool) -> SnippetResult:
    tail = "\n".join(running.lines)
    code = running.proc.returncode
    if timed_out:
        status, message = "error", f"timed out after {job.timeout:g} s (killed with its workers)"
    elif code == 0:
        status, message = "pass", ""
    elif running.assertion is not None:
        status, message = "fail", running.assertion
    else:
        last = next((line for line in reversed(running.lines) if line.strip()), "")
        status, message = "error", f"exit code {code}: {last}" if last else f"exit code {code}"
    return SnippetResult(
        snippet=job.snippet_id,
        status=status,
        message=message,
        duration_s=duration,
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        observed=running.observed if status == "pass" else None,
        log_tail=tail if status != "pass" else "",
    )
