"""Output formats against golden files (regenerate with SQLTRAIN_UPDATE_GOLDEN=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from harness import build_inputs, relations_from_yaml

from sqltrain.leakage import analyse
from sqltrain.leakage.formats import render
from sqltrain.leakage.rules import RULES

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
RELATIONS = relations_from_yaml(HERE / "corpus" / "relations.yml")

MODELS = {
    "orders_per_cutoff": """select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts
group by 1, 2
""",
    "sessions_recent": """select customer_id, count(*) as sessions_7d
from {{ ref('sessions') }}
where event_ts > now() - interval '7 days'
group by customer_id
""",
    "scaled": """select customer_id, as_of_ts,
       orders_90d / avg(orders_90d) over () as orders_rel  -- sqltrain: ignore[LK004] scale refit on train downstream
from {{ ref('order_features') }}
""",
    "clean_counts": """select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
group by 1, 2
""",
}
PATHS = {"orders_per_cutoff": "models/features/orders_per_cutoff.sql",
         "sessions_recent": "models/features/sessions_recent.sql",
         "scaled": "models/training/scaled.sql", "clean_counts": "models/features/clean_counts.sql"}


@pytest.fixture(scope="module")
def report():
    return analyse(build_inputs(MODELS, RELATIONS, paths=PATHS))


@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("json", "json"), ("sarif", "sarif")])
def test_golden(report, fmt, suffix):
    out = render(report, fmt)
    golden = GOLDEN / f"report.{suffix}"
    if os.environ.get("SQLTRAIN_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_text_is_compiler_style(report):
    lines = render(report, "text").splitlines()
    assert lines[0].startswith("models/features/orders_per_cutoff.sql:3:")
    assert " LK010 " in lines[0]
    assert lines[1].startswith("    hint: ")
    assert lines[-1] == "checked 4 models: 2 errors, 0 warnings, 1 suppressed"


def test_sarif_structure(report):
    sarif = json.loads(render(report, "sarif"))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["helpUri"].endswith(f"{rule['id']}.md")
    assert run["results"], "expected findings"
    for result in run["results"]:
        assert result["ruleId"] in {r["id"] for r in rules}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        [loc] = result["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"].startswith("models/")
        assert phys["region"]["startLine"] >= 1 and phys["region"]["startColumn"] >= 1
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == ["scale refit on train downstream"]


def test_json_round_trips(report):
    data = json.loads(render(report, "json"))
    assert data["summary"] == {"errors": 2, "warnings": 0, "suppressed": 1, "passed": False}
    assert {f["code"] for f in data["findings"]} == {"LK010", "LK006", "LK004"}
    assert all(f["where"] == f"{f['path']}:{f['line']}:{f['col']}" for f in data["findings"])
