"""LK008 — train/test split that overlaps, lacks an embargo, or is not keyed on the entity."""

from __future__ import annotations

import math
import re

from sqlglot import exp

from ..bounds import comparisons, conjuncts, literal_time, offset_of, strip_casts
from ..tree import columns_in, walk_scope
from ..locate import word
from .base import Hit, Rule

SPLIT_NAMES = {"train", "training", "test", "testing", "valid", "validation", "val", "holdout", "eval"}
FLAG = re.compile(r"^(is_)?(train|training|test|testing|valid|validation|val|holdout|eval)(_flag|_set|_split)?$")
HASHES = ("hash", "md5", "sha1", "sha256", "farm_fingerprint", "xxhash64", "crc32", "md5_number", "hash_agg")
INF = math.inf


class SplitEmbargo(Rule):
    """Train/test split that overlaps, lacks an embargo of at least the horizon, or is not keyed on the entity.

    Why is this bad?
        Examples near a temporal split boundary have label windows that reach into the next
        split: the last training examples are labelled with events the test period is meant to
        hold out. An embargo gap of at least the label horizon removes them. A random split by
        row (not by entity) puts the same customer's neighbouring months in train and test.

    Example
        ```sql
        select *, case when as_of_ts < cast('2025-01-01' as timestamp) then 'train' else 'test' end as split
        from {{ ref('training_base') }}
        ```

    Use instead
        ```sql
        select *, case
            when as_of_ts < cast('2025-01-01' as timestamp) then 'train'
            when as_of_ts >= cast('2025-01-01' as timestamp) + interval '30 days' then 'test'
          end as split
        from {{ ref('training_base') }}
        ```
    """

    code = "LK008"
    name = "split-embargo"
    severity = "error"
    summary = "train/test split that overlaps, lacks an embargo of at least the horizon, or is not keyed on the entity"
    hint = "split by cutoff with a gap of at least the horizon between parts (sqltrain.temporal_split), or hash the entity keys"

    def check(self, ctx):
        horizon = _horizon(ctx)
        entity = set(ctx.roles.entity_names)
        for scope in ctx.facts.scopes:
            select = scope.scope.expression
            if not isinstance(select, exp.Select):
                continue
            flags = {}
            for sel in select.selects:
                name = sel.alias_or_name.lower()
                for case in walk_scope(sel):
                    if isinstance(case, exp.Case) and _is_split_case(case):
                        problem = _judge_case(scope, case, horizon, entity)
                        if problem:
                            yield Hit(f"split '{name}' {problem}", [word(name), r"\bcase\b"], cte=scope.name)
                if FLAG.match(name):
                    region = _region_of(scope, sel.this if isinstance(sel, exp.Alias) else sel)
                    if region is not None:
                        flags[name] = region
            yield from _judge_flags(flags, horizon, scope)


def _horizon(ctx) -> float:
    role = ctx.roles.by_name.get(ctx.model.name)
    if role and role.horizon_s:
        return role.horizon_s
    return ctx.roles.horizon_s or 0.0


def _is_split_case(case: exp.Case) -> bool:
    values = [i.args.get("true") for i in case.args.get("ifs") or []] + [case.args.get("default")]
    names = {v.this.lower() for v in values if isinstance(v, exp.Literal) and v.is_string}
    return len(names & SPLIT_NAMES) >= 2


def _judge_case(scope, case: exp.Case, horizon: float, entity: set[str]) -> str | None:
    regions: dict[str, list] = {}
    taken: list = []
    branches = [(i.this, i.args.get("true")) for i in case.args.get("ifs") or []]
    branches.append((None, case.args.get("default")))
    for cond, value in branches:
        if cond is not None:
            keyed = _keyed_problem(scope, cond, entity)
            if keyed:
                return keyed
            region = _region_of(scope, cond)
            if region is None:
                continue
        else:
            region = [(-INF, INF)]
        effective = _subtract(region, taken)
        taken = _union(taken, region)
        if isinstance(value, exp.Literal) and value.is_string and value.this.lower() in SPLIT_NAMES:
            regions.setdefault(value.this.lower(), [])
            regions[value.this.lower()] = _union(regions[value.this.lower()], effective)
    return _gap_problem(regions, horizon)


def _keyed_problem(scope, cond, entity) -> str | None:
    for node in walk_scope(cond):
        name = node.name.lower() if isinstance(node, exp.Anonymous) else node.key
        if isinstance(node, (exp.MD5, exp.SHA, exp.SHA2)) or (isinstance(node, exp.Anonymous) and name in HASHES) \
                or node.key in HASHES:
            cols = {c.name.lower() for c in columns_in(node)}
            if not cols or not cols <= entity:
                return f"hashes {', '.join(sorted(cols)) or 'no column'}, not the entity keys: one entity lands in several parts"
            return None
        if isinstance(node, exp.Mod):
            cols = {c.name.lower() for c in columns_in(node)}
            if not cols or not cols <= entity or node.find(exp.Window):
                return "is taken modulo a row number or non-entity column: one entity lands in several parts"
    return None


def _region_of(scope, cond) -> list | None:
    """The cutoff instants (as seconds) where ``cond`` holds, if it only compares the cutoff to constants."""
    preds = conjuncts(cond)
    lo, hi = -INF, INF
    seen = False
    for pred in preds:
        for op, left, right, _node in comparisons(pred):
            (lbase, loff), (rbase, roff) = offset_of(left), offset_of(right)
            lcol, rcol = strip_casts(lbase), strip_casts(rbase)
            if isinstance(lcol, exp.Column) and scope.is_cutoff(lcol):
                t, o, shift = literal_time(right), op, loff
            elif isinstance(rcol, exp.Column) and scope.is_cutoff(rcol):
                t, o, shift = literal_time(left), {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT,
                                                   exp.LTE: exp.GTE}.get(op, op), roff
            else:
                return None
            if t is None or shift is None:
                return None
            seen = True
            v = t.timestamp() - shift
            if o in (exp.LT, exp.LTE):
                hi = min(hi, v)
            elif o in (exp.GT, exp.GTE):
                lo = max(lo, v)
            elif o is exp.EQ:
                lo, hi = max(lo, v), min(hi, v)
    return [(lo, hi)] if seen and lo <= hi else None


def _union(a: list, b: list) -> list:
    spans = sorted(a + b)
    merged: list = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _subtract(a: list, b: list) -> list:
    result = list(a)
    for blo, bhi in b:
        nxt = []
        for lo, hi in result:
            if bhi <= lo or blo >= hi:
                nxt.append((lo, hi))
                continue
            if lo < blo:
                nxt.append((lo, blo))
            if bhi < hi:
                nxt.append((bhi, hi))
        result = nxt
    return result


def _gap_problem(regions: dict, horizon: float) -> str | None:
    names = [n for n in regions if regions[n]]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for alo, ahi in regions[a]:
                for blo, bhi in regions[b]:
                    if alo < bhi and blo < ahi:
                        return f"puts the same cutoffs in '{a}' and '{b}'"
                    gap = blo - ahi if blo >= ahi else alo - bhi
                    if gap < horizon:
                        days = horizon / 86400
                        return (f"leaves {gap / 86400:g} days between '{a}' and '{b}', less than the "
                                f"{days:g}-day label horizon: label windows straddle the boundary")
    return None


def _judge_flags(flags: dict, horizon: float, scope):
    if len(flags) < 2:
        return
    problem = _gap_problem({k: v for k, v in flags.items()}, horizon)
    if problem:
        yield Hit(f"split flags {', '.join(sorted(flags))}: {problem.replace('puts', 'put')}",
                  [word(sorted(flags)[0])], cte=scope.name)
