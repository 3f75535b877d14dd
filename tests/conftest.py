"""Shared fixtures: a throwaway copy of a small data set (tests/fixtures/mini) laid out like the repo."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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
    (root / "results").mkdir(exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "scripts").mkdir(exist_ok=True)
    shutil.copy(REPO / "scripts" / "mkdocs_hook.py", root / "scripts" / "mkdocs_hook.py")
    for sub in ("method", "assets"):
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


def build(root: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`mkdocs build --strict` of a checkout into `out`; returns the process and its duration."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        check=False,
    )
    return done, time.monotonic() - started


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, rendered from data/ + results/ and built strictly (zero warnings)."""
    from whichqueue import render
    from whichqueue.site import pages

    layout = Layout(REPO)
    render.write(pages(layout), layout.docs)
    out = tmp_path_factory.mktemp("site")
    done, _ = build(REPO, out)
    assert done.returncode == 0, done.stderr[-4000:]
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert warnings == [], warnings
    return out


# --- browser fixtures: the built site served locally, Chromium driven by Playwright ---------------


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = Path("/usr/bin/chromium")
    with sync_playwright() as p:
        # Debian's Chromium where present (CI installs it); otherwise Playwright's own, if installed.
        launch = {"executable_path": str(chromium)} if chromium.exists() else {}
        browser = p.chromium.launch(**launch)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()
