"""`sqltrain backtest` on the demo: folds never overlap, the embargo holds, train is the snapshot as of X,
and a planted leaky feature is flagged by the AUC smell while the demo's real features are not (docs/backtesting.md).

The backtests are slow (dbt builds), so each runs once per module and the tests read what it exported.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from sqltrain.backtesting import run_backtest
from sqltrain.cli import main

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
START, END = "2025-04-01", "2025-06-01"
HORIZON = timedelta(days=30)
LEAKY_SQL = """\
-- A planted leak: days until the customer's next cancellation, read from after the cutoff.
-- The static check is silenced on purpose: the AUC smell must catch it on its own.
with next_cancel as (
    select t.customer_id, t.as_of_ts, min(e.event_ts) as next_cancel_ts
    from {{ ref('churn_training') }} as t
    inner join {{ ref('lbl_churn_events') }} as e  -- sqltrain: ignore[LK013] planted leak for the smell test
        on e.customer_id = t.customer_id and e.event_ts > t.as_of_ts
    group by t.customer_id, t.as_of_ts
)

select t.*, {{ dbt.datediff('t.as_of_ts', 'n.next_cancel_ts', 'day') }} as days_to_next_cancel  -- sqltrain: ignore[LK005] planted leak for the smell test
from {{ ref('churn_training') }} as t
left join next_cancel as n
    on n.customer_id = t.customer_id and n.as_of_ts = t.as_of_ts
"""
LEAKY_YML = """\
version: 2
models:
  - name: churn_training_leaky
    config:
      meta:
        sqltrain: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d,
                   horizon: 30 days, spine: spine_customer_monthly}
"""


@pytest.fixture(scope="module")
def env(demo_warehouse, tmp_path_factory):
    """A private warehouse, dbt target and project copy (with the leaky model) for this module's runs.

    Module-scoped, so it cannot use the function-scoped ``demo_env``/``project_copy``; it does the same.
    """
    root = tmp_path_factory.mktemp("backtest")
    shutil.copy(demo_warehouse, root / "warehouse.duckdb")
    project = root / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / name, project / name)
    for folder in ("models", "macros", "snapshots", "tests/dbt"):
        shutil.copytree(REPO / folder, project / folder, ignore=shutil.ignore_patterns("as_of=*", ".tmp-*"))
    (project / "models" / "training" / "churn_training_leaky.sql").write_text(LEAKY_SQL)
    (project / "models" / "training" / "_leaky.yml").write_text(LEAKY_YML)
    # the same leak without its suppression: the leakage gate must refuse it
    unsilenced = re.sub(r"  -- sqltrain: ignore\[\w+\][^\n]*", "", LEAKY_SQL)
    (project / "models" / "training" / "churn_training_unsilenced.sql").write_text(unsilenced)
    (project / "models" / "training" / "_unsilenced.yml").write_text(
        LEAKY_YML.replace("churn_training_leaky", "churn_training_unsilenced"))
    (project / "models" / "training" / "churn_training_centered.sql").write_text(CENTERED_SQL)
    (project / "models" / "training" / "centered_base.sql").write_text(CENTERED_BASE_SQL)
    (project / "models" / "training" / "_centered.yml").write_text(
        LEAKY_YML.replace("churn_training_leaky", "churn_training_centered"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SQLTRAIN_WAREHOUSE", str(root / "warehouse.duckdb"))
        patch.setenv("DBT_TARGET_PATH", str(root / "target"))
        yield root


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


@pytest.fixture(scope="module")
def demo_run(env):
    """`sqltrain backtest` on the demo's churn_training: two monthly folds."""
    status, output = _cli("backtest", "--project-dir", str(env / "project"), "--start", START, "--end", END,
                          "--every", "1 month", "--out", str(env / "out"))
    root = env / "out" / "churn_training" / f"backtest={START}_{END}_P1M"
    return status, output, root


