"""The analyser: parse and qualify each model once, run the fact passes, then the rules.

Models are visited in dependency order so that a model's derived facts (its output columns,
label-derived columns, whether it is an all-history aggregate…) are known when a downstream
model reads it. Each model's compiled SQL is parsed once; qualified trees are cached by their
SQL and schema so repeated checks in one process (the snapshot gate after `sqltrain check`)
cost nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify

from .facts import FactCollector, ModelFacts, Rel, rel_from_role
from .findings import Finding, Report
from .inputs import ModelSource, ProjectInputs, RelationInfo
from .rules import RULES, RuleContext
from .suppression import settle

_QUALIFIED: dict[str, exp.Expr] = {}


class ProjectAnalysis:
    """Runs the passes over every model in dependency order, so that each model reads the facts
    derived for its upstream models (their columns for ``*`` expansion, their roles and taints)."""

    def __init__(self, inputs: ProjectInputs):
        self.inputs = inputs
        self._by_parts = inputs.relation_by_parts()
        self._derived: dict[str, Rel] = {}
        self._schema: dict = {}
        for info in inputs.relations.values():
            if info.columns:
                _put_schema(self._schema, info.key, info.columns)
        self.collector = FactCollector(inputs.roles, self.relation_rel)

    def relation_rel(self, table: exp.Table) -> Rel | None:
        """What a table of the compiled SQL is: its declared role over its derived facts."""
        parts = tuple(p.lower() for p in (table.catalog, table.db, table.name) if p)
        for n in range(len(parts), 0, -1):
            info: RelationInfo | None = self._by_parts.get(parts[-n:])
            if info is not None:
                return rel_from_role(info, self._derived.get(info.unique_id), self.inputs.roles)
        return None

    def run(self) -> Iterator[tuple[ModelSource, ModelFacts | None, str | None]]:
        """``(model, facts, problem)`` for every model; ``problem`` says why a model has no facts."""
        for model in _in_dependency_order(self.inputs.models):
            facts, problem = _model_facts(model, self.inputs, self.collector, self._schema)
            if facts is not None:
                self._derived[model.unique_id] = facts.output
                info = self.inputs.relations.get(model.unique_id)
                if info is not None:
                    _put_schema(self._schema, info.key, {c: "text" for c in facts.output.columns})
            yield model, facts, problem


def analyse(inputs: ProjectInputs, select: Iterable[str] | None = None) -> Report:
    """Check every model of ``inputs``; report findings of the selected models (default: all)."""
    started = time.perf_counter()
    wanted = resolve_selection(inputs, select)
    report = Report(models=[m.name for m in inputs.models if m.name in wanted])
    analysis = ProjectAnalysis(inputs)
    for model, facts, problem in analysis.run():
        if model.name in wanted:
            report.findings.extend(_findings(model, facts, problem, inputs))
    report.seconds = time.perf_counter() - started
    return report


def model_facts(inputs: ProjectInputs, name: str) -> ModelFacts | None:
    """Facts of one model (for tests and debugging), after the passes over its upstream."""
    for model, facts, _problem in ProjectAnalysis(inputs).run():
        if model.name == name:
            return facts
    return None


def resolve_selection(inputs: ProjectInputs, select: Iterable[str] | None) -> set[str]:
    """``--select a b+`` / ``+c``: names, with ``+`` before a name adding its upstream models."""
    names = {m.name for m in inputs.models}
    if not select:
        return names
    tokens = [t for item in select for t in str(item).replace(",", " ").split()]
    by_name = {m.name: m for m in inputs.models}
    uid_to_name = {m.unique_id: m.name for m in inputs.models}
    chosen: set[str] = set()
    for token in tokens:
        upstream = token.startswith("+")
        name = token.strip("+")
        if name not in by_name:
            from ..errors import UsageError

            raise UsageError(f"--select: unknown model '{name}'", f"pick from: {', '.join(sorted(names))}")
        chosen.add(name)
        if upstream:
            stack = [name]
            while stack:
                current = by_name[stack.pop()]
                for dep in current.depends_on:
                    dep_name = uid_to_name.get(dep)
                    if dep_name and dep_name not in chosen:
                        chosen.add(dep_name)
                        stack.append(dep_name)
    return chosen


# -- per model ------------------------------------------------------------------------
def _model_facts(model: ModelSource, inputs: ProjectInputs, collector: FactCollector, schema: dict):
    role = inputs.roles.by_name.get(model.name)
    kind = role.kind if role else None
    if not model.compiled_code.strip():
        return None, "no compiled SQL (run dbt compile)"
    try:
        tree = _qualified(model.compiled_code, schema, inputs.dialect)
    except (SqlglotError, ValueError, KeyError, RecursionError) as error:
        return None, f"could not parse the compiled SQL: {' '.join(str(error).split())[:160]}"
    try:
        return collector.collect(model.name, kind, tree), None
    except Exception as error:  # an analyser bug must not hide the other models' findings
        if os.environ.get("SQLTRAIN_DEBUG"):
            raise
        return None, f"internal error while analysing ({type(error).__name__}: {error}); please report it"


def _qualified(sql: str, schema: dict, dialect: str = "duckdb") -> exp.Expr:
    """Parse and qualify once per (SQL, columns of the tables it reads); qualifying against only those
    tables keeps the cost per model flat however large the project is."""
    parsed = sqlglot.parse_one(sql, dialect=dialect)
    needed = _schema_subset(parsed, schema)
    key = hashlib.sha1((dialect + sql + repr(needed)).encode()).hexdigest()
    tree = _QUALIFIED.get(key)
    if tree is None:
        try:
            tree = qualify(parsed, schema=needed or None, dialect=dialect, validate_qualify_columns=False,
                           quote_identifiers=False, identify=False)
        except SqlglotError:
            tree = qualify(sqlglot.parse_one(sql, dialect=dialect), dialect=dialect,
                           validate_qualify_columns=False, quote_identifiers=False, identify=False)
        if len(_QUALIFIED) > 2048:
            _QUALIFIED.clear()
        _QUALIFIED[key] = tree
    return tree


def _schema_subset(tree: exp.Expr, schema: dict) -> dict:
    """The part of ``schema`` (catalog -> db -> table -> columns) that ``tree``'s tables name."""
    subset: dict = {}
    for table in tree.find_all(exp.Table):
        name, db, catalog = table.name.lower(), table.db.lower(), table.catalog.lower()
        for cat_name, dbs in schema.items():
            if catalog and cat_name != catalog:
                continue
            for db_name, tables in dbs.items():
                if db and db_name != db:
                    continue
                if name in tables:
                    subset.setdefault(cat_name, {}).setdefault(db_name, {})[name] = tables[name]
    return subset


