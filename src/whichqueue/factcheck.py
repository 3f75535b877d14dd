"""The fact check of a third-party article: each quoted claim, a verdict, and links to our evidence."""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .catalog import validated_doc
from .paths import Layout
from .yamlfile import DataError, DataErrors

VERDICTS = ("correct", "wrong", "outdated", "misleading", "incomplete")


@dataclass(frozen=True)
class Check:
    section: str
    topic: str
    quote: str
    verdict: str
    truth: str
    evidence: tuple[tuple[str, str], ...]  # (queue id, feature id)


@dataclass(frozen=True)
class FactCheck:
    title: str
    author: str
    year: int
    url: str | None
    note: str | None
    checks: tuple[Check, ...]

    def verdict_counts(self) -> dict[str, int]:
        return {v: sum(1 for c in self.checks if c.verdict == v) for v in VERDICTS}


def load_factcheck(layout: Layout, catalog: m.Catalog) -> FactCheck | None:
    """data/factcheck.yaml, validated against the schema and the catalog; None when there is none."""
    path = layout.data / "factcheck.yaml"
    if not path.exists():
        return None
    errors: list[DataError] = []
    doc = validated_doc(layout, path, "factcheck", errors)
    if doc is None:
        raise DataErrors(errors)
    checks = []
    for i, raw in enumerate(doc.data["checks"]):
        for j, ev in enumerate(raw["evidence"]):
            where = ("checks", i, "evidence", j)
            queue = next((q for q in catalog.queues if q.id == ev["queue"]), None)
            if queue is None:
                errors.append(doc.error(where, f"unknown queue {ev['queue']!r}"))
            elif ev["feature"] not in queue.claims:
                errors.append(doc.error(where, f"{ev['queue']} has no claim for feature {ev['feature']!r}"))
        checks.append(
            Check(
                raw["section"],
                raw["topic"],
                raw["quote"],
                raw["verdict"],
                raw["truth"],
                tuple((ev["queue"], ev["feature"]) for ev in raw["evidence"]),
            )
        )
    if errors:
        raise DataErrors(errors)
    article = doc.data["article"]
    return FactCheck(
        article["title"], article["author"], article["year"], article.get("url"), article.get("note"), tuple(checks)
    )