CENTERED_SQL = """\
-- centred on the mean of every row of the set: an old row changes when new cutoffs join it (LK004)
select t.*, t.orders_count_30d - avg(t.orders_count_30d) over () as orders_count_30d_centered
from {{ ref('centered_base') }} as t
"""
CENTERED_BASE_SQL = """\
-- ephemeral: dbt compiles it into its children and never runs it on its own
{{ config(materialized='ephemeral') }}
select * from {{ ref('churn_training') }}
"""


@pytest.fixture(scope="module")
def incremental_run(env, demo_run):
    """The same backtest as ``demo_run``, with ``--incremental``."""
    status, output = _cli("backtest", "--project-dir", str(env / "project"), "--start", START, "--end", END,
                          "--every", "1 month", "--out", str(env / "incremental"), "--incremental")
    return status, output, env / "incremental" / "churn_training" / f"backtest={START}_{END}_P1M"


@pytest.fixture(scope="module")
def leaky_run(env, demo_run):
    from sqltrain.project import Project

    return run_backtest(Project.open(env / "project"), "2025-05-01", END, "1 month",
                        model="churn_training_leaky", train_window="6 months", out=env / "out")


def _read(parquet: Path) -> list[tuple]:
    return duckdb.connect().execute(
        f"select customer_id, as_of_ts, churned_30d from read_parquet('{parquet}') order by all").fetchall()


def _folds(root: Path) -> list[tuple[datetime, Path]]:
    return sorted((datetime.fromisoformat(p.name.split("=")[1]), p) for p in root.glob("fold=*"))


def test_the_command_exports_every_fold_and_summarises(demo_run):
    status, output, root = demo_run
    assert status == 0, output
    assert [d.date().isoformat() for d, _ in _folds(root)] == ["2025-04-01", "2025-05-01"]
    for _, fold in _folds(root):
        for part in ("train", "test"):
            assert (fold / part / "data.parquet").is_file() and (fold / part / "manifest.json").is_file()
        assert (fold / "train" / "validation.json").is_file() and (fold / "train" / "leakage.json").is_file()
    assert (root / "evaluation" / "validation.json").is_file()
    assert "[1/3]" in output and "[3/3]" in output           # progress over the folds and the evaluation
    assert "2025-04-01" in output and "train rows" in output and "backtest written to" in output
    assert not list(root.parent.glob(".tmp-*"))                # the staging directory is gone


def test_train_and_test_never_share_an_example_and_the_embargo_holds(demo_run):
    _, _, root = demo_run
    folds = _folds(root)
    for i, (x, fold) in enumerate(folds):
        train, test = _read(fold / "train" / "data.parquet"), _read(fold / "test" / "data.parquet")
        assert train and test
        assert not {(c, t) for c, t, _ in train} & {(c, t) for c, t, _ in test}
        # no label window straddles X: train windows (T, T + 30d] end by X, test windows start at or after X
        assert max(t for _, t, _ in train) + HORIZON <= x
        assert min(t for _, t, _ in test) >= x
        # test runs up to the next fold date; every test label is mature at --end
        if i + 1 < len(folds):
            assert max(t for _, t, _ in test) < folds[i + 1][0]
        assert max(t for _, t, _ in test) + HORIZON <= datetime.fromisoformat(END)
        assert all(label in (0, 1) for *_, label in train + test)


