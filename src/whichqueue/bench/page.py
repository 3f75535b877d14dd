"""results/bench/*.json -> what templates/benchmarks.md.j2 shows, plus the raw JSON served beside the page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import model as m
from . import plan as p
from . import stats
from .charts import Bar, bar_chart, fmt

RAW_PATH = "guide/benchmarks/raw.json"  # relative to docs/; linked from the page as benchmarks/raw.json
SPREAD_BAND_PCT = 10
SELECTION = ("queues", "brokers", "settings")
CHARTS = ("drain_per_s", "enqueue_per_s", "latency_p50_ms", "latency_p99_ms", "io_per_s", "pss_peak_mb")


@dataclass(frozen=True)
class BenchData:
    """The latest full bench run and, when there is one, the two runs the spread compares, oldest first."""

    latest: dict[str, Any]
    latest_name: str
    pair: tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]] | None = None  # ((name, record), ...)


def load_bench(folder: Path) -> BenchData | None:
    """The newest complete `full-*.json` of results/bench/, and the newest other full run (for the spread).

    None when there is no complete full run. A run narrowed with --queue/--setting... is never shown as the
    main figures, but it can be the second run of the spread (only the rows both runs measured are compared).
    Only a run made with the same method (sizes, concurrency, format) is compared.
    """
    files = sorted(folder.glob("full-*.json")) if folder.is_dir() else []
    records = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in files}
    complete = [name for name, rec in records.items() if rec.get("complete", True)]
    if not complete:
        return None
    main = complete[-1]
    wanted = method(records[main])
    others = [name for name, rec in records.items() if name != main and method(rec) == wanted]
    if not others:
        return BenchData(records[main], main)
    # The spread reads "first run -> second run" in time order; the names sort by time.
    first, second = sorted((main, others[-1]))
    return BenchData(records[main], main, ((first, records[first]), (second, records[second])))


def method(rec: dict[str, Any]) -> tuple[Any, ...]:
    """What must agree for two runs' throughput figures to be compared (the crash experiment may differ)."""
    m = rec["method"]
    throughput = set(p.THROUGHPUT_KEYS)
    sizes = {k: v for k, v in m["sizes"].items() if k in throughput}
    overrides = {q: {k: v for k, v in o.items() if k in throughput} for q, o in m.get("overrides", {}).items()}
    return rec["format"], m["concurrency"], sizes, {q: o for q, o in overrides.items() if o}


def same_settings(first: dict[str, Any], second: dict[str, Any]) -> set[tuple[str, str]]:
    """(queue, setting) pairs configured identically in both runs: only their figures can be compared."""
    options = [{(q, s["id"]): s["options"] for q, ss in rec["settings"].items() for s in ss} for rec in (first, second)]
    return {key for key, value in options[0].items() if options[1].get(key) == value}


def _names(catalog: m.Catalog | None) -> dict[str, str]:
    """Display names of queues and brokers from data/ (ids are shown when there is no catalog)."""
    if catalog is None:
        return {}
    return {b.id: b.name for b in catalog.brokers.values()} | {q.id: q.name for q in catalog.queues}


def row_label(row: dict[str, Any], names: dict[str, str]) -> str:
    return f"{names.get(row['queue'], row['queue'])} · {names.get(row['broker'], row['broker'])} · {row['setting']}"


def within(row: dict[str, Any]) -> bool:
    """One figure of the spread agrees between the two runs: the acceptance band of the benchmarks, ±10 %."""
    return abs(row["diff_pct"]) <= SPREAD_BAND_PCT


def cell(s: dict[str, float] | None) -> dict[str, str]:
    """The published figure, mean ± std and range of the repeats of one metric, formatted."""
    if not s:
        return {"figure": "–", "mean": "–", "range": "–"}
    return {
        "figure": fmt(s["figure"]),
        "mean": f"{fmt(s['mean'])} ± {fmt(s['std'])}",
        "range": f"{fmt(s['min'])}–{fmt(s['max'])}",
    }


