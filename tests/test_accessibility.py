"""axe-core (shipped inside the axe-playwright-python wheel, no CDN) on the main page types, in Chromium.

No serious or critical violations are allowed; pages must also be usable at 375 px (no sideways scroll of
the page itself: wide tables scroll inside their own box).
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "guide/matrix/",
    "guide/queues/celery/",
    "guide/features/retries/",
    "guide/evidence/",
    "guide/evidence/celery/",
    "guide/fact-check/",
    "guide/quiz/",
    "guide/benchmarks/",
]
AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def existing(built_site, path: str) -> bool:
    return (built_site / path / "index.html").is_file()


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, server, built_site, path):
    if not existing(built_site, path):
        pytest.skip(f"{path} is not built yet")
    page.goto(f"{server}/{path}", wait_until="load")
    page.add_script_tag(content=AXE)
    report = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], json.dumps(bad, indent=1)


@pytest.mark.parametrize("path", ["", "guide/matrix/", "guide/features/retries/"])
def test_usable_at_375px(browser, server, built_site, path):
    from conftest import REPO

    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{server}/{path}", wait_until="load")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 375px"
        shots = REPO / ".cache" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"mobile-{path.strip('/').replace('/', '-') or 'home'}.png"))
    finally:
        context.close()
