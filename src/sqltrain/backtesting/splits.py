"""The train and test queries of every fold, written with ``sqltrain.temporal_split`` and compiled by dbt.

Python never re-implements the split rule: one inline Jinja document holds, per fold, a train and a
test query around ``temporal_split`` (``valid_start = test_start = X``, the fold's embargo and the
model's horizon, so the macro's own check refuses an embargo shorter than the horizon). dbt compiles
it once (``dbt compile --inline``) with the project's macros and adapter dispatch, and the compiled
text is cut back into queries at marker comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..dbt_invoke import invoke
from ..project import Project
from ..sqlquote import identifier, jinja_string, string_literal
from .dependence import compiled_code_by_node
from .folds import Fold
from .periods import Period

SPLIT_COLUMN = "__sqltrain_split"   # a plain name: the same unquoted in every SQL dialect
Quote = Callable[[str], str]
_MARKER = "-- sqltrain:backtest:{part}:{index}"
_MARKER_RE = re.compile(r"^-- sqltrain:backtest:(train|test):(\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class FoldQueries:
    train: str   # over the model built as of X
    test: str    # over the model built as of --end


def _part(model: str, cutoff: str, fold: Fold, embargo: Period, horizon: Period, part: str,
          columns: list[str], quote: Quote) -> str:
    """The Jinja for one part of one fold: the macro's split, its rows of ``part``, within the fold's window.

    Every value reaches the Jinja as a quoted Jinja string and every column as an identifier
    quoted by ``quote`` (the target engine's quoting), whatever the model's YAML names it. The
    model's ``columns`` are selected by name (dropping the split column portably: not every
    engine has ``select * exclude``).
    """
    x = jinja_string(fold.cutoff.var)
    column = quote(cutoff)
    as_text = f"{{{{ {jinja_string(column)} }}}}"     # never raw in the template: a name may hold '{{'
    bounds = []
    if part == "train" and fold.train_from is not None:
        bounds.append(f"{as_text} >= {{{{ sqltrain.as_of_literal({jinja_string(fold.train_from.isoformat())}) }}}}")
    if part == "test" and fold.test_until is not None:
        bounds.append(f"{as_text} < {{{{ sqltrain.as_of_literal({jinja_string(fold.test_until.isoformat())}) }}}}")
    where = "".join(f"\n  and {b}" for b in bounds)
    selected = f"{{{{ {jinja_string(', '.join(quote(c) for c in columns))} }}}}"
    return (
        f"{_MARKER.format(part=part, index=fold.index)}\n"
        f"select {selected} from (\n"
        f"{{{{ sqltrain.temporal_split(ref({jinja_string(model)}), {jinja_string(column)}, {x}, {x}, "
        f"{jinja_string(embargo.text)}, horizon={jinja_string(horizon.text)}, split_column={jinja_string(SPLIT_COLUMN)}) }}}}\n"
        f") as __sqltrain_fold\nwhere {SPLIT_COLUMN} = {string_literal(part)}{where}\n"
    )


def split_document(model: str, cutoff: str, folds: list[Fold], embargo: Period, horizon: Period,
                   columns: list[str], quote: Quote = identifier) -> str:
    """The inline Jinja dbt compiles: a train and a test query per fold, each after its marker line."""
    return "".join(
        _part(model, cutoff, fold, embargo, horizon, part, columns, quote) for fold in folds for part in ("train", "test")
    )


def compile_fold_queries(
    project: Project, model: str, cutoff: str, folds: list[Fold], embargo: Period, horizon: Period,
    dbt_vars: dict, run: Callable[[list[str]], object] | None = None, *,
    columns: list[str], quote: Quote = identifier,
) -> dict[int, FoldQueries]:
    """Compile every fold's train and test query in one dbt invocation; ``{fold index: queries}``.

    ``run(command)`` runs the dbt command (default: ``invoke`` with ``dbt_vars``); ``columns`` are the
    model's, ``quote`` the target engine's identifier quoting (``Engine.identifier``).
    """
    run = run or (lambda command: invoke(project, command, dbt_vars))
    run(["compile", "--inline", split_document(model, cutoff, folds, embargo, horizon, columns, quote)])
    compiled = next(iter(compiled_code_by_node(project.target_path).values()))
    return cut_at_markers(compiled, len(folds))


def cut_at_markers(compiled: str, n_folds: int) -> dict[int, FoldQueries]:
    """Split the compiled document back into ``{index: FoldQueries}`` (each query without its marker)."""
    marks = list(_MARKER_RE.finditer(compiled))
    pieces: dict[tuple[str, int], str] = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(compiled)
        pieces[(mark.group(1), int(mark.group(2)))] = compiled[mark.end():end].strip()
    missing = [(p, i) for i in range(n_folds) for p in ("train", "test") if (p, i) not in pieces]
    if missing:
        raise RuntimeError(f"compiled split document lost its markers for {missing}")
    return {i: FoldQueries(train=pieces[("train", i)], test=pieces[("test", i)]) for i in range(n_folds)}
