"""The quality gate on a hand-built training set: it passes clean data, and each built-in
expectation (and a user expectation) fails on data corrupted to break it, naming the column
and the observed value."""

from __future__ import annotations

import json

import pytest

from sqltrain.quality.gate import run_gate

ONE_ROW = "customer_id = 3 AND as_of_ts = TIMESTAMP '2025-02-01'"


def test_clean_training_set_passes_and_leaves_its_reports(training_set):
    result = run_gate(training_set.context())

    assert result.passed, result.failures
    assert result.failures == [] and result.warnings == []
    assert result.report_file == "validation.json"
    report = json.loads((training_set.root / "report" / "validation.json").read_text())
    assert report["passed"] is True and report["row_count"] == 200
    assert report["data_docs"] == "validation/index.html"
    rules = {e["rule"] for e in report["expectations"]}
    assert rules == {"declared_column", "key_not_null", "unique_example", "spine_row_count", "label_domain",
                     "label_rate", "null_fraction", "value_range", "user"}
    # the split column declares another role: it is no feature, so it gets no null limit
    limited = {e["column"] for e in report["expectations"] if e["rule"] == "null_fraction"}
    assert limited == {"churned_30d", "plan", "orders_sum_amount_30d", "tenure_days", "days_since_last_order"}
    docs = training_set.root / "report" / "validation"
    assert (docs / "index.html").is_file()
    assert list(docs.glob("validations/**/*.html")), "the GX validation page is in the Data Docs"
    assert not list(docs.glob("static/images/*.gif")), "GX's tutorial images are not kept with every snapshot"
    assert not list(training_set.root.glob("gx")) and not list(training_set.root.glob("great_expectations*"))


# (what is broken, SQL that breaks it, expectation type, column, rule, observed text)
CORRUPTIONS = [
    ("label column missing", "ALTER TABLE churn_training DROP COLUMN churned_30d",
     "expect_column_to_exist", "churned_30d", "declared_column", "column missing"),
    ("entity key null", f"UPDATE churn_training SET customer_id = NULL WHERE {ONE_ROW}",
     "expect_column_values_to_not_be_null", "customer_id", "key_not_null", "null fraction 0.005 (1 of 200 rows)"),
    ("cutoff null", f"UPDATE churn_training SET as_of_ts = NULL WHERE {ONE_ROW}",
     "expect_column_values_to_not_be_null", "as_of_ts", "key_not_null", "null fraction 0.005 (1 of 200 rows)"),
    ("duplicate example", f"UPDATE churn_training SET as_of_ts = TIMESTAMP '2025-01-01' WHERE {ONE_ROW}",
     "expect_compound_columns_to_be_unique", "customer_id, as_of_ts", "unique_example",
     "2 duplicate rows of 200, e.g. (3, 2025-01-01"),
    ("row dropped", f"DELETE FROM churn_training WHERE {ONE_ROW}",
     "expect_table_row_count_to_equal", None, "spine_row_count", "199 rows"),
    ("row fanned out", "INSERT INTO churn_training SELECT * FROM churn_training WHERE customer_id = 3",
     "expect_table_row_count_to_equal", None, "spine_row_count", "204 rows"),
    ("label outside its domain", f"UPDATE churn_training SET churned_30d = 2 WHERE {ONE_ROW}",
     "expect_column_values_to_be_in_set", "churned_30d", "label_domain", "1 rows outside the domain of 200, e.g. 2"),
    ("label rate too high", "UPDATE churn_training SET churned_30d = 1 WHERE customer_id <= 25",
     "expect_column_mean_to_be_between", "churned_30d", "label_rate", "label rate 0.56"),
    ("label rate too low", "UPDATE churn_training SET churned_30d = 0",
     "expect_column_mean_to_be_between", "churned_30d", "label_rate", "label rate 0"),
    ("label null", f"UPDATE churn_training SET churned_30d = NULL WHERE {ONE_ROW}",
     "expect_column_values_to_not_be_null", "churned_30d", "null_fraction", "null fraction 0.005 (1 of 200 rows)"),
    ("feature null beyond its own limit", f"UPDATE churn_training SET orders_sum_amount_30d = NULL WHERE {ONE_ROW}",
     "expect_column_values_to_not_be_null", "orders_sum_amount_30d", "null_fraction",
     "null fraction 0.005 (1 of 200 rows)"),
    ("feature null beyond the model default", "UPDATE churn_training SET tenure_days = NULL WHERE customer_id <= 30",
     "expect_column_values_to_not_be_null", "tenure_days", "null_fraction", "null fraction 0.66 (132 of 200 rows)"),
    ("feature out of its declared range", f"UPDATE churn_training SET orders_sum_amount_30d = -5 WHERE {ONE_ROW}",
     "expect_column_values_to_be_between", "orders_sum_amount_30d", "value_range", "1 rows out of range of 200, e.g. -5"),
    ("user expectation", f"UPDATE churn_training SET tenure_days = -1 WHERE {ONE_ROW}",
     "expect_column_values_to_be_between", "tenure_days", "user", "1 rows out of range of 200, e.g. -1"),
]


