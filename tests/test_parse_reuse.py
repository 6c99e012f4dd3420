"""A snapshot re-uses dbt's parse only while nothing it depends on changed.

sqltrain parses into its own target (``target/sqltrain/parse/``) with dbt's partial parsing and
runs the as-of build on the manifest it has just parsed; an edited model, another as-of date or
the user's own ``dbt parse`` in between must all reach the next snapshot (a stale parse would
export yesterday's model under today's name).
"""

from __future__ import annotations

import json
import os

import duckdb

from sqltrain.asof import parse_as_of
from sqltrain.dbt_invoke import invoke
from sqltrain.snapshotting import cut_snapshot

AS_OF = "2025-06-01"
EARLIER = "2025-04-01"


ORIGINAL = "cast(plan_downgrades_90d as bigint)"
EDITED = "cast(plan_downgrades_90d as bigint) + 1000"


def _read(result) -> tuple[str, int]:
    """The latest cutoff and the smallest plan_downgrades_90d of a snapshot's data."""
    latest, smallest = duckdb.connect().execute(
        f"select max(as_of_ts), min(plan_downgrades_90d) from read_parquet('{result.path / 'data.parquet'}')").fetchone()
    return str(latest), smallest


def test_an_edited_model_and_another_date_reach_the_next_snapshot(project_copy, demo_env):
    first = cut_snapshot(project_copy, parse_as_of(AS_OF), out=demo_env / "first")
    assert (project_copy.reports_dir / "parse" / "target" / "partial_parse.msgpack").is_file()
    assert EDITED not in first.manifest["compiled_sql"] and _read(first)[1] < 1000
    assert EARLIER < _read(first)[0] < AS_OF

    model = project_copy.project_dir / "models" / "training" / "churn_training.sql"
    model.write_text(model.read_text().replace(ORIGINAL, EDITED, 1))
    invoke(project_copy, ["parse"], {"as_of": AS_OF})   # the user's own parse in between, in the user's target
    edited = cut_snapshot(project_copy, parse_as_of(EARLIER), out=demo_env / "edited")
    assert EDITED in edited.manifest["compiled_sql"]
    latest, smallest = _read(edited)
    assert smallest >= 1000 and latest < EARLIER
    # the new date reached dbt as an environment variable its partial parse tracks per file: the
    # as-of parse re-read the edited model and the files that read var('as_of'), not the project
    asof_target = project_copy.reports_dir / "asof" / "target"
    perf = json.loads((asof_target / "perf_info.json").read_text())
    macros = [m for m in json.loads((asof_target / "manifest.json").read_text())["macros"] if m.startswith("macro.sqltrain.")]
    assert 0 < perf["parsed_path_count"] < len(macros)
    assert not any(key.startswith("SQLTRAIN_DBT_VAR_") for key in os.environ)   # set for dbt's runs only



def test_a_new_date_alone_parses_no_file_again_and_still_reaches_the_data(project_copy, demo_env):
    # the macros and the demo's spine read var('as_of') only when they run (execute), so dbt's
    # partial parse has nothing to parse again for a new as-of date; the build reads the new one
    cut_snapshot(project_copy, parse_as_of(AS_OF), out=demo_env / "first")
    earlier = cut_snapshot(project_copy, parse_as_of(EARLIER), out=demo_env / "earlier")
    perf = json.loads((project_copy.reports_dir / "asof" / "target" / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["parsed_path_count"] == 0
    assert _read(earlier)[0] < EARLIER
    assert "2025-04-01" in earlier.manifest["compiled_sql"] and AS_OF not in earlier.manifest["compiled_sql"]
