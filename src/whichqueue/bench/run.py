"""`whichqueue bench`: run the drivers of data/bench.yaml one at a time and write one JSON record.

Order of work, like `whichqueue verify`: plan -> brokers (fail fast, exit 2) -> environments -> isolation
(a RabbitMQ vhost per run, a namespace per invocation, a PostgreSQL database per driver run) -> invocations
in randomized order, one at a time (they measure speed: running them in parallel would measure each other)
-> clean-up -> write atomically.
Ctrl-C kills the running driver and its workers, cleans up and writes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import brokers as b
from .. import envs, runner
from ..catalog import load_catalog
from ..paths import Layout
from ..results import write_atomic
from . import plan as p
from . import stats

OK, FAILED, CANNOT_RUN, INTERRUPTED = 0, 1, 2, 130
FORMAT = 2
ANSWER = "WQBENCH "


@dataclass(frozen=True)
class BenchOptions:
    quick: bool = False
    queues: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    workloads: tuple[str, ...] = p.WORKLOADS
    results_dir: str | None = None
    seed: int | None = None

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parse_answer(stdout: str) -> dict[str, Any] | None:
    """The driver's last `WQBENCH {json}` line, or None when there is none or it is not a JSON object."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(ANSWER):
            with contextlib.suppress(ValueError):
                answer = json.loads(line[len(ANSWER) :])
                return answer if isinstance(answer, dict) else None
            return None
    return None


