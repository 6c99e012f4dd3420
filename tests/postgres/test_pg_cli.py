"""sqltrain on PostgreSQL through the CLI: the snapshot (built in the private as-of schema,
gates run on Postgres, exported by a server-side cursor) equals DuckDB's row by row, the demo's
churn_training built by `dbt build --target postgres` equals DuckDB's, check runs,
and verify says in one line that it is DuckDB-only."""

from __future__ import annotations

import math
import shutil
import sys
from decimal import Decimal

import pytest

from pg_harness import AS_OF, REPO

sys.path.insert(0, str(REPO / "tests"))
from cli_harness import error_lines, run_cli  # noqa: E402

pytestmark = pytest.mark.slow
KEYS = ("customer_id", "as_of_ts")


def _same(a, b) -> bool:
    """Numbers to 1e-9 relative (Postgres' numeric avg against DuckDB's double); the rest exact."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (float, Decimal)) or isinstance(b, (float, Decimal)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.0)
    return a == b


def _rows(table) -> dict[tuple, dict]:
    rows = table.to_pylist()
    by_key = {tuple(r[k] for k in KEYS): r for r in rows}
    assert len(by_key) == len(rows), "the keys of the set are not unique"
    return by_key


def assert_same_rows(got: dict[tuple, dict], want: dict[tuple, dict], what: str) -> None:
    assert got.keys() == want.keys(), f"{what}: {len(got.keys() - want.keys())} rows only on Postgres, " \
                                      f"{len(want.keys() - got.keys())} only on DuckDB"
    for key, row in want.items():
        differing = {c: (got[key][c], v) for c, v in row.items() if not _same(got[key][c], v)}
        assert not differing, f"{what}: row {key} differs (postgres, duckdb): {differing}"


@pytest.fixture(scope="module")
def duckdb_snapshot(demo_warehouse, tmp_path_factory):
    """`sqltrain snapshot` of churn_training as of AS_OF on a copy of the session's DuckDB warehouse."""
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("pg_cli_duckdb")
    shutil.copy(demo_warehouse, root / "demo.duckdb")
    status, out = run_cli(["snapshot", "--as-of", AS_OF, "--model", "churn_training", "--out", str(root / "snaps"),
                           "--project-dir", str(REPO)],
                          env={"SQLTRAIN_WAREHOUSE": str(root / "demo.duckdb"), "DBT_TARGET_PATH": str(root / "target")})
    assert status == 0, out
    return pq.read_table(root / "snaps" / "churn_training" / f"as_of={AS_OF}" / "data.parquet")


@pytest.fixture(scope="module")
def pg_target(tmp_path_factory):
    return {"DBT_TARGET_PATH": str(tmp_path_factory.mktemp("pg_cli_target") / "target")}


def test_snapshot_on_postgres_equals_the_duckdb_snapshot(pg_loaded, pg_target, duckdb_snapshot, tmp_path):
    import pyarrow.parquet as pq

    status, out = run_cli(["snapshot", "--target", "postgres", "--as-of", AS_OF, "--model", "churn_training",
                           "--out", str(tmp_path / "snaps"), "--project-dir", str(REPO)], env=pg_target)
    assert status == 0, out
    assert "leakage ok, quality ok" in out
    data = pq.read_table(tmp_path / "snaps" / "churn_training" / f"as_of={AS_OF}" / "data.parquet")
    assert data.column_names == duckdb_snapshot.column_names
    assert_same_rows(_rows(data), _rows(duckdb_snapshot), "snapshot")
    # the export keeps DuckDB's order: keys first, then every other column
    assert data.select(list(KEYS)).to_pylist() == duckdb_snapshot.select(list(KEYS)).to_pylist()


def test_churn_training_built_on_postgres_equals_duckdb(pg_build, pg_con, duckdb_snapshot):
    cursor = pg_con.execute("select * from main.churn_training")
    names = [d.name for d in cursor.description]
    got = {tuple(r[names.index(k)] for k in KEYS): dict(zip(names, r)) for r in cursor.fetchall()}
    assert names == duckdb_snapshot.column_names
    assert_same_rows(got, _rows(duckdb_snapshot), "churn_training")


def test_check_runs_on_postgres(pg_loaded, pg_target):
    """(validate runs the snapshot's quality gate alone: the snapshot test above covers it)"""
    status, out = run_cli(["check", "--target", "postgres", "--project-dir", str(REPO)], env=pg_target)
    assert status == 0, out
    assert "0 errors" in out


def test_verify_on_postgres_is_one_line_exit_2(pg_cluster, pg_target):
    status, out = run_cli(["verify", "--target", "postgres", "--as-of", AS_OF, "--project-dir", str(REPO)], env=pg_target)
    assert status == 2, out
    assert error_lines(out) == [line for line in out.splitlines() if line.strip()], out
    assert "verify runs on DuckDB only" in out and "Traceback" not in out
