"""`sqltrain check` on users' own projects, compiled by real dbt, with no `catalog.json`.

- Every documented example of docs/macros.md, and every argument combination its tables show,
  checks clean (exit 0, no finding) whatever the project declares: roles on sources without column
  lists, roles on `select *` staging models, column lists for the spine only, or nothing at all;
  in the DuckDB and the portable implementations. Where the check cannot see a source's columns
  it says so once per source (an info line), never as an error, and never for a relation that
  declares its columns.
- A label-first training set (the labelled examples are the FROM; pass-through attributes;
  bounded features; GROUP BY ALL over the example's columns, the label included) checks clean;
  the same model with a target encoding (the label aggregated across examples) is LK005, on the
  encoding's column.
- One table read both as bounded history (features) and forward through `label_window` or into
  the declared label column only (the label) checks clean, declared as a feature source or as a
  label source; a forward read into a feature column is a finding on the line of that read.
"""

from __future__ import annotations

import json
import re

import pytest
from user_project import REPO, Relation, Variant, write_user_project

from sqltrain.cli import main
from sqltrain.leakage import check_project

pytestmark = pytest.mark.slow        # two real `dbt compile`s of a ~150-model project

MACROS_DOC = REPO / "docs" / "macros.md"
PUBLIC_MACROS = {"point_in_time_join", "window_aggregates", "label_window", "cutoff_spine", "scd2_as_of_join",
                 "temporal_split"}
DOC_EXAMPLE = re.compile(r"Example \(`integration_tests/models/(\w+)\.sql`[^\n]*\n+```sql\n(.*?)```", re.S)

LABEL = {"kind": "training_set", "entity": ["customer_id"], "cutoff": "as_of_ts", "label": "churned", "horizon": "30 days"}
LABEL_FIRST = {"kind": "training_set", "entity": ["customer_id"], "cutoff": "label_ts", "label": "churned",
               "horizon": "30 days"}
UPGRADED = {"kind": "training_set", "entity": ["customer_id"], "cutoff": "as_of_ts", "label": "upgraded_30d",
            "horizon": "30 days"}

# The relations of docs/macros.md's examples (integration_tests/seeds/inputs), and of the label-first
# and one-table-two-roles models below.
RELATIONS = [
    Relation("it_spine", {"kind": "spine", "entity": ["customer_id"], "cutoff": "as_of_ts"},
             ("customer_id", "as_of_ts", "note")),
    Relation("it_events", {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts",
                           "known_at": "known_at"},
             ("event_id", "customer_id", "event_ts", "known_at", "amount", "status")),
    # an event source without known_at, for the calls that pass none (a source that declares known_at
    # read without it is LK010: rows that landed after the cutoff are read)
    Relation("it_clicks", {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "clicked_at"},
             ("click_id", "customer_id", "clicked_at", "page", "dwell_s")),
    Relation("it_cancellations", {"kind": "label_source", "entity": ["customer_id"], "event_ts": "event_ts",
                                  "known_at": "known_at"},
             ("customer_id", "event_ts", "known_at")),
    Relation("it_subscriptions", None, ("customer_id", "started_at", "ended_at")),
    Relation("it_plan_snapshot", {"kind": "dimension", "entity": ["customer_id"], "scd2": True},
             ("customer_id", "plan", "dbt_valid_from", "dbt_valid_to")),
    Relation("examples", {"kind": "label_source", "entity": ["customer_id"], "cutoff": "label_ts", "label": "churned",
                          "horizon": "30 days"},
             ("customer_id", "label_ts", "churned", "region", "segment")),
    Relation("examples_s", {"kind": "spine", "entity": ["customer_id"], "cutoff": "label_ts", "label": "churned",
                            "horizon": "30 days"},
             ("customer_id", "label_ts", "churned", "region", "segment")),
    Relation("orders", {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "ordered_at",
                        "known_at": "loaded_at"},
             ("order_id", "customer_id", "ordered_at", "loaded_at", "amount")),
    Relation("activity_f", {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts",
                            "known_at": "known_at"},
             ("activity_id", "customer_id", "event_ts", "known_at", "activity_type", "amount")),
    Relation("activity_l", {"kind": "label_source", "entity": ["customer_id"], "event_ts": "event_ts",
                            "known_at": "known_at"},
             ("activity_id", "customer_id", "event_ts", "known_at", "activity_type", "amount")),
]
ALL = frozenset(r.name for r in RELATIONS)
VARIANTS = [
    Variant("roles"),                                   # roles on sources, no column lists
    Variant("staged", staging=True),                    # roles on `select *` staging models
    Variant("spinecols", columns=frozenset({"it_spine", "examples", "examples_s"})),   # for the spines only
    Variant("bare", roles=False),                       # nothing declared
    Variant("declared", columns=ALL),                   # roles and every column list
]