@pytest.mark.parametrize("corruption, sql, check, column, rule, observed", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_each_expectation_fails_on_data_corrupted_to_break_it(training_set, corruption, sql, check, column, rule, observed):
    training_set.sql(sql)
    result = run_gate(training_set.context())

    assert not result.passed
    assert "failed, " in result.summary
    named = [f for f in result.failures if f.check == check and f.column == column and observed in f.observed]
    assert named, f"{corruption}: no failure of {check} on {column} observing {observed!r} in {result.failures}"

    report = json.loads((training_set.root / "report" / "validation.json").read_text())
    assert report["passed"] is False
    entries = [e for e in report["expectations"] if e["rule"] == rule and e["column"] == column and not e["success"]]
    assert entries and observed in entries[0]["observed"]


def test_unique_false_allows_duplicate_examples(training_set):
    training_set.sql(f"UPDATE churn_training SET as_of_ts = TIMESTAMP '2025-01-01' WHERE {ONE_ROW}")
    training_set.set_manifest({**training_set.meta, "unique": False})
    result = run_gate(training_set.context())
    assert result.passed, result.failures


def test_spine_found_through_lineage_when_not_declared(training_set):
    training_set.set_manifest({k: v for k, v in training_set.meta.items() if k != "spine"})
    training_set.sql(f"DELETE FROM churn_training WHERE {ONE_ROW}")
    result = run_gate(training_set.context())
    assert [(f.check, f.expected, f.observed) for f in result.failures] == [
        ("expect_table_row_count_to_equal", "200 rows, as many as spine spine_monthly", "199 rows")
    ]


def test_a_rerun_writes_the_same_report(training_set):
    first = run_gate(training_set.context(training_set.root / "a"))
    second = run_gate(training_set.context(training_set.root / "b"))
    assert first == second
    assert (training_set.root / "a" / "validation.json").read_bytes() == (training_set.root / "b" / "validation.json").read_bytes()


def test_gx_writes_nothing_outside_the_report_dir(training_set, tmp_path, monkeypatch):
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir(), home.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))
    run_gate(training_set.context(tmp_path / "report"))
    assert list(cwd.iterdir()) == [] and list(home.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == ["validation", "validation.json"]


def test_an_empty_training_set_fails_on_row_count_and_label_rate(training_set):
    training_set.sql("DELETE FROM churn_training")
    failures = {(f.check, f.observed) for f in run_gate(training_set.context()).failures}
    assert failures == {("expect_table_row_count_to_equal", "0 rows"), ("expect_column_mean_to_be_between", "no values")}


def test_boolean_label_and_utc_timestamps_are_checked_the_same_way(training_set):
    training_set.sql("""
        ALTER TABLE churn_training ALTER churned_30d TYPE BOOLEAN;
        ALTER TABLE churn_training ALTER as_of_ts TYPE TIMESTAMPTZ;
    """)
    training_set.set_manifest({**training_set.meta, "label_domain": [False, True]})
    assert run_gate(training_set.context()).passed

    training_set.sql("UPDATE churn_training SET churned_30d = true WHERE customer_id < 30")
    failures = [(f.check, f.column, f.observed) for f in run_gate(training_set.context()).failures]
    assert failures == [("expect_column_mean_to_be_between", "churned_30d", "label rate 0.64")]


@pytest.mark.parametrize("declared", ["source('raw', 'spine_table')", 'source("raw","spine_table")', None])
def test_a_source_can_be_the_spine(training_set, declared):
    """`spine:` names a source (or a parent source declares kind: spine): the row count is gated."""
    manifest = json.loads((training_set.root / "target" / "manifest.json").read_text())
    meta = {k: v for k, v in training_set.meta.items() if k != "spine"}
    if declared:
        meta["spine"] = declared
    training = manifest["nodes"]["model.qtest.churn_training"]
    training["config"]["meta"]["sqltrain"] = meta
    training["depends_on"]["nodes"] = ["source.qtest.raw.spine_table"]
    del manifest["nodes"]["model.qtest.spine_monthly"]
    manifest["sources"]["source.qtest.raw.spine_table"] = {
        "resource_type": "source", "source_name": "raw", "name": "spine_table", "package_name": "qtest",
        "relation_name": manifest["nodes"]["model.qtest.churn_training"]["relation_name"].replace("churn_training", "spine_monthly"),
        "config": {"meta": {"sqltrain": {"kind": "spine"}}},
    }
    (training_set.root / "target" / "manifest.json").write_text(json.dumps(manifest))
    training_set.project.manifest(reload=True)
    training_set.sql(f"DELETE FROM churn_training WHERE {ONE_ROW}")
    result = run_gate(training_set.context())
    assert [(f.check, f.expected, f.observed) for f in result.failures] == [
        ("expect_table_row_count_to_equal", "200 rows, as many as spine source('raw', 'spine_table')", "199 rows")
    ]


def test_duplicate_examples_say_how_to_allow_them(training_set):
    training_set.sql(f"UPDATE churn_training SET as_of_ts = TIMESTAMP '2025-01-01' WHERE {ONE_ROW}")
    result = run_gate(training_set.context())
    assert not result.passed
    assert "declare `unique: false` under its meta.sqltrain" in result.summary