def test_manifests_name_the_fold_the_dates_and_the_embargo(demo_run):
    _, _, root = demo_run
    (x, fold), _ = _folds(root)
    train = json.loads((fold / "train" / "manifest.json").read_text())
    test = json.loads((fold / "test" / "manifest.json").read_text())
    assert train["fold"]["date"] == "2025-04-01" and train["fold"]["embargo"] == "30 days"
    assert train["as_of"] == "2025-04-01" and test["as_of"] == END
    assert train["fold"]["train_cutoffs"]["to"] == "2025-03-02 00:00:00"
    assert test["fold"]["test_cutoffs"] == {"from": "2025-04-01", "before": "2025-05-01 00:00:00",
                                             "labels_mature_by": END}
    assert "temporal_split" not in train["split_sql"] and "__sqltrain_split" in train["split_sql"]  # compiled
    assert train["row_count"] == len(_read(fold / "train" / "data.parquet"))
    summary = json.loads((root / "backtest.json").read_text())
    assert [f["fold"] for f in summary["folds"]] == ["2025-04-01", "2025-05-01"]
    assert summary["embargo"] == "30 days" and summary["horizon"] == "30 days"


def test_only_the_as_of_dependent_models_are_rebuilt_per_fold(demo_run):
    _, _, root = demo_run
    builds = json.loads((root / "backtest.json").read_text())["builds"]
    assert builds["rebuilt_per_fold"] == ["model.sqltrain.churn_training", "model.sqltrain.spine_customer_monthly"]
    assert "model.sqltrain.feat_orders" in builds["built_once"]
    assert "snapshot.sqltrain.customers_snapshot" in builds["built_once"]
    # parse, compile, first build, split compile, one rebuild per further fold and one for the evaluation
    assert builds["dbt_invocations"] == 6


def test_test_sets_are_the_evaluation_build_and_a_reused_fold_equals_a_full_rebuild(demo_run, env):
    """Fold 2 reused the upstream built for fold 1; a full `dbt build +churn_training` as of its date agrees."""
    from sqltrain.dbt_invoke import build_command, invoke
    from sqltrain.project import Project

    from sqltrain.warehouse import connect

    _, _, root = demo_run
    warehouse = env / "warehouse.duckdb"
    (x1, fold1), (x2, fold2) = _folds(root)
    with connect(warehouse, read_only=True) as con:   # left as of --end by the evaluation build
        expected_test = con.execute(
            "select customer_id, as_of_ts, churned_30d from main_sqltrain_asof.churn_training "
            "where as_of_ts >= ? and as_of_ts < ? order by all", [x1, x2]).fetchall()
    assert _read(fold1 / "test" / "data.parquet") == expected_test

    invoke(Project.open(env / "project"), build_command("churn_training"), {"as_of": x2.date().isoformat()})
    with connect(warehouse, read_only=True) as con:
        full = con.execute("select * from main.churn_training order by customer_id, as_of_ts").fetchall()
        exported = con.execute(
            f"select * from read_parquet('{fold2 / 'train' / 'data.parquet'}', hive_partitioning = false) "
            "order by customer_id, as_of_ts").fetchall()
    assert exported == full


def _file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.parquet"))}


def test_incremental_folds_reuse_the_build_before_and_export_the_same_files(demo_run, incremental_run):
    """Every exported file of `--incremental` is byte-identical to the full backtest's, and each build
    after the first reused rows of the build before it."""
    _, _, full = demo_run
    status, output, root = incremental_run
    assert status == 0, output
    assert _file_hashes(root) == _file_hashes(full) and len(_file_hashes(full)) == 4
    by_as_of = json.loads((root / "backtest.json").read_text())["builds"]["incremental"]["by_as_of"]
    assert sorted(by_as_of) == ["2025-05-01", END]
    for record in by_as_of.values():
        assert record["reused_rows"] > 0 and "fallback" not in record
    assert by_as_of["2025-05-01"]["base"] == "fold=2025-04-01" and by_as_of[END]["base"] == "fold=2025-05-01"
    # reused: the rows of the build as of 2025-04-01 whose label window ended by then, or before the
    # event time of a row that landed after it (then the record names it)
    (_, fold1), (_, fold2) = _folds(root)
    first = by_as_of["2025-05-01"]
    until = datetime.fromisoformat(first["reused"].rsplit("<= ", 1)[1])
    assert until == datetime(2025, 4, 1) if "until_moved_by" not in first else until < datetime(2025, 4, 1)
    train1 = _read(fold1 / "train" / "data.parquet")   # cutoff + 30 days <= 2025-04-01: a superset
    assert first["reused_rows"] == sum(1 for _, t, _ in train1 if t + HORIZON <= until)
    assert json.loads((fold2 / "train" / "manifest.json").read_text())["incremental"] == by_as_of["2025-05-01"]
    assert "incremental: rows reused from the build before" in output


