"""`sqltrain verify` on the demo: clean at several as-of dates, every classic leak caught
with the right columns and the right model, temporary copies always removed, bad input exit 2.
"""

from __future__ import annotations

import json
import tempfile

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.cli import main
from sqltrain.errors import BuildError
from sqltrain.timetravel import verify

from leaky_variants import VARIANTS, with_proposed_source_meta

pytestmark = pytest.mark.slow

LEAK_AS_OF = "2025-06-01"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Route tempfile to a directory of our own so we can see what verify leaves behind."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


@pytest.fixture
def leaky_project(project_copy):
    with_proposed_source_meta(project_copy.project_dir)
    return project_copy


@pytest.mark.parametrize("as_of, proposed_meta", [("2024-02-01", False), ("2024-11-15T12:00:00", True)])
def test_demo_training_set_verifies_clean(repo_project, project_copy, as_of, proposed_meta):
    project = repo_project
    if proposed_meta:  # also clean once order lines follow their orders and resolutions wait for their time
        with_proposed_source_meta(project_copy.project_dir)
        project = project_copy
    report = verify(project, parse_as_of(as_of))
    assert report.identical and report.exit_code == 0, report.diff
    assert report.diff.rows_full == report.diff.rows_truncated > 0
    removed = {c.relation: c.rows_removed for c in report.copies}
    assert removed["raw.orders"] > 0 and removed["snapshots.customers_snapshot"] > 0  # really truncated
    assert report.unverifiable == [] and report.upstream == []
    if proposed_meta:
        assert removed["raw.order_items"] > 0 and removed["raw.support_tickets"] > 0


def test_cli_verifies_the_demo_clean_and_leaves_no_files(repo_project, private_tmp, capsys):
    code = main(["verify", "--as-of", "2025-09-01", "--project-dir", str(repo_project.project_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "churn_training as of 2025-09-01: IDENTICAL" in out
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.name != "future_window"], ids=lambda v: v.name)
def test_leaky_variant_fails_naming_its_columns_and_model(leaky_project, variant):
    variant.apply(leaky_project.project_dir)
    report = verify(leaky_project, parse_as_of(LEAK_AS_OF))
    assert report.exit_code == 1
    assert set(report.differing_columns) == variant.columns
    assert report.culprits == [variant.culprit]
    assert report.diff.only_full == report.diff.only_truncated == 0  # same examples, other values
    example = report.diff.examples[0]
    assert set(example.values) <= variant.columns and set(example.key) == {"customer_id", "as_of_ts"}


def test_cli_future_window_on_a_sample_exits_1_with_a_json_report(leaky_project, private_tmp, tmp_path, capsys):
    [variant] = [v for v in VARIANTS if v.name == "future_window"]
    variant.apply(leaky_project.project_dir)
    out_json = tmp_path / "verify.json"
    code = main(["verify", "--as-of", LEAK_AS_OF, "--sample", "120", "--json", str(out_json),
                 "--project-dir", str(leaky_project.project_dir)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "DIFFERS (sample of 120 entities)" in out and "orders_count_30d" in out
    report = json.loads(out_json.read_text())
    assert set(report["columns"]) == variant.columns and report["culprits"] == [variant.culprit]
    assert report["sample"] == 120 and 0 < len({e["key"]["customer_id"] for e in report["examples"]})
    assert list(private_tmp.iterdir()) == []


def test_a_failing_build_is_reported_and_the_copies_removed(project_copy, private_tmp):
    (project_copy.project_dir / "models/features/feat_signups.sql").write_text("select nonsense from nowhere\n")
    with pytest.raises(BuildError, match="on the full copy: .*feat_signups"):
        verify(project_copy, parse_as_of(LEAK_AS_OF))
    assert list(private_tmp.iterdir()) == []


def test_an_interrupt_removes_the_copies(repo_project, private_tmp):
    seen = []

    def stop_at_build(step):
        seen.append(step)
        if step == "build on full copy":
            assert any(private_tmp.rglob("verify_cut.duckdb"))  # the copies exist at this point
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        verify(repo_project, parse_as_of(LEAK_AS_OF), step=stop_at_build)
    assert seen[-1] == "build on full copy"
    assert list(private_tmp.iterdir()) == []


def test_unknown_model_is_a_usage_error(repo_project, capsys):
    code = main(["verify", "--as-of", LEAK_AS_OF, "--model", "nope", "--project-dir", str(repo_project.project_dir)])
    assert code == 2
    assert "unknown model 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--as-of", "yesterday"], "is not a date"),
    (["--as-of", "2001-01-01"], "before the warehouse's first record"),
    (["--as-of", LEAK_AS_OF, "--sample", "0"], "--sample"),
])
def test_bad_input_exits_2(repo_project, args, message, capsys):
    code = main(["verify", *args, "--project-dir", str(repo_project.project_dir)])
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err + captured.out
