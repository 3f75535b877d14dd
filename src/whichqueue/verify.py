"""`whichqueue verify`: every snippet, on every broker it supports, in parallel, against real brokers.

Order of work: select jobs -> check brokers (fail fast, exit 2) -> build/reuse environments -> isolate
(per-run vhost, per-job namespace) -> run in parallel with live progress -> clean up -> write results
atomically -> print the summary. Ctrl-C kills every running snippet, cleans up, and writes nothing.
"""

from __future__ import annotations

import itertools
import os
import platform
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from . import brokers as b
from . import envs, runner
from . import model as m
from .catalog import load_catalog
from .paths import Layout
from .results import ResultFile, RunEnv, RunSummary, SnippetResult, merge, parse, summary_json, write_atomic

OK, FAILED, CANNOT_RUN, INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True)
class VerifyOptions:
    queues: tuple[str, ...] = ()
    snippets: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    repeat: int = 1
    jobs: int = 0
    results_dir: str | None = None
    progress: bool = True
    start_brokers: bool = False

    @property
    def full(self) -> bool:
        return not (self.queues or self.snippets or self.brokers)


def select(catalog: m.Catalog, options: VerifyOptions) -> list[tuple[m.Snippet, str]]:
    """(snippet, broker) pairs to run, in catalog order. Unknown names raise ValueError."""
    known_q = {q.id for q in catalog.queues}
    known_s = {s.id for s in catalog.snippets()}
    for name, known, what in (
        (options.queues, known_q, "queue"),
        (options.snippets, known_s, "snippet"),
        (options.brokers, set(catalog.brokers), "broker"),
    ):
        unknown = sorted(set(name) - known)
        if unknown:
            raise ValueError(f"unknown {what} {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return [
        (s, broker)
        for s in catalog.snippets()
        if (not options.queues or s.queue in options.queues) and (not options.snippets or s.id in options.snippets)
        for broker in s.brokers
        if not options.brokers or broker in options.brokers
    ]


def start_order(pairs: list[tuple[m.Snippet, str]], repeat: int = 1) -> list[tuple[m.Snippet, str]]:
    """The pairs (each `repeat` times) taking turns between queues, and the repeats of one pair apart.

    In catalog order the parallel slots all held snippets of one library at once: eight Procrastinate
    snippets, each with its own and its workers' connection pools, came close to PostgreSQL's default of
    100 connections, and went over it with --repeat 3 ("too many clients already").
    """
    by_queue: dict[str, list[tuple[m.Snippet, str]]] = {}
    for _ in range(max(1, repeat)):
        for pair in pairs:
            by_queue.setdefault(pair[0].queue, []).append(pair)
    turns = itertools.zip_longest(*by_queue.values())
    return [pair for turn in turns for pair in turn if pair is not None]


