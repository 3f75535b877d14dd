"""Join claims with verification results: what the site shows next to every claim."""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .results import ResultFile, RunEnv, SnippetResult

# Claim states shown on the site and counted by `stats`.
EXECUTED, DOCUMENTED, FAILING = "executed", "documented", "failing"


@dataclass(frozen=True)
class Run:
    """The latest result of one snippet on one broker, or why there is none."""

    snippet: m.Snippet
    broker: str
    env: RunEnv | None
    result: SnippetResult | None
    state: str  # pass | fail | error | missing | stale

    @property
    def ok(self) -> bool:
        return self.state == "pass"


@dataclass(frozen=True)
class ClaimEvidence:
    claim: m.Claim
    runs: tuple[Run, ...]

    @property
    def state(self) -> str:
        if not self.runs:
            return DOCUMENTED
        return EXECUTED if all(r.ok for r in self.runs) else FAILING


class EvidenceIndex:
    """Latest result per (snippet, broker), chosen among all results files."""

    def __init__(self, catalog: m.Catalog, files: list[ResultFile]) -> None:
        self.catalog = catalog
        self._latest: dict[tuple[str, str], tuple[RunEnv, SnippetResult]] = {}
        for file in files:
            for sid, result in file.results.items():
                key = (sid, file.env.broker)
                best = self._latest.get(key)
                if best is None or result.finished > best[1].finished:
                    self._latest[key] = (file.env, result)

    def run(self, snippet: m.Snippet, broker: str) -> Run:
        found = self._latest.get((snippet.id, broker))
        if found is None:
            return Run(snippet, broker, None, None, "missing")
        env, result = found
        pinned = self.catalog.queue(snippet.queue).version
        state = "stale" if env.version != pinned else result.status
        return Run(snippet, broker, env, result, state)

    def runs_of(self, snippet: m.Snippet) -> tuple[Run, ...]:
        return tuple(self.run(snippet, b) for b in snippet.brokers)

    def for_claim(self, claim: m.Claim) -> ClaimEvidence:
        queue = self.catalog.queue(claim.queue)
        runs = tuple(r for sid in claim.evidence.snippets for r in self.runs_of(queue.snippets[sid]))
        return ClaimEvidence(claim, runs)
