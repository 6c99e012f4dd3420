"""The labelled corpus: every leaky model is caught with its rule, no clean model is flagged.

Prints recall and precision per rule and overall, and asserts both are at least 95%.
Counting: a (model, rule) pair is a true positive when the rule is expected and reported, a
false negative when expected and missing, a false positive when reported but not expected (on
a leaky or a clean model). Model-level: a leaky model is caught when it has any finding of an
expected rule; a clean model is a false alarm when it has any finding at all.
"""

from __future__ import annotations

from collections import Counter

from corpus_project import corpus_cases

from sqltrain.leakage import analyse
from sqltrain.leakage.rules import RULES_BY_CODE

THRESHOLD = 0.95


def _score(compiled_corpus):
    _project, inputs = compiled_corpus
    report = analyse(inputs)
    found: dict[str, set[str]] = {}
    for finding in report.active:
        found.setdefault(finding.model, set()).add(finding.code)
    cases = [c for c in corpus_cases() if c.group != "upstream"]
    tp, fp, fn = Counter(), Counter(), Counter()
    mistakes = []
    for case in cases:
        got = found.get(case.name, set())
        for code in case.expected | got:
            if code in case.expected and code in got:
                tp[code] += 1
            elif code in case.expected:
                fn[code] += 1
                mistakes.append(f"missed {code} in {case.group}/{case.name}")
            else:
                fp[code] += 1
                mistakes.append(f"false {code} in {case.group}/{case.name}")
    return cases, found, tp, fp, fn, mistakes


def _ratio(a, b):
    return a / b if b else 1.0


def test_corpus_size():
    cases = corpus_cases()
    assert sum(c.group == "leaky" for c in cases) >= 60
    assert sum(c.group == "clean" for c in cases) >= 60
    macro_cases = [c for c in cases if c.group == "clean" and c.name.startswith("c_macro_")]
    assert len(macro_cases) >= 6


def test_every_rule_has_leaky_cases():
    covered = Counter(code for c in corpus_cases() for code in c.expected)
    for code in RULES_BY_CODE:
        assert covered[code] >= 1, f"no leaky corpus model for {code}"


def test_recall_and_precision(compiled_corpus):
    cases, found, tp, fp, fn, mistakes = _score(compiled_corpus)
    print("\nrule    recall     precision  (tp/fn/fp)")
    worst = []
    for code in sorted(set(tp) | set(fp) | set(fn)):
        recall, precision = _ratio(tp[code], tp[code] + fn[code]), _ratio(tp[code], tp[code] + fp[code])
        print(f"{code}   {recall:7.1%}   {precision:7.1%}     ({tp[code]}/{fn[code]}/{fp[code]})")
        worst.append((code, recall, precision))
    TP, FP, FN = sum(tp.values()), sum(fp.values()), sum(fn.values())
    recall, precision = _ratio(TP, TP + FN), _ratio(TP, TP + FP)
    leaky = [c for c in cases if c.group == "leaky"]
    clean = [c for c in cases if c.group == "clean"]
    caught = sum(bool(c.expected & found.get(c.name, set())) for c in leaky)
    alarms = sum(bool(found.get(c.name)) for c in clean)
    print(f"overall recall {recall:.1%}, precision {precision:.1%} over (model, rule) pairs")
    print(f"models: {caught}/{len(leaky)} leaky caught, {alarms}/{len(clean)} clean flagged")
    for m in mistakes:
        print("  ", m)
    assert recall >= THRESHOLD and precision >= THRESHOLD, mistakes
    for code, r, p in worst:
        assert r >= THRESHOLD and p >= THRESHOLD, f"{code}: recall {r:.1%}, precision {p:.1%}: {mistakes}"
    assert caught / len(leaky) >= THRESHOLD
    assert 1 - alarms / len(clean) >= THRESHOLD