def default_jobs() -> int:
    # Snippets mostly wait on brokers and worker start-up; a few per core keeps the CPUs busy.
    return max(2, min(12, 4 * (os.cpu_count() or 2)))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_verify(layout: Layout, options: VerifyOptions, say: Callable[[str], None] = _say) -> int:
    catalog = load_catalog(layout)
    try:
        pairs = select(catalog, options)
    except ValueError as exc:
        say(f"whichqueue verify: {exc}")
        return CANNOT_RUN
    if not pairs:
        say("whichqueue verify: nothing selected")
        return CANNOT_RUN

    # 1. Brokers first: a down broker is reported within seconds, before any environment is built.
    needed = sorted({broker for _, broker in pairs} - {"none"})
    if needed and "redis" in catalog.brokers and "redis" not in needed:
        needed = sorted([*needed, "redis"])  # snippets keep results in Redis whatever carries the tasks
    urls = {bid: b.resolve_url(catalog.brokers[bid]) for bid in needed}
    problems = b.unreachable(catalog, urls)
    if problems and options.start_brokers and b.compose_up(layout.root, say):
        problems = b.unreachable(catalog, urls)
    if problems:
        for problem in problems:
            say(f"whichqueue verify: {problem}")
        say("Nothing was run and results/ is unchanged.")
        return CANNOT_RUN
    versions = {bid: b.broker_version(catalog.brokers[bid], urls[bid]) for bid in needed} | {"none": ""}

    # 2. Environments, one per queue library.
    try:
        pythons = envs.ensure_all(layout, [catalog.queue(q) for q in {s.queue for s, _ in pairs}], say)
    except envs.EnvError as exc:
        say(f"whichqueue verify: {exc}")
        return CANNOT_RUN

    # 3. Isolation: a vhost for this run, a namespace per job.
    run_id = f"wq-{datetime.now(UTC):%m%d%H%M%S}-{secrets.token_hex(2)}"
    vhost = None
    if "rabbitmq" in needed:
        vhost = b.create_vhost(urls["rabbitmq"], run_id)
        if vhost is None:
            say(
                "whichqueue verify: could not create a RabbitMQ vhost (no local rabbitmqctl and no management "
                "API on :15672); enable one, e.g. `docker compose up -d --wait rabbitmq`."
            )
            return CANNOT_RUN
    redis_url = b.resolve_url(catalog.brokers["redis"]) if "redis" in catalog.brokers else ""

    started = time.monotonic()
    jobs: list[runner.Job] = []
    databases: list[str] = []  # filled as created, so a failure half-way still cleans up what exists
    outcomes: list[tuple[runner.Job, SnippetResult]] = []
    live: dict[str, runner.Running] = {}
    interrupted = False
    try:
        for n, (snippet, broker) in enumerate(start_order(pairs, options.repeat)):
            broker_url = vhost.url() if broker == "rabbitmq" and vhost else urls.get(broker, "")
            if broker == "postgres":  # a database per job: schemas and job tables never collide
                databases.append(f"{run_id}-{n}")
                broker_url = b.create_database(urls["postgres"], databases[-1])
            jobs.append(
                runner.Job(
                    snippet_id=snippet.id,
                    file=layout.root / snippet.path,
                    python=pythons[snippet.queue],
                    broker=broker,
                    env={"BROKER_URL": broker_url, "REDIS_URL": redis_url},
                    namespace=f"{run_id}-{n}",
                    timeout=snippet.timeout,
                )
            )
        outcomes = _run_parallel(jobs, options.jobs or default_jobs(), live, say if options.progress else None)
    except KeyboardInterrupt:
        interrupted = True
        say("\ninterrupted: stopping every running snippet and its workers ...")
        for running in list(live.values()):
            runner.kill_group(running.proc)
    finally:
        for job in jobs:
            runner.sweep(job.namespace)
        removed = 0
        if "redis" in needed:
            try:
                removed = b.delete_redis_keys(redis_url, f"*{run_id}*")
            except Exception as exc:  # the broker may have died mid-run: report, finish the clean-up
                say(f"warning: could not delete this run's Redis keys (*{run_id}*): {exc}")
        for name in databases:
            if not b.drop_database(urls["postgres"], name):
                say(f"warning: could not drop PostgreSQL database {name}; drop it by hand")
        if vhost is not None and not b.delete_vhost(vhost):
            say(f"warning: could not delete RabbitMQ vhost {vhost.name}; delete it by hand")
        if removed:
            say(f"cleaned up {removed} leftover Redis key(s) of this run")
    wall = time.monotonic() - started
    if interrupted:
        say("Nothing was written to results/.")
        return INTERRUPTED

    results_dir = Path(options.results_dir) if options.results_dir else layout.results
    summary = _write_results(catalog, results_dir, outcomes, versions, options)
    _print_table(outcomes, say)
    total = sum(r.duration_s for _, r in outcomes)
    counts = {s: sum(1 for r in summary if r.status == s) for s in ("pass", "fail", "error")}
    say(
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['error']} errors "
        f"in {wall:.1f} s wall ({total:.1f} s of snippet time, {total / wall if wall else 0:.1f}x parallel)"
    )
    if options.full and options.repeat == 1:
        write_atomic(
            results_dir / "last-run.json",
            summary_json(
                RunSummary(
                    finished=datetime.now(UTC).isoformat(timespec="seconds"),
                    wall_s=round(wall, 2),
                    sum_s=round(total, 2),
                    runs=len(outcomes),
                    passed=counts["pass"],
                    failed=counts["fail"],
                    errors=counts["error"],
                )
            ),
        )
    return OK if counts["fail"] == counts["error"] == 0 else FAILED


