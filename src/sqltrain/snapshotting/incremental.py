"""May an incremental snapshot as of D2 reuse rows of an earlier snapshot? (docs/incremental.md)

``plan_reuse`` takes the newest earlier complete snapshot D1 of the model and either returns a
``Reuse`` (the base, and the predicate choosing its rows that cannot have changed) or a
``Fallback`` whose ``reason`` is the one line the CLI prints before it builds everything. The
premise is checked, never assumed:

- the base's data matches the SHA-256 of its manifest (``integrity``);
- the base was cut with the same project inputs (``inputs``: model files, macros, vars, versions);
- ``verify`` passed as of D1 with those inputs (``timetravel.record``);
- every source upstream declares ``known_at`` (or ``append_only: true``), is timed, and a mutable
  source has a dbt snapshot; the leakage analyser found no read of a current state, no statistic
  over all rows, no wall clock (suppressed findings count: silencing a finding does not make an
  old row stay put);
- rows that landed after D1 with an event time inside an old label horizon shrink the reused
  range so that no reused label could see them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..asof import AsOf
from ..project import Project, sqltrain_meta_of
from ..sqlquote import identifier
from ..timetravel import plan as rules
from ..timetravel.record import read_record
from .integrity import check_snapshot_hash, read_manifest
from .layout import existing_snapshots

# findings that mean an old row may change while nothing is recorded after D1
UNSTABLE = {
    "LK004": "a statistic over all rows",
    "LK006": "a wall-clock function",
    "LK007": "a mutable dimension read other than through a dbt snapshot",
    "LK011": "a population filtered on a mutable table's current state",
    "LK099": "SQL the leakage analyser could not read",
}


@dataclass(frozen=True)
class Reuse:
    """Rows of ``base`` whose ``cutoff + horizon <= until`` are reused; ``until`` is D1, or earlier
    when rows landed after D1 with an event time before it."""

    base: Path
    base_as_of: AsOf
    base_sha256: str | None   # None: a backtest's previous build, which is no file
    cutoff: str
    horizon: str
    until: datetime
    late: str | None = None   # why ``until`` is before D1 (the source and event time), if it is
    table: str | None = None  # the base's rows as a warehouse relation (a backtest's previous fold), not its file

    def predicate(self, column_prefix: str = "") -> tuple[str, list[Any]]:
        """SQL (DuckDB) true for a reused row, and its parameters."""
        cutoff = f"{column_prefix}{identifier(self.cutoff)}"
        return f"({cutoff} + cast(? as interval) <= ?)", [self.horizon, self.until]

    def rows(self) -> tuple[str, list[Any]]:
        """SQL (DuckDB) reading the base's rows, and its parameters."""
        return (self.table, []) if self.table else ("read_parquet(?)", [str(self.base / "data.parquet")])

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base.name, **({"base_sha256": self.base_sha256} if self.base_sha256 else {}),
                "reused": f"rows with {self.cutoff} + {self.horizon} <= {self.until.isoformat(sep=' ')}",
                **({"until_moved_by": self.late} if self.late else {})}


@dataclass(frozen=True)
class Fallback:
    reason: str


def plan_reuse(project: Project, asof: Project, node: dict[str, Any], as_of: AsOf, out: Path,
               inputs: str) -> Reuse | Fallback:
    """Decide, before anything is built, whether rows of an earlier snapshot may be reused.

    ``project`` is the user's (verify records), ``asof`` the private as-of project, parsed, whose
    ``node`` is the training set; ``inputs`` the inputs hash of this build.
    """
    model, meta = node["name"], sqltrain_meta_of(node)
    refused = _shape_refused(asof, node)
    if refused:
        return refused
    earlier = [(when, path) for when, path in existing_snapshots(out, model) if when.instant < as_of.instant]
    if not earlier:
        return Fallback(f"no earlier snapshot of {model} under {out}")
    base_as_of, base = earlier[-1]
    try:
        manifest = read_manifest(base)
    except Exception as error:  # an unreadable manifest: not a base
        return Fallback(f"{base}: {getattr(error, 'message', error)}")
    check = check_snapshot_hash(base, manifest)
    if not check.ok:
        return Fallback(f"{base}: {check.message}")
    if manifest.get("inputs_sha256") != inputs:
        return Fallback(f"{base} was cut from other project inputs (model SQL, macros, vars or versions changed)"
                        if manifest.get("inputs_sha256") else f"{base} records no inputs hash (cut by an older sqltrain)")
    if manifest.get("data", {}).get("files") != ["data.parquet"]:
        return Fallback(f"{base} is not a single data.parquet file")
    unsafe = _unsafe_reads(asof.manifest(), node["unique_id"]) or _unstable_findings(base / "leakage.json")
    if unsafe:
        return Fallback(unsafe)
    record = read_record(project, model, base_as_of)
    if record is None or record.get("inputs_sha256") != inputs:
        return Fallback(f"verify has not been run as of {base_as_of} with these inputs "
                        f"(run: sqltrain verify --as-of {base_as_of} --model {model})")
    if not record.get("identical"):
        return Fallback(f"verify as of {base_as_of} found differences: rows of that snapshot may change")
    until, late = _until(asof, node["unique_id"], base_as_of, as_of)
    return Reuse(base, base_as_of, manifest["data"]["sha256"], meta["cutoff"], str(meta["horizon"]), until, late)


