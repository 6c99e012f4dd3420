"""Bad input and unwritable outputs: exit 2 and one line naming what is wrong, before any work,
with nothing written and the warehouse untouched (docs/reliability.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from cli_harness import error_lines, listing, mounted_tmpfs, run_cli, sha256

REPO = Path(__file__).resolve().parents[1]
PROJECT = ["--project-dir", str(REPO)]

# every command that writes somewhere, with the option that says where (FILE or DIR)
OUTPUTS = {
    "snapshot": (["snapshot", "--as-of", "2025-06-01", *PROJECT, "--out"], "dir"),
    "backtest": (["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "1 month", *PROJECT, "--out"], "dir"),
    "validate": (["validate", "--as-of", "2025-06-01", *PROJECT, "--report-dir"], "dir"),
    "docs": (["docs", *PROJECT, "--out"], "dir"),
    "check": (["check", *PROJECT, "--output"], "file"),
    "verify": (["verify", "--as-of", "2025-06-01", *PROJECT, "--json"], "file"),
    "demo-warehouse": (["demo-warehouse", "--scale", "0.001", "--path"], "file"),
    "diff": (["diff", "a", "b", "--json"], "file"),
}


@pytest.fixture(scope="module")
def parsed_target(tmp_path_factory) -> Path:
    """One dbt target dir for this module's runs: dbt re-parses only what changed (a fresh target
    per test would parse the whole project each time)."""
    return tmp_path_factory.mktemp("target")


def _assert_one_line_exit_2(status: int, output: str, *expected: str) -> None:
    assert status == 2, output
    assert "Traceback" not in output
    lines = error_lines(output)
    assert len(lines) == 1, output
    for text in expected:
        assert text in lines[0], output


# -- unwritable outputs -------------------------------------------------------------------------

@pytest.mark.parametrize("command", OUTPUTS)
def test_output_under_a_file_is_refused_before_any_work(command, tmp_path, demo_env):
    argv, kind = OUTPUTS[command]
    blocker = tmp_path / "a file"
    blocker.write_text("mine")
    out = blocker / ("out" if kind == "dir" else "report.json")
    before, warehouse = listing(tmp_path), sha256(demo_env / "warehouse.duckdb")
    status, output = run_cli([*argv, str(out)])
    _assert_one_line_exit_2(status, output, str(out), f"{blocker} is a file")
    assert listing(tmp_path) == before and sha256(demo_env / "warehouse.duckdb") == warehouse


@pytest.mark.parametrize("command", OUTPUTS)
def test_output_under_proc_is_refused_before_any_work(command, demo_env):
    argv, kind = OUTPUTS[command]
    out = Path("/proc") / "sqltrain-test" / ("out" if kind == "dir" else "report.json")
    status, output = run_cli([*argv, str(out)])
    _assert_one_line_exit_2(status, output, str(out), "cannot write in /proc", "writable filesystem")


@pytest.fixture
def read_only_dir(tmp_path):
    """An empty read-only filesystem (a tmpfs mounted ro: permission bits do not stop root)."""
    with mounted_tmpfs(tmp_path / "ro", "64k", read_only=True) as where:
        yield where


@pytest.mark.parametrize("command", OUTPUTS)
def test_output_on_a_read_only_filesystem_is_refused_before_any_work(command, read_only_dir, demo_env):
    argv, kind = OUTPUTS[command]
    out = read_only_dir / "deeper" / ("out" if kind == "dir" else "report.json")
    status, output = run_cli([*argv, str(out)])
    _assert_one_line_exit_2(status, output, str(out), "read-only filesystem")
    assert list(read_only_dir.iterdir()) == []


def test_default_warehouse_path_from_the_environment_is_checked_too(tmp_path):
    status, output = run_cli(["demo-warehouse", "--scale", "0.001"], env={"SQLTRAIN_WAREHOUSE": "/proc/sqltrain/w.duckdb"})
    _assert_one_line_exit_2(status, output, "--path /proc/sqltrain/w.duckdb", "cannot write in /proc")


def test_writability_check_leaves_no_probe_behind(tmp_path):
    from sqltrain.outputs import require_writable

    assert require_writable(tmp_path / "new" / "deeper", "--out", directory=True) == (tmp_path / "new" / "deeper")
    assert require_writable(tmp_path / "report.json", "--json", directory=False) == tmp_path / "report.json"
    assert list(tmp_path.iterdir()) == []


# -- overflowing and out-of-range values, unknown target ----------------------------------------

@pytest.mark.parametrize("argv, expected", [
    (["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "999999999 years", *PROJECT],
     "--every '999999999 years' is longer than 1000 years"),
    (["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "1 month", "--embargo", "99999999999999 hours", *PROJECT],
     "--embargo '99999999999999 hours' is longer than 1000 years"),
    (["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "1 month", "--auc-threshold", "nan", *PROJECT],
     "'nan' is not a finite number"),
    (["demo-warehouse", "--scale", "nan"], "'nan' is not a finite number"),
    (["demo-warehouse", "--scale", "inf"], "'--scale': inf is not in the range 0<x<=1000"),
    (["demo-warehouse", "--scale", "1e308"], "'--scale': 1e+308 is not in the range 0<x<=1000"),
    (["demo-warehouse", "--scale", "0.001", "--seed", "-1"], "'--seed': -1 is not in the range x>=0"),
    (["diff", "a", "b", "--tolerance", "nan"], "'nan' is not a finite number"),
    (["verify", "--as-of", "2025-06-01", "--sample", "99999999999999999999999", *PROJECT],
     "'--sample': 99999999999999999999999 is not in the range 1<=x<=9223372036854775807"),
    (["check", "--target", "nosuch", *PROJECT], "--target nosuch: profile 'sqltrain'"),
    (["snapshot", "--as-of", "2025-06-01", "--target", "nosuch", *PROJECT], "pass one of: dev, spark"),
])
def test_overflowing_or_unknown_values_are_one_line_exit_2(argv, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, output = run_cli(argv)
    _assert_one_line_exit_2(status, output, expected)
    assert list(tmp_path.iterdir()) == []


def test_a_period_stepping_off_the_calendar_is_a_usage_error():
    from sqltrain.backtesting.periods import parse_period
    from sqltrain.errors import UsageError

    with pytest.raises(UsageError, match="outside the calendar"):
        parse_period("900 years").after(datetime(9999, 1, 1))
    with pytest.raises(UsageError, match="outside the calendar"):
        parse_period("P2D").after(datetime(1, 1, 2), -1)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["not a database", "a damaged block"])
def test_backtest_on_a_damaged_warehouse_is_one_line_exit_2(damage, demo_env, tmp_path, parsed_target, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(parsed_target))
    warehouse = demo_env / "warehouse.duckdb"
    if damage == "not a database":
        warehouse.write_text("not a database\n")
    else:
        with open(warehouse, "r+b") as fh:
            fh.seek(4096)
            fh.write(b"\xff" * 32768)
    status, output = run_cli(["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "2 months",
                              "--out", str(tmp_path / "out"), *PROJECT])
    _assert_one_line_exit_2(status, output, f"warehouse file {warehouse} cannot be opened", "rebuild it")
    assert not (tmp_path / "out").exists()


# -- models that are not training sets ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ["snapshot", "--as-of", "2025-06-01", "--model", "spine_customer_monthly"],
    ["snapshot", "--as-of", "2025-06-01", "--model", "stg_customers"],
    ["backtest", "--start", "2025-01-01", "--end", "2025-06-01", "--every", "2 months", "--model", "stg_customers"],
    ["verify", "--as-of", "2025-06-01", "--model", "spine_customer_monthly"],
], ids=["snapshot-spine", "snapshot-staging", "backtest-staging", "verify-spine"])
def test_a_model_that_is_not_a_training_set_is_refused_before_building(argv, demo_env, tmp_path, parsed_target, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(parsed_target))
    warehouse = demo_env / "warehouse.duckdb"
    before = sha256(warehouse)
    out = ["--out", str(tmp_path / "out")] if argv[0] in ("snapshot", "backtest") else []
    status, output = run_cli([*argv, *out, *PROJECT])
    model = argv[argv.index("--model") + 1]
    _assert_one_line_exit_2(status, output, f"model '{model}' is not a training set", "churn_training")
    assert sha256(warehouse) == before          # nothing was built into it
    assert not (tmp_path / "out").exists()
    assert not (parsed_target / "run_results.json").exists()   # dbt ran no build, no test


@pytest.mark.slow
def test_snapshot_whose_model_folder_is_a_file_is_refused_before_building(demo_env, tmp_path, parsed_target, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(parsed_target))
    out = tmp_path / "out"
    out.mkdir()
    (out / "churn_training").write_text("not a folder")
    before = sha256(demo_env / "warehouse.duckdb")
    status, output = run_cli(["snapshot", "--as-of", "2025-06-01", "--out", str(out), *PROJECT])
    _assert_one_line_exit_2(status, output, f"{out / 'churn_training'} is a file")
    assert sha256(demo_env / "warehouse.duckdb") == before
    assert [p.name for p in out.iterdir()] == ["churn_training"]
