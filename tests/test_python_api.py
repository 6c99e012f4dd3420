"""The Python API: verified loads, listing, `diff` (library and CLI), the commands as functions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import sqltrain
from sqltrain.errors import UsageError
from sqltrain.snapshotting.integrity import TamperedSnapshot, sha256_of

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
EARLY, LATE = "2025-05-01", "2025-06-01"


@pytest.fixture(scope="module")
def cut(demo_warehouse, tmp_path_factory):
    """Two snapshots of the demo cut through the API, on a private warehouse copy: (out dir, results)."""
    root = tmp_path_factory.mktemp("api")
    warehouse = root / "warehouse.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
        mp.setenv("DBT_TARGET_PATH", str(root / "target"))
        out = root / "snapshots"
        results = [sqltrain.snapshot(as_of, out=out, project=REPO) for as_of in (EARLY, LATE)]
        yield out, results, root


def _copy(snapshot_dir: Path, where: Path) -> Path:
    target = where / snapshot_dir.parent.name / snapshot_dir.name
    shutil.copytree(snapshot_dir, target)
    return target


def _rewrite_value(folder: Path, sql_set: str, *, rehash: bool) -> None:
    """Change the data in place (``sql_set`` is an UPDATE's SET clause); with ``rehash`` also the manifest."""
    data = folder / "data.parquet"
    con = duckdb.connect()
    con.execute(f"create table t as select * from read_parquet('{data}', hive_partitioning = false)")
    con.execute(f"update t set {sql_set} where rowid = (select min(rowid) from t)")
    con.execute(f"copy (select * from t order by rowid) to '{data}' (format parquet)")
    con.close()
    if rehash:
        manifest = json.loads((folder / "manifest.json").read_text())
        digest = sha256_of(data)
        manifest["data"]["sha256"] = digest
        manifest["data"]["file_sha256"] = {"data.parquet": digest}
        (folder / "manifest.json").write_text(json.dumps(manifest))


def test_load_latest_and_a_given_as_of_describe_themselves(cut):
    out, (early, late), _ = cut
    latest = sqltrain.load("churn_training", snapshots=out)
    assert latest.as_of == LATE and latest.path == late.path
    given = sqltrain.load("churn_training", as_of=EARLY, snapshots=out)
    assert given.path == early.path and given.rows == early.rows > 0
    assert given.entity == ["customer_id"] and given.cutoff == "as_of_ts" and given.label == "churned_30d"
    assert not {"customer_id", "as_of_ts", "churned_30d"} & set(given.features) and len(given.features) >= 12
    X, y = given.X_y()
    assert list(X.columns) == given.features and len(X) == len(y) == given.rows
    assert set(y.dropna().unique()) <= {0, 1} and abs(float(y.mean()) - given.label_rate) < 1e-6
    assert given.to_arrow().num_rows == given.rows
    relation = given.to_duckdb()
    assert relation.aggregate("count(*)").fetchall() == [(given.rows,)]
    assert relation.aggregate("max(as_of_ts)").fetchall()[0][0].date().isoformat() <= EARLY


def test_snapshots_lists_each_with_rows_rate_and_gates(cut):
    out, (early, late), _ = cut
    listed = sqltrain.snapshots("churn_training", snapshots=out)
    assert [s.as_of for s in listed] == [EARLY, LATE]
    assert [s.rows for s in listed] == [early.rows, late.rows]
    assert listed[1].gates and all(listed[1].gates.values())
    assert listed[0].data_sha256 == early.data_sha256


def test_a_missing_snapshot_names_what_exists(cut):
    out, _, _ = cut
    with pytest.raises(UsageError, match=f"as of 2025-01-01 .*have: {EARLY}, {LATE}"):
        sqltrain.load("churn_training", as_of="2025-01-01", snapshots=out)


def test_a_tampered_snapshot_raises_with_both_hashes(cut, tmp_path):
    out, (early, _), _ = cut
    folder = _copy(early.path, tmp_path)
    expected = json.loads((folder / "manifest.json").read_text())["data"]["file_sha256"]["data.parquet"]
    _rewrite_value(folder, "churned_30d = 1 - churned_30d", rehash=False)
    with pytest.raises(TamperedSnapshot) as raised:
        sqltrain.load("churn_training", as_of=EARLY, snapshots=tmp_path)
    assert expected in str(raised.value) and sha256_of(folder / "data.parquet") in str(raised.value)
    assert raised.value.exit_code == 1
    assert sqltrain.load("churn_training", as_of=EARLY, snapshots=tmp_path, verify_hash=False).rows == early.rows


def test_diff_of_two_as_ofs_adds_rows_and_changes_none(cut):
    """Time-travel invariance seen from outside: the later snapshot only adds examples."""
    out, (early, late), _ = cut
    result = sqltrain.diff(early.path, late.path)
    assert not result.identical and result.exit_code == 1
    assert result.only_a == 0 and result.only_b == late.rows - early.rows > 0
    assert result.changed_rows == 0 and result.changed_columns == {}
    assert sqltrain.diff(early.path, early.path).identical


def test_diff_counts_changed_values_and_respects_the_float_tolerance(cut, tmp_path):
    out, (early, _), _ = cut
    changed = _copy(early.path, tmp_path / "changed")
    _rewrite_value(changed, "churned_30d = 1 - churned_30d", rehash=True)
    result = sqltrain.diff(early.path, changed)
    assert result.changed_columns == {"churned_30d": 1} and result.only_a == result.only_b == 0
    nudged = _copy(early.path, tmp_path / "nudged")
    floats = [c["name"] for c in early.manifest["columns"] if c["type"] == "DOUBLE"]
    assert floats, "the demo has a DOUBLE feature"
    _rewrite_value(nudged, f"{floats[0]} = {floats[0]} + 1e-13", rehash=True)
    assert sqltrain.diff(early.path, nudged).identical
    assert sqltrain.diff(early.path, nudged, tolerance=0).changed_columns == {floats[0]: 1}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sqltrain.cli", *args], capture_output=True, text=True, timeout=120)


def test_diff_command_exit_codes_and_json(cut, tmp_path):
    out, (early, late), _ = cut
    same = _cli("diff", str(early.path), str(early.path))
    assert same.returncode == 0 and "SAME" in same.stdout, same.stdout + same.stderr
    report = tmp_path / "diff.json"
    differs = _cli("diff", EARLY, LATE, "--model", "churn_training", "--snapshots", str(out), "--json", str(report))
    assert differs.returncode == 1, differs.stdout + differs.stderr
    assert f"DIFFERENT: 0 rows only in A, {late.rows - early.rows:,} only in B" in differs.stdout
    assert json.loads(report.read_text())["rows"]["only_b"] == late.rows - early.rows
    bad = _cli("diff", str(tmp_path), str(early.path))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "not a snapshot" in bad.stderr
    tampered = _copy(early.path, tmp_path / "t")
    _rewrite_value(tampered, "churned_30d = 1 - churned_30d", rehash=False)
    refused = _cli("diff", str(early.path), str(tampered))
    assert refused.returncode == 1 and "does not match the manifest" in refused.stderr


def test_the_commands_as_functions_return_results(cut):
    out, _, root = cut
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SQLTRAIN_WAREHOUSE", str(root / "warehouse.duckdb"))
        mp.setenv("DBT_TARGET_PATH", str(root / "target"))
        report = sqltrain.check(project=REPO)
        assert report.exit_code == 0 and report.active == []
        gate = sqltrain.validate(LATE, report_dir=root / "validation", snapshots_dir=out, project=REPO)
        assert gate.passed and (root / "validation" / "validation.json").is_file()
        with pytest.raises(UsageError, match="not-a-model|unknown|no model"):
            sqltrain.validate(LATE, model="not-a-model", project=REPO)


def test_importing_sqltrain_loads_no_heavy_dependency():
    code = ("import sys, sqltrain; heavy = [m for m in ('dbt', 'great_expectations', 'sqlglot', 'pandas', 'pyarrow') "
            "if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
