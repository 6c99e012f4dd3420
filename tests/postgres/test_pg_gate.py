"""The quality gate on PostgreSQL validates the set in the database: the built-in expectations as
sqltrain's SQL, the user's through Great Expectations' SQL datasource, drift on a seeded sample.
A corrupted copy of the demo's churn_training fails with the column and the observed value named."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

BAD = '"main"."churn_training_corrupted"'


@pytest.fixture(scope="module")
def corrupted(pg_build, pg_con):
    """churn_training with one label out of its domain, one unknown plan and one duplicated key."""
    pg_con.execute(f"drop table if exists {BAD}")
    pg_con.execute(f"create table {BAD} as select * from main.churn_training")
    pg_con.execute(f"update {BAD} set churned_30d = 7 where (customer_id, as_of_ts) = "
                   "(select customer_id, as_of_ts from main.churn_training order by 1, 2 limit 1)")
    pg_con.execute(f"update {BAD} set plan = 'platinum' where (customer_id, as_of_ts) = "
                   "(select customer_id, as_of_ts from main.churn_training order by 1, 2 offset 1 limit 1)")
    pg_con.execute(f"insert into {BAD} select * from main.churn_training order by 1, 2 limit 1")
    yield BAD
    pg_con.execute(f"drop table if exists {BAD}")


def _spec(pg_build_target):
    from sqltrain.quality.spec import spec_from_node

    manifest = json.loads((pg_build_target / "manifest.json").read_text())
    return spec_from_node(next(n for n in manifest["nodes"].values() if n["name"] == "churn_training"
                               and n["resource_type"] == "model"))


def test_the_gate_runs_in_the_database_and_names_column_and_value(corrupted, pg_project, pg_build_target, tmp_path):
    from sqltrain.engine.postgres import PostgresEngine, PostgresQuery
    from sqltrain.quality.check import check_training_set

    with PostgresEngine(pg_project) as engine:
        assert isinstance(engine.quality_frame(corrupted), PostgresQuery)    # no DataFrame of the set
        report = check_training_set(engine, corrupted, _spec(pg_build_target), docs_dir=tmp_path / "docs")
    failed = {(o.spec.type, o.spec.kwargs.get("column") or tuple(o.spec.kwargs.get("column_list", ()))): o
              for o in report.outcomes if not o.success}
    label = failed[("expect_column_values_to_be_in_set", "churned_30d")]
    assert label.result["unexpected_count"] == 1 and 7 in label.result["partial_unexpected_list"]
    plan = failed[("expect_column_values_to_be_in_set", "plan")]                  # a user expectation: GX
    assert plan.spec.rule == "user" and plan.result["partial_unexpected_list"] == ["platinum"]
    assert any(kind == "expect_compound_columns_to_be_unique" for kind, _ in failed), failed.keys()
    assert (tmp_path / "docs" / "index.html").is_file()


def test_drift_reads_the_set_or_a_repeatable_sample_of_it(pg_build, pg_project, monkeypatch):
    import sqltrain.engine.postgres as postgres

    def drift_rows(engine):
        con, relation = engine.drift_frame(engine.quality_frame('"main"."churn_training"'))
        return con.execute(f"select * from {relation} order by all").fetchall()

    with postgres.PostgresEngine(pg_project) as engine:
        total = engine.count_rows('"main"."churn_training"')
        assert len(drift_rows(engine)) == total > 400
        monkeypatch.setattr(postgres, "DRIFT_SAMPLE_ROWS", total // 4)
        sample = drift_rows(engine)
        assert 0 < len(sample) < total // 2 and drift_rows(engine) == sample     # the same rows every time