def test_incremental_refuses_a_statistic_over_all_rows_and_builds_in_full(env, demo_run):
    """A feature centred on the mean of every row changes old rows when new cutoffs arrive: no reuse."""
    status, output = _cli("backtest", "--project-dir", str(env / "project"), "--start", "2025-05-01", "--end", END,
                          "--every", "1 month", "--model", "churn_training_centered", "--out", str(env / "centered"),
                          "--incremental")
    assert status == 0, output
    root = env / "centered" / "churn_training_centered" / f"backtest=2025-05-01_{END}_P1M"
    by_as_of = json.loads((root / "backtest.json").read_text())["builds"]["incremental"]["by_as_of"]
    assert sorted(by_as_of) == [END]       # one fold, then the evaluation build: the one that could reuse
    assert all("LK004" in record["fallback"] and "reused_rows" not in record for record in by_as_of.values())
    # the gates read the ephemeral model too (its SQL is in no run result, only in dbt's manifest)
    for report in [*root.glob("fold=*/train/leakage.json"), root / "evaluation" / "leakage.json"]:
        document = json.loads(report.read_text())
        assert "centered_base" in document["models"]
        assert {f["code"] for f in document["findings"]} == {"LK004"}, report
    assert f"incremental: no row reused; built in full as of {END}" in " ".join(output.split())


def test_every_fold_gate_reads_the_compiled_sql_of_the_whole_upstream(demo_run, leaky_run):
    """dbt's manifest holds compiled SQL only for its last invocation's nodes; the leakage gate of every
    fold and of the evaluation still analyses every model upstream (no 'no compiled SQL' finding)."""
    _, _, root = demo_run
    reports = [*root.glob("fold=*/train/leakage.json"), root / "evaluation" / "leakage.json"]
    assert len(reports) == 3
    for report in reports:
        document = json.loads(report.read_text())
        assert {"churn_training", "stg_orders", "spine_customer_monthly"} <= set(document["models"])
        assert document["findings"] == [], report
    (fold,) = leaky_run.folds
    leaky = json.loads((fold.path / "train" / "leakage.json").read_text())["findings"]
    assert {(f["code"], f["suppressed"]) for f in leaky} >= {("LK005", True), ("LK013", True)}


def test_the_demo_features_are_not_flagged(demo_run):
    _, _, root = demo_run
    for _, fold in _folds(root):
        smell = json.loads((fold / "train" / "manifest.json").read_text())["smell"]
        assert smell["suspicious"] == []
        assert 0 < smell["base_rate"] < 0.3
        assert 0.5 < smell["best_feature"]["separation"] < 0.95
        assert len(smell["features"]) >= 20


def test_a_planted_leaky_feature_is_flagged_with_its_lineage(leaky_run):
    (fold,) = leaky_run.folds
    assert fold.suspicious == ["days_to_next_cancel"]
    leak = next(f for f in fold.train.smell["features"] if f["name"] == "days_to_next_cancel")
    assert leak["auc"] < 0.05
    assert any("lbl_churn_events" in source for source in leak["lineage"])
    manifest = json.loads((fold.path / "train" / "manifest.json").read_text())
    assert manifest["smell"]["suspicious"] == ["days_to_next_cancel"]
    assert fold.path.parent.name == f"backtest=2025-05-01_{END}_P1M_WP6M"


