"""Command line: `python -m engine run FILE.json` (with `--trace N`, N sampled requests' stories
instead of the report) and `python -m engine check FILE.json`."""

import argparse
import json
import sys

from engine import TopologyError, analyze, load, run
from engine.readouts.statistics import MAX_REPLICATIONS
from engine.simulation.runs import MAX_TRACE, replicate, stories


def read(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def cmd_run(args: argparse.Namespace) -> int:
    try:
        if args.trace:
            report = stories(read(args.file), args.duration, args.trace, seed=args.seed, warmup_s=args.warmup)
        elif args.replications > 1:
            report = replicate(read(args.file), args.duration, args.replications, seed=args.seed,
                               warmup_s=args.warmup)  # fmt: skip
        else:
            report = run(read(args.file), args.duration, seed=args.seed, warmup_s=args.warmup)
    except TopologyError as exc:
        print_problems(exc.problems)
        return 1
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        topology = load(read(args.file))
    except TopologyError as exc:
        print_problems(exc.problems)
        return 1
    findings = analyze(topology)
    print(f"OK: {len(topology.ids)} nodes, {len(topology.edges)} edges.")
    for finding in findings:
        print(f"finding  {finding.node or '-'}: {finding.message}")
    return 0


def print_problems(problems: list[dict]) -> None:
    for problem in problems:
        print(f"problem  {problem['path'] or '(document)'}: {problem['message']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Scale Playground's simulation engine.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="simulate and print the report as JSON")
    run_parser.add_argument("file")
    run_parser.add_argument("--duration", type=float, default=600.0, help="measured simulated seconds")
    run_parser.add_argument("--seed", type=int, default=0)
    run_parser.add_argument("--warmup", type=float, default=0.0, help="simulated seconds dropped first")
    run_parser.add_argument(
        "--replications",
        type=int,
        default=1,
        choices=range(1, MAX_REPLICATIONS + 1),
        metavar=f"1..{MAX_REPLICATIONS}",
        help="run on this many seeds (seed, seed + 1, ...) and give each figure's mean with a 95%% confidence interval",
    )
    run_parser.add_argument(
        "--trace",
        type=int,
        default=0,
        choices=range(0, MAX_TRACE + 1),
        metavar=f"0..{MAX_TRACE}",
        help="print the stories of this many sampled requests (hop by hop) as JSON instead of the report",
    )
    run_parser.set_defaults(handler=cmd_run)
    check_parser = commands.add_parser("check", help="print problems and design findings")
    check_parser.add_argument("file")
    check_parser.set_defaults(handler=cmd_check)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"Cannot read {args.file}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
