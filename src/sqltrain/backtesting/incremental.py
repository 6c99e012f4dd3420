"""``sqltrain backtest --incremental``: each build after the first keeps the rows of the build
before it that cannot change, and computes only the others (docs/incremental.md, "Backtests").

A backtest builds the same training set as of successive dates, from the same warehouse, in one
run. A row whose cutoff plus horizon is at or before the previous build's date comes out of the next
build unchanged, by the argument of an incremental snapshot (docs/incremental.md); the premises that
guard a base cut at another time from other data (its file's integrity, its inputs, ``verify``)
do not arise, the others are checked before every build (``plan_fold_reuse``). A build then:

1. sets the previous build's table aside in the private as-of schema;
2. rebuilds the as-of-dependent upstream with its tests, as a full fold build does;
3. builds the training set on the spine's other cutoffs only, appends the rows set aside that are
   reused, and runs the training set's tests on the union (``snapshotting.partial.build_cutoffs``).

The relation that results is the one a full build makes, row for row: the gates and the exports
that follow cannot tell them apart (the tests compare every exported file's SHA-256).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..asof import AsOf
from ..dbt_invoke import DbtRun

SET_ASIDE = "__sqltrain_previous_build"


@dataclass
class FoldBuilds:
    """The builds of a backtest after its first one: full (``rebuild``), or incremental.

    ``calls`` runs and counts dbt invocations (``run(command, as_of)``) against the private as-of
    project; ``upstream`` is the command rebuilding what the training set reads that depends on the
    as-of date (None: nothing does); ``records`` maps each build's date to what it reused, or why not.
    """

    calls: Any
    node: dict[str, Any]
    rebuild: list[str]
    upstream: list[str] | None
    incremental: bool
    previous: tuple[AsOf, str, Path] | None = None
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def gated(self, as_of: AsOf, name: str, report_dir: Path) -> None:
        """The build as of ``as_of`` (the fold ``name``) passed its gates, whose reports are in
        ``report_dir``: the next build may reuse its rows."""
        self.previous = (as_of, name, report_dir)

    def build(self, as_of: AsOf) -> DbtRun:
        # (imported here: sqltrain.snapshotting imports this package's dependence module)
        from ..snapshotting.incremental import Fallback, plan_fold_reuse
        from ..snapshotting.partial import build_cutoffs, drop_aside, set_aside

        if not self.incremental or self.previous is None:
            return self.calls.run(self.rebuild, as_of)
        project = self.calls.project
        previous, name, report_dir = self.previous
        reuse = plan_fold_reuse(project, self.node, previous, as_of, report_dir)
        if isinstance(reuse, Fallback):
            self.records[as_of.label] = {"fallback": reuse.reason}
            return self.calls.run(self.rebuild, as_of)
        kept = set_aside(project, self.node, SET_ASIDE)
        try:
            self.calls.run(["parse"], as_of)   # once: the invocations below all run on this parse
            parsed = project.parsed
            runs = [self.calls.run(self.upstream, as_of)] if self.upstream else []
            built, reused = build_cutoffs(project, self.node, dataclasses.replace(reuse, table=kept),
                                          {"as_of": as_of.var}, self.calls.on_node, parsed)
        finally:
            drop_aside(project, kept)
        self.calls.count += len(built)
        runs.extend(built)
        self.records[as_of.label] = {**reuse.to_json(), "base": name, "reused_rows": reused}
        return DbtRun.joined("build (incremental)", runs)

    def record_of(self, as_of: AsOf) -> dict[str, Any]:
        """A part's manifest entry: what the build as of ``as_of`` reused, or why it could not."""
        record = self.records.get(as_of.label)
        return {"incremental": record} if record else {}

    def summary(self) -> dict[str, Any]:
        """For backtest.json: whether builds were incremental, and per build what it reused or why not."""
        return {"requested": self.incremental, "by_as_of": self.records}

