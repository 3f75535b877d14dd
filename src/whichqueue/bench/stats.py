"""Pure statistics over driver answers: validity, per-run metrics, summaries across repeats, run-to-run spread."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass
from typing import Any

# metric id -> (label, unit, higher is better)
METRICS: dict[str, tuple[str, str, bool]] = {
    "enqueue_per_s": ("Enqueue rate, one producer", "tasks/s", True),
    "drain_per_s": ("Drain rate, no-op tasks", "tasks/s", True),
    "latency_p50_ms": ("End-to-end latency p50", "ms", False),
    "latency_p95_ms": ("End-to-end latency p95", "ms", False),
    "latency_p99_ms": ("End-to-end latency p99", "ms", False),
    "io_per_s": ("I/O-bound rate (sleeping tasks)", "tasks/s", True),
    "rss_peak_mb": ("Worker peak RSS (process tree)", "MB", False),
    "pss_peak_mb": ("Worker peak PSS (process tree)", "MB", False),
}
THROUGHPUT_PHASES = ("warmup", "drain", "latency", "io")


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), p in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def problems(workload: str, answer: dict[str, Any] | None) -> list[str]:
    """Why a run cannot be averaged in: empty when it is valid."""
    if answer is None:
        return ["the driver gave no WQBENCH answer"]
    counts = answer.get("counts")
    if not isinstance(counts, dict):
        return ["the answer has no counts"]
    if workload == "reliability":
        return [] if isinstance(counts.get("reliability"), dict) else ["the answer has no reliability counts"]
    found = []
    for phase in THROUGHPUT_PHASES:
        c = counts.get(phase)
        if not isinstance(c, dict):
            found.append(f"{phase}: not counted")
            continue
        if c.get("lost", 0) or c.get("unique") != c.get("expected"):
            found.append(f"{phase}: {c.get('expected', 0) - c.get('unique', 0)} of {c.get('expected')} tasks lost")
        if c.get("duplicated", 0) or c.get("executions") != c.get("unique"):
            found.append(f"{phase}: {c.get('duplicated')} task(s) ran more than once")
    timings = answer.get("timings", {})
    if not all(isinstance(timings.get(k), int | float) and timings[k] > 0 for k in ("enqueue_s", "drain_s", "io_s")):
        found.append("timings missing or zero")
    if not answer.get("latencies_ms"):
        found.append("no latencies")
    return found


def throughput_metrics(answer: dict[str, Any]) -> dict[str, float]:
    """Per-run figures from a valid throughput answer, rounded for humans and diffs."""
    counts, timings = answer["counts"], answer["timings"]
    lat = [float(x) for x in answer["latencies_ms"]]
    mem = answer.get("memory", {})
    return {
        "enqueue_per_s": round(counts["drain"]["expected"] / timings["enqueue_s"], 1),
        "drain_per_s": round(counts["drain"]["expected"] / timings["drain_s"], 1),
        "latency_p50_ms": round(percentile(lat, 50), 2),
        "latency_p95_ms": round(percentile(lat, 95), 2),
        "latency_p99_ms": round(percentile(lat, 99), 2),
        "io_per_s": round(counts["io"]["expected"] / timings["io_s"], 1),
        "rss_peak_mb": round(mem.get("peak_rss_kb", 0) / 1024, 1),
        "pss_peak_mb": round(mem.get("peak_pss_kb", 0) / 1024, 1),
    }


def reliability_metrics(answer: dict[str, Any]) -> dict[str, float]:
    c = answer["counts"]["reliability"]
    n = max(1, int(c["expected"]))
    return {
        "completed_pct": round(100 * c["unique"] / n, 1),
        "duplicated_pct": round(100 * c["duplicated"] / n, 1),
        "lost": int(c["lost"]),
        "duplicated": int(c["duplicated"]),
        "killed_at": int(answer.get("killed_at", 0)),
        "n": n,
    }


def metrics(workload: str, answer: dict[str, Any] | None) -> dict[str, float]:
    if answer is None or problems(workload, answer):
        return {}
    return reliability_metrics(answer) if workload == "reliability" else throughput_metrics(answer)


@dataclass(frozen=True)
class Stat:
    """One metric across the valid repeats of one queue x broker x setting."""

    n: int
    mean: float
    std: float
    median: float
    min: float
    max: float


def stat(values: list[float]) -> Stat:
    return Stat(
        n=len(values),
        mean=statistics.fmean(values),
        std=statistics.stdev(values) if len(values) > 1 else 0.0,
        median=statistics.median(values),
        min=min(values),
        max=max(values),
    )


def summarize(runs: list[dict[str, Any]], workload: str = "throughput") -> list[dict[str, Any]]:
    """Rows per (queue, broker, setting) in first-seen order: valid/invalid counts and a Stat per metric."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for run in runs:
        if run["workload"] == workload:
            groups.setdefault((run["queue"], run["broker"], run["setting"]), []).append(run)
    rows = []
    for (queue, broker, setting), group in sorted(groups.items()):
        valid = [r for r in group if r["valid"]]
        names = sorted({k for r in valid for k in r["metrics"]})
        rows.append(
            {
                "queue": queue,
                "broker": broker,
                "setting": setting,
                "valid": len(valid),
                "invalid": len(group) - len(valid),
                "stats": {k: asdict(stat([r["metrics"][k] for r in valid if k in r["metrics"]])) for k in names},
            }
        )
    return rows


def spread(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relative difference of the medians of two runs' summaries, per row and metric (b against a)."""
    index = {(r["queue"], r["broker"], r["setting"]): r for r in a}
    out = []
    for row in b:
        other = index.get((row["queue"], row["broker"], row["setting"]))
        if not other:
            continue
        for metric, s in row["stats"].items():
            if metric in other["stats"] and other["stats"][metric]["median"]:
                before, after = other["stats"][metric]["median"], s["median"]
                out.append(
                    {
                        "queue": row["queue"],
                        "broker": row["broker"],
                        "setting": row["setting"],
                        "metric": metric,
                        "first": before,
                        "second": after,
                        "diff_pct": round(100 * (after - before) / before, 1),
                    }
                )
    return out
