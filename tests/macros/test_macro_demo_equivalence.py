"""Both implementations give the same demo training set.

The demo project is built twice up to churn_training, on two copies of the test-scale demo
warehouse: with the DuckDB implementations (ASOF JOINs) and with the portable ones
(var sqltrain_portable). The two tables must be equal row for row, duplicates included."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2025-06-01"


def _build(warehouse: Path, target: Path, portable: bool, monkeypatch) -> str:
    """Build churn_training and its parents; return its compiled SQL."""
    from dbt.cli.main import dbtRunner

    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
    dbt_vars = {"as_of": AS_OF, **({"sqltrain_portable": True} if portable else {})}
    result = dbtRunner().invoke([
        "build", "--select", "+churn_training", "--resource-type", "model", "--resource-type", "snapshot",
        "--project-dir", str(REPO), "--profiles-dir", str(REPO), "--target-path", str(target),
        "--log-path", str(target), "--vars", json.dumps(dbt_vars), "--quiet",
    ])
    assert result.success, result.exception
    return (target / "compiled" / "sqltrain" / "models" / "training" / "churn_training.sql").read_text().lower()


@pytest.mark.slow
def test_demo_training_set_is_identical_under_both_implementations(demo_warehouse, tmp_path, monkeypatch):
    import duckdb

    builds = {}
    for flavour in ("duckdb", "portable"):
        warehouse = tmp_path / f"{flavour}.duckdb"
        shutil.copy(demo_warehouse, warehouse)
        builds[flavour] = _build(warehouse, tmp_path / f"target_{flavour}", flavour == "portable", monkeypatch)
    assert "asof" in builds["duckdb"] and "asof" not in builds["portable"]

    # dbt-duckdb may still hold the files in this process: connect (sharing its instance), not attach.
    tables = {}
    for flavour in builds:
        con = duckdb.connect(str(tmp_path / f"{flavour}.duckdb"))
        tables[flavour] = Counter(con.execute("select * from main.churn_training").fetchall())
        con.close()
    rows = sum(tables["duckdb"].values())
    assert rows > 0 and rows == sum(tables["portable"].values())
    only_duckdb, only_portable = tables["duckdb"] - tables["portable"], tables["portable"] - tables["duckdb"]
    assert not only_duckdb and not only_portable, (
        f"{sum(only_duckdb.values())} of {rows} rows differ, e.g. {list(only_duckdb)[:1]} vs {list(only_portable)[:1]}")
