"""What point_in_time_join compiles to on DuckDB, beyond what the oracle tests can see.

* A wide call (many sources, many columns each) costs one ASOF JOIN per source (two with
  known_at), never one per column, and no ASOF JOIN carries another source's columns: DuckDB keeps
  the whole left side of every ASOF JOIN until the query ends, so a chain on the spine holds
  rows x columns x sources / 2 (docs/macros.md#many-sources).
* Where the project's own tests prove that a source has no two rows with the same (keys, event
  time) — `unique` on one of those columns, `unique_combination_of_columns` on some of them — the
  join is the plain ASOF JOIN (no tie-breaking struct), and it still equals the oracle on data
  without such ties; every other source keeps the tie-breaking form.
"""

from __future__ import annotations

import random
import re

import pytest
import yaml

import macro_oracle as oracle
import macro_worlds as worlds
from macro_harness import AS_OF_VAR, AS_OF_VAR_TEXT, Tables, canonical, macro_call, merge_worlds, oracle_rows, utc_rows
from macro_variants import WIDE_COLUMNS
from test_macro_properties import EVENT_SCHEMA, SPINE_SCHEMA


def _joins(sql: str) -> dict[str, int]:
    text = " ".join(sql.lower().split())
    return {"asof": text.count("asof left join"), "all": len(re.findall(r"\bjoin\b", text))}


def test_a_wide_call_costs_a_join_per_source_not_per_column(compiled):
    """pit_wide: four sources (two with known_at) of WIDE_COLUMNS columns each."""
    duck, portable = compiled["pit_wide"]["duckdb"], compiled["pit_wide"]["portable"]
    assert _joins(duck) == {"asof": 6, "all": 10}         # per source: its ASOF JOIN(s) and the join back
    assert _joins(portable) == {"asof": 0, "all": 8}      # per source: the range join and the join back
    assert duck.count("__sqltrain_src") > 0 and WIDE_COLUMNS >= 30