def _run_parallel(
    jobs: list[runner.Job], width: int, live: dict[str, runner.Running], say: Callable[[str], None] | None
) -> list[tuple[runner.Job, SnippetResult]]:
    outcomes: list[tuple[runner.Job, SnippetResult]] = []
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="snippet")
    try:
        pending: dict[Future[SnippetResult], runner.Job] = {pool.submit(runner.run, j, live): j for j in jobs}
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                result = future.result()
                with lock:
                    outcomes.append((job, result))
                if say:
                    say(
                        f"[{len(outcomes):>3}/{len(jobs)}] {result.status.upper():<5} {job.snippet_id} @ {job.broker}"
                        f"  {result.duration_s:.1f} s{'  ' + result.message if result.message else ''}"
                    )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return outcomes


def _combine(results: list[SnippetResult]) -> SnippetResult:
    """With --repeat, one bad run makes the snippet's record bad: flakiness must show."""
    bad = [r for r in results if r.status != "pass"]
    if not bad:
        return max(results, key=lambda r: r.duration_s)
    worst = next((r for r in bad if r.status == "fail"), bad[0])
    if len(results) == 1:
        return worst
    return replace(worst, message=f"{len(bad)} of {len(results)} runs not passing; first: {worst.message}")


def _write_results(
    catalog: m.Catalog,
    results_dir: Path,
    outcomes: list[tuple[runner.Job, SnippetResult]],
    versions: dict[str, str],
    options: VerifyOptions,
) -> list[SnippetResult]:
    grouped: dict[tuple[str, str], dict[str, list[SnippetResult]]] = {}
    for job, result in outcomes:
        queue_id = job.snippet_id.split("/")[0]
        grouped.setdefault((queue_id, job.broker), {}).setdefault(job.snippet_id, []).append(result)
    combined: list[SnippetResult] = []
    files: list[ResultFile] = []
    for (queue_id, broker), by_snippet in sorted(grouped.items()):
        queue = catalog.queue(queue_id)
        env = RunEnv(
            queue=queue_id,
            version=queue.version,
            broker=broker,
            broker_version=versions[broker],
            python=platform.python_version(),
            os=f"{platform.system()} {platform.machine()}",
        )
        new = {sid: _combine(rs) for sid, rs in by_snippet.items()}
        combined += new.values()
        path = results_dir / env.filename
        old = parse(path.read_text(encoding="utf-8")) if path.is_file() else None
        files.append(merge(old, env, new))
    for file in files:  # all computed first, then written: an error above leaves results/ untouched
        write_atomic(results_dir / file.env.filename, file.to_json())
    return combined


def _print_table(outcomes: list[tuple[runner.Job, SnippetResult]], say: Callable[[str], None]) -> None:
    rows = sorted(outcomes, key=lambda o: (o[0].snippet_id, o[0].broker))
    width = max((len(j.snippet_id) for j, _ in rows), default=10)
    say("")
    say(f"{'snippet':<{width}}  {'broker':<9} {'status':<6} {'time':>6}  observed / message")
    for job, result in rows:
        detail = result.observed or result.message
        say(f"{job.snippet_id:<{width}}  {job.broker:<9} {result.status:<6} {result.duration_s:>5.1f}s  {detail[:90]}")
