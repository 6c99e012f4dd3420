"""``verify``: the time-travel test of docs/semantics.md §8, as a library call.

Two private DuckDB copies of the warehouse are written in a temporary directory: the *full* copy
(every row the model reads) and the *truncated* copy (only what was known at D, see
:mod:`sqltrain.timetravel.copy`). dbt builds the model as of D on each; the two results must be
identical row for row. When they are not, the report says which columns differ, on how many rows,
shows a few rows side by side, and names the upstream models where the difference starts.

    >>> from sqltrain.project import Project
    >>> from sqltrain.asof import parse_as_of
    >>> report = verify(Project.open("."), parse_as_of("2025-06-01"), "churn_training")  # doctest: +SKIP
    >>> report.identical, report.exit_code                                                  # doctest: +SKIP
    (True, 0)

The user's warehouse is only read; the copies are deleted when ``verify`` returns, fails or is
interrupted.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..asof import AsOf
from ..dbt_invoke import invoke
from ..engine.duckdb import DuckDBEngine
from ..errors import BuildError, UsageError
from ..interrupts import entering, temporary_directory
from ..lock import waiting_for_lock
from ..outputs import full_disk_reported
from ..project import Project, sqltrain_meta_of
from ..snapshotting.inputs import inputs_sha256
from ..sqlquote import identifier
from ..time_range import require_in_warehouse
from ..warehouse import release_dbt_connection, require_warehouse
from . import plan as rules
from .build import build_model, on_copy, require_duckdb_target, write_profiles
from .copy import CopyStat, write_copy
from .diff import TableDiff, compare
from .localise import NodeCheck, walk
from .plan import copy_plan, spine_upstream
from .record import write_record

FULL, TRUNCATED = "verify_full", "verify_cut"  # database (file) names of the two copies

StepFn = Callable[[str], None]


@dataclass
class VerifyReport:
    """The outcome of one time-travel test."""

    model: str
    as_of: AsOf
    keys: list[str]
    diff: TableDiff
    copies: list[CopyStat]
    upstream: list[NodeCheck] = field(default_factory=list)
    sample: int | None = None
    timings_s: dict[str, float] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return self.diff.identical

    @property
    def exit_code(self) -> int:
        return 0 if self.identical else 1

    @property
    def differing_columns(self) -> list[str]:
        return self.diff.differing_columns

    @property
    def culprits(self) -> list[str]:
        """Upstream models (or the model itself) where the builds first differ, parents first."""
        return [c.name for c in self.upstream if c.culprit]

    @property
    def unverifiable(self) -> list[str]:
        """Relations copied as they are now because their past cannot be rebuilt."""
        return [c.relation for c in self.copies if c.rule == rules.UNVERIFIABLE]

    @property
    def untimed(self) -> list[str]:
        """Relations copied whole because they declare no time."""
        return [c.relation for c in self.copies if c.rule == rules.UNTIMED]


def verify(
    project: Project,
    as_of: AsOf,
    model: str = "churn_training",
    sample: int | None = None,
    step: StepFn | None = None,
    workdir: Path | None = None,
) -> VerifyReport:
    """Build ``model`` as of ``as_of`` on a full and on a truncated copy of the warehouse and diff them.

    ``sample`` keeps only that many entities in both copies, for a faster check on a large
    warehouse: drawn from the spine's sources, and kept in every relation that declares entity
    keys (matched to the model's ``entity`` by position, whatever their names). Raises ``UsageError``
    for bad input and ``BuildError`` when dbt fails on either copy.
    """
    require_duckdb_target(project)
    if sample is not None and sample < 1:
        raise UsageError(f"--sample {sample}: must be a positive number of entities", "pass e.g. --sample 1000")
    step = step or (lambda _msg: None)
    timings: dict[str, float] = {}
    warehouse = require_warehouse(project)
    release_dbt_connection()

    scratch = Path(workdir or tempfile.gettempdir())
    with full_disk_reported(scratch, "the temporary copies of the warehouse"), \
            temporary_directory("sqltrain-verify-", workdir) as work:
        files = {FULL: work / f"{FULL}.duckdb", TRUNCATED: work / f"{TRUNCATED}.duckdb"}
        write_profiles(project, work / "profiles", files)
        full = on_copy(project, work / "profiles", FULL, work / "target_full")
        cut = on_copy(project, work / "profiles", TRUNCATED, work / "target_cut")

        with _timed(timings, "parse", step):
            invoke(full, ["parse"], {"as_of": as_of.var})  # same vars as the build: dbt reuses this parse
            manifest = full.manifest(reload=True)
            node = full.training_set_node(model)
            meta = sqltrain_meta_of(node)
        entity = list(meta.get("entity") or [])
        if sample is not None and not entity:
            raise UsageError(f"model {model} declares no meta.sqltrain.entity", "drop --sample or declare the entity keys")

        with _timed(timings, "copy", step):
            plan = copy_plan(manifest, node["unique_id"])
            spine = spine_upstream(manifest, node["unique_id"]) if sample is not None else set()
            waiting_for_lock(lambda: write_copy(warehouse, files[FULL], plan, None, sample, entity, spine), project.wait_lock)
            with DuckDBEngine(files[FULL]) as copy:            # the manifest names relations in the copy
                require_in_warehouse(copy, manifest, as_of)
            copies = waiting_for_lock(
                lambda: write_copy(warehouse, files[TRUNCATED], plan, as_of.instant, sample, entity, spine), project.wait_lock)
        with _timed(timings, "build on full copy", step):
            _build(full, model, as_of, "the full copy")
        with _timed(timings, "build on truncated copy", step):
            _build(cut, model, as_of, f"the copy truncated at {as_of}")

        keys = [*entity, *([meta["cutoff"]] if meta.get("cutoff") else [])]
        with _attached(files) as con:
            with _timed(timings, "compare", step):
                relation = f"{identifier(node['schema'])}.{identifier(node.get('alias') or node['name'])}"
                diff = compare(con, f"{FULL}.{relation}", f"{TRUNCATED}.{relation}", keys, model, spread=entity)
            upstream: list[NodeCheck] = []
            if not diff.identical:
                with _timed(timings, "localise", step):
                    upstream = walk(con, manifest, node["unique_id"], FULL, TRUNCATED, as_of.instant, diff)
    timings["total"] = round(sum(timings.values()), 3)
    # what snapshot --incremental asks before it reuses rows of a snapshot as of this date
    with contextlib.suppress(OSError):  # an unwritable target/ costs only the record, never the verdict
        write_record(project, model, as_of, diff.identical, sample,
                     inputs_sha256(manifest, node["unique_id"], project.config.get("vars")))
    return VerifyReport(model, as_of, keys, diff, copies, upstream, sample, timings)


def _build(project: Project, model: str, as_of: AsOf, which: str) -> None:
    """Build on one copy; a failure says which copy (one that fails only when truncated is a finding too)."""
    try:
        build_model(project, model, as_of.var)
    except BuildError as error:
        raise BuildError(f"on {which}: {error.message}", error.hint) from None


@contextlib.contextmanager
def _attached(files: dict[str, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """One in-memory session with both copies attached under their own names (views resolve)."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for name, path in files.items():
            con.execute(f"ATTACH ? AS {identifier(name)} (READ_ONLY)", [str(path)])
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def _timed(timings: dict[str, float], name: str, step: StepFn) -> Iterator[None]:
    entering(name)
    step(name)
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 3)
