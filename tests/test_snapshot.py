"""`sqltrain snapshot`: the happy path, reproducibility, atomicity, and every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from sqltrain.asof import parse_as_of
from sqltrain.errors import BuildError, UsageError
from sqltrain.snapshotting import cut_snapshot
from sqltrain.snapshotting import export as export_module


pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-01"


def _spine_rows(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select count(*) from main_sqltrain_asof.spine_customer_monthly").fetchone()[0]
    finally:
        con.close()


def test_snapshot_lands_with_manifest_and_reproduces_its_hash(repo_project, demo_env):
    out = demo_env / "snapshots"
    first = cut_snapshot(repo_project, parse_as_of(AS_OF), out=out)

    folder = out / "churn_training" / f"as_of={AS_OF}"
    assert first.path == folder
    assert {p.name for p in folder.iterdir()} >= {"data.parquet", "manifest.json", "leakage.json", "validation.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "churn_training" and manifest["as_of"] == AS_OF
    assert manifest["row_count"] == first.rows > 0
    assert manifest["row_count"] == _spine_rows(Path(demo_env / "warehouse.duckdb"))  # spine in = spine out
    assert manifest["column_count"] == len(manifest["columns"]) >= 14
    roles = {c["name"]: c["role"] for c in manifest["columns"]}
    assert roles["customer_id"] == "entity" and roles["as_of_ts"] == "cutoff" and roles["churned_30d"] == "label"
    assert sum(r == "feature" for r in roles.values()) >= 12
    assert 0 < manifest["label_rate"] < 0.5
    assert manifest["versions"]["dbt"].startswith("1.11")
    assert "spine_customer_monthly" in manifest["compiled_sql"]  # the SQL that built this data
    assert set(manifest["timings_s"]) >= {"parse", "build", "export", "total"}
    assert manifest["data"]["sha256"] == first.data_sha256
    assert manifest["smell"]["suspicious"] == [] and manifest["smell"]["base_rate"] == manifest["label_rate"]

    # the data really is what the warehouse holds, and the cutoffs never pass the as-of
    con = duckdb.connect()
    rows, latest = con.execute(
        f"select count(*), max(as_of_ts) from read_parquet('{folder / 'data.parquet'}')"
    ).fetchone()
    assert rows == manifest["row_count"]
    assert str(latest) < AS_OF

    again = cut_snapshot(repo_project, parse_as_of(AS_OF), out=out)
    assert again.data_sha256 == first.data_sha256
    assert not [p for p in (out / "churn_training").iterdir() if p.name.startswith(".tmp-")]


def test_interrupted_export_leaves_nothing_and_keeps_the_earlier_snapshot(repo_project, demo_env, monkeypatch):
    out = demo_env / "snapshots"
    earlier = cut_snapshot(repo_project, parse_as_of(AS_OF), out=out)
    before = {p.name: p.read_bytes() for p in earlier.path.iterdir() if p.is_file()}

    def interrupted(con, relation, columns, keys, path):
        path.write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr("sqltrain.snapshotting.pipeline.export_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cut_snapshot(repo_project, parse_as_of(AS_OF), out=out)
    with pytest.raises(KeyboardInterrupt):
        cut_snapshot(repo_project, parse_as_of("2025-03-01"), out=out)

    assert {p.name: p.read_bytes() for p in earlier.path.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in (out / "churn_training").iterdir()) == [f"as_of={AS_OF}"]
    assert export_module.export_parquet is not interrupted  # the module itself was not touched


@pytest.mark.parametrize(
    "as_of, message",
    [
        ("2019-01-01", "before the warehouse's first record"),
        ("2031-01-01", "after the warehouse's last record"),
    ],
)
def test_as_of_outside_the_warehouse_is_refused(repo_project, demo_env, as_of, message):
    with pytest.raises(UsageError, match=message):
        cut_snapshot(repo_project, parse_as_of(as_of), out=demo_env / "snapshots")
    assert not (demo_env / "snapshots").exists()


def test_unknown_model_names_the_training_sets(repo_project, demo_env):
    with pytest.raises(UsageError, match=r"unknown model 'churn_trainin'.*churn_training"):
        cut_snapshot(repo_project, parse_as_of(AS_OF), model="churn_trainin", out=demo_env / "snapshots")
    assert not (demo_env / "snapshots").exists()


def test_missing_warehouse_file(repo_project, demo_env, monkeypatch):
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(demo_env / "nowhere.duckdb"))
    with pytest.raises(UsageError, match=r"warehouse file .*nowhere.duckdb does not exist"):
        cut_snapshot(repo_project, parse_as_of(AS_OF), out=demo_env / "snapshots")
    assert not (demo_env / "nowhere.duckdb").exists()  # dbt-duckdb never got to create an empty one


def test_dbt_compile_error_names_the_model_and_exports_nothing(project_copy, demo_env):
    broken = project_copy.project_dir / "models" / "training" / "churn_training.sql"
    broken.write_text(broken.read_text().replace("from spine\n", "from spine_that_does_not_exist\n", 1))
    with pytest.raises(BuildError, match="churn_training"):
        cut_snapshot(project_copy, parse_as_of(AS_OF), out=demo_env / "snapshots")
    assert not (demo_env / "snapshots" / "churn_training").exists()


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sqltrain.cli", *args, "--project-dir", str(REPO)],
        capture_output=True, text=True, cwd=env_dir,
    )


def test_cli_bad_date_is_one_line_exit_2(demo_env):
    done = _cli("snapshot", "--as-of", "2025-02-30", env_dir=demo_env)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--as-of '2025-02-30' is not a date" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_snapshot_prints_summary_and_path(demo_env):
    done = _cli("snapshot", "--as-of", AS_OF, "--out", str(demo_env / "out"), env_dir=demo_env)
    assert done.returncode == 0, done.stderr
    assert "snapshot written to" in done.stdout and "label rate" in done.stdout
    assert (demo_env / "out" / "churn_training" / f"as_of={AS_OF}" / "manifest.json").is_file()


def test_failed_gate_exports_nothing_and_keeps_its_reports(project_copy, demo_env):
    from sqltrain.errors import GateFailed

    yml = project_copy.project_dir / "models" / "training" / "_training.yml"
    yml.write_text(yml.read_text().replace("label_rate: [0.005, 0.30]", "label_rate: [0.60, 0.90]"))
    with pytest.raises(GateFailed, match="quality gate failed") as refused:
        cut_snapshot(project_copy, parse_as_of(AS_OF), out=demo_env / "snapshots")
    assert not (demo_env / "snapshots" / "churn_training" / f"as_of={AS_OF}").exists()
    assert not (demo_env / "snapshots" / "churn_training").exists()  # no staging left, no empty folder
    kept = project_copy.target_path / "sqltrain" / "failed" / "churn_training" / f"as_of={AS_OF}"
    assert str(kept) in str(refused.value)
    assert (kept / "validation.json").is_file() and not list(kept.glob("*.parquet"))
    failures = [f for r in refused.value.results for f in r.failures]
    assert any(f.column == "churned_30d" for f in failures)
