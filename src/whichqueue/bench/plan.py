"""data/bench.yaml -> the list of driver invocations of one bench run (pure, apart from `load_plan`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

WORKLOADS = ("throughput", "reliability")
# The sizes that shape the throughput figures: two runs are comparable when these agree.
THROUGHPUT_KEYS = ("repeats", "n", "warmup", "latency_n", "latency_rate", "io_n", "io_sleep_ms")
SIZE_KEYS = (
    *THROUGHPUT_KEYS,
    "reliability_repeats",
    "reliability_n",
    "reliability_sleep_ms",
    "kill_at",
    "settle_s",
    "phase_timeout",
)


class PlanError(ValueError):
    """data/bench.yaml is missing a field or names something unknown."""


@dataclass(frozen=True)
class Setting:
    id: str
    label: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueuePlan:
    queue: str
    brokers: tuple[str, ...]
    settings: tuple[Setting, ...]
    # mode -> size key -> value, replacing the mode's size for this queue (a slow queue gets fewer tasks)
    sizes: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    concurrency: int
    modes: dict[str, dict[str, float]]
    queues: tuple[QueuePlan, ...]


@dataclass(frozen=True)
class Invocation:
    """One driver run: a queue on a broker with a setting, one workload, one repeat."""

    queue: str
    broker: str
    setting: str
    workload: str
    repeat: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.queue, self.broker, self.setting)


def parse_plan(raw: dict[str, Any]) -> Plan:
    """Validate the YAML structure; errors name the field."""
    try:
        modes = {name: {k: float(mode[k]) for k in SIZE_KEYS} for name, mode in raw["modes"].items()}
        queues = tuple(
            QueuePlan(
                queue=qid,
                brokers=tuple(q["brokers"]),
                settings=tuple(Setting(s["id"], s["label"], dict(s.get("options") or {})) for s in q["settings"]),
                sizes={m: {k: float(v) for k, v in over.items()} for m, over in (q.get("sizes") or {}).items()},
            )
            for qid, q in raw["queues"].items()
        )
        plan = Plan(int(raw["concurrency"]), modes, queues)
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"data/bench.yaml: missing or bad field {exc}") from exc
    if not {"full", "quick"} <= set(plan.modes):
        raise PlanError("data/bench.yaml: modes must define `full` and `quick`")
    for q in plan.queues:
        for mode, over in q.sizes.items():
            if mode not in plan.modes or not set(over) <= set(SIZE_KEYS):
                raise PlanError(f"data/bench.yaml: queues.{q.queue}.sizes.{mode}: unknown mode or size {sorted(over)}")
    return plan


def load_plan(path: Path) -> Plan:
    return parse_plan(yaml.safe_load(path.read_text(encoding="utf-8")))


def invocations(
    plan: Plan,
    mode: str,
    *,
    queues: tuple[str, ...] = (),
    brokers: tuple[str, ...] = (),
    settings: tuple[str, ...] = (),
    workloads: tuple[str, ...] = WORKLOADS,
    seed: int = 0,
) -> list[Invocation]:
    """Every invocation of the run, shuffled with `seed` so no queue always runs first or on a cold cache."""
    sizes = plan.modes[mode]
    repeats = {"throughput": int(sizes["repeats"]), "reliability": int(sizes["reliability_repeats"])}
    out = [
        Invocation(q.queue, broker, s.id, workload, r)
        for q in plan.queues
        if not queues or q.queue in queues
        for broker in q.brokers
        if not brokers or broker in brokers
        for s in q.settings
        if not settings or s.id in settings
        for workload in workloads
        for r in range(repeats[workload])
    ]
    random.Random(seed).shuffle(out)
    return out


def sizes_for(plan: Plan, mode: str, queue: str) -> dict[str, float]:
    """The mode's sizes with the queue's own overrides applied."""
    over = next((q.sizes.get(mode, {}) for q in plan.queues if q.queue == queue), {})
    return plan.modes[mode] | over


def request(plan: Plan, mode: str, inv: Invocation) -> dict[str, Any]:
    """The JSON request a driver reads on stdin."""
    setting = next(s for q in plan.queues if q.queue == inv.queue for s in q.settings if s.id == inv.setting)
    sizes = {k: (int(v) if float(v).is_integer() else v) for k, v in sizes_for(plan, mode, inv.queue).items()}
    return {"workload": inv.workload, "concurrency": plan.concurrency, "options": setting.options, **sizes}
