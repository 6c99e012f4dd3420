"""Reading dbt's manifest (and catalog): roles of sources and models, compiled SQL, `*` expansion."""

from __future__ import annotations

from sqltrain.leakage import analyse, load_manifest_inputs


def _manifest(compiled: str) -> dict:
    source = {
        "resource_type": "source", "name": "events", "package_name": "p",
        "relation_name": '"w"."raw"."events"', "columns": {},
        "config": {"meta": {"sqltrain": {"kind": "feature_source", "entity": ["customer_id"],
                                         "event_ts": "happened_at", "known_at": "loaded_at"}}},
    }
    spine = {
        "resource_type": "model", "name": "spine", "package_name": "p", "language": "sql",
        "relation_name": '"w"."main"."spine"', "original_file_path": "models/spine.sql",
        "raw_code": "select 1 as customer_id, now() as as_of_ts", "compiled_code": "",
        "columns": {"customer_id": {}, "as_of_ts": {}}, "depends_on": {"nodes": []},
        "config": {"meta": {"sqltrain": {"kind": "spine", "entity": ["customer_id"], "cutoff": "as_of_ts"}}},
    }
    model = {
        "resource_type": "model", "name": "features", "package_name": "p", "language": "sql",
        "relation_name": '"w"."main"."features"', "original_file_path": "models/features.sql",
        "raw_code": "select s.*, e.*\nfrom {{ ref('spine') }} as s\njoin {{ source('raw', 'events') }} as e\n"
                    "  on e.customer_id = s.customer_id and e.happened_at <= s.as_of_ts\n",
        "compiled_code": compiled, "columns": {},
        "depends_on": {"nodes": ["model.p.spine", "source.p.raw.events"]}, "config": {},
    }
    package_model = dict(model, name="elsewhere", package_name="other_package")
    return {"nodes": {"model.p.spine": spine, "model.p.features": model, "model.other.elsewhere": package_model},
            "sources": {"source.p.raw.events": source}}


COMPILED = ('select s.*, e.*\nfrom "w"."main"."spine" as s\njoin "w"."raw"."events" as e\n'
            '  on e.customer_id = s.customer_id and e.happened_at <= s.as_of_ts\n')
CATALOG = {"nodes": {}, "sources": {"source.p.raw.events": {"columns": {
    "customer_id": {"type": "BIGINT"}, "happened_at": {"type": "TIMESTAMP"}, "loaded_at": {"type": "TIMESTAMP"},
    "amount": {"type": "DOUBLE"}}}}}


def test_roles_and_models_come_from_the_manifest():
    inputs = load_manifest_inputs(_manifest(COMPILED), "p", CATALOG)
    assert sorted(m.name for m in inputs.models) == ["features", "spine"]   # other packages are not checked
    role = inputs.roles.by_name["events"]
    assert (role.kind, role.event_ts, role.known_at) == ("feature_source", "happened_at", "loaded_at")
    assert inputs.relations["source.p.raw.events"].key == ("w", "raw", "events")
    assert list(inputs.relations["source.p.raw.events"].columns) == ["customer_id", "happened_at", "loaded_at", "amount"]


def test_catalog_columns_expand_star_and_known_at_is_required():
    report = analyse(load_manifest_inputs(_manifest(COMPILED), "p", CATALOG))
    by_model = {(f.model, f.code) for f in report.active}
    assert ("features", "LK010") in by_model                 # loaded_at declared, only happened_at bounded
    [finding] = [f for f in report.active if f.model == "features"]
    assert (finding.path, finding.line) == ("models/features.sql", 3)
    assert ("spine", "LK099") in by_model                    # no compiled SQL: said, not fatal


def test_model_without_compiled_code_is_reported_once():
    report = analyse(load_manifest_inputs(_manifest(COMPILED), "p"), select=["spine"])
    assert [(f.code, f.severity) for f in report.findings] == [("LK099", "warning")]
