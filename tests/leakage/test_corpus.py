"""The labelled corpus: every leaky model is caught with its rule, no clean model is flagged.

Prints recall and precision per rule, per corpus project and overall, and asserts each is at
least 95%. Both corpus projects count (``corpus_project.PROJECTS``): the one whose relations declare
their columns and the one whose sources declare none.
Counting: a (model, rule) pair is a true positive when the rule is expected and reported, a
false negative when expected and missing, a false positive when reported but not expected (on
a leaky or a clean model). Model-level: a leaky model is caught when it has any finding of an
expected rule; a clean model is a false alarm when it has any finding at all.
"""

from __future__ import annotations

from collections import Counter

import re

import yaml
from corpus_project import PROJECTS, corpus_cases

from sqltrain.leakage import analyse
from sqltrain.leakage.rules import RULES_BY_CODE

THRESHOLD = 0.95


def _score(compiled: dict):
    """Score the cases of each compiled corpus project (name -> (project, inputs)) against its report."""
    tp, fp, fn = Counter(), Counter(), Counter()
    mistakes, cases, found = [], [], {}
    for name, (_project, inputs) in compiled.items():
        for finding in analyse(inputs).active:
            found.setdefault((name, finding.model), set()).add(finding.code)
        cases += [c for c in corpus_cases(name) if c.group != "upstream"]
    for case in cases:
        got = found.get((case.project, case.name), set())
        for code in case.expected | got:
            if code in case.expected and code in got:
                tp[case.project, code] += 1
            elif code in case.expected:
                fn[case.project, code] += 1
                mistakes.append(f"missed {code} in {case.project}:{case.group}/{case.name}")
            else:
                fp[case.project, code] += 1
                mistakes.append(f"false {code} in {case.project}:{case.group}/{case.name}")
    return cases, found, tp, fp, fn, mistakes


def _by_rule(counts: Counter) -> Counter:
    out = Counter()
    for (_project, code), n in counts.items():
        out[code] += n
    return out


def _ratio(a, b):
    return a / b if b else 1.0


def test_corpus_size():
    cases = corpus_cases(None)
    assert sum(c.group == "leaky" for c in cases) >= 80
    assert sum(c.group == "clean" for c in cases) >= 100
    macro_cases = [c for c in cases if c.group == "clean" and "_macro_" in f"_{c.name}"]
    assert len(macro_cases) >= 6
    nocatalog = corpus_cases("nocatalog")
    assert sum(c.group == "leaky" for c in nocatalog) >= 5 and sum(c.group == "clean" for c in nocatalog) >= 10


def test_every_rule_has_leaky_cases():
    covered = Counter(code for c in corpus_cases(None) for code in c.expected)
    for code in RULES_BY_CODE:
        assert covered[code] >= 1, f"no leaky corpus model for {code}"


def test_recall_and_precision(compiled_corpus, compiled_nocatalog_corpus):
    compiled = {"main": compiled_corpus, "nocatalog": compiled_nocatalog_corpus}
    cases, found, tp_p, fp_p, fn_p, mistakes = _score(compiled)
    tp, fp, fn = _by_rule(tp_p), _by_rule(fp_p), _by_rule(fn_p)
    print("\nrule    recall     precision  (tp/fn/fp)")
    worst = []
    for code in sorted(set(tp) | set(fp) | set(fn)):
        recall, precision = _ratio(tp[code], tp[code] + fn[code]), _ratio(tp[code], tp[code] + fp[code])
        print(f"{code}   {recall:7.1%}   {precision:7.1%}     ({tp[code]}/{fn[code]}/{fp[code]})")
        worst.append((code, recall, precision))
    per_project = []
    for name in compiled:
        t = sum(n for (p, _c), n in tp_p.items() if p == name)
        f_p = sum(n for (p, _c), n in fp_p.items() if p == name)
        f_n = sum(n for (p, _c), n in fn_p.items() if p == name)
        r, p_ = _ratio(t, t + f_n), _ratio(t, t + f_p)
        print(f"project {name}: recall {r:.1%}, precision {p_:.1%} ({t}/{f_n}/{f_p})")
        per_project.append((name, r, p_))
    TP, FP, FN = sum(tp.values()), sum(fp.values()), sum(fn.values())
    recall, precision = _ratio(TP, TP + FN), _ratio(TP, TP + FP)
    leaky = [c for c in cases if c.group == "leaky"]
    clean = [c for c in cases if c.group == "clean"]
    caught = sum(bool(c.expected & found.get((c.project, c.name), set())) for c in leaky)
    alarms = sum(bool(found.get((c.project, c.name))) for c in clean)
    print(f"overall recall {recall:.1%}, precision {precision:.1%} over (model, rule) pairs")
    print(f"models: {caught}/{len(leaky)} leaky caught, {alarms}/{len(clean)} clean flagged")
    for m in mistakes:
        print("  ", m)
    assert recall >= THRESHOLD and precision >= THRESHOLD, mistakes
    for code, r, p in worst:
        assert r >= THRESHOLD and p >= THRESHOLD, f"{code}: recall {r:.1%}, precision {p:.1%}: {mistakes}"
    for name, r, p in per_project:
        assert r >= THRESHOLD and p >= THRESHOLD, f"project {name}: recall {r:.1%}, precision {p:.1%}: {mistakes}"
    assert caught / len(leaky) >= THRESHOLD
    assert 1 - alarms / len(clean) >= THRESHOLD


def _duckdb_type(column: str) -> str:
    """A plausible warehouse type from a corpus column's name (the corpus only declares names)."""
    if column in ("churned", "churned_30d", "converted", "expanded"):
        return "INTEGER"
    if column.endswith("_date"):
        return "DATE"
    if re.search(r"(_ts|_at|^dbt_valid_from|^dbt_valid_to)$", column):
        return "TIMESTAMP"
    if re.search(r"(_id|amount|items|minutes|visits|logins|units|value|mrr|duration_s|page_views|seats|_90d|_30d)$",
                 column):
        return "DOUBLE"
    return "VARCHAR"


def test_every_case_is_sql_duckdb_accepts(compiled_corpus, compiled_nocatalog_corpus):
    """The corpus is real SQL: each compiled case binds in DuckDB over empty tables of the relations
    (a case the engine rejects says nothing about leakage, clean or leaky)."""
    import duckdb

    rejected = []
    for name, (project, inputs) in (("main", compiled_corpus), ("nocatalog", compiled_nocatalog_corpus)):
        con = duckdb.connect()
        con.execute("attach ':memory:' as corpus; use corpus; create schema raw")
        for rel in yaml.safe_load((PROJECTS[name] / "relations.yml").read_text())["relations"]:
            columns = rel.get("columns") or rel["warehouse_columns"]
            con.execute(f"create table {rel.get('schema', 'main')}.{rel['name']} "
                        f"({', '.join(f'{c} {_duckdb_type(c)}' for c in columns)})")
        unparseable = {c.name for c in corpus_cases(name) if "LK099" in c.expected}   # broken on purpose
        by_uid = {m.unique_id: m for m in inputs.models if "/base/" not in m.path and m.name not in unparseable}
        created: set[str] = set()

        def create(uid: str) -> None:
            if uid in created or uid not in by_uid:
                return
            created.add(uid)
            for dep in by_uid[uid].depends_on:
                create(dep)
            model = by_uid[uid]
            try:
                con.execute(f"create view main.{model.name} as {model.compiled_code}")
            except duckdb.Error as error:
                rejected.append(f"{name}:{model.name}: {str(error).splitlines()[0]}")

        for uid in sorted(by_uid):
            create(uid)
    assert rejected == []
