"""The render step as the CLI and the MkDocs hook use it: load data + results, produce pages."""

from __future__ import annotations

from .bench.page import load_bench
from .catalog import load_catalog
from .evidence import EvidenceIndex
from .factcheck import load_factcheck
from .paths import Layout
from .quiz import load_quiz
from .render import Page, SiteData, render_site
from .results import read_all, read_summary


def site_data(layout: Layout) -> SiteData:
    """Catalog plus the committed evidence, ready for templates."""
    catalog = load_catalog(layout)
    return SiteData(
        catalog,
        EvidenceIndex(catalog, read_all(layout.results)),
        read_summary(layout.results),
        factcheck=load_factcheck(layout, catalog),
        quiz=load_quiz(layout, catalog),
        bench=load_bench(layout.results / "bench"),
    )


def pages(layout: Layout) -> list[Page]:
    return render_site(site_data(layout))
