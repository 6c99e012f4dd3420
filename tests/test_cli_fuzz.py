"""Fuzzing every command's options: never a traceback, an exit in {0, 1, 2, 130}, one error line,
nothing written outside the output the case names, the warehouse unchanged (docs/reliability.md).

Most cases run in this process through ``sqltrain.cli.main`` (click's ``CliRunner`` isolates the
streams): they exercise what runs before dbt — click's parsing and types, the output checks,
``Project.open`` and ``--target`` — which is where bad input must be caught. A case that gets that
far is stopped where dbt would start (dbt's runner raises ``ReachedDbt``) and counted: running dbt
for hundreds of cases would take an hour. A few real processes then run commands end to end with
hostile values, dbt included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_harness import error_lines, listing, run_cli, sha256

REPO = Path(__file__).resolve().parents[1]
EXITS = {0, 1, 2, 130}
CASES = int(os.environ.get("SQLTRAIN_FUZZ_CASES", 300))  # ~40 s; raise it for a longer hunt


class ReachedDbt(BaseException):
    """Raised where dbt would start: the case passed every check made before dbt."""


class _StopAtDbt:
    def __init__(self, *args, **kwargs):
        pass

    def invoke(self, args):
        raise ReachedDbt(args[0])


# -- values ------------------------------------------------------------------------------------

NASTY = ["", " ", "'", '"', "\\", "'; drop table raw.orders; --", "$(touch pwned)", "`id`", "%s", "{0}", "{{ var('x') }}",
         "ü名🙂", "\u202e", "-", "--help", "-h", "nan", "inf", "-inf", "1e308", "-1", "0", "99999999999999999999999",
         "x" * 5000]
DATES = st.one_of(
    st.sampled_from(["2025-06-01", "2025-03-01T12:00:00Z", "2025-02-30", "2025-13-01", "0001-01-01T00:00:00+01:00",
                     "9999-12-31T23:59:59-14:00", "2019-01-01", "2031-01-01", "now()", "2025-06-01'; --"]),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(NASTY), st.text(max_size=30),
)
PERIODS = st.one_of(
    st.sampled_from(["1 month", "2 weeks", "P1M", "PT6H", "month", "30 days", "0 days", "-1 month", "999999999 years",
                     "99999999999999999999 hours", "P99999999999Y", "1 fortnight", "PT0H", "1 monthly"]),
    st.integers(-10**30, 10**30).flatmap(lambda n: st.sampled_from([f"{n} days", f"P{n}M", f"{n}y", f"PT{n}H"])),
    st.sampled_from(NASTY), st.text(max_size=20),
)
NUMBERS = st.one_of(st.integers(-2**80, 2**80).map(str), st.floats().map(str), st.sampled_from(NASTY),
                    st.text(max_size=12))
MODELS = st.one_of(st.sampled_from(["churn_training", "spine_customer_monthly", "stg_customers", "nosuch",
                                    "churn_training'; --", "../models", "CHURN_TRAINING"]),
                   st.sampled_from(NASTY), st.text(max_size=40))
TARGETS = st.one_of(st.sampled_from(["dev", "spark", "nosuch", "dev'", "ü" * 300]), st.text(max_size=20))
# relative path parts only, at most two ".." (the sandbox is two folders deep): nothing can point
# outside it but the explicit /proc and read-only places
PART = st.one_of(
    st.sampled_from(["out", "..", ".", "a b", "it's", 'q"uote', "ü名", "-dash", "~", "$HOME", "back\\slash",
                     "x" * 300, "y" * 255, "as_of=2025-06-01", "a file"]),
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs", "Cc")), min_size=1, max_size=16),
)
RELATIVE = st.lists(PART, min_size=1, max_size=4).filter(lambda parts: parts.count("..") <= 2).map("/".join)


def paths(sandbox: Path):
    return st.one_of(
        RELATIVE,
        RELATIVE.map(lambda rel: str(sandbox / rel)),
        RELATIVE.map(lambda rel: f"/proc/{rel}"),
        st.sampled_from(["a file/below", "a file", ".", "..", "", str(sandbox / ("deep/" * 900))]),
    )


def _options(spec: dict) -> st.SearchStrategy[list[str]]:
    """Any subset of the options in ``spec`` (name -> values; None for a flag), in any order."""
    def render(chosen):
        argv = []
        for name, value in chosen:
            argv += [name] if value is None else [name, value]
        return argv

    pairs = [st.tuples(st.just(name), values if values is not None else st.none()) for name, values in spec.items()]
    return st.lists(st.one_of(pairs), max_size=len(spec) + 1).map(render)


def commands(sandbox: Path) -> st.SearchStrategy[tuple[str, list[str], list[str]]]:
    """(command, argv, the output options' values) for every command."""
    out, project = paths(sandbox), {"--target": TARGETS}
    specs = {
        "snapshot": ({"--as-of": DATES, "--model": MODELS, "--out": out, **project}, ["--out"]),
        "validate": ({"--as-of": DATES, "--model": MODELS, "--report-dir": out, "--snapshots-dir": out, **project}, ["--report-dir"]),
        "verify": ({"--as-of": DATES, "--model": MODELS, "--sample": NUMBERS, "--json": out, **project}, ["--json"]),
        "backtest": ({"--start": DATES, "--end": DATES, "--every": PERIODS, "--train-window": PERIODS, "--embargo": PERIODS,
                      "--model": MODELS, "--out": out, "--auc-threshold": NUMBERS, "--rebuild-all": None, **project}, ["--out"]),
        "check": ({"--format": st.sampled_from(["text", "json", "sarif", "xml", ""]), "--select": MODELS, "--output": out,
                   "--compile": None, "--no-compile": None, "--show-suppressed": None, **project}, ["--output"]),
        "docs": ({"--out": out, "--snapshots": out, "--port": NUMBERS, **project}, ["--out"]),
        "diff": ({"--model": MODELS, "--snapshots": out, "--tolerance": NUMBERS, "--json": out}, ["--json"]),
        # --path always given (the default is the fuzz run's own warehouse); only tiny valid scales
        "demo-warehouse": ({"--scale": st.one_of(st.just("0.001"), NUMBERS.filter(_not_a_real_scale)), "--seed": NUMBERS}, ["--path"]),
    }

    def build(name):
        spec, outputs = specs[name]
        tail = ["--project-dir", str(REPO)] if name not in ("demo-warehouse", "diff") else []
        if name == "diff":
            return st.tuples(_options(spec), DATES | out, DATES | out).map(
                lambda t: (name, [name, *t[0], "--", t[1], t[2]], outputs))
        if name == "demo-warehouse":
            return st.tuples(_options(spec), out, st.just("0.001")).map(
                lambda t: (name, [name, "--scale", t[2], *t[0], "--path", t[1]], outputs))
        return _options(spec).map(lambda argv: (name, [name, *argv, *tail], outputs))

    return st.sampled_from(list(specs)).flatmap(build)


def _not_a_real_scale(text: str) -> bool:
    """Only scales that cannot build (a big valid scale would build for minutes)."""
    try:
        value = float(text)
    except ValueError:
        return True
    return not 0 < value <= 1000


# -- the property ---------------------------------------------------------------------------------

def _given(argv: list[str], options: list[str], cwd: Path) -> list[Path]:
    """The resolved values of the output options in ``argv`` (what the case may write to)."""
    found = []
    for i, word in enumerate(argv[:-1]):
        if word in options and argv[i + 1]:
            try:
                found.append((cwd / argv[i + 1]).resolve())
            except (OSError, RuntimeError, ValueError):
                pass
    return found


def _allowed(path: str, outputs: list[Path]) -> bool:
    """Inside an output, or a folder on the way to one (a parent made to hold it)."""
    p = Path(path)
    return any(p == out or out in p.parents or p in out.parents for out in outputs)


@pytest.fixture(scope="module")
def fuzz_world(demo_warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    cwd = root / "w" / "cwd"
    cwd.mkdir(parents=True)
    (cwd / "a file").write_text("a file, not a folder")
    warehouse = tmp_path_factory.mktemp("fuzz-warehouse") / "warehouse.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    target = tmp_path_factory.mktemp("fuzz-target")
    return root, cwd, warehouse, target


def test_fuzzed_options_never_crash_or_write_elsewhere(fuzz_world, capsys):
    root, cwd, warehouse, target = fuzz_world
    warehouse_hash = sha256(warehouse)
    counts = {"cases": 0, "reached dbt": 0, **{str(code): 0 for code in sorted(EXITS)}}

    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(case=commands(cwd))
    def one(case):
        name, argv, options = case
        before = listing(root)
        counts["cases"] += 1
        try:
            status, output = run_cli(argv)
        except ReachedDbt:
            counts["reached dbt"] += 1
            status, output = None, ""
        except BaseException as crash:  # a traceback the user would have seen
            raise AssertionError(f"sqltrain {argv!r} raised {type(crash).__name__}: {crash}") from crash
        if status is not None:
            counts[str(status)] = counts.get(str(status), 0) + 1
            assert status in EXITS, (argv, status, output)
            assert "Traceback" not in output, (argv, output)
            if status == 2 or (status == 1 and name != "check"):
                assert len(error_lines(output)) == 1, (argv, output)
        outputs = _given(argv, options, cwd)
        changed = [p for p, v in listing(root).items() if before.get(p) != v]
        assert all(_allowed(p, outputs) for p in changed), (argv, changed)
        assert not [p for p in changed if ".sqltrain-write-check-" in p or "/.tmp-" in p], (argv, changed)
        assert sha256(warehouse) == warehouse_hash, argv
        # a valid case (demo-warehouse) wrote its output: clear it so the next case starts alike
        for out in outputs:
            if os.path.isfile(out) and out.parent.is_relative_to(cwd) and out.name != "a file":
                out.unlink()

    with pytest.MonkeyPatch.context() as env:
        env.chdir(cwd)
        env.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
        env.setenv("DBT_TARGET_PATH", str(target))
        env.setattr("dbt.cli.main.dbtRunner", _StopAtDbt)
        one()
    with capsys.disabled():
        print(f"\nCLI fuzz: {counts['cases']} cases tried in-process: "
              + ", ".join(f"exit {k}: {v}" for k, v in counts.items() if k.isdigit())
              + f", stopped where dbt starts: {counts['reached dbt']}")
    assert counts["cases"] >= CASES // 2


# -- a few real processes, dbt included -----------------------------------------------------------

HOSTILE_RUNS = [
    # (argv, expected exit, text in the output)
    (["validate", "--as-of", "2025-06-01", "--model", "churn_training'; drop table raw.orders; --"], 2,
     "unknown model 'churn_training'; drop table raw.orders; --'"),
    (["snapshot", "--as-of", "2025-06-01'; --", "--out", "it's a ü/out"], 2, "is not a date"),
    (["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "999999999 years"], 2, "longer than 1000 years"),
    (["verify", "--as-of", "2025-06-01", "--sample", "1" + "0" * 30], 2, "is not in the range"),
    (["docs", "--out", "/proc/it's a site"], 2, "cannot write in /proc"),
    (["demo-warehouse", "--scale", "0.001", "--seed", "3", "--path", "a b/it's ü/w.duckdb"], 0, "demo warehouse written to"),
]


@pytest.mark.slow
def test_hostile_values_in_real_processes(fuzz_world, tmp_path):
    _root, _cwd, warehouse, _target = fuzz_world
    warehouse_hash = sha256(warehouse)
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(tmp_path / "target")}
    for argv, code, text in HOSTILE_RUNS:
        project = [] if argv[0] == "demo-warehouse" else ["--project-dir", str(REPO)]
        before = set(listing(tmp_path))
        done = subprocess.run([sys.executable, "-m", "sqltrain.cli", *argv, *project], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == code and text in output and "Traceback" not in output, (argv, output)
        new = set(listing(tmp_path)) - before
        allowed = {"target"} | ({"a b"} if argv[0] == "demo-warehouse" else set())
        assert {Path(p).relative_to(tmp_path).parts[0] for p in new} <= allowed, (argv, new)
        assert sha256(warehouse) == warehouse_hash, argv
    assert (tmp_path / "a b" / "it's ü" / "w.duckdb").is_file()
