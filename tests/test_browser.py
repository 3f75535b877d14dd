"""The built site in a real browser (Debian Chromium through Playwright): pages render, tabs link,
and nothing is requested from any host but the local server."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / ".cache" / "screenshots"


def heading(page) -> str:
    """The page's h1 without Material's permalink sign."""
    return page.locator("h1").first.inner_text().removesuffix("¶").strip()


def visit(page, server: str, path: str, shot: str | None = None):
    response = page.goto(f"{server}/{path}", wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=False)
    return page


def selected_tab(page) -> str:
    """Label of the checked tab in the page's first tab set."""
    return page.evaluate(
        """() => { const i = document.querySelector('.tabbed-set > input:checked');
                   return document.querySelector(`label[for="${i.id}"]`).textContent.trim(); }"""
    )


def only_local(page, server: str) -> list[str]:
    return [url for url in page.requests if not url.startswith(server) and not url.startswith("data:")]


def test_home(page, server):
    visit(page, server, "", "home")
    assert heading(page) == "Which Python task queue?"
    assert page.get_by_role("link", name="Compare everything").count() == 1
    assert only_local(page, server) == []
    assert page.errors == []


def test_matrix_lists_every_queue_and_feature(page, server, repo):
    from whichqueue.catalog import load_catalog

    catalog = load_catalog(repo)
    visit(page, server, "guide/matrix/", "matrix")
    headers = page.locator("table thead th").all_inner_texts()
    for queue in catalog.queues:
        assert any(queue.name in h for h in headers), (queue.name, headers)
    body = page.locator("article").inner_text()
    for feature in catalog.features:
        assert feature.label in body, feature.label
    assert only_local(page, server) == []


def test_queue_page_shows_claims_with_evidence(page, server, repo):
    from whichqueue.catalog import load_catalog

    queue = load_catalog(repo).queues[0]
    visit(page, server, f"guide/queues/{queue.id}/", "queue")
    assert heading(page) == queue.name
    assert page.locator("#retries").count() == 1
    assert only_local(page, server) == []


def test_feature_page_tabs_are_linked_across_the_site(page, server, repo):
    from whichqueue.catalog import load_catalog

    queues = load_catalog(repo).queues
    if len(queues) < 2:
        pytest.skip("needs two queues")
    visit(page, server, "guide/features/retries/", "feature")
    second = queues[1].name
    assert selected_tab(page) == queues[0].name
    page.locator(".tabbed-labels label", has_text=second).first.click()
    assert selected_tab(page) == second
    # Linked tabs: the choice is remembered and applied on the next feature page.
    visit(page, server, "guide/features/serializer/")
    assert selected_tab(page) == second
    assert only_local(page, server) == []


def test_dark_mode_toggle(page, server):
    visit(page, server, "")
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_timeout(200)
    assert page.locator("body").get_attribute("data-md-color-scheme") != before
