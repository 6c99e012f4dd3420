"""`sqltrain snapshot|validate|check --target spark`: the same commands, manifest,
exit codes and atomic landing as on DuckDB, with the data written and hashed by Spark.

The session's Spark demo (conftest.spark_build) is loaded and built already; the snapshot below
rebuilds `+churn_training` once through the CLI, and the other tests read what it landed.
"""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from spark_harness import AS_OF, REPO, same_value, sorted_rows, spark_session

pytestmark = pytest.mark.slow

LEAKY_MODEL = """
select s.customer_id, s.as_of_ts, sum(o.amount) as spend_all_time
from {{ ref('spine_customer_monthly') }} as s
left join {{ ref('feat_orders') }} as o on o.customer_id = s.customer_id
group by s.customer_id, s.as_of_ts
"""


def _sqltrain(*args: str) -> int:
    from sqltrain.cli import main

    return main([*args, "--project-dir", str(REPO)])


@pytest.fixture(scope="module")
def landed(spark_build, tmp_path_factory):
    """`sqltrain snapshot --as-of AS_OF --target spark` through the CLI, in-process: (out dir, target dir)."""
    root = tmp_path_factory.mktemp("spark_snapshot")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_TARGET_PATH", str(root / "target"))
        code = _sqltrain("snapshot", "--as-of", AS_OF, "--target", "spark", "--out", str(root / "out"))
    assert code == 0
    return root / "out", root / "target"


def _folder(out):
    return out / "churn_training" / f"as_of={AS_OF}"


