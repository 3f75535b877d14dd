"""One virtual environment per queue library, built from its pinned requirements and reused between runs.

Libraries never share an environment: their dependency pins conflict (arq needs redis<6, Celery does not).
"""

from __future__ import annotations

import hashlib
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from . import model as m
from .paths import Layout

MARKER = ".whichqueue-requirements"
# Bump when the way environments are built changes, so existing ones are rebuilt.
ENV_FORMAT = "2: bytecode compiled at install"


class EnvError(RuntimeError):
    """The environment could not be built (no network, a bad pin...)."""


def env_dir(layout: Layout, queue: m.Queue) -> Path:
    return layout.envs / f"{queue.id}-{queue.version}"


def env_python(layout: Layout, queue: m.Queue) -> Path:
    return env_dir(layout, queue) / "bin" / "python"


def fingerprint(queue: m.Queue) -> str:
    """Changes when the requirements or the interpreter change, so a stale environment is rebuilt."""
    text = "\n".join([ENV_FORMAT, *queue.requirements, sys.version, platform.machine()])
    return hashlib.sha256(text.encode()).hexdigest()


def is_current(layout: Layout, queue: m.Queue) -> bool:
    marker = env_dir(layout, queue) / MARKER
    return env_python(layout, queue).exists() and marker.is_file() and marker.read_text() == fingerprint(queue)


def _uv() -> list[str] | None:
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("uv")
    return [found] if found else None


def ensure(layout: Layout, queue: m.Queue) -> Path:
    """Return the environment's interpreter, building the environment first if needed."""
    python = env_python(layout, queue)
    if is_current(layout, queue):
        return python
    target = env_dir(layout, queue)
    shutil.rmtree(target, ignore_errors=True)
    uv = _uv()
    if uv:
        steps = [
            [*uv, "venv", "--quiet", "--python", sys.executable, str(target)],
            # Compiled bytecode: snippets start hundreds of interpreters and workers per run, and the
            # verifier runs them with PYTHONDONTWRITEBYTECODE, so uncompiled imports would cost ~3x CPU.
            [*uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python), *queue.requirements],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(target)],
            [str(python), "-m", "pip", "install", "--quiet", *queue.requirements],
        ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            raise EnvError(f"building {target.name} failed: {' '.join(step)}\n{done.stderr.strip()[-2000:]}")
    (target / MARKER).write_text(fingerprint(queue))
    return python


def ensure_all(layout: Layout, queues: list[m.Queue], say: Callable[[str], None]) -> dict[str, Path]:
    """Interpreters of every queue's environment, saying which ones are being built (slow the first time)."""
    pythons = {}
    for queue in sorted(queues, key=lambda q: q.id):
        if not is_current(layout, queue):
            say(f"building environment {env_dir(layout, queue).name} ...")
        pythons[queue.id] = ensure(layout, queue)
    return pythons
