"""Shared reading of the time-bound facts: how each event relation is read in each scope.

LK001, LK002, LK010 and LK012 are four verdicts on the same question — "is this event
relation cut at the cutoff?" — so the question is answered once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bounds import Bound
from ..facts import ModelFacts, Rel, ScopeFacts, has_latest_pick


@dataclass
class EventRead:
    scope: ScopeFacts
    alias: str
    rel: Rel
    verdicts: set[str] = field(default_factory=set)
    bounds: list[Bound] = field(default_factory=list)
    faulty_bounds: list[tuple[str, Bound]] = field(default_factory=list)   # ("past_cutoff" | "inclusive", bound)


def event_reads(facts: ModelFacts) -> list[EventRead]:
    return list(_reads(facts))


def _reads(facts: ModelFacts):
    for scope in facts.scopes:
        if not scope.sources:
            continue
        latest = has_latest_pick(scope)

        def others_have_events(a, scope=scope):
            return any(r.needs_bound or r.event_ts for b, r in scope.sources.items() if b != a)

        for alias, rel in scope.sources.items():
            if rel.cutoffs or alias in scope.label_reads:
                continue
            read = EventRead(scope, alias, rel, bounds=scope.bounds_of(alias))
            if rel.all_time_agg and (scope.cutoff_context or others_have_events(alias)):
                read.verdicts.add("aggregate_unbounded")
            elif rel.needs_bound or rel.timeless:
                if scope.cutoff_context:
                    _judge_cutoff(read, latest)
                elif _cut_downstream(facts, scope):
                    continue
                else:
                    _judge_const(read, latest, scope)
            if read.verdicts:
                yield read


def _judge_cutoff(read: EventRead, latest: bool) -> None:
    rel = read.rel
    times = rel.time_columns()
    upper = [b for b in read.bounds if b.upper and b.against == "cutoff" and b.column in times]
    if not upper:
        forward = [b for b in read.bounds if not b.upper and b.against == "cutoff" and b.column in times
                   and b.offset_s is not None and b.offset_s >= 0]
        if forward:
            read.verdicts.add("wrong_direction")
        elif latest:
            read.verdicts.add("latest_unbounded")
        else:
            read.verdicts.add("unbounded")
        return
    _judge_upper(read, upper)


def _cut_downstream(facts: ModelFacts, scope: ScopeFacts) -> bool:
    """Every read of this scope's rows cuts them at a cutoff (or makes the label of them): a bound by
    the as-of date here is then only a shortcut, and the verdict belongs to those reads."""
    readers = facts.readers(scope)
    return bool(readers) and all(reader.cutoff_bounded(alias) or alias in reader.label_reads
                                 for reader, alias in readers)


def _judge_const(read: EventRead, latest: bool, scope: ScopeFacts) -> None:
    rel = read.rel
    times = rel.time_columns()
    upper = [b for b in read.bounds if b.upper and b.against == "const" and b.column in times]
    if not upper:
        if latest and not rel.const_bounded:
            read.verdicts.add("latest_unbounded")
        return
    _judge_upper(read, upper)


def _judge_upper(read: EventRead, upper: list[Bound]) -> None:
    rel = read.rel
    past = [b for b in upper if b.offset_s is not None and b.offset_s > 0]
    if past:
        read.verdicts.add("past_cutoff")
        read.faulty_bounds.append(("past_cutoff", past[0]))
    elif rel.grain in ("day", "date") and all(b.inclusive and (b.offset_s or 0) == 0 for b in upper):
        read.verdicts.add("inclusive")
        read.faulty_bounds.append(("inclusive", upper[0]))
    if rel.known_at and rel.event_ts and not any(b.column in (rel.known_at, rel.visible_at) for b in upper):
        read.verdicts.add("known_at_unbounded")
