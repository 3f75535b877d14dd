"""The same docs/ builds with Zensical, the Material team's successor to MkDocs (smoke test).

Zensical ignores MkDocs hooks, so this also proves the site does not depend on ours: the pages are plain
Markdown files rendered beforehand. Zensical gets its own virtual environment (its pins differ from
mkdocs-material's), cached under .cache/.
"""

from __future__ import annotations

import shutil
import subprocess
import venv

import pytest
from conftest import REPO

# 0.1.x needs zensical-ui releases the package index does not serve; 0.0.60 installs and builds.
ZENSICAL = "zensical==0.0.60"
ENV = REPO / ".cache" / "zensical-venv"


def zensical() -> str:
    exe = ENV / "bin" / "zensical"
    marker = ENV / ".pinned"
    if not exe.exists() or not marker.exists() or marker.read_text() != ZENSICAL:
        shutil.rmtree(ENV, ignore_errors=True)
        venv.create(ENV, with_pip=True)
        done = subprocess.run(
            [ENV / "bin" / "python", "-m", "pip", "install", "-q", ZENSICAL],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"cannot install {ZENSICAL}: {done.stderr[-1500:]}")
        marker.write_text(ZENSICAL)
    return str(exe)


def test_site_builds_with_zensical(built_site, tmp_path):
    # built_site has rendered docs/; Zensical builds a copy of the sources without our hook.
    for name in ("docs", "snippets"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    done = subprocess.run(
        [zensical(), "build", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    assert (site / "guide/matrix/index.html").is_file()
    retries = (site / "guide/features/retries/index.html").read_text(encoding="utf-8")
    assert "--8&lt;--" not in retries and "highlight" in retries  # snippet sections were included
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")
