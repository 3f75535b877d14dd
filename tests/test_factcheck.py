"""The fact-check page: validated against the catalog, rendered with verdicts and links to evidence."""

import pytest

from whichqueue.catalog import load_catalog
from whichqueue.factcheck import load_factcheck
from whichqueue.site import pages
from whichqueue.yamlfile import DataErrors

GOOD = """\
article: {title: "Queues compared", author: "A. Writer", year: 2025}
checks:
  - section: table
    topic: "Alpha: Windows"
    quote: "Yes"
    verdict: incomplete
    truth: Only with the thread pool.
    evidence: [{queue: alpha, feature: windows}]
  - section: pros-cons
    topic: "Alpha: retries"
    quote: "<b>never</b> retries"
    verdict: wrong
    truth: Retries 3 times by default.
    evidence: [{queue: alpha, feature: retries}]
"""


def write(layout, text):
    (layout.data / "factcheck.yaml").write_text(text, encoding="utf-8")


def test_no_factcheck_file_means_no_page(mini):
    assert load_factcheck(mini, load_catalog(mini)) is None
    assert "guide/fact-check.md" not in {p.path for p in pages(mini)}


def test_factcheck_renders_verdicts_and_evidence_links(mini):
    write(mini, GOOD)
    page = next(p.text for p in pages(mini) if p.path == "guide/fact-check.md")
    assert "**1** wrong" in page and "**1** incomplete" in page
    assert "(queues/alpha.md#windows)" in page and "(queues/alpha.md#retries)" in page
    assert "<b>never</b>" not in page and "&lt;b&gt;never&lt;/b&gt;" in page


def test_unknown_claim_is_an_error_with_its_line(mini):
    write(mini, GOOD.replace("feature: retries", "feature: retrys"))
    with pytest.raises(DataErrors) as exc:
        load_factcheck(mini, load_catalog(mini))
    (error,) = [str(e) for e in exc.value.errors]
    assert error.startswith("data/factcheck.yaml:14: checks[1].evidence[0]") and "'retrys'" in error


def test_bad_verdict_is_a_schema_error(mini):
    write(mini, GOOD.replace("verdict: wrong", "verdict: nonsense"))
    with pytest.raises(DataErrors) as exc:
        load_factcheck(mini, load_catalog(mini))
    assert "checks[1].verdict: 'nonsense' is not one of correct, wrong" in str(exc.value)
