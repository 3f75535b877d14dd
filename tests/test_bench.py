"""`whichqueue bench`: statistics, validity, the driver protocol, the page, and a --quick smoke run per library.

The smoke runs check the harness (every record complete and valid), never the speed.
"""

from __future__ import annotations

import importlib.util
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
        # 10 sends in batches of 4: rates 40, 20 and 10/s for the batches of 4, 4 and 2 -> median 20/s
        "timings": {
            "enqueue_batch": 4,
            "enqueue_batches_s": [0.1, 0.2, 0.2],
            "drain_tasks": 8,
            "drain_s": 0.2,
            "io_s": 1.0,
        },
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
    assert m["io_per_s"] == 10.0


def test_missing_or_zero_timings_make_a_run_invalid():
    for broken in ({"enqueue_batches_s": []}, {"enqueue_batches_s": [0.1, 0.0]}, {"drain_tasks": 0}, {"io_s": None}):
        bad = answer()
        bad["timings"] |= broken
        assert stats.problems("throughput", bad) == ["timings missing or zero"], broken


def test_enqueue_rate_is_the_median_batch_and_survives_one_pause():
    steady = {"enqueue_batch": 100, "enqueue_batches_s": [0.1] * 9 + [0.05]}  # 950 sends, the last batch of 50
    assert stats.enqueue_rate(950, steady) == 1000.0
    paused = steady | {"enqueue_batches_s": [0.1] * 4 + [2.0] + [0.1] * 4 + [0.05]}
    assert stats.enqueue_rate(950, paused) == 1000.0  # n / total time would say 339/s


def test_drain_window_leaves_out_ramp_up_and_stragglers():
    # the harness runs in each library's environment, not in ours: load it by path
    spec = importlib.util.spec_from_file_location("wq_harness", REPO / "benchmarks" / "_harness.py")
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    steady_window = harness.steady_window
    # 11 completions: a slow start (1 s), then one every 0.1 s, then a straggler 5 s later
    finished = [0.0, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 6.8]
    tasks, seconds = steady_window(finished, trim=0.1)
    assert (tasks, round(seconds, 6)) == (8, 0.8)  # 10 tasks/s, not 11 / 6.8 s
    assert steady_window([1.0]) == (0, 0.0)


def test_latency_percentiles_pool_the_samples_of_all_repeats():
    inv = p.Invocation("q", "redis", "default", "throughput", 0)
    runs = []
    for i, lat in enumerate(([1.0] * 99 + [50.0], [1.0] * 99 + [60.0], [2.0] * 100)):
        one = answer()
        one["latencies_ms"] = lat
        runs.append(record(inv, i, one, "", 1.0))
    (row,) = stats.summarize(runs)
    p99 = row["stats"]["latency_p99_ms"]
    assert p99["samples"] == 300 and p99["figure"] == 2.0  # the 297th of 300 sorted samples
    assert (p99["min"], p99["median"], p99["max"]) == (1.49, 1.59, 2.0)  # each repeat's own p99 is kept
    assert row["stats"]["drain_per_s"]["figure"] == row["stats"]["drain_per_s"]["median"]


def test_invalid_runs_are_not_averaged_in():
    inv = p.Invocation("q", "redis", "default", "throughput", 0)
    runs = [record(inv, 0, answer(), "", 1.0), record(inv, 1, answer(lost=3), "tail", 1.0)]
    runs[0]["metrics"]["drain_per_s"] = 100.0
    (row,) = stats.summarize(runs)
    assert (row["valid"], row["invalid"]) == (1, 1)
    assert row["stats"]["drain_per_s"]["median"] == 100.0 and row["stats"]["drain_per_s"]["n"] == 1


def test_spread_compares_the_published_figures():
    a = [{"queue": "q", "broker": "b", "setting": "s", "stats": {"x": {"median": 1.0, "figure": 100.0}}}]
    b = [{"queue": "q", "broker": "b", "setting": "s", "stats": {"x": {"median": 1.0, "figure": 108.0}}}]
    assert stats.spread(a, b)[0]["diff_pct"] == 8.0


