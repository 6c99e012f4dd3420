"""The quality check of one built training set: suite from roles, validation, drift, report.

This is the library API behind the gate and ``sqltrain validate``::

    from sqltrain.engine import engine_for
    from sqltrain.quality import check_training_set, spec_from_node
    with engine_for(project) as engine:
        report = check_training_set(engine, '"w"."main"."churn_training"', spec_from_node(node),
                                    spine_relation='"w"."main"."spine_customer_monthly"',
                                    docs_dir=Path("out/validation"))
    report.passed, report.failures()
"""

from __future__ import annotations

import json
from importlib.metadata import version
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from .drift import DriftReport, compare, snapshot_files
from .gx_validation import Outcome, run_suite
from .observed import observed
from ..engine import Engine
from .relation import count_rows, read_relation
from .slices import SliceReport, slice_report
from .spec import QualitySpec
from .suite import build_suite


@dataclass
class QualityReport:
    """Everything the gate learnt about a training set; ``to_dict()`` is ``validation.json``."""

    model: str
    relation: str
    as_of: str | None
    row_count: int
    outcomes: list[Outcome]
    drift: DriftReport | None = None
    warnings: list[str] = field(default_factory=list)
    data_docs: str | None = None
    gx_result: dict[str, Any] = field(default_factory=dict)
    slices: SliceReport | None = None

    @property
    def passed(self) -> bool:
        return all(o.success for o in self.outcomes) and not (self.slices and self.slices.errors())

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]

    def summary(self) -> str:
        failed = len(self.failures())
        total = len(self.outcomes)
        head = f"{total - failed}/{total} expectations passed on {self.row_count} rows"
        slice_warnings = len(self.slices.warnings()) if self.slices else 0
        drift_warnings = len(self.warnings) - slice_warnings
        tail = f"; {drift_warnings} drift warning(s)" if drift_warnings else ""
        if self.slices and self.slices.errors():
            tail += f"; {len(self.slices.errors())} slice(s) beyond an error limit"
        if slice_warnings:
            tail += f"; {slice_warnings} slice warning(s)"
        duplicated = [o.spec.column for o in self.failures() if o.spec.rule == "unique_example"]
        if duplicated:
            tail += (f"; ({duplicated[0]}) is not unique: if {self.model} may hold several rows per "
                     f"example, declare `unique: false` under its meta.sqltrain (docs/quality-gate.md)")
        return (f"{failed} failed, " if failed else "") + head + tail

    def to_dict(self) -> dict[str, Any]:
        return {
            "gate": "quality",
            "model": self.model,
            "relation": self.relation,
            "as_of": self.as_of,
            "passed": self.passed,
            "summary": self.summary(),
            "row_count": self.row_count,
            "statistics": {
                "evaluated_expectations": len(self.outcomes),
                "successful_expectations": len(self.outcomes) - len(self.failures()),
                "unsuccessful_expectations": len(self.failures()),
            },
            "expectations": [
                {
                    "expectation": o.spec.type,
                    "rule": o.spec.rule,
                    "column": o.spec.column,
                    "kwargs": o.spec.kwargs,
                    "expected": o.spec.expected,
                    "observed": observed(o),
                    "success": o.success,
                    "exception": o.exception,
                    "result": o.result,
                }
                for o in self.outcomes
            ],
            "drift": self.drift.to_dict() if self.drift else None,
            "slices": self.slices.to_dict() if self.slices else None,
            "warnings": self.warnings,
            "data_docs": self.data_docs,
            "versions": {"sqltrain": __version__, "great_expectations": version("great_expectations")},
        }

    def write(self, path: Path) -> None:
        """Write ``validation.json`` (stable key order, no timestamps: reruns produce the same file)."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, default=str) + "\n")


def check_training_set(
    engine: Engine,
    relation: str,
    spec: QualitySpec,
    *,
    spine_relation: str | None = None,
    previous_snapshot: Path | None = None,
    docs_dir: Path | None = None,
    as_of: str | None = None,
) -> QualityReport:
    """Validate the built ``relation`` against ``spec`` and compare it with ``previous_snapshot``.

    ``engine``: the ``sqltrain.engine.Engine`` the relation was built on; the relation is validated
    in place (on DuckDB the built-in expectations as sqltrain's SQL and the user's through GX's SQL
    datasource, on Spark GX on the Spark DataFrame).
    ``spine_relation``: the spine's quoted relation, whose row count the set must equal.
    ``docs_dir``: where GX writes its Data Docs site (None: no HTML).
    """
    frame = read_relation(engine, relation, spec.model)
    rows = count_rows(engine, relation, spec.model)
    spine_rows = count_rows(engine, spine_relation, spec.spine or "spine") if spine_relation else None

    # the baseline first: a snapshot altered since it was written is refused before GX runs
    previous, previous_as_of = snapshot_files(previous_snapshot) if previous_snapshot is not None else ([], None)
    # slices next: a slice column the relation lacks is reported before GX runs
    slices = slice_report(engine, relation, spec, previous_snapshot if previous else None)
    suite = build_suite(spec, list(frame.columns), spine_rows)
    outcomes, full = run_suite(frame, suite, name=spec.model, run_name=as_of or "validate", docs_dir=docs_dir)

    drift = None
    if previous:
        con, current = engine.drift_frame(frame)
        drift = compare(con, current, previous, spec, Path(previous_snapshot).name, previous_as_of)
    return QualityReport(
        model=spec.model,
        relation=relation,
        as_of=as_of,
        row_count=rows,
        outcomes=outcomes,
        drift=drift,
        warnings=[*(drift.warnings if drift else []), *(slices.warnings() if slices else [])],
        data_docs=str(Path(docs_dir) / "index.html") if docs_dir else None,
        gx_result=full,
        slices=slices,
    )
