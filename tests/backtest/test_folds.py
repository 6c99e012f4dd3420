"""Fold plans, periods and the split document: pure Python, no dbt."""

from __future__ import annotations

from datetime import datetime

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.backtesting.folds import plan_folds
from sqltrain.backtesting.periods import Period, parse_period
from sqltrain.backtesting.splits import SPLIT_COLUMN, cut_at_markers, split_document
from sqltrain.sqlquote import spark_identifier
from sqltrain.errors import UsageError


@pytest.mark.parametrize(
    "text, period",
    [("30 days", Period(30, "day")), ("1 month", Period(1, "month")), ("month", Period(1, "month")),
     ("P1M", Period(1, "month")), ("P2W", Period(2, "week")), ("PT6H", Period(6, "hour")),
     ("12 months", Period(12, "month")), ("1y", Period(1, "year"))],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "fortnight", "0 days", "-1 month", "P1X", "1.5 months"])
def test_bad_periods_are_usage_errors(text):
    with pytest.raises(UsageError, match="--every"):
        parse_period(text, "--every")


def test_calendar_months_clamp_to_the_month_end():
    assert Period(1, "month").after(datetime(2025, 1, 31)) == datetime(2025, 2, 28)
    assert Period(1, "month").before(datetime(2025, 3, 1)) == datetime(2025, 2, 1)
    assert Period(1, "year").after(datetime(2024, 2, 29)) == datetime(2025, 2, 28)


def test_embargo_must_surely_cover_the_horizon():
    assert Period(31, "day").surely_at_least(Period(1, "month"))
    assert not Period(30, "day").surely_at_least(Period(1, "month"))  # March is longer
    assert not Period(1, "month").surely_at_least(Period(30, "day"))  # February is shorter
    assert Period(5, "week").surely_at_least(Period(30, "day"))


def test_folds_stop_where_no_test_label_can_be_mature():
    folds = plan_folds(parse_as_of("2025-01-01"), parse_as_of("2025-06-01"), Period(1, "month"), Period(30, "day"))
    assert [f.cutoff.label for f in folds] == ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"]
    # each test window runs to the next fold date; the last one to --end (open here)
    assert [f.test_until for f in folds[:-1]] == [f.cutoff.instant for f in folds[1:]]
    assert folds[-1].test_until is None
    assert all(f.train_from is None for f in folds)


def test_train_window_bounds_the_train_cutoffs():
    folds = plan_folds(parse_as_of("2025-03-01"), parse_as_of("2025-06-01"), Period(1, "month"),
                       Period(30, "day"), Period(6, "month"))
    assert folds[0].train_from == datetime(2024, 9, 1)


@pytest.mark.parametrize("start, end, message", [("2025-06-01", "2025-06-01", "not after"),
                                                  ("2025-05-15", "2025-06-01", "no fold")])
def test_impossible_ranges_are_usage_errors(start, end, message):
    with pytest.raises(UsageError, match=message):
        plan_folds(parse_as_of(start), parse_as_of(end), Period(1, "month"), Period(30, "day"))


def test_split_document_uses_temporal_split_and_cuts_back_per_fold():
    folds = plan_folds(parse_as_of("2025-04-01"), parse_as_of("2025-06-01"), Period(1, "month"),
                       Period(30, "day"), Period(1, "year"))
    document = split_document("m", "as_of_ts", folds, Period(30, "day"), Period(30, "day"), ["id", "as_of_ts", "y"])
    assert document.count("select {{ '\"id\", \"as_of_ts\", \"y\"' }} from (") == 4      # the model's columns, not the split's
    assert document.count("sqltrain.temporal_split(ref('m'), '\"as_of_ts\"', '2025-04-01', '2025-04-01', '30 days', "
                          "horizon='30 days'") == 2
    assert '{{ \'"as_of_ts"\' }} >= {{ sqltrain.as_of_literal(\'2024-04-01T00:00:00\') }}' in document
    assert '{{ \'"as_of_ts"\' }} < {{ sqltrain.as_of_literal(\'2025-05-01T00:00:00\') }}' in document
    # a cutoff column named with quotes and braces stays one quoted identifier inside one Jinja string
    hostile = split_document("m", "a'b\"c }}{{", folds, Period(30, "day"), Period(30, "day"), ["a'b\"c }}{{"])
    assert "ref('m'), '\"a\\'b\"\"c }}{{\"'," in hostile and "{{ '\"a\\'b\"\"c }}{{\"' }} >= " in hostile
    assert "select {{ '\"a\\'b\"\"c }}{{\"' }} from (" in hostile
    # on Spark the same document quotes with the engine's backticks
    spark = split_document("m", "as`of", folds, Period(30, "day"), Period(30, "day"), ["as`of"], quote=spark_identifier)
    assert "ref('m'), '`as``of`'," in spark and "select {{ '`as``of`' }} from (" in spark and '"' not in spark
    # what dbt gives back keeps the markers: cut it into one train and one test query per fold
    queries = cut_at_markers(document, len(folds))
    assert set(queries) == {0, 1}
    assert f"{SPLIT_COLUMN} = 'train'" in queries[1].train and f"{SPLIT_COLUMN} = 'test'" in queries[1].test
    assert "-- sqltrain:backtest" not in queries[0].test
    with pytest.raises(RuntimeError, match="markers"):
        cut_at_markers(document, 3)
