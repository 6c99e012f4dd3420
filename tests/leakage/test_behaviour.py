"""How findings are placed, suppressed, re-levelled and selected."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import build_inputs, relations_from_yaml

from sqltrain.errors import UsageError
from sqltrain.leakage import analyse, model_facts

RELATIONS = relations_from_yaml(Path(__file__).parent / "corpus" / "relations.yml")

UNBOUNDED = """{# orders per customer and cutoff #}
select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o on o.customer_id = s.customer_id
group by 1, 2
"""


def _check(models: dict[str, str], config=None, select=None):
    return analyse(build_inputs(models, RELATIONS, config), select)


def test_finding_points_into_the_source_file_at_the_ref():
    report = _check({"m": UNBOUNDED})
    [finding] = report.active
    assert (finding.code, finding.path, finding.line, finding.col) == ("LK001", "models/m.sql", 4, 14)
    assert finding.where == "models/m.sql:4:14"


def test_comments_do_not_attract_the_location():
    sql = "-- do not use now() here\nselect customer_id, now() as t\nfrom {{ ref('customers') }}\n"
    [finding] = _check({"m": sql}).active
    assert (finding.code, finding.line) == ("LK006", 2)


def test_run_started_at_in_jinja_is_found_in_the_raw_code():
    sql = "select customer_id\nfrom {{ ref('orders') }}\nwhere event_ts <= '{{ run_started_at }}'\n"
    inputs = build_inputs({"m": sql.replace("{{ run_started_at }}", "2025-01-01")}, RELATIONS)
    inputs.models[0].raw_code = sql
    codes = [(f.code, f.line) for f in analyse(inputs).active]
    assert ("LK006", 3) in codes


def test_suppression_with_reason_silences_the_line():
    sql = UNBOUNDED.replace("on o.customer_id = s.customer_id",
                            "on o.customer_id = s.customer_id  -- sqltrain: ignore[LK001] lifetime count is the point")
    report = _check({"m": sql})
    assert report.active == []
    [finding] = report.findings
    assert finding.suppressed and finding.suppression_reason == "lifetime count is the point"
    assert report.exit_code == 0


def test_suppression_on_the_line_before():
    sql = UNBOUNDED.replace("left join", "-- sqltrain: ignore[LK001] reviewed in #12\nleft join")
    assert _check({"m": sql}).active == []


def test_suppression_without_reason_is_itself_an_error():
    sql = UNBOUNDED.replace("on o.customer_id = s.customer_id", "on o.customer_id = s.customer_id -- sqltrain: ignore[LK001]")
    report = _check({"m": sql})
    assert [(f.code, f.severity) for f in report.active] == [("LK000", "error")]
    assert report.exit_code == 1


def test_suppression_of_another_code_does_not_silence():
    sql = UNBOUNDED.replace("on o.customer_id = s.customer_id",
                            "on o.customer_id = s.customer_id -- sqltrain: ignore[LK004] not this one")
    assert [f.code for f in _check({"m": sql}).active] == ["LK001"]


def test_severity_override_from_project_config():
    report = _check({"m": UNBOUNDED}, config={"severity": {"LK001": "warning"}})
    [finding] = report.active
    assert finding.severity == "warning" and report.exit_code == 0
    assert _check({"m": UNBOUNDED}, config={"severity": {"lk001": "off"}}).active == []


def test_select_reports_only_the_chosen_models_but_reads_upstream():
    models = {
        "per_customer": "select customer_id, count(*) as n from {{ ref('orders') }} group by customer_id\n",
        "features": "select s.customer_id, s.as_of_ts, p.n\nfrom {{ ref('spine') }} as s\n"
                    "join {{ ref('per_customer') }} as p on p.customer_id = s.customer_id\n",
        "other": UNBOUNDED,
    }
    report = _check(models, select=["features"])
    assert report.models == ["features"]
    [finding] = report.active
    assert finding.code == "LK001" and "per_customer" in finding.message and finding.line == 3
    assert sorted(_check(models, select=["+features"]).models) == ["features", "per_customer"]


def test_unknown_selection_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown model 'nope'"):
        _check({"m": UNBOUNDED}, select=["nope"])


def test_unparsable_model_is_reported_not_fatal():
    report = _check({"bad": "select from from where", "m": UNBOUNDED})
    codes = {(f.model, f.code) for f in report.active}
    assert ("bad", "LK099") in codes and ("m", "LK001") in codes


def test_named_window_is_resolved():
    sql = ("select order_id, customer_id, event_ts, known_at, sum(amount) over w as s\n"
           "from {{ ref('orders') }}\nwindow w as (partition by customer_id order by event_ts "
           "rows between current row and unbounded following)\n")
    assert [f.code for f in _check({"m": sql}).active] == ["LK003"]


def test_star_is_expanded_from_upstream_columns():
    models = {
        "labels_plus": "select * from {{ ref('churn_labels') }}\n",
        "m": "-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d}\n"
             "select *, churned_30d + 0 as leak from {{ ref('labels_plus') }}\n",
    }
    facts = model_facts(build_inputs(models, RELATIONS), "m")
    assert facts.output.columns == ["customer_id", "as_of_ts", "churned_30d", "leak"]
    assert [f.code for f in _check(models, select=["m"]).active] == ["LK005"]


def test_mutated_macro_output_is_caught(compiled_corpus):
    """Remove the knowledge-time bound from window_aggregates' compiled SQL: LK010 must appear."""
    _project, inputs = compiled_corpus
    [model] = [m for m in inputs.models if m.name == "c_macro_window_aggregates"]
    assert "s.__sqltrain_kn <= p.__sqltrain_t" in model.compiled_code
    original = model.compiled_code
    try:
        model.compiled_code = original.replace("and s.__sqltrain_kn <= p.__sqltrain_t", "")
        assert "LK010" in {f.code for f in analyse(inputs, ["c_macro_window_aggregates"]).active}
        model.compiled_code = original.replace("and s.__sqltrain_ev <= p.__sqltrain_t", "").replace(
            "and s.__sqltrain_kn <= p.__sqltrain_t", "")
        assert "LK001" in {f.code for f in analyse(inputs, ["c_macro_window_aggregates"]).active}
    finally:
        model.compiled_code = original


def test_block_comment_in_compiled_sql_suppresses_its_scope():
    """How a macro marks generated SQL that reads past the cutoff on purpose."""
    sql = UNBOUNDED.replace("select s.customer_id", "select /* sqltrain: ignore[LK001] lifetime count, by design */ s.customer_id")
    report = _check({"m": sql})
    assert report.active == []
    assert report.findings[0].suppression_reason == "in the compiled SQL: lifetime count, by design"
    no_reason = UNBOUNDED.replace("select s.customer_id", "select /* sqltrain: ignore[LK001] */ s.customer_id")
    assert [f.code for f in _check({"m": no_reason}).active] == ["LK001"]


def test_or_of_upper_bounds_bounds_like_the_loosest():
    sql = UNBOUNDED.replace("on o.customer_id = s.customer_id",
                            "on o.customer_id = s.customer_id and o.known_at <= s.as_of_ts\n"
                            " and (o.event_ts <= s.as_of_ts - interval '7 days' or o.event_ts <= s.as_of_ts + interval '1 day')")
    assert [f.code for f in _check({"m": sql}).active] == ["LK002"]
