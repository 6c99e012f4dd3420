"""Roles per read, column-level label lineage, columns of sources without column lists, and
messages in the user's words (fast: no dbt, the harness renders the Jinja)."""

from __future__ import annotations

from pathlib import Path

from harness import build_inputs, relations_from_yaml

from sqltrain.leakage import analyse
from sqltrain.leakage.formats import render

CORPUS = Path(__file__).parent / "corpus"
RELATIONS = relations_from_yaml(CORPUS / "relations.yml")
NO_COLUMNS = relations_from_yaml(CORPUS / "nocatalog" / "relations.yml")

TRAINING = "-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}\n"
LABEL_FIRST = "-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}\n"
MATURE = "where s.as_of_ts + interval '30 days' <= cast('{{ var(\"as_of\") }}' as timestamp)\n"


def _active(sql: str, relations=RELATIONS, **more):
    report = analyse(build_inputs({"m": sql, **more}, relations))
    return report, [f for f in report.active if f.model == "m"]


def _codes(sql: str, relations=RELATIONS, **more) -> set[str]:
    return {f.code for f in _active(sql, relations, **more)[1]}


# -- a forward read is the label only when all its values land in the label ------------------
FORWARD = TRAINING + """select s.customer_id, s.as_of_ts, @columns
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
 and o.event_ts > s.as_of_ts and o.event_ts <= s.as_of_ts + interval '30 days'
""" + MATURE + "group by 1, 2\n"
LABEL_ONLY = "case when count(o.order_id) = 0 then 1 else 0 end as churned_30d"


def test_forward_read_of_a_feature_source_into_the_label_only_is_the_label():
    assert _codes(FORWARD.replace("@columns", LABEL_ONLY)) == set()


def test_the_same_forward_read_also_filling_a_feature_is_lk002_on_its_bound():
    report, findings = _active(FORWARD.replace("@columns", "count(o.order_id) as orders_next_30d, " + LABEL_ONLY))
    lk002 = [f for f in findings if f.code == "LK002"]
    assert lk002 and {f.line for f in lk002} == {6}, [(f.code, f.line, f.message) for f in findings]
    assert "`event_ts <= as_of_ts + 30 days`" in lk002[0].message


def test_forward_read_into_the_label_without_maturity_filter_is_lk013_naming_the_table():
    sql = FORWARD.replace("@columns", LABEL_ONLY).replace(MATURE, "")
    [finding] = _active(sql)[1]
    assert finding.code == "LK013" and "'orders'" in finding.message


# -- label-first training sets ------------------------------------------------------------------
GROUPED = LABEL_FIRST + """select e.customer_id, e.label_ts, e.region, e.churned, count(o.order_id) as orders_90d
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
 and o.event_ts > e.label_ts - interval '90 days'
group by all
"""


def test_label_first_with_group_by_all_over_the_example_and_label_is_clean():
    assert _codes(GROUPED) == set()


def test_grouping_by_the_label_without_the_example_key_is_a_target_encoding():
    sql = LABEL_FIRST + """with per_label as (
    select region, churned, count(*) as examples_like_me
    from {{ ref('labelled_examples') }}
    group by region, churned
)
select e.customer_id, e.label_ts, e.churned, p.examples_like_me
from {{ ref('labelled_examples') }} as e
join per_label as p on p.region = e.region and p.churned = e.churned
"""
    findings = _active(sql)[1]
    assert any(f.code == "LK005" and f.column == "examples_like_me" for f in findings), findings


def test_a_target_encoding_across_examples_stays_lk005_on_its_column():
    sql = GROUPED.replace("count(o.order_id) as orders_90d",
                          "count(o.order_id) as orders_90d, avg(e.churned) over (partition by e.region) as rate")
    sql = sql.replace("group by all\n", "group by e.customer_id, e.label_ts, e.region, e.churned\n")
    findings = _active(sql)[1]
    assert {f.column for f in findings if f.code == "LK005"} == {"rate"}, findings


# -- sources without column lists -----------------------------------------------------------------
def test_unprefixed_columns_of_a_single_source_are_its_columns():
    sql = TRAINING + """with recent as (
    select customer_id, ordered_at, loaded_at, amount from {{ source('raw', 'orders') }}
)
select s.customer_id, s.as_of_ts, max(r.amount) as max_amount
from {{ source('raw', 'spine') }} as s
left join recent as r on r.customer_id = s.customer_id and r.ordered_at <= s.as_of_ts
group by 1, 2
"""
    report, findings = _active(sql, NO_COLUMNS)
    # ordered_at is known to be orders' event time, so the missing known_at bound is found (not LK001)
    assert [f.code for f in findings] == ["LK010"] and "`loaded_at`" in findings[0].message
    assert report.notes == []


def test_an_ambiguous_column_is_one_info_line_per_source_never_a_finding():
    sql = TRAINING + """select customer_id, as_of_ts, churned_30d, count(order_id) as orders
from {{ source('raw', 'spine') }} as s
left join {{ source('raw', 'orders') }} as o using (customer_id)
where ordered_at <= as_of_ts and loaded_at <= as_of_ts
group by all
"""
    report, findings = _active(sql, NO_COLUMNS, other=sql.replace("count(order_id)", "sum(order_id)"))
    assert findings == []
    assert report.notes == [f"no column list for source 'fixture.{name}': run `dbt docs generate` or declare columns"
                            for name in ("orders", "spine")]
    text = render(report, "text")
    assert text.count("info: no column list for source 'fixture.orders'") == 1


def test_a_star_of_a_source_without_columns_carries_its_roles_and_their_names():
    staging = "select * from {{ source('raw', 'orders') }}\n"
    sql = TRAINING + """select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ source('raw', 'spine') }} as s
left join {{ ref('stg_orders') }} as o on o.customer_id = s.customer_id
group by 1, 2
"""
    findings = _active(sql, NO_COLUMNS, stg_orders=staging)[1]
    assert [f.code for f in findings] == ["LK001"]
    assert "`ordered_at <= cutoff`" in findings[0].message and "event_ts" not in findings[0].message


def test_a_window_over_earlier_examples_labels_is_label_history_lagged_or_not():
    def codes(frame: str) -> set[str]:
        return _codes(LABEL_FIRST + f"""select customer_id, label_ts, churned,
       avg(churned) over (partition by customer_id order by label_ts {frame}) as past_churn_rate
from {{{{ ref('labelled_examples') }}}}
""")

    assert codes("rows between unbounded preceding and 1 preceding") == {"LK009"}
    assert codes("range between unbounded preceding and interval '10 days' preceding") == {"LK009"}
    assert codes("range between unbounded preceding and interval '30 days' preceding") == set()
