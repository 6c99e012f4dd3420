"""The macros' Spark path against the brute-force oracle of tests/macros.

Spark needs about a second per query, so cases are batched: for each compiled variant, many
independent random worlds are generated (tests/macros/macro_worlds), merged into one set of
tables with their entity keys shifted apart (macro_harness.merge_worlds), loaded as Spark temp
views, and checked by ONE query against the oracle run on the merged tables (worlds share no
entity, so the oracle of the merge is the merge of the oracles).

The variants are compiled by dbt for the spark adapter (dbt-spark), so the SQL is what a Spark
user's project runs: the portable default__ implementations plus dbt-spark's cross-db macros.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from spark_harness import REPO

sys.path.insert(0, str(REPO / "tests" / "macros"))    # the oracle, worlds and variants of the DuckDB tests

import macro_oracle as oracle  # noqa: E402
import macro_worlds as worlds  # noqa: E402
from macro_harness import AS_OF_VAR_TEXT, canonical, macro_call, merge_worlds, oracle_rows, utc_rows  # noqa: E402
from macro_variants import ALL  # noqa: E402

# the generated tables' schemas, as the DuckDB property tests load them
from test_macro_properties import (ENTITY_SCHEMA, EVENT2_SCHEMA, EVENT_SCHEMA, SNAPSHOT_SCHEMA,  # noqa: E402
                                   SPINE_SCHEMA)

SPARK_CASES: Counter = Counter()
"""Cases that matched the oracle on Spark, per macro, in this session (conftest prints them)."""


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


def compile_for_spark(workdir: Path) -> dict[str, str]:
    """Every variant compiled by dbt against a ``spark`` target: {variant: sql}.

    The tmp project is laid out by bench.macro_project.compile_models (asked to compile nothing),
    then given a dbt-spark profile; the session method reuses this process's running Spark."""
    from dbt.cli.main import dbtRunner

    from bench.macro_project import PROJECT_NAME, compile_models

    models = {name: f"select * from ({{{{ {macro_call(macro, args)} }}}}) as q\n"
              for name, (macro, args, _) in ALL.items()}
    compile_models(workdir, models, {}, project_vars={"as_of": AS_OF_VAR_TEXT})
    project = workdir / "macro_project"
    (project / "profiles.yml").write_text(yaml.safe_dump({PROJECT_NAME: {"target": "spark", "outputs": {"spark": {
        "type": "spark", "method": "session", "host": "localhost", "schema": "sqltrain_macro_props", "threads": 1}}}}))
    target = workdir / "target_spark"
    result = dbtRunner().invoke(["compile", "--project-dir", str(project), "--profiles-dir", str(project),
                                 "--target-path", str(target), "--log-path", str(workdir / "logs"), "--quiet",
                                 "--select", PROJECT_NAME, "--vars", json.dumps({})])
    assert result.success, f"dbt compile for spark failed: {result.exception}"
    return {name: (target / "compiled" / PROJECT_NAME / "models" / f"{name}.sql").read_text() for name in models}


class SparkTables:
    """Generated tables as Spark temp views; timestamps arrive as mixed-zone text and are cast,
    like the DuckDB harness does, so the SQL sees TIMESTAMP columns in the UTC session."""

    def __init__(self, spark):
        self.spark = spark

    def load(self, name: str, schema: dict[str, str], rows: list[dict[str, Any]]) -> None:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        struct = StructType([StructField(c, LongType() if k == "int" else StringType()) for c, k in schema.items()])
        data = [tuple(_cell(r.get(c), k) for c, k in schema.items()) for r in rows]
        self.spark.createDataFrame(data, struct).createOrReplaceTempView(f"{name}__raw")
        select = ", ".join(f"cast({c} as timestamp) as {c}" if k == "ts" else c for c, k in schema.items())
        self.spark.sql(f"create or replace temp view {name} as select {select} from {name}__raw")

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        table = self.spark.sql(sql).toArrow()
        rows = [tuple(_naive_utc(v) for v in r.values()) for r in table.to_pylist()]
        return table.column_names, rows


def _cell(value: Any, kind: str) -> Any:
    return value.text() if kind == "ts" and value is not None else value


def _naive_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def check_variant(tables: SparkTables, sql: str, variant: str, n_worlds: int, seed: int) -> int:
    """Run ``n_worlds`` random worlds of ``variant`` in one Spark query; assert it equals the oracle.
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
    assert columns == want_columns, f"{variant} on Spark: columns {columns} != oracle's {want_columns}"
    got, want = canonical(columns, rows), oracle_rows(columns, expected)
    if got != want:
        extra_rows = [r for r in got if r not in want][:5]
        missing = [r for r in want if r not in got][:5]
        raise AssertionError(f"{variant} on Spark (seed {seed}) differs from the oracle; columns {columns}\n"
                             f"  only on Spark: {extra_rows}\n  only in oracle: {missing}\n"
                             f"  (a row's k1 // 10 is its world)")
    return n_worlds
