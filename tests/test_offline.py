"""Loading every page of the built site in Chromium requests nothing from any host but the local server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_every_page_loads_only_local_resources(page, server, built_site):
    paths = sorted(str(p.relative_to(built_site)).removesuffix("index.html") for p in built_site.rglob("index.html"))
    assert len(paths) > 10
    for path in paths:
        page.goto(f"{server}/{path}", wait_until="load")
    foreign = sorted({url for url in page.requests if not url.startswith((server, "data:", "blob:"))})
    assert foreign == []
    assert page.errors == []
