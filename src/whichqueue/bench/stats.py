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
# Tail percentiles of one repeat rest on a handful of samples (p99 of 100 is the second slowest task), so
# these figures are taken over the samples of all valid repeats together.
POOLED = {"latency_p50_ms": 50, "latency_p95_ms": 95, "latency_p99_ms": 99}


BUSY_LOAD = 0.5  # a 1-minute load average above this, before a run, means other programs were busy


def busy(load_average: list[float]) -> bool:
    """Whether the machine was busy with other programs (1-minute load average) when a run started."""
    return load_average[0] > BUSY_LOAD


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
    batches = timings.get("enqueue_batches_s")
    values = [timings.get(k) for k in ("enqueue_batch", "drain_tasks", "drain_s", "io_s")]
    values += batches if isinstance(batches, list) and batches else [None]
    if not all(isinstance(v, int | float) and v > 0 for v in values):
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
        "enqueue_per_s": round(enqueue_rate(counts["drain"]["expected"], timings), 1),
        "drain_per_s": round(timings["drain_tasks"] / timings["drain_s"], 1),
        "latency_p50_ms": round(percentile(lat, 50), 2),
        "latency_p95_ms": round(percentile(lat, 95), 2),
        "latency_p99_ms": round(percentile(lat, 99), 2),
        "io_per_s": round(counts["io"]["expected"] / timings["io_s"], 1),
        "rss_peak_mb": round(mem.get("peak_rss_kb", 0) / 1024, 1),
        "pss_peak_mb": round(mem.get("peak_pss_kb", 0) / 1024, 1),
    }


def enqueue_rate(n: int, timings: dict[str, Any]) -> float:
    """Sends per second of the median batch: a pause of the producer (GC, a busy core) costs one batch only."""
    size, seconds = int(timings["enqueue_batch"]), timings["enqueue_batches_s"]
    sizes = [min(size, n - i * size) for i in range(len(seconds))]
    return statistics.median(k / s for k, s in zip(sizes, seconds, strict=True))


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
    """One metric across the valid repeats of one queue x broker x setting.

    `figure` is what the page and the run-to-run spread use: the median of the repeats, or for the
    latency percentiles the percentile over all their samples (`samples` of them).
    """

    n: int
    mean: float
    std: float
    median: float
    min: float
    max: float
    figure: float
    samples: int = 0


def stat(values: list[float], pooled: list[float] | None = None, p: float = 50) -> Stat:
    median = statistics.median(values)
    return Stat(
        n=len(values),
        mean=statistics.fmean(values),
        std=statistics.stdev(values) if len(values) > 1 else 0.0,
        median=median,
        min=min(values),
        max=max(values),
        figure=round(percentile(pooled, p), 2) if pooled else median,
        samples=len(pooled or []),
    )


def _stat(metric: str, runs: list[dict[str, Any]]) -> Stat:
    values = [r["metrics"][metric] for r in runs if metric in r["metrics"]]
    if metric not in POOLED:
        return stat(values)
    pooled = [float(x) for r in runs for x in (r.get("answer") or {}).get("latencies_ms", [])]
    return stat(values, pooled, POOLED[metric])


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
                "stats": {k: asdict(_stat(k, valid)) for k in names},
            }
        )
    return rows


def spread(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relative difference of the published figures of two runs' summaries, per row and metric (b against a)."""
    index = {(r["queue"], r["broker"], r["setting"]): r for r in a}
    out = []
    for row in b:
        other = index.get((row["queue"], row["broker"], row["setting"]))
        if not other:
            continue
        for metric, s in row["stats"].items():
            if metric in other["stats"] and other["stats"][metric]["figure"]:
                before, after = other["stats"][metric]["figure"], s["figure"]
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