def documented_examples() -> dict[str, str]:
    """docs/macros.md's examples, by the model name the docs give them (``pit_latest``, ...)."""
    return dict(DOC_EXAMPLE.findall(MACROS_DOC.read_text()))


# Argument combinations the argument tables of docs/macros.md show, beyond the worked examples.
ARGUMENTS = {
    "pit_strict_renamed": """{{ sqltrain.point_in_time_join(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': ref('it_clicks'), 'columns': [{'page': 'page_before'}], 'event_ts': 'clicked_at',
              'tie_break': ['click_id']}],
    strict=true) }}
""",
    "pit_two_sources_overrides": """{{ sqltrain.point_in_time_join(
    spine=ref('it_spine'), entity_keys='customer_id', cutoff='as_of_ts',
    sources=[{'relation': ref('it_events'), 'columns': ['amount'], 'known_at': 'known_at', 'strict': true,
              'keys': ['customer_id'], 'event_ts': 'event_ts', 'prefix': 'strict_'},
             {'relation': ref('it_clicks'), 'columns': ['page'], 'event_ts': 'clicked_at', 'ttl': '12 hours',
              'prefix': 'recent_'}]) }}
""",
    "pit_one_dict_no_as_of": """{{ sqltrain.point_in_time_join(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
    sources={'relation': ref('it_events'), 'columns': ['status'], 'known_at': 'known_at'}, as_of=none) }}
""",
    "agg_cumulative": """{{ sqltrain.window_aggregates(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_events'),
    known_at='known_at', aggregates=[{'agg': 'count'}, {'agg': 'sum', 'column': 'amount'}, {'agg': 'avg', 'column': 'amount'}],
    windows=['7 days', '30 days', '2 weeks'], method='cumulative') }}
""",
    "agg_strict_min_max_distinct": """{{ sqltrain.window_aggregates(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_clicks'),
    event_ts='clicked_at', keys=['customer_id'], strict=true, as_of=none,
    aggregates=[{'agg': 'min', 'column': 'dwell_s'}, {'agg': 'max', 'column': 'dwell_s', 'name': 'longest'},
                {'agg': 'count_distinct', 'column': 'page'}],
    windows=['12 hours', '3 months', '1 year']) }}
""",
    "label_churn_mature": """{{ sqltrain.label_window(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_cancellations'),
    known_at='known_at', horizon='30 days', label='churned') }}
""",
    "label_value_empty_none": """{{ sqltrain.label_window(
    spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_events'),
    horizon='30 days', label='spend_30d', value='sum(amount)', empty=none, where="status = 'completed'",
    keys=['customer_id'], event_ts='event_ts', known_at='known_at') }}
""",
    "spine_daily_known_at": """{{ sqltrain.cutoff_spine(entities=ref('it_subscriptions'), entity_keys='customer_id',
    start='2025-01-01', every='day', end='2025-02-01', cutoff='cutoff_ts', known_at='started_at') }}
""",
    "spine_weekly": """{{ sqltrain.cutoff_spine(entities=ref('it_subscriptions'), entity_keys=['customer_id'],
    start='2024-12-04', every='week', valid_from='started_at') }}
""",
    "scd2_prefix_keys_validity": """{{ sqltrain.scd2_as_of_join(spine=ref('it_spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
    snapshot=ref('it_plan_snapshot'), columns=[{'plan': 'plan_name'}], keys=['customer_id'], prefix='dim_',
    valid_from='dbt_valid_from', valid_to='dbt_valid_to') }}
""",
    "split_defaults": """{{ sqltrain.temporal_split(relation=ref('spine_monthly'), cutoff='as_of_ts', valid_start='2025-01-01',
    test_start='2025-02-01', embargo='30 days', split_column='fold') }}
""",
    # docs/backtesting.md: positional, one date for both starts
    "split_positional_same_dates": """{{ sqltrain.temporal_split(ref('spine_monthly'), 'as_of_ts', '2025-02-01', '2025-02-01', '30 days',
    horizon='30 days') }}
""",
    "helpers_interval_as_of_literal": """select s.customer_id, s.as_of_ts, count(e.event_id) as events_30d
from {{ ref('it_spine') }} as s
left join {{ ref('it_events') }} as e
  on e.customer_id = s.customer_id
 and e.event_ts <= s.as_of_ts and e.known_at <= s.as_of_ts
 and e.event_ts > s.as_of_ts - {{ sqltrain.interval('30 days') }}
where s.as_of_ts <= {{ sqltrain.as_of_literal(var('as_of')) }}
group by 1, 2
""",
}

