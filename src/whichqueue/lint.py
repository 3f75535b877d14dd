"""`whichqueue lint`: small, separate checks over data, snippets and evidence.

Each check is a function returning findings; errors always fail, warnings fail under --strict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import model as m
from .evidence import EvidenceIndex
from .paths import Layout
from .site import site_data
from .yamlfile import DataErrors


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


_MARKER = re.compile(r"^\s*#\s*--8<--\s*\[(start|end):([A-Za-z0-9_-]+)\]\s*$")


def section_markers(text: str, where: str) -> list[Finding]:
    """Every [start:x] needs a later [end:x]: a missing end silently includes the rest of the file."""
    findings, open_at = [], {}
    for number, line in enumerate(text.splitlines(), 1):
        if not (match := _MARKER.match(line)):
            continue
        kind, name = match.groups()
        if kind == "start":
            if name in open_at:
                findings.append(Finding("error", f"{where}:{number}", f"section {name!r} started twice"))
            open_at[name] = number
        elif name not in open_at:
            findings.append(Finding("error", f"{where}:{number}", f"[end:{name}] without a [start:{name}]"))
        else:
            del open_at[name]
    findings += [Finding("error", f"{where}:{n}", f"[start:{name}] is never ended") for name, n in open_at.items()]
    return findings


def check_sections(layout: Layout, catalog: m.Catalog, _: EvidenceIndex) -> list[Finding]:
    findings = []
    for snippet in catalog.snippets():
        text = (layout.root / snippet.path).read_text(encoding="utf-8")
        findings += section_markers(text, snippet.path)
        if f"[start:{snippet.section}]" not in text:
            findings.append(Finding("error", snippet.path, f"has no section {snippet.section!r} for the site"))
    return findings


def check_orphans(layout: Layout, catalog: m.Catalog, _: EvidenceIndex) -> list[Finding]:
    """Snippet files nobody declared, and declared snippets no claim cites."""
    declared = {s.path for s in catalog.snippets()}
    findings = [
        Finding("warning", str(path.relative_to(layout.root)), "not declared in data/queues/*.yaml snippets")
        for path in sorted(layout.snippets.glob("*/*.py"))
        if not path.name.startswith("_") and str(path.relative_to(layout.root)) not in declared
    ]
    cited = {(c.queue, sid) for c in catalog.claims() for sid in c.evidence.snippets}
    findings += [
        Finding("warning", s.path, "no claim cites this snippet")
        for s in catalog.snippets()
        if (s.queue, s.name) not in cited
    ]
    return findings


def check_coverage(layout: Layout, catalog: m.Catalog, _: EvidenceIndex) -> list[Finding]:
    return [
        Finding("warning", f"data/queues/{q.id}.yaml", f"no claim for feature {f.id!r}")
        for q in catalog.queues
        for f in catalog.features
        if f.id not in q.claims
    ]


def check_evidence(layout: Layout, catalog: m.Catalog, index: EvidenceIndex, max_age_days: int = 120) -> list[Finding]:
    """Failing, missing, stale-version and too-old evidence, once per snippet run."""
    findings = []
    now = datetime.now(UTC)
    for snippet in catalog.snippets():
        for run in index.runs_of(snippet):
            where = f"{snippet.id} @ {run.broker}"
            if run.state == "missing":
                findings.append(Finding("warning", where, "no result: run `whichqueue verify`"))
            elif run.state == "stale":
                findings.append(
                    Finding(
                        "warning", where, f"verified on {run.env.version if run.env else '?'}, not the pinned version"
                    )
                )
            elif run.state in ("fail", "error"):
                message = run.result.message if run.result else ""
                findings.append(Finding("warning", where, f"latest result is {run.state}: {message}"))
            elif run.result and now - datetime.fromisoformat(run.result.finished) > timedelta(days=max_age_days):
                findings.append(Finding("warning", where, f"evidence older than {max_age_days} days"))
    return findings


def run_lint(layout: Layout, max_age_days: int = 120) -> list[Finding]:
    """Every check over the checkout; data errors end the lint early (nothing else can be read)."""
    try:
        data = site_data(layout)
    except DataErrors as exc:
        return [Finding("error", str(e).split(": ", 1)[0], str(e).split(": ", 1)[-1]) for e in exc.errors]
    findings = [f for check in CHECKS for f in check(layout, data.catalog, data.evidence)]
    findings += check_evidence(layout, data.catalog, data.evidence, max_age_days)
    return findings


def check_readings(layout: Layout, catalog: m.Catalog, _: EvidenceIndex) -> list[Finding]:
    """A claim's value must be one its feature explains, or readers cannot tell what it means."""
    findings = []
    for claim in catalog.claims():
        feature = catalog.feature(claim.feature)
        if claim.value != "unknown" and not re.search(rf"(^|; ){claim.value}:", feature.reading):
            findings.append(
                Finding(
                    "warning",
                    f"data/queues/{claim.queue}.yaml",
                    f"claims.{claim.feature}: value {claim.value!r} is not explained in the "
                    f"reading of feature {feature.id!r} (data/features.yaml)",
                )
            )
    return findings


# A release named in `since` ("2.11", "3.0.2"). `since` is prose, so Python versions it mentions
# ("5.7 dropped Python 3.9") are told apart by their context.
_VERSION = re.compile(r"(?<![\w.])(\d+\.\d+(?:\.\d+)?)(?![\w.])")
_PYTHON_VERSION = re.compile(r"^3\.(?:[6-9]|1\d)$")


def release_lines(text: str) -> list[str]:
    """Version numbers a `since` text names as releases of the library itself."""
    tokens = _VERSION.findall(text)
    about_python = any(word in text for word in ("Python", "dropped", "added", ">="))
    return [t for i, t in enumerate(tokens) if i == 0 or not (about_python and _PYTHON_VERSION.match(t))]


def check_since(layout: Layout, catalog: m.Catalog, _: EvidenceIndex) -> list[Finding]:
    """Every release a `since` names must exist in the registry's release history (data/registry/)."""
    findings = []
    for queue in catalog.queues:
        info = catalog.registry.get(queue.pypi)
        if info is None:
            findings.append(
                Finding(
                    "warning",
                    f"data/queues/{queue.id}.yaml",
                    f"no registry cache: run `whichqueue registry {queue.pypi}`",
                )
            )
            continue
        versions = [r.version for r in info.releases]
        for claim in queue.claims.values():
            for line in release_lines(claim.since or ""):
                if not any(v == line or v.startswith(line + ".") for v in versions):
                    findings.append(
                        Finding(
                            "warning",
                            f"data/queues/{queue.id}.yaml",
                            f"claims.{claim.feature}.since: {queue.pypi} has no release {line}",
                        )
                    )
    return findings


CHECKS: tuple[Callable[[Layout, m.Catalog, EvidenceIndex], list[Finding]], ...] = (
    check_sections,
    check_orphans,
    check_coverage,
    check_readings,
    check_since,
)
