"""`whichqueue` command line: thin wrappers over the package's pure functions."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .paths import Layout, default_layout
from .yamlfile import DataErrors

# Exit codes: 0 ok, 1 a check failed, 2 could not run (bad data, broker down, bad usage).
OK, FAILED, CANNOT_RUN = 0, 1, 2


def cmd_render(args: argparse.Namespace, layout: Layout) -> int:
    from . import render
    from .site import pages

    built = pages(layout)
    if args.check:
        stale = render.check(built, layout.docs)
        for path in stale:
            print(f"out of date: docs/{path}", file=sys.stderr)
        if stale:
            print("run `whichqueue render` and commit nothing from docs/guide (it is generated)", file=sys.stderr)
        return FAILED if stale else OK
    changed = render.write(built, layout.docs)
    print(f"rendered {len(built)} pages ({changed} changed) into {layout.docs}")
    return OK


def cmd_stats(args: argparse.Namespace, layout: Layout) -> int:
    from .stats import compute

    stats = compute(layout)
    if args.json:
        print(json.dumps(stats, indent=1, sort_keys=True))
    else:
        width = max(map(len, stats))
        for key, value in stats.items():
            print(f"{key:<{width}}  {value}")
    return OK


def cmd_lint(args: argparse.Namespace, layout: Layout) -> int:
    from .lint import run_lint

    findings = run_lint(layout, max_age_days=args.max_age_days)
    errors = [f for f in findings if f.level == "error" or (args.strict and f.level == "warning")]
    for finding in findings:
        print(finding, file=sys.stderr)
    print(f"lint: {len(findings)} finding(s), {len(errors)} counted as errors{' (strict)' if args.strict else ''}")
    return FAILED if errors else OK


def cmd_verify(args: argparse.Namespace, layout: Layout) -> int:
    from .verify import VerifyOptions, run_verify

    options = VerifyOptions(
        queues=tuple(args.queue or ()),
        snippets=tuple(args.snippet or ()),
        brokers=tuple(args.broker or ()),
        repeat=args.repeat,
        jobs=args.jobs,
        results_dir=args.results_dir,
        progress=not args.quiet,
        start_brokers=args.start_brokers,
    )
    return run_verify(layout, options)


def cmd_bench(args: argparse.Namespace, layout: Layout) -> int:
    from .bench.run import BenchOptions, run_bench

    options = BenchOptions(
        quick=args.quick,
        queues=tuple(args.queue or ()),
        brokers=tuple(args.broker or ()),
        settings=tuple(args.setting or ()),
        workloads=tuple(args.workload or ("throughput", "reliability")),
        results_dir=args.results_dir,
        seed=args.seed,
    )
    return run_bench(layout, options)


def cmd_registry(args: argparse.Namespace, layout: Layout) -> int:
    from .catalog import load_catalog
    from .registry import refresh

    names = args.names or [q.pypi for q in load_catalog(layout).queues]
    for path in refresh(names, layout.data / "registry"):
        print(f"wrote {path.relative_to(layout.root)}")
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whichqueue", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("render", help="render data + results into docs/ (Markdown)")
    p.add_argument("--check", action="store_true", help="fail if the generated pages are out of date")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("verify", help="run snippets against real brokers and record results")
    p.add_argument("--queue", action="append", help="only this queue (repeatable)")
    p.add_argument("--snippet", action="append", help="only this snippet id, e.g. celery/retries (repeatable)")
    p.add_argument("--broker", action="append", help="only this broker id (repeatable)")
    p.add_argument("--repeat", type=int, default=1, help="run each snippet N times to expose flakiness")
    p.add_argument("--jobs", type=int, default=0, help="parallel snippets (default: 3 x cores, max 12)")
    p.add_argument("--results-dir", default=None, help="write results here instead of results/")
    p.add_argument("--quiet", action="store_true", help="no live progress lines")
    p.add_argument(
        "--start-brokers", action="store_true", help="if a broker is down, try `docker compose up -d --wait`"
    )
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("bench", help="measure throughput, latency, memory and crash behaviour (data/bench.yaml)")
    p.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: checks the harness, not the speed")
    p.add_argument("--queue", action="append", help="only this queue (repeatable)")
    p.add_argument("--broker", action="append", help="only this broker id (repeatable)")
    p.add_argument("--setting", action="append", help="only this setting id, e.g. default (repeatable)")
    p.add_argument("--workload", action="append", choices=["throughput", "reliability"], help="only this workload")
    p.add_argument("--results-dir", default=None, help="default: results/bench (full), .cache/bench (--quick)")
    p.add_argument("--seed", type=int, default=None, help="seed of the randomized order (default: random)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("stats", help="counts of claims, evidence and the latest run")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("lint", help="check data, snippets and evidence")
    p.add_argument("--strict", action="store_true", help="warnings count as errors")
    p.add_argument("--max-age-days", type=int, default=120, help="evidence older than this is stale")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("registry", help="refresh data/registry/ from PyPI (needs the network)")
    p.add_argument("names", nargs="*", help="PyPI names (default: every queue)")
    p.set_defaults(func=cmd_registry)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, default_layout())
    except DataErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} data error(s)", file=sys.stderr)
        return CANNOT_RUN
    except FileNotFoundError as exc:
        print(f"whichqueue: {exc}", file=sys.stderr)
        return CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