EVERY_MACRO = """with spine as (
{{ sqltrain.cutoff_spine(entities=ref('it_subscriptions'), entity_keys=['customer_id'], start='2024-11-01',
                         every='month', valid_from='started_at', valid_to='ended_at') }}
),

latest as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': ref('it_events'), 'columns': ['amount', 'status'], 'known_at': 'known_at',
              'ttl': '30 days', 'tie_break': ['event_id'], 'prefix': 'last_'}]) }}
),

windows as (
{{ sqltrain.window_aggregates(
    spine='latest', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_events'), known_at='known_at',
    where="status = 'completed'", aggregates=[{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'amount'}],
    windows=['7 days', '30 days'], prefix='orders_') }}
),

plans as (
{{ sqltrain.scd2_as_of_join(spine='windows', entity_keys=['customer_id'], cutoff='as_of_ts',
                            snapshot=ref('it_plan_snapshot'), columns=['plan']) }}
),

labelled as (
{{ sqltrain.label_window(
    spine='plans', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('it_cancellations'),
    known_at='known_at', horizon='30 days', label='churned') }}
),

split as (
{{ sqltrain.temporal_split(relation='labelled', cutoff='as_of_ts', valid_start='2025-01-01',
                           test_start='2025-03-01', embargo='30 days', horizon='30 days') }}
)

select * from split
"""

# -- label-first training sets -------------------------------------------------------------
LABEL_FIRST_SQL = """select e.customer_id, e.label_ts, e.region, e.segment, e.churned,
       count(o.order_id) as orders_90d,
       coalesce(sum(o.amount), 0) as spend_90d
from {{ ref('examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id
 and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts
 and o.ordered_at > e.label_ts - interval '90 days'
group by all
"""
# the same model, plus the churn rate of the example's region over all examples
TARGET_ENCODED_WINDOW = """with training as (
""" + LABEL_FIRST_SQL + """)

select training.*,
       avg(churned) over (partition by region) as region_churn_rate
from training
"""
TARGET_ENCODED_JOIN = LABEL_FIRST_SQL.replace(
    "       count(o.order_id) as orders_90d,",
    "       r.region_churn_rate,\n       count(o.order_id) as orders_90d,").replace(
    "group by all", "left join (\n    select region, avg(churned) as region_churn_rate\n"
                    "    from {{ ref('examples') }}\n    group by region\n) as r on r.region = e.region\ngroup by all")