def test_snapshot_on_spark_lands_parts_and_the_manifest(landed):
    import pyarrow.parquet as pq

    out, _ = landed
    folder = _folder(out)
    assert {p.name for p in folder.iterdir()} >= {"data.parquet", "manifest.json", "leakage.json", "validation.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    parts = sorted((folder / "data.parquet").glob("part-*.parquet"))
    assert parts and manifest["data"]["files"] == [f"data.parquet/{p.name}" for p in parts]
    assert not [p for p in (folder / "data.parquet").iterdir() if p not in parts]   # no _SUCCESS, no .crc
    assert sum(pq.read_metadata(p).num_rows for p in parts) == manifest["row_count"] > 100
    spine = spark_session().table("main_sqltrain_asof.spine_customer_monthly").count()
    assert manifest["row_count"] == spine                                             # spine in = spine out
    assert manifest["model"] == "churn_training" and manifest["as_of"] == AS_OF
    assert manifest["column_count"] == len(manifest["columns"]) >= 14
    roles = {c["name"]: c["role"] for c in manifest["columns"]}
    assert roles["customer_id"] == "entity" and roles["as_of_ts"] == "cutoff" and roles["churned_30d"] == "label"
    assert 0 < manifest["label_rate"] < 0.5
    assert [g["name"] for g in manifest["gates"]] == ["leakage", "quality"] and all(g["passed"] for g in manifest["gates"])
    assert set(manifest["timings_s"]) >= {"parse", "check as-of", "build", "gates", "export", "total"}
    assert "spine_customer_monthly" in manifest["compiled_sql"] and "datediff" in manifest["compiled_sql"].lower()
    assert manifest["smell"]["suspicious"] == [] and manifest["smell"]["base_rate"] == manifest["label_rate"]
    assert len([f for f in manifest["smell"]["features"] if f["auc"] is not None]) >= 10
    assert not [p for p in (out / "churn_training").iterdir() if p.name.startswith(".tmp-")]
    validation = json.loads((folder / "validation.json").read_text())
    assert validation["passed"] and validation["row_count"] == manifest["row_count"]


def test_spark_snapshot_data_equals_the_duckdb_snapshot(landed, spark_warehouse, tmp_path):
    import pyarrow.parquet as pq

    from sqltrain.asof import parse_as_of
    from sqltrain.project import Project
    from sqltrain.snapshotting import cut_snapshot

    copy_ = tmp_path / "duck.duckdb"
    shutil.copy(spark_warehouse, copy_)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SQLTRAIN_WAREHOUSE", str(copy_))
        mp.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
        duck = cut_snapshot(Project.open(REPO, target="dev"), parse_as_of(AS_OF), out=tmp_path / "out")
    duck_cols, duck_rows = sorted_rows(pq.read_table(duck.path / "data.parquet"))
    spark_cols, spark_rows = sorted_rows(pq.read_table(_folder(landed[0]) / "data.parquet"))

    assert spark_cols == duck_cols
    assert len(spark_rows) == len(duck_rows) == duck.rows > 100
    assert [r[:2] for r in spark_rows] == [r[:2] for r in duck_rows]
    mismatches = [(d[:2], c, s, v) for d, r in zip(duck_rows, spark_rows) for c, v, s in zip(duck_cols, d, r)
                  if not same_value(s, v)]
    assert not mismatches, f"{len(mismatches)} values differ, e.g. {mismatches[:3]}"
    spark_manifest = json.loads((_folder(landed[0]) / "manifest.json").read_text())
    assert spark_manifest["row_count"] == duck.manifest["row_count"]
    assert spark_manifest["label_rate"] == duck.manifest["label_rate"]
    assert [c["name"] for c in spark_manifest["columns"]] == [c["name"] for c in duck.manifest["columns"]]
    assert set(spark_manifest) == set(duck.manifest)                  # the same manifest fields
    # the slice report, computed in SQL on each engine, counts the same slices
    def counts(manifest):
        return {c["column"]: [(v["value"], v["rows"], v["label_rate"]) for v in c["values"]]
                for c in manifest["slices"]["columns"]}
    assert counts(spark_manifest) == counts(duck.manifest) and spark_manifest["slices"]["columns"]


def test_data_hash_does_not_depend_on_partitioning(landed, tmp_path):
    from sqltrain.engine.spark import SparkEngine

    spark = spark_session()
    recorded = json.loads((_folder(landed[0]) / "manifest.json").read_text())["data"]["sha256"]
    spark.table("main.churn_training").repartition(5).createOrReplaceTempView("churn_training_in_5")
    engine = SparkEngine(spark)
    columns = [c["name"] for c in engine.describe("churn_training_in_5")]
    again = engine.export("churn_training_in_5", columns, ["customer_id", "as_of_ts"], tmp_path / "data.parquet")
    assert len(again.files) == 5                                 # one part per partition, not the 2 of the build
    assert again.sha256 == recorded


def test_failing_gate_on_spark_exports_nothing_and_keeps_the_earlier_snapshot(landed):
    from sqltrain.asof import parse_as_of
    from sqltrain.errors import GateFailed
    from sqltrain.project import Project
    from sqltrain.snapshotting import land_snapshot

    out, target = landed
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    project = Project.open(REPO, target="spark")
    project.target_path = target / "sqltrain" / "parse" / "target"   # where the snapshot parsed the project
    project.reports_path = target                                    # its reports stay in the user's target
    node = copy.deepcopy(project.model_node("churn_training"))
    node["config"]["meta"]["sqltrain"]["label_rate"] = [0.60, 0.90]     # a bound the demo cannot meet
    with pytest.raises(GateFailed, match="quality gate failed") as refused:
        land_snapshot(project, node, parse_as_of(AS_OF), out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    kept = target / "sqltrain" / "failed" / "churn_training" / f"as_of={AS_OF}"
    assert (kept / "validation.json").is_file() and not list(kept.rglob("*.parquet"))
    assert any(f.column == "churned_30d" for r in refused.value.results for f in r.failures)


def test_check_on_spark_is_clean_on_the_demo_and_flags_a_leaky_model(spark_build, spark_tmp, tmp_path, capsys):
    built = spark_tmp / "target_build"                         # the manifest of conftest.spark_build
    assert _sqltrain("check", "--target", "spark", "--no-compile", "--target-path", str(built), "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 0 and not [f for f in report["findings"] if f["code"] == "LK099"]

    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / name, project / name)
    for folder in ("models", "macros", "snapshots", "tests/dbt"):
        shutil.copytree(REPO / folder, project / folder)
    (project / "models" / "training" / "leaky_spend.sql").write_text(LEAKY_MODEL)
    from sqltrain.cli import main

    code = main(["check", "--target", "spark", "--project-dir", str(project), "--select", "leaky_spend",
                 "--target-path", str(tmp_path / "target"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["code"] for f in report["findings"] if f["severity"] == "error"] == ["LK001"]


def test_validate_on_spark_passes_and_measures_drift_against_the_spark_snapshot(landed, tmp_path):
    """Last in this module: it rebuilds the demo as of a later date."""
    out, _ = landed
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
        code = _sqltrain("validate", "--as-of", "2025-07-01", "--target", "spark",
                         "--report-dir", str(tmp_path / "report"), "--snapshots-dir", str(out))
    assert code == 0
    report = json.loads((tmp_path / "report" / "validation.json").read_text())
    assert report["passed"] and report["statistics"]["unsuccessful_expectations"] == 0
    assert report["drift"]["previous_snapshot"] == f"as_of={AS_OF}"
    assert (tmp_path / "report" / "validation" / "index.html").is_file()


def test_a_spark_snapshot_loads_and_verifies_like_a_duckdb_one(landed, tmp_path):
    """Part files: each one's SHA-256 is in the manifest, so the reader verifies them without Spark."""
    import sqltrain
    from sqltrain.snapshotting.integrity import TamperedSnapshot

    out, _ = landed
    snap = sqltrain.load("churn_training", as_of=AS_OF, snapshots=out)
    assert len(snap.files) >= 1 and all(f.is_file() for f in snap.files)
    assert set(json.loads((_folder(out) / "manifest.json").read_text())["data"]["file_sha256"]) == \
        {str(f.relative_to(snap.path)) for f in snap.files}
    X, y = snap.X_y()
    assert len(X) == len(y) == snap.rows > 100 and snap.label == "churned_30d"
    assert snap.to_duckdb().aggregate("count(*)").fetchall() == [(snap.rows,)]
    copy_ = tmp_path / "churn_training" / f"as_of={AS_OF}"
    shutil.copytree(_folder(out), copy_)
    part = copy_ / snap.files[0].relative_to(snap.path)
    part.write_bytes(part.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(TamperedSnapshot, match="does not match the manifest"):
        sqltrain.load("churn_training", as_of=AS_OF, snapshots=tmp_path)
