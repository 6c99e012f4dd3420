"""The folds of a backtest: one cutoff date X per step from --start, each with its train and test window.

Fold X trains on the snapshot as of X, keeping the examples whose cutoff T satisfies
``T + embargo <= X`` (so their labels, ``(T, T + horizon]`` with ``horizon <= embargo``, are over
by X), and tests on the examples with ``X <= T < next X`` (the last fold: up to --end), labelled as
known at --end. Every test label window starts at or after X, every train label window ends by X:
none straddles the boundary, and the cutoffs of train and test are at least the embargo apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..asof import AsOf, parse_as_of
from ..errors import UsageError
from .periods import Period


@dataclass(frozen=True)
class Fold:
    index: int
    cutoff: AsOf                  # X: the fold's date; the train set is the snapshot as of X
    train_from: datetime | None   # first train cutoff allowed (X - train window), None: all history
    test_until: datetime | None   # test cutoffs are < this (the next fold's X); None: up to --end

    @property
    def name(self) -> str:
        return f"fold={self.cutoff.label}"


def plan_folds(
    start: AsOf, end: AsOf, every: Period, horizon: Period, train_window: Period | None = None
) -> list[Fold]:
    """Fold dates start, start + every, … up to the last X whose test window can hold a mature example.

    ``end`` is the as-of date of the evaluation: test labels are read as known on ``end``, so a
    fold needs ``X + horizon <= end`` to have any test example at all.
    """
    if end.instant <= start.instant:
        raise UsageError(f"--end {end} is not after --start {start}", "give an --end later than --start")
    dates = []
    moment = start.instant
    while horizon.after(moment) <= end.instant:
        dates.append(moment)
        moment = every.after(start.instant, len(dates))
    if not dates:
        raise UsageError(
            f"--start {start} --end {end}: no fold has a mature test example (the label horizon is {horizon})",
            f"choose --end at least {horizon} after --start",
        )
    folds = []
    for i, moment in enumerate(dates):
        following = dates[i + 1] if i + 1 < len(dates) else None
        folds.append(
            Fold(
                index=i,
                cutoff=parse_as_of(moment.isoformat()),
                train_from=train_window.before(moment) if train_window else None,
                test_until=following,
            )
        )
    return folds