# -- one table, two roles ---------------------------------------------------------------------
TWO_ROLES = """with spine as (select customer_id, as_of_ts from {{ ref('it_spine') }}),

history as (
    select s.customer_id, s.as_of_ts, count(a.activity_id) as activities_30d, sum(a.amount) as amount_30d
    from spine as s
    left join {{ ref('@activity') }} as a
      on a.customer_id = s.customer_id
     and a.event_ts <= s.as_of_ts and a.known_at <= s.as_of_ts
     and a.event_ts > s.as_of_ts - interval '30 days'
    group by all
),

labelled as (
{{ sqltrain.label_window(
    spine='history', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('@activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
)
"""
TWO_ROLES_CLEAN = TWO_ROLES + """
select * from labelled
"""
TWO_ROLES_HAND_LABEL = """with spine as (
    select customer_id, as_of_ts from {{ ref('it_spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

history as (
    select s.customer_id, s.as_of_ts, count(a.activity_id) as activities_30d
    from spine as s
    left join {{ ref('@activity') }} as a
      on a.customer_id = s.customer_id
     and a.event_ts <= s.as_of_ts and a.known_at <= s.as_of_ts
     and a.event_ts > s.as_of_ts - interval '30 days'
    group by all
),

upgrades_ahead as (
    select s.customer_id, s.as_of_ts, count(u.activity_id) as n_upgrades
    from spine as s
    left join {{ ref('@activity') }} as u
      on u.customer_id = s.customer_id
     and u.event_ts > s.as_of_ts and u.event_ts <= s.as_of_ts + interval '30 days'
     and u.known_at <= cast('{{ var("as_of") }}' as timestamp)
     and u.activity_type = 'upgrade'
    group by all
)

select h.customer_id, h.as_of_ts, h.activities_30d,
       case when ua.n_upgrades > 0 then 1 else 0 end as upgraded_30d
from history as h
join upgrades_ahead as ua on ua.customer_id = h.customer_id and ua.as_of_ts = h.as_of_ts
"""
# the forward read comes after the feature read and the label_window call, so a finding placed on
# the first mention of the table (or on the macro call) is on the wrong line
TWO_ROLES_FORWARD_FEATURE = TWO_ROLES + """,

ahead as (
    select s.customer_id, s.as_of_ts, count(fwd.activity_id) as activity_next_30d
    from spine as s
    left join {{ ref('@activity') }} as fwd
      on fwd.customer_id = s.customer_id
     and fwd.event_ts > s.as_of_ts
     and fwd.event_ts <= s.as_of_ts + interval '30 days'
     and fwd.known_at <= s.as_of_ts + interval '30 days'
    group by all
)

select l.*, ahead.activity_next_30d
from labelled as l
join ahead on ahead.customer_id = l.customer_id and ahead.as_of_ts = l.as_of_ts
"""

# `order_id` and `amount` are not qualified: without column lists nothing says which table holds them
AMBIGUOUS = """select s.customer_id, s.as_of_ts, count(order_id) as orders_90d, sum(amount) as spend_90d
from {{ ref('it_spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
 and o.ordered_at <= s.as_of_ts and o.loaded_at <= s.as_of_ts
 and o.ordered_at > s.as_of_ts - interval '90 days'
group by 1, 2
"""


def _models() -> dict[str, tuple[str, dict | None]]:
    models: dict[str, tuple[str, dict | None]] = {name: (sql, None) for name, sql in documented_examples().items()}
    models.update({name: (sql, None) for name, sql in ARGUMENTS.items()})
    models["every_macro_training"] = (EVERY_MACRO, LABEL)
    models["ambiguous_columns"] = (AMBIGUOUS, None)
    models["ambiguous_columns_again"] = (AMBIGUOUS.replace("90", "30"), None)
    for kind, relation in (("l", "examples"), ("s", "examples_s")):     # declared label_source / spine
        for name, sql in (("label_first", LABEL_FIRST_SQL), ("label_first_te_window", TARGET_ENCODED_WINDOW),
                          ("label_first_te_join", TARGET_ENCODED_JOIN)):
            models[f"{name}_{kind}"] = (sql.replace("ref('examples')", f"ref('{relation}')"), LABEL_FIRST)
    for decl in ("f", "l"):
        for name, sql in (("two_roles", TWO_ROLES_CLEAN), ("two_roles_hand_label", TWO_ROLES_HAND_LABEL),
                          ("two_roles_forward_feature", TWO_ROLES_FORWARD_FEATURE)):
            models[f"{name}_{decl}"] = (sql.replace("@activity", f"activity_{decl}"), UPGRADED)
    return models


MACRO_MODELS = sorted([*documented_examples(), *ARGUMENTS, "every_macro_training"])


