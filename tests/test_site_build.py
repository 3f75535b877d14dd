"""The real site: renders, builds with `mkdocs build --strict`, and loads nothing from other hosts."""

from __future__ import annotations

import re

from conftest import build

from whichqueue import render
from whichqueue.site import pages

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost)""")


def test_every_page_type_is_built(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "guide/matrix/index.html").is_file()
    assert (built_site / "guide/evidence/index.html").is_file()
    assert (built_site / "guide/evidence/celery/index.html").is_file()
    assert any((built_site / "guide/queues").iterdir())
    assert any((built_site / "guide/features").iterdir())


def test_no_third_party_requests_in_html(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # links to the libraries' docs (<a href>) are fine; loaded resources are not
        for match in re.finditer(r"<(script|link|img|iframe)\b[^>]*>", text):
            if EXTERNAL.search(match.group(0)) and 'rel="canonical"' not in match.group(0):
                offenders.append(f"{page.relative_to(built_site)}: {match.group(0)[:120]}")
    assert offenders == []
    assert "fonts.googleapis.com" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_snippet_code_is_included_on_feature_pages(built_site):
    retries = (built_site / "guide/features/retries/index.html").read_text(encoding="utf-8")
    assert "--8&lt;--" not in retries and "--8<--" not in retries  # includes were resolved
    assert 'class="highlight' in retries


def test_hostile_data_builds_to_a_safe_page(mini, tmp_path):
    path = mini.root / "data/queues/alpha.yaml"
    path.write_text(
        path.read_text().replace(
            "summary: A tiny queue used by whichqueue's own tests.",
            'summary: "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"',
        )
    )
    render.write(pages(mini), mini.docs)
    done, _ = build(mini.root, tmp_path / "site")
    assert done.returncode == 0, done.stderr[-3000:]
    html = (tmp_path / "site/guide/queues/alpha/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
