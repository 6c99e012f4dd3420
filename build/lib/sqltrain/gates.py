"""Gates that stand between a built training set and its export.

A gate is a module exposing ``run_gate(ctx: GateContext) -> GateResult``. ``sqltrain snapshot``
runs the gates in ``GATES`` order after dbt has built the model; any failed gate stops the
export (exit 1). Each gate writes its report file(s) into ``ctx.report_dir`` (the snapshot's
staging directory), so the reports land atomically with the data.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .asof import AsOf
from .interrupts import entering
from .project import Project

if TYPE_CHECKING:
    from .engine import Engine

# (gate name, module, report file written into the snapshot directory)
GATES = [
    ("leakage", "sqltrain.leakage.gate", "leakage.json"),
    ("quality", "sqltrain.quality.gate", "validation.json"),
]


@dataclass
class GateContext:
    project: Project
    model: str
    node: dict[str, Any]          # the model's manifest node
    as_of: AsOf
    relation: str                 # the built relation, quoted: "db"."schema"."table"
    engine: Engine                # the open engine the relation lives in (the caller closes it)
    report_dir: Path              # where the gate writes its report file(s)
    previous_snapshot: Path | None = None  # the latest earlier snapshot of this model, for drift


@dataclass
class GateFailure:
    check: str                    # e.g. "LK001" or "expect_column_values_to_not_be_null"
    column: str | None
    expected: Any
    observed: Any
    where: str | None = None      # e.g. "models/training/churn_training.sql:12:5"


@dataclass
class GateResult:
    name: str
    passed: bool
    summary: str                  # one line for the CLI summary
    failures: list[GateFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report_file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def available_gates() -> list[tuple[str, Any, str]]:
    """The gates whose modules are installed, as (name, module, report file)."""
    found = []
    for name, module, report in GATES:
        if importlib.util.find_spec(module.rsplit(".", 1)[0]) is None:
            continue
        try:
            found.append((name, importlib.import_module(module), report))
        except ModuleNotFoundError:
            continue
    return found


def run_gates(ctx: GateContext) -> list[GateResult]:
    """Run every available gate on ``ctx`` in order; each writes its report into ``ctx.report_dir``."""
    results = []
    for name, module, report in available_gates():
        entering(f"gate:{name}")
        result = module.run_gate(ctx)
        result.report_file = result.report_file or report
        results.append(result)
    return results