def test_the_train_window_bounds_the_train_cutoffs(leaky_run):
    (fold,) = leaky_run.folds
    train = _read(fold.path / "train" / "data.parquet")
    assert min(t for _, t, _ in train) == datetime(2024, 11, 1)      # 2025-05-01 − 6 months, inclusive
    assert max(t for _, t, _ in train) == datetime(2025, 4, 1)       # + 30 days <= 2025-05-01
    assert fold.train.manifest["fold"]["train_cutoffs"]["from"] == "2024-11-01 00:00:00"


@pytest.mark.parametrize(
    "args, message",
    [(["--every", "fortnightly"], "--every 'fortnightly' is not a period"),
     (["--every", "1 month", "--embargo", "7 days"], "shorter than churn_training's label horizon"),
     (["--every", "1 month", "--start", "2025-13-01"], "--start '2025-13-01' is not a date")],
)
def test_bad_input_exits_2_with_one_line(env, demo_run, capsys, args, message):
    base = {"--start": START, "--end": END}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    argv = ["backtest", "--project-dir", str(env / "project"), "--out", str(env / "bad")]
    for flag, value in base.items():
        argv += [flag, value]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (env / "bad").exists()


def test_a_failed_gate_exits_1_and_exports_nothing(env, leaky_run, capsys):
    argv = ["backtest", "--project-dir", str(env / "project"), "--start", "2025-05-01", "--end", END,
            "--every", "1 month", "--model", "churn_training_unsilenced", "--out", str(env / "refused")]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "leakage gate failed" in captured.err and "nothing was exported" in captured.err
    assert "LK005" in captured.out                                   # the gate failures table
    assert not any(p.is_file() for p in (env / "refused").rglob("*"))


def test_the_folds_load_as_verified_train_test_snapshot_pairs(demo_run):
    from sqltrain import backtest_folds

    _, _, root = demo_run
    pairs = backtest_folds(root)
    assert [train.as_of for train, _ in pairs] == ["2025-04-01", "2025-05-01"]
    for train, test in pairs:
        assert test is not None and train.label == test.label == "churned_30d"
        X, y = train.X_y()
        assert len(X) == train.rows > 0 and list(X.columns) == train.features
        assert test.to_pandas()["as_of_ts"].min() >= train.to_pandas()["as_of_ts"].max()


