"""The leakage smell's AUC: hand-computed examples, then the SQL against a brute-force pair oracle."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.errors import UsageError
from sqltrain.smell import smell_report
from sqltrain.smell.auc import missing_auc, one_vs_rest_auc, ordered_auc
from sqltrain.smell.report import column_kind


def _table(rows: list[tuple], columns: str = "x, y") -> DuckDBEngine:
    con = DuckDBEngine.over(duckdb.connect())
    names = [c.strip() for c in columns.split(",")]
    values = ", ".join("(" + ", ".join("null" if v is None else repr(v) for v in row) + ")" for row in rows)
    con.execute(f"create table t as select * from (values {values}) as v({', '.join(names)})")
    return con


def _pair_oracle(rows: list[tuple]) -> float | None:
    """P(x_pos > x_neg) + ½ P(tie) over every (positive, negative) pair with both x present."""
    pos = [x for x, y in rows if y == 1 and x is not None]
    neg = [x for x, y in rows if y == 0 and x is not None]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def test_hand_computed_auc_with_a_tie():
    # positives 3, 2; negatives 1, 2: pairs (3>1, 3>2, 2>1, 2=2) -> (1 + 1 + 1 + 0.5) / 4
    con = _table([(3, 1), (2, 1), (1, 0), (2, 0)])
    auc, counts = ordered_auc(con, "t", "x", "y")
    assert auc == pytest.approx(0.875)
    assert (counts.positives, counts.negatives) == (2, 2)


def test_nulls_are_left_out_of_the_value_auc_and_scored_by_the_missing_indicator():
    # the value ranks perfectly among present rows; NULLs only among negatives
    con = _table([(5, 1), (6, 1), (1, 0), (None, 0), (None, 0), (2, 0)])
    auc, counts = ordered_auc(con, "t", "x", "y")
    assert auc == 1.0 and (counts.positives, counts.negatives) == (2, 2)
    missing, null_fraction, _ = missing_auc(con, "t", "x", "y")
    # indicator is 1 for 2 of 4 negatives, 0 of 2 positives: ½ + ½ (0 − ½)
    assert missing == pytest.approx(0.25)
    assert null_fraction == pytest.approx(2 / 6)


def test_rows_without_a_label_are_ignored():
    con = _table([(3, 1), (1, 0), (100, None), (None, None)])
    assert ordered_auc(con, "t", "x", "y")[0] == 1.0
    assert missing_auc(con, "t", "x", "y")[1] == 0.0


def test_one_vs_rest_picks_the_most_extreme_category():
    # 'a': 3 of 4 positives, 0 of 4 negatives -> ½ + ½ (¾ − 0) = 0.875; 'b' and 'c' are less extreme
    con = _table([("a", 1), ("a", 1), ("a", 1), ("b", 1), ("b", 0), ("b", 0), ("c", 0), ("c", 0)])
    auc, category, counts = one_vs_rest_auc(con, "t", "x", "y")
    assert (category, auc) == ("a", pytest.approx(0.875))
    assert (counts.positives, counts.negatives) == (4, 4)


def test_an_id_like_category_is_not_flagged():
    # every row its own category: target-mean ordering would give AUC 1; one-vs-rest stays near ½
    rows = [(f"id{i}", i % 2) for i in range(40)]
    con = _table(rows)
    auc, _, _ = one_vs_rest_auc(con, "t", "x", "y")
    assert abs(auc - 0.5) <= 0.5 / 20 + 1e-9
    report = smell_report(con, "t", {"label": "y"}, threshold=0.95, min_per_class=5)
    assert report["suspicious"] == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-3, 3)), st.integers(0, 1)), min_size=1, max_size=30))
def test_sql_auc_equals_the_pair_oracle(rows):
    con = _table(rows)
    auc, _ = ordered_auc(con, "t", "x", "y")
    expected = _pair_oracle(rows)
    assert (auc is None) == (expected is None)
    if expected is not None:
        assert auc == pytest.approx(expected)


def test_report_flags_a_copy_of_the_label_and_its_mirror_but_not_noise():
    con = DuckDBEngine.over(duckdb.connect())
    con.execute(
        """
        create table t as
        select range as customer_id, timestamp '2025-01-01' as as_of_ts,
               (range % 4 = 0)::int as churned,
               (range % 4 = 0)::int * 10 + range % 3 as leak_high,      -- separates perfectly
               -((range % 4 = 0)::int)             as leak_low,         -- AUC 0: also flagged
               case when range % 4 = 0 then 'cancelled' end as reason,  -- present only for positives
               (range * 7919) % 13                 as noise,
               range % 2 = 0                       as flag
        from range(200)
        """
    )
    meta = {"entity": ["customer_id"], "cutoff": "as_of_ts", "label": "churned"}
    report = smell_report(con, "t", meta)
    assert report["base_rate"] == pytest.approx(0.25)
    assert report["positives"] == 50 and report["labelled_rows"] == 200
    assert sorted(report["suspicious"]) == ["leak_high", "leak_low", "reason"]
    by_name = {f["name"]: f for f in report["features"]}
    assert "customer_id" not in by_name and "as_of_ts" not in by_name and "churned" not in by_name
    assert by_name["leak_high"]["auc"] == 1.0 and by_name["leak_low"]["auc"] == 0.0
    # 'reason' has a single category among present rows (no negative): its value AUC cannot be scored,
    # its missingness can: NULL for every negative, never for a positive
    assert by_name["reason"]["auc"] is None and by_name["reason"]["auc_missing"] == 0.0
    assert "is-NULL AUC" in by_name["reason"]["reason"]
    assert by_name["noise"]["suspicious"] is False and by_name["flag"]["kind"] == "ordered"
    assert report["best_feature"]["name"] in ("leak_high", "leak_low")
    assert report["best_feature"]["separation"] == 1.0


def test_threshold_is_configurable_and_roles_exclude_columns():
    con = _table([(i, int(i >= 12)) for i in range(20)] + [(11, 1), (12, 0)], "x, y")
    # x separates almost perfectly: AUC = 1 − 1/(9·11)... flagged at 0.95, not at 0.999
    meta = {"label": "y"}
    assert smell_report(con, "t", meta, min_per_class=5)["suspicious"] == ["x"]
    assert smell_report(con, "t", meta, threshold=0.999, min_per_class=5)["suspicious"] == []
    assert smell_report(con, "t", meta, roles={"x": "weight"}, min_per_class=5)["features"] == []
    # the model may set its own threshold; an explicit one wins
    assert smell_report(con, "t", {**meta, "auc_threshold": 0.999}, min_per_class=5)["suspicious"] == []
    assert smell_report(con, "t", {**meta, "auc_threshold": 0.999}, threshold=0.95, min_per_class=5)["suspicious"] == ["x"]


@pytest.mark.parametrize("bad", [0.5, 1.0, 1.2, "high"])
def test_a_threshold_outside_half_to_one_is_a_usage_error(bad):
    con = _table([(1, 1), (0, 0)])
    with pytest.raises(UsageError, match="AUC threshold"):
        smell_report(con, "t", {"label": "y", "auc_threshold": bad})


def test_too_few_examples_are_not_scored():
    con = _table([(1, 1), (0, 0), (0, 0)])
    feature = smell_report(con, "t", {"label": "y"})["features"][0]
    assert feature["auc"] is None and not feature["suspicious"]
    assert "too few rows" in feature["note"]


def test_a_non_binary_label_is_skipped_with_a_reason():
    con = _table([(1, 2), (0, 0), (3, 5)])
    report = smell_report(con, "t", {"label": "y"})
    assert "not binary" in report["skipped"]


@pytest.mark.parametrize(
    "duckdb_type, kind",
    [("VARCHAR", "categorical"), ("ENUM('a', 'b')", "categorical"), ("BIGINT", "ordered"), ("DOUBLE", "ordered"),
     ("BOOLEAN", "ordered"), ("TIMESTAMP", "ordered"), ("DATE", "ordered"), ("INTEGER[]", None),
     ("STRUCT(a INTEGER)", None), ("BLOB", None)],
)
def test_column_kinds(duckdb_type, kind):
    assert column_kind(duckdb_type) == kind
