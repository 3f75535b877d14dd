"""`whichqueue stats`: the counts other parts (and CI) rely on; see shared design §6."""

from __future__ import annotations

from typing import Any

from .evidence import DOCUMENTED, EXECUTED, FAILING
from .paths import Layout
from .site import site_data


def compute(layout: Layout) -> dict[str, Any]:
    data = site_data(layout)
    catalog, index = data.catalog, data.evidence
    states = [index.for_claim(c).state for c in catalog.claims()]
    runs = [r for s in catalog.snippets() for r in index.runs_of(s)]
    claims = len(states)
    return {
        "libraries": len(catalog.queues),
        "features": len(catalog.features),
        "claims": claims,
        "claims_executed": states.count(EXECUTED),
        "claims_documented": states.count(DOCUMENTED),
        "claims_failing": states.count(FAILING),
        "executed_ratio": round(states.count(EXECUTED) / claims, 3) if claims else 0.0,
        "snippets": len(catalog.snippets()),
        "snippet_runs": len(runs),
        "snippets_passed": sum(1 for r in runs if r.state == "pass"),
        "snippets_failed": sum(1 for r in runs if r.state == "fail"),
        "snippets_error": sum(1 for r in runs if r.state in ("error", "missing", "stale")),
        "verify_wall_s": data.summary.wall_s if data.summary else None,
        "verify_sum_s": data.summary.sum_s if data.summary else None,
        "verify_finished": data.summary.finished if data.summary else None,
    }
