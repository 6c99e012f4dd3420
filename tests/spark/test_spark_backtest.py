"""`sqltrain backtest --target spark`: the same folds as on DuckDB, row by row, with the same manifests.

One backtest on the session's Spark demo (conftest.spark_build: loaded and built once) through the
CLI, one monthly fold plus the evaluation build (two as-of builds on Spark: a fold and its rebuild of the
as-of-dependent nodes); the DuckDB backtest runs on a copy of the very warehouse Spark was loaded from.
Both ask for ``--incremental``: DuckDB's evaluation build reuses the fold's rows, Spark's builds in full.
Several folds are the DuckDB backtest tests' business (tests/backtest): the fold loop is engine-neutral.
"""

from __future__ import annotations

import json
import shutil

import pytest

from spark_harness import REPO, same_value, sorted_rows

pytestmark = pytest.mark.slow

START, END = "2025-05-01", "2025-06-01"
NAME = f"backtest={START}_{END}_P1M"


def _backtest(out, *target: str) -> int:
    from sqltrain.cli import main

    return main(["backtest", "--start", START, "--end", END, "--every", "1 month", "--out", str(out),
                 "--project-dir", str(REPO), "--incremental", *target])


@pytest.fixture(scope="module")
def both(spark_build, spark_warehouse, tmp_path_factory):
    """(Spark backtest dir, DuckDB backtest dir) of the same warehouse."""
    root = tmp_path_factory.mktemp("spark_backtest")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_TARGET_PATH", str(root / "target_spark"))
        assert _backtest(root / "spark", "--target", "spark") == 0
    shutil.copy(spark_warehouse, root / "duck.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SQLTRAIN_WAREHOUSE", str(root / "duck.duckdb"))
        mp.setenv("DBT_TARGET_PATH", str(root / "target_duck"))
        assert _backtest(root / "duck", "--target", "dev") == 0
    return root / "spark" / "churn_training" / NAME, root / "duck" / "churn_training" / NAME


def _rows(part):
    import pyarrow.parquet as pq

    manifest = json.loads((part / "manifest.json").read_text())
    tables = [pq.read_table(part / name) for name in manifest["data"]["files"]]
    import pyarrow as pa

    return manifest, sorted_rows(pa.concat_tables(tables))


def test_spark_folds_equal_the_duckdb_folds_row_by_row(both):
    spark_root, duck_root = both
    spark_summary = json.loads((spark_root / "backtest.json").read_text())
    duck_summary = json.loads((duck_root / "backtest.json").read_text())
    assert [f["fold"] for f in spark_summary["folds"]] == [f["fold"] for f in duck_summary["folds"]] == [START]
    assert set(spark_summary) == set(duck_summary)
    for fold in duck_summary["folds"]:
        for part in ("train", "test"):
            duck_manifest, (duck_cols, duck_rows) = _rows(duck_root / fold["path"] / part)
            spark_manifest, (spark_cols, spark_rows) = _rows(spark_root / fold["path"] / part)
            assert spark_cols == duck_cols
            assert len(spark_rows) == len(duck_rows) == duck_manifest["row_count"] > 0
            mismatches = [(d[:2], c) for d, s in zip(duck_rows, spark_rows) for c, v, w in zip(duck_cols, d, s)
                          if not same_value(v, w)]
            assert not mismatches, f"fold {fold['fold']} {part}: {len(mismatches)} values differ, e.g. {mismatches[:3]}"
            assert set(spark_manifest) == set(duck_manifest)          # the same manifest fields
            assert spark_manifest["fold"] == duck_manifest["fold"] and spark_manifest["label_rate"] == duck_manifest["label_rate"]
            assert [g["name"] for g in spark_manifest["gates"]] == ["leakage", "quality"]
            assert spark_manifest["smell"]["base_rate"] == duck_manifest["smell"]["base_rate"]
        spark_fold = next(f for f in spark_summary["folds"] if f["fold"] == fold["fold"])
        spark_base, duck_base = spark_fold["test"]["baselines"], fold["test"]["baselines"]
        assert spark_base["base_rate"] == duck_base["base_rate"]
        assert spark_base["best_feature"]["name"] == duck_base["best_feature"]["name"]
        assert spark_base["best_feature"]["test_auc"] == pytest.approx(duck_base["best_feature"]["test_auc"], abs=1e-9)


def test_incremental_reuses_on_duckdb_and_builds_in_full_on_spark_saying_why(both):
    spark_root, duck_root = both
    spark = json.loads((spark_root / "backtest.json").read_text())["builds"]["incremental"]["by_as_of"]
    duck = json.loads((duck_root / "backtest.json").read_text())["builds"]["incremental"]["by_as_of"]
    assert spark[END]["fallback"] == "incremental builds run on DuckDB; the target's adapter is spark"
    assert duck[END]["reused_rows"] > 0 and duck[END]["base"] == f"fold={START}"
