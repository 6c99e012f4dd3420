"""What the project declares about its relations: ``meta.sqltrain`` roles of models, sources, snapshots.

A role says what a relation's rows *are* (events with a time, a spine of cutoffs, a mutable
dimension, labels…). The analyser never guesses a role from a name where the project declared one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

GENERATED_KEY = re.compile(r"^__sqltrain_k\d+$")   # the entity keys the sqltrain macros generate
_UNIT_SECONDS = {
    "microsecond": 1e-6, "millisecond": 1e-3, "second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800,
    "month": 30 * 86400, "year": 365 * 86400,
}


def interval_seconds(text: Any) -> float | None:
    """``'30 days'`` -> 2592000.0; ``None`` when the text is not an interval."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*", str(text).lower())
    if not match:
        return None
    unit = match.group(2).lower()
    unit = {"sec": "second", "min": "minute", "d": "day", "h": "hour", "mon": "month", "y": "year"}.get(unit, unit)
    if unit not in _UNIT_SECONDS:
        return None
    return float(match.group(1)) * _UNIT_SECONDS[unit]


@dataclass(frozen=True)
class Role:
    """The declared role of one relation (a model, source, snapshot or seed)."""

    name: str
    resource_type: str = "model"
    kind: str | None = None
    entity: tuple[str, ...] = ()
    event_ts: str | None = None
    known_at: str | None = None
    mutable: bool = False
    immutable: tuple[str, ...] = ()
    scd2: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    cutoff: str | None = None
    label: str | None = None
    horizon_s: float | None = None
    grain: str | None = None
    declared: bool = False

    @classmethod
    def from_meta(cls, name: str, resource_type: str, meta: dict[str, Any]) -> "Role":
        entity = meta.get("entity") or ()
        if isinstance(entity, str):
            entity = (entity,)
        scd2 = bool(meta.get("scd2")) or resource_type == "snapshot"
        return cls(
            name=name,
            resource_type=resource_type,
            kind=meta.get("kind"),
            entity=tuple(str(e).lower() for e in entity),
            event_ts=_lower(meta.get("event_ts")),
            known_at=_lower(meta.get("known_at")),
            mutable=bool(meta.get("mutable")),
            immutable=tuple(str(c).lower() for c in meta.get("immutable") or ()),
            scd2=scd2,
            valid_from=_lower(meta.get("valid_from")) or ("dbt_valid_from" if scd2 else None),
            valid_to=_lower(meta.get("valid_to")) or ("dbt_valid_to" if scd2 else None),
            cutoff=_lower(meta.get("cutoff")) or ("as_of_ts" if _examples(meta) else None),
            label=_lower(meta.get("label")),
            horizon_s=interval_seconds(meta.get("horizon")),
            grain=_lower(meta.get("grain")),
            declared=bool(meta),
        )

    @property
    def is_event_source(self) -> bool:
        """Rows are events in time, to be cut at each example's cutoff."""
        return (self.kind in ("feature_source", "label_source") or (self.event_ts is not None and self.kind is None)) \
            and not self.is_examples

    @property
    def is_examples(self) -> bool:
        """Rows are training examples, one per (entity, cutoff): a spine or training set, or a label
        source that declares its label and a cutoff or no event time (a table of labelled examples)."""
        return _examples({"kind": self.kind, "label": self.label, "event_ts": self.event_ts})


def _examples(meta: dict[str, Any]) -> bool:
    kind = meta.get("kind")
    return kind in ("spine", "training_set") or (kind == "label_source" and bool(meta.get("label"))
                                                  and (not meta.get("event_ts") or bool(meta.get("cutoff"))))


def _lower(value: Any) -> str | None:
    return str(value).lower() if value else None


@dataclass
class ProjectRoles:
    """Roles of every relation plus the project-wide vocabulary the rules need."""

    by_name: dict[str, Role] = field(default_factory=dict)

    @property
    def cutoff_names(self) -> set[str]:
        names = {"as_of_ts", "__sqltrain_t"}
        names.update(r.cutoff for r in self.by_name.values() if r.cutoff)
        return names

    @property
    def label_names(self) -> set[str]:
        return {r.label for r in self.by_name.values() if r.label}

    @property
    def entity_names(self) -> set[str]:
        names = {n for r in self.by_name.values() for n in r.entity}
        return names

    @property
    def key_names(self) -> set[str]:
        """Entity and cutoff column names of the whole project."""
        return self.entity_names | self.cutoff_names

    def is_key(self, name: str) -> bool:
        """Whether ``name`` is an example key: an entity or cutoff column, or a key a sqltrain macro generated.

        >>> ProjectRoles({"spine": Role("spine", kind="spine", entity=("customer_id",), cutoff="as_of_ts")}).is_key("customer_id")
        True
        """
        return name in self.key_names or bool(GENERATED_KEY.match(name))

    @property
    def horizon_s(self) -> float | None:
        horizons = [r.horizon_s for r in self.by_name.values() if r.horizon_s]
        return max(horizons) if horizons else None