def _auc(scores: list[float], labels: list[int]) -> float:
    """Mann–Whitney AUC with average ranks for ties, in plain Python (the oracle for the baseline)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    won = sum(r for r, y in zip(ranks, labels) if y) - positives * (positives + 1) / 2
    return won / (positives * negatives)


def test_baselines_per_fold_are_the_floor_measured_on_the_test_set(demo_run):
    """Base rate (train rate predicted on test) and the train-picked best feature's test AUC, checked
    against the exported test rows in plain Python."""
    import math

    _, _, root = demo_run
    summary = json.loads((root / "backtest.json").read_text())
    for fold in summary["folds"]:
        train_smell = json.loads((root / fold["path"] / "train" / "manifest.json").read_text())["smell"]
        baselines = json.loads((root / fold["path"] / "test" / "manifest.json").read_text())["baselines"]
        assert fold["test"]["baselines"] == baselines
        rows = duckdb.connect().execute(
            f"select * from read_parquet('{root / fold['path'] / 'test' / 'data.parquet'}')").df()
        y = [int(v) for v in rows["churned_30d"]]
        p = train_smell["positives"] / train_smell["labelled_rows"]
        base = baselines["base_rate"]
        assert base["auc"] == 0.5 and base["prediction"] == round(p, 6) and base["labelled_rows"] == len(y)
        assert base["log_loss"] == pytest.approx(-sum(math.log(p if v else 1 - p) for v in y) / len(y), abs=1e-6)
        assert base["brier"] == pytest.approx(sum((v - p) ** 2 for v in y) / len(y), abs=1e-6)
        best = baselines["best_feature"]
        assert best["name"] == train_smell["best_feature"]["name"] and best["train_auc"] == train_smell["best_feature"]["auc"]
        sign = 1 if best["train_auc"] >= 0.5 else -1                 # the direction picked on train, not on test
        kept = [(sign * float(x), v) for x, v in zip(rows[best["name"]], y) if x is not None and x == x]
        assert best["test_rows_used"] == len(kept)
        if 0 < sum(v for _, v in kept) < len(kept):
            assert best["test_auc"] == pytest.approx(_auc([s for s, _ in kept], [v for _, v in kept]), abs=1e-6)
        else:                                                        # one class only where the feature is set
            assert best["test_auc"] is None


def test_the_review_site_has_a_backtest_page_with_timeline_and_baselines(demo_run, env, tmp_path):
    """`sqltrain docs` over the backtest, in headless Chromium: linked from the index, the fold timeline
    drawn at the manifests' dates, rows, label rates, smell and baselines as backtest.json says."""
    sys.path.insert(0, str(REPO / "tests" / "site"))
    from site_browser import chromium_page, served

    from sqltrain.site import build_site
    from sqltrain.project import Project

    _, _, root = demo_run
    build_site(Project.open(env / "project"), tmp_path / "site", env / "out", with_dbt_docs=False)
    summary = json.loads((root / "backtest.json").read_text())
    blocked: list[str] = []
    with served(tmp_path / "site") as url, chromium_page() as page:
        page.on("requestfailed", lambda request: blocked.append(request.url))
        page.goto(url + "index.html")
        page.locator(f'ul.backtests[data-model="churn_training"] a.backtest-link[href*="{root.name}"]').click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"training/churn_training/{root.name}/index.html")
        timeline = page.locator('svg[data-chart="fold-timeline"]')
        assert timeline.is_visible() and page.locator("table.baselines").is_visible()
        for fold in summary["folds"]:
            dates = fold["dates"]
            segment = lambda kind: timeline.locator(f'rect.segment.{kind}[data-fold="{fold["fold"]}"]')  # noqa: B023,E731
            assert segment("train").get_attribute("data-to") == dates["train_cutoffs"]["to"]
            assert segment("embargo").get_attribute("data-from") == dates["train_cutoffs"]["to"]
            assert segment("test").get_attribute("data-from").startswith(fold["fold"])
            assert segment("test").is_visible() and segment("embargo").is_visible()
            row = page.locator(f'table.folds tr[data-fold="{fold["fold"]}"]')
            assert row.locator('[data-field="train_rows"]').inner_text() == f"{fold['train']['rows']:,}"
            assert row.locator('[data-field="test_rate"]').inner_text() == f"{fold['test']['label_rate'] * 100:.2f}%"
            base, best = fold["test"]["baselines"]["base_rate"], fold["test"]["baselines"]["best_feature"]
            row = page.locator(f'table.baselines tr[data-fold="{fold["fold"]}"]')
            assert row.locator('[data-field="predicted_rate"]').inner_text() == f"{base['prediction'] * 100:.2f}%"
            assert float(row.locator('[data-field="log_loss"]').inner_text()) == pytest.approx(base["log_loss"], rel=1e-3)
            assert float(row.locator('[data-field="brier"]').inner_text()) == pytest.approx(base["brier"], rel=1e-3)
            assert row.locator('[data-field="best_feature"]').inner_text().startswith(best["name"])
            shown = row.locator('[data-field="best_test_auc"]').inner_text()
            if best["test_auc"] is None:                                  # one class only where the feature is set
                assert shown == "—"
            else:
                assert float(shown) == pytest.approx(best["test_auc"], rel=1e-3)
            assert page.locator(f'table.smell tr[data-fold="{fold["fold"]}"]').is_visible()
        page.screenshot(path=str(tmp_path / "backtest.png"), full_page=True)
    assert not blocked, f"the backtest page tried the network: {blocked}"
