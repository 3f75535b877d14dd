"""`whichqueue bench`: statistics, validity, the driver protocol, the page, and a --quick smoke run per library.

The smoke runs check the harness (every record complete and valid), never the speed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from whichqueue.bench import charts, stats
from whichqueue.bench import plan as p
from whichqueue.bench.run import BenchOptions, parse_answer, record, run_bench, run_driver
from whichqueue.site import pages

REPO = Path(__file__).resolve().parents[1]


def counts(lost: int = 0, dup: int = 0, n: int = 10) -> dict[str, dict[str, int]]:
    one = {"expected": n, "unique": n - lost, "executions": n - lost + dup, "lost": lost, "duplicated": dup}
    return {phase: dict(one) for phase in stats.THROUGHPUT_PHASES}


def answer(lost: int = 0, dup: int = 0) -> dict:
    return {
        "protocol": 1,
        "version": "1.0",
        "settings": {},
        "counts": counts(lost, dup),
        "timings": {"enqueue_s": 0.5, "drain_s": 0.25, "io_s": 1.0},
        "latencies_ms": [1.0, 2.0, 3.0, 4.0],
        "memory": {"peak_rss_kb": 2048, "peak_pss_kb": 1024},
    }


def test_percentile_interpolates_like_numpy():
    values = [float(x) for x in range(1, 101)]
    assert stats.percentile(values, 50) == 50.5
    assert stats.percentile(values, 99) == pytest.approx(99.01)
    assert stats.percentile([3.0], 95) == 3.0


def test_lost_or_duplicated_task_makes_a_run_invalid():
    assert stats.problems("throughput", answer()) == []
    assert any("lost" in x for x in stats.problems("throughput", answer(lost=1)))
    assert any("more than once" in x for x in stats.problems("throughput", answer(dup=1)))
    assert stats.problems("throughput", None) == ["the driver gave no WQBENCH answer"]
    assert stats.metrics("throughput", answer(lost=1)) == {}
    m = stats.metrics("throughput", answer())
    assert m["enqueue_per_s"] == 20.0 and m["drain_per_s"] == 40.0 and m["rss_peak_mb"] == 2.0


def test_invalid_runs_are_not_averaged_in():
    inv = p.Invocation("q", "redis", "default", "throughput", 0)
    runs = [record(inv, 0, answer(), "", 1.0), record(inv, 1, answer(lost=3), "tail", 1.0)]
    runs[0]["metrics"]["drain_per_s"] = 100.0
    (row,) = stats.summarize(runs)
    assert (row["valid"], row["invalid"]) == (1, 1)
    assert row["stats"]["drain_per_s"]["median"] == 100.0 and row["stats"]["drain_per_s"]["n"] == 1


def test_spread_compares_medians():
    a = [{"queue": "q", "broker": "b", "setting": "s", "stats": {"x": {"median": 100.0}}}]
    b = [{"queue": "q", "broker": "b", "setting": "s", "stats": {"x": {"median": 108.0}}}]
    assert stats.spread(a, b)[0]["diff_pct"] == 8.0


def test_plan_from_the_repository_and_randomized_order():
    plan = p.load_plan(REPO / "data" / "bench.yaml")
    first = p.invocations(plan, "full", seed=1)
    assert first == p.invocations(plan, "full", seed=1) != p.invocations(plan, "full", seed=2)
    assert sorted(first, key=str) == sorted(p.invocations(plan, "full", seed=2), key=str)
    repeats = int(plan.modes["full"]["repeats"])
    assert repeats >= 5
    for q in plan.queues:  # every queue benched has its driver: the orchestrator knows no library
        assert (REPO / "benchmarks" / f"{q.queue}.py").is_file()
        assert sum(1 for i in first if i.queue == q.queue and i.workload == "throughput") == repeats * len(
            q.brokers
        ) * len(q.settings)
    with pytest.raises(p.PlanError):
        p.parse_plan({"concurrency": 4, "modes": {}, "queues": {}})


def test_parse_answer_takes_the_last_answer_line():
    assert parse_answer('noise\nWQBENCH {"a": 1}\nmore') == {"a": 1}
    assert parse_answer("WQBENCH [1]") is None and parse_answer("WQBENCH {oops") is None
    assert parse_answer("nothing") is None


def _fake_driver(root: Path, body: str) -> None:
    (root / "benchmarks").mkdir(parents=True)
    (root / "benchmarks" / "__init__.py").write_text("")
    (root / "benchmarks" / "fake.py").write_text(body)


def test_a_driver_reporting_a_lost_task_is_invalid(tmp_path):
    bad = answer(lost=1)
    _fake_driver(tmp_path, f"import sys, json\nsys.stdin.read()\nprint('WQBENCH ' + json.dumps({bad!r}))\n")
    env = {"WQ_NAMESPACE": "wqbench-test-fake", "BROKER_URL": "", "REDIS_URL": ""}
    got, _, _ = run_driver(Path(sys.executable), tmp_path, "fake", {"workload": "throughput"}, env, timeout=20)
    assert got == bad
    run = record(p.Invocation("fake", "redis", "default", "throughput", 0), 0, got, "", 0.1)
    assert run["valid"] is False and run["metrics"] == {}
    assert run["problems"] == [f"{phase}: 1 of 10 tasks lost" for phase in stats.THROUGHPUT_PHASES]


def test_a_hanging_driver_is_killed_and_invalid(tmp_path):
    _fake_driver(tmp_path, "import time\ntime.sleep(60)\n")
    env = {"WQ_NAMESPACE": "wqbench-test-hang", "BROKER_URL": "", "REDIS_URL": ""}
    got, tail, seconds = run_driver(Path(sys.executable), tmp_path, "fake", {}, env, timeout=1)
    assert got is None and seconds < 10 and "killed after" in tail


def test_chart_escapes_text():
    svg = charts.bar_chart("<b>t</b>", "ms", [charts.Bar("<script>x</script>", 2.0, 1.0, 3.0, "a&b")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    assert "\n" not in svg  # one line: Markdown must not split it
    assert charts.fmt(1234.5) in ("1,234", "1,235") and charts.fmt(12.345) == "12.3"


def test_page_without_results_says_so(mini):
    built = {pg.path: pg.text for pg in pages(mini)}
    assert "No benchmark results yet" in built["guide/benchmarks.md"]
    assert "guide/benchmarks/raw.json" not in built


def test_page_with_results_has_charts_tables_and_raw_json(mini):
    inv = p.Invocation("alpha", "redis", "default", "throughput", 0)
    runs = [record(inv, i, answer(), "", 1.0) for i in range(3)]
    runs.append(record(inv, 3, answer(dup=2), "", 1.0))
    plan = p.parse_plan(
        {
            "concurrency": 4,
            "modes": {m: dict.fromkeys(p.SIZE_KEYS, 1) for m in ("full", "quick")},
            "queues": {"alpha": {"brokers": ["redis"], "settings": [{"id": "default", "label": "<i>x</i>"}]}},
        }
    )
    from whichqueue.bench.run import assemble

    body = assemble(
        plan=plan,
        mode="full",
        seed=1,
        runs=runs,
        versions={"brokers": {"redis": "7.0"}, "libraries": {"alpha": "1.0"}},
        times={"started": "2026-01-01T00:00:00+00:00", "finished": "x", "wall_s": 1.0},
        load={"before": [1.0, 1.0, 1.0], "after": [1.0, 1.0, 1.0]},
    )
    folder = mini.root / "results" / "bench"
    folder.mkdir(parents=True)
    (folder / "full-20260101T000000Z.json").write_text(json.dumps(body))
    built = {pg.path: pg.text for pg in pages(mini)}
    text = built["guide/benchmarks.md"]
    assert "<svg" in text and "&lt;i&gt;x&lt;/i&gt;" in text and "<i>x</i>" not in text
    assert "ran more than once" in text  # the invalid repeat is listed, not averaged
    assert json.loads(built["guide/benchmarks/raw.json"])["runs"][3]["valid"] is False


@pytest.mark.brokers
@pytest.mark.parametrize("queue", [q.queue for q in p.load_plan(REPO / "data" / "bench.yaml").queues])
def test_quick_bench_smoke(repo, tmp_path, queue):
    """The real drivers on their first broker (Redis, or PostgreSQL for a PostgreSQL-only queue) with tiny
    sizes: complete, valid records (not a speed test)."""
    first_broker = next(q.brokers[0] for q in p.load_plan(REPO / "data" / "bench.yaml").queues if q.queue == queue)
    code = run_bench(
        repo,
        BenchOptions(
            quick=True,
            queues=(queue,),
            brokers=(first_broker,),
            settings=("default",),
            workloads=("throughput",),
            results_dir=str(tmp_path),
            seed=7,
        ),
        say=lambda _: None,
    )
    (path,) = tmp_path.glob("quick-*.json")
    body = json.loads(path.read_text())
    (run,) = body["runs"]
    assert run["valid"], (run["problems"], run["log_tail"])
    assert code == 0
    assert set(run["metrics"]) == set(stats.METRICS)
    assert run["answer"]["counts"]["drain"]["unique"] == body["method"]["sizes"]["n"]
    assert body["machine"]["cores"] >= 1 and body["versions"]["brokers"]["redis"]
    assert body["versions"]["libraries"][queue]
