"""``python -m bench``: run the benchmarks and write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
from pathlib import Path

from .sizes import DEMO_SCALES, QUICK_DEMO_SCALES


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/100 of every size and small demo scales (minutes)")
    parser.add_argument("--out", type=Path, default=None,
                        help="Markdown page to write "
                             "(default: docs/benchmarks.md; with --quick /tmp/sqltrain-bench/benchmarks-quick.md)")
    parser.add_argument("--runs", type=int, default=3, help="runs per contender, the median is reported (default 3)")
    parser.add_argument("--no-feast", dest="feast", action="store_false", help="skip Feast (no venv, no install)")
    parser.add_argument("--feast-timeout", type=float, default=None,
                        help="most seconds Feast gets at the first size, where it gets 22x sqltrain's time (default 600)")
    parser.add_argument("--feast-timeout-other", type=float, default=None,
                        help="seconds Feast gets at the other sizes (default 45)")
    parser.add_argument("--scales", type=float, nargs="*", default=None,
                        help="demo scales for sqltrain snapshot (default 1 10 100)")
    parser.add_argument("--snapshot-timeout", type=float, default=900,
                        help="seconds one sqltrain snapshot may take (default 900)")
    parser.add_argument("--deadline-min", type=float, default=26,
                        help="start no new benchmark (nor contender) after this many minutes; what is left is listed "
                             "as skipped (default 26: the running job still ends inside 30 minutes)")
    parser.add_argument("--contender-budget", type=float, default=20,
                        help="stop repeating a contender once its runs add up to this many seconds (default 20)")
    parser.add_argument("--no-spark", dest="spark", action="store_false", help="skip Spark (contenders and scale-out)")
    parser.add_argument("--spark-timeout", type=float, default=300,
                        help="seconds one Spark query may take at the headline size (default 300)")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false",
                        help="skip PostgreSQL (no cluster is started)")
    parser.add_argument("--postgres-timeout", type=float, default=None,
                        help="seconds one Postgres query may take (statement_timeout; default 60, quick 30)")
    parser.add_argument("--postgres-budget", type=float, default=None,
                        help="seconds Postgres gets at one size, load and queries (default 180, quick 60)")
    parser.add_argument("--no-scaleout", dest="scaleout", action="store_false", help="skip the scale-out figure")
    parser.add_argument("--scaleout-budget", type=float, default=None,
                        help="seconds for the whole scale-out figure, inputs included (default 180; quick 60)")
    parser.add_argument("--scaleout-timeout", type=float, default=None,
                        help="seconds one engine's run may take in the scale-out figure (default 120; quick 30)")
    parser.add_argument("--no-known-at", dest="known_at", action="store_false",
                        help="skip the point-in-time join with known_at (late-arriving rows)")
    parser.add_argument("--no-wide", dest="wide", action="store_false", help="skip the wide training sets")
    parser.add_argument("--no-end-to-end", dest="end_to_end", action="store_false", help="skip the CLI runs")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sqltrain-bench"), help="scratch space (GBs at full size)")
    args = parser.parse_args(argv)

    from .compiled import repository_root
    from .report import write
    from .runner import Options, run_benchmarks

    quick = args.quick
    options = Options(
        quick=quick, runs=args.runs, feast=args.feast,
        feast_timeout_s=args.feast_timeout or 600,
        feast_timeout_other_s=args.feast_timeout_other or 45,
        scales=tuple(args.scales) if args.scales is not None else (QUICK_DEMO_SCALES if quick else DEMO_SCALES),
        snapshot_timeout_s=args.snapshot_timeout, end_to_end=args.end_to_end, workdir=args.workdir,
        deadline_s=args.deadline_min * 60, contender_budget_s=args.contender_budget,
        spark=args.spark, spark_timeout_s=args.spark_timeout, scaleout=args.scaleout,
        scaleout_budget_s=args.scaleout_budget or (60 if quick else 180),
        known_at=args.known_at, wide=args.wide, postgres=args.postgres,
        postgres_timeout_s=args.postgres_timeout or (30 if quick else 60),
        postgres_budget_s=args.postgres_budget or (60 if quick else 180),
        scaleout_timeout_s=args.scaleout_timeout or (30 if quick else 120),
        command_line="python -m bench " + shlex.join(argv) if argv else "python -m bench",
    )
    out = args.out or (args.workdir / "benchmarks-quick.md" if quick else repository_root() / "docs" / "benchmarks.md")
    # a `timeout` or `kill` ends the run through its finally blocks: the Postgres cluster is stopped and removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = run_benchmarks(options, log=lambda line: print(line, flush=True))
    page, image = write(report, out)
    print(f"wrote {page} and {image}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