def ordered(rows: list[dict[str, Any]], rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Queue, broker, then settings in data order: the defaults first, the tuned setting after them."""
    rank = {(q, s["id"]): i for q, settings in rec.get("settings", {}).items() for i, s in enumerate(settings)}
    return sorted(rows, key=lambda r: (r["queue"], r["broker"], rank.get((r["queue"], r["setting"]), 99)))


def context(bench: BenchData | None, catalog: m.Catalog | None = None) -> dict[str, Any]:
    """Template variables: `bench` is None when nothing was measured yet (the page says so)."""
    if bench is None:
        return {"bench": None}
    rec = bench.latest
    names = _names(catalog)
    summary = ordered(rec["summary"], rec)
    charts = []
    for metric in CHARTS:
        label, unit, higher = stats.METRICS[metric]
        label += ", higher is better" if higher else ", lower is better"
        bars = [
            Bar(row_label(r, names), s["figure"], s["min"], s["max"], r["setting"])
            for r in summary
            if (s := r["stats"].get(metric))
        ]
        if bars:
            charts.append(bar_chart(label, unit, bars, "all samples" if metric in stats.POOLED else "median"))
    tables = [
        {
            "metric": metric,
            "label": label,
            "unit": unit,
            "pooled": metric in stats.POOLED,
            "rows": [{"label": row_label(r, names), **cell(r["stats"].get(metric))} for r in summary],
        }
        for metric, (label, unit, _) in stats.METRICS.items()
    ]
    reliability = [
        {
            "label": row_label(r, names),
            "completed_pct": r["stats"].get("completed_pct", {}).get("median", 0.0),
            "duplicated_pct": r["stats"].get("duplicated_pct", {}).get("median", 0.0),
            "runs": r["valid"],
        }
        for r in ordered(rec["reliability"], rec)
    ]
    spread_rows = []
    (first_file, first_rec), (second_file, second_rec) = bench.pair or ((None, None), (None, None))
    changed: list[str] = []
    if first_rec and second_rec:
        alike = same_settings(first_rec, second_rec)
        changed = sorted({row_label(r, names) for r in summary if (r["queue"], r["setting"]) not in alike})
        first, second = (ordered(r["summary"], rec) for r in (first_rec, second_rec))
        spread_rows = [row for row in stats.spread(first, second) if (row["queue"], row["setting"]) in alike]
    spread_table = [
        {
            "label": row_label(r, names),
            "metric": stats.METRICS[r["metric"]][0],
            "first": fmt(r["first"]),
            "second": fmt(r["second"]),
            "diff": f"{r['diff_pct']:+.1f} %",
            "within": within(r),
        }
        for r in spread_rows
    ]
    by_metric = [
        {
            "label": stats.METRICS[metric][0],
            "within": sum(1 for r in rows if within(r)),
            "total": len(rows),
            "worst": f"{max((r['diff_pct'] for r in rows), key=abs):+.1f} %",
        }
        for metric in stats.METRICS
        if (rows := [r for r in spread_rows if r["metric"] == metric])
    ]
    latency = [r for r in spread_rows if r["metric"] in stats.POOLED and not within(r)]
    moved = max(latency, key=lambda r: abs(r["diff_pct"]), default=None)
    others = [abs(r["diff_pct"]) for r in spread_rows if r["metric"] not in stats.POOLED]
    if moved and abs(moved["diff_pct"]) < max(others, default=0):  # the page says latencies move most
        moved = None
    invalid = [r for r in rec["runs"] if not r["valid"]]
    return {
        "bench": rec,
        "bench_file": bench.latest_name,
        "busy": stats.busy(rec["machine"]["load_average"]["before"]),
        "first_file": first_file,
        "second_file": second_file,
        "second_selection": {k: (second_rec or {}).get("selection", {}).get(k) or [] for k in SELECTION},
        "names": names,
        "charts": charts,
        "tables": tables,
        "reliability": reliability,
        "spread": spread_table,
        "spread_within": sum(1 for r in spread_table if r["within"]),
        "spread_by_metric": by_metric,
        "spread_changed": changed,
        "latency_moved": moved
        and {
            "label": row_label(moved, names),
            "metric": stats.METRICS[moved["metric"]][0],
            "first": fmt(moved["first"]),
            "second": fmt(moved["second"]),
            "diff": f"{moved['diff_pct']:+.1f} % ({moved['second'] - moved['first']:+.2f} ms)",
        },
        "first_load": (first_rec or {}).get("machine", {}).get("load_average", {}),
        "second_load": (second_rec or {}).get("machine", {}).get("load_average", {}),
        "invalid": invalid,
        "row_label": lambda r: row_label(r, names),
    }


def raw_file(bench: BenchData | None) -> tuple[str, str] | None:
    """(path under docs/, text) of the downloadable raw data: the latest record, unchanged."""
    if bench is None:
        return None
    return RAW_PATH, json.dumps(bench.latest, indent=1, sort_keys=True) + "\n"
