"""The verify report as printed and as JSON, from hand-made results (no dbt)."""

from __future__ import annotations

import io

from rich.console import Console

from sqltrain.asof import parse_as_of
from sqltrain.timetravel import VerifyReport
from sqltrain.timetravel import plan as rules
from sqltrain.timetravel.copy import CopyStat
from sqltrain.timetravel.diff import ColumnDiff, RowExample, TableDiff
from sqltrain.timetravel.localise import ALL_ROWS, KNOWN_AT_D, NodeCheck
from sqltrain.timetravel.render import report_renderable, to_json


def _text(report: VerifyReport) -> str:
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(report_renderable(report))
    return console.export_text()


def _report(identical: bool) -> VerifyReport:
    diff = TableDiff("churn_training", ["customer_id", "as_of_ts"], 10, 10)
    upstream = []
    if not identical:
        diff.changed_rows = 2
        diff.columns = [ColumnDiff("country", 2)]
        diff.examples = [RowExample({"customer_id": 7, "as_of_ts": "2025-01-01"}, {"country": ("FR", None)})]
        upstream = [NodeCheck("model.p.feat_profile", "feat_profile", KNOWN_AT_D, differs=True, culprit=True,
                              diff=TableDiff("feat_profile", [], 5, 5, only_full=1, only_truncated=1)),
                    NodeCheck("model.p.churn_training", "churn_training", ALL_ROWS, differs=True)]
    copies = [CopyStat("raw.orders", rules.TIMED, 10, 6), CopyStat("raw.accounts", rules.UNVERIFIABLE, 3, 3)]
    return VerifyReport("churn_training", parse_as_of("2025-06-01"), diff.keys, diff, copies, upstream,
                        timings_s={"total": 1.0})


def test_identical_report_names_unverifiable_relations():
    text = _text(_report(identical=True))
    assert "churn_training as of 2025-06-01: IDENTICAL" in text
    assert "warning: raw.accounts is mutable and has no dbt snapshot" in text


def test_differing_report_shows_columns_examples_and_where_it_starts():
    report = _report(identical=False)
    text = _text(report)
    assert "DIFFERS — 2 rows changed in 1 column(s) (of 10 rows); starts in feat_profile" in text
    assert "country" in text and "FR" in text and "NULL" in text
    assert "FIRST DIFFERENCE" in text
    data = to_json(report)
    assert data["identical"] is False and data["columns"] == {"country": 2}
    assert data["culprits"] == ["feat_profile"] and data["unverifiable"] == ["raw.accounts"]
    assert data["examples"][0]["values"]["country"] == {"full": "FR", "truncated": None}
