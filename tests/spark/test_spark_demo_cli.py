"""`python -m sqltrain.spark.demo` refuses a missing warehouse in one line, before Spark starts."""

from __future__ import annotations

from spark_harness import REPO


def test_missing_warehouse_is_a_usage_error(tmp_path, capsys):
    from sqltrain.spark.demo import main

    missing = tmp_path / "nope.duckdb"
    assert main(["--warehouse", str(missing), "--project-dir", str(REPO)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"{missing}: no DuckDB warehouse; run `make warehouse` first"
