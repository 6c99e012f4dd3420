"""`sqltrain check` end to end (real dbt compile, exit codes, formats) and the snapshot gate."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import yaml

from sqltrain.asof import parse_as_of
from sqltrain.cli import main
from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.gates import GateContext


def _tiny_project(root: Path, feature_sql: str) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "tiny", "version": "1.0.0", "config-version": 2, "profile": "tiny",
        "vars": {"as_of": "2025-12-01", "sqltrain": {"check": {"severity": {"LK004": "off"}}}},
        "models": {"tiny": {"+materialized": "view"}}}))
    (root / "profiles.yml").write_text(yaml.safe_dump({"tiny": {"target": "dev", "outputs": {"dev": {
        "type": "duckdb", "path": str(root / "tiny.duckdb"), "threads": 1}}}}))
    duckdb.connect(str(root / "tiny.duckdb")).close()  # the (empty) warehouse: sqltrain never creates one
    (root / "models" / "spine.sql").write_text("select 1 as customer_id, timestamp '2025-01-01' as as_of_ts\n")
    (root / "models" / "orders.sql").write_text(
        "select 1 as customer_id, timestamp '2024-12-01' as event_ts, timestamp '2024-12-02' as known_at, 10 as amount\n")
    (root / "models" / "features.sql").write_text(feature_sql)
    (root / "models" / "_models.yml").write_text(yaml.safe_dump({"version": 2, "models": [
        {"name": "spine", "config": {"meta": {"sqltrain": {"kind": "spine", "entity": ["customer_id"], "cutoff": "as_of_ts"}}}},
        {"name": "orders", "config": {"meta": {"sqltrain": {"kind": "feature_source", "entity": ["customer_id"],
                                                             "event_ts": "event_ts", "known_at": "known_at"}}}},
    ]}))
    return root


LEAKY = """select s.customer_id, s.as_of_ts, sum(o.amount) as spend
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o on o.customer_id = s.customer_id
group by 1, 2
"""


def test_check_compiles_then_reports_like_a_compiler(tmp_path, capsys):
    root = _tiny_project(tmp_path / "p", LEAKY)
    status = main(["check", "--project-dir", str(root), "--target-path", str(tmp_path / "target")])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[0].startswith("models/features.sql:3:")
    assert " LK001 " in out and "    hint: " in out
    assert out.rstrip().endswith("checked 3 models: 1 error, 0 warnings")
    assert (tmp_path / "target" / "manifest.json").is_file()
    assert not (root / "target").exists()

    manifest = tmp_path / "target" / "manifest.json"
    written = manifest.stat().st_mtime_ns
    assert main(["check", "--project-dir", str(root), "--target-path", str(tmp_path / "target")]) == 1
    assert manifest.stat().st_mtime_ns == written            # fresh manifest: no second dbt compile
    capsys.readouterr()

    fixed = LEAKY.replace("= s.customer_id", "= s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts")
    (root / "models" / "features.sql").write_text(fixed)
    status = main(["check", "--project-dir", str(root), "--target-path", str(tmp_path / "target"),
                   "--format", "sarif", "--output", str(tmp_path / "out.sarif")])
    assert status == 0
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert "checked 3 models: 0 errors" in capsys.readouterr().out


def test_check_on_compiled_corpus_selects_and_exits(compiled_corpus, capsys):
    project, _inputs = compiled_corpus
    base = ["check", "--no-compile", "--project-dir", str(project.project_dir)]
    assert main(base + ["--select", "c_bounded_count_orders"]) == 0
    capsys.readouterr()
    assert main(base + ["--select", "l001_count_orders_key_only", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["errors"] == 1 and data["findings"][0]["code"] == "LK001"
    assert main(base + ["--select", "no_such_model"]) == 2
    assert main(base + ["--format", "yaml"]) == 2


def test_check_without_manifest_is_a_usage_error(tmp_path, capsys):
    root = _tiny_project(tmp_path / "p", LEAKY)
    assert main(["check", "--no-compile", "--project-dir", str(root)]) == 2
    assert "no dbt manifest" in capsys.readouterr().err


def _gate_context(project, model, tmp_path):
    node = project.model_node(model)
    return GateContext(project=project, model=model, node=node, as_of=parse_as_of("2025-12-01"),
                       relation=node["relation_name"], engine=DuckDBEngine(tmp_path / "w.duckdb"),
                       report_dir=tmp_path / "stage")


def test_gate_blocks_a_leaky_model_and_writes_leakage_json(compiled_corpus, tmp_path):
    from sqltrain.leakage.gate import run_gate

    project, _ = compiled_corpus
    result = run_gate(_gate_context(project, "l001_upstream_all_time_aggregate", tmp_path))
    assert not result.passed and result.report_file == "leakage.json"
    [failure] = result.failures
    assert failure.check == "LK001" and failure.where.startswith("models/cases/l001_upstream_all_time_aggregate.sql:")
    report = json.loads((tmp_path / "stage" / "leakage.json").read_text())
    assert report["summary"]["passed"] is False
    assert "up_orders_per_customer" in report["models"]          # upstream is checked too


def test_gate_passes_a_clean_model(compiled_corpus, tmp_path):
    from sqltrain.leakage.gate import run_gate

    project, _ = compiled_corpus
    result = run_gate(_gate_context(project, "c_macro_window_aggregates", tmp_path))
    assert result.passed and result.failures == []
    assert json.loads((tmp_path / "stage" / "leakage.json").read_text())["summary"]["errors"] == 0


def test_a_project_that_does_not_compile_is_bad_input(tmp_path, capsys):
    root = _tiny_project(tmp_path / "p", "select * from {{ ref('no_such_model') }}\n")
    assert main(["check", "--project-dir", str(root), "--target-path", str(tmp_path / "target")]) == 2
    assert "no_such_model" in capsys.readouterr().err