def _schema_items(schema: dict, prefix=()):
    for key, value in schema.items():
        if isinstance(value, dict):
            yield from _schema_items(value, prefix + (key,))
        else:
            yield prefix + (key,)


def _put_schema(schema: dict, key: tuple[str, ...], columns: dict[str, str]) -> None:
    parts = (("__catalog__", "main")[: 3 - len(key)] + key) if len(key) < 3 else key[-3:]
    node = schema
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = {c: (t if t and t != "text" else "text") for c, t in columns.items()}


def _in_dependency_order(models: list[ModelSource]) -> list[ModelSource]:
    by_uid = {m.unique_id: m for m in models}
    ordered, seen = [], set()

    def visit(model: ModelSource, trail: set[str]) -> None:
        if model.unique_id in seen or model.unique_id in trail:
            return
        trail.add(model.unique_id)
        for dep in model.depends_on:
            if dep in by_uid:
                visit(by_uid[dep], trail)
        seen.add(model.unique_id)
        ordered.append(model)

    for model in sorted(models, key=lambda m: m.unique_id):
        visit(model, set())
    return ordered


def _findings(model: ModelSource, facts: ModelFacts | None, problem: str | None, inputs: ProjectInputs) -> list[Finding]:
    hits = []
    if facts is not None:
        ctx = RuleContext(model=model, facts=facts, roles=inputs.roles)
        hits = [(rule, hit) for rule in RULES for hit in rule.check(ctx)]
    return settle(model, hits, facts, problem, inputs.config)
