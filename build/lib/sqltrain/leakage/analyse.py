"""The analyser: parse and qualify each model once, run the fact passes, then the rules.

Models are visited in dependency order so that a model's derived facts (its output columns,
label-derived columns, whether it is an all-history aggregate…) are known when a downstream
model reads it. Each model's compiled SQL is parsed once; qualified trees are cached by their
SQL and schema so repeated checks in one process (the snapshot gate after `sqltrain check`)
cost nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator

from sqlglot import exp
from sqlglot.errors import SqlglotError

from .facts import FactCollector, ModelFacts, Rel, rel_from_role
from .findings import Finding, Report
from .qualify import TableColumns, qualified
from .inputs import ModelSource, ProjectInputs, RelationInfo
from .rules import RULES, RuleContext
from .suppression import settle

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
        self.unseen: set[str] = set()          # relations whose missing column list left a column unattributed

    def relation_rel(self, table: exp.Table) -> Rel | None:
        """What a table of the compiled SQL is: its declared role over its derived facts."""
        info = self._info(table)
        if info is None:
            return None
        return rel_from_role(info, self._derived.get(info.unique_id), self.inputs.roles)

    def describe(self, table: exp.Table) -> TableColumns | None:
        """What the project says about a table's columns (for attributing unprefixed columns)."""
        info = self._info(table)
        if info is None:
            return None
        role = info.role
        derived = self._derived.get(info.unique_id)
        known = info.columns or (derived.columns if derived and derived.columns_known else None)
        declared = {role.event_ts, role.known_at, role.cutoff, role.label, role.valid_from, role.valid_to, *role.entity}
        return TableColumns(_display_name(info), frozenset(known) if known else None, frozenset(declared - {None}))

    def _info(self, table: exp.Table) -> RelationInfo | None:
        parts = tuple(p.lower() for p in (table.catalog, table.db, table.name) if p)
        for n in range(len(parts), 0, -1):
            info = self._by_parts.get(parts[-n:])
            if info is not None:
                return info
        return None

    def run(self) -> Iterator[tuple[ModelSource, ModelFacts | None, str | None]]:
        """``(model, facts, problem)`` for every model; ``problem`` says why a model has no facts."""
        for model in _in_dependency_order(self.inputs.models):
            facts, problem = self._model_facts(model)
            if facts is not None:
                self._derived[model.unique_id] = facts.output
                info = self.inputs.relations.get(model.unique_id)
                if info is not None and facts.output.columns_known:
                    _put_schema(self._schema, info.key, {c: "text" for c in facts.output.columns})
            yield model, facts, problem

    def _model_facts(self, model: ModelSource) -> tuple[ModelFacts | None, str | None]:
        role = self.inputs.roles.by_name.get(model.name)
        kind = role.kind if role else None
        if not model.compiled_code.strip():
            return None, "no compiled SQL (run dbt compile)"
        try:
            tree, unseen = qualified(model.compiled_code, self._schema, self.inputs.dialect, self.describe)
        except (SqlglotError, ValueError, KeyError, RecursionError) as error:
            return None, f"could not parse the compiled SQL: {' '.join(str(error).split())[:160]}"
        self.unseen |= unseen
        try:
            return self.collector.collect(model.name, kind, tree), None
        except Exception as error:  # an analyser bug must not hide the other models' findings
            if os.environ.get("SQLTRAIN_DEBUG"):
                raise
            return None, f"internal error while analysing ({type(error).__name__}: {error}); please report it"


def analyse(inputs: ProjectInputs, select: Iterable[str] | None = None) -> Report:
    """Check every model of ``inputs``; report findings of the selected models (default: all)."""
    started = time.perf_counter()
    wanted = resolve_selection(inputs, select)
    report = Report(models=[m.name for m in inputs.models if m.name in wanted])
    analysis = ProjectAnalysis(inputs)
    for model, facts, problem in analysis.run():
        if model.name in wanted:
            report.findings.extend(_findings(model, facts, problem, inputs))
    report.notes = [f"no column list for {name}: run `dbt docs generate` or declare columns"
                    for name in sorted(analysis.unseen)]
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


# -- helpers ------------------------------------------------------------------------
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


def _display_name(info: RelationInfo) -> str:
    """``source 'raw.orders'`` / ``model 'stg_orders'``: how a note names a relation."""
    if info.unique_id.startswith("source."):
        return f"source '{'.'.join(info.unique_id.split('.')[-2:])}'"
    return f"{info.unique_id.split('.')[0]} '{info.name}'"
