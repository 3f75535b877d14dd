"""Verification results on disk: one JSON file per environment (queue version x broker version x Python)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("pass", "fail", "error")


@dataclass(frozen=True)
class SnippetResult:
    """The outcome of one snippet run on one broker."""

    snippet: str
    status: str  # pass | fail | error
    message: str
    duration_s: float
    finished: str  # ISO 8601, UTC
    observed: str | None = None
    log_tail: str = ""


@dataclass(frozen=True)
class RunEnv:
    """Where a set of results was produced."""

    queue: str
    version: str
    broker: str
    broker_version: str
    python: str
    os: str

    @property
    def filename(self) -> str:
        broker = self.broker if self.broker == "none" else f"{self.broker}-{short_version(self.broker_version)}"
        return f"{self.queue}-{self.version}__{broker}__py{short_version(self.python)}.json"


@dataclass(frozen=True)
class ResultFile:
    env: RunEnv
    results: dict[str, SnippetResult] = field(default_factory=dict)

    def to_json(self) -> str:
        body = {
            "format": 1,
            "env": asdict(self.env),
            "results": {k: asdict(v) for k, v in sorted(self.results.items())},
        }
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def short_version(version: str) -> str:
    """'7.0.15' -> '7.0': files group runs by minor release."""
    return ".".join(version.split(".")[:2])


def parse(text: str) -> ResultFile:
    raw: dict[str, Any] = json.loads(text)
    env = RunEnv(**raw["env"])
    return ResultFile(env, {k: SnippetResult(**v) for k, v in raw["results"].items()})


def read_all(results_dir: Path) -> list[ResultFile]:
    """Every results file; a corrupt one raises, naming the file, rather than hiding evidence."""
    files = []
    for path in sorted(results_dir.glob("*__*.json")):
        try:
            files.append(parse(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: unreadable results file: {exc!r}") from exc
    return files


def merge(old: ResultFile | None, env: RunEnv, new: dict[str, SnippetResult]) -> ResultFile:
    """Results of a partial run replace only the snippets that ran; the others keep their evidence."""
    kept = dict(old.results) if old and old.env == env else {}
    kept.update(new)
    return ResultFile(env, kept)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a results file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class RunSummary:
    """Timing of the latest full verification run (read by `whichqueue stats`)."""

    finished: str
    wall_s: float
    sum_s: float
    runs: int
    passed: int
    failed: int
    errors: int


def read_summary(results_dir: Path) -> RunSummary | None:
    path = results_dir / "last-run.json"
    if not path.is_file():
        return None
    return RunSummary(**json.loads(path.read_text(encoding="utf-8")))


def summary_json(summary: RunSummary) -> str:
    return json.dumps(asdict(summary), indent=1, sort_keys=True) + "\n"