@pytest.fixture(scope="session")
def user_project(tmp_path_factory):
    """The project, compiled once with the DuckDB implementations and once with the portable ones."""
    from sqltrain.dbt_invoke import invoke
    from sqltrain.project import Project

    written = write_user_project(tmp_path_factory.mktemp("user") / "project", RELATIONS, VARIANTS, _models())
    project = Project.open(written.root, written.root)
    invoke(project, ["compile"])
    macro_models = [f"{v.name}__{m}" for v in VARIANTS for m in MACRO_MODELS]
    invoke(project, ["compile", "--select", *macro_models], dbt_vars={"sqltrain_portable": True},
           target_path=str(written.root / "target_portable"))
    return written, project


@pytest.fixture(scope="session")
def macro_checks(user_project):
    """``sqltrain check`` of every variant's macro models, per target: (exit status, text output, JSON report)."""
    import contextlib
    import io

    written, _project = user_project
    models = [f"{v.name}__{m}" for v in VARIANTS for m in MACRO_MODELS]
    results = {}
    for target in ("target", "target_portable"):
        assert not (written.root / target / "catalog.json").exists()
        base = ["check", "--no-compile", "--project-dir", str(written.root),
                "--target-path", str(written.root / target), "--select", ",".join(models)]
        runs = []
        for fmt in ("text", "json"):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(base + ["--format", fmt])
            runs.append((status, out.getvalue() + err.getvalue()))
        (status, text), (json_status, doc) = runs
        assert json_status == status
        results[target] = (status, text, json.loads(doc))
    return results


@pytest.fixture(scope="session")
def reports(user_project):
    """Active findings (info lines aside) per model of the whole project (DuckDB implementations)."""
    _written, project = user_project
    found: dict[str, list] = {}
    for f in check_project(project).active:
        if f.severity != "info":
            found.setdefault(f.model, []).append(f)
    return found


def test_the_docs_show_every_public_macro():
    called = {m for sql in documented_examples().values() for m in re.findall(r"sqltrain\.(\w+)\(", sql)}
    assert called == PUBLIC_MACROS
    assert set(documented_examples()) >= {"pit_latest", "agg_windows", "label_churn", "spine_monthly", "dim_plan", "split"}


def test_argument_combinations_use_only_documented_arguments():
    doc = MACROS_DOC.read_text()
    signatures = dict(re.findall(r"```\nsqltrain\.(\w+)\(([^`]*?)\)\n```", doc))
    assert set(signatures) >= PUBLIC_MACROS   # and the helpers interval, as_of_literal
    for name, sql in ARGUMENTS.items():
        for macro, args in re.findall(r"sqltrain\.(\w+)\((.*?)\) }}", sql, re.S):
            if macro in signatures:
                for arg in re.findall(r"(\w+)=", args):
                    assert re.search(rf"\b{arg}\b", signatures[macro]), (name, macro, arg)
            renamed = {c for rel in RELATIONS for c in rel.columns}       # {'col': 'alias'} items
            for key in set(re.findall(r"'(\w+)':", args)) - renamed:
                assert f"`{key}`" in doc or f"'{key}'" in doc, (name, key)


def test_check_of_every_documented_macro_call_exits_0(macro_checks):
    for target, (status, text, _doc) in macro_checks.items():
        assert status == 0, (target, text)


@pytest.mark.parametrize("target", ["target", "target_portable"])
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_documented_macro_calls_check_clean_without_columns(macro_checks, variant, target):
    _status, out, report = macro_checks[target]
    models = {f"{variant.name}__{m}" for m in MACRO_MODELS}
    assert models <= set(report["models"])
    mine = [f for f in report["findings"] if f["model"] in models and not f["suppressed"]]
    problems = [f"{f['where']}: {f['code']} {f['message']}" for f in mine if f["severity"] != "info"]
    assert problems == []
    infos = [f for f in mine if f["severity"] == "info"]
    assert all("column" in f["message"] for f in infos), infos
    # where the check cannot see a source's columns it may say so: once per source, and only then
    notes = [line for line in out.splitlines() if re.search(r"no column list", line, re.I)]
    for rel in RELATIONS:
        mentions = [n for n in notes if re.search(rf"(?<!\w){re.escape(variant.table(rel.name))}(?!\w)", n)]
        assert len(mentions) <= (0 if rel.name in variant.columns else 1), (rel.name, notes)


