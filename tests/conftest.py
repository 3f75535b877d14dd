"""Shared fixtures: a throwaway copy of a small data set (tests/fixtures/mini) laid out like the repo."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from whichqueue.paths import Layout

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"


def make_layout(tmp_path: Path, source: Path = MINI) -> Layout:
    """Copy a data set plus the repo's schemas, mkdocs.yml and hand-written docs into tmp_path."""
    root = tmp_path / "repo"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "scripts").mkdir(exist_ok=True)
    shutil.copy(REPO / "scripts" / "mkdocs_hook.py", root / "scripts" / "mkdocs_hook.py")
    for sub in ("about", "assets"):
        if (REPO / "docs" / sub).exists():
            shutil.copytree(REPO / "docs" / sub, root / "docs" / sub, dirs_exist_ok=True)
    return Layout(root)


@pytest.fixture
def mini(tmp_path: Path) -> Layout:
    return make_layout(tmp_path)


@pytest.fixture
def repo() -> Layout:
    return Layout(REPO)


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable
