"""The macros on another engine (Spark, PostgreSQL) against the brute-force oracle of tests/macros.

A query on a server engine costs far more than on in-process DuckDB, so cases are batched: for
each compiled variant, many independent random worlds are generated (macro_worlds), merged into
one set of tables with their entity keys shifted apart (macro_harness.merge_worlds), loaded into
the engine, and checked by ONE query against the oracle run on the merged tables (worlds share
no entity, so the oracle of the merge is the merge of the oracles).

The variants are compiled by dbt for the engine's adapter, so the SQL is what a user's project on
that engine runs: its own implementations where it has them, the portable default__ ones else.
The engine's side is a ``Tables`` object: ``load(name, schema, rows)`` and ``run(sql)``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml

import macro_oracle as oracle
import macro_worlds as worlds
from macro_harness import AS_OF_VAR_TEXT, canonical, macro_call, merge_worlds, oracle_rows, utc_rows
from macro_variants import ALL

# the generated tables' schemas, as the DuckDB property tests load them
from test_macro_properties import ENTITY_SCHEMA, EVENT2_SCHEMA, EVENT_SCHEMA, SNAPSHOT_SCHEMA, SPINE_SCHEMA


def _events2(rng):
    return worlds.events(rng, key_names=("j1", "j2"), ts_name="happened_at")


def _without(args: dict, *names: str) -> dict:
    return {k: v for k, v in args.items() if k not in names}


# macro -> (the tables of one world: (view name, schema, maker)), oracle(tables as UTC rows, args, extra)
MACROS: dict[str, tuple[list[tuple[str, dict, Any]], Any]] = {
    "point_in_time_join": (
        [("spine", SPINE_SCHEMA, worlds.spine), ("src", EVENT_SCHEMA, worlds.events), ("src2", EVENT2_SCHEMA, _events2)],
        lambda t, args, extra: oracle.point_in_time_join(
            t["spine"], args["entity_keys"], args["cutoff"], args["sources"], {"src": t["src"], "src2": t["src2"]},
            strict=args["strict"], as_of=extra["as_of"])),
    "window_aggregates": (
        [("spine", SPINE_SCHEMA, worlds.spine), ("src", EVENT_SCHEMA, worlds.events)],
        lambda t, args, extra: oracle.window_aggregates(
            t["spine"], rows=t["src"], where=extra.get("where"), as_of=extra["as_of"],
            **_without(args, "spine", "source", "where", "as_of", "method"))),
    "label_window": (
        [("spine", SPINE_SCHEMA, worlds.spine), ("src", EVENT_SCHEMA, worlds.events)],
        lambda t, args, extra: oracle.label_window(
            t["spine"], rows=t["src"], where=extra.get("where"), value=extra.get("value"), as_of=extra["as_of"],
            **_without(args, "spine", "source", "where", "value", "as_of"))),
    "cutoff_spine": (
        [("ent", ENTITY_SCHEMA, worlds.entities)],
        lambda t, args, extra: oracle.cutoff_spine(
            t["ent"], start=extra["start"], end=extra["end"], **_without(args, "entities", "start", "end"))),
    "scd2_as_of_join": (
        [("spine", SPINE_SCHEMA, worlds.spine), ("snap", SNAPSHOT_SCHEMA, worlds.snapshot)],
        lambda t, args, extra: oracle.scd2_as_of_join(
            t["spine"], versions=t["snap"], as_of=extra["as_of"], **_without(args, "spine", "snapshot", "as_of"))),
    "temporal_split": (
        [("rel", SPINE_SCHEMA, worlds.spine)],
        lambda t, args, extra: oracle.temporal_split(
            t["rel"], args["cutoff"], extra["valid_start"], extra["test_start"], args["embargo"],
            split_column=args.get("split_column", "split"), drop_embargoed=args.get("drop_embargoed", True))),
}


def variants_of(macro: str) -> list[str]:
    return sorted(name for name, (m, _, _) in ALL.items() if m == macro)


def compile_for(workdir: Path, output: dict[str, Any]) -> dict[str, str]:
    """Every variant compiled by dbt against the target ``output`` (a profiles.yml output):
    {variant: sql}.

    The tmp project is laid out by bench.macro_project.compile_models (asked to compile nothing),
    then given a profile with that one target."""
    from dbt.cli.main import dbtRunner

    from bench.macro_project import PROJECT_NAME, compile_models

    models = {name: f"select * from ({{{{ {macro_call(macro, args)} }}}}) as q\n"
              for name, (macro, args, _) in ALL.items()}
    compile_models(workdir, models, {}, project_vars={"as_of": AS_OF_VAR_TEXT})
    project = workdir / "macro_project"
    (project / "profiles.yml").write_text(yaml.safe_dump({PROJECT_NAME: {"target": "engine", "outputs": {"engine": output}}}))
    target = workdir / "target_engine"
    result = dbtRunner().invoke(["compile", "--project-dir", str(project), "--profiles-dir", str(project),
                                 "--target-path", str(target), "--log-path", str(workdir / "logs"), "--quiet",
                                 "--select", PROJECT_NAME, "--vars", json.dumps({})])
    assert result.success, f"dbt compile for {output['type']} failed: {result.exception}"
    return {name: (target / "compiled" / PROJECT_NAME / "models" / f"{name}.sql").read_text() for name in models}


def check_variant(tables, sql: str, variant: str, n_worlds: int, seed: int, engine: str = "Spark") -> int:
    """Run ``n_worlds`` random worlds of ``variant`` in one query on ``engine``; assert it equals the oracle.
    Returns the number of cases (worlds) checked."""
    macro, args, extra = ALL[variant]
    specs, run_oracle = MACROS[macro]
    rng = random.Random(seed)
    merged = merge_worlds([tuple(make(rng) for _, _, make in specs) for _ in range(n_worlds)])
    for (name, schema, _), rows in zip(specs, merged):
        tables.load(name, schema, rows)
    expected = run_oracle({name: utc_rows(rows) for (name, _, _), rows in zip(specs, merged)}, args, extra)
    columns, rows = tables.run(sql)
    want_columns = list(expected[0]) if expected else columns
    assert columns == want_columns, f"{variant} on {engine}: columns {columns} != oracle's {want_columns}"
    got, want = canonical(columns, rows), oracle_rows(columns, expected)
    if got != want:
        extra_rows = [r for r in got if r not in want][:5]
        missing = [r for r in want if r not in got][:5]
        raise AssertionError(f"{variant} on {engine} (seed {seed}) differs from the oracle; columns {columns}\n"
                             f"  only on {engine}: {extra_rows}\n  only in oracle: {missing}\n"
                             f"  (a row's k1 // 10 is its world)")
    return n_worlds