def _asof_probes(sql: str) -> list[tuple[str, set[str], int]]:
    """Per SELECT with ASOF JOINs: (the relation it reads, the sources its ASOF JOINs bring as the
    digits of their __sqltrain_f<i>/__sqltrain_l<i> aliases, the columns of that relation when it is
    a CTE of the query, else -1)."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    widths = {cte.alias: len(cte.this.expressions) for cte in tree.find_all(exp.CTE) if isinstance(cte.this, exp.Select)}
    probes = []
    for select in tree.find_all(exp.Select):
        asof = [j for j in select.args.get("joins") or [] if (j.args.get("method") or "").upper() == "ASOF"]
        if asof:
            read = select.args["from_"].this.name
            probes.append((read, {re.sub(r"\D", "", j.this.alias_or_name) for j in asof}, widths.get(read, -1)))
    return probes


def test_no_asof_join_of_a_wide_call_carries_another_sources_columns(compiled):
    """pit_wide (two keys): each source's ASOF JOIN(s) read the spine's (keys, cutoff) pairs and
    nothing else. A narrow call (pit_two_sources) keeps its ASOF JOINs chained on the spine, one
    stage per source, and a stage passes on the spine and its source's brought columns only, not
    the ranking structs its ASOF JOINs matched (those would be held by every later join)."""
    probes = _asof_probes(compiled["pit_wide"]["duckdb"])
    assert len(probes) == 4, probes
    for read, sources, width in probes:
        assert len(sources) == 1 and width == 3, probes
    narrow = sorted(_asof_probes(compiled["pit_two_sources"]["duckdb"]))
    assert [(read, sources) for read, sources, _ in narrow] == [("__sqltrain_s0", {"1"}), ("spine", {"0"})], narrow
    assert narrow[0][2] == 1 + 1, narrow     # spine.*, and a_v: the first source's one column


def test_the_known_at_winner_is_picked_without_greatest_over_structs(compiled):
    """With known_at the answer is the greater of two rank structs. DuckDB's greatest() on structs
    holds memory outside memory_limit until the query ends (docs/macros.md#memory), so the pick is
    a struct comparison."""
    duck = " ".join(compiled["pit_wide"]["duckdb"].lower().split())
    assert duck.count("__sqltrain_late") >= 2
    assert not re.search(r"greatest\(\s*__sqltrain_[fl]\d+\.__sqltrain_[vw]", duck)


# -- ties ruled out by the project's tests ---------------------------------------------------------
UNIQUE_COMBINATION_OF_COLUMNS = """
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }} from {{ model }}
group by {{ combination_of_columns | join(', ') }} having count(*) > 1
{% endtest %}
"""


def _tested(name: str, tests: list) -> dict:
    return {"name": name, "data_tests": tests}


# model -> (its tests, whether ties are proven impossible for keys k1 and event time event_ts)
EVENT_MODELS = {
    "ev_combination": ([{"unique_combination_of_columns": {"arguments": {"combination_of_columns":
                                                                          ["k1", "event_ts"]}}}], True),
    "ev_unique_key": ([{"unique": {"arguments": {"column_name": "k1"}}}], True),
    "ev_untested": ([], False),
    "ev_wider_combination": ([{"unique_combination_of_columns": {"arguments": {"combination_of_columns":
                                                                                ["k1", "event_ts", "seq"]}}}], False),
    "ev_filtered": ([{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["k1", "event_ts"]},
                                                        "config": {"where": "v > 0"}}}], False),
    "ev_warn_only": ([{"unique": {"arguments": {"column_name": "k1"}, "config": {"severity": "warn"}}}], False),
}
SOURCE = {"columns": ["v", "w"], "ttl": "2 days"}


@pytest.fixture(scope="module")
def tie_project(tmp_path_factory):
    """{model: compiled DuckDB SQL} of one point_in_time_join per event model, in one dbt compile."""
    from dbt.cli.main import dbtRunner

    from bench.macro_project import PROJECT_NAME, compile_models

    workdir = tmp_path_factory.mktemp("pit_ties")
    compile_models(workdir, {}, {}, project_vars={"as_of": AS_OF_VAR_TEXT})   # the project and `dbt deps`
    project = workdir / "macro_project"
    (project / "macros").mkdir(exist_ok=True)
    (project / "macros" / "unique_combination_of_columns.sql").write_text(UNIQUE_COMBINATION_OF_COLUMNS)
    models = project / "models"
    (models / "spine_rows.sql").write_text("select * from memory.main.spine\n")
    for name in EVENT_MODELS:
        (models / f"{name}.sql").write_text("select * from memory.main.src\n")
        args = {"spine": "__SPINE__", "entity_keys": ["k1"], "cutoff": "as_of_ts", "strict": False,
                "sources": [{"relation": "__EVENTS__", **SOURCE}]}
        call = macro_call("point_in_time_join", args).replace('"__SPINE__"', "ref('spine_rows')")
        (models / f"pit_{name}.sql").write_text("select * from ({{ " + call.replace('"__EVENTS__"', f"ref('{name}')")
                                                + " }}) as q\n")
    (models / "_models.yml").write_text(yaml.safe_dump({"version": 2, "models": [
        _tested(name, tests) for name, (tests, _) in EVENT_MODELS.items()]}))
    target = workdir / "target"
    result = dbtRunner().invoke(["compile", "--project-dir", str(project), "--profiles-dir", str(project),
                                 "--target-path", str(target), "--log-path", str(workdir / "logs"), "--quiet",
                                 "--select", "pit_*"])
    assert result.success, result.exception
    compiled = target / "compiled" / PROJECT_NAME / "models"
    return {name: (compiled / f"pit_{name}.sql").read_text() for name in EVENT_MODELS}


@pytest.mark.parametrize("model", sorted(EVENT_MODELS))
def test_a_proven_unique_source_compiles_to_the_plain_asof_join(tie_project, model):
    sql, proven = tie_project[model], EVENT_MODELS[model][1]
    plain = re.search(r"as_of_ts >= __sqltrain_f0\.__sqltrain_ev\b", sql) is not None
    assert (plain, "struct_pack" not in sql) == (proven, proven), sql


def test_the_plain_and_the_tie_breaking_forms_equal_the_oracle_without_ties(tie_project):
    """200 random worlds with ties on (k1, event_ts) removed: every compiled form equals the oracle."""
    rng = random.Random(20261201)
    spine, src = merge_worlds([(worlds.spine(rng), _without_ties(worlds.events(rng))) for _ in range(200)])
    tables = Tables()
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    source = {"relation": "src", **SOURCE}
    expected = oracle.point_in_time_join(utc_rows(spine), ["k1"], "as_of_ts", [source], {"src": utc_rows(src)},
                                         as_of=AS_OF_VAR)
    tables.con.execute("attach ':memory:' as compile")          # the database of the project's relations
    for name in ["spine_rows", *EVENT_MODELS]:
        tables.con.execute(f"create view compile.main.{name} as select * from memory.main."
                           f"{'spine' if name == 'spine_rows' else 'src'}")
    for model, sql in tie_project.items():
        columns, rows = tables.run(sql)
        assert canonical(columns, rows) == oracle_rows(columns, expected), model


def _without_ties(rows: list[dict]) -> list[dict]:
    """The rows with the first of each (k1, event_ts) kept (rows with a NULL in either kept too)."""
    seen, out = set(), []
    for row in rows:
        key = (row["k1"], None if row["event_ts"] is None else row["event_ts"].utc)
        if None in key or key not in seen:
            seen.add(key)
            out.append(row)
    return out