def plan_fold_reuse(asof: Project, node: dict[str, Any], previous: AsOf, as_of: AsOf,
                    previous_dir: Path) -> Reuse | Fallback:
    """The same decision for a backtest's build as of ``as_of``, whose base is the build as of
    ``previous`` made moments ago in the same run, from the same warehouse and the same compiled
    SQL; its gates' reports are in ``previous_dir``. Integrity, inputs and ``verify`` guard a base
    cut at another time from other data: none applies here; the rest of the premise does, unchanged.
    The caller points the ``Reuse`` at the relation holding the previous rows (``table``)."""
    refused = _shape_refused(asof, node)
    if refused:
        return refused
    unsafe = _unsafe_reads(asof.manifest(), node["unique_id"]) or _unstable_findings(previous_dir / "leakage.json")
    if unsafe:
        return Fallback(unsafe)
    meta = sqltrain_meta_of(node)
    until, late = _until(asof, node["unique_id"], previous, as_of)
    return Reuse(previous_dir, previous, None, meta["cutoff"], str(meta["horizon"]), until, late)


def _shape_refused(asof: Project, node: dict[str, Any]) -> Fallback | None:
    """Why no row of ``node`` can be reused whatever the base: the engine, or what its meta declares."""
    model, meta = node["name"], sqltrain_meta_of(node)
    if asof.adapter() != "duckdb":
        return Fallback(f"incremental builds run on DuckDB; the target's adapter is {asof.adapter()}")
    if not meta.get("cutoff") or not meta.get("horizon"):
        return Fallback(f"{model} declares no cutoff or horizon in meta.sqltrain, so no row is provably final")
    if spine_node(asof.manifest(), node) is None:
        return Fallback(f"{model}: meta.sqltrain.spine does not name one model of the project (the build filters its table)")
    return None


def spine_node(manifest: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    """The model ``meta.sqltrain.spine`` names; the incremental build filters its table."""
    named = sqltrain_meta_of(node).get("spine")
    found = [n for n in manifest["nodes"].values() if n.get("resource_type") == "model" and n["name"] == named]
    return found[0] if len(found) == 1 else None


def _unsafe_reads(manifest: dict[str, Any], model_id: str) -> str | None:
    """A source upstream whose old rows may change without a trace after D1, named in one line."""
    for cut in rules.copy_plan(manifest, model_id):
        name = _source_name(manifest, cut)
        meta = sqltrain_meta_of(manifest["sources"].get(cut.unique_id) or {})
        if cut.rule == rules.TIMED and not cut.known_at and not meta.get("append_only"):
            return (f"{name} declares event_ts but no known_at: a row landing late with an old event_ts would change "
                    "old examples (declare known_at, or append_only: true if rows always land on time)")
        if cut.rule == rules.UNTIMED:
            return f"{name} declares no event_ts or known_at, so sqltrain cannot tell old rows from new"
        if cut.rule == rules.UNVERIFIABLE:
            return f"{name} is updated in place (mutable) and no dbt snapshot records its history"
    return None


def _source_name(manifest: dict[str, Any], cut: rules.RelationCut) -> str:
    node = manifest["sources"].get(cut.unique_id) or manifest["nodes"].get(cut.unique_id) or {}
    if node.get("resource_type") == "source":
        return f"source {node['source_name']}.{node['name']}"
    return cut.relation


def _unstable_findings(leakage_json: Path) -> str | None:
    """The base's own leakage report (same inputs, so the same findings): any finding, suppressed or
    not, that breaks 'a row is a function of what was known by its horizon's end'."""
    try:
        findings = json.loads(leakage_json.read_text()).get("findings") or []
    except (OSError, ValueError, AttributeError):
        return f"{leakage_json} cannot be read, so the model's reads are unknown"
    for finding in findings:
        what = UNSTABLE.get(str(finding.get("code")))
        if what:
            silenced = (" (suppressed, but a suppression does not keep old rows from changing)"
                        if finding.get("suppressed") else "")
            return f"{finding.get('where') or finding.get('model')}: {finding['code']} {what}{silenced}"
    return None


def _until(asof: Project, model_id: str, base_as_of: AsOf, as_of: AsOf) -> tuple[datetime, str | None]:
    """D1, or the earliest event time of a row that landed in (D1, D2] if that is earlier: a label
    horizon ending at or after it could have counted that row in a full rebuild."""
    from ..warehouse import connect

    manifest = asof.manifest()
    until, late = base_as_of.instant, None
    con = connect(asof.warehouse_path(), read_only=True, settings=asof.duckdb_settings())
    try:
        for cut in rules.copy_plan(manifest, model_id):
            if cut.rule != rules.TIMED or not cut.event_ts:
                continue
            relation = manifest["sources"][cut.unique_id]["relation_name"]
            for known_at in filter(None, [cut.known_at, *cut.column_known_at.values()]):
                first = con.execute(
                    f"select min(cast({identifier(cut.event_ts)} as timestamp)) from {relation} "
                    f"where cast({identifier(known_at)} as timestamp) > ? and cast({identifier(known_at)} as timestamp) <= ?",
                    [base_as_of.instant, as_of.instant]).fetchone()[0]
                if first is not None and first <= until:
                    # reuse only horizons that end strictly before it: step one microsecond back
                    until = first - timedelta(microseconds=1)
                    late = f"{_source_name(manifest, cut)}: a row known after {base_as_of} has {cut.event_ts} {first}"
    finally:
        con.close()
    return until, late