def machine() -> dict[str, Any]:
    """What a reader needs to judge the numbers: CPU, cores, memory, OS, Python, load."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            cpu,
        )
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kb = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "network": "loopback (brokers on 127.0.0.1)",
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_driver(
    python: Path, root: Path, queue: str, request: dict[str, Any], env: dict[str, str], timeout: float
) -> tuple[dict[str, Any] | None, str, float]:
    """One driver in its own process group; returns (answer, log tail, seconds). Leaves no process behind."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONHOME"))}
    full_env.update(env, PYTHONPATH=str(root), PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    started = time.monotonic()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [str(python), "-P", "-m", f"benchmarks.{queue}"],
            cwd=root,
            env=full_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,  # a file, not a pipe: a chatty worker can never block on it
            start_new_session=True,
        )
        try:
            out, _ = proc.communicate(json.dumps(request).encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            runner.kill_group(proc)
            out, _ = proc.communicate()
            log.write(f"\n(killed after {timeout:g} s)".encode())
        finally:
            runner.kill_group(proc)
            runner.sweep(env["WQ_NAMESPACE"])
        log.seek(0)
        tail = "\n".join(log.read().decode("utf-8", "replace").splitlines()[-15:])
    return parse_answer(out.decode("utf-8", "replace")), tail, time.monotonic() - started


def record(inv: p.Invocation, order: int, answer: dict[str, Any] | None, tail: str, seconds: float) -> dict[str, Any]:
    """The stored form of one invocation: validity, metrics, and the driver's raw answer."""
    found = stats.problems(inv.workload, answer)
    return {
        "queue": inv.queue,
        "broker": inv.broker,
        "setting": inv.setting,
        "workload": inv.workload,
        "repeat": inv.repeat,
        "order": order,
        "valid": not found,
        "problems": found,
        "metrics": stats.metrics(inv.workload, answer),
        "seconds": round(seconds, 2),
        "answer": answer,
        "log_tail": tail if found else "",
    }


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_bench(layout: Layout, options: BenchOptions, say: Callable[[str], None] = _say) -> int:
    """Run the benchmark and write results/bench/<mode>-<time>.json; exit code as `verify`'s.

    SIGTERM is handled like Ctrl-C (a background run ignores SIGINT): kill, clean up, write nothing.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    catalog = load_catalog(layout)
    try:
        plan = p.load_plan(layout.data / "bench.yaml")
        known = {q.id: q for q in catalog.queues}
        for qp in plan.queues:
            if qp.queue not in known:
                raise p.PlanError(f"data/bench.yaml: unknown queue {qp.queue!r}")
            if not (layout.root / "benchmarks" / f"{qp.queue}.py").is_file():
                raise p.PlanError(f"data/bench.yaml: no driver benchmarks/{qp.queue}.py")
        seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
        todo = p.invocations(
            plan,
            options.mode,
            queues=options.queues,
            brokers=options.brokers,
            settings=options.settings,
            workloads=options.workloads,
            seed=seed,
        )
    except (p.PlanError, OSError) as exc:
        say(f"whichqueue bench: {exc}")
        return CANNOT_RUN
    if not todo:
        say("whichqueue bench: nothing selected")
        return CANNOT_RUN

    needed = sorted({inv.broker for inv in todo} | {"redis"})  # tasks are always counted in Redis
    urls = {bid: b.resolve_url(catalog.brokers[bid]) for bid in needed}
    problems = b.unreachable(catalog, urls)
    if problems:
        for problem in problems:
            say(f"whichqueue bench: {problem}")
        return CANNOT_RUN
    versions = {bid: b.broker_version(catalog.brokers[bid], urls[bid]) for bid in needed}
    try:
        pythons = envs.ensure_all(layout, [known[q] for q in {inv.queue for inv in todo}], say)
    except envs.EnvError as exc:
        say(f"whichqueue bench: {exc}")
        return CANNOT_RUN

    run_id = f"wqbench-{datetime.now(UTC):%m%d%H%M%S}-{secrets.token_hex(2)}"
    vhost = None
    if "rabbitmq" in needed:
        vhost = b.create_vhost(urls["rabbitmq"], run_id)
        if vhost is None:
            say("whichqueue bench: could not create a RabbitMQ vhost (rabbitmqctl or the management API)")
            return CANNOT_RUN
    timeout = 4 * float(plan.modes[options.mode]["phase_timeout"]) + 60
    started_at, started = datetime.now(UTC), time.monotonic()
    load_before = load_average()
    if stats.busy(load_before):
        say(f"warning: load average {load_before[0]} before the run: other programs are busy, figures will be noisier")
    runs: list[dict[str, Any]] = []
    namespaces: list[str] = []
    databases: list[str] = []  # created and not dropped yet: the finally below drops them on error or Ctrl-C
    try:
        for order, inv in enumerate(todo):
            ns = f"{run_id}-{order}"
            namespaces.append(ns)
            setting = next(s for q in plan.queues if q.queue == inv.queue for s in q.settings if s.id == inv.setting)
            broker_url = vhost.url() if inv.broker == "rabbitmq" and vhost else urls[inv.broker]
            if inv.broker == "postgres":  # a fresh database per driver run: no schema or job row carries over
                databases.append(ns)  # named before it exists, so a failure half-way still cleans up
                try:
                    broker_url = b.create_database(urls["postgres"], ns)
                except Exception as exc:  # psycopg.Error or OSError: the finally below still cleans up
                    say(f"whichqueue bench: could not create PostgreSQL database {ns}: {exc}")
                    return CANNOT_RUN
            env = {
                "BROKER_URL": broker_url,
                "REDIS_URL": urls["redis"],
                "WQ_NAMESPACE": ns,
                "WQBENCH_OPTIONS": json.dumps(setting.options),
            }
            answer, tail, seconds = run_driver(
                pythons[inv.queue], layout.root, inv.queue, p.request(plan, options.mode, inv), env, timeout
            )
            runs.append(record(inv, order, answer, tail, seconds))
            if inv.broker == "postgres":  # the driver and its workers are gone: drop now, at most one at a time
                _drop_databases(urls["postgres"], [databases.pop()], say)
            say(_progress(order + 1, len(todo), runs[-1]))
    except KeyboardInterrupt:
        say("\ninterrupted: the running driver and its workers were killed; nothing was written")
        return INTERRUPTED
    finally:
        for ns in namespaces:
            runner.sweep(ns)
        b.delete_redis_keys(urls["redis"], f"*{run_id}*")
        if databases:
            _drop_databases(urls["postgres"], databases, say)
        if vhost is not None and not b.delete_vhost(vhost):
            say(f"warning: could not delete RabbitMQ vhost {vhost.name}; delete it by hand")

    body = assemble(
        plan=plan,
        mode=options.mode,
        seed=seed,
        runs=runs,
        versions={"brokers": versions, "libraries": _versions(runs, catalog)},
        times={
            "started": started_at.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_s": round(time.monotonic() - started, 1),
        },
        load={"before": load_before, "after": load_average()},
        selection={
            "queues": list(options.queues),
            "brokers": list(options.brokers),
            "settings": list(options.settings),
            "workloads": list(options.workloads),
        },
    )
    results_dir = Path(options.results_dir) if options.results_dir else _default_dir(layout, options)
    path = results_dir / f"{options.mode}-{started_at:%Y%m%dT%H%M%SZ}.json"
    write_atomic(path, json.dumps(body, indent=1, sort_keys=True) + "\n")
    _print_summary(body, say)
    say(f"wrote {path}")
    return OK if all(r["valid"] for r in runs) else FAILED


def _drop_databases(base_url: str, names: list[str], say: Callable[[str], None]) -> None:
    """Drop the runs' databases (FORCE: a killed worker may still hold a connection); warn about failures."""
    for name in names:
        if not b.drop_database(base_url, name):
            say(f"warning: could not drop PostgreSQL database {name}; drop it by hand")


def _default_dir(layout: Layout, options: BenchOptions) -> Path:
    # Quick runs check the harness; only full runs are evidence worth committing.
    return layout.results / "bench" if not options.quick else layout.root / ".cache" / "bench"


def _versions(runs: list[dict[str, Any]], catalog: Any) -> dict[str, str]:
    seen = {r["queue"]: (r["answer"] or {}).get("version") for r in runs if r["answer"]}
    return {q: v or catalog.queue(q).version for q, v in sorted(seen.items())}


def assemble(
    *,
    plan: p.Plan,
    mode: str,
    seed: int,
    runs: list[dict[str, Any]],
    versions: dict[str, Any],
    times: dict[str, Any],
    load: dict[str, list[float]],
    selection: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The JSON record of one bench run (pure): method, environment, every run, and the summaries."""
    return {
        "format": FORMAT,
        "kind": "whichqueue-bench",
        "mode": mode,
        "seed": seed,
        # A narrowed run (--queue, --setting...) still counts for the run-to-run spread, but the page shows
        # the newest complete run.
        "selection": selection or {},
        "complete": not selection
        or (
            not any(selection.get(k) for k in ("queues", "brokers", "settings"))
            and set(selection.get("workloads") or p.WORKLOADS) == set(p.WORKLOADS)
        ),
        **times,
        "machine": machine() | {"load_average": load},
        "versions": versions,
        "method": {
            "concurrency": plan.concurrency,
            "sizes": plan.modes[mode],
            "overrides": {q.queue: q.sizes[mode] for q in plan.queues if q.sizes.get(mode)},
        },
        "settings": {
            q.queue: [{"id": s.id, "label": s.label, "options": s.options} for s in q.settings] for q in plan.queues
        },
        "runs": runs,
        "summary": stats.summarize(runs, "throughput"),
        "reliability": stats.summarize(runs, "reliability"),
    }


def _progress(done: int, total: int, run: dict[str, Any]) -> str:
    m = run["metrics"]
    head = f"[{done:>3}/{total}] {run['queue']} @ {run['broker']} ({run['setting']}, {run['workload']})"
    if not run["valid"]:
        return f"{head}  INVALID: {'; '.join(run['problems'])}  {run['seconds']:.1f} s"
    if run["workload"] == "reliability":
        return f"{head}  completed {m['completed_pct']}%  duplicated {m['duplicated_pct']}%  {run['seconds']:.1f} s"
    return (
        f"{head}  enqueue {m['enqueue_per_s']:.0f}/s  drain {m['drain_per_s']:.0f}/s  "
        f"p50 {m['latency_p50_ms']:.1f} ms  io {m['io_per_s']:.0f}/s  rss {m['rss_peak_mb']:.0f} MB  "
        f"{run['seconds']:.1f} s"
    )


def _print_summary(body: dict[str, Any], say: Callable[[str], None]) -> None:
    say("")
    say(f"{'queue @ broker (setting)':<40} {'valid':>5}  {'drain/s median':>14}  {'p50 ms median':>13}")
    for row in body["summary"]:
        s = row["stats"]
        drain = f"{s['drain_per_s']['median']:.0f}" if "drain_per_s" in s else "-"
        p50 = f"{s['latency_p50_ms']['median']:.1f}" if "latency_p50_ms" in s else "-"
        name = f"{row['queue']} @ {row['broker']} ({row['setting']})"
        say(f"{name:<40} {row['valid']:>2}/{row['valid'] + row['invalid']:<2}  {drain:>14}  {p50:>13}")
    load = body["machine"]["load_average"]
    say(f"load average before {load['before']}, after {load['after']}")