def test_queue_sizes_override_the_mode_and_unknown_sizes_are_errors():
    modes = {m: dict.fromkeys(p.SIZE_KEYS, 1) for m in ("full", "quick")}
    queue = {"brokers": ["redis"], "settings": [{"id": "default", "label": "x"}], "sizes": {"full": {"n": 7}}}
    plan = p.parse_plan({"concurrency": 4, "modes": modes, "queues": {"alpha": queue}})
    inv = p.Invocation("alpha", "redis", "default", "throughput", 0)
    assert p.request(plan, "full", inv)["n"] == 7 and p.request(plan, "quick", inv)["n"] == 1
    for bad in ({"full": {"m": 7}}, {"slow": {"n": 7}}):
        with pytest.raises(p.PlanError, match="sizes"):
            p.parse_plan({"concurrency": 4, "modes": modes, "queues": {"alpha": queue | {"sizes": bad}}})


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


def _record(runs: list[dict], n: int = 1, load: float = 1.0) -> dict:
    from whichqueue.bench.run import assemble

    plan = p.parse_plan(
        {
            "concurrency": 4,
            "modes": {m: dict.fromkeys(p.SIZE_KEYS, n) for m in ("full", "quick")},
            "queues": {"alpha": {"brokers": ["redis"], "settings": [{"id": "default", "label": "<i>x</i>"}]}},
        }
    )
    return assemble(
        plan=plan,
        mode="full",
        seed=1,
        runs=runs,
        versions={"brokers": {"redis": "7.0"}, "libraries": {"alpha": "1.0"}},
        times={"started": "2026-01-01T00:00:00+00:00", "finished": "x", "wall_s": 1.0},
        load={"before": [load, 1.0, 1.0], "after": [1.0, 1.0, 1.0]},
    )


def test_page_with_results_has_charts_tables_and_raw_json(mini):
    inv = p.Invocation("alpha", "redis", "default", "throughput", 0)
    runs = [record(inv, i, answer(), "", 1.0) for i in range(3)]
    runs.append(record(inv, 3, answer(dup=2), "", 1.0))
    folder = mini.root / "results" / "bench"
    folder.mkdir(parents=True)
    (folder / "full-20260101T000000Z.json").write_text(json.dumps(_record(runs)))
    built = {pg.path: pg.text for pg in pages(mini)}
    text = built["guide/benchmarks.md"]
    assert "<svg" in text and "&lt;i&gt;x&lt;/i&gt;" in text and "<i>x</i>" not in text
    assert "ran more than once" in text  # the invalid repeat is listed, not averaged
    assert json.loads(built["guide/benchmarks/raw.json"])["runs"][3]["valid"] is False
    assert "Only one full run with this method" in text


def test_spread_compares_only_runs_made_with_the_same_method(mini):
    inv = p.Invocation("alpha", "redis", "default", "throughput", 0)
    fast, slow = answer(), answer()
    slow["timings"] = fast["timings"] | {"drain_s": 0.4}  # drain 20/s instead of 40/s
    slow["latencies_ms"] = [2 * x for x in fast["latencies_ms"]]
    folder = mini.root / "results" / "bench"
    folder.mkdir(parents=True)
    (folder / "full-20260101T000000Z.json").write_text(json.dumps(_record([record(inv, 0, fast, "", 1.0)])))
    (folder / "full-20260102T000000Z.json").write_text(json.dumps(_record([record(inv, 0, slow, "", 1.0)], n=2)))
    (folder / "full-20260103T000000Z.json").write_text(json.dumps(_record([record(inv, 0, slow, "", 1.0)], load=3.0)))
    text = {pg.path: pg.text for pg in pages(mini)}["guide/benchmarks.md"]
    # the newest run is compared with the first (same sizes), not with the second (other sizes)
    assert "`full-20260101T000000Z.json`, then\n`full-20260103T000000Z.json`" in text
    assert "| Drain rate, no-op tasks | 0 of 1 | -50.0 % |" in text
    assert "(other programs were running)" in text
    assert "the largest relative difference is +100.0 % (+2.50 ms)" in text


def test_runs_compare_when_the_throughput_method_agrees_and_only_unchanged_settings():
    from whichqueue.bench import page

    base = _record([])
    crash = json.loads(json.dumps(base))
    crash["method"]["sizes"]["settle_s"] = 15.0  # only the crash experiment changed
    bigger = json.loads(json.dumps(base))
    bigger["method"]["sizes"]["n"] = 2.0
    assert page.method(base) == page.method(crash) != page.method(bigger)
    tuned = json.loads(json.dumps(base))
    tuned["settings"]["alpha"][0]["options"] = {"prefetch": 1}
    assert page.same_settings(base, crash) == {("alpha", "default")}
    assert page.same_settings(base, tuned) == set()


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
