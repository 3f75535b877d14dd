"""Where the project's folders are. Everything is relative to the repository root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    """The folders of one checkout (tests point this at a temporary copy)."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def snippets(self) -> Path:
        return self.root / "snippets"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def envs(self) -> Path:
        return self.root / ".envs"


def find_root(start: Path | None = None) -> Path:
    """The repository root: $WHICHQUEUE_ROOT, else the nearest parent holding data/ and mkdocs.yml."""
    if env := os.environ.get("WHICHQUEUE_ROOT"):
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "data").is_dir() and (candidate / "mkdocs.yml").is_file():
            return candidate
    raise FileNotFoundError(f"no whichqueue checkout (data/ + mkdocs.yml) at or above {here}")


def default_layout() -> Layout:
    """The layout of the checkout we are running in."""
    return Layout(find_root())
