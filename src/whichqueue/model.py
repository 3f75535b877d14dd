"""The catalog: features, brokers, queues, snippets and claims, as plain immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field

VALUES = ("yes", "partial", "no", "addon", "unknown")


@dataclass(frozen=True)
class Group:
    id: str
    label: str


@dataclass(frozen=True)
class Feature:
    id: str
    group: str
    label: str
    question: str
    reading: str
    computed: str | None = None


@dataclass(frozen=True)
class Broker:
    id: str
    name: str
    url: str
    env: str
    start: str


@dataclass(frozen=True)
class Source:
    url: str
    title: str


@dataclass(frozen=True)
class Evidence:
    snippets: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    not_executed: str | None = None


@dataclass(frozen=True)
class Claim:
    """What one queue answers to one feature's question."""

    queue: str
    feature: str
    value: str
    detail: str
    evidence: Evidence
    note: str | None = None
    api: tuple[str, ...] = ()
    since: str | None = None
    brokers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snippet:
    """A runnable file under snippets/<queue>/<name>.py."""

    queue: str
    name: str
    title: str
    brokers: tuple[str, ...]
    timeout: float = 30.0
    section: str = "example"

    @property
    def id(self) -> str:
        return f"{self.queue}/{self.name}"

    @property
    def path(self) -> str:
        """Path relative to the repository root."""
        return f"snippets/{self.queue}/{self.name}.py"


@dataclass(frozen=True)
class Point:
    text: str
    features: tuple[str, ...]


@dataclass(frozen=True)
class Queue:
    id: str
    name: str
    pypi: str
    version: str
    requirements: tuple[str, ...]
    brokers: tuple[str, ...]
    links: dict[str, str]
    summary: str
    strengths: tuple[Point, ...]
    weaknesses: tuple[Point, ...]
    choose_when: tuple[str, ...]
    snippets: dict[str, Snippet]
    claims: dict[str, Claim]


@dataclass(frozen=True)
class Release:
    version: str
    date: str  # ISO date of the first file upload


@dataclass(frozen=True)
class RegistryInfo:
    """Facts about a package taken from the registry (refreshed by scripts/refresh_registry.py)."""

    pypi: str
    fetched: str  # ISO date the cache was written; "now" for computed claims, so renders are repeatable
    releases: tuple[Release, ...]
    requires_python: str | None
    license: str | None

    @property
    def latest(self) -> Release | None:
        return max(self.releases, key=lambda r: r.date, default=None)


@dataclass(frozen=True)
class Catalog:
    """Everything under data/, validated and cross-checked."""

    groups: tuple[Group, ...]
    features: tuple[Feature, ...]
    brokers: dict[str, Broker]
    queues: tuple[Queue, ...]
    registry: dict[str, RegistryInfo] = field(default_factory=dict)

    def feature(self, feature_id: str) -> Feature:
        return next(f for f in self.features if f.id == feature_id)

    def queue(self, queue_id: str) -> Queue:
        return next(q for q in self.queues if q.id == queue_id)

    def claims(self) -> list[Claim]:
        """Every claim, queue by queue in feature order."""
        return [q.claims[f.id] for q in self.queues for f in self.features if f.id in q.claims]

    def snippets(self) -> list[Snippet]:
        return [s for q in self.queues for s in q.snippets.values()]