def test_columns_the_check_cannot_attribute_are_said_once_per_relation(user_project, capsys):
    written, _project = user_project
    models = [f"{v.name}__{m}" for v in VARIANTS for m in ("ambiguous_columns", "ambiguous_columns_again")]
    status = main(["check", "--no-compile", "--project-dir", str(written.root), "--select", ",".join(models)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert status == 0, out
    assert [line for line in out.splitlines() if re.search(r": LK\d{3}", line)] == []
    notes = [line for line in out.splitlines() if re.search(r"no column list", line, re.I)]
    for variant in VARIANTS:
        if variant.staging:
            continue           # the note may name the staging models or their sources
        said = {rel: [n for n in notes if re.search(rf"(?<!\w){re.escape(variant.table(rel))}(?!\w)", n)]
                for rel in ("it_spine", "orders")}
        # two models read the same two relations: said once per relation at most, never for a declared one
        for rel, lines in said.items():
            assert len(lines) <= (0 if rel in variant.columns else 1), (variant.name, notes)
        if variant.roles and not {"it_spine", "orders"} & variant.columns:
            assert any(said.values()), (variant.name, notes)        # ... and said at all


def _report(reports, variant: Variant, name: str) -> list:
    return reports.get(f"{variant.name}__{name}", [])


def _lines(findings) -> list[str]:
    return [f"{f.where}: {f.code} {f.message}" for f in findings]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("kind", ["l", "s"])
def test_label_first_training_set_with_group_by_all_checks_clean(reports, variant, kind):
    assert _lines(_report(reports, variant, f"label_first_{kind}")) == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.roles], ids=lambda v: v.name)
@pytest.mark.parametrize("kind", ["l", "s"])
@pytest.mark.parametrize("encoding", ["te_window", "te_join"])
def test_target_encoding_across_examples_is_lk005_on_its_column(user_project, reports, variant, kind, encoding):
    written, _project = user_project
    model = f"label_first_{encoding}_{kind}"
    findings = _report(reports, variant, model)
    lk005 = [f for f in findings if f.code == "LK005"]
    assert lk005, _lines(findings)
    # column-level lineage: the encoding is the leak, not the attributes or the bounded features
    assert {f.column for f in lk005 if f.column} <= {"region_churn_rate"}, _lines(lk005)
    text = written.models[f"{variant.name}__{model}"].splitlines()
    assert {text[f.line - 1] for f in lk005} <= {line for line in text if "region_churn_rate" in line}, _lines(lk005)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("model", ["two_roles_f", "two_roles_l", "two_roles_hand_label_f", "two_roles_hand_label_l"])
def test_one_table_as_bounded_features_and_label_checks_clean(reports, variant, model):
    assert _lines(_report(reports, variant, model)) == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.roles], ids=lambda v: v.name)
@pytest.mark.parametrize("decl", ["f", "l"])
def test_forward_read_into_a_feature_is_found_on_the_line_of_that_read(user_project, reports, variant, decl):
    written, _project = user_project
    model = f"two_roles_forward_feature_{decl}"
    findings = _report(reports, variant, model)
    text = written.models[f"{variant.name}__{model}"].splitlines()
    cte = next(i for i, line in enumerate(text, 1) if line.startswith("ahead as ("))
    read = next(i for i, line in enumerate(text, 1) if " as fwd" in line)
    bounds = [i for i, line in enumerate(text, 1) if "fwd.event_ts" in line or "fwd.known_at" in line]
    if decl == "f":
        # a feature source read after the cutoff: the bound is wrong (LK002), at the read or its bound
        assert {f.code for f in findings} == {"LK002"}, _lines(findings)
        assert {f.line for f in findings} <= {read, *bounds}, _lines(findings)
    else:
        # a label source read forward into a feature column: the label feeds a feature; the finding is
        # on that read or the column it fills, never on the bounded history or the label_window call
        assert findings and {f.code for f in findings} <= {"LK002", "LK005"}, _lines(findings)
        assert all(f.line >= cte for f in findings), _lines(findings)
