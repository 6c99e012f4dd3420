"""The commands as Python functions: the same library the CLI runs, returning results, raising errors.

Each function opens the dbt project (a directory, or an already opened ``Project``), runs the
command and returns its result object; nothing is printed. Failures raise the ``SqltrainError``
family (``UsageError`` for bad input, ``BuildError`` when dbt fails, ``GateFailed`` when a gate
refuses a snapshot) instead of exit codes::

    >>> import sqltrain
    >>> result = sqltrain.snapshot("2025-06-01", model="churn_training")     # doctest: +SKIP
    >>> train = sqltrain.load("churn_training", as_of="2025-06-01")          # doctest: +SKIP
    >>> sqltrain.verify("2025-06-01").identical                               # doctest: +SKIP
    True

Heavy dependencies (dbt, Great Expectations, SQLGlot) load inside the calls, not on import.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .asof import AsOf, parse_as_of
from .project import Project
from .training_set import Snapshot, backtest_folds

if TYPE_CHECKING:
    from .backtesting import BacktestResult
    from .gates import GateResult
    from .leakage import Report
    from .snapshotting import SnapshotResult
    from .timetravel import VerifyReport

ProjectLike = Project | str | os.PathLike


def open_project(project: ProjectLike = ".", profiles_dir: str | os.PathLike | None = None,
                 target: str | None = None) -> Project:
    """``project`` itself when already opened, else the dbt project in that directory."""
    return project if isinstance(project, Project) else Project.open(project, profiles_dir, target)


def _as_of(value: str | AsOf) -> AsOf:
    return value if isinstance(value, AsOf) else parse_as_of(str(value))


def snapshot(as_of: str | AsOf, model: str = "churn_training", out: str | os.PathLike | None = None, *,
             incremental: bool = False, project: ProjectLike = ".", profiles_dir: str | os.PathLike | None = None,
             target: str | None = None) -> SnapshotResult:
    """``sqltrain snapshot``: build ``model`` as of ``as_of``, gate it, export it under ``out``.

    Returns the ``SnapshotResult`` (path, rows, label rate, data hash, manifest); raises
    ``GateFailed`` (nothing exported) when a gate refuses the set. ``incremental`` reuses the rows
    of an earlier snapshot that cannot have changed (``manifest["incremental"]`` says what, or why not).
    """
    from .snapshotting import cut_snapshot

    return cut_snapshot(open_project(project, profiles_dir, target), _as_of(as_of), model=model,
                        out=Path(out) if out is not None else None, incremental=incremental)


def validate(as_of: str | AsOf, model: str = "churn_training", *, report_dir: str | os.PathLike | None = None,
             snapshots_dir: str | os.PathLike | None = None, project: ProjectLike = ".",
             profiles_dir: str | os.PathLike | None = None, target: str | None = None) -> GateResult:
    """``sqltrain validate``: build ``model`` as of ``as_of`` and run the quality gate alone.

    Returns the gate's result (``.passed``, ``.failures``, ``.summary``); a failing gate is a
    result here, not an exception. The report lands in ``report_dir``.
    """
    from .quality.standalone import validate_as_of

    result, _where = validate_as_of(open_project(project, profiles_dir, target), _as_of(as_of), model,
                                    Path(report_dir) if report_dir else None,
                                    Path(snapshots_dir) if snapshots_dir else None)
    return result


def check(select: Sequence[str] = (), *, recompile: bool | None = None, project: ProjectLike = ".",
          profiles_dir: str | os.PathLike | None = None, target: str | None = None) -> Report:
    """``sqltrain check``: the leakage findings of every model (or of ``select``: names, ``+name``).

    ``recompile`` None runs ``dbt compile`` only when the compiled manifest is missing or older than
    the project's files; True always, False never. Returns the ``Report`` (``.findings``,
    ``.active``, ``.exit_code``).
    """
    from .leakage import check_project
    from .leakage.freshness import manifest_is_fresh

    opened = open_project(project, profiles_dir, target)
    selected = list(select)
    if recompile is None:
        recompile = not manifest_is_fresh(opened, select=selected)
    if recompile:
        compile_models(opened, selected)
    return check_project(opened, select=selected or None)


def models_of_files(project: Project, files: Sequence[str | os.PathLike]) -> list[str] | None:
    """The models whose SQL is among ``files`` (paths as a pre-commit hook passes them).

    None when a file may change any model's roles or SQL (a YAML file, a macro, dbt_project.yml):
    then every model is checked. Files outside the project's model paths that are not SQL of a
    model are ignored (a README, a Python script).
    """
    model_dirs = [(project.project_dir / d).resolve() for d in project.config.get("model-paths", ["models"])]
    others = [(project.project_dir / d).resolve() for d in project.config.get("macro-paths", ["macros"])]
    names: list[str] = []
    for file in files:
        path = Path(file).resolve()
        inside = any(path.is_relative_to(d) for d in model_dirs)
        if inside and path.suffix == ".sql":
            names.append(path.stem)
        elif inside or path.name in ("dbt_project.yml", "packages.yml") or any(path.is_relative_to(d) for d in others):
            return None
    return sorted(set(names))


def compile_models(project: Project, select: Sequence[str] = ()) -> None:
    """``dbt compile`` of the selected models and their upstream (everything by default)."""
    from .dbt_invoke import invoke
    from .errors import BuildError, UsageError

    tokens = [t.strip("+") for s in select for t in s.replace(",", " ").split()]
    dbt_select = ["--select", *[f"+{t}" for t in tokens]] if tokens else []
    try:
        invoke(project, ["compile", *dbt_select])
    except BuildError as error:   # the project does not compile: bad input, not a leak
        raise UsageError(error.message, "fix the model, or pass --no-compile to check the last compiled manifest")


def verify(as_of: str | AsOf, model: str = "churn_training", *, sample: int | None = None,
           project: ProjectLike = ".", profiles_dir: str | os.PathLike | None = None,
           target: str | None = None) -> VerifyReport:
    """``sqltrain verify``: the time-travel test. Returns the report (``.identical``, ``.diff``, ``.culprits``)."""
    from .timetravel import verify as time_travel

    return time_travel(open_project(project, profiles_dir, target), _as_of(as_of), model, sample=sample)


@dataclass
class Backtest:
    """A finished backtest: its result and its folds as (train, test) ``Snapshot`` pairs."""

    result: BacktestResult
    folds: list[tuple[Snapshot, Snapshot | None]]

    @property
    def path(self) -> Path:
        return self.result.path


def backtest(start: str | AsOf, end: str | AsOf, every: str, model: str = "churn_training", *,
             train_window: str | None = None, embargo: str | None = None, out: str | os.PathLike | None = None,
             project: ProjectLike = ".", profiles_dir: str | os.PathLike | None = None,
             target: str | None = None) -> Backtest:
    """``sqltrain backtest``: walk-forward folds; returns them as verified (train, test) snapshots."""
    from .backtesting import run_backtest

    result = run_backtest(open_project(project, profiles_dir, target), start, end, every, model=model,
                          train_window=train_window, embargo=embargo, out=Path(out) if out is not None else None)
    return Backtest(result, backtest_folds(result.path))
